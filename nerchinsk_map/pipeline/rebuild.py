"""Regenerate every layer file of ``geodata/`` from the raw inputs: ``nerchinsk-map data rebuild``."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely

from ..analysis import still_border
from ..files import geojson
from ..files.locations import geodata_dir
from ..rawdata.sources import check_data_dir, curated, default_data_dir, natural_earth
from ..readings.context import frame_context
from .authority import authority_ids, with_authority_ids
from .basemap import lakes_frame, land_frame
from .dating import with_edtf
from .history import borders_later_frame, events_frame, territories_frame, unsettled_frame
from .places import places_frame
from .rivers import rivers_frame
from .treaty import later_readings_frame, readings_frame, treaty_frames, uncertainty_frame

# Decimal places kept in the committed files: the full precision of each source.
PRECISION = {
    "rivers": 6,  # Natural Earth cut at 1e-6 degrees
    "watersheds": 6,  # smoothed edges, rounded to 1e-6 degrees in the pipeline
    "treaty_1689": 6,  # shares the rivers' and the basin's coordinates
    "treaty_1689_readings": 6,
    "uda_undetermined": 6,
    "treaty_1689_uncertainty": 4,  # bands of 2 km and wider
    "treaty_readings_1858_1860": 6,  # shares the rivers' coordinates
    "treaty_1727": 6,  # the DEM's basin edge and sourced points
    "places": 4,  # the sources give 4 decimals at most
    "events": 4,
    "borders_later": 6,  # Natural Earth boundary, with the rivers' Argun
    "territories": 6,
    "unsettled_1858_1860": 6,  # the territories' vertices
    "basemap_land": 4,  # simplified context
    "basemap_lakes": 4,
}


def watersheds_frame(basins: gpd.GeoDataFrame, metadata: dict) -> gpd.GeoDataFrame:
    """The ``watersheds`` layer: derived basins with names, roles and the published areas."""
    info = curated("basins")["basins"]
    rows = []
    for _, b in basins.iterrows():
        meta = info[b["id"]]
        published = meta["published_area_km2"]
        diff = None
        if published:
            diff = f"{(b['area_km2'] - published) / published:+.1%} against the published figure"
        rows.append(
            {
                "id": b["id"],
                "name": meta["name"],
                "name_ru": meta["name_ru"],
                "name_zh": meta["name_zh"],
                "role": meta["role"],
                "area_km2": round(float(b["area_km2"])),
                "published_area_km2": published,
                "area_difference": diff,
                "outlet_lon": round(float(b["outlet_lon"]), 4),
                "outlet_lat": round(float(b["outlet_lat"]), 4),
                "source": metadata["basin_source"],
                "method": metadata["basin_method"],
                "precision_km": 10.0,
                "certainty": "probable",
                "start_date": None,
                "end_date": None,
                "geometry": b.geometry,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def rebuild(data_dir: Path | None = None, out_dir: Path | None = None) -> list[Path]:
    """Derive every layer file into ``out_dir``; return the paths written.

    The default ``out_dir`` is the ``geodata/`` the map is built from (the clone's, in a clone or
    an editable install), so ``data rebuild`` and ``build`` always agree.
    """
    # lazy: needs rasterio and pyflwdir (the 'pipeline' extra)
    from ..hydrology.basins import derive_basins

    data_dir = check_data_dir(Path(data_dir) if data_dir else default_data_dir())
    out_dir = Path(out_dir) if out_dir else geodata_dir()
    out_dir.mkdir(parents=True, exist_ok=True)

    result = derive_basins(data_dir)
    params = ", ".join(f"{k}={v}" for k, v in sorted(result.metadata.items()))
    provenance = {
        "basin_source": (
            "pvlib 0.16.1 Altitude.h5 DEM (Mapzen terrain from ETOPO1, GMTED2010, SRTM; BSD-3-Clause), "
            "cut to 5′; Natural Earth 4.0.0 rivers burned in"
        ),
        "basin_method": (
            "derived: flow directions on the 5′ DEM with pyflwdir, Natural Earth rivers burned in, "
            f"basins upstream of each outlet, polygonised on cell edges, then each shared edge smoothed "
            f"once to within a quarter of a cell ({params}); see METHOD-watersheds.md"
        ),
    }
    amur = result.basins.set_index("id").geometry["amur"]
    stems = dict(zip(result.stems["id"], result.stems.geometry, strict=True))
    rivers = rivers_frame(data_dir, stems, amur)
    land = land_frame(data_dir)
    land_full = shapely.union_all(natural_earth(data_dir, "ne_10m_land").geometry.to_numpy())
    context = frame_context(rivers, result.basins, provenance["basin_source"], land_full, data_dir)
    treaty, uda = treaty_frames(context, rivers, land_full)
    readings = readings_frame(context)
    later = borders_later_frame(data_dir, rivers, treaty)
    modern = later.set_index("id").geometry["modern"]
    kept = still_border(treaty, modern).set_index("id")
    treaty["still_border_km"] = [round(float(kept.loc[i, "still_border_km"]), 1) for i in treaty["id"]]

    places = places_frame(data_dir)
    layers = {
        "rivers": rivers,
        "watersheds": watersheds_frame(result.basins, provenance),
        "treaty_1689": treaty,
        "treaty_1689_readings": readings,
        "treaty_1689_uncertainty": uncertainty_frame(context),
        "treaty_readings_1858_1860": later_readings_frame(context),
        "treaty_1727": later_readings_frame(context, curated("treaty_1727")["readings"]),
        "uda_undetermined": uda,
        "places": places,
        "events": events_frame(places),
        "borders_later": later,
        "territories": (territories := territories_frame(data_dir, rivers, treaty, uda, later)),
        "unsettled_1858_1860": unsettled_frame(rivers, territories),
        "basemap_land": land,
        "basemap_lakes": lakes_frame(data_dir),
    }
    layers = {name: with_edtf(gdf, open_end=name != "events") for name, gdf in layers.items()}
    ids = authority_ids()
    layers = {name: with_authority_ids(gdf, name, ids) for name, gdf in layers.items()}
    return [geojson.write(gdf, out_dir / f"{name}.geojson", PRECISION[name]) for name, gdf in layers.items()]
