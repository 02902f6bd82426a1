"""History in time (issue 4): dated events, the later borders (1858, 1860, today) and the land
that changed hands in 1858 and 1860.

Everything is built from geometry the project already has, so the layers fit together exactly:

- ``events_frame`` puts each event on a ``places`` point (``inputs/places.json``) or on its own
  sourced coordinate (``inputs/events.json``).
- ``borders_later_frame`` uses one line for all three borders: the Natural Earth Russia–China
  boundary with its Argun stretch replaced by the ``treaty_1689`` Argun (= the ``rivers`` Argun).
  The 1858 line is a prefix of the 1860 line, which is a suffix of today's line, vertex for vertex.
- ``territories_frame`` polygonises the noded union of the 1689 segments, the later borders, the
  Amur below the Ussuri and the Natural Earth coast, and keeps the faces of 1858 and 1860; the
  two polygons share the lower Amur edge exactly.

Dates and grades: ``shared/reference/facts.md``. Treaty terms and the quoted areas are not in
facts.md; ``inputs/later_borders.json`` names where they are printed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import linemerge

from ..analysis import area_km2, distance_km, length_km
from ..chronology import calendars
from ..rawdata.sources import NATURAL_EARTH, curated, natural_earth
from .dating import qing_converted
from .rivers import split_at

CERTAINTY = {"A": "attested", "S": "probable", "U": "disputed"}
RANK = {"attested": 0, "probable": 1, "disputed": 2}
MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
OLD_STYLE = re.compile(
    r"(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) O\.S\."
)

NE_BOUNDARIES = "ne_10m_admin_0_boundary_lines_land"
NEAR_RIVER_DEG = 0.01  # about 1 km: a boundary vertex this close to a river line runs on that river
SEA_STEP_DEG = 0.01  # step by which a river line is carried on past the coast


# --- dates ---------------------------------------------------------------------------------------

def iso_key(value: str) -> tuple[int, int, int]:
    """Sort key of a partial ISO 8601 date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); raises on
    anything else, including impossible days."""
    match = ISO_PARTIAL.match(value or "")
    if not match:
        raise ValueError(f"not an ISO 8601 date: {value!r}")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    if month:
        date(year, month, day or 1)  # raises on 1689-02-30 and the like
    return year, month, day


def julian_to_gregorian(y: int, m: int, d: int) -> str:
    """The Gregorian (N.S.) date of a Julian (O.S.) date, as ``YYYY-MM-DD`` (convertdate)."""
    return calendars.julian_to_gregorian(f"{y:04d}-{m:02d}-{d:02d}")


def old_style_dates(text: str | None) -> list[str]:
    """Every 'D Mon YYYY O.S.' date in ``text``, converted to Gregorian ISO dates."""
    found = OLD_STYLE.findall(text or "")
    return [julian_to_gregorian(int(y), MONTHS[mon], int(d)) for d, mon, y in found]


def _weakest(*certainties: str) -> str:
    return max(certainties, key=RANK.__getitem__)


# --- events --------------------------------------------------------------------------------------

def _check_event_dates(e: dict) -> None:
    iso_key(e["start_date"])
    if e["end_date"]:
        if iso_key(e["end_date"]) < iso_key(e["start_date"]):
            raise ValueError(f"{e['id']}: end_date before start_date")
    for record in e.get("dates_by_text") or []:
        y, m, d = (int(x) for x in record["julian"].split("-"))
        if julian_to_gregorian(y, m, d) != record["gregorian"]:
            raise ValueError(
                f"{e['id']}: {record['julian']} O.S. is not {record['gregorian']} N.S."
            )
    converted = old_style_dates(e["date_original"])
    if len(converted) == 1 and converted[0] != e["start_date"]:
        raise ValueError(
            f"{e['id']}: {e['date_original']} is {converted[0]} N.S., not {e['start_date']}"
        )


def events_frame(places_layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The ``events`` layer from ``inputs/events.json``: one dated point per event, sorted by
    ``start_date``. Events at a fort or town take that place's point in ``places_layer`` (the
    ``places`` layer, ``place_id``)."""
    places = {p["id"]: p for p in curated("places")["places"]}
    points = places_layer.set_index("id")
    rows = []
    for e in curated("events")["events"]:
        _check_event_dates(e)
        place = places.get(e["place_id"]) if e["place_id"] else None
        if e["place_id"] and place is None:
            raise KeyError(f"{e['id']}: no place {e['place_id']!r} in places.json")
        if place:
            row = points.loc[place["id"]]
            lon, lat = row.geometry.x, row.geometry.y
            coordinate_source = place["coordinate_source"]
            place_certainty = CERTAINTY[e["place_grade"]] if e.get("place_grade") else (
                place.get("certainty") or CERTAINTY[place["confidence"]])
            precision_km = e.get("precision_km") or row["precision_km"]
            how = "derived from a published river mouth; see that place" if "derived" in place else "one sourced coordinate pair"
            method = f"point: the places layer's '{place['id']}' ({how})"
            grade = e.get("place_grade") or place["confidence"]
        else:
            lon, lat = e["lon"], e["lat"]
            coordinate_source = e["coordinate_source"]
            place_certainty = CERTAINTY[e["coordinate_grade"]]
            precision_km = e["precision_km"]
            method = "digitised from one coordinate pair"
            grade = e["coordinate_grade"]
        if e.get("place_note"):
            method = f"{method}. {e['place_note']}"
        date_certainty = CERTAINTY[e["date_grade"]]
        rows.append(
            {
                "id": e["id"],
                "name": e["name"],
                "name_ru": e["name_ru"],
                "name_zh": e["name_zh"],
                "start_date": e["start_date"],
                "end_date": e["end_date"],
                "start_edtf": e.get("start_edtf"),  # EDTF where the sources disagree (nm.dates)
                "end_edtf": e.get("end_edtf"),
                "date_original": e["date_original"],
                "date_os": e.get("date_os"),  # the start in the Julian calendar, as the sources give it
                "date_qing": e.get("date_qing"),  # the start in the Qing calendar, as the sources give it
                "date_qing_converted": qing_converted(e["start_date"], e.get("qing_calendar", False)),
                "dates_by_text": e.get("dates_by_text"),
                "date_note": e["date_note"],
                "description": e["description"],
                "description_source": e.get("description_source"),
                "inscription": e.get("inscription"),  # the words on a boundary marker, as quoted
                "inscription_source": e.get("inscription_source"),
                "source": f"date: {e['date_source']}; place: {coordinate_source}",
                "method": method,
                "precision_km": float(precision_km),
                "certainty": _weakest(date_certainty, place_certainty),
                "date_certainty": date_certainty,
                "place_certainty": place_certainty,
                "place_id": e["place_id"],
                "control_points": [
                    {"lon": lon, "lat": lat, "source": coordinate_source, "confidence": grade}
                ],
                "geometry": Point(lon, lat),
            }
        )
    rows.sort(key=lambda row: (iso_key(row["start_date"]), row["id"]))
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


