"""The Kyakhta line of 1727: compiled from its reading file, continuous from the Sayan to the
Argun, its located points where the sources put them, checked against today's boundary where
the 1727 line still holds, and its dates right in three calendars."""

from __future__ import annotations

import json
from pathlib import Path

import convertdate.julian
import numpy as np
import pyogrio
import pytest
import shapely
import sxtwl
from pyproj import Geod
from shapely.geometry import LineString, Point, shape
from shapely.ops import linemerge, substring

import nerchinsk_map as nm
from nerchinsk_map.readings import compile_reading, get
from nerchinsk_map.readings.compile import chain

GEOD = Geod(ellps="WGS84")
ROOT = Path(__file__).resolve().parents[1]
LAYER = ROOT / "geodata" / "treaty_1727.geojson"
RAW = ROOT / "nerchinsk_map" / "rawdata" / "natural-earth"
READING = "kyakhta_1727"
END_TOLERANCE_KM = 5.0  # the located ends: the Kyakhta marker and Abagaitu are placed to 5 km


def km(a: Point, b: Point) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000


def nearest_km(p: Point, line: shapely.Geometry) -> float:
    return km(p, line.interpolate(line.project(p)))


@pytest.fixture(scope="module")
def features() -> dict[str, dict]:
    """The committed layer, read as plain JSON (not through the project's loader)."""
    data = json.loads(LAYER.read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f for f in data["features"]}


@pytest.fixture(scope="module")
def boundaries():
    """Natural Earth's Russia–Mongolia line and the long (eastern) Russia–China line, west to east."""
    lines = pyogrio.read_dataframe(RAW / "ne_10m_admin_0_boundary_lines_land.geojson")

    def pair(a, b):
        sel = lines[((lines.adm0_left == a) & (lines.adm0_right == b)) | ((lines.adm0_left == b) & (lines.adm0_right == a))]
        merged = linemerge(shapely.union_all(sel.geometry.to_numpy()))
        merged = max(getattr(merged, "geoms", [merged]), key=lambda g: g.length)
        return merged if merged.coords[0][0] < merged.coords[-1][0] else merged.reverse()

    return pair("Russia", "Mongolia"), pair("Russia", "China")


@pytest.fixture(scope="module")
def clauses(features):
    return {fid.split(".", 1)[1]: shape(f["geometry"]) for fid, f in features.items()}


def test_the_layer_is_the_reading_compiled_clause_by_clause(features):
    spec = get(READING)
    assert [f"{READING}.{c['id']}" for c in spec["clauses"]] == list(features)
    compiled = compile_reading(READING).set_index("id")
    for fid, feature in features.items():
        cid = fid.split(".", 1)[1]
        assert shape(feature["geometry"]).equals_exact(compiled.geometry[cid], 1e-6), cid
        props = feature["properties"]
        assert props["precision_km"] == compiled.loc[cid, "precision_km"] > 0
        assert props["source"] and props["method"] and props["clause"], cid
        if not props["located"]:
            assert "NOT LOCATED" in props["method"] and props["note"], cid


def test_the_line_runs_unbroken_from_shabin_dabaga_to_the_argun(clauses):
    line = chain(clauses.values())
    assert line.geom_type == "LineString"
    west, east = Point(line.coords[0]), Point(line.coords[-1])
    assert west.x < 92 and east.x > 117  # the Sayan to the Argun
    assert 2500 < sum(GEOD.geometry_length(g) for g in clauses.values()) / 1000 < 3500


def test_the_line_is_shown_from_1727_and_not_at_the_opening_year(features):
    catalog = json.loads((ROOT / "geodata" / "catalog.json").read_text(encoding="utf-8"))
    spec = next(layer for layer in catalog["layers"] if layer["id"] == "treaty_1727")
    assert spec["start_date"] == "1727-11-01"
    assert catalog["time"]["start"] == 1689  # the map still opens on 1689, fitted to its line
    assert "treaty_1727" not in catalog["view"]["fit_layers"]
    for feature in features.values():
        assert feature["properties"]["start_date"] == "1727-11-01"
        assert feature["properties"]["start_edtf"] == "1727-11-01"


def test_the_located_ends_lie_on_todays_boundary(clauses, boundaries):
    """Where the 1727 line still holds, today's boundary passes its located points: the Kyakhta
    marker (2.6 km from Natural Earth's Russia–Mongolia line) and Abagaitu hill, where the
    Russia–China line reaches the Argun (0.3 km)."""
    russia_mongolia, russia_china = boundaries
    kyakhta = Point(clauses["kyakhta_to_argun"].coords[0])
    abagaitu = Point(clauses["kyakhta_to_argun"].coords[-1])
    assert nearest_km(kyakhta, russia_mongolia) < END_TOLERANCE_KM
    assert nearest_km(abagaitu, russia_china) < END_TOLERANCE_KM
    argun = nm.load_layer("rivers").set_index("id").geometry["argun"]
    assert nearest_km(abagaitu, argun) < END_TOLERANCE_KM  # where it met 'the old line fixed at Nerchinsk'


