"""The catalog and the files in geodata/ agree, and every entry is complete."""

import json
import re

import pytest

import nerchinsk_map as nm
from nerchinsk_map.data.catalog import GEOMETRY_KINDS, read_catalog


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


# --- the published schema, enforced in every command -------------------------------------------

from pathlib import Path  # noqa: E402

from conftest import ROOT, cli  # noqa: E402

FORTS = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"name": "Kumarsk", "note": "visited 2025"},
    "geometry": {"type": "Point", "coordinates": [126.7, 51.6]}}]}


def readme_catalog() -> dict:
    """The minimal user catalog printed in the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- user-catalog-example -->", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    return json.loads(block)


def user_catalog(folder: Path, raw: dict | None = None) -> Path:
    (folder / "forts.geojson").write_text(json.dumps(FORTS), encoding="utf-8")
    path = folder / "catalog.json"
    path.write_text(json.dumps(raw or readme_catalog()), encoding="utf-8")
    return path


def test_the_shipped_catalog_follows_the_schema():
    from jsonschema import Draft202012Validator

    from nerchinsk_map.data.catalog_schema import schema_path

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    raw = json.loads((nm.default_catalog().root / "catalog.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(raw)) == []


def test_the_schema_ships_in_the_package():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["nerchinsk_map.geodata"]
    assert any(Path("catalog.schema.json").match(p) for p in patterns)
    assert (ROOT / "geodata" / "catalog.schema.json").is_file()


def test_the_readme_catalog_builds(tmp_path):
    path = user_catalog(tmp_path)
    out = tmp_path / "map.html"
    result = cli("build", "--catalog", str(path), "--layers", "places,forts", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert '\\"title\\"' not in out.read_text(encoding="utf-8")  # plain JSON text
    assert "Forts I visited" in out.read_text(encoding="utf-8")


def broken(mutate) -> dict:
    raw = readme_catalog()
    mutate(raw["layers"][0])
    return raw


CASES = [
    (lambda layer: layer.update(style="red"), "style: 'red' is not an object"),
    (lambda layer: layer.update(web_precision="abc"), "web_precision: 'abc' is not a whole number"),
    (lambda layer: layer.update(popup="notalist"), "popup: 'notalist' is not a list"),
    (lambda layer: layer["style"].update(by={"property": "kind"}), "style.by: lacks 'values'"),
    (lambda layer: layer["style"]["base"].update(color="banana"), "style.base.color: 'banana' is not a colour"),
    (lambda layer: layer["style"]["base"].update(weight="heavy"), "style.base.weight: 'heavy' is not a number"),
    (lambda layer: layer["style"]["base"].update(fillOpacity=3), "style.base.fillOpacity: 3 is not a number from 0 to 1"),
    (lambda layer: layer.update(id="../../etc"), "id: '../../etc' is not an id"),
    (lambda layer: layer.update(start_date="yesterday"), "start_date: 'yesterday' is not a year"),
    (lambda layer: layer.pop("sources"), "lacks 'sources'"),
]


@pytest.mark.parametrize("mutate, message", CASES)
def test_a_schema_error_names_layer_and_field(tmp_path, mutate, message):
    path = user_catalog(tmp_path, broken(mutate))
    with pytest.raises(nm.CatalogError) as info:
        read_catalog(path)
    line = str(info.value)
    assert line.startswith(f"{path}: layer ")
    assert message in line and "\n" not in line


@pytest.mark.parametrize("command", [
    ["build", "--output", "{out}/map.html"],
    ["export", "--format", "geojson", "--output", "{out}/export"],
    ["figure", "--output", "{out}/figure.png"],
    ["layers"],
])
@pytest.mark.parametrize("mutate, message", [CASES[0], CASES[4]])
def test_every_command_refuses_a_broken_catalog_with_one_line(tmp_path, command, mutate, message):
    path = user_catalog(tmp_path, broken(mutate))
    out = tmp_path / "out"
    result = cli(*[a.format(out=out) for a in command], "--catalog", str(path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == f"nerchinsk-map: error: {path}: layer 'forts': " + result.stderr.split("'forts': ", 1)[1].strip()
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_validate_reports_a_broken_catalog_in_one_line(tmp_path):
    path = user_catalog(tmp_path, broken(CASES[4][0]))
    result = cli("validate", "--catalog", str(path))
    assert result.returncode == 1
    assert result.stdout.strip() == f"{path}: layer 'forts': style.base.color: 'banana' is not a colour"


@pytest.mark.parametrize("file", ["../outside.geojson", "/etc/hostname", "sub/../../outside.geojson",
                                  "https://example.org/forts.geojson", "file:///etc/hostname"])
def test_catalog_files_stay_in_the_catalogs_folder(tmp_path, file):
    folder = tmp_path / "mine"
    folder.mkdir()
    (tmp_path / "outside.geojson").write_text(json.dumps(FORTS), encoding="utf-8")
    path = user_catalog(folder, broken(lambda layer: layer.update(file=file)))
    with pytest.raises(nm.CatalogError, match="outside the catalog's folder|is a URL"):
        read_catalog(path, check_files=False)
    result = cli("build", "--catalog", str(path), "--output", str(tmp_path / "map.html"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert f"layer 'forts': file: {file!r}" in result.stderr


def test_outside_files_need_the_explicit_flag(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (tmp_path / "outside.geojson").write_text(json.dumps(FORTS), encoding="utf-8")
    path = user_catalog(folder, broken(lambda layer: layer.update(file="../outside.geojson")))
    out = tmp_path / "map.html"
    result = cli("build", "--catalog", str(path), "--layers", "forts", "--allow-outside-files", "--output", str(out))
    assert result.returncode == 0, result.stderr
    url = user_catalog(folder, broken(lambda layer: layer.update(file="https://example.org/x.geojson")))
    result = cli("build", "--catalog", str(url), "--allow-outside-files", "--output", str(out))
    assert result.returncode == 2 and "is a URL" in result.stderr  # a URL is never fetched


def test_a_catalog_nested_too_deeply_gets_one_line(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text('{"layers": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    result = cli("build", "--catalog", str(path), "--output", str(tmp_path / "map.html"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"nerchinsk-map: error: {path}: JSON nested too deeply"
