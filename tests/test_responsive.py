"""The map on every screen: at phone, sideways-phone, tablet and desktop sizes, in English,
Russian and Chinese, offline, the 1689 border is in view, uncovered by the controls, and large
enough to read; axe-core finds nothing at any size; the URL keeps what a reader sees."""

from __future__ import annotations

import os

import pytest
from conftest import ARTIFACTS, AXE, MAP_READY, watch_offline

pytestmark = pytest.mark.browser

VIEWPORTS = [(320, 568), (390, 844), (844, 390), (768, 1024), (1280, 800), (1920, 1080)]
LANGS = ["en", "ru", "zh"]
LINE = "path.nm-layer-treaty_1689"
MAP_JS = "window[document.querySelector('.folium-map').id]"

# Sample points every ~8 px along the line's SVG paths, in viewport coordinates: how many fall in
# the viewport, how many of those have the map (a path, a label, the map pane) as the topmost
# element rather than a control, a panel or a popup, and how far they spread.
MEASURE_JS = """(selector) => {
  const W = window.innerWidth, H = window.innerHeight;
  const map = document.querySelector('.folium-map');
  let total = 0, inside = 0, clear = 0, x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  const coverers = {};
  for (const path of document.querySelectorAll(selector)) {
    const length = path.getTotalLength();
    if (!length) continue;
    const ctm = path.getScreenCTM();
    const n = Math.max(20, Math.round(length / 8));
    for (let i = 0; i <= n; i++) {
      const q = path.getPointAtLength(length * i / n);
      const x = ctm.a * q.x + ctm.c * q.y + ctm.e, y = ctm.b * q.x + ctm.d * q.y + ctm.f;
      total++;
      if (x < 0 || y < 0 || x >= W || y >= H) continue;
      inside++;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      const top = document.elementFromPoint(x, y);
      const onMap = top && map.contains(top) && top.closest('.leaflet-map-pane') && !top.closest('.leaflet-popup');
      if (onMap) clear++;
      else { const k = top ? (top.className.baseVal ?? top.className) || top.tagName : 'none'; coverers[k] = (coverers[k] || 0) + 1; }
    }
  }
  return { total, inside, clear, coverers, width: W, height: H,
           spread: inside ? Math.max((x1 - x0) / W, (y1 - y0) / H) : 0 };
}"""


@pytest.fixture()
def sized_page(browser):
    """A page of a given size (a phone: mobile, touch), offline, recording errors."""
    contexts = []

    def make(width: int, height: int):
        phone = width < 600 or height < 600
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                      is_mobile=phone, has_touch=phone or width < 1024)
        contexts.append(context)
        return watch_offline(context.new_page())

    yield make
    for context in contexts:
        context.close()


def open_at(page, built_map, hash_: str = "") -> None:
    page.goto(built_map.as_uri() + hash_)
    page.wait_for_function(f"() => window.L && document.querySelector('{LINE}') && {MAP_READY}")
    page.wait_for_timeout(200)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_the_1689_line_is_framed_and_uncovered(sized_page, built_map, width, height, lang):
    page = sized_page(width, height)
    open_at(page, built_map, "#lang=" + lang)
    m = page.evaluate(MEASURE_JS, LINE)
    assert page.errors == []
    assert (m["width"], m["height"]) == (width, height)
    assert m["total"] > 100, m
    framing = m["inside"] / m["total"]
    uncovered = m["clear"] / m["inside"] if m["inside"] else 0.0
    assert framing >= 0.9, f"only {framing:.0%} of the line is in the {width}x{height} window"
    assert uncovered >= 0.9, f"only {uncovered:.0%} of the line is uncovered; covered by {m['coverers']}"
    assert m["spread"] >= 0.5, f"the line spans only {m['spread']:.0%} of the window"
    if lang == "en":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"map-{width}x{height}.png"))


