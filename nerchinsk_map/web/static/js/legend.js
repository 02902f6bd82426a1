/* nerchinsk-map: The legend.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
/* Legend: the symbol of every overlay; layers switched off are dimmed. */
function legend(map, entries) {
  var control = L.control({ position: "bottomleft" });
  control.onAdd = function () {
    var root = el("section", "nm-control nm-legend");
    root.setAttribute("aria-label", t("Legend"));
    var heading = el("h2");
    var button = el("button", null, t("Legend"));
    heading.appendChild(button);
    root.appendChild(heading);
    var list = el("ul");
    entries.forEach(function (entry) {
      var item = el("li");
      item.setAttribute("data-layer-id", entry.id);
      item.appendChild(swatch(entry.layer.nmSpec));
      item.appendChild(el("span", null, layerText(entry.layer.nmSpec, "title")));
      item.title = layerText(entry.layer.nmSpec, "description");
      list.appendChild(item);
      function sync() { item.classList.toggle("nm-off", !map.hasLayer(entry.layer)); }
      if (entry.nmSync) entry.layer.off("add remove", entry.nmSync);
      entry.nmSync = sync;
      entry.layer.on("add remove", sync);
      sync();
    });
    var panel = el("div");
    panel.appendChild(list);
    root.appendChild(panel);
    foldable(map, "legend", root, button, panel);
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    return root;
  };
  control.addTo(map);
  CONTROLS.push(control);
  return control;
}
