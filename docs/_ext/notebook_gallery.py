"""Sphinx extension: the notebooks of ``notebooks/`` become the executed gallery.

Sphinx reads documents only inside ``docs/``, so at each build the notebooks are copied into
``docs/gallery/`` (git ignores the copies); myst-nb then executes them (``nb_execution_mode``
in ``conf.py``). A copy whose notebook was removed is deleted, so the gallery is exactly the
notebooks of the repository.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx


def copy_notebooks(app: Sphinx) -> None:
    """Copy ``notebooks/*.ipynb`` into ``docs/gallery/`` when they differ."""
    source = Path(app.srcdir).parent / "notebooks"
    gallery = Path(app.srcdir) / "gallery"
    gallery.mkdir(exist_ok=True)
    wanted = {p.name: p for p in sorted(source.glob("*.ipynb"))}
    for stale in gallery.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    for name, path in wanted.items():
        target = gallery / name
        if not target.exists() or target.read_bytes() != path.read_bytes():
            shutil.copyfile(path, target)


def setup(app: Sphinx) -> dict[str, object]:
    """Register the copy step (before Sphinx looks for documents)."""
    app.connect("builder-inited", copy_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
