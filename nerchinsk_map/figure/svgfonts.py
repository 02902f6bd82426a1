"""Embed subset fonts in an SVG figure, so that its labels stay text and still look the same
on a machine without the fonts: one ``@font-face`` per family, with only the glyphs used."""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from .fonts import _regular


logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # it lists the tables it drops


def subset_font(path: str, index: int, text: str) -> bytes:
    """A WOFF subset of one font face holding the glyphs for ``text`` (deterministic bytes)."""
    font = TTFont(path, fontNumber=index, recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def font_face_css(families: Sequence[str], texts: Iterable[str]) -> str:
    """``@font-face`` rules embedding, for each family, the glyphs of ``texts`` it has."""
    used = "".join(sorted(set("".join(texts)) | {" "}))
    rules = []
    for family in families:
        entry = _regular(family)
        data = subset_font(entry.fname, getattr(entry, "index", 0) or 0, used)
        encoded = base64.b64encode(data).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{family}"; src: url(data:font/woff;base64,{encoded}) format("woff"); }}')
    return "\n".join(rules)


def embed(svg_path: Path, families: Sequence[str], texts: Iterable[str]) -> None:
    """Insert the subset fonts as a ``<style>`` right after the SVG's opening tag."""
    svg = svg_path.read_text(encoding="utf-8")
    css = font_face_css(families, texts)
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    style = f'\n <defs>\n  <style type="text/css"><![CDATA[\n{css}\n]]></style>\n </defs>'
    svg_path.write_text(svg[:end] + style + svg[end:], encoding="utf-8")
