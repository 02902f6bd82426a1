"""The readings shipped with the package (``geodata/readings/*.json``) and lookup by id or path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..files.locations import geodata_dir
from .model import ReadingError, load, validate


def readings_dir() -> Path:
    """Folder of the shipped reading files."""
    return geodata_dir() / "readings"


def shipped_ids() -> list[str]:
    """Ids of the shipped readings, sorted."""
    return sorted(p.stem for p in readings_dir().glob("*.json"))


def find(id_or_path: str | Path) -> Path:
    """The file of a shipped reading id, or ``id_or_path`` itself if it is a file."""
    candidate = Path(id_or_path)
    if candidate.suffix == ".json" or candidate.exists():
        return candidate
    path = readings_dir() / f"{id_or_path}.json"
    if not path.is_file():
        raise ReadingError(f"{id_or_path}: no such reading (shipped: {', '.join(shipped_ids())}) and no such file")
    return path


def get(id_or_path: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A validated reading: a dict as it is, a shipped id, or a file path."""
    if isinstance(id_or_path, dict):
        return validate(id_or_path)
    return load(find(id_or_path))


def summary() -> list[dict[str, Any]]:
    """id, title, treaty, year and source of each shipped reading (read as they are: the tests
    check the shipped files against the schema, so a listing needs no jsonschema)."""
    rows = []
    for rid in shipped_ids():
        r = json.loads((readings_dir() / f"{rid}.json").read_text(encoding="utf-8"))
        rows.append(
            {
                "id": r["id"],
                "title": r["title"]["en"],
                "treaty": r["treaty"],
                "year": r["year"],
                "source": "; ".join(f"{s['author']}, {s['title']}" for s in r["sources"]),
            }
        )
    return rows
