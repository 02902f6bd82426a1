"""Smooth a coverage of nested and adjacent polygons without opening gaps between them.

The DEM-derived basins have their edges on the 5′ cell edges: a staircase of 9 km steps that
reads as precision the data do not have. :func:`smooth_coverage` smooths every edge **once**:

1. the polygons' boundaries are noded into arcs: pieces of line between the points where three
   or more faces meet (shapely ``union_all`` + ``line_merge``);
2. each arc gets a vertex every quarter cell (``step`` is the cell size), is smoothed with a
   Gaussian of ``sigma`` cells, and every vertex is pulled back to within ``radius`` cells of
   where it was on the cell-edge line (less near the arc's fixed end points); two Chaikin
   passes round the kinks the clamp leaves; the arc is then
   simplified (Douglas–Peucker, ``tolerance`` degrees) and rounded to ``precision`` decimals,
   so a vertex shared by two polygons stays one coordinate pair;
3. the smoothed arcs are polygonised into faces, and each polygon is rebuilt as the union of
   the faces that lay inside it before smoothing.

Shared edges therefore stay identical (nested polygons nest exactly, neighbours share their
edge vertex for vertex), and every smoothed edge stays within ``radius`` cells plus
``tolerance`` of the cell-edge line it came from, both ways (Hausdorff distance); the tests hold
the result to half a cell.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

SHORT_ARC_CELLS = 6
ROUNDING_PASSES = 2  # Chaikin passes after the clamp, to round the kinks it leaves


def chaikin(pts: np.ndarray, passes: int, closed: bool) -> np.ndarray:
    """Chaikin corner cutting (cuts at 1/4 and 3/4 of each segment); an open line keeps its
    end points, a ring (last point = first) stays closed."""
    for _ in range(passes):
        body = pts[:-1] if closed else pts
        nxt = np.roll(body, -1, axis=0) if closed else body[1:]
        cur = body if closed else body[:-1]
        cut = np.empty((2 * len(cur), 2))
        cut[0::2], cut[1::2] = 0.75 * cur + 0.25 * nxt, 0.25 * cur + 0.75 * nxt
        pts = np.vstack([cut, cut[:1]]) if closed else np.vstack([body[:1], cut[1:-1], body[-1:]])
    return pts


def gaussian_clamped(coords: np.ndarray, sigma: float, radius: np.ndarray, closed: bool) -> np.ndarray:
    """Gaussian smoothing of a densified polyline (``sigma`` in vertices), each vertex then
    pulled back to within ``radius[i]`` of where it was. A ring (``closed``, last point = first)
    is smoothed around; an open line keeps its end points (give them radius 0)."""
    pts = np.asarray(coords, dtype=float)[:, :2]
    body = pts[:-1] if closed else pts
    half = max(int(3 * sigma), 1)
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    if closed:
        padded = body[np.arange(-half, len(body) + half) % len(body)]
    else:
        padded = np.vstack([np.repeat(body[:1], half, axis=0), body, np.repeat(body[-1:], half, axis=0)])
    smooth = np.column_stack([np.convolve(padded[:, k], kernel, mode="valid") for k in (0, 1)])
    shift = smooth - body
    dist = np.hypot(shift[:, 0], shift[:, 1])
    r = radius[: len(body)]
    scale = np.where(dist > r, r / np.where(dist > 0, dist, 1.0), 1.0)
    out = body + shift * scale[:, None]
    return np.vstack([out, out[:1]]) if closed else out


def _arcs(polygons: list[shapely.Geometry]) -> list[LineString]:
    """The boundaries of ``polygons`` noded into arcs between junctions."""
    noded = shapely.union_all([shapely.boundary(p) for p in polygons])
    merged = shapely.line_merge(noded)
    return list(getattr(merged, "geoms", [merged]))


def smooth_arc(
    arc: LineString, step: float, radius: float, sigma: float, tolerance: float, precision: int
) -> LineString:
    """One arc smoothed within ``radius`` of itself, simplified and rounded; its end points are
    kept. The arc gets a vertex every ``step / 4`` first; near an open arc's ends the allowed
    shift grows from 0 to ``radius`` over one ``step``, so arcs meeting at a node cannot cross.
    An arc shorter than ``SHORT_ARC_CELLS`` cells (a one-cell part, a corner) is only rounded:
    smoothing would shrink it to a dot."""
    if arc.length < SHORT_ARC_CELLS * step:
        return _rounded(arc, precision)
    dense = shapely.segmentize(arc, step / 4)
    coords = np.asarray(dense.coords)[:, :2]
    closed = arc.is_ring
    if closed:
        allowed = np.full(len(coords), radius)
    else:
        seg = np.hypot(*np.diff(coords, axis=0).T)
        along = np.concatenate([[0.0], np.cumsum(seg)])
        to_end = np.minimum(along, along[-1] - along)
        allowed = radius * np.clip(to_end / step, 0.0, 1.0)
    pts = chaikin(gaussian_clamped(coords, sigma * 4, allowed, closed), ROUNDING_PASSES, closed)
    line = shapely.simplify(LineString(pts), tolerance, preserve_topology=True)
    pts = np.round(np.asarray(line.coords), precision)
    if not closed:
        pts[0], pts[-1] = np.round(coords[0], precision), np.round(coords[-1], precision)
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)  # drop repeats made by rounding
    return LineString(pts[keep])


def _rounded(arc: LineString, precision: int) -> LineString:
    return LineString(np.round(np.asarray(arc.coords)[:, :2], precision))


def smooth_coverage(
    polygons: Mapping[str, shapely.Geometry],
    step: float,
    radius: float = 0.4,
    sigma: float = 1.5,
    tolerance: float = 0.002,
    precision: int = 6,
    fixed: shapely.Geometry | None = None,
) -> dict[str, shapely.Geometry]:
    """Smooth the edges of a set of polygons that nest or touch, each shared edge once (see the
    module docstring). Returns the polygons by the same keys, valid and normalised.

    ``fixed`` (e.g. the sea) takes part in the noding, so its edges end the arcs, but the arcs
    along its edge keep their cell-edge course (only rounded): a basin still reaches the sea
    exactly where it did."""
    keys = list(polygons)
    originals = [polygons[k] for k in keys]
    noding = originals + ([fixed] if fixed is not None else [])
    fixed_edge = shapely.boundary(fixed) if fixed is not None else None
    arcs = _arcs(noding)
    faces_before = list(shapely.polygonize(arcs).geoms)
    inside = [
        [k for k, poly in zip(keys, originals, strict=True) if poly.contains(face.representative_point())]
        for face in faces_before
    ]
    smoothed_arcs = [
        _rounded(a, precision)
        if fixed_edge is not None and fixed_edge.distance(a.interpolate(0.5, normalized=True)) < 1e-9
        else smooth_arc(a, step, radius * step, sigma, tolerance, precision)
        for a in arcs
    ]
    noded = shapely.union_all(smoothed_arcs)
    faces_after = list(shapely.polygonize(list(getattr(noded, "geoms", [noded]))).geoms)
    tree = shapely.STRtree(faces_after)
    members: dict[str, list[Polygon]] = {k: [] for k in keys}
    for face, owners in zip(faces_before, inside, strict=True):
        if not owners:
            continue
        candidates = tree.query(face)
        best = max(candidates, key=lambda i: faces_after[i].intersection(face).area)
        for k in owners:
            members[k].append(faces_after[best])
    result = {}
    for k in keys:
        merged = shapely.make_valid(shapely.union_all(members[k]))
        result[k] = shapely.normalize(merged)
    return result
