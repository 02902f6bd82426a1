"""Deterministic RFC 7946 GeoJSON writing: the same features always give the same bytes."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from .atomic import write_text_atomic


def _round_coords(obj: Any, ndigits: int) -> Any:
    if isinstance(obj, float):
        return round(obj, ndigits)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(item, ndigits) for item in obj]
    return obj


def clean_value(value: Any) -> Any:
    """Turn numpy scalars, NaN and dates into plain JSON values."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):  # dates and timestamps from user files
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [clean_value(v) for v in value]
    if isinstance(value, dict):
        return {k: clean_value(v) for k, v in value.items()}
    return value


def rfc7946(geom: shapely.Geometry) -> shapely.Geometry:
    """``geom`` with RFC 7946 winding: counter-clockwise exteriors, clockwise holes."""
    return shapely.orient_polygons(geom) if geom is not None else None


def geometry_json(geom: shapely.Geometry, ndigits: int) -> dict[str, Any]:
    """RFC 7946 GeoJSON geometry rounded to ``ndigits`` decimals, kept valid by snapping to that
    grid, polygons wound by the right-hand rule (exteriors counter-clockwise)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.set_precision(geom, 10.0**-ndigits)
    gj = mapping(rfc7946(geom))
    return {"type": gj["type"], "coordinates": _round_coords(gj["coordinates"], ndigits)}


def dumps(gdf: gpd.GeoDataFrame, ndigits: int) -> str:
    """A FeatureCollection with one feature per line, properties in column order."""
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    lines = []
    for _, row in gdf.iterrows():
        feature = {
            "type": "Feature",
            "properties": {c: clean_value(row[c]) for c in columns},
            "geometry": geometry_json(row.geometry, ndigits),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def write(gdf: gpd.GeoDataFrame, path: str | Path, ndigits: int) -> Path:
    """Write ``gdf`` (EPSG:4326) to ``path`` atomically."""
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        raise ValueError(f"{path}: layers are written in EPSG:4326, got {gdf.crs}")
    return write_text_atomic(path, dumps(gdf, ndigits))
