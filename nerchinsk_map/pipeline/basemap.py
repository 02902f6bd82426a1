"""The offline vector basemap: land and lakes from Natural Earth, for a map with no tiles."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely

from ..rawdata.sources import NATURAL_EARTH, curated, natural_earth

# 0.01 degrees is about 1 km: finer than the basemap needs at the map's zoom range.
SIMPLIFY_DEG = 0.01
MIN_AREA_DEG2 = 0.002  # drop islets and ponds smaller than about 20 km²


def _simplified(gdf: gpd.GeoDataFrame) -> list[shapely.Geometry]:
    parts = shapely.get_parts(shapely.union_all(gdf.geometry.to_numpy()))
    parts = [p for p in parts if p.area >= MIN_AREA_DEG2]
    simple = shapely.simplify(shapely.MultiPolygon(parts), SIMPLIFY_DEG, preserve_topology=True)
    return [shapely.make_valid(simple)]


def land_frame(data_dir: Path) -> gpd.GeoDataFrame:
    """Land of the region as one multipolygon."""
    land = natural_earth(data_dir, "ne_10m_land")
    rows = [dict(_row("Land", geom, "ne_10m_land"), name_ru="Суша", name_zh="陆地") for geom in _simplified(land)]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def lakes_frame(data_dir: Path) -> gpd.GeoDataFrame:
    """Natural lakes (Baikal, Hulun Nur, Khanka...), one feature each, named in English, Russian
    and Chinese (``inputs/lake_names.json``); the lakes Natural Earth leaves unnamed are one feature.

    Modern reservoirs (Zeya, Bratsk, the Chinese 'shuiku', Songhua Hu) did not exist in 1689 and
    are left out.
    """
    names = curated("lake_names")
    lakes = natural_earth(data_dir, "ne_10m_lakes")
    lakes["name"] = lakes["name"].fillna(names["unnamed"]["name"])
    modern = lakes["name"].str.contains("Reservoir|Shuiku", regex=True) | lakes["name"].isin(names["exclude"])
    lakes = lakes[~modern & (shapely.area(lakes.geometry.to_numpy()) >= MIN_AREA_DEG2)].copy()
    lakes = lakes.dissolve(by="name", as_index=False, sort=True)
    rows = []
    for _, lake in lakes.iterrows():
        geom = shapely.make_valid(shapely.simplify(lake.geometry, SIMPLIFY_DEG, preserve_topology=True))
        own = names["unnamed"] if lake["name"] == names["unnamed"]["name"] else names["lakes"][lake["name"]]
        row = _row(own.get("name", lake["name"]).replace("Nuur", "Nur"), geom, "ne_10m_lakes")
        row.update({k: own[k] for k in ("name_ru", "name_zh", "name_zh_note", "name_note") if k in own})
        row["source"] += "; Russian and Chinese names: nerchinsk_map/rawdata/curated/lake_names.json"
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _row(name: str, geom: shapely.Geometry, stem: str) -> dict:
    return {
        "name": name,
        "source": f"{NATURAL_EARTH}, {stem} (1:10m), public domain",
        "method": f"copied; parts under {MIN_AREA_DEG2} deg² dropped, simplified to {SIMPLIFY_DEG}°",
        "precision_km": 2.0,
        "certainty": "attested",
        "start_date": None,
        "end_date": None,
        "geometry": geom,
    }
