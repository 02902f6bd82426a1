"""The reader's panel in headless Chromium, offline: every clause of every reading highlights and
frames its segments, uncovered by the panel, at every screen size and language; a segment chosen
on the map marks its clause; the shipped story plays through and each step's link reopens it;
the comparisons show the figures ``nm.readings.compare`` gives; links open exactly their state
and Back walks back; axe-core finds nothing with the panel open. One Chromium (the session's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AXE, cli, page_blocks, watch_offline
from test_responsive import LANGS, MEASURE_JS, VIEWPORTS

import nerchinsk_map as nm
from nerchinsk_map.web.stories import shipped_story_path

pytestmark = pytest.mark.browser

LINE = "path.nm-layer-treaty_1689"
HIGHLIGHT = "path.nm-highlight"
AXE_RUN = ("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
           ".map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`)")


@pytest.fixture(scope="module")
def story_map(tmp_path_factory) -> tuple[Path, dict]:
    """The map built with the shipped story and a teacher's own (two steps, another id)."""
    work = tmp_path_factory.mktemp("reader")
    shipped = json.loads(shipped_story_path().read_text(encoding="utf-8"))
    own = {"id": "class-7b", "title": {"en": "Our lesson", "ru": "Наш урок", "zh": "我们的课"},
           "steps": [dict(shipped["steps"][4], id="one"), dict(shipped["steps"][8], id="two")]}
    path = work / "lesson.json"
    path.write_text(json.dumps(own, ensure_ascii=False), encoding="utf-8")
    out = work / "map.html"
    result = cli("build", "--output", str(out), "--story", str(path))
    assert result.returncode == 0, result.stderr
    return out, own


@pytest.fixture(scope="module")
def page_data(story_map) -> dict:
    """The reader's data block of the built page, read back with Python's own JSON reader."""
    text = story_map[0].read_text(encoding="utf-8")
    return page_blocks(text)["nm-reader-data"]  # deflated JSON, read back with zlib and json


@pytest.fixture()
def opened(browser):
    """Pages of the session's one Chromium (conftest's ``browser``: one sync Playwright per process)."""
    contexts = []

    def make(url: str, width: int = 1280, height: int = 800):
        phone = width < 600 or height < 600
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                       is_mobile=phone, has_touch=phone or width < 1024)
        contexts.append(context)
        page = watch_offline(context.new_page())
        page.goto(url)
        page.wait_for_function("() => window.L && document.querySelector('.nm-reader-toggle')"
                               " && document.querySelector('path.leaflet-interactive')")
        page.wait_for_timeout(150)
        return page

    yield make
    for context in contexts:
        context.close()


def hash_of(page) -> dict[str, str]:
    return dict(p.split("=", 1) for p in page.evaluate("decodeURIComponent(location.hash)").lstrip("#").split("&") if "=" in p)


# The controls the reader's open panel meets (other than its own control): none may be covered.
PANEL_OVER_CONTROLS_JS = """() => {
  const p = document.querySelector('.nm-reader-panel').getBoundingClientRect();
  const own = document.querySelector('.nm-reader');
  return [...document.querySelectorAll('.leaflet-control')].filter(c => c !== own).filter(c => {
    const r = c.getBoundingClientRect();
    return r.width && r.height && Math.min(r.right, p.right) - Math.max(r.left, p.left) > 1
      && Math.min(r.bottom, p.bottom) - Math.max(r.top, p.top) > 1;
  }).map(c => c.className);
}"""


def open_panel(page, tab: str = "texts") -> None:
    page.click(".nm-reader-toggle")
    page.click(f".nm-reader-tab[data-tab={tab}]")
    page.wait_for_selector(".nm-reader-body > *")


def drawn_segments(page, segments) -> int:
    """How many of [layer, feature] pairs the page draws as highlighted paths right now."""
    return page.evaluate("""(segments) => segments.filter(([layer, id]) => {
        const group = NerchinskMap.layers().find(g => g.nmSpec.id === layer);
        const d = group && group.nmFeatures.find(d => d.layer.feature.properties.id === id);
        const node = d && d.layer.getElement && d.layer.getElement();
        return node && node.isConnected && node.classList.contains('nm-highlight');
    }).length""", segments)


