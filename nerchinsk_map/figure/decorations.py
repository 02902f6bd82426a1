"""What makes a map print-ready: graticule, scale bar, north arrow, locator inset, credit line."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as MplPolygon
from matplotlib.patches import Rectangle
from shapely.geometry import LineString, Point, box

from ..data.catalog import LayerSpec
from .projection import MapFrame, inscribed_rect, local_scale_length, north_angle, project, to_map

NICE = (1, 2, 2.5, 5)


def nice_number(x: float, steps: Sequence[float] = NICE) -> float:
    """The largest 'round' number (1, 2, 2.5, 5 times a power of ten) not above ``x``."""
    if x <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(x))
    return max(s * power for s in steps if s * power <= x * (1 + 1e-9))


def graticule_step(span: float, max_lines: int) -> float:
    """A graticule interval in degrees giving at most ``max_lines`` lines over ``span``."""
    for step in (0.5, 1, 2, 5, 10, 15, 20, 30):
        if span / step <= max_lines:
            return float(step)
    return 30.0


def _deg(value: float) -> str:
    return f"{abs(value):g}"


def lon_label(lon: float, words: Mapping[str, str]) -> str:
    """A meridian's label, e.g. ``120°E``."""
    if abs(lon) < 1e-9 or abs(abs(lon) - 180) < 1e-9:
        return f"{abs(lon):g}°"
    return words["east" if lon > 0 else "west"].format(d=_deg(lon))


def lat_label(lat: float, words: Mapping[str, str]) -> str:
    """A parallel's label, e.g. ``52°N``."""
    if abs(lat) < 1e-9:
        return "0°"
    return words["north" if lat > 0 else "south"].format(d=_deg(lat))


def _pt_to_data(ax: Axes, frame: MapFrame) -> float:
    """Map units per typographic point on ``ax``."""
    figure = cast(Figure, ax.figure)  # the map's axes sit on the page's figure, not a subfigure
    width_pt = ax.get_position().width * figure.get_figwidth() * 72
    return frame.width / width_pt


def _inside_figure(text: Any) -> bool:
    """Whether a text lies wholly on the page (graticule labels near a corner may not)."""
    fig = text.get_figure()
    bb = text.get_window_extent(fig.canvas.get_renderer())
    return bb.x0 >= 0 and bb.y0 >= 0 and bb.x1 <= fig.bbox.width and bb.y1 <= fig.bbox.height


