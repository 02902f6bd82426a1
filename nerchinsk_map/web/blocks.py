"""The page's data blocks: JSON in ``<script>`` elements that the browser never runs, parsed by
the page script when first asked for (``static/js/decode.js``).

The layers are plain JSON (``type="application/json"``); what the opening view never reads
(the other languages' words and texts, the reader's panel) is *deflated*: the JSON's UTF-8 compressed with raw DEFLATE (zlib, level 6) and written in base64
(``type="application/x-nm-deflate"``, its length in ``data-size``), which the page inflates
synchronously (``static/js/inflate.js``). Compression is deterministic, so the same data give
the same page; base64 is ASCII, so the page holds few non-ASCII characters left to decode.
Layers stay plain: every layer is built at start, and inflating them there in JavaScript cost
more time on a throttled phone than the smaller page saved."""

from __future__ import annotations

import base64
import html
import zlib
from typing import Any

from markupsafe import Markup

from .templating import toblock

JSON_TYPE = "application/json"
DEFLATED_TYPE = "application/x-nm-deflate"


def deflate(data: bytes) -> bytes:
    """``data`` compressed as raw DEFLATE (no zlib header), the same bytes every time.

    Examples
    --------
    >>> import zlib
    >>> packed = deflate(b"nerchinsk " * 100)
    >>> len(packed) < 30, zlib.decompress(packed, wbits=-15) == b"nerchinsk " * 100
    (True, True)
    """
    packer = zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)  # zlib's defaults: level 9 is 8x slower for 0.3 % less
    return packer.compress(data) + packer.flush()


def data_block(block_id: str, value: Any, deflated: bool = False) -> Markup:
    """The ``<script>`` element holding ``value``: compact JSON that is safe inside the element
    (no ``<``, ``>``, ``&`` or ``'``), or that JSON deflated in base64 when ``deflated``.

    Examples
    --------
    >>> print(data_block("nm-x", {"a": "<b>"}))
    <script type="application/json" id="nm-x">{"a":"\\u003cb\\u003e"}</script>
    >>> print(data_block("nm-x", {"a": 1}, deflated=True))
    <script type="application/x-nm-deflate" id="nm-x" data-size="7">q1ZKVLIyrAUA</script>
    """
    text = str(toblock(value))
    ident = html.escape(block_id)
    if not deflated:
        return Markup(f'<script type="{JSON_TYPE}" id="{ident}">{text}</script>')
    raw = text.encode("utf-8")
    packed = base64.b64encode(deflate(raw)).decode("ascii")
    return Markup(f'<script type="{DEFLATED_TYPE}" id="{ident}" data-size="{len(raw)}">{packed}</script>')


def read_block(element_type: str, body: str) -> Any:
    """The value of a block read back from the page (its ``type`` and its text).

    Examples
    --------
    >>> read_block(DEFLATED_TYPE, "q1ZKVLIyrAUA")
    {'a': 1}
    """
    import json

    if element_type == DEFLATED_TYPE:
        body = zlib.decompress(base64.b64decode(body), wbits=-15).decode("utf-8")
    return json.loads(body)