def test_the_data_lists_every_clause_of_every_reading_with_its_segments(page_data):
    shipped = {rid: nm.readings.get(rid) for rid in nm.readings.shipped_ids()}
    assert {r["id"] for r in page_data["readings"]} == set(shipped)
    for reading in page_data["readings"]:
        spec = shipped[reading["id"]]
        assert [c["id"] for c in reading["clauses"]] == [c["id"] for c in spec["clauses"]]  # reading order
        for clause, own in zip(reading["clauses"], spec["clauses"], strict=True):
            assert clause["texts"] == own.get("text", [])  # every version the sources give, as given
            assert clause["located"] == (own.get("located", True) is not False)
            assert clause["segments"], f"{reading['id']}/{clause['id']} is not drawn"
    years = [r["year"] for r in page_data["readings"]]
    assert years == sorted(years)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_every_clause_highlights_and_frames_its_segments(opened, story_map, page_data, width, height, lang):
    page = opened(story_map[0].as_uri() + "#lang=" + lang, width, height)
    open_panel(page)
    page.wait_for_timeout(60)  # the sheet's size is settled a task later
    assert page.evaluate(PANEL_OVER_CONTROLS_JS) == [], f"the open panel covers controls at {width}x{height} {lang}"
    for reading in page_data["readings"]:
        for clause in reading["clauses"]:
            button = page.locator(f".nm-clause[data-reading='{reading['id']}'][data-clause='{clause['id']}']")
            button.scroll_into_view_if_needed()
            button.click()
            page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
            page.wait_for_timeout(60)
            where = f"{reading['id']}/{clause['id']} at {width}x{height} {lang}"
            assert button.get_attribute("aria-current") == "true", where
            assert page.locator(".nm-clause[aria-current]").count() == 1, where
            assert drawn_segments(page, clause["segments"]) == len(clause["segments"]), where
            assert page.locator(HIGHLIGHT).count() == len(clause["segments"]), where
            m = page.evaluate(MEASURE_JS, HIGHLIGHT)
            assert m["total"] > 0 and m["inside"] / m["total"] >= 0.95, f"{where}: framed {m}"
            assert m["clear"] / m["inside"] >= 0.85, f"{where}: covered by {m['coverers']}"
    last = f"{reading['id']}/{clause['id']}"  # the URL follows (once the choices settle)
    page.wait_for_function("(v) => decodeURIComponent(location.hash).includes('clause=' + v)", arg=last)
    assert page.errors == []


def test_unlocated_clauses_say_so_and_competing_readings_say_where_they_depart(opened, story_map, page_data):
    page = opened(story_map[0].as_uri())
    open_panel(page)
    for reading in page_data["readings"]:
        section = page.locator(f".nm-reading[data-reading='{reading['id']}']")
        assert section.locator(".nm-departs").count() == (0 if reading["common"] else 1)
        for clause in reading["clauses"]:
            item = section.locator(f".nm-clause[data-clause='{clause['id']}']").locator("xpath=..")
            assert item.locator(".nm-unlocated").count() == (0 if clause["located"] else 1), clause["id"]
            # where a competing reading's clause leaves the common line (tests/test_departures.py
            # derives the marks from the reading files)
            assert item.locator(".nm-clause-departs").count() == (1 if clause["departs"] else 0), clause["id"]
            on_line = clause["departs_km"] is not None and not clause["departs"]
            assert item.locator(".nm-clause-same").count() == (1 if on_line else 0), clause["id"]
    assert page.errors == []


