"""Publication figures of the treaty map: matplotlib through geopandas, in a conic projection
centred on the Amur, with graticule, scale bar, north arrow, legend, labels, locator inset and
credit line.

>>> from nerchinsk_map.figure import render_figure, write_figure
>>> fig = render_figure(lang="ru")          # a matplotlib Figure; fig.nerchinsk says what it drew
>>> write_figure("treaty.pdf", year=1900)   # PNG, SVG or PDF from the suffix
"""

from .render import FORMATS, FigureInfo, in_year, render_figure, save_figure, write_figure, year_of

__all__ = ["FORMATS", "FigureInfo", "in_year", "render_figure", "save_figure", "write_figure", "year_of"]
