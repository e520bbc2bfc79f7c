"""geo: layered, date-filterable maps of conflict events along the Durand Line.

Commands: build (a map page or image), batch (one map per period), export (the filtered,
enriched events as GeoJSON, CSV or GeoParquet), validate, info, enrich, stats. Run
"geo COMMAND --help" for the options and an example of each.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo._errors import InputError, Problem, ValidationError, clear_reading, reading_now
from geo._io import DEFAULT_MAX_INPUT_MB, LIMITS
from geo._memory import give_back
from geo._progress import display, step, wanted
from geo._summary import summarise
from geo.context import SHIPPED, data_dir, shipped_path
from geo.schema import BELT_KM, BELT_RANGE_KM, GROUPS, PERIODS, check_belt_km

if TYPE_CHECKING:
    # pandas, geopandas, folium and matplotlib are imported by the commands that use them,
    # so that "geo --help" and a usage error answer at once
    import geopandas as gpd
    import pandas as pd
    from matplotlib.figure import Figure

    from geo.api import Prepared
    from geo.context import Context
    from geo.events import LoadReport
    from geo.render.static import ImageSize

DEFAULT_OUT = Path("maps") / "conflict_map.html"


#: One example per command, shown at the end of its --help.
EXAMPLES = {
    "build": "geo build --start 2025-10 --end 2025-10 --out maps/october.html --embed",
    "batch": "geo batch --period year --format html,png --out-dir maps/yearly",
    "export": "geo export --start 2025-10 --end 2025-10 --type Battles --out october.csv",
    "validate": "geo validate my_events.csv acled_export.csv --json",
    "info": "geo info data/events.geojson",
    "enrich": "geo enrich acled_export.csv --belt-km 30 --out enriched.geojson",
    "stats": "geo stats --by province --period year --format csv --out per_year.csv",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="geo", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="build the HTML map")
    b.add_argument(
        "--events", action="append", metavar="PATH", help="event file (GeoJSON or CSV); repeatable"
    )
    b.add_argument("--crossings", metavar="PATH", help="border crossings file")
    b.add_argument(
        "--choropleth",
        choices=["events", "fatalities", "none"],
        default="events",
        help="measure of the province choropleth layer (default: events)",
    )
    _filter_options(b, what="shown")
    b.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output file; its suffix picks the format: .html, .png, .svg or .pdf (default {DEFAULT_OUT})",
    )
    b.add_argument("--title", default="Durand Line conflict map")
    b.add_argument(
        "--description", help="line under the title (default: event count and date span)"
    )
    b.add_argument(
        "--cities", metavar="PATH", help="towns for the offline basemap (default: shipped)"
    )
    b.add_argument(
        "--cdn",
        action="store_true",
        help="link Leaflet from its CDN (smaller file, needs the network) instead of inlining it",
    )
    b.add_argument(  # inlining is the default now; old scripts keep working
        "--self-contained", action="store_true", help="the default; accepted for old scripts"
    )
    b.add_argument(
        "--embed",
        action="store_true",
        help="also write OUT.embed.html: a responsive iframe snippet to paste into a report",
    )
    _common(b)
    _context_options(b)
    _engine_options(b)
    _image_options(b)
    _batch_parser(sub)
    e = sub.add_parser("enrich", help="add border distance, side, belt and province; write GeoJSON")
    e.add_argument("paths", nargs="+", metavar="PATH")
    e.add_argument(
        "--out", type=Path, required=True, help="output: .geojson, .csv or .parquet (GeoParquet)"
    )
    _common(e)
    _context_options(e)
    _engine_options(e)
    s = sub.add_parser("stats", help="events and fatalities per group and period")
    s.add_argument(
        "paths", nargs="*", metavar="PATH", help="event files (default: the shipped events)"
    )
    s.add_argument(
        "--by", action="append", choices=GROUPS, help="group by; repeatable (default: province)"
    )
    s.add_argument("--period", choices=[*PERIODS, "none"], default="month")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.add_argument("--out", type=Path, help="write here instead of standard output")
    _common(s)
    _context_options(s)
    _engine_options(s)
    v = sub.add_parser("validate", help="check event files; exit 1 on any problem")
    v.add_argument("paths", nargs="+", metavar="PATH")
    v.add_argument("--json", action="store_true", help="print problems as JSON")
    v.add_argument("--crs", help="CRS of the coordinates (default: file's own, else EPSG:4326)")
    _problem_options(v)
    i = sub.add_parser("info", help="counts by type, province and year; date span; casualties")
    i.add_argument("paths", nargs="+", metavar="PATH")
    _common(i)
    _context_options(i)
    _export_parser(sub)
    for name, command in sub.choices.items():
        _robustness_options(command)
        if name in EXAMPLES:
            command.epilog = f"example:\n  {EXAMPLES[name]}"
            command.formatter_class = argparse.RawDescriptionHelpFormatter
    return p


def _version() -> str:
    from geo import __version__

    return __version__


def _filter_options(p: argparse.ArgumentParser, *, what: str) -> None:
    """The event filters build, batch and export share (the page offers the same ones)."""
    p.add_argument("--start", help=f"first day {what} (YYYY-MM-DD, YYYY-MM or YYYY)")
    p.add_argument("--end", help=f"last day {what}, inclusive")
    p.add_argument(
        "--province", action="append", default=[], help="keep only this province; repeatable"
    )
    p.add_argument(
        "--type",
        action="append",
        default=[],
        dest="types",
        help="keep only this event type; repeatable",
    )
    p.add_argument(
        "--actor", action="append", default=[], dest="actors",
        help="keep only events with this actor (actor1 or actor2); repeatable",
    )  # fmt: skip
    p.add_argument(
        "--sub-type", action="append", default=[], dest="sub_types",
        help="keep only this sub-event type; repeatable",
    )  # fmt: skip
    p.add_argument(
        "--min-fatalities", type=_count, metavar="N",
        help="keep only events with at least N killed (best estimate, else high)",
    )  # fmt: skip
    p.add_argument(
        "--text", help="keep only events whose summary, place, actors or sources hold every word"
    )


def _export_parser(sub: argparse._SubParsersAction) -> None:
    x = sub.add_parser(
        "export", help="write the filtered, enriched events as GeoJSON, CSV or GeoParquet"
    )
    x.add_argument(
        "paths", nargs="*", metavar="PATH", help="event files (default: the shipped events)"
    )
    _filter_options(x, what="kept")
    x.add_argument(
        "--out", type=Path, required=True, help="output: .geojson, .csv or .parquet (GeoParquet)"
    )
    x.add_argument(
        "--format", choices=["geojson", "csv", "parquet"], help="format (default: by suffix)"
    )
    _common(x)
    _context_options(x)
    _engine_options(x)


def _robustness_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-input-mb",
        type=_positive_mb,
        metavar="MB",
        help=f"largest input file read, in MB (default {DEFAULT_MAX_INPUT_MB}, or $GEO_MAX_INPUT_MB)",
    )
    p.add_argument(
        "--debug", action="store_true", help="show the Python traceback of an unexpected failure"
    )


def _positive_mb(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 < value < 2**40):
        msg = f"{text!r} is not a size in MB; accepted: a positive number such as 4096"
        raise argparse.ArgumentTypeError(msg)
    return value


def _belt_width(text: str) -> float:
    try:
        return check_belt_km(float(text))
    except (ValueError, InputError) as exc:
        lo, hi = BELT_RANGE_KM
        msg = f"{text!r} is not accepted; accepted: a width from {lo:g} to {hi:g} km"
        raise argparse.ArgumentTypeError(msg) from exc


def _context_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--border", metavar="PATH", help="boundary line file (default: shipped Durand Line)"
    )
    p.add_argument("--provinces", metavar="PATH", help="province polygons (default: shipped)")
    p.add_argument(
        "--countries", metavar="PATH", help="AFG/PAK polygons deciding the side (default: shipped)"
    )
    p.add_argument(
        "--belt-km",
        type=_belt_width,
        default=BELT_KM,
        help=f"border belt width in km (default {BELT_KM:g})",
    )


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--strict", action="store_true", help="fail on any problem instead of skipping bad rows"
    )
    p.add_argument(
        "--crs", help="CRS of the event coordinates (default: file's own, else EPSG:4326)"
    )
    _problem_options(p)


def _problem_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress display and no per-record problems or warnings (the summary line stays)",
    )
    p.add_argument(
        "--report",
        type=Path,
        metavar="FILE.csv|FILE.json",
        help="write every problem and warning (file, record, field, value, message) here",
    )


def _report(problems: Sequence[Problem], args: argparse.Namespace | None = None) -> None:
    """Print problems summarised (ten of each kind, then a count); all of them to --report."""
    from geo._summary import check_report_path, report_text

    path = getattr(args, "report", None)
    if path is not None:
        from geo._atomic import write_text_atomic

        write_text_atomic(report_text(problems, check_report_path(path)), path)
    if getattr(args, "quiet", False):
        return
    for line in summarise(problems):
        print(line, file=sys.stderr)


def _count(text: str) -> int:
    """A whole number of at least 0 (``--min-fatalities``)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        msg = f"expected a whole number of at least 0, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


