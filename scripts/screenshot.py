"""Build the map and take a screenshot of it in headless Chromium with the network blocked.

    .venv/bin/python scripts/screenshot.py docs/map.png [--year 1689]
    .venv/bin/python scripts/screenshot.py docs/map-phone.png --width 390 --height 844 --phone [--open legend] [--lang ru]

The README's views: docs/map.png (1400x900), docs/map-desktop.png (1280x800),
docs/map-tablet.png (768x1024 --phone), docs/map-phone.png and docs/map-phone-legend.png
(390x844 --phone, the second with --open legend); the reader's panel: docs/map-texts.png
(1280x800 --hash '#clause=nerchinsk_1689_common/argun'), docs/map-story-phone.png (390x844 --phone
--hash '#story=5') and docs/map-compare.png (1280x800 --hash '#compare=nerchinsk_1689_common,gorbitsa_amazar').

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
    p.add_argument("--phone", action="store_true", help="a touch screen with a mobile browser")
    p.add_argument("--open", choices=["title", "layers", "legend", "time", "reader"], help="open this panel first")
    p.add_argument("--hash", default="", help="open this link state, e.g. '#clause=nerchinsk_1689_common/argun'")
    p.add_argument("--lang", choices=["en", "ru", "zh"], default="en", help="the page's language")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        html = nm.write_map(Path(tmp) / "map.html", nm.build_map(year=args.year, lang=args.lang))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height},
                                    is_mobile=args.phone, has_touch=args.phone)
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
            page.goto(html.as_uri() + args.hash)
            page.wait_for_function("() => document.querySelector('.nm-reader-toggle') && document.querySelector('path.leaflet-interactive')")
            page.wait_for_timeout(500)
            if args.open:
                page.click(f".nm-{args.open} button.nm-toggle")
                page.wait_for_timeout(300)
            args.output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.output))
            browser.close()
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
