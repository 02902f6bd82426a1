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
import shapely.affinity
from pyproj import Geod
from shapely.geometry import LineString
from shapely.ops import substring

from ..rawdata.sources import check_data_dir, default_data_dir, natural_earth
from .compile import GAP_KM, chain, compile_reading
from .context import Context, default_context
from .model import ReadingError

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


def unwrap(line: shapely.Geometry) -> LineString:
    """A one-part line with continuous longitudes.

    A line crossing the antimeridian runs on past 180 instead of jumping to -180, so that planar
    faces between lines are the right ones; the parts of a clause split there are joined again.
    """
    xy = shapely.get_coordinates(line)
    lon = np.degrees(np.unwrap(np.radians(xy[:, 0])))
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = np.any(np.diff(np.column_stack([lon, xy[:, 1]]), axis=0) != 0, axis=1)  # the split's twin point
    return LineString(np.column_stack([lon, xy[:, 1]])[keep])


def _label(xy: tuple[float, float]) -> str:
    return f"{xy[1]:.4f} N {((xy[0] + 180) % 360) - 180:.4f} E"


def _gaps(compiled: gpd.GeoDataFrame, name: str) -> None:
    """Refuse a line with a gap (a reading whose ``gap`` field leaves it broken).

    No area can be closed over a gap.
    """
    parts = shapely.get_parts(chain(compiled.geometry, join_km=GAP_KM))
    if len(parts) > 1 and not _antimeridian_only(parts):
        raise ReadingError(
            f"{name}: the line is broken ({len(parts)} parts, a gap its file states): compare cannot "
            "enclose an area over a gap; compare the stretches on either side separately"
        )


def _antimeridian_only(parts: np.ndarray) -> bool:
    return all(abs(abs(p.coords[-1][0]) - 180) < 1e-9 and abs(abs(q.coords[0][0]) - 180) < 1e-9
               for p, q in zip(parts, parts[1:], strict=False))


def _precision(compiled: gpd.GeoDataFrame, at: int) -> float:
    return float(compiled["precision_km"].iloc[at])


def _km_between(p: tuple[float, float], q: tuple[float, float]) -> float:
    return float(GEOD.inv(p[0], p[1], q[0], q[1])[2]) / 1000


def stretch(
    la: LineString, lb: LineString, ca: gpd.GeoDataFrame, cb: gpd.GeoDataFrame, names: tuple[str, str]
) -> tuple[LineString, LineString, list[str], dict[str, Any]]:
    """The stretch both lines cover, their ends matched.

    Ends nearer than the end clauses' precision are joined straight; an end that lies on the
    other line (within that precision) trims the other line there; ends far apart with neither
    on the other line are refused.
    """
    notes: list[str] = []
    trimmed = {"a": [0.0, 0.0], "b": [0.0, 0.0]}  # km cut from the start, from the end
    for at, idx, word in ((0, 0, "start"), (1, -1, "end")):
        pa, pb = _ends(la)[at], _ends(lb)[at]
        tol = max(_precision(ca, idx), _precision(cb, idx), SAME_KM)
        apart = _km_between(pa, pb)
        if apart <= tol:
            if apart > SAME_KM:
                notes.append(f"the lines' {word}s are {apart:,.1f} km apart, within the {tol:g} km precision "
                             f"of their {word} clauses: joined straight")
            continue
        on_a, on_b = _distances_km(shapely.Point(pb), la)[0], _distances_km(shapely.Point(pa), lb)[0]
        if min(on_a, on_b) > tol:
            raise ReadingError(
                f"{names[0]} {word}s at {_label(pa)}, {names[1]} at {_label(pb)}: {apart:,.0f} km apart and "
                f"neither on the other line (precision {tol:g} km); compare readings of the same stretch"
            )
        line, other, point, key = (la, lb, pb, "a") if on_a <= on_b else (lb, la, pa, "b")
        d = line.project(shapely.Point(point))
        cut = substring(line, d, line.length) if at == 0 else substring(line, 0, d)
        if cut.is_empty or _km(cut) <= SAME_KM:
            raise ReadingError(
                f"{names[0]} and {names[1]} share no stretch: where one {word}s on the other, nothing of it "
                "is left to compare; compare readings of the same stretch"
            )
        trimmed[key][at] = round(_km(line) - _km(cut), 1)
        notes.append(f"compared from where {names[1 if key == 'a' else 0]} {word}s on {names[0 if key == 'a' else 1]}: "
                     f"{trimmed[key][at]:,.1f} km of {names[0 if key == 'a' else 1]} beyond it left out")
        if key == "a":
            la = cut
        else:
            lb = cut
    (s0, s1), _ = _ends(la), None
    info = {"start": {"lon": round(s0[0], 4), "lat": round(s0[1], 4)}, "end": {"lon": round(s1[0], 4), "lat": round(s1[1], 4)},
            "left_out_km": {k: {"at_start": v[0], "at_end": v[1]} for k, v in trimmed.items()}}
    return la, lb, notes, info


