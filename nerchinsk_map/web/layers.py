"""A catalog layer on the folium map: its GeoJSON, rounded for the screen, drawn by the page's
own script (``static/nerchinsk.js``) with the catalog's style and popup fields."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely
from folium.map import Layer

from .. import dates
from ..catalog import LayerSpec
from ..geojson import clean_value, geometry_json
from .templating import template

# Properties every popup may show; the catalog's ``popup`` entry adds the layer's own fields.
COMMON_PROPERTIES = (
    "id", "name", "name_ru", "name_zh", "name_historical", "name_zh_note", "start_date", "end_date",
    "certainty", "precision_km", "method", "source", "label", "texts",
)


def half_pixel_deg(max_zoom: int) -> float:
    """Half a screen pixel at ``max_zoom``, in degrees of longitude (Web Mercator tiles)."""
    return 360.0 / (256 * 2**max_zoom) / 2


def web_geometry(geom: shapely.Geometry, spec: LayerSpec) -> shapely.Geometry:
    """The geometry the page carries: simplified (topology-preserving) where the catalog entry
    asks for it (``web_simplify_deg``; users' layers get half a pixel at the deepest zoom).
    Catalog layers that share edges (rivers, border, basins) are not simplified, so their
    shared coordinates stay shared; their rounding (``web_precision``) is pointwise."""
    tolerance = spec.extra.get("web_simplify_deg")
    return shapely.simplify(geom, tolerance, preserve_topology=True) if tolerance else geom


def web_geojson(gdf: gpd.GeoDataFrame, spec: LayerSpec) -> dict[str, Any]:
    """The layer as a GeoJSON dict with the properties the page uses, rounded for display."""
    wanted = list(COMMON_PROPERTIES) + spec.popup_fields
    by = spec.style.get("by")
    if by:
        wanted.append(by["property"])
    columns = [c for c in dict.fromkeys(wanted) if c in gdf.columns]
    features = []
    for _, row in gdf.iterrows():
        features.append(
            {
                "type": "Feature",
                # dates_label and date_span for static/dates.js (nerchinsk_map.dates)
                "properties": {c: clean_value(row[c]) for c in columns} | dates.display_properties(row),
                "geometry": geometry_json(web_geometry(row.geometry, spec), spec.web_precision),
            }
        )
    return {"type": "FeatureCollection", "features": features}


class CatalogLayer(Layer):
    """One catalog layer, drawn in its own pane (``z_index``) above the ones before it."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = NerchinskMap.geoJsonLayer(
                {{ this._parent.get_name() }},
                {{ this.data|tojson }},
                {{ this.options|tojson }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, spec: LayerSpec, gdf: gpd.GeoDataFrame, z_index: int, show: bool | None = None,
                 year: int | None = None):
        super().__init__(name=spec.title, overlay=True, control=False, show=spec.show if show is None else show)
        self._name = "CatalogLayer"
        self.spec = spec
        self.data = web_geojson(gdf, spec)
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
