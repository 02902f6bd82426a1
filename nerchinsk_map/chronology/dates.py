"""Dates as historians write them: uncertain start and end dates in EDTF.

EDTF is the Library of Congress Extended Date/Time Format, ISO 8601-2, read with the ``edtf``
library.

Every dated feature carries ``start_edtf`` and ``end_edtf``:

- a day, month or year: ``1689-09-07``, ``1653-11``, ``1658`` (plain ISO 8601 is EDTF);
- one of several dates, when the sources disagree: ``[1652,1654-11-12]`` ("1652 or 1654");
- a date in doubt ``1687?``, approximate ``1650~``, or both ``1650%``;
- on or before / on or after: ``[..1689]``, ``[1689..]``;
- ``end_edtf`` ``..``: no end, the feature is drawn to the present (the EDTF open end);
  ``end_edtf`` empty (null): a moment, the event's date is its start.

``start_date`` / ``end_date`` stay the ISO 8601 bounds, derived from these: the earliest date
the start allows and the latest the end allows (:func:`derive`), so filters, exports and other
software that know only ISO dates keep working.

>>> status({"start_edtf": "[1652,1654-11-12]", "end_edtf": ".."}, 1653)
'perhaps'
>>> format_value("[1652,1654-11-12]", "en")
'1652 or 12 November 1654'
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel.dates import format_date
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import (
    UA,
    Consecutives,
    Date,
    EarlierConsecutives,
    EDTFObject,
    Interval,
    LaterConsecutives,
    Level1Interval,
    Level2Interval,
    OneOfASet,
    UncertainOrApproximate,
    UnspecifiedIntervalSection,
)

from . import calendars

OPEN = ".."  # end_edtf of a feature with no end: EDTF's open end of an interval
LANGS = ("en", "ru", "zh")
WORDS_FILE = Path(__file__).resolve().parent / "calendar_data" / "date_words.json"
Status = Literal["yes", "no", "perhaps"]


class DateError(ValueError):
    """A value that is not an EDTF date this module reads (one line, for ``validate``).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.parse("1687-13")
    Traceback (most recent call last):
    ...
    nerchinsk_map...DateError: not an EDTF date: '1687-13'
    """


PLAIN_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
QUALIFIED_DATE = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)([?~%])")
DATE_SET = re.compile(r"\[(\d{4}(?:-\d{2}(?:-\d{2})?)?(?:,\d{4}(?:-\d{2}(?:-\d{2})?)?)+)\]")


def _plain_date(value: str) -> Date | None:
    """A plain ISO date as the ``Date`` the ``edtf`` parser gives for it, without its grammar.

    ``1689``, ``1689-09``, ``1689-09-07``: the grammar takes tens of milliseconds a value, the
    map build's largest cost. None for anything else, or an impossible month or day (left to
    the parser, which refuses them).
    """
    m = PLAIN_DATE.fullmatch(value)
    if not m:
        return None
    year, month, day = m.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return Date(year=year, month=month, day=day)


def _simple_value(value: str) -> EDTFObject | None:
    """The value the ``edtf`` parser gives for the simple forms the shipped data use.

    Without its grammar: a plain date (:func:`_plain_date`), one in doubt (``1690?``,
    ``1685-08~``, ``1690%``) or one of a set of plain dates (``[1653-11,1654]``, no spaces).
    None for anything else, or an impossible date (left to the parser).
    """
    plain = _plain_date(value)
    if plain is not None:
        return plain
    m = QUALIFIED_DATE.fullmatch(value)
    if m:
        inner = _plain_date(m.group(1))
        return None if inner is None else UncertainOrApproximate(inner, UA(m.group(2)))
    m = DATE_SET.fullmatch(value)
    if m:
        members = [_plain_date(part) for part in m.group(1).split(",")]
        return None if None in members else OneOfASet(*members)
    return None


@cache
def parse(value: str) -> EDTFObject:
    """An EDTF value parsed by the ``edtf`` library.

    Parameters
    ----------
    value : str
        An EDTF (ISO 8601-2) value: ``1689-09-07``, ``1687?``, ``[1652,1654]``, ``1658/..``.

    Returns
    -------
    edtf.parser.parser_classes.EDTFObject
        The parsed value.

    Raises
    ------
    DateError
        ``value`` is not EDTF.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.parse("1687?")
    UncertainOrApproximate: '1687?'
    """
    if not isinstance(value, str) or not value.strip():
        raise DateError(f"not an EDTF date: {value!r}")
    simple = _simple_value(value)
    if simple is not None:
        return simple
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the parser prints while it fails
            return parse_edtf(value)
    except (EDTFParseException, AttributeError, TypeError, ValueError):
        raise DateError(f"not an EDTF date: {value!r}") from None


def _ends(obj: Any) -> tuple[Date | None, Date | None]:
    """The earliest and latest plain dates a parsed value allows (None: open)."""
    if isinstance(obj, Date):
        return obj, obj
    if isinstance(obj, UncertainOrApproximate):
        return _ends(obj.date)
    if isinstance(obj, UnspecifiedIntervalSection):
        return None, None
    if isinstance(obj, OneOfASet):
        pairs = [_ends(o) for o in obj.objects]
        lows, highs = [p[0] for p in pairs], [p[1] for p in pairs]
        low = None if None in lows else min((d for d in lows if d), key=lambda d: d.lower_strict())
        high = None if None in highs else max((d for d in highs if d), key=lambda d: d.upper_strict())
        return low, high
    if isinstance(obj, (Consecutives, EarlierConsecutives, LaterConsecutives, Interval, Level1Interval,
                        Level2Interval)):
        return _ends(obj.lower)[0], _ends(obj.upper)[1]
    raise DateError(f"{obj}: this kind of EDTF value is not used for a start or an end")


def _qualifier(obj: UncertainOrApproximate) -> str | None:
    """The words-table key of a qualified date: uncertain (?), approximate (~) or both (%)."""
    if not obj.ua:
        return None
    if obj.is_uncertain_and_approximate:
        return "uncertain_approximate"
    return "uncertain" if obj.is_uncertain else "approximate"


def _kind(obj: Any) -> Literal["certain", "qualified", "choice"]:
    """certain: one date; qualified: one date in doubt (?, ~, %); choice: one of several."""
    if isinstance(obj, UncertainOrApproximate):
        return "qualified" if obj.ua else "certain"
    return "certain" if isinstance(obj, Date) else "choice"


def bounds(value: str) -> tuple[str | None, str | None]:
    """The earliest and latest ISO 8601 dates an EDTF value allows, at the precision written.

    Parameters
    ----------
    value : str
        An EDTF value.

    Returns
    -------
    tuple of (str or None, str or None)
        The earliest and the latest date; None for an open side (``..``).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.bounds("[1653-11,1654]")
    ('1653-11', '1654')
    >>> nm.dates.bounds("1658/..")
    ('1658', None)
    """
    if value == OPEN:
        return None, None
    low, high = _ends(parse(value))
    return (str(low) if low else None), (str(high) if high else None)


def _year(t: Any) -> int | None:
    return None if isinstance(t, float) and math.isinf(t) else t.tm_year


@dataclass(frozen=True)
class Span:
    """The years a feature may and must have existed in (None: unbounded on that side).

    Parameters
    ----------
    possible_from : int or None
        The first year it may have existed in.
    certain_from : int or None
        The first year it certainly existed in.
    certain_to : int or None
        The last year it certainly existed in.
    possible_to : int or None
        The last year it may have existed in.

    See Also
    --------
    span : the span of a feature's dates.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.span({"start_edtf": "[1655,1665]", "end_edtf": "1840"})
    Span(possible_from=1655, certain_from=1665, certain_to=1840, possible_to=1840)
    """

    possible_from: int | None
    certain_from: int | None
    certain_to: int | None
    possible_to: int | None

    def status(self, year: int) -> Status:
        """yes, no or perhaps, for any time in ``year``."""
        def within(lo: int | None, hi: int | None) -> bool:
            return (lo is None or lo <= year) and (hi is None or year <= hi)

        if not within(self.possible_from, self.possible_to):
            return "no"
        return "yes" if within(self.certain_from, self.certain_to) else "perhaps"

    def as_list(self) -> list[int | None]:
        """The four years as a list, for the page's ``date_span``."""
        return [self.possible_from, self.certain_from, self.certain_to, self.possible_to]


