"""geo: layered, date-filterable maps of conflict events along the Durand Line.

Reads your event files as they come (GeoJSON, CSV, GeoParquet, ACLED and UCDP exports)
or the shipped record, and writes maps, event tables and summaries.

Commands:
  build     a map: the interactive page (.html) or a still (.png, .svg, .pdf)
  batch     one map per month, quarter or year, and an index page
  export    the filtered, enriched events as GeoJSON, CSV or GeoParquet
  validate  check event files; every problem named by file, record and field
  info      counts by type, province and year; date span; casualties
  enrich    add distance to the line, side, belt and province to every event
  stats     events and fatalities per group and period
  pull      pull ACLED's or UCDP's API into a local store of snapshots (--update: what changed)
  diff      events added, removed and revised between two versions of the data

Run "geo COMMAND --help" for the options and an example of each.
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
from geo._progress import display, finish, step, wanted
from geo._summary import summarise
from geo._terminal import say, table_lines, write_data
from geo.context import SHIPPED, data_dir, shipped_path
from geo.schema import (
    ANIMATION_PERIODS,
    BELT_KM,
    BELT_RANGE_KM,
    FRAME_MS,
    GROUPS,
    PERIODS,
    SOCIAL_SIZES,
    check_belt_km,
)
from geo.worldview import DEFAULT as DEFAULT_WORLDVIEW
from geo.worldview import WORLDVIEWS

if TYPE_CHECKING:
    # pandas, geopandas, folium and matplotlib are imported by the commands that use them,
    # so that "geo --help" and a usage error answer at once
    from geo.analysis import Prepared
    from geo.api import Engine
    from geo.context import Context
    from geo.filters import Filters
    from geo.highlight import Highlight
    from geo.render.static import ImageSize

DEFAULT_OUT = Path("maps") / "conflict_map.html"
TITLE = "Durand Line conflict map"

#: One example per command, shown at the end of its --help.
EXAMPLES = {
    "build": "geo build --start 2025-10 --end 2025-10 --out maps/october.html --embed",
    "batch": "geo batch --period year --format html,png --out-dir maps/yearly",
    "animate": "geo animate --period month --start 2025-10 --end 2026-03 --out escalation.gif",
    "export": "geo export --start 2025-10 --end 2025-10 --type Battles --out october.csv",
    "validate": "geo validate my_events.csv acled_export.csv --json",
    "info": "geo info acled_export.csv --start 2024",
    "enrich": "geo enrich acled_export.csv --belt-km 30 --out enriched.geojson",
    "stats": "geo stats --by province --period year --out per_year.csv",
    "pull": "geo pull acled --store data/acled --country Afghanistan --country Pakistan --start 2025-01-01",
    "diff": "geo diff data/acled --format csv --out changes.csv",
}
#: What the readers take, said once for every input option.
READS = (
    "GeoJSON, CSV or GeoParquet; ACLED and UCDP GED exports are recognised by their "
    "columns and read as they come"
)


# --- the parser --------------------------------------------------------------------------


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help with the description as written and the defaults in the option texts."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=100)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="geo", description=__doc__, formatter_class=_Formatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _build_parser(sub)
    _batch_parser(sub)
    _animate_parser(sub)
    _export_parser(sub)
    _validate_parser(sub)
    _info_parser(sub)
    _enrich_parser(sub)
    _stats_parser(sub)
    _pull_parser(sub)
    _diff_parser(sub)
    for name, command in sub.choices.items():
        _run_options(command)
        command.epilog = f"example:\n  {EXAMPLES[name]}"
    return p


def _command(sub: argparse._SubParsersAction, name: str, summary: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, description=summary, formatter_class=_Formatter)


def _build_parser(sub: argparse._SubParsersAction) -> None:
    b = _command(
        sub, "build", "make a map: the interactive page (.html) or a still (.png, .svg, .pdf)"
    )
    _map_inputs(b)
    _filter_options(b, what="shown")
    _context_options(b, map_layers=True)
    o = b.add_argument_group("output")
    o.add_argument(
        "--out", type=Path, default=DEFAULT_OUT,
        help=f"output file; its suffix picks the format: .html (the page), .png, .svg or .pdf "
        f"(default {DEFAULT_OUT})",
    )  # fmt: skip
    _text_options(o)
    o.add_argument(
        "--embed", action="store_true",
        help="also write OUT.embed.html, a responsive iframe snippet to paste into a report, "
        "and OUT.png, its image where frames do not run",
    )  # fmt: skip
    o.add_argument(
        "--alt", metavar="TEXT",
        help="what the map shows, in words, for screen readers: the page's description of the "
        "map, and with --embed the frame's and the fallback image's",
    )  # fmt: skip
    _lang_option(o)
    o.add_argument(
        "--annotate", action="append", default=[], metavar="EVENT_ID[=TEXT]",
        help="a callout next to an event, shown while the event is: 'EVENT_ID' (its date, place "
        "and toll) or 'EVENT_ID=Text'; a text ending in @n, @ne, @e, @se, @s, @sw, @w or @nw puts "
        "it on that side; repeatable",
    )  # fmt: skip
    o.add_argument(
        "--note", action="append", default=[], metavar="LON,LAT[,START..END]=TEXT",
        help="a callout at a place: 'LON,LAT=Text' in degrees, shown always, or "
        "'LON,LAT,START..END=Text', shown while the map's dates overlap that window (dates "
        "YYYY-MM-DD, either end may be empty); the text may end in a direction as for "
        "--annotate; repeatable",
    )  # fmt: skip
    o.add_argument(
        "--base-url", metavar="URL",
        help="with --embed: the address the page and its image will be published under "
        "(http or https), so the snippet's links are absolute",
    )  # fmt: skip
    o.add_argument(
        "--cdn", action="store_true",
        help="link Leaflet from its CDN (a smaller file that needs the network) instead of "
        "inlining it",
    )  # fmt: skip
    o.add_argument(  # inlining is the default now; old scripts keep working
        "--self-contained", action="store_true", help="the default; accepted for old scripts"
    )
    o.add_argument(
        "--highlight", action="append", default=[], metavar="SPEC",
        help="draw these events in colour and the others grey, as context: an event id, a date "
        "window START..END (either side may be open), type=TYPE, actor=ACTOR or "
        "province=PROVINCE (as --type, --actor, --province match); repeatable: an event any "
        "of them picks is highlighted. The page can switch the highlight off",
    )  # fmt: skip
    _image_options(b)
    _problem_options(b)
    _engine_options(b)
    _spec_options(b)


def _lang_option(group: Any) -> None:
    """``--lang``: the edition of build's page and stills, batch's pages and index, the
    animation's frames (and the spec key ``lang``)."""
    group.add_argument(
        "--lang", default="en", type=_lang, metavar="LANG",
        help="the edition: en (default), ps (Pashto), fa-AF (Dari) or ur (Urdu); the page's "
        "controls, legend and caption in that language, laid out right to left for ps, fa-AF "
        "and ur, with the edition's digits and dates (geo/locale/README.md); the stills, the "
        "batch index, the embed snippet and the animation's frames too",
    )  # fmt: skip