#: The command line names the library's parameters by its options in messages.
OPTION_LABELS = {"start": "--start", "end": "--end", "types": "--type", "provinces": "--province"}
_ROLES = ("border", "provinces", "countries", "crossings", "cities")


def _context(args: argparse.Namespace) -> Context:
    """The context layers: the shipped ones, or the files given with --border etc."""
    from geo.context import load_context

    return load_context(**{role: getattr(args, role, None) for role in _ROLES})


def _prepared(paths: Sequence[str], args: argparse.Namespace) -> tuple[Prepared, Context]:
    """Load, enrich and (for build and batch) filter, as :func:`geo.api.prepare` does;
    report every problem and warning on stderr."""
    from geo.api import prepare

    _guard_output(args, paths, data_dir())
    if getattr(args, "report", None) is not None:
        from geo._summary import check_report_path

        check_report_path(args.report)  # a wrong suffix fails before any reading
    ctx = _context(args)
    prepared = prepare(
        _source(paths),
        context=ctx,
        start=getattr(args, "start", None),
        end=getattr(args, "end", None),
        types=getattr(args, "types", ()),
        provinces=getattr(args, "province", ()),
        actors=getattr(args, "actors", ()),
        sub_types=getattr(args, "sub_types", ()),
        min_fatalities=getattr(args, "min_fatalities", None),
        text=getattr(args, "text", None),
        belt_km=args.belt_km,
        strict=args.strict,
        crs=args.crs,
        labels=OPTION_LABELS,
        enrich_only=getattr(args, "enrich_only", None),
    )
    _report([*prepared.report.problems, *prepared.warnings], args)
    return prepared, ctx


