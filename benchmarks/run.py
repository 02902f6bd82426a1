"""Benchmarks of nerchinsk-map against a plain folium map of the same layers.

    /work/venv/bin/python benchmarks/run.py [--quick] [--json out.json]

1. build time from a cold process (a new interpreter per run), ours vs plain folium;
2. HTML size (ours inlines every asset; plain folium's excludes its CDN assets);
3. time to first render of all layers in headless Chromium, no network (plain folium's CDN
   requests are answered from local copies of Leaflet and jQuery, the rest get an empty 200);
4. a scale run: a 1,000,000-vertex GPS-like trace added as a user layer: build time, HTML
   size, time to first render, and the cost of a zoom.

Medians of several runs; nothing here asserts on timings. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import browser  # noqa: E402  (benchmarks/browser.py)
import synthetic  # noqa: E402

PAGE_METRICS = ("render_ms", "wall_ms", "longest_task_ms", "main_thread_ms", "script_ms")
TARGETS = {
    "build_ratio_ours_over_plain": 1.0,  # ours <= plain
    "html_ours_max_bytes": 2_000_000,  # everything inlined, under 2 MB
    "render_ratio_plain_over_ours": 2.0,  # ours at least 2x faster
    "scale_build_max_s": 15.0,
    "scale_zoom_max_ms": 1000.0,
    "cli_ratio_over_geopandas_import": 0.5,  # --version and layers under half a bare geopandas import
}
CLI_COMMANDS = (["--version"], ["layers"], ["reading", "list"], ["validate"])

# Cold builds: each runs in a new interpreter (`python -c`), so imports are paid every time.
# The child reports its own stages on stdout as JSON; the parent times the whole process.
OURS_CODE = """
import json, sys, time
t0 = time.perf_counter()
import nerchinsk_map as nm
t1 = time.perf_counter()
extra = json.loads(sys.argv[2])
m = nm.build_map(extra_layers=extra) if extra else nm.build_map()
t2 = time.perf_counter()
nm.write_map(sys.argv[1], m)
t3 = time.perf_counter()
out = {"import": t1 - t0, "build": t2 - t1, "write": t3 - t2}
if extra:  # after the timing: how many vertices the page carries for the user layer
    from nerchinsk_map.web.layers import CatalogLayer
    def count(c):
        return 1 if c and isinstance(c[0], (int, float)) else sum(count(x) for x in c)
    out["user_vertices"] = sum(
        count(f["geometry"]["coordinates"])
        for child in m._children.values()
        if isinstance(child, CatalogLayer) and child.spec.id.startswith("user_")
        for f in child.data["features"])
print(json.dumps(out))
"""

PLAIN_CODE = """
import json, sys, time
t0 = time.perf_counter()
import folium
import nerchinsk_map as nm
t1 = time.perf_counter()
m = folium.Map()
for layer_id in nm.list_layers():
    folium.GeoJson(nm.load_layer(layer_id)).add_to(m)
t2 = time.perf_counter()
m.save(sys.argv[1])
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "build": t2 - t1, "write": t3 - t2}))
"""

PROFILE_CODE = """
import cProfile, io, pstats, sys
import folium
import nerchinsk_map as nm
extra = sys.argv[2:]
def ours():
    nm.write_map(sys.argv[1], nm.build_map(extra_layers=extra))
def plain():
    m = folium.Map()
    for layer_id in nm.list_layers():
        folium.GeoJson(nm.load_layer(layer_id)).add_to(m)
    m.save(sys.argv[1])
for name, fn in (("ours", ours), ("plain", plain)) if not extra else (("ours + " + " ".join(extra), ours),):
    p = cProfile.Profile()
    p.enable(); fn(); p.disable()
    s = io.StringIO()
    pstats.Stats(p, stream=s).sort_stats("cumulative").print_stats(r"nerchinsk_map|folium|branca|json|simplify|pyogrio", 18)
    print(f"--- {name} (first build in this process, imports done) ---")
    print("\\n".join(l for l in s.getvalue().splitlines() if l.strip())[:6000])
