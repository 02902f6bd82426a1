"""Offline assets: Leaflet from the installed ``xstatic-leaflet`` package and the page's own
script and styles, inlined so that the HTML works with no network at all."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from branca.element import Element, Figure

from .templating import template

STATIC = Path(__file__).resolve().parent / "static"


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as xleaflet

    return Path(xleaflet.BASE_DIR)


def _inline_images(css: str, base: Path) -> str:
    """Replace ``url(images/x.png)`` with data URIs so the CSS needs no other file."""

    def repl(match: re.Match[str]) -> str:
        ref = match.group(1).strip("'\"")
        path = base / ref
        if ref.startswith("data:") or not path.is_file():
            return match.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\(([^)]+)\)", repl, css)


def _script_safe(text: str, what: str) -> str:
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"{what} contains a closing script/style tag and cannot be inlined")
    return text


@lru_cache(maxsize=1)
def inline_assets() -> dict[str, str]:
    """Leaflet's JS and CSS and the project's own, as text ready to inline."""
    leaflet = _leaflet_dir()
    return {
        "leaflet_css": _script_safe(
            _inline_images((leaflet / "leaflet.css").read_text(encoding="utf-8"), leaflet), "leaflet.css"
        ),
        "leaflet_js": _script_safe((leaflet / "leaflet.js").read_text(encoding="utf-8"), "leaflet.js"),
        "own_css": _script_safe((STATIC / "nerchinsk.css").read_text(encoding="utf-8"), "nerchinsk.css"),
        "own_js": _script_safe((STATIC / "nerchinsk.js").read_text(encoding="utf-8"), "nerchinsk.js"),
        "dates_js": _script_safe((STATIC / "dates.js").read_text(encoding="utf-8"), "dates.js"),
    }


class OfflineAssets(Element):
    """Put Leaflet and the page's own code in the page's <head>, replacing folium's CDN links."""

    _template = template(
        "<style>{{ a.leaflet_css }}</style>\n<style>{{ a.own_css }}</style>\n"
        "<script>{{ a.leaflet_js }}</script>\n<script>{{ a.own_js }}</script>\n<script>{{ a.dates_js }}</script>\n"
    )

    def render(self, **kwargs: object) -> str:
        return self._template.render(a=inline_assets())


def install(figure: Figure) -> None:
    """Add the inlined assets as the first thing in the figure's header."""
    figure.header.add_child(OfflineAssets(), name="nerchinsk_offline_assets", index=0)


@lru_cache(maxsize=1)
def messages() -> dict:
    """The message catalog: the page's words in Russian and Chinese, keyed by the English."""
    import json

    return json.loads((STATIC / "messages.json").read_text(encoding="utf-8"))
