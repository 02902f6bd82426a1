"""Shared fixtures: the catalog, the raw inputs, a built map and a headless Chromium."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import nerchinsk_map as nm

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("NERCHINSK_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("NERCHINSK_ARTIFACTS", ROOT / "test-artifacts"))
# every control in the page and the opening view settled (prepaint.js: the map's "nm-ready"
# class; a plain open builds the controls a frame after the live map is drawn)
MAP_READY = "document.querySelector('.folium-map.nm-ready')"
# Run before the page's scripts (ES5: WebKitGTK and Firefox run it too): once the first step of a
# plain open has moved the picture into the map (prepaint.js), the page's timers and frames stop,
# so the second step never comes and the state between the two can be looked at.
FREEZE_AFTER_STEP_ONE = ("new MutationObserver(function () {"
                         " if (window.__nmFrozen || document.getElementById('nm-prepaint') ||"
                         " !document.querySelector('svg.nm-picture')) return;"
                         " window.__nmFrozen = true; window.setTimeout = function () { return 0; };"
                         " window.requestAnimationFrame = function () { return 0; };"
                         " }).observe(document, {subtree: true, childList: true});")
AXE = Path(os.environ.get("NERCHINSK_AXE", ROOT / ".node" / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


RAW_DATA = ROOT / "nerchinsk_map" / "rawdata"  # shipped with the package: never missing


@pytest.fixture(scope="session")
def catalog() -> nm.Catalog:
    return nm.default_catalog()


@pytest.fixture(scope="session")
def layers(catalog) -> dict:
    return nm.load_layers(catalog=catalog)


@pytest.fixture(scope="session")
def raw_data() -> Path:
    """The raw inputs shipped in the package (nothing outside the clone is read)."""
    return RAW_DATA


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command line as a user would."""
    exe = shutil.which("nerchinsk-map", path=str(Path(sys.executable).parent)) or shutil.which("nerchinsk-map")
    command = [exe, *args] if exe else [sys.executable, "-m", "nerchinsk_map.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300)


BLOCK = re.compile(r'<script type="(application/json|application/x-nm-deflate)" id="([^"]+)"(?: data-size="(\d+)")?>(.*?)</script>',
                   re.DOTALL)


def page_blocks(html: str) -> dict[str, object]:
    """The page's data blocks by id, read back with Python's own readers: JSON, or JSON deflated
    (raw DEFLATE, base64; its UTF-8 length in data-size), checked to hold no ``<``."""
    found: dict[str, object] = {}
    for kind, ident, size, body in BLOCK.findall(html):
        assert "<" not in body, ident
        if kind == "application/x-nm-deflate":
            raw = zlib.decompress(base64.b64decode(body, validate=True), wbits=-15)
            assert len(raw) == int(size), ident
            body = raw.decode("utf-8")
        found[ident] = json.loads(body)
    return found


@pytest.fixture(scope="session")
def built_map(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("map") / "nerchinsk_map.html"
    result = cli("build", "--output", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def watch_offline(page):
    """Block every request but file: and data: URLs (kept in ``page.blocked``) and collect page
    errors and console errors in ``page.errors``; return the page."""
    page.errors = []
    page.blocked = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: page.errors.append(msg.text)
        if msg.type == "error" and "Failed to load resource" not in msg.text
        else None,
    )

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return page


@pytest.fixture()
def offline_page(browser):
    """A page in which every request except file: and data: URLs is blocked."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = watch_offline(context.new_page())
    yield page
    context.close()
