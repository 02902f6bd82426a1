"""The user's cache of derived results (basins, comparisons): where it lives, and a JSON result
read from it when the same inputs made it before, else computed and kept."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
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
    except (OSError, OutputError):
        pass  # a read-only home: the result is still used, only not kept
    return result
