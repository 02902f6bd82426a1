"""Resolve the points a clause names (a river's source, mouth or confluence, a control point,
a coordinate) to shapely Points on the context's geometry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import LineString, Point, Polygon

from .model import ReadingError

if TYPE_CHECKING:  # the context resolves points with this module: a type only, no cycle
    from .context import Context

ON_LINE_DEG = 1e-6  # a river end this close to another river lies on it


def resolve(spec: dict[str, Any], ctx: Context, where: str) -> Point:
    """The Point a point spec names (river source/mouth/confluence, or lat/lon)."""
    if "lat" in spec:
        return Point(spec["lon"], spec["lat"])
    if "river" in spec:
        line = ctx.river(spec["river"], where)
        if spec["at"] == "source":
            return Point(line.coords[0])
        if spec["at"] == "mouth":
            return Point(line.coords[-1])
        if "with" not in spec:
            raise ReadingError(f"{where}: a confluence needs 'with' (the other river)")
        other = ctx.river(spec["with"], where)
        mouth, other_mouth = Point(line.coords[-1]), Point(other.coords[-1])
        if other.distance(mouth) < ON_LINE_DEG:  # this river flows into the other
            return mouth
        if line.distance(other_mouth) < ON_LINE_DEG:  # the other flows into this one
            return other_mouth
        return line.interpolate(line.project(other_mouth))  # nearest point of this river
    raise ReadingError(f"{where}: this kind of point is not allowed here")


def describe(spec: dict[str, Any]) -> str:
    """A point spec in words, for messages and methods."""
    if "lat" in spec:
        return spec.get("name") or f"{spec['lat']:.4f} N {spec['lon']:.4f} E"
    if "river" in spec:
        if spec["at"] == "confluence":
            return f"the {spec['river']}–{spec.get('with', '?')} confluence"
        return f"the {spec['river']} {spec['at']}"
    if "basin_edge" in spec:
        return f"the {spec['basin_edge']} basin edge"
    return "the coast"


def point_source(spec: dict[str, Any], ctx: Context) -> str | None:
    """Where a point's position comes from (the river's source, or the control point's)."""
    if "lat" in spec:
        return spec.get("source")
    if "river" in spec:
        return ctx.river_sources.get(spec["river"])
    if "basin_edge" in spec:
        return ctx.basin_source
    return None


def outer_ring(basin: shapely.Geometry) -> LineString:
    """The exterior ring of a basin's largest part, as a line."""
    outer: Polygon = max(getattr(basin, "geoms", [basin]), key=lambda g: g.area)
    return LineString(outer.exterior.coords)
