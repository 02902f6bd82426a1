"""Publication figures (``nerchinsk-map figure``): valid PNG/SVG/PDF files with embedded fonts and
real Cyrillic and Chinese labels, a legend for every drawn layer, a scale bar that agrees with
pyproj's geodesic, a north arrow along the meridian, labels that do not overlap, the same bytes
twice, a baseline image, and one-line errors that write nothing."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
import shapely
from conftest import ARTIFACTS, ROOT, cli
from pyproj import Geod, Proj, Transformer
from shapely.geometry import Polygon

import nerchinsk_map as nm
from nerchinsk_map.errors import NerchinskMapError
from nerchinsk_map.figure import in_year, render_figure, save_figure, write_figure, year_of
from nerchinsk_map.figure.fonts import check_glyphs

SVG = "{http://www.w3.org/2000/svg}"
BASELINE = ROOT / "tests" / "baseline" / "figure_1689_en.png"
# The baseline's layers and extent are fixed, so a layer added to the catalog does not move it.
BASELINE_ARGS = dict(layer_ids=["watersheds", "uda_undetermined", "rivers", "treaty_1689", "places"],
                     year=1689, lang="en", extent=(115.0, 47.0, 141.5, 58.8))
BASELINE_DPI = 60
BASELINE_TOL = 3.0  # RMS over 0..255, as pytest-mpl's --mpl-default-tolerance


# ----------------------------------------------------------------------------- helpers
def svg_texts(path: Path) -> dict[str, str]:
    """The SVG's texts keyed by the id of their group (matplotlib writes a gid as the group id)."""
    root = ElementTree.parse(path).getroot()
    out: dict[str, str] = {}
    for group in root.iter(f"{SVG}g"):
        texts = ["".join(t.itertext()) for t in group.findall(f"{SVG}text")]
        if texts and group.get("id"):
            out[group.get("id")] = "\n".join(texts)
    return out


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def png_dpi(path: Path) -> float | None:
    data = path.read_bytes()
    i = data.find(b"pHYs")
    if i < 0:
        return None
    ppm_x, _, unit = struct.unpack(">IIB", data[i + 4:i + 13])
    return ppm_x * 0.0254 if unit == 1 else None


