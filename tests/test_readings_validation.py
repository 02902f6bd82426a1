"""The 1858 and 1860 readings against the surveyed modern Russia–China boundary (Natural Earth)."""

import geopandas as gpd
import pytest
import shapely

from nerchinsk_map import readings
from nerchinsk_map.readings.compare import distances_to


@pytest.fixture(scope="module")
def modern_boundary(raw_data):
    lines = gpd.read_file(raw_data / "natural-earth" / "ne_10m_admin_0_boundary_lines_land.geojson")
    pair = lines["adm0_a3_l"].isin(["RUS", "CHN"]) & lines["adm0_a3_r"].isin(["RUS", "CHN"])
    return shapely.union_all(lines[pair].geometry.to_numpy())


def test_peking_1860_lies_within_5_km_of_the_modern_boundary(modern_boundary):
    overall, by_clause = distances_to("peking_1860", modern_boundary)
    assert overall["median_km"] <= 5.0
    clauses = {c["id"]: c for c in by_clause}
    # the surveyed rivers agree closely; the unlocated ridges are the loosest part, within their precision
    for river in ("amur", "ussuri", "songacha"):
        assert clauses[river]["median_km"] <= 2.0, river
    assert clauses["ridges"]["max_km"] <= clauses["ridges"]["precision_km"]
    assert clauses["khanka"]["max_km"] <= clauses["khanka"]["precision_km"]


def test_peking_1860_runs_from_the_confluence_to_the_tumen():
    line = readings.compile("peking_1860")
    start, end = line.geometry.iloc[0].coords[0], line.geometry.iloc[-1].coords[-1]
    assert start == pytest.approx((121.4769, 53.3328), abs=1e-4)  # Argun–Shilka confluence
    assert end == pytest.approx((130.6563, 42.3835), abs=1e-4)  # 20 li above the Tumen mouth
    assert list(line["located"]) == [True, True, True, False, False]


def test_aigun_1858_follows_the_amur_to_the_sea():
    line = readings.compile("aigun_1858").set_index("id")
    assert line.loc["amur_to_ussuri", "length_km"] + line.loc["amur_below_ussuri", "length_km"] > 2500
    assert line.geometry["amur_to_ussuri"].coords[-1] == line.geometry["amur_below_ussuri"].coords[0]


def test_the_later_treaties_layer_is_compiled_from_their_readings():
    import nerchinsk_map as nm

    layer = nm.load_layer("treaty_readings_1858_1860").set_index("id")
    for rid in ("aigun_1858", "peking_1860"):
        for _, clause in readings.compile(rid).iterrows():
            feature = layer.loc[f"{rid}.{clause['id']}"]
            assert feature.geometry.equals_exact(clause.geometry, 1e-6)
            assert bool(feature["located"]) == bool(clause["located"])
    assert not nm.default_catalog()["treaty_readings_1858_1860"].show


def test_readings_that_draw_one_line_say_so():
    """Two readings of the same question whose lines lie within about 1 km everywhere (Hausdorff)
    carry each other's id in same_line_as and a note, so that the map shows one line with both
    readings; readings that draw different lines carry neither."""
    import itertools

    import nerchinsk_map as nm

    readings = nm.load_layer("treaty_1689_readings").set_index("id")
    readings["same_line_as"] = readings["same_line_as"].where(readings["same_line_as"].notna(), "")
    for a, b in itertools.combinations(readings.index, 2):
        same = (
            readings.loc[a, "question"] == readings.loc[b, "question"]
            and readings.geometry[a].hausdorff_distance(readings.geometry[b]) < 0.01
        )
        listed = b in readings.loc[a, "same_line_as"].split(", ")
        assert listed == same == (a in readings.loc[b, "same_line_as"].split(", ")), (a, b)
        if same:
            assert readings.loc[b, "name"] in readings.loc[a, "same_line_note"]
    assert readings.loc["mountains_yablonovy", "same_line_as"] == "mountains_stanovoy"


def test_a_public_function_keeps_its_name_when_its_submodule_is_imported():
    """Every public name of ``nerchinsk_map.readings`` that is also a submodule's name (compare,
    compile) is still the function after the submodule is imported by name, as a notebook or
    the page's builder (``from ..readings.compare import between``) does."""
    import importlib
    import pkgutil

    names = set(readings.__all__) & {m.name for m in pkgutil.iter_modules(readings.__path__)}
    assert {"compare", "compile"} <= names
    for name in names:
        importlib.import_module(f"nerchinsk_map.readings.{name}")
        assert callable(getattr(readings, name)) and not isinstance(getattr(readings, name), type(readings)), name
