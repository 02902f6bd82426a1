"""The data pipeline: derive every file in ``geodata/`` from the raw inputs in
``../shared/data`` (Natural Earth 4.0.0, a 5′ DEM) and the curated control points in
``rawdata/curated``. Run it with ``nerchinsk-map data rebuild``."""
