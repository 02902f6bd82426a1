"""Every line is reachable: wherever two lines of the data coincide (a reading under another
reading, a reading or a border along a river, a later border on an earlier one), a tap there
offers both, the popup being one's own and naming the other under "Also here".

The pairs are computed from the data, not listed: every two features of the map's interactive
line layers of which a stretch of at least MIN_KM lies within TOLERANCE degrees of the other
(geodesic length, pyproj). Each pair is tapped on the map as a reader would see them together:
in a year the map draws both (all years when they never share one), with their layers switched
on, at zoom 7 and the panels folded, at a point of their shared stretch where a line is topmost;
in Chromium (a real mouse click) and in Firefox ESR and WebKitGTK (a click event at that point,
as tests/test_invariants_engines.py does)."""

from __future__ import annotations

import itertools
import json
import time

import pytest
import shapely
from conftest import watch_offline
from pyproj import Geod
from test_engines import display, engine, probed_map, wait_drawn  # noqa: F401 (fixtures)
from test_invariants import SETTLED_JS
from test_invariants_engines import CLICK_JS

pytestmark = pytest.mark.browser

TOLERANCE = 0.02  # degrees (1.3-2.2 km here): 2-3 px at zoom 7, well within a popup's 8 px reach
MIN_KM = 15.0  # a shared stretch at least this long (20 px at zoom 7)
ZOOM = 7
FRACTIONS = (0.5, 0.3, 0.7, 0.15, 0.85, 0.4, 0.6)  # where along the shared stretch to try a tap


def coinciding_pairs(catalog, layers) -> list[dict]:
    """Every pair of line features (interactive layers) sharing a stretch, with points to tap."""
    geod = Geod(ellps="WGS84")
    features = []
    for spec in catalog.layers:
        if spec.geometry != "line" or spec.basemap or spec.extra.get("interactive") is False:
            continue
        for row in layers[spec.id].itertuples():
            features.append((spec.id, str(row.id), row.geometry))
    pairs = []
    for (la, ia, ga), (lb, ib, gb) in itertools.combinations(features, 2):
        if not shapely.intersects(ga.envelope, gb.envelope.buffer(TOLERANCE)):
            continue
        shared = shapely.intersection(ga, gb.buffer(TOLERANCE))
        lines = [p for p in shapely.get_parts(shared) if p.geom_type == "LineString" and not p.is_empty]
        if not lines or geod.geometry_length(shapely.MultiLineString(lines)) / 1000 < MIN_KM:
            continue
        stretch = shapely.MultiLineString(lines)
        points = [shapely.line_interpolate_point(stretch, f, normalized=True) for f in FRACTIONS]
        pairs.append({"a": [la, ia], "b": [lb, ib], "at": [[p.y, p.x] for p in points]})
    return pairs


# Show both features of a pair (their layers on, a year drawing both, else all years), fold the
# panels, and find a point of the shared stretch at zoom 7 where an interactive line is topmost
# (``shift`` px beside the map's centre).
SHOW_JS = r"""([pair, zoom, shift]) => {
  const map = window[document.querySelector('.folium-map').id];
  map.closePopup();
  document.querySelectorAll('.leaflet-control button.nm-toggle[aria-expanded=true]').forEach(b => b.click());
  const find = ([layer, id]) => {
    for (const g of NerchinskMap.layers()) {
      if (g.nmSpec.id !== layer) continue;
      for (const d of g.nmFeatures || []) if (String(d.layer.feature.properties.id) === id) return { g, d };
    }
    return null;
  };
  const a = find(pair.a), b = find(pair.b);
  if (!a || !b) return { error: 'not on the map: ' + JSON.stringify(!a ? pair.a : pair.b) };
  [a, b].forEach(f => { if (!map.hasLayer(f.g)) map.addLayer(f.g); });
  const lo = Math.max(a.d.start ?? -1e9, b.d.start ?? -1e9), hi = Math.min(a.d.end ?? 1e9, b.d.end ?? 1e9);
  let year = lo <= hi ? (lo > -1e9 ? lo : (hi < 1e9 ? hi : 1689)) : null;
  map.nmTime.setYear(year);
  if (!a.d.parent.hasLayer(a.d.layer) || !b.d.parent.hasLayer(b.d.layer)) { year = null; map.nmTime.setYear(null); }
  const owner = new Map();
  NerchinskMap.layers().forEach(g => (g.nmFeatures || []).forEach(d => { if (d.layer._path) owner.set(d.layer._path, g.nmSpec.geometry); }));
  const box = map.getContainer().getBoundingClientRect();
  for (const at of pair.at) {
    map.setView(at, zoom, { animate: false });
    map.panBy([shift, 0], { animate: false });  // taps alternate sides: two at one spot are a double click
    const p = map.latLngToContainerPoint(at);
    const x = p.x + box.left, y = p.y + box.top;
    const top = document.elementFromPoint(x, y);
    if (top && owner.get(top) === 'line' && top.classList.contains('leaflet-interactive')) return { x, y, year };
  }
  return { x: null, year };
}"""

