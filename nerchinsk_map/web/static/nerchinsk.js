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

  /* The year of an ISO 8601 date ("1651", "1653-11", "1689-09-07"); null when unknown. */
  function yearOf(date) {
    if (isBlank(date)) return null;
    var m = /^(-?\d{1,4})/.exec(String(date));
    return m ? parseInt(m[1], 10) : null;
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
    var dated = [];
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
        // keep popups clear of the title box and the controls at the top of the map
        layer.bindPopup(function () { return popupContent(spec, f.properties); },
          { maxWidth: 360, autoPanPaddingTopLeft: [20, 210], autoPanPaddingBottomRight: [20, 20] });
        var label = el("span", null, f.properties.name);
        if (spec.label && f.properties.label !== false) {
          layer.bindTooltip(label, { permanent: true, direction: "right", offset: [6, 0], className: "nm-label", pane: "tooltipPane" });
        } else {
          layer.bindTooltip(label, { sticky: true, className: "nm-hover" });
        }
      }
    })).addTo(group);
    group.nmSpec = spec;
    /* Show only the features that existed in ``year`` (null: every feature). */
    group.nmSetYear = function (year) {
      dated.forEach(function (d) {
        var show = year === null || ((d.start === null || d.start <= year) && (d.end === null || year <= d.end));
        var has = d.parent.hasLayer(d.layer);
        if (show && !has) d.parent.addLayer(d.layer);
        if (!show && has) d.parent.removeLayer(d.layer);
      });
    };
    /* The opening year, applied before the group is on the map: paths of other years are
       never drawn (the time control would remove them right after). */
    if (spec.year !== undefined && spec.year !== null) group.nmSetYear(spec.year);
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

  /* Time control: a year slider with play/pause, jumps to key years, and "all years". */
  function timeControl(map, layers, options) {
    var control = L.control({ position: "bottomright" });
    var state = { year: options.start, all: !!options.all, timer: null };
    var slider, output, playButton, allBox;

    function apply() {
      var year = state.all ? null : state.year;
      layers.forEach(function (layer) { layer.nmSetYear(year); });
      slider.value = String(state.year);
      slider.disabled = state.all;
      output.textContent = state.all ? "all years" : String(state.year);
      slider.setAttribute("aria-valuetext", output.textContent);
      map.getContainer().setAttribute("data-year", state.all ? "all" : String(state.year));
    }
    function stop() {
      if (state.timer) { clearInterval(state.timer); state.timer = null; }
      playButton.textContent = "▶ Play";
      playButton.setAttribute("aria-pressed", "false");
    }
    function play() {
      if (state.all) { state.all = false; allBox.checked = false; }
      if (state.year >= options.max) state.year = options.min;
      playButton.textContent = "❚❚ Pause";
      playButton.setAttribute("aria-pressed", "true");
      state.timer = setInterval(function () {
        state.year = Math.min(options.max, state.year + (options.step || 1));
        apply();
        if (state.year >= options.max) stop();
      }, options.interval_ms || 120);
    }

    control.onAdd = function () {
      var root = el("section", "nm-control nm-time");
      root.setAttribute("aria-label", "Time");
      var head = el("div", "nm-time-head");
      var label = el("label", null, "Year ");
      label.setAttribute("for", "nm-year");
      output = el("output", "nm-year-value");
      output.setAttribute("for", "nm-year");
      output.setAttribute("aria-live", "polite");
      label.appendChild(output);
      head.appendChild(label);
      playButton = el("button", "nm-play", "▶ Play");
      playButton.type = "button";
      playButton.setAttribute("aria-pressed", "false");
      playButton.addEventListener("click", function () { if (state.timer) stop(); else play(); });
      head.appendChild(playButton);
      var allLabel = el("label", "nm-all");
      allBox = el("input");
      allBox.type = "checkbox";
      allBox.className = "nm-all-years";
      allBox.checked = state.all;
      allBox.addEventListener("change", function () { stop(); state.all = allBox.checked; apply(); });
      allLabel.appendChild(allBox);
      allLabel.appendChild(el("span", null, "All years"));
      head.appendChild(allLabel);
      root.appendChild(head);

      slider = el("input", "nm-year");
      slider.id = "nm-year";
      slider.type = "range";
      slider.min = String(options.min);
      slider.max = String(options.max);
      slider.step = String(options.step || 1);
      slider.setAttribute("aria-label", "Year");
      slider.addEventListener("input", function () { stop(); state.year = parseInt(slider.value, 10); apply(); });
      root.appendChild(slider);

      var marks = el("div", "nm-marks");
      (options.marks || []).forEach(function (mark) {
        var b = el("button", "nm-mark", mark.year);
        b.type = "button";
        b.title = mark.label;
        b.setAttribute("aria-label", mark.year + ": " + mark.label);
        b.setAttribute("data-year", mark.year);
        b.addEventListener("click", function () { stop(); state.all = false; allBox.checked = false; state.year = mark.year; apply(); });
        marks.appendChild(b);
      });
      root.appendChild(marks);
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      return root;
    };
    control.addTo(map);
    apply();
    /* For scripts and tests: set the year (or null for all years). */
    control.setYear = function (year) {
      stop();
      state.all = year === null;
      allBox.checked = state.all;
      if (year !== null) state.year = year;
      apply();
    };
    map.nmTime = control;
    return control;
  }

  function titleBox(map, title, subtitle) {
    // the map is the page's main content: a named landmark for screen readers
    map.getContainer().setAttribute("role", "main");
    map.getContainer().setAttribute("aria-label", title);
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var root = el("div", "nm-control nm-title");
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
    timeControl: timeControl,
    yearOf: yearOf,
    popupContent: popupContent
  };
})(window);