def _enriched(paths: Sequence[str], args: argparse.Namespace) -> tuple[LoadReport, Context]:
    """Load events and enrich them (no filters); report problems and warnings."""
    prepared, ctx = _prepared(paths, args)
    return prepared.report, ctx


def _guard_output(args: argparse.Namespace, paths: Sequence[str], d: Path) -> None:
    """Refuse an ``--out`` that is a directory, a device or one of the inputs, before any work."""
    from geo._atomic import check_output

    out = getattr(args, "out", None)
    if out is None:
        return
    context = [
        getattr(args, k, None) for k in ("border", "provinces", "countries", "crossings", "cities")
    ]
    shipped = [d / n for n in SHIPPED.values()]
    check_output(out, inputs=[*paths, *(c for c in context if c), *shipped])


def cmd_build(args: argparse.Namespace) -> int:
    from geo._atomic import write_text_atomic
    from geo.api import map_from
    from geo.embed import embed_name, embed_snippet
    from geo.render import empty_message
    from geo.render.html import save_html

    t0 = time.perf_counter()
    fmt, size = _output_options(args)
    paths = args.events or [str(shipped_path("events"))]
    prepared, ctx = (
        _dask_prepared(args, paths) if _use_dask(args, paths) else _prepared(paths, args)
    )
    report, shown, start, end = prepared.report, prepared.shown, prepared.start, prepared.end
    if fmt != "html":
        return _write_image(prepared, ctx, args, fmt=fmt, size=size, t0=t0)
    step(f"rendering {len(shown):,} events")
    m = map_from(
        prepared,
        context=ctx,
        belt_km=args.belt_km,
        choropleth=None if args.choropleth == "none" else args.choropleth,
        title=args.title,
        description=args.description,
    )
    if shown.empty:
        print(
            f"warning: {empty_message(start, end)}; the page shows the context layers and the "
            "time control only",
            file=sys.stderr,
        )
    step(f"writing {args.out}")
    give_back()  # what encoding the page freed, before the page is written
    out = save_html(m, args.out, self_contained=not args.cdn)
    _summary(out, report, len(shown), "shown", t0)
    if args.embed:
        image = _fallback_image(shown, ctx, args, out, start=start, end=end, size=size)
        snippet = write_text_atomic(
            embed_snippet(out.name, title=args.title, image=image.name),
            out.with_name(embed_name(out.name)),
        )
        print(
            f"wrote {snippet} and {image.name} (its image where frames do not run, and for "
            f"print): paste it into a report or a CMS page next to {out.name}"
        )
    return 0


