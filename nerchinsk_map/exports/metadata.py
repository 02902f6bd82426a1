"""What travels with an export: ``METADATA.json`` (titles, descriptions, sources, licences, files,
shapefile and KML field names) and a field map per shapefile or KML layer."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ..data.catalog import LayerSpec
from ..errors import NerchinskMapError
from ..files.inputs import read_json

METADATA_NAME = "METADATA.json"
GENERATOR = "nerchinsk-map"


def generator() -> str:
    """``nerchinsk-map <version>``, the mark of a metadata file this package wrote."""
    try:
        return f"{GENERATOR} {version('nerchinsk-map')}"
    except PackageNotFoundError:  # a source tree that is not installed
        return GENERATOR


def layer_entry(layer_id: str, spec: LayerSpec | None) -> dict[str, Any]:
    """Title, description, dates, sources and licences of one layer (from the catalog)."""
    if spec is None:
        return {
            "title": layer_id,
            "description": "",
            "sources": [],
            "licences": [],
            "note": "not a catalog layer: its sources and licence are whatever its author states",
        }
    sources = [{k: v for k, v in asdict(s).items() if v is not None} for s in spec.sources]
    return {
        "title": spec.title,
        "description": spec.description,
        "start_date": spec.start_date,
        "end_date": spec.end_date,
        "sources": sources,
        "licences": sorted({s.licence for s in spec.sources}),
    }


def date_fields() -> dict[str, str]:
    """What the date properties mean (EDTF, ISO bounds, the Julian and Qing dates)."""
    path = Path(__file__).resolve().parents[1] / "chronology" / "calendar_data" / "date_fields.json"
    return json.loads(path.read_text(encoding="utf-8"))


def read_previous(out_dir: Path) -> dict[str, Any]:
    """The metadata of earlier exports into ``out_dir`` (empty if none).

    Raises ``ValueError`` when a ``METADATA.json`` is there that this package did not write.
    """
    path = out_dir / METADATA_NAME
    if not path.exists():
        return {}
    try:
        data = read_json(path, "metadata")
    except NerchinskMapError as exc:
        raise ValueError(f"{path} exists and was not written by {GENERATOR} ({str(exc).removeprefix(f'{path}: ')}); "
                         "choose another folder") from None
    if not isinstance(data, dict) or not str(data.get("generator", "")).startswith(GENERATOR):
        raise ValueError(f"{path} exists and was not written by {GENERATOR}; choose another folder")
    return data


def _union(old: list[str], new: list[str]) -> list[str]:
    return list(dict.fromkeys([*old, *new]))


def merge(
    previous: dict[str, Any],
    title: str,
    fmt: dict[str, Any],
    layers: dict[str, dict[str, Any]],
    single_file: bool,
) -> dict[str, Any]:
    """Metadata for this export, keeping what earlier exports recorded and is still on disk.

    A single-file format (GeoPackage) replaces its file, so its earlier layers are dropped; a
    file-per-layer format only adds or replaces the files of the layers exported now.
    """
    fmt_id = fmt["id"]
    merged = {
        k: {**v, "files": dict(v.get("files", {}))} for k, v in previous.get("layers", {}).items()
    }
    if single_file:
        for entry in merged.values():
            entry["files"].pop(fmt_id, None)
    for layer_id, entry in layers.items():
        files = merged.get(layer_id, {}).get("files", {})
        merged[layer_id] = {**entry, "files": {**files, **entry["files"]}}
    exports = dict(previous.get("exports", {}))
    earlier = exports.get(fmt_id)
    if earlier and not single_file:
        fmt = {**fmt, "files": _union(earlier.get("files", []), fmt["files"]),
               "layers": _union(earlier.get("layers", []), fmt["layers"])}
    exports[fmt_id] = fmt
    return {
        "title": title,
        "generator": generator(),
        "crs": "EPSG:4326 (WGS 84, longitude/latitude in degrees)",
        "date_fields": date_fields(),
        "exports": dict(sorted(exports.items())),
        "layers": {k: v for k, v in merged.items() if v["files"]},
    }


def dumps(metadata: dict[str, Any]) -> str:
    """The metadata as indented UTF-8 JSON text."""
    return json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def formula_safe(text: str) -> str:
    """``text`` that a spreadsheet shows as text, never runs as a formula: a cell starting with
    ``=``, ``+``, ``-``, ``@`` or a control character gets a leading apostrophe (OWASP).

    Examples
    --------
    >>> formula_safe("=SUM(A1)"), formula_safe("-1+2"), formula_safe("name")
    ("'=SUM(A1)", "'-1+2", 'name')
    """
    return f"'{text}" if text.startswith(FORMULA_START) else text


def fields_csv(fields: dict[str, str], types: dict[str, str], truncated: dict[str, int]) -> str:
    """CSV mapping each property to its field in the file: ``property,field,type,values_cut``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a name holding \r or \n is quoted
    writer.writerow(["property", "field", "type", "values_cut"])
    for prop, name in fields.items():
        writer.writerow([formula_safe(prop), formula_safe(name), types[prop], truncated.get(prop, 0)])
    return out.getvalue()
