"""Rivers: Natural Earth centrelines with clean names, snapped at the Argun–Shilka confluence.

Natural Earth ends the Argun about 5 km short of the true confluence and starts its
'Heilong Jiang' (upper Amur) there, so the first few kilometres of that line are really the
last reach of the Argun. The pipeline splits the Amur at the confluence control point, hands
the upstream piece to the Argun, and makes the Argun, the Shilka and the Amur meet at exactly
that point. The Gorbitsa, too small for Natural Earth, comes from the DEM (see basins.py).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
import shapely.ops
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import linemerge, substring

from ..analysis import length_km
from ..rawdata.sources import NATURAL_EARTH, control_point, control_xy, curated, natural_earth

NE_RIVERS = "ne_10m_rivers_lake_centerlines"
NE_PRECISION_KM = 2.0
VERST_KM = 1.0668  # the Russian verst of 500 sazhens
GEOD = Geod(ellps="WGS84")


GAP_TOLERANCE_DEG = 0.05  # Natural Earth leaves gaps of up to ~2 km at lakes and reservoirs


def _chain(parts: list[LineString], tol: float = GAP_TOLERANCE_DEG) -> LineString | MultiLineString:
    """Join pieces end to end (reversing where needed) across gaps shorter than ``tol``."""
    pieces = sorted((p for p in parts if p.length > 0), key=lambda p: -p.length)
    coords = list(pieces.pop(0).coords)
    while pieces:
        best = None
        for i, piece in enumerate(pieces):
            pc = list(piece.coords)
            options = (
                (Point(coords[-1]).distance(Point(pc[0])), i, "append", pc),
                (Point(coords[-1]).distance(Point(pc[-1])), i, "append", pc[::-1]),
                (Point(coords[0]).distance(Point(pc[-1])), i, "prepend", pc),
                (Point(coords[0]).distance(Point(pc[0])), i, "prepend", pc[::-1]),
            )
            candidate = min(options, key=lambda o: o[0])
            if best is None or candidate[0] < best[0]:
                best = candidate
        assert best is not None  # pieces is not empty
        if best[0] > tol:
            break
        _, i, where, pc = best
        pieces.pop(i)
        coords = coords + pc[1:] if where == "append" else pc[:-1] + coords
    line = LineString(coords)
    pieces = [p for p in pieces if p.length > tol]  # drop stubs left at lake centrelines
    return MultiLineString([line, *pieces]) if pieces else line


def _merge(lines: list[LineString | MultiLineString]) -> LineString | MultiLineString:
    union = linemerge(shapely.union_all(lines)) if len(lines) > 1 else lines[0]
    parts = list(getattr(union, "geoms", [union]))
    return parts[0] if len(parts) == 1 else _chain(parts)


def _longest(geom: LineString | MultiLineString) -> LineString:
    if geom.geom_type == "LineString":
        return geom
    return max(geom.geoms, key=lambda g: g.length)


def orient(line: LineString, mouth: Point) -> LineString:
    """Return ``line`` running from its source to the end nearer ``mouth``."""
    first, last = Point(line.coords[0]), Point(line.coords[-1])
    return line if last.distance(mouth) <= first.distance(mouth) else line.reverse()


def split_at(line: LineString, point: Point) -> tuple[LineString, LineString]:
    """Split ``line`` at the vertex nearest ``point``'s projection, both parts ending at ``point``."""
    d = line.project(point)
    before = substring(line, 0, d)
    after = substring(line, d, line.length)
    before = LineString([*before.coords[:-1], point.coords[0]])
    after = LineString([point.coords[0], *after.coords[1:]])
    return before, after


def snap_end(line: LineString, point: Point) -> LineString:
    """Replace the last vertex of ``line`` with ``point``."""
    return LineString([*line.coords[:-1], point.coords[0]])


def natural_earth_rivers(data_dir: Path) -> dict[str, LineString | MultiLineString]:
    """The curated rivers' geometry from Natural Earth, fixed at the confluence."""
    ne = natural_earth(data_dir, NE_RIVERS)
    geoms: dict[str, LineString | MultiLineString] = {}
    for spec in curated("rivers")["rivers"]:
        parts = ne[ne["name"].isin(spec["ne_names"])].geometry.tolist()
        if not parts:
            raise ValueError(f"Natural Earth has no river named {spec['ne_names']}")
        geoms[spec["id"]] = _merge(parts)

    confluence = control_xy("argun_shilka_confluence")
    amur = orient(_longest(geoms["amur"]), control_xy("amur_mouth"))
    argun_tail, amur = split_at(amur, confluence)
    argun = orient(_longest(geoms["argun"]), confluence)
    argun = LineString([*argun.coords, *argun_tail.coords[1:]])
    shilka = snap_end(orient(_longest(geoms["shilka"]), confluence), confluence)
    amur_rest = [g for g in getattr(geoms["amur"], "geoms", []) if not g.equals(_longest(geoms["amur"]))]
    geoms["amur"] = MultiLineString([amur, *amur_rest]) if amur_rest else amur
    geoms["argun"] = argun
    geoms["shilka"] = shilka
    return geoms


def _river_row(spec: dict, geom, source: str, method: str, precision_km: float, certainty: str) -> dict:
    return {
        "id": spec["id"],
        "name": spec["name"],
        "name_ru": spec["name_ru"],
        "name_zh": spec["name_zh"],
        "name_historical": spec.get("name_historical"),
        "system": spec["system"],
        "treaty": spec["treaty"],
        "role": spec["role"],
        "source": source,
        "method": method,
        "precision_km": precision_km,
        "certainty": certainty,
        "start_date": None,
        "end_date": None,
        "geometry": geom,
    }


