"""Readings of boundary treaties: small JSON files of clauses, compiled into lines with provenance.

>>> import nerchinsk_map as nm
>>> line = nm.readings.compile("nerchinsk_1689_common")   # doctest: +SKIP
"""

from .catalog import find, get, readings_dir, shipped_ids, summary
from .compare import compare
from .compile import compile_reading
from .context import Context, default_context
from .model import ReadingError, load, schema, validate

compile = compile_reading  # noqa: A001 - the public name the issue asks for: nm.readings.compile

__all__ = [
    "Context",
    "ReadingError",
    "compare",
    "compile",
    "compile_reading",
    "default_context",
    "find",
    "get",
    "load",
    "readings_dir",
    "schema",
    "shipped_ids",
    "summary",
    "validate",
]
