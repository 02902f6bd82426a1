"""One way in for every file the tool reads: a regular file of bounded size, and strict JSON.

Every input (readings, catalogs, translation files, layer files, an export folder's
``METADATA.json``, the basin cache) is opened here. A FIFO, a device, a socket or a folder is
refused *before* it is opened (opening a FIFO for reading would block for ever, ``/dev/zero``
never ends); a file larger than its limit is refused before it is read; JSON is parsed strictly:
the literals ``NaN``, ``Infinity`` and ``-Infinity`` (which Python's ``json`` accepts but JSON
does not), integers longer than :data:`MAX_INT_DIGITS` digits, lone UTF-16 surrogates
(``"\\ud800"``, which no UTF-8 file or page can hold) and nesting too deep for the parser are
refused, naming the file and the line and column or the place in the JSON.

Every refusal is an ``error`` (by default :class:`~nerchinsk_map.errors.InputFileError`) with a
one-line message, so the command line prints it and exits 2.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "ok.json").write_text('{"a": [1, 2.5, "x"]}', encoding="utf-8")
20
>>> read_json(folder / "ok.json")
{'a': [1, 2.5, 'x']}
>>> (folder / "nan.json").write_text('{"precision_km": NaN}', encoding="utf-8")
21
>>> read_json(folder / "nan.json")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
nerchinsk_map.errors.InputFileError: ...nan.json: line 1, column 18: NaN is not a number...
>>> read_json(folder)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
nerchinsk_map.errors.InputFileError: ...: is a folder, not a regular file
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

from ..errors import InputFileError, NerchinskMapError

MB = 1024 * 1024
#: Size limits by kind of input, in bytes (stated in the README).
LIMITS: dict[str, int] = {
    "reading": 5 * MB,
    "catalog": 5 * MB,
    "translations": 20 * MB,
    "metadata": 20 * MB,
    "layer": 512 * MB,
    "cache": 256 * MB,
}
MAX_INT_DIGITS = 300  # longer integers are refused (float range ends near 1e308)

_SPECIAL = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")
# a parsed string can hold a lone surrogate only if the text holds one or escapes one (``\\uD800`` to
# ``\\uDFFF``): a text with neither needs no walk through the parsed value
_SURROGATE_IN_TEXT = re.compile(r"[\ud800-\udfff]|\\u[dD][89a-fA-F]")


def check_regular(path: str | Path, kind: str = "layer", error: type[NerchinskMapError] = InputFileError) -> Path:
    """``path`` if it is a regular file within the size limit of ``kind``; otherwise raise ``error``.

    A symbolic link is followed; what it points to must be a regular file. Nothing is opened.

    Examples
    --------
    >>> check_regular("/dev/zero")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nerchinsk_map.errors.InputFileError: /dev/zero: is a character device, not a regular file
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except NotADirectoryError:
        raise error(f"{path}: file not found (a part of the path is not a folder)") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from None
    for test, what in _SPECIAL:
        if test(st.st_mode):
            raise error(f"{path}: is {what}, not a regular file")
    limit = LIMITS.get(kind, LIMITS["layer"])
    if st.st_size > limit:
        raise error(
            f"{path}: {st.st_size / MB:.1f} MB, more than the {limit // MB} MB a {kind} file may have"
        )
    return path


def read_bytes(path: str | Path, kind: str = "layer", error: type[NerchinskMapError] = InputFileError) -> bytes:
    """The bytes of a regular file within its size limit (read with a bound, in case it grows)."""
    path = check_regular(path, kind, error)
    limit = LIMITS.get(kind, LIMITS["layer"])
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check
                raise error(f"{path}: is not a regular file")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise error(f"{path}: more than the {limit // MB} MB a {kind} file may have")
    return data


