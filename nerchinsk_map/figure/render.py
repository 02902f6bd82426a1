"""``render_figure`` (a matplotlib Figure to tweak) and ``write_figure`` (PNG, SVG or PDF)."""

from __future__ import annotations

import contextlib
import datetime
import logging
import math
import os
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Text
except ImportError:  # matplotlib is an optional dependency of the package
    from ..errors import NerchinskMapError

    raise NerchinskMapError("the figure command needs matplotlib (pip install 'matplotlib>=3.8')") from None

import geopandas as gpd
import pandas as pd
from pyproj import CRS
from shapely.geometry import MultiPoint, Point, box

from .. import __version__
from ..data.catalog import Catalog, LayerSpec, default_catalog
from ..data.layers import load_layers
from ..errors import NerchinskMapError
from ..files.atomic import atomic_path
from . import decorations as deco
from . import svgfonts
from .fonts import check_glyphs, font_chain, is_cff
from .labels import LabelPlacer, LabelRequest, display_box
from .legend import LegendEntry, anchored, legend_box
from .projection import Extent, MapFrame, check_extent, figure_crs, make_frame, to_map
from .style import (
    by_key,
    figure_style,
    hatch_kwargs,
    layer_style,
    line_kwargs,
    point_kwargs,
    polygon_kwargs,
    style_key,
)

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
LANGS = ("en", "ru", "zh")
SVG_HASHSALT = "nerchinsk-map"


# ----------------------------------------------------------------------------- dates
def year_of(date: Any) -> int | None:
    """The year of an ISO 8601 date ("1651", "1653-11", "1689-09-07"); ``None`` when unknown.

    The same rule as the web map's ``yearOf``."""
    if date is None or (isinstance(date, float) and math.isnan(date)) or date is pd.NaT:
        return None
    m = re.match(r"^(-?\d{1,4})", str(date).strip())
    return int(m.group(1)) if m else None


def in_year(gdf: gpd.GeoDataFrame, year: int, show_years: int | None = None) -> pd.Series:
    """Which features existed in ``year``: start <= year <= end, an unknown end (or start) open.

    As in the web map, a layer's ``show_years`` (events) closes an open end that many years
    after the start."""
    n = len(gdf)
    starts = [year_of(v) for v in gdf["start_date"]] if "start_date" in gdf.columns else [None] * n
    ends = [year_of(v) for v in gdf["end_date"]] if "end_date" in gdf.columns else [None] * n
    if show_years:
        ends = [s + int(show_years) if e is None and s is not None else e for s, e in zip(starts, ends, strict=True)]
    return pd.Series(
        [(s is None or s <= year) and (e is None or year <= e) for s, e in zip(starts, ends, strict=True)],
        index=gdf.index, dtype=bool,
    )


# ----------------------------------------------------------------------------- info
@dataclass
class FigureInfo:
    """What ``render_figure`` drew, kept on the figure as ``fig.nerchinsk``."""

    crs: CRS
    extent: Extent
    frame: tuple[float, float, float, float]
    year: int
    lang: str
    fonts: list[str]
    layers: list[str]
    legend: list[tuple[str, str]]
    labels: list[str]
    scalebar: dict[str, Any]
    north_arrow: dict[str, Any]
    credit: str
    size_in: tuple[float, float]
    title: str = ""  # the document title (PDF and SVG metadata)
    subject: str = ""


@contextlib.contextmanager
def figure_context(fonts: Sequence[str]) -> Iterator[None]:
    """The figure's rcParams, with matplotlib's notes on missing bold CJK faces silenced (a
    CJK font without bold is used at its regular weight, which is what we want)."""
    log = logging.getLogger("matplotlib.font_manager")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(rc_params(fonts)):  # type: ignore[arg-type]  # rcParams keys as str
            yield
    finally:
        log.setLevel(level)


def rc_params(fonts: Sequence[str]) -> dict[str, Any]:
    """The matplotlib settings of the figure: its fonts, embedded in PDF, text kept in SVG."""
    return {
        "font.family": list(fonts),
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "svg.hashsalt": SVG_HASHSALT,
        "axes.unicode_minus": False,
        "hatch.linewidth": 0.6,
        "path.simplify": True,
    }


