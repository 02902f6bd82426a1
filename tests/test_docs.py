"""The project's checked habits: documented public API whose examples run, type checking, lint,
a README whose links resolve and whose user catalog validates, a valid CITATION.cff.

The documentation site itself is built by ``.ci/run`` (``sphinx-build -W``); these are the
fast checks that run with the tests.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import json
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, cli
from jsonschema import Draft7Validator, FormatChecker

import nerchinsk_map as nm

# The public namespaces: ``nm`` and the modules a user reaches through it.
NAMESPACES = {
    "nm": nm,
    "nm.readings": nm.readings,
    "nm.dates": nm.dates,
    "nm.analysis": nm.analysis,
    "nm.calendars": nm.calendars,
}
EXAMPLES = re.compile(r"^\s*Examples\n\s*-{8}\n", re.M)
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def public_objects() -> list[tuple[str, object]]:
    """Every function and class named in the ``__all__`` of a public namespace."""
    found = []
    for prefix, module in NAMESPACES.items():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found.append((f"{prefix}.{name}", obj))
    return found


def defining_modules() -> list[str]:
    """The modules that define the public objects, and the public namespaces themselves."""
    names = {obj.__module__ for _, obj in public_objects()}  # type: ignore[attr-defined]
    names |= {module.__name__ for module in NAMESPACES.values()}
    return sorted(names)


def test_every_public_namespace_says_what_it_exports():
    for prefix, module in NAMESPACES.items():
        assert isinstance(getattr(module, "__all__", None), list), f"{prefix} has no __all__"
        assert all(hasattr(module, name) for name in module.__all__), prefix
    assert len(public_objects()) >= 40


@pytest.mark.parametrize("name, obj", public_objects(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_public_function_and_class_has_a_numpy_docstring_with_examples(name, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{name} has no docstring"
    summary = doc.split("\n\n", 1)[0]
    assert "\n" not in summary and summary.endswith("."), f"{name}: the summary is not one sentence line"
    assert EXAMPLES.search(doc), f"{name} has no 'Examples' section"
    assert ">>> " in doc.split("Examples", 1)[1], f"{name}: its Examples section has no example"
    if inspect.isfunction(obj) and [p for p in inspect.signature(obj).parameters if p not in ("self", "cls")]:
        assert re.search(r"^Parameters\n-{10}\n", doc, re.M), f"{name} has no 'Parameters' section"


@pytest.mark.parametrize("module_name", defining_modules())
def test_the_examples_run(module_name, tmp_path, monkeypatch):
    """Every example in the module's docstrings runs and prints what it says (doctest)."""
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    module = importlib.import_module(module_name)
    tests = [t for t in doctest.DocTestFinder(exclude_empty=True).find(module) if t.examples]
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    report: list[str] = []
    for test in tests:
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0, f"{module_name} has no example that runs"
    skipped = sum(1 for t in tests for e in t.examples if e.options.get(doctest.SKIP))
    assert skipped <= result.attempted // 4, f"{module_name}: {skipped} examples skipped"
    assert result.failed == 0, "".join(report)


# --- typing and lint ------------------------------------------------------------------------

def test_the_package_is_marked_typed():
    import tomllib

    assert (ROOT / "nerchinsk_map" / "py.typed").is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["nerchinsk_map"]


