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
var BOTTOM_SHARE = 0.45;  // a bottom corner's stack (the legend grown with every layer) takes at most this share of the map's height
var TAKE_IN = 0.25;        // zoom levels the opening fit may give up to take in a labelled marker it cuts
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
  arrange(map);
  if (open && !LAYOUT.compact) {  // a large map: a panel opened over another open one, or in its corner, folds that one
    var mine = entry.root.getBoundingClientRect();
    Object.keys(LAYOUT.panels).forEach(function (other) {
      var o = LAYOUT.panels[other];
      if (other === name || o.panel.hidden) return;
      var r = o.root.getBoundingClientRect();
      // two open panels stacked in a corner would leave each a sliver of room (limitPanel)
      var stacked = !!entry.root.parentNode && o.root.parentNode === entry.root.parentNode;
      if (stacked || Math.min(r.right, mine.right) > Math.max(r.left, mine.left) && Math.min(r.bottom, mine.bottom) > Math.max(r.top, mine.top)) {
        LAYOUT.open[other] = false;
        o.button.setAttribute("aria-expanded", "false");
        o.panel.hidden = true;
        o.root.classList.remove("nm-open");
      }
    });
    arrange(map);
  }
}

/* Lay the open panels out so that none runs past the map or over another control. On a small
   map the one open panel is a sheet across the map, between the top and bottom rows of folded
   buttons (which stay where a thumb finds them). On a large one each open panel keeps its
   corner: those at the bottom grow up to the buttons at the top, then those at the top grow
   down to what the bottom corners hold beneath them. The credits take the width the bottom
   left corner leaves. */
function arrange(map) {
  var container = map.getContainer();
  var box = container.getBoundingClientRect();
  // the reader's panel lays itself out on a small map (reader.js: a bottom sheet that leaves the
  // chosen segment in view), so the sheets here are the other panels'
  var names = Object.keys(LAYOUT.panels).filter(function (name) { return !(LAYOUT.compact && name === "reader"); });
  names.forEach(function (name) {
    var e = LAYOUT.panels[name];
    e.panel.style.maxHeight = "";
    ["position", "left", "right", "top", "bottom", "width"].forEach(function (k) { e.panel.style[k] = ""; });
    e.root.style.maxWidth = "";
  });
  var credits = container.querySelector(".leaflet-control-attribution");
  if (credits) credits.style.maxWidth = "";
  var open = names.filter(function (name) { return !LAYOUT.panels[name].panel.hidden; });
  container.classList.toggle("nm-sheet", !!(LAYOUT.compact && open.length));
  if (LAYOUT.compact) {  // a sheet stands out of its corner: the credits are measured without it
    open.forEach(function (name) { LAYOUT.panels[name].panel.style.position = "absolute"; });
  }
  if (credits) fitCredits(container, box, credits);
  if (LAYOUT.compact) {
    open.forEach(function (name) { sheet(map, box, LAYOUT.panels[name]); });
  } else {
    var bottom = open.filter(function (name) { return isBottom(LAYOUT.panels[name]); });
    var top = open.filter(function (name) { return !isBottom(LAYOUT.panels[name]); });
    bottom.concat(top).forEach(function (name) { limitPanel(map, box, LAYOUT.panels[name]); });
  }
}

function isBottom(entry) {
  return !!entry.root.closest(".leaflet-bottom");
}

/* The rectangles of the controls in the top (or bottom) corners, but for ``except``; a control
   at the top counts only down to its button when ``buttonsOnly``. */
function controlRects(container, where, except, buttonsOnly) {
  var out = [];
  container.querySelectorAll(".leaflet-" + where + " > .leaflet-control").forEach(function (c) {
    if (c === except) return;
    var r = c.getBoundingClientRect();
    if (!r.width || !r.height) return;
    var entry = null;
    Object.keys(LAYOUT.panels).forEach(function (n) { if (LAYOUT.panels[n].root === c) entry = LAYOUT.panels[n]; });
    if (buttonsOnly && entry) {
      var b = entry.button.getBoundingClientRect();
      r = { left: r.left, right: r.right, top: r.top, bottom: b.bottom + 6 };
    }
    out.push(r);
    if (entry && !entry.panel.hidden && entry.panel.style.position === "absolute") out.push(entry.panel.getBoundingClientRect());
  });
  return out;
}