"""


def bench_cli(repeats: int) -> dict[str, Any]:
    """Latency of the quick commands (a new process each, the console script as a user runs it)
    against a bare ``python -c "import geopandas"``: one warm-up, then ``repeats`` interleaved
    rounds; medians of the wall time."""
    script = Path(sys.executable).with_name("nerchinsk-map")
    runs = {"import geopandas": [sys.executable, "-c", "import geopandas"]}
    runs |= {" ".join(args): [str(script), *args] for args in CLI_COMMANDS}
    times: dict[str, list[float]] = {name: [] for name in runs}
    say(f"cli: {', '.join(runs)}; 1 warm-up + {repeats} rounds ...")
    for i in range(repeats + 1):
        for name, cmd in runs.items():
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
            wall = time.perf_counter() - t0
            if proc.returncode != 0:
                raise RuntimeError(f"{name} failed:\n{proc.stderr[-2000:]}")
            if i:
                times[name].append(wall)
    out: dict[str, Any] = {"runs_s": times, "median_s": {k: median(v) for k, v in times.items()}}
    base = out["median_s"]["import geopandas"]
    out["ratio_over_geopandas_import"] = {k: v / base for k, v in out["median_s"].items() if k != "import geopandas"}
    return out


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def run_child(code: str, *args: str) -> tuple[float, dict[str, Any]]:
    """Run ``python -c code args`` in a new interpreter; (wall seconds, its JSON report)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict[str, Any]:
    """What else is running: the load average and the busiest other processes (their %CPU
    over their lifetime, from ps), to judge the noise."""
    try:
        rows = [line.split(None, 4) for line in subprocess.run(
            ["ps", "-eo", "pid,ppid,pcpu,etime,comm", "--sort=-pcpu"], capture_output=True,
            text=True, timeout=10).stdout.splitlines()[1:]]
    except (OSError, subprocess.SubprocessError):
        rows = []
    ours = {str(os.getpid())}
    for pid, ppid, *_ in rows:  # sorted by %CPU, not by tree: a few passes find descendants
        if ppid in ours:
            ours.add(pid)
    for pid, ppid, *_ in rows:
        if ppid in ours:
            ours.add(pid)
    top = [f"{cpu}% {comm} (up {etime})" for pid, ppid, cpu, etime, comm in rows
           if pid not in ours and float(cpu) >= 1.0][:6]
    return {"cpus": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()], "busiest": top}


def versions() -> dict[str, str]:
    import folium
    import xstatic.pkg.leaflet as xleaflet

    import nerchinsk_map as nm

    return {"python": platform.python_version(), "nerchinsk_map": nm.__version__,
            "folium": folium.__version__, "leaflet": xleaflet.VERSION,
            "platform": platform.platform()}


def say(*args: Any) -> None:
    print(*args, flush=True)


# ---------------------------------------------------------------- 1 and 2: build and size


def bench_build(work: Path, repeats: int) -> dict[str, Any]:
    ours_html, plain_html = work / "ours.html", work / "plain.html"
    res: dict[str, Any] = {"repeats": repeats, "warmup": 1,
                           "ours": {"wall": [], "stages": []}, "plain": {"wall": [], "stages": []}}
    say(f"[1] cold builds: 1 warm-up + {repeats} runs each, interleaved ...")
    for i in range(repeats + 1):
        for name, code, out in (("ours", OURS_CODE, ours_html), ("plain", PLAIN_CODE, plain_html)):
            wall, stages = run_child(code, str(out), "[]") if name == "ours" else run_child(code, str(out))
            if i:  # the first round warms the OS file cache and .pyc files
                res[name]["wall"].append(wall)
                res[name]["stages"].append(stages)
    for name in ("ours", "plain"):
        r = res[name]
        r["median_s"] = median(r["wall"])
        r["median_stages_s"] = {k: median([s[k] for s in r["stages"]]) for k in ("import", "build", "write")}
    res["ratio_ours_over_plain"] = res["ours"]["median_s"] / res["plain"]["median_s"]
    return res