def test_a_segment_chosen_on_the_map_marks_its_clause(opened, story_map):
    page = opened(story_map[0].as_uri(), 1280, 800)
    open_panel(page)
    for clause in ("argun", "shilka", "divide"):
        point = page.evaluate("""(id) => {
            const group = NerchinskMap.layers().find(g => g.nmSpec.id === 'treaty_1689');
            const d = group.nmFeatures.find(d => d.layer.feature.properties.id === id);
            const path = d.layer.getElement(), n = path.getTotalLength(), ctm = path.getScreenCTM();
            for (const f of [0.5, 0.4, 0.6, 0.3, 0.7]) {
              const q = path.getPointAtLength(n * f);
              const x = ctm.a * q.x + ctm.c * q.y + ctm.e, y = ctm.b * q.x + ctm.d * q.y + ctm.f;
              if (document.elementFromPoint(x, y) === path) return [x, y];
            }
            return null;
        }""", clause)
        assert point, f"no uncovered point on {clause}"
        page.mouse.click(*point)
        page.wait_for_selector(".leaflet-popup")
        button = page.locator(f".nm-clause[data-reading=nerchinsk_1689_common][data-clause={clause}]")
        page.wait_for_function("(b) => b.getAttribute('aria-current') === 'true'", arg=button.element_handle())
        box, panel = button.bounding_box(), page.locator(".nm-reader-panel").bounding_box()
        assert panel["y"] <= box["y"] and box["y"] + box["height"] <= panel["y"] + panel["height"] + 1  # scrolled into view
        page.keyboard.press("Escape")
        page.evaluate("document.querySelector('.folium-map') && window[document.querySelector('.folium-map').id].closePopup()")
    assert page.errors == []


@pytest.mark.parametrize("width,height,lang", [(390, 844, "ru"), (1280, 800, "zh"), (844, 390, "en")])
def test_the_story_plays_through_and_each_steps_link_reopens_it(opened, story_map, page_data, width, height, lang):
    story = page_data["stories"][0]
    assert story["id"] == "amur" and len(story["steps"]) >= 10
    page = opened(story_map[0].as_uri() + "#lang=" + lang, width, height)
    open_panel(page, "story")
    page.click(".nm-story-start")
    links = []
    for n in range(1, len(story["steps"]) + 1):
        if n > 1:
            page.keyboard.press("ArrowRight") if n % 2 else page.click(".nm-story-next")
        page.wait_for_function("(n) => new URLSearchParams(location.hash.slice(1)).get('story') === String(n)", arg=n)
        check_step(page, story, n)
        links.append(page.evaluate("location.hash"))
    assert page.locator(".nm-story-next").is_disabled()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("(n) => new URLSearchParams(location.hash.slice(1)).get('story') === String(n)",
                           arg=len(story["steps"]) - 1)
    page.go_back()  # the browser's Back walks back through the steps
    page.wait_for_function("(n) => new URLSearchParams(location.hash.slice(1)).get('story') === String(n)",
                           arg=len(story["steps"]))
    check_step(page, story, len(story["steps"]))
    assert page.errors == []
    for n in (1, 5, len(story["steps"])):  # a step's link reopens it, and only the story number is needed
        for hash_ in (links[n - 1], f"#lang={lang}&story={n}"):
            again = opened(story_map[0].as_uri() + hash_, width, height)
            check_step(again, story, n)
            assert again.errors == []


def check_step(page, story, n) -> None:
    step = story["steps"][n - 1]
    counter = page.locator(".nm-story-count").text_content()
    assert str(n) in counter and str(len(story["steps"])) in counter
    assert page.get_attribute(".folium-map", "data-year") == str(step["year"])
    shown = page.evaluate("NerchinskMap.layers().filter(l => l.nmSpec.interactive !== false && l._map).map(l => l.nmSpec.id)")
    assert sorted(shown) == sorted(step["layers"])
    marks = [[h["layer"], h["feature"]] for h in step.get("highlight", [])]
    assert drawn_segments(page, marks) == len(marks), step["id"]
    assert page.locator(".nm-story-step").get_attribute("data-step") == step["id"]
    view = page.evaluate("(() => { const m = window[document.querySelector('.folium-map').id];"
                         " const b = m.getBounds(); return [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]; })()")
    (s, w), (nn, e) = step["view"]
    tol = 0.05 * max(nn - s, e - w)  # the step's view is within the map's (fitted into the room the panel leaves)
    assert view[0][0] <= s + tol and view[0][1] <= w + tol and nn - tol <= view[1][0] and e - tol <= view[1][1], (
        step["id"], view)


