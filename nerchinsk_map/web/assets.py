"""Offline assets: Leaflet from the installed ``xstatic-leaflet`` package and the page's own
script and styles, inlined so that the HTML works with no network at all."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

import rcssmin
import rjsmin
from branca.element import Figure
from markupsafe import Markup

from .render import Literal
from .templating import template

STATIC = Path(__file__).resolve().parent / "static"
SCRIPT_DIR = STATIC / "js"
# Leaflet's VML fallback for Internet Explorer 6-8: an obsolete ``behavior`` property that HTML
# checkers flag and no browser the map supports reads.
VML_RULE = re.compile(r"behavior\s*:[^;}]*;?")


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


def page_script() -> str:
    """The page's own script: the modules listed in ``static/js/manifest.json``, concatenated in
    that order inside one closure, so that a module sees what the earlier ones declare."""
    import json

    manifest = json.loads((SCRIPT_DIR / "manifest.json").read_text(encoding="utf-8"))
    parts = [
        _script_safe((SCRIPT_DIR / name).read_text(encoding="utf-8"), name) for name in manifest["modules"]
    ]
    return '(function (global) {\n"use strict";\n' + "\n".join(parts) + "})(window);\n"


@lru_cache(maxsize=1)
def inline_assets() -> dict[str, str]:
    """Leaflet's JS and CSS and the project's own, as text ready to inline.

    The project's script and styles lose their comments and spare whitespace (``rjsmin`` and
    ``rcssmin``, which keep the code's tokens as written: about 50 kB less page); Leaflet's
    files are inlined as it ships them (its script is already minified).
    """
    leaflet = _leaflet_dir()
    return {
        "leaflet_css": _script_safe(
            VML_RULE.sub("", _inline_images((leaflet / "leaflet.css").read_text(encoding="utf-8"), leaflet)),
            "leaflet.css",
        ),
        "leaflet_js": _script_safe((leaflet / "leaflet.js").read_text(encoding="utf-8"), "leaflet.js"),
        "own_css": rcssmin.cssmin(_script_safe((STATIC / "nerchinsk.css").read_text(encoding="utf-8"), "nerchinsk.css")),
        "own_js": rjsmin.jsmin(page_script()),
    }


OFFLINE_STYLES = template("<style>{{ a.leaflet_css }}</style>\n<style>{{ a.own_css }}</style>\n")
OFFLINE_SCRIPTS = template("<script>{{ a.leaflet_js }}</script>\n<script>{{ a.own_js }}</script>\n")


def offline_assets(part: str = "styles") -> Literal:
    """Leaflet's and the page's own styles (``part="styles"``, for the <head>) or code
    (``"scripts"``, in the body after the picture painted before them: see :mod:`.prepaint`).
    The files are the project's and Leaflet's own (checked for closing tags), hence ``Markup``."""
    trusted = {key: Markup(text) for key, text in inline_assets().items()}
    return Literal((OFFLINE_STYLES if part == "styles" else OFFLINE_SCRIPTS).render(a=trusted))


def install(figure: Figure) -> None:
    """Add the inlined styles as the first thing in the figure's header and the scripts as the
    first thing in its body (the map's element and script follow them)."""
    figure.header.add_child(offline_assets("styles"), name="nerchinsk_offline_assets", index=0)
    figure.html.add_child(offline_assets("scripts"), name="nerchinsk_offline_scripts", index=0)


@lru_cache(maxsize=1)
def messages() -> dict:
    """The message catalog: the page's words in Russian and Chinese, keyed by the English."""
    import json

    return json.loads((STATIC / "messages.json").read_text(encoding="utf-8"))
