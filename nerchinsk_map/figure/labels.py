"""Labels that do not overlap: a small greedy placement.

Each label is tried at a few candidate positions in order of preference (around a point; along
a river, on either side, at several places along it). A candidate is rejected if its footprint
(the text's rectangle, rotated with it, in display pixels) leaves the map frame or touches a
label already placed or an obstacle (markers, the inset, the scale bar...). Among the others the
one crossing the least length of drawn lines wins. Labels are placed in priority order, so a
label that finds no room is left out, never drawn over another.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Text
from shapely.geometry import LineString, Point, Polygon, box
from shapely.strtree import STRtree

# (dx, dy, ha, va) around a point, as multiples of the offset: right first, as map convention.
POINT_CANDIDATES = (
    (1.0, 0.0, "left", "center"), (0.75, 0.75, "left", "bottom"), (0.75, -0.75, "left", "top"),
    (-1.0, 0.0, "right", "center"), (-0.75, 0.75, "right", "bottom"), (-0.75, -0.75, "right", "top"),
    (0.0, 1.0, "center", "bottom"), (0.0, -1.0, "center", "top"),
)
LINE_FRACTIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.14, 0.86)


@dataclass
class LabelRequest:
    """A label to place: ``geometry`` in map (projected) coordinates."""

    text: str
    kind: str  # "point", "line" or "fixed"
    geometry: Any
    fontsize: float
    color: Any = "#1d1d1b"
    style: str = "normal"
    weight: str = "normal"
    offset_pt: float = 4.0  # from a point: the marker's radius plus a gap
    gid: str = ""
    props: dict[str, Any] = field(default_factory=dict)


def _rect(cx: float, cy: float, w: float, h: float, angle: float = 0.0) -> Polygon:
    """A ``w`` x ``h`` rectangle centred on (cx, cy), turned by ``angle`` degrees."""
    a = math.radians(angle)
    ux, uy = math.cos(a) * w / 2, math.sin(a) * w / 2
    vx, vy = -math.sin(a) * h / 2, math.cos(a) * h / 2
    return Polygon([(cx - ux - vx, cy - uy - vy), (cx + ux - vx, cy + uy - vy),
                    (cx + ux + vx, cy + uy + vy), (cx - ux + vx, cy - uy + vy)])


class LabelPlacer:
    """Greedy placement of labels on ``ax``; keeps the footprints of what it placed."""

    def __init__(self, ax: Axes, renderer: RendererBase, obstacles: Sequence[Polygon] = (),
                 lines: Sequence[Any] = (), pad_pt: float = 1.5):
        self.ax = ax
        self.renderer = renderer
        self.px_per_pt = ax.figure.dpi / 72.0
        self.pad = pad_pt * self.px_per_pt
        bb = ax.get_window_extent(renderer)
        self.frame = box(bb.x0 + 2, bb.y0 + 2, bb.x1 - 2, bb.y1 - 2)
        self.taken: list[Polygon] = list(obstacles)
        self.lines = [g for g in lines if g is not None and not g.is_empty]
        self.line_tree = STRtree(self.lines) if self.lines else None
        self.placed: list[Text] = []

    # geometry helpers -------------------------------------------------------------------
    def to_display(self, geom: Any) -> Any:
        """A geometry in map coordinates as display pixels."""
        t = self.ax.transData
        return shapely.transform(geom, lambda xy: t.transform(xy))

    def _size(self, req: LabelRequest) -> tuple[float, float]:
        probe = Text(0, 0, req.text, fontsize=req.fontsize, style=req.style, weight=req.weight,
                     ha="center", va="center", figure=self.ax.figure)
        bb = probe.get_window_extent(self.renderer)
        return bb.width, bb.height

    def _free(self, footprint: Polygon) -> bool:
        if not self.frame.contains(footprint):
            return False
        padded = footprint.buffer(self.pad, join_style="mitre")
        return not any(padded.intersects(t) for t in self.taken)

    def _line_cost(self, footprint: Polygon) -> float:
        if self.line_tree is None:
            return 0.0
        cost = 0.0
        for i in self.line_tree.query(footprint):
            cost += footprint.intersection(self.lines[int(i)]).length
        return cost

    # placement -----------------------------------------------------------------------
    def place(self, req: LabelRequest) -> Text | None:
        """Place one label at its best free candidate; ``None`` when there is no room."""
        w, h = self._size(req)
        if req.kind == "line":
            candidates = self._line_candidates(req, w, h)
        elif req.kind == "fixed":
            p = self.to_display(req.geometry)
            candidates = [(0.0, p.x, p.y, "center", "center", _rect(p.x, p.y, w, h), 0.0)]
        else:
            candidates = self._point_candidates(req, w, h)
        best = None
        for order, (angle, x, y, ha, va, footprint, extra) in enumerate(candidates):
            if not self._free(footprint):
                continue
            cost = self._line_cost(footprint) + extra + order * 0.5
            if best is None or cost < best[0]:
                best = (cost, angle, x, y, ha, va, footprint)
            if cost < 0.5:  # free of lines and first in preference: take it
                break
        if best is None:
            return None
        _, angle, x, y, ha, va, footprint = best
        self.taken.append(footprint)
        xd, yd = self.ax.transData.inverted().transform((x, y))
        text = self.ax.text(xd, yd, req.text, fontsize=req.fontsize, color=req.color, style=req.style,
                            weight=req.weight, ha=ha, va=va, rotation=angle, rotation_mode="anchor",
                            zorder=60, clip_on=False)
        if req.gid:
            text.set_gid(req.gid)
        self.placed.append(text)
        return text

    def _point_candidates(self, req: LabelRequest, w: float, h: float) -> list:
        p = self.to_display(req.geometry)
        d = req.offset_pt * self.px_per_pt
        out = []
        for dx, dy, ha, va in POINT_CANDIDATES:
            x, y = p.x + dx * d, p.y + dy * d
            cx = x + {"left": w / 2, "right": -w / 2, "center": 0.0}[ha]
            cy = y + {"bottom": h / 2, "top": -h / 2, "center": 0.0}[va]
            out.append((0.0, x, y, ha, va, _rect(cx, cy, w, h), 0.0))
        return out

    def _line_candidates(self, req: LabelRequest, w: float, h: float) -> list:
        geom = self.to_display(req.geometry).intersection(self.frame)
        geom = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
        parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, LineString) and not g.is_empty]
        if not parts:
            return []
        line = max(parts, key=lambda g: g.length)
        if line.length < w * 1.15:
            return []
        gap = h / 2 + 1.2 * self.px_per_pt
        out = []
        for f in LINE_FRACTIONS:
            s = min(max(f * line.length, w / 2), line.length - w / 2)
            p1, p2, pm = line.interpolate(s - w / 2), line.interpolate(s + w / 2), line.interpolate(s)
            angle = math.degrees(math.atan2(p2.y - p1.y, p2.x - p1.x))
            if angle > 90:
                angle -= 180
            elif angle <= -90:
                angle += 180
            chord = LineString([p1, p2])
            piece = shapely.ops.substring(line, s - w / 2, s + w / 2)
            bend = max((chord.distance(Point(c)) for c in piece.coords), default=0.0)
            if bend > h * 1.2:
                continue  # too curved here for straight text
            a = math.radians(angle)
            nx, ny = -math.sin(a), math.cos(a)
            for side in (1, -1):
                cx, cy = pm.x + side * nx * (gap + bend), pm.y + side * ny * (gap + bend)
                out.append((angle, cx, cy, "center", "center", _rect(cx, cy, w, h, angle), bend + abs(angle) / 30))
        return out


def marker_footprints(placer: LabelPlacer, points: Sequence[Point], radius_pt: float) -> list[Polygon]:
    """Discs around drawn markers, in display pixels, as obstacles for labels."""
    r = radius_pt * placer.px_per_pt
    return [placer.to_display(p).buffer(r, quad_segs=4) for p in points]


def display_box(artist: Any, renderer: RendererBase) -> Polygon:
    """An artist's window extent as a polygon (display pixels)."""
    bb = artist.get_window_extent(renderer)
    return box(bb.x0, bb.y0, bb.x1, bb.y1)


def lines_to_display(placer: LabelPlacer, geoms: Sequence[Any]) -> list[Any]:
    """Map-coordinate lines and polygon outlines as display-pixel lines for the cost function."""
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        if g.geom_type in ("Polygon", "MultiPolygon"):
            g = g.boundary
        out.append(placer.to_display(g))
    return out


__all__ = ["LabelPlacer", "LabelRequest", "display_box", "lines_to_display", "marker_footprints", "np"]
