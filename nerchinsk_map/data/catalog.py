"""The layer catalog: the one list of layers.

The loader, the map, the exporter and the notebooks read it. A new layer is a GeoJSON file plus
an entry in ``geodata/catalog.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import CatalogError, UnknownLayerError
from ..files.inputs import read_json
from ..files.locations import geodata_dir
from .catalog_schema import check_catalog
from .translations import merge_tables

GEOMETRY_KINDS = ("point", "line", "polygon")
REQUIRED_KEYS = ("id", "title", "file", "geometry", "group", "description", "style", "sources")



@dataclass(frozen=True)
class Source:
    """Where a layer's data comes from."""

    dataset: str
    version: str
    licence: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class LayerSpec:
    """One layer of a catalog: its file, geometry kind, group, style and sources.

    Attributes
    ----------
    id : str
        The layer's id (letters, digits, ``_`` and ``-``).
    title, description, group : str
        What the layer list and the legend show.
    file : str
        The layer's file, relative to the catalog's folder.
    geometry : str
        ``"point"``, ``"line"`` or ``"polygon"``.
    style : dict
        Leaflet path options (``base``) and restyling by a property (``by``).
    sources : tuple of Source
        Dataset, version and licence of each source.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> spec = nm.default_catalog()["places"]
    >>> spec.geometry, spec.group
    ('point', 'Forts and towns')
    >>> spec.path.name
    'places.geojson'
    """

    id: str
    title: str
    file: str
    geometry: str
    group: str
    description: str
    style: dict[str, Any]
    sources: tuple[Source, ...]
    start_date: str | None = None
    end_date: str | None = None
    show: bool = True
    basemap: bool = False
    label: bool = False
    web_precision: int = 4
    extra: dict[str, Any] = field(default_factory=dict)
    root: Path | None = None  # the folder its file is relative to (its catalog's folder)

    @property
    def path(self) -> Path:
        """The layer's file."""
        return (self.root or Path(".")) / self.file

    @property
    def popup_fields(self) -> list[str]:
        """The properties the layer's popup shows, from its ``popup`` entry."""
        return [field[0] for field in self.extra.get("popup", [])]


@dataclass(frozen=True)
class Catalog:
    """The parsed layer catalog and the folder its files are relative to.

    A catalog is the one list of a map's layers (``geodata/catalog.json`` and users' own
    catalogs); read one with :func:`read_catalog` or take the shipped one with
    :func:`default_catalog`. Layers are looked up by id.

    Attributes
    ----------
    title : str
        The map's title.
    layers : tuple of LayerSpec
        The layers, in drawing order.
    root : pathlib.Path
        The folder the layers' files are relative to.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> catalog = nm.default_catalog()
    >>> catalog.title
    'The Treaty of Nerchinsk, 1689'
    >>> "treaty_1689" in catalog
    True
    >>> catalog["treaty_1689"].geometry
    'line'
    """

    title: str
    layers: tuple[LayerSpec, ...]
    root: Path
    subtitle: str = ""
    tiles: tuple[dict[str, Any], ...] = ()
    view: dict[str, Any] = field(default_factory=dict)
    attribution: str = ""
    time: dict[str, Any] = field(default_factory=dict)
    user_styles: tuple[str, ...] = ()
    translations: tuple[tuple[str, Path], ...] = ()  # (language, file) of the popup texts

    def translation_tables(self) -> dict[str, dict[str, str]]:
        """The popup texts' translations per language, English text → translation."""
        return merge_tables(self.translations)

    def ids(self) -> list[str]:
        """Layer ids in catalog order."""
        return [layer.id for layer in self.layers]

    def __getitem__(self, layer_id: str) -> LayerSpec:
        """The layer with this id; :class:`UnknownLayerError` naming the known ids if none."""
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        known = ", ".join(self.ids())
        raise UnknownLayerError(f"unknown layer '{layer_id}' (known layers: {known})")

    def __contains__(self, layer_id: object) -> bool:
        """Whether the catalog lists a layer with this id."""
        return any(layer.id == layer_id for layer in self.layers)

    def path(self, layer_id: str) -> Path:
        """The GeoJSON file of a layer."""
        spec = self[layer_id]
        return (spec.root or self.root) / spec.file

    def merged(self, other: Catalog) -> Catalog:
        """The catalog with ``other``'s layers added after its own; ids must stay unique."""
        clash = sorted(set(self.ids()) & set(other.ids()))
        if clash:
            raise CatalogError(f"duplicate layer id {clash[0]!r} in the added catalog")
        return replace(self, layers=self.layers + other.layers, translations=self.translations + other.translations)

    def with_layers(self, layers: tuple[LayerSpec, ...]) -> Catalog:
        """The catalog with more layers (for example users' files); ids must stay unique."""
        return self.merged(replace(self, layers=tuple(layers), translations=()))

    def groups(self) -> list[str]:
        """Map groups in the order they first appear."""
        return list(dict.fromkeys(layer.group for layer in self.layers))


def _parse_layer(raw: Any, where: str) -> LayerSpec:
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: each layer must be a JSON object")
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise CatalogError(f"{where}: layer {raw.get('id', '?')!r} lacks {', '.join(missing)}")
    if raw["geometry"] not in GEOMETRY_KINDS:
        raise CatalogError(
            f"{where}: layer {raw['id']!r} has geometry {raw['geometry']!r}, "
            f"expected one of {', '.join(GEOMETRY_KINDS)}"
        )
    sources = raw["sources"]
    if not isinstance(sources, list) or not sources:
        raise CatalogError(f"{where}: layer {raw['id']!r} must name at least one source")
    try:
        parsed_sources = tuple(Source(**s) for s in sources)
    except TypeError as exc:
        raise CatalogError(f"{where}: layer {raw['id']!r} has a malformed source ({exc})") from None
    known = set(REQUIRED_KEYS) | {"start_date", "end_date", "show", "basemap", "label", "web_precision"}
    return LayerSpec(
        id=str(raw["id"]),
        title=str(raw["title"]),
        file=str(raw["file"]),
        geometry=raw["geometry"],
        group=str(raw["group"]),
        description=str(raw["description"]),
        style=dict(raw["style"]),
        sources=parsed_sources,
        start_date=raw.get("start_date"),
        end_date=raw.get("end_date"),
        show=bool(raw.get("show", True)),
        basemap=bool(raw.get("basemap", False)),
        label=bool(raw.get("label", False)),
        web_precision=int(raw.get("web_precision", 4)),
        extra={k: v for k, v in raw.items() if k not in known},
    )


URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^(data|javascript|file):", re.IGNORECASE)


def _local_file(folder: Path, file: str, what: str, allow_outside: bool) -> str:
    """``file`` as a path inside the catalog's ``folder``.

    URLs are never read, and absolute paths or ``..`` escapes only with ``allow_outside``
    (``--allow-outside-files``).
    """
    if URL.match(file):
        raise CatalogError(f"{what}: {file!r} is a URL; name a file in the catalog's folder")
    if allow_outside:
        return file
    target = (folder / file).resolve()
    if Path(file).is_absolute() or not target.is_relative_to(folder.resolve()):
        raise CatalogError(
            f"{what}: {file!r} is outside the catalog's folder (pass --allow-outside-files to read it)"
        )
    return file


def read_catalog(path: str | Path, check_files: bool = True, allow_outside: bool = False,
                 check_schema: bool = True) -> Catalog:
    """Read a catalog file and check it against the published schema and its files.

    Each file is resolved relative to the catalog's folder and must stay in it unless
    ``allow_outside``.

    Parameters
    ----------
    path : str or pathlib.Path
        The catalog file (JSON, following ``catalog.schema.json``).
    check_files : bool
        Check that every layer's file exists (default True).
    allow_outside : bool
        Allow files outside the catalog's folder (absolute paths, ``..``).
    check_schema : bool
        Check the catalog against its schema (default True). False only for the shipped
        catalog, which the tests and ``nerchinsk-map validate`` check: the check needs
        jsonschema, about a second to import.

    Returns
    -------
    Catalog
        The catalog.

    Raises
    ------
    CatalogError
        A missing file or a catalog that does not follow the schema, in one line naming the
        layer and the field.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> import nerchinsk_map as nm
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> layer = {"type": "FeatureCollection", "features": []}
    >>> _ = (folder / "forts.geojson").write_text(json.dumps(layer))
    >>> entry = {"id": "forts", "title": "Forts", "file": "forts.geojson", "geometry": "point",
    ...          "group": "Mine", "description": "Forts I visited.", "style": {"base": {}},
    ...          "sources": [{"dataset": "Field notes", "version": "2025", "licence": "CC BY 4.0"}]}
    >>> _ = (folder / "catalog.json").write_text(json.dumps({"layers": [entry]}))
    >>> nm.read_catalog(folder / "catalog.json").ids()
    ['forts']
    >>> entry["style"] = {"base": {"color": "banana"}}
    >>> _ = (folder / "catalog.json").write_text(json.dumps({"layers": [entry]}))
    >>> nm.read_catalog(folder / "catalog.json")
    Traceback (most recent call last):
    ...
    nerchinsk_map.errors.CatalogError: ...catalog.json: layer 'forts': style.base.color: 'banana' is not a colour
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise CatalogError(f"{path}: catalog file not found")
    if path.is_dir():
        raise CatalogError(f"{path}: is a folder; name the catalog's .json file")
    raw = read_json(path, "catalog", CatalogError)
    if not isinstance(raw, dict) or not isinstance(raw.get("layers"), list):
        raise CatalogError(f"{path}: expected an object with a 'layers' list")
    if check_schema:
        check_catalog(raw, str(path))
    layers = tuple(replace(_parse_layer(item, str(path)), root=path.parent) for item in raw["layers"])
    seen: set[str] = set()
    for layer in layers:
        if layer.id in seen:
            raise CatalogError(f"{path}: duplicate layer id {layer.id!r}")
        seen.add(layer.id)
        _local_file(path.parent, layer.file, f"{path}: layer {layer.id!r}: file", allow_outside)
        if check_files and not (path.parent / layer.file).is_file():
            raise CatalogError(f"{path}: layer {layer.id!r} names {layer.file}, which does not exist")
    translations = raw.get("translations", {})
    for lang, file in translations.items():
        _local_file(path.parent, str(file), f"{path}: translations.{lang}", allow_outside)
        if check_files and not (path.parent / str(file)).is_file():
            raise CatalogError(f"{path}: translations for {lang!r} name {file}, which does not exist")
    return Catalog(
        title=str(raw.get("title", "")),
        layers=layers,
        root=path.parent,
        subtitle=str(raw.get("subtitle", "")),
        tiles=tuple(raw.get("tiles", ())),
        view=dict(raw.get("view", {})),
        attribution=str(raw.get("attribution", "")),
        time=dict(raw.get("time", {})),
        user_styles=tuple(raw.get("user_styles", ())),
        translations=tuple((str(lang), path.parent / str(file)) for lang, file in sorted(translations.items())),
    )


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The catalog shipped with the package (``geodata/catalog.json``), read once.

    Its schema is checked by the tests and by ``nerchinsk-map validate``, not at every start.

    Returns
    -------
    Catalog
        The shipped catalog; its files are in :attr:`Catalog.root`.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.default_catalog().ids()[:3]
    ['land', 'lakes', 'watersheds']
    """
    return read_catalog(geodata_dir() / "catalog.json", check_schema=False)
