"""Build the interactive map from the catalog: tiles, offline basemap, layers, controls."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

import folium
import geopandas as gpd

from ..data.catalog import Catalog, default_catalog
from ..data.layers import load_layers
from ..data.translations import layer_texts, used_tables
from ..data.user_layers import PAGE_BUDGET_MB, add_user_layers
from ..errors import NerchinskMapError
from ..files.atomic import write_text_atomic
from . import assets, csp
from .ascii import ascii_page
from .controls import (
    Base,
    Credits,
    GroupedLayerControl,
    Languages,
    Legend,
    MapControls,
    TimeControl,
    TitleBox,
)
from .layers import CatalogLayer, half_pixel_deg
from .page import PageFigure
from .prepaint import kept_picture, mark_beneath, opening_layers, with_nearby_places
from .reader import ReaderPanel, reader_data
from .render import SafeMacro, SafeMap, SafeTileLayer, walk
from .stable_ids import renumber
from .templating import template

BASEMAP_Z = 150  # below Leaflet's tile pane (200): the vector land shows where tiles fail
OVERLAY_Z = 400  # Leaflet's overlay pane


class FitView(SafeMacro):
    """The opening view, set by the page script once every control is in the page.

    ``bounds`` fitted to the room the open controls leave (measured in the browser), or the view
    a shared link names. The map has no view before it, so Leaflet holds the layers back until
    then and draws them once, at the final zoom (tiles too are fetched for that zoom only).
    """

    _template = template(
        """
        {% macro script(this, kwargs) %}
            NerchinskMap.fitView({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FitView"
        self.bounds = bounds


def _bounds(catalog: Catalog, layers: dict[str, gpd.GeoDataFrame], also: Sequence[str] = ()) -> list[list[float]]:
    """The opening bounds: the catalog's fit_layers, and ``also`` (a user's own layers)."""
    fit = [layers[i] for i in [*catalog.view.get("fit_layers", []), *also] if i in layers]
    frames = fit or [g for i, g in layers.items() if not catalog[i].basemap] or list(layers.values())
    minx = min(g.total_bounds[0] for g in frames)
    miny = min(g.total_bounds[1] for g in frames)
    maxx = max(g.total_bounds[2] for g in frames)
    maxy = max(g.total_bounds[3] for g in frames)
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def build_map(
    layer_ids: list[str] | None = None,
    catalog: Catalog | None = None,
    layers: dict[str, gpd.GeoDataFrame] | None = None,
    year: int | None = None,
    extra_layers: Sequence[str | Path | gpd.GeoDataFrame] = (),
    lang: str = "en",
    basemap: bool = True,
    stories: Sequence[str | Path] = (),
    reader: bool = True,
) -> folium.Map:
    """The treaty map with every catalog layer (or ``layer_ids``), offline-ready.

    The offline basemap (the catalog's ``basemap`` layers: land, lakes) is drawn beneath
    ``layer_ids`` too, so that a map of one layer is not a line on an empty sea with no
    network. The controls fold, and the view fits, to the map's own size (a notebook cell as
    well as a window).

    Parameters
    ----------
    layer_ids : list of str, optional
        Catalog ids to draw (default: every layer).
    catalog : Catalog, optional
        The catalog (default: the shipped one).
    layers : dict of str to GeoDataFrame, optional
        Already loaded layers, keyed by catalog id.
    year : int, optional
        The time control's opening year (default: the catalog's, 1689).
    extra_layers : sequence of str, Path or GeoDataFrame
        Users' files (GeoJSON, GeoPackage, Shapefile) or GeoDataFrames, drawn as layers of
        their own.
    lang : {"en", "ru", "zh"}
        The opening language (a reader can switch; ``#lang=`` in the URL wins).
    basemap : bool
        Draw the offline land and lakes beneath (default True).
    stories : sequence of str or Path
        Story files of your own (``geodata/stories/story.schema.json``), added to the reader's
        panel beside the shipped story.
    reader : bool
        Add the reader's panel: the treaties' texts linked to the line, the guided story and two
        readings side by side (default True).

    Returns
    -------
    folium.Map
        The map; write it with :func:`write_map`, or show it in a notebook cell.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> m = nm.build_map(["treaty_1689"], year=1700, lang="ru")
    >>> isinstance(m, __import__("folium").Map)
    True
    """
    messages = assets.messages()
    if lang not in messages["languages"]:
        raise NerchinskMapError(f"unknown language {lang!r} (choose from {', '.join(messages['languages'])})")
    catalog = catalog or default_catalog()
    ids = catalog.ids() if layer_ids is None else list(layer_ids)
    for layer_id in ids:
        catalog[layer_id]  # unknown ids fail here, before any work
    beneath = [i for i in catalog.ids() if catalog[i].basemap]
    ids = [i for i in beneath if i not in ids and basemap] + [i for i in ids if basemap or i not in beneath]
    frames = dict(layers or {})
    user_ids: set[str] = set()
    if extra_layers:
        catalog, user_frames = add_user_layers(catalog, extra_layers)
        frames.update(user_frames)
        user_ids = set(user_frames)
        ids += list(user_frames)
    if not ids:
        raise NerchinskMapError("no layers to draw: name at least one layer")
    if year is not None and catalog.time and not catalog.time["min"] <= year <= catalog.time["max"]:
        raise NerchinskMapError(
            f"year {year} is outside the map's time range ({catalog.time['min']}–{catalog.time['max']})"
        )
    missing = [i for i in ids if i not in frames]
    frames.update(load_layers(missing, catalog))

    figure = PageFigure(title=catalog.title or "nerchinsk-map", lang={"zh": "zh-Hans"}.get(lang, lang))
    m = SafeMap(
        location=catalog.view.get("center", [53.0, 125.0]),
        zoom_start=int(catalog.view.get("zoom", 5)),
        min_zoom=int(catalog.view.get("min_zoom", 3)),
        max_zoom=int(catalog.view.get("max_zoom", 12)),
        tiles=None,
        control_scale=False,  # zoom buttons and scale bar come translated (MapControls)
        zoom_control=False,
        zoom_snap=float(catalog.view.get("zoom_snap", 1)),
    )
    m.location = None  # type: ignore[assignment]  # no view until FitView: the layers wait and are drawn once, at the final zoom
    figure.add_child(m)
    assets.install(figure)
    languages = Languages(messages, lang)
    languages.add_to(m)
    MapControls().add_to(m)
    opening = None  # the year the time control opens at (None: no control, or all years)
    if catalog.time and not (year is None and catalog.time.get("all")):
        opening = int(year if year is not None else catalog.time["start"])

    bases = []
    for i, tile in enumerate(catalog.tiles):
        tiles: SafeTileLayer | None = None
        if tile.get("url"):
            tiles = SafeTileLayer(
                tiles=tile["url"],
                attr=tile["attribution"],
                name=tile["title"],
                max_zoom=int(tile.get("max_zoom", 18)),
                max_native_zoom=int(tile.get("max_native_zoom", tile.get("max_zoom", 18))),
                overlay=False,
                control=False,
                show=i == 0,
            )
            tiles.add_to(m)
        bases.append(Base(tile["id"], tile["title"], tiles))

    overlays: list[CatalogLayer] = []
    drawn: list[CatalogLayer] = []
    page_bytes = 0
    for i, layer_id in enumerate(ids):
        spec = catalog[layer_id]
        z = (BASEMAP_Z if spec.basemap else OVERLAY_Z) + i
        screen = half_pixel_deg(int(catalog.view.get("max_zoom", 12))) if layer_id in user_ids else None
        layer = CatalogLayer(spec, frames[layer_id], z_index=z, year=None if spec.basemap else opening,
                             simplify_deg=screen)
        size = len(json.dumps(layer.data, ensure_ascii=False).encode("utf-8"))
        page_bytes += size
        if page_bytes > PAGE_BUDGET_MB * 1e6:
            raise NerchinskMapError(
                f"layer {layer_id!r} takes {size / 1e6:.1f} MB of the page, beyond its {PAGE_BUDGET_MB} MB budget: "
                "simplify it first (e.g. ogr2ogr -simplify 0.01 small.gpkg big.gpkg) or leave it out"
            )
        layer.add_to(m)
        drawn.append(layer)
        if not spec.basemap:
            overlays.append(layer)

    texts = set().union(*(layer_texts(o.data["features"], o.spec.popup_fields) for o in overlays))
    languages.texts = used_tables(catalog.translation_tables(), texts)
    TitleBox(catalog.title, catalog.subtitle).add_to(m)
    GroupedLayerControl(bases, overlays).add_to(m)
    Legend(overlays).add_to(m)
    if catalog.time:
        TimeControl(overlays, {**catalog.time, "start": int(year if year is not None else catalog.time["start"]),
                               "all": year is None and bool(catalog.time.get("all"))}).add_to(m)
    if catalog.attribution:
        Credits(catalog.attribution).add_to(m)
    if reader:
        span = (int(catalog.time["min"]), int(catalog.time["max"])) if catalog.time else None
        ReaderPanel(reader_data(overlays, catalog.translation_tables(), span, stories)).add_to(m)
    mark_beneath(drawn, catalog.view.get("fit_layers", []))
    shown = opening_layers(drawn)
    bounds = with_nearby_places(shown, _bounds(catalog, {i: frames[i] for i in ids}, also=sorted(user_ids)))
    FitView(bounds).add_to(m)  # last: the controls are measured
    svg = kept_picture(drawn, bounds, opening)
    note = messages.get(lang, {}).get(NOSCRIPT, NOSCRIPT) if lang != "en" else NOSCRIPT
    figure.add_literal("html", prepaint_html(svg, note), name="nm_prepaint", index=0)
    return m


NOSCRIPT = "This picture shows the map as it opens. Turn on JavaScript to explore it: layers, years, popups."


def prepaint_html(svg: str, note: str) -> str:
    """The picture painted before the scripts run, and the note for readers without scripts.

    The picture is removed when the live map takes over. ``svg`` is the project's own markup;
    ``note`` is escaped.
    """
    return (f'<div class="nm-prepaint" id="nm-prepaint">{svg}</div>\n'
            f'<noscript><p class="nm-noscript">{html.escape(note)}</p></noscript>')


def render_html(m: folium.Map) -> str:
    """The page as HTML text, with stable element ids and its Content-Security-Policy.

    The same map gives the same bytes (element ids are numbered in tree order); the policy
    lists the hashes of the page's inline scripts and styles and the tile hosts. The page is
    ASCII only, each other character escaped as its context reads it (:mod:`.ascii`).

    Parameters
    ----------
    m : folium.Map
        A map from :func:`build_map`.

    Returns
    -------
    str
        The whole page.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> m = nm.build_map(["treaty_1689"])
    >>> html = nm.render_html(m)
    >>> html.startswith("<!DOCTYPE html>"), "Content-Security-Policy" in html
    (True, True)
    >>> html == nm.render_html(m)
    True
    """
    root = m.get_root()
    renumber(root)
    tiles = [e.tiles for e in walk(root) if isinstance(e, SafeTileLayer)]
    return csp.with_policy(ascii_page(root.render()), tiles)  # ASCII: the browser's fast path (web/ascii.py)


def write_map(path: str | Path, m: folium.Map | None = None) -> Path:
    """Write the map (built from the catalog if not given) to a file, atomically.

    Parameters
    ----------
    path : str or pathlib.Path
        The HTML file to write; a symbolic link is written through.
    m : folium.Map, optional
        The map (default: :func:`build_map` with every layer).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import nerchinsk_map as nm
    >>> out = nm.write_map(pathlib.Path(tempfile.mkdtemp()) / "map.html", nm.build_map(["places"]))
    >>> out.name, out.stat().st_size > 100_000
    ('map.html', True)
    """
    m = m if m is not None else build_map()
    return write_text_atomic(path, render_html(m))
