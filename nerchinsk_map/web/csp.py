"""The page's Content-Security-Policy, computed from the finished HTML: only the page's own
inline scripts and styles run (by their SHA-256 hashes), images come from ``data:`` URLs and
the tile hosts, nothing else is fetched or sent. A second wall should an escape ever be missed."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..errors import NerchinskMapError

INLINE = re.compile(r"<(script|style)(\s[^>]*)?>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
DATA_BLOCK = re.compile(r'\stype="application/(json|x-nm-deflate)"', re.IGNORECASE)  # data, never run: no hash
TEMPLATE_PART = re.compile(r"\{[^{}]*\}")  # {s}, {z}, {x}, {y} in a tile URL
HOST_SOURCE = re.compile(r"https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d+)?")
CHARSET = '<meta charset="utf-8">'


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def tile_source(url: str) -> str:
    """The CSP source of a tile URL template: ``https://{s}.tile.example.org/{z}/{x}/{y}.png``
    gives ``https://*.tile.example.org``."""
    parts = urlsplit(url)
    host = TEMPLATE_PART.sub("*", parts.netloc)
    source = f"{parts.scheme}://{host}"
    if not HOST_SOURCE.fullmatch(source):
        raise NerchinskMapError(f"tile URL {url!r}: expected https://host/…/{{z}}/{{x}}/{{y}}")
    return source


def policy(page: str, tile_urls: Iterable[str] = ()) -> str:
    """The policy for ``page`` (the finished HTML): hashes of its inline scripts and styles."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, attributes, body in INLINE.findall(page):
        if kind.lower() == "script" and DATA_BLOCK.search(attributes or ""):
            continue
        hashes[kind.lower()].append(_hash(body))
    images = ["data:", *dict.fromkeys(tile_source(u) for u in tile_urls)]
    directives = [
        "default-src 'none'",
        "script-src " + (" ".join(dict.fromkeys(hashes["script"])) or "'none'"),
        "style-src " + (" ".join(dict.fromkeys(hashes["style"])) or "'none'"),
        "img-src " + " ".join(images),
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


def with_policy(page: str, tile_urls: Iterable[str] = ()) -> str:
    """``page`` with its policy in a ``<meta>`` right after the charset, before any script,
    style or image (the charset stays first: it must fall in the first 1024 bytes)."""
    page = page.replace("\r\n", "\n").replace("\r", "\n")  # what the browser hashes
    if CHARSET not in page:
        raise ValueError("the page has no charset <meta> to put the policy after")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy(page, tile_urls), quote=False)}">'
    return page.replace(CHARSET, CHARSET + "\n" + meta, 1)