/* The bands the map's rows of controls take at its top and bottom (each at least MARGIN):
   how far the lowest control of the top corners reaches down, the highest of the bottom up. */
function controlBands(container, box) {
  var bands = { top: MARGIN, bottom: MARGIN };
  container.querySelectorAll(".leaflet-control").forEach(function (c) {
    var r = c.getBoundingClientRect();
    if (!r.width || !r.height) return;
    if (c.parentNode.classList.contains("leaflet-top")) bands.top = Math.max(bands.top, r.bottom - box.top);
    else bands.bottom = Math.max(bands.bottom, box.bottom - r.top);
  });
  return bands;
}

/* A panel on a small map: a sheet as wide as the map, from below the top row of buttons to
   above the bottom row. */
function sheet(map, box, entry) {
  var container = map.getContainer();
  var panel = entry.panel;
  panel.style.position = "absolute";  // out of the flow first: its control shrinks to its button
  var bands = controlBands(container, box), topBand = bands.top, bottomBand = bands.bottom;
  var cornerNode = entry.root.parentNode, corner = cornerNode.getBoundingClientRect();
  // anchored to its corner's own sides, which stay put when the corner's buttons change size
  if (cornerNode.classList.contains("leaflet-right")) panel.style.right = (corner.right - box.right + MARGIN) + "px";
  else panel.style.left = (box.left + MARGIN - corner.left) + "px";
  panel.style.width = (box.width - 2 * MARGIN) + "px";
  if (cornerNode.classList.contains("leaflet-bottom")) panel.style.bottom = (corner.bottom - box.bottom + bottomBand + MARGIN / 2) + "px";
  else panel.style.top = (box.top + topBand + MARGIN / 2 - corner.top) + "px";
  panel.style.maxHeight = Math.max(60, box.height - topBand - bottomBand - MARGIN) + "px";
}

/* A panel on a large map: as tall as the room between its button and the controls across the
   map from it that stand in its column. */
function limitPanel(map, box, entry) {
  if (!entry.root.parentNode) return;  // a control being drawn again (a language switch)
  var container = map.getContainer();
  var r = entry.root.getBoundingClientRect();
  var column = function (o) { return o.right > r.left && o.left < r.right; };
  // the panel grows (or shrinks) by what its corner's stack of controls, the panel's own and
  // the folded ones stacked beyond it, has before it meets the controls across the map
  var stack = cornerExtent(entry.root.parentNode);
  var room;
  var height = entry.panel.getBoundingClientRect().height;
  if (isBottom(entry)) {
    // up to the open panels at the top; past them (which then scroll) only to keep a third of
    // the map's height, and never past the buttons at the top nor BOTTOM_SHARE of the map (the
    // rest is the map's: a clause the reader frames needs room beside the panels)
    var ceiling = box.top, buttons = box.top;
    controlRects(container, "top", entry.root, false).filter(column).forEach(function (o) { ceiling = Math.max(ceiling, o.bottom); });
    controlRects(container, "top", entry.root, true).filter(column).forEach(function (o) { buttons = Math.max(buttons, o.bottom); });
    var hard = Math.min(stack.top - buttons - MARGIN, BOTTOM_SHARE * box.height - (box.bottom - stack.top));
    room = Math.min(hard, Math.max(stack.top - ceiling - MARGIN, Math.min(height, box.height / 3) - height));
  } else {
    var floor = box.bottom;
    controlRects(container, "bottom", entry.root, false).filter(column).forEach(function (o) { floor = Math.min(floor, o.top); });
    room = floor - MARGIN - stack.bottom;
  }
  entry.panel.style.maxHeight = Math.max(48, height + room) + "px";
  // as wide as the room beside the controls of the other corner on its side of the map
  var side = isBottom(entry) ? "bottom" : "top";
  var right = !!entry.root.closest(".leaflet-right");
  var other = container.querySelector(".leaflet-" + side + (right ? ".leaflet-left" : ".leaflet-right"));
  var reach = right ? box.left : box.right;
  r = entry.root.getBoundingClientRect();
  other.querySelectorAll(".leaflet-control").forEach(function (c) {
    var o = c.getBoundingClientRect();
    if (!o.width || o.bottom <= r.top || o.top >= r.bottom) return;
    reach = right ? Math.max(reach, o.right) : Math.min(reach, o.left);
  });
  var width = right ? r.right - reach - MARGIN : reach - MARGIN - r.left;
  if (width < r.width) entry.root.style.maxWidth = Math.max(180, width) + "px";
}

