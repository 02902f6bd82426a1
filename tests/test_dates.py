"""nm.dates (EDTF start/end dates, yes/no/perhaps, dates written as historians write them) and
nm.calendars (Julian and Qing dates, converted by convertdate and sxtwl), tested against the
dates the sources give in two calendars (facts.md §1, §3; treaties-and-readings.md §1, §2)."""

from __future__ import annotations

import pytest

import nerchinsk_map as nm
from nerchinsk_map.chronology import calendars, dates
from nerchinsk_map.chronology.calendars import CalendarError, QingDate

# --- EDTF values ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1689-09-07", ("1689-09-07", "1689-09-07")),
        ("1653-11", ("1653-11", "1653-11")),
        ("[1653-11,1654]", ("1653-11", "1654")),
        ("[1652,1654-11-12]", ("1652", "1654-11-12")),
        ("[1654-11-12,1652]", ("1652", "1654-11-12")),  # order in the set does not matter
        ("1687?", ("1687", "1687")),
        ("1650~", ("1650", "1650")),
        ("[..1689]", (None, "1689")),
        ("[1689..]", ("1689", None)),
        ("[1652..1654]", ("1652", "1654")),
        ("1686-07-17/1687", ("1686-07-17", "1687")),
        ("..", (None, None)),
    ],
)
def test_bounds(value, expected):
    assert dates.bounds(value) == expected


@pytest.mark.parametrize("value", ["1653-13", "1689-02-30", "1653-11??", "November 1653", "", None, "1652 or 1654"])
def test_bad_values_are_refused_in_one_line(value, capsys):
    with pytest.raises(dates.DateError) as info:
        dates.bounds(value)
    assert "\n" not in str(info.value)
    assert capsys.readouterr().out == ""  # the edtf parser's own chatter is kept off stdout


def test_sets_of_all_dates_are_refused_for_a_start():
    with pytest.raises(dates.DateError):
        dates.bounds("{1652,1654}")  # "both 1652 and 1654": not a start date


# --- was it there? -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("props", "answers"),
    [
        # Kumarsk: founded 1652 or 2 Nov 1654, still drawn
        ({"start_edtf": "[1652,1654-11-12]", "end_edtf": ".."},
         {1651: "no", 1652: "perhaps", 1653: "perhaps", 1654: "yes", 1900: "yes"}),
        # Nerchinsk's first ostrog: November 1653 or 1654, until 1658
        ({"start_edtf": "[1653-11,1654]", "end_edtf": "1658"},
         {1652: "no", 1653: "perhaps", 1654: "yes", 1658: "yes", 1659: "no"}),
        # Selenginsk: 1655 or 1665
        ({"start_edtf": "[1655,1665]", "end_edtf": ".."},
         {1654: "no", 1655: "perhaps", 1664: "perhaps", 1665: "yes"}),
        # The second siege of Albazin: from 17 Jul 1686, the Qing withdrawal in 1687 in doubt
        ({"start_edtf": "1686-07-17", "end_edtf": "1687?"},
         {1685: "no", 1686: "yes", 1687: "perhaps", 1688: "no"}),
        # a moment: the Treaty of Kyakhta (no end)
        ({"start_edtf": "1727-11-01", "end_edtf": None}, {1726: "no", 1727: "yes", 1728: "no"}),
        # a moment whose date is disputed is never certain
        ({"start_edtf": "[1652,1654-11-12]", "end_edtf": None},
         {1651: "no", 1652: "perhaps", 1654: "perhaps", 1655: "no"}),
        # approximate start: uncertain in its own year
        ({"start_edtf": "1650~", "end_edtf": ".."}, {1649: "no", 1650: "perhaps", 1651: "yes"}),
        # on or before 1689
        ({"start_edtf": "[..1689]", "end_edtf": ".."}, {1600: "perhaps", 1689: "yes"}),
        # ISO-only features (a user's layer) keep the old rule: no end_date = still there
        ({"start_date": "1658", "end_date": None}, {1657: "no", 1658: "yes", 2000: "yes"}),
        ({"start_date": "1858-05-28", "end_date": "1860-11-14"}, {1857: "no", 1860: "yes", 1861: "no"}),
        # undated: always there
        ({"start_date": None, "end_date": None}, {1000: "yes"}),
    ],
)
def test_status(props, answers):
    assert {year: dates.status(props, year) for year in answers} == answers


