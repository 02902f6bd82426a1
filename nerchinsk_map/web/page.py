"""The HTML page around the map: a branca Figure with a language and an escaped title."""

from __future__ import annotations

from branca.element import Figure

from .templating import template


class PageFigure(Figure):
    """A full-window page whose ``<html>`` names its language."""

    _template = template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang|e }}">\n'
        "<head>\n"
        "<title>{{ this.title|e }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "<script>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, title: str, lang: str = "en"):
        super().__init__(title=title)
        self.lang = lang