# --- borders -------------------------------------------------------------------------------------

def _length_km(geom: shapely.Geometry) -> float:
    return round(length_km(geom), 1)


def ne_boundary(data_dir: Path, a: str, b: str, longest: bool = False) -> LineString:
    """The Natural Earth land boundary between countries ``a`` and ``b`` as one line (its
    longest piece, with ``longest``, where the two countries meet in more than one place)."""
    lines = natural_earth(data_dir, NE_BOUNDARIES)
    pair = lines[((lines["adm0_left"] == a) & (lines["adm0_right"] == b))
                 | ((lines["adm0_left"] == b) & (lines["adm0_right"] == a))]
    if pair.empty:
        raise ValueError(f"Natural Earth has no {a}–{b} boundary")
    union = shapely.union_all(pair.geometry.to_numpy())
    merged = union if union.geom_type == "LineString" else linemerge(union)
    if merged.geom_type != "LineString" and longest:
        # since the cut reaches 84 E, Russia and China also meet in the Altai (about 50 km):
        # the eastern boundary is the one long piece
        merged = max(merged.geoms, key=lambda g: g.length)
    if merged.geom_type != "LineString":
        raise ValueError(f"the Natural Earth {a}–{b} boundary does not merge into one line")
    return merged


def russia_china_line(data_dir: Path) -> LineString:
    """Natural Earth's Russia–China boundary from the Mongolian tripoint (west) to the Tumen."""
    line = ne_boundary(data_dir, "Russia", "China", longest=True)
    return line if line.coords[0][0] < line.coords[-1][0] else line.reverse()


