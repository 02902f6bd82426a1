"""A catalog layer on the folium map: its GeoJSON, rounded for the screen, drawn by the page's
own script (``static/js/``) with the catalog's style and popup fields."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from markupsafe import Markup

from ..data.catalog import LayerSpec
from ..data.layers import COMMON_PROPERTIES
from ..files.geojson import clean_value, geometry_json
from .blocks import data_block
from .prepaint import shown_in
from .render import SafeLayer
from .templating import template

KEEP = 8  # page data kept per layer (for as many states of the data and the code)


def half_pixel_deg(max_zoom: int) -> float:
    """Half a screen pixel at ``max_zoom``, in degrees of longitude (Web Mercator tiles)."""
    return 360.0 / (256 * 2**max_zoom) / 2


def web_geometry(geom: shapely.Geometry, tolerance: float | None) -> shapely.Geometry:
    """The geometry the page carries: simplified (topology-preserving) by ``tolerance``
    degrees where one is given: a catalog entry's ``web_simplify_deg``, or half a pixel at
    the deepest zoom for users' layers. Catalog layers that share edges (rivers, border,
    basins) are not simplified, so their shared coordinates stay shared; their rounding
    (``web_precision``) is pointwise."""
    return shapely.simplify(geom, tolerance, preserve_topology=True) if tolerance else geom


# values whose repr is exact and names their type (a numpy array's repr elides its middle)
_EXACT_REPR = (str, int, float, bool, type(None), datetime.date, datetime.time, pd.Timestamp, type(pd.NaT), type(pd.NA))


def _exact(value: Any) -> bool:
    if isinstance(value, _EXACT_REPR):
        return True
    if isinstance(value, list):
        return all(_exact(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _exact(v) for k, v in value.items())
    return False


def frame_key(gdf: gpd.GeoDataFrame) -> str | None:
    """A hash of everything in ``gdf`` (its geometries' exact coordinates, its columns and each
    value with its type), so that two frames with the same key give the same page data; None
    when a value is of a kind whose text does not tell it apart (a numpy array, an object).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> a = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(120.0, 50.0)])
    >>> b = gpd.GeoDataFrame({"n": [1.0]}, geometry=[Point(120.0, 50.0)])
    >>> frame_key(a) == frame_key(a.copy()), frame_key(a) == frame_key(b)
    (True, False)
    """
    h = hashlib.sha256()
    for wkb in shapely.to_wkb(gdf.geometry.values, output_dimension=3):
        h.update(b"-" if wkb is None else len(wkb).to_bytes(8, "big") + wkb)
    # each column's values as Python values (their repr shows the type), by position
    values = [gdf.iloc[:, i].tolist() for i, c in enumerate(gdf.columns) if c != gdf.geometry.name]
    if not all(_exact(v) for column in values for v in column):
        return None
    h.update(repr([gdf.geometry.name, list(map(str, gdf.columns)), values]).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def data_key(gdf: gpd.GeoDataFrame, spec: LayerSpec) -> str | None:
    """The key a catalog layer's page data is kept under: a hash of the frame's content
    (:func:`frame_key`), of what the catalog entry asks for (popup fields, style property,
    simplification, precision), of this package's code and of the versions of the libraries
    that compute it; None when the frame has no key.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> spec = nm.default_catalog()["places"]
    >>> len(data_key(nm.load_layer("places"), spec))
    32
    """
    from ..files.cache import (  # lazy: only when a key is made
        code_key,
        content_key,
        library_versions,
    )

    frame = frame_key(gdf)
    return frame and content_key(
        frame, spec.popup_fields, (spec.style.get("by") or {}).get("property"),
        spec.extra.get("web_simplify_deg"), spec.web_precision, code_key(),
        list(library_versions("shapely", "numpy", "pandas", "geopandas", "babel", "edtf", "convertdate", "sxtwl")),
    )


def web_geojson(gdf: gpd.GeoDataFrame, spec: LayerSpec, simplify_deg: float | None = None,
                key: str | None = None) -> dict[str, Any]:
    """The layer as a GeoJSON dict with the properties the page uses, rounded for display
    (and simplified by ``simplify_deg``, default the catalog's ``web_simplify_deg``).

    A catalog layer's page data is kept on disk (``$NERCHINSK_CACHE/layers``) under its
    :func:`data_key` (``key``, if already made) and read back when the same inputs made it
    before: the dates' labels (babel, the EDTF grammar) and the rounding are then not done
    again. A user's layer (``simplify_deg`` given) is computed every time."""
    if simplify_deg is not None:
        return _web_geojson(gdf, spec, simplify_deg)
    from ..files.cache import (  # lazy: only when a layer's data is made
        cache_root,
        cached_json,
        prune,
    )

    key = key or data_key(gdf, spec)
    if key is None:  # a value without an exact text, or a catalog entry holding something JSON cannot
        return _web_geojson(gdf, spec, None)

    def compute() -> dict[str, Any]:
        prune(cache_root() / "layers", f"{spec.id}-{'?' * 32}.json", KEEP)  # its data for older inputs
        return _web_geojson(gdf, spec, None)

    return cached_json(
        cache_root() / "layers" / f"{spec.id}-{key}.json",
        lambda kept: isinstance(kept, dict) and kept.get("type") == "FeatureCollection" and isinstance(kept.get("features"), list),
        compute,
    )


def _web_geojson(gdf: gpd.GeoDataFrame, spec: LayerSpec, simplify_deg: float | None) -> dict[str, Any]:
    """:func:`web_geojson`, computed."""
    tolerance = simplify_deg if simplify_deg is not None else spec.extra.get("web_simplify_deg")
    wanted = list(COMMON_PROPERTIES) + spec.popup_fields
    by = spec.style.get("by")
    if by:
        wanted.append(by["property"])
    columns = [c for c in dict.fromkeys(wanted) if c in gdf.columns]
    from ..chronology import (
        dates,  # lazy: the EDTF grammar and babel load only when a layer's data is computed
    )

    features = []
    for _, row in gdf.iterrows():
        features.append(
            {
                "type": "Feature",
                # dates_label and date_span for the page's dates module (nerchinsk_map.chronology.dates)
                "properties": {c: clean_value(row[c]) for c in columns} | dates.display_properties(row),
                "geometry": geometry_json(web_geometry(row.geometry, tolerance), spec.web_precision),
            }
        )
    return {"type": "FeatureCollection", "features": features}


DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "Polygon": 2, "MultiLineString": 2, "MultiPolygon": 3}


