"""Export layers for other GIS software.

GeoJSON, GeoPackage, Shapefile, KML, FlatGeobuf (with fiona), GeoParquet (with geopandas) and the
Linked Places Format for gazetteers.

Every export is staged in a hidden folder inside the output folder and moved into place only
when every file has been written, so a failure leaves earlier output untouched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..data.catalog import Catalog, default_catalog
from ..data.layers import WGS84, load_layer
from ..errors import NerchinskMapError
from ..files.geojson import rfc7946
from . import metadata as meta
from .records import Prepared, prepare


class ExportError(NerchinskMapError):
    """An export that cannot be done: a bad format, a bad layer or a writer failure.

    Examples
    --------
    >>> import nerchinsk_map as nm
    >>> issubclass(nm.ExportError, nm.NerchinskMapError)
    True
    """


class UnknownFormatError(ExportError):
    """A format id that :data:`FORMATS` does not list.

    Examples
    --------
    >>> import tempfile
    >>> import nerchinsk_map as nm
    >>> nm.export(["places"], "dxf", tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    nerchinsk_map...UnknownFormatError: unknown export format 'dxf' (choose one of: geojson, gpkg, shp, kml, fgb, parquet, qgis, lpf)
    """


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
    kml: bool = False  # placemark name, description and time; sanitised field names
    encoding: str | None = None
    unlisted: bool = False  # GDAL has the driver but fiona.supported_drivers does not list it
    writer: str = "fiona"  # "fiona" (GDAL), "geoparquet" (geopandas and pyarrow) or "lpf"
    styles: bool = False  # GeoPackage: each catalog layer's QML and SLD in layer_styles
    project: bool = False  # and a QGIS project (.qgz) beside it


FORMATS: dict[str, Format] = {
    f.id: f
    for f in (
        Format("geojson", "GeoJSON", "GeoJSON", ".geojson", False,
               # RFC 7946: no crs member, right-hand winding; nested values stay JSON text;
               # 15 decimals keep full precision (RFC 7946 mode would round to 7)
               options={"RFC7946": "YES", "COORDINATE_PRECISION": "15",
                        "AUTODETECT_JSON_STRINGS": "NO"},
               describe=(None, "DESCRIPTION")),
        Format("gpkg", "GeoPackage", "GPKG", ".gpkg", True, describe=("IDENTIFIER", "DESCRIPTION"),
               styles=True),
        Format("shp", "ESRI Shapefile", "ESRI Shapefile", ".shp", False,
               field_limit=10, text_byte_limit=254, encoding="utf-8"),
        Format("kml", "KML (Google Earth)", "KML", ".kml", False,
               options={"NameField": "name", "DescriptionField": "description"}, kml=True,
               unlisted=True),
        Format("fgb", "FlatGeobuf", "FlatGeobuf", ".fgb", False,
               # the packed Hilbert R-tree (features are stored in its order, not the catalog's)
               options={"SPATIAL_INDEX": "YES"},
               describe=("TITLE", "DESCRIPTION")),
        # GeoParquet 1.1 (geopandas and pyarrow; GDAL reads it where built with Parquet)
        Format("parquet", "GeoParquet", "Parquet", ".parquet", False, writer="geoparquet"),
        # the GeoPackage (styled) and a QGIS project that opens it as the map is designed
        Format("qgis", "QGIS project", "GPKG", ".gpkg", True,
               describe=("IDENTIFIER", "DESCRIPTION"), styles=True, project=True),
        # Linked Places Format 1.2.2 (JSON-LD), the World Historical Gazetteer's contribution format
        Format("lpf", "Linked Places Format (JSON-LD)", "", ".jsonld", False, writer="lpf"),
    )
}
BUNDLE_STEM = "nerchinsk"  # the single-file formats write nerchinsk.gpkg (and nerchinsk.qgz)
# table names SQLite and GeoPackage keep for themselves (sqlite_master, gpkg_contents, rtree_...)
RESERVED_TABLE_PREFIXES = ("sqlite_", "gpkg_", "rtree_")
RESERVED_TABLES = frozenset({"layer_styles", "qgis_projects"})
LAYER_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def get_format(fmt: str) -> Format:
    """The :class:`Format` for an id such as ``gpkg``; :class:`UnknownFormatError` otherwise."""
    try:
        return FORMATS[str(fmt).strip().lower()]
    except KeyError:
        raise UnknownFormatError(
            f"unknown export format '{fmt}' (choose one of: {', '.join(FORMATS)})"
        ) from None


def table_name(spec: Format, layer_id: str) -> str:
    """The layer's table in a single-file format: its id, unless SQLite or GeoPackage reserve it.

    A reserved name (``sqlite_...``, ``gpkg_...``, ``rtree_...``, ``layer_styles``) becomes
    ``layer_<id>``.

    Examples
    --------
    >>> table_name(FORMATS["gpkg"], "sqlite_master"), table_name(FORMATS["gpkg"], "forts")
    ('layer_sqlite_master', 'forts')
    """
    lower = layer_id.lower()
    if spec.single_file and (lower.startswith(RESERVED_TABLE_PREFIXES) or lower in RESERVED_TABLES):
        return f"layer_{layer_id}"
    return layer_id


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
    path: Path, layer_id: str, gdf: gpd.GeoDataFrame, spec: Format, title: str, description: str,
    instant: bool = False,
) -> Prepared:
    """Write one layer (all properties, full precision, EPSG:4326) to ``path`` with fiona.

    ``instant``: the layer's features are events, so in KML one date is a ``TimeStamp``.
    """
    try:
        prepared = prepare(gdf, field_limit=spec.field_limit,
                           text_byte_limit=spec.text_byte_limit, kml=spec.kml,
                           fold_case=spec.driver == "GPKG")
    except ValueError as exc:
        raise ExportError(f"layer '{layer_id}': {exc}") from None
    if spec.writer == "lpf":
        from . import lpf as export_lpf  # lazy: only for the Linked Places Format

        try:
            export_lpf.write(path, layer_id, gdf, title, description)
        except (OSError, ValueError) as exc:
            raise ExportError(f"layer '{layer_id}': cannot write {spec.title} ({exc})") from None
        return prepared
    if spec.writer == "geoparquet":
        try:
            write_geoparquet(path, prepared, gdf, {"layer_id": layer_id, "title": title,
                                                   "description": description})
        except (OSError, ValueError, ImportError) as exc:
            raise ExportError(f"layer '{layer_id}': cannot write {spec.title} ({exc})") from None
        return prepared
    options = dict(spec.options)
    if spec.describe:
        for key, value in zip(spec.describe, (title, description), strict=True):
            if key and value:
                options[key] = value
    import fiona  # imported when writing: fiona costs ~40 ms, and most uses never export
    from fiona.errors import FionaError

    try:
        with fiona.open(
            path, "w", driver=spec.driver, schema=prepared.schema, crs=WGS84, layer=table_name(spec, layer_id),
            encoding=spec.encoding, allow_unsupported_drivers=spec.unlisted, **options,
        ) as dst:
            dst.writerecords(prepared.records)
    except FionaError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExportError(f"layer '{layer_id}': cannot write {spec.title} ({reason})") from None
    if spec.field_limit:  # the names GDAL wrote (it launders some characters): the map tells those
        import pyogrio

        written = [str(f) for f in pyogrio.read_info(path)["fields"]]
        if len(written) == len(prepared.fields):
            prepared.fields = dict(zip(prepared.fields, written, strict=True))
    if spec.kml:
        from . import kml as export_kml  # lazy: the dates' EDTF grammar and babel only for KML

        columns = [c for c in ("start_date", "end_date", "start_edtf") if c in gdf]
        rows = gdf[columns].to_dict("records")
        export_kml.add_times(path, [export_kml.feature_time(props, instant) for props in rows])
        unread = export_kml.unread_dates(rows)
        if unread:
            warnings.warn(f"kml: layer '{layer_id}': {len(unread)} date(s) that are not valid dates (first: "
                          f"{unread[0]!r}) are left out of the placemarks' times", stacklevel=3)
    return prepared


PANDAS_TYPES = {"bool": "boolean", "int32": "Int32", "int": "Int64", "float": "float64",
                "str": "string"}


def write_geoparquet(
    path: Path, prepared: Prepared, gdf: gpd.GeoDataFrame, attrs: dict[str, str]
) -> None:
    """Write a prepared layer as GeoParquet 1.1.

    Typed columns (nested values as JSON text), WKB geometry with its CRS (PROJJSON) and a
    ``bbox`` covering column, zstd-compressed.
    """
    columns = {
        prepared.fields[c]: pd.array([r.properties[prepared.fields[c]] for r in prepared.records],
                                     dtype=PANDAS_TYPES[t])
        for c, t in prepared.types.items()
    }
    frame = gpd.GeoDataFrame(columns, geometry=[rfc7946(g) for g in gdf.geometry], crs=WGS84)
    frame.attrs = dict(attrs)
    frame.to_parquet(path, index=False, schema_version="1.1.0", write_covering_bbox=True,
                     compression="zstd")


FOCUS_LAYER = "treaty_1689"  # the QGIS project opens on the 1689 line


def project_extent(frames: Mapping[str, gpd.GeoDataFrame]) -> tuple[float, float, float, float]:
    """The extent a QGIS project opens on, in degrees.

    The 1689 line's bounds (all layers' where it is not exported) with a tenth of its size around
    it.
    """
    shown = [frames[FOCUS_LAYER]] if FOCUS_LAYER in frames else list(frames.values())
    bounds = pd.DataFrame([gdf.total_bounds for gdf in shown if not gdf.empty],
                          columns=["minx", "miny", "maxx", "maxy"])
    if bounds.empty:
        raise ExportError("no features to set the QGIS project's extent from")
    from . import (
        qgis as export_qgis,  # lazy: lxml and matplotlib only for the QGIS styles and project
    )

    return export_qgis.view_extent((bounds.minx.min(), bounds.miny.min(), bounds.maxx.max(),
                                    bounds.maxy.max()))


def _unique_titles(frames: dict[str, gpd.GeoDataFrame], catalog: Catalog) -> dict[str, str]:
    """Layer titles (GeoPackage needs them unique; ids stand in for repeats)."""
    titles = {i: catalog[i].title if i in catalog else i for i in frames}
    repeated = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    return {i: i if t in repeated else t for i, t in titles.items()}


def _write_field_mapping(
    staging: Path, layer_id: str, prepared: Prepared, entry: dict, spec: Format
) -> str:
    """Write the field map (property -> field name in the file) and note it in ``entry``.

    ``<layer>.fields.csv`` for shapefiles, ``<layer>.kml-fields.csv`` for KML.
    """
    name = f"{layer_id}.kml-fields.csv" if spec.kml else f"{layer_id}.fields.csv"
    text = meta.fields_csv(prepared.fields, prepared.types, prepared.truncated)
    (staging / name).write_text(text, encoding="utf-8")
    entry["kml_fields" if spec.kml else "shapefile_fields"] = prepared.fields
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
                               titles[layer_id], layer_spec.description if layer_spec else "",
                               instant=bool(layer_spec and layer_spec.extra.get("show_years")))
        files = sorted(set(os.listdir(staging)) - before)
        entry = meta.layer_entry(layer_id, layer_spec)
        if spec.field_limit or spec.kml:
            files.append(_write_field_mapping(staging, layer_id, prepared, entry, spec))
            if prepared.truncated:
                cut[layer_id] = sum(prepared.truncated.values())
        where = f"{output_name(spec, layer_id)} (table {table_name(spec, layer_id)})" if spec.single_file else files
        renamed = {k: v for k, v in prepared.fields.items() if k != v}
        if renamed and not (spec.field_limit or spec.kml):
            entry["renamed_fields"] = renamed
            warnings.warn(f"{spec.id}: layer '{layer_id}': columns that differ only in case renamed: "
                          + ", ".join(f"{k!r} as {v!r}" for k, v in renamed.items()), stacklevel=3)
        entry["files"] = {spec.id: where}
        entries[layer_id] = entry
        names.extend(f for f in files if f not in names)
    styled = [s for s in catalog.layers if s.id in frames]
    if spec.styles or spec.project:
        from . import (
            qgis as export_qgis,  # lazy: lxml and matplotlib only for the QGIS styles and project
        )
        from .styles import category_labels  # lazy, as above
    try:
        labels = {s.id: category_labels(s, frames[s.id]) for s in styled} if spec.styles else {}
        if spec.styles and styled:
            export_qgis.add_layer_styles(staging / f"{BUNDLE_STEM}{spec.suffix}", styled, labels)
        if spec.project:
            project = f"{BUNDLE_STEM}.qgz"
            export_qgis.write_project(staging / project, f"{BUNDLE_STEM}{spec.suffix}", styled,
                                      catalog.title, labels, project_extent(frames))
            names.append(project)
    except (ValueError, TypeError, KeyError) as exc:  # a catalog style that is not usable
        raise ExportError(f"cannot write the layer styles: {exc}") from None
    fmt_entry = {"id": spec.id, "format": spec.title, "driver": spec.driver, "files": names,
                 "layers": list(frames)}
    if spec.styles and styled:
        fmt_entry["styles"] = ("table layer_styles: each catalog layer's style as QML (QGIS) and "
                               "SLD, its default style")
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
    """Export layers into a folder; return the files written.

    The export is written to a hidden folder and moved into place only when complete, so a
    failure leaves earlier files untouched. Beside the data goes ``METADATA.json`` naming each
    layer's title, description, sources and licences (and, for shapefiles, a
    ``<layer>.fields.csv`` that maps each property to its 10-character field name).

    Parameters
    ----------
    layers : list of str, dict of str to GeoDataFrame, or str
        Catalog ids, one id, or ``{id: GeoDataFrame}`` (a user's own layers too).
    fmt : str
        A key of :data:`FORMATS`: ``geojson``, ``gpkg``, ``shp``, ``kml``, ``fgb``, ``parquet``
        or ``qgis``.
    path : str or os.PathLike
        The folder to write into (made if missing).
    catalog : Catalog, optional
        The catalog the ids refer to (default: the shipped one).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    ExportError
        An unknown format or layer, or a writer failure (one line).

    Examples
    --------
    >>> import tempfile
    >>> import nerchinsk_map as nm
    >>> files = nm.export(["treaty_1689", "places"], "geojson", tempfile.mkdtemp())
    >>> sorted(f.name for f in files)
    ['METADATA.json', 'places.geojson', 'treaty_1689.geojson']
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
    with _folder_lock(out_dir):  # two exports into one folder at once: one after the other
        try:
            previous = meta.read_previous(out_dir)  # again: another export may have just written
        except ValueError as exc:
            raise ExportError(str(exc)) from None
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


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file is left behind).

    Where the system has no ``flock`` the export runs unlocked.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def export_layers(
    layer_ids: list[str] | None,
    fmt: str,
    out_dir: str | os.PathLike[str],
    catalog: Catalog | None = None,
) -> list[Path]:
    """Export catalog layers (every layer when ``layer_ids`` is None) into a folder.

    Parameters
    ----------
    layer_ids : list of str or None
        Catalog ids; None exports every layer.
    fmt : str
        A key of :data:`FORMATS`.
    out_dir : str or os.PathLike
        The folder to write into.
    catalog : Catalog, optional
        The catalog (default: the shipped one).

    Returns
    -------
    list of pathlib.Path
        The files written.

    See Also
    --------
    export : the same for a dict of GeoDataFrames too.

    Examples
    --------
    >>> import tempfile
    >>> import nerchinsk_map as nm
    >>> files = nm.export_layers(["places"], "gpkg", tempfile.mkdtemp())
    >>> sorted(f.name for f in files)
    ['METADATA.json', 'nerchinsk.gpkg']
    """
    catalog = catalog or default_catalog()
    get_format(fmt)  # a bad format fails before any layer is read
    ids = catalog.ids() if layer_ids is None else list(layer_ids)
    return export(ids, fmt, out_dir, catalog=catalog)
