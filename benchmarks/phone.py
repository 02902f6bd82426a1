"""The map on a phone: first render of all layers in headless Chromium emulating a mid-range
phone (390x844, mobile, touch, 3x density, CPU throttled 4x with CDP
``Emulation.setCPUThrottlingRate``), against Leaflet alone drawing one line in the same run.

    .venv/bin/python benchmarks/phone.py [--repeats N] [--rate 4] [--json out.json]

Target: ours at most 1.5x Leaflet alone. Medians of interleaved loads after one warm-up each;
nothing here asserts on timings (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import browser  # noqa: E402
from run import expected_layers, machine, median, say  # noqa: E402

PHONE = {"width": 390, "height": 844}
TARGET = 1.5  # ours / Leaflet alone


def leaflet_only(work: Path) -> Path:
    """Leaflet, inlined as in our page, drawing one line: the floor for any Leaflet page (with
    the same viewport meta as ours, so that the phone lays both out at 390 px)."""
    from nerchinsk_map.web.assets import inline_assets

    a = inline_assets()
    page = work / "leaflet_only_phone.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>leaflet</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<style>{a['leaflet_css']}</style><script>{a['leaflet_js']}</script>"
        "<style>html,body,#map{height:100%;margin:0}</style></head><body><div id='map'></div>"
        "<script>var map = L.map('map').setView([53, 125], 5);"
        "L.polyline([[50, 118], [53, 125], [55, 135]]).addTo(map);</script></body></html>",
        encoding="utf-8")
    return page


def bench_phone(work: Path, repeats: int, rate: float) -> dict[str, Any]:
    import nerchinsk_map as nm

    ours = work / "ours_phone.html"
    nm.write_map(ours)
    exp = expected_layers()
    cases = {
        "leaflet_only": (leaflet_only(work), "() => document.querySelector('path.leaflet-interactive') !== null"),
        "ours": (ours, browser.ours_ready(exp["ours_layers"])),
    }
    res: dict[str, Any] = {"viewport": PHONE, "cpu_throttle": rate, "repeats": repeats, "warmup": 1}
    for name in cases:
        res[name] = {"render_ms": [], "longest_task_ms": [], "main_thread_ms": [], "errors": []}
    b = browser.Browser()
    res["chromium"] = b.version
    say(f"phone: Chromium {b.version}, {PHONE['width']}x{PHONE['height']}, CPU {rate:g}x slower; "
        f"1 warm-up + {repeats} loads of each page, interleaved ...")
    try:
        for i in range(repeats + 1):
            for name, (html, ready) in cases.items():
                page, context, info = b.open(html, ready, timeout_s=120, viewport=PHONE, cpu_throttle=rate, phone=True)
                if name == "ours" and i == 0:
                    res["ours_layers_in_dom"] = browser.layers_drawn(page)
                    res["ours_compact"] = page.evaluate(
                        "() => document.querySelector('.folium-map').classList.contains('nm-compact')")
                context.close()
                res[name]["errors"] += info["errors"]
                if i:
                    for k in ("render_ms", "longest_task_ms", "main_thread_ms"):
                        res[name][k].append(info[k])
    finally:
        b.close()
    for name in cases:
        for k in ("render_ms", "longest_task_ms", "main_thread_ms"):
            res[name][f"median_{k}"] = median(res[name][k])
    res["ratio_ours_over_leaflet"] = res["ours"]["median_render_ms"] / res["leaflet_only"]["median_render_ms"]
    res["met"] = res["ratio_ours_over_leaflet"] <= TARGET
    return res


def report(r: dict[str, Any]) -> None:
    say("\n| throttled phone (390x844, CPU 4x) | first render | longest task | main thread busy |")
    say("| --- | --- | --- | --- |")
    for name, label in (("ours", "this map, every layer"), ("leaflet_only", "Leaflet alone, one line")):
        x = r[name]
        say(f"| {label} | {x['median_render_ms']:.0f} ms | {x['median_longest_task_ms']:.0f} ms "
            f"| {x['median_main_thread_ms']:.0f} ms |")
    say(f"\nratio {r['ratio_ours_over_leaflet']:.2f}x (target <= {TARGET}x: {'met' if r['met'] else 'missed'}); "
        f"compact layout: {r.get('ours_compact')}; layers drawn: {r.get('ours_layers_in_dom')}")
    errors = r["ours"]["errors"] + r["leaflet_only"]["errors"]
    if errors:
        say(f"page errors: {errors[:3]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7, help="loads of each page (default 7)")
    ap.add_argument("--rate", type=float, default=4.0, help="CPU slow-down factor (default 4)")
    ap.add_argument("--json", type=Path, help="write every measurement to this JSON file")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nm-phone-") as tmp:
        start = machine()
        r = bench_phone(Path(tmp), args.repeats, args.rate)
        r["machine_start"], r["machine_end"] = start, machine()
    report(r)
    if args.json:
        args.json.write_text(json.dumps(r, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