# The open popup's feature and those it names under "Also here" (a popup just closed fades out
# for 200 ms: not that one).
OFFERED_JS = r"""() => {
  const open = window[document.querySelector('.folium-map').id]._popup;
  const popup = open && open.isOpen() && open.getElement().querySelector('.nm-popup');
  if (!popup) return null;
  return [[popup.dataset.layer, popup.dataset.featureId],
          ...[...popup.querySelectorAll('.nm-also-line')].map(b => [b.dataset.layerId, b.dataset.featureId])];
}"""


@pytest.fixture(scope="module")
def pairs(catalog, layers) -> list[dict]:
    found = coinciding_pairs(catalog, layers)
    kinds = {tuple(sorted((p["a"][0], p["b"][0]))) for p in found}
    # the data's own cases: readings under readings, readings and the 1689 line along rivers
    assert ("treaty_1689_readings", "treaty_1689_readings") in kinds, kinds
    assert ("rivers", "treaty_1689_readings") in kinds, kinds
    return found


CLOSE_JS = "() => { window[document.querySelector('.folium-map').id].closePopup(); }"


def settle(engine) -> None:  # noqa: F811 (the driver, not the fixture)
    """Wait until a popup's pan has ended and a closed one has faded out (the next pair's view
    must not move under the tap, nor the old popup lie over it)."""
    time.sleep(0.3)
    for _ in range(40):
        if engine.run("const m = window[document.querySelector('.folium-map').id];"
                      " return !((m._panAnim && m._panAnim._inProgress) || m._animatingZoom);"):
            return
        time.sleep(0.25)


def _verdict(pair: dict, shown: dict, offered) -> str | None:
    if shown.get("error"):
        return shown["error"]
    if shown["x"] is None:
        return f"{pair['a']} / {pair['b']} (year {shown['year']}): no point of the shared stretch where a line is topmost"
    if offered is None:
        return f"{pair['a']} / {pair['b']} (year {shown['year']}): a tap at {shown['x']:.0f},{shown['y']:.0f} opens no popup"
    missing = [f for f in (pair["a"], pair["b"]) if f not in offered]
    if missing:
        return f"{pair['a']} / {pair['b']} (year {shown['year']}): the popup offers {offered}, not {missing}"
    return None


def test_a_tap_where_lines_coincide_offers_each_in_chromium(browser, built_map, pairs):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page = watch_offline(context.new_page())
    page.goto(built_map.as_uri() + "#lang=en")
    page.wait_for_function("() => window.L && document.querySelector('path.nm-layer-treaty_1689')")
    bad = []
    for i, pair in enumerate(pairs):
        shown = page.evaluate(SHOW_JS, [pair, ZOOM, (-1) ** i * 80])
        offered = None
        if shown.get("x") is not None:
            page.mouse.click(shown["x"], shown["y"])
            offered = page.evaluate(OFFERED_JS)
            page.evaluate(CLOSE_JS)
            page.wait_for_timeout(300)  # the popup's pan ends, the closed popup fades out (200 ms)...
            page.wait_for_function(SETTLED_JS)  # ...before the next view
        if problem := _verdict(pair, shown, offered):
            bad.append(problem)
    assert page.errors == []
    context.close()
    assert not bad, "\n".join(bad)


def test_a_tap_where_lines_coincide_offers_each_in_firefox_and_webkit(engine, probed_map, pairs):  # noqa: F811
    engine.open(probed_map + "#lang=en", 1280, 800)
    wait_drawn(engine)
    bad = []
    for i, pair in enumerate(pairs):
        shown = engine.run(f"return ({SHOW_JS})([{json.dumps(pair)}, {ZOOM}, {(-1) ** i * 80}]);")
        offered = None
        if shown.get("x") is not None:
            engine.run(CLICK_JS % (shown["x"], shown["y"]))
            offered = engine.run(f"return ({OFFERED_JS})();")
            engine.run(f"({CLOSE_JS})();")
            settle(engine)
        if problem := _verdict(pair, shown, offered):
            bad.append(f"{engine.name}: {problem}")
    assert engine.run("return window.__errors;") == []
    assert not bad, "\n".join(bad)
