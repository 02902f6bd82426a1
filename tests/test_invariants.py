"""Every tap lands: the page's layout invariants, checked in Chromium at all 18 viewport x
language cases, at the opening view, with each panel opened in turn (by a tap on its button)
and with a popup opened by a real tap on a 1689 segment, a fort and a basin:

- no clipped text: no element of a control, panel or popup is wider than its box (scrollWidth
  against clientWidth, and its bounding box against its panel's) unless it scrolls on purpose,
  and a popup's label column is never narrower than its words (or 4.5 em);
- an open popup lies wholly inside the map and under no control;
- no two controls (panels open or folded, zoom, scale, credits) overlap;
- every permanently labelled marker in view, and its whole label, lies inside the map;
- a tap on the centre of any visible item of an open panel reaches that item (an item scrolled
  out of the panel's box, or under the panel's own sticky header, is not visible);
- no two permanent labels overlap.

The reader's views hold them too: at each of the 18 cases, every step of the shipped story and,
in turn by language (so that each is seen at all six sizes), every clause of every reading and
every comparison of two readings or two years the page offers, each opened by its link.

One browser for the module (conftest's session Chromium); the page is loaded once per case."""

from __future__ import annotations

import pytest
from conftest import page_blocks, watch_offline

pytestmark = pytest.mark.browser

VIEWPORTS = [(320, 568), (390, 844), (844, 390), (768, 1024), (1280, 800), (1920, 1080)]
LANGS = ["en", "ru", "zh"]
PANELS = ["title", "layers", "legend", "time"]
LINE = "path.nm-layer-treaty_1689"

