/* nerchinsk-map: The layer control: base maps and overlays by group.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
/* Layer control with groups: base maps as radio buttons, overlays as checkboxes by group. */
function layerControl(map, config) {
  applyHashLayers(map);  // a shared link's layers, before the checkboxes are drawn
  var control = foldingControl(map, "layers", "topright", function () {
    var root = el("section", "nm-control nm-layers leaflet-bar");
    root.setAttribute("aria-label", t("Layers"));
    var toggle = el("button", null, t("Layers"));
    var panel = el("div");
    root.appendChild(toggle);
    root.appendChild(panel);

    var bases = el("fieldset", "nm-group");
    bases.appendChild(el("legend", null, t("Base map")));
    config.bases.forEach(function (base, i) {
      var label = el("label", "nm-entry");
      var input = el("input");
      input.type = "radio";
      input.name = "nm-base";
      input.value = base.id;
      input.setAttribute("data-base-id", base.id);
      input.checked = base.layer ? map.hasLayer(base.layer) : !config.bases.some(function (b) { return b.layer && map.hasLayer(b.layer); });
      input.addEventListener("change", function () {
        config.bases.forEach(function (other) {
          if (other.layer && map.hasLayer(other.layer)) map.removeLayer(other.layer);
        });
        if (base.layer) base.layer.addTo(map);
        if (LAYOUT.compact) setOpen(map, "layers", false);  // one choice made: a small map shows it
      });
      label.appendChild(input);
      label.appendChild(el("span", null, t(base.title)));
      bases.appendChild(label);
    });
    panel.appendChild(bases);

    config.groups.forEach(function (group) {
      var fs = el("fieldset", "nm-group");
      fs.appendChild(el("legend", null, t(group.title)));
      group.layers.forEach(function (entry) {
        var label = el("label", "nm-entry");
        var input = el("input");
        input.type = "checkbox";
        input.checked = map.hasLayer(entry.layer);
        input.setAttribute("data-layer-id", entry.id);
        input.addEventListener("change", function () {
          if (input.checked) entry.layer.addTo(map); else map.removeLayer(entry.layer);
        });
        function sync() { input.checked = map.hasLayer(entry.layer); }  // shown or hidden elsewhere (a link, back)
        if (entry.nmSync) entry.layer.off("add remove", entry.nmSync);
        entry.nmSync = sync;
        entry.layer.on("add remove", sync);
        label.appendChild(input);
        label.appendChild(swatch(entry.layer.nmSpec));
        label.appendChild(el("span", null, layerText(entry.layer.nmSpec, "title")));
        label.title = layerText(entry.layer.nmSpec, "description");
        fs.appendChild(label);
      });
      panel.appendChild(fs);
    });
    return { root: root, button: toggle, panel: panel };
  });
  return control;
}
