"""Places: the forts and towns of the story, one feature per site and period, placed from
sourced control points.

A place in ``inputs/places.json`` either gives its own coordinate pair, or is ``derived`` from a
published river mouth where the sources only describe its position in words ("one verst above
the mouth", "6.5 km below the Chikoy mouth"):

- ``from`` + ``towards`` + ``km``: that far from the mouth along the geodesic towards a second
  control point (a river's lower course, when the river is too small for Natural Earth);
- ``from`` + ``river`` + ``km``: that far along the Natural Earth river line from the mouth's
  projection onto it, downstream (towards ``downstream_towards``);
- ``from`` alone: at the mouth.

``precision_km`` of a derived place is measured: the distance to the farthest alternative
reading of the sources (``alternatives``), plus the published mouth's own uncertainty and, for
a position on a Natural Earth line, its 1:10m precision and the mouth's offset from the line.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import Geod
from shapely.geometry import Point
from shapely.ops import substring

from ..chronology import calendars
from ..rawdata.sources import control_point, curated, natural_earth
from .rivers import NE_PRECISION_KM, NE_RIVERS, orient

CERTAINTY = {"A": "attested", "S": "probable", "U": "disputed"}
GEOD = Geod(ellps="WGS84")


def _km(a: Point, b: Point) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000


def _ceil_half(km: float) -> float:
    """Round up to the next 0.5 km."""
    return math.ceil(km * 2 - 1e-9) / 2


def _toward(start: Point, end: Point, km: float) -> Point:
    azimuth, _, _ = GEOD.inv(start.x, start.y, end.x, end.y)
    lon, lat, _ = GEOD.fwd(start.x, start.y, azimuth, km * 1000)
    return Point(round(float(lon), 4), round(float(lat), 4))


def _down_river(
    data_dir: Path, name: str, mouth: Point, towards: list[float], km: float, right_km: float
) -> tuple[Point, float]:
    """The point ``km`` (geodesic) down the Natural Earth river ``name`` from the projection of
    ``mouth`` onto it, moved ``right_km`` to the right bank (right of the downstream direction),
    and that projection's distance from ``mouth`` in km."""
    ne = natural_earth(data_dir, NE_RIVERS)
    merged = shapely.line_merge(shapely.union_all(ne[ne["name"] == name].geometry.to_numpy()))
    parts = list(getattr(merged, "geoms", [merged]))
    line = orient(min(parts, key=lambda g: g.distance(mouth)), Point(towards))
    start = line.project(mouth)
    on_line = line.interpolate(start)
    rest = substring(line, start, line.length)
    coords = list(rest.coords)
    left = km * 1000
    for a, b in zip(coords, coords[1:], strict=False):
        azimuth, _, step = GEOD.inv(a[0], a[1], b[0], b[1])
        if step >= left:
            lon, lat, _ = GEOD.fwd(a[0], a[1], azimuth, left)
            lon, lat, _ = GEOD.fwd(lon, lat, azimuth + 90.0, right_km * 1000)
            return Point(round(float(lon), 4), round(float(lat), 4)), _km(mouth, on_line)
        left -= step
    raise ValueError(f"{name}: shorter than {km} km below {mouth}")


def _cp(role: str, point: Point, source: str, confidence: str, **extra) -> dict:
    return {"role": role, "lon": round(point.x, 4), "lat": round(point.y, 4), "source": source,
            "confidence": confidence, **extra}


