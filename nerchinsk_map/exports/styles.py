"""The map's design for other GIS software: each catalog layer's Leaflet style (``style`` in
``catalog.json``: base, per-value ``by`` categories, casing, labels) as a QGIS style (QML) and an
OGC Styled Layer Descriptor (SLD 1.1 / SE), for the GeoPackage's ``layer_styles`` table and the
QGIS project."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
from lxml import etree
from matplotlib.colors import to_rgba

from ..data.catalog import LayerSpec
from .kml import xml_text

QGIS_VERSION = "3.22.0"
PX_MM = 0.2646  # one CSS pixel (1/96 inch) in millimetres
LEAFLET_DEFAULTS: dict[str, Any] = {"color": "#3388ff", "weight": 3, "opacity": 1.0,
                                    "fillOpacity": 0.2, "radius": 10}
KIND = {"polygon": "fill", "line": "line", "point": "marker"}
SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LABEL_FONT = "Noto Sans"


@dataclass(frozen=True)
class Category:
    """One symbol of a layer: the features whose ``property`` equals ``value`` (``None``: the
    layer's base symbol, for every other feature)."""

    value: str | None
    label: str
    style: dict[str, Any]


def resolve(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Leaflet path options: its defaults, ``base``, then ``extra`` (a ``None`` removes a key);
    the fill colour defaults to the line colour, as in Leaflet."""
    merged = {**LEAFLET_DEFAULTS, **base}
    for key, value in extra.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    merged.setdefault("fillColor", merged["color"])
    return merged


def category_labels(spec: LayerSpec, gdf: gpd.GeoDataFrame | None) -> dict[str, str]:
    """Legend labels of the style's values, as the print figure's legend words them
    (``legend_variants`` in the figure's style.json; ``{name}``: the feature's name)."""
    from ..figure.style import by_key, figure_style  # lazy: importing figure/ loads matplotlib

    variants = figure_style().get("legend_variants", {}).get(spec.id)
    by = (spec.style or {}).get("by") or {}
    if not variants or variants.get("property") != by.get("property"):
        return {}
    names: dict[str, str] = {}
    if gdf is not None and by.get("property") in gdf and "name" in gdf:
        for value, name in zip(gdf[by["property"]], gdf["name"], strict=True):
            key = by_key(value)
            if key is not None and isinstance(name, str):
                names.setdefault(key, name)
    labels = {}
    for key, cfg in variants.get("values", {}).items():
        label = cfg.get("en") or cfg.get("label", key)
        if "{name}" in label:
            if key not in names:
                continue
            label = label.replace("{name}", names[key])
        labels[key] = label
    return labels


def categories(spec: LayerSpec, labels: Mapping[str, str] | None = None
               ) -> tuple[str | None, list[Category]]:
    """The property the layer's style depends on (or ``None``) and its symbols, base last;
    ``labels`` names the values in the legend (the values themselves otherwise)."""
    style = spec.style or {}
    base = style.get("base", {})
    by = style.get("by") or {}
    labels = labels or {}
    cats = [Category(xml_text(str(value)), xml_text(labels.get(str(value), str(value))),
                     resolve(base, over))
            for value, over in (by.get("values") or {}).items()]
    # the base symbol: named by the one labelled value the style leaves to it, else the title
    rest = [label for key, label in labels.items() if key not in (by.get("values") or {})]
    cats.append(Category(None, xml_text(rest[0] if len(rest) == 1 else spec.title),
                         resolve(base, {})))
    prop = by.get("property")
    return (xml_text(str(prop)) if prop is not None else None), cats


def labelled(spec: LayerSpec) -> bool:
    """Whether the map labels the layer's features with their names."""
    return bool(spec.label)


def _rgba(color: str, opacity: float | str) -> str:
    r, g, b, _ = to_rgba(color)
    return f"{round(r * 255)},{round(g * 255)},{round(b * 255)},{round(float(opacity) * 255)}"


def _mm(px: float | str) -> str:
    return f"{float(px) * PX_MM:.3f}"


def _dash(style: Mapping[str, Any]) -> str | None:
    dash = style.get("dashArray")
    if not dash:
        return None
    parts = [float(p) for p in str(dash).replace(",", " ").split()]
    return ";".join(_mm(p) for p in parts)


def _options(parent: etree._Element, values: Mapping[str, str]) -> None:
    holder = etree.SubElement(parent, "Option", type="Map")
    for key, value in values.items():
        etree.SubElement(holder, "Option", type="QString", name=key, value=value)


def _line_layer(style: Mapping[str, Any]) -> dict[str, str]:
    dash = _dash(style)
    return {
        "line_color": _rgba(style["color"], style["opacity"]),
        "line_width": _mm(style["weight"]),
        "line_width_unit": "MM",
        "line_style": "solid",
        "capstyle": "round" if style.get("lineCap", "round") == "round" else "flat",
        "joinstyle": "round",
        "use_custom_dash": "1" if dash else "0",
        "customdash": dash or "5;2",
        "customdash_unit": "MM",
    }


def _symbol(kind: str, name: str, style: Mapping[str, Any]) -> etree._Element:
    """A QGIS symbol element: a fill, a line or a circle marker."""
    symbol = etree.Element("symbol", type=kind, name=name, alpha="1", clip_to_extent="1",
                           force_rhr="0")
    layers: list[tuple[str, dict[str, str]]] = []
    if kind == "fill":
        dash = _dash(style)
        layers.append(("SimpleFill", {
            "color": _rgba(style["fillColor"], style["fillOpacity"]),
            "style": "solid",
            "outline_color": _rgba(style["color"], style["opacity"]),
            "outline_width": _mm(style["weight"]),
            "outline_width_unit": "MM",
            "outline_style": "dash" if dash else "solid",
            "joinstyle": "round",
        }))
    elif kind == "line":
        layers.append(("SimpleLine", _line_layer(style)))
    else:
        layers.append(("SimpleMarker", {
            "name": "circle",
            "color": _rgba(style["fillColor"], style["fillOpacity"]),
            "outline_color": _rgba(style["color"], style["opacity"]),
            "outline_width": _mm(style["weight"]),
            "outline_width_unit": "MM",
            "outline_style": "dash" if _dash(style) else "solid",
            "size": _mm(2 * float(style["radius"]) + float(style["weight"])),
            "size_unit": "MM",
        }))
    for cls, values in layers:
        layer = etree.SubElement(symbol, "layer", attrib={"class": cls, "enabled": "1",
                                                          "locked": "0", "pass": "0"})
        _options(layer, values)
    return symbol


def _casing_style(spec: LayerSpec) -> dict[str, Any] | None:
    over = (spec.style or {}).get("casing")
    if not over:
        return None
    return {**resolve({}, over), "weight": float(over.get("weight", 8))}


def renderer(spec: LayerSpec, labels: Mapping[str, str] | None = None) -> etree._Element:
    """The layer's ``renderer-v2`` element: one symbol, or a category per ``by`` value."""
    kind = KIND[spec.geometry]
    prop, cats = categories(spec, labels)
    under = _casing_style(spec)
    if prop is None:
        element = etree.Element("renderer-v2", type="singleSymbol", symbollevels="0",
                                forceraster="0", enableorderby="0")
        symbols = etree.SubElement(element, "symbols")
        symbols.append(_casing_symbol(kind, "0", cats[0].style, under))
        return element
    element = etree.Element("renderer-v2", type="categorizedSymbol", attr=prop,
                            symbollevels="1" if under else "0", forceraster="0",
                            enableorderby="0")
    holder = etree.SubElement(element, "categories")
    symbols = etree.SubElement(element, "symbols")
    for i, cat in enumerate(cats):
        etree.SubElement(holder, "category", render="true", symbol=str(i),
                         value="" if cat.value is None else cat.value, label=cat.label,
                         type="string")
        symbols.append(_casing_symbol(kind, str(i), cat.style, under))
    return element


def _casing_symbol(kind: str, name: str, style: Mapping[str, Any],
                   under: Mapping[str, Any] | None) -> etree._Element:
    """A symbol, with a line's casing beneath it (drawn in an earlier pass) when it has one."""
    if kind != "line" or not under:
        return _symbol(kind, name, style)
    symbol = etree.Element("symbol", type="line", name=name, alpha="1", clip_to_extent="1",
                           force_rhr="0")
    for values, level in ((_line_layer({**under, "dashArray": None}), "0"),
                          (_line_layer(style), "1")):
        layer = etree.SubElement(symbol, "layer", attrib={"class": "SimpleLine", "enabled": "1",
                                                          "locked": "0", "pass": level})
        _options(layer, values)
    return symbol


def labeling(spec: LayerSpec) -> etree._Element | None:
    """Name labels with a white halo, as on the map, for the layers the map labels."""
    if not labelled(spec):
        return None
    element = etree.Element("labeling", type="simple")
    settings = etree.SubElement(element, "settings", calloutType="simple")
    style = etree.SubElement(settings, "text-style", fieldName="name", isExpression="0",
                             fontFamily=LABEL_FONT, fontSize="9", fontSizeUnit="Point",
                             fontWeight="50", textColor="29,29,27,255", textOpacity="1",
                             namedStyle="Regular")
    etree.SubElement(style, "text-buffer", bufferDraw="1", bufferSize="1",
                     bufferSizeUnits="MM", bufferColor="255,255,255,255", bufferOpacity="0.9")
    etree.SubElement(settings, "placement", placement="6" if spec.geometry == "point" else "2",
                     dist="1.5", distUnits="MM", priority="5")
    etree.SubElement(settings, "rendering", obstacle="1", scaleVisibility="0",
                     drawLabels="1", upsidedownLabels="0")
    return element


def layer_elements(spec: LayerSpec, labels: Mapping[str, str] | None = None
                   ) -> list[etree._Element]:
    """The style elements that go inside a QML document or a project's ``maplayer``."""
    label = labeling(spec)
    return [renderer(spec, labels)] if label is None else [renderer(spec, labels), label]


def qml(spec: LayerSpec, labels: Mapping[str, str] | None = None) -> str:
    """The layer's QGIS style document (symbology and labels)."""
    root = etree.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology|Labeling",
                         labelsEnabled="1" if labelled(spec) else "0")
    for element in layer_elements(spec, labels):
        root.append(element)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + etree.tostring(
        root, encoding="unicode", pretty_print=True)


def _css(parent: etree._Element, tag: str, values: Mapping[str, str]) -> None:
    holder = etree.SubElement(parent, f"{{{SE}}}{tag}")
    for name, value in values.items():
        param = etree.SubElement(holder, f"{{{SE}}}SvgParameter", name=name)
        param.text = value


def _stroke(style: Mapping[str, Any], width: float | None = None) -> dict[str, str]:
    values = {"stroke": to_hex(style["color"]), "stroke-opacity": f"{float(style['opacity']):g}",
              "stroke-width": f"{float(width if width is not None else style['weight']):g}",
              "stroke-linejoin": "round", "stroke-linecap": "round"}
    dash = style.get("dashArray")
    if dash:
        values["stroke-dasharray"] = " ".join(str(dash).replace(",", " ").split())
    return values


def to_hex(color: str) -> str:
    r, g, b, _ = to_rgba(color)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _sld_symbolizers(rule: etree._Element, kind: str, style: Mapping[str, Any],
                     under: Mapping[str, Any] | None) -> None:
    if kind == "fill":
        sym = etree.SubElement(rule, f"{{{SE}}}PolygonSymbolizer")
        _css(sym, "Fill", {"fill": to_hex(style["fillColor"]),
                           "fill-opacity": f"{float(style['fillOpacity']):g}"})
        _css(sym, "Stroke", _stroke(style))
    elif kind == "line":
        if under:
            sym = etree.SubElement(rule, f"{{{SE}}}LineSymbolizer")
            _css(sym, "Stroke", _stroke({**under, "dashArray": None}))
        sym = etree.SubElement(rule, f"{{{SE}}}LineSymbolizer")
        _css(sym, "Stroke", _stroke(style))
    else:
        sym = etree.SubElement(rule, f"{{{SE}}}PointSymbolizer")
        graphic = etree.SubElement(sym, f"{{{SE}}}Graphic")
        mark = etree.SubElement(graphic, f"{{{SE}}}Mark")
        etree.SubElement(mark, f"{{{SE}}}WellKnownName").text = "circle"
        _css(mark, "Fill", {"fill": to_hex(style["fillColor"]),
                            "fill-opacity": f"{float(style['fillOpacity']):g}"})
        _css(mark, "Stroke", _stroke(style))
        etree.SubElement(graphic, f"{{{SE}}}Size").text = f"{2 * float(style['radius']):g}"


def sld(spec: LayerSpec, labels: Mapping[str, str] | None = None) -> str:
    """The layer's style as an OGC SLD 1.1 document (Symbology Encoding), labels included."""
    nsmap = {"sld": SLD, "se": SE, "ogc": OGC, "xlink": XLINK, "xsi": XSI}
    root = etree.Element(f"{{{SLD}}}StyledLayerDescriptor", nsmap=nsmap, version="1.1.0")
    root.set(f"{{{XSI}}}schemaLocation",
             "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/"
             "StyledLayerDescriptor.xsd")
    named = etree.SubElement(root, f"{{{SLD}}}NamedLayer")
    etree.SubElement(named, f"{{{SE}}}Name").text = spec.id
    user = etree.SubElement(named, f"{{{SLD}}}UserStyle")
    etree.SubElement(user, f"{{{SE}}}Name").text = spec.id
    fts = etree.SubElement(user, f"{{{SE}}}FeatureTypeStyle")
    kind = KIND[spec.geometry]
    prop, cats = categories(spec, labels)
    under = _casing_style(spec)
    listed = [c.value for c in cats if c.value is not None]
    for cat in cats:
        rule = etree.SubElement(fts, f"{{{SE}}}Rule")
        etree.SubElement(rule, f"{{{SE}}}Name").text = cat.label
        if prop is not None:
            flt = etree.SubElement(rule, f"{{{OGC}}}Filter")
            if cat.value is not None:
                _equals(flt, prop, cat.value)
            else:  # every other value
                inner = etree.SubElement(flt, f"{{{OGC}}}Not")
                either = etree.SubElement(inner, f"{{{OGC}}}Or") if len(listed) > 1 else inner
                for value in listed:
                    _equals(either, prop, value)
        _sld_symbolizers(rule, kind, cat.style, under)
    if labelled(spec):
        rule = etree.SubElement(fts, f"{{{SE}}}Rule")
        etree.SubElement(rule, f"{{{SE}}}Name").text = "labels"
        text = etree.SubElement(rule, f"{{{SE}}}TextSymbolizer")
        label = etree.SubElement(text, f"{{{SE}}}Label")
        etree.SubElement(label, f"{{{OGC}}}PropertyName").text = "name"
        _css(text, "Font", {"font-family": LABEL_FONT, "font-size": "12"})
        halo = etree.SubElement(text, f"{{{SE}}}Halo")
        etree.SubElement(halo, f"{{{SE}}}Radius").text = "2"
        _css(halo, "Fill", {"fill": "#ffffff"})
        _css(text, "Fill", {"fill": "#1d1d1b"})
    return etree.tostring(root, encoding="unicode", pretty_print=True, xml_declaration=False)


def _equals(parent: etree._Element, prop: str, value: str) -> None:
    eq = etree.SubElement(parent, f"{{{OGC}}}PropertyIsEqualTo")
    etree.SubElement(eq, f"{{{OGC}}}PropertyName").text = prop
    etree.SubElement(eq, f"{{{OGC}}}Literal").text = value
