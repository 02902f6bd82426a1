"""RFC 7946 winding (counter-clockwise exteriors, clockwise holes) in every GeoJSON the project
writes: the geodata files and the page's layers, checked with shapely and with geojson-rewind,
a third-party tool that rewinds whatever breaks the right-hand rule. (The export is checked in
test_export.py.)"""

from __future__ import annotations

import copy
import json

import pytest
import shapely
from geojson_rewind import rewind
from shapely.geometry import shape

import nerchinsk_map as nm
from nerchinsk_map.files.geojson import geometry_json
from nerchinsk_map.web.layers import web_geojson

LAYER_IDS = nm.list_layers()


def polygons(geom):
    """Every polygon part of a geometry."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for part in geom.geoms for p in polygons(part)]
    return []


def assert_rfc7946(collection: dict, where: str) -> int:
    """Every polygon in ``collection`` follows the right-hand rule; return how many there are."""
    assert "crs" not in collection, f"{where}: RFC 7946 removed the crs member"
    count = 0
    for i, feature in enumerate(collection["features"]):
        for polygon in polygons(shape(feature["geometry"]) if feature["geometry"] else None):
            assert polygon.exterior.is_ccw, f"{where} feature {i}: exterior ring is clockwise"
            for ring in polygon.interiors:
                assert not ring.is_ccw, f"{where} feature {i}: hole is counter-clockwise"
            count += 1
    # geojson-rewind leaves a collection that already follows RFC 7946 unchanged
    assert rewind(copy.deepcopy(collection)) == collection, f"{where}: geojson-rewind rewinds it"
    return count


def test_the_checks_can_fail():
    clockwise = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    raw = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(clockwise)}]}
    raw = json.loads(json.dumps(raw))
    with pytest.raises(AssertionError, match="clockwise"):
        assert_rfc7946(raw, "test")
    fixed = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": geometry_json(clockwise, 6)}]}
    assert assert_rfc7946(fixed, "test") == 1


def test_geometry_json_winds_holes_clockwise():
    shell = [(0, 0), (0, 10), (10, 10), (10, 0)]  # clockwise
    hole = [(2, 2), (4, 2), (4, 4), (2, 4)]  # counter-clockwise
    gj = geometry_json(shapely.MultiPolygon([shapely.Polygon(shell, [hole])]), 6)
    polygon = shape(gj).geoms[0]
    assert polygon.exterior.is_ccw and not polygon.interiors[0].is_ccw


def test_every_geodata_file_follows_the_right_hand_rule(catalog):
    total = 0
    for spec in catalog.layers:
        collection = json.loads(spec.path.read_text(encoding="utf-8"))
        total += assert_rfc7946(collection, spec.path.name)
    assert total > 50  # land, lakes, basins, territories, the Uda country


def test_the_pages_geojson_follows_the_right_hand_rule(catalog, layers):
    for spec in catalog.layers:
        assert_rfc7946(web_geojson(layers[spec.id], spec), f"page layer {spec.id}")
