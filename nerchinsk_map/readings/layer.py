"""A compiled reading as a map layer (``nerchinsk-map build --reading FILE``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd

from .catalog import get
from .compile import compile_reading

MAP_COLUMNS = ("name", "kind", "text", "precision_km", "certainty", "located", "note", "method", "source")


def _words(texts: list[dict[str, Any]]) -> str:
    return " | ".join(f"{t['language']}: {t['text']}" + (f" ({t['translation']})" if t.get("translation") else "")
                      for t in texts)


def map_frame(reading: str | Path | dict[str, Any]) -> gpd.GeoDataFrame:
    """The reading's clauses with their words, precision and provenance, titled with the reading's title."""
    spec = get(reading)
    compiled = compile_reading(spec)
    frame = compiled.assign(text=[_words(t) for t in compiled["texts"]], note=compiled["note"].fillna(""))
    frame = gpd.GeoDataFrame(frame[[*MAP_COLUMNS, "geometry"]], geometry="geometry", crs="EPSG:4326")
    frame.attrs["title"] = spec["title"]["en"]
    return frame
