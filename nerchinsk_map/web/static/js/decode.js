/* nerchinsk-map: The page's data blocks: JSON in script elements (never run; parsed when first
 * asked for) of type application/json, or, for what the opening view never reads (the other
 * languages' words and texts, the reader's panel), of type application/x-nm-deflate (the JSON's UTF-8 deflated and in base64, its length in data-size:
 * web/blocks.py; inflated by inflate.js), and the layers' coordinates, stored as delta integers at
 * each layer's precision (web/layers.py encode_layer), decoded back to the exact numbers.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
var BLOCKS = {};
var DEFLATED = "application/x-nm-deflate";

/* The JSON of the block with this id (null when the page has none), parsed once. */
function block(id) {
  if (!Object.prototype.hasOwnProperty.call(BLOCKS, id)) {
    var node = document.getElementById(id);
    var text = null;
    if (node && node.type === "application/json") text = node.textContent;
    else if (node && node.type === DEFLATED) text = INFLATE.text(node.textContent, Number(node.getAttribute("data-size")));
    BLOCKS[id] = text === null ? null : JSON.parse(text);
  }
  return BLOCKS[id];
}

var DEPTH = { Point: 0, MultiPoint: 1, LineString: 1, Polygon: 2, MultiLineString: 2, MultiPolygon: 3 };

/* Coordinates of nesting ``depth`` (0: a point; 1: a line or ring, [x0, y0, dx1, dy1, ...]) back
   to GeoJSON numbers: each integer divided by ``scale`` (10 to the precision), which gives the
   double nearest the decimal, as Python's round() does. */
function decodeCoordinates(c, depth, scale) {
  if (depth === 0) return [c[0] / scale, c[1] / scale];
  if (depth === 1) {
    var out = new Array(c.length / 2), x = 0, y = 0;
    for (var i = 0, j = 0; i < c.length; i += 2, j++) {
      x += c[i];
      y += c[i + 1];
      out[j] = [x / scale, y / scale];
    }
    return out;
  }
  return c.map(function (part) { return decodeCoordinates(part, depth - 1, scale); });
}

/* A layer's FeatureCollection from its encoded form (a plain one is returned as it is). */
function decodeLayer(data) {
  if (!data || data.precision === undefined) return data;
  var scale = Number("1e" + data.precision);  // exact, unlike a computed power
  data.features.forEach(function (f) {
    var g = f.geometry;
    if (g && Object.prototype.hasOwnProperty.call(DEPTH, g.type)) g.coordinates = decodeCoordinates(g.coordinates, DEPTH[g.type], scale);
  });
  delete data.precision;
  return data;
}

/* A layer's data from its block. */
function layerData(id) {
  return decodeLayer(block(id));
}