def compare(
    a: str | Path | dict[str, Any],
    b: str | Path | dict[str, Any],
    context: Context | None = None,
    data_dir: Path | None = None,
) -> dict[str, Any]:
    """Compare two readings: the area between them, where they differ, which places change side.

    The lines are compared over the stretch both cover (see :func:`stretch`); lines whose ends
    are far apart and do not lie on each other, or a line with a gap, are refused with a
    :class:`ReadingError`. Where the lines differ by more than their precision yet enclose no
    area, ``area_between_km2`` is None and ``notes`` says why.

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
        the lines over the stretch compared, or None), ``length_km`` and ``length_differing_km``
        of each, ``stretch_compared``, ``max_distance_km`` and ``median_distance_km`` (over the
        stretch), ``places_changing_side``, ``notes`` and the ``method`` in words.

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
    names = (str(ca["reading"].iloc[0]), str(cb["reading"].iloc[0]))
    _gaps(ca, names[0])
    _gaps(cb, names[1])
    full_a, full_b = unwrap(chain(ca.geometry, join_km=GAP_KM)), unwrap(chain(cb.geometry, join_km=GAP_KM))
    shift = 360 * round((full_a.centroid.x - full_b.centroid.x) / 360)  # both lines on one side of 180
    if shift:
        full_b = shapely.affinity.translate(full_b, xoff=shift)
    try:
        la, lb, notes, info = stretch(full_a, full_b, ca, cb, names)
    except ReadingError as exc:  # b may run the other way along the same stretch
        try:
            la, lb, notes, info = stretch(full_a, full_b.reverse(), ca, cb.iloc[::-1], names)
        except ReadingError:
            raise exc from None
        full_b = full_b.reverse()
        notes.insert(0, f"{names[1]} runs the other way: compared reversed")
    da, db = _distances_km(la, lb), _distances_km(lb, la)
    faces = between(la, lb)
    enclosed = sum(abs(GEOD.geometry_area_perimeter(f)[0]) for f in faces) / 1e6
    area: float | None = enclosed
    max_km = float(max(da.max(), db.max()))
    precision = max(float(ca["precision_km"].max()), float(cb["precision_km"].max()))
    if enclosed < 1.0 and max_km > precision:
        notes.append(f"the lines lie up to {max_km:,.1f} km apart, more than their precision ({precision:g} km), "
                     "yet enclose no area (they cross or double back without closing): no area is reported")
        area = None
    # the parts of each line farther than SAME_KM from the other: a buffer in degrees is only a
    # guide, so each kept piece is checked geodesically at its middle point
    differs = {}
    for name, line, other in (("a", full_a, full_b), ("b", full_b, full_a)):
        pieces = shapely.get_parts(shapely.difference(line, shapely.buffer(other, SAME_KM / 111.0 / 2)))
        pieces = [p for p in pieces if not p.is_empty and p.length > 0]
        kept = [p for p in pieces if _distances_km(p.interpolate(0.5, normalized=True), other)[0] > SAME_KM]
        differs[name] = round(sum(_km(p) for p in kept), 1)
    changed = []
    if faces and area is not None:
        places = _places(data_dir)
        region = shapely.union_all(faces)
        xs, ys = places.geometry.x.to_numpy(), places.geometry.y.to_numpy()
        inside = places[shapely.contains_xy(region, xs, ys) | shapely.contains_xy(region, xs + 360, ys)
                        | shapely.contains_xy(region, xs - 360, ys)]
        for _, p in inside.sort_values("pop_max", ascending=False).iterrows():
            in_a = "left" if _side(la, p.geometry) > 0 else "right"
            changed.append({"name": p["name"], "country": p["adm0name"], "lon": round(p.geometry.x, 4),
                            "lat": round(p.geometry.y, 4), "population": int(p["pop_max"]),
                            "side_in_a": in_a, "side_in_b": "right" if in_a == "left" else "left"})
    return {
        "a": names[0],
        "b": names[1],
        "area_between_km2": None if area is None else (round(area, -1) if area >= 100 else round(area, 1)),
        "length_km": {"a": round(_km(full_a), 1), "b": round(_km(full_b), 1)},
        "stretch_compared": info,
        "length_differing_km": differs,
        "max_distance_km": round(max_km, 1),
        "median_distance_km": {"a_to_b": round(float(np.median(da)), 2), "b_to_a": round(float(np.median(db)), 2)},
        "places_changing_side": changed,
        "notes": notes,
        "method": (
            "the stretch both lines cover (an end of one that lies on the other trims the other there; ends "
            "within their clauses' precision are joined straight; other ends are refused); area: geodesic "
            "(pyproj Geod, WGS84) area of the faces shapely.polygonize finds between the two lines over that "
            "stretch; distances: geodesic, from points every ~2 km along each line's stretch to the nearest "
            f"point of the other; 'differing': the whole lines, farther than {SAME_KM:g} km from the other "
            "line; places: Natural Earth 4.0.0 ne_10m_populated_places inside those faces"
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
