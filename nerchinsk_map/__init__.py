"""nerchinsk-map: the 1689 Treaty of Nerchinsk as sourced GIS layers and an offline map.

>>> import nerchinsk_map as nm
>>> "treaty_1689" in nm.list_layers()
True
"""

from . import analysis, calendars, dates, readings
from .catalog import Catalog, LayerSpec, default_catalog, read_catalog
from .errors import CatalogError, LayerDataError, NerchinskMapError, UnknownLayerError
from .exporter import FORMATS, ExportError, UnknownFormatError, export, export_layers
from .layers import list_layers, load_layer, load_layers, read_layer_file
from .web import build_map, render_html, write_map

__all__ = [
    "FORMATS",
    "Catalog",
    "ExportError",
    "UnknownFormatError",
    "analysis",
    "calendars",
    "dates",
    "readings",
    "export",
    "export_layers",
    "CatalogError",
    "LayerDataError",
    "LayerSpec",
    "NerchinskMapError",
    "UnknownLayerError",
    "build_map",
    "default_catalog",
    "list_layers",
    "load_layer",
    "load_layers",
    "read_catalog",
    "read_layer_file",
    "render_html",
    "write_map",
]
__version__ = "0.1.0"
