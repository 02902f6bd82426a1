"""The 1689 layers, compiled from reading files by the reading engine (``nerchinsk_map.readings``).

``treaty_1689`` is the common reading, one feature per clause; ``uda_undetermined`` is bounded by
its ``divide_uda`` clause; ``treaty_1689_readings`` holds every other shipped reading of 1689 that
answers a question, one feature each. No segment is drawn by code of its own: the clauses are in
``geodata/readings/*.json``.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, Polygon

from ..analysis import area_km2, length_km
from ..rawdata.sources import curated
from ..readings import compile_reading, get, shipped_ids
from ..readings.compile import chain
from ..readings.context import Context
from ..readings.corridor import corridors

TREATY_COLUMNS = [
    "id", "name", "name_ru", "name_zh", "segment_kind", "clause", "texts", "role", "source", "method",
    "precision_km", "certainty", "border_precision", "start_date", "start_date_note", "end_date", "end_note",
    "length_km",
]
READINGS_METHOD = (
    "compiled by the reading engine from geodata/readings/{id}.json, clause by clause "
    "(nerchinsk-map reading build {id} gives one feature per clause, each with its own method)"
)


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


def treaty_frames(
    ctx: Context, rivers: gpd.GeoDataFrame, land: shapely.Geometry
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The ``treaty_1689`` segments (the common reading) and the ``uda_undetermined`` polygon."""
    spec = curated("treaty_1689")
    compiled = compile_reading(spec["reading"], ctx)
    treaty = gpd.GeoDataFrame(compiled[[*TREATY_COLUMNS, "geometry"]], geometry="geometry", crs="EPSG:4326")

    zone_spec = spec["uda_zone"]
    edge = compiled.set_index("id").geometry[spec["edge_clause"]]
    zone = uda_zone(rivers.set_index("id").geometry["uda"], edge, land)
    uda = gpd.GeoDataFrame(
        [
            {
                "id": "uda_undetermined",
                "name": zone_spec["name"],
                "name_ru": zone_spec["name_ru"],
                "name_zh": zone_spec["name_zh"],
                "clause": zone_spec["clause"],
                "role": zone_spec["role"],
                "source": spec["source"].format(basin_source=ctx.basin_source),
                "method": (
                    "derived: polygon bounded by the Uda line, the divide_uda segment of the border and "
                    "the Natural Earth coast; the mainland part kept"
                ),
                "precision_km": 10.0,
                "certainty": zone_spec["certainty"],
                "start_date": compiled["start_date"].iloc[0],
                "end_date": zone_spec["end_date"],
                "area_km2": round(area_km2(zone), -2),
                "geometry": zone,
            }
        ],
        geometry="geometry",
        crs="EPSG:4326",
    )
    return treaty, uda


def uncertainty_frame(ctx: Context) -> gpd.GeoDataFrame:
    """Precision corridors of the common reading's clauses and of the competing readings' own clauses."""
    spec = curated("treaty_1689")
    frames = [corridors(compile_reading(rid, ctx)) for rid in (spec["reading"], *spec["uncertainty_readings"])]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4326")


def later_readings_frame(ctx: Context, readings: list[str] | None = None) -> gpd.GeoDataFrame:
    """The readings of the later treaties, one feature per clause: Aigun 1858 and Peking 1860
    (``treaty_1689.json``'s ``later_readings``) unless ``readings`` names others (Kyakhta 1727,
    ``treaty_1727.json``)."""
    frames = []
    for rid in readings if readings is not None else curated("treaty_1689")["later_readings"]:
        compiled = compile_reading(rid, ctx)
        compiled["id"] = [f"{rid}.{cid}" for cid in compiled["id"]]
        frames.append(compiled)
    columns = [c for c in TREATY_COLUMNS if c not in ("border_precision", "start_date_note")]
    merged = pd.concat(frames, ignore_index=True)[[*columns, "reading", "located", "note", "geometry"]]
    return gpd.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")


def reading_ids(year: int, exclude: str) -> list[str]:
    """Shipped readings of ``year`` that answer a question, except ``exclude``."""
    return [rid for rid in shipped_ids() if rid != exclude and (r := get(rid))["year"] == year and r.get("question")]


def citation(source: dict) -> str:
    """'author, title, url' of a reading's source."""
    url = source.get("url", "").removeprefix("https://").removeprefix("http://").removeprefix("www.")
    return ", ".join(v for v in (source["author"], source["title"], url) if v)


def readings_frame(ctx: Context) -> gpd.GeoDataFrame:
    """One feature per competing reading of 1689, each compiled from its file."""
    common = curated("treaty_1689")["reading"]
    rows = []
    for rid in reading_ids(1689, exclude=common):
        reading = get(rid)
        compiled = compile_reading(reading, ctx)
        line = chain(compiled.geometry)
        rows.append(
            {
                "id": rid,
                "name": reading["title"]["en"],
                "name_ru": reading["title"].get("ru"),
                "name_zh": reading["title"].get("zh"),
                "question": reading["question"],
                "reading": reading.get("reading"),
                "clause": reading.get("clause"),
                "supporters": reading.get("supporters"),
                "source": "; ".join(citation(s) for s in reading["sources"]),
                "method": READINGS_METHOD.format(id=rid),
                "precision_km": float(compiled["precision_km"].max()),
                "certainty": reading["certainty"],
                "start_date": reading.get("start_date"),
                "end_date": reading.get("end_date"),
                "length_km": round(length_km(line), 1),
                "geometry": line,
            }
        )
    return gpd.GeoDataFrame(with_same_lines(rows), geometry="geometry", crs="EPSG:4326")


SAME_LINE_DEG = 0.01  # about 1 km: two readings whose lines are nowhere farther apart draw one line
SAME_LINE_NOTE = (
    "On this map this reading draws the same line as {others} (nowhere more than 1 km apart): "
    "their sources name different ranges or rivers, but the clauses the project can draw from "
    "them follow the same course. The map shows one line with both readings."
)


def with_same_lines(rows: list[dict]) -> list[dict]:
    """``rows`` with ``same_line_as`` (the ids of the other readings of the same question whose
    line lies within ``SAME_LINE_DEG`` everywhere, by Hausdorff distance) and ``same_line_note``,
    so that a map shows coinciding readings as one line rather than as two."""
    for row in rows:
        same = sorted(
            other["id"]
            for other in rows
            if other is not row
            and other["question"] == row["question"]
            and row["geometry"].hausdorff_distance(other["geometry"]) < SAME_LINE_DEG
        )
        row["same_line_as"] = ", ".join(same) or None
        names = ", ".join(f"'{o['name']}'" for o in rows if o["id"] in same)
        row["same_line_note"] = SAME_LINE_NOTE.format(others=names) if same else None
    return rows