def bench_size(work: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("ours", "plain"):
        data = (work / f"{name}.html").read_bytes()
        out[name] = {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 6))}
    # What the plain page still fetches from CDNs, and the size of the local copies we have.
    cdn = browser.LocalCDN()
    text = (work / "plain.html").read_text(encoding="utf-8")
    import re

    urls = sorted(set(re.findall(r'(?:src|href)="(https://[^"]+\.(?:js|css))"', text)))
    local = {u: cdn.local_file(u).stat().st_size for u in urls if cdn.local_file(u)}
    out["plain"]["cdn_assets_not_counted"] = urls
    out["plain"]["cdn_local_copies_bytes"] = sum(local.values())
    out["ours"]["under_target"] = out["ours"]["bytes"] < TARGETS["html_ours_max_bytes"]
    return out


# ---------------------------------------------------------------- 3: first render


def calibration_pages(work: Path) -> dict[str, Path]:
    """Two reference pages: a blank one (the cost of a navigation in a fresh context) and
    Leaflet alone, inlined, drawing one line (the floor for any Leaflet page)."""
    from nerchinsk_map.web.assets import inline_assets

    a = inline_assets()
    blank = work / "blank.html"
    blank.write_text("<!DOCTYPE html><html><head><title>blank</title></head><body><p>x</p></body></html>")
    leaflet = work / "leaflet_only.html"
    leaflet.write_text(
        "<!DOCTYPE html><html><head><title>leaflet</title>"
        f"<style>{a['leaflet_css']}</style><script>{a['leaflet_js']}</script>"
        "<style>html,body,#map{height:100%;margin:0}</style></head><body><div id='map'></div>"
        "<script>var map = L.map('map').setView([53, 125], 5);"
        "L.polyline([[50, 118], [53, 125], [55, 135]]).addTo(map);</script></body></html>",
        encoding="utf-8")
    return {"blank": blank, "leaflet_only": leaflet}


def _year(value: Any) -> int | None:
    """The year of an ISO date, as the page's ``NerchinskMap.yearOf`` reads it."""
    import re

    if value is None or (isinstance(value, float) and value != value) or str(value) in ("", "nan", "None"):
        return None
    m = re.match(r"^(-?\d{1,4})", str(value))
    return int(m.group(1)) if m else None


def expected_layers(extra: list[str] = ()) -> dict[str, Any]:
    """What each page should draw. Ours: the layers shown at opening that have a feature in
    the opening year (the time control hides the others; basemaps are not dated), read as the
    page's ``nerchinsk.js`` reads dates, and how many features each draws (the run checks this
    against the page). Plain folium: every feature of every layer, points as markers."""
    import nerchinsk_map as nm

    cat = nm.default_catalog()
    year = None if (cat.time or {}).get("all") else (cat.time or {}).get("start")
    ours: dict[str, int] = {}
    paths = markers = 0
    for i in cat.ids():
        g = nm.load_layer(i, cat)
        for _, row in g.iterrows():
            kind = row.geometry.geom_type
            if kind in ("Point", "MultiPoint"):
                markers += len(getattr(row.geometry, "geoms", [row.geometry]))
            else:
                paths += 1
        if not cat[i].show:
            continue
        if cat[i].basemap or year is None or not cat.time:
            n = len(g)
        else:
            starts = [_year(v) for v in g["start_date"]] if "start_date" in g else [None] * len(g)
            ends = [_year(v) for v in g["end_date"]] if "end_date" in g else [None] * len(g)
            span = cat[i].extra.get("show_years")  # events: an open end closes after that long
            if span:
                ends = [s + int(span) if e is None and s is not None else e
                        for s, e in zip(starts, ends, strict=True)]
            n = sum((s is None or s <= year) and (e is None or year <= e) for s, e in zip(starts, ends, strict=True))
        if n:
            ours[i] = n
    for i in extra:
        ours[i] = 1
    # drawn live first (prepaint.js): the topmost of the view's fit layers and the layers above
    order = [*cat.ids(), *extra]
    fit = [order.index(i) for i in cat.view.get("fit_layers", []) if i in ours]
    front = [i for i in ours if not fit or order.index(i) >= max(fit)]
    return {"ours_layers": list(ours), "ours_front": front, "ours_features": ours, "opening_year": year,
            "plain_paths": paths, "plain_markers": markers}


