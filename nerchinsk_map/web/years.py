"""Two years side by side: the borders in force in year A against those in force in year B, with
the figures ``reading compare`` gives for two readings (the area between the lines, the largest
distance between them, the places that change side), computed at build time from the border
layers themselves.

The border layers are the catalog's line layers that are dated (``start_date``) and shown by
default: for the shipped catalog ``treaty_1689``, ``treaty_1727`` and ``borders_later`` (the
competing readings' layers are hidden by default and are compared as readings). The border in
force in a year is the union of their features in force at the end of that year
(:func:`in_force`: begun by then, not ended in it); the years offered are those in which a
border feature begins or ends.

The area between two borders is that of the faces the two lines enclose, their open ends that
lie off the other line joined in pairs, nearest first: along the basemap's coast where both lie at
the sea (the Okhotsk coast of 1689 and the Tumen mouth of 1860), else straight (as the readings
engine joins a reading's open ends); a stretch only one year holds (Kyakhta's line, absent in 1689) encloses
nothing. Two borders that differ yet enclose no area have no area (None), as in
``reading compare``; two borders within :data:`SAME_KM` of each other everywhere are the same
line, with an area of 0.

>>> a = shapely.LineString([(120, 50), (121, 50), (122, 50)])
>>> b = shapely.LineString([(120, 50), (121, 50.5), (122, 50)])
>>> f = compare_lines(a, b)
>>> f["area_between_km2"] > 0, f["area_between_km2"] == compare_lines(b, a)["area_between_km2"]
(True, True)
>>> compare_lines(a, a)["area_between_km2"], compare_lines(a, a)["max_distance_km"]
(0.0, 0.0)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import shapely

from ..files.cache import cache_root, cached_json
from .texts import departure_km

COAST_KM = 25.0  # a border's end this near the basemap's coastline ends at the sea (the basemap is simplified)
SAME_KM = 1.0  # borders closer than this everywhere are the same line (readings.compare.SAME_KM)
DRAW_TOLERANCE_DEG = 0.02  # ~2 km: the lines and faces as the page draws them, at the regional zoom of a whole border
DRAW_DIGITS = 3
FACE_TOLERANCE_DEG = 0.05  # ~5 km: the faces between are shaded at the zoom of a whole border (a pixel is 5-10 km)
FACE_DIGITS = 2
METHOD = ("The borders in force in each year are the border layers' features dated to it. The area between "
          "them is that of the faces the two lines enclose, geodesic on WGS 84, their open ends off the other "
          "line joined in pairs, nearest first (along the coast where both lie at the sea, else straight); a "
          "stretch only one year holds encloses nothing. The "
          "largest distance is the farthest any point of either line (every ~2 km) lies from the other, along the "
          "faces where they enclose some (else anywhere). The "
          "places that change side are the Natural Earth populated places inside those faces.")


def border_layer_ids(specs: Sequence[Any]) -> list[str]:
    """The border layers among catalog layer specs: dated line layers shown by default."""
    return [s.id for s in specs if s.geometry == "line" and s.start_date and s.show]


def change_years(features: Sequence[Mapping[str, Any]]) -> list[int]:
    """The years in which a border feature begins or ends, in order."""
    from ..chronology.dates import span  # lazy: only when the comparisons are built

    years: set[int] = set()
    for f in features:
        s = span(f)
        years.update(y for y in (s.certain_from, s.possible_to) if y is not None)
    return sorted(years)


def in_force(feature: Mapping[str, Any], year: int) -> bool:
    """Whether a border feature is in force at the end of ``year``: it certainly began by then
    and did not end in it or before (a treaty replacing a line in 1858 gives 1858 its line)."""
    from ..chronology.dates import span  # lazy: only when the comparisons are built

    s = span(feature)
    return s.certain_from is not None and s.certain_from <= year and (s.possible_to is None or s.possible_to > year)


def border_at(features: Sequence[tuple[Mapping[str, Any], shapely.Geometry]], year: int) -> shapely.Geometry:
    """The union of the border features (properties, geometry) in force at the end of ``year``."""
    return shapely.line_merge(shapely.union_all([g for p, g in features if in_force(p, year)]))


def _ends(line: shapely.Geometry) -> list[shapely.Point]:
    """The open ends of a line network: end points that no other part meets."""
    parts = [p for p in shapely.get_parts(shapely.line_merge(line)) if not p.is_empty]
    ends = [shapely.Point(p.coords[i]) for p in parts for i in (0, -1) if p.coords[0] != p.coords[-1]]
    out = []
    for i, e in enumerate(ends):
        others = [p for p in parts if not (shapely.Point(p.coords[0]).equals(e) or shapely.Point(p.coords[-1]).equals(e))]
        if not any(p.distance(e) < 1e-9 for p in others) and not any(j != i and e.equals(o) for j, o in enumerate(ends)):
            out.append(e)
    return out


def coastal(p: shapely.Point, q: shapely.Point, coast: Sequence[shapely.LineString]) -> shapely.LineString:
    """The way from ``p`` to ``q``: along the shorter arc of a coastline ring both lie within
    :data:`COAST_KM` of (two border ends at the sea are joined by the sea's shore), else
    straight.

    >>> ring = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)]).exterior
    >>> list(coastal(shapely.Point(2, 0), shapely.Point(10, 2), [ring]).coords)
    [(2.0, 0.0), (2.0, 0.0), (10.0, 0.0), (10.0, 2.0), (10.0, 2.0)]
    """
    from shapely.ops import substring  # lazy: only when the comparisons are built

    for ring in coast:
        if departure_km(p, ring) > COAST_KM or departure_km(q, ring) > COAST_KM:
            continue
        d0, d1 = sorted((ring.project(p), ring.project(q)))
        inner = substring(ring, d0, d1)
        outer = shapely.line_merge(shapely.union_all([substring(ring, d1, ring.length), substring(ring, 0, d0)]))
        arc = inner if inner.length <= outer.length or outer.geom_type != "LineString" else outer
        coords = list(arc.coords)
        if shapely.Point(coords[0]).distance(p) > shapely.Point(coords[-1]).distance(p):
            coords.reverse()
        return shapely.LineString([p.coords[0], *coords, q.coords[0]])
    return shapely.LineString([p.coords[0], q.coords[0]])


def _closers(a: shapely.Geometry, b: shapely.Geometry, coast: Sequence[shapely.LineString] = ()) -> list[shapely.LineString]:
    """Lines joining the open ends of ``a`` off ``b`` to those of ``b`` off ``a``, in pairs,
    nearest first (ties by coordinates, so the pairing does not depend on the order): along
    the coast where both ends lie at the sea (:func:`coastal`), else straight."""
    ea = [e for e in _ends(a) if departure_km(e, b) > SAME_KM]
    eb = [e for e in _ends(b) if departure_km(e, a) > SAME_KM]
    pairs = sorted((departure_km(p, q), sorted([p.coords[0], q.coords[0]]), i, j)
                   for i, p in enumerate(ea) for j, q in enumerate(eb))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _, ends, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append(coastal(shapely.Point(ends[0]), shapely.Point(ends[1]), coast))
    return out


def compare_lines(a: shapely.Geometry, b: shapely.Geometry, places: Any = None,
                  coast: Sequence[shapely.LineString] = ()) -> dict[str, Any]:
    """The figures of two border lines and ``between``, the faces between them (shapely
    polygons): ``area_between_km2`` (0 for the same line, None for lines that differ yet enclose
    nothing), ``max_distance_km`` (along the faces where there are some, else anywhere),
    ``places_changing_side`` (of ``places``, a GeoDataFrame with
    ``name``, ``adm0name``, ``pop_max``, inside the faces), ``same`` and ``method``. Open ends
    at the sea are joined along ``coast`` (coastline rings), others straight."""
    from ..analysis import GEOD  # lazy: only when the comparisons are built

    far = max(departure_km(a, b), departure_km(b, a))
    same = far <= SAME_KM
    faces = [] if same else [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(
        shapely.union_all([a, b, *_closers(a, b, coast)])))) if f.area > 0]
    area = sum(abs(GEOD.geometry_area_perimeter(f)[0]) for f in faces) / 1e6
    if faces:  # the largest distance where the lines enclose area: a stretch only one holds is no distance between them
        rim = shapely.union_all(faces).buffer(1e-7)
        pa, pb = a.intersection(rim), b.intersection(rim)
        far = max(departure_km(pa, b) if not pa.is_empty else 0.0, departure_km(pb, a) if not pb.is_empty else 0.0)
    changed = []
    if faces and places is not None:
        region = shapely.union_all(faces)
        inside = places[shapely.contains_xy(region, places.geometry.x.to_numpy(), places.geometry.y.to_numpy())]
        changed = [{"name": str(p["name"]), "country": str(p["adm0name"]), "lon": round(p.geometry.x, 4),
                    "lat": round(p.geometry.y, 4), "population": int(p["pop_max"])}
                   for _, p in inside.sort_values(["pop_max", "name"], ascending=[False, True]).iterrows()]
    return {
        "area_between_km2": 0.0 if same else (None if area < 1.0 else (round(area, -1) if area >= 100 else round(area, 1))),
        "max_distance_km": 0.0 if same else round(far, 1),
        "places_changing_side": changed,
        "same": same,
        "method": METHOD,
        "between": faces,
    }


def _coords(geom: shapely.Geometry, tolerance: float = DRAW_TOLERANCE_DEG, digits: int = DRAW_DIGITS) -> list[Any]:
    simple = shapely.set_precision(shapely.simplify(geom, tolerance, preserve_topology=True), 10**-digits)
    parts = [p for p in shapely.get_parts(simple) if not p.is_empty]
    if parts and all(p.geom_type == "Polygon" for p in parts):
        return [shapely.geometry.mapping(p)["coordinates"] for p in parts]
    return [shapely.geometry.mapping(p)["coordinates"] for p in parts if p.geom_type == "LineString"]


def _features(layer_ids: Sequence[str]) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    """(properties with ``layer``, geometry) of every feature of the border layers."""
    from ..data.layers import load_layer  # lazy: only when the comparisons are built

    out = []
    for layer_id in layer_ids:
        gdf = load_layer(layer_id)
        for _, row in gdf.iterrows():
            props = {k: (None if v != v else v) for k, v in row.drop(labels="geometry").items()}  # NaN: no date
            out.append(({**props, "layer": layer_id}, row.geometry))
    return out


def coastline() -> list[shapely.LinearRing]:
    """The rings of the catalog's ``land`` basemap layer (none without one): where a border
    ending at the sea is joined to another along the shore."""
    from ..data.catalog import default_catalog  # lazy: only when the comparisons are built
    from ..data.layers import load_layer  # lazy, as above

    if "land" not in default_catalog().ids():
        return []
    return [r for g in load_layer("land").geometry for p in shapely.get_parts(g) for r in (p.exterior, *p.interiors)]


def _compute(layer_ids: tuple[str, ...]) -> dict[str, Any]:
    from ..rawdata.sources import (  # lazy: only when the comparisons are built
        check_data_dir,
        default_data_dir,
        natural_earth,
    )

    features = _features(layer_ids)
    years = change_years([p for p, _ in features])
    lines = {y: border_at(features, y) for y in years}
    coast = coastline()
    places = natural_earth(check_data_dir(default_data_dir()), "ne_10m_populated_places")[["name", "adm0name", "pop_max", "geometry"]]
    pairs, faces = [], []  # the faces once: later years often repeat a pair's (1689-1860, 1689-1991)
    for i, ya in enumerate(years):
        for yb in years[i + 1:]:
            figures = compare_lines(lines[ya], lines[yb], places, coast)
            between = figures.pop("between")
            drawn = _coords(shapely.MultiPolygon(between), FACE_TOLERANCE_DEG, FACE_DIGITS) if between else []
            if drawn and drawn not in faces:
                faces.append(drawn)
            pairs.append({"a": str(ya), "b": str(yb), "figures": figures, "between": faces.index(drawn) if drawn else None})
    return {"years": [str(y) for y in years], "pairs": pairs, "faces": faces,
            "lines": {str(y): _coords(g) for y, g in lines.items()},
            "features": {str(y): [[p["layer"], p["id"]] for p, _ in features if in_force(p, y)] for y in years}}


def page_data(full: Mapping[str, Any]) -> dict[str, Any]:
    """What the page carries of :func:`year_comparisons`: each year's border as the map's own
    features ([layer, feature id], drawn from the layers the page holds already), the figures
    with the names of the places that change side, the method once, and the faces."""
    def slim(f: Mapping[str, Any]) -> dict[str, Any]:
        return {"area_between_km2": f["area_between_km2"], "max_distance_km": f["max_distance_km"], "same": f["same"],
                "places_changing_side": [{"name": p["name"]} for p in f["places_changing_side"]]}

    return {"years": list(full["years"]), "method": METHOD, "faces": full["faces"], "features": full["features"],
            "pairs": [{"a": p["a"], "b": p["b"], "between": p["between"], "figures": slim(p["figures"])} for p in full["pairs"]]}


def inputs_key(layer_ids: tuple[str, ...]) -> str:
    """Hash of what the year comparisons are computed from: the border layers' files, the
    populated places, this module and the measure it uses."""
    from ..data.catalog import default_catalog  # lazy: only when the comparisons are built
    from ..rawdata.sources import check_data_dir, default_data_dir  # lazy, as above
    from . import texts  # lazy, as above

    catalog = default_catalog()
    data_dir = check_data_dir(default_data_dir())
    files = [*(catalog.path(i) for i in (*layer_ids, "land") if i in catalog.ids()), data_dir / "natural-earth" / "ne_10m_populated_places.geojson",
             Path(__file__), Path(texts.__file__)]
    h = hashlib.sha256(json.dumps([layer_ids, SAME_KM, DRAW_TOLERANCE_DEG, DRAW_DIGITS, FACE_TOLERANCE_DEG, FACE_DIGITS]).encode())
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def cache_file(layer_ids: tuple[str, ...]) -> Path:
    """Where the year comparisons of these border layers are kept (beside the readings')."""
    return cache_root() / "comparisons" / f"years-{inputs_key(layer_ids)}.json"


def year_comparisons(specs: Sequence[Any]) -> dict[str, Any]:
    """The years the borders change among the border layers of ``specs`` (the map's overlay
    layer specs), each pair of them compared (:func:`compare_lines`; the faces between them
    drawn in ``faces``, which ``between`` indexes, or None) and each year's border line, from
    the disk cache when the same inputs made them before; ``features`` lists each year's
    border features as [layer id, feature id]."""
    layer_ids = tuple(border_layer_ids(specs))
    if not layer_ids:
        return {"years": [], "pairs": [], "faces": [], "lines": {}, "features": {}}
    shape = (("years", list), ("pairs", list), ("faces", list), ("lines", dict), ("features", dict))
    return cached_json(
        cache_file(layer_ids),
        lambda kept: isinstance(kept, dict) and all(isinstance(kept.get(k), t) for k, t in shape),
        lambda: _compute(layer_ids),
    )
