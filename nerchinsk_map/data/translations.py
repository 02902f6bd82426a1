"""Translations of the texts that the layers' popups show (roles, notes, methods, sources,
the treaty texts' English renderings): one file per language, keyed by the English text, the
gettext way. The catalog names the files (``"translations": {"ru": "translations/ru.json"}``);
a text without an entry is shown in English and marked as English for screen readers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CatalogError
from ..files.inputs import read_json

if TYPE_CHECKING:
    import geopandas as gpd

# Properties shown as text in every popup (besides the catalog's ``popup`` fields).
TEXT_PROPERTIES = ("name_historical", "name_zh_note", "method", "source")


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def popup_texts(properties: Mapping[str, Any], popup_fields: Iterable[str]) -> Iterator[str]:
    """The texts a feature's popup shows that a reader needs in their language: the layer's
    text fields, the historical name and Chinese-name note, method, source, and of each treaty
    text its English translation, its paraphrase (written in English) and its source."""
    for key in (*popup_fields, *TEXT_PROPERTIES):
        value = properties.get(key)
        if _is_text(value):
            yield str(value)
    texts = properties.get("texts")
    if isinstance(texts, list):
        for entry in texts:
            if not isinstance(entry, Mapping):
                continue
            if _is_text(entry.get("translation")):
                yield entry["translation"]
            if entry.get("lang") == "en" and _is_text(entry.get("text")):
                yield entry["text"]
            if _is_text(entry.get("source")):
                yield entry["source"]


def layer_texts(features: Iterable[Mapping[str, Any]], popup_fields: Iterable[str]) -> set[str]:
    """Every translatable text of a layer's features (GeoJSON-like feature dicts)."""
    fields = tuple(popup_fields)
    found: set[str] = set()
    for feature in features:
        found.update(popup_texts(feature.get("properties") or {}, fields))
    return found


def frame_texts(gdf: gpd.GeoDataFrame, popup_fields: Iterable[str]) -> set[str]:
    """Every translatable text of a layer given as a GeoDataFrame."""
    properties = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    return layer_texts(({"properties": p} for p in properties), popup_fields)


@lru_cache(maxsize=16)
def _read(path: Path, stamp: tuple[int, int]) -> dict[str, str]:  # stamp: re-read a changed file
    raw = read_json(path, "translations", CatalogError)
    texts = raw.get("texts") if isinstance(raw, dict) else None
    if not isinstance(texts, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in texts.items()
    ):
        raise CatalogError(
            f"{path}: expected an object whose 'texts' maps each English text to a non-empty translation"
        )
    return texts


def read_translations(path: str | Path) -> dict[str, str]:
    """One language's translation file: English text → translation."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise CatalogError(f"{path}: translation file not found") from None
    return dict(_read(path, (stat.st_mtime_ns, stat.st_size)))


def merge_tables(files: Iterable[tuple[str, Path]]) -> dict[str, dict[str, str]]:
    """``(language, file)`` pairs read and merged per language (later files add to earlier)."""
    tables: dict[str, dict[str, str]] = {}
    for lang, path in files:
        tables.setdefault(lang, {}).update(read_translations(path))
    return tables


def used_tables(
    tables: Mapping[str, Mapping[str, str]], texts: set[str]
) -> dict[str, dict[str, str]]:
    """Each language's entries for ``texts`` only, sorted (what a page needs to carry)."""
    return {
        lang: {t: table[t] for t in sorted(texts) if t in table}
        for lang, table in sorted(tables.items())
    }
