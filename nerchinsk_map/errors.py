"""The project's own error types: each carries a one-line message for the user."""


class NerchinskMapError(Exception):
    """Base class of the problems a user can fix, reported as one line without a traceback.

    The command line prints such an error as one line on stderr and exits with code 2. Catch
    it to handle every such problem from Python.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> try:
    ...     nm.load_layer("no_such_layer")
    ... except nm.NerchinskMapError as exc:
    ...     print(type(exc).__name__)
    UnknownLayerError
    """


class CatalogError(NerchinskMapError):
    """The layer catalog is missing, malformed or names files that do not exist.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.read_catalog("no/such/catalog.json")
    Traceback (most recent call last):
    ...
    nerchinsk_map.errors.CatalogError: ...
    """


class UnknownLayerError(NerchinskMapError, KeyError):
    """A layer id that the catalog does not list.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> nm.load_layer("treaty_1690")
    Traceback (most recent call last):
    ...
    nerchinsk_map.errors.UnknownLayerError: ...
    """

    def __str__(self) -> str:  # KeyError would quote the message
        """The message, unquoted."""
        return str(self.args[0]) if self.args else ""


class LayerDataError(NerchinskMapError):
    """A layer file that cannot be read or does not hold valid WGS 84 features.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> import nerchinsk_map as nm
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.geojson"
    >>> _ = path.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    >>> nm.read_layer_file(path)
    Traceback (most recent call last):
    ...
    nerchinsk_map.errors.LayerDataError: ...
    """


class HydrologyError(NerchinskMapError):
    """A basin that cannot be derived: an outlet outside the DEM, at sea or on no river."""


class OutputError(NerchinskMapError):
    """An output path that cannot or must not be written (a device, a folder, no permission)."""


class InputFileError(NerchinskMapError):
    """An input file that is not a regular file, is too large, or is not strict UTF-8 JSON."""
