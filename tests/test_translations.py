"""The popups' texts in Russian and Chinese: complete, tidy, and faithful to their citations."""

import json
import re

import pytest

from nerchinsk_map.data.catalog import read_catalog
from nerchinsk_map.data.translations import frame_texts, popup_texts, read_translations, used_tables
from nerchinsk_map.errors import CatalogError

LANGUAGES = ("ru", "zh")

# What a translation must carry over unchanged: the citations that make a text checkable.
CITATION = re.compile(
    r"facts\.md(?: §\d(?:\.\d)?)?"
    r"|METHOD-[a-z]+\.md"
    r"|\b(?:en|ru|zh|de|cs|la)(?:wiki|\.wikisource)\b"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|ru|org|cn|net|info|wiki|tw|su)(?:/[^\s;,()'’]*)?"
    r"|\bne_10m_[a-z0-9_]+"
)


def catalog_texts(catalog, layers) -> dict[str, set[str]]:
    """Every text the map's popups show, with the layers it comes from."""
    found: dict[str, set[str]] = {}
    for layer in catalog.layers:
        if layer.basemap:
            continue
        for text in frame_texts(layers[layer.id], layer.popup_fields):
            found.setdefault(text, set()).add(layer.id)
    return found


@pytest.fixture(scope="module")
def texts(catalog, layers):
    """The popups' texts and the reader's panel's (the readings' English texts, web/texts.py)."""
    from nerchinsk_map.web.texts import data_strings, texts_data

    found = catalog_texts(catalog, layers)
    for text in data_strings(texts_data({})):
        found.setdefault(text, set()).add("the reader's panel")
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_popup_text_is_translated(catalog, texts, lang):
    table = catalog.translation_tables()[lang]
    missing = sorted(f"{sorted(where)}: {text[:80]}" for text, where in texts.items() if text not in table)
    assert not missing, f"{len(missing)} texts lack a {lang} translation, e.g. {missing[:3]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translation_files_hold_no_stale_entries(catalog, texts, lang):
    """An entry whose English no feature shows any more is left over from older data."""
    stale = sorted(set(catalog.translation_tables()[lang]) - set(texts))
    assert not stale, f"{lang}: {len(stale)} entries match no popup text, e.g. {stale[:2]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_every_citation(catalog, lang):
    for english, translated in catalog.translation_tables()[lang].items():
        for citation in set(CITATION.findall(english)):
            assert citation in translated, f"{lang}: {citation!r} lost in the translation of {english[:60]!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_are_in_their_language(catalog, lang):
    script = re.compile(r"[А-Яа-яЁё]") if lang == "ru" else re.compile(r"[\u4e00-\u9fff]")
    for english, translated in catalog.translation_tables()[lang].items():
        if " " not in english.strip():
            continue  # a bare name ('Sungari') may stay as it is
        words = re.findall(r"[A-Za-z]{5,}", re.sub(r"'[^']*'", "", CITATION.sub("", english)))  # not titles
        assert translated != english or not words, f"{lang}: {english!r} left in English"
        if re.search(r"[a-z]{3,} [a-z]{3,}", english):  # prose, not a bare name
            assert script.search(translated), f"{lang}: {translated!r} is not in its script"


def test_popup_texts_cover_fields_method_source_and_treaty_texts():
    props = {
        "role": "A role.",
        "length_km": 12.5,
        "method": "A method.",
        "source": "A source.",
        "name_historical": "Old name (Latin text)",
        "texts": [
            {"lang": "la", "kind": "original", "text": "Rivulus", "translation": "A stream", "source": "la.wikisource"},
            {"lang": "en", "kind": "paraphrase", "text": "In other words.", "source": "xilu.com"},
        ],
    }
    found = set(popup_texts(props, ["role", "length_km"]))
    assert found == {"A role.", "A method.", "A source.", "Old name (Latin text)", "A stream", "la.wikisource",
                     "In other words.", "xilu.com"}
    assert "Rivulus" not in found  # an original stays in its own language


def test_used_tables_carry_only_what_the_page_shows():
    tables = {"ru": {"a": "а", "b": "б"}, "zh": {"a": "甲"}}
    assert used_tables(tables, {"a"}) == {"ru": {"a": "а"}, "zh": {"a": "甲"}}


def write_catalog(tmp_path, translations):
    (tmp_path / "pts.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    entry = {"id": "pts", "title": "P", "file": "pts.geojson", "geometry": "point", "group": "G",
             "description": "D", "style": {"base": {"color": "#000000"}},
             "sources": [{"dataset": "d", "version": "1", "licence": "PD"}]}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"title": "T", "layers": [entry], "translations": translations}))
    return path


