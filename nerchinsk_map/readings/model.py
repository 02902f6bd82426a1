"""Reading files: load, validate against the shipped JSON Schema, report the first problem in one line."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import NerchinskMapError
from ..files.cache import checked, content_key, library_versions
from ..files.inputs import finite_problem, read_json, schema_problem

SCHEMA_PATH = Path(__file__).with_name("schema.json")


class ReadingError(NerchinskMapError):
    """A reading that cannot be read, does not follow the schema, or cannot be compiled.

    The message is one line naming the file, the clause and the field.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> reading = nm.readings.get("gorbitsa_amazar")
    >>> reading["clauses"][1]["to"]["at"] = "sauce"
    >>> nm.readings.validate(reading, "my_amazar.json")
    Traceback (most recent call last):
    ...
    nerchinsk_map.readings...ReadingError: my_amazar.json: clause 2 (amazar), field to.at: 'sauce' is not one of ['source', 'mouth', 'confluence']
    """


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of a reading file (``nerchinsk_map/readings/schema.json``).

    Returns
    -------
    dict
        The schema (JSON Schema 2020-12).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> sorted(nm.readings.schema()["$defs"]["clause"]["properties"]["kind"]["enum"])
    ['coast', 'divide', 'river', 'straight']
    """
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(reading: Any, origin: str = "reading") -> dict[str, Any]:
    """Check a reading against the schema and the rules the schema cannot state.

    Parameters
    ----------
    reading : object
        The reading, as parsed from JSON.
    origin : str
        What to call it in a message (a file name).

    Returns
    -------
    dict
        The reading itself.

    Raises
    ------
    ReadingError
        One line naming the clause and the field.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> reading = nm.readings.get("gorbitsa_amazar")
    >>> nm.readings.validate(reading)["id"]
    'gorbitsa_amazar'
    >>> nm.readings.validate({"id": "x"}, "x.json")
    Traceback (most recent call last):
    ...
    nerchinsk_map.readings...ReadingError: x.json: ...
    """
    problem = finite_problem(reading)  # JSON Schema's "number" lets NaN and infinities through
    if problem:
        raise ReadingError(f"{origin}: {problem}")
    # the same content passed the same schema before (with this jsonschema): not checked again
    key = content_key(schema(), list(library_versions("jsonschema")), reading)
    checked("reading-schema", key, lambda: _check_schema(reading, origin))
    ids = [c["id"] for c in reading["clauses"]]
    for i, cid in enumerate(ids):
        if ids.index(cid) != i:
            raise ReadingError(f"{origin}: clause {i + 1} ({cid}), field id: repeats clause {ids.index(cid) + 1}")
    if "from" not in reading["clauses"][0]:
        raise ReadingError(f"{origin}: clause 1 ({ids[0]}), field from: the first clause must say where it starts")
    return reading


def _check_schema(reading: Any, origin: str) -> None:
    """Raise :class:`ReadingError` naming the clause and field of the first schema problem."""
    problem = schema_problem(reading, schema(), "clauses", "clause")
    if problem:
        raise ReadingError(f"{origin}: {problem}")


def load(path: str | Path) -> dict[str, Any]:
    """Read and validate one reading file (JSON).

    Parameters
    ----------
    path : str or pathlib.Path
        The reading file.

    Returns
    -------
    dict
        The reading, checked against the schema.

    Raises
    ------
    ReadingError
        The file cannot be read, is not JSON or does not follow the schema (one line).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> reading = nm.readings.load(nm.readings.find("peking_1860"))
    >>> reading["treaty"], reading["year"]
    ('Convention of Peking', 1860)
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise ReadingError(f"{path}: reading file not found")
    return validate(read_json(path, "reading", ReadingError), str(path))
