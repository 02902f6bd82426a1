/* nerchinsk-map: The reader's panel: the treaties' texts (texts.js), a guided story (story.js) and
 * two readings side by side (compare.js), in one folding control: a side panel on a large map,
 * a bottom sheet on a small one. Its data is a JSON block (web/reader.py) parsed when the panel
 * is first opened, or a link asks for it: the opening view never waits for it.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
var READER = {
  map: null, dataId: null, data: null, tab: "texts", control: null, parts: null,
  marked: [],        // highlighted map features (Leaflet paths)
  framing: null,     // a frame to check a task later (frame)
  views: {},         // tab name -> {render(body), write(), read(hash, opening) -> bool, clear()}
  active: null       // the tab whose state the hash keeps ("texts", "story", "compare") or null
};
var SHEET = 0.45;  // a bottom sheet takes at most this share of a small map's height

/* The panel's data, parsed on first use; the readings' translations join the page's. */
function readerData() {
  if (READER.data) return READER.data;
  var data = block(READER.dataId) || {};  // decode.js: inflated on first use
  data.readings = data.readings || [];
  data.stories = data.stories || [];
  data.compare = data.compare || { pairs: [], lines: {} };
  data.years = data.years || { years: [], pairs: [], faces: [], features: {} };
  Object.keys(data.texts || {}).forEach(function (lang) {
    var own = I18N.texts[lang] || (I18N.texts[lang] = {});
    Object.keys(data.texts[lang]).forEach(function (key) {
      if (!Object.prototype.hasOwnProperty.call(own, key)) {
        Object.defineProperty(own, key, { value: data.texts[lang][key], enumerable: true, writable: true, configurable: true });
      }
    });
  });
  READER.data = data;
  return data;
}

/* A text given in every language ({en, ru, zh}) in the reader's, marked when it falls back. */
function wordsNode(tag, className, words) {
  var own = words && words[I18N.lang];
  var node = el(tag, className, own || (words && words.en) || "");
  if (!own) node.lang = "en";
  return node;
}

/* The map feature drawn for [layer id, feature id]: {group, d} or null. */
function findFeature(layerId, featureId) {
  for (var i = 0; i < LAYERS.length; i++) {
    var group = LAYERS[i];
    if (group.nmSpec.id !== layerId) continue;
    for (var j = 0; j < group.nmFeatures.length; j++) {
      if (group.nmFeatures[j].layer.feature.properties.id === featureId) return { group: group, d: group.nmFeatures[j] };
    }
  }
  return null;
}

function unmark() {
  READER.marked.forEach(function (layer) {
    layer.options.className = (layer.options.className || "").replace(/ nm-highlight/g, "");
    var node = layer.getElement && layer.getElement();
    if (node) node.classList.remove("nm-highlight");
  });
  READER.marked = [];
}

/* Highlight features ([[layer, feature], ...]): each layer is shown, and the year moved to the
   feature's first when the year shown lacks it (unless ``keepYear``). Returns their bounds. */
function markFeatures(map, pairs, keepYear) {
  unmark();
  var bounds = null;
  pairs.forEach(function (pair) {
    var found = findFeature(pair[0], pair[1]);
    if (!found) return;
    var layer = found.d.layer;
    if (!map.hasLayer(found.group)) map.addLayer(found.group);
    if (!keepYear && !found.d.parent.hasLayer(layer) && map.nmTime && found.d.start !== null) map.nmTime.setYear(found.d.start);
    layer.options.className = (layer.options.className || "") + " nm-highlight";  // kept if the year redraws it
    var node = layer.getElement && layer.getElement();
    if (node) node.classList.add("nm-highlight");
    if (layer.bringToFront && found.d.parent.hasLayer(layer)) layer.bringToFront();
    READER.marked.push(layer);
    var b = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng(), layer.getLatLng()]);
    bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
  });
  return bounds;
}