def test_status_reads_a_geojson_feature_and_a_geodataframe_row():
    feature = {"type": "Feature", "properties": {"start_edtf": "[1655,1665]", "end_edtf": ".."}}
    assert dates.status(feature, 1660) == "perhaps"
    places = nm.load_layer("places").set_index("id")
    assert dates.status(places.loc["selenginsk"], 1660) == "perhaps"
    assert dates.status(places.loc["selenginsk"], 1689) == "yes"


# --- dates as historians write them --------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "en", "ru", "zh"),
    [
        ("[1652,1654]", "1652 or 1654", "1652 г. или 1654 г.", "1652年或1654年"),
        ("1653-11~", "c. November 1653", "ок. ноября 1653 г.", "约1653年11月"),
        ("1653-11?", "November 1653 (?)", "ноябрь 1653 г. (?)", "1653年11月（？）"),
        ("[..1689]", "before 1689", "до 1689 г.", "1689年以前"),
        ("[1689..]", "1689 or later", "не ранее 1689 г.", "1689年以后"),
        ("1686-07-17/1687", "17 July 1686 – 1687", "17 июля 1686 г. – 1687 г.", "1686年7月17日至1687年"),
        ("1689-09-07", "7 September 1689", "7 сентября 1689 г.", "1689年9月7日"),
    ],
)
def test_format_value(value, en, ru, zh):
    assert [dates.format_value(value, lang) for lang in ("en", "ru", "zh")] == [en, ru, zh]


def test_labels_of_a_feature():
    fort = {"start_edtf": "[1652,1654-11-12]", "end_edtf": ".."}
    assert dates.label(fort, "en") == "1652 or 12 November 1654 –"
    assert dates.label({"start_edtf": "1658", "end_edtf": ".."}, "ru") == "с 1658 г."
    siege = {"start_edtf": "1686-07-17", "end_edtf": "1687?", "date_os": "1686-07-07"}
    assert dates.label(siege, "en") == "17 July 1686 (O.S. 7 July 1686) – 1687 (?)"
    assert dates.label(siege, "zh") == "1686年7月17日至1687年（？）"  # no Qing date in the sources
    assert dates.label({"start_date": None, "end_date": None}, "en") is None
    assert dates.label({"start_date": None, "end_date": "1689"}, "en") == "until 1689"
    assert dates.display_properties({"start_edtf": "1700-03-11", "end_edtf": None,
                                     "date_os": "1700-02-29"}) == {}  # no Gregorian 29 Feb 1700


def test_popups_show_old_style_for_russian_and_the_reign_year_for_chinese():
    treaty = {"start_edtf": "1689-09-07", "end_edtf": None, "date_os": "1689-08-28",
              "date_qing": "康熙二十八年七月二十四日"}
    assert dates.label(treaty, "en") == "7 September 1689 (O.S. 28 August 1689)"
    assert dates.label(treaty, "ru") == "7 сентября 1689 г. (28 августа 1689 г. по ст. ст.)"
    assert dates.label(treaty, "zh") == "1689年9月7日（康熙二十八年七月二十四日）"
    aigun = {"start_edtf": "1858-05-28", "end_edtf": None, "date_qing_converted": "咸丰八年四月十六日"}
    assert dates.label(aigun, "zh") == "1858年5月28日（咸丰八年四月十六日，据历法换算）"


