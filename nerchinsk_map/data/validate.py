"""``nerchinsk-map validate``: check the catalog and every layer, one line per problem.

Checks: the catalog parses and its files exist; each layer loads in WGS 84 with valid,
non-empty geometry of the catalog's kind; every feature has a name and the provenance
properties; every dated feature has EDTF dates that parse and agree with its ISO dates
(``nerchinsk_map.chronology.dates.check``); the topology rules a catalog entry declares (``topology``) hold, for example that
the border's river parts lie on the rivers and its mountain parts on the Amur basin edge.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NerchinskMapError
from ..files.cache import cache_root, cached_json, code_key, content_key, library_versions, prune
from ..files.inputs import read_bytes
from ..files.locations import geodata_dir
from .catalog import Catalog, LayerSpec, default_catalog, read_catalog
from .catalog_schema import check_catalog, schema_path

if TYPE_CHECKING:
    import geopandas as gpd

# what every feature must say about itself (a column of nulls states "unknown" explicitly)
REQUIRED = ("source", "method", "precision_km", "certainty")
# dates may be left out: a feature without them is undated, drawn in every year (as the map and
# the exports already treat a null date), so a missing column is taken as all nulls
DATES = ("start_date", "end_date")
PROVENANCE = REQUIRED + DATES  # what the shipped layers carry (tests/test_layers.py)
CERTAINTY = {"attested", "probable", "disputed"}
KINDS = {
    "point": {"Point", "MultiPoint"},
    "line": {"LineString", "MultiLineString"},
    "polygon": {"Polygon", "MultiPolygon"},
}
TOPOLOGY_TOLERANCE_DEG = 1e-6  # shared coordinates, written at 6 decimals
# what the checks compute with: a kept verdict is only reused with the same versions of these
CHECKING_LIBRARIES = ("geopandas", "shapely", "pyogrio", "pyproj", "pandas", "numpy", "jsonschema",
                      "edtf", "pyparsing", "convertdate", "sxtwl", "babel")


def _select(gdf: gpd.GeoDataFrame, where: dict) -> gpd.GeoDataFrame:
    mask = gdf.index == gdf.index
    for column, wanted in where.items():
        values = wanted if isinstance(wanted, list) else [wanted]
        mask &= gdf[column].isin(values) if column in gdf.columns else False
    return gdf[mask]


def _load(layer_id: str, catalog: Catalog, loaded: dict[str, gpd.GeoDataFrame] | None) -> gpd.GeoDataFrame:
    """The layer, read once per run (``loaded`` keeps what was read; the checks never change it)."""
    from .layers import load_layer  # lazy: geopandas loads only when a layer is checked

    if loaded is None:
        return load_layer(layer_id, catalog)
    if layer_id not in loaded:
        loaded[layer_id] = load_layer(layer_id, catalog)
    return loaded[layer_id]


def _check_topology(spec: LayerSpec, gdf: gpd.GeoDataFrame, catalog: Catalog,
                    loaded: dict[str, gpd.GeoDataFrame] | None = None) -> Iterator[str]:
    import shapely  # lazy: only when a layer is checked

    for rule in spec.extra.get("topology", []):
        target_id = rule["on"]["layer"]
        target = _load(target_id, catalog, loaded).set_index("id")
        for _, feature in _select(gdf, rule.get("where", {})).iterrows():
            key = rule["on"].get("id") or feature["id"]
            if key not in target.index:
                yield f"{spec.id}: feature {feature['id']!r} has no counterpart {key!r} in {target_id}"
                continue
            geom = target.geometry[key]
            if rule["on"].get("part") == "boundary":
                geom = geom.boundary
            if not geom.buffer(TOPOLOGY_TOLERANCE_DEG).contains(feature.geometry):
                gap = shapely.hausdorff_distance(feature.geometry, geom)
                yield (
                    f"{spec.id}: feature {feature['id']!r} does not lie on {target_id} {key!r}"
                    f"{' edge' if rule['on'].get('part') == 'boundary' else ''} (off by up to {gap:.4f}°)"
                )


def check_layer(spec: LayerSpec, catalog: Catalog,
                loaded: dict[str, gpd.GeoDataFrame] | None = None) -> Iterator[str]:
    """Problems of one layer, one line each (``loaded``: layers already read in this run)."""
    from .properties import date_problems  # lazy: geopandas loads only when a layer is checked

    try:
        gdf = _load(spec.id, catalog, loaded)
    except NerchinskMapError as exc:
        yield f"{spec.id}: {exc}"
        return
    kinds = set(gdf.geom_type)
    if not kinds <= KINDS[spec.geometry]:
        yield f"{spec.id}: geometry {', '.join(sorted(kinds))} but the catalog says {spec.geometry}"
    missing = [c for c in REQUIRED if c not in gdf.columns]
    if missing:
        yield f"{spec.id}: lacks the provenance properties {', '.join(missing)}"
    for i, row in gdf.iterrows():
        label = row.get("id", i)
        if not isinstance(row["name"], str) or not row["name"].strip():
            yield f"{spec.id}: feature {label!r} has no name"
        for column in ("source", "method"):
            if column in gdf.columns and not (isinstance(row[column], str) and row[column].strip()):
                yield f"{spec.id}: feature {label!r} has no {column}"
        if "certainty" in gdf.columns and row["certainty"] not in CERTAINTY:
            yield f"{spec.id}: feature {label!r} has certainty {row['certainty']!r}, expected one of {sorted(CERTAINTY)}"
        props = row.to_dict()  # the row's properties: what dropping the geometry then to_dict gives, faster
        props.pop(gdf.geometry.name, None)
        for problem in date_problems(props):
            yield f"{spec.id}: feature {label!r}: {problem}"
    yield from _check_topology(spec, gdf, catalog, loaded)
    yield from _check_translations(spec, gdf, catalog)


def _check_translations(spec: LayerSpec, gdf: gpd.GeoDataFrame, catalog: Catalog) -> Iterator[str]:
    """Every popup text has an entry in each translation file the catalog names."""
    if spec.basemap or not catalog.translations:
        return
    from .translations import frame_texts  # lazy: only when a layer is checked

    texts = frame_texts(gdf, spec.popup_fields)
    for lang, table in catalog.translation_tables().items():
        missing = sorted(t for t in texts if t not in table)
        if missing:
            yield f"{spec.id}: popup texts without a {lang} translation: {len(missing)} (first: {missing[0][:60]!r})"


def shipped_key() -> str | None:
    """A hash of everything a check of the shipped catalog reads (the catalog, its schema, every
    layer file, the translation files), of this package's code and of the versions of the
    libraries the checks compute with; None when a file is not one self-contained JSON file
    (a GeoPackage or Shapefile layer) or cannot be read (the check itself then says why).

    Examples
    --------
    >>> key = shipped_key()
    >>> len(key), key == shipped_key()
    (32, True)
    """
    try:
        catalog = default_catalog()
        files = [geodata_dir() / "catalog.json", schema_path(), *(spec.path for spec in catalog.layers),
                 *(path for _, path in catalog.translations)]
        h = hashlib.sha256()
        for path in files:
            if path.suffix.lower() not in (".json", ".geojson"):
                return None
            data = read_bytes(path, "layer")
            h.update(f"{path.name}:{len(data)}:".encode())
            h.update(data)
    except NerchinskMapError:
        return None
    return content_key(h.hexdigest(), code_key(), list(library_versions(*CHECKING_LIBRARIES)))


def validate(catalog_path: str | Path | None = None, allow_outside: bool = False, fresh: bool = False) -> list[str]:
    """Every problem in the catalog and its layers (an empty list when all is well); a catalog
    that does not follow the schema is one problem, named by layer and field.

    The shipped catalog's result is kept (``$NERCHINSK_CACHE/validated``) under
    :func:`shipped_key`: the same files checked by the same code with the same libraries are
    not checked again (``fresh``: check them all the same). A user's catalog is always checked."""
    key = None if catalog_path or fresh else shipped_key()
    if key is None:
        return _validate(catalog_path, allow_outside)

    def check() -> list[str]:
        prune(cache_root() / "validated", "*.json", 8)  # results for older files or code
        return _validate(None, allow_outside)

    return cached_json(
        cache_root() / "validated" / f"{key}.json",
        lambda kept: isinstance(kept, list) and all(isinstance(line, str) for line in kept),
        check,
    )


def _validate(catalog_path: str | Path | None, allow_outside: bool) -> list[str]:
    """:func:`validate`, checked now."""
    try:
        catalog = read_catalog(catalog_path, allow_outside=allow_outside) if catalog_path else default_catalog()
        if not catalog_path:  # the shipped catalog is read without its schema check at start: check it here
            check_catalog(json.loads((geodata_dir() / "catalog.json").read_text(encoding="utf-8")), "catalog.json")
    except NerchinskMapError as exc:
        return [str(exc)]
    problems: list[str] = []
    loaded: dict[str, gpd.GeoDataFrame] = {}  # a layer that other layers' topology rules name is read once
    for spec in catalog.layers:
        problems.extend(check_layer(spec, catalog, loaded))
    return problems
