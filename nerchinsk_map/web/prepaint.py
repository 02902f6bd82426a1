"""The opening view as a static picture, painted before any script runs.

At build time the layers the map opens with (at the opening year, in their panes' order, with
their catalog styles) are drawn into an inline SVG with the page's own projection (Web Mercator,
as Leaflet's ``L.CRS.EPSG3857``). Its ``viewBox`` is the opening bounds, fitted into a box whose
insets (the room the controls will leave, per layout class) are set in CSS:
``preserveAspectRatio="xMidYMid meet"`` is the same fit Leaflet's ``fitBounds`` makes at a
continuous zoom, so the page script hands over by fitting the live map to that very box
(``prepaint.js``): the line does not move when Leaflet takes over. Each layer is a group of its
own (``<g data-layer="id">``): on a plain open the live map draws the layers from the topmost of
the view's ``fit_layers`` up at once, and the picture moves into the map beneath them, standing
in for the layers below (each group hidden as its live layer is drawn) until they are live a
few tasks later. The context around the bounds
(land, rivers...) is drawn too (``overflow: visible``) so that the picture fills any screen.
Strokes keep their screen width (``vector-effect: non-scaling-stroke``), markers are round dots
of the catalog's radius; no text (labels come with the live map).

Everything is presentation attributes (no ``style=`` attribute, no script): the page's CSP needs
no new source for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely

ZOOM = 7  # the picture's units: pixels at this zoom (finer than any opening fit)
R = 6378137.0
MAX_LAT = 85.0511287798
MARGIN = 1.0  # context drawn around the bounds, in bounds' sizes (a phone's tall screen)
TOLERANCE = 0.6  # simplification, in picture units (pixels at ZOOM)

# Leaflet's default path options (L.Path) that a catalog style may override.
DEFAULTS = {"color": "#3388ff", "weight": 3, "opacity": 1.0, "fillOpacity": 0.2, "radius": 10}


def project(lon: float, lat: float, zoom: float = ZOOM) -> tuple[float, float]:
    """Leaflet's ``map.project([lat, lon], zoom)`` (EPSG:3857, 256 px tiles).

    Examples
    --------
    >>> project(0.0, 0.0, 0)
    (128.0, 128.0)
    >>> x, y = project(180.0, 0.0, 1)
    >>> x, y
    (512.0, 256.0)
    """
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    scale = 256 * 2**zoom
    x = (R * math.radians(lon)) * (0.5 / (math.pi * R))
    y = (R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))) * (-0.5 / (math.pi * R))
    return ((x + 0.5) * scale, (y + 0.5) * scale)


def _year_of(value: Any) -> int | None:
    """The year of an ISO date, as the page's ``yearOf`` reads it."""
    if value is None or value == "":
        return None
    m = re.match(r"^(-?\d{1,4})", str(value))
    return int(m.group(1)) if m else None


def shown_in(props: dict[str, Any], year: int | None, show_years: int | None) -> bool:
    """Whether a feature is drawn in ``year`` (the page's ``nmSetYear`` rule).

    Examples
    --------
    >>> shown_in({"start_date": "1689-09-07"}, 1689, None)
    True
    >>> shown_in({"start_date": "1858"}, 1689, None)
    False
    >>> shown_in({"start_date": "1650"}, 1689, 5)
    False
    """
    if year is None:
        return True
    start, end = _year_of(props.get("start_date")), _year_of(props.get("end_date"))
    if end is None and start is not None and show_years:
        end = start + show_years
    return (start is None or start <= year) and (end is None or year <= end)


