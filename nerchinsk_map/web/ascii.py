"""The page as pure ASCII: every other character written as an escape its context reads back.

A browser decodes a document that is all ASCII on its fast path (8-bit strings); a single Cyrillic
or Chinese character in a stretch of the page makes it decode and tokenise that stretch as
16-bit text. On a phone (Chromium, CPU slowed 4x) decoding this map's ~850 kB took ~50 ms with
its ~8,000 Russian and Chinese characters written as UTF-8, ~20 ms with them escaped
(``docs/guide/performance.md``). Each character is escaped in the way its context reads it:

- in a ``<script>`` (the page's code, and its JSON data blocks): ``\\uXXXX`` (a surrogate pair
  beyond the Basic Multilingual Plane), which JavaScript reads the same in strings, template
  literals, regular expressions, comments and identifiers, and JSON in strings;
- in a ``<style>``: a CSS escape, ``\\XXXX`` and one space (which the escape consumes);
- anywhere else (text, attribute values, the title, the note for readers without scripts):
  an HTML character reference ``&#xXXXX;``.
"""

from __future__ import annotations

import re

# tag names in any case, but the class of characters to escape case-sensitively: under IGNORECASE
# [^\x00-\x7f] would skip the characters that fold to ASCII (U+0130 I with dot, U+212A Kelvin...)
_RAW = re.compile(r"((?i:<script\b)[^>]*>)(.*?)((?i:</script>))|((?i:<style\b)[^>]*>)(.*?)((?i:</style>))"
                  r"|([^\x00-\x7f]+)", re.DOTALL)
_WIDE = re.compile(r"[^\x00-\x7f]")


def js_escape(text: str) -> str:
    r"""``text`` with every non-ASCII character as a JavaScript (and JSON) ``\u`` escape.

    Examples
    --------
    >>> js_escape('"Нерчинск", 尼布楚')
    '"\\u041d\\u0435\\u0440\\u0447\\u0438\\u043d\\u0441\\u043a", \\u5c3c\\u5e03\\u695a'
    >>> js_escape("𠀋")  # beyond the BMP: a surrogate pair
    '\\ud840\\udc0b'
    """
    def one(m: re.Match[str]) -> str:
        code = ord(m.group(0))
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _WIDE.sub(one, text)


def css_escape(text: str) -> str:
    r"""``text`` with every non-ASCII character as a CSS escape (hex digits and one space).

    Examples
    --------
    >>> css_escape('content: "▾ "')
    'content: "\\25be  "'
    """
    return _WIDE.sub(lambda m: f"\\{ord(m.group(0)):x} ", text)


def html_escape(text: str) -> str:
    """``text`` with every non-ASCII character as an HTML character reference.

    Examples
    --------
    >>> html_escape("Нерчинск")
    '&#x41d;&#x435;&#x440;&#x447;&#x438;&#x43d;&#x441;&#x43a;'
    """
    return _WIDE.sub(lambda m: f"&#x{ord(m.group(0)):x};", text)


def ascii_page(page: str) -> str:
    """The HTML ``page`` written in ASCII only, each character escaped for its context (see the
    module's docstring); a browser reads the same document.

    Examples
    --------
    >>> ascii_page('<title>Нерчинск</title><style>a::before{content:"▸"}</style>'
    ...            '<script>var t = "尼布楚";</script>')
    '<title>&#x41d;&#x435;&#x440;&#x447;&#x438;&#x43d;&#x441;&#x43a;</title><style>a::before{content:"\\\\25b8 "}</style><script>var t = "\\\\u5c3c\\\\u5e03\\\\u695a";</script>'
    >>> ascii_page("<p>İstanbul, 3 \u212a</p>")  # letters that fold to ASCII are escaped too
    '<p>&#x130;stanbul, 3 &#x212a;</p>'
    """
    def part(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return html_escape(m.group(1)) + js_escape(m.group(2)) + m.group(3)
        if m.group(4) is not None:
            return html_escape(m.group(4)) + css_escape(m.group(5)) + m.group(6)
        return html_escape(m.group(7))

    return _RAW.sub(part, page)
