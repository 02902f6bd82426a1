"""What a reading compiles against: the rivers layer, the derived basins and the coast.

``data rebuild`` passes the frames it has just derived; a user's compile reads the committed
``rivers`` and ``watersheds`` layers (the same hydrology, at full written precision) and takes
the Natural Earth land and rivers from the package's raw inputs when a clause needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.ops import linemerge

from ..errors import HydrologyError
from ..files.locations import geodata_dir
from ..hydrology.cache import basin_at
from ..rawdata.sources import check_data_dir, default_data_dir, natural_earth
from .model import ReadingError
from .points import resolve


@dataclass
class Context:
    """What a reading is compiled on: rivers, basins and the raw Natural Earth inputs.

    Parameters
    ----------
    rivers : mapping of str to shapely.LineString
        Each river of the ``rivers`` layer, from source to mouth, by id.
    river_sources : mapping of str to str
        Each river's source text (cited in the compiled features).
    basins : mapping of str to shapely geometry
        The drainage basins of the ``watersheds`` layer, by id.
    basin_source : str
        The basins' source text.
    data_dir : pathlib.Path, optional
        The raw inputs (Natural Earth cuts, the DEM); default: the package's ``rawdata``.
    land : shapely geometry, optional
        The Natural Earth land, read when a ``coast`` clause first needs it.

    See Also
    --------
    default_context : the context of the shipped layers.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> ctx = nm.readings.default_context()
    >>> "gorbitsa" in ctx.rivers and "amur" in ctx.basins
    True
    >>> line = nm.readings.compile("gorbitsa_amazar", ctx)
    """

    rivers: Mapping[str, LineString]
    river_sources: Mapping[str, str]
    basins: Mapping[str, shapely.Geometry]
    basin_source: str
    data_dir: Path | None = None
    land: shapely.Geometry | None = None
    _ne_rivers: dict[str, LineString] = field(default_factory=dict)

    def river(self, rid: str, where: str) -> LineString:
        """The river ``rid``, source to mouth; a :class:`ReadingError` at ``where`` if unknown."""
        if rid not in self.rivers:
            raise ReadingError(f"{where}: no river {rid!r} in the rivers layer ({', '.join(sorted(self.rivers))})")
        return self.rivers[rid]

    def basin(self, bid: str | dict, where: str) -> shapely.Geometry:
        """The basin ``bid`` (a watersheds id, or ``{"outlet": point}`` derived on demand)."""
        if isinstance(bid, dict):  # {"outlet": point}: derived on demand, cached on disk
            outlet = resolve(bid["outlet"], self, f"{where}.outlet")
            try:
                return basin_at(outlet.x, outlet.y, self.data_dir)
            except HydrologyError as exc:
                raise ReadingError(f"{where}.outlet: {exc}") from None
        if bid not in self.basins:
            raise ReadingError(f"{where}: no basin {bid!r} in the watersheds layer ({', '.join(sorted(self.basins))})")
        return self.basins[bid]

    def _data_dir(self) -> Path:
        return check_data_dir(self.data_dir or default_data_dir())

    @cached_property
    def coastline(self) -> shapely.Geometry:
        """The Natural Earth 1:10m land outline."""
        land = self.land
        if land is None:
            land = shapely.union_all(natural_earth(self._data_dir(), "ne_10m_land").geometry.to_numpy())
        return shapely.union_all([p.exterior for p in shapely.get_parts(land)])

    def natural_earth_river(self, name: str, where: str) -> LineString:
        """A Natural Earth 1:10m river by its name, its parts joined (longest part if they do not join)."""
        if name not in self._ne_rivers:
            ne = natural_earth(self._data_dir(), "ne_10m_rivers_lake_centerlines")
            parts = ne[ne["name"] == name].geometry
            if parts.empty:
                raise ReadingError(f"{where}: no river named {name!r} in Natural Earth ne_10m_rivers_lake_centerlines")
            merged = shapely.union_all(parts.to_numpy())
            if isinstance(merged, MultiLineString):
                merged = linemerge(merged)
            if isinstance(merged, MultiLineString):
                merged = max(merged.geoms, key=lambda g: g.length)
            self._ne_rivers[name] = merged
        return self._ne_rivers[name]


def default_context() -> Context:
    """The context of the shipped layers: the committed rivers and watersheds.

    Natural Earth comes from the package's raw inputs. The context is made once and shared.

    Returns
    -------
    Context
        The rivers and basins readings are compiled on.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> sorted(nm.readings.default_context().basins)
    ['amazar', 'amur', 'argun', 'gorbitsa', 'shilka', 'zeya']
    """
    rivers = gpd.read_file(geodata_dir() / "rivers.geojson").set_index("id")
    basins = gpd.read_file(geodata_dir() / "watersheds.geojson").set_index("id")
    return Context(
        rivers=dict(rivers.geometry.items()),
        river_sources=dict(rivers["source"].items()),
        basins=dict(basins.geometry.items()),
        basin_source=str(basins["source"].iloc[0]),
    )


def frame_context(
    rivers: gpd.GeoDataFrame, basins: gpd.GeoDataFrame, basin_source: str, land: shapely.Geometry, data_dir: Path
) -> Context:
    """A context from frames the pipeline has just derived (``data rebuild``)."""
    r = rivers.set_index("id")
    return Context(
        rivers=dict(r.geometry.items()),
        river_sources=dict(r["source"].items()),
        basins=dict(basins.set_index("id").geometry.items()),
        basin_source=basin_source,
        data_dir=data_dir,
        land=land,
    )
