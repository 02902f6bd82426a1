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


def _rounded_sequence(geom: shapely.Geometry, ndigits: int) -> list[list[float]]:
    """The coordinates of a point, line or ring as lists, each number rounded as :func:`round` does."""
    return [[round(v, ndigits) for v in xy] for xy in shapely.get_coordinates(geom, include_z=geom.has_z).tolist()]


def _rounded(geom: shapely.Geometry, ndigits: int) -> Any:
    """GeoJSON ``coordinates`` of ``geom`` rounded to ``ndigits``: what rounding every number of
    ``mapping(geom)["coordinates"]`` gives, read a ring at a time instead of a number at a time;
    None for what it does not read (an empty part, a collection)."""
    kind = geom.geom_type
    if geom.is_empty:
        return None
    if kind == "Point":
        return _rounded_sequence(geom, ndigits)[0]
    if kind in ("LineString", "LinearRing"):
        return _rounded_sequence(geom, ndigits)
    if kind == "Polygon":
        return [_rounded_sequence(geom.exterior, ndigits), *(_rounded_sequence(r, ndigits) for r in geom.interiors)]
    if kind in ("MultiPoint", "MultiLineString", "MultiPolygon"):
        parts = [_rounded(part, ndigits) for part in geom.geoms]
        return None if any(p is None for p in parts) else parts
    return None


def geometry_json(geom: shapely.Geometry, ndigits: int) -> dict[str, Any]:
    """RFC 7946 GeoJSON geometry rounded to ``ndigits`` decimals, kept valid by snapping to that
    grid, polygons wound by the right-hand rule (exteriors counter-clockwise).

    Examples
    --------
    >>> from shapely import LineString
    >>> geometry_json(LineString([(120.123456, 50.5), (121.0, 51.987654)]), 3)
    {'type': 'LineString', 'coordinates': [[120.123, 50.5], [121.0, 51.988]]}
    """
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.set_precision(geom, 10.0**-ndigits)
    geom = rfc7946(geom)
    coordinates = _rounded(geom, ndigits)
    if coordinates is None:  # empty parts: as the GeoJSON mapping gives them
        gj = mapping(geom)
        return {"type": gj["type"], "coordinates": _round_coords(gj["coordinates"], ndigits)}
    return {"type": geom.geom_type, "coordinates": coordinates}


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
