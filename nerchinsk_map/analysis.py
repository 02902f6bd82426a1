"""Geodesic measurements on the WGS 84 ellipsoid (``pyproj.Geod``) for the layers.

Lengths, areas and distances are measured on the ellipsoid, never in degrees or in a map
projection; only :func:`shared_length_km` uses a projection, a local azimuthal equidistant
one, to draw its tolerance buffer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Geod, Transformer

GEOD = Geod(ellps="WGS84")
WGS84 = "EPSG:4326"

PointLike: TypeAlias = shapely.Point | Sequence[float]


def length_km(geom: shapely.Geometry) -> float:
    """Geodesic length of a line in km (a polygon's perimeter; 0 for points).

    Parameters
    ----------
    geom : shapely geometry
        In longitude/latitude (EPSG:4326).

    Returns
    -------
    float
        The length on the WGS 84 ellipsoid, in km.

    Examples
    --------
    >>> from shapely import LineString
    >>> import nerchinsk_map as nm
    >>> round(nm.analysis.length_km(LineString([(120, 50), (121, 50)])), 2)
    71.7
    """
    return GEOD.geometry_length(geom) / 1000.0


def area_km2(geom: shapely.Geometry, step_deg: float | None = None) -> float:
    """Geodesic area of a polygon in km².

    Edges are geodesics; pass ``step_deg`` to densify them first so that edges along a parallel
    follow it (as the sides of raster cells do).

    Parameters
    ----------
    geom : shapely geometry
        A polygon in longitude/latitude.
    step_deg : float, optional
        Densify the edges to vertices this many degrees apart first.

    Returns
    -------
    float
        The area on the WGS 84 ellipsoid, in km².

    Examples
    --------
    >>> from shapely import box
    >>> import nerchinsk_map as nm
    >>> round(nm.analysis.area_km2(box(120, 50, 121, 51)))
    7892
    """
    if step_deg:
        geom = shapely.segmentize(geom, step_deg)
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area) / 1e6


def _lonlat(point: PointLike) -> tuple[float, float]:
    if isinstance(point, shapely.Point):
        return point.x, point.y
    lon, lat = point
    return float(lon), float(lat)


def distance_km(a: PointLike, b: PointLike) -> float:
    """Geodesic distance in km between two points.

    Parameters
    ----------
    a, b : shapely.Point or (lon, lat)
        The points.

    Returns
    -------
    float
        The distance on the WGS 84 ellipsoid, in km.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> round(nm.analysis.distance_km((120, 50), (121, 50)), 2)
    71.7
    """
    (lon1, lat1), (lon2, lat2) = _lonlat(a), _lonlat(b)
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def segment_lengths(gdf: gpd.GeoDataFrame, id_column: str = "id") -> pd.DataFrame:
    """The geodesic length of each feature of a line layer.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A line layer in EPSG:4326.
    id_column : str
        The column of ids (the index is used if it is absent).

    Returns
    -------
    pandas.DataFrame
        One row per feature: ``id``, ``name`` and ``length_km``.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> lengths = nm.analysis.segment_lengths(nm.load_layer("treaty_1689"))
    >>> lengths.set_index("id")["length_km"].round().astype(int).to_dict()
    {'argun': 685, 'shilka': 205, 'gorbitsa': 75, 'connector': 26, 'divide': 1340, 'divide_uda': 861}
    """
    ids = gdf[id_column] if id_column in gdf.columns else gdf.index.to_series()
    return pd.DataFrame(
        {
            "id": ids.to_numpy(),
            "name": gdf["name"].to_numpy(),
            "length_km": [length_km(g) for g in gdf.geometry],
        }
    )


def basin_areas(gdf: gpd.GeoDataFrame, step_deg: float | None = None) -> pd.DataFrame:
    """The geodesic area of each basin beside its published figure.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The ``watersheds`` layer (or any polygons with ``published_area_km2``).
    step_deg : float, optional
        Densify the edges first (see :func:`area_km2`).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``area_km2`` (measured now), ``published_area_km2`` (NaN where the
        layer has none) and ``difference_pct`` (measured against published).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> areas = nm.analysis.basin_areas(nm.load_layer("watersheds")).set_index("id")
    >>> areas.loc[["amur", "argun", "shilka"], "difference_pct"].round().to_dict()
    {'amur': 4.0, 'argun': -2.0, 'shilka': 1.0}
    """
    published = (
        pd.to_numeric(gdf["published_area_km2"], errors="coerce").to_numpy(dtype=float)
        if "published_area_km2" in gdf.columns
        else np.full(len(gdf), np.nan)
    )
    measured = np.array([area_km2(g, step_deg) for g in gdf.geometry])
    ids = gdf["id"] if "id" in gdf.columns else gdf.index.to_series()
    return pd.DataFrame(
        {
            "id": ids.to_numpy(),
            "name": gdf["name"].to_numpy(),
            "area_km2": measured,
            "published_area_km2": published,
            "difference_pct": (measured - published) / published * 100.0,
        }
    )


def distance_matrix(places: gpd.GeoDataFrame) -> pd.DataFrame:
    """Geodesic distance in km between every pair of points, labelled by name.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Points in EPSG:4326 with a ``name`` column.

    Returns
    -------
    pandas.DataFrame
        A square table, rows and columns labelled by name.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> places = nm.load_layer("places").set_index("id").loc[["albazin", "nerchinsk"]]
    >>> nm.analysis.distance_matrix(places).round().to_dict()
    {'Albazin': {'Albazin': 0.0, 'Nerchinsk': 529.0}, 'Nerchinsk': {'Albazin': 529.0, 'Nerchinsk': 0.0}}
    """
    geoms = places.geometry
    if not (geoms.geom_type == "Point").all():
        raise ValueError("distance_matrix needs a layer of Point geometries")
    lon, lat = geoms.x.to_numpy(), geoms.y.to_numpy()
    lon1, lon2 = np.meshgrid(lon, lon, indexing="ij")
    lat1, lat2 = np.meshgrid(lat, lat, indexing="ij")
    _, _, metres = GEOD.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())
    names = list(places["name"])
    return pd.DataFrame(np.reshape(metres, lon1.shape) / 1000.0, index=names, columns=names)


def local_aeqd(geom: shapely.Geometry) -> CRS:
    """An azimuthal equidistant projection centred on a geometry (metres).

    Parameters
    ----------
    geom : shapely geometry
        In longitude/latitude; the projection is centred on its centroid.

    Returns
    -------
    pyproj.CRS
        The projection.

    Examples
    --------
    >>> from shapely import Point
    >>> import nerchinsk_map as nm
    >>> crs = nm.analysis.local_aeqd(Point(125, 52))
    >>> crs.coordinate_operation.method_name, crs.axis_info[0].unit_name
    ('Azimuthal Equidistant', 'metre')
    """
    centre = geom.centroid
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={centre.y:.6f} +lon_0={centre.x:.6f} +datum=WGS84 +units=m +no_defs"
    )


def _reproject(geom: shapely.Geometry, transformer: Transformer) -> shapely.Geometry:
    def transform(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, transform)


def shared_length_km(
    line_a: shapely.Geometry, line_b: shapely.Geometry, tolerance_km: float = 2.0
) -> float:
    """Geodesic length (km) of the parts of ``line_a`` within ``tolerance_km`` of ``line_b``.

    Each part of ``line_a`` is tested against a buffer of ``line_b`` drawn in an azimuthal
    equidistant projection centred on that part (scale error under 0.3 % within 900 km of the
    centre); the parts found near ``line_b`` are measured back on the ellipsoid.

    Parameters
    ----------
    line_a, line_b : shapely geometry
        Lines in longitude/latitude.
    tolerance_km : float
        How near counts as shared.

    Returns
    -------
    float
        The shared length of ``line_a``, in km.

    Examples
    --------
    >>> from shapely import LineString
    >>> import nerchinsk_map as nm
    >>> a, b = LineString([(120, 50), (121, 50)]), LineString([(120.5, 50), (122, 50)])
    >>> round(nm.analysis.shared_length_km(a, b))
    38
    """
    if tolerance_km < 0:
        raise ValueError("tolerance_km must not be negative")
    if line_a.is_empty or line_b.is_empty:
        return 0.0
    total = 0.0
    for part in shapely.get_parts(line_a):
        crs = local_aeqd(part)
        forward = Transformer.from_crs(WGS84, crs, always_xy=True)
        back = Transformer.from_crs(crs, WGS84, always_xy=True)
        a_local = _reproject(part, forward)
        zone = _reproject(line_b, forward).buffer(tolerance_km * 1000.0, quad_segs=16)
        near = a_local.intersection(zone)
        if not near.is_empty:
            total += length_km(_reproject(near, back))
    return total


def still_border(
    treaty: gpd.GeoDataFrame, today: shapely.Geometry, tolerance_km: float = 2.0
) -> pd.DataFrame:
    """How much of each 1689 segment is still the border today: km and share, with a total.

    Parameters
    ----------
    treaty : geopandas.GeoDataFrame
        The ``treaty_1689`` layer.
    today : shapely geometry
        Today's border, for example the ``modern`` feature of ``borders_later``.
    tolerance_km : float
        How near counts as the same line.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``length_km``, ``still_border_km`` and ``share``, then a ``total`` row.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> today = nm.load_layer("borders_later").set_index("id").geometry["modern"]
    >>> table = nm.analysis.still_border(nm.load_layer("treaty_1689"), today).set_index("id")
    >>> table.loc[["argun", "divide", "total"], "share"].round(2).to_dict()
    {'argun': 1.0, 'divide': 0.0, 'total': 0.22}
    """
    rows = []
    for _, seg in treaty.iterrows():
        total = length_km(seg.geometry)
        kept = shared_length_km(seg.geometry, today, tolerance_km)
        rows.append({"id": seg["id"], "name": seg["name"], "length_km": total, "still_border_km": kept})
    table = pd.DataFrame(rows)
    table.loc[len(table)] = {
        "id": "total", "name": "The whole 1689 line",
        "length_km": table["length_km"].sum(), "still_border_km": table["still_border_km"].sum(),
    }
    table["share"] = table["still_border_km"] / table["length_km"]
    return table

__all__ = [
    "area_km2", "basin_areas", "distance_km", "distance_matrix", "length_km", "local_aeqd",
    "segment_lengths", "shared_length_km", "still_border",
]