def figure_layer_ids(catalog: Catalog, layer_ids: Sequence[str] | None) -> list[str]:
    """The overlays to draw: ``layer_ids`` (checked), or every layer the figure shows by default."""
    if layer_ids is not None:
        ids = list(dict.fromkeys(layer_ids))
        for layer_id in ids:
            catalog[layer_id]  # unknown ids raise UnknownLayerError here
        order = {layer_id: n for n, layer_id in enumerate(catalog.ids())}
        overlays = sorted((i for i in ids if not catalog[i].basemap), key=order.__getitem__)  # drawn in catalog order
        if not overlays:
            raise NerchinskMapError(
                f"no layers to draw: {', '.join(ids) or 'none given'} "
                "(basemap layers are drawn under every figure; name at least one other layer)"
            )
        return overlays
    out = []
    for spec in catalog.layers:
        if spec.basemap:
            continue
        own = spec.extra.get("figure")
        show = spec.show
        if own is False:
            show = False
        elif isinstance(own, dict) and "show" in own:
            show = bool(own["show"])
        if show:
            out.append(spec.id)
    return out


def _name(props: Mapping[str, Any], lang: str) -> str:
    for key in (f"name_{lang}", "name") if lang != "en" else ("name",):
        value = props.get(key)
        if value is not None and not (isinstance(value, float) and math.isnan(value)) and str(value).strip():
            return str(value)
    return ""


def _title(spec: LayerSpec, lang: str, style: Mapping[str, Any]) -> str:
    """The layer's title in ``lang``: the catalog's own translation (as on the web map)."""
    return spec.extra.get("i18n", {}).get(lang, {}).get("title") or spec.title


def _default_extent(catalog: Catalog, frames: Mapping[str, gpd.GeoDataFrame], style: Mapping[str, Any]) -> Extent:
    fit = [i for i in catalog.view.get("fit_layers", []) if i in catalog]
    frames_fit = [frames[i] if i in frames else load_layers([i], catalog)[i] for i in fit]
    frames_fit = frames_fit or [g for i, g in frames.items() if not catalog[i].basemap]
    bounds = [g.total_bounds for g in frames_fit if not g.empty]
    dx, dy = style["default_margin_deg"]
    return (min(b[0] for b in bounds) - dx, min(b[1] for b in bounds) - dy,
            max(b[2] for b in bounds) + dx, max(b[3] for b in bounds) + dy)


# ----------------------------------------------------------------------------- drawing
def _plot_layer(ax: Any, spec: LayerSpec, gdf: gpd.GeoDataFrame, z: float, px_to_pt: float) -> None:
    """Draw one layer with geopandas, feature styles grouped so each group is one collection."""
    ls = layer_style(spec)
    props = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    resolved = [ls.resolve(p) for p in props]
    keys = [style_key(r) for r in resolved]
    casing = ls.casing()
    for key in dict.fromkeys(keys):
        idx = [i for i, k in enumerate(keys) if k == key]
        part = gdf.iloc[idx]
        options = resolved[idx[0]]
        if spec.geometry == "line":
            if casing:
                ckw = line_kwargs({**options, **casing, "dashArray": None}, px_to_pt)
                part.plot(ax=ax, zorder=z - 0.5, joinstyle="round", capstyle="round", **ckw)
            part.plot(ax=ax, zorder=z, joinstyle="round", **line_kwargs(options, px_to_pt))
        elif spec.geometry == "polygon":
            part.plot(ax=ax, zorder=z, joinstyle="round", **polygon_kwargs(options, px_to_pt))
            hatch = hatch_kwargs(options)
            if hatch:
                part.plot(ax=ax, zorder=z, **hatch)
        else:
            pk = point_kwargs(options, px_to_pt)
            part.plot(ax=ax, zorder=z, marker="o", markersize=pk["markersize"] ** 2,
                      facecolor=pk["markerfacecolor"], edgecolor=pk["markeredgecolor"],
                      linewidth=pk["markeredgewidth"], linestyle=pk["linestyle"])


