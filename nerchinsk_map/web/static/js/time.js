/* nerchinsk-map: The time control: a year slider, play/pause, key years, all years.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
/* Time control: a year slider with play/pause, jumps to key years, and "all years". */
function timeControl(map, layers, options) {
  var state = { year: options.start, all: !!options.all, timer: null };
  var asked = yearFromHash();  // a shared link's year
  if (asked === null) state.all = true;
  if (typeof asked === "number") {
    state.all = false;
    state.year = Math.max(options.min, Math.min(options.max, asked));
  }
  var slider, output, playButton, allBox, toggle;

  function apply() {
    var year = state.all ? null : state.year;
    layers.forEach(function (layer) { layer.nmSetYear(year); });
    slider.value = String(state.year);
    slider.disabled = state.all;
    output.textContent = state.all ? t("all years") : String(state.year);
    slider.setAttribute("aria-valuetext", output.textContent);
    map.getContainer().setAttribute("data-year", state.all ? "all" : String(state.year));
    toggle.textContent = state.all ? t("All years") : t("Year") + " " + output.textContent;
    map.fire("nmyear", { year: year });  // the legend follows what is drawn
  }
  /* A reader's change: applied, and remembered in the URL. */
  function changed() {
    apply();
    rememberState();
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
      changed();
      if (state.year >= options.max) stop();
    }, options.interval_ms || 120);
  }

  var control = foldingControl(map, "time", "bottomright", function () {
    var root = el("section", "nm-control nm-time");
    root.setAttribute("aria-label", t("Time"));
    toggle = el("button", "nm-time-toggle");
    root.appendChild(toggle);
    var panel = el("div");
    root.appendChild(panel);
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
    allBox.addEventListener("change", function () { stop(); state.all = allBox.checked; changed(); });
    allLabel.appendChild(allBox);
    allLabel.appendChild(el("span", null, t("All years")));
    head.appendChild(allLabel);
    panel.appendChild(head);

    slider = el("input", "nm-year");
    slider.id = "nm-year";
    slider.type = "range";
    slider.min = String(options.min);
    slider.max = String(options.max);
    slider.step = String(options.step || 1);
    slider.setAttribute("aria-label", t("Year"));
    slider.addEventListener("input", function () { stop(); state.year = parseInt(slider.value, 10); changed(); });
    panel.appendChild(slider);

    var marks = el("div", "nm-marks");
    (options.marks || []).forEach(function (mark) {
      var b = el("button", "nm-mark", mark.year);
      b.type = "button";
      b.title = t(mark.label);
      b.setAttribute("aria-label", mark.year + ": " + t(mark.label));
      b.setAttribute("data-year", mark.year);
      b.addEventListener("click", function () {
        stop(); state.all = false; allBox.checked = false; state.year = mark.year; changed();
        if (LAYOUT.compact) { setOpen(map, "time", false); toggle.focus(); }  // a small map: the map of that year, its year on the button
      });
      marks.appendChild(b);
    });
    panel.appendChild(marks);
    setTimeout(apply, 0);  // once the control is in the page (also after a language switch)
    return { root: root, button: toggle, panel: panel };
  });
  apply();
  /* For scripts and tests: set the year (or null for all years). */
  control.setYear = function (year) {
    stop();
    state.all = year === null;
    allBox.checked = state.all;
    if (year !== null) state.year = year;
    apply();
  };
  /* The year shown, or "all". */
  control.getYear = function () { return state.all ? "all" : state.year; };
  map.nmTime = control;
  return control;
}
