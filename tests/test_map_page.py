"""The generated page: self-contained (no CDN), reproducible, and sized for the web."""

import re

import nerchinsk_map as nm


def test_page_loads_nothing_from_the_network(built_map):
    html = built_map.read_text(encoding="utf-8")
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', html)
    assert "cdn.jsdelivr" not in html and "code.jquery.com" not in html
    assert 'html lang="en"' in html


def test_every_layer_is_in_the_page(built_map):
    html = built_map.read_text(encoding="utf-8")
    for layer_id in nm.list_layers():
        assert f'"id": "{layer_id}"' in html


def test_two_builds_are_byte_identical():
    assert nm.render_html(nm.build_map()) == nm.render_html(nm.build_map())


def test_page_is_small_enough_to_mail(built_map):
    assert built_map.stat().st_size < 2_000_000


def test_dense_user_layer_is_simplified_for_the_screen(tmp_path):
    import geopandas as gpd
    import numpy as np
    from shapely.geometry import LineString

    n = 200_000
    t = np.linspace(0, 1, n)
    line = LineString(np.c_[118 + 20 * t, 53 + 1.5 * np.sin(t * 40)])
    path = tmp_path / "dense.geojson"
    gpd.GeoDataFrame({"name": ["dense trace"]}, geometry=[line], crs=4326).to_file(path)
    m = nm.build_map(["treaty_1689"], extra_layers=[path])
    layer = next(c for c in m._children.values() if getattr(c, "spec", None) and c.spec.id == "user_dense")
    drawn = LineString(layer.data["features"][0]["geometry"]["coordinates"])
    assert len(drawn.coords) < n / 20  # far fewer vertices than the file holds...
    assert drawn.hausdorff_distance(line) < 0.0005  # ...within about a pixel at the deepest zoom


def test_shared_edges_stay_shared_in_the_page():
    m = nm.build_map(["rivers", "treaty_1689"])
    layers = {c.spec.id: c.data for c in m._children.values() if getattr(c, "spec", None)}
    argun_river = next(f for f in layers["rivers"]["features"] if f["properties"]["id"] == "argun")
    argun_border = next(f for f in layers["treaty_1689"]["features"] if f["properties"]["id"] == "argun")
    assert argun_river["geometry"]["coordinates"] == argun_border["geometry"]["coordinates"]