def test_east_of_kyakhta_todays_boundary_stays_within_the_clauses_precision(clauses, boundaries, features):
    """Today's Russia–Mongolia line east of Kyakhta and the Russia–China line west of the Argun
    still follow the 39 markers; every one of their vertices lies within the straight clause's
    stated precision (120 km; the greatest distance is about 116 km, at 110.2 E)."""
    russia_mongolia, russia_china = boundaries
    east = clauses["kyakhta_to_argun"]
    kyakhta, abagaitu = Point(east.coords[0]), Point(east.coords[-1])
    modern = [
        *substring(russia_mongolia, russia_mongolia.project(kyakhta), russia_mongolia.length).coords,
        *substring(russia_china, 0, russia_china.project(abagaitu)).coords,
    ]
    distances = np.array([nearest_km(Point(c), east) for c in modern])
    precision = features[f"{READING}.kyakhta_to_argun"]["properties"]["precision_km"]
    assert distances.max() <= precision
    assert np.median(distances) < precision / 2


def test_west_of_kyakhta_the_1727_line_holds_to_the_eastern_sayan_and_then_departs(clauses, boundaries, features):
    """From Kyakhta to the Eastern Sayan today's boundary is the 1727 line, within the straight
    clause's precision (90 km); west of it, the 1727 line ran on the Sayan north of the
    Uriankhai (Tuva), which left the Qing in 1912–14 and is now in Russia, so today's boundary
    lies up to hundreds of kilometres south of it."""
    russia_mongolia, _ = boundaries
    straight = clauses["sayan_to_kyakhta"]
    x0 = straight.coords[0][0]
    held = [Point(c) for c in russia_mongolia.coords if x0 <= c[0] <= straight.coords[-1][0]]
    precision = features[f"{READING}.sayan_to_kyakhta"]["properties"]["precision_km"]
    assert max(nearest_km(p, straight) for p in held) <= precision
    sayan = clauses["sayan"]
    tuva = [Point(c) for c in russia_mongolia.coords if c[0] < x0]
    assert max(nearest_km(p, sayan) for p in tuva) > 150  # the Tuva departure


def test_the_sayan_clause_follows_the_crest_north_of_tuva(clauses):
    sayan = clauses["sayan"]
    kyzyl = Point(94.3831, 51.7067)  # Natural Earth populated places: Kyzyl, in the Tuva basin
    assert LineString([(kyzyl.x, 50.0), (kyzyl.x, 54.0)]).intersects(sayan)
    crossing = LineString([(kyzyl.x, 50.0), (kyzyl.x, 54.0)]).intersection(sayan)
    assert min(p.y for p in getattr(crossing, "geoms", [crossing])) > kyzyl.y  # north of Kyzyl


# --- dates in three calendars ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("event", "julian", "gregorian", "lunar"),
    [
        ("treaty_bur", (1727, 8, 20), "1727-08-31", (1727, 7, 15)),  # 雍正五年七月十五日
        ("treaty_kyakhta", (1727, 10, 21), "1727-11-01", (1727, 9, 18)),  # 雍正五年九月十八日
        ("kyakhta_exchange_1728", (1728, 6, 14), "1728-06-25", (1728, 5, 18)),  # 雍正六年五月十八日
    ],
)
def test_kyakhta_dates_in_three_calendars(event, julian, gregorian, lunar):
    """The O.S. day the sources give, the Gregorian day (convertdate) and the reign-year date
    (sxtwl read directly: Yongzheng 1 = 1723)."""
    events = nm.load_layer("events").set_index("id")
    row = events.loc[event]
    y, m, d = convertdate.julian.to_gregorian(*julian)
    assert row["start_date"] == f"{y:04d}-{m:02d}-{d:02d}" == gregorian
    assert row["date_os"] == "{:04d}-{:02d}-{:02d}".format(*julian)
    day = sxtwl.fromSolar(y, m, d)
    assert (day.getLunarYear(), day.getLunarMonth(), day.getLunarDay(), day.isLunarLeap()) == (*lunar, False)
    numerals = "〇一二三四五六七八九十"

    def zh(n: int) -> str:
        return numerals[n] if n <= 10 else ("十" if n < 20 else numerals[n // 10] + "十") + (numerals[n % 10] if n % 10 else "")

    era_year = lunar[0] - 1722
    expected = f"雍正{zh(era_year)}年{zh(lunar[1])}月{zh(lunar[2])}日"
    assert row["date_qing_converted"] == expected
