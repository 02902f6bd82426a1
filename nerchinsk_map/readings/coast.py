"""``coast`` clauses: along the Natural Earth 1:10m coast between two points, the shorter way."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import LineString, Point

from .context import Context
from .divide import ring_path
from .model import ReadingError
from .points import resolve

MAX_OFF_COAST_DEG = 0.3


def build(clause: dict[str, Any], start: Point | None, ctx: Context, where: str) -> tuple[LineString, str, str]:
    """(geometry, method, geometry source) of a coast clause."""
    if "from" in clause:
        start = resolve(clause["from"], ctx, f"{where}, field from")
    if start is None:
        raise ReadingError(f"{where}, field from: nothing to start from")
    end = resolve(clause["to"], ctx, f"{where}, field to")
    rings = list(shapely.get_parts(ctx.coastline))
    ring = min(rings, key=lambda r: r.distance(start))
    if ring.distance(start) > MAX_OFF_COAST_DEG or ring.distance(end) > MAX_OFF_COAST_DEG:
        raise ReadingError(f"{where}: the clause's points are not on one stretch of coast")
    ring = LineString(ring.coords)
    d0, d1 = ring.project(start), ring.project(end)
    forward, backward = ring_path(ring, d0, d1), ring_path(ring, d1, d0).reverse()
    geom = min((forward, backward), key=lambda g: g.length)
    geom = LineString([start.coords[0], *geom.coords, end.coords[0]])
    method = "compiled: along the Natural Earth 1:10m coast between the clause's two points, the shorter way"
    return geom, method, "Natural Earth 4.0.0 ne_10m_land (public domain)"
