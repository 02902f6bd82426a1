/* nerchinsk-map: Catalog layers: GeoJSON in their own panes, styles, and the symbol swatches.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
function featureStyle(spec, props) {
  var style = Object.assign({}, spec.style.base);
  var by = spec.style.by;
  if (by && props && Object.prototype.hasOwnProperty.call(by.values, props[by.property])) {
    Object.assign(style, by.values[props[by.property]]);
  }
  style.className = "nm-feature nm-layer-" + spec.id;
  return style;
}

/* A permanent label to the right of its feature, placed without a layout of the page: a label
   is one line whose height the CSS fixes (.nm-label: 15px, in every language), where Leaflet's
   own placement reads each label's size after adding it. */
var LABEL_HEIGHT = 15;
var Label = L.Tooltip.extend({
  _setPosition: function (pos) {
    pos = pos.subtract(L.point(0, LABEL_HEIGHT / 2, true)).add(L.point(this.options.offset)).add(this._getAnchor());
    L.DomUtil.addClass(this._container, "leaflet-tooltip-right");
    L.DomUtil.setPosition(this._container, pos);
  }
});

/* A catalog layer: GeoJSON drawn in its own pane, with an optional white casing beneath.
   ``data``: a GeoJSON object, or the id of its data block (layerData), read when the layer is
   built. A layer not drawn at the opening view (``spec.opening`` false: switched off, or no
   feature in the opening year) is built after the first frame of a two-step opening
   (OPENING in prepaint.js), before the controls that read it; so is one drawn at opening
   beneath the subject (``spec.beneath``), which the picture stands in for until then. */
function geoJsonLayer(map, data, spec) {
  var pane = "nm-pane-" + spec.id;
  if (!map.getPane(pane)) {
    map.createPane(pane);
    map.getPane(pane).style.zIndex = spec.z_index;
  }
  var group = L.featureGroup();
  group.nmSpec = spec;
  group.nmFeatures = [];
  LAYERS.push(group);
  var dated = [];
  /* Show only the features that existed in ``year`` (null: every feature). */
  group.nmSetYear = function (year) {
    dated.forEach(function (d) {
      var show = year === null || ((d.start === null || d.start <= year) && (d.end === null || year <= d.end));
      var has = d.parent.hasLayer(d.layer);
      if (show && !has) d.parent.addLayer(d.layer);
      if (!show && has) d.parent.removeLayer(d.layer);
    });
    group.nmYear = year;
    DATES.apply(group, year, I18N.lang);  // a year the sources disagree on: drawn as uncertain
  };
  /* Labels in the current language (after a language switch). */
  group.nmRelabel = function () {
    dated.forEach(function (d) {
      if (d.layer.getTooltip && d.layer.getTooltip()) {
        d.layer.setTooltipContent(el("span", null, nameIn(d.layer.feature.properties, I18N.lang)));
      }
    });
    if (group.nmYear !== undefined) DATES.apply(group, group.nmYear, I18N.lang);  // the "(?)" marks
  };
  function build() {
    var on = map.hasLayer(group);  // a layer built late is taken off the map while it is built
    if (on) map.removeLayer(group);
    buildFeatures(map, typeof data === "string" ? layerData(data) : data, spec, group, pane, dated);
    /* The opening year (or the one set before the layer was built), applied before the group is
       on the map: paths of other years are never drawn (the time control would remove them). */
    var year = group.nmYear !== undefined ? group.nmYear : spec.year;
    if (year !== undefined && year !== null) group.nmSetYear(year);
    if (on) map.addLayer(group);
    pictureLive(spec.id);  // prepaint.js: its group of the picture, if in the map, is hidden
  }
  if (!OPENING.queue) build();
  else if (spec.opening === false) OPENING.builds.push(build);
  // the picture stands in for it meanwhile; built top down (layers come in drawing order): a
  // live layer covers the whole picture, so none may be drawn below one still pictured
  else if (spec.beneath) OPENING.beneath.unshift(build);
  else build();
  return group;
}

/* The features of a catalog layer (geoJsonLayer), into ``group``, each remembered in ``dated``
   with its years. */
