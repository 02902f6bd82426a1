"""A synthetic GPS-like trace: one LineString of N vertices, written as GeoJSON.

The trace is what a 1 Hz logger on a vehicle would record on a long journey across the
treaty region: speed 5-25 m/s, a heading that wanders smoothly, and ~3 m of GPS noise, so
neighbouring vertices are ~5-25 m apart. It stays inside lon 110-140, lat 45-58 (it turns
back at the edges). Seeded: the same N always gives the same file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

BOX = (110.0, 45.0, 140.0, 58.0)  # lon/lat box the trace stays in
M_PER_DEG_LAT = 111_320.0


def trace_coords(n: int, seed: int = 1689) -> np.ndarray:
    """``n`` lon/lat vertices of a smooth random journey with GPS jitter."""
    rng = np.random.default_rng(seed)
    speed = np.clip(15 + np.cumsum(rng.normal(0, 0.3, n)) % 20 - 10, 5, 25)  # m/s, 1 s apart
    turn = rng.normal(0, 0.04, n)  # radians per second
    lon, lat = np.empty(n), np.empty(n)
    x, y, heading = 118.0, 50.5, 0.3
    # A loop in chunks, so that the trace turns back at the box's edges.
    chunk = 2_000
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        h = heading + np.cumsum(turn[start:stop])
        step = speed[start:stop]
        dy = step * np.cos(h) / M_PER_DEG_LAT
        dx = step * np.sin(h) / (M_PER_DEG_LAT * np.cos(np.radians(y)))
        lon[start:stop] = x + np.cumsum(dx)
        lat[start:stop] = y + np.cumsum(dy)
        x, y, heading = lon[stop - 1], lat[stop - 1], h[-1]
        if not (BOX[0] + 0.5 < x < BOX[2] - 0.5 and BOX[1] + 0.5 < y < BOX[3] - 0.5):
            # head back towards the middle of the box
            heading = np.arctan2((BOX[0] + BOX[2]) / 2 - x, (BOX[1] + BOX[3]) / 2 - y)
    noise = rng.normal(0, 3.0, (n, 2))  # metres
    lat += noise[:, 1] / M_PER_DEG_LAT
    lon += noise[:, 0] / (M_PER_DEG_LAT * np.cos(np.radians(lat)))
    return np.column_stack([lon, lat])


def densest_point(coords: np.ndarray, cell_deg: float = 0.25) -> tuple[float, float]:
    """(lat, lon) of the centre of the ``cell_deg`` cell holding most of the trace's vertices."""
    h, xe, ye = np.histogram2d(coords[:, 0], coords[:, 1],
                               bins=[np.arange(BOX[0], BOX[2] + cell_deg, cell_deg),
                                     np.arange(BOX[1], BOX[3] + cell_deg, cell_deg)])
    i, j = np.unravel_index(int(np.argmax(h)), h.shape)
    return float((ye[j] + ye[j + 1]) / 2), float((xe[i] + xe[i + 1]) / 2)


def write_trace(path: str | Path, n: int = 1_000_000, seed: int = 1689,
                coords: np.ndarray | None = None) -> Path:
    """Write the trace (or ``coords``) as a one-feature GeoJSON FeatureCollection (7 decimals)."""
    path = Path(path)
    coords = trace_coords(n, seed) if coords is None else coords
    n = len(coords)
    body = ",".join(f"[{x:.7f},{y:.7f}]" for x, y in coords)
    feature = {"type": "Feature", "properties": {"name": "Synthetic GPS trace", "vertices": n},
               "geometry": {"type": "LineString", "coordinates": "@@"}}
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    path.write_text(text.replace('"@@"', "[" + body + "]"), encoding="utf-8")
    return path


if __name__ == "__main__":
    import sys

    out = write_trace(sys.argv[1] if len(sys.argv) > 1 else "gps_trace.geojson",
                      int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
    print(out, out.stat().st_size)
