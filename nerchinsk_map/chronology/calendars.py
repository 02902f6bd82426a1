"""The three calendars of the sources: Gregorian, Julian and the Qing reign years.

Gregorian (N.S.), Julian (Russian texts, Old Style) and the Qing lunisolar calendar counted in
reign years (Manchu and Chinese texts).

Conversions are done by libraries, never by tables typed here: ``convertdate`` for the Julian
calendar, ``sxtwl`` (a port of 寿星万年历) for the Chinese lunisolar calendar. The only table is
the list of Qing reign eras (``calendar_data/qing_eras.json``, with its source).

Examples
--------
>>> julian_to_gregorian("1689-08-27")
'1689-09-06'
>>> qing_text(gregorian_to_qing("1689-09-07"))
'康熙二十八年七月二十四日'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import sxtwl
from convertdate import julian

ERAS_FILE = Path(__file__).resolve().parent / "calendar_data" / "qing_eras.json"
DIGITS = "〇一二三四五六七八九"
QING_TEXT = re.compile(
    r"^(?P<era>[\u4e00-\u9fff]{2})(?P<year>元|[〇一二三四五六七八九十]+)年"
    r"(?P<leap>闰)?(?P<month>正|[一二三四五六七八九十]+)月"
    r"(?P<day>(?:初)?[一二三四五六七八九十]+)日$"
)


class CalendarError(ValueError):
    """A date that is not a date of the calendar it claims.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.calendars.julian_to_gregorian("1700-02-30")
    Traceback (most recent call last):
    ...
    nerchinsk_map...CalendarError: not a Julian day as YYYY-MM-DD: '1700-02-30'
    """


@dataclass(frozen=True)
class QingDate:
    """A day of the Qing calendar: reign era, era year, lunar month and day.

    Parameters
    ----------
    era : str
        The reign era's id (``kangxi``; see :func:`eras`).
    year : int
        The year of the era (1 is 元年).
    month : int
        The lunar month, 1 to 12.
    day : int
        The day of the month.
    leap : bool
        A leap month (闰月).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> treaty = nm.calendars.QingDate("kangxi", 28, 7, 24)
    >>> nm.calendars.qing_text(treaty), nm.calendars.qing_to_gregorian(treaty)
    ('康熙二十八年七月二十四日', '1689-09-07')
    """

    era: str  # the era's id in qing_eras.json, e.g. "kangxi"
    year: int
    month: int
    day: int
    leap: bool = False


def _iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CalendarError(f"not a day as YYYY-MM-DD: {value!r}") from None


def julian_to_gregorian(value: str) -> str:
    """The Gregorian (New Style) day of a Julian (Old Style) day.

    Parameters
    ----------
    value : str
        A Julian day, ``YYYY-MM-DD``.

    Returns
    -------
    str
        The Gregorian day, ``YYYY-MM-DD``.

    Raises
    ------
    CalendarError
        ``value`` is not a Julian day.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.calendars.julian_to_gregorian("1689-08-27")
    '1689-09-06'
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    y, m, d = (int(g) for g in match.groups()) if match else (0, 0, 0)
    try:
        legal = bool(match) and julian.legal_date(y, m, d)
    except ValueError:  # convertdate raises on a day the month lacks
        legal = False
    if not legal:
        raise CalendarError(f"not a Julian day as YYYY-MM-DD: {value!r}")
    return date(*julian.to_gregorian(y, m, d)).isoformat()


def gregorian_to_julian(value: str) -> str:
    """The Julian (Old Style) day of a Gregorian (New Style) day.

    Parameters
    ----------
    value : str
        A Gregorian day, ``YYYY-MM-DD``.

    Returns
    -------
    str
        The Julian day, ``YYYY-MM-DD``.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.calendars.gregorian_to_julian("1689-09-07")
    '1689-08-28'
    """
    day = _iso_day(value)
    y, m, d = julian.from_gregorian(day.year, day.month, day.day)
    return f"{y:04d}-{m:02d}-{d:02d}"


@cache
def eras() -> tuple[dict, ...]:
    """The Qing reign eras, oldest first, from the sourced table ``qing_eras.json``.

    Returns
    -------
    tuple of dict
        ``id``, ``name``, ``zh`` and ``first_year`` of each era.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.calendars.eras()[0]
    {'id': 'shunzhi', 'name': 'Shunzhi', 'zh': '顺治', 'first_year': 1644}
    """
    return tuple(json.loads(ERAS_FILE.read_text(encoding="utf-8"))["eras"])


def _era(era_id: str) -> dict:
    for era in eras():
        if era["id"] == era_id:
            return era
    raise CalendarError(f"no Qing era {era_id!r} (known: {', '.join(e['id'] for e in eras())})")


def _last_year() -> int:
    return json.loads(ERAS_FILE.read_text(encoding="utf-8"))["last_year"]


