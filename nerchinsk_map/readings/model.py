"""Reading files: load, validate against the shipped JSON Schema, report the first problem in one line."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import NerchinskMapError
from ..files.inputs import finite_problem, read_json

SCHEMA_PATH = Path(__file__).with_name("schema.json")


class ReadingError(NerchinskMapError):
    """A reading file that cannot be read, does not match the schema, or cannot be compiled."""


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of a reading file (``nerchinsk_map/readings/schema.json``)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _where(reading: Any, path: list[Any]) -> str:
    """'clause 3 (gorbitsa), field to' from a JSON path such as ['clauses', 2, 'to', 'river']."""
    if len(path) >= 2 and path[0] == "clauses" and isinstance(path[1], int):
        clause = reading["clauses"][path[1]]
        cid = clause.get("id") if isinstance(clause, dict) else None
        label = f"clause {path[1] + 1}" + (f" ({cid})" if isinstance(cid, str) else "")
        rest = ".".join(str(p) for p in path[2:])
        return f"{label}, field {rest}" if rest else label
    return f"field {'.'.join(str(p) for p in path)}" if path else "top level"


def validate(reading: Any, origin: str = "reading") -> dict[str, Any]:
    """Check ``reading`` against the schema; raise :class:`ReadingError` naming the clause and field."""
    import jsonschema  # imported on first use: most commands never read a reading

    problem = finite_problem(reading)  # JSON Schema's "number" lets NaN and infinities through
    if problem:
        raise ReadingError(f"{origin}: {problem}")
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(reading), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        err = jsonschema.exceptions.best_match(errors)
        message = err.message if len(err.message) < 160 else err.message[:157] + "..."
        raise ReadingError(f"{origin}: {_where(reading, list(err.absolute_path))}: {message}")
    ids = [c["id"] for c in reading["clauses"]]
    for i, cid in enumerate(ids):
        if ids.index(cid) != i:
            raise ReadingError(f"{origin}: clause {i + 1} ({cid}), field id: repeats clause {ids.index(cid) + 1}")
    if "from" not in reading["clauses"][0]:
        raise ReadingError(f"{origin}: clause 1 ({ids[0]}), field from: the first clause must say where it starts")
    return reading


def load(path: str | Path) -> dict[str, Any]:
    """Read and validate one reading file (JSON)."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise ReadingError(f"{path}: reading file not found")
    return validate(read_json(path, "reading", ReadingError), str(path))
