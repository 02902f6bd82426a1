"""The raw inputs (Natural Earth cuts, the DEM cut, the curated control points in ``curated/``),
their licences and sums, and :mod:`.sources`, the code that reads them."""
