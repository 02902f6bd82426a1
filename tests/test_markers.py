"""Boundary markers as dated points with their words: the 1690 stelae (disputed: perhaps never
set) and the posts of the 1861 demarcation of the 1860 line."""

import convertdate.julian
import pytest

import nerchinsk_map as nm
from nerchinsk_map.chronology import dates

STELAE = ("stele_1690_argun", "stele_1690_gerbichi")
POSTS = ("post_1861_e", "post_1861_i", "post_1861_t")


@pytest.fixture(scope="module")
def events():
    return nm.load_layer("events").set_index("id")


@pytest.mark.parametrize("marker", STELAE + POSTS)
def test_every_marker_has_its_words_and_sources(events, marker):
    row = events.loc[marker]
    assert row["inscription"].startswith("«") and row["inscription_source"]
    assert row["description"] and row["date_note"] and row["source"]
    assert row["name_ru"] and row["name_zh"]


def test_the_1690_stelae_are_disputed_not_certain(events):
    for stele in STELAE:
        props = events.loc[stele].drop("geometry").to_dict()
        assert props["start_edtf"] == "1690?" and props["date_certainty"] == "disputed"
        assert dates.status(props, 1690) == "perhaps"  # perhaps never set (Chengzhi 2011)
        assert "Chengzhi" in props["date_note"]


def test_the_1861_posts_are_dated_by_the_old_style_signature(events):
    y, m, d = convertdate.julian.to_gregorian(1861, 6, 16)
    for post in POSTS:
        row = events.loc[post]
        assert row["date_os"] == "1861-06-16" and row["start_date"] == f"{y:04d}-{m:02d}-{d:02d}" == "1861-06-28"


def test_the_posts_stand_on_the_1860_line(events):
    line = nm.load_layer("borders_later").set_index("id").geometry["peking_1860"]
    from nerchinsk_map.analysis import distance_km

    for post in POSTS:
        point = events.geometry[post]
        nearest = line.interpolate(line.project(point))
        # Natural Earth's 1:10m line ends on the Tumen about 15 km from boundary marker No. 423
        assert distance_km(point, nearest) <= events.loc[post, "precision_km"] + 15, post