def _legend_entries(spec: LayerSpec, gdf: gpd.GeoDataFrame, lang: str, style: Mapping[str, Any]) -> list[LegendEntry]:
    """The legend rows of a drawn layer: its title, and the variants ``style.json`` names."""
    ls = layer_style(spec)
    title = _title(spec, lang, style)
    props = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    casing = ls.casing()
    variants = style.get("legend_variants", {}).get(spec.id)
    rows: list[LegendEntry] = []
    named: dict[str, dict[str, Any]] = {}
    plain: list[dict[str, Any]] = []
    if variants:
        for p in props:
            key = by_key(p.get(variants["property"]))
            if key is not None and key in variants["values"]:
                named.setdefault(key, p)
            else:
                plain.append(p)
    else:
        plain = props
    if not named:
        opts = {style_key(ls.resolve(p)) for p in plain}
        options = ls.resolve(plain[0]) if len(opts) == 1 else ls.resolve(None)
        return [LegendEntry(spec.id, title, spec.geometry, options, casing)]
    if plain:
        rows.append(LegendEntry(spec.id, title, spec.geometry, ls.resolve(plain[0]), casing))
    else:
        rows.append(LegendEntry(spec.id, title, ""))
    for key in variants["values"]:
        if key not in named:
            continue
        cfg = variants["values"][key]
        label = cfg.get(lang) or cfg.get("en") or cfg.get("label", key)
        if "{name}" in label:
            label = label.replace("{name}", _name(named[key], lang))
        rows.append(LegendEntry(spec.id, label, spec.geometry, ls.resolve(named[key]), casing, sub=True))
    return rows


def _label_requests(specs: Mapping[str, LayerSpec], drawn: Mapping[str, gpd.GeoDataFrame], lang: str,
                    style: Mapping[str, Any], px_to_pt: float) -> list[LabelRequest]:
    """The labels to place, most important first: annotations, places, then the main rivers."""
    cfg = style["labels"]
    sizes = style["fonts"]["sizes"]
    out: list[LabelRequest] = []
    for spec_id, gdf in drawn.items():
        spec = specs[spec_id]
        if spec.geometry != "point" or not spec.label:
            continue
        ls = layer_style(spec)
        for idx, row in gdf.iterrows():
            if str(row.get("label")).lower() in ("false", "0"):  # the feature asks for no label
                continue
            text = _name(row, lang)
            if not text:
                continue
            radius = point_kwargs(ls.resolve(row.to_dict()), px_to_pt)["markersize"] / 2
            out.append(LabelRequest(text, "point", row.geometry, sizes["place"], offset_pt=radius + 2.6,
                                    gid=f"label-{spec_id}-{row.get('id', idx)}", props={"layer": spec_id}))
    italic = lang in cfg.get("italic_line_labels", [])
    for spec_id, opts in cfg.get("line_layers", {}).items():
        if spec_id not in drawn:
            continue
        gdf = drawn[spec_id]
        first = opts.get("first")
        order_by = opts.get("order_by")
        rank = []
        for i, (_, row) in enumerate(gdf.iterrows()):
            top = first is not None and by_key(row.get(first["property"])) == by_key(first["value"])
            size = row.get(order_by) if order_by else None
            size = float(size) if size is not None and not (isinstance(size, float) and math.isnan(size)) else 0.0
            rank.append((not top, -size, i, row))
        rank.sort(key=lambda r: r[:3])
        color = cfg.get("color", {}).get(spec_id, "#1d1d1b")
        for *_, i, row in rank[: int(opts.get("max", 99))]:
            text = _name(row, lang)
            if text:
                out.append(LabelRequest(text, "line", row.geometry, sizes["river"], color=color,
                                        style="italic" if italic else "normal", gid=f"label-{spec_id}-{row.get('id', i)}",
                                        props={"layer": spec_id}))
    return out


def _annotation_requests(frame: MapFrame, lang: str, style: Mapping[str, Any],
                         drawn: Mapping[str, gpd.GeoDataFrame]) -> list[LabelRequest]:
    """Names of features no layer holds (the sea): at the first free position, kept off the
    layer named by ``avoid`` (the land), else at the nearest free spot around it."""
    out = []
    for n, a in enumerate(style.get("annotations", [])):
        text = a.get(lang) or a.get("en")
        points = [Point(*frame.forward(lon, lat)) for lon, lat in a["positions"]]
        points = [p for p in points if frame.box.contains(p)]
        if text and points:
            out.append(LabelRequest(text, "fixed", MultiPoint(points), style["fonts"]["sizes"]["annotation"],
                                    color=a.get("color", "#4f7f99"),
                                    style=a.get("style", "normal") if lang != "zh" else "normal",
                                    gid=f"label-annotation-{n}",
                                    props={"avoid": drawn[a["avoid"]].geometry.union_all()
                                           if a.get("avoid") in drawn else None}))
    return out