def read_text(path: str | Path, kind: str = "layer", error: type[NerchinskMapError] = InputFileError) -> str:
    """The UTF-8 text of a regular file within its size limit (a byte-order mark is dropped)."""
    data = read_bytes(path, kind, error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{path}: line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from None


def _position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number (JSON has no NaN or Infinity)")


def _int(token: str) -> int:
    if len(token.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(token.lstrip('-'))} digits (at most {MAX_INT_DIGITS})")
    return int(token)


def _float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise ValueError(f"the number {token[:20]} is too large for a float")
    return value


def loads(text: str, origin: str = "JSON", error: type[NerchinskMapError] = InputFileError) -> Any:
    """Parse JSON strictly (see the module's docstring); ``origin`` names the input in messages.

    Examples
    --------
    >>> loads('{"n": 1e400}')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nerchinsk_map.errors.InputFileError: JSON: line 1, column 7: the number 1e400 is too large for a float
    >>> loads('{"name": "\\\\ud800"}')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nerchinsk_map.errors.InputFileError: JSON: name: a lone surrogate ...
    """
    # a number can only be refused (too long an integer, a float beyond range) where the text
    # has a run of more than MAX_INT_DIGITS digits or an exponent: elsewhere json's own number
    # parsing gives the same values without a call per number
    decoder = _STRICT if _RISKY_NUMBER.search(text) else _FAST
    try:
        value, end = decoder.raw_decode(text, _skip(text, 0))
        rest = _skip(text, end)
        if rest != len(text):
            raise json.JSONDecodeError("extra data after the JSON value", text, rest)
    except json.JSONDecodeError as exc:
        raise error(f"{origin}: not valid JSON at {_position(text, exc.pos)} ({exc.msg})") from None
    except ValueError as exc:  # NaN, Infinity, a huge integer or float: find where
        raise error(f"{origin}: {_locate(text, exc)}: {exc}") from None
    except RecursionError:
        raise error(f"{origin}: JSON nested too deeply") from None
    found = _surrogate(value, "") if _SURROGATE_IN_TEXT.search(text) else None
    if found:
        raise error(
            f"{origin}: {found}: a lone surrogate (half of a UTF-16 pair, such as \\ud800) is not a "
            "character; write the character itself"
        )
    return value


_STRICT = json.JSONDecoder(parse_constant=_constant, parse_int=_int, parse_float=_float)
_FAST = json.JSONDecoder(parse_constant=_constant)
_RISKY_NUMBER = re.compile(rf"\d{{{MAX_INT_DIGITS + 1}}}|\d[eE]")


def _surrogate(value: Any, where: str) -> str | None:
    """The JSON path of the first string (or key) holding a lone surrogate, or None."""
    if isinstance(value, str):
        return (where or "top level") if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            shown = key if key.isprintable() else json.dumps(key, ensure_ascii=False)[1:-1]  # one line
            here = f"{where}.{shown}" if where else shown
            if _SURROGATE.search(key):
                return f"a key in {where or 'the top level'}"
            found = _surrogate(item, here)
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _surrogate(item, f"{where}.{i}" if where else str(i))
            if found:
                return found
    return None


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


def _locate(text: str, exc: ValueError) -> str:
    """The position of the first token that made the strict parser fail."""
    message = str(exc)
    if message.endswith("(JSON has no NaN or Infinity)"):
        token = message.split(" ")[0]
        pattern = re.escape(token)
    elif message.startswith("an integer"):
        pattern = rf"-?\d{{{MAX_INT_DIGITS + 1},}}"
    else:
        pattern = r"-?\d+(\.\d+)?[eE][+-]?\d+|-?\d{309,}"
    in_string = False
    escaped = False
    compiled = re.compile(pattern)
    for i, ch in enumerate(text):  # first match outside strings
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
            continue
        m = compiled.match(text, i)
        if m and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in ".eE+-")):
            if not message.startswith("the number") or not math.isfinite(float(m.group(0))):
                return _position(text, i)
    return "somewhere"


def read_json(path: str | Path, kind: str = "layer", error: type[NerchinskMapError] = InputFileError) -> Any:
    """Read a JSON file through the gate: regular file, size limit, UTF-8, strict JSON.

    Examples
    --------
    >>> read_json("/no/such/file.json")
    Traceback (most recent call last):
    ...
    nerchinsk_map.errors.InputFileError: /no/such/file.json: file not found
    """
    return loads(read_text(path, kind, error), str(path), error)


def finite_problem(value: Any, where: str = "") -> str | None:
    """Where in ``value`` (a parsed JSON value or a dict built in Python) a number is not finite,
    or None; JSON Schema's ``number`` lets NaN and infinities through.

    Examples
    --------
    >>> finite_problem({"clauses": [{"precision_km": float("nan")}]})
    'clauses.0.precision_km: nan is not a finite number'
    >>> finite_problem({"a": 1.5}) is None
    True
    """
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where or 'value'}: {value} is not a finite number"
    if isinstance(value, dict):
        for key, item in value.items():
            found = finite_problem(item, f"{where}.{key}" if where else str(key))
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = finite_problem(item, f"{where}.{i}" if where else str(i))
            if found:
                return found
    return None


def json_place(document: Any, path: list[Any], items: str, item: str) -> str:
    """Where a JSON path points, in a reader's words, for one-line errors.

    A path into the list ``items`` of ``document`` names the entry by its 1-based number and its
    ``id``; any other path names the field.

    Examples
    --------
    >>> doc = {"clauses": [{"id": "argun"}, {"id": "gorbitsa", "to": {}}]}
    >>> json_place(doc, ["clauses", 1, "to", "river"], "clauses", "clause")
    'clause 2 (gorbitsa), field to.river'
    >>> json_place(doc, ["title"], "clauses", "clause")
    'field title'
    """
    if len(path) >= 2 and path[0] == items and isinstance(path[1], int):
        entry = document[items][path[1]]
        eid = entry.get("id") if isinstance(entry, dict) else None
        label = f"{item} {path[1] + 1}" + (f" ({eid})" if isinstance(eid, str) else "")
        rest = ".".join(str(p) for p in path[2:])
        return f"{label}, field {rest}" if rest else label
    return f"field {'.'.join(str(p) for p in path)}" if path else "top level"


def schema_problem(document: Any, schema: dict[str, Any], items: str, item: str) -> str | None:
    """The first problem of ``document`` against the JSON Schema ``schema`` (Draft 2020-12), in
    one line placed by :func:`json_place` (an entry of the list ``items`` named as ``item``), or
    None when it follows the schema.

    Examples
    --------
    >>> schema = {"type": "object", "properties": {"steps": {"type": "array", "items": {"required": ["view"]}}}}
    >>> schema_problem({"steps": [{"id": "a"}]}, schema, "steps", "step")
    "step 1 (a): 'view' is a required property"
    >>> schema_problem({"steps": []}, schema, "steps", "step") is None
    True
    """
    import jsonschema  # lazy: only when a document is checked, never at start

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors:
        return None
    err = jsonschema.exceptions.best_match(errors)
    message = err.message if len(err.message) < 160 else err.message[:157] + "..."
    return f"{json_place(document, list(err.absolute_path), items, item)}: {message}".replace("\n", " ")
