"""``river`` clauses: along a river of the rivers layer (or a Natural Earth river) between two points,
reusing the river's own coordinates."""

from __future__ import annotations

from typing import Any

from pyproj import Geod
from shapely.geometry import LineString, Point
from shapely.ops import substring

from .context import Context
from .model import ReadingError
from .points import describe, point_source, resolve

GEOD = Geod(ellps="WGS84")
MAX_OFF_RIVER_KM = 25.0  # a named point farther than this from the river is an error
EPS = 1e-12


def split_at(line: LineString, point: Point) -> tuple[LineString, LineString]:
    """Split ``line`` at ``point``'s projection; both parts end exactly at ``point``."""
    d = line.project(point)
    before = substring(line, 0, d)
    after = substring(line, d, line.length)
    return LineString([*before.coords[:-1], point.coords[0]]), LineString([point.coords[0], *after.coords[1:]])


def cut(line: LineString, a: Point, b: Point) -> LineString:
    """The part of ``line`` between ``a`` and ``b``, running from ``a`` to ``b``."""
    length = line.length
    da, db = line.project(a), line.project(b)
    (lo_pt, lo), (hi_pt, hi) = sorted(((a, da), (b, db)), key=lambda t: t[1])
    part = line
    if hi < length - EPS:
        part, _ = split_at(part, hi_pt)
    if lo > EPS:
        _, part = split_at(part, lo_pt)
    return part if da <= db else part.reverse()


def _end(spec: dict[str, Any], line: LineString, rid: str | None, ctx: Context, where: str) -> Point:
    if spec.get("river") == rid and spec.get("at") in ("source", "mouth"):
        return Point(line.coords[0] if spec["at"] == "source" else line.coords[-1])
    point = resolve(spec, ctx, where)
    near = line.interpolate(line.project(point))
    off = GEOD.inv(point.x, point.y, near.x, near.y)[2] / 1000
    if off > MAX_OFF_RIVER_KM:
        raise ReadingError(f"{where}: {describe(spec)} is {off:.0f} km from the river")
    return point if off < 1e-6 else near  # a point beside the river: the river's nearest point


def build(clause: dict[str, Any], start: Point | None, ctx: Context, where: str) -> tuple[LineString, str, str]:
    """(geometry, method, geometry source) of a river clause."""
    river = clause["river"]
    if isinstance(river, dict):
        line = ctx.natural_earth_river(river["natural_earth"], f"{where}, field river")
        rid, source = None, f"Natural Earth 4.0.0 ne_10m_rivers_lake_centerlines '{river['natural_earth']}' (public domain)"
        method = "compiled: the Natural Earth 1:10m river centreline between the clause's two points"
    else:
        line = ctx.river(river, f"{where}, field river")
        rid, source = river, ctx.river_sources.get(river, "the rivers layer")
        method = "compiled: the rivers layer's own coordinates between the clause's two points, vertex for vertex"
    if "from" in clause:
        a = _end(clause["from"], line, rid, ctx, f"{where}, field from")
    elif start is not None:
        a = start
    else:
        raise ReadingError(f"{where}, field from: nothing to start from")
    b = _end(clause["to"], line, rid, ctx, f"{where}, field to")
    geom = cut(line, a, b)
    if geom.length == 0:
        raise ReadingError(f"{where}, field to: the clause's two points are the same place on the river")
    if clause.get("bank") in ("left", "right"):
        method += f"; the treaty names the {clause['bank']} bank, drawn on the centreline (1:10m has no banks)"
    extra = [point_source(clause[k], ctx) for k in ("from", "to") if k in clause and "lat" in clause[k]]
    sources = [source, *(s for s in extra if s)]
    return geom, method, "; ".join(dict.fromkeys(sources))
