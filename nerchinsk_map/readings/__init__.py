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

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

# public name -> its module (imported on first use: ``reading list`` needs no geopandas)
_PUBLIC = {
    "find": ".catalog", "get": ".catalog", "readings_dir": ".catalog", "shipped_ids": ".catalog",
    "summary": ".catalog", "compare": ".compare", "compile_reading": ".compile",
    "Context": ".context", "default_context": ".context", "ReadingError": ".model", "load": ".model",
    "schema": ".model", "validate": ".model",
}

if TYPE_CHECKING:
    from .catalog import find, get, readings_dir, shipped_ids, summary
    from .compare import compare
    from .compile import compile_reading
    from .context import Context, default_context
    from .model import ReadingError, load, schema, validate

    compile = compile_reading  # noqa: A001 - the public name: nm.readings.compile


def __getattr__(name: str) -> Any:
    """Import a public name from its module when first used (PEP 562)."""
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
    globals()[name] = value
    return value


# public functions named as their own submodule: importing the submodule (``from
# nerchinsk_map.readings.compare import between``) must not turn the name into the module
_SUBMODULE_NAMES = {"compare", "compile"}


class _Readings(types.ModuleType):
    """The package, whose ``compile`` and ``compare`` stay functions once their modules load.

    The import system then sets the attribute to the submodule: that is ignored.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SUBMODULE_NAMES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)

    @property
    def compile(self) -> Any:  # the public name the issue asks for: nm.readings.compile
        from .compile import compile_reading  # lazy: compiling needs geopandas; listing does not

        return compile_reading

    @compile.setter
    def compile(self, value: Any) -> None:
        pass


sys.modules[__name__].__class__ = _Readings


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