def test_a_catalog_names_its_translation_files(tmp_path):
    (tmp_path / "ru.json").write_text(json.dumps({"texts": {"A role.": "Роль."}}), encoding="utf-8")
    catalog = read_catalog(write_catalog(tmp_path, {"ru": "ru.json"}))
    assert catalog.translation_tables() == {"ru": {"A role.": "Роль."}}


def test_a_missing_translation_file_is_a_one_line_error(tmp_path):
    with pytest.raises(CatalogError, match="translations for 'ru' name nope.json, which does not exist"):
        read_catalog(write_catalog(tmp_path, {"ru": "nope.json"}))


def test_a_malformed_translation_file_is_a_one_line_error(tmp_path):
    path = tmp_path / "ru.json"
    path.write_text(json.dumps({"texts": {"A role.": ""}}), encoding="utf-8")
    with pytest.raises(CatalogError, match="non-empty translation"):
        read_translations(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid JSON"):
        read_translations(path)


# --- numbers survive translation ------------------------------------------------------------------

# Thousands are grouped with commas in English and Chinese, with (no-break or thin) spaces in
# Russian, where the decimal mark is a comma (a point in coordinates and versions kept as cited).
GROUPING = {"en": ",", "zh": ",", "ru": " \u00a0\u202f\u2009"}
DECIMAL = {"en": ".", "zh": ".", "ru": ",."}


def numbers(text: str, lang: str, min_digits: int = 3) -> set[str]:
    """The numbers written in ``text`` (digit groups joined, decimal mark as '.') with at least
    ``min_digits`` digits.

    >>> sorted(numbers("597,971 km², 0.005°, 1689, 42 km", "en"))
    ['0.005', '1689', '597971']
    >>> sorted(numbers("597 971 км², 0,005°", "ru"))
    ['0.005', '597971']
    """
    group = re.escape(GROUPING[lang])
    joined = re.sub(rf"(?<=\d)[{group}](?=\d{{3}}(?!\d))", "", text)
    found = re.findall(rf"\d+(?:[{re.escape(DECIMAL[lang])}]\d+)?", joined)
    return {re.sub(r"\D", ".", n) for n in found if sum(c.isdigit() for c in n) >= min_digits}


def i18n_triples():
    """(where, {en, ru, zh}) of every text that carries its own translations: the reading files'
    titles and clause names, and the names in the curated inputs."""
    from nerchinsk_map.readings import get, shipped_ids

    for rid in shipped_ids():
        spec = get(rid)
        yield f"readings/{rid} title", spec["title"]
        for clause in spec["clauses"]:
            if "name" in clause:
                yield f"readings/{rid} {clause['id']}", clause["name"]


def test_numbers_helper_reads_each_languages_grouping():
    assert numbers("497 971 км² и 648\u00a0293", "ru") == {"497971", "648293"}
    assert numbers("497,971平方公里", "zh") == {"497971"}
    assert numbers("12 km, 1.5°", "en") == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_number_survives_translation(catalog, lang):
    """Each number of three or more digits in an English text is in its translation, for every
    entry of the translation tables (the ceded areas once lost 100,000 km² in both)."""
    lost = []
    for english, translated in catalog.translation_tables()[lang].items():
        missing = numbers(english, "en") - numbers(translated, lang, min_digits=1)
        if missing:
            lost.append(f"{sorted(missing)} in {english[:70]!r}")
    assert not lost, f"{lang}: {len(lost)} texts lose numbers, e.g. {lost[:3]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_number_survives_in_the_data_s_own_translations(lang):
    lost = [
        f"{where}: {sorted(missing)}"
        for where, texts in i18n_triples()
        if lang in texts and (missing := numbers(texts["en"], "en") - numbers(texts[lang], lang, min_digits=1))
    ]
    assert not lost, lost[:5]
