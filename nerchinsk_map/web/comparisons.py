"""Two readings side by side: the figures ``nm.readings.compare`` gives for the pairs the page
offers, computed at build time, with the two lines and the faces between them for drawing.

Computing them compiles every reading (a few seconds); the result is kept on disk under
``$NERCHINSK_CACHE`` (default ``~/.cache/nerchinsk-map``) in a file named by the hash of
everything it is computed from (the reading files, the rivers and watersheds layers, the raw
Natural Earth inputs, the hydrology's inputs and the readings engine's own code), so a changed
input or method never reuses an old result.

>>> PAIRS[0]
('nerchinsk_1689_common', 'gorbitsa_malaya')
"""

from __future__ import annotations

import hashlib
import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import shapely

from ..files.cache import cache_root, cached_json

# The pairs the page offers: each competing reading of 1689 against the common one
# (Aigun against Peking is refused by the engine: the lines cover different stretches.)
PAIRS: tuple[tuple[str, str], ...] = (
    ("nerchinsk_1689_common", "gorbitsa_malaya"),
    ("nerchinsk_1689_common", "gorbitsa_amazar"),
    ("nerchinsk_1689_common", "argun_sources"),
    ("nerchinsk_1689_common", "argun_meriljke"),
    ("nerchinsk_1689_common", "mountains_stanovoy"),
    ("nerchinsk_1689_common", "mountains_yablonovy"),
)
DRAW_TOLERANCE_DEG = 0.005  # ~0.5 km: the lines and faces as the page draws them (figures use the full lines)
DRAW_DIGITS = 4


def _coords(geom: shapely.Geometry) -> list[Any]:
    """GeoJSON MultiLineString or MultiPolygon coordinates of ``geom`` simplified for drawing
    (always the multi form: simplifying may return a single part)."""
    simple = shapely.set_precision(shapely.simplify(geom, DRAW_TOLERANCE_DEG, preserve_topology=True), 10**-DRAW_DIGITS)
    parts = [p for p in shapely.get_parts(simple) if not p.is_empty]
    if all(p.geom_type == "Polygon" for p in parts):
        return [shapely.geometry.mapping(p)["coordinates"] for p in parts]
    return [shapely.geometry.mapping(p)["coordinates"] for p in parts if p.geom_type == "LineString"]


@lru_cache(maxsize=1)
def _context() -> Any:
    from ..readings import (
        default_context,  # lazy: the engine loads only when a comparison is not cached
    )

    return default_context()


@cache
def _line(reading: str) -> shapely.Geometry:
    # lazy: the engine loads only when a comparison is not cached
    from ..readings import compile_reading
    from ..readings.compile import chain  # lazy, as above

    return chain(compile_reading(reading, _context()).geometry)


@cache
def comparison(a: str, b: str) -> dict[str, Any]:
    """The figures of ``nm.readings.compare(a, b)`` and ``between``, the faces between the two
    lines (GeoJSON MultiPolygon coordinates, simplified for drawing)."""
    from ..readings import compare  # lazy: the engine loads only when a comparison is not cached
    from ..readings.compare import between  # lazy, as above

    figures = compare(a, b, _context())
    faces = between(_line(a), _line(b))
    return {"a": a, "b": b, "figures": figures, "between": _coords(shapely.MultiPolygon(faces)) if faces else []}


def _compute(available: tuple[str, ...]) -> dict[str, Any]:
    pairs = [comparison(a, b) for a, b in PAIRS if a in available and b in available]
    ids = dict.fromkeys(r for p in pairs for r in (p["a"], p["b"]))
    lines = {r: _coords(_line(r)) for r in ids}
    return {"pairs": pairs, "lines": lines}


def engine_key(parts: Any, files: list[Path]) -> str:
    """Hash of ``parts`` (JSON), ``files`` and what every compiled reading is computed from: the
    rivers and watersheds layers, the raw Natural Earth inputs, the hydrology's inputs and the
    readings engine's own code (see the module's docstring).

    Examples
    --------
    >>> engine_key(["a"], []) == engine_key(["a"], []), engine_key(["a"], []) == engine_key(["b"], [])
    (True, False)
    """
    # lazy: only when a comparison is computed or its cache key is made
    from ..files.locations import geodata_dir
    from ..hydrology.cache import inputs_key as hydrology_key  # lazy
    from ..rawdata.sources import check_data_dir, default_data_dir  # lazy
    from ..readings import catalog as readings_catalog  # lazy

    data_dir = check_data_dir(default_data_dir())
    engine = Path(readings_catalog.__file__).parent
    files = [*files, geodata_dir() / "rivers.geojson", geodata_dir() / "watersheds.geojson",
             *sorted((data_dir / "natural-earth").glob("*.geojson")),
             *sorted(engine.glob("*.py")), engine / "schema.json"]
    h = hashlib.sha256(json.dumps(parts).encode())
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(hydrology_key(data_dir).encode())
    return h.hexdigest()[:16]


def inputs_key(available: tuple[str, ...]) -> str:
    """Hash of what the comparisons are computed from (see the module's docstring)."""
    from ..readings import catalog as readings_catalog  # lazy: only when a cache key is made

    return engine_key([available, PAIRS, DRAW_TOLERANCE_DEG, DRAW_DIGITS],
                      [*(readings_catalog.find(r) for r in available), Path(__file__)])


def cache_file(available: tuple[str, ...]) -> Path:
    """Where the comparisons of ``available`` are kept."""
    return cache_root() / "comparisons" / f"{inputs_key(available)}.json"


def comparisons(available: set[str]) -> dict[str, Any]:
    """The comparisons among ``available`` reading ids (in :data:`PAIRS` order) and each compared
    reading's line (GeoJSON MultiLineString coordinates, simplified for drawing), from the disk
    cache when the same inputs made them before."""
    ids = tuple(sorted(r for p in PAIRS for r in p if r in available))
    return cached_json(
        cache_file(ids),
        lambda kept: isinstance(kept, dict) and isinstance(kept.get("pairs"), list) and isinstance(kept.get("lines"), dict),
        lambda: _compute(ids),
    )
