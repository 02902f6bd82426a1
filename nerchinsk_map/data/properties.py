"""A user's layer properties kept as data, whatever their JSON type or name.

* A list or an object (GeoJSON allows any JSON value) is kept as JSON text, which every export
  format and the popups can hold; numbers, text, true/false and null stay as they are.
* A property GDAL or the export formats would drop or take for something else (``geometry``,
  ``id``, ``fid``, a name with a NUL character) is renamed, with a note; never dropped.
* Every date field (``start_date``, ``end_date``, ``start_edtf``, ``end_edtf``, ``date_os``,
  ``date_qing``), whatever its type, is checked: a date that cannot be read gets a note, is left
  out of the time control (the field is emptied) and is kept as written in ``date_unread``.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> gdf = gpd.GeoDataFrame({"tags": [["a", "b"]], "start_edtf": ["1689-21"]}, geometry=[Point(1, 2)])
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     out = plain_properties(gdf, "forts.geojson")
>>> out.loc[0, "tags"], bool(out["start_edtf"].isna()[0]), out.loc[0, "date_unread"]
('["a", "b"]', True, "start_edtf '1689-21': a season is not a date the time control can place")
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

RESERVED = ("geometry", "id", "fid")  # GDAL's and the formats' own names (case-insensitive)
DATE_FIELDS = ("start_date", "end_date", "start_edtf", "end_edtf", "date_os", "date_qing")
UNREAD = "date_unread"


def json_text(value: Any) -> Any:
    """A list, tuple, array or object as JSON text; any other value as it is."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str, allow_nan=False) if _finite(value) else json.dumps(
            value, ensure_ascii=False, default=str)
    return value


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_finite(v) for v in value)
    return True


def safe_name(name: str, taken: Iterable[str]) -> str | None:
    """The new name of a property that must not keep its own (None: it may keep it).

    Examples
    --------
    >>> safe_name("geometry", ["geometry", "name"])
    'geometry_property'
    >>> safe_name("a\\x00b", [])
    'a_b'
    >>> safe_name("name", []) is None
    True
    """
    clean = str(name).replace("\x00", "_")
    if clean.lower() in RESERVED:
        clean = f"{clean}_property"
    if clean == name:
        return None
    taken_lower = {t.lower() for t in taken}
    candidate, n = clean, 2
    while candidate.lower() in taken_lower:
        candidate, n = f"{clean}_{n}", n + 1
    return candidate


def rename_note(origin: str, renamed: Mapping[str, str]) -> str:
    pairs = ", ".join(f"{old!r} as {new!r}" for old, new in renamed.items())
    return f"{origin}: kept the properties {pairs} (their names are reserved by the formats or hold a NUL)"


def date_problem(props: Mapping[str, Any]) -> str | None:
    """Why the dates of one feature cannot be placed in time, or None."""
    from ..chronology import dates  # lazy: the EDTF grammar loads only when a date needs checking

    fields = {k: props[k] for k in DATE_FIELDS if k in props}
    present = {k: v for k, v in fields.items() if not _blank(v)}
    for key, value in present.items():
        if not isinstance(value, str):
            return f"{key} {value!r}: a date is text (EDTF or ISO 8601), not {type(value).__name__}"
    try:
        for key in ("start_edtf", "end_edtf", "start_date", "end_date"):
            if key in present and present[key] != "..":
                obj = dates.parse(present[key])
                if type(obj).__name__ == "Season":
                    return f"{key} {present[key]!r}: a season is not a date the time control can place"
        problems = dates.check(fields) if present else []
        dates.span(fields)
    except Exception as exc:  # noqa: BLE001 - the edtf library raises many types on odd input
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"{', '.join(f'{k} {v!r}' for k, v in present.items())}: {first}"
    return problems[0] if problems else None


def date_problems(props: Mapping[str, Any]) -> list[str]:
    """Every problem of a feature's dates (``chronology.dates.check``), or one line saying why
    they cannot be read at all (a list, a number, a season...), never an exception."""
    problem = date_problem(props)
    if problem is None:
        return []
    from ..chronology import dates  # lazy: the EDTF grammar loads only when a date needs checking

    try:
        return dates.check(props) or [problem]
    except Exception:  # noqa: BLE001 - see date_problem
        return [problem]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and value == "")


def plain_properties(gdf: gpd.GeoDataFrame, origin: str, extra: Mapping[str, list[Any]] | None = None) -> gpd.GeoDataFrame:
    """``gdf`` with its properties kept as data (see the module's docstring); ``extra`` adds
    properties the reader could not give under their own names (a property named ``geometry``
    in a GeoJSON file, a name with a NUL), by original name. Notes are Python warnings (the
    command line prints them as notes)."""
    gdf = gdf.copy()
    geometry = gdf.geometry.name
    renamed: dict[str, str] = {}
    for column in [c for c in gdf.columns if c != geometry]:
        new = safe_name(column, [*gdf.columns, *(extra or {})])
        if new:
            renamed[column] = new
            gdf = gdf.rename(columns={column: new})
    for name, values in (extra or {}).items():
        new = safe_name(name, [*gdf.columns]) or name
        if new != name:
            renamed[name] = new
        gdf[new] = values
    if renamed:
        warnings.warn(rename_note(origin, renamed), stacklevel=3)
    for column in gdf.columns:
        if column == geometry:
            continue
        if column in DATE_FIELDS and pd.api.types.is_datetime64_any_dtype(gdf[column]):
            gdf[column] = [None if v is None or v != v else v.date().isoformat() for v in gdf[column]]
        if gdf[column].dtype == object:
            gdf[column] = [json_text(v) for v in gdf[column]]
    dated = [c for c in DATE_FIELDS if c in gdf.columns]
    if dated:
        unread: list[str | None] = []
        for i, row in enumerate(gdf[dated].to_dict("records")):
            problem = date_problem(row)
            unread.append(problem)
            if problem:
                for c in dated:
                    if gdf[c].dtype != object:
                        gdf[c] = gdf[c].astype(object)
                    gdf.at[gdf.index[i], c] = None
        bad = [i for i, p in enumerate(unread) if p]
        if bad:
            gdf[UNREAD] = unread
            warnings.warn(
                f"{origin}: the dates of {len(bad)} feature(s) cannot be read (feature {bad[0]}: {unread[bad[0]]}); "
                "they are left out of the time control and kept as written in 'date_unread'",
                stacklevel=3,
            )
    return gdf
