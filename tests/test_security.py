"""Text from data is never code: template payloads in values, keys, file names and every catalog
field reach the page as the same text, run nothing on the building machine (no sentinel file)
and nothing in the browser (``window.pwned`` stays undefined)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MAP_READY, cli

import nerchinsk_map as nm
from nerchinsk_map.web.render import Literal, check_tree


def payloads(sentinel: Path) -> list[str]:
    """Jinja and HTML payloads; the second writes ``sentinel`` if it is ever evaluated."""
    return [
        "{{ 7*7 }}",
        "{{ cycler.__init__.__globals__.os.system('touch " + str(sentinel) + "') }}",
        "{{ unbalanced",
        "{% raw %}",
        "{% endraw %}{#",
        "</script><script>window.pwned=1</script>",
        "<img src=x onerror=\"window.pwned=1\">",
        "'; window.pwned=1; '",
        "\\u003c/script\\u003e \\\\ \u2028 ]]>",
    ]


MAP_JS = "window[document.querySelector('.folium-map').id]"
PROPERTIES_JS = (
    "() => { const out = []; " + MAP_JS + ".eachLayer(l => { if (!l.feature) return; const p = l.feature.properties;"
    " const own = k => Object.prototype.hasOwnProperty.call(p, k) ? p[k] : undefined;"
    " out.push({name: p.name, note: p.note, keyed: own(p.note), constructor: own('constructor'),"
    " proto: own('__proto__') && JSON.parse(own('__proto__')).polluted,"  # an object is kept as JSON text
    " plain: Object.getPrototypeOf(p) === Object.prototype}); }); return out; }"
)


def write_json(path: Path, obj) -> Path:
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def hostile_layer(folder: Path, name: str, texts: list[str]) -> Path:
    """A point layer whose names, values and property keys are the payloads."""
    features = []
    for i, text in enumerate(texts):
        props = {"name": text, "note": text, text: text, "__proto__": {"polluted": text},
                 "constructor": text}
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "Point", "coordinates": [120 + i * 0.5, 52.0]}})
    return write_json(folder / name, {"type": "FeatureCollection", "features": features})


def open_page(page, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_function("() => window.L && document.querySelector('.leaflet-marker-pane, .leaflet-overlay-pane') && " + MAP_READY)
    page.wait_for_timeout(300)


def test_every_element_of_the_page_renders_safely():
    m = nm.build_map(["places"])
    check_tree(m.get_root())  # nothing outside the sandbox and literal parts
    html = nm.render_html(m)
    assert "<script>" in html
    root = m.get_root()
    assert all(isinstance(c, Literal) for part in ("header", "html", "script")
               for c in getattr(root, part)._children.values())


def test_a_plain_branca_element_fails_the_check():
    from branca.element import Element

    m = nm.build_map(["places"])
    m.get_root().html.add_child(Element("<p>not a Literal</p>"))
    with pytest.raises(TypeError, match="Literal"):
        check_tree(m.get_root())


def test_folium_elements_added_by_a_user_render_data_as_text(tmp_path):
    """A notebook may add folium's own GeoJson to the map: its data is not compiled either."""
    import branca.element
    import folium

    sentinel = tmp_path / "sentinel"
    texts = payloads(sentinel)
    data = json.loads(hostile_layer(tmp_path, "notebook.geojson", texts).read_text(encoding="utf-8"))
    m = nm.build_map(["places"])
    folium.GeoJson(data, name=texts[1], tooltip=folium.GeoJsonTooltip(["note"])).add_to(m)
    html = nm.render_html(m)
    notebook_html = m._repr_html_()
    assert not sentinel.exists()
    assert "cycler.__init__.__globals__" in html and "{{ 7*7 }}" in html
    assert "cycler.__init__.__globals__" in notebook_html
    assert branca.element.Element is not None and branca.element.Element.__name__ == "Element"  # restored


@pytest.mark.browser
def test_payloads_in_values_keys_and_file_names_stay_text(tmp_path, offline_page):
    sentinel = tmp_path / "sentinel"
    texts = payloads(sentinel)
    layer = hostile_layer(tmp_path, "{{7*7}} {% raw %}.geojson", texts)
    out = tmp_path / "map.html"
    result = cli("build", "--output", str(out), "--layers", "places", "--add-layer", str(layer))
    assert result.returncode == 0, result.stderr
    assert not sentinel.exists()
    html = out.read_text(encoding="utf-8")
    assert ">49<" not in html and '"49' not in html
    assert "<script>window.pwned" not in html

    page = offline_page
    open_page(page, out)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("({}).polluted") is None  # no prototype was polluted
    props = [p for p in page.evaluate(PROPERTIES_JS) if p.get("note") in texts]
    assert sorted(p["name"] for p in props) == sorted(texts)
    for p in props:
        assert p["keyed"] == p["note"]  # the payload as a key, with its value
        assert p["proto"] == p["note"]  # __proto__ is an own property holding the data
        assert p["plain"]  # ... and not the object's prototype
        assert p["constructor"] == p["note"]
    titles = page.eval_on_selector_all(".nm-layer-control label, .nm-legend li", "els => els.map(e => e.textContent)")
    assert any("{{7*7}} {% raw %}" in t for t in titles)
    assert page.errors == []
    assert not sentinel.exists()


