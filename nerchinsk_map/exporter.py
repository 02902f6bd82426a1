"""Export layers for other GIS software with fiona: GeoJSON, GeoPackage, Shapefile, KML, FGB.

Every export is staged in a hidden folder inside the output folder and moved into place only
when every file has been written, so a failure leaves earlier output untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from . import export_metadata as meta
from .catalog import Catalog, default_catalog
from .errors import NerchinskMapError
from .export_kml import add_time_primitives
from .export_records import Prepared, prepare
from .layers import WGS84, load_layer


class ExportError(NerchinskMapError):
    """An export that cannot be done: bad format, bad layer, or a writer failure."""


class UnknownFormatError(ExportError):
    """A format id that :data:`FORMATS` does not list."""


@dataclass(frozen=True)
class Format:
    """One output format: its fiona driver, file suffix and how layers map to files."""

    id: str
    title: str
    driver: str
    suffix: str
    single_file: bool  # True: every layer in one file (a table each); False: one file per layer
    options: Mapping[str, str] = field(default_factory=dict)  # GDAL creation options
    describe: tuple[str | None, str | None] | None = None  # options for its title, description
    field_limit: int | None = None  # longest field name
    text_byte_limit: int | None = None  # longest text value, in bytes
    kml: bool = False  # placemark name and description from the name/description fields
    encoding: str | None = None
    unlisted: bool = False  # GDAL has the driver but fiona.supported_drivers does not list it


FORMATS: dict[str, Format] = {
    f.id: f
    for f in (
        Format("geojson", "GeoJSON", "GeoJSON", ".geojson", False,
               options={"AUTODETECT_JSON_STRINGS": "NO"},  # nested values stay JSON text
               describe=(None, "DESCRIPTION")),
        Format("gpkg", "GeoPackage", "GPKG", ".gpkg", True, describe=("IDENTIFIER", "DESCRIPTION")),
        Format("shp", "ESRI Shapefile", "ESRI Shapefile", ".shp", False,
               field_limit=10, text_byte_limit=254, encoding="utf-8"),
        Format("kml", "KML (Google Earth)", "KML", ".kml", False,
               options={"NameField": "name", "DescriptionField": "description"}, kml=True,
               unlisted=True),
        Format("fgb", "FlatGeobuf", "FlatGeobuf", ".fgb", False,
               options={"SPATIAL_INDEX": "NO"},  # keeps the features in catalog order
               describe=("TITLE", "DESCRIPTION")),
    )
}
BUNDLE_STEM = "nerchinsk"  # the single-file formats write nerchinsk.gpkg
LAYER_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def get_format(fmt: str) -> Format:
    """The :class:`Format` for an id such as ``gpkg``; :class:`UnknownFormatError` otherwise."""
    try:
        return FORMATS[str(fmt).strip().lower()]
    except KeyError:
        raise UnknownFormatError(
            f"unknown export format '{fmt}' (choose one of: {', '.join(FORMATS)})"
        ) from None


def output_name(spec: Format, layer_id: str) -> str:
    """The file a layer goes into: ``<layer>.<suffix>``, or the one bundle file."""
    return f"{BUNDLE_STEM if spec.single_file else layer_id}{spec.suffix}"


def _frames(
    layers: list[str] | Mapping[str, gpd.GeoDataFrame] | str, catalog: Catalog
) -> dict[str, gpd.GeoDataFrame]:
    if isinstance(layers, str):
        layers = [layers]
    if isinstance(layers, Mapping):
        ids, given = list(layers), dict(layers)
    else:
        ids, given = list(layers), {}
        for layer_id in ids:
            catalog[layer_id]  # unknown ids fail here, before any work
    if not ids:
        raise ExportError("no layers to export")
    for layer_id in ids:
        if not LAYER_ID.match(str(layer_id)):
            raise ExportError(
                f"layer id '{layer_id}' is not usable as a file name (use A-Z, 0-9, _ and -)"
            )
    if len(set(ids)) != len(ids):
        raise ExportError(f"a layer is listed twice: {', '.join(ids)}")
    frames = {}
    for layer_id in ids:
        gdf = given[layer_id] if layer_id in given else load_layer(layer_id, catalog)
        if not isinstance(gdf, gpd.GeoDataFrame):
            raise ExportError(f"layer '{layer_id}' is a {type(gdf).__name__}, not a GeoDataFrame")
        if gdf.crs is None:
            raise ExportError(f"layer '{layer_id}' has no CRS; set one with gdf.set_crs(...)")
        frames[layer_id] = gdf if gdf.crs.to_epsg() == 4326 else gdf.to_crs(WGS84)
    return frames


def write_layer(
    path: Path, layer_id: str, gdf: gpd.GeoDataFrame, spec: Format, title: str, description: str
) -> Prepared:
    """Write one layer (all properties, full precision, EPSG:4326) to ``path`` with fiona."""
    try:
        prepared = prepare(gdf, field_limit=spec.field_limit,
                           text_byte_limit=spec.text_byte_limit, kml=spec.kml)
    except ValueError as exc:
        raise ExportError(f"layer '{layer_id}': {exc}") from None
    options = dict(spec.options)
    if spec.describe:
        for key, value in zip(spec.describe, (title, description), strict=True):
            if key and value:
                options[key] = value
    import fiona  # imported when writing: fiona costs ~40 ms, and most uses never export
    from fiona.errors import FionaError

    try:
        with fiona.open(
            path, "w", driver=spec.driver, schema=prepared.schema, crs=WGS84, layer=layer_id,
            encoding=spec.encoding, allow_unsupported_drivers=spec.unlisted, **options,
        ) as dst:
            dst.writerecords(prepared.records)
    except FionaError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExportError(f"layer '{layer_id}': cannot write {spec.title} ({reason})") from None
    if spec.kml:  # Google Earth's time slider: <TimeSpan>/<TimeStamp> from the dates
        add_time_primitives(path, gdf)
    return prepared


def _unique_titles(frames: dict[str, gpd.GeoDataFrame], catalog: Catalog) -> dict[str, str]:
    """Layer titles (GeoPackage needs them unique; ids stand in for repeats)."""
    titles = {i: catalog[i].title if i in catalog else i for i in frames}
    repeated = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    return {i: i if t in repeated else t for i, t in titles.items()}


def _write_field_mapping(staging: Path, layer_id: str, prepared: Prepared, entry: dict) -> str:
    """Write ``<layer>.fields.csv`` (property -> shapefile field) and note it in ``entry``."""
    name = f"{layer_id}.fields.csv"
    text = meta.fields_csv(prepared.fields, prepared.types, prepared.truncated)
    (staging / name).write_text(text, encoding="utf-8")
    entry["shapefile_fields"] = prepared.fields
    if prepared.truncated:
        entry["shapefile_values_cut"] = prepared.truncated
    return name


def _stage(
    frames: dict[str, gpd.GeoDataFrame], spec: Format, staging: Path, catalog: Catalog,
    previous: dict,
) -> list[str]:
    """Write every layer and the metadata into ``staging``; return the file names in order."""
    names: list[str] = []
    entries = {}
    cut: dict[str, int] = {}
    titles = _unique_titles(frames, catalog)
    for layer_id, gdf in frames.items():
        layer_spec = next((s for s in catalog.layers if s.id == layer_id), None)
        before = set(os.listdir(staging))
        prepared = write_layer(staging / output_name(spec, layer_id), layer_id, gdf, spec,
                               titles[layer_id], layer_spec.description if layer_spec else "")
        files = sorted(set(os.listdir(staging)) - before)
        entry = meta.layer_entry(layer_id, layer_spec)
        if spec.field_limit:
            files.append(_write_field_mapping(staging, layer_id, prepared, entry))
            if prepared.truncated:
                cut[layer_id] = sum(prepared.truncated.values())
        where = f"{output_name(spec, layer_id)} (table {layer_id})" if spec.single_file else files
        entry["files"] = {spec.id: where}
        entries[layer_id] = entry
        names.extend(f for f in files if f not in names)
    fmt_entry = {"id": spec.id, "format": spec.title, "driver": spec.driver, "files": names,
                 "layers": list(frames)}
    if cut:
        fmt_entry["note"] = (f"text values longer than {spec.text_byte_limit} bytes are cut to fit "
                             "the DBF format (counted in <layer>.fields.csv); the other formats "
                             "keep them whole")
        warnings.warn(f"shapefile: {sum(cut.values())} text value(s) longer than "
                      f"{spec.text_byte_limit} bytes were cut to fit the DBF format in "
                      f"{', '.join(cut)}; the other formats keep the full text", stacklevel=3)
    metadata = meta.merge(previous, catalog.title, fmt_entry, entries, spec.single_file)
    (staging / meta.METADATA_NAME).write_text(meta.dumps(metadata), encoding="utf-8")
    return [*names, meta.METADATA_NAME]


def export(
    layers: list[str] | Mapping[str, gpd.GeoDataFrame] | str,
    fmt: str,
    path: str | os.PathLike[str],
    catalog: Catalog | None = None,
) -> list[Path]:
    """Export layers into the folder ``path``; return the files written.

    ``layers`` is a list of catalog ids or a dict ``{id: GeoDataFrame}`` (a user's own layers
    too). ``fmt`` is a key of :data:`FORMATS`. Beside the data goes ``METADATA.json`` naming each
    layer's title, description, sources and licences (and, for shapefiles, a
    ``<layer>.fields.csv`` that maps each property to its 10-character field name).
    """
    spec = get_format(fmt)
    catalog = catalog or default_catalog()
    frames = _frames(layers, catalog)
    out_dir = Path(path)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir}: exists and is not a folder")
    try:
        previous = meta.read_previous(out_dir)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".nerchinsk-export-", dir=out_dir))
    try:
        names = _stage(frames, spec, staging, catalog, previous)
        for name in names:  # only renames from here on: the old files stay until now
            os.replace(staging / name, out_dir / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in names]


def export_layers(
    layer_ids: list[str] | None,
    fmt: str,
    out_dir: str | os.PathLike[str],
    catalog: Catalog | None = None,
) -> list[Path]:
    """Export catalog layers (every layer when ``layer_ids`` is None) into ``out_dir``."""
    catalog = catalog or default_catalog()
    get_format(fmt)  # a bad format fails before any layer is read
    ids = catalog.ids() if layer_ids is None else list(layer_ids)
    return export(ids, fmt, out_dir, catalog=catalog)
