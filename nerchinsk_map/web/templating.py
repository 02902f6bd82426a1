"""The page's Jinja templates, compiled once from the project's own source in a sandbox.

Text from data (values, keys, file names, catalog fields) is never part of a template's source:
it reaches a template only as a variable, serialised by ``tojson`` (JSON that is safe inside
``<script>``: ``<``, ``>``, ``&`` and ``'`` are escaped) or ``tojs`` (the same JSON read by
``JSON.parse``, so that a key such as ``__proto__`` stays a key). The environment is Jinja's
``SandboxedEnvironment`` with autoescape on, a second wall should a value ever be printed bare.
``tojson`` writes UTF-8 text instead of ``\\uXXXX`` escapes (a Russian or Chinese word costs
2–3 bytes, not 6 per letter)."""

from __future__ import annotations

from typing import Any

from folium.template import tojavascript
from jinja2 import Template
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup


class PageEnvironment(SandboxedEnvironment):
    """The sandbox, which also lets a macro name its element's parent (``this._parent``),
    as every branca/folium macro does; other underscore attributes stay forbidden."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return attr == "_parent" or super().is_safe_attribute(obj, attr, value)


ENV = PageEnvironment(autoescape=True)
JSON_KWARGS: dict[str, Any] = {"sort_keys": True, "ensure_ascii": False}
ENV.policies["json.dumps_kwargs"] = JSON_KWARGS


def tojs(value: Any) -> Markup:
    """``value`` as a JavaScript expression that builds it with ``JSON.parse``: every key,
    including ``__proto__``, becomes an own property (an object literal would set the prototype)."""
    json_text = str(htmlsafe_json_dumps(value, **JSON_KWARGS))  # no < > & ' left
    return Markup("JSON.parse('" + json_text.replace("\\", "\\\\") + "')")


ENV.filters["tojs"] = tojs


def toblock(value: Any) -> Markup:
    """``value`` as compact JSON for a ``<script type="application/json">`` block: no spaces
    after separators, and safe inside the element like ``tojson`` (``<``, ``>``, ``&``, ``'``
    escaped)."""
    return htmlsafe_json_dumps(value, **JSON_KWARGS, separators=(",", ":"))


ENV.filters["toblock"] = toblock
ENV.filters["tojavascript"] = lambda value: Markup(tojavascript(value))  # folium's, for its options


def template(source: str) -> Template:
    """A sandboxed, autoescaping template of the page's own source (never of data)."""
    return ENV.from_string(source)
