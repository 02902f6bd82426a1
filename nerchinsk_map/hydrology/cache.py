"""Basins on demand for any outlet, with the hydrology of ``data rebuild`` (``hydrology/basins.py``),
cached on disk.

The flow directions are derived once per process from the 5′ DEM and the Natural Earth rivers
(about 2 s); each basin polygon is then cached as WKB under ``$NERCHINSK_CACHE`` (default
``~/.cache/nerchinsk-map``) in a folder keyed by the hash of the DEM, the river file and
``basins.py`` itself, so a changed input or method never reuses an old basin.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..errors import HydrologyError, NerchinskMapError
from ..files.atomic import write_text_atomic
from ..files.cache import cache_root
from ..files.inputs import read_json
from ..rawdata.sources import check_data_dir, default_data_dir

EXTRA = 'pip install "nerchinsk-map[pipeline]"'

MIN_CELLS = 3  # an outlet draining fewer DEM cells than this is not on a river


def cache_dir() -> Path:
    """Where basins are cached: ``$NERCHINSK_CACHE`` or ``~/.cache/nerchinsk-map``."""
    return cache_root() / "basins"


def _data_dir(data_dir: Path | None) -> Path:
    return check_data_dir(Path(data_dir) if data_dir else default_data_dir())


@cache
def inputs_key(data_dir: Path) -> str:
    """Hash of what the hydrology reads (the DEM, the Natural Earth rivers, lakes and playas) and of
    the method itself (``hydrology/basins.py``), found without importing pyflwdir."""
    spec = importlib.util.find_spec("nerchinsk_map.hydrology.basins")
    assert spec is not None and spec.origin is not None  # this package's own module
    files = sorted((data_dir / "elevation").glob("*.tif")) + [
        data_dir / "natural-earth" / f"ne_10m_{stem}.geojson" for stem in ("rivers_lake_centerlines", "lakes", "playas")
    ]
    h = hashlib.sha256()
    for path in [*files, Path(spec.origin)]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _basins_module() -> Any:
    """``hydrology.basins``, or a one-line error naming the extra that installs its packages."""
    try:
        from . import (
            basins,  # lazy: pyflwdir and rasterio (the 'pipeline' extra), only when a basin must be derived
        )
    except ModuleNotFoundError as exc:
        raise HydrologyError(
            f"a basin derived on demand needs the optional package {exc.name!r}, which is not installed: {EXTRA}"
        ) from None
    return basins


def _cached(path: Path) -> shapely.Geometry | None:
    """The basin in a cache file, or None (with a note) if the entry cannot be used."""
    try:
        record = read_json(path, "cache")
        geom = shapely.from_wkb(bytes.fromhex(record["wkb"]))
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
            raise ValueError("not a valid polygon")
        return geom
    except (NerchinskMapError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as exc:
        warnings.warn(f"{path}: corrupt basin cache entry ({exc}); derived again", stacklevel=3)
        return None


@cache
def _flow(data_dir: Path) -> tuple[Any, Any, np.ndarray, np.ndarray]:
    """Flow directions, grid, closed-cell mask and upstream cell counts (hydrology/basins.py's steps)."""
    basins = _basins_module()

    elev, grid = basins.read_dem(data_dir)
    out = np.isnan(elev) | basins.sink_mask(data_dir, grid)
    traces = basins.river_traces(data_dir, elev, out, grid)
    parent, order = basins.route_rivers(basins.river_graph(traces, out), elev, out, grid)
    flw = basins.flow_directions(basins.carve_rivers(elev, parent, order), out, parent, grid)
    return flw, grid, out, flw.upstream_area(unit="cell").ravel()


def outlet_cell(lon: float, lat: float, data_dir: Path) -> int:
    """The DEM cell containing the outlet; it must drain more than MIN_CELLS cells (be on a river)."""
    _, grid, out, upa = _flow(data_dir)
    idx = grid.cell(lon, lat)
    if idx < 0 or out[idx]:
        raise HydrologyError(f"outlet {lat:.4f} N {lon:.4f} E is outside the DEM or at sea")
    if upa[idx] <= MIN_CELLS:
        raise HydrologyError(
            f"outlet {lat:.4f} N {lon:.4f} E drains only {int(upa[idx])} cell(s) of the 5′ DEM: "
            "put it on the river, just above the confluence (cells are about 9 km)"
        )
    return idx


def basin_at(lon: float, lat: float, data_dir: Path | None = None) -> shapely.Geometry:
    """The drainage basin upstream of the outlet at (lon, lat), from the disk cache if there."""
    data_dir = _data_dir(data_dir)
    folder = cache_dir() / inputs_key(data_dir)
    outlet_key = f"{round(lon, 4)}_{round(lat, 4)}"
    path = folder / f"{outlet_key}.json"
    if path.exists() or path.is_symlink():
        geom = _cached(path)
        if geom is not None:
            return geom
    basins = _basins_module()

    flw, grid, out, _ = _flow(data_dir)
    idx = outlet_cell(lon, lat, data_dir)
    mask = flw.basins(idxs=np.array([idx])) > 0
    geom = basins.mask_polygon(mask, out, grid)
    record = {"outlet": [lon, lat], "outlet_cell": int(idx), "wkb": shapely.to_wkb(geom, hex=True)}
    write_text_atomic(path, json.dumps(record))
    return geom