def _batch_parser(sub: argparse._SubParsersAction) -> None:
    a = _command(sub, "batch", "one map per month, quarter or year, and an index page")
    _map_inputs(a)
    _filter_options(a, what="in the series")
    _context_options(a, map_layers=True)
    o = a.add_argument_group("output")
    o.add_argument(
        "--period", choices=list(PERIODS), required=True, help="one map per period of this length"
    )
    o.add_argument(
        "--format", default="html",
        help="formats per period, comma-separated: html (always), png, svg, pdf (default html)",
    )  # fmt: skip
    o.add_argument(
        "--out-dir", type=Path, required=True, help="directory for the maps and index.html"
    )
    o.add_argument("--title", default=TITLE, help=f"title of every map (default {TITLE!r})")
    _credit_option(o)
    _lang_option(o)
    _image_options(a)
    _problem_options(a)
    _engine_options(a)
    _spec_options(a)


def _animate_parser(sub: argparse._SubParsersAction) -> None:
    a = _command(sub, "animate", "an animated map, one frame per period: a GIF or an MP4")
    _map_inputs(a)
    _filter_options(a, what="animated")
    _context_options(a, map_layers=True)
    o = a.add_argument_group("output")
    o.add_argument(
        "--period", choices=list(ANIMATION_PERIODS), required=True,
        help="one frame per period of this length (weeks run Monday to Sunday)",
    )  # fmt: skip
    o.add_argument(
        "--cumulative", action="store_true",
        help="each frame shows every event from the first period on, not its period's only",
    )  # fmt: skip
    o.add_argument(
        "--out", type=Path, required=True, help="the animation: .gif (Pillow) or .mp4 (H.264)"
    )
    o.add_argument(
        "--frame-ms", type=_frame_ms, default=FRAME_MS, metavar="MS",
        help=f"how long each frame shows, in milliseconds (default {FRAME_MS}; the last shows "
        "three times as long)",
    )  # fmt: skip
    _text_options(o)
    _lang_option(o)
    g = a.add_argument_group("frame size")
    names = ", ".join(f"{k} ({w}x{h})" for k, (w, h) in SOCIAL_SIZES.items())
    g.add_argument(
        "--size", metavar="WxH|NAME", default="square",
        help=f"size in pixels, or a social format: {names} (default square)",
    )  # fmt: skip
    g.add_argument(
        "--dpi", type=float, help="dots per inch, which sets the text size (default 150)"
    )
    _problem_options(a)
    _engine_options(a)
    _spec_options(a)


def _frame_ms(text: str) -> int:
    """A frame's duration: 50 ms (20 frames a second) to a minute."""
    try:
        ms = int(text)
    except ValueError:
        ms = -1
    if not 50 <= ms <= 60_000:
        msg = f"--frame-ms {text!r} is not accepted; accepted: a whole number of milliseconds from 50 to 60000"
        raise argparse.ArgumentTypeError(msg)
    return ms


def _export_parser(sub: argparse._SubParsersAction) -> None:
    x = _command(sub, "export", "write the filtered, enriched events as GeoJSON, CSV or GeoParquet")
    g = x.add_argument_group("inputs")
    g.add_argument(
        "paths", nargs="*", metavar="PATH",
        help=f"event files, dataset directories or globs (default: the shipped record). {READS}",
    )  # fmt: skip
    _read_options(g)
    _filter_options(x, what="kept")
    _context_options(x)
    o = x.add_argument_group("output")
    o.add_argument(
        "--out", type=Path, required=True,
        help="output: .geojson, .csv or .parquet (GeoParquet); with --engine dask, a name "
        "without a suffix is a directory of GeoParquet files, one per partition",
    )  # fmt: skip
    o.add_argument(
        "--format", choices=["geojson", "csv", "parquet"], help="format (default: by suffix)"
    )
    _problem_options(x)
    _engine_options(x)


def _validate_parser(sub: argparse._SubParsersAction) -> None:
    v = _command(sub, "validate", "check event files; exit 1 on any problem")
    g = v.add_argument_group("inputs")
    g.add_argument("paths", nargs="+", metavar="PATH", help=f"event files. {READS}")
    g.add_argument("--crs", help="CRS of the coordinates (default: the file's own, else EPSG:4326)")
    o = v.add_argument_group("output")
    o.add_argument("--json", action="store_true", help="print the problems as JSON")
    _problem_options(v, group=o)


def _info_parser(sub: argparse._SubParsersAction) -> None:
    i = _command(sub, "info", "counts by type, province and year; date span; casualties")
    g = i.add_argument_group("inputs")
    g.add_argument(
        "paths", nargs="*", metavar="PATH",
        help=f"event files (default: the shipped record). {READS}",
    )  # fmt: skip
    _read_options(g)
    _filter_options(i, what="counted")
    _context_options(i)
    _problem_options(i)


