"""Where the pipeline finds its inputs: the raw data beside the repo and the curated inputs."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from ..errors import NerchinskMapError

INPUTS = Path(__file__).resolve().parent / "inputs"
NATURAL_EARTH = "Natural Earth 4.0.0"
NATURAL_EARTH_LICENCE = "public domain"


def default_data_dir() -> Path:
    """``$NERCHINSK_SHARED_DATA``, else ``../shared/data`` from the current folder (the
    repository), else ``shared/data`` beside the source tree."""
    env = os.environ.get("NERCHINSK_SHARED_DATA")
    if env:
        return Path(env)
    for candidate in (Path.cwd().parent / "shared" / "data", Path(__file__).resolve().parents[3] / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "data"


def check_data_dir(data_dir: Path) -> Path:
    """Raise a one-line error when the raw inputs are not there."""
    needed = data_dir / "natural-earth" / "ne_10m_rivers_lake_centerlines.geojson"
    if not needed.is_file():
        raise NerchinskMapError(
            f"{data_dir}: raw inputs not found (expected natural-earth/ and elevation/ as in "
            "shared/data; give --data-dir or set NERCHINSK_SHARED_DATA)"
        )
    return data_dir


def natural_earth(data_dir: Path, stem: str) -> gpd.GeoDataFrame:
    """One of the Natural Earth cuts, e.g. ``ne_10m_rivers_lake_centerlines``."""
    return gpd.read_file(data_dir / "natural-earth" / f"{stem}.geojson")


@cache
def curated(name: str) -> dict[str, Any]:
    """One of the curated input files in ``pipeline/inputs`` (``rivers``, ``places``...)."""
    return json.loads((INPUTS / f"{name}.json").read_text(encoding="utf-8"))


def control_point(point_id: str) -> dict[str, Any]:
    """A control point record from ``inputs/control_points.json``."""
    for record in curated("control_points")["points"]:
        if record["id"] == point_id:
            return record
    raise KeyError(point_id)


def control_xy(point_id: str) -> Point:
    """A control point as a shapely Point (lon, lat)."""
    record = control_point(point_id)
    return Point(record["lon"], record["lat"])
