"""The map in a real browser: Debian's Chromium, every network request blocked."""

import pytest
from conftest import ARTIFACTS, MAP_READY

import nerchinsk_map as nm

pytestmark = pytest.mark.browser

MAP_JS = "window[document.querySelector('.folium-map').id]"


def open_map(page, built_map):
    page.goto(built_map.as_uri())
    page.wait_for_function(f"() => window.L && document.querySelector('path.nm-layer-treaty_1689') && {MAP_READY}")
    page.wait_for_timeout(300)
    toggle = page.locator(".nm-layers button.nm-toggle")
    if toggle.get_attribute("aria-expanded") == "false":  # closed at opening below 1600 x 900
        toggle.evaluate("b => b.click()")  # no focus moved: keyboard tests start from the top


def count(page, layer_id):
    return page.eval_on_selector_all(f"path.nm-layer-{layer_id}", "els => els.length")


def test_map_draws_every_layer_offline(offline_page, built_map, catalog, layers):
    page = offline_page
    open_map(page, built_map)
    assert page.evaluate("L.version") == "1.9.3"
    page.check("input.nm-all-years")  # every period at once
    for layer in catalog.layers:
        if not layer.show:  # off at opening: switch it on in the layer control
            assert count(page, layer.id) == 0
            page.locator(f"input[data-layer-id={layer.id}]").check()
        drawn = count(page, layer.id)
        assert drawn >= len(layers[layer.id]), f"{layer.id}: {drawn} paths for {len(layers[layer.id])} features"
    assert all(not url.startswith("file:") for url in page.blocked)
    assert page.errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-offline.png"))