# The invariants as one function of the page's present state: a list of what breaks them.
INVARIANTS_JS = r"""(opening) => {
  const bad = [];
  const map = document.querySelector('.folium-map');
  const M = map.getBoundingClientRect();
  const EPS = 1;
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && +s.opacity > 0.05; };
  const name = e => (e.className && e.className.baseVal !== undefined ? e.className.baseVal : e.className || e.tagName)
    + ' "' + (e.textContent || '').trim().slice(0, 30) + '"';
  const inside = (r, b, eps) => r.left >= b.left - eps && r.right <= b.right + eps && r.top >= b.top - eps && r.bottom <= b.bottom + eps;
  const meet = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > EPS && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > EPS;
  // only a box that says so scrolls sideways on purpose; panels scroll up and down
  const scrollsX = e => getComputedStyle(e).overflowX === 'scroll';
  const clips = e => getComputedStyle(e).overflowX !== 'visible';
  const controls = [...map.querySelectorAll('.leaflet-control')].filter(visible);
  const popups = [...map.querySelectorAll('.leaflet-popup')].filter(visible);
  const parts = () => controls.concat([...map.querySelectorAll('.nm-panel:not([hidden])')].filter(visible));

  // 1. no clipped text in a control or a popup
  const boxes = controls.concat(popups.map(p => p.querySelector('.leaflet-popup-content-wrapper')));
  for (const box of boxes) {
    const B = box.getBoundingClientRect();
    for (const e of [box, ...box.querySelectorAll('*')]) {
      if (!visible(e) || e.closest('svg') && e.tagName !== 'svg') continue;
      if (e.scrollWidth > e.clientWidth + EPS && e.clientWidth > 0 && !scrollsX(e) && getComputedStyle(e).display !== 'inline') {
        bad.push(`clipped: ${name(e)} is ${e.scrollWidth} px wide in ${e.clientWidth} px`);
      }
      const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      let clip = e.parentElement; while (clip && clip !== box && !clips(clip)) clip = clip.parentElement;
      const C = (clip || box).getBoundingClientRect();
      const R = e.getBoundingClientRect();
      if (!scrollsX(clip || box) && (R.left < C.left - EPS || R.right > C.right + EPS)) {
        bad.push(`clipped: ${name(e)} [${R.left|0}, ${R.right|0}] runs out of its box [${C.left|0}, ${C.right|0}]`);
      }
    }
  }
  for (const th of map.querySelectorAll('.leaflet-popup .nm-popup-table th')) {
    const probe = document.createElement('span');
    probe.style.cssText = 'position:absolute;white-space:nowrap;visibility:hidden';
    probe.textContent = th.textContent.split(/\s+/).sort((a, b) => b.length - a.length)[0];
    th.appendChild(probe);
    const word = probe.getBoundingClientRect().width;
    const em = parseFloat(getComputedStyle(th).fontSize);
    probe.remove();
    const width = th.getBoundingClientRect().width;
    if (width + EPS < Math.min(word, 4.5 * em)) bad.push(`collapsed label column: ${name(th)} is ${width|0} px for a ${word|0} px word`);
  }

  // 2. an open popup lies inside the map and under no control
  for (const p of popups) {
    const P = p.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
    if (!inside(P, M, EPS)) bad.push(`popup outside the map: [${P.left|0},${P.top|0},${P.right|0},${P.bottom|0}]`);
    for (const c of parts()) if (meet(P, c.getBoundingClientRect())) bad.push(`popup under ${name(c)}`);
  }

  // 3. no two controls (or open panels, which may stand apart from their buttons) overlap,
  //    and each lies inside the map
  const all = parts();
  for (let i = 0; i < all.length; i++) {
    const A = all[i].getBoundingClientRect();
    if (!inside(A, M, EPS)) bad.push(`control outside the map: ${name(all[i])}`);
    for (let j = i + 1; j < all.length; j++) {
      if (all[i].contains(all[j]) || all[j].contains(all[i])) continue;  // a panel in its own control
      if (meet(A, all[j].getBoundingClientRect())) bad.push(`overlap: ${name(all[i])} / ${name(all[j])}`);
    }
  }

  // 4. permanent labels: in view, wholly inside the map, clear of each other; at the opening
  //    view, their markers too
  const shown = [];
  for (const tip of map.querySelectorAll('.leaflet-tooltip.nm-label')) {
    if (!visible(tip)) continue;
    const T = tip.getBoundingClientRect();
    if (!meet(T, M)) continue;
    if (!inside(T, M, 0)) bad.push(`label cut at the map's edge: ${name(tip)}`);
    for (const other of shown) {
      if (meet(T, other.getBoundingClientRect())) bad.push(`labels overlap: ${name(tip)} / ${name(other)}`);
    }
    shown.push(tip);
  }
  for (const dot of opening ? map.querySelectorAll('path.nm-layer-places') : []) {  // the opening view
    if (!visible(dot)) continue;
    const D = dot.getBoundingClientRect();
    if (D.width < 4) continue;  // Leaflet's empty path ("M0 0") for a marker outside its canvas
    if (meet(D, M) && !inside(D, M, 0)) bad.push(`marker cut at the map's edge: ${dot.getAttribute('class')}`);
  }

  // 5. every visible item of an open panel is reached by a tap at its centre
  for (const panel of map.querySelectorAll('.nm-panel:not([hidden])')) {
    const P = panel.getBoundingClientRect();
    const stuck = [...panel.querySelectorAll('*')].filter(e => getComputedStyle(e).position === 'sticky');
    for (const item of panel.querySelectorAll('li, label, button, summary, input, select, a')) {
      if (!visible(item)) continue;
      const R = item.getBoundingClientRect();
      const x = (R.left + R.right) / 2, y = (R.top + R.bottom) / 2;
      if (x < P.left || x > P.right || y < P.top || y > P.bottom) continue;  // scrolled out of view
      if (stuck.some(s => !s.contains(item) && !item.contains(s) && (r => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom)(s.getBoundingClientRect()))) continue;  // scrolled under the panel's own sticky header
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) { bad.push(`off screen: ${name(item)}`); continue; }
      const top = document.elementFromPoint(x, y);
      if (!top || !(top === item || item.contains(top) || top.contains(item) && top.tagName === 'LABEL')) {
        bad.push(`tap on ${name(item)} lands on ${top ? name(top) : 'nothing'}`);
      }
    }
  }
  return bad;
}"""

# A point of the map where a tap reaches a feature of ``selector`` (the topmost element there
# is one of its paths), nearest the map's centre; null when none is in view.
TAP_POINT_JS = r"""(selector) => {
  const map = document.querySelector('.folium-map');
  const M = map.getBoundingClientRect();
  const cx = (M.left + M.right) / 2, cy = (M.top + M.bottom) / 2;
  let best = null;
  const consider = (el, x, y) => {
    if (x < M.left + 2 || y < M.top + 2 || x > M.right - 2 || y > M.bottom - 2) return;
    if (document.elementFromPoint(x, y) !== el) return;
    const d = Math.hypot(x - cx, y - cy);
    if (!best || d < best.d) best = { x, y, d };
  };
  for (const path of document.querySelectorAll(selector)) {
    const R = path.getBoundingClientRect();
    if (path.getAttribute('fill') !== 'none' && path.getAttribute('fill-opacity') !== '0') {
      for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) consider(path, R.left + R.width * i / 12, R.top + R.height * j / 12);
    }
    const length = path.getTotalLength(), ctm = path.getScreenCTM();
    const n = Math.max(10, Math.round(length / 6));
    for (let i = 0; i <= n; i++) {
      const q = path.getPointAtLength(length * i / n);
      consider(path, ctm.a * q.x + ctm.c * q.y + ctm.e, ctm.b * q.x + ctm.d * q.y + ctm.f);
    }
  }
  return best;
}"""

