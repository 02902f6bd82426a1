"""What a user's file says about itself: a title, a description and readable field names.

Read from the file's own metadata, where its format has a place for them: a GeoJSON's top-level
``title`` (or ``name``, as GDAL writes it) and ``description``; a GeoPackage's ``gpkg_contents``
``identifier`` and ``description`` and its ``gpkg_data_columns`` titles (the GeoPackage schema
extension, where GIS programs keep field aliases); a GeoDataFrame's ``attrs`` (``title``,
``description``, ``aliases``). What the file does not say is made readable from its names
(:func:`humanise`)."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_JSON_HEAD = 1 << 16  # a GeoJSON's title and description come before its features


@dataclass(frozen=True)
class FileMetadata:
    """A layer's own title, description and field aliases (empty when it has none)."""

    title: str | None = None
    description: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)


def humanise(name: str) -> str:
    """A field or file name as words: underscores, dashes and camelCase split, first letter up.

    Names that already read as words (with spaces) are kept.

    Examples
    --------
    >>> humanise("founded_year")
    'Founded year'
    >>> humanise("fortName")
    'Fort name'
    >>> humanise("my-forts_2024")
    'My forts 2024'
    >>> humanise("Area of the basin")
    'Area of the basin'
    """
    text = str(name).strip()
    if " " in text or not text:
        return text
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z][a-z])", " ", text)
    words = [w for w in re.split(r"[_\-.\s]+", text) if w]
    if not words:
        return text
    words = [w if w.isupper() and len(w) > 1 else w.lower() for w in words]
    phrase = " ".join(words)
    return phrase[0].upper() + phrase[1:]


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _geojson(path: Path) -> FileMetadata:
    """The top-level members of a GeoJSON file, read without its features."""
    try:
        with path.open("rb") as f:
            head = f.read(MAX_JSON_HEAD)
        try:
            data = json.loads(head)
        except ValueError:  # a large file: only the members before "features"
            cut = head.find(b'"features"')
            data = json.loads(head[:cut].rstrip().rstrip(b",") + b"}") if cut > 0 else {}
    except (OSError, ValueError):
        return FileMetadata()
    if not isinstance(data, dict):
        return FileMetadata()
    name = _text(data.get("name"))
    title = _text(data.get("title")) or (name if name and name != path.stem else None)
    given = data.get("aliases")
    aliases: dict[Any, Any] = given if isinstance(given, dict) else {}
    return FileMetadata(title, _text(data.get("description")),
                        {str(k): v.strip() for k, v in aliases.items() if _text(v)})


def _geopackage(path: Path, layer: str | None) -> FileMetadata:
    """gpkg_contents' identifier and description, gpkg_data_columns' titles."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return FileMetadata()
    try:
        rows = db.execute("SELECT table_name, identifier, description FROM gpkg_contents "
                          "WHERE data_type = 'features'").fetchall()
        row = next((r for r in rows if layer is None or r[0] == layer), None)
        if row is None:
            return FileMetadata()
        table, identifier, description = row
        aliases: dict[str, str] = {}
        try:
            for column, name, title in db.execute(
                    "SELECT column_name, name, title FROM gpkg_data_columns WHERE table_name = ?", (table,)):
                alias = _text(title) or _text(name)
                if alias and alias != column:
                    aliases[str(column)] = alias
        except sqlite3.Error:  # no schema extension: no aliases
            pass
        title = _text(identifier)
        return FileMetadata(title if title != table else None, _text(description), aliases)
    except sqlite3.Error:
        return FileMetadata()
    finally:
        db.close()


def read_metadata(path: str | Path, layer: str | None = None) -> FileMetadata:
    """The title, description and field aliases a vector file gives for itself (``layer`` of
    a GeoPackage); an empty :class:`FileMetadata` for formats that keep none (Shapefile).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "fords.geojson"
    >>> _ = p.write_text(json.dumps({"type": "FeatureCollection", "title": "Fords of the Argun",
    ...                              "features": []}))
    >>> read_metadata(p).title
    'Fords of the Argun'
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _geojson(path)
    if suffix == ".gpkg":
        return _geopackage(path, layer)
    return FileMetadata()


def frame_metadata(attrs: dict[str, Any]) -> FileMetadata:
    """A GeoDataFrame's own ``attrs``: title, description, aliases.

    Examples
    --------
    >>> frame_metadata({"title": "Survey", "aliases": {"h": "Height"}}).aliases
    {'h': 'Height'}
    """
    given = attrs.get("aliases")
    aliases: dict[Any, Any] = given if isinstance(given, dict) else {}
    return FileMetadata(_text(attrs.get("title")), _text(attrs.get("description")),
                        {str(k): v.strip() for k, v in aliases.items() if _text(v)})
