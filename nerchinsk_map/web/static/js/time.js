/* nerchinsk-map: The time control: a year slider, play/pause, key years, all years.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
/* Time control: a year slider with play/pause, jumps to key years, and "all years". */
function timeControl(map, layers, options) {
  var control = L.control({ position: "bottomright" });
  var state = { year: options.start, all: !!options.all, timer: null };
  var slider, output, playButton, allBox;

  function apply() {
    var year = state.all ? null : state.year;
    layers.forEach(function (layer) { layer.nmSetYear(year); });
    slider.value = String(state.year);
    slider.disabled = state.all;
    output.textContent = state.all ? t("all years") : String(state.year);
    slider.setAttribute("aria-valuetext", output.textContent);
    map.getContainer().setAttribute("data-year", state.all ? "all" : String(state.year));
  }
  function stop() {
    if (state.timer) { clearInterval(state.timer); state.timer = null; }
    playButton.textContent = t("▶ Play");
    playButton.setAttribute("aria-pressed", "false");
  }
  function play() {
    if (state.all) { state.all = false; allBox.checked = false; }
    if (state.year >= options.max) state.year = options.min;
    playButton.textContent = t("❚❚ Pause");
    playButton.setAttribute("aria-pressed", "true");
    state.timer = setInterval(function () {
      state.year = Math.min(options.max, state.year + (options.step || 1));
      apply();
      if (state.year >= options.max) stop();
    }, options.interval_ms || 120);
  }

  control.onAdd = function () {
    var root = el("section", "nm-control nm-time");
    root.setAttribute("aria-label", t("Time"));
    var head = el("div", "nm-time-head");
    var label = el("label", null, t("Year") + " ");
    label.setAttribute("for", "nm-year");
    output = el("output", "nm-year-value");
    output.setAttribute("for", "nm-year");
    output.setAttribute("aria-live", "polite");
    label.appendChild(output);
    head.appendChild(label);
    playButton = el("button", "nm-play", state.timer ? t("❚❚ Pause") : t("▶ Play"));
    playButton.type = "button";
    playButton.setAttribute("aria-pressed", state.timer ? "true" : "false");
    playButton.addEventListener("click", function () { if (state.timer) stop(); else play(); });
    head.appendChild(playButton);
    var allLabel = el("label", "nm-all");
    allBox = el("input");
    allBox.type = "checkbox";
    allBox.className = "nm-all-years";
    allBox.checked = state.all;
    allBox.addEventListener("change", function () { stop(); state.all = allBox.checked; apply(); });
    allLabel.appendChild(allBox);
    allLabel.appendChild(el("span", null, t("All years")));
    head.appendChild(allLabel);
    root.appendChild(head);

    slider = el("input", "nm-year");
    slider.id = "nm-year";
    slider.type = "range";
    slider.min = String(options.min);
    slider.max = String(options.max);
    slider.step = String(options.step || 1);
    slider.setAttribute("aria-label", t("Year"));
    slider.addEventListener("input", function () { stop(); state.year = parseInt(slider.value, 10); apply(); });
    root.appendChild(slider);

    var marks = el("div", "nm-marks");
    (options.marks || []).forEach(function (mark) {
      var b = el("button", "nm-mark", mark.year);
      b.type = "button";
      b.title = t(mark.label);
      b.setAttribute("aria-label", mark.year + ": " + t(mark.label));
      b.setAttribute("data-year", mark.year);
      b.addEventListener("click", function () { stop(); state.all = false; allBox.checked = false; state.year = mark.year; apply(); });
      marks.appendChild(b);
    });
    root.appendChild(marks);
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    setTimeout(apply, 0);  // once the control is in the page (also after a language switch)
    return root;
  };
  control.addTo(map);
  CONTROLS.push(control);
  apply();
  /* For scripts and tests: set the year (or null for all years). */
  control.setYear = function (year) {
    stop();
    state.all = year === null;
    allBox.checked = state.all;
    if (year !== null) state.year = year;
    apply();
  };
  map.nmTime = control;
  return control;
}
