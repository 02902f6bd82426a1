/* nerchinsk-map: The texts panel: each treaty's readings clause by clause, in reading order,
 * with the versions the sources give; a clause and its segments are linked both ways
 * (#clause=READING/CLAUSE). Uses reader.js; the versions are drawn by popup.js's treatyTexts.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
var TEXTS = { current: null };  // {reading, clause}

function findClause(readingId, clauseId) {
  var data = readerData();
  for (var i = 0; i < data.readings.length; i++) {
    var r = data.readings[i];
    if (r.id !== readingId) continue;
    for (var j = 0; j < r.clauses.length; j++) if (r.clauses[j].id === clauseId) return { reading: r, clause: r.clauses[j] };
  }
  return null;
}

/* Choose a clause: mark its button, highlight its segments and frame them. */
function chooseClause(map, readingId, clauseId, options) {
  var found = findClause(readingId, clauseId);
  if (!found) return false;
  options = options || {};
  if (COMPARE.drawn) READER.views.compare.clear(map);
  TEXTS.current = { reading: readingId, clause: clauseId };
  var bounds = markFeatures(map, found.clause.segments, false);
  if (options.fit !== false) frame(map, bounds);
  markClauseButton(readingId, clauseId, options.scroll);
  return true;
}

function markClauseButton(readingId, clauseId, scroll) {
  var body = READER.parts && READER.parts.body;
  if (!body) return;
  body.querySelectorAll(".nm-clause").forEach(function (b) {
    var here = b.getAttribute("data-reading") === readingId && b.getAttribute("data-clause") === clauseId;
    if (here) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
    if (here && scroll) b.scrollIntoView({ block: "nearest" });
  });
}

function clauseItem(map, reading, clause, n) {
  var item = el("li", "nm-clause-item");
  var label = clause.name ? (clause.name[I18N.lang] || clause.name.en) : t("Clause") + " " + n + ": " + clause.id;
  var button = el("button", "nm-clause", label);
  button.type = "button";
  button.setAttribute("data-reading", reading.id);
  button.setAttribute("data-clause", clause.id);
  if (TEXTS.current && TEXTS.current.reading === reading.id && TEXTS.current.clause === clause.id) {
    button.setAttribute("aria-current", "true");
  }
  button.addEventListener("click", function () {
    chooseClause(map, reading.id, clause.id, { fit: true });
    readerChanged("texts");
  });
  item.appendChild(button);
  if (clause.texts.length) item.appendChild(treatyTexts(clause.texts));
  if (!clause.located) {
    var where = el("p", "nm-unlocated", t("The sources do not locate this clause; the map draws it as an assumption.") + " ");
    if (clause.note) where.appendChild(dataNode("span", null, clause.note));
    item.appendChild(where);
  }
  if (!clause.segments.length) item.appendChild(el("p", "nm-undrawn", t("Not drawn on this map.")));
  else if (clause.whole) item.appendChild(el("p", "nm-whole", t("Drawn with the reading's other clauses as one line.")));
  if (clause.departs) {  // computed at build (web/texts.py): the clause's line against the common one's
    item.classList.add("nm-clause-departing");
    item.appendChild(el("p", "nm-clause-departs", t("This clause's line departs from the common reading's by up to") + " " +
      number(clause.departs_km) + t(" km")));
  } else if (clause.departs_km !== null && clause.departs_km !== undefined) {
    item.appendChild(el("p", "nm-clause-same", t("This clause's line lies on the common reading's.")));
  }
  if (clause.role) item.appendChild(dataNode("p", "nm-role", clause.role));
  return item;
}

function renderTexts(map, body) {
  var data = readerData();
  var treaty = null;
  data.readings.forEach(function (reading) {
    var key = reading.treaty + " " + reading.year;
    if (key !== treaty) {
      treaty = key;
      body.appendChild(el("h2", "nm-treaty", t(reading.treaty) + " (" + reading.year + ")"));
    }
    var section = el("section", "nm-reading" + (reading.common ? "" : " nm-competing"));
    section.setAttribute("data-reading", reading.id);
    section.appendChild(wordsNode("h3", "nm-reading-title", reading.title));
    if (!reading.common) {
      var departs = el("p", "nm-departs", t("Departs from the common reading") + ": ");
      if (reading.question) departs.appendChild(dataNode("span", null, reading.question));
      section.appendChild(departs);
    }
    if (reading.reading) section.appendChild(dataNode("p", "nm-reading-text", reading.reading));
    var list = el("ol", "nm-clauses");
    reading.clauses.forEach(function (clause, i) { list.appendChild(clauseItem(map, reading, clause, i + 1)); });
    section.appendChild(list);
    body.appendChild(section);
  });
  if (TEXTS.current) setTimeout(function () { markClauseButton(TEXTS.current.reading, TEXTS.current.clause, true); }, 0);
}

/* A segment chosen on the map: its clause is marked and scrolled into view (the panel open on
   the texts). */
function segmentChosen(map, popup) {
  var source = popup._source;
  var props = source && source.feature && source.feature.properties;
  if (!props || !isReaderOpen() || READER.tab !== "texts") return;
  var layerId = null;
  LAYERS.forEach(function (group) {
    group.nmFeatures.forEach(function (d) { if (d.layer === source) layerId = group.nmSpec.id; });
  });
  var data = readerData();
  for (var i = 0; i < data.readings.length; i++) {
    var r = data.readings[i];
    for (var j = 0; j < r.clauses.length; j++) {
      var hit = r.clauses[j].segments.some(function (s) { return s[0] === layerId && s[1] === props.id; });
      if (hit && !r.clauses[j].whole) {
        TEXTS.current = { reading: r.id, clause: r.clauses[j].id };
        markClauseButton(r.id, r.clauses[j].id, true);
        return;
      }
    }
  }
}

READER.views.texts = {
  render: renderTexts,
  write: function () {
    return TEXTS.current ? "clause=" + encodeURIComponent(TEXTS.current.reading) + "/" + encodeURIComponent(TEXTS.current.clause) : null;
  },
  read: function (map, hash, opening) {
    var m = /^([^/]+)\/([^/]+)$/.exec(hash.clause || "");
    if (!m || !findClause(m[1], m[2])) return false;
    var same = READER.active === "texts" && TEXTS.current && TEXTS.current.reading === m[1] && TEXTS.current.clause === m[2];
    READER.tab = "texts";
    openReader(map, "texts");
    if (!same || opening) chooseClause(map, m[1], m[2], { fit: opening, scroll: true });
    return true;
  },
  clear: function () { TEXTS.current = null; unmark(); },
  init: function (map) { map.on("popupopen", function (e) { segmentChosen(map, e.popup); }); }
};