/* The top of the highest and the bottom of the lowest control of a corner. */
function cornerExtent(corner) {
  var out = { top: Infinity, bottom: -Infinity };
  corner.querySelectorAll(":scope > .leaflet-control").forEach(function (c) {
    var r = c.getBoundingClientRect();
    if (!r.width || !r.height) return;
    out.top = Math.min(out.top, r.top);
    out.bottom = Math.max(out.bottom, r.bottom);
  });
  return out;
}

/* The credits (bottom right) never run under the legend or the scale bar (bottom left). */
function fitCredits(container, box, credits) {
  var left = box.left;
  container.querySelectorAll(".leaflet-bottom.leaflet-left > .leaflet-control").forEach(function (o) {
    var r = o.getBoundingClientRect();
    if (r.width) left = Math.max(left, r.right);
  });
  credits.style.maxWidth = Math.max(120, box.right - left - MARGIN) + "px";
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
  setTimeout(function () { arrange(map); }, 0);
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
    var zoom = map.getZoom();
    var cut = cutPlaces(map);  // a labelled marker the fit happens to cut at the map's edge:
    if (cut.length) {          // taken in if that costs little zoom, else nudged out of view
      var fit = L.latLngBounds(bounds.getSouthWest(), bounds.getNorthEast());
      cut.forEach(function (c) { fit.extend(c.at); });
      map.fitBounds(fit, Object.assign({ animate: false }, roomFor(map, fit)));
      // little: at most TAKE_IN of a zoom level (a nearby fort taken in at 0.3 left the line
      // under half the width of a 1280 px window in Russian; nudged out, it keeps its zoom)
      if (map.getZoom() < zoom - TAKE_IN || cutPlaces(map).length) {
        map.fitBounds(bounds, Object.assign({ animate: false }, room || roomFor(map, bounds)));
        var shift = L.point(0, 0);
        cutPlaces(map).forEach(function (c) {
          var size = map.getSize();
          if (c.p.x < c.r) shift.x = Math.max(shift.x, c.p.x + c.r + 1);
          else if (c.p.x > size.x - c.r) shift.x = Math.min(shift.x, c.p.x - c.r - size.x - 1);
          if (c.p.y < c.r) shift.y = Math.max(shift.y, c.p.y + c.r + 1);
          else if (c.p.y > size.y - c.r) shift.y = Math.min(shift.y, c.p.y - c.r - size.y - 1);
        });
        map.panBy(shift, { animate: false });
      }
    }
  } finally {
    map.options.zoomSnap = snap;
    LAYOUT.fitting = false;
  }
}

/* The labelled markers drawn in the present year that lie across the map's edge. */
function cutPlaces(map) {
  var size = map.getSize(), out = [];
  LAYERS.forEach(function (group) {
    if (!group.nmSpec.label || !map.hasLayer(group)) return;
    group.nmFeatures.forEach(function (d) {
      if (!d.layer.getLatLng || !d.parent.hasLayer(d.layer) || d.layer.feature.properties.label === false) return;
      var p = map.latLngToContainerPoint(d.layer.getLatLng());
      var r = (d.layer.options.radius || 6) + (d.layer.options.weight || 1) + 2;
      var touches = p.x + r > 0 && p.x - r < size.x && p.y + r > 0 && p.y - r < size.y;
      var whole = p.x - r >= 0 && p.x + r <= size.x && p.y - r >= 0 && p.y + r <= size.y;
      if (touches && !whole) out.push({ at: d.layer.getLatLng(), p: p, r: r });
    });
  });
  return out;
}

