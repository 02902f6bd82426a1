"""Linked places: the gazetteer ids of the curated file reach every feature and every export
format, and ``export --format lpf`` writes collections that a JSON Schema of the format accepts
(tests/schemas/lpf_v1_2.schema.json, the project's transcription of the LPF v1.2.2 prose
specification), with ``when`` equal to the EDTF bounds. Read back with readers the project did not write: jsonschema, GDAL (pyogrio), pyarrow,
pyshp, fiona's KML driver."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapefile
from hypothesis import given, settings
from hypothesis import strategies as st

import nerchinsk_map as nm
from nerchinsk_map.chronology import dates
from nerchinsk_map.exports.exporter import export_layers
from nerchinsk_map.exports.lpf import bound, links, one_line, when
from nerchinsk_map.pipeline.authority import authority_ids, with_authority_ids

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "lpf_v1_2.schema.json")
                    .read_text(encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(SCHEMA)
COLLECTION = jsonschema.Draft202012Validator(SCHEMA)
# one place record: the schema's own definition of a Feature
VALIDATOR = jsonschema.Draft202012Validator({"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"],
                                              "$ref": "#/$defs/feature"})
PATTERNS = {"wikidata": re.compile(r"Q[1-9][0-9]*"), "geonames": re.compile(r"[1-9][0-9]*")}
CURATED = authority_ids()
EXPECTED = [(layer, fid, field, entry[field]) for layer, features in CURATED.items()
            for fid, entry in features.items() for field in PATTERNS if entry.get(field)]


def test_the_curated_ids_are_of_their_form_with_a_source_and_name_real_features():
    assert EXPECTED, "no ids at all"
    assert {field for *_, field, _ in EXPECTED} == set(PATTERNS)  # some of each kind
    for layer, fid, field, value in EXPECTED:
        assert PATTERNS[field].fullmatch(value), (layer, fid, value)
        assert CURATED[layer][fid][f"{field}_source"].strip()
        assert fid in set(nm.load_layer(layer)["id"]), (layer, fid)


def test_every_feature_carries_exactly_its_curated_ids():
    for layer in CURATED:
        gdf = nm.load_layer(layer)
        for _, row in gdf.iterrows():
            for field in PATTERNS:
                want = CURATED[layer].get(row["id"], {}).get(field)
                got = row.get(field)
                assert (got if isinstance(got, str) else None) == want, (layer, row["id"], field)
    for layer in set(nm.list_layers()) - set(CURATED):  # no ids where none were curated
        gdf = nm.load_layer(layer)
        assert not ({"wikidata", "geonames"} & set(gdf.columns)) or \
            gdf[[c for c in ("wikidata", "geonames") if c in gdf]].isna().all().all()


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    layers = sorted(CURATED)
    folders = {}
    for fmt in ("geojson", "gpkg", "shp", "kml", "fgb", "parquet", "lpf"):
        folders[fmt] = tmp_path_factory.mktemp(fmt)
        export_layers(layers, fmt, folders[fmt])
    return folders


def _records(fmt: str, folder: Path, layer: str) -> dict[str, dict]:
    """id -> properties, as a reader the project did not write sees them."""
    if fmt == "gpkg":
        df = pyogrio.read_dataframe(folder / "nerchinsk.gpkg", layer=layer)
    elif fmt == "parquet":
        df = pq.read_table(folder / f"{layer}.parquet").to_pandas()
    elif fmt == "shp":
        with shapefile.Reader(str(folder / f"{layer}.shp"), encoding="utf-8") as reader:
            return {r["id"]: r.as_dict() for r in reader.records()}
    elif fmt == "lpf":
        data = json.loads((folder / f"{layer}.jsonld").read_text(encoding="utf-8"))
        return {f["properties"]["id"]: f for f in data["features"]}
    else:  # geojson, kml, fgb: the suffix is the format's id
        df = pyogrio.read_dataframe(folder / f"{layer}.{fmt}")
    key = "feature_id" if fmt == "kml" else "id"  # KML's own 'id' is the placemark's (kml-fields.csv)
    return {r[key]: r for r in df.to_dict("records")}


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp", "kml", "fgb", "parquet", "lpf"])
def test_every_curated_id_is_kept_in_every_export(exports, fmt):
    for layer in CURATED:
        records = _records(fmt, exports[fmt], layer)
        for fid, entry in CURATED[layer].items():
            for field in PATTERNS:
                if not entry.get(field):
                    continue
                record = records[fid]
                if fmt == "lpf":
                    prefix = {"wikidata": "wd:", "geonames": "gn:"}[field]
                    assert {"type": "closeMatch", "identifier": prefix + entry[field]} in record["links"]
                    assert record["properties"][field] == entry[field]
                else:
                    assert str(record[field]) == entry[field], (fmt, layer, fid, field)


@pytest.fixture(scope="module")
def lpf_all(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lpf_all")
    written = export_layers(None, "lpf", folder)
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in written if p.suffix == ".jsonld"}


def test_every_lpf_collection_and_feature_validates_against_the_lpf_schema(lpf_all, catalog):
    assert set(lpf_all) == set(catalog.ids())
    count = 0
    for layer, data in lpf_all.items():
        assert data["type"] == "FeatureCollection" and data["@context"].endswith(".jsonld")
        assert not [e.message for e in COLLECTION.iter_errors(data)][:3], layer
        for feature in data["features"]:
            errors = [e.message for e in VALIDATOR.iter_errors(feature)]
            assert not errors, (layer, feature["@id"], errors[:3])
            count += 1
        assert len(data["features"]) == len(nm.load_layer(layer)), layer
        assert len({f["@id"] for f in data["features"]}) == len(data["features"])
    assert count > 100


def test_the_schema_refuses_broken_records(lpf_all):
    """The check can fail: a record without names, with an unknown link type or a two-line
    title is refused."""
    feature = lpf_all["places"]["features"][0]
    for breakage in ({"names": None}, {"links": [{"type": "sameAs", "identifier": "wd:Q1"}]},
                     {"properties": {"title": "two\nlines"}}):
        broken = copy.deepcopy(feature)
        for key, value in breakage.items():
            if value is None:
                del broken[key]
            else:
                broken[key] = value
        assert list(VALIDATOR.iter_errors(broken)), breakage


# A record written for this test that uses every element the LPF v1.2.2 prose describes.
RICH = {
    "type": "Feature", "@id": "urn:nerchinsk-map:test:nerchinsk",
    "properties": {"title": "Nerchinsk", "ccodes": ["RU"]},
    "when": {"timespans": [{"start": {"earliest": "1653", "latest": "1658"},
                            "end": {"in": None}}],
             "periods": [{"name": "Qing", "@id": "https://example.org/periods/qing"}],
             "label": "founded 1653 or 1658", "duration": "P10Y", "certainty": "less-certain"},
    "names": [{"toponym": "Nerchinsk", "lang": "en",
               "citations": [{"label": "A gazetteer", "year": 1689, "@id": "https://example.org/g"}],
               "when": {"timespans": [{"start": {"in": "1689-09-07"}}]}},
              {"toponym": "Нерчинск", "lang": "ru"}],
    "types": [{"identifier": "aat:300008375", "label": "town",
               "sourceLabels": [{"label": "ostrog", "lang": "ru"}]}],
    "geometry": {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [116.52, 51.98], "certainty": "certain",
         "when": {"timespans": [{"start": {"in": "1689"}, "end": {"latest": "1812"}}]}},
        {"geowkt": "POINT(116.6 51.95)", "certainty": "uncertain"},
        {"type": "Polygon", "coordinates": [[[116, 51], [117, 51], [117, 52], [116, 51]]]}]},
    "links": [{"type": t, "identifier": "wd:Q192508"}
              for t in ("closeMatch", "primaryTopicOf", "subjectOf", "seeAlso")],
    "relations": [{"relationType": "gvp:broaderPartitive", "relationTo": "urn:x:place:1",
                   "label": "part of a voevodstvo", "certainty": "certain",
                   "citations": [{"label": "A source"}],
                   "when": {"timespans": [{"start": {"in": "1689"}}]}}],
    "descriptions": [{"value": "A fort.", "lang": "en", "source": "https://example.org/d"}],
    "depictions": [{"@id": "https://example.org/picture.jpg", "title": "The fort",
                    "license": "cc:by-sa/3.0/"}],
}


def _set(record: dict, path: tuple, value: object) -> dict:
    """A copy of ``record`` with the value at ``path`` replaced (or deleted for DELETE)."""
    out = copy.deepcopy(record)
    node = out
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


DELETE = object()
BREAKAGES = [  # (path, value): each breaks one rule of the prose
    (("@id",), DELETE), (("@id",), "no uri"), (("type",), "Place"),
    (("properties",), DELETE), (("properties", "title"), DELETE), (("properties", "title"), " "),
    (("properties", "title"), "Nerchinsk\n"), (("properties", "ccodes"), ["rus"]),
    (("names",), []), (("names", 0, "citations"), DELETE), (("names", 0, "toponym"), DELETE),
    (("names", 0, "citations", 0, "year"), "1689"),
    (("geometry",), DELETE), (("geometry", "geometries", 0, "coordinates"), [116.52]),
    (("geometry", "geometries", 0, "coordinates"), [216.52, 51.98]),
    (("geometry", "geometries", 2, "coordinates"), [[[116, 51], [117, 51], [116, 51]]]),
    (("geometry", "geometries", 1, "geowkt"), DELETE), (("geometry", "geometries", 0, "type"), "Circle"),
    (("geometry", "geometries", 0, "certainty"), "probable"), (("geometry", "geometries"), []),
    (("when", "timespans"), []), (("when", "timespans"), DELETE),
    (("when", "timespans", 0, "start"), DELETE), (("when", "timespans", 0, "start"), {"in": None}),
    (("when", "timespans", 0, "start"), {}),
    (("when", "timespans", 0, "start"), {"in": "1653", "earliest": "1653"}),
    (("when", "timespans", 0, "end"), {"in": "1689-13"}),
    (("when", "timespans", 0, "end"), {"in": "1689\n"}),
    (("when", "timespans", 0, "end"), {"in": "c. 1689"}),
    (("when", "duration"), "100Y"), (("when", "certainty"), "probable"),
    (("when", "periods", 0, "@id"), DELETE), (("when", "label"), "two\nlines"),
    (("types", 0), {"sourceLabels": []}), (("links", 0, "type"), "sameAs"),
    (("links", 0, "type"), "exactmatch"), (("links", 0, "identifier"), DELETE),
    (("links", 0, "identifier"), "wd:Q192508 "),
    (("relations", 0, "relationTo"), DELETE), (("relations", 0, "relationType"), "part of"),
    (("relations", 0, "certainty"), "sure"), (("descriptions", 0, "value"), DELETE),
    (("depictions", 0, "@id"), DELETE),
]


def test_the_schema_accepts_a_record_with_every_element():
    assert not [e.message for e in VALIDATOR.iter_errors(RICH)]
    assert not [e.message for e in COLLECTION.iter_errors(
        {"type": "FeatureCollection", "@context": "https://example.org/lpf.jsonld",
         "features": [RICH]})]
    for geometry in (None, {"type": "LineString", "coordinates": [[116, 51], [117, 52]]},
                     {"type": "MultiPolygon", "coordinates": [[[[116, 51], [117, 51], [117, 52],
                                                                [116, 51]]]]}):
        assert not list(VALIDATOR.iter_errors(_set(RICH, ("geometry",), geometry)))


@pytest.mark.parametrize(("path", "value"), BREAKAGES,
                         ids=[f"{'.'.join(map(str, p))}={v!r}"[:60] for p, v in BREAKAGES])
def test_the_schema_refuses_a_record_that_breaks_one_rule(path, value):
    assert list(VALIDATOR.iter_errors(_set(RICH, path, value)))


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=20))
def test_a_title_is_valid_exactly_when_it_is_one_non_blank_line(text):
    valid = not list(VALIDATOR.iter_errors(_set(RICH, ("properties", "title"), text)))
    assert valid == (text.strip() != "" and len(text.splitlines()) == 1 and text.splitlines()[0] == text)
    if text.strip():  # the writer's one_line makes any text with something in it a valid title
        assert not list(VALIDATOR.iter_errors(_set(RICH, ("properties", "title"), one_line(text))))


def test_when_bounds_equal_the_edtf_bounds(lpf_all):
    for layer, data in lpf_all.items():
        source = nm.load_layer(layer).drop(columns="geometry").to_dict("records")
        assert len(source) == len(data["features"])
        for props, feature in zip(source, data["features"], strict=True):
            assert feature["@id"].endswith(":" + str(props.get("id") or source.index(props) + 1))
            start, end = dates.start_end(props)
            if start is None:
                assert "when" not in feature
                continue
            span = feature["when"]["timespans"][0]

            def lo_hi(b):
                return (b["in"], b["in"]) if "in" in b else (b["earliest"], b["latest"])

            assert lo_hi(span["start"]) == dates.bounds(start), (layer, feature["@id"])
            if end is None:
                assert "end" not in span
            elif end == dates.OPEN:
                assert span["end"] == {"in": None}
            else:
                assert lo_hi(span["end"]) == dates.bounds(end), (layer, feature["@id"])


def test_gdal_reads_the_lpf_files_as_geojson(lpf_all, exports):
    folder = exports["lpf"]
    for layer in CURATED:
        df = pyogrio.read_dataframe(folder / f"{layer}.jsonld")
        assert len(df) == len(nm.load_layer(layer)) and df.crs.to_epsg() == 4326


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=12))
def test_only_ids_of_the_right_form_become_links(text):
    made = links({"wikidata": text, "geonames": text})
    for link in made:
        prefix, value = link["identifier"].split(":", 1)
        assert PATTERNS["wikidata" if prefix == "wd" else "geonames"].fullmatch(value)
        assert value == text


@settings(max_examples=60, deadline=None)
@given(st.integers(1600, 2000), st.integers(1, 12), st.integers(0, 5))
def test_a_choice_of_years_becomes_earliest_and_latest(year, month, gap):
    assert bound(f"{year}-{month:02d}") == {"in": f"{year}-{month:02d}"}
    if gap:
        assert bound(f"[{year},{year + gap}]") == {"earliest": str(year), "latest": str(year + gap)}


def test_the_pipeline_refuses_ids_for_features_a_layer_does_not_have():
    places = nm.load_layer("places")
    with pytest.raises(ValueError, match="no feature nowhere"):
        with_authority_ids(places, "places", {"places": {"nowhere": {"geonames": "1"}}})
    out = with_authority_ids(places, "places", {"places": {"albazin": {"wikidata": "Q1"}}})
    assert out.set_index("id").loc["albazin", "wikidata"] == "Q1"
    assert out.geometry.name == places.geometry.name and len(out) == len(places)


EDTF_VALUES = st.integers(1600, 2000).flatmap(lambda y: st.sampled_from(
    [str(y), f"{y}?", f"{y}~", f"[{y},{y + 3}]", f"{y}-05", f"{y}-05-17", f"[{y}-05,{y + 1}]"]))


@settings(max_examples=80, deadline=None)
@given(EDTF_VALUES, st.one_of(st.none(), st.just(".."), EDTF_VALUES))
def test_when_bounds_equal_the_edtf_bounds_of_generated_dates(start, end):
    span = when({"start_edtf": start, "end_edtf": end})["timespans"][0]

    def lo_hi(b):
        return (b["in"], b["in"]) if "in" in b else (b["earliest"], b["latest"])

    assert lo_hi(span["start"]) == dates.bounds(start)
    if end is None:
        assert "end" not in span
    elif end == "..":
        assert span["end"] == {"in": None}
    else:
        assert lo_hi(span["end"]) == dates.bounds(end)
    record_ = {"type": "Feature", "@id": "urn:x", "properties": {"title": "t"},
               "names": [{"toponym": "t", "citations": [{"label": "s"}]}], "geometry": None,
               "when": when({"start_edtf": start, "end_edtf": end})}
    assert not list(VALIDATOR.iter_errors(record_))
