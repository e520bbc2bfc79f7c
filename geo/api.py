"""The pipeline as a library: load, validate, enrich, filter, map and export, as the
command line does.

The command line is a thin layer over these functions, so a notebook gets the same map,
byte for byte, as the terminal::

    import geo
    m = geo.conflict_map("data/events.geojson", filters=geo.Filters(start="2022", end="2022"))
    m              # shows inline in Jupyter, self-contained
    m.save("map.html")   # or .png, .svg, .pdf

Every function takes one :class:`~geo.filters.Filters` value; inputs that are a
partitioned GeoParquet dataset run on the engine :class:`Engine` picks (one frame in
memory, or a dask cluster through :mod:`geo.distributed`), with the same answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import pandas as pd

from geo._errors import Problem, ValidationError
from geo._memory import give_back
from geo.analysis import Prepared, aggregate, enrich, needs
from geo.context import SHIPPED, Context, data_dir, load_context
from geo.events import LoadReport, load_events, read_frame
from geo.filters import Filters, actors_of
from geo.schema import BELT_KM

if TYPE_CHECKING:
    from geo.highlight import Highlight
    from geo.render.map import ConflictMap, MapOptions
    from geo.render.static import ImageSize

#: What an events argument may be: file paths (a directory or a glob of GeoParquet files is
#: a dataset; a store of `geo pull` is its latest snapshot), a (Geo)DataFrame in the canonical,
#: ACLED or UCDP shape, or a
#: :class:`~geo.events.LoadReport` already loaded.
EventsLike: TypeAlias = str | Path | Sequence[str | Path] | pd.DataFrame | LoadReport


@dataclass(frozen=True)
class Engine:
    """Where a dataset is processed.

    Attributes
    ----------
    kind : {"auto", "memory", "dask"}
        ``memory`` reads everything into one frame; ``dask`` runs each partition of a
        GeoParquet dataset on a cluster; ``auto`` runs on dask above
        :data:`geo.distributed.AUTO_ROWS` events in a dataset. Files that are not a
        dataset (CSV, GeoJSON, frames) always run in memory.
    scheduler : str, optional
        Address of a running ``dask.distributed`` scheduler; by default a local cluster.
    say : callable, optional
        Where notes for the user go (the command line prints them on stderr).
    """

    kind: str = "auto"
    scheduler: str | None = None
    say: Callable[[str], None] | None = field(default=None, compare=False, repr=False)

    def on_dask(self, events: Any) -> bool:
        """Whether ``events`` run on dask (``auto`` decides by the dataset's size)."""
        from geo import distributed

        if isinstance(events, pd.DataFrame | LoadReport) or events is None:
            if self.kind == "dask":
                return distributed.choose_engine([], "dask") == "dask"  # raises: no dataset
            return False
        paths = _paths(events)
        return distributed.choose_engine(paths, self.kind, say=self.say) == "dask"


MEMORY = Engine("memory")


def _paths(events: str | Path | Sequence[str | Path]) -> list[str]:
    """The event paths, each store of ``geo pull`` (a directory with its manifest) replaced
    by its latest snapshot."""
    from geo.pull.store import resolve

    return resolve([events] if isinstance(events, str | Path) else events)


def load(events: EventsLike, *, strict: bool = False, crs: str | None = None) -> LoadReport:
    """Load events from paths, a dataset, a DataFrame/GeoDataFrame, or pass a LoadReport
    through; problems are reported in the report (``strict`` raises on any)."""
    if isinstance(events, LoadReport):
        return events
    if isinstance(events, pd.DataFrame):
        return read_frame(events, strict=strict, crs=crs)
    from geo.distributed import is_dataset, load_dataset

    paths = _paths(events)
    if is_dataset(paths) and not _single_parquet(paths):
        return load_dataset(paths, strict=strict, crs=crs)
    return load_events(paths, strict=strict, crs=crs)


def _single_parquet(paths: Sequence[str]) -> bool:
    """One ``.parquet`` file is an event file like any other (read whole, like a CSV)."""
    if len(paths) != 1:
        return False
    one = paths[0]
    return one.lower().endswith(".parquet") and Path(one).is_file()


def validate(data: EventsLike, *, crs: str | None = None) -> list[Problem]:
    """Every problem in ``data`` (files or frames), with the messages ``geo validate`` prints.

    Frames are checked like files: ACLED and UCDP shapes are recognised by their columns,
    and a problem's place is the row label (``"row 3"``).
    """
    try:
        return load(data, crs=crs).problems
    except ValidationError as exc:
        return exc.problems


def prepare(
    events: EventsLike | None = None,
    *,
    context: Context,
    filters: Filters | None = None,
    belt_km: float = BELT_KM,
    strict: bool = False,
    crs: str | None = None,
    enrich_only: Sequence[str] | None = None,
    engine: Engine = MEMORY,
) -> Prepared:
    """Load, enrich and filter events as ``geo build`` does (the shipped events by default).

    ``filters`` were checked when they were made; provinces are checked against the
    polygons and the events' own provinces once the events are loaded. ``enrich_only`` is
    :func:`geo.analysis.enrich`'s ``only`` (``geo stats`` computes what it groups by).
    On a dataset that ``engine`` sends to dask, the events are collected from the cluster
    (aggregated above :data:`geo.distributed.PAGE_EVENTS`: see :attr:`Prepared.note`).
    """
    filters = filters if filters is not None else Filters()
    source = events if events is not None else data_dir() / SHIPPED["events"]
    if engine.on_dask(source):
        from geo import distributed

        return distributed.prepare_dataset(
            _paths(source),  # type: ignore[arg-type]
            context=context, filters=filters, belt_km=belt_km, strict=strict, crs=crs,
            scheduler=engine.scheduler, say=engine.say,
        )  # fmt: skip
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
    filters.check_provinces(
        set(context.provinces["province"]) | set(report.events["province"].unique())
    )
    notes = filters.actor_notes(actors_of(report.events)) if filters.actors else []
    return Prepared(report, filters.apply(report.events), result.warnings, filters, notes=notes)


def shipped_events(events: EventsLike | None) -> bool:
    """Whether ``events`` is the shipped record (None, or a path naming its file): its
    licence is then credited like the other shipped files'."""
    if events is None:
        return True
    paths = [events] if isinstance(events, str | Path) else events
    if isinstance(paths, pd.DataFrame | LoadReport) or len(paths) != 1:
        return False
    shipped = data_dir() / SHIPPED["events"]
    try:
        return Path(paths[0]).resolve() == shipped.resolve()
    except (OSError, TypeError):
        return False


def map_options(
    prepared: Prepared | None = None,
    *,
    context: Context | None = None,
    title: str = "Durand Line conflict map",
    description: str | None = None,
    choropleth: str | None = "events",
    events_shipped: bool | None = None,
    credits: Sequence[str] = (),
    extent: str | Sequence[float] = "story",
    alt: str | None = None,
    detail: bool = True,
    annotate: Sequence[str] = (),
    notes: Sequence[str] = (),
    inset: bool | None = None,
    highlight: Highlight | str | Sequence[str] | None = None,
    accessed: str | dt.date | None = None,
    allow_download: bool = False,
    worldview: str = "neutral",
    lang: str = "en",
) -> MapOptions:
    """The options of a map of ``prepared``: the dask engine's note goes before the
    description, and the shipped files that carry no attribution of their own are credited
    (``data/SOURCES.md``); ``credits`` are added after them, in the order given. ``extent``
    is what every output frames (:mod:`geo.render.framing`); ``alt`` says in words what the
    map shows, for screen readers; ``detail`` False leaves the stills without their detail
    panel (:attr:`geo.render.options.MapOptions.detail`); ``annotate`` and ``notes`` are
    callouts as ``--annotate`` and ``--note`` give them (:mod:`geo.render.annotations`),
    checked here (an event id against the events ``prepared`` shows); ``inset`` shows (True)
    or leaves out (False) the locator inset, by default shown when the frame is smaller than
    the two countries (:attr:`geo.render.options.MapOptions.inset`). ``highlight`` (specs as
    ``--highlight`` takes them, OR-ed: :class:`geo.highlight.Highlight`) draws the events it
    picks in colour and the others grey; its provinces and event ids are checked against
    ``prepared`` and ``context``. ``accessed`` (``--accessed``) is the day the data were
    taken, stated with each source's credit; ``allow_download`` (``--allow-download``)
    offers the rows where a source's terms forbid it (:mod:`geo.terms`); ``lang``
    (``--lang``) is the edition, ``en``, ``ps``, ``fa-AF`` or ``ur`` (:mod:`geo.i18n`). The events'
    sources are credited by :mod:`geo.terms` (the shipped record too); ``events_shipped``
    is kept for callers and no longer adds a credit.
    ``worldview`` (``--worldview``: :mod:`geo.worldview`) is
    how disputed Kashmir is drawn, named and captioned."""
    from geo.highlight import highlight_of
    from geo.render.annotations import parse_all, resolve
    from geo.render.framing import parse_extent
    from geo.render.options import MapOptions

    lit = highlight_of(highlight, "highlight")
    if lit is not None and prepared is not None:
        known = context.provinces["province"] if context is not None else ()
        every = prepared.report.events if prepared.report.events is not None else prepared.shown
        lit.check(every, known)

    if prepared is not None and prepared.note:
        description = prepared.note + (f" {description}" if description else "")
        # the page's own count of symbols would be a count of cells; fatalities are sums
        choropleth = "fatalities" if choropleth == "events" else choropleth
    from geo.i18n.words import N_, listed, tr

    own = [
        tr(name, lang) + licence
        for name, licence, shipped in (
            (N_("towns"), " (CC BY 4.0)", context is not None and "cities" in context.shipped),
            (N_("crossings"), " (MIT)", context is not None and "crossings" in context.shipped),
        )
        if shipped
    ]
    shipped = (tr("{layers}: geo project", lang, layers=listed(own, lang)),) if own else ()
    annotations = parse_all(annotate, notes)
    if prepared is not None and not prepared.note:  # dask's cells carry no event ids
        resolve(annotations, prepared.shown)
    return MapOptions(
        title,
        description,
        choropleth,
        (*shipped, *credits),
        extent=parse_extent(extent),
        alt=alt,
        detail=detail,
        annotations=annotations,
        inset=inset,
        highlight=lit,
        accessed=accessed,  # type: ignore[arg-type]  # checked by MapOptions
        allow_download=allow_download,
        worldview=worldview,
        lang=lang,
    )


def map_from(
    prepared: Prepared,
    *,
    context: Context,
    belt_km: float = BELT_KM,
    options: MapOptions | None = None,
) -> ConflictMap:
    """The interactive map of prepared events (see :func:`conflict_map`)."""
    from geo.render import build_map

    return build_map(
        prepared.shown,
        layers=context.layers(belt_km),
        filters=prepared.filters,
        options=options if options is not None else map_options(prepared, context=context),
        prepared=prepared,
    )


def conflict_map(
    events: EventsLike | None = None,
    *,
    context: Context | None = None,
    filters: Filters | None = None,
    belt_km: float = BELT_KM,
    choropleth: str | None = "events",
    title: str = "Durand Line conflict map",
    description: str | None = None,
    credits: Sequence[str] = (),
    extent: str | Sequence[float] = "story",
    alt: str | None = None,
    detail: bool = True,
    strict: bool = False,
    crs: str | None = None,
    engine: Engine = MEMORY,
    annotate: Sequence[str] = (),
    notes: Sequence[str] = (),
    inset: bool | None = None,
    highlight: Highlight | str | Sequence[str] | None = None,
    accessed: str | dt.date | None = None,
    allow_download: bool = False,
    worldview: str = "neutral",
    lang: str = "en",
) -> ConflictMap:
    """The map ``geo build`` makes, as an object: displays inline, ``.save()`` writes it.

    Parameters
    ----------
    events : paths, DataFrame, GeoDataFrame or LoadReport, optional
        The events (canonical, ACLED or UCDP shape); the shipped events by default.
    context : Context, optional
        The context layers; by default :func:`geo.load_context` of the shipped data.
    filters : Filters, optional
        Which events to keep: dates, types, provinces, actors, sub-types, a minimum figure
        of killed, free text (see :class:`geo.Filters`; the page offers the same ones).
    belt_km, choropleth, title, description, credits, extent, alt
        As the command line's ``--belt-km``, ``--choropleth``, ``--title``, ``--description``,
        ``--credit`` (lines added to the credits of the data and the layers; a store of
        ``geo pull`` among ``events`` adds the day its data were taken), ``--extent``
        (``story``, ``events``, ``border``, ``provinces`` or ``(west, south, east, north)``)
        and ``--alt`` (what the map shows, in words, for screen readers).
    detail : bool
        As ``--no-detail`` when False: the stills get no detail panel of their densest
        area (by default they do where it cannot be read at the map's scale).
    strict, crs, engine
        As :func:`prepare`.
    annotate, notes
        Callouts, as ``--annotate`` (``"EVENT_ID"``, ``"EVENT_ID=Text@ne"``) and ``--note``
        (``"LON,LAT=Text"``, ``"LON,LAT,START..END=Text"``) give them: README, "Annotations".
    inset : bool, optional
        As ``--inset`` (True) or ``--no-inset`` (False): the locator inset, an overview of
        the region with the frame's outline, in the page and the stills; by default shown
        when the frame is smaller than the two countries.
    highlight : str or sequence of str, optional
        As ``--highlight`` (repeated): an event id, ``"START..END"``, ``"type=…"``,
        ``"actor=…"`` or ``"province=…"``; the events any of them picks are drawn in colour,
        the others grey (:class:`geo.highlight.Highlight`).
    accessed : str or datetime.date, optional
        As ``--accessed``: the day the data were accessed or exported (``YYYY-MM-DD``),
        stated with each source's credit in every output (:mod:`geo.methods`).
    allow_download : bool
        As ``--allow-download``: offer the page's rows even where a source's terms forbid
        it (:mod:`geo.terms`; ACLED's do).
    worldview : str
        As ``--worldview``: ``neutral`` (the default), ``india``, ``pakistan`` or
        ``afghanistan`` (:data:`geo.worldview.WORLDVIEWS`).
    lang : str
        As ``--lang``: the edition, ``"en"`` (default), ``"ps"``, ``"fa-AF"`` or ``"ur"``
        (:data:`geo.i18n.EDITIONS`); another value raises :class:`geo.InputError`.

    Returns
    -------
    geo.render.ConflictMap
        A folium map; ``m.save("x.html")`` writes the self-contained page (or a PNG, SVG or
        PDF by the suffix), ``m.prepared`` holds the events shown and the problems found.
    """
    from geo.highlight import highlight_of

    lit = highlight_of(highlight, "highlight")  # a bad spec fails before any reading
    ctx = context if context is not None else load_context()
    prepared = prepare(
        events, context=ctx, filters=filters, belt_km=belt_km, strict=strict, crs=crs,
        engine=engine,
    )  # fmt: skip
    options = map_options(
        prepared, context=ctx, title=title, description=description, choropleth=choropleth,
        events_shipped=shipped_events(events), credits=credits, extent=extent, alt=alt,
        detail=detail, annotate=annotate, notes=notes, inset=inset, highlight=lit,
        accessed=accessed, allow_download=allow_download,
        worldview=worldview, lang=lang,
    )  # fmt: skip
    return map_from(prepared, context=ctx, belt_km=belt_km, options=options)


def save_map(
    events: EventsLike | None,
    path: str | Path,
    *,
    context: Context | None = None,
    filters: Filters | None = None,
    belt_km: float = BELT_KM,
    choropleth: str | None = "events",
    title: str = "Durand Line conflict map",
    description: str | None = None,
    credits: Sequence[str] = (),
    extent: str | Sequence[float] = "story",
    alt: str | None = None,
    detail: bool = True,
    self_contained: bool = True,
    size: ImageSize | None = None,
    annotate: Sequence[str] = (),
    notes: Sequence[str] = (),
    inset: bool | None = None,
    highlight: Highlight | str | Sequence[str] | None = None,
    accessed: str | dt.date | None = None,
    allow_download: bool = False,
    worldview: str = "neutral",
    lang: str = "en",
) -> Path:
    """Write a map of ``events`` in the format the suffix of ``path`` names.

    The Python face of ``geo build``: :func:`conflict_map` (load, enrich, filter: the same
    checks and the same events) saved as the interactive page (``.html``) or a still
    (``.png``, ``.svg``, ``.pdf``; ``size`` from :func:`geo.render.static.image_size`).

    Examples
    --------
    >>> geo.save_map("data/events.geojson", "oct.pdf",
    ...              filters=geo.Filters(start="2025-10", end="2025-10"))  # doctest: +SKIP
    """
    m = conflict_map(
        events, context=context, filters=filters, belt_km=belt_km, choropleth=choropleth,
        title=title, description=description, credits=credits, extent=extent, alt=alt,
        detail=detail, annotate=annotate, notes=notes, inset=inset, highlight=highlight,
        accessed=accessed, allow_download=allow_download,
        worldview=worldview, lang=lang,
    )  # fmt: skip
    return m.save(path, self_contained=self_contained, size=size)


def export_events(
    events: EventsLike | None,
    out: str | Path,
    *,
    context: Context,
    filters: Filters | None = None,
    belt_km: float = BELT_KM,
    fmt: str | None = None,
    strict: bool = False,
    crs: str | None = None,
    engine: Engine = MEMORY,
    inputs: Sequence[str | Path] = (),
) -> Exported:
    """Write the events ``filters`` keeps, enriched, as GeoJSON, CSV or GeoParquet.

    On a dataset that ``engine`` sends to dask the partitions are written by the workers
    (one file in the format asked for, or a directory of GeoParquet files when ``out`` has
    no suffix), with the same rows, in the same order, as the memory engine writes.
    """
    from geo.export import event_format, write_events

    filters = filters if filters is not None else Filters()
    source = events if events is not None else data_dir() / SHIPPED["events"]
    if engine.on_dask(source):
        from geo import distributed

        w = distributed.write_dataset(
            _paths(source),  # type: ignore[arg-type]
            out, context=context, filters=filters, belt_km=belt_km, fmt=fmt, strict=strict,
            crs=crs, scheduler=engine.scheduler, say=engine.say,
        )  # fmt: skip
        rejected = w.n_read - w.n_valid
        return Exported(w.out, w.n_read, rejected, w.events, w.in_belt, w.problems, w.warnings,
                        "dask", w.files, w.notes)  # fmt: skip
    event_format(out, fmt)  # an unknown suffix fails before any reading
    prepared = prepare(
        source, context=context, filters=filters, belt_km=belt_km, strict=strict, crs=crs
    )
    written = write_events(prepared.shown, out, fmt=fmt, inputs=inputs)
    report, shown = prepared.report, prepared.shown
    return Exported(
        written, report.n_read, report.n_rejected, len(shown),
        int(shown["in_border_belt"].sum()), report.problems, prepared.warnings,
        notes=prepared.notes,
    )  # fmt: skip


@dataclass
class Exported:
    """What :func:`export_events` wrote, on either engine."""

    out: Path
    n_read: int
    n_rejected: int
    events: int
    in_belt: int
    problems: list[Problem]
    warnings: list[Problem]
    engine: str = "memory"
    files: int = 1
    notes: list[str] = field(default_factory=list)


def stats(
    events: EventsLike | None = None,
    *,
    context: Context,
    by: tuple[str, ...] = ("province",),
    period: str | None = "month",
    filters: Filters | None = None,
    belt_km: float = BELT_KM,
    strict: bool = False,
    crs: str | None = None,
    engine: Engine = MEMORY,
) -> tuple[pd.DataFrame, Prepared]:
    """Events and fatalities per group and period of the events ``filters`` keeps
    (:func:`geo.analysis.aggregate`), on the engine ``engine`` picks; only what the grouping
    needs is computed (no distance unless by belt)."""
    filters = filters if filters is not None else Filters()
    source = events if events is not None else data_dir() / SHIPPED["events"]
    if engine.on_dask(source):
        from geo import distributed

        return distributed.stats_dataset(
            _paths(source),  # type: ignore[arg-type]
            context=context, by=by, period=period, filters=filters, belt_km=belt_km,
            strict=strict, crs=crs, scheduler=engine.scheduler, say=engine.say,
        )  # fmt: skip
    prepared = prepare(
        source, context=context, filters=filters, belt_km=belt_km, strict=strict, crs=crs,
        enrich_only=needs(by),
    )  # fmt: skip
    return aggregate(prepared.shown, by=by, period=period), prepared