def ussuri_turn(line: LineString, amur: LineString, ussuri: LineString) -> int:
    """Index of the vertex where ``line`` (running down the Amur) leaves the Amur for the
    Ussuri: the last vertex within ``NEAR_RIVER_DEG`` of the Amur before the first one that
    near the Ussuri."""
    points = shapely.points(np.asarray(line.coords))
    near_amur = shapely.distance(points, amur) < NEAR_RIVER_DEG
    near_ussuri = shapely.distance(points, ussuri) < NEAR_RIVER_DEG
    if not near_ussuri.any():
        raise ValueError("the boundary never reaches the Ussuri")
    first_ussuri = int(np.argmax(near_ussuri))
    on_amur = np.flatnonzero(near_amur[:first_ussuri])
    if not len(on_amur):
        raise ValueError("the boundary never runs on the Amur before the Ussuri")
    return int(on_amur[-1])


def border_lines(data_dir: Path, rivers: gpd.GeoDataFrame, treaty: gpd.GeoDataFrame) -> dict:
    """The shared pieces of the later borders: the 1689 Argun, the Natural Earth boundary west of
    it (to the Mongolian tripoint) and east of it (from the confluence to the Tumen), and the index
    in the eastern piece where the line turns from the Amur up the Ussuri."""
    argun = treaty.set_index("id").geometry["argun"]
    r = rivers.set_index("id").geometry
    ne = russia_china_line(data_dir)
    west, _ = split_at(ne, Point(argun.coords[0]))  # ends exactly on the Argun's first vertex
    _, east = split_at(ne, Point(argun.coords[-1]))  # starts exactly at the confluence
    turn = ussuri_turn(east, r["amur"], r["ussuri"])
    return {"argun": argun, "west": west, "east": east, "turn": turn, "ne": ne}


