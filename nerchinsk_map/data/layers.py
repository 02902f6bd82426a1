"""Load the catalog's layers (and users' files) as GeoDataFrames in WGS 84."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from ..errors import LayerDataError
from ..files.inputs import check_regular, read_json
from .catalog import Catalog, default_catalog

WGS84 = "EPSG:4326"

# Properties every feature may carry and every popup may show; a catalog entry's ``popup``
# adds the layer's own fields (users' layers: every other column).
COMMON_PROPERTIES = (
    "id", "name", "name_ru", "name_zh", "name_historical", "name_zh_note", "start_date", "end_date",
    "certainty", "precision_km", "method", "source", "label", "texts", "wikidata", "geonames",
)


def list_layers(catalog: Catalog | None = None) -> list[str]:
    """The ids of the catalog's layers, in drawing order.

    Parameters
    ----------
    catalog : Catalog, optional
        The catalog (default: the shipped one).

    Returns
    -------
    list of str
        The layer ids.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> layers = nm.list_layers()
    >>> "treaty_1689" in layers and "places" in layers
    True
    """
    return (catalog or default_catalog()).ids()


def _check_json(path: Path) -> dict[str, list]:
    """Check a .geojson/.json layer strictly and return the properties GDAL would lose.

    Fail with a one-line reason when the file is not a usable FeatureCollection; return the
    properties GDAL cannot give under their own names (``geometry``, a name with a NUL), by
    name, one value per feature.
    """
    data = read_json(path, "layer", LayerDataError)
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise LayerDataError(f"{path}: not a GeoJSON FeatureCollection")
    features = data.get("features", [data]) if data["type"] == "FeatureCollection" else [data]
    if not isinstance(features, list) or not features:
        raise LayerDataError(f"{path}: the FeatureCollection has no features")
    for i, feature in enumerate(features):
        if not isinstance(feature, dict) or not feature.get("geometry"):
            raise LayerDataError(f"{path}: feature {i} has no geometry")
    props = [f.get("properties") if isinstance(f.get("properties"), dict) else {} for f in features]
    lost = dict.fromkeys(k for p in props for k in p if k == "geometry" or "\x00" in k)
    return {k: [p.get(k) for p in props] for k in lost}


def _from_features(path: Path) -> gpd.GeoDataFrame | None:
    """A GeoJSON file GDAL could not read, read from its strictly parsed features.

    Every property keeps its JSON value; None if that fails too.
    """
    data = read_json(path, "layer", LayerDataError)
    features = data.get("features", [data]) if data.get("type") == "FeatureCollection" else [data]
    try:
        return gpd.GeoDataFrame.from_features(features, crs=WGS84)
    except Exception:  # noqa: BLE001 - the caller reports GDAL's reason
        return None


SHAPEFILE_PARTS = (".shx", ".dbf")  # beside the .shp; .prj is optional (WGS 84 assumed)
MULTI_LAYER = (".gpkg", ".sqlite", ".gdb", ".kml", ".gml")


def _check_shapefile(path: Path) -> None:
    """Name the part of a shapefile that is missing (GDAL would read it without its .dbf)."""
    present = {p.name.lower() for p in path.parent.iterdir()} if path.parent.is_dir() else set()
    missing = [ext for ext in SHAPEFILE_PARTS if (path.stem + ext).lower() not in present]
    if missing:
        names = " and ".join(path.stem + ext for ext in missing)
        raise LayerDataError(f"{path}: {names} is missing (a shapefile is .shp, .shx and .dbf side by side)")


def _pick_layer(path: Path, layer: str | None) -> str | None:
    """The layer to read from a file that may hold several.

    ``layer`` if it is there; the only one otherwise; several and no pick is refused with their
    names (never the first taken).
    """
    import pyogrio

    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # not a readable data source: the reader says why below
        if layer is not None:
            raise LayerDataError(f"{path}: cannot list its layers ({str(exc).splitlines()[0]})") from None
        return None
    if layer is not None:
        if layer not in names:
            raise LayerDataError(f"{path}: has no layer {layer!r} (its layers: {', '.join(names)})")
        return layer
    if len(names) > 1:
        raise LayerDataError(
            f"{path}: holds {len(names)} layers ({', '.join(names)}); pick one as {path}:LAYER"
        )
    return None


def _check_geometry_types(gdf: gpd.GeoDataFrame, path: Path) -> None:
    kinds = gdf.geom_type.to_numpy()
    collections = (kinds == "GeometryCollection").nonzero()[0]
    if len(collections):
        raise LayerDataError(
            f"{path}: feature {int(collections[0])} is a GeometryCollection; "
            "split it into points, lines and polygons"
        )
    coords = shapely.get_coordinates(gdf.geometry.to_numpy())  # x, y (heights are dropped)
    if not np.isfinite(coords).all():
        counts = shapely.get_num_coordinates(gdf.geometry.to_numpy())
        first_bad = int(np.argmax(~np.isfinite(coords).all(axis=1)))
        feature = int(np.searchsorted(np.cumsum(counts), first_bad, side="right"))
        raise LayerDataError(f"{path}: feature {feature} has a coordinate that is not a number (NaN or Infinity)")


def _to_2d(gdf: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """Drop heights (Z): the map, the figures and the exports are two-dimensional."""
    if gdf.crs is not None and gdf.crs.is_geographic and len(gdf.crs.axis_info) == 3 and gdf.crs.to_2d().to_epsg() == 4326:
        gdf = gdf.set_crs(WGS84, allow_override=True)  # WGS 84 with heights (EPSG:4979): same lon/lat
    has_z = gdf.geometry.has_z
    if has_z.any():
        warnings.warn(f"{path}: dropped the heights (Z values) of {int(has_z.sum())} feature(s); "
                      "the map is two-dimensional", stacklevel=3)
        gdf = gdf.set_geometry(shapely.force_2d(gdf.geometry.to_numpy()), crs=gdf.crs)
    return gdf


def split_layer_name(source: str | Path) -> tuple[Path, str | None]:
    """``FILE.gpkg:LAYER`` as (file, layer); a path that exists as given is never split."""
    text = str(source)
    path = Path(text)
    if path.exists() or ":" not in path.name:
        return path, None
    file, _, layer = text.rpartition(":")
    return (Path(file), layer) if Path(file).exists() and layer else (path, None)


def read_layer_file(path: str | Path, *, repair: bool = False, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read one vector file and check it: features present, lon/lat CRS, valid geometry.

    A projected file is reprojected to WGS 84 with a warning, heights (Z) are dropped with a
    warning. GeometryCollections and coordinates that are not numbers are refused.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoJSON, GeoPackage or Shapefile.
    repair : bool
        Fix invalid geometry with ``make_valid`` (a warning names the features) instead of
        refusing it.
    layer : str, optional
        The layer of a file that holds several (a GeoPackage); required then.

    Returns
    -------
    geopandas.GeoDataFrame
        The features, in EPSG:4326.

    Raises
    ------
    LayerDataError
        The file cannot be read or its features are not valid (one line).

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> import nerchinsk_map as nm
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "fort.geojson"
    >>> feature = {"type": "Feature", "properties": {"name": "Kumarsk"},
    ...            "geometry": {"type": "Point", "coordinates": [126.7, 51.6]}}
    >>> _ = path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    >>> gdf = nm.read_layer_file(path)
    >>> gdf.crs.to_epsg(), list(gdf["name"])
    (4326, ['Kumarsk'])
    """
    path = Path(path)
    if not path.exists():
        raise LayerDataError(f"{path}: file not found")
    if path.is_dir() and path.suffix.lower() != ".gdb":
        raise LayerDataError(f"{path}: is a folder; name a GeoJSON, GeoPackage or Shapefile")
    suffix = path.suffix.lower()
    is_json = suffix in (".geojson", ".json")
    if not path.is_dir():
        check_regular(path, "layer", LayerDataError)  # a FIFO or device is refused before it is opened
    lost: dict[str, list] = {}
    if is_json:
        lost = _check_json(path)  # strict JSON (no NaN, Infinity, lone surrogates) before GDAL reads it
    if suffix == ".shp":
        _check_shapefile(path)
    # keep ISO dates such as 1651 or 1689-09-07 as written, not as timestamps
    options: dict[str, object] = {"DATE_AS_STRING": "YES"} if is_json else {}
    if suffix in MULTI_LAYER or layer is not None:
        picked = _pick_layer(path, layer)
        if picked is not None:
            options["layer"] = picked
    try:
        gdf = gpd.read_file(path, **options)
    except RecursionError:
        raise LayerDataError(f"{path}: nested too deeply to be a vector layer") from None
    except Exception as exc:  # fiona/pyogrio raise many types: find the one-line reason
        gdf = _from_features(path) if is_json else None  # GDAL chokes on some mixed list values
        if gdf is None:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise LayerDataError(f"{path}: cannot be read as a vector layer ({first})") from None
    if gdf.empty:
        raise LayerDataError(f"{path}: the layer has no features")
    if lost:  # GDAL drops a property named geometry and cuts a name at its NUL: keep them apart
        for name in lost:
            cut = name.split("\x00")[0]
            if "\x00" in name and cut in gdf.columns and cut not in lost:
                gdf = gdf.drop(columns=cut)
        gdf.attrs["lost_properties"] = lost
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        i = int((gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy().nonzero()[0][0])
        raise LayerDataError(f"{path}: feature {i} has no geometry")
    _check_geometry_types(gdf, path)
    gdf = _to_2d(gdf, path)
    if gdf.crs is None:
        gdf = gdf.set_crs(WGS84)
    elif not gdf.crs.equals(WGS84) and gdf.crs.to_epsg() != 4326:
        warnings.warn(f"{path}: reprojected from {gdf.crs.to_string()} to WGS 84", stacklevel=2)
        gdf = gdf.to_crs(WGS84)
        _check_geometry_types(gdf, path)  # a projection can leave points it cannot map (inf)
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
    """Load one catalog layer at full precision, in EPSG:4326, with a ``name`` column.

    Parameters
    ----------
    layer_id : str
        The layer's catalog id.
    catalog : Catalog, optional
        The catalog (default: the shipped one).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature with every property (provenance, dates, names in three languages).

    Raises
    ------
    UnknownLayerError
        The catalog has no such layer.
    LayerDataError
        The layer's file cannot be read or holds invalid features.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> border = nm.load_layer("treaty_1689")
    >>> border.crs.to_epsg()
    4326
    >>> list(border["id"])
    ['argun', 'shilka', 'gorbitsa', 'connector', 'divide', 'divide_uda']
    >>> sorted({"source", "method", "precision_km", "certainty"} - set(border.columns))
    []
    """
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
    """Load several catalog layers (all of them by default), keyed by id in catalog order.

    Parameters
    ----------
    layer_ids : list of str, optional
        The ids to load (default: every layer).
    catalog : Catalog, optional
        The catalog (default: the shipped one).

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        The layers by id.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> layers = nm.load_layers(["places", "events"])
    >>> list(layers)
    ['places', 'events']
    """
    catalog = catalog or default_catalog()
    ids = catalog.ids() if layer_ids is None else list(layer_ids)
    return {layer_id: load_layer(layer_id, catalog) for layer_id in ids}
