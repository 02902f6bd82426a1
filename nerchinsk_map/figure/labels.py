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

import shapely
import shapely.prepared
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Text
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import substring
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
        # a line is a geometry, or (geometry, drawn width in points): a thick line (the border
        # over its casing) keeps labels off its whole stroke and costs more to cross
        pairs = [g if isinstance(g, tuple) else (g, 0.0) for g in lines]
        pairs = [(g, w) for g, w in pairs if g is not None and not g.is_empty]
        self.lines = [self.to_display(g.boundary if g.geom_type in ("Polygon", "MultiPolygon") else g)
                      for g, _ in pairs]
        self.half_widths = [w / 2 * self.px_per_pt for _, w in pairs]
        self.line_tree = STRtree(self.lines) if self.lines else None
        self.placed: list[Text] = []

    def add_marker(self, point: Point, radius_pt: float) -> None:
        """Keep labels off a drawn marker (a disc of ``radius_pt`` around ``point``)."""
        self.taken.append(self.to_display(point).buffer(radius_pt * self.px_per_pt, quad_segs=4))

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
        reach = max(self.half_widths, default=0.0)
        for i in self.line_tree.query(footprint.buffer(reach) if reach else footprint):
            half = self.half_widths[int(i)]
            area = footprint.buffer(half, join_style="mitre") if half else footprint
            weight = max(1.0, 2 * half / (1.5 * self.px_per_pt))
            cost += area.intersection(self.lines[int(i)]).length * weight
        return cost

    # placement -----------------------------------------------------------------------
    def place(self, req: LabelRequest) -> Text | None:
        """Place one label at its best free candidate; ``None`` when there is no room."""
        w, h = self._size(req)
        if req.kind == "line":
            candidates = self._line_candidates(req, w, h)
        elif req.kind == "fixed":
            candidates = self._fixed_candidates(req, w, h)
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

    def _fixed_candidates(self, req: LabelRequest, w: float, h: float) -> list:
        """At the given point(s) in order; then, if ``avoid`` (map geometry the label must not
        touch, e.g. land for a sea name) is set, the nearest spots around the first point."""
        display = self.to_display(req.geometry)
        points = list(getattr(display, "geoms", [display]))
        avoid = req.props.get("avoid")
        if avoid is not None:
            step = max(4.0, h / 2)
            reach = float(req.props.get("search_pt", 90)) * self.px_per_pt
            x0, y0 = points[0].x, points[0].y
            grid = [Point(x0 + i * step, y0 + j * step) for i in range(-int(reach / step), int(reach / step) + 1)
                    for j in range(-int(reach / step), int(reach / step) + 1)]
            points += sorted(grid, key=lambda p: (p.x - x0) ** 2 + (p.y - y0) ** 2)
            shape = shapely.prepared.prep(self.to_display(avoid))
        out = []
        for p in points:
            footprint = _rect(p.x, p.y, w, h)
            if avoid is not None and shape.intersects(footprint.buffer(self.pad)):
                continue
            out.append((0.0, p.x, p.y, "center", "center", footprint, 0.0))
        return out

    def _point_candidates(self, req: LabelRequest, w: float, h: float, at: Point | None = None) -> list:
        p = at if at is not None else self.to_display(req.geometry)
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
        if line.length < w * 1.15:  # a short river: labelled beside its middle, like a place
            mid = line.interpolate(0.5, normalized=True)
            return self._point_candidates(req, w, h, at=mid)
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
            piece = substring(line, s - w / 2, s + w / 2)
            bend = max((chord.distance(Point(c)) for c in piece.coords), default=0.0)
            if bend > h * 1.2:
                continue  # too curved here for straight text
            a = math.radians(angle)
            nx, ny = -math.sin(a), math.cos(a)
            for side in (1, -1):
                cx, cy = pm.x + side * nx * (gap + bend), pm.y + side * ny * (gap + bend)
                out.append((angle, cx, cy, "center", "center", _rect(cx, cy, w, h, angle), bend + abs(angle) / 30))
        return out


def display_box(artist: Any, renderer: RendererBase) -> Polygon:
    """An artist's window extent as a polygon (display pixels)."""
    bb = artist.get_window_extent(renderer)
    return box(bb.x0, bb.y0, bb.x1, bb.y1)


__all__ = ["LabelPlacer", "LabelRequest", "display_box"]
