"""Headless-Chromium measurements for the benchmarks: time to first render, SVG vertex counts,
and the cost of a zoom. Debian's /usr/bin/chromium only (no browser is ever downloaded), with
no network: file: and data: URLs load, CDN requests are answered from local copies of the
same libraries (xstatic packages), and every other request gets an empty 200 response.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("NERCHINSK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}  # as in tests/conftest.py
# Map tiles are refused by the browser itself (CDP Network.setBlockedURLs), not by a Python
# route handler: a page asks for ~40-80 tiles, and answering each from Python (a round trip
# through Playwright) would delay the other messages and inflate the wall times.
TILE_URLS = ["*arcgisonline.com/*", "*basemaps.cartocdn.com/*", "*tile.openstreetmap.org/*"]
SETTLE_MS = 1000  # main-thread time is read this long after the render

# Runs before any script of the page: every animation frame, test the page's "rendered"
# condition; the first frame at which it holds is the time to first render (performance.now()
# is measured from the navigation's start). Long tasks (> 50 ms) are recorded too. The page
# then logs "__bm_done" to the console, which Python waits for: no Playwright script is
# evaluated in the page while it loads (polling with wait_for_function would compile
# Playwright's injected script, ~50 ms, on the page's main thread in the middle of the load).
PROBE = """
(() => {
  const bm = window.__bm = { done: false, t: null, frames: 0, longtasks: [] };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bm.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { bm.longtasks = null; }
  const ready = %s;
  function tick() {
    bm.frames++;
    let ok = false;
    try { ok = !!ready(); } catch (e) { ok = false; }
    if (ok) { bm.done = true; bm.t = performance.now(); console.debug("__bm_done"); return; }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""


def ours_ready(layer_ids: list[str]) -> str:
    """JS predicate: every layer shown at opening has its paths (``path.nm-layer-<id>``) and the
    picture painted before the scripts is gone (neither the cover nor, inside the map, the
    stand-in for the layers drawn last: ``svg.nm-picture``)."""
    sel = [f"path.nm-layer-{i}" for i in layer_ids]
    return ("() => !document.getElementById('nm-prepaint') && !document.querySelector('svg.nm-picture') && "
            f"{_js(sel)}.every((s) => document.querySelector(s) !== null)")


def ours_live(layer_ids: list[str]) -> str:
    """JS predicate: the live map answers taps and gestures: the picture no longer covers it
    (it may still stand in, inside the map and moving with it, for the layers beneath) and the
    layers ``layer_ids`` (from the opening's subject up) have their paths."""
    sel = [f"path.nm-layer-{i}" for i in layer_ids]
    return f"() => !document.getElementById('nm-prepaint') && {_js(sel)}.every((s) => document.querySelector(s) !== null)"


def plain_ready(paths: int, markers: int) -> str:
    """JS predicate: folium's page shows all its interactive paths and point markers."""
    return (
        f"() => document.querySelectorAll('path.leaflet-interactive').length >= {paths}"
        f" && document.querySelectorAll('.leaflet-marker-icon').length >= {markers}"
    )


def _js(value: Any) -> str:
    import json

    return json.dumps(value)


class LocalCDN:
    """Answer the requests of a page with no network: local files for known CDN libraries."""

    def __init__(self) -> None:
        import xstatic.pkg.leaflet as xleaflet

        self.leaflet = Path(xleaflet.BASE_DIR)
        try:
            import xstatic.pkg.jquery as xjquery

            self.jquery: Path | None = Path(xjquery.BASE_DIR)
        except ImportError:  # pragma: no cover - then jQuery gets an empty response too
            self.jquery = None
        self.served: list[str] = []
        self.empty: list[str] = []

    def local_file(self, url: str) -> Path | None:
        name = url.split("?")[0].rsplit("/", 1)[-1]
        if "leaflet" in url and "awesome" not in url:
            sub = "images/" if "/images/" in url else ""
            path = self.leaflet / f"{sub}{name}"
            return path if path.is_file() else None
        if "jquery" in url and self.jquery is not None:
            path = self.jquery / ("jquery.min.js" if name.endswith(".min.js") else "jquery.js")
            return path if path.is_file() else None
        return None

    def handle(self, route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
            return
        path = self.local_file(url)
        if path is not None:
            self.served.append(url)
            ctype = {"js": "application/javascript", "css": "text/css", "png": "image/png"}.get(
                path.suffix.lstrip("."), "application/octet-stream")
            route.fulfill(status=200, body=path.read_bytes(), content_type=ctype,
                          headers={"Access-Control-Allow-Origin": "*"})
        else:
            self.empty.append(url)
            route.fulfill(status=200, body=b"", headers={"Access-Control-Allow-Origin": "*"})


class Browser:
    """One Chromium process; every measurement opens a fresh context (empty cache)."""

    def __init__(self) -> None:
        if not CHROMIUM.exists():
            raise SystemExit(f"{CHROMIUM} not found (apt-get install chromium); no browser is downloaded")
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        self.version = self.browser.version

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()

    def open(self, html: Path, ready_js: str, timeout_s: float = 60.0, viewport: dict | None = None,
             cpu_throttle: float | None = None, phone: bool = False, before_goto=None):
        """Load ``html`` from file:// until ``ready_js`` holds; returns (page, context, timings).

        timings: ``render_ms`` (performance.now() at the first animation frame where the page is
        rendered), ``wall_ms`` (goto + wait, as seen from Python), ``dcl_ms`` (the navigation's
        DOMContentLoaded), ``longest_task_ms`` up to the render, ``main_thread_ms`` /
        ``script_ms`` (Chromium's TaskDuration / ScriptDuration since the context opened, read
        ``SETTLE_MS`` after the render: all the work of loading and settling, fetches excluded).
        ``viewport``, ``phone`` (a mobile, touch, 3x-density screen) and ``cpu_throttle`` (CDP
        ``Emulation.setCPUThrottlingRate``: 4 is a mid-range phone) emulate other devices.
        ``before_goto(context, page, cdp)`` runs just before the navigation (a screencast...).
        """
        extra = {"is_mobile": True, "has_touch": True, "device_scale_factor": 3} if phone else {}
        context = self.browser.new_context(viewport=viewport or VIEWPORT, **extra)
        page = context.new_page()
        cdn = LocalCDN()
        page.route("**/*", cdn.handle)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.add_init_script(PROBE % ready_js)
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        cdp.send("Network.enable")
        cdp.send("Network.setBlockedURLs", {"urls": TILE_URLS})
        if cpu_throttle:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_throttle})
        blocked: list[str] = []
        page.on("requestfailed", lambda r: blocked.append(r.url))
        if before_goto is not None:
            before_goto(context, page, cdp)
        t0 = time.perf_counter()
        try:
            with page.expect_console_message(lambda m: m.text == "__bm_done", timeout=timeout_s * 1000):
                page.goto(html.resolve().as_uri(), wait_until="commit", timeout=timeout_s * 1000)
        except Exception as exc:
            layers = page.evaluate(
                """() => { const n = {};
                  for (const p of document.querySelectorAll('path')) for (const c of p.classList)
                    if (c.startsWith('nm-layer-') || c === 'leaflet-interactive') n[c] = (n[c] || 0) + 1;
                  n.markers = document.querySelectorAll('.leaflet-marker-icon').length; return n; }""")
            context.close()
            raise RuntimeError(f"{html.name} not rendered after {timeout_s:.0f} s: waited for {ready_js}; "
                               f"the page has {layers}; errors: {errors[:3]}") from exc
        wall_ms = (time.perf_counter() - t0) * 1000
        page.wait_for_timeout(SETTLE_MS)  # no script of Playwright's runs in the page meanwhile
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        info = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType('navigation')[0] || {};
              const lt = (window.__bm.longtasks || []).filter((e) => e[0] <= window.__bm.t);
              return { render_ms: window.__bm.t, dcl_ms: nav.domContentLoadedEventEnd || null,
                       longest_task_ms: lt.length ? Math.max(...lt.map((e) => e[1])) : 0 };
            }"""
        )
        info["wall_ms"] = wall_ms
        info["main_thread_ms"] = metrics.get("TaskDuration", 0) * 1000
        info["script_ms"] = metrics.get("ScriptDuration", 0) * 1000
        info["errors"] = errors
        info["cdn_local"] = len(cdn.served)
        info["cdn_empty"] = len(cdn.empty)
        info["tiles_blocked"] = len(blocked)
        return page, context, info


def svg_stats(page, selector: str = "path") -> dict[str, int]:
    """Number of SVG paths matching ``selector`` and of the vertices in their ``d`` strings."""
    return page.evaluate(
        """(sel) => {
          let paths = 0, vertices = 0;
          for (const p of document.querySelectorAll(sel)) {
            paths++;
            const d = p.getAttribute('d') || '';
            const m = d.match(/[MLml]/g);
            vertices += m ? m.length : 0;
          }
          return { paths, vertices };
        }""",
        selector,
    )


def layers_drawn(page) -> dict[str, int]:
    """The catalog layers that have SVG paths in the page (``path.nm-layer-<id>``), with counts."""
    return page.evaluate(
        """() => { const n = {};
          for (const p of document.querySelectorAll('path')) for (const c of p.classList)
            if (c.startsWith('nm-layer-')) n[c.slice(9)] = (n[c.slice(9)] || 0) + 1;
          return n; }""")


def zoom_in(page, selector: str | None = None) -> dict[str, float]:
    """Zoom the page's map in by one level and time it: ``zoomend_ms`` (Leaflet's zoom
    animation, 250 ms, then the re-projection of every path), ``moveend_ms`` (paths clipped,
    simplified and redrawn), ``painted_ms`` (the next animation frame after that), and the
    longest task that blocked the page meanwhile. With ``selector``: the vertices those SVG
    paths have after the zoom."""
    out = page.evaluate(
        """() => new Promise((resolve) => {
          const map = Object.values(window).find((v) => v instanceof L.Map);
          const out = { from: map.getZoom() };
          const t0 = performance.now();
          map.once('zoomend', () => { out.zoomend_ms = performance.now() - t0; });
          map.once('moveend', () => {
            out.moveend_ms = performance.now() - t0;
            requestAnimationFrame(() => {
              out.painted_ms = performance.now() - t0;
              out.to = map.getZoom();
              // long tasks are reported asynchronously: wait a little before reading them
              setTimeout(() => {
                const lt = (window.__bm.longtasks || []).filter((e) => e[0] >= t0);
                out.longest_task_ms = lt.length ? Math.max(...lt.map((e) => e[1])) : 0;
                resolve(out);
              }, 100);
            });
          });
          map.setZoom(map.getZoom() + 1);
        })"""
    )
    if selector:
        out["svg_vertices"] = svg_stats(page, selector)["vertices"]
    return out


def reset_view(page, center: tuple[float, float] | None = None) -> None:
    """Back to the opening zoom (no animation), centred on ``center`` (lat, lon) if given,
    else on the opening centre; then let the page settle."""
    page.evaluate(
        """(center) => new Promise((resolve) => {
          const map = Object.values(window).find((v) => v instanceof L.Map);
          if (!window.__bmStart) window.__bmStart = [map.getCenter(), map.getZoom()];
          map.setView(center || window.__bmStart[0], window.__bmStart[1], { animate: false });
          setTimeout(resolve, 300);
        })""",
        list(center) if center else None,
    )
