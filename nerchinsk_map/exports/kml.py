"""What KML needs beyond GDAL's KML driver: field names that both GDAL KML drivers read back
(sanitised, no names they reserve), text that is valid XML whatever the data holds, and a
``TimeSpan`` or ``TimeStamp`` per placemark from its ``start_date``/``end_date`` so that Google
Earth's time slider works."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

KML_NS = "http://www.opengis.net/kml/2.2"
# Fields the LIBKML driver fills itself when reading (``id`` is the placemark's id attribute and
# moves a property called ``id`` to ``id2``); ``name`` and ``description`` become <name> and
# <description> (the KML driver's NameField and DescriptionField) and are not in this list.
RESERVED = frozenset({
    "id", "fid", "timestamp", "begin", "end", "altitudemode", "tessellate", "extrude",
    "visibility", "draworder", "icon", "snippet", "styleurl", "ogr_style",
})
PASSED_THROUGH = ("name", "description")
RESERVED_PREFIX = "feature_"
# Characters XML 1.0 does not allow, even escaped (NUL, most C0 controls, lone surrogates...).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (each becomes U+FFFD)."""
    return NOT_XML.sub("\ufffd", text)


def field_names(names: Sequence[str]) -> dict[str, str]:
    """Map each property name to a KML field name: letters, digits and ``_``, not starting with
    a digit, unique ignoring case, and none that a KML reader reserves (``id`` becomes
    ``feature_id``). ``name`` and ``description`` stay: they become <name> and <description>."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in PASSED_THROUGH:
            candidate = name
        else:
            candidate = re.sub(r"[^A-Za-z0-9_]", "_", xml_text(name)) or "field"
            if candidate[0].isdigit():
                candidate = "_" + candidate
            if candidate.lower() in RESERVED or candidate.lower() in PASSED_THROUGH:
                candidate = RESERVED_PREFIX + candidate
        base, n = candidate, 0
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate.lower())
        result[name] = candidate
    return result


def _date(value: object) -> str | None:
    """``value`` if it is a valid xsd:gYear, gYearMonth, date or dateTime (a real month, day and
    time), else None.

    Examples
    --------
    >>> _date("1689-09-07"), _date("1689-13-45"), _date("1700-02-29"), _date("1600-02-29")
    ('1689-09-07', None, None, '1600-02-29')
    """
    if not isinstance(value, str) or not DATE.match(value.strip()):
        return None
    text = value.strip()
    body = text[1:] if text.startswith("-") else text
    parts = body.split("T")[0].split("-")
    year = int(parts[0])
    if len(parts) >= 2 and not 1 <= int(parts[1]) <= 12:
        return None
    if len(parts) == 3:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)  # proleptic Gregorian (xsd)
        days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][int(parts[1]) - 1]
        if not 1 <= int(parts[2]) <= days:
            return None
    if "T" in body:
        clock = re.match(r"(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?", body.split("T")[1])
        if not clock or int(clock.group(1)) > 23 or int(clock.group(2)) > 59 or int(clock.group(4) or 0) > 59:
            return None
    return text


def unread_dates(rows: Sequence[dict]) -> list[str]:
    """The ``start_date``/``end_date`` values that are given but not valid dates."""
    return [str(row[key]) for row in rows for key in ("start_date", "end_date")
            if isinstance(row.get(key), str) and row[key].strip() and _date(row[key]) is None]


def time_element(start: object, end: object, instant: bool) -> tuple[str, dict[str, str]] | None:
    """The KML time primitive for a feature: ``("TimeSpan", {"begin":..., "end":...})`` with
    open ends left out, ``("TimeStamp", {"when": ...})`` for an instant (an event with one date),
    or ``None`` for an undated feature. Dates are ISO 8601 (a year, year-month or full date)."""
    begin, finish = _date(start), _date(end)
    if begin is None and finish is None:
        return None
    if instant and finish is None or (begin is not None and begin == finish):
        assert begin is not None  # not both None (above)
        return "TimeStamp", {"when": begin}
    return "TimeSpan", {k: v for k, v in (("begin", begin), ("end", finish)) if v is not None}


def feature_time(props: dict, instant: bool) -> tuple[str, dict[str, str]] | None:
    """:func:`time_element` of a feature's ISO ``start_date``/``end_date``; an instant whose date
    the sources dispute (an EDTF ``start_edtf`` such as ``[1652,1654-11-02]``) spans the dates
    it may have fallen on instead of standing at the earliest."""
    start, end = props.get("start_date"), props.get("end_date")
    if instant and _date(end) is None and isinstance(props.get("start_edtf"), str):
        from ..chronology import dates  # lazy: the EDTF grammar only for an instant in dispute

        try:
            low, high = dates.bounds(props["start_edtf"])
        except dates.DateError:  # a user's layer with other dates: the ISO ones
            low = high = None
        if low and high and low != high:
            return "TimeSpan", {"begin": low, "end": high}
    return time_element(start, end, instant)


def add_times(path: Path, times: Sequence[tuple[str, dict[str, str]] | None]) -> None:
    """Insert each placemark's time primitive (in feature order) into the KML file at ``path``,
    where the KML 2.2 schema puts it: after <name>, <Snippet> and <description>."""
    from lxml import etree

    tree = etree.parse(str(path), etree.XMLParser(remove_blank_text=False))
    placemarks = tree.getroot().findall(f".//{{{KML_NS}}}Placemark")
    if len(placemarks) != len(times):
        raise ValueError(f"{path.name}: {len(placemarks)} placemarks for {len(times)} features")
    before = {f"{{{KML_NS}}}{tag}" for tag in ("name", "visibility", "open", "address",
                                               "phoneNumber", "Snippet", "description")}
    for placemark, time in zip(placemarks, times, strict=True):
        if time is None:
            continue
        kind, values = time
        element = etree.Element(f"{{{KML_NS}}}{kind}")
        for tag, value in values.items():
            etree.SubElement(element, f"{{{KML_NS}}}{tag}").text = value
        position = sum(1 for child in placemark if child.tag in before)
        element.tail = placemark[position - 1].tail if position else "\n\t"
        placemark.insert(position, element)
    tree.write(str(path), xml_declaration=True, encoding="utf-8")
