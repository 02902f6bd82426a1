"""The legend explains the drawing: the 1689 line's kinds of segment, each basin's colour, and
no basin coloured like the land ceded in 1858-1860."""

from __future__ import annotations

import math

import pytest
from conftest import watch_offline

from nerchinsk_map.web.assets import messages


def _lch(hex_color: str) -> tuple[float, float, float]:
    """CIE L*C*h of an sRGB #rrggbb colour (D65)."""
    rgb = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    a, b = 500 * (fx - fy), 200 * (fy - fz)
    return 116 * fy - 16, math.hypot(a, b), math.degrees(math.atan2(b, a)) % 360


def _fills(layer) -> dict[str, str]:
    base = layer.style["base"].get("fillColor", layer.style["base"]["color"])
    values = (layer.style.get("by") or {}).get("values", {})
    return {key: v.get("fillColor", base) for key, v in values.items()} | {"(base)": base}


def test_no_basin_is_coloured_like_the_ceded_land(catalog):
    """Every coloured basin fill differs in hue by at least 30° from each ceded-territory fill
    (greys, with no hue to speak of, cannot be mistaken for them)."""
    ceded = [_lch(c) for c in _fills(catalog["territories"]).values() if c]
    for key, colour in _fills(catalog["watersheds"]).items():
        _, chroma, hue = _lch(colour)
        if chroma < 10:
            continue
        for _, _, h2 in ceded:
            gap = min(abs(hue - h2), 360 - abs(hue - h2))
            assert gap >= 30, f"watersheds {key} {colour}: hue {hue:.0f}° is {gap:.0f}° from a ceded fill"


def test_the_legend_entries_cover_every_drawn_style(catalog, layers):
    """The 1689 line's legend names every segment kind its style distinguishes (and those drawn
    in the base style); each basin is named by its own name."""
    treaty = catalog["treaty_1689"]
    entry = treaty.extra["legend"]
    kinds = set(layers["treaty_1689"][entry["property"]])
    assert kinds <= set(entry["values"]), kinds - set(entry["values"])
    assert set(treaty.style["by"]["values"]) <= set(entry["values"])
    assert catalog["watersheds"].extra["legend"] == {"property": "id", "label_from": "name"}
    for layer in catalog.layers:
        for label in layer.extra.get("legend", {}).get("values", {}).values():
            for lang in ("ru", "zh"):
                assert label in messages()[lang], f"{layer.id}: {label!r} has no {lang} word"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_legend_draws_each_variant_as_the_map_does(browser, built_map, catalog, lang):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = watch_offline(context.new_page())
    errors = page.errors
    page.goto(built_map.as_uri() + "#lang=" + lang)
    page.wait_for_function("() => window.L && document.querySelector('path.nm-layer-treaty_1689')")
    rows = page.eval_on_selector_all(
        ".nm-legend li[data-layer-id=treaty_1689] .nm-variants li",
        "els => els.map(e => [e.dataset.variant, e.textContent,"
        " e.querySelector('svg line:last-child').getAttribute('stroke-dasharray')])",
    )
    by = catalog["treaty_1689"].style["by"]["values"]
    assert [r[0] for r in rows] == ["river", "divide", "connector", "divide_uda"]
    for key, text, dash in rows:
        assert dash == by.get(key, {}).get("dashArray"), key
        english = catalog["treaty_1689"].extra["legend"]["values"][key]
        assert text == (english if lang == "en" else messages()[lang][english])
    basins = page.eval_on_selector_all(
        ".nm-legend li[data-layer-id=watersheds] .nm-variants li",
        "els => els.map(e => [e.dataset.variant, e.textContent, e.querySelector('svg rect').getAttribute('fill')])",
    )
    fills = _fills(catalog["watersheds"])
    assert [b[0] for b in basins] == ["amur", "argun", "shilka", "zeya", "gorbitsa", "amazar"]
    for key, text, fill in basins:
        assert fill == fills.get(key, fills["(base)"])
        assert ("басс" in text.lower()) if lang == "ru" else ("basin" in text)
    assert errors == []
    context.close()
