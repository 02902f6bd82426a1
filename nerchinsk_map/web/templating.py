"""The page's Jinja templates: like ``jinja2.Template``, but ``tojson`` writes UTF-8 text
instead of ``\\uXXXX`` escapes (a Russian or Chinese word costs 2–3 bytes, not 6 per letter);
``<``, ``>``, ``&`` and ``'`` are still escaped, so the JSON stays safe inside ``<script>``."""

from __future__ import annotations

from jinja2 import Environment, Template

ENV = Environment()
ENV.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}


def template(source: str) -> Template:
    """A template whose ``tojson`` keeps non-ASCII text as it is."""
    return ENV.from_string(source)