def test_display_properties():
    props = dates.display_properties({"start_edtf": "[1653-11,1654]", "end_edtf": "1658"})
    assert props["date_span"] == [1653, 1654, 1658, 1658]
    assert props["dates_label"]["en"] == "November 1653 or 1654 – 1658"
    assert set(props["dates_label"]) == {"en", "ru", "zh"}
    assert dates.display_properties({"start_date": None, "end_date": None}) == {}
    assert dates.display_properties({"start_date": "sometime", "end_date": None}) == {}  # a user's text


# --- the pipeline's derivation and validate's check ----------------------------------------------

def test_derive_sets_the_iso_bounds_from_edtf():
    rows = dates.derive([
        {"id": "kumarsk", "start_edtf": "[1652,1654-11-12]"},
        {"id": "nerchinsk", "start_date": "1658", "end_date": None},
        {"id": "river", "start_date": None, "end_date": None},
    ])
    assert [(r["start_date"], r["end_date"], r["start_edtf"], r["end_edtf"]) for r in rows] == [
        ("1652", None, "[1652,1654-11-12]", ".."),
        ("1658", None, "1658", ".."),
        (None, None, None, None),
    ]
    moment = dates.derive([{"id": "kyakhta", "start_date": "1727-11-01", "end_date": None}], open_end=False)
    assert moment[0]["end_edtf"] is None and moment[0]["end_date"] is None
    with pytest.raises(ValueError, match="kumarsk: start_date 1654-11-12 is not the bound 1652"):
        dates.derive([{"id": "kumarsk", "start_date": "1654-11-12", "start_edtf": "[1652,1654-11-12]"}])


def test_check_finds_each_kind_of_problem():
    good = {"start_edtf": "[1653-11,1654]", "end_edtf": "1658", "start_date": "1653-11", "end_date": "1658"}
    assert dates.check(good) == []
    assert dates.check({**good, "start_date": "1654"})[0].startswith("start_date/end_date")
    assert dates.check({**good, "start_edtf": "1653-13"}) == ["not an EDTF date: '1653-13'"]
    assert dates.check({**good, "end_edtf": "1650", "end_date": "1650"}) == ["ends (1650) before it starts ([1653-11,1654])"]
    assert dates.check({"start_date": "1658", "end_date": None, "start_edtf": None}) == [
        "has start_date but no start_edtf"]
    # a user's layer without EDTF columns: its ISO dates only have to be dates
    assert dates.check({"start_date": "1658", "end_date": None}) == []
    assert dates.check({"start_date": "1658-13", "end_date": None}) == ["not an EDTF date: '1658-13'"]
    treaty = {"start_edtf": "1689-09-07", "end_edtf": None, "start_date": "1689-09-07", "end_date": None}
    assert dates.check({**treaty, "date_os": "1689-08-28", "date_qing": "康熙二十八年七月二十四日"}) == []
    assert dates.check({**treaty, "date_os": "1689-08-27"}) == [
        "date_os 1689-08-27 O.S. is 1689-09-06 N.S., not 1689-09-07"]
    # facts.md rejects "七月十四" (jendow.com.tw): it is ten days off
    assert dates.check({**treaty, "date_qing": "康熙二十八年七月十四日"}) == [
        "date_qing 康熙二十八年七月十四日 is 1689-08-28, not 1689-09-07"]


# --- calendars, against the dates the sources give in two calendars ------------------------------

@pytest.mark.parametrize(
    ("julian", "gregorian", "what"),
    [
        ("1689-08-27", "1689-09-06", "Nerchinsk, Russian text (facts.md §1)"),
        ("1689-08-28", "1689-09-07", "Nerchinsk, Latin and Manchu texts (facts.md §1)"),
        ("1689-08-29", "1689-09-08", "Nerchinsk, the Latin copies signed (facts.md §1)"),
        ("1686-07-07", "1686-07-17", "the second siege of Albazin (facts.md §3)"),
        ("1727-10-21", "1727-11-01", "Treaty of Kyakhta (facts.md §3)"),
        ("1728-06-14", "1728-06-25", "Kyakhta ratified (facts.md §3)"),
        ("1858-05-16", "1858-05-28", "Treaty of Aigun (treaties-and-readings.md §1)"),
        ("1860-11-02", "1860-11-14", "Convention of Peking (facts.md §3)"),
        ("1582-10-05", "1582-10-15", "the Gregorian reform"),
        ("1918-01-31", "1918-02-13", "Soviet Russia's switch"),
    ],
)
def test_julian_conversions(julian, gregorian, what):
    assert calendars.julian_to_gregorian(julian) == gregorian, what
    assert calendars.gregorian_to_julian(gregorian) == julian, what


