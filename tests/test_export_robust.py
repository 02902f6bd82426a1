"""Exports that other software accepts whatever a user's layer holds: generated property names
(Chinese, names equal but for case, reserved names, formula-like names) and values of every
JSON type, written in every format and read back with readers the project did not write (GDAL
through pyogrio, pyshp, lxml against the OGC KML 2.2 schema); the map of names tells the truth;
two exports into one folder at once keep both in METADATA.json."""

from __future__ import annotations

import csv
import json
import threading
import warnings
from pathlib import Path

import pyogrio
import shapefile  # pyshp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from nerchinsk_map.data.user_layers import user_layer
from nerchinsk_map.exports.exporter import FORMATS, export, table_name

KML_SCHEMA = Path(__file__).parent / "schemas" / "kml22" / "ogckml22.xsd"
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

names = st.one_of(
    st.sampled_from(["Kind", "KIND", "kind", "名称很长的字段名字", "名称很长的字段名字二", "geometry", "id", "fid",
                     "=SUM(A1)", "+1", "-x", "@cmd", "start_date", "end_date", "a\x00b", "description", "name"]),
    st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=14),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
    | st.sampled_from(["1689-13-45", "1689-21", "1700-02-29", "1689-09-07", "=1+1"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
properties = st.dictionaries(names, json_values, min_size=1, max_size=6)


def layer_file(folder: Path, props_list: list[dict]) -> Path:
    features = [{"type": "Feature", "properties": props,
                 "geometry": {"type": "Point", "coordinates": [120 + i / 10, 50 + i / 10]}}
                for i, props in enumerate(props_list)]
    path = folder / "mine.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def read_fields_csv(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:  # nothing a spreadsheet would run as a formula
        assert not row["property"].startswith(("=", "+", "-", "@")), row
        assert not row["field"].startswith(("=", "+", "-", "@")), row

    def unquote(cell: str) -> str:  # the apostrophe that keeps a spreadsheet from running it
        return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r", "\n") else cell

    return {unquote(row["property"]): unquote(row["field"]) for row in rows}


@SETTINGS
@given(rows=st.lists(properties, min_size=1, max_size=3))
def test_every_format_writes_what_other_readers_read_back(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("export")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec, gdf = user_layer(layer_file(folder, rows), 0, set())
        columns = [c for c in gdf.columns if c != gdf.geometry.name]
        for fmt in ("geojson", "gpkg", "shp", "kml", "fgb", "parquet"):
            out = folder / fmt
            export({spec.id: gdf}, fmt, out)
            check_read_back(out, fmt, spec.id, columns, len(gdf))


def check_read_back(out: Path, fmt: str, layer_id: str, columns: list[str], count: int) -> None:
    metadata = json.loads((out / "METADATA.json").read_text(encoding="utf-8"))
    assert layer_id in metadata["layers"]
    if fmt == "shp":
        fields = read_fields_csv(out / f"{layer_id}.fields.csv")
        dbf = [f[0] for f in shapefile.Reader(str(out / f"{layer_id}.shp"), encoding="utf-8").fields[1:]]
        assert sorted(dbf) == sorted(fields.values())  # the map tells the names in the file
        assert all(len(n.encode("utf-8")) <= 10 for n in dbf)
        assert len({n.lower() for n in dbf}) == len(dbf)
        assert set(fields) == set(columns)
        assert len(pyogrio.read_dataframe(out / f"{layer_id}.shp")) == count
    elif fmt == "gpkg":
        tables = [str(t) for t in pyogrio.list_layers(out / "nerchinsk.gpkg")[:, 0]]
        assert table_name(FORMATS["gpkg"], layer_id) in tables
        frame = pyogrio.read_dataframe(out / "nerchinsk.gpkg", layer=table_name(FORMATS["gpkg"], layer_id))
        names = [c for c in frame.columns if c != "geometry"]
        assert len(names) == len(columns) and len({n.lower() for n in names}) == len(names)
    elif fmt == "kml":
        document = etree.parse(str(out / f"{layer_id}.kml"))
        schema = etree.XMLSchema(etree.parse(str(KML_SCHEMA)))
        assert schema.validate(document), schema.error_log.last_error
        read_fields_csv(out / f"{layer_id}.kml-fields.csv")
        assert len(pyogrio.read_dataframe(out / f"{layer_id}.kml")) == count
    elif fmt == "parquet":
        import geopandas as gpd

        frame = gpd.read_parquet(out / f"{layer_id}.parquet")  # pyarrow: GDAL here has no Parquet driver
        assert len(frame) == count and set(columns) <= set(frame.columns)
    else:
        suffix = FORMATS[fmt].suffix
        options = {"DATE_AS_STRING": "YES"} if fmt == "geojson" else {}  # a text that looks like a date stays text
        frame = pyogrio.read_dataframe(out / f"{layer_id}{suffix}", **options)
        assert len(frame) == count
        assert set(columns) <= set(frame.columns), (set(columns) - set(frame.columns))


def test_reserved_table_names_are_written_apart(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, gdf = user_layer(layer_file(tmp_path, [{"name": "a", "Kind": 1, "KIND": 2}]), 0, set())
    export({"sqlite_master": gdf, "gpkg_contents": gdf, "rtree_x": gdf}, "gpkg", tmp_path / "out")
    tables = {str(t) for t in pyogrio.list_layers(tmp_path / "out" / "nerchinsk.gpkg")[:, 0]}
    assert {"layer_sqlite_master", "layer_gpkg_contents", "layer_rtree_x"} <= tables
    metadata = json.loads((tmp_path / "out" / "METADATA.json").read_text(encoding="utf-8"))
    assert metadata["layers"]["sqlite_master"]["renamed_fields"] == {"KIND": "KIND_2"}


def test_kml_leaves_out_dates_that_are_not_dates(tmp_path):
    rows = [{"name": "a", "start_date": "1689-13-45"}, {"name": "b", "start_date": "1689-09-07"}]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, gdf = user_layer(layer_file(tmp_path, rows), 0, set())
        export({"forts": gdf}, "kml", tmp_path / "out")
    text = (tmp_path / "out" / "forts.kml").read_text(encoding="utf-8")
    assert "1689-13-45" not in text.split("<ExtendedData>")[0] and "<begin>1689-13-45" not in text
    assert "1689-09-07" in text
    assert any("cannot be read" in str(w.message) for w in caught)


def test_two_exports_into_one_folder_at_once_keep_both(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, a = user_layer(layer_file(tmp_path, [{"name": "a"}]), 0, set())
    out = tmp_path / "out"
    errors: list[BaseException] = []

    def run(fmt: str, layer: str) -> None:
        try:
            export({layer: a}, fmt, out)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(fmt, f"l_{fmt}")) for fmt in ("geojson", "fgb", "kml", "gpkg")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    metadata = json.loads((out / "METADATA.json").read_text(encoding="utf-8"))
    assert {"l_geojson", "l_fgb", "l_kml", "l_gpkg"} <= set(metadata["layers"])
