"""The legend: the web map's symbols (the catalog styles, with the figure's overrides) drawn as
swatches, one entry per drawn layer, with sub-entries for the variants ``style.json`` names."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.offsetbox import (
    AnchoredOffsetbox,
    DrawingArea,
    HPacker,
    OffsetBox,
    TextArea,
    VPacker,
)
from matplotlib.patches import Rectangle

from .style import hatch_kwargs, line_kwargs, point_kwargs, polygon_kwargs

SWATCH_W, SWATCH_H = 24.0, 10.0  # points
INDENT = 9.0
WRAP = 48  # characters: longer labels go on two lines


@dataclass(frozen=True)
class LegendEntry:
    """One row: a swatch (none for a heading) and its text."""

    layer_id: str
    label: str
    geometry: str  # point, line, polygon, or "" for a heading without a swatch
    options: Mapping[str, Any] | None = None
    casing: Mapping[str, Any] | None = None
    sub: bool = False


def swatch(entry: LegendEntry, px_to_pt: float) -> DrawingArea:
    """The symbol of an entry, as on the map."""
    da = DrawingArea(SWATCH_W, SWATCH_H, 0, 0, clip=False)
    mid = SWATCH_H / 2
    o = entry.options or {}
    if entry.geometry == "line":
        if entry.casing:
            kw = line_kwargs({**o, **entry.casing, "dashArray": None}, px_to_pt)
            da.add_artist(Line2D([1, SWATCH_W - 1], [mid, mid], solid_capstyle="butt", **kw))
        kw = line_kwargs(o, px_to_pt)
        cap = kw.pop("capstyle", "butt")  # a collection's capstyle is a Line2D's dash/solid capstyle
        da.add_artist(Line2D([1, SWATCH_W - 1], [mid, mid], dash_capstyle=cap, solid_capstyle=cap, **kw))
    elif entry.geometry == "polygon":
        kw = polygon_kwargs(o, px_to_pt)
        kw["linewidth"] = min(kw["linewidth"], 1.4)
        da.add_artist(Rectangle((1.5, 1), SWATCH_W - 3, SWATCH_H - 2, **kw))
        hatch = hatch_kwargs(o)
        if hatch:
            da.add_artist(Rectangle((1.5, 1), SWATCH_W - 3, SWATCH_H - 2, **hatch))
    elif entry.geometry == "point":
        kw = point_kwargs(o, px_to_pt)
        da.add_artist(Line2D([SWATCH_W / 2], [mid], marker="o", **kw))
    return da


def _row(entry: LegendEntry, fontsize: float, px_to_pt: float, n: int) -> OffsetBox:
    label = "\n".join(textwrap.wrap(entry.label, WRAP)) if len(entry.label) > WRAP else entry.label
    text = TextArea(label, textprops={"fontsize": fontsize, "gid": f"legend-{entry.layer_id}-{n}"})
    if not entry.geometry:
        return text
    parts: list[Artist] = []
    if entry.sub:
        parts.append(DrawingArea(INDENT, SWATCH_H, 0, 0))
    parts += [swatch(entry, px_to_pt), text]
    return HPacker(children=parts, align="center", pad=0, sep=4)


def _blocks(entries: Sequence[LegendEntry]) -> list[list[LegendEntry]]:
    """Entries grouped so a layer's heading stays with its sub-entries."""
    blocks: list[list[LegendEntry]] = []
    for e in entries:
        if e.sub and blocks:
            blocks[-1].append(e)
        else:
            blocks.append([e])
    return blocks


def _balanced(blocks: list[list[LegendEntry]], ncols: int) -> list[list[LegendEntry]]:
    """Blocks in order split into at most ``ncols`` columns, the tallest as short as can be."""
    n = len(blocks)
    best: tuple[int, list[list[LegendEntry]]] | None = None

    def split(start: int, cols_left: int, acc: list[list[LegendEntry]]) -> None:
        nonlocal best
        if start == n:
            height = max(len(c) for c in acc)
            if best is None or height < best[0]:
                best = (height, [list(c) for c in acc])
            return
        if cols_left == 0:
            return
        for end in range(start + 1, n + 1):
            col = [e for b in blocks[start:end] for e in b]
            if best is not None and len(col) >= best[0]:
                break
            split(end, cols_left - 1, acc + [col])

    split(0, max(1, ncols), [])
    return best[1] if best else [[e for b in blocks for e in b]]


def legend_box(entries: Sequence[LegendEntry], title: str, fontsize: float, title_size: float,
               px_to_pt: float, ncols: int, title_props: Mapping[str, Any] | None = None) -> OffsetBox:
    """The legend as an offset box: a title over ``ncols`` balanced columns."""
    blocks = _blocks(entries)
    columns = _balanced(blocks, ncols)
    index = {id(e): n for n, e in enumerate(entries)}
    col_boxes: list[Artist] = [VPacker(children=[_row(e, fontsize, px_to_pt, index[id(e)]) for e in col], align="left", pad=0,
                         sep=2.2) for col in columns if col]
    body = HPacker(children=col_boxes, align="top", pad=0, sep=16)
    props = {"weight": "bold", **(title_props or {})}
    head = TextArea(title, textprops={"fontsize": title_size, "gid": "legend-title", **props})
    return VPacker(children=[head, body], align="left", pad=0, sep=4)


def anchored(box: OffsetBox, x: float, y: float, transform: Any) -> AnchoredOffsetbox:
    """``box`` with its upper-left corner at (x, y) in ``transform``'s coordinates."""
    a = AnchoredOffsetbox(loc="upper left", child=box, pad=0, borderpad=0, frameon=False,
                          bbox_to_anchor=(x, y), bbox_transform=transform)
    a.set_gid("legend")
    return a
