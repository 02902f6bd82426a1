/* nerchinsk-map: The list of places: the text alternative to the map.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
/* The text alternative to the map: every labelled place as a list, each a button that shows
   it on the map and opens its popup (keyboard and screen-reader users start here). */
function placesList(map) {
  var box = el("details", "nm-places");
  box.appendChild(el("summary", null, t("Places as a list")));
  var list = el("ul");
  LAYERS.filter(function (layer) { return layer.nmSpec.label; }).forEach(function (layer) {
    layer.nmFeatures.forEach(function (d) {
      var props = d.layer.feature.properties;
      var item = el("li");
      var button = el("button", null, nameIn(props, I18N.lang));
      button.type = "button";
      button.setAttribute("data-feature-id", props.id);
      button.addEventListener("click", function () {
        if (!d.parent.hasLayer(d.layer) && map.nmTime) map.nmTime.setYear(null);  // another year: show all
        if (!map.hasLayer(layer)) layer.addTo(map);
        if (LAYOUT.compact) setOpen(map, "title", false);  // a small map: the list gives way to the place
        map.setView(d.layer.getLatLng ? d.layer.getLatLng() : d.layer.getBounds().getCenter(), Math.max(map.getZoom(), 6),
                    { animate: false });  // in place before the popup is fitted and panned into the room
        fitPopup(map, d.layer.getPopup(), d.layer.getLatLng ? d.layer.getLatLng() : d.layer.getCenter());
        d.layer.openPopup();
        var popup = document.querySelector(".leaflet-popup-content .nm-popup");
        if (popup) { popup.setAttribute("tabindex", "-1"); popup.focus(); }
      });
      item.appendChild(button);
      var when = DATES.label(props, I18N.lang) || dateRange(props);
      if (when) item.appendChild(el("span", "nm-places-when", " " + when));
      list.appendChild(item);
    });
  });
  box.appendChild(list);
  return box;
}