def _enrich_parser(sub: argparse._SubParsersAction) -> None:
    e = _command(sub, "enrich", "add distance to the line, side, belt and province to every event")
    g = e.add_argument_group("inputs")
    g.add_argument(
        "paths", nargs="+", metavar="PATH",
        help=f"event files, dataset directories or globs. {READS}",
    )  # fmt: skip
    _read_options(g)
    _context_options(e)
    o = e.add_argument_group("output")
    o.add_argument(
        "--out", type=Path, required=True,
        help="output: .geojson, .csv or .parquet (GeoParquet); with --engine dask, a name "
        "without a suffix is a directory of GeoParquet files, one per partition",
    )  # fmt: skip
    _problem_options(e)
    _engine_options(e)


def _stats_parser(sub: argparse._SubParsersAction) -> None:
    s = _command(sub, "stats", "events and fatalities per group and period")
    g = s.add_argument_group("inputs")
    g.add_argument(
        "paths", nargs="*", metavar="PATH",
        help=f"event files, dataset directories or globs (default: the shipped record). {READS}",
    )  # fmt: skip
    _read_options(g)
    _filter_options(s, what="counted")
    _context_options(s)
    o = s.add_argument_group("output")
    o.add_argument(
        "--by", action="append", type=_choices(GROUPS, "--by"), metavar="GROUP",
        help=f"group by one or more of {', '.join(GROUPS)}; repeatable or comma-separated "
        "(default province)",
    )  # fmt: skip
    o.add_argument(
        "--period", choices=[*PERIODS, "none"], default="month",
        help="time split of every group (default month)",
    )  # fmt: skip
    o.add_argument(
        "--format", choices=["csv", "json"], default="csv", help="table format (default csv)"
    )
    o.add_argument("--out", type=Path, help="write the table here instead of standard output")
    _problem_options(s)
    _engine_options(s)


def _pull_parser(sub: argparse._SubParsersAction) -> None:
    from geo.schema import EVENT_TYPES

    p = _command(sub, "pull", "pull ACLED's or UCDP's API into a local store of snapshots")
    w = p.add_argument_group("source and store")
    w.add_argument(
        "source", choices=["acled", "ucdp"],
        help="the provider: ACLED (ACLED_USERNAME, ACLED_PASSWORD) or UCDP GED (UCDP_API_TOKEN)",
    )  # fmt: skip
    w.add_argument(
        "--store", type=Path, required=True, metavar="DIR",
        help="the store directory: GeoParquet snapshots and manifest.json (made if missing)",
    )  # fmt: skip
    g = p.add_argument_group("what to pull (the API's filters)")
    g.add_argument(
        "--country", action="append", default=[], metavar="NAME",
        help="country as ACLED names it, e.g. Afghanistan; repeatable (any of them)",
    )  # fmt: skip
    g.add_argument("--start", help="first event day: YYYY-MM-DD, YYYY-MM or YYYY")
    g.add_argument("--end", help="last event day, inclusive (a month or a year: all of it)")
    g.add_argument(
        "--type", action="append", default=[], dest="types", type=_listed, metavar="TYPE",
        help=f"ACLED event type; repeatable or comma-separated ({', '.join(EVENT_TYPES)})",
    )  # fmt: skip
    g.add_argument(
        "--update", action="store_true",
        help="ACLED: ask only for what changed since the latest snapshot (its query again) "
        "and the deletions; UCDP: the latest snapshot's query of a newer --ged-version. "
        "Either way a new snapshot",
    )  # fmt: skip
    g.add_argument(
        "--ged-version", metavar="VERSION",
        help="UCDP: the GED version to pull (required for ucdp): a yearly release such as "
        "25.1, or candidate events: 25.0.9 (September 2025), 25.01.25.09 (January to "
        "September 2025)",
    )  # fmt: skip
    c = p.add_argument_group("connection")
    c.add_argument(
        "--api-url", metavar="URL",
        help="scheme and host of the API (a mirror or a test server; default "
        "$GEO_ACLED_API_URL or $GEO_UCDP_API_URL, else https://acleddata.com or "
        "https://ucdpapi.pcr.uu.se). Credentials come from the environment, or a prompt on a "
        "terminal, never an option",
    )  # fmt: skip
    _problem_options(p)


def _diff_parser(sub: argparse._SubParsersAction) -> None:
    d = _command(sub, "diff", "events added, removed and revised between two versions")
    g = d.add_argument_group("inputs")
    g.add_argument(
        "inputs", nargs="+", metavar="STORE | OLD NEW",
        help="a store (its last two snapshots), or two snapshots, stores or exports. " + READS,
    )  # fmt: skip
    g.add_argument("--crs", help="CRS of the coordinates (default: the file's own, else EPSG:4326)")
    o = d.add_argument_group("output")
    o.add_argument(
        "--format", choices=["text", "csv", "json"], default="text",
        help="a summary with the one-line correction (default), or a table of every change",
    )  # fmt: skip
    o.add_argument("--out", type=Path, help="write to this file (default: standard output)")
    o.add_argument(
        "--map", type=Path, metavar="OUT.html|.png|.svg|.pdf",
        help="also draw the change map: added, revised and removed events over the border "
        "region, counted in the legend, titled by the correction; a self-contained page "
        "(popups say what changed) or an image",
    )  # fmt: skip
    _problem_options(d)


def _version() -> str:
    from geo import __version__

    return __version__


def _map_inputs(p: argparse.ArgumentParser) -> None:
    """The inputs of the commands that draw maps (build, batch, animate): event files and how
    to read them."""
    g = p.add_argument_group("inputs")
    g.add_argument(
        "--events", action="append", metavar="PATH",
        help=f"event file, dataset directory or glob; repeatable (default: the shipped record). {READS}",
    )  # fmt: skip
    _read_options(g)


def _read_options(g: argparse._ArgumentGroup) -> None:
    g.add_argument(
        "--crs", help="CRS of the event coordinates (default: the file's own, else EPSG:4326)"
    )
    g.add_argument(
        "--strict", action="store_true",
        help="fail on any problem instead of keeping the valid records",
    )  # fmt: skip


