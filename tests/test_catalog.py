"""The catalog and the files in geodata/ agree, and every entry is complete."""

import json
import re

import pytest

import nerchinsk_map as nm
from nerchinsk_map.catalog import GEOMETRY_KINDS, read_catalog


def test_catalog_lists_every_geodata_file_and_nothing_else(catalog):
    listed = {layer.file for layer in catalog.layers}
    on_disk = {p.name for p in catalog.root.glob("*.geojson")}
    assert listed == on_disk


def test_required_layers_present(catalog):
    for layer_id in ("rivers", "watersheds", "places", "treaty_1689", "uda_undetermined"):
        assert layer_id in catalog


def test_entries_are_complete(catalog):
    for layer in catalog.layers:
        assert layer.geometry in GEOMETRY_KINDS
        assert layer.title and layer.description and layer.group
        assert layer.sources and all(s.dataset and s.version and s.licence for s in layer.sources)
        assert "base" in layer.style and layer.style["base"].get("color", "").startswith("#")
        for date in (layer.start_date, layer.end_date):
            assert date is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date)


def test_list_layers_is_catalog_order(catalog):
    assert nm.list_layers() == [layer.id for layer in catalog.layers]


def test_unknown_layer_is_a_clear_error(catalog):
    with pytest.raises(nm.UnknownLayerError, match="unknown layer 'nope'"):
        nm.load_layer("nope")


def test_catalog_naming_a_missing_file_is_refused(tmp_path):
    raw = json.loads((nm.default_catalog().root / "catalog.json").read_text(encoding="utf-8"))
    raw["layers"][0]["file"] = "missing.geojson"
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(nm.CatalogError, match="missing.geojson, which does not exist"):
        read_catalog(path)


def test_duplicate_ids_are_refused(tmp_path):
    raw = json.loads((nm.default_catalog().root / "catalog.json").read_text(encoding="utf-8"))
    raw["layers"].append(dict(raw["layers"][0]))
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(nm.CatalogError, match="duplicate layer id"):
        read_catalog(path, check_files=False)


def _luminance(hex_color: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_lines_and_text_contrast_with_the_basemap(catalog):
    """WCAG 2.1 AA: 4.5:1 for every overlay's line colour (and its per-feature variants) against
    the offline basemap's land, and for the label text (nerchinsk.css .nm-label)."""
    land = catalog["land"].style["base"]["fillColor"]
    assert contrast("#2b1a0e", land) >= 4.5  # place labels
    for colour in catalog.user_styles:  # users' layers
        assert contrast(colour, land) >= 4.5, colour
    for layer in catalog.layers:
        if layer.basemap:
            continue
        colours = [layer.style["base"]["color"]]
        by = layer.style.get("by") or {}
        colours += [v["color"] for v in by.get("values", {}).values() if "color" in v]
        for colour in colours:
            assert contrast(colour, land) >= 4.5, f"{layer.id}: {colour} on {land} is {contrast(colour, land):.2f}:1"


def test_layer_titles_and_descriptions_in_three_languages(catalog):
    for layer in catalog.layers:
        for lang in ("ru", "zh"):
            entry = layer.extra.get("i18n", {}).get(lang, {})
            assert entry.get("title") and entry.get("description"), f"{layer.id} lacks its {lang} title or description"


def test_message_catalog_covers_the_catalog_words(catalog):
    """Groups, base maps, key years, the title and subtitle have Russian and Chinese words."""
    from nerchinsk_map.web.assets import messages

    words = {layer.group for layer in catalog.layers} | {tile["title"] for tile in catalog.tiles}
    words |= {mark["label"] for mark in catalog.time["marks"]} | {catalog.title, catalog.subtitle}
    for lang in ("ru", "zh"):
        missing = sorted(w for w in words if w not in messages()[lang])
        assert not missing, f"{lang}: {missing}"
