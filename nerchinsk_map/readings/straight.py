"""``straight`` clauses: a geodesic line between two points ("across the lake to the mouth of ...")."""

from __future__ import annotations

from typing import Any

from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point

from .context import Context
from .model import ReadingError
from .points import outer_ring, point_source, resolve

GEOD = Geod(ellps="WGS84")
STEP_KM = 10.0  # a long line gets intermediate points on the geodesic this far apart


def split_antimeridian(coords: list[tuple[float, float]]) -> LineString | MultiLineString:
    """A line through ``coords`` (longitudes in [-180, 180], each step the short way round) as one
    LineString, or as parts split where it crosses the antimeridian (RFC 7946, section 3.1.9).

    Examples
    --------
    >>> split_antimeridian([(179.5, 10.0), (-179.5, 10.0)]).wkt
    'MULTILINESTRING ((179.5 10, 180 10), (-180 10, -179.5 10))'
    >>> split_antimeridian([(10.0, 0.0), (20.0, 0.0)]).wkt
    'LINESTRING (10 0, 20 0)'
    >>> split_antimeridian([(179.0, 0.0), (180.0, 0.0), (-180.0, 1.0), (-179.0, 1.0)]).wkt
    'MULTILINESTRING ((179 0, 180 0), (-180 0, -180 1, -179 1))'
    """
    parts: list[list[tuple[float, float]]] = [[coords[0]]]
    for (x0, y0), (x1, y1) in zip(coords, coords[1:], strict=False):
        if abs(x1 - x0) > 180:  # the short way crosses the antimeridian
            x1u = x1 + 360 if x1 < x0 else x1 - 360
            if x1u == x0:  # from +180 to -180 (or back): the same meridian, the line changes sides at once
                edge, y = x0, y0
            else:
                edge = 180.0 if x1u > x0 else -180.0
                y = y0 + (edge - x0) / (x1u - x0) * (y1 - y0)
            if parts[-1][-1] != (edge, y):
                parts[-1].append((edge, y))
            parts.append([(-edge, y)])
        if parts[-1][-1] != (x1, y1):
            parts[-1].append((x1, y1))
    parts = [p for p in parts if len(p) >= 2]
    return LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)


def build(
    clause: dict[str, Any], start: Point | None, ctx: Context, where: str
) -> tuple[LineString | MultiLineString, str, str]:
    """(geometry, method, geometry source) of a straight clause."""
    if "from" in clause:
        start = resolve(clause["from"], ctx, f"{where}, field from")
    if start is None:
        raise ReadingError(f"{where}, field from: nothing to start from")
    to = clause["to"]
    if "basin_edge" in to:
        ring = outer_ring(ctx.basin(to["basin_edge"], f"{where}, field to.basin_edge"))
        end = ring.interpolate(ring.project(start))
        method = f"compiled: straight (geodesic) line to the nearest point of the {to['basin_edge'].capitalize()} basin edge"
    else:
        end = resolve(to, ctx, f"{where}, field to")
        method = "compiled: straight (geodesic) line between the clause's two points"
    length = GEOD.inv(start.x, start.y, end.x, end.y)[2] / 1000
    if length == 0:
        raise ReadingError(f"{where}, field to: the clause starts and ends at the same point")
    n = int(length // STEP_KM)
    middle = GEOD.npts(start.x, start.y, end.x, end.y, n - 1) if n >= 2 else []
    geom = split_antimeridian([start.coords[0], *middle, end.coords[0]])
    if geom.geom_type == "MultiLineString":
        method += ", split at the antimeridian (RFC 7946, 3.1.9)"
    sources = [point_source(clause[k], ctx) for k in ("from", "to") if k in clause]
    if "from" not in clause and "basin_edge" not in to:
        sources.insert(0, "the previous clause's end")
    return geom, method, "; ".join(dict.fromkeys(s for s in sources if s)) or "the clause's points"
