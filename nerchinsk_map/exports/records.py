"""Turn a GeoDataFrame into a fiona schema and records: typed properties, nested values as JSON
text, and (for shapefiles) field names cut to 10 characters without collisions."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import mapping

from ..files.geojson import clean_value, rfc7946
from . import kml as export_kml

if TYPE_CHECKING:
    from fiona.model import Feature

INT32 = (-(2**31), 2**31 - 1)
FAMILIES = {
    "Point": "Point", "MultiPoint": "Point",
    "LineString": "LineString", "MultiLineString": "LineString", "LinearRing": "LineString",
    "Polygon": "Polygon", "MultiPolygon": "Polygon",
}
DESCRIPTION_COLUMNS = (("description", ""), ("name_ru", "Russian"), ("name_zh", "Chinese"),
                       ("role", "Role"), ("clause", "Treaty text"), ("founded", "Founded"),
                       ("start_date", "From"), ("end_date", "Until"), ("certainty", "Certainty"),
                       ("method", "Method"), ("source", "Source"))


@dataclass
class Prepared:
    """A layer ready for fiona: its schema, records and what changed on the way."""

    schema: dict[str, Any]
    records: list[Feature]
    fields: dict[str, str]  # property name -> field name in the file
    types: dict[str, str]  # property name -> fiona type
    truncated: dict[str, int] = field(default_factory=dict)  # property -> values cut to fit


def plain(value: Any) -> Any:
    """A plain Python value (None for NaN, NA and NaT; ISO text for dates)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple, dict, np.ndarray)):
        return clean_value(list(value) if isinstance(value, np.ndarray) else value)
    value = clean_value(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def column_type(values: Iterable[Any]) -> str:
    """The fiona type for a column of plain values: bool, int32, int, float or str."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int32" if all(INT32[0] <= v <= INT32[1] for v in present) else "int"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "float"
    return "str"


def as_type(value: Any, kind: str) -> Any:
    """``value`` converted to the column's type; lists and dicts become JSON text."""
    if value is None:
        return None
    if kind == "float":
        return float(value)
    if kind != "str":
        return value
    if isinstance(value, (list, dict)):
        return _json_text(value)
    return value if isinstance(value, str) else str(value)


def short_field_names(names: list[str], limit: int = 10) -> dict[str, str]:
    """Map each name to a unique field name of at most ``limit`` bytes of UTF-8 (DBF counts
    bytes, not characters), unique without regard to case (DBF compares names so).

    Names that fit and are not taken keep their spelling; the others are cut on a character
    boundary, and a cut that meets a name already taken ends in ``_1``, ``_2``... instead.

    Examples
    --------
    >>> short_field_names(["名称很长的字段", "名称很长的字段二", "Kind", "KIND"])
    {'名称很长的字段': '名称很', '名称很长的字段二': '名称_1', 'Kind': 'Kind', 'KIND': 'KIND_1'}
    """
    fits = [n for n in names if n and len(n.encode("utf-8")) <= limit]
    taken: set[str] = set()
    keep = set()
    for fit in fits:  # the first of names equal but for case keeps its spelling
        if fit.lower() not in taken:
            taken.add(fit.lower())
            keep.add(fit)
    result: dict[str, str] = {}
    for name in names:
        if name in keep and name not in result.values():
            result[name] = name
            continue
        base = cut_utf8(name, limit) or "field"
        candidate, n = base, 0
        while candidate.lower() in taken:
            n += 1
            suffix = f"_{n}"
            candidate = cut_utf8(name, limit - len(suffix)) + suffix
        taken.add(candidate.lower())
        result[name] = candidate
    return result


def case_unique_names(names: list[str]) -> dict[str, str]:
    """Map each name to itself, or, where an earlier name differs from it only in case (SQLite
    and GeoPackage compare column names so), to the name with ``_2``, ``_3``... added.

    Examples
    --------
    >>> case_unique_names(["Kind", "KIND", "kind_2"])
    {'Kind': 'Kind', 'KIND': 'KIND_3', 'kind_2': 'kind_2'}
    """
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(name.lower(), name)
    taken = set(first)
    result: dict[str, str] = {}
    for name in names:
        if first[name.lower()] == name:
            result[name] = name
            continue
        n, candidate = 2, f"{name}_2"
        while candidate.lower() in taken:
            n += 1
            candidate = f"{name}_{n}"
        taken.add(candidate.lower())
        result[name] = candidate
    return result


def cut_utf8(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` bytes of UTF-8, on a character boundary."""
    data = text.encode("utf-8")
    return text if len(data) <= max_bytes else data[:max_bytes].decode("utf-8", errors="ignore")


def geometry_type(gdf: gpd.GeoDataFrame, single_kind: bool) -> str:
    """The schema's geometry type: the layer's one type, else ``Unknown`` (mixed single and multi
    parts). ``single_kind`` formats (shapefile) refuse points mixed with lines or polygons."""
    kinds = set(gdf.geometry.dropna().geom_type)
    if len(kinds) == 1:
        return kinds.pop()
    if single_kind and len({FAMILIES.get(k, k) for k in kinds}) > 1:
        raise ValueError(f"a shapefile holds one kind of geometry; the layer mixes {sorted(kinds)}")
    if single_kind and kinds == {"Point", "MultiPoint"}:
        return "MultiPoint"
    return "Unknown"


def kml_description(row: dict[str, Any]) -> str | None:
    """The placemark's description: role, treaty text, founding and source, as small HTML."""
    parts = []
    for column, label in DESCRIPTION_COLUMNS:
        text = row.get(column)
        if text:
            body = html.escape(str(text), quote=False)
            parts.append(f"<p><b>{label}</b>: {body}</p>" if label else f"<p>{body}</p>")
    return "".join(parts) or None


def prepare(
    gdf: gpd.GeoDataFrame,
    *,
    field_limit: int | None = None,
    text_byte_limit: int | None = None,
    kml: bool = False,
    fold_case: bool = False,
) -> Prepared:
    """Schema and records for ``gdf`` (EPSG:4326), every property kept and typed.

    ``field_limit`` cuts field names (shapefile); ``kml`` makes them valid KML field names, keeps
    text valid XML and builds each placemark's description."""
    from fiona.model import Feature  # imported on use: see exporter.write_layer

    geom_col = gdf.geometry.name
    columns = [str(c) for c in gdf.columns if c != geom_col]
    rows = [{str(k): plain(v) for k, v in row.items() if k != geom_col}
            for row in gdf.to_dict("records")]
    if kml:  # the KML driver takes <name> and <description> from these fields
        for row in rows:
            row["description"] = kml_description(row)
        if "description" not in columns:
            columns.append("description")
    types = {c: column_type(row[c] for row in rows) for c in columns}
    if kml:
        fields = export_kml.field_names(columns)
    elif field_limit:
        fields = short_field_names(columns, field_limit)
    elif fold_case:
        fields = case_unique_names(columns)
    else:
        fields = {c: c for c in columns}
    geom_type = geometry_type(gdf, single_kind=field_limit is not None)

    truncated: dict[str, int] = {}
    widths = dict.fromkeys(columns, 1)  # longest text in bytes, for DBF field widths
    records = []
    for row, geom in zip(rows, gdf.geometry, strict=True):
        props = {}
        for c in columns:
            value = as_type(row[c], types[c])
            if kml and isinstance(value, str):
                value = export_kml.xml_text(value)
            if text_byte_limit and isinstance(value, str):
                cut = cut_utf8(value, text_byte_limit)
                if cut != value:
                    truncated[c] = truncated.get(c, 0) + 1
                value = cut
                widths[c] = max(widths[c], len(value.encode("utf-8")))
            props[fields[c]] = value
        records.append(Feature.from_dict({"type": "Feature", "geometry": _geojson(geom, geom_type),
                                          "properties": props}))

    dbf_widths = {"int": "int:20", "int32": "int32:11"}  # DBF numbers: room for every digit and the sign
    schema_props = {
        fields[c]: f"str:{widths[c]}" if types[c] == "str" and text_byte_limit
        else dbf_widths.get(types[c], types[c]) if text_byte_limit else types[c]
        for c in columns
    }
    schema = {"geometry": geom_type, "properties": schema_props}
    return Prepared(schema, records, fields, types, truncated)


def _geojson(geom: Any, geom_type: str) -> dict[str, Any] | None:
    if geom is None or geom.is_empty:
        return None
    gj = dict(mapping(rfc7946(geom)))
    if geom_type == "MultiPoint" and gj["type"] == "Point":
        gj = {"type": "MultiPoint", "coordinates": [gj["coordinates"]]}
    return gj