def test_julian_days_the_julian_calendar_lacks_are_refused():
    assert calendars.julian_to_gregorian("1700-02-29") == "1700-03-11"  # a Julian, not Gregorian, leap day
    for bad in ("1689-02-30", "1689-8-27", "", None):
        with pytest.raises(CalendarError):
            calendars.julian_to_gregorian(bad)


def test_the_1689_treaty_in_the_qing_calendar():
    """Kangxi 28, 7th moon, day 24 = 7 Sep 1689 N.S. = 28 Aug O.S. (facts.md §1)."""
    kangxi = QingDate("kangxi", 28, 7, 24)
    assert calendars.qing_to_gregorian(kangxi) == "1689-09-07"
    assert calendars.gregorian_to_qing("1689-09-07") == kangxi
    assert calendars.gregorian_to_julian(calendars.qing_to_gregorian(kangxi)) == "1689-08-28"
    assert calendars.qing_text(kangxi) == "康熙二十八年七月二十四日"
    assert calendars.parse_qing_text("康熙二十八年七月二十四日") == kangxi
    # the Russian text's 27 Aug O.S. is a day earlier in the Qing calendar too
    assert calendars.qing_text(calendars.gregorian_to_qing("1689-09-06")) == "康熙二十八年七月二十三日"


def test_qing_dates_of_the_later_treaties_are_library_output():
    """Not given by the reference facts: what sxtwl computes for the Gregorian dates the sources
    give (Aigun 28 May 1858, Peking 14 Nov 1860, Kyakhta 1 Nov 1727). The Aigun and Peking
    values are the dates usually printed on the Chinese texts (咸丰八年四月十六日, 咸丰十年十月初二日)."""
    assert calendars.qing_text(calendars.gregorian_to_qing("1858-05-28")) == "咸丰八年四月十六日"
    assert calendars.qing_text(calendars.gregorian_to_qing("1860-11-14")) == "咸丰十年十月初二日"
    assert calendars.qing_text(calendars.gregorian_to_qing("1727-11-01")) == "雍正五年九月十八日"


def test_reign_eras_leap_months_and_first_years():
    assert calendars.qing_text(calendars.gregorian_to_qing("1662-02-18")) == "康熙元年正月初一日"
    assert calendars.qing_text(calendars.gregorian_to_qing("1662-02-17")) == "顺治十八年十二月二十九日"
    assert calendars.gregorian_to_qing("1689-05-01") == QingDate("kangxi", 28, 3, 12, leap=True)
    assert calendars.parse_qing_text("康熙二十八年闰三月十二日") == QingDate("kangxi", 28, 3, 12, leap=True)
    firsts = [era["first_year"] for era in calendars.eras()]
    assert firsts == sorted(firsts) and firsts[0] == 1644
    for day in ("1643-06-01", "1912-06-01"):
        with pytest.raises(CalendarError):
            calendars.gregorian_to_qing(day)


def test_qing_days_the_calendar_lacks_are_refused():
    with pytest.raises(CalendarError):
        calendars.qing_to_gregorian(QingDate("kangxi", 28, 7, 30))  # the 7th moon of 1689 had 29 days
    with pytest.raises(CalendarError):
        calendars.qing_to_gregorian(QingDate("kangxi", 62, 1, 1))  # Yongzheng 1 by then
    with pytest.raises(CalendarError):
        calendars.parse_qing_text("1689年9月7日")