def flat(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    """The default figure in English, rendered once and written in the three formats."""
    out = tmp_path_factory.mktemp("figure")
    fig = render_figure()
    paths = {fmt: save_figure(fig, out / f"treaty.{fmt}", dpi=100) for fmt in ("png", "svg", "pdf")}
    return {"fig": fig, "info": fig.nerchinsk, **paths}


@pytest.fixture(scope="module")
def lang_svgs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("langs")
    return {lang: write_figure(out / f"treaty_{lang}.svg", lang=lang) for lang in ("ru", "zh")}


# ----------------------------------------------------------------------------- formats
def test_png_size_is_dpi_times_figure_size(figures, tmp_path):
    w_in, h_in = figures["info"].size_in
    assert png_size(figures["png"]) == (round(w_in * 100), round(h_in * 100))
    assert png_dpi(figures["png"]) == pytest.approx(100, abs=0.1)
    path = save_figure(figures["fig"], tmp_path / "small.png", dpi=37)
    w, h = png_size(path)
    assert abs(w - w_in * 37) <= 1 and abs(h - h_in * 37) <= 1


def test_svg_is_xml_with_the_labels_as_text(figures):
    texts = svg_texts(figures["svg"])
    labels = {k: v for k, v in texts.items() if k.startswith("label-")}
    assert {"Nerchinsk", "Albazin (1685–89)", "Aigun", "Amur", "Argun", "Shilka"} <= set(labels.values())
    assert set(figures["info"].labels) == set(labels.values())
    assert any(re.fullmatch(r"1\d\d°E", t) for t in texts.values())  # graticule in degrees
    assert any(re.fullmatch(r"\d\d°N", t) for t in texts.values())
    assert "Natural Earth 4.0.0" in flat(texts["credit"])  # the credit names the sources
    raw = figures["svg"].read_text(encoding="utf-8")
    assert "font-family: 'Noto Sans'" in raw or "font-family: 'DejaVu Sans'" in raw  # text named, not paths


def test_pdf_embeds_its_fonts(figures):
    data = figures["pdf"].read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in data or b"/FontFile3" in data
    assert b"/Subtype /Type3" not in data  # pdf.fonttype 42: no Type 3 bitmaps-as-procedures
    if shutil.which("pdffonts"):
        lines = subprocess.run(["pdffonts", str(figures["pdf"])], capture_output=True, text=True,
                               check=True).stdout.splitlines()
        spans = [m.span() for m in re.finditer(r"-+", lines[1])]  # the columns, from the dashes
        rows = [{lines[0][a:b].strip() or lines[0][a:].split()[0]: line[a:b].strip() for a, b in spans}
                for line in lines[2:]]
        assert rows, "no fonts listed"
        for row in rows:
            assert row["emb"] == "yes" and row["sub"] == "yes", row
            assert row["type"] in ("CID TrueType", "TrueType"), row


def test_chinese_pdf_embeds_its_cjk_font(tmp_path):
    path = write_figure(tmp_path / "zh.pdf", lang="zh", layer_ids=["rivers", "places"], dpi=72)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and (b"/FontFile2" in data or b"/FontFile3" in data)
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
        names = [line.split()[0] for line in out.stdout.splitlines()[2:]]
        assert len(names) >= 2, out.stdout  # the text font and a CJK one, both subset
        assert all(re.fullmatch(r"[A-Z]{6}\+\S+", n) for n in names), names
        if "CID Type 0C" not in out.stdout:  # a TrueType CJK font (fonts-wqy-microhei)
            assert "Mismatch" not in out.stderr, out.stderr


def test_pdf_renders_with_poppler(figures, tmp_path):
    """pdftoppm (Debian's poppler-utils) reads the PDF and draws it at the figure's size."""
    if not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is missing: install Debian's poppler-utils")
        pytest.skip("pdftoppm not installed (apt-get install poppler-utils)")
    result = subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(figures["pdf"]),
                             str(tmp_path / "page")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr and "Mismatch" not in result.stderr, result.stderr
    w, h = png_size(tmp_path / "page.png")
    w_in, h_in = figures["info"].size_in
    assert abs(w - w_in * 50) <= 1 and abs(h - h_in * 50) <= 1


def test_conic_projection_centred_on_the_amur(figures):
    op = figures["info"].crs.coordinate_operation
    params = {p.name: p.value for p in op.params}
    assert op.method_name == "Lambert Conic Conformal (2SP)"
    assert params["Latitude of 1st standard parallel"] == 49 and params["Latitude of 2nd standard parallel"] == 57
    assert params["Longitude of false origin"] == 127


# ----------------------------------------------------------------------------- languages
def test_russian_labels_are_cyrillic_text(lang_svgs):
    texts = svg_texts(lang_svgs["ru"])
    labels = {v for k, v in texts.items() if k.startswith("label-")}
    assert {"Нерчинск", "Албазин (1685–1689)", "Амур", "Аргунь"} <= labels
    assert any(re.search(r"[А-Яа-яЁё]", t) for k, t in texts.items() if k.startswith("legend-"))
    assert "в.\u00a0д." in "".join(texts.values())  # degrees east, kept on one line


def test_chinese_labels_are_cjk_text(lang_svgs):
    texts = svg_texts(lang_svgs["zh"])
    labels = {v for k, v in texts.items() if k.startswith("label-")}
    assert {"尼布楚", "雅克萨（1685–1689）", "黑龙江", "额尔古纳河"} <= labels
    raw = lang_svgs["zh"].read_text(encoding="utf-8")
    family = re.search(r"font-family: ([^;\"]+)", raw).group(1)
    assert "," in family, f"no CJK font named after the text font: {family}"


def test_a_missing_glyph_is_a_clear_error():
    with pytest.raises(NerchinskMapError, match="no installed font has the glyph '黑'.*fonts-"):
        check_glyphs(["Amur", "黑龙江"], ["DejaVu Sans"], "zh")


# ----------------------------------------------------------------------------- content
def test_legend_lists_every_drawn_layer(figures, tmp_path):
    catalog = nm.default_catalog()
    for year, path in ((1689, figures["svg"]), (1900, None)):
        if path is None:
            fig = render_figure(year=year)
            path = save_figure(fig, tmp_path / f"y{year}.svg")
            info = fig.nerchinsk
        else:
            info = figures["info"]
        texts = svg_texts(path)
        legend = {k: flat(v) for k, v in texts.items() if k.startswith("legend-")}
        for layer_id in info.layers:
            assert flat(catalog[layer_id].title) in legend.values(), (year, layer_id)
            assert any(k.startswith(f"legend-{layer_id}-") for k in legend), (year, layer_id)
        assert texts["legend-title"] == f"In {year}"
    assert "uda_undetermined" in figures["info"].layers  # 1689-1858
    if "borders_later" in catalog:
        assert "borders_later" in info.layers and "uda_undetermined" not in info.layers


def test_year_filter_matches_the_web_map():
    assert [year_of(v) for v in ("1651", "1653-11", "1689-09-07", None, float("nan"), "")] == [
        1651, 1653, 1689, None, None, None]
    import geopandas as gpd
    from shapely.geometry import Point

    gdf = gpd.GeoDataFrame({"start_date": ["1651", "1690", None, "1680", "1680"],
                            "end_date": ["1689-09-07", None, "1700", None, "1681"]},
                           geometry=[Point(0, 0)] * 5, crs="EPSG:4326")
    assert in_year(gdf, 1689).tolist() == [True, False, True, True, False]
    assert in_year(gdf, 1689, show_years=10).tolist() == [True, False, True, True, False]
    assert in_year(gdf, 1691, show_years=10).tolist() == [False, True, True, False, False]


def test_scale_bar_matches_the_geodesic(figures):
    info = figures["info"]
    bar = info.scalebar
    crs = info.crs
    # independent of the package: the bar's length in map units laid out east-west at the map's
    # centre, measured on the ellipsoid
    cx, cy = bar["centre_xy"]
    to_ll = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon1, lat1 = to_ll.transform(cx - bar["map_units"] / 2, cy)
    lon2, lat2 = to_ll.transform(cx + bar["map_units"] / 2, cy)
    _, _, metres = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    assert metres / 1000 == pytest.approx(bar["length_km"], rel=0.02)
    # the bar as drawn has that length
    drawn = [a for a in figures["fig"].axes[0].patches if a.get_gid() == "scalebar"]
    assert len(drawn) == 1 and drawn[0].get_width() == pytest.approx(bar["map_units"])
    texts = svg_texts(figures["svg"])
    assert texts["scalebar-label-2"] == f"{bar['length_km']:g}" and texts["scalebar-unit"] == "km"


def test_north_arrow_follows_the_meridian(figures):
    arrow = figures["info"].north_arrow
    convergence = Proj(figures["info"].crs).get_factors(arrow["lon"], arrow["lat"]).meridian_convergence
    assert arrow["angle_deg"] == pytest.approx(convergence, abs=0.1)
    if abs(arrow["lon"] - 127) > 3:
        assert abs(arrow["angle_deg"]) > 1  # not straight up away from the central meridian


def test_labels_do_not_overlap(figures):
    fig = figures["fig"]
    renderer = fig.canvas.get_renderer()
    shapes = []
    for text in fig.axes[0].texts:
        if not (text.get_gid() or "").startswith("label-"):
            continue
        bb = text.get_window_extent(renderer)
        angle = text.get_rotation()
        text.set_rotation(0)
        w, h = text.get_window_extent(renderer).size
        text.set_rotation(angle)
        if angle:
            cx, cy = (bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2
            rect = shapely.affinity.rotate(shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), angle)
        else:
            rect = shapely.box(bb.x0, bb.y0, bb.x1, bb.y1)
        shapes.append((text.get_text(), rect.buffer(-0.5)))
    assert len(shapes) >= 10
    for i, (a, sa) in enumerate(shapes):
        for b, sb in shapes[i + 1:]:
            assert not sa.intersects(sb), f"labels {a!r} and {b!r} overlap"
    frame = fig.axes[0].get_window_extent(renderer)
    inside = Polygon([(frame.x0, frame.y0), (frame.x1, frame.y0), (frame.x1, frame.y1), (frame.x0, frame.y1)])
    assert all(inside.contains(s) for _, s in shapes)


def test_same_bytes_twice(tmp_path):
    for fmt in ("svg", "pdf"):
        a = write_figure(tmp_path / f"a.{fmt}", lang="ru").read_bytes()
        b = write_figure(tmp_path / f"b.{fmt}", lang="ru").read_bytes()
        assert a == b, fmt
    assert b"/CreationDate (D:20260101000000Z)" in a  # fixed, not the time of the run


def test_matches_the_baseline_image(tmp_path):
    """An unintended change of the figure shows up here. After an intended one, regenerate with
    ``python tests/test_figure.py`` and look at the new baseline before committing it."""
    from matplotlib.testing.compare import compare_images

    fig = render_figure(**BASELINE_ARGS)
    if fig.nerchinsk.fonts[0] != "Noto Sans":
        if os.environ.get("CI"):
            pytest.fail("Noto Sans is missing: install Debian's fonts-noto-core")
        pytest.skip(f"the baseline is drawn in Noto Sans, this machine uses {fig.nerchinsk.fonts[0]}")
    actual = save_figure(fig, tmp_path / "figure_1689_en.png", dpi=BASELINE_DPI)
    result = compare_images(str(BASELINE), str(actual), tol=BASELINE_TOL)
    if result is not None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for p in tmp_path.glob("figure_1689_en*.png"):
            shutil.copy(p, ARTIFACTS / p.name)
    assert result is None, result


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layers", "rivers,atlantis"], "unknown layer 'atlantis'"),
        (["--extent", "10,10,20,20"], "holds none of the layers' features"),
        (["--extent", "130,50,120,55"], "west 130 must be less than east 120"),
        (["--extent", "1,2,3"], "expected W,S,E,N"),
        (["--lang", "fr"], "unsupported language 'fr'"),
        (["--dpi", "0"], "dpi 0"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "figure.png"
    result = cli("figure", "--output", str(out), *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unsupported_suffix_exits_2_and_keeps_earlier_file(tmp_path):
    bmp = tmp_path / "figure.bmp"
    result = cli("figure", "--output", str(bmp))
    assert result.returncode == 2 and "unsupported figure format '.bmp'" in result.stderr
    assert result.stderr.strip().count("\n") == 0 and not bmp.exists()
    earlier = tmp_path / "figure.pdf"
    earlier.write_bytes(b"earlier")
    result = cli("figure", "--output", str(earlier), "--layers", "nowhere")
    assert result.returncode == 2 and earlier.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure.pdf"]  # no stray temp file


def test_cli_writes_a_figure(tmp_path):
    out = tmp_path / "sub" / "treaty.svg"
    result = cli("figure", "--output", str(out), "--layers", "treaty_1689,rivers,places", "--year", "1689",
                 "--extent", "115,48,135,57")
    assert result.returncode == 0, result.stderr
    assert str(out.resolve()) in result.stdout
    texts = svg_texts(out)
    assert {k.split("-")[1] for k in texts if k.startswith("legend-") and k != "legend-title"} == {
        "treaty_1689", "rivers", "places"}


if __name__ == "__main__":  # regenerate the baseline image after an intended change
    BASELINE.parent.mkdir(parents=True, exist_ok=True)
    print(write_figure(BASELINE, dpi=BASELINE_DPI, **BASELINE_ARGS))


def test_svg_embeds_subset_fonts_with_the_label_glyphs(lang_svgs):
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    svg = lang_svgs["zh"].read_text(encoding="utf-8")
    faces = {(family, style, weight): data for family, style, weight, data in re.findall(
        r'font-family: "([^"]+)"; font-style: (\w+); font-weight: (\d+); '
        r'src: url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)', svg)}
    assert len({family for family, _, _ in faces}) >= 2, "a Latin/Cyrillic font and a CJK font"
    covered: set[int] = set()
    for data in faces.values():
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff"
        covered |= set(font.getBestCmap())
        assert len(font.getGlyphOrder()) < 2000  # a subset, not the whole font
    label_chars = {ord(c) for text in svg_texts(lang_svgs["zh"]).values() for c in text if not c.isspace()}
    assert label_chars <= covered


def _hatch_rasters(tmp_path, rasterise):
    """(PNG, rasterised SVG, points inside the Uda country in pixels) of the baseline figure."""
    import io

    import numpy as np
    from PIL import Image

    fig = render_figure(**BASELINE_ARGS)
    dpi = 100
    save_figure(fig, tmp_path / "f.png", dpi=dpi)
    save_figure(fig, tmp_path / "f.svg", dpi=dpi)
    png = np.asarray(Image.open(tmp_path / "f.png").convert("RGB"), dtype=float)
    height, width, _ = png.shape
    raster = rasterise(tmp_path / "f.svg", width, height)
    svg = np.asarray(Image.open(io.BytesIO(raster)).convert("RGB"), dtype=float)
    assert svg.shape == png.shape
    fig.set_dpi(dpi)
    ax = fig.axes[0]
    to_map = Transformer.from_crs(4326, fig.nerchinsk.crs, always_xy=True)
    uda = nm.load_layer("uda_undetermined").geometry.iloc[0].buffer(-0.15)
    minx, miny, maxx, maxy = uda.bounds
    grid = [shapely.Point(x, y) for x in np.linspace(minx, maxx, 40) for y in np.linspace(miny, maxy, 20)]
    pixels = []
    for point in (p for p in grid if uda.contains(p)):
        px, py = ax.transData.transform(to_map.transform(point.x, point.y))
        pixels.append((round(height - py), round(px)))
    return png, svg, pixels


def _rasterise_cairosvg(path, width, height):
    import cairosvg

    return cairosvg.svg2png(url=str(path), output_width=width, output_height=height,
                            background_color="white")


@pytest.mark.parametrize("renderer", ["cairosvg", "chromium"])
def test_svg_hatching_renders_as_in_the_png(tmp_path, request, renderer):
    """SVG renderers the project did not write (cairosvg; Debian's Chromium) draw the Uda
    country's hatching as matplotlib's PNG does: the hatch lines darken the area by at least
    half as much (before the fix, SVG renderers faded them to the fill's 10 % opacity)."""
    import numpy as np

    if renderer == "cairosvg":
        rasterise = _rasterise_cairosvg
    else:
        browser = request.getfixturevalue("browser")

        def rasterise(path, width, height):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("file:", "data:")) else r.abort())
            html = path.with_suffix(".html")  # the SVG scaled to the PNG's pixel size
            html.write_text(f'<!DOCTYPE html><html><body style="margin:0;background:#fff">'
                            f'<img src="{path.name}" width="{width}" height="{height}" '
                            f'style="display:block"></body></html>', encoding="utf-8")
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            shot = page.screenshot(full_page=False)
            page.close()
            return shot

    png, svg, pixels = _hatch_rasters(tmp_path, rasterise)
    luminance = np.array([0.299, 0.587, 0.114])

    def window(image, row, col):
        return image[row - 3:row + 4, col - 3:col + 4].reshape(-1, 3) @ luminance

    assert len(pixels) > 100
    lightest = np.mean([window(png, r, c).max() for r, c in pixels])
    png_hatch = lightest - np.mean([window(png, r, c).min() for r, c in pixels])
    svg_hatch = lightest - np.mean([window(svg, r, c).min() for r, c in pixels])
    assert png_hatch > 50  # the hatching is there in the PNG
    assert svg_hatch > 0.5 * png_hatch, (renderer, svg_hatch, png_hatch)


def test_pdf_metadata_names_the_map_and_a_fixed_date(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = write_figure(tmp_path / "f.pdf", layer_ids=["treaty_1689", "places"], year=1689, dpi=60)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    assert fields["Title"] == "The Treaty of Nerchinsk, 1689: map of 1689"
    assert fields["Subject"] == "Border of 1689 (as commonly read); Forts and towns"
    assert fields["Creator"].startswith("nerchinsk-map ")
    assert "2026" in fields["CreationDate"] and "Jan" in fields["CreationDate"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # 2000-01-01: reproducible builds
    out = write_figure(tmp_path / "g.pdf", layer_ids=["treaty_1689", "places"], year=1689, dpi=60)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "2000" in next(line for line in info.splitlines() if line.startswith("CreationDate"))


def test_svg_embeds_the_italic_and_bold_faces_it_uses(lang_svgs):
    """River names are italic and the legend title bold: the SVG carries those faces (real
    italic and bold outlines, as in the PDF), not just the regular face for the renderer to fake."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    svg = lang_svgs["ru"].read_text(encoding="utf-8")
    faces = {(family, style, weight): TTFont(io.BytesIO(base64.b64decode(data)))
             for family, style, weight, data in re.findall(
                 r'font-family: "([^"]+)"; font-style: (\w+); font-weight: (\d+); '
                 r'src: url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)', svg)}
    text_font = next(family for family, _, _ in faces)
    for (style, weight), subfamily in ((("italic", "400"), "Italic"), (("normal", "700"), "Bold"),
                                       (("normal", "400"), "Regular")):
        font = faces[(text_font, style, weight)]
        assert font["name"].getDebugName(2) == subfamily, (style, weight)
    assert "font-style: italic" in svg and "font-weight: 700" in svg  # the texts use them
    italic = set(faces[(text_font, "italic", "400")].getBestCmap())
    assert {ord(c) for c in "Амур"} <= italic  # a river name, set in italic


def test_labels_stay_off_the_1689_border_and_degree_marks_stay_whole():
    """In the Russian figure «Горбица» sits clear of the border's stroke (casing included), and
    «с. ш.» / «в. д.» are never broken across lines (no-break spaces)."""
    from matplotlib.text import Text

    fig = render_figure(lang="ru")
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    label = next(t for t in fig.findobj(Text) if t.get_text() == "Горбица")
    bb = label.get_window_extent(renderer)
    footprint = shapely.box(bb.x0, bb.y0, bb.x1, bb.y1)
    style = nm.figure.style.layer_style(nm.default_catalog()["treaty_1689"])
    casing_pt = float(style.casing()["weight"]) * float(nm.figure.style.figure_style()["px_to_pt"])
    half_px = casing_pt / 2 * fig.dpi / 72
    to_map = Transformer.from_crs(4326, fig.nerchinsk.crs, always_xy=True)
    for geom in nm.load_layer("treaty_1689").geometry:
        projected = shapely.transform(geom, lambda xy: ax.transData.transform(
            list(zip(*to_map.transform(xy[:, 0], xy[:, 1]), strict=True))))
        assert not footprint.intersects(projected.buffer(half_px)), "a label under the border"
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert any("с.\u00a0ш." in t for t in texts)
    for text in texts:
        assert not re.search(r"(°|\bс\.|\bв\.)\s*\n", text), text
        assert not re.search(r"\n\s*(ш\.|д\.)", text), text


@pytest.mark.parametrize(("lang", "year", "states"), [
    ("en", 1689, {"QING EMPIRE", "TSARDOM OF RUSSIA"}), ("ru", 1689, {"ИМПЕРИЯ ЦИН", "РУССКОЕ ЦАРСТВО"}),
    ("zh", 1689, {"清朝", "俄罗斯沙皇国"}), ("en", 1900, {"QING EMPIRE", "RUSSIAN EMPIRE"}),
    ("ru", 1860, {"ИМПЕРИЯ ЦИН", "РОССИЙСКАЯ ИМПЕРИЯ"}), ("en", 1991, {"CHINA (PRC)", "SOVIET UNION"}),
])
def test_locator_inset_shows_where_the_region_lies(lang, year, states):
    """The inset has land with its coast on a sea colour, the two states of the figure's year
    (not of 1689 in a figure of 1900) and a sea named in the figure's language, every name whole
    inside the inset, and the map's frame."""
    from matplotlib.colors import to_hex
    from matplotlib.text import Text

    fig = render_figure(lang=lang, year=year)
    renderer = fig.canvas.get_renderer()
    inset = next(a for a in fig.axes if a.get_label() == "locator-inset")
    land = next(c for c in inset.collections if c.get_gid() == "inset-land")
    assert to_hex(land.get_facecolor()[0]) != to_hex(inset.get_facecolor())  # land on sea
    assert land.get_linewidth()[0] > 0  # the coast is drawn
    names = [t for t in inset.findobj(Text) if (t.get_gid() or "").startswith("inset-label-")]
    assert len(names) == 3 and states <= {t.get_text() for t in names}
    if year > 1812 and lang == "en":  # Nerchinsk after the town moved is a named place, not a bare dot
        assert "Nerchinsk (town after 1812)" in fig.nerchinsk.labels
    box_ = inset.get_window_extent(renderer)
    for name in names:
        bb = name.get_window_extent(renderer)
        assert box_.x0 <= bb.x0 and bb.x1 <= box_.x1 and box_.y0 <= bb.y0 and bb.y1 <= box_.y1, name
    assert [p.get_gid() for p in inset.patches] == ["inset-extent"]
