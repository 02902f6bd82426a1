"""Styles that travel with the data: the GeoPackage's ``layer_styles`` table (the table QGIS
reads a layer's default style from: QML, and SLD for other clients) and a QGIS project
(``.qgz``) with the layers in the map's order and groups."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from lxml import etree

from ..data.catalog import LayerSpec
from .kml import xml_text
from .styles import QGIS_VERSION, labelled, layer_elements, qml, sld

GEOMETRY_COLUMN = "geom"  # what GDAL's GeoPackage driver names it
STYLE_NAME = "nerchinsk-map"
# The table as QGIS creates it (QgsOgrProvider / GDAL's GPKG driver).
LAYER_STYLES = """
CREATE TABLE IF NOT EXISTS layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
  f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT,
  styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
  update_time DATETIME DEFAULT CURRENT_TIMESTAMP)
"""
QGIS_GEOMETRY = {"polygon": "Polygon", "line": "Line", "point": "Point"}
WGS84_WKT = (
    'GEOGCRS["WGS 84",ENSEMBLE["World Geodetic System 1984 ensemble",'
    'MEMBER["World Geodetic System 1984 (Transit)"],MEMBER["World Geodetic System 1984 (G730)"],'
    'MEMBER["World Geodetic System 1984 (G873)"],MEMBER["World Geodetic System 1984 (G1150)"],'
    'MEMBER["World Geodetic System 1984 (G1674)"],MEMBER["World Geodetic System 1984 (G1762)"],'
    'MEMBER["World Geodetic System 1984 (G2139)"],ELLIPSOID["WGS 84",6378137,298.257223563,'
    'LENGTHUNIT["metre",1]],ENSEMBLEACCURACY[2.0]],PRIMEM["Greenwich",0,'
    'ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic latitude (Lat)",'
    'north,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],AXIS["geodetic longitude (Lon)",'
    'east,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],USAGE[SCOPE["Horizontal component of '
    '3D system."],AREA["World."],BBOX[-90,-180,90,180]],ID["EPSG",4326]]'
)


def add_layer_styles(gpkg: Path, specs: Sequence[LayerSpec],
                     labels: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Store each layer's QML and SLD in ``gpkg``'s ``layer_styles`` table as its default style
    (registered in ``gpkg_contents`` as an attributes table, as GDAL does). ``labels``: per
    layer, the legend label of each style value."""
    labels = labels or {}
    with sqlite3.connect(gpkg) as db:
        db.execute(LAYER_STYLES)
        db.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description,"
            " last_change) VALUES ('layer_styles', 'attributes', 'layer_styles',"
            " 'QGIS (QML) and SLD styles of the layers', strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
        )
        for spec in specs:
            db.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (spec.id,))
            db.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name,"
                " f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description,"
                " owner, ui, update_time) VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', '',"
                " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                (spec.id, GEOMETRY_COLUMN, STYLE_NAME, qml(spec, labels.get(spec.id)),
                 sld(spec, labels.get(spec.id)),
                 f"{xml_text(spec.title)}: the style of the nerchinsk-map map"),
            )


def layer_id(spec: LayerSpec) -> str:
    """The project's id for a layer: QGIS 3.22 replaces ids of ten characters or fewer with new
    random ones when it reads a project (and the layer tree then loses those layers)."""
    return f"nerchinsk_{spec.id}"


def _srs(parent: etree._Element) -> None:
    srs = etree.SubElement(parent, "spatialrefsys", nativeFormat="Wkt")
    for tag, text in (("wkt", WGS84_WKT), ("proj4", "+proj=longlat +datum=WGS84 +no_defs"),
                      ("srsid", "3452"), ("srid", "4326"), ("authid", "EPSG:4326"),
                      ("description", "WGS 84"), ("projectionacronym", "longlat"),
                      ("ellipsoidacronym", "EPSG:7030"), ("geographicflag", "true")):
        etree.SubElement(srs, tag).text = text


