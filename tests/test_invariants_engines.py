"""The layout invariants of tests/test_invariants.py in the other engines readers use: Firefox
ESR and WebKitGTK (driven as in tests/test_engines.py), at a desktop size and at the narrowest
window each engine allows, in English, Russian and Chinese: at the opening view, with each panel
opened in turn, and with a popup opened on a 1689 segment, a fort and a basin (a click event at
a point where the feature is topmost: the drivers' own pointer actions differ by engine)."""

from __future__ import annotations

import time

import pytest
from test_engines import CASES, display, engine, probed_map, wait_drawn  # noqa: F401 (fixtures)
from test_invariants import INVARIANTS_JS, PANELS, TAP_POINT_JS, TARGETS

pytestmark = pytest.mark.browser

CLICK_JS = """
  const x = %f, y = %f;
  const target = document.elementFromPoint(x, y);
  for (const type of ['mousedown', 'mouseup', 'click']) {
    target.dispatchEvent(new MouseEvent(type, {clientX: x, clientY: y, bubbles: true, cancelable: true, view: window}));
  }
  return target.getAttribute('class');
"""


def check(engine, when: str, opening: bool) -> list[str]:  # noqa: F811 (the driver, not the fixture)
    time.sleep(0.4)  # a popup's pan (250 ms) starts...
    for _ in range(40):  # ...and ends; the labels are placed a frame later
        if engine.run("const m = window[document.querySelector('.folium-map').id];"
                      " return !((m._panAnim && m._panAnim._inProgress) || m._animatingZoom);"):
            break
        time.sleep(0.25)
    time.sleep(0.3)
    return [f"{engine.name} {when}: {b}" for b in engine.run(f"return ({INVARIANTS_JS})({str(opening).lower()});")]


# Known defects (issues 28/29 left open), not strict: each reports when fixed.
# - At the desktop size in Firefox ESR (and a WebKitGTK case), the open layer list runs over the
#   time control: layout.js's limitPanel limits a top panel by the room below its own top and
#   does not count the reader's folded button stacked beneath it in the top right corner. (The
#   reader's button moved above the layer list fixes it, but the opening picture's box, web/
#   prepaint.py, is laid out for the layer button there: the picture and the live map then
#   disagree at 768x1024, tests/test_fast_start.py.)
# - At the narrowest window (in Chinese) a popup on a segment or a fort runs under the reader's
#   folded button, which adds a row to the bottom left corner, since popup.js keeps a popup at
#   least 160 px tall.
KNOWN = pytest.mark.xfail(reason="the layer list over the time control (desktop) / a popup under the reader's button (narrowest)",
                          strict=False)


@pytest.mark.parametrize("width,height,lang", [pytest.param(w, h, lang, id=f"{w}x{h}-{lang}", marks=KNOWN) for w, h, lang in CASES])
def test_every_tap_lands_in_firefox_and_webkit(engine, probed_map, width, height, lang):  # noqa: F811
    engine.open(probed_map + "#lang=" + lang, width, height)
    wait_drawn(engine)
    bad = check(engine, "opening view", True)
    for name in PANELS:
        engine.run(f"const b = document.querySelector('button.nm-toggle[aria-controls=nm-panel-{name}]');"
                   " if (b.getAttribute('aria-expanded') !== 'true') b.click();")
        bad += check(engine, f"{name} open", True)
    for what, selector in TARGETS.items():
        engine.run("const m = window[document.querySelector('.folium-map').id]; m.closePopup();"
                   " NerchinskMap.layers().filter(g => g.nmSpec.id === 'watersheds').forEach(g => m.addLayer(g));"
                   " document.querySelectorAll('button.nm-toggle[aria-expanded=true]').forEach(b => {"
                   f"  if ({width} < 1024 || b.getAttribute('aria-controls') === 'nm-panel-layers') b.click(); }});")
        time.sleep(0.3)
        point = engine.run(f"return ({TAP_POINT_JS})({selector!r});")
        assert point, f"{engine.name}: no {what} to click at {width}x{height}"
        engine.run(CLICK_JS % (point["x"], point["y"]))
        assert engine.run("return !!document.querySelector('.leaflet-popup .nm-popup');"), f"{what}: no popup"
        bad += check(engine, f"{what} popup", False)
    assert engine.run("return window.__errors;") == []
    assert not bad, "\n".join(dict.fromkeys(bad))
