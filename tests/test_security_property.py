"""A property test: generated catalogs and GeoJSON fed to ``build``. Every outcome is either a
map that loads in Chromium with no page error (and no injected script run), or exit 2 with one
error line; never a traceback, never a page that breaks."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

import pytest
from conftest import MAP_READY, watch_offline
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from nerchinsk_map import cli as cli_module

pytestmark = pytest.mark.browser

PAYLOADS = ["{{ 7*7 }}", "{% raw %}", "{{ unbalanced", "</script><script>window.pwned=1</script>",
            "<img src=x onerror=window.pwned=1>", "__proto__", "constructor", "]]>", "\u2028", "'\\\""]

text = st.one_of(st.sampled_from(PAYLOADS), st.text(st.characters(exclude_categories=("Cs",)), max_size=20))
def mostly(good, bad):
    """``good`` about four times in five, else ``bad``."""
    return st.sampled_from([True, True, True, True, False]).flatmap(lambda ok: good if ok else bad)


lon = mostly(st.floats(110, 140), st.floats(allow_nan=True, allow_infinity=True))
lat = mostly(st.floats(45, 60), st.floats(allow_nan=True, allow_infinity=True))
position = st.tuples(lon, lat).map(list)
geometry = mostly(
    st.builds(lambda p: {"type": "Point", "coordinates": p}, position),
    st.one_of(
        st.builds(lambda ps: {"type": "LineString", "coordinates": ps}, st.lists(position, min_size=2, max_size=4)),
        st.builds(lambda p: {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": p}]},
                  position),
        st.just(None),
    ),
)
value = st.one_of(text, st.integers(-10**6, 10**6), st.floats(allow_nan=False), st.booleans(), st.none())
properties = st.dictionaries(text.filter(lambda k: k.strip() != ""), value, max_size=4)
feature = st.builds(lambda g, p, n: {"type": "Feature", "geometry": g, "properties": {**p, "name": n}},
                    geometry, properties, text)
collection = st.builds(lambda fs: {"type": "FeatureCollection", "features": fs}, st.lists(feature, min_size=1, max_size=4))

colour = mostly(st.sampled_from(["#1d1d1b", "#abc", "red", "rgb(10, 20, 30)"]), text)
number = mostly(st.floats(0, 10), text)
layer_entry = st.fixed_dictionaries(
    {
        "id": mostly(st.sampled_from(["forts", "my-layer_2"]), text),
        "title": text, "group": text, "description": text,
        "file": st.just("data.geojson"),
        "geometry": st.sampled_from(["point", "line", "polygon"]),
        "style": mostly(
            st.fixed_dictionaries({"base": st.fixed_dictionaries({"color": colour, "weight": number, "radius": number})}),
            text,
        ),
        "popup": mostly(st.lists(st.lists(text, min_size=2, max_size=2), max_size=2), text),
        "sources": st.just([{"dataset": "generated", "version": "1", "licence": "CC0"}]),
    },
    optional={"web_precision": mostly(st.integers(0, 10), st.one_of(st.integers(), text)),
              "start_date": mostly(st.just("1689"), text)},
)


def run(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli_module.main(args)
    return code, err.getvalue()


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = watch_offline(context.new_page())
    yield page
    context.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=collection, entry=layer_entry, as_catalog=st.booleans())
def test_build_either_makes_a_working_map_or_says_why_in_one_line(page, data, entry, as_catalog):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "data.geojson").write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
        out = folder / "map.html"
        args = ["build", "--output", str(out)]
        if as_catalog:
            (folder / "catalog.json").write_text(json.dumps({"layers": [entry]}), encoding="utf-8")
            args += ["--catalog", str(folder / "catalog.json"), "--layers", f"places,{entry['id']}"]
        else:
            args += ["--add-layer", str(folder / "data.geojson"), "--layers", "places"]
        code, err = run(args)
        lines = err.strip().splitlines()
        event(f"exit {code}")
        assert "Traceback" not in err
        if code == 2:
            errors = [line for line in lines if line.startswith("nerchinsk-map: error: ")]
            assert len(errors) == 1 and lines[-1] == errors[0], err
            assert all(line.startswith("nerchinsk-map: ") for line in lines), err
            assert not out.exists()
            return
        assert code == 0, err
        page.errors.clear()
        page.goto(out.as_uri())
        page.wait_for_function("() => window.L && document.querySelector('.folium-map .leaflet-overlay-pane') && " + MAP_READY)
        page.wait_for_timeout(100)
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.errors == [], page.errors
