"""The readings engine never answers wrongly in silence, over generated readings: clauses join
end to end or the gap is an error naming both ends; straight clauses take the short way and
are split at the antimeridian; a divide 'to the coast' reaches it or is refused; ``compare`` is
symmetric, finds area only between different lines and refuses lines that do not join."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import box

from nerchinsk_map import readings
from nerchinsk_map.readings import Context, ReadingError
from nerchinsk_map.readings.compile import GAP_KM

GEOD = Geod(ellps="WGS84")
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = [{"language": "English", "lang": "en", "kind": "paraphrase", "text": "a test", "source": "the test"}]
EMPTY = Context(rivers={}, river_sources={}, basins={}, basin_source="test basins")

lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-75, 75, allow_nan=False)
points = st.tuples(lons, lats)


def km(p, q) -> float:
    return GEOD.inv(p[0], p[1], q[0], q[1])[2] / 1000


def point(p) -> dict:
    return {"lon": p[0], "lat": p[1]}


def straight_reading(rid: str, path: list[tuple[float, float]], precision: float = 2.0, jumps: dict | None = None) -> dict:
    """A reading of straight clauses through ``path``; ``jumps`` maps a clause index to an explicit
    ``from`` point (and optionally a stated gap)."""
    clauses = []
    for i, p in enumerate(path[1:]):
        clause = {"id": f"c{i}", "kind": "straight", "precision_km": precision, "text": TEXT, "to": point(p)}
        if i == 0:
            clause["from"] = point(path[0])
        if jumps and i in jumps:
            clause["from"] = point(jumps[i][0])
            if jumps[i][1]:
                clause["gap"] = jumps[i][1]
        clauses.append(clause)
    return {"id": rid, "title": {"en": rid}, "treaty": "test", "year": 1689, "certainty": "conjectural",
            "sources": [{"author": "test", "title": "test"}], "clauses": clauses}


def coords_of(geom) -> list[list[tuple[float, float]]]:
    return [list(g.coords) for g in getattr(geom, "geoms", [geom])]


@SETTINGS
@given(path=st.lists(points, min_size=2, max_size=4), jump=st.none() | st.tuples(st.integers(0, 2), points, st.booleans()))
def test_clauses_join_end_to_end_or_the_gap_is_named(path, jump):
    assume(all(km(p, q) > 0.01 for p, q in zip(path, path[1:], strict=False)))
    jumps = None
    if jump is not None and jump[0] < len(path) - 1:
        i, start, stated = jump
        end_before = path[i]  # the clause's own 'from' (clause 0) or the previous clause's end
        assume(km(start, path[i + 1]) > 0.01)
        jumps = {i: (start, "the text leaves it open" if stated else None)}
    spec = straight_reading("joins", path, jumps=jumps)
    try:
        compiled = readings.compile(spec, EMPTY)
    except ReadingError as exc:
        # the only refusal here: an unstated gap, named with both ends and its length
        assert jumps is not None and jump[0] > 0 and not jump[2], str(exc)
        assert f"clause {jump[0] + 1} (c{jump[0]})" in str(exc) and f"clause {jump[0]} (c{jump[0] - 1})" in str(exc)
        assert "km from where" in str(exc) and "gap" in str(exc)
        assert km(end_before, jump[1]) > GAP_KM
        return
    ends = [coords_of(g) for g in compiled.geometry]
    for n, (before, after) in enumerate(zip(ends, ends[1:], strict=False)):
        gap = km(before[-1][-1], after[0][0])
        stated = jumps is not None and n + 1 in jumps and jumps[n + 1][1]
        assert gap <= GAP_KM or stated
        if gap > GAP_KM:
            assert "a gap the reading states" in compiled["method"].iloc[n + 1]


@SETTINGS
@given(a=points, b=points)
def test_a_straight_clause_takes_the_short_way_split_at_the_antimeridian(a, b):
    assume(km(a, b) > 0.01)
    try:
        geom = readings.compile(straight_reading("straight", [a, b]), EMPTY).geometry.iloc[0]
    except ReadingError as exc:  # only a clause of no length is refused
        assert "same point" in str(exc) or "no length" in str(exc)
        return
    parts = coords_of(geom)
    for part in parts:
        assert all(-180 <= x <= 180 for x, _ in part)
        assert all(abs(x1 - x0) <= 180 for (x0, _), (x1, _) in zip(part, part[1:], strict=False))
    # the short way: as long as the geodesic between the two points, whichever way it is cut
    assert sum(GEOD.geometry_length(shapely.LineString(p)) for p in parts) / 1000 == pytest.approx(km(a, b), rel=1e-3, abs=0.05)
    if len(parts) > 1:
        assert "antimeridian" in readings.compile(straight_reading("s", [a, b]), EMPTY)["method"].iloc[0]
        for left, right in zip(parts, parts[1:], strict=False):
            assert abs(left[-1][0]) == 180 and left[-1][0] == -right[0][0] and left[-1][1] == right[0][1]


def test_a_clause_of_no_length_is_an_error():
    with pytest.raises(ReadingError, match=r"clause 1 \(c0\).*same point"):
        readings.compile(straight_reading("zero", [(120.0, 50.0), (120.0, 50.0)]), EMPTY)


def offset(a, b, d_km: float) -> tuple[float, float]:
    """A point d_km to the left of the middle of the geodesic a-b."""
    az, _, dist = GEOD.inv(a[0], a[1], b[0], b[1])
    mx, my, back = GEOD.fwd(a[0], a[1], az, dist / 2)
    x, y, _ = GEOD.fwd(mx, my, back + 180 - 90, d_km * 1000)
    return (x, y)


pairs = st.tuples(st.floats(90, 150), st.floats(35, 60), st.floats(-60, 60), st.floats(100, 600))


@SETTINGS
@given(spec=pairs, d_km=st.floats(10, 200))
def test_compare_is_symmetric_and_finds_area_only_between_different_lines(spec, d_km):
    lon, lat, azimuth, length = spec
    a0 = (lon, lat)
    x, y, _ = GEOD.fwd(lon, lat, azimuth, length * 1000)
    a1 = (x, y)
    mid = offset(a0, a1, d_km)
    one, other = straight_reading("one", [a0, a1]), straight_reading("other", [a0, mid, a1])
    same = readings.compare(one, one, EMPTY)
    assert same["area_between_km2"] == 0 and same["max_distance_km"] < GAP_KM
    ab, ba = readings.compare(one, other, EMPTY), readings.compare(other, one, EMPTY)
    assert ab["area_between_km2"] == pytest.approx(ba["area_between_km2"], rel=1e-6)
    assert ab["length_differing_km"] == {"a": ba["length_differing_km"]["b"], "b": ba["length_differing_km"]["a"]}
    # a triangle of base `length` and height about d_km: area between about half their product
    assert ab["area_between_km2"] == pytest.approx(length * d_km / 2, rel=0.1)


@SETTINGS
@given(spec=pairs, d_km=st.floats(300, 900))
def test_compare_refuses_lines_whose_ends_are_far_apart(spec, d_km):
    lon, lat, azimuth, length = spec
    x, y, _ = GEOD.fwd(lon, lat, azimuth, length * 1000)
    elsewhere = offset((lon, lat), (x, y), d_km)
    a, b = straight_reading("one", [(lon, lat), (x, y)]), straight_reading("other", [(lon, lat), elsewhere])
    for first, second in ((a, b), (b, a)):
        with pytest.raises(ReadingError, match=r"km apart and neither on the other line"):
            readings.compare(first, second, EMPTY)


def test_compare_across_the_antimeridian_measures_the_short_way():
    a0, a1 = (179.5, 10.0), (-179.5, 10.0)
    mid = offset(a0, a1, 20)
    result = readings.compare(straight_reading("a", [a0, a1]), straight_reading("b", [a0, mid, a1]), EMPTY)
    assert result["area_between_km2"] == pytest.approx(km(a0, a1) * 20 / 2, rel=0.1)  # not millions of km²


def test_compare_refuses_a_line_with_a_stated_gap():
    path = [(120.0, 50.0), (121.0, 50.0), (122.0, 50.0)]
    broken = straight_reading("broken", path, jumps={1: ((121.0, 51.0), "the text names no link")})
    with pytest.raises(ReadingError, match="broken: the line is broken"):
        readings.compare(broken, straight_reading("whole", [path[0], path[-1]]), EMPTY)


def test_compare_over_the_stretch_one_line_covers():
    long, short = straight_reading("long", [(120.0, 50.0), (122.0, 50.0), (124.0, 50.0)]), straight_reading(
        "short", [(122.0, 50.0), (124.0, 50.0)])
    result = readings.compare(long, short, EMPTY)
    assert result["area_between_km2"] == 0 and result["max_distance_km"] < GAP_KM
    assert result["stretch_compared"]["left_out_km"]["a"]["at_start"] == pytest.approx(km((120, 50), (122, 50)), abs=1)
    assert any("left out" in n for n in result["notes"])


def test_lines_apart_beyond_their_precision_that_enclose_no_area_get_no_area():
    # b goes out and back along the same meridian (a spur): far from a, yet no face between them
    a = straight_reading("a", [(120.0, 50.0), (120.5, 50.0), (121.0, 50.0)])
    spur = straight_reading("spur", [(120.0, 50.0), (120.5, 50.0), (120.5, 51.5), (120.5, 50.0), (121.0, 50.0)])
    result = readings.compare(a, spur, EMPTY)
    assert result["area_between_km2"] is None
    assert any("enclose no area" in n for n in result["notes"])


def basin_context(land) -> Context:
    return Context(rivers={}, river_sources={}, basins={"b": box(100, 40, 102, 42)}, basin_source="test", land=land)


def divide_reading() -> dict:
    return {"id": "to_coast", "title": {"en": "t"}, "treaty": "t", "year": 1689, "certainty": "conjectural",
            "sources": [{"author": "t", "title": "t"}],
            "clauses": [{"id": "crest", "kind": "divide", "basin": "b", "side": "north", "precision_km": 10,
                         "text": TEXT, "from": point((100.0, 41.0)),
                         "to": {"coast": {"toward": point((102.0, 41.0))}}}]}


@settings(max_examples=15, deadline=None)
@given(coast_lon=st.floats(95, 108))
def test_a_divide_to_the_coast_reaches_it_or_is_refused(coast_lon):
    land = box(80, 30, coast_lon, 55)  # the sea lies east of coast_lon
    ctx = basin_context(land)
    # the divide runs from (100, 41) north round to (102, 41): it reaches the sea only where the coast
    # lies between (all inland, or all at sea, it never reaches the coast)
    assume(abs(coast_lon - 100) > 1e-6 and abs(coast_lon - 102) > 1e-6)
    reaches = 100 < coast_lon < 102
    try:
        compiled = readings.compile(divide_reading(), ctx)
    except ReadingError as exc:
        assert not reaches and "never reaches the coast" in str(exc) and "km from the sea" in str(exc)
        return
    assert reaches
    end = shapely.Point(compiled.geometry.iloc[0].coords[-1])
    assert end.distance(ctx.coastline) <= 2.0 + 1e-9  # the last segment crosses the coast
    assert "reaches the Natural Earth coast" in compiled["method"].iloc[0]


def test_a_corrupt_cache_entry_is_derived_again_with_a_note(raw_data, tmp_path, monkeypatch):
    pytest.importorskip("pyflwdir")
    import nerchinsk_map as nm
    from nerchinsk_map.hydrology import cache

    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    w = nm.load_layer("watersheds").set_index("id")
    lon, lat = (float(v) for v in w.loc["gorbitsa", ["outlet_lon", "outlet_lat"]])
    first = cache.basin_at(lon, lat, raw_data)
    [entry] = list(tmp_path.glob("basins/*/*.json"))
    for junk in (b"", b"{\"wkb\": \"zz\"}", b"[1, 2]", b"{\"wkb\": NaN}", b"\xff\xfe"):
        entry.write_bytes(junk)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            again = cache.basin_at(lon, lat, raw_data)
        assert again.equals(first)
        assert any("corrupt basin cache entry" in str(w.message) for w in caught)
        assert cache.basin_at(lon, lat, raw_data).equals(first)  # rewritten whole


def test_a_missing_optional_package_is_one_line_naming_the_extra(tmp_path):
    reading = straight_reading("needs_basin", [(120.0, 53.0), (120.5, 53.0)])
    reading["clauses"].append({"id": "edge", "kind": "divide", "basin": {"outlet": point((121.4, 53.1))},
                               "side": "north", "precision_km": 10, "text": TEXT, "to": point((121.0, 54.0))})
    path = tmp_path / "r.json"
    import json

    path.write_text(json.dumps(reading), encoding="utf-8")
    code = ("import sys; sys.modules['pyflwdir'] = None; sys.modules['rasterio'] = None\n"
            "from nerchinsk_map.cli import main\n"
            f"sys.exit(main(['reading', 'build', {str(path)!r}, '--output', {str(tmp_path / 'o.geojson')!r}]))")
    env = {**os.environ, "NERCHINSK_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and 'pip install "nerchinsk-map[pipeline]"' in lines[0], result.stderr
    assert not (tmp_path / "o.geojson").exists()


def test_the_guide_compare_example_compares_like_with_like():
    import re

    from conftest import ROOT

    text = (ROOT / "docs" / "guide" / "readings.md").read_text(encoding="utf-8")
    mine = ROOT / "docs" / "examples" / "my_amazar.json"  # the complete reading file the guide shows
    [other] = re.findall(r'nm\.readings\.compare\("(\w+)", "my_reading\.json"\)', text)
    result = readings.compare(other, mine)
    # the file reads the Gorbitsa as the Amazar: over the stretch both cover it differs from the
    # common line exactly as the shipped Amazar reading does
    assert result["area_between_km2"] == readings.compare("gorbitsa_malaya", "gorbitsa_amazar")["area_between_km2"]
    assert {p["name"] for p in result["places_changing_side"]} == {"Mogocha"}
