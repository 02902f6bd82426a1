"""Build the map and take a screenshot of it in headless Chromium with the network blocked.

    .venv/bin/python scripts/screenshot.py docs/map.png [--year 1689]

Uses Debian's /usr/bin/chromium (never a downloaded browser)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

import nerchinsk_map as nm

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("output", type=Path)
    p.add_argument("--year", type=int, default=None, help="year of the time control (default: the catalog's)")
    p.add_argument("--width", type=int, default=1400)
    p.add_argument("--height", type=int, default=900)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        html = nm.write_map(Path(tmp) / "map.html", nm.build_map(year=args.year))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
            page.goto(html.as_uri())
            page.wait_for_function("() => document.querySelector('path.nm-layer-treaty_1689')")
            page.wait_for_timeout(500)
            args.output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.output))
            browser.close()
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
