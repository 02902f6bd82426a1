"""``straight`` clauses: a geodesic line between two points ("across the lake to the mouth of ...")."""

from __future__ import annotations

from typing import Any

from pyproj import Geod
from shapely.geometry import LineString, Point

from .context import Context
from .model import ReadingError
from .points import outer_ring, point_source, resolve

GEOD = Geod(ellps="WGS84")
STEP_KM = 10.0  # a long line gets intermediate points on the geodesic this far apart


def build(clause: dict[str, Any], start: Point | None, ctx: Context, where: str) -> tuple[LineString, str, str]:
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
    geom = LineString([start.coords[0], *middle, end.coords[0]])
    sources = [point_source(clause[k], ctx) for k in ("from", "to") if k in clause]
    if "from" not in clause and "basin_edge" not in to:
        sources.insert(0, "the previous clause's end")
    return geom, method, "; ".join(dict.fromkeys(s for s in sources if s)) or "the clause's points"
