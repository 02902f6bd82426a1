"""Users' own files as map layers: ``nerchinsk-map build --add-layer FILE``.

A GeoJSON, GeoPackage or Shapefile is read and checked like a catalog layer (projected
files are reprojected, invalid geometry is repaired with a notice), given a style from the
catalog's ``user_styles`` palette, and popups that list its own properties.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..errors import LayerDataError
from .catalog import Catalog, LayerSpec, Source
from .layers import COMMON_PROPERTIES, read_layer_file, split_layer_name
from .properties import plain_properties

NAME_CANDIDATES = ("name", "Name", "NAME", "title", "Title", "label", "Label")
KIND = {"Point": "point", "MultiPoint": "point", "LineString": "line", "MultiLineString": "line",
        "Polygon": "polygon", "MultiPolygon": "polygon"}
DEFAULT_PALETTE = ("#404040",)  # when a catalog names no user_styles (the shipped one does)
PAGE_BUDGET_MB = 20  # a page above this loads slowly or crashes a browser tab (README: Limits)
MIN_FEATURE_BYTES = 60  # the least a feature takes on the page: {"type":"Feature","geometry":...}
SAMPLE = 500  # features whose properties are measured to estimate the rest


def least_page_bytes(gdf: gpd.GeoDataFrame) -> int:
    """The least the layer can take on the page whatever the simplification: each feature's
    bare JSON, a point's two coordinates (points cannot be simplified away) and its properties
    (measured on a sample). A layer above the budget by this count is refused before any work.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> least_page_bytes(gpd.GeoDataFrame({"name": ["a"] * 1000}, geometry=[Point(120, 50)] * 1000)) > 60_000
    True
    """
    import json

    n = len(gdf)
    if n == 0:
        return 0
    sample = gdf.drop(columns=gdf.geometry.name).head(SAMPLE)
    props = len(json.dumps(sample.astype(str).to_dict("records"), ensure_ascii=False).encode("utf-8"))
    points = int(gdf.geom_type.isin(["Point", "MultiPoint"]).sum())
    return n * MIN_FEATURE_BYTES + points * 22 + props * n // max(len(sample), 1)


def check_budget(gdf: gpd.GeoDataFrame, origin: str) -> None:
    """Refuse a layer that cannot fit the page budget, in seconds, before it is simplified or drawn."""
    least = least_page_bytes(gdf)
    if least > PAGE_BUDGET_MB * 1e6:
        raise LayerDataError(
            f"{origin}: {len(gdf):,} features take at least {least / 1e6:.0f} MB of the page, beyond its "
            f"{PAGE_BUDGET_MB} MB budget: simplify or thin it first (e.g. ogr2ogr -simplify 0.01 small.gpkg "
            "big.gpkg) or leave it out"
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "layer"


def _with_names(gdf: gpd.GeoDataFrame, stem: str) -> gpd.GeoDataFrame:
    gdf = gdf.copy()
    column = next((c for c in NAME_CANDIDATES if c in gdf.columns), None)
    if column is None:
        strings = [c for c in gdf.columns if c != gdf.geometry.name and pd.api.types.is_string_dtype(gdf[c])]
        column = strings[0] if strings else None
    values = gdf[column].tolist() if column else [None] * len(gdf)
    gdf["name"] = [v if isinstance(v, str) and v.strip() else f"{stem} {i + 1}" for i, v in enumerate(values)]
    return gdf


def user_layer(
    source: str | Path | gpd.GeoDataFrame,
    index: int,
    taken: set[str],
    palette: Sequence[str] = DEFAULT_PALETTE,
) -> tuple[LayerSpec, gpd.GeoDataFrame]:
    """A catalog entry and the checked data for one user file (or GeoDataFrame)."""
    if isinstance(source, gpd.GeoDataFrame):
        stem = str(source.attrs.get("title", f"layer {index + 1}"))
        if source.crs is not None and source.crs.to_epsg() != 4326:
            warnings.warn(f"{stem}: reprojected from {source.crs.to_string()} to WGS 84", stacklevel=2)
            source = source.to_crs(4326)
        gdf = source
        origin = "a GeoDataFrame given to build_map"
    else:
        path, layer = split_layer_name(source)
        gdf = read_layer_file(path, repair=True, layer=layer)
        stem = layer or path.stem
        origin = f"{path.name}:{layer}" if layer else path.name
    check_budget(gdf, origin)
    gdf = plain_properties(gdf, origin, gdf.attrs.get("lost_properties"))
    gdf = _with_names(gdf, stem)
    kinds = {KIND.get(t, "polygon") for t in gdf.geom_type}
    if len(kinds) > 1:
        mixed = ", ".join(sorted(kinds))
        raise LayerDataError(f"{origin}: mixes {mixed} geometries; split it into one file per kind")
    layer_id = base = f"user_{_slug(stem)}"
    n = 2
    while layer_id in taken:
        layer_id, n = f"{base}_{n}", n + 1
    taken.add(layer_id)
    color = palette[index % len(palette)]
    kind = kinds.pop()
    style = {"color": color, "weight": 2.5 if kind == "line" else 1.5, "opacity": 1,
             "fillColor": color, "fillOpacity": 0.25 if kind == "polygon" else 0.9, "radius": 6}
    own = [c for c in gdf.columns if c != gdf.geometry.name and c not in COMMON_PROPERTIES]
    spec = LayerSpec(
        id=layer_id,
        title=stem,
        file=origin,
        geometry=kind,
        group="Your layers",
        description=f"Added from {origin}",
        style={"base": style},
        sources=(Source(dataset=origin, version="user file", licence="as supplied by the user"),),
        label=kind == "point" and len(gdf) <= 50,
        web_precision=6,
        extra={"popup": [[c, c] for c in own]},  # the page simplifies it to the screen (web/)
    )
    return spec, gdf


def add_user_layers(
    catalog: Catalog, sources: Sequence[str | Path | gpd.GeoDataFrame]
) -> tuple[Catalog, dict[str, gpd.GeoDataFrame]]:
    """The catalog with the users' layers appended, and their data keyed by id."""
    taken = set(catalog.ids())
    palette = tuple(catalog.user_styles) or DEFAULT_PALETTE
    specs, frames = [], {}
    for i, source in enumerate(sources):
        spec, gdf = user_layer(source, i, taken, palette)
        specs.append(spec)
        frames[spec.id] = gdf
    return catalog.with_layers(tuple(specs)), frames
