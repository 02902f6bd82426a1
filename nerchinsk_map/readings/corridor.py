"""Uncertainty corridors: each compiled clause widened by its precision, as a geodesic buffer."""

from __future__ import annotations

import geopandas as gpd
import shapely
from pyproj import Transformer
from shapely.ops import substring

from ..analysis import length_km, local_aeqd

PIECE_KM = 200.0  # long lines are buffered piece by piece, each in its own local projection
METHOD = (
    "derived: each compiled clause buffered by its precision_km, piece by piece (200 km) in a "
    "local azimuthal equidistant projection, so the band's half-width is geodesic; simplified to 0.005°"
)


def _buffer_km(line: shapely.Geometry, km: float) -> shapely.Geometry:
    n = max(1, int(length_km(line) // PIECE_KM) + 1)
    pieces = [substring(line, i / n, (i + 1) / n, normalized=True) for i in range(n)]
    out = []
    for piece in pieces:
        crs = local_aeqd(piece)
        fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform
        back = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform
        band = shapely.buffer(shapely.transform(piece, fwd, interleaved=False), km * 1000, quad_segs=6)
        out.append(shapely.transform(band, back, interleaved=False))
    return shapely.union_all(out)


def corridors(compiled: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One translucent band per clause of a compiled reading, with the clause's provenance."""
    rows = []
    for _, clause in compiled.iterrows():
        band = shapely.simplify(_buffer_km(clause.geometry, float(clause["precision_km"])), 0.005)
        rows.append(
            {
                "id": f"{clause['reading']}.{clause['id']}",
                "name": clause["name"],
                "name_ru": clause["name_ru"],
                "name_zh": clause["name_zh"],
                "reading": clause["reading"],
                "clause_id": clause["id"],
                "precision_km": clause["precision_km"],
                "located": bool(clause["located"]),
                "certainty": clause["certainty"],
                "source": clause["source"],
                "method": METHOD,
                "start_date": clause["start_date"],
                "end_date": clause["end_date"],
                "geometry": shapely.make_valid(band),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
