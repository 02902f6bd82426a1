/* nerchinsk-map: DOM helpers, dates and the page's lists of layers and controls.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function isBlank(value) {
  return value === undefined || value === null || value === "";
}

/* The year of an ISO 8601 date ("1651", "1653-11", "1689-09-07"); null when unknown. */
function yearOf(date) {
  if (isBlank(date)) return null;
  var m = /^(-?\d{1,4})/.exec(String(date));
  return m ? parseInt(m[1], 10) : null;
}

var LAYERS = [];    // every catalog layer, for relabelling
var CONTROLS = [];  // every control, rebuilt in the new language on a switch
