"""Linked Places Format (LPF 1.2.2): the World Historical Gazetteer's contribution format, a
JSON-LD FeatureCollection of place records with names, types, ``when`` (from the features' EDTF
dates), ``links`` to the gazetteers (Wikidata, GeoNames) and descriptions.

One file per layer, ``<layer>.jsonld``; each collection and record validates against the
project's JSON Schema of LPF 1.2.2, transcribed from the format's prose specification
(``tests/schemas/lpf_v1_2.schema.json``, checked in ``tests/test_lpf.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import mapping

from ..chronology import dates
from ..files.geojson import clean_value, rfc7946

CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
ID_BASE = "urn:nerchinsk-map:"  # a record's @id: urn:nerchinsk-map:<layer>:<feature id>
# WHG's place classes (A administrative, H water, L region, P populated place, S site)
FCLASSES = {"places": "P", "events": "S", "rivers": "H", "watersheds": "H", "basemap_lakes": "H",
            "territories": "A", "treaty_1689": "A", "borders_later": "A",
            "treaty_1689_readings": "A", "treaty_readings_1858_1860": "A",
            "treaty_1689_uncertainty": "A", "uda_undetermined": "L", "basemap_land": "L"}
LINKS = {"wikidata": (re.compile(r"Q[1-9][0-9]*"), "wd:"),
         "geonames": (re.compile(r"[1-9][0-9]*"), "gn:")}
NAMES = (("name", "en"), ("name_ru", "ru"), ("name_zh", "zh"))
DESCRIPTIONS = ("description", "role", "clause", "founded")
KEPT = ("id", "kind", "source", "method", "precision_km", "certainty", "start_edtf", "end_edtf",
        "start_date", "end_date", "wikidata", "geonames")
LPF_CERTAINTY = {"attested": "certain", "probable": "less-certain", "disputed": "uncertain"}


def one_line(text: Any) -> str:
    """``text`` as one line: the LPF schema's labels refuse line breaks."""
    return " ".join(str(text).splitlines()).strip()


def _present(value: Any) -> bool:
    value = clean_value(value)
    return value is not None and value != "" and not (isinstance(value, float) and value != value)


def bound(value: str) -> dict[str, str]:
    """An LPF start or end from an EDTF value: ``in`` for one date at its precision, else
    ``earliest`` and ``latest`` (a choice of dates, ``[1684,1685]``, or a range).

    Examples
    --------
    >>> bound("1689-09-07")
    {'in': '1689-09-07'}
    >>> bound("[1684,1685]")
    {'earliest': '1684', 'latest': '1685'}
    """
    low, high = dates.bounds(value)
    if low is None or high is None:
        raise ValueError(f"not a closed EDTF date: {value!r}")
    return {"in": low} if low == high else {"earliest": low, "latest": high}


def when(props: Mapping[str, Any]) -> dict[str, Any] | None:
    """The record's ``when``: one timespan from its EDTF start and end (an open end ``..`` is
    ``{"in": null}``; a moment has no end), ``less-certain`` where a date is in doubt or a
    choice; None for an undated feature.

    Examples
    --------
    >>> when({"start_edtf": "1658", "end_edtf": "1812"})
    {'timespans': [{'start': {'in': '1658'}, 'end': {'in': '1812'}}]}
    >>> when({"start_edtf": "1690?", "end_edtf": ".."})["timespans"]
    [{'start': {'in': '1690'}, 'end': {'in': None}}]
    """
    start, end = dates.start_end(props)
    if start is None:
        return None
    span: dict[str, Any] = {"start": bound(start)}
    if end == dates.OPEN:
        span["end"] = {"in": None}
    elif end is not None:
        span["end"] = bound(end)
    out: dict[str, Any] = {"timespans": [span]}
    if any(v is not None and v != dates.OPEN and re.search(r"[?~%\[{]|\.\.|/", v)
           for v in (start, end)):
        out["certainty"] = "less-certain"
    label = props.get("dates_label") or props.get("date_original")
    if _present(label):
        out["label"] = one_line(label)
    return out


def links(props: Mapping[str, Any]) -> list[dict[str, str]]:
    """``closeMatch`` links to Wikidata (``wd:Q…``) and GeoNames (``gn:…``), only from ids of
    the right form.

    Examples
    --------
    >>> links({"wikidata": "Q210326", "geonames": "not an id"})
    [{'type': 'closeMatch', 'identifier': 'wd:Q210326'}]
    """
    out = []
    for field, (pattern, prefix) in LINKS.items():
        value = clean_value(props.get(field))
        if isinstance(value, str) and pattern.fullmatch(value):
            out.append({"type": "closeMatch", "identifier": prefix + value})
    return out


