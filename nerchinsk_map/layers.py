"""Load the catalog's layers (and users' files) as GeoDataFrames in WGS 84."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import shapely

from .catalog import Catalog, default_catalog
from .errors import LayerDataError

WGS84 = "EPSG:4326"


def list_layers(catalog: Catalog | None = None) -> list[str]:
    """The ids of the catalog's layers, in catalog order."""
    return (catalog or default_catalog()).ids()


def _check_json(path: Path) -> None:
    """Fail with a one-line reason when a .geojson/.json file is not a usable FeatureCollection."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise LayerDataError(f"{path}: not a UTF-8 text file") from None
    except json.JSONDecodeError as exc:
        raise LayerDataError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise LayerDataError(f"{path}: not a GeoJSON FeatureCollection")
    features = data.get("features", [data]) if data["type"] == "FeatureCollection" else [data]
    if not isinstance(features, list) or not features:
        raise LayerDataError(f"{path}: the FeatureCollection has no features")
    for i, feature in enumerate(features):
        if not isinstance(feature, dict) or not feature.get("geometry"):
            raise LayerDataError(f"{path}: feature {i} has no geometry")


def read_layer_file(path: str | Path, *, repair: bool = False) -> gpd.GeoDataFrame:
    """Read one vector file and check it: features present, lon/lat CRS, valid geometry.

    A projected file is reprojected to WGS 84 with a warning. Invalid geometry raises
    :class:`LayerDataError` unless ``repair`` is true, when it is fixed with ``make_valid``
    and a warning names the features.
    """
    path = Path(path)
    if not path.exists():
        raise LayerDataError(f"{path}: file not found")
    is_json = path.suffix.lower() in (".geojson", ".json")
    # keep ISO dates such as 1651 or 1689-09-07 as written, not as timestamps
    options = {"DATE_AS_STRING": "YES"} if is_json else {}
    try:
        gdf = gpd.read_file(path, **options)
    except Exception as exc:  # fiona/pyogrio raise many types: find the one-line reason
        if is_json:
            _check_json(path)  # raises a precise message for broken or non-GeoJSON text
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LayerDataError(f"{path}: cannot be read as a vector layer ({first})") from None
    if gdf.empty:
        raise LayerDataError(f"{path}: the layer has no features")
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        i = int((gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy().nonzero()[0][0])
        raise LayerDataError(f"{path}: feature {i} has no geometry")
    if gdf.crs is None:
        gdf = gdf.set_crs(WGS84)
    elif not gdf.crs.equals(WGS84) and gdf.crs.to_epsg() != 4326:
        warnings.warn(f"{path}: reprojected from {gdf.crs.to_string()} to WGS 84", stacklevel=2)
        gdf = gdf.to_crs(WGS84)
    minx, miny, maxx, maxy = gdf.total_bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise LayerDataError(
            f"{path}: coordinates outside longitude/latitude range "
            f"({minx:.1f}, {miny:.1f}, {maxx:.1f}, {maxy:.1f}); is the CRS declared?"
        )
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        i = int(invalid.to_numpy().nonzero()[0][0])
        reason = shapely.is_valid_reason(gdf.geometry.iloc[i])
        if not repair:
            raise LayerDataError(f"{path}: feature {i} has invalid geometry ({reason})")
        warnings.warn(
            f"{path}: repaired invalid geometry in {int(invalid.sum())} feature(s) ({reason})",
            stacklevel=2,
        )
        gdf.loc[invalid, "geometry"] = shapely.make_valid(gdf.geometry[invalid].to_numpy())
    return gdf


def load_layer(layer_id: str, catalog: Catalog | None = None) -> gpd.GeoDataFrame:
    """Load one catalog layer at full precision, in EPSG:4326, with a ``name`` column."""
    catalog = catalog or default_catalog()
    spec = catalog[layer_id]
    path = catalog.path(layer_id)
    gdf = read_layer_file(path)
    if "name" not in gdf.columns:
        raise LayerDataError(f"{path}: layer {layer_id!r} has no 'name' column")
    gdf.attrs["layer_id"] = layer_id
    gdf.attrs["title"] = spec.title
    return gdf


def load_layers(
    layer_ids: list[str] | None = None, catalog: Catalog | None = None
) -> dict[str, gpd.GeoDataFrame]:
    """Load several catalog layers (all of them by default), keyed by id in catalog order."""
    catalog = catalog or default_catalog()
    ids = catalog.ids() if layer_ids is None else list(layer_ids)
    return {layer_id: load_layer(layer_id, catalog) for layer_id in ids}
