/* nerchinsk-map: Two readings, or the borders in force in two years, side by side: a swipe
 * divider (A left of it, B right) or both overlaid with the area between them shaded, with the
 * figures `nerchinsk-map reading compare` gives (computed when the map was built: web/comparisons.py
 * for readings, web/years.py for years); #compare=A,B (reading ids, or years: #compare=1689,1860).
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
var COMPARE = { a: null, b: null, mode: "swipe", at: 50, drawn: null, line: null, kind: "readings" };
var COMPARE_STYLE = {
  a: { color: "#1b7837", weight: 4, opacity: 0.95 },
  b: { color: "#762a83", weight: 4, opacity: 0.95, dashArray: "8 5" },
  between: { stroke: false, fillColor: "#e08214", fillOpacity: 0.4 }
};

/* A year ("1689") rather than a reading id. */
function isYear(id) {
  return /^-?[0-9]{1,4}$/.test(String(id));
}

/* The built data of the kind of ``id``: {pairs, lines[, faces, years]}. */
function compareData(id) {
  var data = readerData();
  return isYear(id) ? data.years : data.compare;
}

function comparePair(a, b) {
  if (isYear(a) !== isYear(b)) return null;
  var pairs = compareData(a).pairs;
  for (var i = 0; i < pairs.length; i++) {
    if ((pairs[i].a === a && pairs[i].b === b) || (pairs[i].a === b && pairs[i].b === a)) return pairs[i];
  }
  return null;
}

function readingTitle(id) {
  if (isYear(id)) return t("Borders in force in") + " " + id;
  var readings = readerData().readings;
  for (var i = 0; i < readings.length; i++) {
    if (readings[i].id === id) return readings[i].title[I18N.lang] || readings[i].title.en;
  }
  return id;
}

function comparePane(map, name, z) {
  var pane = map.getPane(name) || map.createPane(name);
  pane.style.zIndex = z;
  return pane;
}

function removeCompare(map) {
  if (COMPARE.drawn) COMPARE.drawn.forEach(function (layer) { map.removeLayer(layer); });
  COMPARE.drawn = null;
  if (COMPARE.line) COMPARE.line.remove();
  COMPARE.line = null;
  ["nm-compare-a", "nm-compare-b"].forEach(function (name) { var p = map.getPane(name); if (p) p.style.clipPath = ""; });
}

/* Clip A's pane left of the divider and B's right of it (the panes move with the map). */
function clipCompare(map) {
  var a = map.getPane("nm-compare-a"), b = map.getPane("nm-compare-b");
  if (!a || !b) return;
  if (COMPARE.mode !== "swipe" || !COMPARE.drawn) {
    a.style.clipPath = b.style.clipPath = "";
    if (COMPARE.line) COMPARE.line.hidden = true;
    return;
  }
  var x = map.getSize().x * COMPARE.at / 100;
  var at = map.containerPointToLayerPoint([x, 0]).x;
  var far = 1e6;
  a.style.clipPath = "polygon(" + -far + "px " + -far + "px, " + at + "px " + -far + "px, " + at + "px " + far + "px, " + -far + "px " + far + "px)";
  b.style.clipPath = "polygon(" + at + "px " + -far + "px, " + far + "px " + -far + "px, " + far + "px " + far + "px, " + at + "px " + far + "px)";
  if (COMPARE.line) { COMPARE.line.hidden = false; COMPARE.line.style.left = x + "px"; }
}

/* The GeoJSON of a reading's line (built for the comparison) or of a year's border (the map's
   own features in force that year, as the build listed them). */
function compareLine(id) {
  if (!isYear(id)) return { type: "MultiLineString", coordinates: readerData().compare.lines[id] };
  var features = [];
  (readerData().years.features[id] || []).forEach(function (ref) {
    var found = findFeature(ref[0], ref[1]);
    if (found) features.push({ type: "Feature", properties: {}, geometry: found.d.layer.feature.geometry });
  });
  return { type: "FeatureCollection", features: features };
}

