"""Hydrology from the raw inputs: drainage basins from the DEM (:mod:`.basins`, needs the
``pipeline`` extra), edge smoothing (:mod:`.smooth`) and basins on demand with a disk cache
(:mod:`.cache`), used by both the readings engine and the pipeline."""
