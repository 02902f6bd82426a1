"""The reader's panel in Firefox ESR and WebKitGTK (as tests/test_engines.py drives them, on an
Xvfb display): a clause link highlights and frames its segment beside the panel, a story link
shows its step, a comparison link (two readings, two years) its figures, with no script error."""

from __future__ import annotations

import time

import pytest
from test_engines import display, engine, probed_map  # noqa: F401 - the fixtures, shared
from test_responsive import MEASURE_JS

pytestmark = pytest.mark.browser


def wait_for(engine, condition: str, what: str, timeout: float = 30) -> None:  # noqa: F811
    deadline = time.monotonic() + timeout
    while not engine.run(f"return !!({condition});"):
        if time.monotonic() > deadline:
            pytest.fail(f"{engine.name}: {what} not shown within {timeout} s; errors: {engine.run('return window.__errors;')}")
        time.sleep(0.25)
    time.sleep(0.4)


@pytest.mark.parametrize("width,height", [pytest.param(1280, 800, id="1280x800"),
                                          pytest.param(320, 568, id="320x568"),
                                          pytest.param(320, 640, id="narrowest")])
def test_links_open_the_reader_in_firefox_and_webkit(engine, probed_map, width, height):  # noqa: F811
    engine.open(probed_map + "#lang=ru&clause=nerchinsk_1689_common/argun", width, height)
    wait_for(engine, "document.querySelector('.nm-clause[aria-current]')", "the chosen clause")
    assert engine.run("return document.querySelector('.nm-clause[aria-current]').dataset.clause;") == "argun"
    assert engine.run("return document.querySelectorAll('path.nm-highlight').length;") == 1
    m = engine.run(f"return ({MEASURE_JS})('path.nm-highlight');")
    assert m["inside"] / m["total"] >= 0.95, f"{engine.name}: {m}"
    assert m["clear"] / m["inside"] >= 0.85, f"{engine.name}: covered by {m['coverers']}"
    engine.run("location.hash = 'lang=ru&story=5';")
    wait_for(engine, "document.querySelector('.nm-story-step[data-step=treaty-1689]')", "story step 5")
    assert engine.run("return document.querySelector('.folium-map').dataset.year;") == "1689"
    engine.run("location.hash = 'lang=ru&compare=nerchinsk_1689_common,gorbitsa_amazar';")
    wait_for(engine, "document.querySelectorAll('.nm-compare-figures dd').length === 4", "the comparison's figures")
    assert engine.run("return document.querySelectorAll('path.nm-compare-a').length;") >= 1
    engine.run("location.hash = 'lang=ru&compare=1689,1860';")  # two years: area, distance, places
    wait_for(engine, "document.querySelectorAll('.nm-compare-figures dd').length === 3", "the two years' figures")
    assert engine.run("return document.querySelector('.nm-compare-a-select').value;") == "1689"
    assert engine.run("return document.querySelectorAll('path.nm-compare-b').length;") >= 1
    assert engine.run("return window.__errors;") == []
