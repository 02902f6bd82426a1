"""A competing reading's clauses show where it departs from the common one (the texts panel's
``departs``/``departs_km``, web/texts.py): the marks are derived again here from the reading
files themselves, compiled by the engine and measured another way (metres in a local azimuthal
equidistant projection, not geodesics); and the measure obeys its rules over generated lines."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

import nerchinsk_map as nm
from nerchinsk_map.analysis import local_aeqd
from nerchinsk_map.data.catalog import geodata_dir
from nerchinsk_map.web.texts import DEPART_KM, departure_km, texts_data

BORDERLINE = 0.25  # km either side of DEPART_KM where the two measures may honestly disagree


def projected_departure_km(clause: shapely.Geometry, common: shapely.Geometry) -> float:
    """Largest distance from ``clause`` to ``common`` in metres of a local projection (/1000)."""
    to_m = Transformer.from_crs("EPSG:4326", local_aeqd(shapely.union_all([clause, common])), always_xy=True)
    a = shapely.transform(clause, lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])))
    b = shapely.transform(common, lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])))
    points = shapely.points(shapely.get_coordinates(shapely.segmentize(a, 500.0)))
    return float(shapely.distance(points, b).max()) / 1000


@pytest.fixture(scope="module")
def panel() -> dict[str, dict]:
    return {r["id"]: r for r in texts_data({})}


def reading_files() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((geodata_dir() / "readings").glob("*.json"))]


def test_every_competing_clause_is_marked_as_its_files_say(panel):
    files = reading_files()
    common = {(r["treaty"], r["year"]): r for r in files if "question" not in r}
    context = nm.readings.default_context()
    checked = 0
    for spec in files:
        clauses = panel[spec["id"]]["clauses"]
        base = common.get((spec["treaty"], spec["year"]))
        if "question" not in spec or base is None:  # a common reading departs from nothing
            assert all(c["departs_km"] is None and not c["departs"] for c in clauses), spec["id"]
            continue
        line = shapely.union_all(list(nm.readings.compile_reading(base, context).geometry))
        compiled = nm.readings.compile_reading(spec, context)
        assert [c["id"] for c in clauses] == [c["id"] for c in spec["clauses"]] == list(compiled["id"])
        for clause, geom in zip(clauses, compiled.geometry, strict=True):
            km = projected_departure_km(geom, line)
            where = f"{spec['id']}/{clause['id']}: {km:.2f} km here, {clause['departs_km']} km in the page"
            assert clause["departs_km"] == pytest.approx(km, rel=0.02, abs=0.3), where
            if abs(km - DEPART_KM) > BORDERLINE:
                assert clause["departs"] == (km > DEPART_KM), where
            checked += 1
    assert checked >= 10
    # the shipped readings hold both kinds: a reading that departs (another river) and one on the line
    assert any(c["departs"] for r in panel.values() for c in r["clauses"])
    assert any(c["departs_km"] == 0 for r in panel.values() for c in r["clauses"])


lon = st.floats(100, 140)
lat = st.floats(40, 60)
lines = st.lists(st.tuples(lon, lat), min_size=2, max_size=6, unique=True).map(shapely.LineString).filter(lambda g: g.length > 0.01)


@settings(max_examples=40, deadline=None)
@given(lines)
def test_a_line_departs_from_nothing_on_itself_or_a_longer_line_holding_it(line):
    assert departure_km(line, line) == pytest.approx(0, abs=1e-6)
    longer = shapely.LineString([(95, 35), *line.coords, (145, 65)])
    assert departure_km(line, longer) == pytest.approx(0, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(lines, st.floats(0.05, 1.0))
def test_a_line_moved_north_departs_by_about_the_move(line, shift):
    moved = shapely.affinity.translate(line, yoff=shift)
    km = departure_km(moved, line)
    # never more than the move (a degree of latitude is at most 111.7 km), within the 1 % the
    # nearest point found on squeezed longitudes may miss by on a line spanning many degrees
    assert 0 < km <= shift * 111.7 * 1.01
    assert km == pytest.approx(projected_departure_km(moved, line), rel=0.02, abs=0.3)
