"""nerchinsk-map: the 1689 Treaty of Nerchinsk as sourced GIS layers and an offline map.

The package is laid out in wings that follow the data flow: raw inputs (:mod:`.rawdata`) →
hydrology (:mod:`.hydrology`) → readings (:mod:`.readings`) → pipeline (:mod:`.pipeline`) →
``geodata/`` → data layer (:mod:`.data`) → map (:mod:`.web`) | exports (:mod:`.exports`) |
figures (:mod:`.figure`). :mod:`.chronology`, :mod:`.analysis`, :mod:`.files` and
:mod:`.errors` are foundations every wing may use.

Importing the package is cheap: each public name is imported from its wing when first used.

Examples
--------
>>> import nerchinsk_map as nm
>>> "treaty_1689" in nm.list_layers()
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> (module, attribute or None for the module itself)
_PUBLIC: dict[str, tuple[str, str | None]] = {
    "analysis": (".analysis", None),
    "calendars": (".chronology.calendars", None),
    "dates": (".chronology.dates", None),
    "readings": (".readings", None),
    "Catalog": (".data.catalog", "Catalog"),
    "LayerSpec": (".data.catalog", "LayerSpec"),
    "default_catalog": (".data.catalog", "default_catalog"),
    "read_catalog": (".data.catalog", "read_catalog"),
    "CatalogError": (".errors", "CatalogError"),
    "LayerDataError": (".errors", "LayerDataError"),
    "NerchinskMapError": (".errors", "NerchinskMapError"),
    "UnknownLayerError": (".errors", "UnknownLayerError"),
    "FORMATS": (".exports.exporter", "FORMATS"),
    "ExportError": (".exports.exporter", "ExportError"),
    "UnknownFormatError": (".exports.exporter", "UnknownFormatError"),
    "export": (".exports.exporter", "export"),
    "export_layers": (".exports.exporter", "export_layers"),
    "list_layers": (".data.layers", "list_layers"),
    "load_layer": (".data.layers", "load_layer"),
    "load_layers": (".data.layers", "load_layers"),
    "read_layer_file": (".data.layers", "read_layer_file"),
    "build_map": (".web", "build_map"),
    "render_html": (".web", "render_html"),
    "write_map": (".web", "write_map"),
}

__all__ = [
    "Catalog",
    "CatalogError",
    "ExportError",
    "FORMATS",
    "LayerDataError",
    "LayerSpec",
    "NerchinskMapError",
    "UnknownFormatError",
    "UnknownLayerError",
    "analysis",
    "build_map",
    "calendars",
    "dates",
    "default_catalog",
    "export",
    "export_layers",
    "list_layers",
    "load_layer",
    "load_layers",
    "read_catalog",
    "read_layer_file",
    "readings",
    "render_html",
    "write_map",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its wing on first use (PEP 562), then keep it."""
    try:
        module, attr = _PUBLIC[name]
    except KeyError:
        raise AttributeError(f"module 'nerchinsk_map' has no attribute {name!r}") from None
    value = importlib.import_module(module, __name__)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # the names as a type checker and an IDE see them
    from . import analysis, readings
    from .chronology import calendars, dates
    from .data.catalog import Catalog, LayerSpec, default_catalog, read_catalog
    from .data.layers import list_layers, load_layer, load_layers, read_layer_file
    from .errors import CatalogError, LayerDataError, NerchinskMapError, UnknownLayerError
    from .exports.exporter import FORMATS, ExportError, UnknownFormatError, export, export_layers
    from .web import build_map, render_html, write_map