/* Frame ``bounds`` in the room the open panels leave (a point: at a regional zoom), and again
   a task later if by then they are not in that room: the sheet has its final height only once
   the folding control has limited it, and the opening's own check of the picture's view (a task
   after the opening fit, prepaint.js) may have fitted the opening bounds over the chosen segment. */
function frame(map, bounds) {
  if (!bounds || !bounds.isValid()) return;
  if (bounds.getSouthWest().equals(bounds.getNorthEast())) bounds = bounds.getCenter().toBounds(120000);
  fitReader(map, bounds);
  var token = READER.framing = {};
  setTimeout(function () {
    if (READER.framing !== token) return;  // framed again since
    READER.framing = null;
    if (!inRoom(map, bounds)) fitReader(map, bounds);
  }, 0);
}

/* Fit ``bounds`` above the sheet (at layout.js's fine zoom step), or into the room the controls
   leave (fitRoom) when the reader is no sheet. */
function fitReader(map, bounds) {
  var room = sheetRoom(map);
  if (!room) {
    fitRoom(map, bounds);
  } else {
    var snap = map.options.zoomSnap;
    map.options.zoomSnap = 0.1;
    LAYOUT.fitting = true;
    try { map.fitBounds(bounds, Object.assign({ animate: false }, room)); } finally {
      map.options.zoomSnap = snap;
      LAYOUT.fitting = false;
    }
  }
  LAYOUT.moved = true;  // a resize keeps this view rather than the opening one
}

/* Whether ``bounds`` lie inside the map, clear of the reader's open panel and of the controls
   at the top (a pixel of slack). */
function inRoom(map, bounds) {
  var box = map.getContainer().getBoundingClientRect();
  var nw = map.latLngToContainerPoint(bounds.getNorthWest()), se = map.latLngToContainerPoint(bounds.getSouthEast());
  var a = { left: box.left + nw.x + 1, top: box.top + nw.y + 1, right: box.left + se.x - 1, bottom: box.top + se.y - 1 };
  if (a.left < box.left || a.top < box.top || a.right > box.right || a.bottom > box.bottom) return false;
  var blocks = [];
  if (isReaderOpen()) blocks.push(READER.parts.panel.getBoundingClientRect());
  map.getContainer().querySelectorAll(".leaflet-top > .leaflet-control").forEach(function (c) { blocks.push(c.getBoundingClientRect()); });
  return blocks.every(function (r) {
    return !r.width || !r.height || r.right <= a.left || a.right <= r.left || r.bottom <= a.top || a.bottom <= r.top;
  });
}

/* Where the panel stands: a bottom sheet on a small upright map, a side panel otherwise (a
   phone held sideways too: a sheet would leave no room for the line). */
function sheetPosition(map) {
  var size = map.getSize();
  return isCompact(map) && size.x < 1.4 * size.y ? "bottomleft" : "topright";
}

/* The sheet or side panel, once open. A side panel hangs from its button down to the controls
   at the bottom right. A sheet stands out of its corner (its control shrinks to its button, so
   the credits and the time control keep their places), as wide as the map, just above the
   bottom row of buttons of both corners, at most SHEET of the map's height and low enough to
   leave at least ROOM of it (140 px or more) free for the line between it and the controls at
   the top. */
