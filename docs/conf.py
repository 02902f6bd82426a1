"""Sphinx configuration of the nerchinsk-map documentation.

Build it (offline, warnings as errors) from the repository's root::

    .venv/bin/sphinx-build -W --keep-going -b html docs docs/_build/html

The notebooks in ``notebooks/`` are executed during the build (myst-nb, in a temporary folder
each), the API reference comes from the docstrings (autodoc + numpydoc) and the JSON Schemas'
reference pages are generated from the schema files (``docs/_ext/schema_pages.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

import nerchinsk_map  # noqa: E402  (the installed package: editable in a clone)

project = "nerchinsk-map"
author = "nerchinsk-map maintainers"
copyright = "2026, nerchinsk-map maintainers"  # noqa: A001 - Sphinx's name
version = release = nerchinsk_map.__version__

extensions = [
    "myst_nb",  # Markdown pages (MyST) and executed notebooks
    "sphinx.ext.autodoc",
    "numpydoc",
    "sphinx.ext.viewcode",
    "schema_pages",  # reference pages generated from the JSON Schemas
    "notebook_gallery",  # the notebooks copied in from notebooks/ before the build
    "cli_page",  # the command-line reference from the program's own parser
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
root_doc = "index"

# --- MyST and the notebooks --------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
nb_execution_mode = "force"  # run every notebook at every build: the gallery is never stale
nb_execution_in_temp = True  # each runs in a temporary folder (its output/ lands there)
nb_execution_timeout = 900
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_merge_streams = True
# warnings a library prints stay visible in the page, as in Jupyter
nb_output_stderr = "show"

# --- API reference -----------------------------------------------------------------------
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
autodoc_mock_imports: list[str] = []
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# --- HTML --------------------------------------------------------------------------------
html_theme = "alabaster"  # ships with Sphinx: no network, no extra package
html_title = "nerchinsk-map"
html_static_path: list[str] = []
html_theme_options = {
    "description": "The 1689 Treaty of Nerchinsk as sourced GIS layers and an offline map",
    "fixed_sidebar": False,
    "page_width": "1100px",
}
html_show_sourcelink = False


def _module_sections_as_rubrics(app, what, name, obj, options, lines):  # noqa: ANN001
    """Show a module docstring's numpy sections (``Examples`` + underline) as rubrics.

    numpydoc does this for functions and classes; a module's sections would otherwise become
    document sections, and two modules with an ``Examples`` section on different pages would
    claim the same label.
    """
    if what != "module":
        return
    for i in range(len(lines) - 1):
        title, rule = lines[i], lines[i + 1]
        if title.strip() and rule.strip() and set(rule.strip()) == {"-"} and len(rule.strip()) == len(title.strip()):
            lines[i], lines[i + 1] = f".. rubric:: {title.strip()}", ""


def setup(app):  # noqa: ANN001, ANN201
    """Register the docstring hook."""
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics)
