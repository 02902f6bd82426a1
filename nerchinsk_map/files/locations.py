"""Where the package's own data lives: the shipped layers (``geodata/``) and the raw inputs.

The functions here import nothing else from the package, so every wing can ask where the data is
without reaching up the flow.

Examples
--------
>>> from nerchinsk_map.files.locations import geodata_dir
>>> (geodata_dir() / "catalog.json").is_file()
True
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CatalogError

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def geodata_dir() -> Path:
    """The folder of the shipped layers.

    ``geodata/`` beside the package in a clone or an editable install (so an edit there reaches
    the map), ``nerchinsk_map/geodata`` in an installed wheel.

    Returns
    -------
    pathlib.Path
        The folder that holds ``catalog.json``.

    Raises
    ------
    CatalogError
        When no ``catalog.json`` is found (a broken install).

    Examples
    --------
    >>> geodata_dir().name
    'geodata'
    """
    for candidate in (PACKAGE_DIR.parent / "geodata", PACKAGE_DIR / "geodata"):
        if (candidate / "catalog.json").is_file():
            return candidate
    raise CatalogError(f"no geodata/catalog.json found beside {PACKAGE_DIR}; is the package installed whole?")


def rawdata_dir() -> Path:
    """The raw inputs shipped in the package (``nerchinsk_map/rawdata``).

    Examples
    --------
    >>> (rawdata_dir() / "SHA256SUMS").is_file()
    True
    """
    return PACKAGE_DIR / "rawdata"
