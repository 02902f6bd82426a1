"""``divide`` clauses: along the edge of a derived drainage basin between two points, the named
way round, reusing the basin polygon's own vertices."""

from __future__ import annotations

from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point
from shapely.ops import substring

from .context import Context
from .model import ReadingError
from .points import outer_ring, resolve

GEOD = Geod(ellps="WGS84")


def ring_path(ring: LineString, start: float, end: float) -> LineString:
    """The part of a closed ring from distance ``start`` forward to ``end`` (wrapping around)."""
    if start <= end:
        return substring(ring, start, end)
    first = substring(ring, start, ring.length)
    second = substring(ring, 0, end)
    return LineString([*first.coords, *second.coords[1:]])


def _score(line: LineString, side: str) -> float:
    xs, ys = zip(*((x, y) for x, y, *_ in line.coords), strict=True)
    mean = sum(ys if side in ("north", "south") else xs) / len(line.coords)
    return mean if side in ("north", "east") else -mean


def edge_path(basin: shapely.Geometry, a: Point, b: Point, side: str) -> LineString:
    """The edge of ``basin`` from the point nearest ``a`` to the one nearest ``b``, taken the
    ``side`` way round (the path whose mean latitude/longitude lies farther that way)."""
    ring = outer_ring(basin)
    d0, d1 = ring.project(a), ring.project(b)
    forward = ring_path(ring, d0, d1)
    backward = ring_path(ring, d1, d0).reverse()
    return max((forward, backward), key=lambda line: _score(line, side))


def cut_at_coast(divide: LineString, coastline: shapely.Geometry, min_lon: float) -> LineString | None:
    """End the divide where it first reaches the sea east of ``min_lon``: at the end of the first
    segment that crosses the coastline there (so the line just overshoots the coast, and the
    polygons cut from it close on the coast)."""
    coords = list(divide.coords)
    for i in range(1, len(coords)):
        if coords[i][0] >= min_lon and LineString(coords[i - 1 : i + 1]).intersects(coastline):
            return LineString(coords[: i + 1])
    return None


def build(clause: dict[str, Any], start: Point | None, ctx: Context, where: str) -> tuple[LineString, str, str]:
    """(geometry, method, geometry source) of a divide clause."""
    basin = ctx.basin(clause["basin"], f"{where}, field basin")
    if "from" in clause:
        start = resolve(clause["from"], ctx, f"{where}, field from")
    if start is None:
        raise ReadingError(f"{where}, field from: nothing to start from")
    to = clause["to"]
    coast = to.get("coast")
    target = resolve(coast["toward"] if coast else to, ctx, f"{where}, field to")
    path = edge_path(basin, start, target, clause["side"])
    if path.geom_type != "LineString" or path.length == 0:
        raise ReadingError(f"{where}, field to: the clause's two points meet the basin edge at the same place")
    name = clause["basin"].capitalize() if isinstance(clause["basin"], str) else "on-demand (outlet given)"
    method = (
        f"compiled: the edge of the project's {name} basin polygon (5′ DEM), shared vertex for "
        f"vertex, the {clause['side']}ern way round between the clause's two points"
    )
    if coast:
        east_of = resolve(coast["east_of"], ctx, f"{where}, field to.coast.east_of").x if "east_of" in coast else -180.0
        reached = cut_at_coast(path, ctx.coastline, east_of)
        if reached is None:
            last = Point(path.coords[-1])
            near = shapely.get_point(shapely.shortest_line(last, ctx.coastline), 1)
            off = GEOD.inv(last.x, last.y, near.x, near.y)[2] / 1000
            beyond = f" east of {east_of:.4f} E" if "east_of" in coast else ""
            raise ReadingError(
                f"{where}, field to.coast: the divide never reaches the coast{beyond}: it ends at "
                f"{last.y:.4f} N {last.x:.4f} E, {off:,.0f} km from the sea (an inland basin, or the "
                "wrong side or basin); end it at a point instead"
            )
        path = reached
        method += ", ended where it first reaches the Natural Earth coast"
    return path, method, ctx.basin_source