def view_extent(bounds: Sequence[float], margin: float = 0.1) -> tuple[float, float, float, float]:
    """``bounds`` (minx, miny, maxx, maxy, degrees) widened by ``margin`` of its size on each side.

    Examples
    --------
    >>> view_extent((110, 45, 130, 55))
    (108.0, 44.0, 132.0, 56.0)
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    return (round(minx - dx, 6), round(miny - dy, 6), round(maxx + dx, 6), round(maxy + dy, 6))


def _extent(parent: etree._Element, extent: Sequence[float]) -> None:
    for tag, value in zip(("xmin", "ymin", "xmax", "ymax"), extent, strict=True):
        etree.SubElement(parent, tag).text = repr(float(value))


def _view(root: etree._Element, extent: Sequence[float]) -> None:
    """The saved view: the map canvas QGIS opens on (``mapcanvas``) and the project's default
    view extent (``ProjectViewSettings``), both in the project CRS (EPSG:4326)."""
    canvas = etree.SubElement(root, "mapcanvas", name="theMapCanvas", annotationsVisible="1")
    etree.SubElement(canvas, "units").text = "degrees"
    _extent(etree.SubElement(canvas, "extent"), extent)
    etree.SubElement(canvas, "rotation").text = "0"
    _srs(etree.SubElement(canvas, "destinationsrs"))
    etree.SubElement(canvas, "rendermaptile").text = "0"
    settings = etree.SubElement(root, "ProjectViewSettings", UseProjectScales="0", rotation="0")
    etree.SubElement(settings, "Scales")
    default = etree.SubElement(settings, "DefaultViewExtent", **dict(
        zip(("xmin", "ymin", "xmax", "ymax"), (repr(float(v)) for v in extent), strict=True)))
    _srs(default)


def project_xml(gpkg_name: str, specs: Sequence[LayerSpec], title: str,
                labels: Mapping[str, Mapping[str, str]] | None = None,
                extent: Sequence[float] | None = None) -> bytes:
    """A QGIS 3 project (``.qgs``) whose layers are the tables of ``gpkg_name`` (a path
    relative to the project), styled as on the map, grouped as in the catalog and drawn in the
    catalog's order (the first layer at the bottom). Its CRS is EPSG:4326, and it opens on
    ``extent`` (minx, miny, maxx, maxy in degrees) when one is given."""
    title = xml_text(title)
    root = etree.Element("qgis", projectname=title, version=QGIS_VERSION)
    etree.SubElement(root, "title").text = title
    _srs(etree.SubElement(root, "projectCrs"))
    if extent is not None:
        _view(root, extent)
    tree = etree.SubElement(root, "layer-tree-group")
    groups: dict[str, etree._Element] = {}
    # Groups as in the catalog's layer control; the drawing order is the catalog's own (a
    # group's layers are not always neighbours in it), kept as the tree's custom order.
    order = etree.SubElement(tree, "custom-order", enabled="1")
    for spec in reversed(specs):  # the first item is drawn on top
        group = groups.get(spec.group)
        if group is None:
            group = groups[spec.group] = etree.SubElement(
                tree, "layer-tree-group", name=xml_text(spec.group), checked="Qt::Checked",
                expanded="1")
        source = f"./{gpkg_name}|layername={spec.id}"
        etree.SubElement(group, "layer-tree-layer", id=layer_id(spec), name=xml_text(spec.title),
                         source=source,
                         providerKey="ogr", expanded="0",
                         checked="Qt::Checked" if spec.show else
                         "Qt::Unchecked")
        etree.SubElement(order, "item").text = layer_id(spec)
    layers = etree.SubElement(root, "projectlayers")
    for spec in specs:
        layer = etree.SubElement(layers, "maplayer", type="vector",
                                 geometry=QGIS_GEOMETRY[spec.geometry],
                                 labelsEnabled="1" if labelled(spec) else "0",
                                 styleCategories="AllStyleCategories")
        etree.SubElement(layer, "id").text = layer_id(spec)
        etree.SubElement(layer, "datasource").text = f"./{gpkg_name}|layername={spec.id}"
        etree.SubElement(layer, "layername").text = xml_text(spec.title)
        etree.SubElement(layer, "abstract").text = xml_text(spec.description)
        _srs(etree.SubElement(layer, "srs"))
        etree.SubElement(layer, "provider", encoding="UTF-8").text = "ogr"
        for element in layer_elements(spec, (labels or {}).get(spec.id)):
            layer.append(element)
    properties = etree.SubElement(root, "properties")
    paths = etree.SubElement(properties, "Paths")
    etree.SubElement(paths, "Absolute", type="bool").text = "false"
    # QGIS 3.22 reads <projectCrs> only when this legacy flag is set; without it the project's
    # CRS is invalid (QgsProject.crs().isValid() is False)
    srs = etree.SubElement(properties, "SpatialRefSys")
    etree.SubElement(srs, "ProjectionsEnabled", type="int").text = "1"
    return etree.tostring(root, xml_declaration=False, encoding="utf-8", pretty_print=True)


def write_project(path: Path, gpkg_name: str, specs: Sequence[LayerSpec], title: str,
                  labels: Mapping[str, Mapping[str, str]] | None = None,
                  extent: Sequence[float] | None = None) -> None:
    """Write the ``.qgz`` (a zip holding the ``.qgs``) at ``path``, reproducibly; it opens on
    ``extent`` (see :func:`project_xml`)."""
    info = zipfile.ZipInfo(path.with_suffix(".qgs").name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(info, b"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                         + project_xml(gpkg_name, specs, title, labels, extent))
