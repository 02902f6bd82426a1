"""The unsettled years: the land Aigun left in common until Peking (1858–1860) and the Sixty-Four
Villages whose people Aigun left under Qing officials (1858–1900), each with its clause; the
ceded area given with and without the villages, beside the published figures."""

from __future__ import annotations

import re
from pathlib import Path

import pyogrio
import pytest
import shapely
import shapely.ops

import nerchinsk_map as nm
from nerchinsk_map.analysis import area_km2, distance_km
from nerchinsk_map.chronology import dates

RAW = Path(__file__).resolve().parents[1] / "nerchinsk_map" / "rawdata" / "natural-earth"
ZEYA_MOUTH = (127.5978, 50.2419)  # ruwiki 'Зея'
VILLAGES_PUBLISHED_KM2 = 3600  # itsfun.com.tw '江東六十四屯'


@pytest.fixture(scope="module")
def unsettled():
    return nm.load_layer("unsettled_1858_1860").set_index("id")


@pytest.fixture(scope="module")
def territories():
    return nm.load_layer("territories").set_index("id")


@pytest.fixture(scope="module")
def towns():
    places = pyogrio.read_dataframe(RAW / "ne_10m_populated_places.geojson")
    return places.set_index("name").geometry


def test_the_joint_land_is_the_1860_land_only_until_1860(unsettled, territories):
    joint = unsettled.loc["joint_1858_1860"]
    assert joint.geometry.equals(territories.geometry["peking_1860"])
    props = joint.drop("geometry").to_dict()
    assert [dates.status(props, y) for y in (1857, 1858, 1859, 1860, 1861)] == ["no", "yes", "yes", "yes", "no"]
    assert {t["lang"] for t in joint["texts"]} == {"ru", "zh"}  # the clause in both texts
    assert "общем владении" in joint["texts"][0]["text"] and "共管" in joint["texts"][1]["text"]


def test_the_villages_lie_on_the_left_bank_below_the_zeya(unsettled, territories, towns):
    villages = unsettled.geometry["sixty_four_villages"]
    amur = nm.load_layer("rivers").set_index("id").geometry["amur"]
    assert villages.is_valid and villages.geom_type == "Polygon"
    assert area_km2(villages.difference(territories.geometry["aigun_1858"])) < 1.0  # within the 1858 land
    assert villages.distance(amur) < 1e-6  # on the river
    mouth = shapely.Point(ZEYA_MOUTH)
    nearest = shapely.ops.nearest_points(villages, mouth)[0]
    assert distance_km(nearest, mouth) < 5  # they begin at the Zeya mouth
    zeya = nm.load_layer("rivers").set_index("id").geometry["zeya"]
    assert villages.intersection(zeya).length < 1e-6  # and lie beyond the Zeya, not across it
    for town in ("Blagoveshchensk", "Heihe"):  # Russian town north of the Zeya; Qing town on the right bank
        assert not villages.contains(towns[town])


def test_the_villages_area_beside_the_published_figure(unsettled):
    row = unsettled.loc["sixty_four_villages"]
    assert row["published_area_km2"] == VILLAGES_PUBLISHED_KM2
    assert row["area_km2"] == pytest.approx(area_km2(row.geometry), abs=100)
    assert 0.6 * VILLAGES_PUBLISHED_KM2 < row["area_km2"] < 1.2 * VILLAGES_PUBLISHED_KM2
    assert f"{round(area_km2(row.geometry)):,}" in row["area_note"]
    props = row.drop("geometry").to_dict()
    assert dates.status(props, 1900) == "yes" and dates.status(props, 1901) == "no"


def test_the_ceded_area_is_given_without_the_villages(unsettled, territories):
    aigun = territories.loc["aigun_1858"]
    villages = unsettled.geometry["sixty_four_villages"]
    without = area_km2(aigun.geometry.difference(villages))
    assert aigun["area_without_villages_km2"] == pytest.approx(without, abs=100)
    stated = re.search(r"the land measures ([\d,]+) km²", aigun["area_note"]).group(1)
    assert float(stated.replace(",", "")) == pytest.approx(without, abs=1)
    assert "3,600 km² as published" in aigun["area_note"]
