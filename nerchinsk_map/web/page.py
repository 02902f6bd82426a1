"""The HTML page around the map: a branca Figure with a language and an escaped title,
rendered by the page's own pass (:mod:`.render`): its parts are literal text, never compiled."""

from __future__ import annotations

from typing import Any

from branca.element import Figure
from markupsafe import Markup

from .render import PARTS, Literal, literal_output
from .templating import template


class PageFigure(Figure):
    """A full-window page whose ``<html>`` names its language; the script closes the body. It
    runs once the first frame (the picture of :mod:`.prepaint`) is painted."""

    _template = template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ lang }}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "<title>{{ title }}</title>\n"
        "    {{ header }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ html }}\n"
        "<script>\n"
        "NerchinskMap.afterFirstPaint(function () {\n"
        "    {{ script }}\n"
        "});\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, title: str, lang: str = "en"):
        super().__init__(title=title)
        self.header._children.pop("meta_http", None)  # branca's charset meta: the page writes its own
        self.lang = lang

    def render(self, **kwargs: Any) -> str:
        """The page: every element's macros rendered once into literal parts, then assembled.
        Elements added with folium itself are rendered with :func:`.render.literal_output`."""
        with literal_output():
            for child in list(self._children.values()):
                child.render(**kwargs)
            parts = {
                part: Markup("\n".join(c.render() for c in getattr(self, part)._children.values()))
                for part in PARTS
            }
        return self._template.render(lang=self.lang, title=self.title, **parts)

    def add_literal(self, part: str, text: str, name: str, index: int | None = None) -> None:
        """Put the page's own ``text`` in its ``header``, ``html`` or ``script`` part."""
        getattr(self, part).add_child(Literal(text), name=name, index=index)
