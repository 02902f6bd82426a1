"""The reading engine: shipped reading files compile into lines that share the rivers' and the
basins' coordinates, and bad files are refused with one line naming the clause and field."""

import copy
import json

import jsonschema
import pytest
from shapely.geometry import Point

import nerchinsk_map as nm
from nerchinsk_map import readings
from nerchinsk_map.readings import ReadingError


@pytest.fixture(scope="module")
def common():
    return readings.compile("nerchinsk_1689_common")


@pytest.fixture(scope="module")
def rivers():
    return nm.load_layer("rivers").set_index("id").geometry


@pytest.fixture(scope="module")
def basins():
    return nm.load_layer("watersheds").set_index("id").geometry


def _vertices(geom):
    return {tuple(round(c, 6) for c in xy) for xy in geom.coords}


@pytest.mark.parametrize("reading_id", readings.shipped_ids())
def test_shipped_readings_match_the_published_schema(reading_id):
    raw = json.loads(readings.find(reading_id).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(readings.schema()).validate(raw)  # the third-party validator agrees
    assert raw["id"] == reading_id


@pytest.mark.parametrize("reading_id", readings.shipped_ids())
def test_every_shipped_clause_is_named_in_the_three_languages(reading_id):
    """The texts panel lists a clause by its name: a shipped clause never falls back to its id."""
    raw = json.loads(readings.find(reading_id).read_text(encoding="utf-8"))
    for clause in raw["clauses"]:
        name = clause.get("name") or {}
        assert all(name.get(lang, "").strip() for lang in ("en", "ru", "zh")), (reading_id, clause["id"])
        assert len({name["en"], name["ru"], name["zh"]}) == 3, (reading_id, clause["id"])  # translated, not copied


def test_common_reading_is_the_treaty_layer(common):
    layer = nm.load_layer("treaty_1689").set_index("id")
    assert list(common["id"]) == list(layer.index)
    for _, row in common.iterrows():
        assert _vertices(row.geometry) == _vertices(layer.geometry[row["id"]]), row["id"]
        assert row["precision_km"] == layer.loc[row["id"], "precision_km"]


def test_river_clause_vertices_are_the_rivers_layers(common, rivers):
    for _, row in common[common["kind"] == "river"].iterrows():
        assert _vertices(row.geometry) <= _vertices(rivers[row["id"]]), row["id"]


def test_divide_clause_vertices_are_the_basin_ring(common, basins):
    ring = _vertices(basins["amur"].exterior) if basins["amur"].geom_type == "Polygon" else set().union(
        *(_vertices(p.exterior) for p in basins["amur"].geoms))
    for _, row in common[common["kind"] == "divide"].iterrows():
        inner = list(row.geometry.coords)[1:-1]  # the two ends are cut where the clause's points fall
        assert {tuple(round(c, 6) for c in xy) for xy in inner} <= ring, row["id"]


def test_clauses_join_end_to_end(common):
    lines = list(common.geometry)
    for a, b in zip(lines, lines[1:], strict=False):
        assert Point(a.coords[-1]).distance(Point(b.coords[0])) < 1e-9


def test_every_clause_carries_its_text_and_provenance(common):
    for _, row in common.iterrows():
        assert row["texts"] and row["source"].startswith("treaty texts: ")
        assert "facts.md" not in row["source"].split("; geometry: ")[0]
        assert row["method"].startswith("compiled: ")
        assert row["precision_km"] > 0


def test_the_gorbitsa_junction_is_its_own_unlocated_clause(common):
    connector = common.set_index("id").loc["connector"]
    assert connector["kind"] == "straight" and not connector["located"]
    assert connector["precision_km"] >= 25
    assert "NOT LOCATED" in connector["method"]
    assert any("do not say how the line reaches the crest" in t["text"] for t in connector["texts"])


def test_amazar_reading_runs_down_the_amur_and_up_the_amazar(rivers):
    line = readings.compile("gorbitsa_amazar").set_index("id").geometry
    assert Point(line["amur"].coords[-1]).distance(Point(rivers["amazar"].coords[-1])) < 1e-9
    assert _vertices(line["amazar"]) == _vertices(rivers["amazar"])


def _reading():
    return copy.deepcopy(readings.get("gorbitsa_malaya"))


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda r: r["clauses"][1].pop("precision_km"), "clause 2 (gorbitsa): 'precision_km' is a required property"),
        (lambda r: r["clauses"][0].update(kind="canal"), "clause 1 (shilka), field kind"),
        (lambda r: r["clauses"][0].update(river="volga"), "clause 1 (shilka), field river: no river 'volga'"),
        (lambda r: r["clauses"][2].update(precision_km=3), "clause 3 (connector), field precision_km"),
        (lambda r: r["clauses"][1].update(id="shilka"), "clause 2 (shilka), field id: repeats clause 1"),
        (lambda r: r["clauses"][0]["to"].update(at="delta"), "clause 1 (shilka), field to"),
        (lambda r: r["clauses"][2].update(to={"river": "gorbitsa", "at": "source"}),
         "clause 3 (connector), field to: the clause starts and ends at the same point"),
        (lambda r: r["clauses"].append({"id": "edge", "kind": "divide", "basin": "amur", "side": "north",
                                        "precision_km": 10, "text": r["clauses"][0]["text"], "to": {"basin_edge": "amur"}}),
         "clause 4 (edge), field to"),
    ],
)
def test_bad_reading_is_refused_naming_clause_and_field(change, expected):
    bad = _reading()
    change(bad)
    with pytest.raises(ReadingError) as err:
        readings.compile(bad)
    message = str(err.value)
    assert expected in message and "\n" not in message


