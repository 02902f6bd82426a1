"""Users' own layers: added gracefully, bad input refused with one line, nothing injected."""

import json

import geopandas as gpd
import pytest
from conftest import MAP_READY, cli, page_blocks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

import nerchinsk_map as nm

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>window.__pwned = 1</script>"


def write(path, obj):
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj), encoding="utf-8")
    return path


def fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def point(lon, lat, **props):
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def test_add_layer_geojson_gpkg_and_shapefile(tmp_path):
    gj = write(tmp_path / "survey.geojson", fc(point(124.1, 53.4, name="Survey pit", depth_m=2.5)))
    gdf = gpd.GeoDataFrame({"name": ["Old ford"]}, geometry=[Point(121.0, 53.2)], crs=4326)
    gdf.to_file(tmp_path / "fords.gpkg", driver="GPKG")
    gdf.to_file(tmp_path / "fords_shp.shp")
    out = tmp_path / "map.html"
    result = cli("build", "--output", str(out), "--add-layer", str(gj),
                 "--add-layer", str(tmp_path / "fords.gpkg"), "--add-layer", str(tmp_path / "fords_shp.shp"))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    for layer_id in ("user_survey", "user_fords", "user_fords_shp"):
        assert f'"id": "{layer_id}"' in html
    assert "Survey pit" in html and "depth_m" in html


def test_build_map_takes_geodataframes():
    gdf = gpd.GeoDataFrame({"name": ["A fort I researched"]}, geometry=[Point(125.0, 52.0)], crs=4326)
    html = nm.render_html(nm.build_map(extra_layers=[gdf]))
    assert "A fort I researched" in html


BAD_INPUTS = {
    "missing.geojson": (None, "file not found"),
    "notjson.geojson": ("this is not json", "not valid JSON"),
    "truncated.geojson": ('{"type": "FeatureCollection", "features": [{"type": "Fea', "not valid JSON"),
    "empty.geojson": (fc(), "has no features"),
    "nogeom.geojson": (fc({"type": "Feature", "properties": {"name": "x"}, "geometry": None}), "feature 0 has no geometry"),
    "outside.geojson": (fc(point(500.0, 95.0, name="x")), "outside longitude/latitude range"),
    "mixed.geojson": (fc(point(120, 50, name="a"), {"type": "Feature", "properties": {"name": "b"},
                         "geometry": {"type": "LineString", "coordinates": [[120, 50], [121, 51]]}}), "mixes"),
}


@pytest.mark.parametrize("filename", sorted(BAD_INPUTS))
def test_bad_user_file_is_one_line_exit_2_and_keeps_earlier_output(tmp_path, filename):
    content, message = BAD_INPUTS[filename]
    path = tmp_path / filename
    if content is not None:
        write(path, content)
    out = write(tmp_path / "map.html", "earlier map")
    result = cli("build", "--output", str(out), "--add-layer", str(path))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and filename in lines[0] and message in lines[0], lines
    assert "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "earlier map"
    assert {p.name for p in tmp_path.iterdir()} <= {filename, "map.html"}  # no stray temporary file


def test_projected_layer_is_reprojected_with_a_notice(tmp_path):
    gdf = gpd.GeoDataFrame({"name": ["Projected fort"]}, geometry=[Point(124.0, 53.0)], crs=4326).to_crs(32651)
    gdf.to_file(tmp_path / "utm.gpkg", driver="GPKG")
    result = cli("build", "--output", str(tmp_path / "m.html"), "--add-layer", str(tmp_path / "utm.gpkg"))
    assert result.returncode == 0, result.stderr
    assert "reprojected from EPSG:32651 to WGS 84" in result.stderr


def test_self_intersecting_polygon_is_repaired_with_a_notice(tmp_path):
    bowtie = {"type": "Feature", "properties": {"name": "bow"},
              "geometry": {"type": "Polygon", "coordinates": [[[120, 50], [121, 51], [121, 50], [120, 51], [120, 50]]]}}
    path = write(tmp_path / "bowtie.geojson", fc(bowtie))
    result = cli("build", "--output", str(tmp_path / "m.html"), "--add-layer", str(path))
    assert result.returncode == 0, result.stderr
    assert "repaired invalid geometry" in result.stderr and "Self-intersection" in result.stderr


def test_catalog_with_duplicate_id_is_refused(tmp_path):
    shipped = json.loads((nm.default_catalog().root / "catalog.json").read_text(encoding="utf-8"))
    places = next(layer for layer in shipped["layers"] if layer["id"] == "places")
    write(tmp_path / "places.geojson", fc(point(120, 50, name="x")))
    write(tmp_path / "catalog.json", {"layers": [places]})
    result = cli("build", "--catalog", str(tmp_path / "catalog.json"), "--output", str(tmp_path / "m.html"))
    assert result.returncode == 2 and "duplicate layer id 'places'" in result.stderr


