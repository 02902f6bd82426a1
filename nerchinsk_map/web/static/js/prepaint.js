/* nerchinsk-map: The picture painted before the scripts ran (web/prepaint.py), and the hand-over
 * to the live map without a jump.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py.
 *
 * The picture is an SVG whose viewBox is the opening bounds, fitted ("meet") into a box that the
 * CSS sets per layout class; Leaflet's fitBounds at a continuous zoom, with that box's insets as
 * padding, is the same fit. So the live map takes the picture's view when that view is clear of
 * the controls and about as deep as the best fit (roomFor); otherwise it fits as usual. */

/* The opening, in two steps when it can be. First, in one task: the live map at the picture's
   view, with the layers from the subject up (the topmost of the view's fit layers and every
   layer above it) drawn live, and the picture moved into the map beneath them, where it stands
   in for the opening layers below ("beneath": build-time option, web/prepaint.py) and moves with
   the map. Then, each in a task of its own on a map that already answers taps: those layers
   (each hiding its group of the picture as it is drawn), the picture's removal, the tiles, the
   layers not drawn at opening and the controls (queued by api.js while ``queue`` is a list), and
   finishOpening. A link with a state (#lang=, #year=, a view...) opens in one step, as before:
   its state is read by the controls. */
var OPENING = {
  queue: null,
  beneath: [],  // the opening layers the picture stands in for (geoJsonLayer's builds), top down
  builds: [],  // the tiles and the layers not drawn at opening
};

/* The picture once it is inside the map (underlay): its overlay, its groups by layer id, and the
   layers already live (their groups hidden). */
var PICTURE = { overlay: null, groups: null, live: {} };

