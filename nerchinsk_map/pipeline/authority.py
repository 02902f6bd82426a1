"""Gazetteer identifiers: the curated Wikidata and GeoNames ids (``rawdata/curated/authority_ids.json``)
copied into each feature's ``wikidata`` and ``geonames`` properties."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import geopandas as gpd

from ..rawdata.sources import curated

FIELDS = ("wikidata", "geonames")
PATTERNS = {"wikidata": re.compile(r"Q[1-9][0-9]*"), "geonames": re.compile(r"[1-9][0-9]*")}


def authority_ids() -> dict[str, dict[str, dict[str, Any]]]:
    """The curated ids by layer and feature id, each checked against its pattern.

    Examples
    --------
    >>> authority_ids()["places"]["nerchinsk_town"]["geonames"]
    '2019326'
    """
    layers = curated("authority_ids")["layers"]
    for layer, features in layers.items():
        for feature_id, entry in features.items():
            for field in FIELDS:
                value = entry.get(field)
                if value is None:
                    continue
                if not isinstance(value, str) or not PATTERNS[field].fullmatch(value):
                    raise ValueError(f"authority_ids.json: {layer}/{feature_id}: {field} {value!r} "
                                     f"is not of the form {PATTERNS[field].pattern}")
                if not entry.get(f"{field}_source"):
                    raise ValueError(f"authority_ids.json: {layer}/{feature_id}: {field} has no "
                                     f"{field}_source")
    return layers


def with_authority_ids(gdf: gpd.GeoDataFrame, layer: str,
                       ids: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None
                       ) -> gpd.GeoDataFrame:
    """``gdf`` with ``wikidata`` and ``geonames`` columns (None where a feature has no id) for a
    layer that has curated ids; other layers are returned unchanged. An id for a feature the
    layer does not have is an error (a renamed feature would silently lose it).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> places = with_authority_ids(nm.load_layer("places").drop(columns=["wikidata", "geonames"]),
    ...                             "places")
    >>> places.set_index("id").loc["nerchinsk_town", "geonames"]
    '2019326'
    """
    ids = authority_ids() if ids is None else ids
    given = ids.get(layer)
    if not given:
        return gdf
    missing = sorted(set(given) - set(gdf["id"]))
    if missing:
        raise ValueError(f"authority_ids.json: layer {layer} has no feature {', '.join(missing)}")
    out = gdf.copy()
    for field in FIELDS:
        out[field] = [given.get(fid, {}).get(field) for fid in out["id"]]
    columns = [c for c in out.columns if c != out.geometry.name]
    return out[columns + [out.geometry.name]]