def borders_later_frame(
    data_dir: Path, rivers: gpd.GeoDataFrame, treaty: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The ``borders_later`` layer: the Sino-Russian border after Aigun (1858), after Peking
    (1860) and today, from one shared line (see the module docstring)."""
    parts = border_lines(Path(data_dir), rivers, treaty)
    argun, west, east, turn = parts["argun"], parts["west"], parts["east"], parts["turn"]
    argun_c, east_c = list(argun.coords), list(east.coords)
    geometries = {
        "aigun_1858": LineString(argun_c + east_c[1 : turn + 1]),
        "peking_1860": LineString(argun_c + east_c[1:]),
        "modern": LineString(list(west.coords) + argun_c[1:] + east_c[1:]),
    }
    tx, ty = east_c[turn]
    ne_km = _length_km(parts["ne"])
    common = (
        "derived from one line, so that the borders fit: the Natural Earth 4.0.0 Russia–China "
        f"boundary ({NE_BOUNDARIES}, merged into one line from the Mongolian tripoint to the "
        "Tumen) with its Argun stretch replaced by the rivers layer's Argun (= the treaty_1689 "
        "'argun' segment, vertex for vertex; Natural Earth's boundary follows it within about "
        "50 m, 1 km at the confluence), joined at the Argun's first vertex and at the "
        "Argun–Shilka confluence control point"
    )
    methods = {
        "aigun_1858": (
            f"{common}. This line: the Argun, then the boundary down the Amur to where it leaves "
            f"the Amur's main channel for the Ussuri ({ty:.4f} N, {tx:.4f} E: the last boundary "
            f"vertex within {NEAR_RIVER_DEG}° of the Natural Earth Amur before the first within "
            f"{NEAR_RIVER_DEG}° of the Ussuri). It is the first part of peking_1860, vertex for "
            "vertex"
        ),
        "peking_1860": (
            f"{common}. This line: the Argun, then the boundary down the Amur, up the Ussuri and "
            "the Sungacha, across Lake Khanka and over the hills to its end on the Tumen (the "
            "North Korea tripoint); the same vertices as today's line east of the Argun's first "
            "vertex"
        ),
        "modern": (
            f"{common}. This line: the boundary from the Mongolian tripoint to the Argun, the "
            f"Argun, and the boundary to the Tumen. Natural Earth's own line measures {ne_km} km; "
            "the Argun swap changes that by under 1 km"
        ),
    }
    geometry_source = (
        f"geometry: {NATURAL_EARTH} {NE_BOUNDARIES} and the rivers layer's Argun (Natural Earth "
        "ne_10m_rivers_lake_centerlines), public domain"
    )
    rows = []
    for spec in curated("later_borders")["borders"]:
        geom = geometries[spec["id"]]
        rows.append(
            {
                "id": spec["id"],
                "name": spec["name"],
                "name_ru": spec["name_ru"],
                "name_zh": spec["name_zh"],
                "treaty": spec["treaty"],
                "start_date": spec["start_date"],
                "start_date_note": spec.get("start_date_note"),
                "end_date": spec["end_date"],
                "date_os": spec.get("date_os"),  # the start in the Julian calendar (O.S.)
                "date_qing_converted": qing_converted(spec["start_date"], spec.get("qing_calendar", False)),
                "end_note": spec.get("end_note"),
                "note": spec.get("island_note"),
                "source": (
                    f"{spec['source']}; {geometry_source}"
                    if spec["id"] != "modern"
                    else f"{spec['source']}; the Argun from the rivers layer"
                ),
                "method": methods[spec["id"]],
                "precision_km": spec["precision_km"],
                "precision_note": spec["precision_note"],
                "certainty": spec["certainty"],
                "border_precision": spec["border_precision"],
                "length_km": _length_km(geom),
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


# --- territories ---------------------------------------------------------------------------------

def reach_sea(line: LineString, land: shapely.Geometry, max_steps: int = 50) -> LineString:
    """``line`` carried on in the direction of its last segment until it ends off the land, so
    that it crosses the coast (a line that already ends at sea is returned unchanged)."""
    end = Point(line.coords[-1])
    if not land.intersects(end):
        return line
    (x0, y0), (x1, y1) = line.coords[-2], line.coords[-1]
    dx, dy = x1 - x0, y1 - y0
    norm = float(np.hypot(dx, dy))
    for step in range(1, max_steps + 1):
        p = Point(x1 + dx / norm * SEA_STEP_DEG * step, y1 + dy / norm * SEA_STEP_DEG * step)
        if not land.intersects(p):
            return LineString([*line.coords, p.coords[0]])
    raise ValueError("the line does not reach the sea within the search distance")


def _face(faces: list[Polygon], seed: Point, what: str) -> Polygon:
    hits = [f for f in faces if f.contains(seed)]
    if len(hits) != 1:
        raise ValueError(f"{what}: {len(hits)} faces contain the seed point {seed.wkt}")
    return hits[0]


def territory_polygons(
    data_dir: Path,
    rivers: gpd.GeoDataFrame,
    treaty: gpd.GeoDataFrame,
    borders_later: gpd.GeoDataFrame,
) -> dict:
    """The 1858 and 1860 faces and the lines they were cut from."""
    data_dir = Path(data_dir)
    t = treaty.set_index("id").geometry
    r = rivers.set_index("id").geometry
    b = borders_later.set_index("id").geometry
    n_argun = len(t["argun"].coords)
    aigun_c, peking_c = list(b["aigun_1858"].coords), list(b["peking_1860"].coords)
    if peking_c[: len(aigun_c)] != aigun_c or aigun_c[:n_argun] != list(t["argun"].coords):
        raise ValueError("borders_later is not built on the treaty_1689 Argun")
    amur_1858 = LineString(aigun_c[n_argun - 1 :])  # from the confluence to the Ussuri turn
    line_1860 = LineString(peking_c[len(aigun_c) - 1 :])  # from the Ussuri turn to the Tumen
    turn = Point(aigun_c[-1])

    land = shapely.union_all(natural_earth(data_dir, "ne_10m_land").geometry.to_numpy())
    coast = shapely.union_all([g.boundary for g in shapely.get_parts(land)])
    _, lower_amur = split_at(r["amur"], turn)  # starts exactly at the turn
    lower_amur_sea = reach_sea(lower_amur, land)
    korea = ne_boundary(data_dir, "Russia", "North Korea")
    tumen = Point(line_1860.coords[-1])  # the North Korea tripoint
    if Point(korea.coords[-1]).distance(tumen) < Point(korea.coords[0]).distance(tumen):
        korea = korea.reverse()  # from the tripoint on the Tumen down to the sea
    if Point(korea.coords[0]).distance(tumen) > 1e-9:
        raise ValueError("the Russia–North Korea line does not start at the Russia–China end")
    korea_sea = reach_sea(korea, land)

    lines = [t[s] for s in ("shilka", "gorbitsa", "connector", "divide", "divide_uda")]
    lines += [amur_1858, line_1860, lower_amur_sea, korea_sea, coast]
    noded = shapely.node(shapely.union_all(lines))
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))

    albazin = next(p for p in curated("places")["places"] if p["id"] == "albazin")
    towns = natural_earth(data_dir, "ne_10m_populated_places")
    vladivostok = towns[towns["name"] == "Vladivostok"].geometry.iloc[0]
    aigun = _face(faces, Point(albazin["lon"], albazin["lat"]), "aigun_1858")
    peking = _face(faces, vladivostok, "peking_1860")
    sakhalin = next(g for g in shapely.get_parts(land) if g.contains(Point(142.7, 50.5)))
    extension_km = distance_km(lower_amur.coords[-1], lower_amur_sea.coords[-1])
    return {
        "aigun_1858": aigun,
        "peking_1860": peking,
        "sakhalin": sakhalin,
        "turn": turn,
        "amur_extension_km": extension_km,
    }


def territories_frame(
    data_dir: Path,
    rivers: gpd.GeoDataFrame,
    treaty: gpd.GeoDataFrame,
    uda: gpd.GeoDataFrame,
    borders_later: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """The ``territories`` layer: the land assigned to Russia in 1858 (Aigun) and 1860 (Peking),
    polygonised from the same lines as the borders so that the pieces fit with no slivers."""
    built = territory_polygons(data_dir, rivers, treaty, borders_later)
    uda_zone = uda.geometry.iloc[0]
    for key in ("aigun_1858", "peking_1860"):
        overlap = area_km2(built[key].intersection(uda_zone))
        if overlap > 1.0:
            raise ValueError(f"{key} overlaps the Uda country by {overlap:.0f} km²")
    area = {key: area_km2(built[key]) for key in ("aigun_1858", "peking_1860")}
    uda_km2 = area_km2(uda_zone)
    sakhalin_km2 = area_km2(built["sakhalin"])
    divides = treaty.set_index("id").geometry[["divide", "divide_uda"]]
    divide_km = sum(length_km(g) for g in divides)
    turn_lon, turn_lat = built["turn"].coords[0]
    specs = {s["id"]: s for s in curated("later_borders")["territories"]}

    def difference(value: float, key: str) -> str:
        quoted = specs[key]["quoted_area_km2"]
        return f"{(value - quoted) / quoted:+.1%}"

    with_sakhalin = area["peking_1860"] + sakhalin_km2
    villages = next(s for s in curated("later_borders")["unsettled"] if s["id"] == "sixty_four_villages")["geometry"]
    village_zone = along_river_zone(
        rivers.set_index("id").geometry["amur"],
        Point(villages["along_amur_from"]["lon"], villages["along_amur_from"]["lat"]),
        villages["along_km"], villages["width_km"], built["aigun_1858"], rivers.set_index("id").geometry["zeya"],
    )
    without_villages = area_km2(built["aigun_1858"].difference(village_zone))
    figures = {
        "aigun_1858": {
            "uda": uda_km2,
            "with_uda": area["aigun_1858"] + uda_km2,
            "with_uda_difference": difference(area["aigun_1858"] + uda_km2, "aigun_1858"),
            "divide_km": divide_km,
            "divide_shift": round(10 * divide_km, -3),
            "divide_share": 10 * divide_km / area["aigun_1858"],
            "villages": area_km2(village_zone),
            "without_villages": without_villages,
        },
        "peking_1860": {
            "sakhalin": sakhalin_km2,
            "with_sakhalin": with_sakhalin,
            "with_sakhalin_difference": difference(with_sakhalin, "peking_1860"),
            "turn_lat": turn_lat,
            "turn_lon": turn_lon,
        },
    }
    seeds = {
        "aigun_1858": "the face containing Albazin (places layer)",
        "peking_1860": "the face containing Vladivostok (Natural Earth populated places)",
    }
    method = (
        "derived: shapely polygonize on the noded union of the treaty_1689 segments (shilka, "
        "gorbitsa, connector, divide, divide_uda), the borders_later lines east of the Argun, the "
        f"rivers layer's Amur below the Ussuri turn (carried {built['amur_extension_km']:.1f} km "
        "on into the sea), the Natural Earth Russia–North Korea boundary and the Natural Earth "
        "1:10m coast (ne_10m_land outline); {seed} kept. The two polygons share the lower Amur "
        "edge vertex for vertex and meet the Uda country without overlap; area geodesic (pyproj "
        "Geod, WGS84)"
    )
    rows = []
    for key, spec in specs.items():
        note = spec["area_note"].format(
            area=area[key], difference=difference(area[key], key), **figures[key]
        )
        rows.append(
            {
                "id": key,
                "name": spec["name"],
                "name_ru": spec["name_ru"],
                "name_zh": spec["name_zh"],
                "treaty": spec["treaty"],
                "area_km2": round(area[key], -2),
                "quoted_area_km2": spec["quoted_area_km2"],
                "quoted_area_source": spec["quoted_area_source"],
                "area_difference": f"{difference(area[key], key)} against the quoted figure",
                "area_without_villages_km2": round(without_villages, -2) if key == "aigun_1858" else None,
                "area_note": note,
                "start_date": spec["start_date"],
                "joint_from": spec.get("joint_from"),
                "end_date": None,
                "source": spec["source"],
                "method": method.format(seed=seeds[key]),
                "precision_km": spec["precision_km"],
                "certainty": spec["certainty"],
                "geometry": built[key],
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


# --- the unsettled years, 1858–1860 ----------------------------------------------------------------

def along_river_zone(
    river: LineString, start: Point, along_km: float, width_km: float, side: Polygon, beyond: LineString
) -> Polygon:
    """The part of ``side`` within ``width_km`` of ``river`` along its first ``along_km`` below the
    point nearest ``start``, measured in an azimuthal equidistant projection centred on ``start``,
    on the reach's side of the tributary ``beyond`` (the villages lay south of the Zeya)."""
    from pyproj import Transformer
    from shapely.ops import substring, transform

    aeqd = f"+proj=aeqd +lat_0={start.y} +lon_0={start.x} +datum=WGS84 +units=m"
    forward = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True).transform
    back = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True).transform
    line = transform(forward, river)
    at = line.project(transform(forward, start))
    reach = substring(line, at, min(at + along_km * 1000, line.length))
    zone = transform(back, reach.buffer(width_km * 1000, cap_style="flat"))
    cut = shapely.difference(shapely.intersection(zone, side), beyond.buffer(1e-6))
    middle = transform(back, reach.interpolate(0.5, normalized=True))
    parts = [p for p in shapely.get_parts(cut) if p.geom_type == "Polygon"]
    return min(parts, key=lambda p: p.distance(middle))