def gregorian_to_qing(value: str) -> QingDate:
    """The Qing calendar day of a Gregorian day (sxtwl), with its reign era and era year.

    Parameters
    ----------
    value : str
        A Gregorian day, ``YYYY-MM-DD``, within the eras of :func:`eras`.

    Returns
    -------
    QingDate
        The Qing day.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.calendars.gregorian_to_qing("1689-09-07")
    QingDate(era='kangxi', year=28, month=7, day=24, leap=False)
    """
    day = _iso_day(value)
    lunar = sxtwl.fromSolar(day.year, day.month, day.day)
    lunar_year = lunar.getLunarYear()
    in_force = [e for e in eras() if e["first_year"] <= lunar_year]
    if not in_force or lunar_year > _last_year():
        raise CalendarError(f"{value} lies outside the Qing reign eras of {ERAS_FILE.name}")
    era = in_force[-1]
    return QingDate(era["id"], lunar_year - era["first_year"] + 1, lunar.getLunarMonth(),
                    lunar.getLunarDay(), bool(lunar.isLunarLeap()))


def qing_to_gregorian(qing: QingDate) -> str:
    """The Gregorian day of a Qing calendar day (sxtwl).

    Parameters
    ----------
    qing : QingDate
        The Qing day.

    Returns
    -------
    str
        The Gregorian day, ``YYYY-MM-DD``.

    Raises
    ------
    CalendarError
        A day the calendar lacks (a 30th in a short month, a leap month that year has not).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.calendars.qing_to_gregorian(nm.calendars.parse_qing_text("咸丰十年十月初二日"))
    '1860-11-14'
    """
    era = _era(qing.era)
    lunar_year = era["first_year"] + qing.year - 1
    later = [e for e in eras() if e["first_year"] > era["first_year"]]
    if qing.year < 1 or (later and lunar_year >= later[0]["first_year"]):
        raise CalendarError(f"{era['name']} has no year {qing.year}")
    day = sxtwl.fromLunar(lunar_year, qing.month, qing.day, qing.leap)
    result = date(day.getSolarYear(), day.getSolarMonth(), day.getSolarDay()).isoformat()
    if gregorian_to_qing(result) != qing:  # sxtwl rolls a missing day over: refuse it
        raise CalendarError(f"{qing_text(qing)} is not a day of the Qing calendar")
    return result


def _zh_number(n: int) -> str:
    """1..99 in Chinese numerals as dates write them (二十八, not 廿八)."""
    tens, units = divmod(n, 10)
    if not 0 < n < 100:
        raise CalendarError(f"no Chinese numeral written here for {n}")
    return (("" if tens < 2 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[units] if units else "")


def _zh_value(text: str) -> int:
    if "十" not in text:
        return DIGITS.index(text)
    tens, _, units = text.partition("十")
    return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(units) if units else 0)


def qing_text(qing: QingDate) -> str:
    """A Qing date as the documents write it, e.g. 康熙二十八年七月二十四日.

    Parameters
    ----------
    qing : QingDate
        The Qing day.

    Returns
    -------
    str
        Era, year, month and day in Chinese numerals.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.calendars.qing_text(nm.calendars.gregorian_to_qing("1860-11-14"))
    '咸丰十年十月初二日'
    """
    era = _era(qing.era)
    year = "元" if qing.year == 1 else _zh_number(qing.year)
    month = "正" if qing.month == 1 else _zh_number(qing.month)
    day = ("初" if qing.day <= 10 else "") + _zh_number(qing.day)
    return f"{era['zh']}{year}年{'闰' if qing.leap else ''}{month}月{day}日"


def parse_qing_text(text: str) -> QingDate:
    """The Qing date a text such as 康熙二十八年七月二十四日 writes; the inverse of :func:`qing_text`.

    Parameters
    ----------
    text : str
        A Qing date in Chinese.

    Returns
    -------
    QingDate
        The date.

    Raises
    ------
    CalendarError
        ``text`` is not a Qing date.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.calendars.parse_qing_text("康熙二十八年七月二十四日")
    QingDate(era='kangxi', year=28, month=7, day=24, leap=False)
    """
    match = QING_TEXT.match(text or "")
    era = next((e for e in eras() if match and e["zh"] == match["era"]), None)
    if not match or era is None:
        raise CalendarError(f"not a Qing reign date (era, year, month, day): {text!r}")
    day = match["day"].removeprefix("初")
    return QingDate(
        era["id"],
        1 if match["year"] == "元" else _zh_value(match["year"]),
        1 if match["month"] == "正" else _zh_value(match["month"]),
        _zh_value(day),
        bool(match["leap"]),
    )

__all__ = [
    "CalendarError", "QingDate", "eras", "gregorian_to_julian", "gregorian_to_qing",
    "julian_to_gregorian", "parse_qing_text", "qing_text", "qing_to_gregorian",
]