def bench_render(work: Path, b: browser.Browser, repeats: int) -> dict[str, Any]:
    exp = expected_layers()
    pages = calibration_pages(work)
    cases = {
        "blank": (pages["blank"], "() => document.body !== null"),
        "leaflet_only": (pages["leaflet_only"], "() => document.querySelector('path.leaflet-interactive') !== null"),
        "ours": (work / "ours.html", browser.ours_ready(exp["ours_layers"])),
        "plain": (work / "plain.html", browser.plain_ready(exp["plain_paths"], exp["plain_markers"])),
    }
    res: dict[str, Any] = {"repeats": repeats, "warmup": 1, "expected": exp}
    for name in cases:
        res[name] = {k: [] for k in PAGE_METRICS} | {"errors": []}
    say(f"[3] first render in Chromium {b.version}: 1 warm-up + {repeats} loads of each page ...")
    for i in range(repeats + 1):
        for name, (html, ready) in cases.items():
            page, context, info = b.open(html, ready)
            if name == "ours" and i == 0:  # which layers the page really drew, once settled
                drawn = browser.layers_drawn(page)
                res["ours_layers_in_dom"] = drawn
                if sorted(drawn) != sorted(exp["ours_layers"]):
                    say(f"    note: the page draws {sorted(drawn)}, expected {sorted(exp['ours_layers'])}")
            if name in ("ours", "plain") and "svg" not in res[name]:
                res[name]["svg"] = browser.svg_stats(page)
                res[name]["requests"] = {"local_copy": info["cdn_local"], "empty_200": info["cdn_empty"],
                                         "tiles_blocked": info["tiles_blocked"]}
            context.close()
            res[name]["errors"] += info["errors"]
            if i:
                for k in PAGE_METRICS:
                    res[name][k].append(info[k])
    for name in cases:
        for k in PAGE_METRICS:
            res[name][f"median_{k}"] = median(res[name][k])
    res["ratio_plain_over_ours"] = res["plain"]["median_render_ms"] / res["ours"]["median_render_ms"]
    res["ratio_plain_over_ours_wall"] = res["plain"]["median_wall_ms"] / res["ours"]["median_wall_ms"]
    return res


# ---------------------------------------------------------------- 4: scale