def _filter_options(p: argparse.ArgumentParser, *, what: str) -> None:
    """The event filters (the page offers the same ones): one :class:`geo.Filters`."""
    g = p.add_argument_group("filters (each keeps only the events that match)")
    g.add_argument("--start", help=f"first day {what}: YYYY-MM-DD, YYYY-MM or YYYY")
    g.add_argument("--end", help=f"last day {what}, inclusive (a month or a year: all of it)")
    g.add_argument(
        "--type", action="append", default=[], dest="types", type=_listed, metavar="TYPE",
        help="ACLED event type, e.g. Battles; repeatable or comma-separated "
        "(a sub-event type such as 'Air/drone strike' goes to --sub-type)",
    )  # fmt: skip
    g.add_argument(
        "--sub-type", action="append", default=[], dest="sub_types", type=_listed,
        metavar="SUB_TYPE", help="ACLED sub-event type; repeatable or comma-separated",
    )  # fmt: skip
    g.add_argument(
        "--province", action="append", default=[], type=_listed, metavar="PROVINCE",
        help="province (first-level unit); repeatable or comma-separated",
    )  # fmt: skip
    g.add_argument(
        "--actor", action="append", default=[], dest="actors", metavar="ACTOR",
        help="actor1 or actor2, as the data names it; repeat for several (names may hold commas)",
    )  # fmt: skip
    g.add_argument(
        "--min-fatalities", type=_count, metavar="N",
        help="at least N killed (best estimate, else high, else low)",
    )  # fmt: skip
    g.add_argument("--text", help="every word in the summary, place, actors or sources, any case")


def _context_options(p: argparse.ArgumentParser, *, map_layers: bool = False) -> None:
    g = p.add_argument_group("frame and context")
    g.add_argument(
        "--border", metavar="PATH", help="boundary line file (default: the shipped Durand Line)"
    )
    g.add_argument(
        "--provinces", metavar="PATH", help="province polygons (default: the shipped ones)"
    )
    g.add_argument(
        "--countries", metavar="PATH",
        help="Afghanistan and Pakistan polygons that decide the side (default: the shipped ones)",
    )  # fmt: skip
    g.add_argument(
        "--belt-km", type=_belt_width, default=BELT_KM,
        help=f"border belt width in km on either side of the line (default {BELT_KM:g})",
    )  # fmt: skip
    if map_layers:
        g.add_argument(
            "--crossings", metavar="PATH", help="border crossings (default: the shipped ones)"
        )
        g.add_argument(
            "--cities", metavar="PATH",
            help="towns of the offline basemap and the stills (default: the shipped ones)",
        )  # fmt: skip
        g.add_argument(
            "--choropleth", choices=["events", "fatalities", "none"], default="events",
            help="what the province choropleth layer counts (default events)",
        )  # fmt: skip


def _text_options(g: argparse._ArgumentGroup) -> None:
    g.add_argument("--title", default=TITLE, help=f"the map's title (default {TITLE!r})")
    g.add_argument(
        "--description", help="a line under the title (default: the event count and date span)"
    )
    _credit_option(g)
    g.add_argument(
        "--allow-download", action="store_true",
        help="offer the page's rows as CSV/GeoJSON even where a source's terms forbid it "
        "(ACLED's do; README, 'Source terms'): the build warns, naming the clause",
    )  # fmt: skip


def _credit_option(g: argparse._ArgumentGroup) -> None:
    g.add_argument(
        "--credit", action="append", default=[], metavar="TEXT",
        help="a credit line added to those of the data and the layers; repeatable",
    )  # fmt: skip
    g.add_argument(
        "--accessed", metavar="YYYY-MM-DD", type=_accessed_day,
        help="the day the data were accessed or exported, stated with each source's credit "
        "in every output (default: the export's own date, a store's access time, or the "
        "file's date)",
    )  # fmt: skip
    g.add_argument(
        "--extent", default="story", metavar="EXTENT",
        help="what the map frames, in the page, print and stills: story (default: the central "
        "events; a --province build, its provinces), events (all), border (the whole line), "
        "provinces (those holding events) or a box W,S,E,N in degrees",
    )  # fmt: skip
    g.add_argument(
        "--worldview", default=DEFAULT_WORLDVIEW, choices=list(WORLDVIEWS), metavar="VIEW",
        help="how disputed Kashmir is drawn, named and captioned and the Durand Line described: "
        f"{', '.join(WORLDVIEWS)} (default {DEFAULT_WORLDVIEW}: de facto lines, the Line of "
        "Control dashed, the disputed territories marked as such; data/SOURCES.md says which "
        "official map each other follows)",
    )  # fmt: skip
    g.add_argument(
        "--inset", action=argparse.BooleanOptionalAction, default=None,
        help="a locator inset, an overview of the region with the frame's outline, in the "
        "page and the stills (default: shown when the frame is smaller than the two countries)",
    )  # fmt: skip


def _image_options(p: argparse.ArgumentParser) -> None:
    """Size options of stills (PNG, SVG, PDF)."""
    g = p.add_argument_group("stills (.png, .svg, .pdf)")
    g.add_argument("--size", metavar="WxH", help="size in pixels, e.g. 1600x1000 (the default)")
    g.add_argument("--width-mm", type=float, metavar="MM", help="printed width, e.g. 170")
    g.add_argument(
        "--height-mm", type=float, metavar="MM", help="printed height (default: 10/16 of the width)"
    )
    g.add_argument("--dpi", type=float, help="dots per inch (default 150; 300 with --width-mm)")
    g.add_argument(
        "--no-detail", action="store_true",
        help="no detail panel: by default a still whose densest area cannot be read at the "
        "map's scale shows it magnified in a corner of the map that holds no event",
    )  # fmt: skip


def _problem_options(p: argparse.ArgumentParser, *, group: Any = None) -> None:
    g = group if group is not None else p.add_argument_group("problems and progress")
    g.add_argument(
        "--quiet", "-q", action="store_true",
        help="no progress display and no per-record problems or warnings (the summary line stays)",
    )  # fmt: skip
    g.add_argument(
        "--report", type=Path, metavar="FILE.csv|FILE.json",
        help="write every problem and warning (file, record, field, value, message) here",
    )  # fmt: skip