def test_a_point_far_from_its_river_is_refused():
    bad = _reading()
    bad["clauses"][0]["to"] = {"name": "Moscow", "lat": 55.75, "lon": 37.62}
    with pytest.raises(ReadingError, match=r"clause 1 \(shilka\), field to: Moscow is \d+ km from the river"):
        readings.compile(bad)


def test_the_readings_layer_draws_every_1689_question_from_the_engine():
    layer = nm.load_layer("treaty_1689_readings").set_index("id")
    assert set(layer.index) == {"gorbitsa_malaya", "gorbitsa_amazar", "argun_sources", "argun_meriljke",
                                "mountains_stanovoy", "mountains_yablonovy"}
    for rid, line in layer.geometry.items():
        compiled = readings.compile(rid)
        assert _vertices(line) == set().union(*(_vertices(g) for g in compiled.geometry)), rid
        assert layer.loc[rid, "precision_km"] == compiled["precision_km"].max()
        assert "facts.md" not in layer.loc[rid, "source"]


def test_the_meriljke_start_is_unlocated_and_wide(rivers):
    line = readings.compile("argun_meriljke").iloc[0]
    assert not line["located"] and line["precision_km"] >= 100
    assert "Meriljke" in line["note"]
    assert rivers["argun"].distance(Point(line.geometry.coords[0])) < 1e-6  # on the river, not beside it
    assert line.geometry.coords[-1] == rivers["argun"].coords[-1]


def test_compare_gorbitsa_and_mountain_questions():
    gorbitsa = readings.compare("gorbitsa_malaya", "gorbitsa_amazar")
    assert 3_000 < gorbitsa["area_between_km2"] < 20_000
    mountains = readings.compare("mountains_stanovoy", "mountains_yablonovy")
    assert mountains["area_between_km2"] == 0 and mountains["max_distance_km"] < 1  # same crest on this DEM
    argun = readings.compare("argun_sources", "argun_meriljke")
    assert argun["area_between_km2"] == 0 and argun["length_differing_km"]["a"] > 200


def test_uncertainty_corridors_are_bands_of_each_clauses_precision():
    from nerchinsk_map.analysis import area_km2, length_km

    bands = nm.load_layer("treaty_1689_uncertainty").set_index("id")
    assert not nm.default_catalog()["treaty_1689_uncertainty"].show  # off by default
    common = readings.compile("nerchinsk_1689_common")
    for _, clause in common.iterrows():
        band = bands.loc[f"nerchinsk_1689_common.{clause['id']}"]
        assert band["precision_km"] == clause["precision_km"]
        assert band.geometry.buffer(0.01).contains(clause.geometry)
        if clause["length_km"] > 20 * clause["precision_km"]:  # long and thin: area ~ 2 x width x length
            expected = 2 * clause["precision_km"] * length_km(clause.geometry)
            assert area_km2(band.geometry) == pytest.approx(expected, rel=0.25), clause["id"]
    assert not bands.loc["argun_meriljke.argun", "located"]


