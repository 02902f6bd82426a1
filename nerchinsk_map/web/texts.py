"""The texts panel's data: every reading the map holds, clause by clause in reading order, with
the versions of the treaty's words its sources give, and the map features that draw each clause.

A clause is drawn by a feature of a line layer when
- the feature's id is ``READING.CLAUSE`` (the compiled readings of 1858 and 1860), or
- the layer's feature ids are exactly the reading's clause ids (the 1689 line as commonly read),
  and the feature's id is the clause's; or
- the feature's id is the reading's id (a competing reading drawn as one line): every clause of
  the reading points to it, marked ``whole``.

>>> data = texts_data({"treaty_1689": {"geometry": "line", "ids": ["argun", "shilka", "gorbitsa",
...     "connector", "divide", "divide_uda"]}})
>>> common = next(r for r in data if r["id"] == "nerchinsk_1689_common")
>>> common["clauses"][0]["id"], common["clauses"][0]["segments"]
('argun', [['treaty_1689', 'argun']])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

TEXT_KEYS = ("language", "lang", "kind", "text", "translation", "source")
DEPART_KM = 1.0  # a clause departs where its line lies farther than this from the common one (readings.compare.SAME_KM)
DEPART_STEP_DEG = 0.02  # the clause's line is measured at points ~2 km apart
DEPART_BAND_DEG = 0.25  # ...each against the common line squeezed for its latitude band


def departure_km(clause: Any, common: Any) -> float:
    """The largest geodesic distance, in km, from points every ~2 km along ``clause`` (a line) to
    the nearest point of ``common`` (the common reading's whole line).

    >>> from shapely import LineString
    >>> common = LineString([(120, 50), (121, 50)])
    >>> round(departure_km(LineString([(120.2, 50), (120.8, 50)]), common), 6)
    0.0
    >>> round(departure_km(LineString([(120.5, 50), (120.5, 50.1)]), common), 1)
    11.1
    """
    import numpy as np  # lazy: only when the texts panel is built
    import shapely  # lazy, as above

    from ..analysis import GEOD  # lazy, as above

    # the nearest point is found with longitudes scaled by the cosine of the point's latitude
    # (to the nearest DEPART_BAND_DEG: degrees of longitude are shorter in the north), the
    # distance to it measured on the ellipsoid
    xy = shapely.get_coordinates(shapely.segmentize(clause, DEPART_STEP_DEG))
    near = np.empty_like(xy)
    bands = np.round(xy[:, 1] / DEPART_BAND_DEG)
    for band in np.unique(bands):
        at = bands == band
        k = math.cos(math.radians(float(band) * DEPART_BAND_DEG))
        other = shapely.transform(common, lambda c, k=k: c * (k, 1.0))
        found = shapely.get_point(shapely.shortest_line(shapely.points(xy[at] * (k, 1.0)), other), 1)
        near[at] = shapely.get_coordinates(found) / (k, 1.0)
    return float(GEOD.inv(xy[:, 0], xy[:, 1], near[:, 0], near[:, 1])[2].max()) / 1000


def departures(specs: list[dict[str, Any]]) -> dict[tuple[str, str], float]:
    """For each clause of each competing reading (one with a ``question``), how far its compiled
    line departs from the line of its treaty's common reading (:func:`departure_km`), keyed by
    (reading id, clause id). A treaty without a common reading among ``specs`` has none.

    Computing them compiles the readings; the result is kept on disk beside the comparisons of
    readings, in a file named by the hash of the readings' content and of everything they are
    compiled from (:func:`~.comparisons.engine_key`), so a changed input never reuses it."""
    from pathlib import Path

    from .. import analysis  # lazy: only when the texts panel is built
    from ..files.cache import cache_root, cached_json, content_key  # lazy, as above
    from .comparisons import engine_key  # lazy, as above

    content = content_key(specs)
    if content is None:  # not plain JSON (a reading built in Python): computed every time
        return _departures(specs)
    path = cache_root() / "comparisons" / f"departures-{engine_key(content, [Path(__file__), Path(analysis.__file__)])}.json"
    kept = cached_json(
        path,
        lambda v: isinstance(v, list) and all(
            isinstance(r, list) and len(r) == 3 and isinstance(r[0], str) and isinstance(r[1], str)
            and isinstance(r[2], (int, float)) and not isinstance(r[2], bool) for r in v),
        lambda: [[rid, cid, km] for (rid, cid), km in _departures(specs).items()],
    )
    return {(rid, cid): float(km) for rid, cid, km in kept}


def _departures(specs: list[dict[str, Any]]) -> dict[tuple[str, str], float]:
    """:func:`departures`, computed."""
    import shapely  # lazy: only when the texts panel is built

    from .. import readings as rd  # lazy, as above

    context = rd.default_context()
    common = {(r["treaty"], r["year"]): r for r in specs if "question" not in r}
    out: dict[tuple[str, str], float] = {}
    lines: dict[str, Any] = {}
    for spec in specs:
        base = common.get((spec["treaty"], spec["year"]))
        if "question" not in spec or base is None:
            continue
        if base["id"] not in lines:
            lines[base["id"]] = shapely.union_all(list(rd.compile_reading(base, context).geometry))
        compiled = rd.compile_reading(spec, context)
        for clause_id, geom in zip(compiled["id"], compiled.geometry, strict=True):
            out[(spec["id"], str(clause_id))] = round(departure_km(geom, lines[base["id"]]), 1)
    return out


def _segments(reading: Mapping[str, Any], clause_id: str, layers: Mapping[str, Mapping[str, Any]]) -> tuple[list[list[str]], bool]:
    """The [layer, feature] pairs drawing one clause, and whether they draw the whole reading."""
    rid = reading["id"]
    clause_ids = {c["id"] for c in reading["clauses"]}
    found, whole = [], []
    for layer_id, layer in layers.items():
        if layer.get("geometry") != "line":
            continue
        ids = list(layer["ids"])
        for fid in ids:
            if fid == f"{rid}.{clause_id}" or (fid == clause_id and set(ids) == clause_ids):
                found.append([layer_id, fid])
            elif fid == rid:
                whole.append([layer_id, fid])
    return (found, False) if found else (whole, bool(whole))


def texts_data(layers: Mapping[str, Mapping[str, Any]], readings: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Each reading (the shipped ones by default) with its clauses, their words and their segments
    on the map. ``layers``: catalog id -> {"geometry": "line"|..., "ids": [feature ids]}. Readings
    come in treaty order (year), the common reading of a treaty before the competing ones; each
    clause of a competing reading says whether (``departs``) and how far (``departs_km``) its
    line departs from the common reading's (:func:`departures`)."""
    from .. import (
        readings as rd,  # lazy: the readings engine loads only when the texts panel is built
    )

    specs = readings if readings is not None else [rd.get(i) for i in rd.shipped_ids()]
    departing = departures(specs)
    out = []
    for spec in sorted(specs, key=lambda r: (r["year"], "question" in r, r["id"])):
        clauses = []
        for c in spec["clauses"]:
            segments, whole = _segments(spec, c["id"], layers)
            clauses.append({
                "id": c["id"],
                "name": c.get("name"),
                "texts": [{k: t[k] for k in TEXT_KEYS if k in t} for t in c.get("text", [])],
                "located": c.get("located", True) is not False,
                "note": c.get("note"),
                "role": c.get("role"),
                "certainty": c.get("certainty"),
                "segments": segments,
                "whole": whole,
                # how far the clause's line departs from the common reading's (km), or None for
                # a clause of a common reading; it departs beyond DEPART_KM
                "departs_km": departing.get((spec["id"], c["id"])),
                "departs": departing.get((spec["id"], c["id"]), 0.0) > DEPART_KM,
            })
        out.append({
            "id": spec["id"],
            "title": spec["title"],
            "treaty": spec["treaty"],
            "year": spec["year"],
            "common": "question" not in spec,
            "question": spec.get("question"),
            "reading": spec.get("reading"),
            "supporters": spec.get("supporters"),
            "certainty": spec.get("certainty"),
            "start_date": spec.get("start_date"),
            "sources": [{k: s[k] for k in ("author", "title", "url") if k in s} for s in spec.get("sources", [])],
            "clauses": clauses,
        })
    return out


def data_strings(readings: list[dict[str, Any]]) -> set[str]:
    """The English data texts the panel shows translated (as popup.js's treatyTexts does: the
    project's English paraphrases, the English renderings and the sources; originals stay as
    they are written).

    >>> sorted(data_strings([{"reading": "Up the Argun", "clauses": [{"note": None, "role": "r",
    ...     "texts": [{"lang": "la", "kind": "original", "text": "Rivulus", "source": "la.wikisource"}]}]}]))
    ['Up the Argun', 'la.wikisource', 'r']
    """
    found: set[str] = set()
    for r in readings:
        found.update(s for s in (r.get("question"), r.get("reading")) if s)
        for c in r["clauses"]:
            found.update(s for s in (c.get("note"), c.get("role")) if s)
            for t in c["texts"]:
                if t.get("kind") == "paraphrase" and t.get("lang") == "en":
                    found.add(t["text"])
                found.update(t[k] for k in ("translation", "source") if t.get(k))
    return found