def _engine_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("datasets beyond one machine (needs: pip install 'geo[scale]')")
    g.add_argument(
        "--engine", choices=["auto", "memory", "dask"], default="auto",
        help="memory: one frame; dask: a partitioned GeoParquet dataset (a directory or glob) "
        "on a dask cluster, with the same answers; auto: dask above 2,000,000 events in a "
        "dataset (default auto)",
    )  # fmt: skip
    g.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="a dask.distributed scheduler to run on (e.g. tcp://10.0.0.5:8786); "
        "default: a local cluster sized to this machine, closed at the end",
    )  # fmt: skip


def _spec_options(p: argparse.ArgumentParser) -> None:
    """A map spec file in, and the spec of this command line out (see geo.spec)."""
    g = p.add_argument_group("map spec files (TOML: the options above under their names)")
    g.add_argument(
        "spec", nargs="?", metavar="SPEC.toml",
        help="a map spec file, right after the command: its keys are this command's long "
        "options without '--' (paths relative to the file); options after it add to it",
    )  # fmt: skip
    g.add_argument(
        "--write-spec", type=Path, metavar="FILE.toml",
        help="once the output is written, write the spec of this command line to FILE.toml",
    )  # fmt: skip


def _run_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("running")
    g.add_argument(
        "--max-input-mb", type=_positive_mb, metavar="MB",
        help=f"largest input file read, in MB (default {DEFAULT_MAX_INPUT_MB}, or $GEO_MAX_INPUT_MB)",
    )  # fmt: skip
    g.add_argument(
        "--debug", action="store_true", help="show the Python traceback of an unexpected failure"
    )


# --- option values -------------------------------------------------------------------------


def _listed(text: str) -> list[str]:
    """A value that may list several, comma-separated (names in these vocabularies hold no comma)."""
    return [v.strip() for v in text.split(",") if v.strip()]


def _choices(accepted: Sequence[str], option: str) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        values = _listed(text)
        bad = [v for v in values if v not in accepted]
        if bad or not values:
            msg = f"{option} {text!r}: accepted: {', '.join(accepted)} (repeat or comma-separate)"
            raise argparse.ArgumentTypeError(msg)
        return values

    return parse


def _flat(values: Sequence[Any] | None) -> list[str]:
    """Repeated options of comma-separated values, as one list."""
    out: list[str] = []
    for v in values or []:
        out.extend(v if isinstance(v, list) else [v])
    return out


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


def _positive_mb(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 < value < 2**40):
        msg = f"{text!r} is not a size in MB; accepted: a positive number such as 4096"
        raise argparse.ArgumentTypeError(msg)
    return value


