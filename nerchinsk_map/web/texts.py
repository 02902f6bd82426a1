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

from collections.abc import Mapping
from typing import Any

TEXT_KEYS = ("language", "lang", "kind", "text", "translation", "source")


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
    come in treaty order (year), the common reading of a treaty before the competing ones."""
    from .. import (
        readings as rd,  # lazy: the readings engine loads only when the texts panel is built
    )

    specs = readings if readings is not None else [rd.get(i) for i in rd.shipped_ids()]
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