/* After a resize (a phone turned, a window narrowed) or a language switch (wider or narrower
   panels), fit the opening bounds again, unless the reader has moved the map. */
function refit(map) {
  if (!map.nmBounds || LAYOUT.moved || map.getSize().x < 50 || map.getSize().y < 50) return;
  fitRoom(map, map.nmBounds);
}

/* The opening view, set once every control is in the page (or queued: OPENING in prepaint.js).
   Layers added before it wait (Leaflet draws them when the map gets its first view), so they
   are drawn once, at the final zoom. A view in the URL (#z=..&lat=..&lon=..) wins over the fit.
   In a two-step opening the live map takes the picture's view and the picture moves into it,
   beneath the live layers, at once; the layers it stands in for and the queued controls follow
   a frame later, then the view is checked against them. */
function fitView(map, bounds) {
  var queue = OPENING.queue;
  OPENING.queue = null;
  var room = queue && prepaintRoom(map);  // measured before updateLayout's classes: one layout, not two
  updateLayout(map);
  var latLngBounds = L.latLngBounds(bounds);  // widened to the nearby labelled places at build (prepaint.py)
  map.nmBounds = latLngBounds;
  if (queue && room && fitPicture(map, latLngBounds, room)) {
    underlay(map, latLngBounds);  // prepaint.js: the picture, in the map, stands in for the layers beneath
    watchView(map);
    afterOpening(openingWork(queue), function () { finishOpening(map, latLngBounds); });
    return;
  }
  if (queue) openingWork(queue).forEach(function (f) { f(); });  // no picture to take the view of: one step
  var shared = viewFromHash();
  if (shared) {
    map.setView([shared.lat, shared.lon], shared.zoom, { animate: false });
    LAYOUT.moved = true;  // the sender's view stays
    handOver();  // prepaint.js: the picture goes
    opened(map);
  } else {
    fitOpening(map, latLngBounds, roomFor(map, latLngBounds));  // prepaint.js: the picture's view, if it is a good one
  }
  if (!map._loaded) map.fitBounds(latLngBounds, { animate: false });  // never a map without a view
  watchView(map);
  startState(map);
}

/* The second step of a two-step opening, once the controls are in the page: the picture's view
   stays (the picture's box is the room the controls leave at the sizes its CSS knows) unless it
   is not about as deep as the best fit in that room (a size or shape the CSS does not know, such
   as a notebook's cell) or the bounds meet a control (seen a task later, once the panels are
   limited), and the reader has not moved the map meanwhile; then the state (the URL) starts. */
function finishOpening(map, bounds) {
  updateLayout(map);
  var room = roomFor(map, bounds);
  if (!LAYOUT.moved && !deepEnough(map, bounds, room)) fitRoom(map, bounds, room);
  startState(map);
  scheduleLabels(map);
  setTimeout(function () {
    if (!LAYOUT.moved) {
      var nw = map.latLngToContainerPoint(bounds.getNorthWest()), se = map.latLngToContainerPoint(bounds.getSouthEast());
      if (coversControl(map, { left: nw.x, top: nw.y, right: se.x, bottom: se.y })) fitRoom(map, bounds, room);
    }
    opened(map);
  }, 0);
}

/* What follows the view once it is set: labels, popups' room, the layout on a resize, and
   whether the reader has moved the map. */
