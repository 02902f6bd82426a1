"""The 1689 border and the undetermined Uda zone, derived from the rivers and the Amur basin.

The river segments are cut from the ``rivers`` geometry itself, and the mountain segments are
the edge of the ``amur`` basin polygon, so the border, the rivers and the basin share their
coordinates exactly.
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import substring

from ..analysis import area_km2, length_km
from .rivers import split_at
from .sources import curated, control_xy



def _ring_path(ring: LineString, start: float, end: float) -> LineString:
    """The part of a closed ring from distance ``start`` forward to ``end`` (wrapping around)."""
    if start <= end:
        return substring(ring, start, end)
    first = substring(ring, start, ring.length)
    second = substring(ring, 0, end)
    return LineString([*first.coords, *second.coords[1:]])


def northern_divide(amur: Polygon, start: Point, east_end: Point) -> LineString:
    """The edge of the Amur basin from the point nearest ``start`` to the one nearest ``east_end``,
    taken the northern way round."""
    outer = max(getattr(amur, "geoms", [amur]), key=lambda g: g.area)
    ring = LineString(outer.exterior.coords)
    d0, d1 = ring.project(start), ring.project(east_end)
    forward = _ring_path(ring, d0, d1)
    backward = _ring_path(ring, d1, d0).reverse()
    mean_lat = lambda line: sum(y for _, y in line.coords) / len(line.coords)  # noqa: E731
    return max((forward, backward), key=mean_lat)


def cut_at_coast(divide: LineString, coastline: shapely.Geometry, min_lon: float) -> LineString:
    """End the divide where it first reaches the sea east of ``min_lon``: at the end of the first
    segment that crosses the coastline there (so the line just overshoots the coast, and the
    polygons cut from it close on the coast)."""
    coords = list(divide.coords)
    for i in range(1, len(coords)):
        if coords[i][0] >= min_lon and LineString(coords[i - 1 : i + 1]).intersects(coastline):
            return LineString(coords[: i + 1])
    return divide


def split_divide(divide: LineString, at: Point) -> tuple[LineString, LineString]:
    """Split the divide at the vertex nearest ``at``."""
    return split_at(divide, divide.interpolate(divide.project(at)))


def uda_zone(uda: LineString, divide_uda: LineString, land: shapely.Geometry) -> Polygon:
    """The land between the Uda (north), the divide (south) and the sea (east).

    The ring runs down the Uda to its mouth, out over the sea, back along the divide from the
    coast to the Uda headwaters, and closes; clipping with the land puts the coast in place.
    """
    u = list(uda.coords)
    d = list(divide_uda.coords)
    mouth_x, mouth_y = u[-1]
    end_x, end_y = d[-1]
    offshore = [(mouth_x + 2.5, mouth_y + 0.6), (end_x + 1.5, max(end_y, mouth_y) + 0.2), (end_x + 1.0, end_y)]
    ring = u + offshore + d[::-1]
    area = shapely.make_valid(Polygon(ring))
    clipped = shapely.intersection(area, land)
    parts = [p for p in shapely.get_parts(clipped) if p.geom_type == "Polygon"]
    return max(parts, key=lambda p: p.area)  # the mainland; islands off the coast are left out


def _length_km(geom: shapely.Geometry) -> float:
    return round(length_km(geom), 1)


def treaty_frames(
    rivers: gpd.GeoDataFrame, amur_basin: Polygon, land: shapely.Geometry, provenance: dict
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The ``treaty_1689`` segments and the ``uda_undetermined`` polygon."""
    spec = curated("treaty_1689")
    r = rivers.set_index("id").geometry
    gorbitsa = r["gorbitsa"]
    gorbitsa_mouth = Point(gorbitsa.coords[-1])
    gorbitsa_source = Point(gorbitsa.coords[0])
    _, shilka_lower = split_at(r["shilka"], gorbitsa_mouth)

    coastline = shapely.union_all([p.exterior for p in shapely.get_parts(land)])
    divide_full = northern_divide(amur_basin, gorbitsa_source, control_xy("amur_mouth"))
    divide_full = cut_at_coast(divide_full, coastline, min_lon=control_xy("uda_mouth").x)
    connector = LineString([gorbitsa_source, divide_full.coords[0]])
    uda_source = Point(r["uda"].coords[0])
    divide, divide_uda = split_divide(divide_full, uda_source)

    geometries = {
        "argun": r["argun"],
        "shilka": shilka_lower.reverse(),  # upstream, as the border is read from the Argun
        "gorbitsa": gorbitsa.reverse(),  # up the Gorbitsa, mouth to source
        "connector": connector,
        "divide": divide,
        "divide_uda": divide_uda,
    }
    methods = {
        "river": "derived: the rivers layer's own geometry, cut at the Gorbitsa mouth and the Argun–Shilka confluence",
        "connector": "derived: straight line from the DEM-derived Gorbitsa source to the nearest point of the Amur basin edge",
        "divide": "derived: the northern edge of the project's Amur basin polygon (5′ DEM), shared vertex for vertex",
        "divide_uda": "derived: the northern edge of the project's Amur basin polygon, from the point nearest the Uda source to the coast",
    }
    rows = []
    for seg in spec["segments"]:
        kind = seg["segment_kind"]
        geom = geometries[seg["id"]]
        river_source = rivers.set_index("id").loc[seg["id"], "source"] if kind == "river" else None
        rows.append(
            {
                "id": seg["id"],
                "name": seg["name"],
                "name_ru": seg["name_ru"],
                "name_zh": seg["name_zh"],
                "segment_kind": kind,
                "clause": seg["clause"],
                "texts": seg["texts"],
                "role": seg["role"],
                "source": "; ".join(
                    s for s in (
                        "treaty texts as quoted in shared/reference/facts.md §1",
                        f"geometry: {river_source}" if river_source else f"geometry: {provenance['basin_source']}",
                    ) if s
                ),
                "method": methods[kind],
                "precision_km": seg["precision_km"],
                "certainty": seg["certainty"],
                "border_precision": seg["border_precision"],
                "start_date": spec["start_date"],
                "start_date_note": spec["start_date_note"],
                "end_date": seg["end_date"],
                "end_note": seg["end_note"],
                "length_km": _length_km(geom),
                "geometry": geom,
            }
        )
    treaty = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")

    zone_spec = spec["uda_zone"]
    zone = uda_zone(r["uda"], divide_uda, land)
    zone_km2 = round(area_km2(zone), -2)
    uda = gpd.GeoDataFrame(
        [
            {
                "id": "uda_undetermined",
                "name": zone_spec["name"],
                "name_ru": zone_spec["name_ru"],
                "name_zh": zone_spec["name_zh"],
                "clause": zone_spec["clause"],
                "role": zone_spec["role"],
                "source": (
                    "treaty texts as quoted in shared/reference/facts.md §1; geometry: Natural Earth "
                    f"4.0.0 Uda and land (public domain) and {provenance['basin_source']}"
                ),
                "method": (
                    "derived: polygon bounded by the Uda line, the divide_uda segment of the border and "
                    "the Natural Earth coast; the mainland part kept"
                ),
                "precision_km": 10.0,
                "certainty": zone_spec["certainty"],
                "start_date": spec["start_date"],
                "end_date": zone_spec["end_date"],
                "area_km2": zone_km2,
                "geometry": zone,
            }
        ],
        geometry="geometry",
        crs="EPSG:4326",
    )
    return treaty, uda

