"""Export: every format round-trips every catalog layer; shapefile names stay unique; the CLI
refuses bad input with one line; a failed export leaves earlier output untouched."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree

import fiona
import flatgeobuf
import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
from conftest import cli
from lxml import etree
from shapely.geometry import shape
from test_rfc7946 import assert_rfc7946

import nerchinsk_map as nm
from nerchinsk_map.exports import exporter
from nerchinsk_map.exports.exporter import (
    FORMATS,
    ExportError,
    UnknownFormatError,
    export,
    export_layers,
)
from nerchinsk_map.exports.records import plain, short_field_names

# Geometry tolerance in degrees: binary formats store doubles; the text formats write at least
# 15 significant digits (1e-9 degrees is 0.1 mm).
TOLERANCE = {"geojson": 1e-9, "gpkg": 0.0, "shp": 0.0, "kml": 1e-9, "fgb": 0.0, "parquet": 0.0,
             "qgis": 0.0, "lpf": 1e-9}
# the KML driver reads the placemark <name> back as "Name"; an LPF record's name is its title
NAME_FIELD = {"kml": "Name", "lpf": "title"}
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
    """(features, EPSG code) of one exported layer, read with fiona, in the layer's order
    (FlatGeobuf stores features in the order of its spatial index)."""
    spec = FORMATS[fmt]
    path = folder / exporter.output_name(spec, layer_id)
    if fmt == "parquet":  # read with pyarrow: this GDAL has no Parquet driver
        return read_parquet_with_pyarrow(path)
    layer = layer_id if spec.single_file else None
    with fiona.open(path, layer=layer, allow_unsupported_drivers=spec.unlisted) as src:
        features, epsg = list(src), src.crs.to_epsg()
    if fmt == "fgb":
        order = list(nm.load_layer(layer_id)["name"])
        features.sort(key=lambda f: order.index(f.properties["name"]))
    return features, epsg


def read_parquet_with_pyarrow(path):
    """(features, EPSG code) of a GeoParquet file, read with pyarrow alone."""
    table = pq.read_table(path)
    geo = json.loads(table.schema.metadata[b"geo"])
    column = geo["primary_column"]
    features = []
    for row in table.to_pylist():
        geometry = shapely.from_wkb(row.pop(column))
        row.pop("bbox")
        features.append(fiona.model.Feature.from_dict(
            {"type": "Feature", "geometry": shapely.geometry.mapping(geometry), "properties": row}))
    crs = geo["columns"][column]["crs"]["id"]
    return features, crs["code"] if crs["authority"] == "EPSG" else None


def canonical(geom):
    """Normalised geometry, a one-part Multi* as its part (shapefiles do not keep the Multi)."""
    geom = shapely.normalize(geom)
    if geom.geom_type.startswith("Multi") and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    return geom


def test_formats_are_data_with_drivers_gdal_has():
    with fiona.Env() as env:
        drivers = env.drivers()
    assert set(FORMATS) == {"geojson", "gpkg", "shp", "kml", "fgb", "parquet", "qgis", "lpf"}
    for spec in FORMATS.values():
        assert spec.driver in drivers or spec.writer != "fiona", spec.driver
        assert spec.suffix.startswith(".")
    assert [f.id for f in FORMATS.values() if f.single_file] == ["gpkg", "qgis"]


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
@pytest.mark.parametrize("fmt", ["gpkg", "fgb", "geojson", "parquet"])
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
    assert fiona.listlayers(tmp_path / "nerchinsk.gpkg") == ["places", "layer_styles"]


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
@pytest.mark.parametrize("fmt", list(FORMATS))
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


# --- Checked by software the project did not write -------------------------------------------

KML_SCHEMA = Path(__file__).parent / "schemas" / "kml22" / "ogckml22.xsd"
KML = "{http://www.opengis.net/kml/2.2}"


def polygon_parts(geom):
    if geom.geom_type == "Polygon":
        return [geom]
    return [p for part in getattr(geom, "geoms", []) for p in polygon_parts(part)]


@pytest.mark.parametrize("layer_id", LAYER_IDS)
def test_geojson_export_is_rfc7946(exported, layer_id):
    collection = json.loads((exported["geojson"] / f"{layer_id}.geojson").read_text("utf-8"))
    assert "crs" not in collection
    assert_rfc7946(collection, f"export {layer_id}.geojson")  # shapely and geojson-rewind


@pytest.mark.parametrize("fmt", ["gpkg", "fgb", "kml"])
def test_exported_polygons_wind_counter_clockwise(exported, fmt):
    count = 0
    for layer_id in LAYER_IDS:
        features, _ = read_back(exported[fmt], fmt, layer_id)
        for feature in features:
            for polygon in polygon_parts(shape(feature.geometry)):
                assert polygon.exterior.is_ccw, (fmt, layer_id)
                assert not any(ring.is_ccw for ring in polygon.interiors), (fmt, layer_id)
                count += 1
    assert count > 50


def test_flatgeobuf_files_have_a_packed_rtree_the_flatgeobuf_reader_reads(exported):
    """The ``flatgeobuf`` package (PyPI) reads each file's header and walks its R-tree.

    Two bugs of flatgeobuf 0.3.1 keep it from decoding some files whole: it cannot parse Bool
    properties (places, rivers) and sizes a one-feature tree differently from the FlatGeobuf
    spec and GDAL (land, uda_undetermined); those files are read through the index only."""
    from flatgeobuf.file_reader import FileReader
    from flatgeobuf.FlatGeobuf.ColumnType import ColumnType

    whole_read = 0
    for layer_id in LAYER_IDS:
        gdf = nm.load_layer(layer_id)
        path = exported["fgb"] / f"{layer_id}.fgb"
        with path.open("rb") as f:
            reader = FileReader.load(f)
            header = reader.header
            assert header.index_node_size == 16, layer_id  # the packed Hilbert R-tree is there
            assert header.features_count == len(gdf)
            assert [c.name for c in header.columns] == [c for c in gdf.columns if c != "geometry"]
            assert header.crs.code == 4326
            reader_bug = len(gdf) == 1 or any(c.type == ColumnType.Bool for c in header.columns)
        if reader_bug:
            continue
        with path.open("rb") as f:
            collection = flatgeobuf.load(f)
        names = sorted(feat["properties"]["name"] for feat in collection["features"])
        assert names == sorted(gdf["name"]), layer_id
        minx, miny, maxx, maxy = gdf.iloc[[0]].total_bounds
        with path.open("rb") as f:  # a bbox search through the index finds the first feature
            hits = flatgeobuf.load(f, bbox=(minx, miny, maxx, maxy))
        assert gdf["name"].iloc[0] in [feat["properties"]["name"] for feat in hits["features"]]
        whole_read += 1
    assert whole_read >= 7


def test_gdal_filters_flatgeobuf_by_bbox_with_its_index(exported):
    for layer_id in LAYER_IDS:
        info = pyogrio.read_info(exported["fgb"] / f"{layer_id}.fgb")
        assert info["capabilities"]["fast_spatial_filter"], layer_id
    bbox = (120.0, 50.0, 125.0, 54.0)  # around Albazin and Argunsk
    got = pyogrio.read_dataframe(exported["fgb"] / "places.fgb", bbox=bbox)
    places = nm.load_layer("places")
    inside = places[places.intersects(shapely.box(*bbox))]
    assert sorted(got["name"]) == sorted(inside["name"]) and 0 < len(got) < len(places)


def test_kml_validates_against_the_ogc_kml22_schema(exported):
    schema = etree.XMLSchema(etree.parse(str(KML_SCHEMA)))
    for layer_id in LAYER_IDS:
        document = etree.parse(str(exported["kml"] / f"{layer_id}.kml"))
        assert schema.validate(document), (layer_id, str(schema.error_log.last_error))
    broken = etree.fromstring(f'<kml xmlns="{KML[1:-1]}"><Placemark><TimeSpan><start/>'
                              "</TimeSpan></Placemark></kml>".encode())
    assert not schema.validate(broken)  # the schema does reject what KML 2.2 does not allow


def test_kml_placemarks_carry_their_time(exported):
    def times(layer_id):
        root = etree.parse(str(exported["kml"] / f"{layer_id}.kml")).getroot()
        out = []
        for placemark in root.iter(f"{KML}Placemark"):
            span, stamp = placemark.find(f"{KML}TimeSpan"), placemark.find(f"{KML}TimeStamp")
            if stamp is not None:
                out.append(("when", stamp.findtext(f"{KML}when")))
            elif span is not None:
                out.append((span.findtext(f"{KML}begin"), span.findtext(f"{KML}end")))
            else:
                out.append(None)
        return out

    treaty = nm.load_layer("treaty_1689")
    assert times("treaty_1689") == [(plain(s), plain(e)) for s, e in
                                    zip(treaty["start_date"], treaty["end_date"], strict=True)]
    assert ("1689-09-07", None) in times("treaty_1689")  # an open end stays open
    events = dict(zip(nm.load_layer("events")["name"], times("events"), strict=True))
    assert events["Khabarov at Albazin"] == ("1650", "1651-06")
    assert all(t is not None for t in events.values())
    assert sum(t[0] == "when" for t in events.values()) >= 10  # one date: a TimeStamp
    assert set(times("rivers")) == {None}  # undated features get no time


def test_kml_fields_survive_the_libkml_driver(exported):
    """GDAL's LIBKML driver (pyogrio's GDAL) reads every property back under its KML field name,
    with nothing moved to ``id2``; the field map names each one."""
    assert "LIBKML" in pyogrio.list_drivers()
    for layer_id in LAYER_IDS:
        path = exported["kml"] / f"{layer_id}.kml"
        assert pyogrio.read_info(path)["driver"] == "LIBKML"
        got = pyogrio.read_dataframe(path)
        gdf = nm.load_layer(layer_id)
        mapping = pd.read_csv(exported["kml"] / f"{layer_id}.kml-fields.csv",
                              keep_default_na=False).set_index("property")["field"]
        assert "id2" not in got.columns
        assert list(got["Name"]) == list(gdf["name"])
        if "id" in gdf:
            assert mapping["id"] == "feature_id"
            assert list(got["feature_id"]) == list(gdf["id"])
        for prop, field in mapping.items():
            if prop not in ("name", "description"):
                assert field in got.columns, (layer_id, prop, field)


def test_kml_stays_well_formed_for_hostile_keys_and_values(tmp_path):
    hostile = 'say "hi" <b>&amp; ]]> \x00\x01\x1b\ufffe end'
    gdf = gpd.GeoDataFrame(
        {"name": [hostile], hostile: [hostile], "id": ["x"], "1st": [1], "ID": ["y"],
         "description": ["]]><script>"], "start_date": ["1689"], "end_date": [None]},
        geometry=[shapely.Point(120, 50)], crs=4326)
    export({"hostile": gdf}, "kml", tmp_path)
    document = etree.parse(str(tmp_path / "hostile.kml"))  # raises if not well-formed
    assert etree.XMLSchema(etree.parse(str(KML_SCHEMA))).validate(document)
    mapping = pd.read_csv(tmp_path / "hostile.kml-fields.csv", keep_default_na=False)
    assert list(mapping["property"]) == list(gdf.columns[:-1])
    fields = list(mapping["field"])
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", f) for f in fields)
    assert len({f.lower() for f in fields}) == len(fields)
    placemark = document.getroot().find(f".//{KML}Placemark")
    assert placemark.findtext(f"{KML}name") == 'say "hi" <b>&amp; ]]> \ufffd\ufffd\ufffd\ufffd end'
    assert "]]&gt;&lt;script&gt;" in placemark.findtext(f"{KML}description")  # HTML-escaped
    assert placemark.find(f"{KML}TimeSpan").findtext(f"{KML}begin") == "1689"


def test_pyshp_reads_every_shapefile_with_russian_and_chinese_text(exported):
    import shapefile  # pyshp

    for layer_id in LAYER_IDS:
        folder = exported["shp"]
        encoding = (folder / f"{layer_id}.cpg").read_text().strip()
        gdf = nm.load_layer(layer_id)
        mapping = pd.read_csv(folder / f"{layer_id}.fields.csv",
                              keep_default_na=False).set_index("property")["field"]
        with shapefile.Reader(str(folder / f"{layer_id}.shp"), encoding=encoding) as reader:
            assert len(reader) == len(gdf)
            records = [r.as_dict() for r in reader.records()]
            assert [r["name"] for r in records] == list(gdf["name"])
            for column in ("name_ru", "name_zh"):
                if column in gdf:
                    want = [plain(v) or "" for v in gdf[column]]
                    assert [r[mapping[column]] or "" for r in records] == want, column
    with shapefile.Reader(str(exported["shp"] / "places.shp"), encoding="utf-8") as reader:
        names = [r.as_dict()["name_zh"] for r in reader.records()]
    assert "雅克萨" in names


def test_geoparquet_is_geoparquet_1_1_with_crs_and_bbox_covering(exported):
    """pyarrow reads the GeoParquet metadata and schema; geopandas reads the layer back. (The
    GDAL builds in the fiona and pyogrio wheels have no Parquet driver to check it with.)"""
    for layer_id in LAYER_IDS:
        path = exported["parquet"] / f"{layer_id}.parquet"
        schema = pq.read_schema(path)
        geo = json.loads(schema.metadata[b"geo"])
        assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
        column = geo["columns"]["geometry"]
        assert column["encoding"] == "WKB"
        assert column["crs"]["id"] == {"authority": "EPSG", "code": 4326}
        assert column["covering"] == {"bbox": {k: ["bbox", k] for k in
                                               ("xmin", "ymin", "xmax", "ymax")}}
        assert schema.field("bbox").type.num_fields == 4
        gdf = nm.load_layer(layer_id)
        assert column["bbox"] == pytest.approx(list(gdf.total_bounds))
        assert schema.field("name").type in (pa.string(), pa.large_string())
        back = gpd.read_parquet(path)
        assert back.crs.to_epsg() == 4326 and list(back["name"]) == list(gdf["name"])
        bboxes = pq.read_table(path, columns=["bbox"]).column("bbox").to_pylist()
        for box, geom in zip(bboxes, gdf.geometry, strict=True):
            assert [box[k] for k in ("xmin", "ymin", "xmax", "ymax")] == list(geom.bounds)
    rivers = pq.read_schema(exported["parquet"] / "rivers.parquet")
    assert rivers.field("treaty").type == pa.bool_()


def test_styles_stay_well_formed_and_a_bad_style_is_a_clear_error(tmp_path, catalog):
    import dataclasses
    import sqlite3
    import zipfile

    places = catalog["places"]
    hostile = dataclasses.replace(places, title='Forts <&> "x" \x01 ]]>', style={
        "base": {"color": "#123456"}, "by": {"property": "certainty",
                                             "values": {"dis\x00puted": {"color": "#ff0000"}}}})
    mine = dataclasses.replace(catalog, layers=tuple(
        hostile if s.id == "places" else s for s in catalog.layers))
    export(["places"], "qgis", tmp_path / "ok", catalog=mine)
    with sqlite3.connect(tmp_path / "ok" / "nerchinsk.gpkg") as db:
        qml, sld = db.execute("SELECT styleQML, styleSLD FROM layer_styles").fetchone()
    for text in (qml.split("\n", 1)[1], sld):
        etree.fromstring(text.encode())  # well-formed
    with zipfile.ZipFile(tmp_path / "ok" / "nerchinsk.qgz") as archive:
        etree.fromstring(archive.read("nerchinsk.qgs").split(b"\n", 1)[1])
    broken = dataclasses.replace(places, style={"base": {"color": "notacolour"}})
    theirs = dataclasses.replace(catalog, layers=tuple(
        broken if s.id == "places" else s for s in catalog.layers))
    with pytest.raises(ExportError, match="cannot write the layer styles"):
        export(["places"], "gpkg", tmp_path / "bad", catalog=theirs)
    assert not (tmp_path / "bad").exists()