def test_layer_toggles_off_and_on(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    before = count(page, "rivers")
    assert before > 0
    box = page.locator("input[data-layer-id=rivers]")
    box.uncheck()
    assert count(page, "rivers") == 0
    assert page.locator(".nm-legend li[data-layer-id=rivers]").is_hidden()  # the legend is the drawing
    box.check()
    assert count(page, "rivers") == before
    assert page.locator(".nm-legend li[data-layer-id=rivers]").is_visible()
    assert page.errors == []


def test_click_on_a_fort_opens_its_popup(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    page.locator("input.nm-year").fill("1680")  # the 1665–85 fort alone on its point (no event that year)
    albazin = nm.load_layer("places").set_index("id").geometry["albazin"]
    x, y = page.evaluate(
        f"([lat, lon]) => {{ const m = {MAP_JS}; const p = m.latLngToContainerPoint([lat, lon]);"
        " const r = m.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
        [albazin.y, albazin.x],
    )
    page.mouse.click(x, y)
    popup = page.wait_for_selector(".leaflet-popup-content .nm-popup")
    assert popup.query_selector(".nm-popup-title").inner_text() == "Albazin"
    text = popup.inner_text()
    assert "雅克萨" in text and "Албазин" in text
    source = popup.evaluate("p => [...p.querySelectorAll('tr')].find(r => r.querySelector('th').textContent === 'Source')"
                            ".querySelector('td').textContent")
    expected = nm.load_layer("places").set_index("id").loc["albazin", "source"]
    assert source == expected  # the source is shown, whole
    assert "facts.md" not in text and "shared/reference" not in text  # published sources, not notes
    page.screenshot(path=str(ARTIFACTS / "map-popup.png"))
    assert page.errors == []


def test_offline_base_map_choice_removes_tiles(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    assert page.eval_on_selector_all(".leaflet-tile-container img", "els => els.length") > 0
    page.check("input[data-base-id=offline]")
    page.wait_for_timeout(200)
    assert page.eval_on_selector_all(".leaflet-tile-container img", "els => els.length") == 0
    assert count(page, "land") > 0
    assert page.errors == []


def labels(page):
    return page.eval_on_selector_all(".nm-label", "els => els.map(e => e.textContent)")


def wait_label(page, name, shown):
    """Labels fade in and out (Leaflet's animation): wait until ``name`` is (not) shown."""
    page.wait_for_function(
        "([name, shown]) => [...document.querySelectorAll('.nm-label')]"
        ".some(e => e.textContent === name) === shown",
        arg=[name, shown],
        timeout=3000,
    )


def test_time_slider_filters_by_year(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    assert page.get_attribute(".folium-map", "data-year") == "1689"  # opens at the treaty
    slider = page.locator("input.nm-year")
    slider.fill("1680")
    assert page.get_attribute(".folium-map", "data-year") == "1680"
    wait_label(page, "Albazin", True)
    wait_label(page, "Argunsk", False)  # moved to the left bank in 1690
    assert "Nerchinsk" in labels(page)
    assert count(page, "treaty_1689") == 0
    slider.fill("1700")
    assert count(page, "treaty_1689") > 0
    wait_label(page, "Albazin", False)  # razed under the treaty
    wait_label(page, "Argunsk", True)
    page.click("button.nm-mark[data-year='1858']")
    assert page.locator("output.nm-year-value").inner_text() == "1858"
    slider.fill("1900")
    assert count(page, "treaty_1689") == 1  # only the Argun is still the border
    assert page.errors == []


def test_time_slider_plays_and_pauses(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    page.click("button.nm-play")
    page.wait_for_function("() => parseInt(document.querySelector('.folium-map').dataset.year) > 1692")
    page.click("button.nm-play")
    year = page.get_attribute(".folium-map", "data-year")
    page.wait_for_timeout(400)
    assert page.get_attribute(".folium-map", "data-year") == year  # paused
    assert page.get_attribute("button.nm-play", "aria-pressed") == "false"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-time.png"))
    assert page.errors == []


def visible_ids(page, layer_id):
    return sorted(page.evaluate(
        "(id) => { const out = []; " + MAP_JS + ".eachLayer(l => { if (l.feature && l.options.className"
        " && l.options.className.split(' ').includes('nm-layer-' + id)) out.push(l.feature.properties.id); });"
        " return out; }",
        layer_id,
    ))


def test_borders_change_with_the_years(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    slider = page.locator("input.nm-year")
    slider.fill("1700")
    assert visible_ids(page, "borders_later") == [] and visible_ids(page, "territories") == []
    assert "divide" in visible_ids(page, "treaty_1689")
    slider.fill("1870")  # after Aigun and Peking: the Amur–Ussuri border
    assert visible_ids(page, "borders_later") == ["peking_1860"]
    assert visible_ids(page, "territories") == ["aigun_1858", "peking_1860"]
    assert visible_ids(page, "treaty_1689") == ["argun"]
    slider.fill("1900")  # the Amur line of 1858 is still the border, as part of the 1860 line
    assert visible_ids(page, "borders_later") == ["peking_1860"]
    slider.fill("2008")
    assert visible_ids(page, "borders_later") == ["modern"]
    assert page.errors == []


def test_axe_finds_no_accessibility_violations(offline_page, built_map):
    """axe-core (npm, installed by scripts/setup.sh) on the page, with a popup open."""
    import os

    from conftest import AXE

    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: scripts/setup.sh installs axe-core with npm")
        pytest.skip(f"axe-core not installed at {AXE} (npm install --prefix .node axe-core@4)")
    page = offline_page
    open_map(page, built_map)
    page.check("input.nm-all-years")
    page.evaluate(
        "() => " + MAP_JS + ".eachLayer(l => { if (l.feature && l.feature.properties.id === 'albazin') l.openPopup(); })"
    )
    page.wait_for_selector(".nm-popup")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # by DevTools: the page's CSP refuses a <script> tag
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`)"
    )
    assert violations == []
    assert page.get_attribute(".folium-map", "role") == "main"
    assert "user-scalable=no" not in built_map.read_text(encoding="utf-8")  # pinch-zoom allowed


def test_language_switch_changes_labels_legend_and_controls(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click(".nm-lang button[data-lang=ru]")
    wait_label(page, "Албазин (1685–1689)", True)  # the fort rebuilt in 1685 stands in 1689
    assert page.evaluate("document.documentElement.lang") == "ru"
    page.wait_for_function("() => location.hash.startsWith('#lang=ru&')")  # a link opens in Russian
    assert "Легенда" in page.inner_text(".nm-legend")
    assert "Граница 1689 г." in page.inner_text(".nm-layers")
    assert "Нерчинский договор, 1689 г." in page.inner_text(".nm-title")
    assert page.get_attribute(".nm-lang button[data-lang=ru]", "aria-pressed") == "true"
    page.locator("input.nm-year").fill("1700")  # the time control still works after the rebuild
    wait_label(page, "Аргунский острог", True)
    page.evaluate(
        "() => " + MAP_JS + ".eachLayer(l => { if (l.feature && l.feature.properties.id === 'nerchinsk'"
        " && l.options.className.includes('places')) l.openPopup(); })"
    )
    popup = page.wait_for_selector(".nm-popup")
    assert popup.query_selector(".nm-popup-title").inner_text() == "Нерчинск"
    assert "Источник" in popup.inner_text()
    assert page.errors == []


def test_hash_opens_the_map_in_chinese(offline_page, built_map):
    page = offline_page
    page.goto(built_map.as_uri() + "#lang=zh")
    page.wait_for_function("() => window.L && document.querySelector('path.nm-layer-treaty_1689')")
    wait_label(page, "雅克萨（1685–1689）", True)
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert "图例" in page.inner_text(".nm-legend")
    assert "尼布楚条约" in page.inner_text(".nm-title")
    assert page.errors == []


def test_keyboard_reaches_and_operates_the_controls(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    reached = []
    for _ in range(60):  # the title, the language buttons, one box per layer...
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "() => { const e = document.activeElement; return e.getAttribute('data-lang') || e.getAttribute('data-layer-id')"
            " || e.getAttribute('data-base-id') || e.className || e.tagName; }"
        ))
        if reached[-1] == "zh":
            break
    assert "zh" in reached, reached
    page.keyboard.press("Enter")  # operate the focused language button
    wait_label(page, "雅克萨（1685–1689）", True)
    assert page.evaluate("document.activeElement.getAttribute('data-lang')") == "zh"  # focus kept
    page.focus("input[data-layer-id=rivers]")
    page.keyboard.press("Space")
    assert count(page, "rivers") == 0
    assert page.errors == []


def test_places_list_opens_popups_from_the_keyboard(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    page.focus(".nm-places summary")
    page.keyboard.press("Enter")  # open the list
    names = page.eval_on_selector_all(".nm-places button", "els => els.map(e => e.textContent)")
    assert {"Albazin", "Nerchinsk", "Argunsk", "Aigun"} <= set(names)
    page.focus(".nm-places button[data-feature-id=argunsk]")  # founded 1690: not drawn in 1689
    page.keyboard.press("Enter")
    popup = page.wait_for_selector(".leaflet-popup-content .nm-popup")
    assert popup.query_selector(".nm-popup-title").inner_text() == "Argunsk"
    assert page.evaluate("document.activeElement.classList.contains('nm-popup')")  # focus moved to it
    assert page.get_attribute(".folium-map", "data-year") == "all"
    assert page.errors == []


# Every text node of the page, and of every feature's popup, that has Latin words but none of the
# reader's script and is not marked as being in another language (a quotation, a Latin original).
UNTRANSLATED_JS = r"""
(lang) => {
  const box = document.createElement('div');
  document.body.appendChild(box);
  NerchinskMap.layers().forEach(g => (g.nmFeatures || []).forEach(
    d => box.appendChild(NerchinskMap.popupContent(g.nmSpec, d.layer.feature.properties))));
  const own = lang === 'ru' ? /[А-Яа-яЁё]/ : /[\u4e00-\u9fff]/;
  const citation = /\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|ru|org|cn|net|info|wiki|tw|md)(\/\S*)?/gi;
  const foreign = (text, node) => {
    if (!/[A-Za-z]{2,}/.test(text.replace(citation, '')) || own.test(text)) return false;
    const entry = NerchinskMap.dataText(text);  // a citation its translator kept as it is
    if (entry.text === text && entry.lang === null) return false;
    const host = node.closest('[lang]');
    return !host || host.lang.startsWith(lang);
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest('script, style, noscript') && foreign(n.textContent.trim(), n.parentElement)) {
      out.push(n.textContent.trim().slice(0, 80));
    }
  }
  document.querySelectorAll('[title], [aria-label]').forEach(e => ['title', 'aria-label'].forEach(a => {
    const v = e.getAttribute(a);
    if (v && foreign(v, e)) out.push('@' + a + ': ' + v.slice(0, 80));
  }));
  const english = box.querySelectorAll('.nm-untranslated').length;  // data texts without a translation
  return { out: [...new Set(out)], english: english, popups: box.children.length };
}
"""


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_the_whole_map_speaks_the_readers_language(offline_page, built_map, lang):
    """Controls, legend, credits, scale, zoom buttons and every popup of every feature: no English
    left but what is marked as such (none for the catalog's layers) or quoted in its own language."""
    page = offline_page
    page.goto(built_map.as_uri() + "#lang=" + lang)
    page.wait_for_function("() => window.L && document.querySelector('path.nm-layer-treaty_1689')")
    result = page.evaluate(UNTRANSLATED_JS, lang)
    assert result["popups"] > 50
    assert result["out"] == []
    assert result["english"] == 0
    scale = page.inner_text(".leaflet-control-scale")
    assert ("км" if lang == "ru" else "公里") in scale
    assert page.get_attribute(".leaflet-control-zoom-in", "title") == ("Приблизить" if lang == "ru" else "放大")
    assert page.errors == []


def test_switching_back_to_english_restores_the_credits(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    english = page.inner_text(".leaflet-control-attribution")
    page.click(".nm-lang button[data-lang=ru]")
    assert "Данные: Natural Earth" in page.inner_text(".leaflet-control-attribution")
    page.click(".nm-lang button[data-lang=en]")
    assert page.inner_text(".leaflet-control-attribution") == english
    assert page.errors == []


def test_popups_open_clear_of_the_title_box_and_legend(offline_page, built_map):
    """A popup near the title box and the legend is sized and panned into the room between them."""
    page = offline_page
    open_map(page, built_map)
    xy = page.evaluate(
        "() => { const m = " + MAP_JS + "; let ll = null;"
        " NerchinskMap.layers().forEach(g => (g.nmFeatures || []).forEach(d => {"
        "   if (g.nmSpec.id === 'treaty_1689' && d.layer.feature.properties.id === 'gorbitsa') ll = d.layer.getCenter(); }));"
        " const p = m.latLngToContainerPoint(ll), r = m.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }"
    )
    page.mouse.click(*xy)
    page.wait_for_selector(".leaflet-popup-content .nm-popup")
    page.wait_for_timeout(500)  # the pan
    popup = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    for other in (".nm-title", ".nm-legend"):
        box = page.locator(other).bounding_box()
        apart = (popup["y"] >= box["y"] + box["height"] or popup["y"] + popup["height"] <= box["y"]
                 or popup["x"] >= box["x"] + box["width"] or popup["x"] + popup["width"] <= box["x"])
        assert apart, f"the popup {popup} overlaps {other} {box}"
    assert page.errors == []


def test_popups_show_the_method_in_plain_words_with_the_raw_text_behind_details(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    page.evaluate(
        "() => " + MAP_JS + ".eachLayer(l => { if (l.feature && l.feature.properties.id === 'amur'"
        " && l.options.className.includes('watersheds')) l.openPopup(); })"
    )
    popup = page.wait_for_selector(".leaflet-popup-content .nm-popup")
    details = popup.query_selector("details.nm-method-details")
    assert details is not None and details.get_attribute("open") is None
    assert "Computed by the project" in popup.inner_text()
    assert "burn_depth_m" not in popup.inner_text()  # the raw parameters wait behind "details"
    popup.query_selector("details.nm-method-details summary").click()
    assert "burn_depth_m=100.0" in popup.inner_text()
    assert page.errors == []


def test_a_marker_on_the_line_leads_to_the_line(offline_page, built_map):
    """In 1689 the Argunsk event (1681) sits on the Argun, the border: its popup names the line
    beneath, and a click there opens the line's own popup (reworded: no "within 2 km - 2 km")."""
    page = offline_page
    open_map(page, built_map)
    xy = page.evaluate(
        "() => { const m = " + MAP_JS + "; let ll = null;"
        " m.eachLayer(l => { if (l.feature && l.feature.properties.id === 'argunsk_1681') ll = l.getLatLng(); });"
        " const p = m.latLngToContainerPoint(ll), r = m.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }"
    )
    page.mouse.click(*xy)
    page.wait_for_selector(".leaflet-popup-content .nm-popup")
    line = page.locator(".nm-also-line[data-layer-id=treaty_1689][data-feature-id=argun]")
    assert line.count() == 1
    line.click()
    popup = page.wait_for_selector(".leaflet-popup-content .nm-popup[data-layer=treaty_1689]")
    text = popup.inner_text()
    assert "Length that is still the border today" in text and "within 2 km)" not in text.split("\n")[0]
    assert "Still the border today (within 2 km)" not in text
    assert page.errors == []
