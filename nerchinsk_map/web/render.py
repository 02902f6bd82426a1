"""The page's one render pass: every element's macros run once, and what they write is put in
the page as literal text that is never compiled again.

branca's ``MacroElement.render`` hands each macro's *output* to ``branca.Element(...)``, whose
constructor compiles it as a Jinja template: a value such as ``{{ 7*7 }}`` that a macro wrote
through ``tojson`` would then be evaluated (a crafted one runs Python). The project's own
elements (:class:`SafeRender`) put the output into :class:`Literal` elements instead, and every
template of theirs comes from the sandbox of :mod:`.templating`; :func:`check_tree` proves a page
holds nothing else. Elements that a user adds to a map with folium itself (say a
``folium.GeoJson`` in a notebook) are rendered inside :func:`literal_output`, which has
branca's and folium's ``Element(text)`` calls make :class:`Literal` elements too.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from typing import Any

import branca.element
import folium
import folium.features
import folium.map
from branca.element import Element, Figure
from folium.map import Layer
from folium.raster_layers import TileLayer

from .templating import ENV, template

PARTS = ("header", "html", "script")


class Literal(Element):
    """Text placed in the page as it is (``branca.Element(text)`` would compile it)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Literal"
        self.text = str(text)

    def render(self, **kwargs: Any) -> str:
        return self.text


_ELEMENT = branca.element.Element
_PATCHED_MODULES = (branca.element, folium.map, folium.features)  # where render() calls Element(text)
_LOCK = threading.RLock()


def _literal_element(template: str | None = None, template_name: str | None = None) -> Element:
    """``Element(text)`` as a :class:`Literal` (the text is output, not a template)."""
    if template is not None:
        return Literal(template)
    return _ELEMENT(template_name=template_name)


@contextlib.contextmanager
def literal_output() -> Iterator[None]:
    """While rendering, make branca's and folium's ``Element(text)`` calls (which wrap a
    macro's rendered output) create :class:`Literal` elements instead of compiling the text.
    Renders are serialised by a lock while the names are swapped."""
    with _LOCK:
        saved = [(module, module.Element) for module in _PATCHED_MODULES]
        for module, _ in saved:
            module.Element = _literal_element
        try:
            yield
        finally:
            for module, original in saved:
                module.Element = original


class SafeRender:
    """Mixin for every element of the page: render the element's macros (``header``,
    ``html``, ``script``) into :class:`Literal` parts of the page, then its children.
    A folium ``Layer`` that is shown is added to its parent, as folium does."""

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered inside a page")
        module = self._template.module
        for part in PARTS:
            macro = getattr(module, part, None)
            if macro is not None:
                getattr(figure, part).add_child(Literal(macro(self, kwargs)), name=self.get_name())
        for child in list(self._children.values()):
            child.render(**kwargs)
        if isinstance(self, Layer) and self.show:
            figure.script.add_child(
                Literal(f"{self.get_name()}.addTo({self._parent.get_name()});"), name=self.get_name() + "_add"
            )


class SafeMacro(SafeRender, folium.MacroElement):
    """A macro element of the page's own (its ``_template`` from :func:`.templating.template`)."""


class SafeLayer(SafeRender, Layer):
    """A folium ``Layer`` of the page's own."""


class SafeMap(SafeRender, folium.Map):
    """``folium.Map`` with folium's template re-made in the sandbox (scale bar, zoom buttons
    and front-most objects are left out: the page draws its own controls)."""

    _template = template(
        """
        {% macro header(this, kwargs) %}
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <style>
                #{{ this.get_name() }} {
                    position: {{ this.position }};
                    width: {{ this.width[0] }}{{ this.width[1] }};
                    height: {{ this.height[0] }}{{ this.height[1] }};
                    left: {{ this.left[0] }}{{ this.left[1] }};
                    top: {{ this.top[0] }}{{ this.top[1] }};
                }
                .leaflet-container { font-size: {{ this.font_size }}; }
                html, body { width: 100%; height: 100%; margin: 0; padding: 0; }
                #map { position: absolute; top: 0; bottom: 0; right: 0; left: 0; }
            </style>
            <script>
                L_NO_TOUCH = {{ this.global_switches.no_touch|tojson }};
                L_DISABLE_3D = {{ this.global_switches.disable_3d|tojson }};
            </script>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map" id="{{ this.get_name() }}"></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS[{{ this.crs|tojson }}],
                    ...{{ this.options|tojavascript }}
                }
            );
            window[{{ this.get_name()|tojson }}] = {{ this.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.default_js = []  # folium's CDN links: the page inlines its assets
        self.default_css = []


def html_text(text: str) -> str:
    """``text`` safe to show as HTML (Leaflet shows attributions with ``innerHTML``): markup is
    escaped, character references such as ``&copy;`` are kept (the message catalog's keys)."""
    text = re.sub(r"&(?!#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")


class SafeTileLayer(SafeRender, TileLayer):
    """``folium.TileLayer`` re-made in the sandbox, its attribution reduced to text (see
    :func:`html_text`), made by the page's ``NerchinskMap.tileLayer`` (added to the map after
    its first frame, ``static/js/prepaint.js``)."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = NerchinskMap.tileLayer(
                {{ this.tiles|tojson }},
                {{ this.options|tojavascript }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.options.get("attribution"):
            self.options["attribution"] = html_text(str(self.options["attribution"]))


def walk(element: Element) -> Iterator[Element]:
    """``element`` and every element under it, in tree order."""
    yield element
    for child in element._children.values():
        yield from walk(child)


def check_tree(figure: Figure) -> None:
    """Raise ``TypeError`` unless every element of the page renders safely: a
    :class:`SafeRender` element whose template comes from the sandbox, a :class:`Literal`,
    or one of the figure's own three parts."""
    for part in PARTS:
        for child in getattr(figure, part)._children.values():
            if not isinstance(child, Literal):
                raise TypeError(f"page {part}: {type(child).__name__} is not a Literal")
    for element in list(walk(figure))[1:]:
        if isinstance(element, Literal):
            continue
        if not isinstance(element, SafeRender):
            raise TypeError(f"{type(element).__name__} does not render safely (use render.SafeMacro)")
        if element._template.environment is not ENV:
            raise TypeError(f"{type(element).__name__}'s template is not from templating.template()")
