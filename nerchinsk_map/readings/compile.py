"""Compile a reading into a line: one feature per clause, with its text, precision, method and source."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from ..analysis import length_km
from . import coast, divide, river, straight
from .catalog import get
from .context import Context, default_context
from .model import ReadingError

BUILDERS = {"river": river.build, "divide": divide.build, "straight": straight.build, "coast": coast.build}
MIN_UNLOCATED_PRECISION_KM = 25.0  # a clause whose points the sources do not give is drawn this loosely at least
GAP_KM = 1.0  # a clause starting farther than this from the last one's end leaves a gap (1:10m rivers: ~2 km)
GEOD = Geod(ellps="WGS84")

COLUMNS = (
    "id", "name", "name_ru", "name_zh", "segment_kind", "clause", "texts", "role", "source", "method",
    "precision_km", "certainty", "border_precision", "start_date", "start_date_note", "end_date", "end_note",
    "length_km", "reading", "kind", "bank", "located", "note",
)


def _parts(geom: BaseGeometry) -> list[list[tuple[float, ...]]]:
    return [list(g.coords) for g in getattr(geom, "geoms", [geom])]


def gap_km(p: tuple[float, ...], q: tuple[float, ...]) -> float:
    """Geodesic distance in km between two (lon, lat) positions."""
    return 0.0 if tuple(p[:2]) == tuple(q[:2]) else float(GEOD.inv(p[0], p[1], q[0], q[1])[2]) / 1000


def chain(lines: Iterable[BaseGeometry], join_km: float = 0.0) -> LineString | MultiLineString:
    """Clause lines end to end, in order.

    A new part starts wherever a clause does not start where the last ended (or, with
    ``join_km``, farther than that from it: nearer ends are joined straight). A clause split at the antimeridian (a MultiLineString) stays in parts.

    Examples
    --------
    >>> chain([LineString([(0, 0), (1, 0)]), LineString([(1, 0), (1, 1)])]).wkt
    'LINESTRING (0 0, 1 0, 1 1)'
    >>> chain([LineString([(0, 0), (1, 0)]), LineString([(1.000001, 0), (1, 1)])], join_km=1).geom_type
    'LineString'
    """
    parts: list[list[tuple[float, ...]]] = []
    for geom in lines:
        for n, coords in enumerate(_parts(geom)):
            if parts and n == 0 and (parts[-1][-1] == coords[0] or (join_km and gap_km(parts[-1][-1], coords[0]) <= join_km)):
                parts[-1].extend(coords[1:] if parts[-1][-1] == coords[0] else coords)
            else:
                parts.append(coords)
    return LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)


def _where_point(xy: tuple[float, ...]) -> str:
    return f"{xy[1]:.4f} N {xy[0]:.4f} E"


def check_joins(geom: BaseGeometry, end: Point | None, clause: dict[str, Any], previous: str, where: str) -> str:
    """The method's note on a gap the reading states ('' if none).

    Raise :class:`ReadingError` on a gap it does not state or on a clause of no length.
    """
    if length_km(geom) == 0:
        raise ReadingError(f"{where}: the clause has no length (it starts and ends at the same point)")
    if end is None:
        return ""
    start = _parts(geom)[0][0]
    gap = gap_km(end.coords[0], start)
    if gap <= GAP_KM:
        return ""
    if not clause.get("gap"):
        raise ReadingError(
            f"{where}: starts at {_where_point(start)}, {gap:,.1f} km from where {previous} ends "
            f"({_where_point(end.coords[0])}); add a clause that joins them, or, if the text leaves the "
            "line broken there, say why in the clause's \"gap\" field"
        )
    return f"; starts {gap:,.1f} km from the previous clause's end, a gap the reading states: {clause['gap']}"


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
    previous = ""
    for i, clause in enumerate(spec["clauses"]):
        where = f"{spec['id']}: clause {i + 1} ({clause['id']})"
        located = clause.get("located", True)
        if not located and clause["precision_km"] < MIN_UNLOCATED_PRECISION_KM:
            raise ReadingError(
                f"{where}, field precision_km: an unlocated clause needs a wide precision "
                f"(at least {MIN_UNLOCATED_PRECISION_KM:g} km)"
            )
        geom, method, geometry_source = BUILDERS[clause["kind"]](clause, end, ctx, where)
        method += check_joins(geom, end, clause, previous, where)
        if not located:
            method += f"; NOT LOCATED by the sources: {clause['note']}"
        end = Point(_parts(geom)[-1][-1])
        previous = f"clause {i + 1} ({clause['id']})"
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
