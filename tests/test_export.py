"""Export: every format round-trips every catalog layer; shapefile names stay unique; the CLI
refuses bad input with one line; a failed export leaves earlier output untouched."""

from __future__ import annotations

import json
import os
from xml.etree import ElementTree

import fiona
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import cli
from shapely.geometry import shape

import nerchinsk_map as nm
from nerchinsk_map import exporter
from nerchinsk_map.export_records import plain, short_field_names
from nerchinsk_map.exporter import FORMATS, ExportError, UnknownFormatError, export, export_layers

# Geometry tolerance in degrees: binary formats store doubles; the text formats write at least
# 15 significant digits (1e-9 degrees is 0.1 mm).
TOLERANCE = {"geojson": 1e-9, "gpkg": 0.0, "shp": 0.0, "kml": 1e-9, "fgb": 0.0}
NAME_FIELD = {"kml": "Name"}  # the KML driver reads the placemark <name> back as "Name"
LAYER_IDS = nm.list_layers()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Every catalog layer exported once in every format: {fmt: folder}."""
    root = tmp_path_factory.mktemp("export")
    for fmt in FORMATS:
        if fmt == "shp":
            with pytest.warns(UserWarning, match="254 bytes"):  # the DBF text limit
                export_layers(None, fmt, root / fmt)
        else:
            export_layers(None, fmt, root / fmt)
    return {fmt: root / fmt for fmt in FORMATS}


def read_back(folder, fmt, layer_id):
    """(features, EPSG code) of one exported layer, read with fiona."""
    spec = FORMATS[fmt]
    path = folder / exporter.output_name(spec, layer_id)
    layer = layer_id if spec.single_file else None
    with fiona.open(path, layer=layer, allow_unsupported_drivers=spec.unlisted) as src:
        return list(src), src.crs.to_epsg()


def canonical(geom):
    """Normalised geometry, a one-part Multi* as its part (shapefiles do not keep the Multi)."""
    geom = shapely.normalize(geom)
    if geom.geom_type.startswith("Multi") and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    return geom


def test_formats_are_data_with_drivers_gdal_has():
    with fiona.Env() as env:
        drivers = env.drivers()
    assert set(FORMATS) == {"geojson", "gpkg", "shp", "kml", "fgb"}
    for spec in FORMATS.values():
        assert spec.driver in drivers, spec.driver
        assert spec.suffix.startswith(".")
    assert [f.id for f in FORMATS.values() if f.single_file] == ["gpkg"]


@pytest.mark.parametrize("layer_id", LAYER_IDS)
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_layer_round_trips(exported, fmt, layer_id):
    gdf = nm.load_layer(layer_id)
    features, epsg = read_back(exported[fmt], fmt, layer_id)
    assert epsg == 4326
    assert len(features) == len(gdf)
    assert [f.properties[NAME_FIELD.get(fmt, "name")] for f in features] == list(gdf["name"])
    for feature, original in zip(features, gdf.geometry, strict=True):
        got = shape(feature.geometry)
        assert canonical(got).equals_exact(canonical(original), TOLERANCE[fmt]), (fmt, layer_id)
        assert shapely.hausdorff_distance(got, original) <= max(TOLERANCE[fmt], 1e-12)


@pytest.mark.parametrize("layer_id", LAYER_IDS)
@pytest.mark.parametrize("fmt", ["gpkg", "fgb", "geojson"])
def test_every_property_is_kept_and_typed(exported, fmt, layer_id):
    gdf = nm.load_layer(layer_id)
    features, _ = read_back(exported[fmt], fmt, layer_id)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    assert list(features[0].properties) == columns
    for feature, (_, row) in zip(features, gdf.iterrows(), strict=True):
        for column in columns:
            want, got = plain(row[column]), feature.properties[column]
            if isinstance(want, (list, dict)):
                assert json.loads(got) == want, column  # nested values travel as JSON text
            else:
                assert got == want and type(got) is type(want), (column, got, want)


def test_types_follow_the_data(exported):
    with fiona.open(exported["gpkg"] / "nerchinsk.gpkg", layer="rivers") as src:
        rivers = src.schema["properties"]
    with fiona.open(exported["gpkg"] / "nerchinsk.gpkg", layer="watersheds") as src:
        basins = src.schema["properties"]
    assert rivers["treaty"] == "bool"
    assert rivers["length_km"] == "float" and rivers["control_points"] == "str"
    assert basins["area_km2"].startswith("int")
    assert rivers["start_date"] == "str"  # dates stay ISO text


def test_shapefile_field_mapping_is_written_without_collisions(exported, catalog):
    folder = exported["shp"]
    for layer_id in LAYER_IDS:
        mapping = pd.read_csv(folder / f"{layer_id}.fields.csv", keep_default_na=False)
        gdf = nm.load_layer(layer_id)
        assert list(mapping["property"]) == [c for c in gdf.columns if c != gdf.geometry.name]
        assert (mapping["field"].str.len() <= 10).all()
        assert mapping["field"].str.lower().is_unique
        with fiona.open(folder / f"{layer_id}.shp") as src:
            assert list(src.schema["properties"]) == list(mapping["field"])
    treaty = pd.read_csv(folder / "treaty_1689.fields.csv").set_index("property")["field"]
    assert treaty["start_date"] == "start_date"
    assert treaty["start_date_note"] not in ("start_date", "start_date_note")
    metadata = json.loads((folder / "METADATA.json").read_text(encoding="utf-8"))
    assert metadata["layers"]["treaty_1689"]["shapefile_fields"] == treaty.to_dict()


def test_shapefile_is_utf8_and_cuts_long_text_on_a_character(exported):
    folder = exported["shp"]
    assert (folder / "places.cpg").read_text().strip().upper().replace("-", "") == "UTF8"
    places = nm.load_layer("places")
    mapping = pd.read_csv(folder / "places.fields.csv").set_index("property")["field"]
    with fiona.open(folder / "places.shp") as src:
        rows = [f.properties for f in src]
    assert [r[mapping["name_zh"]] for r in rows] == [plain(v) for v in places["name_zh"]]
    for row, source in zip(rows, places["source"], strict=True):
        text = row[mapping["source"]]
        assert len(text.encode("utf-8")) <= 254 and source.startswith(text)


def test_short_field_names_never_collide():
    names = ["start_date", "start_date_note", "start_date_end", "Start_da_1x", "abcdefghijk",
             "abcdefghijl", "abcdefgh_1", "id"]
    short = short_field_names(names)
    assert list(short) == names
    assert short["start_date"] == "start_date" and short["abcdefgh_1"] == "abcdefgh_1"
    assert all(len(v) <= 10 for v in short.values())
    assert len({v.lower() for v in short.values()}) == len(names)


def test_kml_placemarks_have_name_and_description(exported):
    places = nm.load_layer("places")
    root = ElementTree.parse(exported["kml"] / "places.kml").getroot()  # well-formed XML
    assert root.tag == "{http://www.opengis.net/kml/2.2}kml"
    assert len(root.findall(".//{http://www.opengis.net/kml/2.2}Placemark")) == len(places)
    features, _ = read_back(exported["kml"], "kml", "places")
    for feature, (_, row) in zip(features, places.iterrows(), strict=True):
        assert feature.properties["Name"] == row["name"]
        description = feature.properties["Description"]
        assert "<b>Role</b>" in description and "<b>Source</b>" in description
    for layer_id in LAYER_IDS:  # every placemark has at least its source as description
        features, _ = read_back(exported["kml"], "kml", layer_id)
        assert all(f.properties["Description"] for f in features), layer_id


def test_metadata_names_titles_descriptions_sources_and_licences(exported, catalog):
    for fmt, folder in exported.items():
        metadata = json.loads((folder / "METADATA.json").read_text(encoding="utf-8"))
        assert metadata["crs"].startswith("EPSG:4326")
        assert list(metadata["exports"]) == [fmt]
        for spec in catalog.layers:
            entry = metadata["layers"][spec.id]
            assert entry["title"] == spec.title and entry["description"] == spec.description
            assert [s["dataset"] for s in entry["sources"]] == [s.dataset for s in spec.sources]
            assert set(entry["licences"]) == {s.licence for s in spec.sources}
        for name in metadata["exports"][fmt]["files"]:
            assert (folder / name).is_file(), name


def test_metadata_merges_formats_and_drops_a_replaced_bundle(tmp_path):
    export(["places", "rivers"], "gpkg", tmp_path)
    export(["places"], "geojson", tmp_path)
    export(["places"], "gpkg", tmp_path)  # the GeoPackage now holds places only
    metadata = json.loads((tmp_path / "METADATA.json").read_text(encoding="utf-8"))
    assert set(metadata["exports"]) == {"geojson", "gpkg"}
    assert set(metadata["layers"]["places"]["files"]) == {"geojson", "gpkg"}
    assert "rivers" not in metadata["layers"]
    assert fiona.listlayers(tmp_path / "nerchinsk.gpkg") == ["places"]


def test_own_layers_are_exported_in_wgs84(tmp_path):
    survey = nm.load_layer("places").iloc[:2].to_crs(3857)
    survey["name"] = ["A", "B"]
    paths = export({"my_survey": survey}, "fgb", tmp_path)
    assert [p.name for p in paths] == ["my_survey.fgb", "METADATA.json"]
    with fiona.open(tmp_path / "my_survey.fgb") as src:
        assert src.crs.to_epsg() == 4326
        assert abs(next(iter(src)).geometry.coordinates[0] - 124.0775) < 1e-9
    metadata = json.loads((tmp_path / "METADATA.json").read_text(encoding="utf-8"))
    assert "not a catalog layer" in metadata["layers"]["my_survey"]["note"]


def test_bad_input_raises_one_line_project_errors(tmp_path):
    with pytest.raises(UnknownFormatError, match="unknown export format 'kmz2'"):
        export(["places"], "kmz2", tmp_path / "a")
    with pytest.raises(nm.UnknownLayerError, match="unknown layer 'atlantis'"):
        export(["places", "atlantis"], "gpkg", tmp_path / "b")
    no_crs = gpd.GeoDataFrame({"name": ["x"]}, geometry=[shapely.Point(120, 50)])
    with pytest.raises(ExportError, match="no CRS"):
        export({"x": no_crs}, "gpkg", tmp_path / "c")
    with pytest.raises(ExportError, match="not usable as a file name"):
        export({"../x": nm.load_layer("places")}, "gpkg", tmp_path / "d")
    assert not any(tmp_path.iterdir())  # nothing was created


def test_cli_exports_and_says_where(tmp_path):
    result = cli("export", "--format", "geojson", "--output", str(tmp_path / "out"), "places")
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "out" / "places.geojson") in result.stdout
    assert (tmp_path / "out" / "METADATA.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "kmz2"], "unknown export format 'kmz2'"),
        (["--format", "gpkg", "atlantis"], "unknown layer 'atlantis'"),
    ],
)
def test_cli_refuses_bad_format_or_layer_with_one_line(tmp_path, args, message):
    out = tmp_path / "D"
    result = cli("export", *args[:2], "--output", str(out), *args[2:])
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.filterwarnings("ignore:shapefile:UserWarning")
@pytest.mark.parametrize("fmt", ["gpkg", "shp", "geojson", "kml", "fgb"])
def test_failed_export_leaves_earlier_output_untouched(tmp_path, monkeypatch, fmt):
    export(["places", "rivers"], fmt, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    real = exporter.write_layer
    calls = []

    def fail_on_second_layer(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:
            raise OSError("disk full (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(exporter, "write_layer", fail_on_second_layer)
    changed = nm.load_layer("places").assign(name=lambda d: d["name"] + " (changed)")
    with pytest.raises(OSError, match="simulated"):
        export({"places": changed, "rivers": nm.load_layer("rivers")}, fmt, tmp_path)
    assert calls == ["places", "rivers"]  # the first layer was written (to the staging folder)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # same files, same bytes, no staging folder left behind


def test_a_foreign_metadata_file_is_not_overwritten(tmp_path):
    (tmp_path / "METADATA.json").write_text("my own notes", encoding="utf-8")
    with pytest.raises(ExportError, match="not written by nerchinsk-map"):
        export(["places"], "geojson", tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["METADATA.json"]
