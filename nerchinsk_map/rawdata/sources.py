"""Where the pipeline finds its inputs: the raw data shipped in ``nerchinsk_map/rawdata`` and the
curated inputs in ``rawdata/curated``."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from ..errors import NerchinskMapError

INPUTS = Path(__file__).resolve().parent / "curated"
NATURAL_EARTH = "Natural Earth 4.0.0"
NATURAL_EARTH_LICENCE = "public domain"


RAWDATA = Path(__file__).resolve().parent
SUMS_FILE = "SHA256SUMS"


def default_data_dir() -> Path:
    """``$NERCHINSK_SHARED_DATA`` when set, else the raw inputs shipped in the package
    (``nerchinsk_map/rawdata``)."""
    env = os.environ.get("NERCHINSK_SHARED_DATA")
    return Path(env) if env else RAWDATA


def expected_sums(data_dir: Path) -> dict[str, str]:
    """Relative path -> SHA-256 from ``data_dir/SHA256SUMS``, else from the shipped one."""
    sums = data_dir / SUMS_FILE
    if not sums.is_file():
        sums = RAWDATA / SUMS_FILE
    expected = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            expected[name.lstrip("*")] = digest
    return expected


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_data_dir(data_dir: Path) -> Path:
    """Raise a one-line error when a raw input is missing or differs from its SHA-256 sum."""
    for name, digest in expected_sums(data_dir).items():
        path = data_dir / name
        if not path.is_file():
            raise NerchinskMapError(
                f"{data_dir}: raw input {name} not found (expected natural-earth/ and elevation/ "
                "as in nerchinsk_map/rawdata; give --data-dir or set NERCHINSK_SHARED_DATA)"
            )
        if sha256(path) != digest:
            raise NerchinskMapError(
                f"{path}: SHA-256 differs from {SUMS_FILE} (a changed or damaged raw input; "
                "restore it or give a folder with its own SHA256SUMS)"
            )
    return data_dir


def natural_earth(data_dir: Path, stem: str) -> gpd.GeoDataFrame:
    """One of the Natural Earth cuts, e.g. ``ne_10m_rivers_lake_centerlines``."""
    return gpd.read_file(data_dir / "natural-earth" / f"{stem}.geojson")


@cache
def curated(name: str) -> dict[str, Any]:
    """One of the curated input files in ``rawdata/curated`` (``rivers``, ``places``...)."""
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