def _lang(text: str) -> str:
    """``--lang``: an edition's tag (:data:`geo.i18n.EDITIONS`), checked here."""
    from geo.i18n.editions import edition

    try:
        return edition(text).tag
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _accessed_day(text: str) -> str:
    """``--accessed``: a day as ``YYYY-MM-DD``, checked here and kept as given."""
    from geo.methods import parse_accessed

    try:
        parse_accessed(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _belt_width(text: str) -> float:
    try:
        return check_belt_km(float(text))
    except (ValueError, InputError) as exc:
        lo, hi = BELT_RANGE_KM
        msg = f"{text!r} is not accepted; accepted: a width from {lo:g} to {hi:g} km"
        raise argparse.ArgumentTypeError(msg) from exc


# --- what every command shares --------------------------------------------------------------


_ROLES = ("border", "provinces", "countries", "crossings", "cities")


def _filters(args: argparse.Namespace) -> Filters:
    """Every filter option as one :class:`~geo.filters.Filters`, checked before any reading."""
    from geo.filters import OPTION_LABELS, Filters

    if not hasattr(args, "start"):
        return Filters()
    return Filters(
        start=args.start, end=args.end, types=_flat(args.types), provinces=_flat(args.province),
        actors=args.actors, sub_types=_flat(args.sub_types), min_fatalities=args.min_fatalities,
        text=args.text, labels=OPTION_LABELS,
    )  # fmt: skip


def _context(args: argparse.Namespace) -> Context:
    """The context layers: the shipped ones, or the files given with --border etc."""
    from geo.context import load_context

    return load_context(**{role: getattr(args, role, None) for role in _ROLES})


def _engine(args: argparse.Namespace) -> Engine:
    from geo.api import Engine

    say = None if getattr(args, "quiet", False) else _note
    return Engine(getattr(args, "engine", "memory"), getattr(args, "scheduler", None), say)


def _note(message: str) -> None:
    say(message, err=True)


def _inputs(args: argparse.Namespace) -> list[str]:
    """The event inputs as given, or the shipped record."""
    given = getattr(args, "events", None) or getattr(args, "paths", None)
    return list(given) if given else [str(shipped_path("events"))]


def _checked_start(args: argparse.Namespace) -> tuple[Filters, Context]:
    """What every reading command checks before reading: the output, the report path, the
    filters; then the context layers."""
    _guard_output(args)
    if getattr(args, "report", None) is not None:
        from geo._summary import check_report_path

        check_report_path(args.report)  # a wrong suffix fails before any reading
    filters = _filters(args)
    return filters, _context(args)


def _prepared(args: argparse.Namespace) -> tuple[Prepared, Context]:
    """Load, enrich and filter, as :func:`geo.api.prepare` does; report every problem and
    warning on stderr."""
    from geo.api import prepare

    filters, ctx = _checked_start(args)
    prepared = prepare(
        _inputs(args), context=ctx, filters=filters, belt_km=args.belt_km, strict=args.strict,
        crs=args.crs, engine=_engine(args),
    )  # fmt: skip
    _report([*prepared.report.problems, *prepared.warnings], args)
    _notes(prepared.notes, args)
    return prepared, ctx


def _notes(notes: Sequence[str], args: argparse.Namespace) -> None:
    """What the user should hear about the options, as warnings."""
    if not getattr(args, "quiet", False):
        for note in notes:
            say(f"warning: {note}", err=True)


def _guard_output(args: argparse.Namespace) -> None:
    """Refuse an ``--out`` that is a directory, a device or one of the inputs, before any work."""
    from geo._atomic import check_output

    out = getattr(args, "out", None)
    if out is None or _dataset_out(args):
        return
    context = [getattr(args, k, None) for k in _ROLES]
    shipped = [data_dir() / n for n in SHIPPED.values()]
    given = getattr(args, "events", None) or getattr(args, "paths", None) or []
    check_output(out, inputs=[*given, *(c for c in context if c), *shipped])


def _dataset_out(args: argparse.Namespace) -> bool:
    """An output the dask engine writes as a directory (checked by geo.distributed)."""
    return getattr(args, "engine", "memory") != "memory" and not Path(args.out).suffix


def _report(problems: Sequence[Problem], args: argparse.Namespace | None = None) -> None:
    """Print problems summarised (ten of each kind, then a count); all of them to --report."""
    from geo._summary import check_report_path, report_text

    path = getattr(args, "report", None)
    if path is not None:
        from geo._atomic import write_text_atomic

        write_text_atomic(report_text(problems, check_report_path(path)), path)
    if getattr(args, "quiet", False):
        return
    say(*summarise(problems), err=True)


def _summary(out: Path, n_read: int, n_rejected: int, n: int, verb: str, t0: float) -> None:
    """The one line every writing command ends with (the progress display closed first)."""
    say(
        f"wrote {out}: {n_read} events read, {n_rejected} rejected, {n} {verb} "
        f"({_size(out) / 1024:.0f} KiB, {time.perf_counter() - t0:.1f} s)"
    )


def _terms_lines(methods: Any, n: int, *, html: bool, columns: Sequence[str] | None = None) -> None:
    """What a page carries under its sources' terms (geo.terms), after the summary line; the
    warning of --allow-download where a source's terms forbid the download, and of a source
    whose credit asks for a date that is not known."""
    from geo.methods import carried_summary, download_warning

    if html:
        say(carried_summary(methods, n, columns))
        warning = download_warning(methods)
        if warning:
            _note(warning)
    for credit in methods.credits:
        if credit.endswith(", access date not stated"):
            _note(f"warning: {credit}: give --accessed YYYY-MM-DD, the day the data were taken")


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    return path.stat().st_size


def _map_options(args: argparse.Namespace, prepared: Prepared, ctx: Context) -> Any:
    from geo.api import map_options

    return map_options(
        prepared, context=ctx, title=args.title, description=getattr(args, "description", None),
        choropleth=None if args.choropleth == "none" else args.choropleth,
        credits=args.credit, extent=args.extent,
        accessed=getattr(args, "accessed", None),
        allow_download=getattr(args, "allow_download", False),
        alt=getattr(args, "alt", None),
        detail=not getattr(args, "no_detail", False),
        annotate=getattr(args, "annotate", None) or (), notes=getattr(args, "note", None) or (),
        inset=getattr(args, "inset", None),
        highlight=_highlight(args),
        worldview=getattr(args, "worldview", DEFAULT_WORLDVIEW),
        lang=getattr(args, "lang", "en"),
    )  # fmt: skip


def _highlight(args: argparse.Namespace) -> Highlight | None:
    """The --highlight specs, parsed and checked (:class:`geo.highlight.Highlight`)."""
    from geo.highlight import highlight_of

    return highlight_of(getattr(args, "highlight", None) or None, "--highlight")


def _image_size(args: argparse.Namespace) -> ImageSize:
    from geo.render.static import image_size

    return image_size(
        size=args.size, width_mm=args.width_mm, height_mm=args.height_mm, dpi=args.dpi
    )


# --- the commands ----------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    """A map of the events the filters keep: the page or a still, by the suffix of --out."""
    from geo.api import map_from
    from geo.render import empty_message

    t0 = time.perf_counter()
    _spec_first(args)
    fmt, size = _output_options(args)
    highlight = _highlight(args)  # a bad spec fails before any reading
    prepared, ctx = _prepared(args)
    shown = prepared.shown
    options = _map_options(args, prepared, ctx)  # checks the highlight's ids and provinces
    if highlight is not None:
        _notes(highlight.notes(shown), args)
    step(f"rendering {len(shown):,} events")
    m = map_from(prepared, context=ctx, belt_km=args.belt_km, options=options)
    if shown.empty and fmt == "html":
        _note(
            f"warning: {empty_message(prepared.filters)}; the page shows the "
            "context layers and the time control only"
        )
    step(f"writing {args.out}")
    give_back()  # what encoding the page freed, before the page is written
    out = m.save(args.out, self_contained=not args.cdn, size=size)
    report = prepared.report
    _summary(out, report.n_read, report.n_rejected, len(shown), "shown", t0)
    _terms_lines(m.methods(), len(shown), html=fmt == "html", columns=m.page_columns)
    if args.embed:
        _write_embed(m, out, args)
    _write_spec(args)
    return 0


def _spec_first(args: argparse.Namespace) -> None:
    """A spec file is read only right after the command (``geo build map.toml --out x.png``)."""
    if args.spec is not None:
        msg = (
            f"{args.spec!r}: a spec file goes right after the command "
            f"('geo {args.command} {args.spec} …'), and must end in .toml"
        )
        raise InputError(msg)


def _write_spec(args: argparse.Namespace) -> None:
    """The spec of this command line, once its output is written (--write-spec)."""
    if args.write_spec is None:
        return
    from geo.spec import write_spec

    parser = _subparsers(_parser())[args.command]
    path = write_spec(args.write_spec, args.argv_tokens, parser, command=args.command)
    say(f"wrote {path}: 'geo {args.command} {path}' remakes this output")


def _write_embed(m: Any, page: Path, args: argparse.Namespace) -> None:
    from geo._atomic import write_text_atomic
    from geo.embed import embed_name, embed_snippet
    from geo.render.edition import map_title

    image = m.save(page.with_suffix(".png"), size=_image_size(args))
    lang = m.map_options.lang
    snippet = write_text_atomic(
        embed_snippet(
            page.name,
            title=map_title(args.title, lang),
            image=image.name,
            credits=m.credits(),
            base_url=args.base_url,
            alt=args.alt,
            methods=m.methods().method_lines(),
            lang=lang,
        ),
        page.with_name(embed_name(page.name)),
    )
    say(
        f"wrote {snippet} and {image.name} (its image where frames do not run, and for "
        f"print): paste it into a report or a CMS page next to {page.name}"
    )


def _output_options(args: argparse.Namespace) -> tuple[str, ImageSize | None]:
    """The output format (from the suffix of --out) and the image size; checked up front."""
    if getattr(args, "base_url", None) is not None:
        from geo.embed import check_base_url

        if not getattr(args, "embed", False):
            msg = "--base-url sets the addresses of the embed snippet: give --embed too"
            raise InputError(msg)
        check_base_url(args.base_url)
    if Path(args.out).suffix.lower() == ".html" and not any(
        (args.size, args.width_mm, args.height_mm, args.dpi, getattr(args, "embed", False))
    ):
        return "html", None  # no image: matplotlib not needed
    from geo.render.options import output_format

    fmt = output_format(args.out)
    if fmt != "html" and getattr(args, "embed", False):
        msg = f"--embed needs an .html output, not {args.out.suffix!r}; build the page and the image separately"
        raise InputError(msg)
    return fmt, _image_size(args)


def cmd_batch(args: argparse.Namespace) -> int:
    """One map per period with events, plus index.html (see geo.batch)."""
    from geo.batch import parse_formats, write_batch

    t0 = time.perf_counter()
    _spec_first(args)
    formats = parse_formats(args.format)
    size = _image_size(args)
    args.description = None
    prepared, ctx = _prepared(args)
    options = _map_options(args, prepared, ctx)
    items = write_batch(
        prepared.shown, args.out_dir, period=args.period, layers=ctx.layers(args.belt_km),
        filters=prepared.filters, options=options, formats=formats, size=size,
    )  # fmt: skip
    pages = sum(1 for p in items if p.events)
    report = prepared.report
    say(
        f"wrote {args.out_dir / 'index.html'}: {pages} {args.period} maps with events, "
        f"{len(items) - pages} empty {args.period}s listed; {report.n_read} events read, "
        f"{report.n_rejected} rejected, {len(prepared.shown)} shown ({time.perf_counter() - t0:.1f} s)"
    )
    from geo.render.options import map_methods

    methods = map_methods(prepared.shown, prepared.filters, options)
    _terms_lines(methods, len(prepared.shown), html="html" in formats)
    _write_spec(args)
    return 0


def cmd_animate(args: argparse.Namespace) -> int:
    """One still per period, as a GIF or an MP4 (see geo.animate)."""
    from geo.animate import animate, animation_format, write_animation
    from geo.render.static import image_size

    t0 = time.perf_counter()
    _spec_first(args)
    fmt = animation_format(args.out)
    size = image_size(size=SOCIAL_SIZES.get(args.size, args.size), dpi=args.dpi)
    args.embed = False
    prepared, ctx = _prepared(args)
    step(f"drawing one frame per {args.period}")
    data, frames = animate(
        prepared.shown, period=args.period, fmt=fmt, layers=ctx.layers(args.belt_km),
        filters=prepared.filters, options=_map_options(args, prepared, ctx), size=size,
        cumulative=args.cumulative, frame_ms=args.frame_ms,
    )  # fmt: skip
    out = write_animation(args.out, data)
    report = prepared.report
    first, last = frames[0].period, frames[-1].period
    say(
        f"wrote {out}: {len(frames)} frames ({first.name} to {last.name}, one per "
        f"{args.period}{', cumulative' if args.cumulative else ''}), {size.pixels[0]}x"
        f"{size.pixels[1]} px; {report.n_read} events read, {report.n_rejected} rejected, "
        f"{len(prepared.shown)} shown ({_size(out) / 1024:.0f} KiB, {time.perf_counter() - t0:.1f} s)"
    )
    _write_spec(args)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """The events ``build`` would show, enriched, as a data file that reads back the same."""
    return _write_events(args, "exported", _filters(args))


def cmd_enrich(args: argparse.Namespace) -> int:
    """Every valid event with its distance to the line, side, belt and province."""
    return _write_events(args, "enriched", None)


def _write_events(args: argparse.Namespace, verb: str, filters: Filters | None) -> int:
    from geo.api import export_events

    t0 = time.perf_counter()
    _, ctx = _checked_start(args)
    done = export_events(
        _inputs(args), args.out, context=ctx, filters=filters, belt_km=args.belt_km,
        fmt=getattr(args, "format", None), strict=args.strict, crs=args.crs,
        engine=_engine(args), inputs=[p for p in _inputs(args)],
    )  # fmt: skip
    _report([*done.problems, *done.warnings], args)
    _notes(done.notes, args)
    belt = f" ({done.in_belt} within {args.belt_km:g} km of the line)" if verb == "enriched" else ""
    where = f" in {done.files} GeoParquet files" if done.out.is_dir() else ""
    engine = ", dask" if done.engine == "dask" else ""
    say(
        f"wrote {done.out}: {done.n_read} events read, {done.n_rejected} rejected, "
        f"{done.events} {verb}{belt}{where} ({_size(done.out) / 1024:.0f} KiB, "
        f"{time.perf_counter() - t0:.1f} s{engine})"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Every problem of every file; exit 1 if there is any."""
    from geo.events import read_events
    from geo.pull.store import resolve

    problems: list[Problem] = []
    n_read = n_ok = 0
    for path in resolve(args.paths):  # a store of 'geo pull': its latest snapshot
        try:
            r = read_events(path, crs=args.crs)
        except ValidationError as exc:
            problems += exc.problems
            continue
        problems += r.problems
        n_read, n_ok = n_read + r.n_read, n_ok + len(r.events)
    if args.json:
        doc = {"records": n_read, "valid": n_ok, "problems": [p.to_dict() for p in problems]}
        write_data(json.dumps(doc, indent=2) + "\n")
    else:
        say(*([] if args.quiet else summarise(problems)))
        say(
            f"{len(args.paths)} file(s), {n_read} records, {n_ok} valid, {len(problems)} problem(s)"
        )
    if args.report is not None:
        _report(problems, argparse.Namespace(report=args.report, quiet=True))
    return 1 if problems else 0


def cmd_stats(args: argparse.Namespace) -> int:
    """The table of :func:`geo.analysis.aggregate`, as CSV or JSON."""
    from geo._atomic import write_text_atomic
    from geo.api import stats

    filters, ctx = _checked_start(args)
    by = tuple(_flat(args.by) or ["province"])
    table, prepared = stats(
        _inputs(args), context=ctx, by=by, period=None if args.period == "none" else args.period,
        filters=filters, belt_km=args.belt_km, strict=args.strict, crs=args.crs,
        engine=_engine(args),
    )  # fmt: skip
    _report([*prepared.report.problems, *prepared.warnings], args)
    _notes(prepared.notes, args)
    finish()
    if args.format == "csv":
        from geo.export import csv_text

        text = csv_text(table)
    else:
        records = json.loads(table.to_json(orient="records"))
        text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        write_text_atomic(text, args.out)
        say(f"wrote {args.out}: {len(table)} rows", err=True)
    else:
        write_data(text)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    """Tables for a first look at the events."""

    from geo.analysis import summary_tables

    prepared, _ = _prepared(args)
    finish()
    for title, table in summary_tables(prepared.shown):
        say("", title, *table_lines(table))
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    """Pull ACLED or UCDP into the store: a new snapshot, or nothing changed in the store."""
    from geo.filters import check_choices, parse_bound
    from geo.pull.run import pull_events
    from geo.schema import EVENT_TYPES

    t0 = time.perf_counter()
    types = _flat(args.types)
    check_choices(types, EVENT_TYPES, "--type")
    start = parse_bound(args.start, option="--start") if args.start else None
    end = parse_bound(args.end, option="--end", end=True) if args.end else None
    result = pull_events(
        args.source, args.store, countries=args.country, types=types,
        start=start.strftime("%Y-%m-%d") if start is not None else None,
        end=end.strftime("%Y-%m-%d") if end is not None else None,
        ged_version=args.ged_version, update=args.update, api_url=args.api_url,
        say=None if args.quiet else _note,
    )  # fmt: skip
    _report(result.problems, args)
    _notes(result.warnings, args)
    finish()
    entry = result.entry
    how = f"{result.pages} page(s)" + (f", {result.resumed} resumed" if result.resumed else "")
    since = ""
    if args.update and args.source == "acled":
        since = f"; {result.changed} changed and {result.deleted} deleted since {entry['since']}"
    elif args.update:
        since = f"; GED {entry['query']['version']} after {entry.get('previous_version')}"
    if entry.get("candidate"):
        since += "; candidate events, provisional until the yearly GED release"
    say(
        f"wrote {args.store / entry['file']}: {entry['rows']} events, {entry['rejected']} "
        f"refused ({how}{since}; {time.perf_counter() - t0:.1f} s)"
    )
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """The changes between two versions of the data, as text, CSV or JSON."""
    from geo import diff

    (old, old_at), (new, _new_at) = diff.sides(args.inputs)
    from geo._atomic import check_output

    for out in (args.out, args.map):
        if out is not None:
            check_output(out, inputs=[old, new])
    if args.map is not None and Path(args.map).suffix.lower() not in diff.MAP_SUFFIXES:
        msg = (
            f"{args.map}: the change map is a page or an image: give a name ending in "
            f"{', '.join(diff.MAP_SUFFIXES)}"
        )
        raise InputError(msg)
    d, problems = diff.compare_sides(old, new, old_at, crs=args.crs)
    _report(problems, args)
    if args.format == "csv":
        from geo.export import csv_text

        text = csv_text(diff.table(d))
    elif args.format == "json":
        text = diff.as_json(d)
    else:
        text = diff.text(d)
    if args.map is not None:
        from geo.pull.store import access_credits

        step(f"drawing {args.map}")
        credits = access_credits(args.inputs[-1:])
        diff.write_change_map(d, d.old_events, d.new_events, args.map, credits=credits)
        say(f"wrote {args.map}: {diff.correction(d)}", err=True)
    finish()
    if args.out is not None:
        from geo._atomic import write_text_atomic

        write_text_atomic(text, args.out)
        say(f"wrote {args.out}: {diff.correction(d)}", err=True)
    elif args.format == "text":
        say(*text.splitlines())
    else:
        write_data(text)
    return 0


# --- running a command -----------------------------------------------------------------------

#: Exit codes: 0 done, 1 bad input or output (a message says which), 2 bad options
#: (argparse), 70 an unexpected failure, that is, a bug (EX_SOFTWARE), 130 interrupted.
EXIT_BUG = 70


def _subparsers(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each command's parser, by name."""
    for action in p._actions:  # argparse keeps the sub-parsers on their action only
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}  # pragma: no cover - the parser always has its commands


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see :data:`EXIT_BUG`)."""
    from geo import spec

    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        argv = spec.expand(argv, _subparsers(parser))
    except InputError as exc:
        _error(str(exc))
        return 1
    args = parser.parse_args(argv)
    args.argv_tokens = argv[1:]
    handler = _commands()[args.command]
    clear_reading()
    if getattr(args, "max_input_mb", None) is not None:
        LIMITS.max_input_bytes = int(args.max_input_mb * 2**20)
    paths = [*(getattr(args, "events", None) or []), *(getattr(args, "paths", None) or [])]
    try:
        quiet = getattr(args, "quiet", False)
        pulling = args.command == "pull" and not quiet and sys.stderr.isatty()
        with display(pulling or wanted(paths, quiet=quiet)):
            return handler(args)
    except ValidationError as exc:
        _error(*exc.lines())
        return 1
    except InputError as exc:
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
        if args.command == "pull":
            _error("interrupted; the store is as it was, and the pages fetched are kept: run "
                   "the same command again to resume")  # fmt: skip
            return 130
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


def _error(message: str, *more: str) -> None:
    """``error: message`` and any further lines, each shown visibly (``geo._terminal``)."""
    finish()
    say(f"error: {message}", *more, err=True)


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