def test_user_catalog_adds_its_layers(tmp_path):
    write(tmp_path / "fords.geojson", fc(point(121.3, 53.3, name="Ford of 1690", source="my notes", method="GPS",
                                              precision_km=0.1, certainty="probable", start_date="1690", end_date=None)))
    write(tmp_path / "catalog.json", {"layers": [{
        "id": "fords", "title": "Fords", "file": "fords.geojson", "geometry": "point", "group": "My research",
        "description": "Fords I found", "style": {"base": {"color": "#000000"}},
        "sources": [{"dataset": "my notes", "version": "1", "licence": "CC-BY"}]}]})
    out = tmp_path / "m.html"
    result = cli("build", "--catalog", str(tmp_path / "catalog.json"), "--output", str(out))
    assert result.returncode == 0, result.stderr
    blocks = page_blocks(out.read_text(encoding="utf-8"))  # a ford of 1690 is not drawn at opening: deflated
    assert any("Ford of 1690" in json.dumps(value, ensure_ascii=False) for value in blocks.values())
    listing = cli("layers", "--catalog", str(tmp_path / "catalog.json")).stdout
    assert "fords" in listing and "treaty_1689" in listing


def test_hostile_text_is_escaped_in_the_page(tmp_path):
    path = write(tmp_path / "hostile.geojson", fc(point(124.0775, 53.3906, name=HOSTILE, note=SCRIPT)))
    html = nm.render_html(nm.build_map(extra_layers=[path]))
    assert HOSTILE not in html and SCRIPT not in html  # JSON in the page escapes < > &


@pytest.mark.browser
def test_hostile_layer_shows_text_and_runs_nothing(offline_page, tmp_path):
    stem = "<i onmouseover=alert(2)>hostile"
    path = write(tmp_path / f"{stem}.geojson", fc(point(130.0, 50.0, name=HOSTILE, note=SCRIPT)))
    out = tmp_path / "map.html"
    nm.write_map(out, nm.build_map(extra_layers=[path]))
    page = offline_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_function("() => document.querySelector('path.nm-layer-treaty_1689') && " + MAP_READY)
    page.check("input.nm-all-years")
    assert HOSTILE in page.eval_on_selector_all(".nm-label", "els => els.map(e => e.textContent)")
    assert stem in page.locator(".nm-layers").text_content()  # the file name is shown as text (the list may be folded)
    assert page.query_selector(".nm-layers i") is None
    page.evaluate(
        "() => { const m = window[document.querySelector('.folium-map').id];"
        " m.eachLayer(l => { if (l.feature && l.feature.properties.name.includes('onerror')) l.openPopup(); }); }"
    )
    popup = page.wait_for_selector(".nm-popup")
    assert popup.query_selector(".nm-popup-title").inner_text() == HOSTILE
    assert SCRIPT in popup.inner_text()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.query_selector("img[src=x]") is None
    assert page.errors == []


coords = st.floats(min_value=-400, max_value=400, allow_nan=False, allow_infinity=False)
geometries = st.one_of(
    st.none(),
    st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]}, coords, coords),
    st.builds(lambda pts: {"type": "LineString", "coordinates": pts}, st.lists(st.tuples(coords, coords).map(list), max_size=4)),
    st.builds(lambda pts: {"type": "Polygon", "coordinates": [pts + pts[:1]]}, st.lists(st.tuples(coords, coords).map(list), min_size=1, max_size=5)),
    st.just({"type": "Nonsense"}),
)
features = st.builds(lambda g, n: {"type": "Feature", "properties": {"name": n}, "geometry": g}, geometries, st.text(max_size=20))
documents = st.one_of(
    st.builds(lambda fs: {"type": "FeatureCollection", "features": fs}, st.lists(features, max_size=4)),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.lists(st.integers(), max_size=3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents, cut=st.integers(min_value=0, max_value=3))
def test_loader_either_loads_or_raises_its_own_error(tmp_path, doc, cut):
    text = json.dumps(doc)
    if cut:  # sometimes truncate the file
        text = text[: max(1, len(text) - cut * 7)]
    path = tmp_path / "random.geojson"
    path.write_text(text, encoding="utf-8")
    try:
        gdf = nm.read_layer_file(path, repair=True)
    except nm.LayerDataError as exc:
        assert "\n" not in str(exc)
    else:
        assert len(gdf) > 0 and gdf.crs.to_epsg() == 4326
        assert gdf.geometry.is_valid.all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["fort", "Name", "year", "of", "km2", "ID", "x"]), min_size=1, max_size=4),
       st.sampled_from(["_", "-", "."]))