def _value(props: Mapping[str, Any], edtf_key: str, iso_key: str) -> str | None:
    value = props.get(edtf_key)
    if not _blank(value):
        return value
    iso = props.get(iso_key)
    return None if _blank(iso) else str(iso)  # an ISO 8601 date is also an EDTF date


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def start_end(props: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The feature's start and end as EDTF values.

    ``start_edtf``/``end_edtf``, else the ISO dates. Features without ``end_edtf`` keep the
    layers' older rule: no ``end_date`` means still there.

    Parameters
    ----------
    props : mapping
        The feature's properties (a dict, a GeoJSON feature's properties or a GeoDataFrame
        row).

    Returns
    -------
    tuple of (str or None, str or None)
        The start, and the end: ``..`` (open) or None (a moment: the start is also the end).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.start_end({"start_edtf": "[1652,1654-11-12]", "end_edtf": ".."})
    ('[1652,1654-11-12]', '..')
    >>> nm.dates.start_end({"start_date": "1689-09-07"})
    ('1689-09-07', '..')
    """
    start = _value(props, "start_edtf", "start_date")
    if "end_edtf" in props:
        end = None if _blank(props["end_edtf"]) else props["end_edtf"]
    else:
        end = None if _blank(props.get("end_date")) else str(props["end_date"])
        end = OPEN if end is None and start is not None else end
    return start, end


def span(props: Mapping[str, Any]) -> Span:
    """The years a feature may and must have existed in, as a :class:`Span`.

    A start that is one of several dates is certain from the last of them on; a start in doubt
    (``?``, ``~``) is uncertain in its own years; the same, mirrored, for the end. A moment ends
    with its start; an open end and a missing start leave that side unbounded.

    Parameters
    ----------
    props : mapping
        The feature's properties (see :func:`start_end`).

    Returns
    -------
    Span
        The possible and certain years.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.span({"start_edtf": "[1652,1654-11-12]", "end_edtf": ".."})
    Span(possible_from=1652, certain_from=1654, certain_to=None, possible_to=None)
    """
    start, end = start_end(props)
    if start is None and end is None:
        return Span(None, None, None, None)
    pf = cf = None
    if start is not None:
        obj = parse(start)
        pf, hi = _year(obj.lower_strict()), _year(obj.upper_strict())
        cf = {"certain": pf, "choice": hi, "qualified": None if hi is None else hi + 1}[_kind(obj)]
    end = start if end is None else end
    ct = pt = None
    if end != OPEN:
        obj = parse(end)
        lo, pt = _year(obj.lower_strict()), _year(obj.upper_strict())
        ct = {"certain": pt, "choice": lo, "qualified": None if lo is None else lo - 1}[_kind(obj)]
    return Span(pf, cf, ct, pt)


def status(feature: Mapping[str, Any], year: int) -> Status:
    """Whether a feature was there at some time in a year: ``"yes"``, ``"no"`` or ``"perhaps"``.

    Parameters
    ----------
    feature : mapping
        A GeoJSON feature, its properties, or a GeoDataFrame row.
    year : int
        The year.

    Returns
    -------
    {"yes", "no", "perhaps"}
        ``"perhaps"`` in a year the sources disagree on.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> selenginsk = {"start_edtf": "[1655,1665]", "end_edtf": "1840"}
    >>> [nm.dates.status(selenginsk, year) for year in (1650, 1660, 1700)]
    ['no', 'perhaps', 'yes']
    """
    props = feature.get("properties", feature) if isinstance(feature, Mapping) else feature
    return span(props).status(year)


def iso_dates(start_edtf: str | None, end_edtf: str | None) -> tuple[str | None, str | None]:
    """The ISO ``start_date``/``end_date`` of an EDTF start and end.

    Parameters
    ----------
    start_edtf, end_edtf : str or None
        The EDTF start and end.

    Returns
    -------
    tuple of (str or None, str or None)
        The earliest start and the latest end (None for an open side, a moment's end or no
        date).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.iso_dates("[1655,1665]", "1840")
    ('1655', '1840')
    >>> nm.dates.iso_dates("[1652,1654-11-12]", "..")
    ('1652', None)
    """
    start = bounds(start_edtf)[0] if start_edtf else None
    end = bounds(end_edtf)[1] if end_edtf else None
    return start, end


# --- writing dates -------------------------------------------------------------------------------

@cache
def _words(lang: str) -> dict[str, Any]:
    table = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    if lang not in table:
        raise DateError(f"no date words for language {lang!r} (have {', '.join(LANGS)})")
    return table[lang]


def _plain(d: Date, lang: str, after_preposition: bool = False) -> str:
    words = _words(lang)
    precision = d.precision if d.precision in ("year", "month", "day") else "year"
    pattern = (words["after_preposition"].get(precision) if after_preposition else None) \
        or words["patterns"][precision]
    try:
        day = date(int(d.year), int(d.month or 1), int(d.day or 1))
    except ValueError:  # a Julian leap day the Gregorian calendar lacks (1700-02-29 O.S.)
        raise DateError(f"{d}: no Gregorian day to write it with") from None
    return _format_date(day, pattern, words["locale"])


@cache
def _format_date(day: date, pattern: str, locale: str) -> str:
    """Babel's ``format_date``, once per day, pattern and locale (a layer's features share dates)."""
    return format_date(day, pattern, locale=locale)


def _write(obj: Any, lang: str, after_preposition: bool = False) -> str:
    words = _words(lang)
    if isinstance(obj, Date):
        return _plain(obj, lang, after_preposition)
    if isinstance(obj, UncertainOrApproximate):
        key = _qualifier(obj)
        inner = _write(obj.date, lang, after_preposition or key in ("approximate", "uncertain_approximate"))
        return words[key].format(date=inner) if key else inner
    if isinstance(obj, EarlierConsecutives):
        return words["before"].format(date=_write(obj.upper, lang, True))
    if isinstance(obj, LaterConsecutives):
        return words["after"].format(date=_write(obj.lower, lang, True))
    if isinstance(obj, Consecutives):
        return words["between"].format(a=_write(obj.lower, lang), b=_write(obj.upper, lang))
    if isinstance(obj, OneOfASet):
        parts = [_write(o, lang, after_preposition) for o in obj.objects]
        text = parts[0]
        for part in parts[1:]:
            text = words["or"].format(a=text, b=part)
        return text
    if isinstance(obj, (Interval, Level1Interval, Level2Interval)):
        return words["range"].format(start=_write(obj.lower, lang), end=_write(obj.upper, lang))
    raise DateError(f"{obj}: no way to write this kind of EDTF value")


def format_value(value: str, lang: str = "en") -> str:
    """One EDTF value as a historian writes it, in English, Russian or Chinese.

    Parameters
    ----------
    value : str
        An EDTF value.
    lang : {"en", "ru", "zh"}
        The language.

    Returns
    -------
    str
        The date in words.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.format_value("1653-11~")
    'c. November 1653'
    >>> nm.dates.format_value("[1652,1654]"), nm.dates.format_value("[..1689]")
    ('1652 or 1654', 'before 1689')
    >>> nm.dates.format_value("1687?", "ru"), nm.dates.format_value("1689-09-07", "zh")
    ('1687 г. (?)', '1689年9月7日')
    """
    return _write(parse(value), lang)


def _calendar_notes(props: Mapping[str, Any], lang: str, text: str) -> str:
    """The Old Style date (en, ru) and the reign-year date (zh) beside the Gregorian start."""
    words = _words(lang)
    os_day = props.get("date_os")
    if lang in ("en", "ru") and not _blank(os_day):
        julian_day = Date(*str(os_day).split("-"))
        text = words["old_style"].format(date=text, os=_plain(julian_day, lang))
    if lang == "zh":
        if not _blank(props.get("date_qing")):
            text = words["qing"].format(date=text, qing=props["date_qing"])
        elif not _blank(props.get("date_qing_converted")):
            converted = words["converted"].format(qing=props["date_qing_converted"])
            text = words["qing"].format(date=text, qing=converted)
    return text


def label(props: Mapping[str, Any], lang: str = "en") -> str | None:
    """The feature's dates as a popup writes them in a language; None when undated.

    The Old Style date (en, ru) or the reign-year date (zh) is added where the sources give the
    start in those calendars.

    Parameters
    ----------
    props : mapping
        The feature's properties.
    lang : {"en", "ru", "zh"}
        The language.

    Returns
    -------
    str or None
        For example "1652 or 12 November 1654 – 1655 or 1657", "17 July 1686 – 1687 (?)", "from 1658".

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.label({"start_edtf": "1658", "end_edtf": ".."})
    'from 1658'
    >>> places = nm.load_layer("places").set_index("id")
    >>> nm.dates.label(places.loc["kumarsk"], "en")
    '1652 or 12 November 1654 – 1655 or 1657'
    >>> nm.dates.label({}) is None
    True
    """
    start, end = start_end(props)
    words = _words(lang)
    if start is None:
        return None if end in (None, OPEN) else words["until"].format(date=_write(parse(end), lang, True))
    if end is None:
        return _calendar_notes(props, lang, _write(parse(start), lang))
    if end == OPEN:
        parsed = parse(start)
        template = words["open"] if _kind(parsed) == "choice" else words["from"]
        return template.format(date=_calendar_notes(props, lang, _write(parsed, lang, True)))
    start_text = _calendar_notes(props, lang, _write(parse(start), lang))
    return words["range"].format(start=start_text, end=_write(parse(end), lang))


def display_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """What the page needs to draw a feature's dates: ``dates_label`` and ``date_span``.

    ``date_span`` is [possible from, certain from, certain to, possible to] (null: open), for
    ``NerchinskMap.dates`` in the page's script.

    Parameters
    ----------
    props : mapping
        The feature's properties.

    Returns
    -------
    dict
        ``dates_label`` ({en, ru, zh}) and ``date_span``; empty for an undated feature, or one
        whose dates are not EDTF (a user's layer: the page then reads its ISO dates).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> shown = nm.dates.display_properties({"start_edtf": "1658", "end_edtf": ".."})
    >>> shown["dates_label"]["ru"], shown["date_span"]
    ('с 1658 г.', [1658, 1658, None, None])
    """
    try:
        s = span(props)
        labels = {lang: label(props, lang) for lang in LANGS}
    except (DateError, calendars.CalendarError):
        return {}
    if labels["en"] is None:
        return {}
    return {"dates_label": labels, "date_span": s.as_list()}


# --- the pipeline and validate -------------------------------------------------------------------

def _given(row: Mapping[str, Any]):
    """A lookup of the row's non-blank values (None for null, NaN or "")."""
    return lambda key: None if _blank(row.get(key)) else row[key]


def derive(rows: list[dict[str, Any]], open_end: bool = True) -> list[dict[str, Any]]:
    """Give each dated row ``start_edtf``/``end_edtf`` and set its ISO dates from them.

    A row without ``start_edtf`` takes its ISO ``start_date`` (a plain ISO date is EDTF).
    ``start_date``/``end_date`` are then the bounds of the EDTF values; an ISO date the input
    still gives must agree with them.

    Parameters
    ----------
    rows : list of dict
        The features' properties (changed in place and returned).
    open_end : bool
        A missing end becomes ``..`` (True: forts, borders) or stays empty (False: events,
        which are moments).

    Returns
    -------
    list of dict
        The same rows.

    Raises
    ------
    ValueError
        An ISO date that disagrees with the EDTF value.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.derive([{"start_edtf": "[1655,1665]", "end_edtf": "1840"}])
    [{'start_edtf': '[1655,1665]', 'end_edtf': '1840', 'start_date': '1655', 'end_date': '1840'}]
    """
    out = []
    for row in rows:
        row = dict(row)
        given = _given(row)
        start = given("start_edtf") or given("start_date")
        end = given("end_edtf") or given("end_date") or (OPEN if open_end and start else None)
        start_iso, end_iso = iso_dates(start, end)
        for key, derived in (("start_date", start_iso), ("end_date", end_iso)):
            if given(key) is not None and given(key) != derived:
                raise ValueError(
                    f"{row.get('id')}: {key} {given(key)} is not the bound {derived} of its EDTF "
                    f"dates ({start} / {end})"
                )
            row[key] = derived
        row["start_edtf"], row["end_edtf"] = start, end
        out.append(row)
    return out


def check(props: Mapping[str, Any]) -> list[str]:
    """Problems with a feature's dates, one line each (an empty list when all is well).

    Checks that an EDTF value parses, that the ISO dates are its bounds, that the end is not
    before the start, and that an Old Style or reign-year date converts to the start. A feature
    without the ``start_edtf`` property at all (a user's layer) only needs ISO dates that are
    dates.

    Parameters
    ----------
    props : mapping
        The feature's properties.

    Returns
    -------
    list of str
        The problems.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.dates.check({"start_edtf": "1689", "start_date": "1689", "end_edtf": "..", "end_date": None})
    []
    >>> nm.dates.check({"start_edtf": "1689", "start_date": "1690"})
    ["start_date/end_date ('1690', None) are not the EDTF bounds ('1689', None)"]
    """
    problems: list[str] = []
    if "start_edtf" not in props:  # a layer without EDTF (a user's): its ISO dates must be dates
        try:
            span(props)
        except DateError as exc:
            return [str(exc)]
        return problems
    start, end = props.get("start_edtf"), props.get("end_edtf")
    if _blank(start) and not _blank(props.get("start_date")):
        return ["has start_date but no start_edtf"]
    if _blank(start):
        return problems
    try:
        expected = iso_dates(start, None if _blank(end) else end)
    except DateError as exc:
        return [str(exc)]
    given = (None if _blank(props.get("start_date")) else props.get("start_date"),
             None if _blank(props.get("end_date")) else props.get("end_date"))
    if given != expected:
        problems.append(f"start_date/end_date {given} are not the EDTF bounds {expected}")
    s = span(props)
    if s.possible_from is not None and s.possible_to is not None and s.possible_to < s.possible_from:
        problems.append(f"ends ({end}) before it starts ({start})")
    if not _blank(props.get("date_os")) or not _blank(props.get("date_qing")):
        problems.extend(_check_calendars(props, str(start)))
    return problems


def _check_calendars(props: Mapping[str, Any], start: str) -> list[str]:
    problems = []
    try:
        if not _blank(props.get("date_os")):
            converted = calendars.julian_to_gregorian(props["date_os"])
            if converted != start:
                problems.append(f"date_os {props['date_os']} O.S. is {converted} N.S., not {start}")
        if not _blank(props.get("date_qing")):
            converted = calendars.qing_to_gregorian(calendars.parse_qing_text(props["date_qing"]))
            if converted != start:
                problems.append(f"date_qing {props['date_qing']} is {converted}, not {start}")
    except calendars.CalendarError as exc:
        problems.append(str(exc))
    return problems

__all__ = [
    "DateError", "Span", "bounds", "check", "derive", "display_properties", "format_value",
    "iso_dates", "label", "parse", "span", "start_end", "status",
]
