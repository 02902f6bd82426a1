"""The command line as a user runs it: build, layers, and one-line errors with exit 2."""

import json

from conftest import cli

import nerchinsk_map as nm


def test_layers_lists_the_catalog():
    result = cli("layers")
    assert result.returncode == 0
    for layer_id in nm.list_layers():
        assert layer_id in result.stdout


def test_build_writes_the_map_and_says_where(tmp_path):
    out = tmp_path / "sub" / "map.html"
    result = cli("build", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "NerchinskMap.geoJsonLayer" in html


def test_build_defaults_to_the_current_folder(tmp_path):
    result = cli("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "nerchinsk_map.html").is_file()


def test_unknown_layer_exits_2_with_one_line(tmp_path):
    out = tmp_path / "map.html"
    result = cli("build", "--layers", "rivers,atlantis", "--output", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "unknown layer 'atlantis'" in result.stderr
    assert not out.exists()


def test_broken_catalog_exits_2_and_keeps_earlier_output(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("earlier map", encoding="utf-8")
    bad = tmp_path / "catalog.json"
    bad.write_text("{not json", encoding="utf-8")
    result = cli("build", "--catalog", str(bad), "--output", str(out))
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr and result.stderr.strip().count("\n") == 0
    assert out.read_text(encoding="utf-8") == "earlier map"
    assert {p.name for p in tmp_path.iterdir()} == {"catalog.json", "map.html"}  # no stray temp file


def test_broken_layer_file_exits_2(tmp_path):
    catalog = json.loads((nm.default_catalog().root / "catalog.json").read_text(encoding="utf-8"))
    catalog["layers"] = [dict(layer, id="my_places") for layer in catalog["layers"] if layer["id"] == "places"]
    del catalog["translations"]  # a user's catalog need not translate its texts
    (tmp_path / "places.geojson").write_text('{"type": "FeatureCollection", "features": [{"ty', encoding="utf-8")
    (tmp_path / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    result = cli("build", "--catalog", str(tmp_path / "catalog.json"), "--output", str(tmp_path / "m.html"))
    assert result.returncode == 2
    assert "places.geojson: not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_catalog_exits_2(tmp_path):
    result = cli("layers", "--catalog", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and "catalog file not found" in result.stderr


def test_build_opens_in_the_chosen_language(tmp_path):
    out = tmp_path / "ru.html"
    assert cli("build", "--lang", "ru", "--output", str(out)).returncode == 0
    assert '<html lang="ru">' in out.read_text(encoding="utf-8")
    result = cli("build", "--lang", "fr", "--output", str(tmp_path / "fr.html"))
    assert result.returncode == 2 and "unknown language 'fr'" in result.stderr
    assert not (tmp_path / "fr.html").exists()
