"""Every fort and town in its own years: no place is drawn before its first or after its last
attested date, every occupation that ended says how, and every event at a place falls within
one of that place's occupations. Old Style days are converted, never stored as Gregorian."""

from __future__ import annotations

import convertdate.julian
import pytest

import nerchinsk_map as nm
from nerchinsk_map.chronology import dates

YEARS = range(1600, 2031)


@pytest.fixture(scope="module")
def places():
    return nm.load_layer("places")


@pytest.fixture(scope="module")
def events():
    return nm.load_layer("events")


def _year(iso: str | None) -> int | None:
    return None if iso is None else int(iso[:4])


def attested_years(first: str, last: str) -> tuple[int, int | None]:
    """The earliest year the first attestation allows and the latest the last allows (None:
    the place stands today)."""
    lo, _ = dates.bounds(first)
    if last == "present":
        return _year(lo), None
    _, hi = dates.bounds(last)
    return _year(lo), _year(hi)


def test_every_place_has_its_attested_years(places):
    for _, p in places.iterrows():
        assert p["attested_first"] and p["attested_last"] and p["attested_source"], p["id"]
        assert "facts.md" not in p["attested_source"], p["id"]  # the published sources, not the notes


def test_no_place_stands_outside_its_attested_years(places):
    """Over every year the time control can show, a place is not drawn (not even as 'perhaps')
    before its first attested date or after its last."""
    for _, p in places.iterrows():
        first, last = attested_years(p["attested_first"], p["attested_last"])
        props = p.drop("geometry").to_dict()
        for year in YEARS:
            if year < first or (last is not None and year > last):
                assert dates.status(props, year) == "no", (p["id"], year)


def test_a_place_drawn_to_the_present_is_a_settlement_today(places):
    for _, p in places.iterrows():
        if p["end_edtf"] == dates.OPEN:
            assert p["attested_last"] == "present" and p["present_as"], p["id"]
        else:
            assert p["attested_last"] != "present", p["id"]
            assert p["end_event"], f"{p['id']}: an occupation that ended says how (burned, moved...)"


def test_every_event_at_a_place_falls_within_its_occupation(places, events):
    """The siege of 1686 is at the Albazin rebuilt in 1685, not at the one razed in 1685."""
    spans = {p["id"]: dates.span(p.drop("geometry").to_dict()) for _, p in places.iterrows()}
    for _, e in events[events["place_id"].notna()].iterrows():
        span = spans[e["place_id"]]
        start = _year(e["start_date"])
        assert span.possible_from is None or span.possible_from <= start, (e["id"], e["place_id"])
        assert span.possible_to is None or start <= span.possible_to, (e["id"], e["place_id"])


def test_albazin_is_three_occupations_with_gaps_between():
    places = nm.load_layer("places").set_index("id")
    periods = [dates.span(places.loc[i].drop("geometry").to_dict()) for i in ("albazin_1651", "albazin", "albazin_1685")]
    assert [(s.possible_from, s.possible_to) for s in periods] == [(1650, 1651), (1665, 1685), (1685, 1689)]
    for year in range(1652, 1665):  # burned in June 1651, empty until 1665
        assert all(s.status(year) == "no" for s in periods), year
    for year in (1660, 1686, 1700):  # never two at once, except the summer of 1685
        assert sum(s.status(year) != "no" for s in periods) <= 1, year
    ends = places.loc[["albazin_1651", "albazin", "albazin_1685"], "end_event"].tolist()
    assert ends == ["burned", "surrendered and razed", "abandoned and razed under the treaty"]


def test_old_style_days_are_converted_not_stored_as_gregorian(places, events):
    """Kumarsk was begun on 2 Nov 1654 O.S.: its Gregorian day, 12 Nov, is what the dates hold;
    the conversion is checked with convertdate itself."""
    for _, p in places[places["start_os"].notna()].iterrows():
        y, m, d = (int(x) for x in p["start_os"].split("-"))
        gy, gm, gd = convertdate.julian.to_gregorian(y, m, d)
        assert f"{gy:04d}-{gm:02d}-{gd:02d}" in p["start_edtf"], p["id"]
        assert p["start_os"] not in p["start_edtf"], p["id"]
    kumarsk = places.set_index("id").loc["kumarsk"]
    assert kumarsk["start_os"] == "1654-11-02" and "1654-11-12" in kumarsk["start_edtf"]
    for _, e in events[events["date_os"].notna()].iterrows():
        y, m, d = (int(x) for x in e["date_os"].split("-"))
        gy, gm, gd = convertdate.julian.to_gregorian(y, m, d)
        assert e["start_date"] == f"{gy:04d}-{gm:02d}-{gd:02d}", e["id"]
