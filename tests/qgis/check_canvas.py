"""Run by tests/test_qgis.py under Debian's /usr/bin/python3 with PyQGIS (python3-qgis), not the
project's venv:  python3 check_canvas.py PROJECT.qgz
Prints one JSON object: the extent and CRS of a map canvas (the widget QGIS desktop draws in)
after it read the project, as QGIS desktop does on opening it."""

import json
import os
import sys

from qgis.core import QgsApplication, QgsProject
from qgis.gui import QgsMapCanvas

app = QgsApplication([], True)  # a canvas is a widget: the GUI application (offscreen platform)
app.initQgis()
canvas = QgsMapCanvas()
project = QgsProject.instance()
project.readProject.connect(canvas.readProject)
ok = project.read(sys.argv[1])
extent = canvas.extent()
print(json.dumps({"read": ok, "crs": canvas.mapSettings().destinationCrs().authid(),
                  "box": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()]}))
sys.stdout.flush()
os._exit(0)  # QGIS 3.22 can crash while tearing down; the result is already printed
