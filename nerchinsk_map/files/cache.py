"""The user's cache of derived results (basins, comparisons, checks passed): where it lives, a
JSON result read from it when the same inputs made it before, else computed and kept, and a
check skipped when the same content passed it before."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import OutputError
from .atomic import write_text_atomic


def cache_root() -> Path:
    """The cache folder: ``$NERCHINSK_CACHE``, else ``$XDG_CACHE_HOME/nerchinsk-map`` (by
    default ``~/.cache/nerchinsk-map``).

    Examples
    --------
    >>> import os
    >>> os.environ["NERCHINSK_CACHE"] = "/tmp/nm-cache"
    >>> cache_root()
    PosixPath('/tmp/nm-cache')
    >>> del os.environ["NERCHINSK_CACHE"]
    """
    root = os.environ.get("NERCHINSK_CACHE") or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nerchinsk-map"
    return Path(root)


def cached_json(path: Path, valid: Callable[[Any], bool], compute: Callable[[], Any]) -> Any:
    """The JSON value kept at ``path`` if it is there, readable and ``valid``; otherwise
    ``compute()``, kept at ``path`` (written whole or not at all; a cache that cannot be
    written, such as a read-only home, only costs the time next run).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "squares.json"
    >>> cached_json(path, lambda v: isinstance(v, list), lambda: [n * n for n in range(4)])
    [0, 1, 4, 9]
    >>> cached_json(path, lambda v: isinstance(v, list), lambda: "not computed again")
    [0, 1, 4, 9]
    """
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if valid(kept):
            return kept
    except (OSError, ValueError):
        pass  # not there yet, or unreadable: computed again
    result = compute()
    try:
        write_text_atomic(path, json.dumps(result, ensure_ascii=False))
    except (OSError, OutputError, ValueError):
        pass  # a read-only home (or text no UTF-8 file holds): the result is still used, only not kept
    return result


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Remove all but the ``keep`` most recently written files of ``folder`` that match
    ``pattern``: results kept for code or data that has since changed are not kept for ever
    (a file that cannot be removed is left).

    Examples
    --------
    >>> import tempfile, time
    >>> folder = Path(tempfile.mkdtemp())
    >>> for n in range(4):
    ...     _ = (folder / f"x-{n}.json").write_text("[]")
    ...     os.utime(folder / f"x-{n}.json", (n, n))
    >>> prune(folder, "x-*.json", 2)
    >>> sorted(p.name for p in folder.iterdir())
    ['x-2.json', 'x-3.json']
    """
    try:
        found = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    except OSError:  # the folder is not there yet, or a file went while listing
        return
    for path in found[keep:]:
        try:
            path.unlink()
        except OSError:
            pass


JSON_TYPES = (str, int, float, bool, type(None))


def _plain_json(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` is made of JSON's own types only (dicts with string keys, lists,
    strings, numbers, booleans, None), so that its canonical JSON text tells it apart from
    every other value (a tuple would read back as a list)."""
    if isinstance(value, JSON_TYPES):
        return True
    if depth > 200:
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_json(v, depth + 1) for v in value)
    return False


@cache
def library_versions(*names: str) -> tuple[str, ...]:
    """The installed versions of the import packages ``names``, read from the names of their
    ``.dist-info`` folders beside them (no import of the packages, nor of ``importlib.metadata``
    unless a folder is not found), or ``"absent"``.

    Examples
    --------
    >>> library_versions("shapely")[0].startswith("shapely-")
    True
    >>> library_versions("no_such_package_here")
    ('no_such_package_here-absent',)
    """
    out = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            out.append(f"{name}-absent")
            continue
        origin = Path(spec.origin)
        folder = origin.parent.parent if spec.submodule_search_locations is not None else origin.parent  # a package, or one module
        found = sorted(p.name for p in folder.glob(f"{name}-*.dist-info"))
        if not found:
            from importlib.metadata import version  # lazy: only for a package installed another way

            found = [f"{name}-{version(name)}"]
        out.append(found[-1].removesuffix(".dist-info"))
    return tuple(out)


def content_key(*parts: Any) -> str | None:
    """A hash of ``parts`` (JSON values) by content: the same key for equal content whatever
    the order of a dict's keys; None when a part holds anything but JSON's own types.

    Examples
    --------
    >>> content_key({"a": 1, "b": [2.5, None]}) == content_key({"b": [2.5, None], "a": 1})
    True
    >>> content_key({"a": 1}) == content_key({"a": 1.0}), content_key((1, 2))
    (False, None)
    """
    if not _plain_json(list(parts)):
        return None
    try:
        text = json.dumps(list(parts), sort_keys=True, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or an infinity: never a key
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def checked(kind: str, key: str | None, check: Callable[[], None]) -> None:
    """Run ``check`` (which raises on a problem) unless a check of ``kind`` passed before for
    the same ``key`` (:func:`content_key` of everything the check depends on: the content
    checked, the rules, the checking library's version); remember that it passed. A check that
    fails is never remembered, a ``None`` key never skips, and a cache that cannot be written
    only costs the time next run.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["NERCHINSK_CACHE"] = tempfile.mkdtemp()
    >>> runs = []
    >>> for _ in range(2):
    ...     checked("example", content_key({"n": 1}), lambda: runs.append(1))
    >>> len(runs)
    1
    >>> del os.environ["NERCHINSK_CACHE"]
    """
    marker = cache_root() / "checked" / kind / key if key else None
    if marker is not None and marker.is_file():
        return
    check()
    if marker is not None:
        try:
            write_text_atomic(marker, "passed\n")
        except (OSError, OutputError, ValueError):
            pass  # a read-only home: checked again next run


@cache
def code_key() -> str:
    """A hash of this package's own code (every ``.py`` file) and of the tables it computes
    with (``chronology/calendar_data``), with Python's version: a result kept under a key that
    includes it is never reused by other code.

    Examples
    --------
    >>> len(code_key())
    32
    """
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(repr(sys.version_info[:3]).encode())
    for path in [*sorted(root.rglob("*.py")), *sorted((root / "chronology" / "calendar_data").glob("*.json"))]:
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:32]
