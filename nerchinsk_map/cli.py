"""Command line: ``nerchinsk-map build | layers | data rebuild``."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .data.catalog import default_catalog, read_catalog
from .errors import NerchinskMapError, OutputError
from .files.atomic import output_file, output_folder

PROG = "nerchinsk-map"


def _catalog(args: argparse.Namespace):
    """The shipped catalog, with a user's catalog (``--catalog``) added to it."""
    catalog = default_catalog()
    if getattr(args, "catalog", None):
        catalog = catalog.merged(read_catalog(args.catalog, allow_outside=args.allow_outside_files))
    return catalog


def _layer_ids(value: str | None) -> list[str] | None:
    """``--layers a,b``: the ids, or None (every layer) when the option is not given."""
    if value is None:
        return None
    ids = [i.strip() for i in value.split(",") if i.strip()]
    if not ids:
        raise NerchinskMapError(f"--layers {value!r}: no layer ids given (e.g. --layers places,rivers; "
                                "leave the option out for every layer)")
    return ids


def _check_year(catalog, year: int | None) -> None:
    """A ``--year`` must lie in the catalog's time range."""
    low, high = catalog.time.get("min"), catalog.time.get("max")
    if year is not None and low is not None and high is not None and not low <= year <= high:
        raise NerchinskMapError(f"--year {year} is outside the map's time range ({low}–{high})")


def cmd_build(args: argparse.Namespace) -> int:
    from .web import build_map, write_map  # lazy: a command's wing loads only when it runs

    output_file(args.output)  # a device, FIFO, socket or folder is refused before any work
    ids = _layer_ids(args.layers)
    catalog = _catalog(args)
    stories = list(args.story or ())
    for story in stories:  # a bad story file fails here, naming its step and field, before any work
        from .web.stories import load_story  # lazy: a command's wing loads only when it runs

        load_story(story)
    extra = [*(args.add_layer or ()), *_reading_layers(args.reading or ())]
    m = build_map(ids, catalog=catalog, year=args.year, extra_layers=extra, lang=args.lang, stories=stories)
    path = write_map(args.output, m)
    print(f"Wrote the map to {path.resolve()}  (open it in a browser; it works offline)")
    return 0


def _reading_layers(sources: Sequence[str]) -> list:
    """Each reading (shipped id or file) compiled into a map layer of its clauses."""
    from .readings.layer import map_frame  # lazy: a command's wing loads only when it runs

    return [map_frame(source) for source in sources]


def cmd_reading_list(args: argparse.Namespace) -> int:
    import json

    from .readings import summary  # lazy: a command's wing loads only when it runs

    rows = summary()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        print(f"{r['id']:<{width}}  {r['year']}  {r['treaty']}: {r['title']}")
        print(f"{'':<{width}}        source: {r['source']}")
    return 0


def cmd_reading_build(args: argparse.Namespace) -> int:
    from .files import geojson  # lazy: a command's wing loads only when it runs
    from .readings import compile_reading  # lazy: a command's wing loads only when it runs

    compiled = compile_reading(args.reading)
    out = args.output or Path(f"{compiled['reading'].iloc[0]}.geojson")
    geojson.write(compiled, out, 6)
    print(f"Wrote {len(compiled)} clauses ({compiled['length_km'].sum():,.1f} km) to {Path(out).resolve()}")
    return 0


def cmd_reading_compare(args: argparse.Namespace) -> int:
    import json

    from .readings import compare  # lazy: a command's wing loads only when it runs

    result = compare(args.a, args.b)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    diff = result["length_differing_km"]
    print(f"{result['a']} vs {result['b']}")
    area = result["area_between_km2"]
    print(f"  area between the lines: {'not reported' if area is None else f'{area:,} km²'} (geodesic)")
    print(f"  line that differs: {diff['a']:,} km of {result['a']}, {diff['b']:,} km of {result['b']}")
    print(f"  largest distance between them (over the stretch compared): {result['max_distance_km']:,} km")
    places = result["places_changing_side"]
    print(f"  modern places that change side: {len(places)}")
    for p in places:
        print(f"    {p['name']} ({p['country']}, {p['lat']} N {p['lon']} E)")
    for note in result["notes"]:
        print(f"  note: {note}")
    return 0