def _tool(name: str) -> list[str]:
    exe = shutil.which(name, path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", name]


def test_mypy_is_clean_on_the_package():
    result = subprocess.run(
        [*_tool("mypy"), "nerchinsk_map"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ruff_is_clean_with_import_order_and_docstring_rules():
    import tomllib

    rules = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["lint"]
    assert {"I", "D"} <= set(rules["select"]) and rules["pydocstyle"]["convention"] == "numpy"
    result = subprocess.run(
        [*_tool("ruff"), "check", "nerchinsk_map", "tests", "docs", "benchmarks", "scripts"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


# --- README ----------------------------------------------------------------------------------

README = ROOT / "README.md"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src=\"([^\"]+)\"")


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors of a Markdown file's headings."""
    out = set()
    for heading in re.findall(r"^#{1,6} (.+)$", markdown, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


def test_every_readme_link_resolves_in_the_tree():
    text = README.read_text(encoding="utf-8")
    targets = [a or b for a, b in LINK.findall(text)]
    assert len(targets) >= 5
    for target in targets:
        if re.match(r"[a-z]+://", target):
            continue
        path, _, anchor = target.partition("#")
        file = (ROOT / path) if path else README
        assert file.exists(), f"README links to {target}, which is not in the tree"
        if anchor and file.suffix == ".md":
            assert anchor in _anchors(file.read_text(encoding="utf-8")), f"README: no heading for {target}"


def test_the_readme_keeps_the_two_commands_and_links_to_the_guide():
    text = README.read_text(encoding="utf-8")
    assert "bash scripts/setup.sh" in text and ".venv/bin/pytest" in text
    assert "docs/guide/" in text
    assert len(text) < 15_000  # the manual lives in docs/


def _readme_block(marker: str) -> str:
    text = README.read_text(encoding="utf-8")
    assert marker in text, f"README lost its {marker} marker"
    return text.split(marker, 1)[1].split("```json\n", 1)[1].split("\n```", 1)[0]


def test_the_readme_user_catalog_is_the_guide_s_and_passes_validate(tmp_path):
    examples = ROOT / "docs" / "examples" / "my"
    catalog = json.loads(_readme_block("<!-- user-catalog-example -->"))
    layer = json.loads(_readme_block("<!-- user-layer-example -->"))
    assert catalog == json.loads((examples / "catalog.json").read_text(encoding="utf-8"))
    assert layer == json.loads((examples / "forts.geojson").read_text(encoding="utf-8"))
    folder = tmp_path / "my"
    folder.mkdir()
    (folder / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    (folder / catalog["layers"][0]["file"]).write_text(json.dumps(layer), encoding="utf-8")
    result = cli("validate", "--catalog", str(folder / "catalog.json"))
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert result.stdout.startswith("ok: 1 layers checked")


def test_the_guide_lists_every_property_validate_requires():
    """A property validate asks of each feature is in the guide's table of feature properties."""
    guide = (ROOT / "docs" / "guide" / "layers.md").read_text(encoding="utf-8")
    table = guide.split("**Each feature** needs", 1)[1].split("\n\n", 2)[1]
    documented = set(re.findall(r"^\| `([a-z_]+)`", table, re.M)) | set(re.findall(r", `([a-z_]+)` \|", table))
    required = _required_feature_properties()
    assert required and required <= documented, sorted(required - documented)


def _required_feature_properties() -> set[str]:
    """The feature properties ``validate`` requires (its ``REQUIRED``), and the name."""
    module: types.ModuleType | None = None
    for name in ("nerchinsk_map.data.validate", "nerchinsk_map.validate"):  # before / after the layout
        try:
            module = importlib.import_module(name)
            break
        except ImportError:
            continue
    assert module is not None
    return set(module.REQUIRED) | {"name"}


# --- citation and changelog ------------------------------------------------------------------

def test_citation_cff_follows_the_cff_1_2_schema():
    schema = json.loads((ROOT / "tests" / "schemas" / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    errors = [e.message for e in Draft7Validator(schema, format_checker=FormatChecker()).iter_errors(citation)]
    assert errors == []
    assert str(citation["version"]) == nm.__version__


def test_the_cff_schema_catches_a_broken_citation():
    """The check above can fail: a citation without authors, or with a bad licence, does not pass."""
    schema = json.loads((ROOT / "tests" / "schemas" / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for broken in ({**citation, "license": "Not-A-Licence"}, {k: v for k, v in citation.items() if k != "authors"}):
        assert list(Draft7Validator(schema).iter_errors(broken))


def test_the_changelog_has_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[([^\]]+)\]", text, re.M)
    assert versions[0] == "Unreleased" or versions[0] == nm.__version__
    assert nm.__version__ in versions