def test_phones_open_with_the_controls_folded(sized_page, built_map):
    page = sized_page(390, 844)
    open_at(page, built_map)
    toggles = page.locator("button.nm-toggle")
    assert toggles.count() == 5  # title, layers, legend, time, the reader's panel
    assert page.eval_on_selector_all("button.nm-toggle", "bs => bs.map(b => b.getAttribute('aria-expanded'))") == [
        "false"] * 5
    assert page.locator(".nm-layers .nm-panel").is_hidden()
    page.click(".nm-layers button.nm-toggle")
    assert page.get_attribute(".nm-layers button.nm-toggle", "aria-expanded") == "true"
    assert page.locator("input[data-layer-id=rivers]").is_visible()
    page.click(".nm-legend button.nm-toggle")  # one panel at a time
    assert page.get_attribute(".nm-layers button.nm-toggle", "aria-expanded") == "false"
    assert page.get_attribute(".nm-legend button.nm-toggle", "aria-expanded") == "true"
    panel = page.locator(".nm-legend .nm-panel").bounding_box()
    assert panel["y"] >= 0 and panel["x"] + panel["width"] <= 390  # within the screen
    page.keyboard.press("Escape")  # closes the open panel, focus back on its button
    assert page.get_attribute(".nm-legend button.nm-toggle", "aria-expanded") == "false"
    assert page.evaluate("document.activeElement.closest('.nm-legend') !== null")
    assert page.errors == []


def test_toggles_work_from_the_keyboard(sized_page, built_map):
    page = sized_page(320, 568)
    open_at(page, built_map)
    page.focus(".nm-time button.nm-toggle")
    page.keyboard.press("Enter")
    assert page.get_attribute(".nm-time button.nm-toggle", "aria-expanded") == "true"
    page.keyboard.press("Tab")  # into the panel
    assert page.evaluate("document.activeElement.closest('.nm-time .nm-panel') !== null")
    page.keyboard.press("Escape")
    assert page.get_attribute(".nm-time button.nm-toggle", "aria-expanded") == "false"
    assert page.errors == []


def test_desktops_open_with_the_panels_open(sized_page, built_map):
    page = sized_page(2560, 1440)
    open_at(page, built_map)
    assert page.eval_on_selector_all("button.nm-toggle:not(.nm-reader-toggle)",
                                     "bs => bs.map(b => b.getAttribute('aria-expanded'))") == ["true"] * 4
    assert page.get_attribute(".nm-reader-toggle", "aria-expanded") == "false"  # the reader's panel waits for a click
    assert page.locator("input[data-layer-id=rivers]").is_visible()
    mid = sized_page(1920, 1080)  # a desktop: the long layer list waits for a click
    open_at(mid, built_map)
    assert mid.get_attribute(".nm-layers button.nm-toggle", "aria-expanded") == "false"
    assert mid.get_attribute(".nm-legend button.nm-toggle", "aria-expanded") == "true"
    assert page.errors == [] and mid.errors == []


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_axe_finds_nothing_at_every_size(sized_page, built_map, width, height):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: scripts/setup.sh installs axe-core with npm")
        pytest.skip(f"axe-core not installed at {AXE}")
    page = sized_page(width, height)
    open_at(page, built_map)
    page.evaluate(AXE.read_text(encoding="utf-8"))  # by DevTools: the page's CSP refuses a <script> tag
    run = "async () => (await axe.run(document, {resultTypes: ['violations']})).violations" \
          ".map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`)"
    assert page.evaluate(run) == []
    page.click(".nm-layers button.nm-toggle")  # a panel toggled (opened on a phone, closed on a desktop)
    assert page.evaluate(run) == []


def hash_of(page) -> dict[str, str]:
    text = page.evaluate("location.hash").lstrip("#")
    return dict(part.split("=", 1) for part in text.split("&") if "=" in part)


def wait_hash(page, key: str, value: str) -> None:
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(location.hash.slice(1)).get(k) === v", arg=[key, value], timeout=5000
    )


