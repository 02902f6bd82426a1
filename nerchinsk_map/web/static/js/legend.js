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

/* Is a feature of the layer drawn in the present year (and which variant keys)? */
function drawnKeys(layer, property) {
  var keys = {}, any = false;
  layer.nmFeatures.forEach(function (d) {
    if (!d.parent.hasLayer(d.layer)) return;
    any = true;
    if (property) keys[String(d.layer.feature.properties[property])] = true;
  });
  return { any: any, keys: keys };
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

/* Show the entries (and variant rows) of what is drawn in the present year; hide the rest. */
function syncLegend(map, entries, list) {
  entries.forEach(function (entry) {
    var item = list.querySelector("li[data-layer-id='" + entry.id + "']");
    if (!item) return;
    var drawn = drawnKeys(entry.layer, entry.variants && entry.variants.property);
    item.hidden = !drawn.any;
    item.querySelectorAll(".nm-variants > li").forEach(function (row) {
      row.hidden = !drawn.keys[row.getAttribute("data-variant")];
    });
  });
}

/* The row that explains how a feature is drawn in a year its sources disagree on (DATES):
   pale and dashed, its label marked (?); shown when some feature's dates are uncertain. */
function uncertainDatesItem(entries) {
  var uncertain = entries.some(function (entry) {
    return entry.layer.nmFeatures.some(function (d) {
      var s = d.layer.feature.properties.date_span;
      return s && (s[0] !== s[1] || s[2] !== s[3]);
    });
  });
  var item = el("li", "nm-uncertain-dates");
  if (!uncertain) { item.hidden = true; return item; }
  var pale = { color: "#5b4636", fillColor: "#e8a33d", fillOpacity: 0.9, weight: 2, dashArray: DATES.perhapsStyle.dashArray };
  var svg = swatch({ geometry: "point", style: { base: pale } }, pale);
  svg.lastChild.setAttribute("stroke-opacity", String(DATES.perhapsStyle.fade));
  svg.lastChild.setAttribute("fill-opacity", String(0.9 * DATES.perhapsStyle.fade));
  item.appendChild(svg);
  item.appendChild(el("span", null, t(DATES.legend)));
  return item;
}

/* Legend: the symbol of every overlay; layers switched off are dimmed. */
function legend(map, entries) {
  var yearSync = null;  // entries follow the year (the time control fires "nmyear")
  var control = foldingControl(map, "legend", "bottomleft", function () {
    var root = el("section", "nm-control nm-legend");
    root.setAttribute("aria-label", t("Legend"));
    var heading = el("h2");
    var button = el("button", null, t("Legend"));
    heading.appendChild(button);
    root.appendChild(heading);
    var list = el("ul");
    entries.forEach(function (entry) {
      var item = el("li");
      item.setAttribute("data-layer-id", entry.id);
      var head = el("span", "nm-legend-entry");  // the swatch and its label: one line, the label wraps beside it
      head.appendChild(legendSwatch(entry.layer.nmSpec));
      head.appendChild(el("span", null, layerText(entry.layer.nmSpec, "title")));
      item.appendChild(head);
      item.title = layerText(entry.layer.nmSpec, "description");
      if (entry.variants) item.appendChild(variantList(entry.layer, entry.variants));
      list.appendChild(item);
      function sync() { item.classList.toggle("nm-off", !map.hasLayer(entry.layer)); }
      if (entry.nmSync) entry.layer.off("add remove", entry.nmSync);
      entry.nmSync = sync;
      entry.layer.on("add remove", sync);
      sync();
    });
    list.appendChild(uncertainDatesItem(entries));
    syncLegend(map, entries, list);
    if (yearSync) map.off("nmyear", yearSync);  // the legend drawn again (a language switch)
    yearSync = function () { syncLegend(map, entries, list); };
    map.on("nmyear", yearSync);
    var panel = el("div");
    panel.tabIndex = 0;  // a long legend scrolls: the keyboard can reach and scroll it too
    panel.appendChild(list);
    root.appendChild(panel);
    return { root: root, button: button, panel: panel };
  });
  return control;
}