var ROOM = 0.3;
function sizePanel(map) {
  var parts = READER.parts;
  if (!parts || !READER.control) return;
  if (READER.control.getPosition() !== sheetPosition(map)) {
    READER.control.setPosition(sheetPosition(map));  // drawn again: this runs again once it is
    return;
  }
  if (parts.panel.hidden) return;
  var size = map.getSize();
  parts.root.style.maxWidth = "";
  var box = map.getContainer().getBoundingClientRect();
  if (sheetPosition(map) === "topright") {  // a side panel: down to the controls at the bottom right
    parts.root.style.width = isCompact(map) ? Math.min(360, Math.round(size.x * 0.45)) + "px" : "";
    var floor = box.bottom;
    map.getContainer().querySelectorAll(".leaflet-bottom.leaflet-right .leaflet-control").forEach(function (c) {
      var r = c.getBoundingClientRect();
      if (r.height) floor = Math.min(floor, r.top);
    });
    var below = 0;  // the folded controls under it in its corner (the layer list's button)
    for (var next = parts.root.nextElementSibling; next; next = next.nextElementSibling) {
      below += next.getBoundingClientRect().height + MARGIN;
    }
    parts.panel.style.maxHeight = Math.max(80, floor - parts.panel.getBoundingClientRect().top - 2 * MARGIN - below) + "px";
    return;
  }
  var container = map.getContainer();
  parts.root.classList.add("nm-reader-sheet");
  parts.panel.style.position = "absolute";  // out of the flow first: the control shrinks to its button
  var credits = container.querySelector(".leaflet-control-attribution");
  if (credits) fitCredits(container, box, credits);  // beside the button now, not the sheet
  var bands = controlBands(container, box), topBand = bands.top, bottomBand = bands.bottom;
  var corner = parts.root.parentNode.getBoundingClientRect();
  parts.panel.style.left = (box.left + MARGIN - corner.left) + "px";
  parts.panel.style.bottom = (corner.bottom - box.bottom + bottomBand + MARGIN / 2) + "px";
  parts.panel.style.width = (box.width - 2 * MARGIN) + "px";
  var want = Math.max(140, ROOM * size.y);
  var room = box.height - topBand - bottomBand - 2 * MARGIN - want;
  parts.panel.style.maxHeight = Math.max(60, Math.min(Math.round(SHEET * size.y), room)) + "px";
}

/* The padding that fits a view into the room above the open bottom sheet (and below the
   controls at the top), or null when the reader is no sheet. */
function sheetRoom(map) {
  var parts = READER.parts;
  if (!isReaderOpen() || !parts.root.classList.contains("nm-reader-sheet")) return null;
  var box = map.getContainer().getBoundingClientRect();
  var top = 0;
  map.getContainer().querySelectorAll(".leaflet-top .leaflet-control").forEach(function (c) {
    var r = c.getBoundingClientRect();
    if (r.height) top = Math.max(top, r.bottom - box.top);
  });
  var sheet = parts.panel.getBoundingClientRect();
  return { paddingTopLeft: [MARGIN, top + MARGIN], paddingBottomRight: [MARGIN, box.bottom - sheet.top + MARGIN] };
}

function isReaderOpen() {
  return !!(READER.parts && !READER.parts.panel.hidden);
}

/* Open the panel at ``tab`` (as the toggle does: one panel at a time on a small map). */
function openReader(map, tab) {
  if (tab && tab !== READER.tab) { READER.tab = tab; }
  if (!isReaderOpen()) {
    var corner = READER.parts && READER.parts.root.parentNode;  // a large map: the panels of its own corner
    Object.keys(LAYOUT.panels).forEach(function (other) {
      if (other !== "reader" && (LAYOUT.compact || LAYOUT.panels[other].root.parentNode === corner)) setOpen(map, other, false);
    });
    setOpen(map, "reader", true);
  }
  renderReader(map);
  sizePanel(map);
  setTimeout(function () { sizePanel(map); }, 0);  // after the folding control's own limit
}

function renderReader(map) {
  var parts = READER.parts;
  if (!parts || parts.panel.hidden) return;
  readerData();
  parts.tabs.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-tab") === READER.tab)); });
  parts.body.textContent = "";
  var view = READER.views[READER.tab];
  if (view) view.render(map, parts.body);
}

/* A reader's choice: kept in the URL as a step the back button returns to. */
function readerChanged(tab) {
  READER.active = tab;
  rememberState();
}

var TABS = [["texts", "Texts"], ["story", "Story"], ["compare", "Compare"]];