def test_the_url_keeps_year_layers_language_and_view_and_back_walks_them(sized_page, built_map):
    page = sized_page(1280, 800)
    open_at(page, built_map)
    assert page.evaluate("location.hash") == ""  # opening the map changes nothing
    page.locator("input.nm-year").fill("1700")
    wait_hash(page, "year", "1700")
    page.click(".nm-layers button.nm-toggle")  # the layer list starts closed on a mid-sized screen
    page.locator("input[data-layer-id=rivers]").uncheck()
    page.wait_for_function("() => !location.hash.includes('rivers')")
    page.click(".nm-lang button[data-lang=ru]")
    wait_hash(page, "lang", "ru")
    page.evaluate(f"() => {MAP_JS}.setView([52.0, 127.5], 7, {{animate: false}})")
    wait_hash(page, "z", "7")
    state = hash_of(page)
    assert (state["lat"], state["lon"]) == ("52.0000", "127.5000")
    assert "treaty_1689" in state["layers"].split(",") and "rivers" not in state["layers"].split(",")

    # a link opens exactly that in a new window
    shared = page.url
    other = sized_page(1280, 800)
    other.goto(shared)
    other.wait_for_function(f"() => window.L && document.querySelector('{LINE}')")
    assert other.get_attribute(".folium-map", "data-year") == "1700"
    assert other.evaluate("document.documentElement.lang") == "ru"
    assert other.evaluate("document.querySelectorAll('path.nm-layer-rivers').length") == 0
    assert other.evaluate(f"() => [{MAP_JS}.getZoom(), {MAP_JS}.getCenter().lat.toFixed(2)]") == [7, "52.00"]
    assert other.errors == []

    # the back button walks back through the view, the language, the layer and the year
    page.go_back()
    page.wait_for_function(f"() => {MAP_JS}.getZoom() !== 7")
    assert page.evaluate("document.documentElement.lang") == "ru"
    page.go_back()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.go_back()
    page.wait_for_function("() => document.querySelector('input[data-layer-id=rivers]').checked")
    assert page.get_attribute(".folium-map", "data-year") == "1700"
    page.go_back()
    page.wait_for_function("() => document.querySelector('.folium-map').dataset.year === '1689'")
    assert page.errors == []


def test_a_notebook_cell_map_keeps_the_land_fits_and_folds(sized_page, tmp_path):
    """``build_map(["treaty_1689"])`` as notebook 01 shows it: folium's iframe in a 700 px cell
    of a wide window. The offline land and lakes are beneath the line, the controls fold (the
    cell is small, the window is not) and the line is framed in the cell."""
    import nerchinsk_map as nm

    html = nm.build_map(["treaty_1689"])._repr_html_()
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><body><div style='width:700px'>{html}</div></body></html>",
                        encoding="utf-8")
    page = sized_page(1400, 900)
    page.goto(notebook.as_uri())
    frame = page.frames[1]
    frame.wait_for_function(f"() => window.L && document.querySelector('{LINE}') && {MAP_READY}")
    frame.wait_for_timeout(200)
    assert frame.evaluate("document.querySelectorAll('path.nm-layer-land').length") > 0
    assert frame.evaluate("document.querySelectorAll('path.nm-layer-lakes').length") > 0
    assert frame.evaluate("document.querySelector('.folium-map').classList.contains('nm-compact')")
    assert frame.eval_on_selector_all("button.nm-toggle", "bs => bs.map(b => b.getAttribute('aria-expanded'))") == [
        "false"] * 5  # title, layers, legend, time, the reader's panel
    m = frame.evaluate(MEASURE_JS, LINE)
    assert m["width"] == 700 and m["height"] < 900
    assert m["inside"] / m["total"] >= 0.9 and m["clear"] / m["inside"] >= 0.9 and m["spread"] >= 0.5, m
    assert page.errors == []