def test_a_teachers_story_builds_and_opens_by_its_id(opened, story_map):
    path, own = story_map
    page = opened(path.as_uri() + "#story=class-7b:2", 768, 1024)
    page.wait_for_selector(".nm-story-step")
    assert page.locator(".nm-story-step").get_attribute("data-step") == "two"
    assert page.get_attribute(".folium-map", "data-year") == str(own["steps"][1]["year"])
    assert page.errors == []


def test_compare_shows_the_figures_of_nm_readings_compare(opened, story_map, page_data):
    pairs = page_data["compare"]["pairs"]
    assert len(pairs) >= 6
    page = opened(story_map[0].as_uri(), 1280, 800)
    for pair in pairs:
        page.goto(story_map[0].as_uri() + f"#compare={pair['a']},{pair['b']}")
        page.wait_for_selector(".nm-compare-figures")
        shown = {dd.get_attribute("data-figure"): json.loads(dd.get_attribute("data-value"))
                 for dd in page.locator(".nm-compare-figures dd").all()}
        expected = nm.readings.compare(pair["a"], pair["b"])
        assert shown["area_between_km2"] == expected["area_between_km2"]
        assert shown["max_distance_km"] == expected["max_distance_km"]
        assert shown["length_differing_km"] == [expected["length_differing_km"]["a"], expected["length_differing_km"]["b"]]
        assert shown["places_changing_side"] == [p["name"] for p in expected["places_changing_side"]]
        assert page.locator("path.nm-compare-a").count() >= 1 and page.locator("path.nm-compare-b").count() >= 1
    # overlaid: the faces between are shaded where the readings enclose an area
    page.click("input[name=nm-compare-mode][value=overlay]")
    page.goto(story_map[0].as_uri() + "#compare=nerchinsk_1689_common,gorbitsa_amazar")
    page.click("input[name=nm-compare-mode][value=overlay]")
    assert page.evaluate("document.querySelectorAll('.leaflet-nm-compare-between-pane path').length") >= 1
    assert page.errors == []


def test_two_years_compare_with_the_built_figures_by_choice_and_by_link(opened, story_map, page_data):
    years = page_data["years"]
    assert years["years"] and len(years["pairs"]) == len(years["years"]) * (len(years["years"]) - 1) // 2
    page = opened(story_map[0].as_uri(), 390, 844)
    open_panel(page, "compare")
    page.click("input[name=nm-compare-kind][value=years]")
    assert page.eval_on_selector_all(".nm-compare-a-select option", "os => os.map(o => o.value)") == years["years"]
    page.click(".nm-compare-show")
    page.wait_for_function("() => decodeURIComponent(location.hash).includes('compare=')")
    first = years["pairs"][0]
    assert hash_of(page)["compare"] == f"{first['a']},{first['b']}"
    for pair in years["pairs"]:  # every pair, by its link (A and B either way round)
        for a, b in ((pair["a"], pair["b"]), (pair["b"], pair["a"])):
            page.goto(story_map[0].as_uri() + f"#lang=zh&compare={a},{b}")
            page.wait_for_selector(".nm-compare-figures")
            shown = {dd.get_attribute("data-figure"): json.loads(dd.get_attribute("data-value"))
                     for dd in page.locator(".nm-compare-figures dd").all()}
            f = pair["figures"]
            assert shown == {"area_between_km2": f["area_between_km2"], "max_distance_km": f["max_distance_km"],
                             "places_changing_side": [p["name"] for p in f["places_changing_side"]]}, (a, b)
            assert page.input_value(".nm-compare-a-select") == a and page.input_value(".nm-compare-b-select") == b
            assert page.locator("path.nm-compare-a").count() >= 1 and page.locator("path.nm-compare-b").count() >= 1
    page.click("input[name=nm-compare-mode][value=overlay]")
    shaded = next(p for p in years["pairs"] if p["between"] is not None)
    page.goto(story_map[0].as_uri() + f"#compare={shaded['a']},{shaded['b']}")
    page.wait_for_selector(".nm-compare-figures")
    assert page.evaluate("document.querySelectorAll('.leaflet-nm-compare-between-pane path').length") >= 1
    assert page.errors == []