def record(layer: str, props: Mapping[str, Any], geometry: Any, number: int = 1) -> dict[str, Any]:
    """One feature as an LPF place record; ``number`` (from 1) names a feature without an
    ``id`` in its ``@id``.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> r = record("places", {"id": "aigun", "name": "Aigun", "name_zh": "瑷珲",
    ...                       "start_edtf": "[1684,1685]", "end_edtf": "..",
    ...                       "geonames": "2038670", "source": "enwiki"}, Point(127.49, 49.9781))
    >>> r["@id"], [n["toponym"] for n in r["names"]], r["links"][0]["identifier"]
    ('urn:nerchinsk-map:places:aigun', ['Aigun', '瑷珲'], 'gn:2038670')
    >>> r["when"]["timespans"][0]["start"]
    {'earliest': '1684', 'latest': '1685'}
    """
    fid = str(props["id"]) if _present(props.get("id")) else str(number)
    title = one_line(props.get("name") or fid)
    properties: dict[str, Any] = {"title": title}
    if layer in FCLASSES:
        properties["fclasses"] = [FCLASSES[layer]]
    for key in KEPT:
        if key in props and _present(props[key]):
            properties[key] = clean_value(props[key])
    names: list[dict[str, Any]] = []
    for key, lang in NAMES:
        if _present(props.get(key)):
            names.append({"toponym": one_line(props[key]), "lang": lang})
    if not names:
        names.append({"toponym": title, "lang": "en"})
    if _present(props.get("source")):
        names[0]["citations"] = [{"label": one_line(props["source"])}]
    feature: dict[str, Any] = {
        "type": "Feature",
        "@id": f"{ID_BASE}{layer}:{fid}",
        "properties": properties,
        "names": names,
    }
    if _present(props.get("kind")):
        feature["types"] = [{"label": one_line(props["kind"])}]
    if geometry is not None and not geometry.is_empty:
        geom = dict(mapping(rfc7946(geometry)))
        if props.get("certainty") in LPF_CERTAINTY:
            geom["certainty"] = LPF_CERTAINTY[props["certainty"]]
        feature["geometry"] = geom
    span = when(props)
    if span:
        feature["when"] = span
    found = links(props)
    if found:
        feature["links"] = found
    descriptions = [{"value": one_line(props[k]), "lang": "en"}
                    for k in DESCRIPTIONS if _present(props.get(k))]
    if descriptions:
        feature["descriptions"] = descriptions
    return feature


def collection(layer: str, gdf: gpd.GeoDataFrame, title: str = "",
               description: str = "") -> dict[str, Any]:
    """The layer as an LPF FeatureCollection (JSON-LD, with the LPF ``@context``).

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> lpf = collection("places", nm.load_layer("places"))
    >>> lpf["type"], len(lpf["features"]) == len(nm.load_layer("places"))
    ('FeatureCollection', True)
    """
    geom_col = gdf.geometry.name
    rows = [{k: clean_value(v) for k, v in row.items() if k != geom_col}
            for row in gdf.to_dict("records")]
    features = [record(layer, props, geom, n)
                for n, (props, geom) in enumerate(zip(rows, gdf.geometry, strict=True), start=1)]
    out: dict[str, Any] = {"type": "FeatureCollection", "@context": CONTEXT}
    if title:
        out["title"] = title
    if description:
        out["description"] = description
    out["features"] = features
    return out


def write(path: Path, layer: str, gdf: gpd.GeoDataFrame, title: str = "",
          description: str = "") -> None:
    """Write the layer's LPF FeatureCollection to ``path`` (UTF-8 JSON, full precision).

    Examples
    --------
    >>> import json, tempfile
    >>> import nerchinsk_map as nm
    >>> path = Path(tempfile.mkdtemp()) / "places.jsonld"
    >>> write(path, "places", nm.load_layer("places"))
    >>> json.loads(path.read_text(encoding="utf-8"))["@context"] == CONTEXT
    True
    """
    text = json.dumps(collection(layer, gdf, title, description), ensure_ascii=False, indent=1,
                      allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