function buildFeatures(map, data, spec, group, pane, dated) {
  function remember(geo) {
    geo.eachLayer(function (layer) {
      var p = layer.feature.properties;
      var start = yearOf(p.start_date), end = yearOf(p.end_date);
      if (end === null && start !== null && spec.show_years) end = start + spec.show_years;  // events
      dated.push({ layer: layer, parent: geo, start: start, end: end });
    });
    return geo;
  }
  if (spec.style.casing) {
    remember(L.geoJSON(data, {
      pane: pane,
      interactive: false,
      style: function (f) {
        var s = featureStyle(spec, f.properties);
        return Object.assign({}, s, spec.style.casing, { className: "nm-casing nm-casing-" + spec.id, dashArray: null });
      }
    })).addTo(group);
  }
  remember(L.geoJSON(data, {
    pane: pane,
    interactive: spec.interactive !== false,
    style: function (f) { return featureStyle(spec, f.properties); },
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, Object.assign({ pane: pane }, featureStyle(spec, f.properties)));
    },
    onEachFeature: function (f, layer) {
      if (spec.interactive === false) return;
      layer.bindPopup(function () {
        var box = popupContent(spec, f.properties);
        alsoHere(map, layer, box);  // the lines beneath a point, or along a line
        return box;
      }, { maxWidth: 380, maxHeight: 440 });
      layer.on("preclick", function (e) { fitPopup(map, layer.getPopup(), e.latlng); });
      if (spec.label && f.properties.label !== false) {
        var label = el("span", null, nameIn(f.properties, I18N.lang));
        layer.bindTooltip(new Label({ permanent: true, direction: "right", offset: [6, 0], className: "nm-label", pane: "tooltipPane" }, layer).setContent(label));
      } else {  // a hover name, made on the first hover (a phone never hovers)
        layer.once("mouseover", function (e) {
          layer.bindTooltip(el("span", null, nameIn(f.properties, I18N.lang)), { sticky: true, className: "nm-hover" });
          layer.openTooltip(e.latlng);
        });
      }
    }
  })).addTo(group);
  group.nmFeatures = dated.filter(function (d) { return d.layer.getPopup && d.layer.getPopup(); });
}

/* A small SVG swatch that draws a layer's symbol for the control and the legend. */
function swatch(spec, style) {
  var ns = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "28");
  svg.setAttribute("height", "14");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "nm-swatch");
  var s = style || spec.style.base;
  var shape;
  if (spec.geometry === "point") {
    shape = document.createElementNS(ns, "circle");
    shape.setAttribute("cx", "14"); shape.setAttribute("cy", "7"); shape.setAttribute("r", "5");
  } else if (spec.geometry === "polygon") {
    shape = document.createElementNS(ns, "rect");
    shape.setAttribute("x", "2"); shape.setAttribute("y", "1"); shape.setAttribute("width", "24"); shape.setAttribute("height", "12");
  } else {
    if (spec.style.casing) {
      var casing = document.createElementNS(ns, "line");
      casing.setAttribute("x1", "1"); casing.setAttribute("y1", "7"); casing.setAttribute("x2", "27"); casing.setAttribute("y2", "7");
      casing.setAttribute("stroke", spec.style.casing.color);
      casing.setAttribute("stroke-width", String(Math.min(spec.style.casing.weight, 9)));
      svg.appendChild(casing);
    }
    shape = document.createElementNS(ns, "line");
    shape.setAttribute("x1", "1"); shape.setAttribute("y1", "7"); shape.setAttribute("x2", "27"); shape.setAttribute("y2", "7");
  }
  shape.setAttribute("stroke", s.color || "#333");
  shape.setAttribute("stroke-width", String(Math.min(s.weight || 1, 6)));
  if (s.dashArray) shape.setAttribute("stroke-dasharray", s.dashArray);
  if (spec.geometry === "line") {
    shape.setAttribute("fill", "none");
  } else {
    shape.setAttribute("fill", s.fillColor || s.color || "#333");
    shape.setAttribute("fill-opacity", String(s.fillOpacity === undefined ? 0.2 : Math.max(s.fillOpacity, 0.25)));
  }
  svg.appendChild(shape);
  return svg;
}
