"""The project's own error types: each carries a one-line message for the user."""


class NerchinskMapError(Exception):
    """Base class: a problem the user can fix, reported as one line without a traceback."""


class CatalogError(NerchinskMapError):
    """The layer catalog is missing, malformed or names files that do not exist."""


class UnknownLayerError(NerchinskMapError, KeyError):
    """A layer id that the catalog does not list."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class LayerDataError(NerchinskMapError):
    """A layer file that cannot be read or does not hold valid WGS 84 features."""


class HydrologyError(NerchinskMapError):
    """A basin that cannot be derived: an outlet outside the DEM, at sea or on no river."""


class OutputError(NerchinskMapError):
    """An output path that cannot or must not be written (a device, a folder, no permission)."""
