"""What the build keeps on disk to be fast (a layer's page data, a schema check that passed) is
keyed by content: a page built from a cold cache is the page built from a warm one, each layer's
kept data is the data computed now, and any change to a layer or a reading changes its key, so
nothing stale or unchecked is ever served."""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nerchinsk_map as nm
from nerchinsk_map.files.cache import checked, content_key
from nerchinsk_map.web import layers as L

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def frames():
    return nm.load_layers()


def dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def test_each_layers_kept_page_data_is_the_data_computed_now(frames, tmp_path, monkeypatch):
    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    catalog = nm.default_catalog()
    for layer_id, gdf in frames.items():
        spec = catalog[layer_id]
        computed = dump(L._web_geojson(gdf, spec, None))
        assert dump(L.web_geojson(gdf, spec)) == computed, layer_id  # computed and kept
        kept = list((tmp_path / "layers").glob(f"{layer_id}-*.json"))
        assert len(kept) == 1, layer_id
        assert dump(L.web_geojson(gdf, spec)) == computed, layer_id  # read back
        kept[0].write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")  # damaged
        assert dump(L.web_geojson(gdf, spec)) == computed, layer_id  # computed again, never trusted
        assert dump(json.loads(kept[0].read_text(encoding="utf-8"))) == computed  # and rewritten


def test_a_page_built_from_a_cold_cache_is_the_page_built_from_a_warm_one(tmp_path, monkeypatch):
    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    cold = nm.render_html(nm.build_map())
    assert (tmp_path / "layers").is_dir() and (tmp_path / "checked").is_dir()
    assert nm.render_html(nm.build_map()) == cold


def _nudged(value):
    """A value that differs from ``value`` but may print alike to a careless key."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        return None if math.isnan(value) else float(np.nextafter(value, math.inf))
    if isinstance(value, str):
        return value + " "
    return "x" if value is None else None


@SETTINGS
@given(data=st.data())
def test_any_change_to_a_layer_changes_its_key(frames, data):
    layer_id = data.draw(st.sampled_from(sorted(frames)))
    gdf = frames[layer_id]
    before = L.frame_key(gdf)
    changed = gdf.copy()
    row = data.draw(st.integers(0, len(gdf) - 1))
    if data.draw(st.booleans()):  # one coordinate moved by the least a float can move
        geom = changed.geometry.iloc[row]
        coords = shapely.get_coordinates(geom)
        i, axis = data.draw(st.integers(0, len(coords) - 1)), data.draw(st.integers(0, 1))
        at = (coords == coords[i]).all(axis=1)  # every copy of the point (a ring's first and last)
        coords[at, axis] = np.nextafter(coords[i, axis], math.inf)
        changed.loc[changed.index[row], changed.geometry.name] = shapely.set_coordinates(shapely.from_wkb(geom.wkb), coords)
    else:  # one property's value changed, its type or its last character
        column = data.draw(st.sampled_from([c for c in gdf.columns if c != gdf.geometry.name]))
        changed[column] = changed[column].astype(object)
        changed.at[changed.index[row], column] = _nudged(gdf[column].iloc[row])
    assert L.frame_key(changed) != before
    assert L.frame_key(gdf.copy()) == before  # the same content, the same key


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


def same(a, b) -> bool:
    """Equal as JSON values, types included (1, 1.0 and True are three values)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)  # 0.0 and -0.0 are two values
    return a == b


@SETTINGS
@given(a=JSON, b=JSON)
def test_two_values_share_a_key_only_if_they_are_the_same_value(a, b):
    assert (content_key(a) == content_key(b)) == same(a, b)
    assert content_key(copy.deepcopy(a)) == content_key(a)


def test_a_check_that_fails_is_never_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    calls = []

    def failing():
        calls.append(1)
        raise ValueError("no")

    for _ in range(2):
        with pytest.raises(ValueError):
            checked("example", content_key({"a": 1}), failing)
    assert len(calls) == 2
    checked("example", None, lambda: calls.append(1))  # no key: always checked
    checked("example", None, lambda: calls.append(1))
    assert len(calls) == 4