/* Draw the pair A, B (their lines from the built data, the faces between them). */
function showCompare(map, a, b, fit) {
  var pair = comparePair(a, b);
  if (!pair) return false;
  removeCompare(map);
  unmark();
  COMPARE.a = a;
  COMPARE.b = b;
  var built = compareData(a);
  var between = typeof pair.between === "number" ? built.faces[pair.between] : (pair.between || []);
  comparePane(map, "nm-compare-between", 590);
  comparePane(map, "nm-compare-a", 591);
  comparePane(map, "nm-compare-b", 592);
  var drawn = [];
  if (between.length && COMPARE.mode === "overlay") {
    drawn.push(L.geoJSON({ type: "MultiPolygon", coordinates: between },
      { pane: "nm-compare-between", interactive: false, style: function () { return COMPARE_STYLE.between; } }));
  }
  ["a", "b"].forEach(function (side) {
    drawn.push(L.geoJSON(compareLine(side === "a" ? a : b),
      { pane: "nm-compare-" + side, interactive: false,
        style: function () { return Object.assign({ className: "nm-compare-line nm-compare-" + side }, COMPARE_STYLE[side]); } }));
  });
  drawn.forEach(function (layer) { layer.addTo(map); });
  COMPARE.drawn = drawn;
  if (COMPARE.mode === "swipe") {
    COMPARE.line = el("div", "nm-swipe-line");
    COMPARE.line.setAttribute("aria-hidden", "true");
    map.getContainer().appendChild(COMPARE.line);
  }
  if (fit !== false) {
    var bounds = drawn[drawn.length - 1].getBounds().extend(drawn[drawn.length - 2].getBounds());
    frame(map, bounds);
  }
  clipCompare(map);
  return true;
}

function figureRow(list, key, label, value, raw) {
  list.appendChild(el("dt", null, t(label)));
  var dd = el("dd", null, value);
  dd.setAttribute("data-figure", key);
  dd.setAttribute("data-value", JSON.stringify(raw));  // the built figure, for scripts and tests
  list.appendChild(dd);
}

function renderFigures(body, pair) {
  var f = pair.figures;
  var flip = pair.a !== COMPARE.a;  // the pair was computed the other way round
  var list = el("dl", "nm-compare-figures");
  var km = t(" km");
  var area = f.area_between_km2 === null ? t("none: the lines enclose no area") : number(f.area_between_km2) + " " + t("km²");
  figureRow(list, "area_between_km2", "Area between the lines", area, f.area_between_km2);
  figureRow(list, "max_distance_km", "Largest distance between them", number(f.max_distance_km) + km, f.max_distance_km);
  if (f.length_differing_km) {  // the readings' figures (the years' give the area, distance and places)
    var da = f.length_differing_km[flip ? "b" : "a"], db = f.length_differing_km[flip ? "a" : "b"];
    figureRow(list, "length_differing_km", "Length that differs (A / B)", number(da) + km + " / " + number(db) + km, [da, db]);
  }
  var places = f.places_changing_side.map(function (p) { return p.name; });
  figureRow(list, "places_changing_side", "Places that change side", places.length ? places.join(", ") : t("none"), places);
  body.appendChild(list);
  var how = el("details", "nm-compare-method");
  how.appendChild(el("summary", null, t("How these figures are computed")));
  how.appendChild(dataNode("p", null, f.method || compareData(pair.a).method));
  body.appendChild(how);
}

/* A fieldset of radio buttons, one per [value, words] choice, the ``current`` one checked: a
   change calls ``chosen(value)``, draws the panel again and keeps the focus on that choice. */
function radioGroup(map, className, name, legend, choices, current, chosen) {
  var box = el("fieldset", className);
  box.appendChild(el("legend", null, t(legend)));
  choices.forEach(function (c) {
    var label = el("label", "nm-entry");
    var input = el("input");
    input.type = "radio";
    input.name = name;
    input.value = c[0];
    input.checked = current === c[0];
    input.addEventListener("change", function () {
      chosen(c[0]);
      renderReader(map);
      var again = READER.parts.body.querySelector("input[name=" + name + "][value='" + c[0] + "']");
      if (again) again.focus();
    });
    label.appendChild(input);
    label.appendChild(el("span", null, t(c[1])));
    box.appendChild(label);
  });
  return box;
}

/* Two readings or two years: a pair of radio buttons (when the map has both kinds). */
function kindChooser(map, body, data) {
  var kinds = [["readings", "Two readings"], ["years", "Two years"]].filter(function (k) { return data[k[0] === "years" ? "years" : "compare"].pairs.length; });
  if (kinds.length < 2) return;
  body.appendChild(radioGroup(map, "nm-compare-kinds", "nm-compare-kind", "Compare", kinds, COMPARE.kind, function (kind) {
    COMPARE.kind = kind;
    if (COMPARE.a) { removeCompare(map); COMPARE.a = COMPARE.b = null; readerChanged("compare"); }
  }));
}

