/* nerchinsk-map: The layout: folding panels and the opening view fitted to the room they leave.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py.
 *
 * Every control (title, layers, legend, time) is a native <button aria-expanded> and a panel.
 * On a small map (a phone, a phone held sideways, a notebook cell: the map's own size decides,
 * not the window's) the panels start closed and only one is open at a time; on a large map they
 * start open. The opening view is fitted to the rectangle the controls leave free, measured
 * once they are in the page. */
var COMPACT_WIDTH = 640;   // below this map width, or
var COMPACT_HEIGHT = 500;  // below this map height, the controls fold
var MARGIN = 10;           // px between the line and a control or the map's edge
var WIDE = { x: 2400, y: 1300 };  // the layer list (long, wider in Russian) opens by itself only on a map this large
var LAYOUT = { compact: null, open: {}, panels: {}, zoom: null, fitting: false, moved: false,
               closed: {}, onCompact: [] };  // closed: panels closed by default; onCompact: called on a change

function isCompact(map) {
  var size = map.getSize();
  return size.x < COMPACT_WIDTH || size.y < COMPACT_HEIGHT;
}

/* Decide the layout from the map's size; on a change, panels go back to the default state
   (closed when compact, open otherwise). */
function updateLayout(map) {
  var compact = isCompact(map);
  if (compact === LAYOUT.compact) return;
  LAYOUT.compact = compact;
  map.getContainer().classList.toggle("nm-compact", compact);
  // the zoom buttons: above the title on a small map, by the time control on a large one
  if (LAYOUT.zoom) LAYOUT.zoom.setPosition(compact ? "topleft" : "bottomright");
  LAYOUT.onCompact.forEach(function (f) { f(compact); });  // e.g. the reader's panel: a bottom sheet on a phone
  LAYOUT.open = {};
  Object.keys(LAYOUT.panels).forEach(function (name) { setOpen(map, name, openByDefault(map, name)); });
}

/* Closed on a small map; open on a large one, but for the long layer list on a mid-sized one
   (the legend already shows what is drawn; the list is a click away). */
function openByDefault(map, name) {
  if (LAYOUT.compact || LAYOUT.closed[name]) return false;
  var size = map.getSize();
  return name !== "layers" || (size.x >= WIDE.x && size.y >= WIDE.y);
}

function isOpen(map, name) {
  if (LAYOUT.compact === null) updateLayout(map);
  return Object.prototype.hasOwnProperty.call(LAYOUT.open, name) ? LAYOUT.open[name] : openByDefault(map, name);
}

function setOpen(map, name, open) {
  LAYOUT.open[name] = open;
  var entry = LAYOUT.panels[name];
  if (!entry) return;
  entry.button.setAttribute("aria-expanded", String(open));
  entry.panel.hidden = !open;
  entry.root.classList.toggle("nm-open", open);
  if (open) limitPanel(map, entry);
}

/* A panel never runs past the map: its height is what is left below (or above) its toggle. */
function limitPanel(map, entry) {
  var box = map.getContainer().getBoundingClientRect();
  var r = entry.panel.getBoundingClientRect();
  var bottomCorner = !!entry.root.closest(".leaflet-bottom");
  var room = bottomCorner ? entry.button.getBoundingClientRect().top - box.top - 2 * MARGIN
                          : box.bottom - r.top - 2 * MARGIN;
  entry.panel.style.maxHeight = Math.max(80, room) + "px";
  entry.root.style.maxWidth = LAYOUT.compact ? Math.max(160, box.width - 2 * MARGIN) + "px" : "";
}

/* Make ``root`` a folding control: ``button`` opens and closes ``panel``. */
/* A folding control at ``position``: ``build()`` makes its parts ({root, button, panel}) each
   time the control is drawn (again after a language switch); they are made foldable, kept from
   passing clicks and wheel turns to the map, and the control is remembered for a switch. */
function foldingControl(map, name, position, build) {
  var control = L.control({ position: position });
  control.onAdd = function () {
    var parts = build();
    foldable(map, name, parts.root, parts.button, parts.panel);
    L.DomEvent.disableClickPropagation(parts.root);
    L.DomEvent.disableScrollPropagation(parts.root);
    return parts.root;
  };
  control.addTo(map);
  CONTROLS.push(control);
  return control;
}

function foldable(map, name, root, button, panel) {
  var id = "nm-panel-" + name;
  panel.id = id;
  panel.classList.add("nm-panel");
  button.type = "button";
  button.classList.add("nm-toggle");
  button.setAttribute("aria-controls", id);
  LAYOUT.panels[name] = { root: root, button: button, panel: panel };
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    if (open && LAYOUT.compact) {  // one panel at a time on a small screen
      Object.keys(LAYOUT.panels).forEach(function (other) { if (other !== name) setOpen(map, other, false); });
    }
    setOpen(map, name, open);
  });
  root.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(map, name, false);
      button.focus();
    }
  });
  var open = isOpen(map, name);
  button.setAttribute("aria-expanded", String(open));
  panel.hidden = !open;
  root.classList.toggle("nm-open", open);
  setTimeout(function () { if (!panel.hidden) limitPanel(map, LAYOUT.panels[name]); }, 0);
}

