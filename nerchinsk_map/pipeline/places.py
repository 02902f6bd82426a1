"""Places: the forts and towns of the story, placed from sourced control points."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point

from .sources import curated

CERTAINTY = {"A": "attested", "S": "probable", "U": "disputed"}


def places_frame() -> gpd.GeoDataFrame:
    """The ``places`` layer from ``inputs/places.json`` (facts.md §2–3)."""
    rows = []
    for p in curated("places")["places"]:
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
                "method": "digitised from control points: one sourced coordinate pair",
                "precision_km": p["precision_km"],
                "certainty": p.get("certainty") or CERTAINTY[p["confidence"]],
                "label": p.get("label", True),
                "start_date": p["start_date"],
                "end_date": p["end_date"],
                "start_edtf": p.get("start_edtf"),  # EDTF where the sources disagree (nm.dates)
                "end_edtf": p.get("end_edtf"),
                "control_points": [
                    {"lon": p["lon"], "lat": p["lat"], "source": p["coordinate_source"],
                     "confidence": p["confidence"]}
                ],
                "geometry": Point(p["lon"], p["lat"]),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
