"""Competing readings of the 1689 border, one feature each (layer ``treaty_1689_readings``).

Each reading is a route along the rivers layer (cut at the confluence and at the
tributary mouths, which the rivers layer holds as shared vertices) and then the shortest
line from the tributary's source to the Amur basin divide.
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import nearest_points

from ..analysis import length_km
from .rivers import split_at
from .sources import control_xy, curated



def _route(rivers: gpd.GeoSeries, route: list[str]) -> list[tuple[float, float]]:
    """From the Argun–Shilka confluence along ``route[0]`` to the mouth of ``route[1]``, then
    up ``route[1]`` to its source."""
    main, tributary = rivers[route[0]], rivers[route[1]]
    confluence = control_xy("argun_shilka_confluence")
    mouth = Point(tributary.coords[-1])
    if Point(main.coords[-1]).distance(confluence) < 1e-9:  # main flows into the confluence
        _, stretch = split_at(main, mouth)
        stretch = stretch.reverse()  # upstream, from the confluence
    else:  # main flows out of the confluence
        stretch, _ = split_at(main, mouth)
    return [*stretch.coords, *tributary.reverse().coords[1:]]


def readings_frame(rivers: gpd.GeoDataFrame, amur_basin: Polygon, provenance: dict) -> gpd.GeoDataFrame:
    """The competing readings that the inputs can draw, with their texts and supporters."""
    spec = curated("readings")
    treaty = curated("treaty_1689")
    r = rivers.set_index("id").geometry
    edge = amur_basin.boundary
    rows = []
    for reading in spec["readings"]:
        coords = _route(r, reading["route"])
        source = Point(coords[-1])
        to_divide = nearest_points(source, edge)[1]
        line = LineString([*coords, (round(to_divide.x, 6), round(to_divide.y, 6))])
        rows.append(
            {
                "id": reading["id"],
                "name": reading["name"],
                "name_ru": reading["name_ru"],
                "name_zh": reading["name_zh"],
                "question": reading["question"],
                "reading": reading["reading"],
                "clause": reading["text"],
                "supporters": reading["supporters"],
                "source": (
                    "readings: shared/reference/facts.md §1 and §5 (sources named there); geometry: "
                    f"the rivers layer ({rivers.set_index('id').loc[reading['route'][1], 'source']}) "
                    f"and {provenance['basin_source']}"
                ),
                "method": (
                    "derived: along the rivers layer from the Argun–Shilka confluence to the "
                    "tributary's mouth and up to its source, then the shortest line to the Amur "
                    "basin edge"
                ),
                "precision_km": 10.0,
                "certainty": reading["certainty"],
                "start_date": treaty["start_date"],
                "end_date": "1858-05-28",
                "length_km": round(length_km(line), 1),
                "geometry": line,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
