"""Every malformed input gets one line and exit 2 (no traceback), and an earlier output stays
as it was; nothing is dropped silently (heights, GeoPackage layers, oversized layers)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from conftest import cli, page_blocks
from shapely.geometry import Point

import nerchinsk_map as nm
from nerchinsk_map.web import builder

DEEP = 50_000


def feature_text(geometry: str, properties: str = '{"name": "a"}') -> str:
    return ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            + properties + ', "geometry": ' + geometry + "}]}")


GEOJSON = {
    "nan.geojson": (feature_text('{"type": "Point", "coordinates": [NaN, 50]}'), "not a number"),
    "infinity.geojson": (feature_text('{"type": "LineString", "coordinates": [[120, 50], [Infinity, 50]]}'),
                         "not a number"),
    "collection.geojson": (feature_text('{"type": "GeometryCollection", "geometries": '
                                        '[{"type": "Point", "coordinates": [120, 50]}]}'), "GeometryCollection"),
    "deep_geometry.geojson": (feature_text('{"type": "Point", "coordinates": ' + "[" * DEEP + "]" * DEEP + "}"),
                              "nested too deeply"),
    "deep_property.geojson": (feature_text('{"type": "Point", "coordinates": [120, 50]}',
                                           '{"name": "a", "x": ' + "[" * DEEP + "]" * DEEP + "}"),
                              "nested too deeply"),
}


def assert_one_line(result, *fragments: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nerchinsk-map: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture()
def earlier(tmp_path) -> Path:
    out = tmp_path / "map.html"
    out.write_text("earlier map", encoding="utf-8")
    return out


@pytest.mark.parametrize("name", sorted(GEOJSON))
def test_a_malformed_geojson_gets_one_line(tmp_path, earlier, name):
    text, message = GEOJSON[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert_one_line(cli("build", "--layers", "places", "--add-layer", str(path), "--output", str(earlier)),
                    name, message)
    assert earlier.read_text(encoding="utf-8") == "earlier map"


@pytest.mark.parametrize("missing", [".shx", ".dbf"])
def test_a_shapefile_without_its_parts_names_them(tmp_path, earlier, missing):
    gpd.GeoDataFrame({"name": ["ford"]}, geometry=[Point(121.0, 53.2)], crs=4326).to_file(tmp_path / "fords.shp")
    (tmp_path / f"fords{missing}").unlink()
    assert_one_line(cli("build", "--layers", "places", "--add-layer", str(tmp_path / "fords.shp"),
                        "--output", str(earlier)), f"fords{missing} is missing")
    assert earlier.read_text(encoding="utf-8") == "earlier map"


@pytest.fixture()
def two_layers(tmp_path) -> Path:
    path = tmp_path / "survey.gpkg"
    gpd.GeoDataFrame({"name": ["Fort"]}, geometry=[Point(124.0, 53.0)], crs=4326).to_file(path, layer="forts")
    gpd.GeoDataFrame({"name": ["Town"]}, geometry=[Point(125.0, 52.0)], crs=4326).to_file(path, layer="towns")
    return path


def test_a_geopackage_of_several_layers_needs_a_pick(two_layers, earlier):
    assert_one_line(cli("build", "--layers", "places", "--add-layer", str(two_layers), "--output", str(earlier)),
                    "holds 2 layers (forts, towns)", f"{two_layers}:LAYER")
    assert_one_line(cli("build", "--layers", "places", "--add-layer", f"{two_layers}:roads",
                        "--output", str(earlier)), "has no layer 'roads'")
    assert earlier.read_text(encoding="utf-8") == "earlier map"


def test_a_geopackage_layer_is_picked_by_name(two_layers):
    m = nm.build_map(["places"], extra_layers=[f"{two_layers}:towns"])
    html = nm.render_html(m)
    assert "Town" in html and "Fort\\" not in html and '"Fort"' not in html


def test_heights_are_dropped_with_a_true_note(tmp_path):
    path = tmp_path / "heights.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Peak"},
        "geometry": {"type": "Point", "coordinates": [124.5, 53.1, 1200.0]}}]}), encoding="utf-8")
    out = tmp_path / "map.html"
    result = cli("build", "--layers", "places", "--add-layer", str(path), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "dropped the heights (Z values) of 1 feature(s)" in result.stderr
    assert "reprojected" not in result.stderr
    html = out.read_text(encoding="utf-8")
    layer = next(b for b in page_blocks(html).values() if "Peak" in json.dumps(b) and "features" in b)
    coords = layer["features"][0]["geometry"]["coordinates"]  # delta integers at the layer's precision
    assert [c / 10 ** layer.get("precision", 0) for c in coords] == [124.5, 53.1]  # two dimensions
    assert not nm.read_layer_file(path).has_z.any()


@pytest.mark.parametrize("value", ["", ",", " , "])
@pytest.mark.parametrize("command", ["build", "figure"])
def test_an_empty_layer_list_gets_one_line(tmp_path, command, value):
    out = tmp_path / ("map.html" if command == "build" else "figure.png")
    assert_one_line(cli(command, "--layers", value, "--output", str(out)), "--layers", "no layer ids")
    assert not out.exists()


@pytest.mark.parametrize("command", ["build", "figure"])
def test_a_year_outside_the_time_range_gets_one_line(tmp_path, command):
    out = tmp_path / ("map.html" if command == "build" else "figure.png")
    assert_one_line(cli(command, "--year", "3000", "--output", str(out)), "3000", "outside", "1650–2010")
    assert not out.exists()


def test_a_layer_beyond_the_page_budget_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "dense.geojson"
    features = [{"type": "Feature", "properties": {"name": f"p{i}"},
                 "geometry": {"type": "Point", "coordinates": [120 + i / 1000, 50.0]}} for i in range(2000)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    monkeypatch.setattr(builder, "PAGE_BUDGET_MB", 0.05)
    with pytest.raises(nm.NerchinskMapError, match=r"layer 'user_dense' takes .* MB budget: simplify it"):
        nm.build_map(["places"], extra_layers=[path], basemap=False)  # the user layer alone