function canOpenFast() {
  var hash = "", framed = true;
  try { hash = String(global.location.hash || ""); framed = global.self !== global.top; } catch (e) { return false; }
  // a map in a frame (a notebook's cell) opens in one step: the picture's box is made for windows
  return hash.replace(/^#/, "") === "" && !framed && !document.hidden && !!global.requestAnimationFrame &&
    !!document.getElementById("nm-prepaint");
}

/* A tile layer (render.SafeTileLayer): in a two-step opening it joins the map with the layers
   built after the live map's first frame (the picture has no tiles either: they need the
   network), before the controls that list it. */
function tileLayer(url, options) {
  var layer = L.tileLayer(url, options);
  layer.addTo = function (map) {
    var self = this;
    if (!OPENING.queue) return L.Layer.prototype.addTo.call(self, map);
    OPENING.builds.push(function () { L.Layer.prototype.addTo.call(self, map); });
    return self;
  };
  return layer;
}

/* What a two-step opening left for later, in order: the layers the picture stands in for, the
   picture's removal, the tiles and the other layers, then the controls. */
function openingWork(queue) {
  var work = OPENING.beneath.concat([dropPicture], OPENING.builds, queue);
  OPENING.beneath = [];
  OPENING.builds = [];
  return work;
}

/* ``f``, or, during a two-step opening, ``f`` queued until the first frame of the live map. */
function queued(f) {
  return function () {
    var args = arguments;
    if (!OPENING.queue) return f.apply(null, args);
    OPENING.queue.push(function () { f.apply(null, args); });
    return undefined;
  };
}

/* Run ``work`` once the first frame (the picture) is on screen: at once if the browser has
   painted it already (while it read the rest of the page), or in a hidden page. */
function afterFirstPaint(work) {
  var done = false;
  function go() {
    if (done) return;
    done = true;
    OPENING.queue = canOpenFast() ? [] : null;
    try {
      work();
    } finally {  // a page with no opening view (no fitView) runs what it queued at once
      var left = OPENING.queue;
      OPENING.queue = null;
      if (left) openingWork(left).forEach(function (f) { f(); });
    }
  }
  if (document.hidden || !global.requestAnimationFrame || !document.getElementById("nm-prepaint") || painted()) { go(); return; }
  global.requestAnimationFrame(function () { setTimeout(go, 0); });
  setTimeout(go, 250);  // a frame that never comes (a throttled frame) does not hold the map back
}

function painted() {
  try {
    return global.performance.getEntriesByType("paint").some(function (e) { return e.name === "first-contentful-paint"; });
  } catch (e) {
    return false;  // no Paint Timing: wait for a frame
  }
}

/* The picture's box as fitBounds padding in the map's container, or null. */
function prepaintRoom(map) {
  var view = document.querySelector("#nm-prepaint .nm-prepaint-view");
  if (!view) return null;
  var c = map.getContainer().getBoundingClientRect(), r = view.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return null;
  return { paddingTopLeft: [r.left - c.left, r.top - c.top], paddingBottomRight: [c.right - r.right, c.bottom - r.bottom] };
}

/* Whether the box ``a`` (container pixels) meets a visible control. */
function coversControl(map, a) {
  var c = map.getContainer().getBoundingClientRect();
  var hit = false;
  map.getContainer().querySelectorAll(".leaflet-control").forEach(function (node) {
    var r = node.getBoundingClientRect();
    if (!r.width || !r.height) return;
    if (r.left - c.left < a.right && r.right - c.left > a.left && r.top - c.top < a.bottom && r.bottom - c.top > a.top) hit = true;
  });
  return hit;
}

/* The opening view: the picture's, if it is a good one (fitPrepainted), else the best fit
   (``room``: roomFor's padding). Whether the picture's view stays clear of the open panels is
   seen a task later, once layout.js has limited their heights; the picture covers the map
   until then, so a refit is never seen. */
function fitOpening(map, bounds, room) {
  if (!fitPrepainted(map, bounds, room)) {
    fitRoom(map, bounds, room);
    handOver();
    opened(map);
    return;
  }
  setTimeout(function () {
    var nw = map.latLngToContainerPoint(bounds.getNorthWest()), se = map.latLngToContainerPoint(bounds.getSouthEast());
    if (coversControl(map, { left: nw.x, top: nw.y, right: se.x, bottom: se.y })) fitRoom(map, bounds, room);
    handOver();
    opened(map);
  }, 0);
}

/* Fit ``bounds`` exactly where the picture drew them, if that view is about as deep as the best
   fit (within a tenth of a zoom level of ``best``, roomFor's padding, quantised to 0.1).
   Returns whether it did. */
function fitPrepainted(map, bounds, best) {
  return fitPicture(map, bounds) && deepEnough(map, bounds, best);
}

/* Fit ``bounds`` where the picture drew them (``room``: prepaintRoom's, if measured already);
   false if there is no picture. */
function fitPicture(map, bounds, room) {
  room = room || prepaintRoom(map);
  if (!room) return false;
  var snap = map.options.zoomSnap;
  LAYOUT.fitting = true;
  try {
    map.options.zoomSnap = 0;
    map.fitBounds(bounds, Object.assign({ animate: false }, room));
  } finally {
    map.options.zoomSnap = snap;
    LAYOUT.fitting = false;
  }
  return true;
}

/* Whether the map's zoom is within a tenth of a level of the best fit of ``bounds`` in
   ``best`` (roomFor's padding, quantised to 0.1). */
function deepEnough(map, bounds, best) {
  var snap = map.options.zoomSnap;
  try {
    map.options.zoomSnap = 0.1;
    var bestZoom = map.getBoundsZoom(bounds, false, L.point(best.paddingTopLeft).add(best.paddingBottomRight));
  } finally {
    map.options.zoomSnap = snap;
  }
  return map.getZoom() >= bestZoom - 0.1;
}

/* The second step of a two-step opening (OPENING): once the live map's first frame is drawn,
   the queued work (openingWork: layers, tiles, controls), each in a task of its own (a tap
   between two is answered), then ``done``. */
function afterOpening(queue, done) {
  var started = false;
  function next() {
    if (!queue.length) { done(); return; }
    var work = queue.shift();
    setTimeout(next, 0);  // first: one that fails (reported as the page's error) does not stop the others
    work();
  }
  function start() { if (!started) { started = true; setTimeout(next, 0); } }
  global.requestAnimationFrame(start);
  setTimeout(start, 250);  // a frame that never comes (a hidden or throttled page) does not hold them back
}

/* Every control is in the page and the opening view settled: the map says so (class
   "nm-ready": what tests and scripts driving the page wait for). */
function opened(map) {
  map.getContainer().classList.add("nm-ready");
}

/* The live map is drawn: the picture goes (in the same task, so the next frame shows the map). */
function handOver() {
  var picture = document.getElementById("nm-prepaint");
  if (picture) picture.parentNode.removeChild(picture);
}

/* The live map is drawn from the subject up: the picture moves into it, beneath every layer
   (its own pane), fitted to ``bounds`` (its viewBox: the opening bounds), where it moves and
   zooms with the map; the groups of the layers already live are hidden. In the same task as
   the live map's first drawing, so no frame shows both or neither. */
function underlay(map, bounds) {
  var cover = document.getElementById("nm-prepaint");
  var svg = cover && cover.querySelector("svg");
  if (!svg) { handOver(); return; }
  cover.parentNode.removeChild(cover);
  svg.setAttribute("class", "nm-picture");  // no longer the cover's box (CSS)
  PICTURE.groups = {};
  svg.querySelectorAll("g[data-layer]").forEach(function (g) { PICTURE.groups[g.getAttribute("data-layer")] = g; });
  Object.keys(PICTURE.live).forEach(hidePictured);
  if (!map.getPane("nm-pane-picture")) {
    map.createPane("nm-pane-picture");
    map.getPane("nm-pane-picture").style.zIndex = 1;  // beneath every layer's pane (web/builder.py)
  }
  PICTURE.overlay = L.svgOverlay(svg, bounds, { pane: "nm-pane-picture", interactive: false }).addTo(map);
}

/* The layer ``id`` is drawn live: its group of the picture (if the picture is in the map) is
   hidden, so it is never drawn twice (twice a translucent fill is darker). */
function pictureLive(id) {
  PICTURE.live[id] = true;
  hidePictured(id);
}

function hidePictured(id) {
  var g = PICTURE.groups && Object.prototype.hasOwnProperty.call(PICTURE.groups, id) ? PICTURE.groups[id] : null;
  if (g) g.setAttribute("display", "none");
}

/* Every layer the picture stood in for is live: it goes. */
function dropPicture() {
  if (PICTURE.overlay) PICTURE.overlay.remove();
  PICTURE.overlay = null;
  PICTURE.groups = null;
}
