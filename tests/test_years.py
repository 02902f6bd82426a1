"""Two years compared (web/years.py): the borders in force in each year come from the border
layers' files (read back here with the json module and the ISO dates, not the package's readers),
and the figures obey their rules: symmetric in the two years, an area of zero only for the same
line, the places that change side inside the faces between the lines; over generated lines too."""

from __future__ import annotations

import json

import pytest
import shapely
import shapely.affinity
from hypothesis import given, settings
from hypothesis import strategies as st
from test_departures import projected_departure_km

import nerchinsk_map as nm
from nerchinsk_map.web import years as Y

DRAWN_KM = 3.0  # the page's lines are simplified by 0.02 degrees (~2 km) and rounded to 0.001


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NERCHINSK_CACHE", str(cache))
        specs = list(nm.default_catalog().layers)
        first = Y.year_comparisons(specs)
        path = Y.cache_file(tuple(Y.border_layer_ids(specs)))
        assert path.is_file() and path.is_relative_to(cache)
        assert Y.year_comparisons(specs) == json.loads(json.dumps(first))  # read back: the same
        path.write_text('{"years": [', encoding="utf-8")  # damaged: computed again, never trusted
        assert json.loads(json.dumps(Y.year_comparisons(specs))) == json.loads(json.dumps(first))
    return first


def raw_borders() -> list[tuple[int, int | None, shapely.Geometry]]:
    """(first year, year it ended or None, geometry) of every feature of the border layers: the
    catalog's dated line layers shown by default, read from the files with the json module."""
    catalog = json.loads((nm.data.catalog.geodata_dir() / "catalog.json").read_text(encoding="utf-8"))
    out = []
    for layer in catalog["layers"]:
        if layer["geometry"] != "line" or not layer.get("start_date") or layer.get("show", True) is False:
            continue
        data = json.loads((nm.data.catalog.geodata_dir() / layer["file"]).read_text(encoding="utf-8"))
        for f in data["features"]:
            p = f["properties"]
            end = int(p["end_date"][:4]) if p.get("end_date") else None
            out.append((int(p["start_date"][:4]), end, shapely.geometry.shape(f["geometry"])))
    return out


def test_each_years_border_is_the_layers_features_in_force_that_year(built):
    raw = raw_borders()
    assert built["years"] == [str(y) for y in sorted({y for s, e, _ in raw for y in (s, e) if y is not None})]
    for year in map(int, built["years"]):
        expected = shapely.union_all([g for s, e, g in raw if s <= year and (e is None or e > year)])
        drawn = shapely.MultiLineString(built["lines"][str(year)])
        assert projected_departure_km(drawn, expected) <= DRAWN_KM, year
        assert projected_departure_km(expected, drawn) <= DRAWN_KM, year


def test_the_figures_are_symmetric_zero_only_for_the_same_line_and_name_places_between(built):
    raw = raw_borders()
    line = {y: shapely.line_merge(shapely.union_all([g for s, e, g in raw if s <= y and (e is None or e > y)]))
            for y in map(int, built["years"])}
    assert len(built["pairs"]) == len(built["years"]) * (len(built["years"]) - 1) // 2
    coast = Y.coastline()
    for pair in built["pairs"]:
        f = pair["figures"]
        a, b = line[int(pair["a"])], line[int(pair["b"])]
        back = Y.compare_lines(b, a, None, coast)  # the other way round: the same figures
        assert back["area_between_km2"] == f["area_between_km2"], pair["a"] + "/" + pair["b"]
        assert back["max_distance_km"] == pytest.approx(f["max_distance_km"], abs=0.1)
        same = projected_departure_km(a, b) <= Y.SAME_KM and projected_departure_km(b, a) <= Y.SAME_KM
        assert (f["area_between_km2"] == 0) == same == f["same"] == (f["max_distance_km"] == 0)
        assert (pair["between"] is None) == (f["area_between_km2"] in (0, None))
        if pair["between"] is not None:  # each place that changes side lies in the faces drawn
            faces = shapely.MultiPolygon([shapely.Polygon(r[0], r[1:]) for r in built["faces"][pair["between"]]])
            for place in f["places_changing_side"]:
                # (the faces drawn are simplified by 0.05 degrees and rounded to 0.01)
                assert faces.buffer(0.1).contains(shapely.Point(place["lon"], place["lat"])), place["name"]
        else:
            assert f["places_changing_side"] == []
    # the shipped data has both: a pair enclosing land between its borders, and one that does not
    assert any(p["between"] is not None for p in built["pairs"])
    assert any(p["figures"]["area_between_km2"] is None for p in built["pairs"])


lon = st.floats(118, 130)
lat = st.floats(45, 55)


@st.composite
def bulged(draw):
    """A line west to east and the same line with one inner vertex moved north or south."""
    n = draw(st.integers(3, 7))
    xs = sorted(draw(st.lists(lon, min_size=n, max_size=n, unique=True)))
    if min(b - a for a, b in zip(xs, xs[1:], strict=False)) < 0.2:
        xs = [118 + 1.5 * i for i in range(n)]
    ys = draw(st.lists(lat, min_size=n, max_size=n))
    line = shapely.LineString(list(zip(xs, ys, strict=True)))
    i = draw(st.integers(1, n - 2))
    shift = draw(st.floats(0.1, 2.0)) * draw(st.sampled_from([-1, 1]))
    moved = list(line.coords)
    moved[i] = (moved[i][0], moved[i][1] + shift)
    return line, shapely.LineString(moved)


@settings(max_examples=25, deadline=None)
@given(bulged())
def test_two_lines_figures_are_symmetric_and_zero_only_for_the_same_line(lines):
    a, b = lines
    ab, ba = Y.compare_lines(a, b), Y.compare_lines(b, a)
    assert ab["area_between_km2"] == ba["area_between_km2"]
    assert ab["max_distance_km"] == pytest.approx(ba["max_distance_km"], abs=0.1)
    assert Y.compare_lines(a, a)["area_between_km2"] == 0 and Y.compare_lines(b, b)["area_between_km2"] == 0
    assert ab["area_between_km2"] != 0 and not ab["same"]  # moved by 10 km or more: never the same line
    if ab["area_between_km2"] is not None:
        assert ab["area_between_km2"] > 0


@settings(max_examples=15, deadline=None)
@given(bulged(), st.floats(0.3, 3.0))
def test_a_stretch_only_one_line_holds_encloses_nothing(lines, length):
    a, _ = lines
    end = a.coords[-1]
    longer = shapely.LineString([*a.coords, (end[0] + length, end[1])])
    f = Y.compare_lines(a, longer)
    assert f["area_between_km2"] is None and f["places_changing_side"] == []
    assert f == {**Y.compare_lines(longer, a), "between": f["between"]}
