"""Geodesic measures against known values, with the tolerance each check allows."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

import nerchinsk_map as nm
from nerchinsk_map import analysis as an

CONFLUENCE = (121.4769, 53.3328)  # Argun–Shilka confluence, facts.md §2


def test_one_degree_of_the_equator():
    # a quarter of the WGS 84 equator (2 * pi * 6378.137 km) / 90
    assert an.length_km(shapely.LineString([(0, 0), (1, 0)])) == pytest.approx(111.3195, rel=1e-5)


def test_one_degree_cell_at_the_equator():
    # published cell area on WGS 84: 12,309 km² (within 0.5%), with or without densified edges
    cell = shapely.box(0, 0, 1, 1)
    assert an.area_km2(cell) == pytest.approx(12_309, rel=0.005)
    assert an.area_km2(cell, step_deg=0.01) == pytest.approx(12_309, rel=0.005)


def test_albazin_to_the_confluence():
    # facts.md §4: Albazino to the Argun–Shilka confluence, 173 km great-circle (within 3%)
    albazin = nm.load_layer("places").set_index("id").loc["albazin", "geometry"]
    assert an.distance_km(albazin, CONFLUENCE) == pytest.approx(173, rel=0.03)
    assert an.distance_km((albazin.x, albazin.y), shapely.Point(CONFLUENCE)) == pytest.approx(
        an.distance_km(albazin, CONFLUENCE)
    )


def test_segment_lengths_match_the_rivers_and_the_layer():
    treaty = nm.load_layer("treaty_1689")
    rivers = nm.load_layer("rivers").set_index("id")
    lengths = an.segment_lengths(treaty).set_index("id")
    assert list(lengths.columns) == ["name", "length_km"]
    segments = {"argun", "shilka", "gorbitsa", "connector", "divide", "divide_uda"}
    assert segments <= set(lengths.index)
    # the Argun segment is the rivers layer's Argun: equal to 10 m
    assert lengths.loc["argun", "length_km"] == pytest.approx(
        an.length_km(rivers.loc["argun", "geometry"]), abs=0.01
    )
    # the layer's stored lengths were rounded to 0.1 km
    stored = treaty.set_index("id")["length_km"]
    assert np.allclose(lengths["length_km"], stored[lengths.index], atol=0.051)


def test_basin_areas_match_the_layer_and_compare_with_published():
    basins = nm.load_layer("watersheds")
    areas = an.basin_areas(basins, step_deg=1 / 12).set_index("id")
    stored = basins.set_index("id")["area_km2"]
    # the layer's areas were measured the same way (edges densified to the 5′ cells), rounded
    assert np.allclose(areas["area_km2"], stored[areas.index], rtol=1e-5, atol=1)
    amur = areas.loc["amur"]
    assert amur["difference_pct"] == pytest.approx(
        100 * (amur["area_km2"] / amur["published_area_km2"] - 1)
    )
    assert math.isnan(areas.loc["gorbitsa", "difference_pct"])  # no published figure


def test_distance_matrix_is_labelled_symmetric_and_geodesic():
    places = nm.load_layer("places")
    matrix = an.distance_matrix(places)
    assert list(matrix.index) == list(places["name"]) == list(matrix.columns)
    assert np.allclose(matrix.to_numpy(), matrix.to_numpy().T)
    assert np.allclose(np.diag(matrix.to_numpy()), 0)
    by_id = places.set_index("id").geometry
    albazin, nerchinsk = (places.set_index("id").loc[i, "name"] for i in ("albazin", "nerchinsk"))
    assert matrix.loc[albazin, nerchinsk] == pytest.approx(
        an.distance_km(by_id["albazin"], by_id["nerchinsk"])
    )


def test_distance_matrix_needs_points():
    with pytest.raises(ValueError, match="Point"):
        an.distance_matrix(nm.load_layer("rivers"))


LINE = shapely.LineString([(120, 50), (121, 50)])  # 71.7 km along the 50th parallel
KM_NORTH = 1 / 111.2  # about 1 km of latitude at 50° N, in degrees


def test_shared_length_of_a_line_with_itself_is_its_length():
    assert an.shared_length_km(LINE, LINE) == pytest.approx(an.length_km(LINE), rel=1e-6)


def test_shared_length_respects_the_tolerance():
    parallel = shapely.affinity.translate(LINE, yoff=KM_NORTH)  # 1 km north
    full = an.length_km(LINE)
    assert an.shared_length_km(LINE, parallel, tolerance_km=2.0) == pytest.approx(full, rel=1e-6)
    assert an.shared_length_km(LINE, parallel, tolerance_km=0.5) == 0.0


def test_shared_length_of_a_partial_overlap():
    half = shapely.LineString([(120.5, 50), (122, 50)])
    overlap = an.length_km(shapely.LineString([(120.5, 50), (121, 50)]))
    # the overlap, plus the tolerance beyond the end of `half` (2 km, within 1%)
    shared = an.shared_length_km(LINE, half, tolerance_km=2.0)
    assert shared == pytest.approx(overlap + 2.0, abs=0.05)


def test_shared_length_of_the_argun_segment_with_the_argun():
    treaty = nm.load_layer("treaty_1689").set_index("id")
    rivers = nm.load_layer("rivers").set_index("id")
    segment = treaty.loc["argun", "geometry"]
    assert an.shared_length_km(segment, rivers.loc["argun", "geometry"]) == pytest.approx(
        an.length_km(segment), rel=1e-4
    )
    # the divide runs far from the Ussuri: nothing shared
    divide, ussuri = treaty.loc["divide", "geometry"], rivers.loc["ussuri", "geometry"]
    assert an.shared_length_km(divide, ussuri) == 0.0


def test_shared_length_refuses_a_negative_tolerance():
    with pytest.raises(ValueError, match="negative"):
        an.shared_length_km(LINE, LINE, tolerance_km=-1)


def test_only_the_argun_of_1689_is_still_the_border():
    treaty = nm.load_layer("treaty_1689")
    today = nm.load_layer("borders_later").set_index("id").geometry["modern"]
    table = an.still_border(treaty, today).set_index("id")
    # The Argun is still the border; the Shilka, the Gorbitsa and the mountains are not.
    assert table.loc["argun", "share"] > 0.95
    for segment in ("shilka", "gorbitsa", "divide", "divide_uda"):
        assert table.loc[segment, "share"] < 0.05, segment
    total = table.loc["total"]
    assert total["still_border_km"] == pytest.approx(table.loc["argun", "still_border_km"], rel=0.05)
    assert 0.1 < total["share"] < 0.25  # the Argun is about 685 km of a ~3,900 km line