function renderCompare(map, body) {
  var data = readerData();
  if (COMPARE.a) COMPARE.kind = isYear(COMPARE.a) ? "years" : "readings";
  kindChooser(map, body, data);
  var built = COMPARE.kind === "years" ? data.years : data.compare;
  var ids = [];
  built.pairs.forEach(function (p) { [p.a, p.b].forEach(function (id) { if (ids.indexOf(id) < 0) ids.push(id); }); });
  if (!ids.length) { body.appendChild(el("p", null, t("This map has no readings to compare."))); return; }
  var a = COMPARE.a || built.pairs[0].a;
  var partners = ids.filter(function (id) { return id !== a && comparePair(a, id); });
  var b = COMPARE.b && comparePair(a, COMPARE.b) ? COMPARE.b : partners[0];
  function chooser(side, value, choices) {
    var label = el("label", "nm-compare-choice");
    var swatchBox = el("span", "nm-compare-key nm-compare-key-" + side);
    swatchBox.setAttribute("aria-hidden", "true");
    label.appendChild(swatchBox);
    var years = COMPARE.kind === "years";
    label.appendChild(el("span", null, t(side === "a" ? (years ? "Year A (left)" : "Reading A (left)") : (years ? "Year B (right)" : "Reading B (right)")) + " "));
    var select = el("select", "nm-compare-" + side + "-select");
    choices.forEach(function (id) {
      var option = el("option", null, isYear(id) ? String(id) : readingTitle(id));
      option.value = id;
      option.selected = id === value;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      var na = side === "a" ? select.value : a, nb = side === "b" ? select.value : b;
      if (!comparePair(na, nb)) nb = ids.filter(function (id) { return id !== na && comparePair(na, id); })[0];
      showCompare(map, na, nb, true);
      readerChanged("compare");
      renderReader(map);
      var again = READER.parts.body.querySelector(".nm-compare-" + side + "-select");
      if (again) again.focus();
    });
    label.appendChild(select);
    return label;
  }
  body.appendChild(chooser("a", a, ids));
  body.appendChild(chooser("b", b, partners));
  var modes = [["swipe", "Side by side (swipe)"], ["overlay", "Overlaid, the area between shaded"]];
  body.appendChild(radioGroup(map, "nm-compare-modes", "nm-compare-mode", "Show", modes, COMPARE.mode, function (mode) {
    COMPARE.mode = mode;
    if (COMPARE.a) showCompare(map, COMPARE.a, COMPARE.b, false);
  }));
  if (COMPARE.mode === "swipe") {
    var sw = el("label", "nm-compare-divider", t("Divider") + " ");
    var range = el("input", "nm-compare-at");
    range.type = "range";
    range.min = "0";
    range.max = "100";
    range.value = String(COMPARE.at);
    range.addEventListener("input", function () { COMPARE.at = parseInt(range.value, 10); clipCompare(map); });
    sw.appendChild(range);
    body.appendChild(sw);
  }
  if (!COMPARE.a) {
    var show = el("button", "nm-compare-show", t("Compare"));
    show.type = "button";
    show.addEventListener("click", function () { showCompare(map, a, b, true); readerChanged("compare"); renderReader(map); });
    body.appendChild(show);
    return;
  }
  renderFigures(body, comparePair(COMPARE.a, COMPARE.b));
}

READER.views.compare = {
  render: renderCompare,
  write: function () {
    return COMPARE.a ? "compare=" + encodeURIComponent(COMPARE.a) + "," + encodeURIComponent(COMPARE.b) : null;
  },
  read: function (map, hash, opening) {
    var m = /^([^,]+),([^,]+)$/.exec(hash.compare || "");
    if (!m || !comparePair(m[1], m[2])) return false;
    var same = READER.active === "compare" && COMPARE.a === m[1] && COMPARE.b === m[2];
    openReader(map, "compare");  // open first: the view is fitted to the room the panel leaves
    if (!same || opening) { showCompare(map, m[1], m[2], opening); renderReader(map); }
    return true;
  },
  clear: function (map) { removeCompare(map); COMPARE.a = COMPARE.b = null; },
  init: function (map) { map.on("move zoom zoomend resize", function () { clipCompare(map); }); }
};
