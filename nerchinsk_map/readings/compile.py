"""Compile a reading into a line: one feature per clause, with its text, precision, method and source."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from ..analysis import length_km
from . import coast, divide, river, straight
from .catalog import get
from .context import Context, default_context
from .model import ReadingError

BUILDERS = {"river": river.build, "divide": divide.build, "straight": straight.build, "coast": coast.build}
MIN_UNLOCATED_PRECISION_KM = 25.0  # a clause whose points the sources do not give is drawn this loosely at least

COLUMNS = (
    "id", "name", "name_ru", "name_zh", "segment_kind", "clause", "texts", "role", "source", "method",
    "precision_km", "certainty", "border_precision", "start_date", "start_date_note", "end_date", "end_note",
    "length_km", "reading", "kind", "bank", "located", "note",
)


def chain(lines: Iterable[BaseGeometry]) -> LineString | MultiLineString:
    """Clause lines end to end, in order; a new part wherever one does not start where the last ended."""
    parts: list[list[tuple[float, ...]]] = []
    for geom in lines:
        coords = list(geom.coords)
        if parts and parts[-1][-1] == coords[0]:
            parts[-1].extend(coords[1:])
        else:
            parts.append(coords)
    return LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)


def _source(clause: dict[str, Any], geometry_source: str) -> str:
    texts = dict.fromkeys(t["source"] for t in clause["text"])
    return f"treaty texts: {'; '.join(texts)}; geometry: {geometry_source}"


def compile_reading(
    reading: str | Path | dict[str, Any], context: Context | None = None
) -> gpd.GeoDataFrame:
    """Compile a reading into a line: a GeoDataFrame with one feature per clause.

    Each feature carries its clause's text, precision, method and source; a clause the
    sources do not locate says so (``located`` False, its method says NOT LOCATED).
    ``nm.readings.compile`` is the same function.

    Parameters
    ----------
    reading : str, pathlib.Path or dict
        A shipped reading id, a reading file or a reading dict (see :func:`validate`).
    context : Context, optional
        What the clauses are compiled on (default: :func:`default_context`).

    Returns
    -------
    geopandas.GeoDataFrame
        One feature per clause, in EPSG:4326, with ``length_km``.

    Raises
    ------
    ReadingError
        The reading does not follow the schema or a clause cannot be drawn (one line naming
        the clause and the field).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> line = nm.readings.compile("gorbitsa_amazar")
    >>> list(line["id"]), line.crs.to_epsg()
    (['amur', 'amazar', 'connector'], 4326)
    >>> round(float(line["length_km"].sum()))
    288
    """
    spec = get(reading)
    ctx = context or default_context()
    rows = []
    end: Point | None = None
    for i, clause in enumerate(spec["clauses"]):
        where = f"{spec['id']}: clause {i + 1} ({clause['id']})"
        located = clause.get("located", True)
        if not located and clause["precision_km"] < MIN_UNLOCATED_PRECISION_KM:
            raise ReadingError(
                f"{where}, field precision_km: an unlocated clause needs a wide precision "
                f"(at least {MIN_UNLOCATED_PRECISION_KM:g} km)"
            )
        geom, method, geometry_source = BUILDERS[clause["kind"]](clause, end, ctx, where)
        if not located:
            method += f"; NOT LOCATED by the sources: {clause['note']}"
        end = Point(geom.coords[-1])
        name = clause.get("name") or {k: f"{v}: {clause['id']}" for k, v in spec["title"].items()}
        rows.append(
            {
                "id": clause["id"],
                "name": name.get("en", clause["id"]),
                "name_ru": name.get("ru"),
                "name_zh": name.get("zh"),
                "segment_kind": clause.get("segment_kind", clause["kind"]),
                "clause": clause.get("clause"),
                "texts": clause["text"],
                "role": clause.get("role"),
                "source": _source(clause, geometry_source),
                "method": method,
                "precision_km": float(clause["precision_km"]),
                "certainty": clause.get("certainty", spec["certainty"]),
                "border_precision": clause.get("border_precision"),
                "start_date": spec.get("start_date"),
                "start_date_note": spec.get("start_date_note"),
                "end_date": clause.get("end_date", spec.get("end_date")),
                "end_note": clause.get("end_note"),
                "length_km": round(length_km(geom), 1),
                "reading": spec["id"],
                "kind": clause["kind"],
                "bank": clause.get("bank"),
                "located": located,
                "note": clause.get("note"),
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, columns=[*COLUMNS, "geometry"], geometry="geometry", crs="EPSG:4326")
