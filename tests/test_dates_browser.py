"""NerchinskMap.dates (static/dates.js) in Debian's Chromium on the built map: a feature whose
date is disputed is drawn translucent and dashed, its label marked, in a year inside its
uncertain interval. The time control does not call it yet (see the issue-20 report): the test
calls NerchinskMap.dates.apply after moving the slider, as the wired control will."""

import pytest
from conftest import ARTIFACTS, MAP_READY

pytestmark = pytest.mark.browser

PLACES_IN_YEAR = """(year) => {
  const out = {};
  NerchinskMap.layers().forEach((group) => {
    NerchinskMap.dates.apply(group, year, "en");
    if (group.nmSpec.id !== "places") return;
    group.eachLayer((geo) => geo.eachLayer && geo.eachLayer((layer) => {
      const p = layer.feature.properties;
      const path = layer.getElement && layer.getElement();
      if (/nm-casing/.test(layer.options.className) || !path || !geo.hasLayer(layer)) return;
      const tip = layer.getTooltip && layer.getTooltip();
      out[p.id] = {
        state: NerchinskMap.dates.state(p, year),
        perhaps: path.classList.contains("nm-perhaps"),
        dash: path.getAttribute("stroke-dasharray"),
        opacity: parseFloat(path.getAttribute("stroke-opacity")),
        label: tip ? tip.getContent().textContent : null,
      };
    }));
  });
  return out;
}"""


def open_map(page, built_map):
    page.goto(built_map.as_uri())
    page.wait_for_function("() => window.NerchinskMap && NerchinskMap.dates && document.querySelector('path.nm-layer-places') && " + MAP_READY)


def places_in(page, year):
    page.locator("input.nm-year").fill(str(year))
    return page.evaluate(PLACES_IN_YEAR, year)


def test_disputed_forts_are_drawn_as_uncertain(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)

    y1660 = places_in(page, 1660)
    # Selenginsk: founded 1655 or 1665; Udskoy: 1659 or 1679
    for fort in ("selenginsk", "udskoy"):
        assert y1660[fort]["state"] == "perhaps"
        assert y1660[fort]["perhaps"] and y1660[fort]["dash"] == "5 5"
        assert y1660[fort]["label"].endswith("(?)")
    # Nerchinsk (1658) was certainly there; Kumarsk (1654 to 1655 or 1657) was gone
    assert y1660["nerchinsk"]["state"] == "yes" and not y1660["nerchinsk"]["perhaps"]
    assert y1660["nerchinsk"]["dash"] != "5 5" and not y1660["nerchinsk"]["label"].endswith("(?)")
    assert "kumarsk" not in y1660
    y1655 = places_in(page, 1655)
    assert y1655["kumarsk"]["state"] == "yes"  # built 1654, not yet left
    assert y1660["selenginsk"]["opacity"] < y1660["nerchinsk"]["opacity"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dates-1660.png"))

    y1653 = places_in(page, 1653)
    assert y1653["kumarsk"]["perhaps"] and y1653["nerchinsk_1653"]["state"] == "perhaps"
    assert "selenginsk" not in y1653  # not even perhaps before 1655

    y1689 = places_in(page, 1689)  # every alternative date is past: drawn as certain again
    assert not any(place["perhaps"] for place in y1689.values())
    assert y1689["selenginsk"]["label"] == "Selenginsk"
    assert page.errors == []


def test_dates_labels_reach_the_page_in_three_languages(offline_page, built_map):
    page = offline_page
    open_map(page, built_map)
    page.check("input.nm-all-years")  # every period at once
    labels = page.evaluate("""() => {
      const out = {};
      NerchinskMap.layers().forEach((group) => group.eachLayer((geo) => geo.eachLayer && geo.eachLayer((layer) => {
        const p = layer.feature.properties;
        if (["kumarsk", "treaty_nerchinsk", "treaty_aigun"].includes(p.id)) {
          out[p.id] = ["en", "ru", "zh"].map((lang) => NerchinskMap.dates.label(p, lang));
        }
      })));
      return out;
    }""")
    assert labels["kumarsk"][0] == "1652 or 12 November 1654 – 1655 or 1657"
    assert labels["treaty_nerchinsk"] == [
        "7 September 1689 (O.S. 28 August 1689)",
        "7 сентября 1689 г. (28 августа 1689 г. по ст. ст.)",
        "1689年9月7日（康熙二十八年七月二十四日）",
    ]
    assert labels["treaty_aigun"][2] == "1858年5月28日（咸丰八年四月十六日，据历法换算）"
    assert page.errors == []