def test_basins_on_demand_are_the_rebuilds_basins_and_cached(raw_data, tmp_path, monkeypatch, basins):
    from nerchinsk_map.hydrology import cache as hydrology

    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    w = nm.load_layer("watersheds").set_index("id")
    outlet = w.loc["gorbitsa", ["outlet_lon", "outlet_lat"]].astype(float)
    basin = hydrology.basin_at(outlet["outlet_lon"], outlet["outlet_lat"], raw_data)
    from nerchinsk_map.hydrology.basins import derive_basins

    cells = derive_basins(raw_data).cells["gorbitsa"]  # data rebuild's basin, on the DEM cell edges
    assert basin.symmetric_difference(cells).area < 1e-6  # same hydrology as data rebuild
    # the layer's basin is the same one with its edges smoothed, within half a cell (1/24 degree)
    assert basin.hausdorff_distance(basins["gorbitsa"]) <= 1 / 24 + 1e-9
    assert len(list(tmp_path.glob("basins/*/*.json"))) == 1

    def no_dem(*args):
        raise AssertionError("the cached basin should be read, not derived again")

    monkeypatch.setattr(hydrology, "_flow", no_dem)
    again = hydrology.basin_at(outlet["outlet_lon"], outlet["outlet_lat"], raw_data)
    assert again.equals(basin)

    reading = _reading()
    reading["clauses"][2] = {"id": "edge", "kind": "divide", "text": reading["clauses"][1]["text"], "precision_km": 10,
                             "basin": {"outlet": {"lat": float(outlet["outlet_lat"]), "lon": float(outlet["outlet_lon"])}},
                             "side": "north", "to": {"lat": 53.9, "lon": 119.5},
                             "gap": "the DEM basin's edge passes about 8 km from the river's source"}
    edge = readings.compile(reading).set_index("id").geometry["edge"]
    ring = _vertices(basin.exterior)
    assert {tuple(round(c, 6) for c in xy) for xy in list(edge.coords)[1:-1]} <= ring


def test_an_outlet_off_the_rivers_is_refused(raw_data, tmp_path, monkeypatch):
    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    reading = _reading()
    reading["clauses"][2] = {"id": "edge", "kind": "divide", "text": reading["clauses"][1]["text"], "precision_km": 10,
                             "basin": {"outlet": {"lat": 50.0, "lon": 100.0}}, "side": "north", "to": {"lat": 53.9, "lon": 119.5}}
    with pytest.raises(ReadingError, match=r"clause 3 \(edge\).*outlet 50.0000 N 100.0000 E"):
        readings.compile(reading)


def test_the_guide_example_reading_compiles():
    from conftest import ROOT

    # the complete reading file the user guide shows (docs/guide/readings.md includes it)
    example = json.loads((ROOT / "docs" / "examples" / "my_amazar.json").read_text(encoding="utf-8"))
    assert "examples/my_amazar.json" in (ROOT / "docs" / "guide" / "readings.md").read_text(encoding="utf-8")
    line = readings.compile(example)
    assert list(line["id"]) == ["amur", "amazar", "to_the_crest", "crest"]
    assert not line.set_index("id").loc["to_the_crest", "located"]


def test_a_coast_clause_follows_the_natural_earth_coast(raw_data):
    import geopandas as gpd
    import shapely

    land = shapely.union_all(gpd.read_file(raw_data / "natural-earth" / "ne_10m_land.geojson").geometry.to_numpy())
    coastline = shapely.union_all([p.exterior for p in shapely.get_parts(land)])
    reading = _reading()
    reading["clauses"] = [
        {"id": "coast", "kind": "coast", "text": reading["clauses"][0]["text"], "precision_km": 2,
         "from": {"name": "Amur mouth", "lat": 52.9472, "lon": 141.0839},
         "to": {"name": "Uda mouth", "lat": 54.7037, "lon": 135.2427}},
    ]
    line = readings.compile(reading).iloc[0]
    inner = shapely.points(list(line.geometry.coords)[1:-1])
    assert len(inner) > 20 and shapely.distance(inner, coastline).max() < 1e-6  # the coast's own vertices
    assert 500 < line["length_km"] < 2500
    reading["clauses"][0]["to"] = {"name": "Inland", "lat": 50.0, "lon": 125.0}
    with pytest.raises(ReadingError, match=r"clause 1 \(coast\): the clause's points are not on one stretch of coast"):
        readings.compile(reading)