@SETTINGS
@given(data=st.data())
def test_a_reading_changed_after_its_check_passed_is_checked_again(tmp_path, monkeypatch, data):
    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    rid = data.draw(st.sampled_from(nm.readings.shipped_ids()))
    good = nm.readings.get(rid)  # passes, and is remembered
    bad = copy.deepcopy(good)
    clause = data.draw(st.integers(0, len(bad["clauses"]) - 1))
    how = data.draw(st.sampled_from(["kind", "id", "unknown", "certainty"]))
    if how == "kind":
        bad["clauses"][clause]["kind"] = "teleport"
    elif how == "id":
        bad["clauses"][clause]["id"] = 7
    elif how == "unknown":
        bad["clauses"][clause]["colour"] = "red"
    else:
        bad["clauses"][clause]["certainty"] = "sure"
    with pytest.raises(nm.readings.ReadingError):
        nm.readings.validate(bad, "changed.json")
    assert nm.readings.validate(copy.deepcopy(good))["id"] == rid  # the same content still passes


# --- validate of the shipped catalog ----------------------------------------------------------------

@pytest.fixture()
def shipped_copy(tmp_path, monkeypatch):
    """A copy of geodata/ that ``validate()`` takes for the shipped catalog, and an empty cache."""
    import shutil

    from nerchinsk_map.data import catalog as C
    from nerchinsk_map.data import validate as V
    from nerchinsk_map.files.locations import geodata_dir

    copy_dir = tmp_path / "geodata"
    shutil.copytree(geodata_dir(), copy_dir)
    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(V, "geodata_dir", lambda: copy_dir)
    monkeypatch.setattr(V, "schema_path", lambda: copy_dir / "catalog.schema.json")
    monkeypatch.setattr(V, "default_catalog", lambda: C.read_catalog(copy_dir / "catalog.json"))
    return copy_dir


def test_validate_keeps_a_verdict_only_for_the_same_files(shipped_copy):
    from nerchinsk_map.data import validate as V

    assert V.validate() == []  # checked, and kept
    kept = list((shipped_copy.parent / "cache" / "validated").glob("*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text(encoding="utf-8")) == []
    places = shipped_copy / "places.geojson"
    pristine = places.read_text(encoding="utf-8")
    places.write_text(pristine.replace('"certainty":"attested"', '"certainty":"sure"', 1), encoding="utf-8")
    problems = V.validate()  # another key: checked again, and the problem found
    assert any("certainty 'sure'" in p for p in problems), problems
    places.write_text(pristine, encoding="utf-8")
    kept[0].write_text('["planted"]', encoding="utf-8")
    assert V.validate() == ["planted"]  # the same files: the kept verdict is the answer...
    assert V.validate(fresh=True) == []  # ...unless asked to check again
    kept[0].write_text("[1, 2", encoding="utf-8")  # damaged: checked again, never trusted
    assert V.validate() == []


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_change_to_a_file_validate_reads_changes_its_key(shipped_copy, data):
    from nerchinsk_map.data import validate as V

    before = V.shipped_key()
    catalog = V.default_catalog()
    files = [shipped_copy / "catalog.json", shipped_copy / "catalog.schema.json",
             *(s.path for s in catalog.layers), *(p for _, p in catalog.translations)]
    path = data.draw(st.sampled_from(files))
    raw = path.read_bytes()
    at = data.draw(st.integers(0, len(raw) - 1))
    path.write_bytes(raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1:])
    try:
        assert V.shipped_key() != before
    finally:
        path.write_bytes(raw)
    assert V.shipped_key() == before


def test_a_value_whose_text_hides_part_of_it_is_never_a_key(frames):
    """A numpy array prints with its middle elided: a frame holding one is computed every time."""
    gdf = frames["places"].copy()
    gdf["series"] = [np.arange(2000) for _ in range(len(gdf))]
    assert L.frame_key(gdf) is None
    other = gdf.copy()
    other.at[other.index[0], "series"] = np.arange(2000) * 0 + np.arange(2000) + (np.arange(2000) == 1000)
    assert repr(other["series"].iloc[0]) == repr(gdf["series"].iloc[0])  # why: the same text


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.integers(1640, 1920), wide=st.booleans())
def test_the_kept_opening_picture_is_the_picture_drawn_now(frames, tmp_path, monkeypatch, year, wide):
    from nerchinsk_map.web import prepaint as P

    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    catalog = nm.default_catalog()
    drawn = [L.CatalogLayer(catalog[i], gdf, z_index=400 + n, year=None if catalog[i].basemap else year)
             for n, (i, gdf) in enumerate(frames.items())]
    bounds = [[40.0, 100.0], [60.0, 150.0]] if wide else [[49.0, 115.0], [56.0, 130.0]]
    drawn_now = P.picture(P.opening_layers(drawn), bounds, year)[0]
    assert P.kept_picture(drawn, bounds, year) == drawn_now  # computed and kept (or read back)
    assert P.kept_picture(drawn, bounds, year) == drawn_now  # read back
    assert P._PICTURE.fullmatch(drawn_now)  # what is kept passes the check on reading back
    kept = list((tmp_path / "pictures").glob("*.json"))
    assert kept
    planted = drawn_now.replace("</g></svg>", "<script>alert(1)</script></g></svg>")
    for path in kept:
        path.write_text(json.dumps(planted), encoding="utf-8")
    assert P.kept_picture(drawn, bounds, year) == drawn_now  # markup never drawn: computed again
    user = L.CatalogLayer(catalog["places"], frames["places"], z_index=999, year=year, simplify_deg=1e-5)
    assert user.data_key is None  # a user's layer: its picture is drawn every time
    assert P.kept_picture([*drawn, user], bounds, year) == P.picture(P.opening_layers([*drawn, user]), bounds, year)[0]


