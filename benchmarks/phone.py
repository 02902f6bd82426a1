"""The map on a phone, as a reader sees it: Chromium emulating a mid-range phone (390x844,
mobile, touch, 3x density, CPU throttled 4x with CDP ``Emulation.setCPUThrottlingRate``),
against Leaflet alone drawing the ``treaty_1689`` line in the same run, loads interleaved.

    .venv/bin/python benchmarks/phone.py [--repeats N] [--rate 4] [--json out.json]

Two times per load, both from the navigation's start:

- **line painted**: the first screencast frame (CDP ``Page.startScreencast``) with pixels of the
  1689 line's colour, whatever draws them (the picture painted before the scripts, or Leaflet);
- **interactive**: the first animation frame at which the live map answers taps and gestures:
  the picture no longer covers it, and the layers from the opening's subject up (the topmost of
  the view's ``fit_layers``, the 1689 line, and the places and events above it) are drawn live
  (``path.nm-layer-<id>``); the picture may still stand in for the layers beneath, inside the
  map and moving with it (Leaflet alone: its line's path);
- **every opening layer live**: the first animation frame at which every layer shown at the
  opening year is drawn live and the picture is gone from the map too (until December 2026 this
  was the "interactive" time);
- **controls in place**: the first animation frame at which every control (title, layers, legend,
  years, credits, texts) is in the page too (the map's ``nm-ready`` class). The map builds
  them after its first live frame (a two-step opening, ``prepaint.js``), so this comes later
  (Leaflet alone has none: its interactive time).

Also the page's bytes by part (picture, scripts, styles, data, translations...). Targets: line
painted at most 1.0x Leaflet alone, interactive at most 1.6x. Medians of interleaved loads after
one warm-up each; nothing here asserts on timings (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import re
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import browser  # noqa: E402
from run import expected_layers, machine, median, say  # noqa: E402

PHONE = {"width": 390, "height": 844}
TARGETS = {"painted": 1.0, "interactive": 1.6}  # ours / Leaflet alone
LINE = "treaty_1689"
MIN_PIXELS = 40  # pixels of the line's colour (in a 390x844 frame) that count as the line drawn


def line_colour() -> tuple[int, int, int]:
    """The 1689 line's colour from the catalog (its base style)."""
    import nerchinsk_map as nm

    hexa = nm.default_catalog()[LINE].style["base"]["color"].lstrip("#")
    return tuple(int(hexa[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def leaflet_only(work: Path) -> Path:
    """Leaflet, inlined as in our page, drawing the 1689 line (the same GeoJSON the map
    carries, in its colour and weight) fitted to the screen: the floor for any Leaflet page
    showing that line (with the same viewport meta as ours)."""
    import nerchinsk_map as nm
    from nerchinsk_map.web.assets import inline_assets
    from nerchinsk_map.web.layers import web_geojson

    cat = nm.default_catalog()
    spec = cat[LINE]
    data = json.dumps(web_geojson(nm.load_layer(LINE, cat), spec), separators=(",", ":"))
    style = json.dumps({"color": spec.style["base"]["color"], "weight": spec.style["base"]["weight"], "opacity": 1})
    a = inline_assets()
    page = work / "leaflet_only_phone.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>leaflet</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<style>{a['leaflet_css']}</style><script>{a['leaflet_js']}</script>"
        "<style>html,body,#map{height:100%;margin:0}</style></head><body><div id='map'></div>"
        f"<script>var map = L.map('map'); var line = L.geoJSON({data}, {{style: {style}}});"
        "map.fitBounds(line.getBounds()); line.addTo(map);</script></body></html>",
        encoding="utf-8")
    return page


def page_parts(html: Path) -> dict[str, int]:
    """The page's bytes (UTF-8) by part: the picture, Leaflet, the page's own script and styles,
    layer data, translations, and the rest."""
    text = html.read_text(encoding="utf-8")
    parts = {"total": len(text.encode("utf-8"))}

    def take(name: str, pattern: str) -> None:
        nonlocal text
        size = 0
        for m in re.finditer(pattern, text, re.DOTALL):
            size += len(m.group(0).encode("utf-8"))
        parts[name] = parts.get(name, 0) + size
        text = re.sub(pattern, "", text, flags=re.DOTALL)

    take("picture", r'<div class="nm-prepaint".*?</svg></div>')
    take("styles", r"<style>.*?</style>")
    take("layer_data_json_blocks", r'<script type="application/json" id="[^"]*_data">.*?</script>')
    take("layer_data_deflated_blocks", r'<script type="application/x-nm-deflate" id="[^"]*_data"[^>]*>.*?</script>')
    take("translations_json_blocks", r'<script type="application/json" id="nm-texts[^"]*">.*?</script>')
    take("translations_deflated_blocks", r'<script type="application/x-nm-deflate" id="nm-texts[^"]*"[^>]*>.*?</script>')
    take("other_json_blocks", r'<script type="application/json"[^>]*>.*?</script>')
    take("other_deflated_blocks", r'<script type="application/x-nm-deflate"[^>]*>.*?</script>')
    take("leaflet_js", r"<script>/\* @preserve\s+\* Leaflet.*?</script>")
    take("own_js", r"<script>\(function \(global\).*?</script>")
    take("layer_calls", r"NerchinskMap\.geoJsonLayer\(.*?\);")
    take("languages_call", r"NerchinskMap\.setupLanguages\(.*?\);")
    parts["rest"] = len(text.encode("utf-8"))
    return {k: v for k, v in parts.items() if v}


class Screencast:
    """Frames of the page as the screen shows them (CDP screencast): (timestamp s, PNG bytes)."""

    def __init__(self, cdp) -> None:
        self.cdp = cdp
        self.frames: list[tuple[float, bytes]] = []
        self.lock = threading.Lock()
        cdp.on("Page.screencastFrame", self._frame)

    def _frame(self, event: dict[str, Any]) -> None:
        self.frames.append((event["metadata"]["timestamp"], base64.b64decode(event["data"])))
        try:
            self.cdp.send("Page.screencastFrameAck", {"sessionId": event["sessionId"]})
        except Exception:  # the page is closing
            pass

    def start(self) -> None:
        self.cdp.send("Page.enable")
        self.cdp.send("Page.startScreencast", {"format": "png", "maxWidth": PHONE["width"],
                                               "maxHeight": PHONE["height"], "everyNthFrame": 1})


def coloured_pixels(png: bytes, rgb: tuple[int, int, int], tolerance: int = 24) -> int:
    """Pixels within ``tolerance`` of ``rgb`` in every channel."""
    import numpy as np
    from PIL import Image

    a = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    close = np.ones(a.shape[:2], dtype=bool)
    for channel, value in enumerate(rgb):
        close &= np.abs(a[..., channel] - value) <= tolerance
    return int(close.sum())


def painted_ms(frames: list[tuple[float, bytes]], time_origin_ms: float, rgb: tuple[int, int, int]) -> float | None:
    """Time (ms from the navigation's start) of the first frame showing the line."""
    for stamp, png in sorted(frames, key=lambda f: f[0]):
        if coloured_pixels(png, rgb) >= MIN_PIXELS:
            return stamp * 1000 - time_origin_ms
    return None


# the first animation frame with every control in the page (the map's "nm-ready" class), and
# the first with every opening layer live (browser.ours_ready); a page without them (Leaflet
# alone) never sets them
LATER_PROBE = """
(() => {
  const live = %s;
  function tick() {
    let ok = false;
    try { ok = !!live(); } catch (e) { ok = false; }
    if (ok && window.__nmAllLive === undefined) window.__nmAllLive = performance.now();
    if (document.querySelector('.nm-ready')) { window.__nmControls = performance.now(); }
    if (window.__nmControls === undefined || window.__nmAllLive === undefined) requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""


def load(b: browser.Browser, html: Path, ready: str, rate: float, rgb,
         all_live: str = "() => false") -> tuple[dict[str, Any], Any, Any]:
    """One load: the interactive time (browser.open's render_ms), the painted time, and when
    every opening layer is live (``all_live``) and the controls are in place."""
    casts: list[Screencast] = []

    def before(context, page, cdp) -> None:
        cast = Screencast(cdp)
        cast.start()
        casts.append(cast)
        page.add_init_script(LATER_PROBE % all_live)

    page, context, info = b.open(html, ready, timeout_s=120, viewport=PHONE, cpu_throttle=rate, phone=True,
                                 before_goto=before)
    origin = page.evaluate("() => performance.timeOrigin")
    info["interactive_ms"] = info["render_ms"]
    later = page.evaluate("() => [window.__nmAllLive, window.__nmControls]")
    for key, value in zip(("all_live_ms", "controls_ms"), later, strict=True):
        info[key] = max(value, info["render_ms"]) if value is not None else info["render_ms"]
    info["painted_ms"] = painted_ms(casts[0].frames, origin, rgb)
    info["frames"] = len(casts[0].frames)
    return info, page, context


def bench_phone(work: Path, repeats: int, rate: float, page: Path | None = None) -> dict[str, Any]:
    import nerchinsk_map as nm

    ours = work / "ours_phone.html"
    if page is None:
        nm.write_map(ours)
    else:
        shutil.copyfile(page, ours)
    exp = expected_layers()
    rgb = line_colour()
    cases = {
        "leaflet_only": (leaflet_only(work), "() => document.querySelector('path.leaflet-interactive') !== null"),
        "ours": (ours, browser.ours_live(exp["ours_front"])),
    }
    all_live = {"ours": browser.ours_ready(exp["ours_layers"])}
    metrics = ("painted_ms", "interactive_ms", "all_live_ms", "controls_ms", "longest_task_ms", "main_thread_ms")
    res: dict[str, Any] = {"viewport": PHONE, "cpu_throttle": rate, "repeats": repeats, "warmup": 1,
                           "bytes": {name: page_parts(html) for name, (html, _) in cases.items()}}
    for name in cases:
        res[name] = {k: [] for k in metrics} | {"errors": []}
    b = browser.Browser()
    res["chromium"] = b.version
    say(f"phone: Chromium {b.version}, {PHONE['width']}x{PHONE['height']} at 3x, CPU {rate:g}x slower; "
        f"1 warm-up + {repeats} loads of each page, interleaved ...")
    try:
        for i in range(repeats + 1):
            for name, (html, ready) in cases.items():
                info, page, context = load(b, html, ready, rate, rgb, all_live.get(name, "() => false"))
                if name == "ours" and i == 0:
                    res["ours_layers_in_dom"] = browser.layers_drawn(page)
                    res["ours_compact"] = page.evaluate(
                        "() => document.querySelector('.folium-map').classList.contains('nm-compact')")
                context.close()
                res[name]["errors"] += info["errors"]
                if i:
                    for k in metrics:
                        res[name][k].append(info[k])
    finally:
        b.close()
    for name in cases:
        for k in metrics:
            values = [v for v in res[name][k] if v is not None]
            res[name][f"median_{k}"] = median(values)
    for k in ("painted", "interactive"):
        ratio = res["ours"][f"median_{k}_ms"] / res["leaflet_only"][f"median_{k}_ms"]
        res[f"ratio_{k}"] = ratio
        res[f"met_{k}"] = ratio <= TARGETS[k]
    for k in ("all_live", "controls"):
        res[f"ratio_{k}"] = res["ours"][f"median_{k}_ms"] / res["leaflet_only"]["median_interactive_ms"]
    res["ours_front"] = exp["ours_front"]
    return res


def report(r: dict[str, Any]) -> None:
    say("\n| throttled phone (390x844, 3x, CPU 4x) | 1689 line painted | interactive | every opening layer live "
        "| controls in place | longest task | main thread busy |")
    say("| --- | --- | --- | --- | --- | --- | --- |")
    for name, label in (("ours", "this map, every layer"), ("leaflet_only", "Leaflet alone, the 1689 line")):
        x = r[name]
        say(f"| {label} | {x['median_painted_ms']:.0f} ms | {x['median_interactive_ms']:.0f} ms "
            f"| {x['median_all_live_ms']:.0f} ms | {x['median_controls_ms']:.0f} ms "
            f"| {x['median_longest_task_ms']:.0f} ms | {x['median_main_thread_ms']:.0f} ms |")
    for k in ("painted", "interactive"):
        say(f"{k}: {r[f'ratio_{k}']:.2f}x Leaflet alone (target <= {TARGETS[k]}x: "
            f"{'met' if r[f'met_{k}'] else 'missed'})")
    say(f"interactive: the picture off the map's face and {', '.join(r['ours_front'])} live")
    say(f"every opening layer live: {r['ratio_all_live']:.2f}x Leaflet alone's interactive time (no target)")
    say(f"controls in place: {r['ratio_controls']:.2f}x Leaflet alone's interactive time (no target)")
    say(f"compact layout: {r.get('ours_compact')}; layers drawn: {r.get('ours_layers_in_dom')}")
    say("page bytes by part: " + json.dumps(r["bytes"]["ours"]))
    errors = r["ours"]["errors"] + r["leaflet_only"]["errors"]
    if errors:
        say(f"page errors: {errors[:3]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7, help="loads of each page (default 7)")
    ap.add_argument("--rate", type=float, default=4.0, help="CPU slow-down factor (default 4)")
    ap.add_argument("--json", type=Path, help="write every measurement to this JSON file")
    ap.add_argument("--page", type=Path, help="measure this built page instead of building one (e.g. another branch's)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nm-phone-") as tmp:
        start = machine()
        r = bench_phone(Path(tmp), args.repeats, args.rate, args.page)
        r["machine_start"], r["machine_end"] = start, machine()
    report(r)
    if args.json:
        args.json.write_text(json.dumps(r, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
