"""One way in for every file the tool reads: a regular file within its size limit and strict
JSON, or one line naming the file and the place, exit 2 and no traceback, whatever the file is
(a reading, a catalog, a translation file, a layer, METADATA.json), with hostile tokens put at
generated places."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nerchinsk_map import readings
from nerchinsk_map.data.catalog import read_catalog
from nerchinsk_map.data.layers import read_layer_file
from nerchinsk_map.data.translations import read_translations
from nerchinsk_map.errors import NerchinskMapError
from nerchinsk_map.files import inputs

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# tokens JSON does not allow (or that no program can hold), each with a fragment of its message
HOSTILE = {
    "NaN": "NaN is not a number",
    "Infinity": "Infinity is not a number",
    "-Infinity": "-Infinity is not a number",
    "1e999": "too large for a float",
    "9" * 5000: "an integer of 5000 digits",
    '"\\ud800"': "lone surrogate",
    '"a\\udfffb"': "lone surrogate",
}

GEOJSON = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "fort", "start_date": "1689"},
     "geometry": {"type": "Point", "coordinates": [120.5, 50.25]}}]})


def number_places(text: str) -> list[int]:
    """Where the numbers and strings of a JSON text start (outside strings for numbers)."""
    places, in_string, escaped = [], False, False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
            if text[i - 1] in ":[, " and text[text.index('"', i + 1) + 1:].lstrip()[:1] in ",}]":
                places.append(i)  # a string value
        elif (ch.isdigit() or ch == "-") and not (text[i - 1].isdigit() or text[i - 1] in ".eE-+"):
            places.append(i)
    return places


def replace_value_at(text: str, start: int, token: str) -> str:
    """``text`` with the JSON value (number or string) starting at ``start`` replaced by ``token``."""
    if text[start] == '"':
        end = start + 1
        while text[end] != '"':
            end += 2 if text[end] == "\\" else 1
        end += 1
    else:
        end = start
        while end < len(text) and (text[end].isdigit() or text[end] in "-+.eE"):
            end += 1
    return text[:start] + token + text[end:]


def assert_refused(call, path: Path, fragment: str) -> None:
    with pytest.raises(NerchinskMapError) as caught:
        call(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and fragment in message, message


READING = (ROOT / "geodata" / "readings" / "gorbitsa_malaya.json").read_text(encoding="utf-8")
CATALOG = (ROOT / "geodata" / "catalog.json").read_text(encoding="utf-8")


@SETTINGS
@given(data=st.data(), token=st.sampled_from(sorted(HOSTILE)))
def test_a_hostile_token_anywhere_in_a_reading_is_one_line(tmp_path, data, token):
    place = data.draw(st.sampled_from(number_places(READING)))
    path = tmp_path / "r.json"
    path.write_text(replace_value_at(READING, place, token), encoding="utf-8")
    assert_refused(readings.load, path, HOSTILE[token])


@SETTINGS
@given(data=st.data(), token=st.sampled_from(sorted(HOSTILE)))
def test_a_hostile_token_anywhere_in_a_catalog_is_one_line(tmp_path, data, token):
    places = number_places(CATALOG)
    place = data.draw(st.sampled_from(places[:: max(1, len(places) // 200)]))
    path = tmp_path / "catalog.json"
    path.write_text(replace_value_at(CATALOG, place, token), encoding="utf-8")
    assert_refused(lambda p: read_catalog(p, check_files=False), path, HOSTILE[token])


@SETTINGS
@given(key=st.text(min_size=1, max_size=20), token=st.sampled_from(sorted(HOSTILE)))
def test_a_hostile_token_in_a_translation_file_is_one_line(tmp_path, key, token):
    path = tmp_path / "ru.json"
    path.write_text('{"language": "ru", "texts": {' + json.dumps(key) + ": " + token + "}}", encoding="utf-8")
    assert_refused(read_translations, path, HOSTILE[token])


@SETTINGS
@given(data=st.data(), token=st.sampled_from(sorted(HOSTILE)))
def test_a_hostile_token_in_a_layer_file_is_one_line(tmp_path, data, token):
    place = data.draw(st.sampled_from(number_places(GEOJSON)))
    path = tmp_path / "layer.geojson"
    path.write_text(replace_value_at(GEOJSON, place, token), encoding="utf-8")
    assert_refused(read_layer_file, path, HOSTILE[token])


@given(value=st.recursive(st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                          max_leaves=20))
@settings(max_examples=100, deadline=None)
def test_strict_json_reads_back_what_json_writes(value):
    assert inputs.loads(json.dumps(value)) == value
    assert inputs.loads(json.dumps(value, ensure_ascii=False)) == value


SPECIAL = {
    "folder": lambda tmp: tmp,
    "device": lambda tmp: Path("/dev/zero"),
    "fifo": lambda tmp: (os.mkfifo(tmp / "pipe.json"), tmp / "pipe.json")[1],
}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize(
    "command",
    [
        lambda p, out: ["reading", "build", str(p), "--output", str(out)],
        lambda p, out: ["build", "--catalog", str(p), "--output", str(out)],
        lambda p, out: ["build", "--layers", "places", "--add-layer", str(p), "--output", str(out)],
    ],
    ids=["reading", "catalog", "layer"],
)
def test_a_fifo_a_device_or_a_folder_is_refused_before_it_is_opened(tmp_path, kind, command):
    target = SPECIAL[kind](tmp_path / "in" if kind != "fifo" else tmp_path)
    if kind == "folder":
        target.mkdir()
    out = tmp_path / "out.geojson"
    out.write_text("earlier output", encoding="utf-8")
    try:
        result = cli(*command(target, out))
    except subprocess.TimeoutExpired:  # pragma: no cover - the bug this test is for
        pytest.fail(f"{kind}: the command hung")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nerchinsk-map: error: "), result.stderr
    assert "regular file" in lines[0] or "is a folder" in lines[0], lines[0]
    assert out.read_text(encoding="utf-8") == "earlier output"


def test_a_file_over_its_size_limit_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "r.json"
    path.write_text(READING, encoding="utf-8")
    monkeypatch.setitem(inputs.LIMITS, "reading", 1024)
    with pytest.raises(NerchinskMapError, match=r"more than the 0 MB a reading file may have|MB, more than"):
        readings.load(path)


def test_the_readme_and_the_guide_state_the_size_limits():
    for page in (ROOT / "README.md", ROOT / "docs" / "guide" / "safety.md"):
        text = page.read_text(encoding="utf-8")
        for kind, limit in inputs.LIMITS.items():
            assert f"{limit // inputs.MB} MB" in text, (page, kind)
        assert 'pip install "nerchinsk-map[pipeline]"' in text or page.name == "safety.md"


ALLOWED_STYLE = {"color", "fillColor", "weight", "radius", "opacity", "fillOpacity", "dashArray", "lineCap",
                 "lineJoin", "fill", "stroke"}


@settings(max_examples=40, deadline=None)
@given(key=st.text(min_size=1, max_size=30).filter(lambda k: k not in ALLOWED_STYLE),
       value=st.text(max_size=40) | st.integers() | st.booleans())
def test_a_catalog_style_option_outside_the_allow_list_is_refused(key, value):
    """Leaflet writes some options into the page as HTML (a layer's 'attribution'): only the
    path options the map uses are accepted, whatever the value."""
    from nerchinsk_map.data.catalog_schema import check_catalog
    from nerchinsk_map.errors import CatalogError

    raw = json.loads(CATALOG)
    raw["layers"][1]["style"]["base"][key] = value
    with pytest.raises(CatalogError, match="unknown entry"):
        check_catalog(raw, "catalog.json")


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.text(max_size=25), st.from_regex(r"-?\d{1,5}(-\d{1,3}){0,2}[?~%]?", fullmatch=True),
                       st.integers(), st.floats(), st.lists(st.text(max_size=5), max_size=2), st.booleans()),
       field=st.sampled_from(["start_date", "end_date", "start_edtf", "end_edtf", "date_os"]))
def test_any_date_value_is_placed_or_noted_never_a_traceback(value, field):
    from nerchinsk_map.chronology import dates
    from nerchinsk_map.data.properties import date_problem, date_problems

    props = {field: value}
    problem = date_problem(props)
    assert problem is None or (isinstance(problem, str) and "\n" not in problem)
    assert (problem is None) == (date_problems(props) == [])
    if problem is None:
        dates.span(props)  # what the time control does with it: no error