def derived_position(p: dict, data_dir: Path) -> tuple[Point, str, float, list[dict]]:
    """(point, method, precision_km, control_points) of a place with a ``derived`` position."""
    spec = p["derived"]
    mouth_cp = control_point(spec["from"])
    mouth = Point(mouth_cp["lon"], mouth_cp["lat"])
    mouth_unc = float(mouth_cp.get("uncertainty_km", 0.0))
    cps = [_cp("mouth", mouth, mouth_cp["source"], mouth_cp["confidence"], uncertainty_km=mouth_unc)]
    parts = [f"published mouth uncertain by {mouth_unc:g} km"]
    spread = float(spec.get("site_km", 0.0))
    if spec.get("site_km"):
        parts.append(f"site within {spread:g} km of the mouth")
    if "towards" in spec:
        end_cp = control_point(spec["towards"])
        end = Point(end_cp["lon"], end_cp["lat"])
        point = _toward(mouth, end, spec["km"])
        cps.append(_cp("direction", end, end_cp["source"], end_cp["confidence"]))
        total = _km(mouth, end)
        for alt in spec.get("alternatives", []):
            km = alt["km"] if "km" in alt else total - alt["km_before_end"]
            other = _toward(mouth, end, km)
            cps.append(_cp("alternative reading", other, alt["source"], "U"))
            spread = max(spread, _km(point, other))
        if spec.get("alternatives"):
            parts.append(f"the farthest alternative reading lies {spread:.1f} km away")
    elif "river" in spec:
        point, offset = _down_river(
            data_dir, spec["river"], mouth, spec["downstream_towards"], spec["km"], spec.get("right_bank_km", 0.0)
        )
        spread += NE_PRECISION_KM + offset
        parts.append(
            f"the Natural Earth line is good to {NE_PRECISION_KM:g} km and passes {offset:.1f} km from the published mouth"
        )
    else:
        point = mouth
    precision = _ceil_half(spread + mouth_unc)
    method = (
        f"digitised from control points: {spec['how']}. precision_km {precision:g} = "
        + "; ".join(parts)
    )
    return point, method, precision, cps


def start_os_checked(p: dict) -> str | None:
    """The place's Old Style start (``start_os``), checked: its Gregorian date (convertdate)
    must be one of the dates its ``start_edtf`` allows, so an O.S. day is never stored as N.S."""
    julian = p.get("start_os")
    if julian is None:
        return None
    gregorian = calendars.julian_to_gregorian(julian)
    if gregorian not in (p.get("start_edtf") or p["start_date"]):
        raise ValueError(f"{p['id']}: start_os {julian} O.S. is {gregorian} N.S., not among {p.get('start_edtf')}")
    return julian


def places_frame(data_dir: Path) -> gpd.GeoDataFrame:
    """The ``places`` layer from ``inputs/places.json``; ``data_dir`` holds the Natural Earth
    rivers used by positions measured along a river."""
    rows = []
    for p in curated("places")["places"]:
        attested = p["attested"]
        if "derived" in p:
            point, method, precision, cps = derived_position(p, data_dir)
            cps.insert(0, _cp("site", point, p["coordinate_source"], p["confidence"]))
        else:
            point = Point(p["lon"], p["lat"])
            method = "digitised from control points: one sourced coordinate pair"
            precision = p["precision_km"]
            cps = [{"lon": p["lon"], "lat": p["lat"], "source": p["coordinate_source"],
                    "confidence": p["confidence"]}]
        rows.append(
            {
                "id": p["id"],
                "name": p["name"],
                "name_ru": p["name_ru"],
                "name_zh": p["name_zh"],
                "name_zh_note": p.get("name_zh_note"),
                "kind": p["kind"],
                "role": p["role"],
                "founded": p["founded"],
                "source": f"{p['coordinate_source']}; dates: {p['date_source'] or 'not sourced'}",
                "method": method,
                "precision_km": precision,
                "certainty": p.get("certainty") or CERTAINTY[p["confidence"]],
                "label": p.get("label", True),
                "start_date": p["start_date"],
                "end_date": p["end_date"],
                "start_edtf": p.get("start_edtf"),  # EDTF where the sources disagree (nm.dates)
                "end_edtf": p.get("end_edtf"),
                "start_os": start_os_checked(p),  # the start as the sources give it, Julian (O.S.)
                "end_event": p.get("end_event"),  # what ended this occupation (burned, moved...)
                "attested_first": attested["first"],
                "attested_last": attested["last"],
                "present_as": attested.get("present_as"),
                "attested_source": attested["source"],
                "control_points": cps,
                "geometry": point,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
