"""Readings of boundary treaties: small JSON files of clauses, compiled into lines with provenance.

A reading renders the words of a treaty as clauses (``river``, ``divide``, ``straight``,
``coast``), each with its text, source and precision; :func:`compile_reading` (also
``compile``) draws it on the shipped rivers and basins, :func:`compare` measures two
readings against each other. The file format is the JSON Schema :func:`schema`.

Examples
--------
>>> import nerchinsk_map as nm
>>> line = nm.readings.compile("nerchinsk_1689_common")
>>> list(line["id"])
['argun', 'shilka', 'gorbitsa', 'connector', 'divide', 'divide_uda']
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
