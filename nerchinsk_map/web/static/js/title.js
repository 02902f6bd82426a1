/* nerchinsk-map: The title box, the zoom buttons and the scale bar.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
/* Zoom buttons and scale bar in the reader's language (Leaflet's own speak English only);
   both are rebuilt with the other controls on a language switch. */
function mapControls(map) {
  // the zoom buttons' corner (updateLayout), if the layout is known already (a two-step opening)
  var zoom = L.control.zoom({ position: LAYOUT.compact === false ? "bottomright" : "topleft" });
  LAYOUT.zoom = zoom;
  var zoomOnAdd = zoom.onAdd;
  zoom.onAdd = function (m) {
    this.options.zoomInTitle = t("Zoom in");
    this.options.zoomOutTitle = t("Zoom out");
    return zoomOnAdd.call(this, m);
  };
  var scale = L.control.scale({ maxWidth: 150 });  // the bar is never shorter than its words ("100 миль")
  scale._updateScale = function (line, text, ratio) {
    var own = text.replace(/ (km|m|mi|ft)$/, function (unit) { return t(unit); });
    L.Control.Scale.prototype._updateScale.call(this, line, own, ratio);
  };
  [zoom, scale].forEach(function (control) { control.addTo(map); CONTROLS.push(control); });
}

function titleBox(map, title, subtitle) {
  // the map is the page's main content: a named landmark for screen readers
  map.getContainer().setAttribute("role", "main");
  map.getContainer().setAttribute("aria-label", t(title));
  var control = foldingControl(map, "title", "topleft", function () {
    var root = el("div", "nm-control nm-title");
    map.getContainer().setAttribute("aria-label", t(title));
    document.title = t(title);
    var heading = el("h1");
    var button = el("button", null, t(title));
    heading.appendChild(button);
    root.appendChild(heading);
    var panel = el("div");
    if (subtitle) panel.appendChild(el("p", "nm-subtitle", t(subtitle)));
    panel.appendChild(languageSwitch(map));
    panel.appendChild(placesList(map));
    root.appendChild(panel);
    return { root: root, button: button, panel: panel };
  });
  return control;
}
