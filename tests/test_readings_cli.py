"""``nerchinsk-map reading list | build | compare`` and ``build --reading`` as a user runs them."""

import json

import pytest
from conftest import cli

from nerchinsk_map import readings


def test_reading_list_json_has_the_promised_keys():
    result = cli("reading", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == readings.shipped_ids()
    for row in rows:
        assert set(row) == {"id", "title", "treaty", "year", "source"}
        assert row["source"]


def test_reading_build_writes_one_feature_per_clause(tmp_path):
    out = tmp_path / "amazar.geojson"
    result = cli("reading", "build", "gorbitsa_amazar", "--output", str(out))
    assert result.returncode == 0, result.stderr
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["id"] for f in features] == ["amur", "amazar", "connector"]
    for f in features:
        p = f["properties"]
        assert p["texts"] and p["precision_km"] > 0 and p["method"].startswith("compiled: ")


def test_reading_build_of_a_users_file(tmp_path):
    mine = readings.get("gorbitsa_malaya")
    mine["id"] = "my_reading"
    path = tmp_path / "my_reading.json"
    path.write_text(json.dumps(mine), encoding="utf-8")
    result = cli("reading", "build", str(path), "--output", str(tmp_path / "out.geojson"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.geojson").is_file()


def test_bad_reading_file_is_one_line_and_exit_2(tmp_path):
    bad = readings.get("gorbitsa_malaya")
    bad["clauses"][1]["to"] = {"river": "gorbitsa", "at": "sauce"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    out = tmp_path / "never.geojson"
    result = cli("reading", "build", str(path), "--output", str(out))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "clause 2 (gorbitsa), field to.at" in result.stderr
    assert not out.exists()


@pytest.mark.usefixtures("raw_data")
def test_reading_compare_answers_the_gorbitsa_question():
    result = cli("reading", "compare", "gorbitsa_malaya", "gorbitsa_amazar", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert 3_000 < answer["area_between_km2"] < 20_000
    assert 30 < answer["max_distance_km"] < 150
    assert "Mogocha" in [p["name"] for p in answer["places_changing_side"]]


def test_build_adds_a_reading_to_the_map(tmp_path):
    out = tmp_path / "map.html"
    result = cli("build", "--layers", "treaty_1689", "--reading", "gorbitsa_amazar", "--output", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Reading: the Gorbitsa is the Amazar" in html
    assert "user_reading_the_gorbitsa_is_the_amazar" in html
