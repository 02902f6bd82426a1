"""The package's shape: wings that follow the data flow, no imports back up the flow, no cycles.

raw inputs (rawdata) → hydrology → readings → pipeline → geodata → data layer → map | exports |
figure; the foundations (errors, files, chronology, analysis) are used by all and use none of the
wings. An import inside a function is allowed only as a lazy import for speed or for an optional
extra, and must say so (a comment with "lazy" on its line), never to dodge a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nerchinsk_map"

# rank of each wing: a module may import only from wings of the same or a lower rank
RANK = {
    "errors": 0, "files": 0, "chronology": 0, "analysis": 0,
    "rawdata": 1,
    "hydrology": 2,
    "readings": 3,
    "pipeline": 4,
    "data": 5,
    "web": 6, "exports": 6, "figure": 6,
    "cli": 7, "__init__": 7,
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for p in PACKAGE.rglob("*.py")
        if "rawdata/scripts" not in p.as_posix()  # stand-alone scripts that cut the raw data
    }


def _wing(module: str) -> str:
    return module.split(".")[0]


def _imports(module: str, path: Path) -> list[tuple[str, int, bool, bool]]:
    """(imported package module, line, inside a function, under TYPE_CHECKING) for each import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    package = module.split(".") if is_pkg else module.split(".")[:-1]
    if module == "__init__":
        package = []
    found: list[tuple[str, int, bool, bool]] = []

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            func = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            typed = type_only or (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test))
            if isinstance(child, ast.ImportFrom) and child.level:
                base = package[: len(package) - child.level + 1]
                target = ".".join([*base, *(child.module.split(".") if child.module else [])])
                names = [target] if child.module else []
                names += [f"{target}.{a.name}".strip(".") for a in child.names]
                for name in names:
                    if name in MODULES:
                        found.append((name, child.lineno, in_function, type_only))
            elif isinstance(child, ast.ImportFrom | ast.Import):
                mods = [child.module] if isinstance(child, ast.ImportFrom) else [a.name for a in child.names]
                for m in mods:
                    if m and m.startswith("nerchinsk_map."):
                        name = m.removeprefix("nerchinsk_map.")
                        if name in MODULES:
                            found.append((name, child.lineno, in_function, type_only))
            visit(child, func, typed)

    visit(tree, False, False)
    return found


MODULES = _modules()


def test_every_module_belongs_to_a_wing():
    assert {_wing(m) for m in MODULES} <= set(RANK), {_wing(m) for m in MODULES} - set(RANK)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_up_the_flow(module):
    """A module imports nothing from a wing downstream of its own."""
    for target, line, _, type_only in _imports(module, MODULES[module]):
        if type_only or _wing(target) == _wing(module):
            continue
        assert RANK[_wing(target)] <= RANK[_wing(module)], (
            f"{module} (line {line}) imports {target}: {_wing(module)} may not reach {_wing(target)}"
        )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_function_imports_say_why(module):
    """An import of the package's own modules inside a function is a lazy one and says so
    (a comment with 'lazy' on its line, or the line before)."""
    lines = MODULES[module].read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                internal = (isinstance(inner, ast.ImportFrom) and (inner.level or (inner.module or "").startswith("nerchinsk_map"))) or (
                    isinstance(inner, ast.Import) and any(a.name.startswith("nerchinsk_map") for a in inner.names)
                )
                if internal:
                    text = " ".join(lines[inner.lineno - 2 : inner.end_lineno + 1]).lower()  # the line before, too
                    assert "lazy" in text, f"{module} line {inner.lineno}: an import in a function must say why (lazy: ...)"


def test_no_import_cycles():
    """No two package modules import each other, directly or through others (type-only imports aside)."""
    graph = {m: {t for t, _, _, type_only in _imports(m, p) if not type_only and t != m} for m, p in MODULES.items()}
    # a package's __init__ importing its own modules is not a cycle with them
    for m in graph:
        graph[m] = {t for t in graph[m] if not (m.startswith(t + ".") or t == "__init__")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_rank_rule_would_catch_a_back_import(tmp_path):
    """The checker itself: a made-up readings module that imports the data layer is caught."""
    fake = PACKAGE / "readings" / "compile.py"
    tree_imports = _imports("readings.compile", fake)
    assert all(_wing(t) != "data" for t, *_ in tree_imports)
    bad = tmp_path / "bad.py"
    bad.write_text("from ..data.layers import load_layer\n")
    found = _imports("readings.bad", bad)
    assert found and RANK[_wing(found[0][0])] > RANK["readings"]


def test_public_names_resolve_lazily():
    """Every name in ``__all__`` is importable from its wing, and importing the package loads no wing."""
    import subprocess
    import sys

    code = (
        "import sys, nerchinsk_map as nm\n"
        "heavy = [m for m in ('geopandas', 'folium', 'jsonschema', 'matplotlib') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert sorted(nm.__all__) == sorted(nm._PUBLIC), 'the __all__ list and the lazy table differ'\n"
        "for name in nm.__all__:\n"
        "    assert getattr(nm, name) is not None, name\n"
        "assert callable(nm.export) and nm.dates.__name__ == 'nerchinsk_map.chronology.dates'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