def draw_graticule(ax: Axes, frame: MapFrame, words: Mapping[str, str], colors: Mapping[str, str],
                   fontsize: float) -> dict[str, list[float]]:
    """Meridians and parallels, labelled in degrees where they cross the bottom and left edges."""
    ring = shapely.segmentize(frame.box, frame.width / 200).exterior
    lons, lats = frame.inverse(*np.asarray(ring.coords).T)
    lon0, lon1, lat0, lat1 = float(np.min(lons)), float(np.max(lons)), float(np.min(lats)), float(np.max(lats))
    lon_step = graticule_step(lon1 - lon0, 7)
    lat_step = graticule_step(lat1 - lat0, 8)
    per_pt = _pt_to_data(ax, frame)
    tick = 3 * per_pt
    fb = frame.box
    bottom = LineString([(frame.xmin, frame.ymin), (frame.xmax, frame.ymin)])
    left = LineString([(frame.xmin, frame.ymin), (frame.xmin, frame.ymax)])
    style: dict[str, Any] = dict(color=colors["graticule"], linewidth=0.35, alpha=0.8, zorder=4)
    drawn: dict[str, list[float]] = {"lon": [], "lat": []}

    def line(coords: np.ndarray) -> Any:
        x, y = frame.forward(coords[:, 0], coords[:, 1])
        return LineString(np.column_stack([x, y])).intersection(fb)

    def draw(coords: np.ndarray, edge: LineString) -> Any:
        """Draw one graticule line; where it meets the frame ``edge`` (None if it does not)."""
        geom = line(coords)
        if geom.is_empty:
            return None
        for part in getattr(geom, "geoms", [geom]):
            ax.plot(*part.xy, **style)
        hit = geom.intersection(edge.buffer(frame.width * 1e-6))
        return None if hit.is_empty else hit.centroid

    for lon in np.arange(math.ceil(lon0 / lon_step) * lon_step, lon1 + 1e-9, lon_step):
        lats_ = np.linspace(lat0 - 1, lat1 + 1, 200)
        hit = draw(np.column_stack([np.full_like(lats_, lon), lats_]), bottom)
        if hit is not None:
            x = hit.x
            if frame.xmin + 6 * per_pt < x < frame.xmax - 6 * per_pt:
                label = ax.text(x, frame.ymin - tick * 1.4, lon_label(float(lon), words), ha="center", va="top",
                                fontsize=fontsize, color=colors["text"], clip_on=False, gid=f"graticule-lon-{lon:g}")
                if _inside_figure(label):
                    ax.plot([x, x], [frame.ymin, frame.ymin - tick], color=colors["frame"], lw=0.6, clip_on=False,
                            zorder=5)
                    drawn["lon"].append(float(lon))
                else:
                    label.remove()
    for lat in np.arange(math.ceil(lat0 / lat_step) * lat_step, lat1 + 1e-9, lat_step):
        lons_ = np.linspace(lon0 - 1, lon1 + 1, 300)
        hit = draw(np.column_stack([lons_, np.full_like(lons_, lat)]), left)
        if hit is not None:
            y = hit.y
            if frame.ymin + 4 * per_pt < y < frame.ymax - 4 * per_pt:
                label = ax.text(frame.xmin - tick * 1.4, y, lat_label(float(lat), words), ha="right", va="center",
                                fontsize=fontsize, color=colors["text"], clip_on=False, gid=f"graticule-lat-{lat:g}")
                if _inside_figure(label):
                    ax.plot([frame.xmin, frame.xmin - tick], [y, y], color=colors["frame"], lw=0.6, clip_on=False,
                            zorder=5)
                    drawn["lat"].append(float(lat))
                else:
                    label.remove()
    return drawn


def scale_length(frame: MapFrame, fraction: float = 0.2) -> tuple[float, float]:
    """A round length in km near ``fraction`` of the map's width, and its length in map units
    at the map's centre (pyproj Geod: true for the projection there)."""
    cx, cy = frame.centre
    per_km = local_scale_length(frame, cx, cy, 100_000.0) / 100.0
    km = nice_number(frame.width * fraction / per_km)
    return km, local_scale_length(frame, cx, cy, km * 1000.0)


def draw_scale_bar(ax: Axes, frame: MapFrame, words: Mapping[str, str], fontsize: float,
                   x0: float, y0: float, km: float, length: float) -> dict[str, Any]:
    """A segmented bar of ``km`` drawn ``length`` map units long from (x0, y0)."""
    cx, cy = frame.centre
    per_pt = _pt_to_data(ax, frame)
    h = 3.2 * per_pt
    n = 4
    seg = length / n
    for i in range(n):
        ax.add_patch(Rectangle((x0 + i * seg, y0), seg, h, facecolor="#1d1d1b" if i % 2 == 0 else "white",
                               edgecolor="#1d1d1b", linewidth=0.5, zorder=71))
    outline = Rectangle((x0, y0), length, h, facecolor="none", edgecolor="#1d1d1b", linewidth=0.6, zorder=72,
                        gid="scalebar")
    ax.add_patch(outline)
    for i, value in enumerate((0.0, km / 2, km)):
        ax.text(x0 + length * value / km, y0 + h + 1.5 * per_pt, f"{value:g}", ha="center", va="bottom",
                fontsize=fontsize, zorder=73, gid=f"scalebar-label-{i}")
    ax.text(x0 + length + 0.6 * fontsize * per_pt, y0 + h / 2, words["km"], ha="left", va="center",
            fontsize=fontsize, zorder=73, gid="scalebar-unit")
    lon, lat = frame.inverse(cx, cy)
    return {"length_km": km, "x0": x0, "x1": x0 + length, "y": y0, "map_units": length,
            "centre_xy": (cx, cy), "centre_lonlat": (float(lon), float(lat))}