@pytest.mark.parametrize("n", range(1, 31))
def test_qing_text_round_trips(n):
    qing = QingDate("kangxi", n, (n - 1) % 12 + 1, n if n <= 29 else 29)
    assert calendars.parse_qing_text(calendars.qing_text(qing)) == qing


# --- the layers ----------------------------------------------------------------------------------

def test_every_dated_feature_has_edtf_dates_that_agree_with_its_iso_dates():
    for layer_id in nm.list_layers():
        gdf = nm.load_layer(layer_id)
        for _, row in gdf.iterrows():
            props = row.drop(labels=[gdf.geometry.name]).to_dict()
            assert dates.check(props) == [], (layer_id, row.get("id"))
            if isinstance(props.get("start_date"), str):
                assert isinstance(props["start_edtf"], str), (layer_id, row.get("id"))


@pytest.mark.parametrize(
    ("layer", "feature", "start", "end"),
    [
        # facts.md §3: first ostrog Nov 1653 (encycl.chita.ru), 1654 (enwiki)
        ("places", "nerchinsk_1653", "[1653-11,1654]", "1658"),
        ("events", "nerchinsk_1653", "[1653-11,1654]", None),
        # built from 2 Nov 1654 O.S. = 12 Nov N.S.; founding year 1652 vs 1654; left 1655 or 1657
        ("places", "kumarsk", "[1652,1654-11-12]", "[1655,1657]"),
        ("events", "kumarsk_abandoned", "[1655,1657]", None),
        # facts.md §3: Selenginsk 1665 (chita) vs 1655 (enwiki); Udskoy 1679, or 1659 (Kerner)
        ("places", "selenginsk", "[1655,1665]", "1840"),  # moved to the left bank in 1840 (Novoselenginsk)
        ("places", "udskoy", "[1659,1679]", ".."),
        # facts.md §3: the date of the Qing withdrawal in 1687 is uncertain
        ("events", "albazin_siege_1686", "1686-07-17", "1687?"),
        # facts.md §1: Golovin promised to move Argunsk by spring 1690; the move itself is undated
        ("places", "argunsk", "1690?", ".."),
        ("events", "treaty_kyakhta", "1727-11-01", None),
        ("places", "nerchinsk", "1658", "1812"),  # the fort by the Nercha mouth; the town moved in 1812
    ],
)
def test_disputed_dates_express_their_dispute(layer, feature, start, end):
    row = nm.load_layer(layer).set_index("id").loc[feature]
    end_edtf = row["end_edtf"] if isinstance(row["end_edtf"], str) else None  # null reads as NaN
    assert (row["start_edtf"], end_edtf) == (start, end)


def test_original_calendar_dates_in_the_events_layer():
    events = nm.load_layer("events").set_index("id")
    treaty = events.loc["treaty_nerchinsk"]
    assert (treaty["date_os"], treaty["date_qing"]) == ("1689-08-28", "康熙二十八年七月二十四日")
    assert events.loc["treaty_kyakhta", "date_os"] == "1727-10-21"
    assert events.loc["treaty_aigun", "date_os"] == "1858-05-16"
    assert events.loc["convention_peking", "date_os"] == "1860-11-02"
    assert events.loc["albazin_siege_1686", "date_os"] == "1686-07-07"
    # converted by sxtwl (no Qing date in the reference facts), never mixed with the sources' own
    assert events.loc["treaty_aigun", "date_qing_converted"] == "咸丰八年四月十六日"
    assert events.loc["convention_peking", "date_qing_converted"] == "咸丰十年十月初二日"
    assert events["date_qing"].notna().sum() == 1


# --- exports -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported_dates(tmp_path_factory):
    root = tmp_path_factory.mktemp("export-dates")
    for fmt in nm.FORMATS:
        if fmt == "shp":
            with pytest.warns(UserWarning, match="254 bytes"):  # the DBF text limit (descriptions)
                nm.export(["places", "events"], fmt, root / fmt)
        else:
            nm.export(["places", "events"], fmt, root / fmt)
    return root


