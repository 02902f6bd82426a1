"""Sphinx extension: a reference page for each JSON Schema the project publishes.

The schemas are the formats users write files in (a layer catalog, a reading, a story), so
their reference pages are generated from the schema files themselves at each build and can
never disagree with them: the schema's title and description, a table of every property
(type, whether it is required, its description and its allowed values) for the top level and
each definition (``$defs``), then the complete schema. Pages go to
``docs/reference/schemas/`` (git ignores them). A stories schema
(``geodata/stories/*.schema.json``) gets its page as soon as it exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

#: (page name, schema file relative to the repository, what users write in this format)
SCHEMAS = [
    ("catalog", "geodata/catalog.schema.json", "a layer catalog (`catalog.json`, `--catalog`)"),
    ("reading", "nerchinsk_map/readings/schema.json", "a reading of a treaty (`reading build`)"),
]
STORIES_GLOB = "geodata/stories/*.schema.json"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (pipes escaped, one line)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def describe_type(spec: Any) -> str:
    """A short human reading of a property's type: ``string``, ``array of clause``...

    Examples
    --------
    >>> describe_type({"type": "array", "items": {"$ref": "#/$defs/clause"}})
    'array of `clause`'
    >>> describe_type({"enum": ["a", "b"]})
    'one of `a`, `b`'
    """
    if not isinstance(spec, dict):
        return ""
    if "$ref" in spec:
        return f"`{spec['$ref'].rsplit('/', 1)[-1]}`"
    if "const" in spec:
        return f"`{json.dumps(spec['const'], ensure_ascii=False)}`"
    if "enum" in spec:
        return "one of " + ", ".join(f"`{v}`" for v in spec["enum"])
    for key in ("oneOf", "anyOf"):
        if key in spec:
            return " or ".join(filter(None, (describe_type(s) for s in spec[key])))
    kind = spec.get("type", "")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array" and isinstance(spec.get("items"), dict):
        inner = describe_type(spec["items"])
        return f"array of {inner}" if inner else "array"
    return str(kind)


def _limits(spec: dict[str, Any]) -> str:
    """Constraints worth showing: pattern, bounds, lengths."""
    out = []
    for key in ("pattern", "format", "minimum", "maximum", "exclusiveMinimum", "minLength",
                "maxLength", "minItems", "maxItems"):
        if key in spec:
            out.append(f"{key} `{spec[key]}`")
    return ", ".join(out)


def properties_table(node: dict[str, Any]) -> list[str]:
    """Markdown table rows of an object schema's properties."""
    props = node.get("properties") or {}
    if not props:
        return []
    required = set(node.get("required", []))
    rows = ["| property | type | required | description |", "| --- | --- | --- | --- |"]
    for name, spec in props.items():
        spec = spec if isinstance(spec, dict) else {}
        text = spec.get("description", "")
        limits = _limits(spec)
        if limits:
            text = f"{text} ({limits})" if text else limits
        rows.append(
            f"| `{name}` | {_cell(describe_type(spec))} | {'yes' if name in required else ''} "
            f"| {_cell(text)} |"
        )
    return rows


def schema_page(name: str, path: Path, relpath: str, what: str) -> str:
    """The MyST Markdown of one schema's reference page."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    title = schema.get("title", name)
    lines = [f"# {name.capitalize()} schema", "", f"*{_cell(title)}*", ""]
    lines += [f"The format of {what}: the JSON Schema `{relpath}`"]
    if "$id" in schema:
        lines[-1] += f" (`$id` `{schema['$id']}`)"
    lines[-1] += ", checked with `jsonschema` before a file is used."
    if schema.get("description"):
        lines += ["", _cell(schema["description"])]
    lines += ["", "## Top level", ""] + properties_table(schema)
    if schema.get("additionalProperties") is False:
        lines += ["", "No other property is allowed."]
    for def_name, node in (schema.get("$defs") or schema.get("definitions") or {}).items():
        lines += ["", f"## `{def_name}`", ""]
        if node.get("description"):
            lines += [_cell(node["description"]), ""]
        table = properties_table(node)
        lines += table or [f"Type: {_cell(describe_type(node)) or 'see the schema'}."]
    lines += ["", "## The complete schema", "", "```{literalinclude} " + f"/../{relpath}",
              ":language: json", "```", ""]
    return "\n".join(lines)


def write_pages(app: Sphinx) -> None:
    """Write one page per schema into ``docs/reference/schemas/`` (only when changed)."""
    root = Path(app.srcdir).parent
    out = Path(app.srcdir) / "reference" / "schemas"
    out.mkdir(parents=True, exist_ok=True)
    entries = list(SCHEMAS)
    for path in sorted(root.glob(STORIES_GLOB)):
        entries.append((path.name.split(".")[0], path.relative_to(root).as_posix(), "a story"))
    written = set()
    for name, rel, what in entries:
        page = out / f"{name}.md"
        text = schema_page(name, root / rel, rel, what)
        if not page.exists() or page.read_text(encoding="utf-8") != text:
            page.write_text(text, encoding="utf-8")
        written.add(page.name)
    index = out / "index.md"
    text = "\n".join([
        "# File formats", "",
        "The JSON Schemas of the files users write. Each page is generated from its schema file",
        "at every build of this site, so it says exactly what the program checks.", "",
        "```{toctree}", ":maxdepth: 1", "", *(name for name, _, _ in entries), "```", "",
    ])
    if not index.exists() or index.read_text(encoding="utf-8") != text:
        index.write_text(text, encoding="utf-8")
    written.add(index.name)
    for stale in out.glob("*.md"):
        if stale.name not in written:
            stale.unlink()


def setup(app: Sphinx) -> dict[str, object]:
    """Register the page writer (before Sphinx looks for documents)."""
    app.connect("builder-inited", write_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
