"""The figure's conic projection centred on the Amur, and its frame."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Polygon, box

from ..errors import NerchinskMapError

if TYPE_CHECKING:
    import geopandas as gpd

GEOD = Geod(ellps="WGS84")
Extent = tuple[float, float, float, float]  # west, south, east, north in degrees


def figure_crs(params: dict[str, Any]) -> CRS:
    """The projection from ``style.json`` (a PROJ dict, Lambert conformal conic by default)."""
    return CRS.from_dict(dict(params))


@dataclass(frozen=True)
class MapFrame:
    """The projected rectangle the map shows and the transforms to and from it."""

    crs: CRS
    extent: Extent
    xmin: float
    ymin: float
    xmax: float
    ymax: float

    @property
    def width(self) -> float:
        return self.xmax - self.xmin

    @property
    def height(self) -> float:
        return self.ymax - self.ymin

    @property
    def box(self) -> Polygon:
        return box(self.xmin, self.ymin, self.xmax, self.ymax)

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.xmin + self.xmax) / 2, (self.ymin + self.ymax) / 2)

    def forward(self, lon: Any, lat: Any) -> tuple[Any, Any]:
        """Longitude/latitude to projected metres."""
        return Transformer.from_crs("EPSG:4326", self.crs, always_xy=True).transform(lon, lat)

    def inverse(self, x: Any, y: Any) -> tuple[Any, Any]:
        """Projected metres to longitude/latitude."""
        return Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True).transform(x, y)


def check_extent(extent: Sequence[float], limits: dict[str, float]) -> Extent:
    """``extent`` as (W, S, E, N) after checking it is a sensible box for a conic map."""
    try:
        west, south, east, north = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise NerchinskMapError(f"extent {extent!r}: expected W,S,E,N in degrees, e.g. 115,48,142,58") from None
    if not all(np.isfinite([west, south, east, north])):
        raise NerchinskMapError("extent: the four values must be finite numbers of degrees")
    if not (-180 <= west < east <= 180):
        raise NerchinskMapError(f"extent: west {west:g} must be less than east {east:g}, both within -180..180")
    if not (-90 <= south < north <= 90):
        raise NerchinskMapError(f"extent: south {south:g} must be less than north {north:g}, both within -90..90")
    if south < limits["min_lat"] or east - west > limits["max_lon_span"] or north - south > limits["max_lat_span"]:
        raise NerchinskMapError(
            f"extent {west:g},{south:g},{east:g},{north:g} is too large for the figure's conic projection "
            f"centred on the Amur: keep it north of {limits['min_lat']:g}°N and within "
            f"{limits['max_lon_span']:g}° of longitude and {limits['max_lat_span']:g}° of latitude"
        )
    return (west, south, east, north)


def lonlat_box(extent: Extent, step: float = 0.25) -> Polygon:
    """The extent as a densified longitude/latitude polygon."""
    west, south, east, north = extent
    return shapely.segmentize(box(west, south, east, north), step)


def make_frame(crs: CRS, extent: Extent) -> MapFrame:
    """The projected bounding rectangle of the (curved) projected extent."""
    poly = lonlat_box(extent)
    x, y = np.asarray(poly.exterior.coords).T
    px, py = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(x, y)
    return MapFrame(crs, extent, float(np.min(px)), float(np.min(py)), float(np.max(px)), float(np.max(py)))


def project(geom: shapely.Geometry, crs: CRS) -> shapely.Geometry:
    """A longitude/latitude geometry in ``crs``."""
    t = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def to_map(gdf: gpd.GeoDataFrame, crs: CRS) -> gpd.GeoDataFrame:
    """``gdf`` in ``crs``; geometry that projection made invalid (tiny self-touches) is repaired."""
    out = gdf.to_crs(crs)
    bad = ~out.geometry.is_valid
    if bad.any():
        fixed = shapely.make_valid(out.geometry[bad].to_numpy())
        if gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all():
            fixed = [shapely.union_all([p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")])
                     for g in fixed]
        out.loc[bad, out.geometry.name] = fixed
    return out


def inscribed_rect(poly: Polygon, aspect: float, steps: int = 40) -> tuple[float, float, float, float]:
    """The largest rectangle of ``aspect`` (width/height) centred on ``poly``'s centroid inside it."""
    cx, cy = poly.centroid.x, poly.centroid.y
    minx, miny, maxx, maxy = poly.bounds
    lo, hi = 0.0, max(maxx - minx, (maxy - miny) * aspect)
    for _ in range(steps):
        mid = (lo + hi) / 2
        w, h = mid, mid / aspect
        if poly.contains(box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)):
            lo = mid
        else:
            hi = mid
    w, h = lo, lo / aspect
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def local_scale_length(frame: MapFrame, x: float, y: float, metres: float) -> float:
    """Projected length (map units) of a geodesic of ``metres`` starting eastward at (x, y).

    Uses :data:`GEOD`: the bar is right for the projection at that point."""
    lon, lat = frame.inverse(x, y)
    lon2, lat2, _ = GEOD.fwd(lon, lat, 90.0, metres)
    x2, y2 = frame.forward(lon2, lat2)
    return float(np.hypot(x2 - x, y2 - y))


def north_angle(frame: MapFrame, x: float, y: float) -> float:
    """Direction of true north at (x, y), in degrees counter-clockwise from the map's +y axis."""
    lon, lat = frame.inverse(x, y)
    x2, y2 = frame.forward(lon, lat + 0.05)
    return float(np.degrees(np.arctan2(-(x2 - x), y2 - y)))
