"""The figure's style: ``style.json`` merged over the catalog's Leaflet styles, turned into
matplotlib keyword arguments."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from matplotlib.colors import to_rgba

from ..data.catalog import LayerSpec

STYLE_FILE = Path(__file__).with_name("style.json")

# Leaflet's defaults for path options (L.Path, L.CircleMarker).
LEAFLET_DEFAULTS: dict[str, Any] = {"color": "#3388ff", "weight": 3, "opacity": 1.0, "fillOpacity": 0.2}


@lru_cache(maxsize=1)
def figure_style() -> dict[str, Any]:
    """The parsed ``style.json`` shipped with the package."""
    return json.loads(STYLE_FILE.read_text(encoding="utf-8"))


def by_key(value: Any) -> str | None:
    """A property value as the key of a ``by`` table, the way the web map's JavaScript reads it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class LayerStyle:
    """A layer's catalog style with the figure's overrides: the layers of dicts to merge."""

    spec: LayerSpec
    catalog: Mapping[str, Any]
    figure: Mapping[str, Any]

    def _by_values(self, style: Mapping[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        by = style.get("by")
        if not by or props is None:
            return {}
        key = by_key(props.get(by["property"]))
        return dict(by.get("values", {}).get(key, {})) if key is not None else {}

    def resolve(self, props: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The Leaflet-style options of one feature (``None``: the layer's base style)."""
        merged: dict[str, Any] = {}
        merged.update(self.catalog.get("base", {}))
        merged.update(self.figure.get("base", {}))
        if props is not None:
            merged.update(self._by_values(self.catalog, props))
            merged.update(self._by_values(self.figure, props))
        return merged

    def casing(self) -> dict[str, Any] | None:
        """The white line drawn beneath the layer's lines, if it has one."""
        casing = self.catalog.get("casing")
        if not casing and not self.figure.get("casing"):
            return None
        return {**(casing or {}), **self.figure.get("casing", {})}


def layer_style(spec: LayerSpec) -> LayerStyle:
    """The catalog style of ``spec`` with ``style.json``'s and the catalog's ``figure`` overrides."""
    figure = dict(figure_style()["layers"].get(spec.id, {}))
    own = spec.extra.get("figure")
    if isinstance(own, dict) and isinstance(own.get("style"), dict):
        figure = merge_styles(figure, own["style"])
    return LayerStyle(spec, spec.style, figure)


def merge_styles(first: Mapping[str, Any], second: Mapping[str, Any]) -> dict[str, Any]:
    """``second`` over ``first``: ``base`` and ``casing`` merged key by key, ``by`` values too."""
    out = {k: v for k, v in first.items()}
    for key in ("base", "casing"):
        if key in second:
            out[key] = {**first.get(key, {}), **second[key]}
    if "by" in second:
        old = first.get("by") or {}
        if old.get("property") == second["by"].get("property"):
            values = {k: dict(v) for k, v in old.get("values", {}).items()}
            for k, v in second["by"].get("values", {}).items():
                values[k] = {**values.get(k, {}), **v}
            out["by"] = {"property": old["property"], "values": values}
        else:
            out["by"] = second["by"]
    return out


def _dashes(dash_array: Any, weight: float) -> tuple[float, tuple[float, ...]] | str:
    """A Leaflet ``dashArray`` in px as a matplotlib dash pattern (in units of the line width)."""
    if not dash_array:
        return "solid"
    parts = [float(p) for p in str(dash_array).replace(",", " ").split()]
    if len(parts) % 2:
        parts = parts * 2  # SVG repeats an odd list
    scale = max(float(weight), 0.1)
    return (0.0, tuple(max(p / scale, 0.05) for p in parts))


def line_kwargs(options: Mapping[str, Any], px_to_pt: float) -> dict[str, Any]:
    """matplotlib options of a line (geopandas ``plot`` of LineStrings, a ``Line2D``)."""
    o = {**LEAFLET_DEFAULTS, **{k: v for k, v in options.items() if v is not None or k == "dashArray"}}
    weight = float(o["weight"])
    kwargs: dict[str, Any] = {
        "color": to_rgba(o["color"], float(o["opacity"])),
        "linewidth": weight * px_to_pt,
        "linestyle": _dashes(o.get("dashArray"), weight),
    }
    if o.get("lineCap") == "round":
        kwargs["capstyle"] = "round"
    return kwargs


def polygon_kwargs(options: Mapping[str, Any], px_to_pt: float) -> dict[str, Any]:
    """matplotlib options of a polygon (geopandas ``plot`` of Polygons, a legend ``Rectangle``)."""
    o = {**LEAFLET_DEFAULTS, **{k: v for k, v in options.items() if v is not None or k == "dashArray"}}
    weight = float(o["weight"]) if o.get("stroke", True) else 0.0
    fill = o.get("fillColor") or o["color"]
    kwargs: dict[str, Any] = {
        "facecolor": to_rgba(fill, float(o["fillOpacity"])) if o.get("fill", True) else "none",
        "edgecolor": to_rgba(o["color"], float(o["opacity"])),
        "linewidth": weight * px_to_pt,
        "linestyle": _dashes(o.get("dashArray"), weight or 1.0),
    }
    return kwargs


def hatch_kwargs(options: Mapping[str, Any]) -> dict[str, Any] | None:
    """matplotlib options of a polygon's hatching, drawn as its own unfilled artist over the
    fill: SVG renderers apply a hatched fill's ``fill-opacity`` to the hatch lines too, so a
    hatch drawn with the (faint) fill would vanish in the SVG while the PDF shows it."""
    o = {**LEAFLET_DEFAULTS, **{k: v for k, v in options.items() if v is not None}}
    if not o.get("hatch"):
        return None
    color = to_rgba(o["color"], float(o["opacity"]))
    return {"facecolor": "none", "edgecolor": color, "linewidth": 0.0,  # hatch takes the edge colour
            "hatch": str(o["hatch"])}


def point_kwargs(options: Mapping[str, Any], px_to_pt: float) -> dict[str, Any]:
    """matplotlib options of a circle marker; ``markersize`` is the diameter in points."""
    o = {**LEAFLET_DEFAULTS, "radius": 10, **{k: v for k, v in options.items() if v is not None or k == "dashArray"}}
    weight = float(o["weight"])
    fill = o.get("fillColor") or o["color"]
    return {
        "markersize": 2 * float(o["radius"]) * px_to_pt,
        "markerfacecolor": to_rgba(fill, float(o["fillOpacity"])),
        "markeredgecolor": to_rgba(o["color"], float(o["opacity"])),
        "markeredgewidth": weight * px_to_pt,
        "linestyle": _dashes(o.get("dashArray"), weight),
    }


def style_key(options: Mapping[str, Any]) -> str:
    """A stable key that groups features drawn alike."""
    return json.dumps(dict(options), sort_keys=True, default=str)
