"""The published JSON Schema of a layer catalog (``geodata/catalog.schema.json``) and the check
that every catalog passes before use, with a one-line message naming the layer and the field,
e.g. ``catalog.json: layer 'forts': style.base.color: 'banana' is not a colour``."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CatalogError
from ..files.locations import geodata_dir

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

SCHEMA_NAME = "catalog.schema.json"


def schema_path() -> Path:
    """The schema file shipped beside the catalog."""
    return geodata_dir() / SCHEMA_NAME


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    """A validator for the shipped schema."""
    from jsonschema import (
        Draft202012Validator,  # lazy: jsonschema takes ~1 s to import with its format checkers
    )

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _field(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(error: ValidationError, raw: Any) -> str:
    """One line for a schema error: the layer (by id), the field, what is wrong."""
    path = list(error.absolute_path)
    where = ""
    if len(path) >= 2 and path[0] == "layers" and isinstance(path[1], int):
        layer = raw["layers"][path[1]]
        layer_id = layer.get("id") if isinstance(layer, dict) else None
        where = f"layer {layer_id!r}: " if isinstance(layer_id, str) else f"layer {path[1] + 1}: "
        path = path[2:]
    field = _field(path)
    title = error.schema.get("title") if isinstance(error.schema, dict) else None
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        problem = f"lacks {missing!r}"
    elif error.validator == "additionalProperties" and error.validator_value is False:
        problem = error.message.replace("Additional properties are not allowed", "unknown entry")
    elif title and error.validator not in ("enum", "minItems", "maxItems"):
        problem = f"{_shown(error.instance)} is not {title}"
    else:
        problem = error.message if len(error.message) <= 120 else error.message[:117] + "..."
    return f"{where}{field}: {problem}" if field else f"{where}{problem}"


def check_catalog(raw: Any, where: str) -> None:
    """Raise :class:`CatalogError` (one line, prefixed with ``where``) unless ``raw`` follows
    the schema; the first problem in document order is named."""
    error = next(iter(validator().iter_errors(raw)), None)
    if error is not None:
        raise CatalogError(f"{where}: {describe(error, raw)}")