def hostile_catalog(folder: Path, texts: list[str]) -> Path:
    """A user catalog whose every text field (and a layer id) is a payload."""
    text = " ".join(texts)
    data = hostile_layer(folder, "data.geojson", texts[:2])
    write_json(folder / "ru.json", {"texts": {t: t for t in texts}})
    layer = {
        "id": "forts",
        "title": text, "file": data.name, "geometry": "point", "group": text,
        "description": text, "start_date": "1650", "end_date": "1700",
        "style": {"base": {"color": "#aa0000", "radius": 5},
                  "by": {"property": "note", "values": {t: {"color": "#0000aa"} for t in texts}}},
        "popup": [["note", text], [texts[0], text]],
        "sources": [{"dataset": text, "version": text, "licence": text, "url": "https://example.org/" + texts[0],
                     "note": text}],
        "i18n": {"ru": {"title": text, "description": text}},
    }
    return write_json(folder / "catalog.json", {"title": text, "layers": [layer], "translations": {"ru": "ru.json"}})


@pytest.mark.browser
def test_payloads_in_every_catalog_field_stay_text(tmp_path, offline_page):
    sentinel = tmp_path / "sentinel"
    texts = payloads(sentinel)
    catalog_path = hostile_catalog(tmp_path, texts)
    out = tmp_path / "map.html"
    result = cli("build", "--output", str(out), "--layers", "places,forts", "--catalog", str(catalog_path))
    assert result.returncode == 0, result.stderr
    # the page-level fields of a catalog, through the Python API
    text = " ".join(texts)
    catalog = nm.read_catalog(catalog_path)
    base = nm.default_catalog()
    catalog = replace(
        base.merged(catalog), title=text, subtitle=text, attribution=text,
        tiles=tuple({**t, "title": text, "attribution": text} for t in base.tiles),
    )
    # a payload as a layer id is refused by the schema, with the id shown as text
    raw = json.loads(catalog_path.read_text(encoding="utf-8"))
    raw["layers"][0]["id"] = texts[0]
    bad_id = write_json(tmp_path / "bad_id.json", raw)
    refused = cli("build", "--output", str(tmp_path / "never.html"), "--catalog", str(bad_id))
    assert refused.returncode == 2
    assert refused.stderr.strip() == (f"nerchinsk-map: error: {bad_id}: layer '{{{{ 7*7 }}}}': id: "
                                      "'{{ 7*7 }}' is not an id of letters, digits, '_' and '-' "
                                      "(at most 64, starting with a letter or digit)")
    api_out = tmp_path / "api.html"
    nm.write_map(api_out, nm.build_map(["places", catalog.layers[-1].id], catalog=catalog, lang="ru"))
    assert not sentinel.exists()

    page = offline_page
    for path in (out, api_out):
        open_page(page, path)
        assert page.evaluate("typeof window.pwned") == "undefined"
        body = page.evaluate("document.body.innerText")
        assert "49" not in body.replace("1649", "")
        assert page.errors == []
    assert page.title() == text
    assert text in page.evaluate("document.body.innerText")  # the title box shows it as text
    assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0  # no markup from the attribution
    assert not sentinel.exists()


# --- the Content-Security-Policy: a second wall in the browser --------------------------------

VIOLATIONS = (
    "window.__violations = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def csp_of(html: str) -> str:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert match, "no CSP meta"
    return match.group(1)


def test_policy_allows_only_hashed_inline_code_and_the_tile_hosts(built_map, catalog):
    html = built_map.read_text(encoding="utf-8")
    policy = csp_of(html)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'none'"
    assert "connect-src" not in directives and "unsafe" not in policy
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    assert scripts and styles
    for kind, bodies in (("script-src", scripts), ("style-src", styles)):
        expected = {"'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in bodies}
        assert set(directives[kind].split()) == expected
    hosts = directives["img-src"].split()
    assert hosts[0] == "data:"
    assert hosts[1:] == ["https://server.arcgisonline.com", "https://*.basemaps.cartocdn.com"]
    assert len(hosts) - 1 == len([t for t in catalog.tiles if t.get("url")])
    head = html[: html.index("</head>")]
    first_code = min(head.index(tag) for tag in ("<script", "<style") if tag in head)
    assert head.index("Content-Security-Policy") < first_code
    assert html.index("</script>\n</body>") > html.rindex("<script>")  # the script is inside <body>


@pytest.mark.browser
def test_page_works_under_its_policy(offline_page, built_map):
    page = offline_page
    page.add_init_script(VIOLATIONS)
    page.goto(built_map.as_uri())
    page.wait_for_function("() => window.L && document.querySelector('path.nm-layer-treaty_1689') && " + MAP_READY)
    page.click("path.nm-layer-treaty_1689", force=True)  # a popup
    page.wait_for_selector(".nm-popup")
    page.click("button:has-text('Русский')")  # the language switch redraws labels and controls
    page.locator("input.nm-year").fill("1860")  # the time control
    page.wait_for_timeout(300)
    assert page.evaluate("window.__violations") == []
    assert page.errors == []


@pytest.mark.browser
def test_an_injected_script_is_blocked(offline_page, built_map, tmp_path):
    html = built_map.read_text(encoding="utf-8")
    injected = html.replace(
        "<body>",
        "<body><script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">"
        "<style>body { background: red }</style><div onclick=\"window.pwned = 3\" id=trap>x</div>",
        1,
    )
    path = tmp_path / "injected.html"
    path.write_text(injected, encoding="utf-8")
    page = offline_page
    page.add_init_script(VIOLATIONS)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.L && document.querySelector('path.nm-layer-treaty_1689')")
    page.evaluate("document.getElementById('trap').click()")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.pwned") == "undefined"
    directives = {v.split(" ")[0] for v in page.evaluate("window.__violations")}
    assert {"script-src-elem", "script-src-attr", "style-src-elem"} <= directives
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"


def test_tile_attributions_keep_entities_and_lose_markup():
    from nerchinsk_map.web.render import html_text

    assert html_text("Relief tiles &copy; Esri") == "Relief tiles &copy; Esri"  # the message catalog's key
    assert html_text('<img src=x onerror="a()"> & co') == "&lt;img src=x onerror=&quot;a()&quot;&gt; &amp; co"
