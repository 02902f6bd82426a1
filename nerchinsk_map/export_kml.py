"""KML time: each exported placemark gets a ``<TimeSpan>`` (or a ``<TimeStamp>`` for a moment)
from the feature's dates, so that Google Earth's time slider shows it in its years. GDAL's KML
driver writes none, so they are added to the written file.

The bounds are the ISO ``start_date``/``end_date`` (the EDTF values' earliest start and latest
end, see ``nerchinsk_map.dates``); they are ``xsd:gYear``, ``gYearMonth`` or ``date`` values, as
KML's ``begin``/``end``/``when`` take them. The EDTF strings themselves travel as properties."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import geopandas as gpd

from . import dates

KML_NS = "http://www.opengis.net/kml/2.2"
BEFORE = ("name", "visibility", "open", "address", "phoneNumber", "Snippet", "description")


def time_primitive(props: dict) -> tuple[str, str | None, str | None] | None:
    """``("TimeSpan", begin, end)``, ``("TimeStamp", when, None)`` or None (undated)."""
    try:
        start, end = dates.start_end(props)
        if start is None and end in (None, dates.OPEN):
            return None
        if start is not None and end is None:  # a moment: its own span, or its day/month/year
            low, high = dates.bounds(start)
            return ("TimeStamp", low, None) if low == high else ("TimeSpan", low, high)
        begin = dates.bounds(start)[0] if start else None
        finish = dates.bounds(end)[1] if end not in (None, dates.OPEN) else None
    except dates.DateError:  # a user's layer with dates that are not EDTF/ISO: no KML time
        return None
    return ("TimeSpan", begin, finish) if begin or finish else None


def add_time_primitives(path: Path, gdf: gpd.GeoDataFrame) -> None:
    """Insert each feature's KML time into the placemarks of ``path`` (written in frame order)."""
    ElementTree.register_namespace("", KML_NS)
    tree = ElementTree.parse(path)
    placemarks = tree.getroot().findall(f".//{{{KML_NS}}}Placemark")
    if len(placemarks) != len(gdf):
        raise ValueError(f"{path.name}: {len(placemarks)} placemarks for {len(gdf)} features")
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    for placemark, props in zip(placemarks, gdf[columns].to_dict("records"), strict=True):
        found = time_primitive(props)
        if found is None:
            continue
        kind, first, second = found
        element = ElementTree.Element(f"{{{KML_NS}}}{kind}")
        for tag, value in (("when", first),) if kind == "TimeStamp" else (("begin", first), ("end", second)):
            if value:
                ElementTree.SubElement(element, f"{{{KML_NS}}}{tag}").text = value
        at = sum(1 for child in placemark if child.tag.removeprefix(f"{{{KML_NS}}}") in BEFORE)
        placemark.insert(at, element)
    tree.write(path, encoding="utf-8", xml_declaration=True)