# --- what a command loads ------------------------------------------------------------------------

def _loaded(args: list[str], cache, heavy: tuple[str, ...]) -> list[str]:
    import os
    import subprocess
    import sys

    code = (
        "import sys\nfrom nerchinsk_map.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "NERCHINSK_CACHE": str(cache)})
    assert out.returncode == 0, out.stderr[-2000:]
    line = out.stdout.strip().splitlines()[-1]
    assert line.startswith("LOADED "), out.stdout[-500:]
    return json.loads(line.removeprefix("LOADED ").replace("'", '"'))


def test_validate_of_files_that_passed_before_loads_no_heavy_library(tmp_path):
    heavy = ("geopandas", "shapely", "pandas", "jsonschema", "edtf", "babel", "folium")
    assert "geopandas" in _loaded(["validate"], tmp_path, heavy)  # the first run checks
    assert _loaded(["validate"], tmp_path, heavy) == []  # the same files again: the kept verdict
    assert "geopandas" in _loaded(["validate", "--fresh"], tmp_path, heavy)


@pytest.mark.parametrize("fmt", ["geojson", "shp", "fgb"])
def test_an_export_loads_only_what_its_format_uses(tmp_path, fmt):
    """lxml and matplotlib are for the styled GeoPackage and the QGIS project, the dates for KML."""
    heavy = ("matplotlib", "lxml", "folium", "jsonschema", "edtf", "babel")
    assert _loaded(["export", "--format", fmt, "--output", str(tmp_path / "out"), "places"], tmp_path / "cache", heavy) == []


def test_a_layers_data_for_older_inputs_is_not_kept_for_ever(frames, tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("NERCHINSK_CACHE", str(tmp_path))
    folder = tmp_path / "layers"
    folder.mkdir()
    for n in range(12):  # data kept for twelve earlier states of the data or the code
        (folder / f"places-{n:032x}.json").write_text("{}", encoding="utf-8")
        os.utime(folder / f"places-{n:032x}.json", (1000 + n, 1000 + n))
    other = folder / f"places-extra-{0:032x}.json"  # another layer whose id starts alike
    other.write_text("{}", encoding="utf-8")
    os.utime(other, (1, 1))
    spec = nm.default_catalog()["places"]
    L.web_geojson(frames["places"], spec)
    kept = sorted(p.name for p in folder.glob("places-" + "?" * 32 + ".json"))
    assert len(kept) == L.KEEP + 1 and f"places-{11:032x}.json" in kept and f"places-{0:032x}.json" not in kept
    assert other.is_file()