SETTLED_JS = """() => new Promise(done => {
  const m = window[document.querySelector('.folium-map').id];
  if ((m._panAnim && m._panAnim._inProgress) || m._animatingZoom) return done(false);
  requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
})"""

TARGETS = {
    "segment": "path.nm-feature.nm-layer-treaty_1689",
    "fort": "path.nm-feature.nm-layer-places",
    "basin": "path.nm-feature.nm-layer-watersheds",
}


@pytest.fixture(scope="module")
def context_of(browser):
    """A browser context per viewport (a phone: mobile, touch), shared by the module's tests."""
    contexts = {}

    def make(width: int, height: int):
        if (width, height) not in contexts:
            phone = width < 600 or height < 600
            contexts[width, height] = browser.new_context(
                viewport={"width": width, "height": height}, device_scale_factor=1,
                is_mobile=phone, has_touch=phone or width < 1024)
        return contexts[width, height]

    yield make
    for context in contexts.values():
        context.close()


def tap(page, x: float, y: float, touch: bool) -> None:
    """A real tap: the touchscreen on a touch device, the mouse elsewhere."""
    if touch:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def check(page, when: str, opening: bool = False) -> list[str]:
    page.wait_for_timeout(300)  # Leaflet's pan to fit a popup starts
    page.wait_for_function(SETTLED_JS)  # and ends; the labels are placed a frame later
    return [f"{when}: {b}" for b in page.evaluate(INVARIANTS_JS, opening)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_every_tap_lands(context_of, built_map, width, height, lang):
    context = context_of(width, height)
    touch = width < 600 or height < 600 or width < 1024
    page = watch_offline(context.new_page())
    try:
        page.goto(built_map.as_uri() + "#lang=" + lang)
        page.wait_for_function(f"() => window.L && document.querySelector('{LINE}')")
        page.wait_for_timeout(250)
        bad = check(page, "opening view", opening=True)
        for name in PANELS:
            button = page.locator(f".leaflet-control button.nm-toggle[aria-controls=nm-panel-{name}]")
            if button.get_attribute("aria-expanded") != "true":
                box = button.bounding_box()
                tap(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, touch)
            assert button.get_attribute("aria-expanded") == "true", f"a tap on the {name} button does not open it"
            bad += check(page, f"{name} open", opening=True)
        for what, selector in TARGETS.items():
            page.keyboard.press("Escape")
            page.evaluate("() => { const m = window[document.querySelector('.folium-map').id]; m.closePopup();"
                          " NerchinskMap.layers().filter(g => g.nmSpec.id === 'watersheds').forEach(g => m.addLayer(g)); }")
            for name in PANELS:  # the panels folded, as a reader closes them to see the map
                button = page.locator(f".leaflet-control button.nm-toggle[aria-controls=nm-panel-{name}]")
                if button.get_attribute("aria-expanded") == "true" and (width < 1024 or name == "layers"):
                    button.click()
            point = page.evaluate(TAP_POINT_JS, selector)
            assert point, f"no {what} to tap at {width}x{height}: " + page.evaluate(
                "(s) => [...document.querySelectorAll(s)].map(p => { const r = p.getBoundingClientRect();"
                " const e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
                " return [r.x | 0, r.y | 0, e && (e.className.baseVal || e.className)]; }).join('; ')", selector)
            tap(page, point["x"], point["y"], touch)
            page.wait_for_selector(".leaflet-popup .nm-popup", timeout=3000)
            bad += check(page, f"{what} popup")
        assert page.errors == []
        assert not bad, "\n".join(dict.fromkeys(bad))
    finally:
        page.close()


def reader_links(built_map, lang: str) -> list[str]:
    """The links of the reader's views the page holds: every story step, and the clauses and
    comparisons whose turn is ``lang``'s (one in three of each, by position)."""
    data = page_blocks(built_map.read_text(encoding="utf-8"))["nm-reader-data"]
    turn = LANGS.index(lang)
    story = data["stories"][0]
    links = [f"#story={n}" for n in range(1, len(story["steps"]) + 1)]
    clauses = [f"{r['id']}/{c['id']}" for r in data["readings"] for c in r["clauses"]]
    pairs = [f"{p['a']},{p['b']}" for p in data["compare"]["pairs"] + data["years"]["pairs"]]
    return links + [f"#clause={c}" for c in clauses[turn::3]] + [f"#compare={p}" for p in pairs[turn::3]]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_the_readers_views_hold_the_invariants(context_of, built_map, width, height, lang):
    page = watch_offline(context_of(width, height).new_page())
    try:
        page.goto(built_map.as_uri() + "#lang=" + lang)
        page.wait_for_function(f"() => window.L && document.querySelector('{LINE}')")
        bad: list[str] = []
        for link in reader_links(built_map, lang):
            page.evaluate("(link) => { location.hash = link; }", f"{link}&lang={lang}")
            page.wait_for_selector(".nm-reader-panel:not([hidden])", timeout=3000)
            bad += check(page, link)
        assert page.errors == []
        assert not bad, "\n".join(dict.fromkeys(bad))
    finally:
        page.close()


@pytest.fixture()
def desktop(context_of, built_map):
    """The map at 1280x800 with every layer shown."""
    page = watch_offline(context_of(1280, 800).new_page())
    page.goto(built_map.as_uri() + "#lang=en")
    page.wait_for_function(f"() => window.L && document.querySelector('{LINE}')")
    page.evaluate("() => { const m = window[document.querySelector('.folium-map').id];"
                  " NerchinskMap.layers().forEach(g => m.addLayer(g)); }")
    yield page
    page.close()


# Per legend entry of a layer: is it shown, are paths of the layer drawn; per variant row: is it
# shown, and is a path drawn in its swatch's colour and dashes.
LEGEND_JS = r"""() => {
  const out = [];
  for (const item of document.querySelectorAll('.nm-legend li[data-layer-id]')) {
    const id = item.dataset.layerId;
    const paths = [...document.querySelectorAll('path.nm-feature.nm-layer-' + id)];
    out.push({ what: id, shown: !item.hidden, drawn: paths.length > 0 });
    for (const row of item.querySelectorAll('.nm-variants > li')) {
      const shape = row.querySelector('svg > :last-child');
      const look = [shape.getAttribute('stroke'), shape.getAttribute('stroke-dasharray'), shape.getAttribute('fill')];
      const drawn = paths.some(p => p.getAttribute('stroke') === look[0] && p.getAttribute('stroke-dasharray') === look[1]
        && (look[2] === 'none' || p.getAttribute('fill') === look[2]));
      out.push({ what: id + '/' + row.dataset.variant, shown: !row.hidden, drawn });
    }
  }
  const dates = document.querySelector('.nm-legend li.nm-uncertain-dates');
  out.push({ what: 'uncertain dates', shown: !dates.hidden, drawn: !!document.querySelector('path.nm-feature.nm-perhaps') });
  return out;
}"""

# Rows whose swatch and label do not share a line.
ONE_LINE_JS = r"""() => [...document.querySelectorAll('.nm-legend li')].filter(li => !li.hidden && li.offsetParent).flatMap(li => {
  const svg = li.querySelector(':scope > .nm-legend-entry > svg, :scope > svg');
  const label = li.querySelector(':scope > .nm-legend-entry > span') || li.querySelector(':scope > span:not(.nm-legend-entry)');
  if (!svg || !label) return [];
  const a = svg.getBoundingClientRect(), b = label.getBoundingClientRect();
  return (a.bottom <= b.top || b.bottom <= a.top || a.right > b.left) ? [li.textContent.slice(0, 40)] : [];
})"""


@pytest.mark.parametrize("year", [1651, 1689, 1727, 1858, 1860, 2000, None])
def test_the_legend_is_the_drawing_of_the_year(desktop, year):
    """An entry (and a variant row) shows exactly when the map draws it in that year; a swatch
    and its label share a line in every language; the year button never reads "Year all years"."""
    page = desktop
    page.evaluate("(y) => window[document.querySelector('.folium-map').id].nmTime.setYear(y)", year)
    page.wait_for_timeout(50)
    wrong = [r for r in page.evaluate(LEGEND_JS) if r["shown"] != r["drawn"]]
    assert not wrong, wrong
    toggle = page.inner_text(".nm-time button.nm-toggle")
    assert toggle == ("All years" if year is None else f"Year {year}")
    for lang in LANGS:
        page.click(f".nm-lang button[data-lang={lang}]") if page.is_visible(".nm-lang") else None
        for width in (320, 240):  # the legend as wide as a desktop's, and squeezed
            page.evaluate("(w) => document.querySelector('.nm-legend').style.maxWidth = w + 'px'", width)
            assert page.evaluate(ONE_LINE_JS) == [], (lang, width)
    assert page.errors == []


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)], ids=["1280x800", "390x844"])
def test_the_legend_follows_the_layer_switches(context_of, built_map, width, height):
    """At the opening, and after each layer of the layer list is switched on or off in turn (a
    tap on its box), the legend lists exactly what the map draws: no entry for a layer switched
    off, an entry for one switched on; open, it stays clear of the other panels."""
    page = watch_offline(context_of(width, height).new_page())
    try:
        page.goto(built_map.as_uri() + "#lang=en")
        page.wait_for_function(f"() => window.L && document.querySelector('{LINE}')")
        wrong = [r for r in page.evaluate(LEGEND_JS) if r["shown"] != r["drawn"]]
        assert not wrong, ("opening", wrong)
        ids = page.eval_on_selector_all(".nm-layers input[data-layer-id]", "bs => bs.map(b => b.dataset.layerId)")
        assert len(ids) >= 8
        for layer_id in ids:
            for _ in range(2):  # switched over, and back
                page.evaluate("(id) => document.querySelector(`.nm-layers input[data-layer-id=${id}]`).click()", layer_id)
                wrong = [r for r in page.evaluate(LEGEND_JS) if r["shown"] != r["drawn"]]
                assert not wrong, (layer_id, wrong)
        for name in ("legend", "title"):  # both open, as on a desktop: the legend grown with every layer
            button = page.locator(f".leaflet-control button.nm-toggle[aria-controls=nm-panel-{name}]")
            if button.get_attribute("aria-expanded") != "true":
                button.click()
        page.evaluate("() => { const m = window[document.querySelector('.folium-map').id];"
                      " NerchinskMap.layers().forEach(g => m.addLayer(g)); }")
        bad = check(page, "every layer on")
        assert not bad, "\n".join(bad)
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("width,height", [(320, 568), (844, 390), (1280, 800)], ids=["320x568", "844x390", "1280x800"])
def test_choosing_a_place_shows_it(context_of, built_map, width, height):
    """A tap on a place in the list (title panel) opens that place's popup; on a small map the
    list gives way to it. Every place of the list, in every language, within the invariants."""
    page = watch_offline(context_of(width, height).new_page())
    touch = width < 1024
    try:
        for lang in LANGS:
            page.goto(built_map.as_uri() + "#lang=" + lang)
            page.wait_for_function(f"() => window.L && document.querySelector('{LINE}')")
            ids = page.eval_on_selector_all(".nm-places button[data-feature-id]", "bs => bs.map(b => b.dataset.featureId)")
            assert len(ids) >= 5
            for feature in ids:
                button = page.locator(".leaflet-control button.nm-toggle[aria-controls=nm-panel-title]")
                if button.get_attribute("aria-expanded") != "true":
                    button.click()
                if not page.evaluate("document.querySelector('.nm-places').open"):
                    page.click(".nm-places summary")
                entry = page.locator(f".nm-places button[data-feature-id='{feature}']")
                entry.scroll_into_view_if_needed()
                box = entry.bounding_box()
                tap(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, touch)
                page.wait_for_selector(f".leaflet-popup .nm-popup[data-feature-id='{feature}']", timeout=3000)
                if width < 640 or height < 500:
                    assert button.get_attribute("aria-expanded") == "false", f"{feature}: the list stays open over it"
                bad = check(page, f"{lang} {feature} chosen")
                assert not bad, "\n".join(bad)
        assert page.errors == []
    finally:
        page.close()


