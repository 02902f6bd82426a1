"""Drainage basins of the Amur and its treaty rivers, derived from the 5′ DEM.

Method (details, parameters and validation in ``geodata/METHOD-watersheds.md``):

1. The Natural Earth 1:10m rivers are traced cell by cell on the DEM grid. Two rivers too
   small for Natural Earth, the Amazar and the Malaya Gorbitsa, get a guided course: the
   least-cost valley path on the DEM from a head point to their published mouth.
2. The traced network is flooded from its outlets (sea, box edge, closed sinks), so every
   river cell drains to the next cell of its own line, and each river is carved
   ``burn_depth_m`` below the terrain with a profile that falls at least ``channel_drop_m``
   per cell all the way to its outlet (no pits on a river).
3. Off the rivers, depressions are filled only up to ``max_fill_depth_m``; deeper ones stay
   closed (endorheic), e.g. in the Gobi. Hulun Nur and the Natural Earth playas are closed
   sinks on purpose. pyflwdir derives the D8 flow directions.
4. A basin is every cell upstream of its outlet cell, polygonised on the DEM cell edges.
5. The edges are smoothed (``smooth.py``): each edge shared by two basins once, so the basins
   still nest and touch exactly, within 0.4 cell (+ 0.002°) of the cell-edge line.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyflwdir
import rasterio
import shapely
from pyproj import Geod
from rasterio import features
from rasterio.transform import Affine
from shapely.geometry import LineString, MultiLineString, shape

from ..rawdata.sources import curated
from .smooth import smooth_coverage

DEM_FILE = Path("elevation") / "amur_region_dem_5min.tif"
RIVERS_FILE = Path("natural-earth") / "ne_10m_rivers_lake_centerlines.geojson"
LAKES_FILE = Path("natural-earth") / "ne_10m_lakes.geojson"
PLAYAS_FILE = Path("natural-earth") / "ne_10m_playas.geojson"

BURN_DEPTH_M = 100.0  # rivers are carved this far below the DEM
MAX_FILL_DEPTH_M = 125.0  # depressions deeper than this stay closed basins
CHANNEL_DROP_M = 0.01  # minimum fall per river cell towards the mouth
# guided courses: a step that climbs this far above the lower end of the course costs double
GUIDE_RELIEF_M = 100.0
SEA_LINK_CELLS = 3  # a dangling, low river end this close to the sea is linked to it
SEA_LINK_MAX_ELEV_M = 30.0
SMOOTH_SIGMA_CELLS = 1.5  # Gaussian smoothing of the basin edges (see smooth.py)
SMOOTH_RADIUS_CELLS = 0.4  # no vertex moves further than this from the cell-edge line
SMOOTH_TOLERANCE_DEG = 0.002  # Douglas-Peucker after smoothing, about 200 m
SINK_LAKES = ("Hulun Nuur",)  # closed on purpose: see METHOD-watersheds.md
NODATA = -9999.0
VERST_M = 1066.8
GEOD = Geod(ellps="WGS84")

AMUR_MOUTH = (141.0839, 52.9472)  # facts.md §2 (enwiki)
GORBITSA_MOUTH = (119.2167, 53.1000)  # facts.md §2 (zhwiki), Gorbitsa village
AMAZAR_MOUTH = (122.0794, 53.4250)  # facts.md §2 (ruwiki)
# facts.md §2 (ruwiki): the Amazar source, where the Bolshoy and Maly Amazar meet
AMAZAR_SOURCE = (119.6356, 53.8431)
# Brockhaus-Efron "Горбица": the Malaya Gorbitsa flows from N to S, up to 70 versts
GORBITSA_LENGTH_VERSTS = 70.0


def _north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(point[0], point[1], 0.0, metres)
    return round(float(lon), 4), round(float(lat), 4)


# No source coordinate is published for the Malaya Gorbitsa (facts.md): its course is guided
# towards a point 70 versts due north of the mouth, Brockhaus's length and direction.
GORBITSA_GUIDE_HEAD = _north_of(GORBITSA_MOUTH, GORBITSA_LENGTH_VERSTS * VERST_M)


@dataclass(frozen=True)
class BasinSpec:
    """One basin and how its outlet cell is found.

    rule "mouth": the routed river cell containing ``mouth``; "junction": the last cell of the
    Natural Earth river ``river`` before it meets ``main``; "guided": a river missing from Natural
    Earth, given a least-cost course from ``head`` to ``mouth`` on ``main``; its outlet is the last
    course cell before ``main``.
    """

    id: str
    name: str
    published_area_km2: float | None
    rule: str
    river: str = ""
    main: str = ""
    mouth: tuple[float, float] | None = None
    head: tuple[float, float] | None = None


BASINS: tuple[BasinSpec, ...] = (
    BasinSpec("amur", "Amur", 1_855_000, "mouth", river="Amur", mouth=AMUR_MOUTH),
    BasinSpec("argun", "Argun", 164_000, "junction", river="Argun’", main="Shilka"),
    BasinSpec("shilka", "Shilka", 206_000, "junction", river="Shilka", main="Argun’"),
    BasinSpec("zeya", "Zeya", 233_000, "junction", river="Zeya", main="Heilong Jiang"),
    BasinSpec(
        "gorbitsa",
        "Malaya Gorbitsa",
        None,
        "guided",
        river="gorbitsa",
        main="Shilka",
        mouth=GORBITSA_MOUTH,
        head=GORBITSA_GUIDE_HEAD,
    ),
    # 11,100 km²: State Water Register of Russia, as quoted by ruwiki/dewiki "Амазар"
    BasinSpec(
        "amazar",
        "Amazar (Bolshaya Gorbitsa)",
        11_100,
        "guided",
        river="amazar",
        main="Heilong Jiang",
        mouth=AMAZAR_MOUTH,
        head=AMAZAR_SOURCE,
    ),
)
STEM_IDS = ("gorbitsa", "amazar")


@dataclass(frozen=True)
class BasinResult:
    """Derived basins (edges smoothed), the main stems of the two Gorbitsa candidates, the
    parameters used, and the basins on the DEM cell edges before smoothing (``cells``, by id)."""

    basins: gpd.GeoDataFrame
    stems: gpd.GeoDataFrame
    metadata: dict[str, Any]
    cells: dict[str, shapely.Geometry]


@dataclass(frozen=True)
class Grid:
    """The DEM grid: shape, affine transform and geodesic cell area per row (km²)."""

    shape: tuple[int, int]
    transform: Affine
    row_area_km2: np.ndarray

    def cell(self, lon: float, lat: float) -> int:
        """Linear index of the cell containing (lon, lat); -1 outside the grid."""
        t = self.transform  # north-up grid: no rotation terms
        r, c = math.floor((lat - t.f) / t.e), math.floor((lon - t.c) / t.a)
        if 0 <= r < self.shape[0] and 0 <= c < self.shape[1]:
            return r * self.shape[1] + c
        return -1

    def centre(self, idx: int) -> tuple[float, float]:
        """(lon, lat) of the centre of cell ``idx``."""
        row, col = divmod(int(idx), self.shape[1])
        t = self.transform
        return t.c + (col + 0.5) * t.a, t.f + (row + 0.5) * t.e

    def neighbours(self, idx: int) -> list[int]:
        """The up to 8 neighbours of cell ``idx``, in index order."""
        nrow, ncol = self.shape
        r0, c0 = divmod(int(idx), ncol)
        return [
            r * ncol + c
            for r in range(r0 - 1, r0 + 2)
            for c in range(c0 - 1, c0 + 2)
            if (r, c) != (r0, c0) and 0 <= r < nrow and 0 <= c < ncol
        ]

    def on_edge_of(self, mask: np.ndarray, idx: int) -> bool:
        """True if cell ``idx`` is on the box edge or next to a cell of the flat mask ``mask``."""
        return len(self.neighbours(idx)) < 8 or bool(mask[self.neighbours(idx)].any())


# --------------------------------------------------------------------------- inputs


def read_dem(data_dir: Path) -> tuple[np.ndarray, Grid]:
    """DEM in metres as a flat float64 array (sea = NaN) and its grid."""
    with rasterio.open(data_dir / DEM_FILE) as src:
        raw = src.read(1)
        elev = np.where(raw == src.nodata, np.nan, raw.astype(np.float64))
        transform = src.transform
    if transform.b or transform.d or transform.e >= 0:
        raise ValueError(f"{DEM_FILE}: expected a north-up grid, got {transform}")
    return elev.ravel(), Grid(raw.shape, transform, row_areas_km2(transform, raw.shape[0]))


def row_areas_km2(transform: Affine, nrow: int) -> np.ndarray:
    """Geodesic area (WGS84) of one cell in each row, km²."""
    x0, y0, dx, dy = transform.c, transform.f, transform.a, transform.e
    areas = []
    for r in range(nrow):
        top, bottom = y0 + r * dy, y0 + (r + 1) * dy
        area, _ = GEOD.polygon_area_perimeter(
            [x0, x0 + dx, x0 + dx, x0], [top, top, bottom, bottom]
        )
        areas.append(abs(area) / 1e6)
    return np.array(areas)


def read_lines(data_dir: Path) -> list[tuple[str, LineString]]:
    """Natural Earth river and lake centrelines as (name, single-part LineString)."""
    rivers = gpd.read_file(data_dir / RIVERS_FILE)
    lines: list[tuple[str, LineString]] = []
    for name, geom in zip(rivers["name"], rivers.geometry, strict=True):
        parts = geom.geoms if isinstance(geom, MultiLineString) else [geom]
        lines.extend((str(name), part) for part in parts)
    return lines


def sink_mask(data_dir: Path, grid: Grid) -> np.ndarray:
    """Flat mask of the closed sinks: the SINK_LAKES and every Natural Earth playa."""
    lakes = gpd.read_file(data_dir / LAKES_FILE)
    playas = gpd.read_file(data_dir / PLAYAS_FILE)
    geoms = list(lakes[lakes["name"].isin(SINK_LAKES)].geometry) + list(playas.geometry)
    burned = features.rasterize(
        ((g, 1) for g in geoms),
        out_shape=grid.shape,
        transform=grid.transform,
        fill=0,
        dtype="uint8",
    )
    return burned.ravel().astype(bool)


# --------------------------------------------------------------------------- river courses


def trace_cells(line: LineString, grid: Grid) -> list[int]:
    """Cells a line passes through, in line order, consecutive duplicates dropped (-1 = outside)."""
    dense = shapely.segmentize(line, abs(grid.transform.a) / 20)
    xy = np.asarray(dense.coords)[:, :2]
    idxs = [grid.cell(x, y) for x, y in xy]
    return [i for k, i in enumerate(idxs) if k == 0 or i != idxs[k - 1]]


def sea_links(
    lines: list[tuple[str, LineString]], elev: np.ndarray, out: np.ndarray, grid: Grid
) -> list[tuple[str, LineString]]:
    """Links from river ends that stop short of the sea to the nearest sea cell.

    The Amur is extended through its published mouth; other dangling river ends that are low
    (<= SEA_LINK_MAX_ELEV_M) and within SEA_LINK_CELLS of the sea (the Liao, the Hai...) are
    joined to the nearest sea cell.
    """

    def key(pt: tuple[float, ...]) -> tuple[float, float]:
        return round(pt[0], 6), round(pt[1], 6)

    counts: dict[tuple[float, float], int] = {}
    for _, ln in lines:
        for pt in (ln.coords[0], ln.coords[-1]):
            counts[key(pt)] = counts.get(key(pt), 0) + 1
    amur_end = min(
        (pt for name, ln in lines if name == "Amur" for pt in (ln.coords[0], ln.coords[-1])),
        key=lambda p: math.dist(p, AMUR_MOUTH),
    )
    amur_sea = nearest_cell_centre(AMUR_MOUTH, out, grid, 10)
    if amur_sea is None:
        raise RuntimeError("no sea cell near the Amur mouth")
    links = [("Amur", LineString([amur_end, AMUR_MOUTH, amur_sea]))]
    for name, ln in lines:
        for pt in (ln.coords[0], ln.coords[-1]):
            idx = grid.cell(pt[0], pt[1])
            if counts[key(pt)] > 1 or idx < 0 or out[idx] or elev[idx] > SEA_LINK_MAX_ELEV_M:
                continue
            if grid.on_edge_of(out, idx):
                continue
            sea = nearest_cell_centre(pt, out, grid, SEA_LINK_CELLS)
            if sea is not None:
                links.append((name, LineString([pt[:2], sea])))
    return links


def nearest_cell_centre(
    pt: tuple[float, ...], mask: np.ndarray, grid: Grid, radius: int
) -> tuple[float, float] | None:
    """Centre of the cell of ``mask`` nearest to ``pt`` within ``radius`` cells, if any."""
    r0, c0 = divmod(grid.cell(pt[0], pt[1]), grid.shape[1])
    found = [
        (math.dist(pt[:2], grid.centre(r * grid.shape[1] + c)), r * grid.shape[1] + c)
        for r in range(max(r0 - radius, 0), min(r0 + radius + 1, grid.shape[0]))
        for c in range(max(c0 - radius, 0), min(c0 + radius + 1, grid.shape[1]))
        if mask[r * grid.shape[1] + c]
    ]
    return grid.centre(min(found)[1]) if found else None


def _cheapest_path(
    start: int,
    goal: int,
    elev: np.ndarray,
    blocked: np.ndarray,
    grid: Grid,
    z_ref: float,
    goal_ok=None,
) -> list[int]:
    """Least-cost path of cells from ``start`` to ``goal`` (both included), Dijkstra on the
    8-neighbour grid. Step cost = geodesic step length x (1 + climb above ``z_ref`` /
    GUIDE_RELIEF_M). Cells of ``blocked`` are not entered (except ``goal``); ``goal_ok(prev)``
    may refuse the last step."""
    cost = {start: 0.0}
    prev: dict[int, int] = {}
    heap = [(0.0, start)]
    while heap:
        d, idx = heapq.heappop(heap)
        if idx == goal:
            break
        if d > cost[idx]:
            continue
        for nxt in grid.neighbours(idx):
            if nxt == goal:
                if goal_ok is not None and not goal_ok(idx):
                    continue
            elif blocked[nxt]:
                continue
            _, _, step = GEOD.inv(*grid.centre(idx), *grid.centre(nxt))
            new = d + step / 1000 * (1 + max(elev[nxt] - z_ref, 0.0) / GUIDE_RELIEF_M)
            if new < cost.get(nxt, math.inf):
                cost[nxt], prev[nxt] = new, idx
                heapq.heappush(heap, (new, nxt))
    if goal != start and goal not in prev:
        raise RuntimeError(f"no guided course from cell {start} to cell {goal}")
    path = [goal]
    while path[-1] != start:
        path.append(prev[path[-1]])
    return path[::-1]


def guided_course(
    spec: BasinSpec,
    elev: np.ndarray,
    out: np.ndarray,
    traces: dict[str, list[list[int]]],
    grid: Grid,
    via: tuple[tuple[float, float], ...] = (),
    bank: str | None = "north",
) -> list[int]:
    """Least-cost valley path from ``spec.head`` through the ``via`` points to the ``spec.main``
    cell at ``spec.mouth``.

    Step cost = step length x (1 + climb above the lower end / GUIDE_RELIEF_M). The path keeps
    one cell clear of every Natural Earth river and, with ``bank="north"``, enters the mouth cell
    from the north (left bank).
    """
    assert spec.head is not None and spec.mouth is not None
    mouth_xy = spec.mouth
    main_cells = {i for cells in traces[spec.main] for i in cells if i >= 0 and not out[i]}
    mouth = min(main_cells, key=lambda i: (math.dist(grid.centre(i), mouth_xy), i))
    head = grid.cell(*spec.head)
    if head < 0 or out[head]:
        raise RuntimeError(f"{spec.id}: head {spec.head} is not on land")
    river = np.zeros(out.size, dtype=bool)
    river[[i for parts in traces.values() for cells in parts for i in cells if i >= 0]] = True
    near_mouth = set(grid.neighbours(mouth))
    blocked = out | river
    for idx in np.flatnonzero(~blocked):
        if int(idx) not in near_mouth and grid.on_edge_of(river, int(idx)):
            blocked[idx] = True
    ncol = grid.shape[1]
    z_ref = min(elev[head], elev[mouth])
    stops = [head, *(grid.cell(*pt) for pt in via), mouth]
    for stop in stops[1:-1]:
        if stop < 0 or blocked[stop]:
            raise RuntimeError(f"{spec.id}: a via point is off land or next to another river")

    def enters_from_north(prev: int) -> bool:
        return bank != "north" or prev // ncol < mouth // ncol

    path = [head]
    for a, b in itertools.pairwise(stops):
        goal_ok = enters_from_north if b == mouth else None
        path += _cheapest_path(a, b, elev, blocked, grid, z_ref, goal_ok)[1:]
    return path


@dataclass(frozen=True)
class GuidedRiver:
    """A river burned in only to route the basins (``rawdata/curated/guided_rivers.json``)."""

    spec: BasinSpec
    via: tuple[tuple[float, float], ...]


def extra_guided_rivers() -> list[GuidedRiver]:
    """The guided rivers of ``rawdata/curated/guided_rivers.json`` (sources and reasons are kept there)."""
    return [
        GuidedRiver(
            BasinSpec(r["id"], r["name"], None, "guided", river=r["id"], main=r["main"],
                      mouth=tuple(r["mouth"]), head=tuple(r["head"])),
            tuple(tuple(pt) for pt in r["via"]),
        )
        for r in curated("guided_rivers")["rivers"]
    ]


def river_traces(
    data_dir: Path, elev: np.ndarray, out: np.ndarray, grid: Grid
) -> dict[str, list[list[int]]]:
    """Cell sequences of every river by name: Natural Earth, sea links and the guided courses."""
    lines = read_lines(data_dir)
    traces: dict[str, list[list[int]]] = {}
    for name, line in lines + sea_links(lines, elev, out, grid):
        traces.setdefault(name, []).append(trace_cells(line, grid))
    for spec in BASINS:
        if spec.rule == "guided":
            traces[spec.river] = [guided_course(spec, elev, out, traces, grid)]
    for extra in extra_guided_rivers():
        course = guided_course(extra.spec, elev, out, traces, grid, via=extra.via, bank=None)
        traces[extra.spec.river] = [course]
    return traces


# --------------------------------------------------------------------------- routing


def river_graph(traces: dict[str, list[list[int]]], out: np.ndarray) -> dict[int, set[int]]:
    """Undirected graph of river cells: consecutive land cells along each traced course."""
    graph: dict[int, set[int]] = {}
    for cells in (c for ts in traces.values() for c in ts):
        land = [i if i >= 0 and not out[i] else -1 for i in cells]
        for i in land:
            if i >= 0:
                graph.setdefault(i, set())
        for a, b in itertools.pairwise(land):
            if a >= 0 and b >= 0:
                graph[a].add(b)
                graph[b].add(a)
    return graph


def route_rivers(
    graph: dict[int, set[int]], elev: np.ndarray, out: np.ndarray, grid: Grid
) -> tuple[dict[int, int], list[int]]:
    """Downstream cell of every river cell reachable from an outlet, and the visiting order.

    A priority flood over the river graph from its outlets (river cells next to the sea, a sink
    or the box edge), lowest terrain first: each cell drains to the cell it was reached from
    (-1 for outlets). The order lists every cell after its downstream cell.
    """
    parent: dict[int, int] = {}
    heap: list[tuple[float, int]] = []
    for idx in sorted(graph):
        if grid.on_edge_of(out, idx):
            parent[idx] = -1
            heap.append((elev[idx], idx))
    heapq.heapify(heap)
    order: list[int] = []
    while heap:
        _, idx = heapq.heappop(heap)
        order.append(idx)
        for nxt in sorted(graph[idx]):
            if nxt not in parent:
                parent[nxt] = idx
                heapq.heappush(heap, (elev[nxt], nxt))
    return parent, order


def carve_rivers(elev: np.ndarray, parent: dict[int, int], order: list[int]) -> np.ndarray:
    """Elevations with each routed river cell BURN_DEPTH_M lower, falling strictly to its outlet."""
    carved = elev.copy()
    carved[order] -= BURN_DEPTH_M
    for idx in reversed(order):  # upstream cells first
        down = parent[idx]
        if down >= 0:
            carved[down] = min(carved[down], carved[idx] - CHANNEL_DROP_M)
    return carved


D8_CODE = {
    (-1, -1): 32,
    (-1, 0): 64,
    (-1, 1): 128,
    (0, -1): 16,
    (0, 1): 1,
    (1, -1): 8,
    (1, 0): 4,
    (1, 1): 2,
}


def flow_directions(
    carved: np.ndarray, out: np.ndarray, parent: dict[int, int], grid: Grid
) -> pyflwdir.FlwdirRaster:
    """pyflwdir D8 flow directions.

    Depressions are filled up to MAX_FILL_DEPTH_M; river cells keep the direction of their course.
    """
    dem = np.where(out, NODATA, carved).reshape(grid.shape)
    _, d8 = pyflwdir.dem.fill_depressions(
        dem, outlets="edge", nodata=NODATA, max_depth=MAX_FILL_DEPTH_M
    )
    flat = d8.copy().ravel()
    ncol = grid.shape[1]
    for idx, down in parent.items():
        if down < 0:
            flat[idx] = 0  # river outlet: a pit
        else:
            (r0, c0), (r1, c1) = divmod(idx, ncol), divmod(down, ncol)
            flat[idx] = D8_CODE[(r1 - r0, c1 - c0)]
    flw = pyflwdir.from_array(
        flat.reshape(grid.shape),
        ftype="d8",
        transform=grid.transform,
        latlon=True,
        check_ftype=False,
    )
    if not flw.isvalid:
        raise RuntimeError("flow directions contain loops")
    return flw


# --------------------------------------------------------------------------- outlets


def river_cells(traces: dict[str, list[list[int]]], name: str, parent: dict[int, int]) -> list[int]:
    """Routed cells of river ``name``, longest part first, in course order."""
    parts = sorted(traces[name], key=len, reverse=True)
    return [i for cells in parts for i in cells if i in parent]


def downstream_path(parent: dict[int, int], idx: int) -> list[int]:
    """River cells from ``idx`` down to its outlet."""
    path = [idx]
    while parent[path[-1]] >= 0:
        path.append(parent[path[-1]])
    return path


def junction_outlet(parent: dict[int, int], river: list[int], main: set[int]) -> int:
    """Last cell on the way down from the middle cell of ``river`` before a cell of ``main``."""
    path = downstream_path(parent, river[len(river) // 2])
    for prev, cur in itertools.pairwise(path):
        if cur in main:
            return prev
    raise RuntimeError("river never meets its main river")


def find_outlet(
    spec: BasinSpec, traces: dict[str, list[list[int]]], parent: dict[int, int], grid: Grid
) -> int:
    """Outlet cell of one basin (see BasinSpec)."""
    if spec.rule == "mouth":
        assert spec.mouth is not None
        idx = grid.cell(*spec.mouth)
        if idx not in parent:
            raise RuntimeError(f"{spec.id}: the mouth cell is not on the routed river")
        return idx
    if spec.rule == "junction":
        main = river_cells(traces, spec.main, parent)
        main_path = set(downstream_path(parent, main[len(main) // 2]))
        return junction_outlet(parent, river_cells(traces, spec.river, parent), main_path)
    main_cells = set(river_cells(traces, spec.main, parent))
    head = traces[spec.river][0][0]  # the course runs from its head to the mouth cell
    outlet = junction_outlet(parent, [head], main_cells)
    if outlet // grid.shape[1] >= parent[outlet] // grid.shape[1]:
        raise RuntimeError(f"{spec.id}: outlet is not on the north bank")
    return outlet


# --------------------------------------------------------------------------- vectors


def mask_polygon(mask: np.ndarray, out: np.ndarray, grid: Grid) -> shapely.Geometry:
    """Cells of ``mask`` (2-D bool) as one valid, normalised (Multi)Polygon on the cell edges.

    A hole is kept only if it holds sea or a closed sink (``out``); any other hole is a depression
    enclosed by this basin, which can only overflow into it, and is filled.
    """
    polys = [
        shape(geom)
        for geom, value in features.shapes(
            mask.astype(np.uint8), mask=mask, transform=grid.transform, connectivity=4
        )
        if value == 1
    ]
    merged = shapely.make_valid(shapely.union_all(polys))
    out_xy = np.array([grid.centre(int(i)) for i in np.flatnonzero(out)])
    parts = []
    for part in getattr(merged, "geoms", [merged]):
        holes = [
            ring
            for ring in part.interiors
            if shapely.contains_xy(shapely.Polygon(ring), out_xy[:, 0], out_xy[:, 1]).any()
        ]
        parts.append(shapely.Polygon(part.exterior, holes))
    merged = shapely.make_valid(shapely.union_all(parts))
    merged = shapely.simplify(merged, 0.0)  # drops collinear vertices only
    return shapely.normalize(merged)


def geodesic_area_km2(geom: shapely.Geometry, step_deg: float) -> float:
    """Geodesic area (pyproj Geod, WGS84); edges densified to ``step_deg`` to follow parallels."""
    area, _ = GEOD.geometry_area_perimeter(shapely.segmentize(geom, step_deg))
    return abs(area) / 1e6


def main_stem(
    flw: pyflwdir.FlwdirRaster, basin: np.ndarray, outlet: int, head: int, grid: Grid
) -> tuple[LineString, float]:
    """Longest flow path to ``outlet`` among the cells that drain through cell ``head``.

    ``head`` is the upper end of the river's course (for the Amazar its published source), so the
    stem follows the named river and not a longer side branch. Returns a LineString of cell centres
    from the head of the path to the centre of the receiving river's cell below the outlet (the
    confluence), and its geodesic length in km.
    """
    idxs_ds = flw.idxs_ds
    upstream = (flw.basins(idxs=np.array([head])) > 0).ravel() & basin.ravel()
    seq = flw.idxs_seq[basin.ravel()[flw.idxs_seq]]  # basin cells, downstream first
    dist: dict[int, float] = {}
    for idx in seq.tolist():
        down = int(idxs_ds[idx])
        _, _, step = GEOD.inv(*grid.centre(idx), *grid.centre(down))
        dist[idx] = step if idx == outlet else dist[down] + step
    source = max((i for i in dist if upstream[i]), key=lambda i: (dist[i], -i))
    path = [source]
    while path[-1] != outlet:
        path.append(int(idxs_ds[path[-1]]))
    path.append(int(idxs_ds[outlet]))
    line = LineString([grid.centre(i) for i in path])
    return line, GEOD.geometry_length(line) / 1000


# --------------------------------------------------------------------------- public


def derive_basins(data_dir: Path) -> BasinResult:
    """Derive the BASINS polygons and STEM_IDS main stems from the DEM and Natural Earth rivers."""
    data_dir = Path(data_dir)
    elev, grid = read_dem(data_dir)
    out = np.isnan(elev) | sink_mask(data_dir, grid)
    traces = river_traces(data_dir, elev, out, grid)
    parent, order = route_rivers(river_graph(traces, out), elev, out, grid)
    flw = flow_directions(carve_rivers(elev, parent, order), out, parent, grid)

    basin_rows: list[dict[str, Any]] = []
    stem_rows: list[dict[str, Any]] = []
    cells: dict[str, Any] = {}
    for spec in BASINS:
        outlet = find_outlet(spec, traces, parent, grid)
        mask = flw.basins(idxs=np.array([outlet])) > 0
        cells[spec.id] = mask_polygon(mask, out, grid)
        lon, lat = grid.centre(outlet)
        basin_rows.append(
            {
                "id": spec.id,
                "name": spec.name,
                "outlet_lon": round(lon, 6),
                "outlet_lat": round(lat, 6),
                "published_area_km2": spec.published_area_km2,
            }
        )
        if spec.id in STEM_IDS:
            line, length = main_stem(flw, mask, outlet, traces[spec.river][0][0], grid)
            stem_rows.append(
                {
                    "id": spec.id,
                    "length_km": round(length, 1),
                    "source_lon": round(line.coords[0][0], 6),
                    "source_lat": round(line.coords[0][1], 6),
                    "geometry": line,
                }
            )
    cell = abs(grid.transform.a)
    sea = mask_polygon(np.isnan(elev).reshape(grid.shape), out, grid)
    smoothed = smooth_coverage(
        cells, cell, SMOOTH_RADIUS_CELLS, SMOOTH_SIGMA_CELLS, SMOOTH_TOLERANCE_DEG, precision=6, fixed=sea
    )
    for row in basin_rows:
        row["geometry"] = smoothed[row["id"]]
        row["area_km2"] = round(geodesic_area_km2(row["geometry"], cell), 1)
    metadata = {
        "dem": DEM_FILE.name,
        "cell_size_deg": round(abs(grid.transform.a), 10),
        "burn_depth_m": BURN_DEPTH_M,
        "max_fill_depth_m": MAX_FILL_DEPTH_M,
        "channel_drop_m": CHANNEL_DROP_M,
        "guide_relief_m": GUIDE_RELIEF_M,
        "gorbitsa_guide_head": f"{GORBITSA_GUIDE_HEAD[1]} N {GORBITSA_GUIDE_HEAD[0]} E",
        "burned_rivers": (
            "all Natural Earth 4.0.0 10m river centrelines + guided Amazar, Gorbitsa and "
            + ", ".join(extra.spec.name for extra in extra_guided_rivers())
            + " courses"
        ),
        "closed_sinks": "Hulun Nuur and Natural Earth playas",
        "flow_directions": f"pyflwdir {pyflwdir.__version__} D8",
        "smoothing": (
            f"each shared edge once: Gaussian sigma {SMOOTH_SIGMA_CELLS} cells, every vertex kept "
            f"within {SMOOTH_RADIUS_CELLS} cell of the cell-edge line, Douglas-Peucker "
            f"{SMOOTH_TOLERANCE_DEG} deg"
        ),
    }
    return BasinResult(
        basins=gpd.GeoDataFrame(basin_rows, geometry="geometry", crs="EPSG:4326"),
        stems=gpd.GeoDataFrame(stem_rows, geometry="geometry", crs="EPSG:4326"),
        metadata=metadata,
        cells=cells,
    )