def mouth_on(river: LineString, point_id: str) -> tuple[Point, LineString]:
    """The control point projected onto ``river`` (rounded to 1e-6°) and the river with that
    point inserted as a vertex, so tributary and river share the coordinate exactly."""
    p = river.interpolate(river.project(control_xy(point_id)))
    mouth = Point(round(p.x, 6), round(p.y, 6))
    before, after = split_at(river, mouth)
    return mouth, LineString([*before.coords, *after.coords[1:]])


def cut_upstream(line: LineString, km: float) -> LineString:
    """The last ``km`` (geodesic, WGS84) of ``line`` (which runs source -> mouth): the upper end
    is placed on the segment where that length is reached, along the segment's geodesic."""
    coords = list(line.coords)
    kept = [coords[-1]]
    left = km * 1000
    for down, up in zip(coords[::-1], coords[-2::-1], strict=False):
        azimuth, _, step = GEOD.inv(down[0], down[1], up[0], up[1])
        if step >= left:
            lon, lat, _ = GEOD.fwd(down[0], down[1], azimuth, left)
            kept.append((round(float(lon), 6), round(float(lat), 6)))
            return LineString(kept[::-1])
        kept.append(up)
        left -= step
    return line  # shorter than ``km``: kept whole


def dem_river_row(spec: dict, stem: LineString, mouth: Point, divide: shapely.Geometry | None = None) -> dict:
    """A river too small for Natural Earth: the DEM-derived main stem, its mouth snapped onto
    the river it joins, cut to its published length when ``spec`` gives one
    (``published_length``). ``spec`` comes from ``inputs/rivers.json`` (``dem_rivers``);
    ``divide`` (the Amur basin's edge) is used to say how far the source lies from it."""
    mouth_cp = control_point(spec["mouth_point"])
    line = snap_end(orient(stem, mouth), mouth)
    method = (
        f"digitised from control points: mouth from the control point, projected onto the "
        f"{spec['joins'].capitalize()} line; course guided from the head point down the DEM's "
        "valleys (see METHOD-watersheds.md)"
    )
    published = spec.get("published_length")
    if published:
        target_km = published["versts"] * VERST_KM
        line = cut_upstream(line, target_km)
        measured = length_km(line)
        method = (
            f"digitised from control points and a published length: mouth from the control point, "
            f"projected onto the {spec['joins'].capitalize()} line; course: the least-cost valley "
            f"path on the 5′ DEM from the mouth northwards ({published['direction']}), cut where "
            f"its geodesic length from the mouth reaches {published['versts']:g} versts = "
            f"{target_km:.1f} km ({published['source']}); measured {measured:.1f} km "
            f"(tolerance ±{published['tolerance']:.0%}); see METHOD-watersheds.md"
        )
    source_lon, source_lat = line.coords[0]
    if divide is not None:
        near = shapely.ops.nearest_points(divide.boundary, Point(source_lon, source_lat))[0]
        gap_km = GEOD.inv(source_lon, source_lat, near.x, near.y)[2] / 1000
        method += (
            f". Its source lies {gap_km:.0f} km from the Amur basin's edge (the divide); the "
            "treaty runs from the source to the mountains without saying how, so the border's "
            "junction from source to divide is its own segment"
        )
    row = _river_row(
        spec,
        line,
        source=(
            f"mouth: {mouth_cp['source']}, confidence {mouth_cp['confidence']}; course: "
            f"{spec['course_source']}; traced on the 5′ DEM (pvlib 0.16.1 Altitude.h5, from "
            "ETOPO1/GMTED2010/SRTM)"
        ),
        method=method,
        precision_km=10.0,
        certainty=spec["certainty"],
    )
    row["control_points"] = [
        {"role": "mouth", "lon": mouth_cp["lon"], "lat": mouth_cp["lat"],
         "source": mouth_cp["source"], "confidence": mouth_cp["confidence"]},
        {"role": "source", "lon": round(source_lon, 4), "lat": round(source_lat, 4),
         "source": spec["head_source"], "confidence": spec["head_confidence"], "uncertainty_km": 10.0},
    ]
    return row


def rivers_frame(
    data_dir: Path, stems: dict[str, LineString] | None = None, divide: shapely.Geometry | None = None
) -> gpd.GeoDataFrame:
    """The ``rivers`` layer: curated Natural Earth rivers plus the DEM-traced small rivers
    (the Gorbitsa, the Amazar) given as ``stems`` by id; ``divide`` is the Amur basin."""
    geoms = natural_earth_rivers(data_dir)
    rows = []
    for spec in curated("rivers")["rivers"]:
        fixed = spec["id"] in ("amur", "argun", "shilka")
        rows.append(
            _river_row(
                spec,
                geoms[spec["id"]],
                source=f"{NATURAL_EARTH}, {NE_RIVERS} (1:10m), public domain",
                method=(
                    "copied; merged into one line per river and snapped to the Argun–Shilka "
                    "confluence control point (enwiki 'Amur')"
                    if fixed
                    else "copied; merged into one line per river"
                ),
                precision_km=NE_PRECISION_KM,
                certainty="attested",
            )
        )
    for spec in curated("rivers")["dem_rivers"]:
        if not stems or spec["id"] not in stems:
            continue
        parent = next(row for row in rows if row["id"] == spec["joins"])
        parent_line = parent["geometry"]
        mouth, parent["geometry"] = mouth_on(parent_line, spec["mouth_point"])
        rows.insert(rows.index(parent) + 1, dem_river_row(spec, stems[spec["id"]], mouth, divide if spec["treaty"] else None))
    for row in rows:
        row.setdefault("control_points", None)
        row.setdefault("length_km", None)
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    gdf["length_km"] = [round(length_km(g), 1) for g in gdf.geometry]
    return gdf