def test_each_reading_has_its_own_swatch_unlike_rivers_and_later_borders(catalog):
    """Every competing reading is drawn in a style of its own (colour, dashes, width), in a
    colour at least 30° of hue from the rivers' and the later borders' (or, for a grey, far in
    lightness), so that no reading is read as a river or a later border."""
    from test_legend import _lch

    spec = catalog["treaty_1689_readings"]
    base, by = spec.style["base"], spec.style["by"]["values"]
    looks = {key: tuple({**base, **value}.get(k) for k in ("color", "dashArray", "weight")) for key, value in by.items()}
    assert len(set(looks.values())) == len(looks), looks
    others = []
    for layer_id in ("rivers", "borders_later"):
        style = catalog[layer_id].style
        others += [style["base"]["color"]] + [v["color"] for v in style.get("by", {}).get("values", {}).values() if "color" in v]
    for key, (colour, _, _) in looks.items():
        lightness, chroma, hue = _lch(colour)
        for other in others:
            l2, c2, h2 = _lch(other)
            if chroma < 10 or c2 < 10:
                assert abs(lightness - l2) >= 25 or (chroma >= 10) != (c2 >= 10), (key, colour, other)
            else:
                assert min(abs(hue - h2), 360 - abs(hue - h2)) >= 30, (key, colour, other)
