"""Every catalog layer loads as WGS 84 GeoDataFrame with names, valid geometry and provenance."""

import pytest

import nerchinsk_map as nm

KIND = {"point": {"Point", "MultiPoint"}, "line": {"LineString", "MultiLineString"},
        "polygon": {"Polygon", "MultiPolygon"}}
PROVENANCE = ("source", "method", "precision_km", "certainty", "start_date", "end_date")


@pytest.mark.parametrize("layer_id", nm.list_layers())
def test_layer_loads_clean(layer_id, catalog):
    gdf = nm.load_layer(layer_id)
    spec = catalog[layer_id]
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) > 0
    assert gdf["name"].notna().all() and (gdf["name"].str.len() > 0).all()
    assert gdf.geometry.is_valid.all()
    assert not gdf.geometry.is_empty.any()
    assert set(gdf.geom_type) <= KIND[spec.geometry]
    for column in PROVENANCE:
        assert column in gdf.columns, f"{layer_id} lacks {column}"
    assert gdf["source"].notna().all() and gdf["method"].notna().all()
    assert set(gdf["certainty"]) <= {"attested", "probable", "disputed"}
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 84 <= minx and maxx <= 151 and 37 <= miny and maxy <= 67  # the raw data's region


def test_load_layers_returns_every_layer_in_order():
    layers = nm.load_layers()
    assert list(layers) == nm.list_layers()


def test_rivers_have_three_languages():
    rivers = nm.load_layer("rivers").set_index("id")
    for river in ("amur", "argun", "shilka", "gorbitsa", "onon", "ingoda", "zeya", "uda"):
        row = rivers.loc[river]
        assert row["name"] and row["name_ru"] and row["name_zh"], river


def test_places_have_dates_and_roles():
    places = nm.load_layer("places").set_index("id")
    for place in ("albazin", "nerchinsk", "argunsk", "aigun", "udskoy"):
        assert places.loc[place, "role"]
    assert places.loc["albazin", "start_date"] == "1665"  # refounded; 1650–51 is albazin_1651
    assert places.loc["nerchinsk", "name_zh"] == "尼布楚"
    assert places.loc["albazin", "name_zh"] == "雅克萨"


def test_hand_placed_geometry_carries_control_points():
    rivers = nm.load_layer("rivers").set_index("id")
    assert "zhwiki" in str(rivers.loc["gorbitsa", "control_points"])
    places = nm.load_layer("places")
    assert places["control_points"].notna().all()


def test_missing_file_is_a_one_line_error(tmp_path):
    with pytest.raises(nm.LayerDataError, match="file not found"):
        nm.read_layer_file(tmp_path / "nothing.geojson")


def test_broken_json_is_a_one_line_error(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(nm.LayerDataError, match="not valid JSON") as info:
        nm.read_layer_file(path)
    assert "\n" not in str(info.value)


def test_empty_collection_is_refused(tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(nm.LayerDataError, match="no features"):
        nm.read_layer_file(path)


def test_self_intersecting_polygon_is_refused_or_repaired(tmp_path):
    path = tmp_path / "bowtie.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},'
        '"geometry":{"type":"Polygon","coordinates":[[[120,50],[121,51],[121,50],[120,51],[120,50]]]}}]}',
        encoding="utf-8",
    )
    with pytest.raises(nm.LayerDataError, match="invalid geometry"):
        nm.read_layer_file(path)
    with pytest.warns(UserWarning, match="repaired"):
        fixed = nm.read_layer_file(path, repair=True)
    assert fixed.geometry.is_valid.all()


def test_projected_file_is_reprojected(tmp_path):
    gdf = nm.load_layer("places").to_crs("EPSG:3857")
    path = tmp_path / "projected.gpkg"
    gdf[["name", "geometry"]].to_file(path, driver="GPKG")
    with pytest.warns(UserWarning, match="reprojected"):
        back = nm.read_layer_file(path)
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].distance(nm.load_layer("places").geometry.iloc[0]) < 1e-6


@pytest.mark.parametrize("layer_id", nm.list_layers())
def test_every_feature_is_named_in_three_languages(layer_id):
    gdf = nm.load_layer(layer_id)
    for column in ("name", "name_ru", "name_zh"):
        assert column in gdf.columns, f"{layer_id} lacks {column}"
        blank = gdf[gdf[column].isna() | (gdf[column].astype(str).str.strip() == "")]
        assert blank.empty, f"{layer_id}: {column} missing for {list(blank.get('id', blank.index))}"
