"""The page's inlined assets: the script's modules concatenated in the manifest's order, and CSS
that the Nu HTML Checker accepts (no IE-only VML rule, no 'font' shorthand ending in inherit)."""

from __future__ import annotations

import json
import re

from nerchinsk_map.web import assets


def test_every_script_module_is_in_the_manifest_once_and_in_its_order():
    manifest = json.loads((assets.SCRIPT_DIR / "manifest.json").read_text(encoding="utf-8"))["modules"]
    on_disk = sorted(p.name for p in assets.SCRIPT_DIR.glob("*.js"))
    assert sorted(manifest) == on_disk and len(set(manifest)) == len(manifest)
    script = assets.page_script()
    starts = [script.index((assets.SCRIPT_DIR / name).read_text(encoding="utf-8")) for name in manifest]
    assert starts == sorted(starts)
    assert script.startswith("(function (global) {") and script.rstrip().endswith("})(window);")


def test_the_public_api_is_kept():
    script = assets.page_script()
    for name in ("geoJsonLayer", "layerControl", "legend", "titleBox", "mapControls", "credits", "timeControl",
                 "setupLanguages", "setLanguage", "t", "dataText", "yearOf", "popupContent", "fitPopup", "fitView"):
        assert re.search(rf"\b{name}: (queued\()?{name}\b", script), name


def test_the_inlined_css_has_no_rules_html_checkers_reject():
    a = assets.inline_assets()
    assert not re.search(r"\bbehavior\s*:", a["leaflet_css"])  # Leaflet's VML rule for IE 6-8
    shorthands = re.findall(r"\bfont\s*:\s*([^;}]*)", a["own_css"] + a["leaflet_css"])
    bad = [s for s in shorthands if "inherit" in s.split() and s.strip() != "inherit"]
    assert bad == []
