"""The notebooks run top to bottom on this install (no network), and are committed clean."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

import nerchinsk_map as nm

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LATER_SECTION_RAN = "Share of the 1689 line still on the border"
LATER_SECTION_SKIPPED = "no `borders_later` layer"


def run(path: Path, cwd: Path, setup: str | None = None) -> nbformat.NotebookNode:
    """Execute a notebook in ``cwd`` (so its files land there); raise on any cell error."""
    nb = nbformat.read(path, as_version=4)
    if setup:
        nb.cells.insert(0, nbformat.v4.new_code_cell(setup))
    client = NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()
    return nb


def output_text(nb: nbformat.NotebookNode) -> str:
    """Every stream, plain-text and markdown output, joined."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts += [data.get("text/plain", ""), data.get("text/markdown", "")]
    return "\n".join(parts)


def test_the_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01_explore_layers.ipynb",
        "02_treaty_border_analysis.ipynb",
        "03_export_and_reuse.ipynb",
        "04_publication_figure.ipynb",
        "05_readings.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path):
    nb = run(path, tmp_path)
    if path.name.startswith("02_"):
        text = output_text(nb)
        if "borders_later" in nm.list_layers():
            assert LATER_SECTION_SKIPPED not in text
        else:
            assert LATER_SECTION_SKIPPED in text and LATER_SECTION_RAN not in text
    if path.name.startswith("03_"):
        assert (tmp_path / "output" / "gpkg" / "nerchinsk.gpkg").is_file()
        assert (tmp_path / "output" / "my_survey.geojson").is_file()
    if path.name.startswith("05_"):
        assert (tmp_path / "output" / "my_amazar.json").is_file() and (tmp_path / "output" / "readings_map.html").is_file()
        text = output_text(nb)
        assert "clause 2 (amazar), field to.at" in text and "area_between_km2" in text
    if path.name.startswith("04_"):
        assert (tmp_path / "output" / "treaty_1689.pdf").is_file()
    # whatever a notebook writes goes into output/, which git ignores in notebooks/
    assert {p.name for p in tmp_path.iterdir()} <= {"output"}
    assert not (ROOT / "notebooks" / "exports").exists() and not (ROOT / "exports").exists()


def test_the_notebooks_output_folder_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", "notebooks/output/x.pdf"], cwd=ROOT)
    assert ignored.returncode == 0


def later_borders_catalog(folder: Path) -> Path:
    """A copy of the shipped geodata plus a stand-in ``borders_later`` layer made of rivers."""
    shutil.copytree(nm.default_catalog().root, folder, dirs_exist_ok=True)
    rivers = nm.load_layer("rivers").set_index("id").geometry
    lines = {
        "aigun_1858": rivers[["argun", "amur"]].union_all(),
        "peking_1860": rivers["ussuri"],
        "modern": rivers[["argun", "amur", "ussuri"]].union_all(),
    }
    gpd.GeoDataFrame(
        {
            "id": list(lines),
            "name": ["Aigun 1858 (stand-in)", "Peking 1860 (stand-in)", "Today (stand-in)"],
            "source": "test stand-in", "method": "rivers layer", "precision_km": 2.0,
            "certainty": "probable", "start_date": None, "end_date": None,
        },
        geometry=list(lines.values()),
        crs="EPSG:4326",
    ).to_file(folder / "borders_later.geojson", driver="GeoJSON")
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    catalog["layers"] = [layer for layer in catalog["layers"] if layer["id"] != "borders_later"]
    catalog["layers"].append(
        {
            "id": "borders_later", "title": "Later borders (test stand-in)",
            "file": "borders_later.geojson", "geometry": "line", "group": "Later borders",
            "description": "Stand-in made from the rivers layer for the notebook test.",
            "style": {"base": {"color": "#000000", "weight": 2}},
            "sources": [{"dataset": "rivers layer", "version": "0", "licence": "public domain"}],
        }
    )
    (folder / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    return folder


def test_later_borders_section_runs_when_the_layer_exists(tmp_path):
    geodata = later_borders_catalog(tmp_path / "geodata")
    setup = (
        "import pathlib, nerchinsk_map.data.catalog as catalog_module\n"
        f"catalog_module.geodata_dir = lambda: pathlib.Path({str(geodata)!r})\n"
        "catalog_module.default_catalog.cache_clear()"
    )
    nb = run(ROOT / "notebooks" / "02_treaty_border_analysis.ipynb", tmp_path, setup)
    text = output_text(nb)
    assert LATER_SECTION_RAN in text and LATER_SECTION_SKIPPED not in text
