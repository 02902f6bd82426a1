/* nerchinsk-map: Popups: a feature's names, the treaty's texts, its fields and provenance.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
var LANGUAGE_NAMES = { zh: "Chinese", ru: "Russian", en: "English", la: "Latin", mnc: "Manchu" };

/* The treaty's own words for a segment, version by version, each in its language. */
function treatyTexts(texts) {
  var section = el("section", "nm-texts");
  section.appendChild(el("h4", null, t("In the treaty's texts")));
  texts.forEach(function (entry) {
    var p = el("p");
    // a translation names the language of its words: "Latin (Chinese translation): 石大兴安岭"
    var kind = entry.kind === "translation" && LANGUAGE_NAMES[entry.lang] ? LANGUAGE_NAMES[entry.lang] + " translation" : entry.kind;
    p.appendChild(el("b", null, t(entry.language) + " (" + t(kind) + "): "));
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
  if (!isBlank(props.id)) box.setAttribute("data-feature-id", props.id);
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
  row("Dates", DATES.label(props, I18N.lang) || dateRange(props));
  row("Certainty", isBlank(props.certainty) ? null : t(props.certainty));
  if (!isBlank(props.precision_km)) row("Precision", "± " + number(props.precision_km) + t(" km"));
  methodRow(table, props.method, spec.geometry);
  row("Source", props.source, true);
  gazetteerRow(table, props);  /* links.js */
  box.appendChild(table);
  return box;
}

/* The method in plain words (by its kind: copied, derived, digitised...), with the full text
   and its raw parameters behind a "details" disclosure. A method of no known kind is shown as
   it is. The kinds' plain words are in the message catalog (method_kinds; method_kinds_point for
   a point). */
function methodRow(table, method, geometry) {
  if (isBlank(method)) return;
  var tr = el("tr");
  tr.appendChild(el("th", null, t("Method")));
  var kinds = Object.assign({}, I18N.messages.method_kinds || {},  // a point is placed, not drawn through points
                            geometry === "point" ? I18N.messages.method_kinds_point || {} : {});
  var kind = Object.keys(kinds).filter(function (k) { return String(method).indexOf(k) === 0; })
    .sort(function (a, b) { return b.length - a.length; })[0];
  if (!kind) {
    tr.appendChild(dataNode("td", null, String(method)));
  } else {
    var td = el("td", null, t(kinds[kind]) + " ");
    var details = el("details", "nm-method-details");
    details.appendChild(el("summary", null, t("details")));
    details.appendChild(dataNode("p", null, String(method)));
    td.appendChild(details);
    tr.appendChild(td);
  }
  table.appendChild(tr);
}

/* Lines that pass under a point marker (a fort on the border), or beside the tapped point of a
   line (readings that coincide, a reading along a river): the popup names them, each a button
   that opens the line's own popup, so that no line is hidden under another. */
function alsoHere(map, feature, box) {
  var popup = feature.getPopup && feature.getPopup();
  var at = feature.getLatLng ? feature.getLatLng() : popup && popup.getLatLng();
  if (!at || !map._loaded) return;
  var here = map.latLngToLayerPoint(at);
  var reach = feature.getLatLng ? (feature.options.radius || 6) + 6 : 8;
  var found = [];
  LAYERS.forEach(function (group) {
    if (group.nmSpec.geometry !== "line" || group.nmSpec.interactive === false || !map.hasLayer(group)) return;
    group.nmFeatures.forEach(function (d) {
      if (d.layer === feature || !d.parent.hasLayer(d.layer) || !d.layer.closestLayerPoint) return;
      var nearest = d.layer.closestLayerPoint(here);
      if (nearest && nearest.distance <= reach) found.push({ group: group, d: d, at: nearest });
    });
  });
  if (!found.length) return;
  var section = el("section", "nm-also");
  section.appendChild(el("h4", null, t("Also here")));
  found.forEach(function (hit) {
    var props = hit.d.layer.feature.properties;
    var button = el("button", "nm-also-line", layerText(hit.group.nmSpec, "title") + ": " + nameIn(props, I18N.lang));
    button.type = "button";
    button.setAttribute("data-layer-id", hit.group.nmSpec.id);
    button.setAttribute("data-feature-id", props.id);
    button.addEventListener("click", function () {
      var to = map.layerPointToLatLng(hit.at);
      map.closePopup();
      fitPopup(map, hit.d.layer.getPopup(), to);
      hit.d.layer.openPopup(to);
    });
    section.appendChild(button);
  });
  box.appendChild(section);
}

/* Size and place a popup in the room the controls leave: below the title box and above the
   legend and the time control where they stand over the popup's column (Leaflet pans the map
   to fit the popup before it opens). */
function fitPopup(map, popup, latlng) {
  if (!popup || !latlng) return;
  var box = map.getContainer().getBoundingClientRect();
  var x = map.latLngToContainerPoint(latlng).x + box.left;
  popup.options.maxWidth = Math.max(160, Math.min(380, box.width - 90));  // a phone: within the screen
  // the popup's column: centred on its point, but where Leaflet's pan leaves it beside an edge
  var half = popup.options.maxWidth / 2 + 30;
  var left = Math.max(box.left, Math.min(x - half, box.right - 2 * half));
  var top = 20, bottom = 20;
  function over(c) { var r = c.getBoundingClientRect(); return r.right > left && r.left < left + 2 * half; }
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
