/* nerchinsk-map: The legend.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
/* A swatch drawn as the map draws the style: its colour, width, dashes, line caps and
   opacity (a paler variant looks paler in the legend too). */
function legendSwatch(spec, style) {
  var svg = swatch(spec, style);
  var s = style || spec.style.base;
  var shape = svg.lastChild;
  if (s.opacity !== undefined && s.opacity !== null) shape.setAttribute("stroke-opacity", String(s.opacity));
  if (s.lineCap) shape.setAttribute("stroke-linecap", s.lineCap);
  return svg;
}

/* What of the layer is drawn now: any feature (the layer on the map and the feature in the
   present year), the variant keys drawn, and whether one is drawn as "perhaps there" (DATES). */
function drawnKeys(map, layer, property) {
  var keys = {}, any = false, perhaps = false;
  if (!map.hasLayer(layer)) return { any: false, keys: keys, perhaps: false };
  layer.nmFeatures.forEach(function (d) {
    if (!d.parent.hasLayer(d.layer)) return;
    var props = d.layer.feature.properties;
    any = true;
    if (property) keys[String(props[property])] = true;
    if (layer.nmYear !== undefined && DATES.state(props, layer.nmYear) === "perhaps") perhaps = true;
  });
  return { any: any, keys: keys, perhaps: perhaps };
}

/* The rows of a layer's style variants, in data order: a swatch of the variant's own style and
   its label (from the catalog's legend entry, in the reader's language, or the feature's name).
   Each row carries its key; the legend shows only the rows drawn in the present year. */
function variantList(layer, variants) {
  var spec = layer.nmSpec;
  var list = el("ul", "nm-variants");
  var first = {}, order = [];
  layer.nmFeatures.forEach(function (d) {
    var props = d.layer.feature.properties;
    var key = props[variants.property];
    if (isBlank(key) || first[key]) return;
    first[key] = props;
    order.push(key);
  });
  var labels = {};
  if (variants.values) {  // [value, label] pairs, in the catalog's order
    order = variants.values.map(function (pair) { labels[pair[0]] = pair[1]; return pair[0]; })
      .filter(function (key) { return first[key]; });
  }
  order.forEach(function (key) {
    var props = first[key];
    var label = variants.label_from ? nameIn(props, I18N.lang) : t(labels[key]);
    var item = el("li");
    item.setAttribute("data-variant", key);
    item.appendChild(legendSwatch(spec, featureStyle(spec, props)));
    item.appendChild(el("span", null, label));
    list.appendChild(item);
  });
  return list;
}

/* The legend is the drawing: an entry (and a variant row) shows only while the map draws it, in
   the present year and with its layer switched on; the row on uncertain dates only while some
   feature is drawn as uncertain. */
function syncLegend(map, entries, list) {
  var perhaps = false;
  entries.forEach(function (entry) {
    var item = list.querySelector("li[data-layer-id='" + entry.id + "']");
    if (!item) return;
    var drawn = drawnKeys(map, entry.layer, entry.variants && entry.variants.property);
    perhaps = perhaps || drawn.perhaps;
    item.hidden = !drawn.any;
    item.querySelectorAll(".nm-variants > li").forEach(function (row) {
      row.hidden = !drawn.keys[row.getAttribute("data-variant")];
    });
  });
  var dates = list.querySelector(".nm-uncertain-dates");
  if (dates) dates.hidden = !perhaps;
}

/* The row that explains how a feature is drawn in a year its sources disagree on (DATES):
   pale and dashed, its label marked (?); syncLegend shows it while such a feature is drawn. */
function uncertainDatesItem() {
  var item = el("li", "nm-uncertain-dates");
  var pale = { color: "#5b4636", fillColor: "#e8a33d", fillOpacity: 0.9, weight: 2, dashArray: DATES.perhapsStyle.dashArray };
  var svg = swatch({ geometry: "point", style: { base: pale } }, pale);
  svg.lastChild.setAttribute("stroke-opacity", String(DATES.perhapsStyle.fade));
  svg.lastChild.setAttribute("fill-opacity", String(0.9 * DATES.perhapsStyle.fade));
  item.appendChild(svg);
  item.appendChild(el("span", null, t(DATES.legend)));
  return item;
}

/* Legend: one entry per style the map draws now (syncLegend), the topmost layer first, as the
   map stacks them; an entry appears when its layer is switched on or its year comes, and goes
   when it is switched off or its year passes. */
function legend(map, entries) {
  var follow = null;  // the legend follows the year (the time control fires "nmyear") and the layer list
  var control = foldingControl(map, "legend", "bottomleft", function () {
    var root = el("section", "nm-control nm-legend");
    root.setAttribute("aria-label", t("Legend"));
    var heading = el("h2");
    var button = el("button", null, t("Legend"));
    heading.appendChild(button);
    root.appendChild(heading);
    var list = el("ul");
    entries.slice().reverse().forEach(function (entry) {
      var item = el("li");
      item.setAttribute("data-layer-id", entry.id);
      var head = el("span", "nm-legend-entry");  // the swatch and its label: one line, the label wraps beside it
      head.appendChild(legendSwatch(entry.layer.nmSpec));
      head.appendChild(el("span", null, layerText(entry.layer.nmSpec, "title")));
      item.appendChild(head);
      item.title = layerText(entry.layer.nmSpec, "description");
      if (entry.variants) item.appendChild(variantList(entry.layer, entry.variants));
      list.appendChild(item);
    });
    list.appendChild(uncertainDatesItem());
    var panel = el("div");
    if (follow) {  // the legend drawn again (a language switch): the old list's listeners go
      map.off("nmyear", follow);
      entries.forEach(function (entry) { entry.layer.off("add remove", follow); });
    }
    /* the entries of the year (or of the layers switched on) come and go: a legend grown or
       shrunk is laid out again with the panels above it (layout.js) */
    follow = function () {
      var before = list.offsetHeight;
      syncLegend(map, entries, list);
      if (!panel.hidden && list.offsetHeight !== before) arrange(map);
    };
    map.on("nmyear", follow);
    entries.forEach(function (entry) { entry.layer.on("add remove", follow); });
    syncLegend(map, entries, list);
    panel.tabIndex = 0;  // a long legend scrolls: the keyboard can reach and scroll it too
    panel.appendChild(list);
    root.appendChild(panel);
    return { root: root, button: button, panel: panel };
  });
  return control;
}
