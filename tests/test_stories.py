"""Stories are data: the shipped story validates against its published JSON Schema (read with
jsonschema, not the project's loader), names only what the map draws in each step's year, cites
sources in every step and speaks three languages; a bad story file, however it is bad, stops
``build --story`` with one line naming the step and the field, exit 2, and writes nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from conftest import page_blocks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nerchinsk_map import cli
from nerchinsk_map.data.catalog import default_catalog, geodata_dir
from nerchinsk_map.web.reader import layer_index, stories_for
from nerchinsk_map.web.stories import (
    StoryError,
    check_against_map,
    load_story,
    shipped_story_path,
    validate_story,
)
from nerchinsk_map.web.texts import texts_data

STORIES = geodata_dir() / "stories"
SCHEMA = json.loads((STORIES / "story.schema.json").read_text(encoding="utf-8"))
SHIPPED = json.loads(shipped_story_path().read_text(encoding="utf-8"))


def test_the_schema_is_a_valid_json_schema_and_every_shipped_story_follows_it():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    files = sorted(p for p in STORIES.glob("*.json") if p.name != "story.schema.json")
    assert files
    for path in files:
        jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(path.read_text(encoding="utf-8")))


def test_the_shipped_story_runs_from_khabarov_to_the_settlement_in_order():
    steps = SHIPPED["steps"]
    assert 10 <= len(steps) <= 14
    years = [s["year"] for s in steps]
    assert years == sorted(years) and years[0] == 1651 and years[-1] == 2008
    for step in steps:
        assert all(step["text"][lang].strip() for lang in ("en", "ru", "zh"))
        assert step["sources"] and not any("facts.md" in s or "notes" in s for s in step["sources"])


def _features() -> dict:
    """Every catalog layer's features as the page shows them in time (layers.js's rule)."""
    from nerchinsk_map.data.layers import load_layers
    from nerchinsk_map.web.layers import CatalogLayer

    catalog = default_catalog()
    frames = load_layers(catalog.ids(), catalog)
    overlays = [CatalogLayer(catalog[i], frames[i], z_index=400) for i in catalog.ids() if not catalog[i].basemap]
    return layer_index(overlays)


@pytest.fixture(scope="module")
def features() -> dict:
    return _features()


def test_each_step_highlights_features_the_map_shows_in_its_year(features):
    years = {k: v["years"] for k, v in features.items()}
    check_against_map(SHIPPED, years, (1650, 2010))
    for step in SHIPPED["steps"]:
        for mark in step.get("highlight", []):
            first, last = years[mark["layer"]][mark["feature"]]
            assert (first is None or first <= step["year"]) and (last is None or step["year"] <= last), mark
    assert [s["id"] for s in stories_for(features, (1650, 2010))] == ["amur"]


def test_every_clause_of_the_shipped_readings_is_drawn_by_an_existing_feature(features):
    for reading in texts_data(features):
        for clause in reading["clauses"]:
            assert clause["segments"], (reading["id"], clause["id"])
            for layer, fid in clause["segments"]:
                assert fid in features[layer]["ids"] and features[layer]["geometry"] == "line"


# A bad story: one field of one step (or of the top level) broken in one of the ways a hand-written
# file goes wrong. Each must be refused naming that step and that field.
BREAKS = {
    "missing": lambda step, key: step.pop(key),
    "wrong type": lambda step, key: step.__setitem__(key, {"year": "1689", "view": "Amur", "title": "x", "text": 7,
                                                          "sources": "a book", "layers": "rivers", "id": 3}[key]),
    "empty": lambda step, key: step.__setitem__(key, {"year": None, "view": [], "title": {}, "text": {"en": ""},
                                                     "sources": [], "layers": [""], "id": ""}[key]),
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, len(SHIPPED["steps"]) - 1),
       key=st.sampled_from(["year", "view", "title", "text", "sources", "layers", "id"]),
       how=st.sampled_from(sorted(BREAKS)))
def test_a_bad_story_fails_naming_its_step_and_field(tmp_path, capsys, index, key, how):
    story = copy.deepcopy(SHIPPED)
    step = story["steps"][index]
    if how == "missing" and key == "layers":
        step["layers"] = "rivers"  # layers is optional: break it another way
    else:
        BREAKS[how](step, key)
    path = tmp_path / "story.json"
    path.write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "map.html"
    code = cli.main(["build", "--output", str(out), "--story", str(path)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and not out.exists()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert f"step {index + 1} ({step.get('id')})" in err or f"step {index + 1}" in err, err
    assert key in err, err


@pytest.mark.parametrize("text,where", [
    ("{not json", "not valid JSON"),
    ("[]", "top level"),
    ('{"id": "x", "title": {"en": "a", "ru": "b", "zh": "c"}, "steps": []}', "field steps"),
])
def test_a_story_that_is_not_a_story_fails_in_one_line(tmp_path, capsys, text, where):
    path = tmp_path / "story.json"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["build", "--output", str(tmp_path / "map.html"), "--story", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and where in err


def test_a_story_naming_what_the_map_lacks_is_refused_naming_the_step(features):
    years = {k: v["years"] for k, v in features.items()}
    cases = [
        ({"layers": ["no_such_layer"]}, "step 2 (nerchinsk), field layers"),
        ({"highlight": [{"layer": "events", "feature": "no_such_event"}]}, "step 2 (nerchinsk), field highlight.0.feature"),
        ({"year": 1500}, "step 2 (nerchinsk), field year"),
        ({"view": [[60, 120], [50, 130]]}, "step 2 (nerchinsk), field view"),
    ]
    for change, message in cases:
        story = copy.deepcopy(SHIPPED)
        story["steps"][1].update(change)
        with pytest.raises(StoryError, match=message.replace("(", r"\(").replace(")", r"\)")):
            validate_story(story)
            check_against_map(story, years, (1650, 2010))


def test_load_story_reads_the_shipped_file():
    assert load_story(Path(shipped_story_path()))["id"] == "amur"


def test_a_storys_text_is_text_in_the_page_never_markup(tmp_path):
    """Words that look like markup or a template reach the page escaped inside the JSON block and
    read back unchanged (the browser shows them with textContent)."""
    import re

    from nerchinsk_map.web.builder import build_map, render_html

    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)> {{ 7*7 }} & 'quotes'"
    story = copy.deepcopy(SHIPPED)
    story["id"] = "hostile"
    story["steps"][0]["text"]["en"] = hostile
    story["steps"][0]["title"]["ru"] = hostile
    path = tmp_path / "story.json"
    path.write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    page = render_html(build_map(stories=[path]))
    block = re.search(r'<script type="application/x-nm-deflate" id="nm-reader-data"[^>]*>(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    ours = next(s for s in page_blocks(page)["nm-reader-data"]["stories"] if s["id"] == "hostile")
    assert ours["steps"][0]["text"]["en"] == hostile and ours["steps"][0]["title"]["ru"] == hostile
    assert "alert(1)" not in page.replace(block, "")
