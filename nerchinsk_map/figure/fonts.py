"""Fonts with real Cyrillic and Chinese glyphs: find them, and refuse to draw boxes."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from matplotlib import font_manager

from ..errors import NerchinskMapError

APT_HINT = (
    "install Debian's fonts-noto-core and fonts-wqy-microhei "
    "(apt-get install fonts-noto-core fonts-wqy-microhei; fonts-noto-cjk works too)"
)

_refreshed = False


def _entries(family: str) -> list[font_manager.FontEntry]:
    return [f for f in font_manager.fontManager.ttflist if f.name == family]


def _refresh() -> None:
    """Teach matplotlib the system fonts installed after its font cache was written."""
    global _refreshed
    if _refreshed:
        return
    _refreshed = True
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in sorted(font_manager.findSystemFonts()):
        if path not in known:
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # an unreadable font file is not ours to report
                continue


def first_installed(families: Sequence[str]) -> str | None:
    """The first of ``families`` that matplotlib can use. Fonts installed after matplotlib wrote
    its font cache are picked up: a missing preferred family triggers one scan of the system."""
    if families and not _entries(families[0]):
        _refresh()
    return next((family for family in families if _entries(family)), None)


def font_chain(text_families: Sequence[str], cjk_families: Sequence[str]) -> list[str]:
    """The ``font.family`` list: a Latin/Cyrillic text font, then a CJK font if one is installed."""
    chain = [f for f in (first_installed(text_families), first_installed(cjk_families)) if f]
    if not chain:
        raise NerchinskMapError(f"no usable font found (tried {', '.join(text_families)}); {APT_HINT}")
    return chain


def _regular(family: str) -> font_manager.FontEntry:
    entries = _entries(family)
    return min(entries, key=lambda f: (f.style != "normal", abs(int(f.weight) - 400) if str(f.weight).isdigit() else 0, f.fname))


@lru_cache(maxsize=32)
def _cmap(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@lru_cache(maxsize=32)
def is_cff(family: str) -> bool:
    """Whether a family's regular face has PostScript (CFF) outlines rather than TrueType ones."""
    from fontTools.ttLib import TTFont

    entry = _regular(family)
    with TTFont(entry.fname, fontNumber=getattr(entry, "index", 0), lazy=True) as font:
        return "CFF " in font or "CFF2" in font


def check_glyphs(texts: Iterable[str], chain: Sequence[str], lang: str) -> None:
    """Raise :class:`NerchinskMapError` if a character of ``texts`` is in none of the fonts."""
    covered: set[int] = set()
    for family in chain:
        entry = _regular(family)
        covered |= _cmap(entry.fname, getattr(entry, "index", 0))
    missing: dict[str, str] = {}
    for text in texts:
        for ch in text:
            if ch.isspace() or unicodedata.category(ch).startswith("C"):
                continue
            if ord(ch) not in covered and ch not in missing:
                missing[ch] = text
    if missing:
        ch, text = next(iter(missing.items()))
        raise NerchinskMapError(
            f"no installed font has the glyph {ch!r} (U+{ord(ch):04X}) of the {lang} label {text!r} "
            f"(fonts tried: {', '.join(chain)}); {APT_HINT}"
        )