def bench_scale(work: Path, b: browser.Browser, vertices: int, builds: int, loads: int, zooms: int) -> dict[str, Any]:
    trace = work / "gps_trace.geojson"
    say(f"[4] scale: writing a {vertices:,}-vertex trace ...")
    coords = synthetic.trace_coords(vertices)
    synthetic.write_trace(trace, coords=coords)
    middle = synthetic.densest_point(coords)  # (lat, lon) where the trace has most vertices
    res: dict[str, Any] = {"vertices": vertices, "input_bytes": trace.stat().st_size,
                           "zoom_centre_latlon": middle, "builds": {"wall": [], "stages": []}}
    html = work / "scale.html"
    say(f"    cold builds with the trace: {builds} run(s) ...")
    for _ in range(builds):
        wall, stages = run_child(OURS_CODE, str(html), json.dumps([str(trace)]))
        res["builds"]["wall"].append(wall)
        res["builds"]["stages"].append(stages)
    res["build_median_s"] = median(res["builds"]["wall"])
    res["build_median_stages_s"] = {k: median([s[k] for s in res["builds"]["stages"]])
                                    for k in ("import", "build", "write")}
    res["user_vertices_in_html"] = res["builds"]["stages"][-1].get("user_vertices")
    data = html.read_bytes()
    res["html_bytes"], res["html_gzip_bytes"] = len(data), len(gzip.compress(data, 6))

    exp = expected_layers([f"user_{synthetic_slug(trace)}"])
    ready = browser.ours_ready(exp["ours_layers"])
    for k in PAGE_METRICS + ("zoom", "errors"):
        res[k] = []
    user_sel = f"path.nm-layer-{exp['ours_layers'][-1]}"
    say(f"    first render, then {zooms} zoom-ins centred on the trace, {loads} load(s) ...")
    for i in range(loads):
        page, context, info = b.open(html, ready)
        for k in PAGE_METRICS:
            res[k].append(info[k])
        res["errors"] += info["errors"]
        if i == 0:
            res["svg_user_path"] = browser.svg_stats(page, user_sel)
            res["svg_all_paths"] = browser.svg_stats(page)
        browser.reset_view(page, middle)  # the opening zoom, centred on the trace's densest part
        for _ in range(zooms):
            res["zoom"].append(browser.zoom_in(page, user_sel))
        context.close()
    # The same zoom on the page without the trace: Leaflet's zoom animation alone takes ~250 ms.
    base = browser.ours_ready(expected_layers()["ours_layers"])
    page, context, _ = b.open(work / "ours.html", base)
    browser.reset_view(page, middle)
    res["zoom_baseline_ours"] = [browser.zoom_in(page) for _ in range(zooms)]
    context.close()
    for k in PAGE_METRICS:
        res[f"median_{k}"] = median(res[k])
    res["svg_user_path_max_vertices_zoomed"] = max(z["svg_vertices"] for z in res["zoom"])
    for k in ("zoomend_ms", "painted_ms", "longest_task_ms"):
        res[f"zoom_median_{k}"] = median([z[k] for z in res["zoom"]])
        res[f"zoom_max_{k}"] = max(z[k] for z in res["zoom"])
        res[f"zoom_baseline_median_{k}"] = median([z[k] for z in res["zoom_baseline_ours"]])
    return res


def synthetic_slug(path: Path) -> str:
    from nerchinsk_map.data.user_layers import _slug

    return _slug(path.stem)


# ---------------------------------------------------------------- report


def fmt_s(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f} s"


def fmt_ms(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f} ms"