def unsettled_frame(rivers: gpd.GeoDataFrame, territories: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The ``unsettled_1858_1860`` layer: the land Aigun left in common until Peking, and the
    Sixty-Four Villages whose people Aigun left under Qing officials, each with its clause."""
    t = territories.set_index("id").geometry
    amur = rivers.set_index("id").geometry["amur"]
    rows = []
    for spec in curated("later_borders")["unsettled"]:
        how = spec["geometry"]
        if "same_as" in how:
            geom, figures = t[how["same_as"]], {}
        else:
            start = Point(how["along_amur_from"]["lon"], how["along_amur_from"]["lat"])
            zeya = rivers.set_index("id").geometry["zeya"]
            geom = along_river_zone(amur, start, how["along_km"], how["width_km"], t["aigun_1858"], zeya)
            figures = {"along_km": how["along_km"], "width_km": how["width_km"]}
        area = area_km2(geom)
        rows.append(
            {
                "id": spec["id"],
                "name": spec["name"],
                "name_ru": spec["name_ru"],
                "name_zh": spec["name_zh"],
                "treaty": spec["treaty"],
                "texts": spec["texts"],
                "area_km2": round(area, -2),
                "published_area_km2": spec.get("published_area_km2"),
                "published_area_source": spec.get("published_area_source"),
                "area_note": spec["area_note"].format(area=area, **figures),
                "start_date": spec["start_date"],
                "end_date": spec["end_date"],
                "end_note": spec.get("end_note"),
                "source": spec["source"],
                "method": spec["method"].format(**figures),
                "precision_km": spec["precision_km"],
                "certainty": spec["certainty"],
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
