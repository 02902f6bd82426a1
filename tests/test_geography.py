"""The geography checked against independent facts, each with its tolerance.

Facts: ../shared/reference/facts.md (coordinates §2, lengths §4), Natural Earth's modern
boundary and towns (an independent source for the rivers and places), and published basin
areas (English Wikipedia infoboxes, as quoted in issue #3).
"""

from itertools import pairwise

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point

import nerchinsk_map as nm

GEOD = Geod(ellps="WGS84")


def km(a: Point, b: Point) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000


@pytest.fixture(scope="module")
def rivers():
    return nm.load_layer("rivers").set_index("id").geometry


@pytest.fixture(scope="module")
def treaty():
    return nm.load_layer("treaty_1689").set_index("id").geometry


@pytest.fixture(scope="module")
def basins():
    return nm.load_layer("watersheds").set_index("id")


@pytest.fixture(scope="module")
def places():
    return nm.load_layer("places").set_index("id").geometry


CONFLUENCE = Point(121.4769, 53.3328)  # facts.md §2, grade A


def test_rivers_meet_at_the_confluence(rivers):
    assert km(Point(rivers["argun"].coords[-1]), CONFLUENCE) < 0.1
    assert km(Point(rivers["shilka"].coords[-1]), CONFLUENCE) < 0.1
    assert km(Point(rivers["amur"].coords[0]), CONFLUENCE) < 0.1


def test_gorbitsa_mouth_is_on_the_shilka_at_the_sourced_point(rivers):
    mouth = Point(rivers["gorbitsa"].coords[-1])
    assert km(mouth, Point(119.2167, 53.1000)) < 2.0  # zhwiki mouth; 2 km tolerance
    assert rivers["shilka"].distance(mouth) < 1e-9
    assert rivers["gorbitsa"].coords[0][1] > mouth.y  # a left-bank river: its source lies north


def test_sanity_distances_from_facts(places):
    # facts.md §4: great-circle distances, tolerance 3 %
    assert km(places["albazin"], CONFLUENCE) == pytest.approx(173, rel=0.03)
    assert km(Point(119.2167, 53.1), CONFLUENCE) == pytest.approx(153, rel=0.03)


def test_nerchinsk_agrees_with_natural_earth_town():
    towns = nm.read_layer_file(_shared("natural-earth/ne_10m_populated_places.geojson"))
    ne = towns[towns["name"] == "Nerchinsk"].geometry.iloc[0]
    place = nm.load_layer("places").set_index("id").geometry["nerchinsk"]
    assert km(ne, place) < 5.0  # modern town in two independent sources


def test_argun_border_follows_the_modern_boundary(treaty):
    """The Argun is still the border; Natural Earth's boundary runs on its centreline."""
    boundary = nm.read_layer_file(_shared("natural-earth/ne_10m_admin_0_boundary_lines_land.geojson"))
    ru_cn = shapely.union_all(
        boundary[(boundary["adm0_left"] + boundary["adm0_right"]).isin(["RussiaChina", "ChinaRussia"])].geometry.to_numpy()
    )
    argun = treaty["argun"]
    near = shapely.intersection(argun, ru_cn.buffer(0.03))  # within about 3 km
    share = near.length / argun.length
    assert share > 0.8, f"only {share:.0%} of the Argun segment lies within 3 km of today's border"


def test_border_river_parts_coincide_with_rivers(treaty, rivers):
    assert treaty["argun"].equals_exact(rivers["argun"], 1e-9)
    assert rivers["shilka"].buffer(1e-7).contains(treaty["shilka"])
    assert rivers["gorbitsa"].equals_exact(treaty["gorbitsa"].reverse(), 1e-9)


def test_divide_lies_on_the_amur_basin_edge(treaty, basins):
    edge = basins.geometry["amur"].boundary
    for segment in ("divide", "divide_uda"):
        assert edge.buffer(1e-7).contains(treaty[segment])


def test_border_is_one_continuous_line(treaty):
    order = ["argun", "shilka", "gorbitsa", "connector", "divide", "divide_uda"]
    for a, b in pairwise(order):
        assert Point(treaty[a].coords[-1]).distance(Point(treaty[b].coords[0])) < 1e-9, (a, b)


def test_divide_reaches_the_sea_of_okhotsk(treaty):
    land = shapely.union_all(nm.read_layer_file(_shared("natural-earth/ne_10m_land.geojson")).geometry.to_numpy())
    end = Point(treaty["divide_uda"].coords[-1])
    assert land.boundary.distance(end) < 0.1  # one DEM cell
    assert 135 < end.x < 142 and 52 < end.y < 56


@pytest.mark.parametrize(
    "basin, published, tolerance",
    [("amur", 1_855_000, 0.15), ("argun", 164_000, 0.15)],
)
def test_basin_areas_against_published(basins, basin, published, tolerance):
    assert basins.loc[basin, "area_km2"] == pytest.approx(published, rel=tolerance)


def test_gorbitsa_basin_is_small_and_inside_the_amur(basins):
    gorbitsa = basins.geometry["gorbitsa"]
    assert 500 < basins.loc["gorbitsa", "area_km2"] < 20_000
    assert basins.geometry["amur"].buffer(1e-6).contains(gorbitsa)


def test_known_places_fall_on_the_right_side_of_the_divide(basins, rivers, places):
    amur = basins.geometry["amur"]
    for inside in ("nerchinsk", "albazin", "aigun", "argunsk"):
        assert amur.contains(places[inside]), inside
    assert not amur.contains(Point(129.7319, 62.0272))  # Yakutsk (facts.md §2)
    assert not amur.intersects(rivers["aldan"])  # Lena system
    assert amur.intersection(rivers["uda"]).length < 0.02 * rivers["uda"].length


def test_uda_zone_lies_between_the_uda_and_the_amur_basin(basins, rivers):
    zone = nm.load_layer("uda_undetermined").geometry.iloc[0]
    amur = basins.geometry["amur"]
    assert zone.intersection(amur).area < 0.01 * zone.area
    assert zone.distance(rivers["uda"]) < 1e-6  # the Uda is its northern edge
    area = abs(GEOD.geometry_area_perimeter(zone)[0]) / 1e6
    assert 10_000 < area < 150_000


def _shared(rel: str):
    from conftest import shared_data_dir

    path = shared_data_dir() / rel
    if not path.exists():
        pytest.skip(f"raw input {path} not available")
    return path


def test_competing_gorbitsa_readings_are_drawn(basins):
    readings = nm.load_layer("treaty_1689_readings").set_index("id")
    assert {"gorbitsa_malaya", "gorbitsa_amazar"} <= set(readings.index)
    edge = basins.geometry["amur"].boundary
    for reading_id in ("gorbitsa_malaya", "gorbitsa_amazar"):
        line = readings.geometry[reading_id]
        assert km(Point(line.coords[0]), CONFLUENCE) < 0.1, reading_id
        assert edge.distance(Point(line.coords[-1])) < 1e-6, reading_id
    amazar_mouth = Point(122.0794, 53.4250)  # ruwiki 'Амазар' (facts.md §2)
    assert readings.geometry["gorbitsa_amazar"].distance(amazar_mouth) < 0.03  # about 2 km
    assert readings.loc["gorbitsa_amazar", "certainty"] == "disputed"
    assert "Tkachenko" in readings.loc["gorbitsa_amazar", "supporters"]