def fmt_b(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(r: dict[str, Any]) -> None:
    rows: list[tuple[str, str, str, str]] = []
    bld, size, ren, sc = r.get("build"), r.get("size"), r.get("render"), r.get("scale")
    cli = r.get("cli")
    if cli:
        base = cli["median_s"]["import geopandas"]
        rows.append(("reference: python -c 'import geopandas'", fmt_s(base), "", ""))
        for name, ratio in cli["ratio_over_geopandas_import"].items():
            rows.append((f"nerchinsk-map {name} (process wall, median)", fmt_s(cli["median_s"][name]), "",
                         f"{ratio:.2f}x a geopandas import"))
    if bld:
        o, p = bld["ours"], bld["plain"]
        rows.append(("cold build (process wall, median)", fmt_s(o["median_s"]), fmt_s(p["median_s"]),
                     f"{bld['ratio_ours_over_plain']:.2f} ours/plain"))
        for k in ("import", "build", "write"):
            rows.append((f"  of which {k} (in child)", fmt_s(o["median_stages_s"][k]),
                         fmt_s(p["median_stages_s"][k]), ""))
    if size:
        rows.append(("HTML size", fmt_b(size["ours"]["bytes"]), fmt_b(size["plain"]["bytes"]) + " + CDN",
                     f"{size['ours']['bytes'] / size['plain']['bytes']:.2f} ours/plain"))
        rows.append(("  gzip", fmt_b(size["ours"]["gzip_bytes"]), fmt_b(size["plain"]["gzip_bytes"]), ""))
    if ren:
        o, p = ren["ours"], ren["plain"]
        rows.append(("first render, all layers (in page)", fmt_ms(o["median_render_ms"]),
                     fmt_ms(p["median_render_ms"]), f"{ren['ratio_plain_over_ours']:.2f} plain/ours"))
        rows.append(("  wall: goto + render seen by Python", fmt_ms(o["median_wall_ms"]),
                     fmt_ms(p["median_wall_ms"]), f"{ren['ratio_plain_over_ours_wall']:.2f} plain/ours"))
        rows.append(("  longest task before render", fmt_ms(o["median_longest_task_ms"]),
                     fmt_ms(p["median_longest_task_ms"]), ""))
        rows.append((f"  main-thread busy / in scripts, to render+{browser.SETTLE_MS / 1000:.0f} s",
                     f"{o['median_main_thread_ms']:.0f} / {o['median_script_ms']:.0f} ms",
                     f"{p['median_main_thread_ms']:.0f} / {p['median_script_ms']:.0f} ms", ""))
        rows.append(("  SVG paths / vertices at render", f"{o['svg']['paths']} / {o['svg']['vertices']}",
                     f"{p['svg']['paths']} / {p['svg']['vertices']}", ""))
        rows.append(("  reference: blank page / Leaflet alone", fmt_ms(ren["blank"]["median_render_ms"]),
                     fmt_ms(ren["leaflet_only"]["median_render_ms"]), ""))
        for name in ("ours", "plain"):
            if ren[name]["errors"]:
                rows.append((f"  page errors ({name})", str(len(ren[name]["errors"])), ren[name]["errors"][0][:40], ""))
    width = max(len(x[0]) for x in rows) if rows else 30
    say("")
    say(f"{'':{width}}  {'ours':>14}  {'plain folium':>16}  ratio")
    for name, a, b_, ratio in rows:
        say(f"{name:{width}}  {a:>14}  {b_:>16}  {ratio}")
    if sc:
        say("")
        say(f"scale: one LineString of {sc['vertices']:,} vertices ({fmt_b(sc['input_bytes'])} GeoJSON) as a user layer")
        say(f"  cold build (median of {len(sc['builds']['wall'])}): {fmt_s(sc['build_median_s'])}  "
            f"(import {fmt_s(sc['build_median_stages_s']['import'])}, build_map {fmt_s(sc['build_median_stages_s']['build'])}, "
            f"write {fmt_s(sc['build_median_stages_s']['write'])})")
        say(f"  HTML: {fmt_b(sc['html_bytes'])} (gzip {fmt_b(sc['html_gzip_bytes'])}); "
            f"the trace keeps {sc['user_vertices_in_html']:,} vertices after simplification")
        say(f"  first render (median of {len(sc['render_ms'])}): {fmt_ms(sc['median_render_ms'])} in page, "
            f"{fmt_ms(sc['median_wall_ms'])} wall; longest task {fmt_ms(sc['median_longest_task_ms'])}; "
            f"main thread busy to render+{browser.SETTLE_MS / 1000:.0f} s {fmt_ms(sc['median_main_thread_ms'])}")
        say(f"  SVG path of the trace at opening: {sc['svg_user_path']['vertices']:,} vertices; "
            f"zoomed in on it: up to {sc['svg_user_path_max_vertices_zoomed']:,} "
            f"(zooms {sc['zoom'][0]['from']} to {sc['zoom'][-1]['to']})")
        say(f"  zoom-in (+1 level, {len(sc['zoom'])} runs): zoomend median {fmt_ms(sc['zoom_median_zoomend_ms'])}, "
            f"painted median {fmt_ms(sc['zoom_median_painted_ms'])} / max {fmt_ms(sc['zoom_max_painted_ms'])}, "
            f"longest task max {fmt_ms(sc['zoom_max_longest_task_ms'])}")
        say(f"  same zoom without the trace: painted median {fmt_ms(sc['zoom_baseline_median_painted_ms'])} "
            f"(Leaflet's zoom animation is 250 ms)")
        if sc["errors"]:
            say(f"  page errors: {sc['errors'][:3]}")
    say("")
    say("targets:")
    if bld:
        say(f"  build ours/plain = {bld['ratio_ours_over_plain']:.2f} (target <= 1.00): "
            f"{verdict(bld['ratio_ours_over_plain'] <= TARGETS['build_ratio_ours_over_plain'])}")
    if size:
        say(f"  HTML ours = {fmt_b(size['ours']['bytes'])} with every asset inlined (target < 2 MB): "
            f"{verdict(size['ours']['under_target'])}; plain folium's {fmt_b(size['plain']['bytes'])} "
            f"excludes {len(size['plain']['cdn_assets_not_counted'])} CDN files "
            f"(Leaflet + jQuery alone are {fmt_b(size['plain']['cdn_local_copies_bytes'])} more)")
    if ren:
        say(f"  first render plain/ours = {ren['ratio_plain_over_ours']:.2f} (target >= 2.00): "
            f"{verdict(ren['ratio_plain_over_ours'] >= TARGETS['render_ratio_plain_over_ours'])}")
    if sc:
        say(f"  scale build = {fmt_s(sc['build_median_s'])} (target < 15 s): "
            f"{verdict(sc['build_median_s'] < TARGETS['scale_build_max_s'])}")
        say(f"  scale zoom-in painted (max) = {fmt_ms(sc['zoom_max_painted_ms'])} (target < 1 s): "
            f"{verdict(sc['zoom_max_painted_ms'] < TARGETS['scale_zoom_max_ms'])}")
    m0, m1 = r["machine_start"], r.get("machine_end", {})
    say("")
    say(f"machine: {m0['cpus']} CPUs; load average {m0['loadavg']} at start, {m1.get('loadavg')} at end; "
        f"other busy processes at start: {'; '.join(m0['busiest'][:4]) or 'none'}")
    say("(other processes share the CPUs: figures are medians, compare the ratios more than the times)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run, under a minute)")
    ap.add_argument("--json", type=Path, help="write every measurement to this JSON file")
    ap.add_argument("--repeats", type=int, help="runs per cold build and per page load (default 7, quick 3)")
    ap.add_argument("--vertices", type=int, default=1_000_000, help="vertices of the scale trace")
    ap.add_argument("--skip-scale", action="store_true", help="leave out the scale run")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one warm build of each map")
    ap.add_argument("--keep", type=Path, help="keep the pages and the trace in this directory")
    args = ap.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 7)
    scale_builds, scale_loads, zooms = (1, 1, 3) if args.quick else (3, 3, 4)

    results: dict[str, Any] = {"quick": args.quick, "targets": TARGETS, "versions": versions(),
                               "machine_start": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    t_start = time.perf_counter()
    tmp = None
    if args.keep:
        work = args.keep
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="nm-bench-")
        work = Path(tmp.name)
    try:
        results["cli"] = bench_cli(repeats)
        results["build"] = bench_build(work, repeats)
        results["size"] = bench_size(work)
        b = browser.Browser()
        results["versions"]["chromium"] = b.version
        try:
            results["render"] = bench_render(work, b, repeats)
            if not args.skip_scale:
                results["scale"] = bench_scale(work, b, args.vertices, scale_builds, scale_loads, zooms)
        finally:
            b.close()
        if args.profile:
            say("\n[profile] one warm in-process build of each map, cumulative time:")
            extra = [str(work / "gps_trace.geojson")] if not args.skip_scale else []
            for ex in ([[]] + ([extra] if extra else [])):
                proc = subprocess.run([sys.executable, "-c", PROFILE_CODE, str(work / "profile.html"), *ex],
                                      capture_output=True, text=True, cwd=ROOT, timeout=600)
                say(proc.stdout or proc.stderr[-2000:])
    finally:
        results["machine_end"] = machine()
        results["elapsed_s"] = time.perf_counter() - t_start
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
        if tmp is not None:
            tmp.cleanup()
    report(results)
    say(f"\n(elapsed {results['elapsed_s']:.0f} s{'; results in ' + str(args.json) if args.json else ''})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