# ----------------------------------------------------------------------------- main
def render_figure(
    layer_ids: Sequence[str] | None = None,
    year: int | None = None,
    lang: str = "en",
    extent: Sequence[float] | None = None,
    catalog: Catalog | None = None,
) -> Figure:
    """The print figure as a matplotlib :class:`~matplotlib.figure.Figure` (``fig.nerchinsk`` holds
    a :class:`FigureInfo`). Overlays default to the catalog's shown layers; ``year`` (default
    1689) keeps the features that existed then, as the web map's time control does."""
    catalog = catalog or default_catalog()
    style = figure_style()
    if lang not in LANGS:
        raise NerchinskMapError(f"unsupported language {lang!r}: use one of {', '.join(LANGS)}")
    year = int(year if year is not None else catalog.time.get("start", 1689))
    overlay_ids = figure_layer_ids(catalog, layer_ids)
    basemap_ids = [s.id for s in catalog.layers if s.basemap]
    if extent is not None:
        extent = check_extent(extent, style["limits"])
    raw = load_layers(basemap_ids + overlay_ids, catalog)
    frames = {i: g[in_year(g, year, catalog[i].extra.get("show_years"))] for i, g in raw.items()}
    if extent is None:
        extent = check_extent(_default_extent(catalog, raw, style), style["limits"])

    # the extent must hold some of the drawn data
    ext_box = box(*extent)
    present = [i for i in overlay_ids if not frames[i].empty]
    if not present:
        raise NerchinskMapError(f"none of the layers {', '.join(overlay_ids) or '(none)'} has features in {year}")
    if not any(frames[i].intersects(ext_box).any() for i in present):
        b = pd.concat([frames[i] for i in present]).total_bounds
        raise NerchinskMapError(
            f"extent {','.join(f'{v:g}' for v in extent)} holds none of the layers' features "
            f"(they lie within {b[0]:.1f},{b[1]:.1f},{b[2]:.1f},{b[3]:.1f})"
        )

    crs = figure_crs(style["projection"])
    frame = make_frame(crs, extent)
    clip = frame.box.buffer(max(frame.width, frame.height) * 0.04)
    drawn: dict[str, gpd.GeoDataFrame] = {}
    for layer_id in basemap_ids + overlay_ids:
        gdf = frames[layer_id]
        if gdf.empty:
            continue
        proj = to_map(gdf, crs)
        proj = proj[proj.intersects(frame.box)]  # only what shows is drawn and listed
        if proj.empty:
            continue
        proj = proj.clip(clip, keep_geom_type=True)
        proj = proj[~proj.geometry.is_empty]
        if not proj.empty:
            drawn[layer_id] = proj
    drawn_overlays = [i for i in overlay_ids if i in drawn]
    if not drawn_overlays:
        raise NerchinskMapError(f"nothing to draw in extent {','.join(f'{v:g}' for v in extent)} in {year}")

    fonts = font_chain(style["fonts"]["text"], style["fonts"]["cjk"])
    with figure_context(fonts):
        fig = _compose(catalog, style, frame, drawn, drawn_overlays, basemap_ids, raw, year, lang, fonts)
    check_glyphs(_texts(fig), fonts, lang)
    return fig


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


def _texts_by_face(fig: Figure) -> dict[svgfonts.Face, list[str]]:
    """The figure's texts grouped by the face they are set in (regular, italic, bold...)."""
    faces: dict[svgfonts.Face, list[str]] = {}
    for t in fig.findobj(Text):
        if t.get_text() and t.get_visible():
            face = svgfonts.face_of(t.get_fontstyle(), t.get_fontweight())
            faces.setdefault(face, []).append(t.get_text())
    return faces


def _wrap_to(fig: Figure, renderer: Any, text: str, width_in: float, fontsize: float) -> tuple[str, float]:
    """``text`` broken into lines no wider than ``width_in``, and its height in inches."""
    chars = max(20, int(width_in * 72 / (fontsize * 0.5)))
    while True:
        wrapped = deco.wrap(text, chars)
        probe = Text(0, 0, wrapped, fontsize=fontsize, linespacing=1.3, figure=fig)
        bb = probe.get_window_extent(renderer)
        if bb.width <= width_in * fig.dpi or chars <= 20:
            return wrapped, bb.height / fig.dpi
        chars -= 4