def cmd_layers(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    width = max(len(i) for i in catalog.ids())
    for layer in catalog.layers:
        dates = ""
        if layer.start_date or layer.end_date:
            dates = f"  [{layer.start_date or '…'} – {layer.end_date or '…'}]"
        print(f"{layer.id:<{width}}  {layer.geometry:<7}  {layer.group}: {layer.title}{dates}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .exports.exporter import export_layers  # lazy: a command's wing loads only when it runs

    output_folder(args.output)
    catalog = _catalog(args)
    try:
        written = export_layers(args.layers or None, args.format, args.output, catalog=catalog)
    except OSError as exc:  # a write failing part-way (full disk, permissions): name the folder
        if exc.filename is None or args.output.resolve() not in (Path(exc.filename).resolve(), *Path(exc.filename).resolve().parents):
            raise
        raise OutputError(f"{args.output}: cannot be written ({exc.strerror or exc}); "
                          "earlier files there are unchanged") from None
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_figure(args: argparse.Namespace) -> int:
    from .figure import write_figure  # lazy: a command's wing loads only when it runs

    output_file(args.output)
    ids = _layer_ids(args.layers)
    catalog = _catalog(args)
    _check_year(catalog, args.year)
    extent = None
    if args.extent:
        try:
            extent = tuple(float(v) for v in args.extent.split(","))
        except ValueError:
            extent = ()
        if len(extent) != 4:
            raise NerchinskMapError(f"--extent {args.extent!r}: expected W,S,E,N in degrees, e.g. 115,48,142,58")
    path = write_figure(args.output, layer_ids=ids, year=args.year, lang=args.lang, extent=extent,
                        dpi=args.dpi, catalog=catalog)
    print(f"Wrote the figure to {Path(path).resolve()}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .data.validate import validate  # lazy: a command's wing loads only when it runs

    problems = validate(args.catalog, allow_outside=args.allow_outside_files, fresh=args.fresh)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    checked = read_catalog(args.catalog, allow_outside=args.allow_outside_files) if args.catalog else default_catalog()
    print(f"ok: {len(checked.layers)} layers checked (schema, CRS, geometry, provenance, topology, translations)")
    return 0


def cmd_data_rebuild(args: argparse.Namespace) -> int:
    from .pipeline.rebuild import rebuild  # lazy: a command's wing loads only when it runs

    written = rebuild(args.data_dir, args.output_dir)
    for path in written:
        print(f"wrote {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="The 1689 Treaty of Nerchinsk as GIS layers and an offline map.")
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="write the interactive HTML map")
    b.add_argument("--output", "-o", type=Path, default=Path("nerchinsk_map.html"), help="HTML file to write (default: nerchinsk_map.html)")
    b.add_argument("--layers", help="comma-separated layer ids (default: every catalog layer)")
    b.add_argument("--catalog", type=Path, help="add the layers of your own catalog.json")
    b.add_argument("--allow-outside-files", action="store_true",
                   help="let the catalog name files outside its folder (absolute paths, ..)")
    b.add_argument("--add-layer", type=Path, action="append", metavar="FILE",
                   help="add your own GeoJSON, GeoPackage or Shapefile as a layer (repeatable)")
    b.add_argument("--year", type=int, help="the year the time control opens at (default 1689)")
    b.add_argument("--lang", default="en", help="the language the map opens in: en, ru or zh (default en)")
    b.add_argument("--reading", action="append", metavar="ID_OR_FILE",
                   help="add a reading (a shipped id or your own reading file) as a layer (repeatable)")
    b.add_argument("--story", type=Path, action="append", metavar="FILE",
                   help="add your own guided story (JSON, schema: geodata/stories/story.schema.json) (repeatable)")
    b.set_defaults(func=cmd_build)

    ls = sub.add_parser("layers", help="list the catalog's layers")
    ls.add_argument("--catalog", type=Path, help="add the layers of your own catalog.json")
    ls.add_argument("--allow-outside-files", action="store_true",
                    help="let the catalog name files outside its folder (absolute paths, ..)")
    ls.set_defaults(func=cmd_layers)

    e = sub.add_parser("export", help="write layers for another GIS (GeoJSON, GeoPackage, Shapefile, KML, FlatGeobuf, GeoParquet)")
    e.add_argument("--format", "-f", required=True, help="geojson, gpkg, shp, kml, fgb, parquet, qgis (a styled GeoPackage and a .qgz project) or lpf (Linked Places Format, JSON-LD, for the World Historical Gazetteer)")
    e.add_argument("--output", "-o", type=Path, required=True, help="folder to write into")
    e.add_argument("layers", nargs="*", metavar="LAYER_ID", help="layers to export (default: all)")
    e.add_argument("--catalog", type=Path, help="add the layers of your own catalog.json")
    e.add_argument("--allow-outside-files", action="store_true",
                   help="let the catalog name files outside its folder (absolute paths, ..)")
    e.set_defaults(func=cmd_export)

    f = sub.add_parser("figure", help="write a print-ready figure (PNG, SVG or PDF, from the file's suffix)")
    f.add_argument("--output", "-o", type=Path, required=True, help="figure file: .png, .svg or .pdf")
    f.add_argument("--layers", help="comma-separated layer ids (default: the catalog's figure layers)")
    f.add_argument("--year", type=int, help="draw the borders of this year (default 1689)")
    f.add_argument("--lang", default="en", help="label language: en, ru or zh (default en)")
    f.add_argument("--extent", help="W,S,E,N in degrees (default: the treaty region)")
    f.add_argument("--dpi", type=int, default=300, help="resolution of a PNG (default 300)")
    f.add_argument("--catalog", type=Path, help="add the layers of your own catalog.json")
    f.add_argument("--allow-outside-files", action="store_true",
                   help="let the catalog name files outside its folder (absolute paths, ..)")
    f.set_defaults(func=cmd_figure)

    rd = sub.add_parser("reading", help="compile and compare readings of treaty texts")
    rsub = rd.add_subparsers(dest="reading_command", required=True, metavar="ACTION")
    rl = rsub.add_parser("list", help="the shipped readings: id, title, treaty, year, source")
    rl.add_argument("--json", action="store_true", help="print a JSON list of objects")
    rl.set_defaults(func=cmd_reading_list)
    rb = rsub.add_parser("build", help="compile a reading into GeoJSON, one feature per clause")
    rb.add_argument("reading", metavar="ID_OR_FILE", help="a shipped reading id or a reading file (.json)")
    rb.add_argument("--output", "-o", type=Path, help="GeoJSON file to write (default: ID.geojson)")
    rb.set_defaults(func=cmd_reading_build)
    rc = rsub.add_parser("compare", help="where and how much two readings differ")
    rc.add_argument("a", metavar="A", help="a shipped reading id or a reading file")
    rc.add_argument("b", metavar="B", help="a shipped reading id or a reading file")
    rc.add_argument("--json", action="store_true", help="print the result as JSON")
    rc.set_defaults(func=cmd_reading_compare)

    v = sub.add_parser("validate", help="check the catalog and every layer; one line per problem, exit 1 if any")
    v.add_argument("--catalog", type=Path, help="check this catalog.json instead of the shipped one")
    v.add_argument("--allow-outside-files", action="store_true",
                   help="let the catalog name files outside its folder (absolute paths, ..)")
    v.add_argument("--fresh", action="store_true",
                   help="check the shipped catalog again even if the same files passed the same checks before")
    v.set_defaults(func=cmd_validate)

    d = sub.add_parser("data", help="derive geodata/ from the raw inputs")
    dsub = d.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    r = dsub.add_parser("rebuild", help="regenerate every layer file from shared/data and the control points")
    r.add_argument("--data-dir", type=Path, default=None, help="raw inputs (default: $NERCHINSK_SHARED_DATA, else the copy shipped in nerchinsk_map/rawdata)")
    r.add_argument("--output-dir", type=Path, default=None,
                   help="where to write the layer files (default: the geodata/ the map is built from)")
    r.set_defaults(func=cmd_data_rebuild)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; problems the user can fix exit 2 with one line on stderr."""
    args = parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = lambda message, *a, **k: print(f"{PROG}: note: {message}", file=sys.stderr)
        try:
            return args.func(args)
        except NerchinskMapError as exc:
            print(f"{PROG}: error: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"{PROG}: error: {exc.filename or ''}: {exc.strerror or exc}".replace(": : ", ": "), file=sys.stderr)
            return 2
        except RecursionError:  # a structure nested too deeply, wherever it was read
            print(f"{PROG}: error: an input is nested too deeply to be read", file=sys.stderr)
            return 2
        except KeyboardInterrupt:  # Ctrl-C: temporary files are already removed, outputs untouched
            print(f"{PROG}: interrupted", file=sys.stderr)
            return 130


if __name__ == "__main__":
    sys.exit(main())