def _integers(values: list[float], scale: int) -> list[int]:
    return [int(round(v * scale)) for v in values]


def encode_coordinates(coordinates: Any, depth: int, precision: int) -> Any:
    """GeoJSON ``coordinates`` (already rounded to ``precision`` decimals) as integers: a point
    is ``[x, y]`` times ``10**precision``; a line or ring is one flat list, its first point then
    the differences to each next point (``[x0, y0, dx1, dy1, ...]``); outer levels stay lists.
    Lossless: ``static/js/decode.js`` gives back exactly the rounded numbers.

    Examples
    --------
    >>> encode_coordinates([[120.5, 50.25], [120.75, 50.0]], 1, 2)
    [12050, 5025, 25, -25]
    >>> encode_coordinates([125.0, 53.1], 0, 1)
    [1250, 531]
    """
    scale = 10**precision
    if depth == 0:
        return _integers(coordinates, scale)
    if depth == 1:  # numpy's rint rounds halves to even, as Python's round does: the same integers
        if not coordinates:
            return []
        xy = np.rint(np.array([c[:2] for c in coordinates], dtype=np.float64) * scale).astype(np.int64)
        return np.diff(xy, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist()
    return [encode_coordinates(part, depth - 1, precision) for part in coordinates]


def encode_layer(data: dict[str, Any], precision: int) -> dict[str, Any]:
    """A layer's page GeoJSON with its coordinates as delta integers (:func:`encode_coordinates`),
    the precision beside them: what the page carries in its JSON block."""
    features = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        if geometry and geometry.get("type") in DEPTH:
            geometry = {"type": geometry["type"],
                        "coordinates": encode_coordinates(geometry["coordinates"], DEPTH[geometry["type"]], precision)}
        features.append({**feature, "geometry": geometry})
    return {"type": "FeatureCollection", "precision": precision, "features": features}


class CatalogLayer(SafeLayer):
    """One catalog layer, drawn in its own pane (``z_index``) above the ones before it. Its data
    is a JSON block in the body (:mod:`.blocks`: parsed only when the page script asks for it,
    never run), its coordinates delta integers (:func:`encode_layer`)."""

    _template = template(
        """
        {% macro html(this, kwargs) %}
            {{ this.block() }}
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = NerchinskMap.geoJsonLayer(
                {{ this._parent.get_name() }},
                {{ (this.get_name() ~ "_data")|tojson }},
                {{ this.options|tojs }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, spec: LayerSpec, gdf: gpd.GeoDataFrame, z_index: int, show: bool | None = None,
                 year: int | None = None, simplify_deg: float | None = None):
        super().__init__(name=spec.title, overlay=True, control=False, show=spec.show if show is None else show)
        self._name = "CatalogLayer"
        self.spec = spec
        #: the key of the page data (:func:`data_key`), or None for data computed every time
        self.data_key = data_key(gdf, spec) if simplify_deg is None else None
        self.data = web_geojson(gdf, spec, simplify_deg, self.data_key)
        self.options = {
            "id": spec.id,
            "title": spec.title,
            "geometry": spec.geometry,
            "style": {"base": spec.style.get("base", {}), "by": spec.style.get("by"),
                      "casing": spec.style.get("casing")},
            "popup": spec.extra.get("popup", []),
            "label": spec.label,
            "interactive": not spec.basemap,
            "z_index": z_index,
            "show_years": spec.extra.get("show_years"),
            "description": spec.description,
            "i18n": spec.extra.get("i18n", {}),
        }
        if year is not None:  # the time control's opening year: other years are never drawn
            self.options["year"] = year
        # drawn at the opening view: if not, the page builds it after its first frame (layers.js)
        self.options["opening"] = bool(self.show) and any(
            shown_in(f.get("properties") or {}, year, spec.extra.get("show_years")) for f in self.data["features"]
        )

    def block(self) -> Markup:
        """The layer's data block (:func:`.blocks.data_block`): plain JSON for a layer drawn
        live at once (parsed at once), deflated for the others: those not drawn at the opening
        view and those drawn at it beneath the subject (option ``beneath``: the picture stands
        in for them), inflated when the page builds them, after its first frame
        (``static/js/layers.js``)."""
        return data_block(self.get_name() + "_data", self.encoded(), deflated=not self.options["opening"] or bool(self.options.get("beneath")))

    def encoded(self) -> dict[str, Any]:
        """The data as the page carries it (:func:`encode_layer` at the layer's precision)."""
        return encode_layer(self.data, self.precision)

    @property
    def precision(self) -> int:
        """Decimals of the page's coordinates (``web_precision``)."""
        return int(self.spec.web_precision)
