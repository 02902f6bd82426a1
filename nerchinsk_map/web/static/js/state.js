/* nerchinsk-map: Shareable state in the URL hash: the language, the year, the layers shown and
 * the view (#lang=ru&year=1700&layers=rivers,treaty_1689&z=5.5&lat=53.1&lon=125.2).
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py.
 * A link opens what its sender saw; each deliberate change (a year, a layer, a language, a pan
 * or zoom once it settles) is a step in the browser's history, so the back button walks them. */
var STATE = { map: null, applying: false, timer: null, delay: 400, opening: null, resizedAt: 0 };
/* Other modules' parts of the hash (the reader's #clause=, #story=, #compare=): each
   {write: function () -> "key=value" or null, read: function (hash, opening)}. */
var HASH_PARTS = [];

/* A %-escape that cannot be read (a lone "%", "%zz", half a UTF-8 character) leaves that part out;
   any hash opens the map, what cannot be read is ignored. */
function decodePart(text) {
  try { return decodeURIComponent(text); } catch (e) { return null; }
}

function readHash() {
  var out = Object.create(null);
  var hash = "";
  try { hash = String(global.location.hash || ""); } catch (e) { /* no location: no state */ }
  hash.replace(/^#/, "").split("&").forEach(function (part) {
    var i = part.indexOf("=");
    if (i <= 0) return;
    var key = decodePart(part.slice(0, i)), value = decodePart(part.slice(i + 1));
    if (key !== null && value !== null) out[key] = value;
  });
  return out;
}

function viewFromHash() {
  var h = readHash();
  var zoom = parseFloat(h.z), lat = parseFloat(h.lat), lon = parseFloat(h.lon);
  if (!isFinite(zoom) || !isFinite(lat) || !isFinite(lon) || Math.abs(lat) > 85 || Math.abs(lon) > 360) return null;
  if (zoom < 0 || zoom > 24) return null;
  return { zoom: zoom, lat: lat, lon: lon };
}

/* The year asked for in the hash: a number, "all", or undefined. */
function yearFromHash() {
  var y = readHash().year;
  if (y === "all") return null;
  return /^-?\d{1,4}$/.test(y || "") ? parseInt(y, 10) : undefined;
}

/* Show exactly the layers the hash lists (catalog ids; basemaps are not listed). */
function applyHashLayers(map) {
  var h = readHash();
  if (h.layers === undefined) return;
  var wanted = h.layers ? h.layers.split(",") : [];
  LAYERS.forEach(function (layer) {
    if (layer.nmSpec.interactive === false) return;
    var want = wanted.indexOf(layer.nmSpec.id) >= 0;
    if (want && !map.hasLayer(layer)) map.addLayer(layer);
    if (!want && map.hasLayer(layer)) map.removeLayer(layer);
  });
}

function currentHash(map) {
  var parts = ["lang=" + I18N.lang];
  if (map.nmTime) parts.push("year=" + map.nmTime.getYear());
  var shown = LAYERS.filter(function (l) { return l.nmSpec.interactive !== false && map.hasLayer(l); })
    .map(function (l) { return encodeURIComponent(l.nmSpec.id); });
  parts.push("layers=" + shown.join(","));
  if (map._loaded) {
    var c = map.getCenter();
    parts.push("z=" + (Math.round(map.getZoom() * 100) / 100), "lat=" + c.lat.toFixed(4), "lon=" + c.lng.toFixed(4));
  }
  HASH_PARTS.forEach(function (part) { var p = part.write(); if (p) parts.push(p); });
  return "#" + parts.join("&");
}

/* Remember the state as a new history entry, once changes settle. */
function rememberState() {
  var map = STATE.map;
  if (!map || STATE.applying || LAYOUT.fitting) return;
  if (Date.now() - STATE.resizedAt < 600) return;  // the map kept its centre through a resize: no step
  clearTimeout(STATE.timer);
  STATE.timer = setTimeout(function () {
    var hash = currentHash(map);
    if (hash === global.location.hash || STATE.applying) return;
    try {
      if (global.history && global.history.pushState) global.history.pushState(null, "", hash);
    } catch (e) { /* a page that cannot change its URL (a sandboxed notebook frame) keeps the state */ }
  }, STATE.delay);
}

/* Follow the hash (the back button, or a hand-edited link). */
function applyHash() {
  var map = STATE.map;
  if (!map) return;
  STATE.applying = true;
  clearTimeout(STATE.timer);
  if (!global.location.hash && STATE.opening && global.history.replaceState) {
    try { global.history.replaceState(null, "", STATE.opening); } catch (e) { /* see rememberState */ }
  }
  try {
    var lang = langFromHash();
    if (lang && lang !== I18N.lang) setLanguage(map, lang);
    var year = yearFromHash();
    if (year !== undefined && map.nmTime && map.nmTime.getYear() !== (year === null ? "all" : year)) map.nmTime.setYear(year);
    applyHashLayers(map);
    var hash = readHash();
    HASH_PARTS.forEach(function (part) { part.read(hash, false); });
    var view = viewFromHash();
    if (view) {
      map.setView([view.lat, view.lon], view.zoom, { animate: false });
      LAYOUT.moved = true;
    }
  } finally {
    setTimeout(function () { STATE.applying = false; }, 0);
  }
}

function startState(map) {
  STATE.map = map;
  var hash = readHash();
  STATE.applying = true;  // a link's clause, story step or comparison: opened as if chosen, not a new step
  try { HASH_PARTS.forEach(function (part) { part.read(hash, true); }); } finally { STATE.applying = false; }
  STATE.opening = currentHash(map);
  map.on("moveend", rememberState);
  LAYERS.forEach(function (layer) { layer.on("add remove", rememberState); });
  global.addEventListener("popstate", applyHash);
  global.addEventListener("hashchange", applyHash);
}
