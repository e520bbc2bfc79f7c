"""The ``geo`` command line: build, validate, info."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo._errors import InputError, Problem, ValidationError
from geo.analysis import GROUPS, PERIODS, aggregate, enrich, summary_tables
from geo.border import (
    BELT_KM,
    border_belt,
    read_border,
    read_cities,
    read_countries,
    read_crossings,
)
from geo.events import EVENT_TYPES, LoadReport, events_to_geojson, load_events, read_events
from geo.export import embed_name, embed_snippet, save_html, write_text_atomic
from geo.provinces import read_provinces
from geo.render import build_map, empty_message
from geo.timefilter import filter_events, parse_bound

DEFAULT_OUT = Path("maps") / "conflict_map.html"


def data_dir() -> Path:
    """Where the shipped data lives: ``$GEO_DATA_DIR``, else ``./data``, else the source tree's."""
    if os.environ.get("GEO_DATA_DIR"):
        return Path(os.environ["GEO_DATA_DIR"])
    here = Path("data")
    if (here / "events.geojson").is_file():
        return here
    return Path(__file__).resolve().parent.parent / "data"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="geo", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
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
    b.add_argument("--start", help="first day shown (YYYY-MM-DD, YYYY-MM or YYYY)")
    b.add_argument("--end", help="last day shown, inclusive")
    b.add_argument(
        "--province", action="append", default=[], help="keep only this province; repeatable"
    )
    b.add_argument(
        "--type",
        action="append",
        default=[],
        dest="types",
        help="keep only this event type; repeatable",
    )
    b.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output HTML (default {DEFAULT_OUT})"
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
    e = sub.add_parser("enrich", help="add border distance, side, belt and province; write GeoJSON")
    e.add_argument("paths", nargs="+", metavar="PATH")
    e.add_argument("--out", type=Path, required=True, help="output GeoJSON")
    _common(e)
    _context_options(e)
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
    v = sub.add_parser("validate", help="check event files; exit 1 on any problem")
    v.add_argument("paths", nargs="+", metavar="PATH")
    v.add_argument("--json", action="store_true", help="print problems as JSON")
    v.add_argument("--crs", help="CRS of the coordinates (default: file's own, else EPSG:4326)")
    i = sub.add_parser("info", help="counts by type, province and year; date span; casualties")
    i.add_argument("paths", nargs="+", metavar="PATH")
    _common(i)
    _context_options(i)
    return p


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
        type=float,
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


def _report(problems: Sequence[Problem]) -> None:
    for p in problems:
        print(f"{p.severity}: {p}", file=sys.stderr)


def _load(paths: Sequence[str], args: argparse.Namespace) -> LoadReport:
    report = load_events(paths, strict=args.strict, crs=args.crs)
    _report(report.problems)
    return report


def _check_choices(values: Sequence[str], accepted: Sequence[str], option: str) -> None:
    lower = {a.lower() for a in accepted}
    for v in values:
        if v.lower() not in lower:
            msg = f"{option} {v!r} is not known; accepted: {', '.join(sorted(accepted))}"
            raise InputError(msg)


def _enriched(paths: Sequence[str], args: argparse.Namespace) -> tuple[LoadReport, dict]:
    """Load events, read the context layers, enrich; report problems and warnings."""
    if args.belt_km <= 0:
        msg = f"--belt-km must be positive, got {args.belt_km:g}"
        raise InputError(msg)
    d = data_dir()
    report = _load(paths, args)
    ctx = {
        "border": read_border(args.border or d / "durand_line.geojson"),
        "provinces": read_provinces(args.provinces or d / "provinces.geojson"),
        "countries": read_countries(args.countries or d / "countries.geojson"),
    }
    result = enrich(report.events, belt_km=args.belt_km, **ctx)
    _report(result.warnings)
    report.events = result.events
    return report, ctx


def _optional(
    reader: Callable[[str | Path], gpd.GeoDataFrame], given: str | None, default: Path
) -> gpd.GeoDataFrame | None:
    """Read ``given``; without it, the default file if there is one (else None)."""
    if given:
        return reader(given)
    return reader(default) if default.is_file() else None


def cmd_build(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    d = data_dir()
    start = parse_bound(args.start, option="--start") if args.start else None
    end = parse_bound(args.end, option="--end", end=True) if args.end else None
    _check_choices(args.types, list(EVENT_TYPES), "--type")
    report, ctx = _enriched(args.events or [str(d / "events.geojson")], args)
    known = set(ctx["provinces"]["province"]) | set(report.events["province"])
    _check_choices(args.province, sorted(known - {""}), "--province")
    shown = filter_events(
        report.events, start=start, end=end, provinces=args.province, types=args.types
    )
    m = build_map(
        shown,
        border=ctx["border"],
        belt=border_belt(ctx["border"], ctx["countries"], width_km=args.belt_km),
        provinces=ctx["provinces"],
        crossings=read_crossings(args.crossings or d / "crossings.geojson"),
        countries=ctx["countries"],
        cities=_optional(read_cities, args.cities, d / "cities.geojson"),
        choropleth=None if args.choropleth == "none" else args.choropleth,
        start=start,
        end=end,
        title=args.title,
        description=args.description,
    )
    if shown.empty:
        print(
            f"warning: {empty_message(start, end)}; the page shows the context layers and the "
            "time control only",
            file=sys.stderr,
        )
    out = save_html(m, args.out, self_contained=not args.cdn)
    size_kb = out.stat().st_size / 1024
    print(
        f"wrote {out}: {report.n_read} events read, {report.n_rejected} rejected, "
        f"{len(shown)} shown ({size_kb:.0f} KiB, {time.perf_counter() - t0:.1f} s)"
    )
    if args.embed:
        snippet = write_text_atomic(
            embed_snippet(out.name, title=args.title), out.with_name(embed_name(out.name))
        )
        print(f"wrote {snippet}: paste it into a report or a CMS page next to {out.name}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
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
        for p in problems:
            print(f"{p.severity}: {p}")
        print(
            f"{len(args.paths)} file(s), {n_read} records, {n_ok} valid, {len(problems)} problem(s)"
        )
    return 1 if problems else 0


def cmd_enrich(args: argparse.Namespace) -> int:
    report, _ = _enriched(args.paths, args)
    write_text_atomic(events_to_geojson(report.events), args.out)
    n_belt = int(report.events["in_border_belt"].sum())
    print(
        f"wrote {args.out}: {len(report.events)} events enriched ({n_belt} within {args.belt_km:g} km of the line), "
        f"{report.n_rejected} rejected"
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    report, _ = _enriched(args.paths or [str(data_dir() / "events.geojson")], args)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    handler = {
        "build": cmd_build,
        "validate": cmd_validate,
        "info": cmd_info,
        "enrich": cmd_enrich,
        "stats": cmd_stats,
    }[args.command]
    try:
        return handler(args)
    except ValidationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write or read {exc.filename!r}: {exc.strerror}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
