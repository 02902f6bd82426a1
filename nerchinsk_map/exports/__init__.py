"""Exports for other GIS: one module per format family (:mod:`.kml`; the Linked Places Format
for gazetteers, :mod:`.lpf`), the records every format shares (:mod:`.records`), the metadata
beside the data (:mod:`.metadata`), styles (:mod:`.styles`) and the QGIS project (:mod:`.qgis`);
:mod:`.exporter` writes them. ``nm.export`` is the entry point.

(The wing is ``exports`` so that the package's ``export`` function keeps its name.)
"""
