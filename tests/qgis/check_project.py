"""Run by tests/test_qgis.py under Debian's /usr/bin/python3 with PyQGIS (python3-qgis), not the
project's venv:  python3 check_project.py EXPORT_FOLDER IMAGE.png
Prints one JSON object: what QGIS made of the GeoPackage's default styles and of the project."""

import json
import os
import sqlite3
import sys
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

folder, image = Path(sys.argv[1]), sys.argv[2]
app = QgsApplication([], False)
app.initQgis()


def symbol_colours(renderer):
    out = []
    if renderer.type() == "categorizedSymbol":
        categories = renderer.categories()  # copies: keep them alive while reading the symbols
        items = [(str(c.value()), c.label(), c.symbol()) for c in categories]
    else:
        items = [("", "", renderer.symbol())]
    for value, label, symbol in items:
        layers = []
        for i in range(symbol.symbolLayerCount()):
            sl = symbol.symbolLayer(i)
            props = sl.properties()
            layers.append({
                "class": sl.layerType(),
                "color": sl.color().name(QColor.HexArgb),
                "stroke": sl.strokeColor().name(QColor.HexArgb) if hasattr(sl, "strokeColor") else None,
                "dash": props.get("use_custom_dash", "0"),
            })
        out.append({"value": value, "label": label, "layers": layers})
    return out


result = {"gpkg": {}, "project": {}}
gpkg = folder / "nerchinsk.gpkg"
whole = QgsVectorLayer(str(gpkg), "all", "ogr")
for name in whole.dataProvider().subLayers():
    table = name.split("!!::!!")[1]
    layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")  # loads the default style
    result["gpkg"][table] = {
        "valid": layer.isValid(),
        "features": layer.featureCount(),
        "renderer": layer.renderer().type(),
        "attr": getattr(layer.renderer(), "classAttribute", lambda: None)(),
        "symbols": symbol_colours(layer.renderer()),
        "labels": layer.labelsEnabled(),
    }

# the SLD of each layer, as another client would read it: QGIS's own SLD reader
with sqlite3.connect(gpkg) as db:
    slds = dict(db.execute("SELECT f_table_name, styleSLD FROM layer_styles"))
result["sld"] = {}
for table, text in slds.items():
    path = Path(image).with_name(f"{table}.sld")
    path.write_text(text, encoding="utf-8")
    layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
    message, ok = layer.loadSldStyle(str(path))
    result["sld"][table] = {"ok": ok, "message": message, "renderer": layer.renderer().type(),
                            "labels": layer.labelsEnabled()}

project = QgsProject.instance()
ok = project.read(str(folder / "nerchinsk.qgz"))
root = project.layerTreeRoot()
result["project"] = {
    "read": ok,
    "groups": [g.name() for g in root.children()],
    "order": [layer.id() for layer in root.layerOrder()],
    "valid": {layer.id(): layer.isValid() for layer in project.mapLayers().values()},
    "renderers": {layer.id(): layer.renderer().type() for layer in project.mapLayers().values()},
    "labels": {layer.id(): layer.labelsEnabled() for layer in project.mapLayers().values()},
    "visible": [layer.id() for layer in root.checkedLayers() if layer],
    "tree": [(n.layerId(), bool(n.layer())) for n in root.findLayers()],
    "crs": {"valid": project.crs().isValid(), "authid": project.crs().authid()},
}
view = project.viewSettings().defaultViewExtent()
result["project"]["extent"] = {"box": [view.xMinimum(), view.yMinimum(), view.xMaximum(), view.yMaximum()],
                               "crs": view.crs().authid(), "empty": view.isEmpty()}

settings = QgsMapSettings()
settings.setLayers([lyr for lyr in root.layerOrder() if lyr.id() in result["project"]["visible"]])
settings.setDestinationCrs(project.crs())
settings.setExtent(QgsRectangle(112, 46, 142, 58))
settings.setOutputSize(QSize(1200, 480))  # the extent's 30:12, so pixels stay square
settings.setBackgroundColor(QColor("white"))
job = QgsMapRendererParallelJob(settings)
job.start()
job.waitForFinished()
job.renderedImage().save(image, "png")
result["image"] = image
print(json.dumps(result))
sys.stdout.flush()
os._exit(0)  # QGIS 3.22 can crash while tearing down; the result is already printed