def _compose(catalog: Catalog, style: Mapping[str, Any], frame: MapFrame, drawn: dict[str, gpd.GeoDataFrame],
             overlays: list[str], basemap_ids: list[str], raw: Mapping[str, gpd.GeoDataFrame], year: int,
             lang: str, fonts: list[str]) -> Figure:
    page = style["page"]
    sizes = style["fonts"]["sizes"]
    colors = style["colors"]
    words = style["i18n"][lang]
    px_to_pt = float(style["px_to_pt"])
    width = float(page["width_in"])
    dpi = float(page["dpi_layout"])

    fig = Figure(figsize=(width, width), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()

    # bold text (legend title, north letter) in the text font alone: CJK fonts often lack bold
    bold = {"weight": "bold", "family": fonts[:1]} if words.get("bold", "bold") == "bold" else {"weight": "normal"}

    # legend and credit first: their height sets the page's
    legend_rows: list[LegendEntry] = []
    for layer_id in overlays:
        legend_rows += _legend_entries(catalog[layer_id], drawn[layer_id], lang, style)
    map_w = width - page["margin_left_in"] - page["margin_right_in"]
    for ncols in (3, 2, 1):  # as many columns as fit the map's width
        box_ = legend_box(legend_rows, words["legend_title"].format(year=year), sizes["legend"],
                          sizes["legend_title"], px_to_pt, ncols=ncols,
                          title_props=bold)
        box_.set_figure(fig)
        bbox = box_.get_bbox(renderer)
        if bbox.width / dpi <= map_w:
            break
    legend_h = bbox.height / dpi

    sources = deco.credit_sources([catalog[i] for i in basemap_ids + overlays if i in drawn],
                                  style["credit"]["aliases"], lang, style["credit"].get("licences", {}).get(lang))
    cx, cy = frame.centre
    lat_c = frame.inverse(cx, cy)[1]
    credit = (f"{words['sources']}: " + "; ".join(sources) + f". {words['projection']}: "
              + style["projection_name"][lang] + "; " + words["scale_note"].format(lat=f"{lat_c:.1f}") + ".")
    credit, credit_h = _wrap_to(fig, renderer, credit, map_w, sizes["credit"])
    map_h = map_w * frame.height / frame.width
    if map_h > page["max_map_height_in"]:  # a tall extent: a narrower map, not a taller page
        map_h = float(page["max_map_height_in"])
        map_w = map_h * frame.width / frame.height
    height = (page["margin_top_in"] + map_h + page["gap_below_map_in"] + legend_h
              + page["gap_legend_credit_in"] + page["margin_bottom_in"])
    height = math.ceil((height + credit_h) * 100) / 100
    fig.set_size_inches(width, height)
    renderer = canvas.get_renderer()

    ax = fig.add_axes((page["margin_left_in"] / width, 1 - (page["margin_top_in"] + map_h) / height,
                       map_w / width, map_h / height), label="map")
    ax.set_gid("map")
    ax.set_xlim(frame.xmin, frame.xmax)
    ax.set_ylim(frame.ymin, frame.ymax)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(colors["sea"])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
        spine.set_edgecolor(colors["frame"])
        spine.set_zorder(90)

    z = 1.0
    for layer_id in basemap_ids:
        if layer_id in drawn:
            _plot_layer(ax, catalog[layer_id], drawn[layer_id], z, px_to_pt)
            z += 1
    ax.set_xlim(frame.xmin, frame.xmax)
    ax.set_ylim(frame.ymin, frame.ymax)
    deco.draw_graticule(ax, frame, words, colors, sizes["graticule"])
    for i, layer_id in enumerate(overlays):
        _plot_layer(ax, catalog[layer_id], drawn[layer_id], 10 + 3 * i, px_to_pt)
    ax.set_xlim(frame.xmin, frame.xmax)
    ax.set_ylim(frame.ymin, frame.ymax)
    ax.set_xlabel("")
    ax.set_ylabel("")

    # decorations in the corners that hide the least data
    per_pt = frame.width / (map_w * 72)
    weighted = []
    for layer_id in overlays:
        spec = catalog[layer_id]
        weight = {"line": 1.0, "polygon": 0.25, "point": 1.0}[spec.geometry]
        weighted += [(g.boundary if spec.geometry == "polygon" else g, weight) for g in drawn[layer_id].geometry]
    margin = 4 * per_pt
    deco_cfg = style["decorations"]
    taken = []
    inset = None
    land = raw.get(deco_cfg["inset_layers"][0])
    lakes = raw.get(deco_cfg["inset_layers"][1]) if len(deco_cfg["inset_layers"]) > 1 else None
    if land is not None:
        iw_in = min(deco_cfg["inset_size_in"][0], deco_cfg["inset_max_fraction"] * map_w)
        ih_in = min(deco_cfg["inset_size_in"][1], deco_cfg["inset_max_fraction"] * map_h)
        iw, ih = iw_in * 72 * per_pt, ih_in * 72 * per_pt
        ix, iy, _ = deco.choose_corner(frame, iw, ih, weighted, margin=margin)
        taken.append(box(ix, iy, ix + iw, iy + ih))
        (fx0, fy0), (fx1, fy1) = fig.transFigure.inverted().transform(
            ax.transData.transform([(ix, iy), (ix + iw, iy + ih)]))
        inset = deco.draw_inset(fig, ax, frame, land, lakes, colors, [fx0, fy0, fx1 - fx0, fy1 - fy0],
                                labels=deco_cfg.get("inset_labels", ()), lang=lang,
                                fontsize=sizes.get("inset", 5.0))
    km, length = deco.scale_length(frame, deco_cfg["scalebar_fraction"])
    pad, arrow_w, gap = 5 * per_pt, 18 * per_pt, 9 * per_pt
    unit_w = (len(words["km"]) * 0.62 + 1.2) * sizes["scalebar"] * per_pt
    bw = pad + arrow_w + gap + length + unit_w + pad
    bh = pad + 36 * per_pt + pad
    bx, by, _ = deco.choose_corner(frame, bw, bh, weighted, taken=[t.buffer(margin) for t in taken],
                                   margin=margin, corners=("lower left", "lower right", "upper left", "upper right"))
    panel = deco.decoration_panel(ax, bx, by, bw, bh)
    arrow = deco.draw_north_arrow(ax, frame, words["north_arrow"], sizes["north"], bx + pad + arrow_w / 2,
                                  by + pad + 3 * per_pt, letter_props=bold)
    bar = deco.draw_scale_bar(ax, frame, words, sizes["scalebar"], bx + pad + arrow_w + gap, by + pad + 4 * per_pt,
                              km, length)

    # labels, placed around what is already there
    obstacles = [display_box(panel, renderer)]
    if inset is not None:
        obstacles.append(display_box(inset, renderer))
    lines = []
    for layer_id in overlays:
        spec = catalog[layer_id]
        if spec.geometry in ("line", "polygon"):
            ls = layer_style(spec)
            stroke = max(float(ls.resolve().get("weight", 3)), float((ls.casing() or {}).get("weight", 0)))
            lines += [(g, stroke * px_to_pt) for g in drawn[layer_id].geometry]
    placer = LabelPlacer(ax, renderer, obstacles, lines)
    for layer_id in overlays:
        spec = catalog[layer_id]
        if spec.geometry == "point":
            ls = layer_style(spec)
            for _, row in drawn[layer_id].iterrows():
                r_pt = point_kwargs(ls.resolve(row.to_dict()), px_to_pt)["markersize"] / 2 + 0.3
                placer.add_marker(row.geometry, r_pt)
    placed = []
    for req in _annotation_requests(frame, lang, style, drawn) + _label_requests(
            {i: catalog[i] for i in overlays}, {i: drawn[i] for i in overlays}, lang, style, px_to_pt):
        if placer.place(req) is not None:
            placed.append(req.text)

    # legend and credit under the map
    pos = ax.get_position()
    legend_top = 1 - (page["margin_top_in"] + map_h + page["gap_below_map_in"]) / height
    fig.add_artist(anchored(box_, pos.x0, legend_top, fig.transFigure))
    fig.text(pos.x0, page["margin_bottom_in"] / height, credit, fontsize=sizes["credit"], color=colors["credit"],
             ha="left", va="bottom", gid="credit", linespacing=1.3)

    legend = [(e.layer_id, e.label) for e in legend_rows]
    fig.nerchinsk = FigureInfo(  # type: ignore[attr-defined]  # what was drawn, kept on the figure
        crs=frame.crs, extent=frame.extent, frame=(frame.xmin, frame.ymin, frame.xmax, frame.ymax), year=year,
        lang=lang, fonts=fonts, layers=overlays, legend=legend, labels=placed,
        scalebar={k: v for k, v in bar.items() if k != "artists"},
        north_arrow={k: v for k, v in arrow.items() if k != "artists"},
        credit=credit.replace("\n", " "), size_in=(width, height),
        title=f"{catalog.title}: map of {year}",
        subject="; ".join(dict.fromkeys(_title(catalog[i], lang, style) for i in overlays)),
    )
    return fig


FIXED_CREATION_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _check_output(output: str | Path, dpi: int) -> tuple[Path, str]:
    path = Path(output)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise NerchinskMapError(
            f"{path}: unsupported figure format {path.suffix or '(no suffix)'!r}; use .png, .svg or .pdf"
        )
    if not isinstance(dpi, int) or isinstance(dpi, bool) or not 10 <= dpi <= 2400:
        raise NerchinskMapError(f"dpi {dpi!r}: expected a whole number from 10 to 2400")
    return path, fmt


def creation_date() -> datetime.datetime:
    """The date written into PDFs: ``SOURCE_DATE_EPOCH`` (reproducible builds) or a fixed day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return FIXED_CREATION_DATE


def save_figure(fig: Figure, output: str | Path, dpi: int = 300) -> Path:
    """Write a rendered figure atomically, reproducibly (no dates, fixed SVG ids), fonts embedded."""
    path, fmt = _check_output(output, dpi)
    info: FigureInfo | None = getattr(fig, "nerchinsk", None)
    fonts = info.fonts if info else list(matplotlib.rcParams["font.family"])
    creator = f"nerchinsk-map {__version__} (matplotlib)"
    title, subject = (info.title, info.subject) if info else ("", "")
    by_format: dict[str, dict[str, Any]] = {
        "png": {"Software": creator, "Title": title or None, "Description": subject or None},
        "svg": {"Date": None, "Creator": creator, "Title": title or None,
                "Description": subject or None},
        # a fixed CreationDate keeps the bytes reproducible (SOURCE_DATE_EPOCH, if set, wins)
        "pdf": {"CreationDate": creation_date(), "ModDate": None, "Creator": creator,
                "Title": title or None, "Subject": subject or None},
    }
    metadata = by_format[fmt]
    metadata = {k: v for k, v in metadata.items() if v is not None or k in ("Date", "ModDate")}
    with figure_context(fonts), atomic_path(path, suffix=path.suffix) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)
        if fmt == "svg":  # labels stay text; the subset fonts (every face used) travel with them
            svgfonts.embed(tmp, fonts, _texts_by_face(fig))
    cjk = any(ord(c) >= 0x2E80 for t in _texts(fig) for c in t)
    if fmt == "pdf" and cjk and len(fonts) > 1 and is_cff(fonts[1]):
        warnings.warn(
            f"{path}: the CJK font {fonts[1]} has PostScript (CFF) outlines, which matplotlib embeds in a "
            "way some PDF readers reject; install fonts-wqy-microhei for TrueType CJK glyphs",
            stacklevel=2,
        )
    return path


def write_figure(
    output: str | Path,
    layer_ids: Sequence[str] | None = None,
    year: int | None = None,
    lang: str = "en",
    extent: Sequence[float] | None = None,
    dpi: int = 300,
    catalog: Catalog | None = None,
) -> Path:
    """Render the figure and write it to ``output`` (.png, .svg or .pdf, from the suffix).

    The file is written whole or not at all; the same arguments give the same bytes."""
    _check_output(output, dpi)  # fail before any work
    fig = render_figure(layer_ids, year=year, lang=lang, extent=extent, catalog=catalog)
    return save_figure(fig, output, dpi=dpi)


__all__ = ["FORMATS", "FigureInfo", "in_year", "render_figure", "save_figure", "write_figure", "year_of"]
