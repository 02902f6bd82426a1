/* nerchinsk-map: a feature's dates on the page (DATES, public as NerchinskMap.dates), from the
 * properties that nerchinsk_map.dates computes when the map is built:
 *   date_span   [possible from, certain from, certain to, possible to] (years; null = open)
 *   dates_label {en, ru, zh}: the dates as a historian writes them, with the Old Style date
 *               (en, ru) or the reign-year date (zh) where the sources give one.
 * Nothing here reads a date string: the EDTF is read in Python. Its own closure keeps its
 * names (state, label, style...) out of the other modules'.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
var DATES = (function () {

  var PERHAPS = { fade: 0.4, dashArray: "5 5" };  // translucent (opacities x 0.4), dashed
  var MARK = { en: " (?)", ru: " (?)", zh: "（？）" };  // a label's mark in a "perhaps" year

  function blank(value) {
    return value === undefined || value === null;
  }

  function within(lo, hi, year) {
    return (blank(lo) || lo <= year) && (blank(hi) || year <= hi);
  }

  /* Was the feature there at some time in `year`: "yes", "no" or "perhaps". Features without
     date_span (undated, or a user's layer with other dates) are "yes"; so is every feature when
     `year` is null (all years). */
  function state(props, year) {
    var s = props && props.date_span;
    if (!s || blank(year)) return "yes";
    if (!within(s[0], s[3], year)) return "no";
    return within(s[1], s[2], year) ? "yes" : "perhaps";
  }

  /* The feature's dates in `lang` for a popup's dates row; null when there is no label. */
  function label(props, lang) {
    var labels = props && props.dates_label;
    if (!labels) return null;
    return labels[lang] || labels.en || null;
  }

  /* `style` (a Leaflet path style) as drawn in `year`: translucent and dashed when "perhaps". */
  function style(props, year, base) {
    var out = Object.assign({}, base);
    if (state(props, year) !== "perhaps") return out;
    out.opacity = (blank(out.opacity) ? 1 : out.opacity) * PERHAPS.fade;  // Leaflet's defaults
    out.fillOpacity = (blank(out.fillOpacity) ? 0.2 : out.fillOpacity) * PERHAPS.fade;
    out.dashArray = PERHAPS.dashArray;
    return out;
  }

  /* A map label for the feature in `year`: the name, marked "(?)" in a "perhaps" year. */
  function mark(name, props, year, lang) {
    return state(props, year) === "perhaps" ? name + (MARK[lang] || MARK.en) : name;
  }

  /* Restyle one catalog layer group (from NerchinskMap.geoJsonLayer) for `year`: every drawn
     feature in a "perhaps" year is translucent and dashed (its casing only translucent), with the
     class nm-perhaps and a marked label; the others get their own style back. */
  function apply(group, year, lang) {
    group.eachLayer(function (geo) {
      if (!geo.eachLayer) return;
      geo.eachLayer(function (layer) {
        var props = layer.feature && layer.feature.properties;
        if (!props || !layer.setStyle) return;
        if (!layer.nmBaseStyle) {
          layer.nmBaseStyle = { opacity: layer.options.opacity, fillOpacity: layer.options.fillOpacity,
                                dashArray: layer.options.dashArray || null };
        }
        var perhaps = state(props, year) === "perhaps";
        var casing = /nm-casing/.test(layer.options.className || "");
        var drawn = perhaps ? style(props, year, layer.nmBaseStyle) : Object.assign({}, layer.nmBaseStyle);
        if (casing) drawn.dashArray = null;
        layer.setStyle(drawn);
        var path = layer.getElement && layer.getElement();
        if (path) path.classList.toggle("nm-perhaps", perhaps);
        var tip = layer.getTooltip && layer.getTooltip();
        var node = tip && tip.getContent();
        if (node && node.nodeType === 1) {
          if (blank(node.getAttribute("data-nm-name"))) node.setAttribute("data-nm-name", node.textContent);
          node.textContent = mark(node.getAttribute("data-nm-name"), props, year, lang || "en");
          tip.setContent(node);
        }
      });
    });
  }

  /* The legend's line for uncertain dates (English; the page translates it with t()). */
  var LEGEND = "Pale and dashed, marked (?): perhaps there in that year (the sources disagree on the date)";

  return {
    state: state,
    label: label,
    style: style,
    mark: mark,
    apply: apply,
    legend: LEGEND,
    perhapsStyle: PERHAPS
  };
})();
