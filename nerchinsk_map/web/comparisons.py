"""Two readings side by side: the figures ``nm.readings.compare`` gives for the pairs the page
offers, computed at build time, with the two lines and the faces between them for drawing.

>>> PAIRS[0]
('nerchinsk_1689_common', 'gorbitsa_malaya')
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import shapely

# The pairs the page offers: each competing reading of 1689 against the common one, and
# Aigun's line against Peking's (the land east of the Ussuri, held in common 1858-60).
PAIRS: tuple[tuple[str, str], ...] = (
    ("nerchinsk_1689_common", "gorbitsa_malaya"),
    ("nerchinsk_1689_common", "gorbitsa_amazar"),
    ("nerchinsk_1689_common", "argun_sources"),
    ("nerchinsk_1689_common", "argun_meriljke"),
    ("nerchinsk_1689_common", "mountains_stanovoy"),
    ("nerchinsk_1689_common", "mountains_yablonovy"),
    ("aigun_1858", "peking_1860"),
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
    from ..readings import default_context

    return default_context()


@cache
def _line(reading: str) -> shapely.Geometry:
    from ..readings import compile_reading
    from ..readings.compile import chain

    return chain(compile_reading(reading, _context()).geometry)


@cache
def comparison(a: str, b: str) -> dict[str, Any]:
    """The figures of ``nm.readings.compare(a, b)`` and ``between``, the faces between the two
    lines (GeoJSON MultiPolygon coordinates, simplified for drawing)."""
    from ..readings import compare
    from ..readings.compare import between

    figures = compare(a, b, _context())
    faces = between(_line(a), _line(b))
    return {"a": a, "b": b, "figures": figures, "between": _coords(shapely.MultiPolygon(faces)) if faces else []}


def comparisons(available: set[str]) -> dict[str, Any]:
    """The comparisons among ``available`` reading ids (in :data:`PAIRS` order) and each compared
    reading's line (GeoJSON MultiLineString coordinates, simplified for drawing)."""
    pairs = [comparison(a, b) for a, b in PAIRS if a in available and b in available]
    ids = dict.fromkeys(r for p in pairs for r in (p["a"], p["b"]))
    lines = {r: _coords(_line(r)) for r in ids}
    return {"pairs": pairs, "lines": lines}
