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

  /* Languages: the page's words come from one message catalog (messages.json), keyed by the
     English text; feature names from name / name_ru / name_zh. */
  var I18N = { lang: "en", messages: {}, texts: {}, languages: { en: "English" } };
  var CODES = { en: "en", ru: "ru", zh: "zh-Hans" };  // for lang attributes

  function t(text) {
    var table = I18N.messages[I18N.lang] || {};
    return Object.prototype.hasOwnProperty.call(table, text) ? table[text] : text;
  }

  /* A text from the data (a role, a note, a method, a source) in the reader's language, from
     the layers' translation files; untranslated text stays English and says so (lang="en"). */
  function dataText(text) {
    var table = I18N.texts[I18N.lang] || {};
    if (I18N.lang !== "en" && Object.prototype.hasOwnProperty.call(table, text)) {
      return { text: table[text], lang: null };
    }
    return { text: text, lang: I18N.lang === "en" ? null : "en" };
  }

  /* A node holding a data text in the reader's language (or in English, marked as such). */
  function dataNode(tag, className, text) {
    var found = dataText(text);
    var node = el(tag, className, found.text);
    if (found.lang) {
      node.lang = found.lang;
      node.classList.add("nm-untranslated");
    }
    return node;
  }

  /* Numbers in the reader's conventions (1,234.5 / 1 234,5 / 1,234.5). */
  function number(value) {
    return value.toLocaleString(CODES[I18N.lang] || "en");
  }

  function nameIn(props, lang) {
    var own = lang === "en" ? props.name : props["name_" + lang];
    return isBlank(own) ? props.name : own;
  }

  /* A layer's title or description in the current language, from the catalog's i18n entry. */
  function layerText(spec, key) {
    var own = spec.i18n && spec.i18n[I18N.lang] && spec.i18n[I18N.lang][key];
    return own || spec[key] || "";
  }

  function langFromHash() {
    var m = /(?:^#|&)lang=([a-z]{2})/.exec(global.location.hash || "");
    return m && I18N.languages[m[1]] ? m[1] : null;
  }

  function dateRange(props) {
    var start = props.start_date, end = props.end_date;
    if (isBlank(start) && isBlank(end)) return null;
    if (isBlank(end)) return t("from") + " " + start;
    if (isBlank(start)) return t("until") + " " + end;
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

  /* The treaty's own words for a segment, version by version, each in its language. */
  function treatyTexts(texts) {
    var section = el("section", "nm-texts");
    section.appendChild(el("h4", null, t("In the treaty's texts")));
    texts.forEach(function (entry) {
      var p = el("p");
      p.appendChild(el("b", null, t(entry.language) + " (" + t(entry.kind) + "): "));
      var ours = entry.kind === "paraphrase" && entry.lang === "en";  // the project's English: translated
      var words = ours ? dataNode("span", null, entry.text) : el(entry.kind === "paraphrase" ? "span" : "q", null, entry.text);
      if (!ours) words.lang = entry.lang;
      p.appendChild(words);
      if (entry.translation) {
        p.appendChild(document.createTextNode(" — "));
        p.appendChild(dataNode("span", "nm-translation", entry.translation));
      }
      p.appendChild(document.createTextNode(" ["));
      p.appendChild(dataNode("span", "nm-text-source", entry.source));
      p.appendChild(document.createTextNode("]"));
      section.appendChild(p);
    });
    return section;
  }

  /* Popup: name, other-language names, the layer's chosen fields, then provenance. */
  function popupContent(spec, props) {
    var box = el("div", "nm-popup");
    box.setAttribute("data-layer", spec.id);
    var title = el("h3", "nm-popup-title", nameIn(props, I18N.lang));
    box.appendChild(title);
    var others = el("p", "nm-popup-names");
    ["en", "ru", "zh"].forEach(function (lang) {
      var name = lang === "en" ? props.name : props["name_" + lang];
      if (lang === I18N.lang || isBlank(name) || name === title.textContent) return;
      if (others.childNodes.length) others.appendChild(document.createTextNode(" · "));
      var span = el("span", null, name);
      span.lang = CODES[lang];
      others.appendChild(span);
    });
    if (others.childNodes.length) box.appendChild(others);
    if (!isBlank(props.name_zh_note)) {
      var note = el("p", "nm-popup-name-note", t("Chinese name") + ": ");
      note.appendChild(dataNode("span", null, props.name_zh_note));
      box.appendChild(note);
    }
    if (!isBlank(props.name_historical)) {
      var historical = el("p", "nm-popup-historical", t("Historical") + ": ");
      historical.appendChild(dataNode("span", null, props.name_historical));
      box.appendChild(historical);
    }
    if (Array.isArray(props.texts) && props.texts.length) box.appendChild(treatyTexts(props.texts));
    var table = el("table", "nm-popup-table");
    function row(label, value, fromData) {
      if (isBlank(value)) return;
      var tr = el("tr");
      tr.appendChild(el("th", null, t(label)));
      tr.appendChild(fromData ? dataNode("td", null, String(value)) : el("td", null, value));
      table.appendChild(tr);
    }
    (spec.popup || []).forEach(function (field) {
      var value = props[field[0]];
      if (typeof value === "number") row(field[1], number(value) + t(field[2] || ""));
      else row(field[1], value, typeof value === "string");
    });
    row("Dates", dateRange(props));
    row("Certainty", isBlank(props.certainty) ? null : t(props.certainty));
    if (!isBlank(props.precision_km)) row("Precision", "± " + number(props.precision_km) + t(" km"));
    row("Method", props.method, true);
    row("Source", props.source, true);
    box.appendChild(table);
    return box;
  }

  /* Size and place a popup in the room the controls leave: below the title box and above the
     legend and the time control where they stand over the popup's column (Leaflet pans the map
     to fit the popup before it opens). */
  function fitPopup(map, popup, latlng) {
    if (!popup || !latlng) return;
    var box = map.getContainer().getBoundingClientRect();
    var x = map.latLngToContainerPoint(latlng).x + box.left;
    var half = (popup.options.maxWidth || 380) / 2 + 30;
    var top = 20, bottom = 20;
    function over(c) { var r = c.getBoundingClientRect(); return r.right > x - half && r.left < x + half; }
    map.getContainer().querySelectorAll(".leaflet-top .leaflet-control").forEach(function (c) {
      if (over(c)) top = Math.max(top, c.getBoundingClientRect().bottom - box.top + 10);
    });
    map.getContainer().querySelectorAll(".leaflet-bottom .leaflet-control").forEach(function (c) {
      if (over(c)) bottom = Math.max(bottom, box.bottom - c.getBoundingClientRect().top + 10);
    });
    popup.options.autoPanPaddingTopLeft = [20, top];
    popup.options.autoPanPaddingBottomRight = [20, bottom];
    popup.options.maxHeight = Math.max(160, Math.min(440, box.height - top - bottom - 60));
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
        layer.bindPopup(function () { return popupContent(spec, f.properties); }, { maxWidth: 380, maxHeight: 440 });
        layer.on("preclick", function (e) { fitPopup(map, layer.getPopup(), e.latlng); });
        var label = el("span", null, nameIn(f.properties, I18N.lang));
        if (spec.label && f.properties.label !== false) {
          layer.bindTooltip(label, { permanent: true, direction: "right", offset: [6, 0], className: "nm-label", pane: "tooltipPane" });
        } else {
          layer.bindTooltip(label, { sticky: true, className: "nm-hover" });
        }
      }
    })).addTo(group);
    group.nmSpec = spec;
    group.nmFeatures = dated.filter(function (d) { return d.layer.getPopup && d.layer.getPopup(); });
    /* Labels in the current language (after a language switch). */
    group.nmRelabel = function () {
      dated.forEach(function (d) {
        if (d.layer.getTooltip && d.layer.getTooltip()) {
          d.layer.setTooltipContent(el("span", null, nameIn(d.layer.feature.properties, I18N.lang)));
        }
      });
    };
    LAYERS.push(group);
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

  var LAYERS = [];    // every catalog layer, for relabelling
  var CONTROLS = [];  // every control, rebuilt in the new language on a switch

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
      root.setAttribute("aria-label", t("Layers"));
      var toggle = el("button", "nm-toggle", t("Layers"));
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
      bases.appendChild(el("legend", null, t("Base map")));
      config.bases.forEach(function (base, i) {
        var label = el("label", "nm-entry");
        var input = el("input");
        input.type = "radio";
        input.name = "nm-base";
        input.value = base.id;
        input.setAttribute("data-base-id", base.id);
        input.checked = base.layer ? map.hasLayer(base.layer) : !config.bases.some(function (b) { return b.layer && map.hasLayer(b.layer); });
        input.addEventListener("change", function () {
          config.bases.forEach(function (other) {
            if (other.layer && map.hasLayer(other.layer)) map.removeLayer(other.layer);
          });
          if (base.layer) base.layer.addTo(map);
        });
        label.appendChild(input);
        label.appendChild(el("span", null, t(base.title)));
        bases.appendChild(label);
      });
      panel.appendChild(bases);

      config.groups.forEach(function (group) {
        var fs = el("fieldset", "nm-group");
        fs.appendChild(el("legend", null, t(group.title)));
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
          label.appendChild(el("span", null, layerText(entry.layer.nmSpec, "title")));
          label.title = layerText(entry.layer.nmSpec, "description");
          fs.appendChild(label);
        });
        panel.appendChild(fs);
      });
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      return root;
    };
    control.addTo(map);
    CONTROLS.push(control);
    return control;
  }

  /* Legend: the symbol of every overlay; layers switched off are dimmed. */
  function legend(map, entries) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var root = el("section", "nm-control nm-legend");
      root.setAttribute("aria-label", t("Legend"));
      root.appendChild(el("h2", null, t("Legend")));
      var list = el("ul");
      entries.forEach(function (entry) {
        var item = el("li");
        item.setAttribute("data-layer-id", entry.id);
        item.appendChild(swatch(entry.layer.nmSpec));
        item.appendChild(el("span", null, layerText(entry.layer.nmSpec, "title")));
        item.title = layerText(entry.layer.nmSpec, "description");
        list.appendChild(item);
        function sync() { item.classList.toggle("nm-off", !map.hasLayer(entry.layer)); }
        if (entry.nmSync) entry.layer.off("add remove", entry.nmSync);
        entry.nmSync = sync;
        entry.layer.on("add remove", sync);
        sync();
      });
      root.appendChild(list);
      L.DomEvent.disableClickPropagation(root);
      return root;
    };
    control.addTo(map);
    CONTROLS.push(control);
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
      output.textContent = state.all ? t("all years") : String(state.year);
      slider.setAttribute("aria-valuetext", output.textContent);
      map.getContainer().setAttribute("data-year", state.all ? "all" : String(state.year));
    }
    function stop() {
      if (state.timer) { clearInterval(state.timer); state.timer = null; }
      playButton.textContent = t("▶ Play");
      playButton.setAttribute("aria-pressed", "false");
    }
    function play() {
      if (state.all) { state.all = false; allBox.checked = false; }
      if (state.year >= options.max) state.year = options.min;
      playButton.textContent = t("❚❚ Pause");
      playButton.setAttribute("aria-pressed", "true");
      state.timer = setInterval(function () {
        state.year = Math.min(options.max, state.year + (options.step || 1));
        apply();
        if (state.year >= options.max) stop();
      }, options.interval_ms || 120);
    }

    control.onAdd = function () {
      var root = el("section", "nm-control nm-time");
      root.setAttribute("aria-label", t("Time"));
      var head = el("div", "nm-time-head");
      var label = el("label", null, t("Year") + " ");
      label.setAttribute("for", "nm-year");
      output = el("output", "nm-year-value");
      output.setAttribute("for", "nm-year");
      output.setAttribute("aria-live", "polite");
      label.appendChild(output);
      head.appendChild(label);
      playButton = el("button", "nm-play", state.timer ? t("❚❚ Pause") : t("▶ Play"));
      playButton.type = "button";
      playButton.setAttribute("aria-pressed", state.timer ? "true" : "false");
      playButton.addEventListener("click", function () { if (state.timer) stop(); else play(); });
      head.appendChild(playButton);
      var allLabel = el("label", "nm-all");
      allBox = el("input");
      allBox.type = "checkbox";
      allBox.className = "nm-all-years";
      allBox.checked = state.all;
      allBox.addEventListener("change", function () { stop(); state.all = allBox.checked; apply(); });
      allLabel.appendChild(allBox);
      allLabel.appendChild(el("span", null, t("All years")));
      head.appendChild(allLabel);
      root.appendChild(head);

      slider = el("input", "nm-year");
      slider.id = "nm-year";
      slider.type = "range";
      slider.min = String(options.min);
      slider.max = String(options.max);
      slider.step = String(options.step || 1);
      slider.setAttribute("aria-label", t("Year"));
      slider.addEventListener("input", function () { stop(); state.year = parseInt(slider.value, 10); apply(); });
      root.appendChild(slider);

      var marks = el("div", "nm-marks");
      (options.marks || []).forEach(function (mark) {
        var b = el("button", "nm-mark", mark.year);
        b.type = "button";
        b.title = t(mark.label);
        b.setAttribute("aria-label", mark.year + ": " + t(mark.label));
        b.setAttribute("data-year", mark.year);
        b.addEventListener("click", function () { stop(); state.all = false; allBox.checked = false; state.year = mark.year; apply(); });
        marks.appendChild(b);
      });
      root.appendChild(marks);
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      setTimeout(apply, 0);  // once the control is in the page (also after a language switch)
      return root;
    };
    control.addTo(map);
    CONTROLS.push(control);
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

  /* Set up the languages before any control is drawn: the catalog of messages, the default
     language, and the one asked for in the URL (#lang=ru). */
  function setupLanguages(map, catalog, defaultLang, texts) {
    I18N.messages = catalog;
    I18N.texts = texts || {};
    I18N.languages = catalog.languages || I18N.languages;
    I18N.lang = langFromHash() || defaultLang || "en";
    document.documentElement.lang = CODES[I18N.lang];
    global.addEventListener("hashchange", function () {
      var lang = langFromHash();
      if (lang && lang !== I18N.lang) setLanguage(map, lang);
    });
  }

  /* Switch every word of the page: controls are rebuilt, labels and popups follow. */
  function setLanguage(map, lang) {
    if (!I18N.languages[lang]) return;
    swapCredits(map, function () { I18N.lang = lang; });
    document.documentElement.lang = CODES[lang];
    if (global.history && global.history.replaceState) {
      global.history.replaceState(null, "", "#lang=" + lang);
    }
    map.closePopup();
    LAYERS.forEach(function (layer) { layer.nmRelabel(); });
    var active = document.activeElement && document.activeElement.getAttribute("data-lang");
    CONTROLS.forEach(function (control) { control.remove(); control.addTo(map); });
    if (active) {
      var again = document.querySelector(".nm-lang button[data-lang='" + active + "']");
      if (again) again.focus();
    }
  }

  /* The text alternative to the map: every labelled place as a list, each a button that shows
     it on the map and opens its popup (keyboard and screen-reader users start here). */
  function placesList(map) {
    var box = el("details", "nm-places");
    box.appendChild(el("summary", null, t("Places as a list")));
    var list = el("ul");
    LAYERS.filter(function (layer) { return layer.nmSpec.label; }).forEach(function (layer) {
      layer.nmFeatures.forEach(function (d) {
        var props = d.layer.feature.properties;
        var item = el("li");
        var button = el("button", null, nameIn(props, I18N.lang));
        button.type = "button";
        button.setAttribute("data-feature-id", props.id);
        button.addEventListener("click", function () {
          if (!d.parent.hasLayer(d.layer) && map.nmTime) map.nmTime.setYear(null);  // another year: show all
          if (!map.hasLayer(layer)) layer.addTo(map);
          map.setView(d.layer.getLatLng ? d.layer.getLatLng() : d.layer.getBounds().getCenter(), Math.max(map.getZoom(), 6));
          fitPopup(map, d.layer.getPopup(), d.layer.getLatLng ? d.layer.getLatLng() : d.layer.getCenter());
          d.layer.openPopup();
          var popup = document.querySelector(".leaflet-popup-content .nm-popup");
          if (popup) { popup.setAttribute("tabindex", "-1"); popup.focus(); }
        });
        item.appendChild(button);
        var when = dateRange(props);
        if (when) item.appendChild(el("span", "nm-places-when", " " + when));
        list.appendChild(item);
      });
    });
    box.appendChild(list);
    return box;
  }

  function languageSwitch(map) {
    var nav = el("div", "nm-lang");
    nav.setAttribute("role", "group");
    nav.setAttribute("aria-label", t("Language"));
    Object.keys(I18N.languages).forEach(function (lang) {
      var b = el("button", null, I18N.languages[lang]);
      b.type = "button";
      b.lang = CODES[lang];
      b.setAttribute("data-lang", lang);
      b.setAttribute("aria-pressed", String(lang === I18N.lang));
      b.addEventListener("click", function () { setLanguage(map, lang); });
      nav.appendChild(b);
    });
    return nav;
  }

  /* Zoom buttons and scale bar in the reader's language (Leaflet's own speak English only);
     both are rebuilt with the other controls on a language switch. */
  function mapControls(map) {
    var zoom = L.control.zoom();
    var zoomOnAdd = zoom.onAdd;
    zoom.onAdd = function (m) {
      this.options.zoomInTitle = t("Zoom in");
      this.options.zoomOutTitle = t("Zoom out");
      return zoomOnAdd.call(this, m);
    };
    var scale = L.control.scale();
    scale._updateScale = function (line, text, ratio) {
      var own = text.replace(/ (km|m|mi|ft)$/, function (unit) { return t(unit); });
      L.Control.Scale.prototype._updateScale.call(this, line, own, ratio);
    };
    [zoom, scale].forEach(function (control) { control.addTo(map); CONTROLS.push(control); });
  }

  /* Credits: the tiles' and the catalog's, in the reader's language (from the message catalog);
     Leaflet's own link stays, marked as English. */
  var CREDITS = [];
  L.Layer.prototype.getAttribution = function () {
    return this.options.attribution ? t(this.options.attribution) : this.options.attribution;
  };
  function credits(map, text) {
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" lang="en">Leaflet</a>');
    CREDITS.push(text);
    map.attributionControl.addAttribution(t(text));
  }

  /* Change the language with the credits swapped: each is taken off in the old language and
     put back in the new one. */
  function swapCredits(map, change) {
    var control = map.attributionControl;
    var layers = [];
    map.eachLayer(function (layer) { if (layer.getAttribution && layer.getAttribution()) layers.push(layer); });
    if (control) {
      layers.forEach(function (layer) { control.removeAttribution(layer.getAttribution()); });
      CREDITS.forEach(function (text) { control.removeAttribution(t(text)); });
    }
    change();
    if (control) {
      layers.forEach(function (layer) { control.addAttribution(layer.getAttribution()); });
      CREDITS.forEach(function (text) { control.addAttribution(t(text)); });
    }
  }

  function titleBox(map, title, subtitle) {
    // the map is the page's main content: a named landmark for screen readers
    map.getContainer().setAttribute("role", "main");
    map.getContainer().setAttribute("aria-label", t(title));
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var root = el("div", "nm-control nm-title");
      map.getContainer().setAttribute("aria-label", t(title));
      document.title = t(title);
      root.appendChild(el("h1", null, t(title)));
      if (subtitle) root.appendChild(el("p", null, t(subtitle)));
      root.appendChild(languageSwitch(map));
      root.appendChild(placesList(map));
      L.DomEvent.disableClickPropagation(root);
      return root;
    };
    control.addTo(map);
    CONTROLS.push(control);
    return control;
  }

  global.NerchinskMap = {
    geoJsonLayer: geoJsonLayer,
    layerControl: layerControl,
    legend: legend,
    titleBox: titleBox,
    mapControls: mapControls,
    credits: credits,
    timeControl: timeControl,
    setupLanguages: setupLanguages,
    setLanguage: setLanguage,
    t: t,
    dataText: dataText,
    yearOf: yearOf,
    popupContent: popupContent,
    fitPopup: fitPopup,
    layers: function () { return LAYERS.slice(); }
  };
})(window);