def test_swipe_clips_each_reading_to_its_side(opened, story_map):
    page = opened(story_map[0].as_uri() + "#compare=nerchinsk_1689_common,gorbitsa_amazar", 1280, 800)
    page.wait_for_selector(".nm-compare-figures")
    page.fill(".nm-compare-at", "30")
    page.dispatch_event(".nm-compare-at", "input")
    clip = page.evaluate("[...['a','b']].map(s => getComputedStyle(document.querySelector('.leaflet-nm-compare-' + s + '-pane')).clipPath)")
    assert all(c.startswith("polygon(") for c in clip)
    line = page.locator(".nm-swipe-line").bounding_box()
    assert abs(line["x"] - 0.3 * 1280) <= 3
    assert page.errors == []


def test_links_open_exactly_their_state_and_back_walks_back(opened, story_map):
    page = opened(story_map[0].as_uri(), 1280, 800)
    open_panel(page)
    page.click(".nm-clause[data-reading=nerchinsk_1689_common][data-clause=argun]")
    page.wait_for_function("() => location.hash.includes('clause=')")
    page.click(".nm-clause[data-reading=peking_1860][data-clause=ussuri]")
    page.wait_for_function("() => decodeURIComponent(location.hash).includes('clause=peking_1860/ussuri')")
    page.click(".nm-reader-tab[data-tab=compare]")
    page.click(".nm-compare-show")
    page.wait_for_function("() => location.hash.includes('compare=')")
    page.go_back()
    page.wait_for_function("() => decodeURIComponent(location.hash).includes('clause=peking_1860/ussuri')")
    assert page.locator("path.nm-compare-a").count() == 0
    assert page.get_attribute(".nm-clause[data-clause=ussuri]", "aria-current") == "true"
    page.go_back()
    page.wait_for_function("() => decodeURIComponent(location.hash).includes('clause=nerchinsk_1689_common/argun')")
    assert drawn_segments(page, [["treaty_1689", "argun"]]) == 1
    link = page.evaluate("location.href")
    again = opened(link, 1280, 800)
    assert again.get_attribute(".nm-clause[data-reading=nerchinsk_1689_common][data-clause=argun]", "aria-current") == "true"
    assert drawn_segments(again, [["treaty_1689", "argun"]]) == 1
    assert page.errors == [] and again.errors == []


def test_a_popups_dates_move_the_time_control(opened, story_map):
    page = opened(story_map[0].as_uri(), 1280, 800)
    page.evaluate("""() => {
        const map = window[document.querySelector('.folium-map').id];
        map.nmTime.setYear(null);  // all years: Albazin (1665-1685) is drawn
        const group = NerchinskMap.layers().find(g => g.nmSpec.id === 'places');
        group.nmFeatures.find(d => d.layer.feature.properties.id === 'albazin').layer.openPopup();
    }""")
    years = page.eval_on_selector_all(".leaflet-popup .nm-year-jump", "bs => bs.map(b => +b.dataset.year)")
    assert years and years == sorted(years)
    for year in years:
        page.click(f".leaflet-popup .nm-year-jump[data-year='{year}']")
        assert page.get_attribute(".folium-map", "data-year") == str(year)
    assert page.errors == []


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_axe_finds_nothing_with_the_panel_open(opened, story_map, width, height):
    if not AXE.exists():
        pytest.skip(f"axe-core not installed at {AXE}")
    page = opened(story_map[0].as_uri() + "#clause=nerchinsk_1689_common/gorbitsa", width, height)
    page.wait_for_selector(".nm-clause[aria-current]")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(AXE_RUN) == []
    page.click(".nm-reader-tab[data-tab=story]")
    page.click(".nm-story-start")
    assert page.evaluate(AXE_RUN) == []
    page.click(".nm-reader-tab[data-tab=compare]")
    page.click(".nm-compare-show")
    assert page.evaluate(AXE_RUN) == []
    assert page.errors == []
