"""Embed subset fonts in an SVG figure, so that its labels stay text and still look the same
on a machine without the fonts: one ``@font-face`` per family and face used (regular, italic,
bold...), with only the glyphs set in that face."""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from matplotlib import font_manager

from .fonts import _entries, _regular

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


Face = tuple[str, int]  # (font-style, font-weight) as the SVG's text styles name them


def face_of(style: str, weight: str | int) -> Face:
    """A text's face: ``normal``/``italic`` and a CSS weight (matplotlib's names as numbers)."""
    weights = {"ultralight": 200, "light": 300, "normal": 400, "regular": 400, "book": 400,
               "medium": 500, "roman": 400, "semibold": 600, "demibold": 600, "demi": 600,
               "bold": 700, "heavy": 800, "extra bold": 800, "black": 900}
    number = int(weight) if str(weight).isdigit() else weights.get(str(weight).lower(), 400)
    return ("italic" if style in ("italic", "oblique") else "normal", number)


def _face_entry(family: str, face: Face) -> font_manager.FontEntry | None:
    """The installed file of ``family`` in ``face`` (nearest weight), or None when the family
    has no such style (a CJK font without italics: the renderer slants it, as the PDF does)."""
    style, weight = face
    entries = [e for e in _entries(family) if (e.style != "normal") == (style == "italic")]
    if not entries:
        return None if style == "italic" else _regular(family)
    return min(entries, key=lambda e: (abs((int(e.weight) if str(e.weight).isdigit() else 400)
                                           - weight), e.fname))


def font_face_css(families: Sequence[str], texts: Mapping[Face, Iterable[str]]) -> str:
    """``@font-face`` rules embedding, for each family and each face the texts use (regular,
    italic, bold...), the glyphs of those texts that the face has."""
    rules = []
    for family in families:
        for face in sorted(texts):
            entry = _face_entry(family, face)
            if entry is None:
                continue
            used = "".join(sorted(set("".join(texts[face])) | {" "}))
            data = subset_font(entry.fname, getattr(entry, "index", 0) or 0, used)
            encoded = base64.b64encode(data).decode("ascii")
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-style: {face[0]}; '
                f"font-weight: {face[1]}; "
                f'src: url(data:font/woff;base64,{encoded}) format("woff"); }}'
            )
    return "\n".join(rules)


def embed(svg_path: Path, families: Sequence[str], texts: Mapping[Face, Iterable[str]]) -> None:
    """Insert the subset fonts as a ``<style>`` right after the SVG's opening tag."""
    svg = svg_path.read_text(encoding="utf-8")
    css = font_face_css(families, texts)
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    style = f'\n <defs>\n  <style type="text/css"><![CDATA[\n{css}\n]]></style>\n </defs>'
    svg_path.write_text(svg[:end] + style + svg[end:], encoding="utf-8")