/* The padding that leaves the largest view of ``bounds`` free of the controls. Each corner's
   controls are either a band across the top or bottom, or a column at the left or right; of
   the 16 ways, the one giving the deepest zoom wins. Paddings always leave room on the map. */
function roomFor(map, bounds) {
  var box = map.getContainer().getBoundingClientRect();
  var W = box.width, H = box.height;
  var corners = [];
  ["top left", "top right", "bottom left", "bottom right"].forEach(function (pos) {
    var sel = pos.split(" ").map(function (p) { return ".leaflet-" + p; }).join("");
    var rect = null;
    map.getContainer().querySelectorAll(sel + " > .leaflet-control").forEach(function (c) {
      var r = c.getBoundingClientRect();
      if (!r.width || !r.height) return;
      rect = rect ? { left: Math.min(rect.left, r.left), right: Math.max(rect.right, r.right),
                      top: Math.min(rect.top, r.top), bottom: Math.max(rect.bottom, r.bottom) } : r;
    });
    if (rect) corners.push({ top: pos.indexOf("top") === 0, left: pos.indexOf("left") > 0, r: rect });
  });
  var best = null;
  for (var mask = 0; mask < 1 << corners.length; mask++) {
    var pad = { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN };
    corners.forEach(function (c, i) {
      var band = mask & (1 << i);  // 1: a band across the top/bottom; 0: a column at the side
      if (band && c.top) pad.top = Math.max(pad.top, c.r.bottom - box.top + MARGIN);
      else if (band) pad.bottom = Math.max(pad.bottom, box.bottom - c.r.top + MARGIN);
      else if (c.left) pad.left = Math.max(pad.left, c.r.right - box.left + MARGIN);
      else pad.right = Math.max(pad.right, box.right - c.r.left + MARGIN);
    });
    var free = { x: W - pad.left - pad.right, y: H - pad.top - pad.bottom };
    if (free.x < Math.min(120, W / 3) || free.y < Math.min(120, H / 3)) continue;
    var zoom = map.getBoundsZoom(bounds, false, L.point(pad.left + pad.right, pad.top + pad.bottom));
    var area = free.x * free.y;
    if (!best || zoom > best.zoom || (zoom === best.zoom && area > best.area)) {
      best = { zoom: zoom, area: area, pad: pad };
    }
  }
  var pad = best ? best.pad : { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN };
  return { paddingTopLeft: [pad.left, pad.top], paddingBottomRight: [pad.right, pad.bottom] };
}

/* Fit ``bounds`` into the room the controls leave, at a fine zoom step (not the map's coarse
   one). The move it makes is the page's, not the reader's. */
function fitRoom(map, bounds, room) {
  var snap = map.options.zoomSnap;
  map.options.zoomSnap = 0.1;
  LAYOUT.fitting = true;
  try {
    map.fitBounds(bounds, Object.assign({ animate: false }, room || roomFor(map, bounds)));
  } finally {
    map.options.zoomSnap = snap;
    LAYOUT.fitting = false;
  }
}

/* After a resize (a phone turned, a window narrowed) or a language switch (wider or narrower
   panels), fit the opening bounds again, unless the reader has moved the map. */
function refit(map) {
  if (!map.nmBounds || LAYOUT.moved || map.getSize().x < 50 || map.getSize().y < 50) return;
  fitRoom(map, map.nmBounds);
}

/* The opening view, set once every control is in the page. Layers added before it wait
   (Leaflet draws them when the map gets its first view), so they are drawn once, at the final
   zoom. A view in the URL (#z=..&lat=..&lon=..) wins over the fit. */
function fitView(map, bounds) {
  updateLayout(map);
  var latLngBounds = L.latLngBounds(bounds);
  map.nmBounds = latLngBounds;
  var shared = viewFromHash();
  if (shared) {
    map.setView([shared.lat, shared.lon], shared.zoom, { animate: false });
    LAYOUT.moved = true;  // the sender's view stays
    handOver();  // prepaint.js: the picture goes
  } else {
    fitOpening(map, latLngBounds, roomFor(map, latLngBounds));  // prepaint.js: the picture's view, if it is a good one
  }
  if (!map._loaded) map.fitBounds(latLngBounds, { animate: false });  // never a map without a view
  map.on("movestart", function () { if (!LAYOUT.fitting) LAYOUT.moved = true; });
  // a disclosure opened in a popup (the method's details) makes it taller: lay it out again
  map.on("popupopen", function (e) {
    e.popup.getElement().addEventListener("toggle", function () {
      if (e.popup._updateLayout) { e.popup._updateLayout(); e.popup._updatePosition(); e.popup._adjustPan(); }
    }, true);
  });
  var timer = null;
  map.on("resize", function () {
    STATE.resizedAt = Date.now();
    clearTimeout(timer);
    timer = setTimeout(function () { updateLayout(map); refit(map); }, 150);
  });
  startState(map);
}
