"""``nerchinsk-map validate`` passes on the shipped data and catches broken data."""

import json
import shutil

from conftest import cli

import nerchinsk_map as nm


def test_shipped_data_validates():
    result = cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok:")


def _copy_geodata(tmp_path):
    src = nm.default_catalog().root
    for path in src.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
        elif path.is_dir() and path.name != "__pycache__":
            shutil.copytree(path, tmp_path / path.name)
    return tmp_path


def test_broken_topology_and_provenance_are_reported(tmp_path):
    folder = _copy_geodata(tmp_path)
    treaty = json.loads((folder / "treaty_1689.geojson").read_text(encoding="utf-8"))
    for feature in treaty["features"]:
        if feature["properties"]["id"] == "divide":
            feature["geometry"]["coordinates"] = [[x + 0.2, y] for x, y in feature["geometry"]["coordinates"]]
        if feature["properties"]["id"] == "argun":
            feature["properties"]["source"] = ""
    (folder / "treaty_1689.geojson").write_text(json.dumps(treaty), encoding="utf-8")
    result = cli("validate", "--catalog", str(folder / "catalog.json"))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert any("'divide' does not lie on watersheds 'amur' edge" in line for line in lines)
    assert any("'argun' has no source" in line for line in lines)


def test_wrong_geometry_kind_is_reported(tmp_path):
    folder = _copy_geodata(tmp_path)
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    for layer in catalog["layers"]:
        if layer["id"] == "places":
            layer["geometry"] = "polygon"
    (folder / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    result = cli("validate", "--catalog", str(folder / "catalog.json"))
    assert result.returncode == 1
    assert "places: geometry Point but the catalog says polygon" in result.stdout


def test_a_text_without_its_translation_is_reported(tmp_path):
    folder = _copy_geodata(tmp_path)
    places = json.loads((folder / "places.geojson").read_text(encoding="utf-8"))
    places["features"][0]["properties"]["role"] = "A role nobody has translated yet."
    (folder / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    result = cli("validate", "--catalog", str(folder / "catalog.json"))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    for lang in ("ru", "zh"):
        assert f"places: popup texts without a {lang} translation: 1 (first: 'A role nobody has translated yet.')" in lines


def test_bad_edtf_dates_are_reported(tmp_path):
    folder = _copy_geodata(tmp_path)
    places = json.loads((folder / "places.geojson").read_text(encoding="utf-8"))
    for feature in places["features"]:
        props = feature["properties"]
        if props["id"] == "kumarsk":
            props["start_edtf"] = "1652 or 1654"  # prose, not EDTF
        if props["id"] == "selenginsk":
            props["start_date"] = "1665"  # not the earliest bound of [1655,1665]
        if props["id"] == "nerchinsk":
            del props["start_edtf"]
    (folder / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    result = cli("validate", "--catalog", str(folder / "catalog.json"))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert "places: feature 'kumarsk': not an EDTF date: '1652 or 1654'" in lines
    assert ("places: feature 'selenginsk': start_date/end_date ('1665', '1840') are not the EDTF "
            "bounds ('1655', '1840')") in lines
    assert "places: feature 'nerchinsk': has start_date but no start_edtf" in lines