function reader(map, dataId) {
  READER.map = map;
  READER.dataId = dataId;
  LAYOUT.closed.reader = true;  // never open by itself: the opening view is the map's
  READER.control = foldingControl(map, "reader", sheetPosition(map), function () {
    var root = el("section", "nm-control nm-reader");
    root.setAttribute("aria-label", t("Treaties and story"));
    var toggle = el("button", "nm-reader-toggle", t("Read the treaties"));
    var panel = el("div", "nm-reader-panel");
    var tabs = el("div", "nm-reader-tabs");
    tabs.setAttribute("role", "group");
    tabs.setAttribute("aria-label", t("Treaties and story"));
    var buttons = TABS.map(function (tab) {
      var b = el("button", "nm-reader-tab", t(tab[1]));
      b.type = "button";
      b.setAttribute("data-tab", tab[0]);
      b.setAttribute("aria-pressed", String(tab[0] === READER.tab));
      b.addEventListener("click", function () { READER.tab = tab[0]; renderReader(map); });
      tabs.appendChild(b);
      return b;
    });
    var body = el("div", "nm-reader-body");
    panel.appendChild(tabs);
    panel.appendChild(body);
    root.appendChild(toggle);
    root.appendChild(panel);
    READER.parts = { root: root, button: toggle, panel: panel, body: body, tabs: buttons };
    toggle.addEventListener("click", function () {  // once foldable's own listener has opened it
      setTimeout(function () { renderReader(map); sizePanel(map); }, 0);
    });
    root.addEventListener("keydown", function (e) {
      var view = READER.views[READER.tab];
      if (view && view.key) view.key(map, e);
    });
    setTimeout(function () { renderReader(map); sizePanel(map); }, 0);  // drawn again (a language switch)
    return { root: root, button: toggle, panel: panel };
  });
  LAYOUT.onCompact.push(function () { setTimeout(function () { sizePanel(map); }, 0); });
  map.on("resize", function () { setTimeout(function () { sizePanel(map); }, 200); });
  HASH_PARTS.push({
    write: function () {
      var view = READER.active && READER.views[READER.active];
      return view ? view.write() : null;
    },
    read: function (hash, opening) {
      var names = Object.keys(READER.views);
      for (var i = 0; i < names.length; i++) {
        if (READER.views[names[i]].read(map, hash, opening)) { READER.active = names[i]; return; }
      }
      if (READER.active) {  // back to a state without the reader's
        READER.views[READER.active].clear(map);
        READER.active = null;
        renderReader(map);
      }
    }
  });
  map.on("popupopen", function (e) { popupYears(map, e.popup); });
  Object.keys(READER.views).forEach(function (name) { if (READER.views[name].init) READER.views[name].init(map); });
  return READER.control;
}

/* A popup's dates: each year they name (the start, the end, the bounds of an uncertain span)
   is a button that moves the time control to that year. */
function popupYears(map, popup) {
  var source = popup._source;
  var props = source && source.feature && source.feature.properties;
  var box = popup.getElement && popup.getElement();
  if (!props || !box || !map.nmTime) return;
  var span = props.date_span || [yearOf(props.start_date), null, null, yearOf(props.end_date)];
  var years = [];
  span.forEach(function (y) { if (typeof y === "number" && years.indexOf(y) < 0) years.push(y); });
  if (!years.length) return;
  var rows = box.querySelectorAll(".nm-popup-table tr");
  var row = null;
  rows.forEach(function (tr) { if (tr.firstChild && tr.firstChild.textContent === t("Dates")) row = tr; });
  if (!row || row.querySelector(".nm-year-jump")) return;
  var jumps = el("span", "nm-year-jumps");
  years.sort(function (a, b) { return a - b; }).forEach(function (year) {
    var b = el("button", "nm-year-jump", String(year));
    b.type = "button";
    b.setAttribute("data-year", year);
    b.setAttribute("aria-label", t("Show the map in") + " " + year);
    b.addEventListener("click", function () { map.nmTime.setYear(year); rememberState(); });
    jumps.appendChild(b);
  });
  row.lastChild.appendChild(document.createTextNode(" "));
  row.lastChild.appendChild(jumps);
}
