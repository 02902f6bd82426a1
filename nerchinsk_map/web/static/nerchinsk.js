/* nerchinsk-map: the page's own small library (layers, popups, layer control, legend).
 * Every text that comes from data is put in the page with textContent, never as HTML. */
(function (global) {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function isBlank(value) {
    return value === undefined || value === null || value === "";
  }

  function dateRange(props) {
    var start = props.start_date, end = props.end_date;
    if (isBlank(start) && isBlank(end)) return null;
    if (isBlank(end)) return "from " + start;
    if (isBlank(start)) return "until " + end;
    return start + " – " + end;
  }

  function featureStyle(spec, props) {
    var style = Object.assign({}, spec.style.base);
    var by = spec.style.by;
    if (by && props && Object.prototype.hasOwnProperty.call(by.values, props[by.property])) {
      Object.assign(style, by.values[props[by.property]]);
    }
    style.className = "nm-feature nm-layer-" + spec.id;
    return style;
  }

  /* Popup: name, other-language names, the layer's chosen fields, then provenance. */
  function popupContent(spec, props) {
    var box = el("div", "nm-popup");
    box.setAttribute("data-layer", spec.id);
    box.appendChild(el("h3", "nm-popup-title", props.name));
    var alt = [props.name_ru, props.name_zh].filter(function (v) { return !isBlank(v); });
    if (alt.length) box.appendChild(el("p", "nm-popup-names", alt.join(" · ")));
    if (!isBlank(props.name_historical)) {
      box.appendChild(el("p", "nm-popup-historical", "Historical: " + props.name_historical));
    }
    var table = el("table", "nm-popup-table");
    function row(label, value) {
      if (isBlank(value)) return;
      var tr = el("tr");
      tr.appendChild(el("th", null, label));
      tr.appendChild(el("td", null, value));
      table.appendChild(tr);
    }
    (spec.popup || []).forEach(function (field) {
      var value = props[field[0]];
      if (typeof value === "number") value = value.toLocaleString("en") + (field[2] || "");
      row(field[1], value);
    });
    row("Dates", dateRange(props));
    row("Certainty", props.certainty);
    if (!isBlank(props.precision_km)) row("Precision", "± " + props.precision_km + " km");
    row("Method", props.method);
    row("Source", props.source);
    box.appendChild(table);
    return box;
  }

  /* A catalog layer: GeoJSON drawn in its own pane, with an optional white casing beneath. */
  function geoJsonLayer(map, data, spec) {
    var pane = "nm-pane-" + spec.id;
    if (!map.getPane(pane)) {
      map.createPane(pane);
      map.getPane(pane).style.zIndex = spec.z_index;
    }
    var group = L.featureGroup();
    if (spec.style.casing) {
      L.geoJSON(data, {
        pane: pane,
        interactive: false,
        style: function (f) {
          var s = featureStyle(spec, f.properties);
          return Object.assign({}, s, spec.style.casing, { className: "nm-casing", dashArray: null });
        }
      }).addTo(group);
    }
    L.geoJSON(data, {
      pane: pane,
      interactive: spec.interactive !== false,
      style: function (f) { return featureStyle(spec, f.properties); },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, Object.assign({ pane: pane }, featureStyle(spec, f.properties)));
      },
      onEachFeature: function (f, layer) {
        if (spec.interactive === false) return;
        layer.bindPopup(function () { return popupContent(spec, f.properties); }, { maxWidth: 360 });
        var label = el("span", null, f.properties.name);
        if (spec.label && f.properties.label !== false) {
          layer.bindTooltip(label, { permanent: true, direction: "right", offset: [6, 0], className: "nm-label", pane: "tooltipPane" });
        } else {
          layer.bindTooltip(label, { sticky: true, className: "nm-hover" });
        }
      }
    }).addTo(group);
    group.nmSpec = spec;
    return group;
  }

  /* A small SVG swatch that draws a layer's symbol for the control and the legend. */
  function swatch(spec) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "14");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "nm-swatch");
    var s = spec.style.base;
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

  /* Layer control with groups: base maps as radio buttons, overlays as checkboxes by group. */
  function layerControl(map, config) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var root = el("section", "nm-control nm-layers leaflet-bar");
      root.setAttribute("aria-label", "Layers");
      var toggle = el("button", "nm-toggle", "Layers");
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "true");
      var panel = el("div", "nm-panel");
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        panel.hidden = !open;
      });
      root.appendChild(toggle);
      root.appendChild(panel);

      var bases = el("fieldset", "nm-group");
      bases.appendChild(el("legend", null, "Base map"));
      config.bases.forEach(function (base, i) {
        var label = el("label", "nm-entry");
        var input = el("input");
        input.type = "radio";
        input.name = "nm-base";
        input.value = base.id;
        input.setAttribute("data-base-id", base.id);
        input.checked = i === 0;
        input.addEventListener("change", function () {
          config.bases.forEach(function (other) {
            if (other.layer && map.hasLayer(other.layer)) map.removeLayer(other.layer);
          });
          if (base.layer) base.layer.addTo(map);
        });
        label.appendChild(input);
        label.appendChild(el("span", null, base.title));
        bases.appendChild(label);
      });
      panel.appendChild(bases);

      config.groups.forEach(function (group) {
        var fs = el("fieldset", "nm-group");
        fs.appendChild(el("legend", null, group.title));
        group.layers.forEach(function (entry) {
          var label = el("label", "nm-entry");
          var input = el("input");
          input.type = "checkbox";
          input.checked = map.hasLayer(entry.layer);
          input.setAttribute("data-layer-id", entry.id);
          input.addEventListener("change", function () {
            if (input.checked) entry.layer.addTo(map); else map.removeLayer(entry.layer);
          });
          label.appendChild(input);
          label.appendChild(swatch(entry.layer.nmSpec));
          label.appendChild(el("span", null, entry.title));
          fs.appendChild(label);
        });
        panel.appendChild(fs);
      });
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      return root;
    };
    control.addTo(map);
    return control;
  }

  /* Legend: the symbol of every overlay; layers switched off are dimmed. */
  function legend(map, entries) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var root = el("section", "nm-control nm-legend");
      root.setAttribute("aria-label", "Legend");
      root.appendChild(el("h2", null, "Legend"));
      var list = el("ul");
      entries.forEach(function (entry) {
        var item = el("li");
        item.setAttribute("data-layer-id", entry.id);
        item.appendChild(swatch(entry.layer.nmSpec));
        item.appendChild(el("span", null, entry.title));
        list.appendChild(item);
        function sync() { item.classList.toggle("nm-off", !map.hasLayer(entry.layer)); }
        entry.layer.on("add remove", sync);
        sync();
      });
      root.appendChild(list);
      L.DomEvent.disableClickPropagation(root);
      return root;
    };
    control.addTo(map);
    return control;
  }

  function titleBox(map, title, subtitle) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var root = el("header", "nm-control nm-title");
      root.appendChild(el("h1", null, title));
      if (subtitle) root.appendChild(el("p", null, subtitle));
      L.DomEvent.disableClickPropagation(root);
      return root;
    };
    control.addTo(map);
    return control;
  }

  global.NerchinskMap = {
    geoJsonLayer: geoJsonLayer,
    layerControl: layerControl,
    legend: legend,
    titleBox: titleBox,
    popupContent: popupContent
  };
})(window);