KML = {"k": "http://www.opengis.net/kml/2.2"}


def _kml_rows(path):
    from xml.etree import ElementTree

    rows = {}
    for placemark in ElementTree.parse(path).getroot().iterfind(".//k:Placemark", KML):
        data = {d.get("name"): d.text for d in placemark.iterfind(".//k:SimpleData", KML)}
        rows[data["feature_id"]] = {("id" if k == "feature_id" else k): v for k, v in data.items()}  # KML's reserved id
    return rows


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp", "kml", "fgb"])
def test_exports_keep_the_edtf_strings(exported_dates, fmt):
    import fiona

    from nerchinsk_map.exports import exporter

    spec = nm.FORMATS[fmt]
    for layer_id, feature, expected in [
        ("places", "kumarsk", {"start_edtf": "[1652,1654-11-12]", "end_edtf": "[1655,1657]"}),
        ("events", "treaty_nerchinsk", {"start_edtf": "1689-09-07", "date_os": "1689-08-28",
                                        "date_qing": "康熙二十八年七月二十四日"}),
        ("events", "albazin_siege_1686", {"end_edtf": "1687?", "end_date": "1687"}),
    ]:
        path = exported_dates / fmt / exporter.output_name(spec, layer_id)
        if fmt == "kml":  # GDAL's KML reader skips <ExtendedData>: read the XML itself
            rows = _kml_rows(path)
        else:
            with fiona.open(path, layer=layer_id if spec.single_file else None) as src:
                rows = {f.properties["id"]: dict(f.properties) for f in src}
        # "start_edtf" has 10 characters: the shapefile keeps the name whole (not so start_date:edtf)
        assert {key: rows[feature][key] for key in expected} == expected, (fmt, layer_id)


def test_kml_placemarks_carry_time_spans_from_the_bounds(exported_dates):
    from xml.etree import ElementTree

    ns = {"k": "http://www.opengis.net/kml/2.2"}

    def times(layer_id):
        root = ElementTree.parse(exported_dates / "kml" / f"{layer_id}.kml").getroot()
        out = {}
        for placemark in root.iterfind(".//k:Placemark", ns):
            key = placemark.find(".//k:SimpleData[@name='feature_id']", ns).text  # the layer's id field
            span = placemark.find("k:TimeSpan", ns)
            stamp = placemark.find("k:TimeStamp", ns)
            if span is not None:
                out[key] = ("span", span.findtext("k:begin", None, ns), span.findtext("k:end", None, ns))
            elif stamp is not None:
                out[key] = ("stamp", stamp.findtext("k:when", None, ns))
        return out

    places, events = times("places"), times("events")
    assert places["kumarsk"] == ("span", "1652", "1657")  # the latest end the sources allow
    assert places["nerchinsk_1653"] == ("span", "1653-11", "1658")
    assert places["albazin"] == ("span", "1665", "1685-06-26")  # surrendered and razed
    assert places["albazin_1685"] == ("span", "1685-08", "1689")  # rebuilt, abandoned under the treaty
    assert places["aigun"] == ("span", "1684", None)  # [1684,1685]: the earliest bound, open
    assert events["kumarsk_abandoned"] == ("span", "1655", "1657")  # a moment in dispute
    assert events["treaty_kyakhta"] == ("stamp", "1727-11-01")
    assert events["albazin_siege_1686"] == ("span", "1686-07-17", "1687")


def test_metadata_explains_the_date_fields(exported_dates):
    import json

    metadata = json.loads((exported_dates / "gpkg" / "METADATA.json").read_text(encoding="utf-8"))
    fields = metadata["date_fields"]
    assert {"start_edtf", "end_edtf", "start_date", "end_date", "date_os", "date_qing"} <= set(fields)
    assert "EDTF" in fields["start_edtf"] and "'..'" in fields["end_edtf"]
    for field in fields:  # every field it explains is a property of the layers (or the KML note)
        assert field == "KML" or field in nm.load_layer("events").columns, field