def test_field_names_read_as_words(words, sep):
    """A name made of words joined by _ - . (or camelCase) reads as those words, first letter up."""
    from nerchinsk_map.data.user_metadata import humanise

    text = humanise(sep.join(words))
    assert not any(c in text for c in "_-.") and text[0] == text[0].upper()
    assert text.lower().split() == [w.lower() for w in words]
    assert humanise(text) == text  # words stay words


def test_a_users_layer_takes_its_title_and_field_labels_from_the_file(tmp_path):
    """GeoJSON: its top-level title and aliases; GeoPackage: gpkg_contents' identifier and
    gpkg_data_columns' titles; a Shapefile, which keeps none: its names made readable."""
    import sqlite3

    from nerchinsk_map.data.user_layers import user_layer

    gj = write(tmp_path / "my_fords.geojson", {**fc(point(121, 53, name="Ford", depth_m=2.5, crossing_kind="ice")),
                                               "title": "Fords of the Shilka", "aliases": {"depth_m": "Depth (m)"}})
    spec, _ = user_layer(gj, 0, set())
    assert spec.title == "Fords of the Shilka"
    assert dict(map(tuple, spec.extra["popup"])) == {"depth_m": "Depth (m)", "crossing_kind": "Crossing kind"}

    gdf = gpd.GeoDataFrame({"name": ["Old ford"], "founded_year": [1650]}, geometry=[Point(121.0, 53.2)], crs=4326)
    gpkg = tmp_path / "forts.gpkg"
    gdf.to_file(gpkg, layer="forts_of_mine", driver="GPKG")
    with sqlite3.connect(gpkg) as db:
        db.execute("UPDATE gpkg_contents SET identifier = 'Forts I visited', description = 'Summer 2024'")
        db.execute("CREATE TABLE gpkg_data_columns (table_name TEXT, column_name TEXT, name TEXT, title TEXT,"
                   " description TEXT, mime_type TEXT, constraint_name TEXT)")
        db.execute("INSERT INTO gpkg_data_columns (table_name, column_name, title) VALUES"
                   " ('forts_of_mine', 'founded_year', 'Year founded')")
    spec, _ = user_layer(gpkg, 0, set())
    assert (spec.title, spec.description) == ("Forts I visited", "Summer 2024")
    assert spec.extra["popup"] == [["founded_year", "Year founded"]]

    gdf.rename(columns={"founded_year": "year_built"}).to_file(tmp_path / "forts_of_mine.shp")
    spec, _ = user_layer(tmp_path / "forts_of_mine.shp", 0, set())
    assert spec.title == "Forts of mine"
    assert [label for _, label in spec.extra["popup"]] == ["Year built"]


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(390, 844), (844, 390), (1280, 800)])
def test_the_opening_view_takes_in_a_users_layer(browser, tmp_path_factory, width, height):
    """A fort of one's own far from the 1689 line opens in view, clear of every control, with
    its layer's title in the legend and readable field labels in its popup."""
    from conftest import watch_offline

    tmp = tmp_path_factory.mktemp("own")
    own = write(tmp / "my_forts.geojson", fc(point(109.5, 57.8, name="Verkholensk", founded_year=1641)))
    out = tmp / "map.html"
    assert cli("build", "--output", str(out), "--add-layer", str(own)).returncode == 0
    phone = width < 600 or height < 600
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=True)
    page = watch_offline(context.new_page())
    page.goto(out.as_uri())
    page.wait_for_function("() => window.L && document.querySelector('path.nm-layer-user_my_forts') && " + MAP_READY)
    page.wait_for_timeout(300)
    box = page.locator("path.nm-layer-user_my_forts").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert 0 <= box["x"] and box["x"] + box["width"] <= width and 0 <= box["y"] and box["y"] + box["height"] <= height
    top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('class')", [x, y])
    assert "nm-layer-user_my_forts" in top  # no control over it
    page.touchscreen.tap(x, y)
    page.wait_for_selector(".leaflet-popup .nm-popup-table")
    assert "Founded year" in page.inner_text(".leaflet-popup .nm-popup-table")
    assert "My forts" in page.eval_on_selector(".nm-legend li[data-layer-id=user_my_forts]", "e => e.textContent")
    assert page.errors == []
    context.close()
