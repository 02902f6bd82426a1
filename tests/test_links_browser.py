"""Popups link to the gazetteers: every feature on the map with a Wikidata or GeoNames id shows
a link to exactly that record, features without ids show none, and text that is not an id of
the gazetteer's form never becomes a link (checked in Chromium on the built map, offline)."""

from __future__ import annotations

from conftest import MAP_READY

from nerchinsk_map.pipeline.authority import authority_ids

LINKS_JS = r"""
() => NerchinskMap.layers().flatMap(g => (g.nmFeatures || []).map(d => {
  const p = d.layer.feature.properties;
  const box = NerchinskMap.popupContent(g.nmSpec, p);
  return { layer: g.nmSpec.id, id: p.id,
           links: [...box.querySelectorAll('a.nm-gazetteer-link')].map(a => [a.dataset.gazetteer, a.href]) };
}))
"""

HOSTILE_JS = r"""
(values) => {
  const g = NerchinskMap.layers().find(g => g.nmSpec.id === 'places');
  return values.map(v => {
    const p = Object.assign({}, g.nmFeatures[0].layer.feature.properties, { wikidata: v, geonames: v });
    return NerchinskMap.popupContent(g.nmSpec, p).querySelectorAll('a').length;
  });
}
"""
BASE = {"wikidata": "https://www.wikidata.org/wiki/", "geonames": "https://www.geonames.org/"}


def test_popups_link_each_feature_to_its_gazetteer_records(offline_page, built_map):
    page = offline_page
    page.goto(built_map.as_uri())
    page.wait_for_function("() => window.NerchinskMap && NerchinskMap.layers().length && " + MAP_READY)
    ids = authority_ids()
    seen = page.evaluate(LINKS_JS)
    assert seen
    linked = 0
    for entry in seen:
        want = ids.get(entry["layer"], {}).get(entry["id"], {})
        expected = [[f, BASE[f] + want[f]] for f in ("wikidata", "geonames") if want.get(f)]
        assert entry["links"] == expected, entry
        linked += bool(expected)
    on_map = {lay for lay in ids if lay in {e["layer"] for e in seen}}
    assert linked == sum(len(ids[lay]) for lay in on_map) > 0
    hostile = ["javascript:alert(1)", "Q1 onmouseover=x", "https://evil.example/Q1", "Q01", "0",
               "<b>Q5</b>", "12\n34"]
    assert page.evaluate(HOSTILE_JS, hostile) == [0] * len(hostile)
    assert page.evaluate(HOSTILE_JS, ["Q42"]) == [1]  # a well-formed Wikidata id links (GeoNames not)
