/* nerchinsk-map: The guided story: steps that each set the year, the view and the layers,
 * highlight features and tell a short sourced text; Back/Next, the arrow keys, a step counter;
 * #story=N (the first story) or #story=ID:N. Stories are data (geodata/stories/, build --story).
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
var STORY = { id: null, n: 0 };  // n: the step shown, 1-based (0: not started)

function storyById(id) {
  var stories = readerData().stories;
  for (var i = 0; i < stories.length; i++) if (stories[i].id === id) return stories[i];
  return stories[0] || null;
}

/* Show step ``n`` of story ``id``: year, layers, highlights, then the view. */
function showStep(map, id, n, fit) {
  var story = storyById(id);
  if (!story) return false;
  n = Math.max(1, Math.min(story.steps.length, n));
  var step = story.steps[n - 1];
  if (COMPARE.drawn) READER.views.compare.clear(map);
  STORY.id = story.id;
  STORY.n = n;
  if (map.nmTime) map.nmTime.setYear(step.year);
  if (step.layers) {
    LAYERS.forEach(function (group) {
      if (group.nmSpec.interactive === false) return;
      var want = step.layers.indexOf(group.nmSpec.id) >= 0;
      if (want && !map.hasLayer(group)) map.addLayer(group);
      if (!want && map.hasLayer(group)) map.removeLayer(group);
    });
  }
  markFeatures(map, step.highlight ? step.highlight.map(function (h) { return [h.layer, h.feature]; }) : [], true);
  renderReader(map);  // the step's text first: the view is fitted to the room the panel leaves
  sizePanel(map);
  if (fit !== false) frame(map, L.latLngBounds(step.view));
  return true;
}

function storyButton(name, label, enabled, onClick) {
  var b = el("button", "nm-story-" + name, label);
  b.type = "button";
  b.disabled = !enabled;
  b.setAttribute("data-action", name);
  b.addEventListener("click", onClick);
  return b;
}

/* Go to step ``n`` as the reader asked: applied, remembered, the panel redrawn with the focus
   kept on the button that was pressed. */
function goStep(map, n, action) {
  showStep(map, STORY.id, n, true);
  readerChanged("story");
  renderReader(map);
  var again = READER.parts && READER.parts.body.querySelector("[data-action='" + action + "']:not([disabled])");
  var other = READER.parts && READER.parts.body.querySelector(".nm-story-nav button:not([disabled])");
  if (again || other) (again || other).focus();
}

function renderStory(map, body) {
  var stories = readerData().stories;
  if (!stories.length) {
    body.appendChild(el("p", null, t("This map has no story.")));
    return;
  }
  var story = storyById(STORY.id);
  if (stories.length > 1) {
    var label = el("label", "nm-story-choice", t("Story") + " ");
    var select = el("select");
    stories.forEach(function (s) {
      var option = wordsNode("option", null, s.title);
      option.value = s.id;
      option.selected = s.id === story.id;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { STORY.id = select.value; STORY.n = 0; renderReader(map); });
    label.appendChild(select);
    body.appendChild(label);
  }
  body.appendChild(wordsNode("h2", "nm-story-title", story.title));
  var total = story.steps.length;
  var count = el("p", "nm-story-count", STORY.n ? t("Step {n} of {total}").replace("{n}", STORY.n).replace("{total}", total)
                                                : t("{total} steps").replace("{total}", total));
  count.setAttribute("aria-live", "polite");
  body.appendChild(count);
  var nav = el("div", "nm-story-nav");
  if (!STORY.n) {
    nav.appendChild(storyButton("start", t("Start"), true, function () { STORY.id = story.id; goStep(map, 1, "next"); }));
    body.appendChild(nav);
    return;
  }
  var step = story.steps[STORY.n - 1];
  nav.appendChild(storyButton("back", t("Back"), STORY.n > 1, function () { goStep(map, STORY.n - 1, "back"); }));
  nav.appendChild(storyButton("next", t("Next"), STORY.n < total, function () { goStep(map, STORY.n + 1, "next"); }));
  body.appendChild(nav);  // above the text: in reach on a phone's sheet without scrolling
  var article = el("article", "nm-story-step");
  article.setAttribute("data-step", step.id);
  article.appendChild(wordsNode("h3", null, step.title));
  article.appendChild(wordsNode("p", "nm-story-text", step.text));
  var sources = el("p", "nm-story-sources", t("Sources") + ": ");
  sources.appendChild(el("span", null, step.sources.join("; ")));
  article.appendChild(sources);
  body.appendChild(article);
}

function storyKey(map, e) {
  if (!STORY.n || /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) return;
  var total = storyById(STORY.id).steps.length;
  if (e.key === "ArrowRight" && STORY.n < total) { e.preventDefault(); goStep(map, STORY.n + 1, "next"); }
  if (e.key === "ArrowLeft" && STORY.n > 1) { e.preventDefault(); goStep(map, STORY.n - 1, "back"); }
}

READER.views.story = {
  render: renderStory,
  key: storyKey,
  write: function () {
    if (!STORY.n) return null;
    var first = readerData().stories[0];
    return "story=" + (first && first.id === STORY.id ? STORY.n : encodeURIComponent(STORY.id) + ":" + STORY.n);
  },
  read: function (map, hash, opening) {
    var m = /^(?:([a-z][a-z0-9_-]{0,39}):)?([0-9]{1,3})$/.exec(hash.story || "");
    if (!m) return false;
    var stories = readerData().stories;
    var story = m[1] ? stories.filter(function (s) { return s.id === m[1]; })[0] : stories[0];
    var n = parseInt(m[2], 10);
    if (!story || n < 1 || n > story.steps.length) return false;
    var same = READER.active === "story" && STORY.id === story.id && STORY.n === n;
    READER.tab = "story";
    openReader(map, "story");  // open first: the step's view is fitted to the room the panel leaves
    if (!same || opening) showStep(map, story.id, n, opening);
    return true;
  },
  clear: function () { STORY.n = 0; unmark(); },
  init: function (map) {
    document.addEventListener("keydown", function (e) {  // the arrows, anywhere but a field or the map
      if (READER.tab === "story" && isReaderOpen() && e.target === document.body) storyKey(map, e);
    });
  }
};