def feature_style(options: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    """The page's ``featureStyle``: the base style, then the variant of the ``by`` property
    (JSON keys: booleans read as ``true``/``false``)."""
    style = dict(options["style"].get("base") or {})
    by = options["style"].get("by")
    if by:
        value = props.get(by["property"])
        key = {True: "true", False: "false"}.get(value, value) if isinstance(value, bool) else value
        if isinstance(key, (str, int, float)) and str(key) in by["values"]:
            style.update(by["values"][str(key)])
    return style


KIND_OF = {"Point": "point", "MultiPoint": "point", "LineString": "line", "MultiLineString": "line",
           "Polygon": "polygon", "MultiPolygon": "polygon"}


def _fmt(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _path_data(geom: shapely.Geometry, origin: tuple[float, float], closed: bool) -> str:
    """SVG path data of ``geom`` (already in picture units), relative integer moves."""
    parts: list[str] = []
    lines: list[Any] = []
    for g in getattr(geom, "geoms", [geom]):
        if g.is_empty:
            continue
        if g.geom_type == "Polygon":
            lines.append(g.exterior)
            lines.extend(g.interiors)
        elif g.geom_type == "LineString":
            lines.append(g)
    for line in lines:
        coords = [(round(x - origin[0]), round(y - origin[1])) for x, y in line.coords]
        coords = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
        if len(coords) < 2:
            continue
        (x0, y0), rest = coords[0], coords[1:]
        steps = []
        px, py = x0, y0
        for x, y in rest:
            steps.append(f"{x - px} {y - py}".replace(" -", "-"))
            px, py = x, y
        parts.append(f"M{x0} {y0}l" + " ".join(steps).replace(" -", "-") + ("z" if closed else ""))  # "1 2-3 4": no space before a sign
    return "".join(parts)


def _to_picture(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, _project_array)


def _project_array(xy: np.ndarray) -> np.ndarray:
    lon, lat = xy[:, 0], np.clip(xy[:, 1], -MAX_LAT, MAX_LAT)
    scale = 256 * 2**ZOOM
    x = (np.radians(lon) / (2 * np.pi) + 0.5) * scale
    y = (0.5 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / (2 * np.pi)) * scale
    return np.column_stack([x, y])


def _attrs(style: dict[str, Any], kind: str) -> dict[str, str]:
    """SVG presentation attributes for a Leaflet path style (``kind``: line, polygon, casing)."""
    s = {**DEFAULTS, **style}
    out: dict[str, str] = {}
    if s.get("stroke", True) and s.get("weight", 0):
        out.update(stroke=s["color"], **{"stroke-width": _fmt(float(s["weight"]))})
        if float(s.get("opacity", 1)) != 1:
            out["stroke-opacity"] = _fmt(float(s["opacity"]))
        if s.get("dashArray"):
            out["stroke-dasharray"] = str(s["dashArray"])
        if s.get("lineCap") and s["lineCap"] != "round":
            out["stroke-linecap"] = s["lineCap"]
    if kind == "polygon" and s.get("fill", True):
        out["fill"] = s.get("fillColor") or s["color"]
        if float(s.get("fillOpacity", 0.2)) != 1:
            out["fill-opacity"] = _fmt(float(s.get("fillOpacity", 0.2)))
    return out


def _element(d: str, attrs: dict[str, str]) -> str:
    text = " ".join(f'{k}="{_escape(v)}"' for k, v in sorted(attrs.items()))
    return f'<path d="{d}" {text} vector-effect="non-scaling-stroke"/>'


def _escape(value: str) -> str:
    return str(value).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def picture(layers: Sequence[tuple[dict[str, Any], dict[str, Any]]], bounds: list[list[float]],
            year: int | None) -> tuple[str, tuple[float, float]]:
    """The SVG of the opening view and its ``viewBox`` size (picture units).

    ``layers`` are ``(options, geojson)`` pairs in drawing order (a catalog layer's page
    options and data, :class:`.layers.CatalogLayer`); ``bounds`` is the opening fit
    ``[[south, west], [north, east]]``; ``year`` the opening year (None: every feature).

    Examples
    --------
    >>> options = {"id": "a", "geometry": "line", "style": {"base": {"color": "#b2182b", "weight": 4}}}
    >>> data = {"features": [{"properties": {}, "geometry": {"type": "LineString",
    ...                                                        "coordinates": [[120, 50], [125, 52]]}}]}
    >>> svg, size = picture([(options, data)], [[50, 120], [52, 125]], None)
    >>> svg.startswith("<svg") and 'stroke="#b2182b"' in svg
    True
    """
    (south, west), (north, east) = bounds
    x0, y0 = project(west, north)
    x1, y1 = project(east, south)
    width, height = x1 - x0, y1 - y0
    reach = MARGIN * max(width, height)
    window = shapely.box(x0 - reach, y0 - reach, x1 + reach, y1 + reach)
    origin = (x0, y0)
    body: list[str] = []
    for options, data in layers:
        kind = options["geometry"]
        casing = options["style"].get("casing")
        drawn: list[tuple[str, str, dict[str, Any]]] = []
        for feature in data["features"]:
            props = feature.get("properties") or {}
            if not shown_in(props, options.get("year"), options.get("show_years")) or not feature.get("geometry"):
                continue
            geom = _to_picture(shapely.geometry.shape(feature["geometry"]))
            style = feature_style(options, props)
            own = KIND_OF.get(geom.geom_type, kind)  # as the page draws it: by the feature's own geometry
            if own == "point":
                for point in getattr(geom, "geoms", [geom]):
                    if window.contains(point):
                        drawn.append((own, _dot(point, origin, style), {}))
                continue
            geom = shapely.intersection(shapely.simplify(geom, TOLERANCE), window)
            d = _path_data(geom, origin, closed=own == "polygon")
            if d:
                drawn.append((own, d, style))
        group: list[str] = []
        if casing:
            for own, d, style in drawn:
                if own != "point":
                    group.append(_element(d, _attrs({**style, **casing, "dashArray": None}, "line")))
        for own, d, style in drawn:
            group.append(d if own == "point" else _element(d, _attrs(style, own)))
        if not group:
            continue
        # one group per layer: the page hides it once the live layer is drawn (prepaint.js)
        body.append(f'<g data-layer="{_escape(options.get("id", ""))}">' + "".join(group) + "</g>")
    svg = (
        f'<svg class="nm-prepaint-view" viewBox="0 0 {_fmt(width)} {_fmt(height)}" '
        'preserveAspectRatio="xMidYMid meet" overflow="visible" aria-hidden="true" focusable="false">'
        '<g fill="none" stroke-linecap="round" stroke-linejoin="round">'
        + "".join(body) + "</g></svg>"
    )
    return svg, (width, height)


def _dot(point: shapely.Point, origin: tuple[float, float], style: dict[str, Any]) -> str:
    """A circle marker of the style's radius (screen pixels at any scale): a zero-length
    path with round caps, its outline beneath its fill."""
    s = {**DEFAULTS, **style}
    x, y = round(point.x - origin[0]), round(point.y - origin[1])
    radius = float(s["radius"])
    weight = float(s["weight"]) if s.get("stroke", True) else 0.0
    parts = []
    if weight:
        parts.append(_element(f"M{x} {y}h0", {"stroke": s["color"], "stroke-width": _fmt(2 * radius + weight)}))
    parts.append(_element(f"M{x} {y}h0", {"stroke": s.get("fillColor") or s["color"],
                                          "stroke-width": _fmt(2 * radius - weight)}))
    return "".join(parts)


def with_nearby_places(layers: Sequence[tuple[dict[str, Any], dict[str, Any]]],
                       bounds: list[list[float]]) -> list[list[float]]:
    """The opening bounds widened to the labelled places drawn at the opening that lie just
    outside them (within a quarter of their span: Nerchinsk beside the Argun).

    So that no marker opens cut at the map's edge with its label beside another place's dot;
    computed here, once, so that the picture and the live map fit the same bounds.

    Examples
    --------
    >>> options = {"label": True, "year": 1689}
    >>> near = {"properties": {}, "geometry": {"type": "Point", "coordinates": [119.0, 51.0]}}
    >>> far = {"properties": {}, "geometry": {"type": "Point", "coordinates": [100.0, 51.0]}}
    >>> with_nearby_places([(options, {"features": [near, far]})], [[50.0, 120.0], [54.0, 130.0]])
    [[50.0, 119.0], [54.0, 130.0]]
    """
    (south, west), (north, east) = bounds
    dx, dy = (east - west) / 4, (north - south) / 4
    box = [south, west, north, east]
    for options, data in layers:
        if not options.get("label"):
            continue
        for feature in data["features"]:
            props = feature.get("properties") or {}
            geometry = feature.get("geometry") or {}
            if props.get("label") is False or geometry.get("type") != "Point":
                continue
            if not shown_in(props, options.get("year"), options.get("show_years")):
                continue
            lon, lat = geometry["coordinates"][:2]
            if south - dy <= lat <= north + dy and west - dx <= lon <= east + dx:
                box = [min(box[0], lat), min(box[1], lon), max(box[2], lat), max(box[3], lon)]
    return [[box[0], box[1]], [box[2], box[3]]]


def _opening(layers: Iterable[Any]) -> list[Any]:
    shown = [layer for layer in layers if layer.show]
    shown.sort(key=lambda layer: layer.options["z_index"])
    return shown


def mark_beneath(layers: Sequence[Any], fit_layers: Iterable[str]) -> None:
    """Mark (page option ``beneath``) the layers drawn at the opening view that lie beneath the
    topmost of the view's ``fit_layers``: on a plain open the picture stands in for them, inside
    the live map, until they are drawn a few tasks after the layers from that one up
    (``prepaint.js``). None is marked when no fit layer is drawn.

    Examples
    --------
    >>> class Layer:
    ...     def __init__(self, id, z, opening):
    ...         self.options = {"id": id, "z_index": z, "opening": opening}
    >>> drawn = [Layer("land", 150, True), Layer("rivers", 405, True), Layer("off", 406, False),
    ...          Layer("line", 407, True), Layer("places", 408, True)]
    >>> mark_beneath(drawn, ["line"])
    >>> [layer.options["id"] for layer in drawn if layer.options["beneath"]]
    ['land', 'rivers']
    >>> mark_beneath(drawn, ["elsewhere"])
    >>> any(layer.options["beneath"] for layer in drawn)
    False
    """
    fit = set(fit_layers)
    tops = [layer.options["z_index"] for layer in layers if layer.options["id"] in fit and layer.options["opening"]]
    front = max(tops) if tops else None
    for layer in layers:
        layer.options["beneath"] = bool(
            front is not None and layer.options["opening"] and layer.options["z_index"] < front)


def opening_layers(layers: Iterable[Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The ``(options, data)`` of the catalog layers the map opens with, in drawing order
    (panes by ``z_index``)."""
    return [(layer.options, layer.data) for layer in _opening(layers)]


# what :func:`picture` writes, and nothing else: a kept picture read back must be one (the cache
# folder is the user's, but its text goes into the page as markup)
_ATTRIBUTE = r' (?:d|fill|fill-opacity|stroke|stroke-width|stroke-opacity|stroke-dasharray|stroke-linecap|vector-effect)="[^"<>&]*"'
_PICTURE = re.compile(
    r'<svg class="nm-prepaint-view" viewBox="0 0 [0-9.]+ [0-9.]+" preserveAspectRatio="xMidYMid meet" '
    r'overflow="visible" aria-hidden="true" focusable="false">'
    r'<g fill="none" stroke-linecap="round" stroke-linejoin="round">'
    rf'(?:<g data-layer="[^"<>&]*">(?:<path(?:{_ATTRIBUTE})+/>)*</g>)*</g></svg>'
)


def kept_picture(layers: Iterable[Any], bounds: list[list[float]], year: int | None) -> str:
    """The SVG of :func:`picture` for the catalog layers the map opens with, kept on disk
    (``$NERCHINSK_CACHE/pictures``) under a hash of each layer's page options and data key
    (:func:`.layers.data_key`), the bounds, the year, this package's code and shapely's and
    numpy's versions; computed every time when a layer's data has no key (a user's layer)."""
    from ..files.cache import (  # lazy: only here
        cache_root,
        cached_json,
        code_key,
        content_key,
        library_versions,
        prune,
    )

    shown = _opening(layers)
    pairs = [(layer.options, layer.data) for layer in shown]
    keys = [getattr(layer, "data_key", None) for layer in shown]
    key = None if None in keys else content_key(
        [[k, layer.options] for k, layer in zip(keys, shown, strict=True)], bounds, year, code_key(),
        list(library_versions("shapely", "numpy")),
    )
    if key is None:
        return picture(pairs, bounds, year)[0]

    def compute() -> str:
        prune(cache_root() / "pictures", "*.json", 16)  # pictures of older inputs
        return picture(pairs, bounds, year)[0]

    return cached_json(cache_root() / "pictures" / f"{key}.json",
                       lambda kept: isinstance(kept, str) and _PICTURE.fullmatch(kept) is not None, compute)
