"""The comparisons the page shows are nm.readings.compare's figures, whether computed now or read
back from the disk cache; a damaged cache file is computed again, never trusted."""

from __future__ import annotations

import json

import nerchinsk_map as nm
from nerchinsk_map.web import comparisons as cmp


def test_cached_or_not_the_figures_are_nm_readings_compare(tmp_path, monkeypatch):
    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    ids = set(nm.readings.shipped_ids())
    first = cmp.comparisons(ids)
    path = cmp.cache_file(tuple(sorted(r for p in cmp.PAIRS for r in p if r in ids)))
    assert path.is_file() and path.is_relative_to(tmp_path)
    assert cmp.comparisons(ids) == json.loads(json.dumps(first))  # read back: the same
    for pair in first["pairs"]:
        assert pair["figures"] == nm.readings.compare(pair["a"], pair["b"])
    assert set(first["lines"]) == {r for p in first["pairs"] for r in (p["a"], p["b"])}
    path.write_text('{"pairs": "garbage', encoding="utf-8")  # damaged
    again = cmp.comparisons(ids)
    assert json.loads(json.dumps(again)) == json.loads(json.dumps(first))
    assert json.loads(path.read_text(encoding="utf-8"))["pairs"][0]["a"] == first["pairs"][0]["a"]  # rewritten


def test_the_cache_key_changes_with_the_readings(tmp_path, monkeypatch):
    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    assert cmp.inputs_key(("nerchinsk_1689_common", "gorbitsa_amazar")) != cmp.inputs_key(("aigun_1858", "gorbitsa_amazar"))
