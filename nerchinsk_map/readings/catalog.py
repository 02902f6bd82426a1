"""The readings shipped with the package (``geodata/readings/*.json``) and lookup by id or path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..files.locations import geodata_dir
from .model import ReadingError, load, validate


def readings_dir() -> Path:
    """The folder of the shipped reading files (``geodata/readings``).

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> folder = nm.readings.readings_dir()
    >>> folder.name, (folder / "nerchinsk_1689_common.json").is_file()
    ('readings', True)
    """
    return geodata_dir() / "readings"


def shipped_ids() -> list[str]:
    """The ids of the shipped readings, sorted.

    Returns
    -------
    list of str
        The ids (the names of the files in :func:`readings_dir`).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> ids = nm.readings.shipped_ids()
    >>> "nerchinsk_1689_common" in ids and "peking_1860" in ids
    True
    """
    return sorted(p.stem for p in readings_dir().glob("*.json"))


def find(id_or_path: str | Path) -> Path:
    """The file of a shipped reading id, or ``id_or_path`` itself if it is a file.

    Parameters
    ----------
    id_or_path : str or pathlib.Path
        A shipped reading id or the path of a reading file.

    Returns
    -------
    pathlib.Path
        The reading's file.

    Raises
    ------
    ReadingError
        Neither a shipped id nor a file.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.readings.find("gorbitsa_amazar").name
    'gorbitsa_amazar.json'
    """
    candidate = Path(id_or_path)
    if candidate.suffix == ".json" or candidate.exists():
        return candidate
    path = readings_dir() / f"{id_or_path}.json"
    if not path.is_file():
        raise ReadingError(f"{id_or_path}: no such reading (shipped: {', '.join(shipped_ids())}) and no such file")
    return path


def get(id_or_path: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A validated reading: a dict as it is, a shipped id, or a file path.

    Parameters
    ----------
    id_or_path : str, pathlib.Path or dict
        A shipped reading id, a reading file, or a reading dict.

    Returns
    -------
    dict
        The reading, checked against the schema.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> reading = nm.readings.get("gorbitsa_amazar")
    >>> reading["question"], len(reading["clauses"])
    ('Which river is the Gorbitsa?', 3)
    """
    if isinstance(id_or_path, dict):
        return validate(id_or_path)
    return load(find(id_or_path))


def summary() -> list[dict[str, Any]]:
    """The id, title, treaty, year and source of each shipped reading.

    The files are read as they are: the tests check the shipped readings against the schema,
    so a listing needs no jsonschema.

    Returns
    -------
    list of dict
        One dict per reading, in id order (what ``nerchinsk-map reading list`` prints).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> first = nm.readings.summary()[0]
    >>> first["id"], first["treaty"], first["year"]
    ('aigun_1858', 'Treaty of Aigun', 1858)
    """
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