function watchView(map) {
  map.on("movestart", function () { if (!LAYOUT.fitting) LAYOUT.moved = true; });
  map.on("moveend zoomend layeradd resize", function () { scheduleLabels(map); });
  map.on("moveend", function () {  // the scale bar's width follows the latitude (once it has)
    setTimeout(function () {
      var credits = map.getContainer().querySelector(".leaflet-control-attribution");
      if (credits) fitCredits(map.getContainer(), map.getContainer().getBoundingClientRect(), credits);
    }, 0);
  });
  scheduleLabels(map);
  // a disclosure opened in a popup (the method's details) makes it taller: lay it out again
  map.on("popupopen", function (e) {
    // a popup opened by a script (or a link in another popup) is fitted into the room as a tapped one is
    var before = [e.popup.options.maxWidth, e.popup.options.maxHeight, String(e.popup.options.autoPanPaddingTopLeft),
                  String(e.popup.options.autoPanPaddingBottomRight)];
    fitPopup(map, e.popup, e.popup.getLatLng());
    var after = [e.popup.options.maxWidth, e.popup.options.maxHeight, String(e.popup.options.autoPanPaddingTopLeft),
                 String(e.popup.options.autoPanPaddingBottomRight)];
    if (String(before) !== String(after) && e.popup._updateLayout) {
      e.popup._updateLayout(); e.popup._updatePosition(); e.popup._adjustPan();
    }
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
}

/* Permanent labels stay whole inside the map and clear of each other: a label that would run
   past the right edge (or over a label already placed) is put on the left of its marker; one
   that fits on neither side (or whose marker is out of view) is dropped at this view. Measured once per frame, after every move, zoom, year or
   resize. */
function scheduleLabels(map) {
  if (LAYOUT.labelFrame) return;
  LAYOUT.labelFrame = true;
  var run = function () { LAYOUT.labelFrame = null; placeLabels(map); };
  if (global.requestAnimationFrame) global.requestAnimationFrame(run); else setTimeout(run, 16);
}

var LABEL_GAP = 12;  // from a marker's centre to its label's near edge, on either side

function placeLabels(map) {
  if (!map._loaded) return;
  var size = map.getSize();
  var tips = [];
  LAYERS.forEach(function (group) {
    if (!group.nmSpec.label || !map.hasLayer(group)) return;
    group.nmFeatures.forEach(function (d) {
      var tip = d.layer.getTooltip && d.layer.getTooltip();
      if (!tip || !tip.options.permanent || !d.parent.hasLayer(d.layer) || !tip.getElement()) return;
      var node = tip.getElement();
      tips.push({ tip: tip, node: node, at: map.latLngToContainerPoint(d.layer.getLatLng()),
                  r: (d.layer.options.radius || 6) + (d.layer.options.weight || 1), width: node.offsetWidth,
                  height: node.offsetHeight });
    });
  });
  var placed = [];  // the labels shown so far: a label never covers another
  function clear(box) {
    return placed.every(function (o) {
      return box.right <= o.left || o.right <= box.left || box.bottom <= o.top || o.bottom <= box.top;
    });
  }
  tips.forEach(function (t) {
    var gap = LABEL_GAP;
    var inView = t.at.x - t.r >= 0 && t.at.x + t.r <= size.x && t.at.y - t.r >= 0 && t.at.y + t.r <= size.y;
    var top = t.at.y - t.height / 2, bottom = t.at.y + t.height / 2;
    var sides = {
      right: { left: t.at.x + gap, right: t.at.x + gap + t.width, top: top, bottom: bottom },
      left: { left: t.at.x - gap - t.width, right: t.at.x - gap, top: top, bottom: bottom }
    };
    var side = null;
    ["right", "left"].forEach(function (name) {
      var b = sides[name];
      if (!side && b.left >= 0 && b.right <= size.x && b.top >= 0 && b.bottom <= size.y && clear(b)) side = name;
    });
    var show = inView && side !== null;
    side = side || "right";
    if (show) placed.push(sides[side]);
    // the page's labels are always drawn to the right of their point (layers.js Label), past
    // Leaflet's 6 px margin: on the left, the offset also takes the label's own width and the gap
    var offset = L.point(side === "right" ? LABEL_GAP - 6 : -(t.width + LABEL_GAP + 6), 0);
    if (t.tip.options.direction !== side || !L.point(t.tip.options.offset).equals(offset)) {
      t.tip.options.direction = side;
      t.tip.options.offset = offset;
      t.tip.update();
    }
    t.node.classList.toggle("nm-label-dropped", !show);
  });
}