def _fallback_image(
    shown: gpd.GeoDataFrame,
    ctx: Context,
    args: argparse.Namespace,
    page: Path,
    **kw: Any,
) -> Path:
    """The static PNG beside the page (NAME.png) that the embed snippet falls back to."""
    from geo.render.static import save_static

    fig = _figure(shown, _layers(args, ctx), args, description=args.description, **kw)
    return save_static(fig, page.with_suffix(".png"), fmt="png")


def _image_options(p: argparse.ArgumentParser) -> None:
    """Size options of static images (PNG, SVG, PDF)."""
    g = p.add_argument_group("static images (.png, .svg, .pdf)")
    g.add_argument("--size", metavar="WxH", help="size in pixels, e.g. 1600x1000 (default)")
    g.add_argument("--width-mm", type=float, metavar="MM", help="printed width, e.g. 170")
    g.add_argument(
        "--height-mm", type=float, metavar="MM", help="printed height (default: 10/16 of width)"
    )
    g.add_argument("--dpi", type=float, help="dots per inch (default 150; 300 with --width-mm)")


def _batch_parser(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("batch", help="one map per month, quarter or year, and an index page")
    a.add_argument("--period", choices=list(PERIODS), required=True)
    a.add_argument(
        "--events", action="append", metavar="PATH", help="event file (GeoJSON or CSV); repeatable"
    )
    _filter_options(a, what="in the series")
    a.add_argument(
        "--format",
        default="html",
        help="comma-separated formats per period: html (always), png, svg, pdf (default html)",
    )
    a.add_argument("--out-dir", type=Path, required=True, help="directory for the pages")
    a.add_argument("--title", default="Durand Line conflict map")
    a.add_argument("--crossings", metavar="PATH", help="border crossings file")
    a.add_argument("--cities", metavar="PATH", help="towns (default: shipped)")
    a.add_argument("--choropleth", choices=["events", "fatalities", "none"], default="events")
    _common(a)
    _context_options(a)
    _image_options(a)


def _output_options(args: argparse.Namespace) -> tuple[str, ImageSize]:
    """The output format (from the suffix of --out) and the image size; checked up front."""
    if Path(args.out).suffix.lower() == ".html" and not any(
        (args.size, args.width_mm, args.height_mm, args.dpi, getattr(args, "embed", False))
    ):
        return "html", None  # type: ignore[return-value]  # no image: matplotlib not needed
    from geo.render.static import image_size, output_format

    fmt = output_format(args.out)
    if fmt != "html" and getattr(args, "embed", False):
        msg = f"--embed needs an .html output, not {args.out.suffix!r}; build the page and the image separately"
        raise InputError(msg)
    size = image_size(
        size=args.size, width_mm=args.width_mm, height_mm=args.height_mm, dpi=args.dpi
    )
    return fmt, size


def _layers(args: argparse.Namespace, ctx: Context) -> dict[str, gpd.GeoDataFrame | None]:
    """Every context layer a map draws, with the belt of ``--belt-km``."""
    return ctx.layers(args.belt_km)


def _shipped_credits(args: argparse.Namespace) -> list[str]:
    """Credits of the shipped files that carry no attribution of their own (data/SOURCES.md)."""
    own = [
        name
        for name, given in (
            ("curated events (CC BY 4.0)", args.events),
            ("towns (CC BY 4.0)", args.cities),
            ("crossings (MIT)", args.crossings),
        )
        if not given
    ]
    return [f"{', '.join(own)}: geo project"] if own else []


def _figure(shown: gpd.GeoDataFrame, layers: dict, args: argparse.Namespace, **kw: Any) -> Figure:
    from geo.render.static import static_map

    return static_map(
        shown,
        **layers,
        types=args.types,
        province_filter=args.province,
        title=args.title,
        credits=_shipped_credits(args),
        **kw,
    )


def _write_image(
    prepared: Prepared,
    ctx: Context,
    args: argparse.Namespace,
    *,
    fmt: str,
    size: ImageSize,
    t0: float,
) -> int:
    from geo.render.static import save_static

    shown = prepared.shown
    fig = _figure(
        shown, _layers(args, ctx), args, start=prepared.start, end=prepared.end, size=size,
        description=args.description,
    )  # fmt: skip
    out = save_static(fig, args.out, fmt=fmt)
    _summary(out, prepared.report, len(shown), "shown", t0)
    return 0


def _summary(out: Path, report: LoadReport, n: int, verb: str, t0: float) -> None:
    """The one line every writing command ends with."""
    print(
        f"wrote {out}: {report.n_read} events read, {report.n_rejected} rejected, {n} {verb} "
        f"({out.stat().st_size / 1024:.0f} KiB, {time.perf_counter() - t0:.1f} s)"
    )


def cmd_batch(args: argparse.Namespace) -> int:
    """One map per period with events, plus index.html (see geo.batch)."""
    from geo.batch import Renderers, parse_formats, write_batch
    from geo.render import build_map
    from geo.render.html import to_html
    from geo.render.static import image_bytes, image_size, thumbnail

    t0 = time.perf_counter()
    formats = parse_formats(args.format)
    size = image_size(
        size=args.size, width_mm=args.width_mm, height_mm=args.height_mm, dpi=args.dpi
    )
    prepared, ctx = _prepared(args.events or [str(shipped_path("events"))], args)
    report, shown, start, end = prepared.report, prepared.shown, prepared.start, prepared.end
    layers = _layers(args, ctx)
    choropleth = None if args.choropleth == "none" else args.choropleth

    def page(events: gpd.GeoDataFrame, a: pd.Timestamp, b: pd.Timestamp) -> str:
        m = build_map(events, **layers, choropleth=choropleth, start=a, end=b, title=args.title)
        return to_html(m)

    def image(events: gpd.GeoDataFrame, a: pd.Timestamp, b: pd.Timestamp, fmt: str) -> bytes:
        return image_bytes(_figure(events, layers, args, start=a, end=b, size=size), fmt)

    def thumb(events: gpd.GeoDataFrame) -> bytes:
        fig = thumbnail(events, border=layers["border"], countries=layers["countries"])
        return image_bytes(fig, "png")

    items = write_batch(
        shown, args.out_dir, period=args.period, renderers=Renderers(page, image, thumb),
        formats=formats, start=start, end=end, title=args.title,
    )  # fmt: skip
    pages = sum(1 for p in items if p.events)
    print(
        f"wrote {args.out_dir / 'index.html'}: {pages} {args.period} maps with events, "
        f"{len(items) - pages} empty {args.period}s listed; {report.n_read} events read, "
        f"{report.n_rejected} rejected, {len(shown)} shown ({time.perf_counter() - t0:.1f} s)"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """The events ``build`` would show, enriched, as a data file that reads back the same."""
    from geo.export import event_format, write_events

    t0 = time.perf_counter()
    paths = args.paths or [str(shipped_path("events"))]
    if _use_dask(args, paths):
        return _dask_write(args, paths, "exported")
    event_format(args.out, args.format)  # an unknown suffix fails before any reading
    prepared, _ = _prepared(paths, args)
    out = write_events(prepared.shown, args.out, fmt=args.format)
    _summary(out, prepared.report, len(prepared.shown), "exported", t0)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from geo.events import read_events

    problems: list[Problem] = []
    n_read = n_ok = 0
    for path in args.paths:
        try:
            r = read_events(path, crs=args.crs)
        except ValidationError as exc:
            problems += exc.problems
            continue
        problems += r.problems
        n_read, n_ok = n_read + r.n_read, n_ok + len(r.events)
    if args.json:
        print(
            json.dumps(
                {"records": n_read, "valid": n_ok, "problems": [p.to_dict() for p in problems]},
                indent=2,
            )
        )
    else:
        for line in [] if args.quiet else summarise(problems):
            print(line)
        print(
            f"{len(args.paths)} file(s), {n_read} records, {n_ok} valid, {len(problems)} problem(s)"
        )
    if args.report is not None:
        _report(problems, argparse.Namespace(report=args.report, quiet=True))
    return 1 if problems else 0


def cmd_enrich(args: argparse.Namespace) -> int:
    from geo.export import event_format, write_events

    if _use_dask(args, args.paths):
        return _dask_write(args, args.paths, "enriched")
    event_format(args.out)  # an unknown suffix fails before any reading
    report, _ = _enriched(args.paths, args)
    write_events(report.events, args.out)
    n_belt = int(report.events["in_border_belt"].sum())
    print(
        f"wrote {args.out}: {len(report.events)} events enriched ({n_belt} within {args.belt_km:g} km of the line), "
        f"{report.n_rejected} rejected"
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from geo._atomic import write_text_atomic
    from geo.analysis import aggregate, needs

    paths = args.paths or [str(shipped_path("events"))]
    if _use_dask(args, paths):
        table = _dask_stats(args, paths)
    else:
        args.enrich_only = needs(tuple(args.by or ["province"]))  # as the dask engine does
        report, _ = _enriched(paths, args)
        table = aggregate(
            report.events,
            by=tuple(args.by or ["province"]),
            period=None if args.period == "none" else args.period,
        )
    if args.format == "csv":
        text = table.to_csv(index=False, lineterminator="\n")
    else:
        records = json.loads(table.to_json(orient="records"))
        text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        write_text_atomic(text, args.out)
        print(f"wrote {args.out}: {len(table)} rows", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    import pandas as pd

    from geo.analysis import summary_tables

    report, _ = _enriched(args.paths, args)
    for title, table in summary_tables(report.events):
        print(f"\n{title}")
        if isinstance(table, pd.DataFrame):
            print(table.to_string(index=False))
        elif isinstance(table, pd.Series):
            print(table.to_string())
        else:
            print(table)
    return 0


# --- the dask engine (geo.distributed): partitioned GeoParquet datasets on a cluster ---


def _engine_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("datasets beyond one machine (needs the scale extra)")
    g.add_argument(
        "--engine",
        choices=["auto", "memory", "dask"],
        default="auto",
        help="memory: one frame; dask: a partitioned GeoParquet dataset (a directory or glob) on "
        "dask-geopandas, writing a directory of GeoParquet files; auto: dask above "
        "2,000,000 events in a dataset (default auto)",
    )
    g.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a dask.distributed scheduler to run on (e.g. tcp://10.0.0.5:8786); "
        "default: a local cluster sized to this machine, closed at the end",
    )


def _source(paths: Sequence[str]) -> Any:
    """Event files as given, or a Parquet dataset read into one frame (--engine memory).

    One ``.parquet`` file is an event file like any other: :func:`geo.events.read_events`
    reads and validates it (each problem named by file, row and field). A directory or a
    glob is a dataset.
    """
    one = str(paths[0]) if len(paths) == 1 else ""
    glob = any(c in one for c in "*?[")
    if one.lower().endswith(".parquet") and not glob and not Path(one).is_dir():
        return list(paths)
    from geo.distributed import is_dataset, load_dataset

    return load_dataset(paths) if is_dataset(paths) else list(paths)


def _use_dask(args: argparse.Namespace, paths: Sequence[str]) -> bool:
    from geo import distributed

    say = None if getattr(args, "quiet", False) else lambda m: print(m, file=sys.stderr)
    engine = getattr(args, "engine", "memory")
    return (
        distributed.choose_engine(paths, engine, threshold=distributed.AUTO_ROWS, say=say) == "dask"
    )


def _on_cluster(args: argparse.Namespace) -> tuple[Any, Any, Context]:
    """The cluster (a context manager), the layers each worker needs, and the context."""
    from geo.distributed import Layers, cluster

    ctx = _context(args)
    return cluster(args.scheduler), Layers(ctx.border, ctx.countries, ctx.provinces), ctx


def _dask_filters(args: argparse.Namespace, ctx: Context) -> Any:
    """--start/--end/--type/--province checked as prepare() checks them, before any work."""
    from geo.api import check_choices
    from geo.distributed import Filters
    from geo.events import EVENT_TYPES
    from geo.timefilter import parse_bound

    lo = parse_bound(args.start, option="--start") if args.start else None
    hi = parse_bound(args.end, option="--end", end=True) if args.end else None
    if lo is not None and hi is not None and hi < lo:
        msg = f"--end {hi.date()} is before --start {lo.date()}"
        raise InputError(msg)
    check_choices(args.types, list(EVENT_TYPES), "--type")
    check_choices(args.province, sorted(set(ctx.provinces["province"])), "--province")
    return Filters(lo, hi, tuple(args.types), tuple(args.province))


def _dask_write(args: argparse.Namespace, paths: Sequence[str], verb: str) -> int:
    """enrich and export on the cluster: a directory of GeoParquet files."""
    from geo.distributed import write_dataset

    t0 = time.perf_counter()
    if getattr(args, "format", None) not in (None, "parquet"):
        msg = f"--engine dask writes a directory of GeoParquet files, not {args.format}; use --engine memory"
        raise InputError(msg)
    running, layers, ctx = _on_cluster(args)
    filters = _dask_filters(args, ctx) if verb == "exported" else None
    with running as client:
        w = write_dataset(
            paths, args.out, layers=layers, belt_km=args.belt_km, filters=filters, client=client
        )
    if not getattr(args, "quiet", False):
        _report(w.warnings)
        if w.n_warnings > len(w.warnings):
            print(
                f"warning: {w.n_warnings - len(w.warnings):,} more warnings not shown",
                file=sys.stderr,
            )
    belt = f" ({w.in_belt} within {args.belt_km:g} km of the line)" if verb == "enriched" else ""
    print(
        f"wrote {w.out}: {w.n_read} events read, 0 rejected, {w.events} {verb}{belt} in "
        f"{w.files} GeoParquet files ({time.perf_counter() - t0:.1f} s, dask)"
    )
    return 0


def _dask_stats(args: argparse.Namespace, paths: Sequence[str]) -> pd.DataFrame:
    from geo.distributed import stats_dataset

    running, layers, _ = _on_cluster(args)
    with running as client:
        table, _ = stats_dataset(
            paths,
            layers=layers,
            by=tuple(args.by or ["province"]),
            period=None if args.period == "none" else args.period,
            belt_km=args.belt_km,
            client=client,
        )
    return table


def _dask_prepared(args: argparse.Namespace, paths: Sequence[str]) -> tuple[Prepared, Context]:
    """build on a dataset: the events, or above distributed.PAGE_EVENTS their aggregates."""
    from geo import distributed
    from geo._atomic import check_output
    from geo.api import Prepared
    from geo.events import LoadReport

    running, layers, ctx = _on_cluster(args)
    filters = _dask_filters(args, ctx)
    check_output(args.out, inputs=[])
    with running as client:
        found = distributed.aggregate_dataset(
            paths, layers=layers, belt_km=args.belt_km, filters=filters, client=client,
            page_events=distributed.PAGE_EVENTS,
        )  # fmt: skip
    if found.aggregated:
        # the page's own count of symbols would be a count of cells; fatalities are sums
        args.choropleth = "fatalities" if args.choropleth == "events" else args.choropleth
        args.description = found.note + (f" {args.description}" if args.description else "")
        print(
            f"note: {found.n_events:,} events after the filters, above the "
            f"{distributed.PAGE_EVENTS:,} a page holds: the map shows their aggregates "
            f"({len(found.events):,} cells per {found.period}), and says so",
            file=sys.stderr,
        )
    report = LoadReport(found.events, [], found.n_read)
    prepared = Prepared(report, found.events, [], filters.start, filters.end)
    return prepared, ctx


#: Exit codes: 0 done, 1 bad input or output (a message says which), 2 bad options
#: (argparse), 70 an unexpected failure, that is, a bug (EX_SOFTWARE), 130 interrupted.
EXIT_BUG = 70


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see :data:`EXIT_BUG`)."""
    args = _parser().parse_args(argv)
    handler = _commands()[args.command]
    clear_reading()
    if getattr(args, "max_input_mb", None) is not None:
        LIMITS.max_input_bytes = int(args.max_input_mb * 2**20)
    paths = [*(getattr(args, "events", None) or []), *(getattr(args, "paths", None) or [])]
    try:
        with display(wanted(paths, quiet=getattr(args, "quiet", False))):
            return handler(args)
    except (ValidationError, InputError) as exc:
        _error(str(exc))
        return 1
    except BrokenPipeError:  # `geo stats | head`: the reader left, nothing more to say
        _silence_stdout()
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}cannot write: {exc.strerror or exc}")
        return 1
    except MemoryError:
        _error(
            f"ran out of memory while {_doing(args)}; narrow the input "
            "(--start/--end, fewer files) or use a machine with more memory"
        )
        return 1
    except KeyboardInterrupt:
        _error("interrupted; no output was written")
        return 130
    except Exception as exc:
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            _error(
                f"unexpected {type(exc).__name__} while {_doing(args)}: {exc}. This is a bug, "
                "please report it with the command you ran (rerun with --debug for the details)"
            )
        return EXIT_BUG


def _commands() -> dict[str, Callable[[argparse.Namespace], int]]:
    """Each subcommand's handler: the ``cmd_<name>`` functions of this module."""
    return {
        name.removeprefix("cmd_"): fn
        for name, fn in globals().items()
        if name.startswith("cmd_") and callable(fn)
    }


def _doing(args: argparse.Namespace) -> str:
    current = reading_now()
    what = f"reading {current}" if current else f"running 'geo {args.command}'"
    return what


def _error(message: str) -> None:
    try:
        print(f"error: {message}", file=sys.stderr)
    except UnicodeEncodeError:  # a terminal that cannot show the text: show it escaped
        print(f"error: {message.encode('ascii', 'backslashreplace').decode()}", file=sys.stderr)


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
