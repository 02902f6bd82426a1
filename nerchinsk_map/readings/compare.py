"""Where and how much two readings differ.

The area between their lines (geodesic), the length of line that differs, the largest distance
between them, and the modern places that change side.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString

from ..rawdata.sources import check_data_dir, default_data_dir, natural_earth
from .compile import chain, compile_reading
from .context import Context, default_context

GEOD = Geod(ellps="WGS84")
SAME_KM = 1.0  # lines closer than this are the same line (the rivers' 1:10m precision is ~2 km)


def _km(geom: shapely.Geometry) -> float:
    return GEOD.geometry_length(geom) / 1000 if not geom.is_empty else 0.0


def _distances_km(line: shapely.Geometry, other: shapely.Geometry, step_deg: float = 0.02) -> np.ndarray:
    """Geodesic distance from points every ~2 km along ``line`` to the nearest point of ``other``."""
    pts = shapely.points(shapely.get_coordinates(shapely.segmentize(line, step_deg)))
    near = shapely.get_point(shapely.shortest_line(pts, other), 1)  # works for multi-part lines too
    a, b = shapely.get_coordinates(pts), shapely.get_coordinates(near)
    return GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2] / 1000


def _ends(line: shapely.Geometry) -> tuple[tuple[float, float], tuple[float, float]]:
    xy = shapely.get_coordinates(line)
    return tuple(xy[0]), tuple(xy[-1])


def between(a: shapely.Geometry, b: shapely.Geometry) -> list[shapely.Polygon]:
    """The faces enclosed by the two lines, their open ends joined by straight lines.

    An end that lies on the other line, as where one reading covers only part of the other, is
    left open.
    """
    (a0, a1), (b0, b1) = _ends(a), _ends(b)

    def on(point: tuple[float, float], line: shapely.Geometry) -> bool:
        return _distances_km(shapely.Point(point), line)[0] <= SAME_KM

    closers = [LineString([p, q]) for p, q in ((a0, b0), (a1, b1)) if p != q and not (on(p, b) or on(q, a))]
    noded = shapely.union_all([a, b, *closers])
    return [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))) if f.area > 0]


def _places(data_dir: Path | None) -> gpd.GeoDataFrame:
    places = natural_earth(check_data_dir(data_dir or default_data_dir()), "ne_10m_populated_places")
    return places[["name", "adm0name", "pop_max", "geometry"]]


def compare(
    a: str | Path | dict[str, Any],
    b: str | Path | dict[str, Any],
    context: Context | None = None,
    data_dir: Path | None = None,
) -> dict[str, Any]:
    """Compare two readings: the area between them, where they differ, which places change side.

    Parameters
    ----------
    a, b : str, pathlib.Path or dict
        Shipped reading ids, reading files or reading dicts.
    context : Context, optional
        What the readings are compiled on (default: :func:`default_context`).
    data_dir : pathlib.Path, optional
        The raw inputs holding the Natural Earth populated places (default: the package's).

    Returns
    -------
    dict
        A plain dict that ``json.dumps`` accepts: ``area_between_km2`` (geodesic faces between
        the lines, open ends joined straight), ``length_km`` and ``length_differing_km`` of
        each, ``max_distance_km`` and ``median_distance_km``, ``places_changing_side`` and the
        ``method`` in words.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> result = nm.readings.compare("gorbitsa_malaya", "gorbitsa_amazar")
    >>> round(result["area_between_km2"], -1), result["max_distance_km"]
    (7530.0, 77.8)
    >>> [place["name"] for place in result["places_changing_side"]]
    ['Mogocha']
    """
    ctx = context or default_context()
    ca, cb = compile_reading(a, ctx), compile_reading(b, ctx)
    la, lb = chain(ca.geometry), chain(cb.geometry)
    da, db = _distances_km(la, lb), _distances_km(lb, la)
    faces = between(la, lb)
    area = sum(abs(GEOD.geometry_area_perimeter(f)[0]) for f in faces) / 1e6
    # the parts of each line farther than SAME_KM from the other: a buffer in degrees is only a
    # guide, so each kept piece is checked geodesically at its middle point
    differs = {}
    for name, line, other in (("a", la, lb), ("b", lb, la)):
        pieces = shapely.get_parts(shapely.difference(line, shapely.buffer(other, SAME_KM / 111.0 / 2)))
        pieces = [p for p in pieces if not p.is_empty and p.length > 0]
        kept = [p for p in pieces if _distances_km(p.interpolate(0.5, normalized=True), other)[0] > SAME_KM]
        differs[name] = round(sum(_km(p) for p in kept), 1)
    changed = []
    if faces:
        places = _places(data_dir)
        region = shapely.union_all(faces)
        inside = places[shapely.contains_xy(region, places.geometry.x, places.geometry.y)]
        for _, p in inside.sort_values("pop_max", ascending=False).iterrows():
            in_a = "left" if _side(la, p.geometry) > 0 else "right"
            changed.append({"name": p["name"], "country": p["adm0name"], "lon": round(p.geometry.x, 4),
                            "lat": round(p.geometry.y, 4), "population": int(p["pop_max"]),
                            "side_in_a": in_a, "side_in_b": "right" if in_a == "left" else "left"})
    return {
        "a": ca["reading"].iloc[0],
        "b": cb["reading"].iloc[0],
        "area_between_km2": round(area, -1) if area >= 100 else round(area, 1),
        "length_km": {"a": round(_km(la), 1), "b": round(_km(lb), 1)},
        "length_differing_km": differs,
        "max_distance_km": round(float(max(da.max(), db.max())), 1),
        "median_distance_km": {"a_to_b": round(float(np.median(da)), 2), "b_to_a": round(float(np.median(db)), 2)},
        "places_changing_side": changed,
        "method": (
            "area: geodesic (pyproj Geod, WGS84) area of the faces shapely.polygonize finds between "
            "the two lines, their open ends joined by straight lines; distances: geodesic, from points "
            f"every ~2 km along each line to the nearest point of the other; 'differing': farther than "
            f"{SAME_KM:g} km from the other line; places: Natural Earth 4.0.0 ne_10m_populated_places "
            "inside those faces"
        ),
    }


def _side(line: shapely.Geometry, point: shapely.Point) -> float:
    """> 0 if ``point`` lies left of ``line`` (seen along the line), < 0 if right."""
    part = min(shapely.get_parts(line), key=lambda g: g.distance(point))
    d = part.project(point)
    p0 = part.interpolate(max(d - 1e-4, 0))
    p1 = part.interpolate(min(d + 1e-4, part.length))
    return (p1.x - p0.x) * (point.y - p0.y) - (p1.y - p0.y) * (point.x - p0.x)


def distances_to(
    reading: str | Path | dict[str, Any] | gpd.GeoDataFrame, line: shapely.Geometry, context: Context | None = None
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """How far a reading lies from another line (e.g. a surveyed boundary).

    Geodesic distances from points every ~2 km along the reading to the nearest point of
    ``line``, overall and per clause (median, 90th percentile, max, km).
    """
    compiled = reading if isinstance(reading, gpd.GeoDataFrame) else compile_reading(reading, context or default_context())

    def stats(d: np.ndarray) -> dict[str, float]:
        return {"median_km": round(float(np.median(d)), 2), "p90_km": round(float(np.percentile(d, 90)), 2),
                "max_km": round(float(d.max()), 1)}

    per_clause, every = [], []
    for _, row in compiled.iterrows():
        d = _distances_km(row.geometry, line)
        every.append(d)
        per_clause.append({"id": row["id"], "length_km": row["length_km"], "precision_km": row["precision_km"], **stats(d)})
    return stats(np.concatenate(every)), per_clause