def draw_north_arrow(ax: Axes, frame: MapFrame, letter: str, fontsize: float, x: float, y: float,
                     size_pt: float = 22, letter_props: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A needle from (x, y) along the local meridian there (not the frame's vertical)."""
    per_pt = _pt_to_data(ax, frame)
    angle = north_angle(frame, x, y)
    a = math.radians(angle)
    ux, uy = -math.sin(a), math.cos(a)  # north
    vx, vy = uy, -ux  # to the right of north
    L = size_pt * per_pt
    w = 0.28 * L
    tip = (x + ux * L, y + uy * L)
    notch = (x + ux * 0.22 * L, y + uy * 0.22 * L)
    left = (x - vx * w, y - vy * w)
    right = (x + vx * w, y + vy * w)
    ax.add_patch(MplPolygon([tip, left, notch], closed=True, facecolor="#1d1d1b", edgecolor="#1d1d1b",
                            linewidth=0.6, zorder=71, gid="north-arrow"))
    ax.add_patch(MplPolygon([tip, notch, right], closed=True, facecolor="white", edgecolor="#1d1d1b",
                            linewidth=0.6, zorder=71))
    ax.text(x + ux * 1.3 * L, y + uy * 1.3 * L, letter, rotation=angle, rotation_mode="anchor", ha="center",
            va="center", fontsize=fontsize, zorder=72, gid="north-letter", **{"weight": "bold", **(letter_props or {})})
    lon, lat = frame.inverse(x, y)
    return {"x": x, "y": y, "lon": float(lon), "lat": float(lat), "angle_deg": angle}


def decoration_panel(ax: Axes, x0: float, y0: float, w: float, h: float) -> Rectangle:
    """A white, slightly transparent panel behind the scale bar and north arrow."""
    panel = Rectangle((x0, y0), w, h, facecolor=(1, 1, 1, 0.8), edgecolor=(0.3, 0.3, 0.3, 0.6), linewidth=0.4,
                      zorder=69, gid="decoration-panel")
    ax.add_patch(panel)
    return panel


def choose_corner(frame: MapFrame, w: float, h: float, weighted: Sequence[tuple[Any, float]],
                  taken: Sequence[Any] = (), margin: float = 0.0,
                  corners: Sequence[str] = ("upper left", "upper right", "lower right", "lower left")) -> tuple[float, float, str]:
    """Lower-left corner of the ``w`` x ``h`` box, in the frame corner hiding the least data.

    ``weighted`` holds (geometry, weight) pairs in map units: lines count by length inside the
    box, points by number; a box may not overlap ``taken`` boxes."""
    best = None
    for corner in corners:
        x0 = frame.xmin + margin if "left" in corner else frame.xmax - margin - w
        y0 = frame.ymin + margin if "lower" in corner else frame.ymax - margin - h
        b = box(x0, y0, x0 + w, y0 + h)
        if any(b.intersects(t) for t in taken):
            continue
        cost = 0.0
        for geom, weight in weighted:
            if not geom.intersects(b):
                continue
            part = geom.intersection(b)
            if part.geom_type in ("Point", "MultiPoint"):
                cost += weight * w * 0.3 * len(getattr(part, "geoms", [part]))
            else:
                cost += weight * part.length
        if best is None or cost < best[0] - 1e-6:
            best = (cost, x0, y0, corner)
    if best is None:
        return frame.xmin + margin, frame.ymin + margin, "lower left"
    return best[1], best[2], best[3]


def draw_inset(fig: Figure, ax: Axes, frame: MapFrame, land: gpd.GeoDataFrame | None,
               lakes: gpd.GeoDataFrame | None, colors: Mapping[str, str], rect: Sequence[float],
               margin_deg: float = 1.0, labels: Sequence[Mapping[str, Any]] = (),
               lang: str = "en", fontsize: float = 5.0, year: int | None = None) -> Axes | None:
    """A small locator map of north-east Asia (the ``land`` layer): land with its coast, the
    lakes, the states of ``year`` (each label's ``from``/``to`` years) and the seas named
    (``labels``), the map's frame on it."""
    if land is None or land.empty:
        return None
    w0, s0, e0, n0 = land.total_bounds
    area = shapely.segmentize(box(w0 + margin_deg, s0 + margin_deg, e0 - margin_deg, n0 - margin_deg), 0.25)
    area_xy = project(area, frame.crs)
    fig_w, fig_h = fig.get_size_inches()
    aspect = (rect[2] * fig_w) / (rect[3] * fig_h)
    x0, y0, x1, y1 = inscribed_rect(area_xy, aspect)
    inset = fig.add_axes((rect[0], rect[1], rect[2], rect[3]), label="locator-inset")
    inset.set_gid("locator-inset")
    inset.set_xlim(x0, x1)
    inset.set_ylim(y0, y1)
    inset.set_aspect("equal", adjustable="datalim")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor(colors["inset_sea"])
    inset.set_zorder(80)
    for spine in inset.spines.values():
        spine.set_linewidth(0.6)
        spine.set_edgecolor(colors["frame"])
    clip = box(x0, y0, x1, y1).buffer((x1 - x0) * 0.05)
    tol = (x1 - x0) / 400
    shown = to_map(land, frame.crs).clip(clip, keep_geom_type=True)
    shown = shown.set_geometry(shown.geometry.simplify(tol))
    shown.plot(ax=inset, facecolor=colors["inset_land"], edgecolor=colors["inset_coast"],
               linewidth=0.3, gid="inset-land")
    if lakes is not None and not lakes.empty:
        water = to_map(lakes, frame.crs).clip(clip, keep_geom_type=True)
        if not water.empty:
            water = water.set_geometry(water.geometry.simplify(tol))
            water.plot(ax=inset, facecolor=colors["inset_sea"], edgecolor=colors["inset_coast"],
                       linewidth=0.2)
    view = box(x0, y0, x1, y1)
    for i, label in enumerate(labels):
        if year is not None and not label.get("from", year) <= year <= label.get("to", year):
            continue  # a state of another year
        text = label["text"].get(lang) or label["text"]["en"]
        point = project(Point(label["lon"], label["lat"]), frame.crs)
        if not view.contains(point):
            continue
        sea = label.get("kind") == "sea"
        inset.text(point.x, point.y, text, fontsize=fontsize * (0.85 if sea else 1.0), ha="center", va="center",
                   style="italic" if sea else "normal", linespacing=1.0,
                   color=colors["inset_water_text" if sea else "inset_state"], zorder=4,
                   gid=f"inset-label-{i}", clip_on=True)
    inset.add_patch(Rectangle((frame.xmin, frame.ymin), frame.width, frame.height, facecolor="none",
                              edgecolor=colors["inset_extent"], linewidth=1.0, zorder=5, gid="inset-extent"))
    inset.set_xlim(x0, x1)
    inset.set_ylim(y0, y1)
    inset.set_xlabel("")
    inset.set_ylabel("")
    return inset


def credit_sources(specs: Iterable[LayerSpec], aliases: Sequence[Mapping[str, Any]], lang: str = "en",
                   licence_words: Mapping[str, str] | None = None) -> list[str]:
    """The drawn layers' sources, each named once. An alias (``style.json``) whose ``match``
    finds a catalog dataset gives its short ``name`` (``{version}`` filled in; a name may be
    given per language), may drop the licence or ``skip`` a derived source; other datasets keep
    their name up to a bracket. ``licence_words`` translates licence names."""
    licence_words = licence_words or {}
    licences: dict[str, list[str]] = {}
    for spec in specs:
        for src in spec.sources:
            alias = next((a for a in aliases if re.search(a["match"], src.dataset)), None)
            if alias and alias.get("skip"):
                continue
            if alias:
                own = alias["name"] if isinstance(alias["name"], str) else alias["name"].get(lang, alias["name"]["en"])
                name = own.replace("{version}", src.version)
            else:
                name = re.split(r" \(|; ", src.dataset, maxsplit=1)[0].strip() + f" {src.version}"
            names = licences.setdefault(name, [])
            keep = alias.get("licence", True) if alias else True
            licence = licence_words.get(src.licence, src.licence)
            if keep and licence and licence not in names:
                names.append(licence)
    return [f"{name} ({'; '.join(lic)})" if lic else name for name, lic in licences.items()]


def wrap(text: str, chars: int) -> str:
    """``text`` broken into lines of at most ``chars`` characters, at spaces."""
    return "\n".join(textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False))
