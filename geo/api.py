"""The pipeline as a library: load, validate, enrich, filter and map, as ``geo build`` does.

The command line is a thin layer over these functions, so a notebook gets the same map,
byte for byte, as the terminal::

    import geo
    m = geo.conflict_map("data/events.geojson", start="2022", end="2022")
    m              # shows inline in Jupyter, self-contained
    m.save("map.html")   # or .png, .svg, .pdf
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import geopandas as gpd
import pandas as pd

from geo._errors import InputError, Problem, ValidationError
from geo._memory import give_back
from geo.analysis import enrich
from geo.border import (
    BELT_KM,
)
from geo.context import SHIPPED, Context, data_dir, load_context
from geo.events import EVENT_TYPES, LoadReport, load_events, read_frame
from geo.timefilter import filter_events, parse_bound

#: What an events argument may be: file paths, a (Geo)DataFrame in the canonical, ACLED
#: or UCDP shape, or a :class:`~geo.events.LoadReport` already loaded.
EventsLike: TypeAlias = str | Path | Sequence[str | Path] | pd.DataFrame | LoadReport


def load(events: EventsLike, *, strict: bool = False, crs: str | None = None) -> LoadReport:
    """Load events from paths, a DataFrame/GeoDataFrame, or pass a LoadReport through."""
    if isinstance(events, LoadReport):
        return events
    if isinstance(events, pd.DataFrame):
        return read_frame(events, strict=strict, crs=crs)
    paths = [events] if isinstance(events, str | Path) else list(events)
    return load_events(paths, strict=strict, crs=crs)


def validate(data: EventsLike, *, crs: str | None = None) -> list[Problem]:
    """Every problem in ``data`` (files or frames), with the messages ``geo validate`` prints.

    Frames are checked like files: ACLED and UCDP shapes are recognised by their columns,
    and a problem's place is the row label (``"row 3"``).
    """
    try:
        return load(data, crs=crs).problems
    except ValidationError as exc:
        return exc.problems


@dataclass
class Prepared:
    """Loaded, enriched and filtered events, and what happened on the way."""

    report: LoadReport
    shown: gpd.GeoDataFrame
    warnings: list[Problem]
    start: pd.Timestamp | None
    end: pd.Timestamp | None


#: How :func:`prepare` names its parameters in messages; the command line passes its
#: option names instead (``--start``, ``--type`` ...).
LABELS = {"start": "start", "end": "end", "types": "event type", "provinces": "province"}


def prepare(
    events: EventsLike | None = None,
    *,
    context: Context,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    types: Sequence[str] = (),
    provinces: Sequence[str] = (),
    belt_km: float = BELT_KM,
    strict: bool = False,
    crs: str | None = None,
    labels: Mapping[str, str] = LABELS,
    actors: Sequence[str] = (),
    sub_types: Sequence[str] = (),
    min_fatalities: int | None = None,
    text: str | None = None,
    enrich_only: Sequence[str] | None = None,
) -> Prepared:
    """Load, enrich and filter events as ``geo build`` does (the shipped events by default).

    Options are checked before any file is read: a bad date, an unknown event type or an
    end before the start fails at once. Provinces are checked against the polygons and the
    events' own provinces once the events are loaded. ``enrich_only`` is
    :func:`geo.analysis.enrich`'s ``only`` (``geo stats`` computes what it groups by).
    """
    lo = _bound(start, labels["start"], end=False)
    hi = _bound(end, labels["end"], end=True)
    if lo is not None and hi is not None and hi < lo:
        msg = f"{labels['end']} {hi.date()} is before {labels['start']} {lo.date()}"
        raise InputError(msg)
    check_choices(types, list(EVENT_TYPES), labels["types"])
    source = events if events is not None else data_dir() / SHIPPED["events"]
    report = load(source, strict=strict, crs=crs)
    give_back()  # what reading and validation freed, before enrichment adds its columns
    result = enrich(
        report.events,
        border=context.border,
        countries=context.countries,
        provinces=context.provinces,
        belt_km=belt_km,
        only=enrich_only,
    )
    report.events = result.events
    give_back()
    known = set(context.provinces["province"]) | set(report.events["province"].unique())
    check_choices(provinces, sorted(known - {""}), labels["provinces"])
    shown = filter_events(
        report.events, start=lo, end=hi, provinces=provinces, types=types, actors=actors,
        sub_types=sub_types, min_fatalities=min_fatalities, text=text,
    )  # fmt: skip
    return Prepared(report, shown, result.warnings, lo, hi)


def _bound(value: str | pd.Timestamp | None, name: str, *, end: bool) -> pd.Timestamp | None:
    if value is None or isinstance(value, pd.Timestamp):
        return value
    return parse_bound(str(value), option=name, end=end)


def check_choices(values: Sequence[str], accepted: Sequence[str], what: str) -> None:
    """Raise ``InputError`` naming ``what`` and the accepted values for any unknown value."""
    lower = {a.lower() for a in accepted}
    for v in values:
        if v.lower() not in lower:
            msg = f"{what} {v!r} is not known; accepted: {', '.join(sorted(accepted))}"
            raise InputError(msg)


def map_from(
    prepared: Prepared,
    *,
    context: Context,
    belt_km: float = BELT_KM,
    choropleth: str | None = "events",
    title: str = "Durand Line conflict map",
    description: str | None = None,
) -> Any:
    """The interactive map of prepared events (see :func:`conflict_map`)."""
    from geo.render import build_map

    layers = context.layers(belt_km)
    m = build_map(
        prepared.shown,
        **layers,
        choropleth=choropleth,
        start=prepared.start,
        end=prepared.end,
        title=title,
        description=description,
    )
    m.prepared = prepared
    m.static_options = {
        "layers": layers, "start": prepared.start, "end": prepared.end,
        "title": title, "description": description,
    }  # fmt: skip
    return m


def conflict_map(
    events: EventsLike | None = None,
    *,
    context: Context | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    types: Sequence[str] = (),
    provinces: Sequence[str] = (),
    belt_km: float = BELT_KM,
    choropleth: str | None = "events",
    title: str = "Durand Line conflict map",
    description: str | None = None,
    strict: bool = False,
    crs: str | None = None,
    actors: Sequence[str] = (),
    sub_types: Sequence[str] = (),
    min_fatalities: int | None = None,
    text: str | None = None,
) -> Any:
    """The map ``geo build`` makes, as an object: displays inline, ``.save()`` writes it.

    Parameters
    ----------
    events : paths, DataFrame, GeoDataFrame or LoadReport, optional
        The events (canonical, ACLED or UCDP shape); the shipped events by default.
    context : Context, optional
        The context layers; by default :func:`load_context` of the shipped data.
    start, end : str or Timestamp, optional
        The date window (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), inclusive.
    types, provinces : sequence of str
        Keep only these event types / provinces (case-insensitive).
    actors, sub_types, min_fatalities, text
        Keep only events with these actors / sub-event types, at least this many killed
        (best estimate, else high), or every word of ``text`` in the summary, place,
        actors or sources (``geo.timefilter.filter_events``; the page's filters too).
    belt_km, choropleth, title, description
        As the command line's ``--belt-km``, ``--choropleth``, ``--title``, ``--description``.

    Returns
    -------
    geo.render.ConflictMap
        A folium map; ``m.save("x.html")`` writes the self-contained page (or a PNG, SVG or
        PDF by the suffix), ``m.prepared`` holds the events shown and the problems found.
    """
    ctx = context if context is not None else load_context()
    prepared = prepare(
        events, context=ctx, start=start, end=end, types=types, provinces=provinces,
        belt_km=belt_km, strict=strict, crs=crs, actors=actors, sub_types=sub_types,
        min_fatalities=min_fatalities, text=text,
    )  # fmt: skip
    m = map_from(
        prepared, context=ctx, belt_km=belt_km, choropleth=choropleth, title=title,
        description=description,
    )  # fmt: skip
    m.static_options.update(types=list(types), provinces=list(provinces))
    return m


def save_map(
    events: gpd.GeoDataFrame,
    path: str | Path,
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    provinces: Sequence[str] = (),
    types: Sequence[str] = (),
    title: str = "Durand Line conflict map",
    description: str | None = None,
    layers: Mapping[str, gpd.GeoDataFrame | None] | None = None,
    belt_km: float = 50.0,
    choropleth: str | None = "events",
    self_contained: bool = True,
    size: str | tuple[int, int] | None = None,
    width_mm: float | None = None,
    height_mm: float | None = None,
    dpi: float | None = None,
    credits: Sequence[str] = (),
) -> Path:
    """Write a map of ``events`` in the format the suffix of ``path`` names.

    The Python face of ``geo build``: ``.html`` gives the interactive page, ``.png``,
    ``.svg`` and ``.pdf`` a static image (see :mod:`geo.render.static`), with the same
    date, province and type filters and the same size options as the command line.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Canonical events (from :func:`geo.load_events`; enrich them first with
        :func:`geo.analysis.enrich` for distances in the page's popups).
    path : str or Path
        Output file; written atomically.
    start, end : str or pandas.Timestamp, optional
        The date window (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; inclusive).
    layers : mapping, optional
        ``border``, ``belt``, ``provinces``, ``crossings``, ``countries``, ``cities``;
        by default the shipped files (and a belt of ``belt_km``).
    size, width_mm, height_mm, dpi
        Image size: pixels (``"1600x1000"``), or a printed width (and height) in mm.

    Examples
    --------
    >>> report = geo.load_events(["data/events.geojson"])  # doctest: +SKIP
    >>> geo.save_map(report.events, "oct.pdf", start="2025-10", end="2025-10")  # doctest: +SKIP
    """
    from geo.render import build_map
    from geo.render.html import save_html
    from geo.render.static import image_size, output_format, save_static, static_map

    fmt = output_format(path)
    box = image_size(size=size, width_mm=width_mm, height_mm=height_mm, dpi=dpi)
    a = parse_bound(start, option="start") if isinstance(start, str) else start
    b = parse_bound(end, option="end", end=True) if isinstance(end, str) else end
    shown = filter_events(events, start=a, end=b, provinces=provinces, types=types)
    ctx = dict(layers) if layers is not None else load_context().layers(belt_km)
    if fmt == "html":
        m = build_map(shown, **ctx, choropleth=choropleth, start=a, end=b, title=title,
                      description=description)  # fmt: skip
        return save_html(m, path, self_contained=self_contained)
    fig = static_map(shown, **ctx, start=a, end=b, types=types, province_filter=provinces,
                     title=title, description=description, credits=credits, size=box)  # fmt: skip
    return save_static(fig, path, fmt=fmt)
