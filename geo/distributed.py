"""Beyond one machine: partitioned GeoParquet datasets, run on a dask cluster.

A dataset is a directory (searched recursively), a glob or a list of ``.parquet`` files of
events in any shape the readers know: canonical (as ``geo export --out x.parquet``
writes them), ACLED or UCDP GED. Each file is cut into pieces along its row groups
(:data:`PARTITION_ROWS` rows at most), and every piece goes through the code one machine
runs, unchanged: the file reader and its validation
(:func:`geo.events.read_parquet_piece`: every rule, every bad record reported),
:func:`geo.analysis.enrich`, :meth:`geo.filters.Filters.apply` and
:func:`geo.analysis.aggregate`. The memory engine reads a dataset through the same
pieces (:func:`load_dataset`), so the two engines give the same answers. An id repeated
across pieces is found before anything else by reading the id columns alone
(:func:`duplicates`).

The context layers travel to each worker once, and each worker builds the line's
:class:`~geo.border.BorderIndex` once. Outputs are written whole or not at all: the
workers write into a temporary directory beside the output, renamed (a directory of
GeoParquet files) or joined into one file (CSV, GeoJSON, GeoParquet) at the end.

dask, distributed and dask-geopandas come with the ``scale`` extra
(``pip install 'geo[scale]'``); reading a dataset into one frame (``--engine memory``)
needs only pyarrow.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import sys
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from geo import _formats
from geo._atomic import check_output, write_bytes_atomic
from geo._errors import InputError, Problem, ValidationError
from geo.analysis import FATALITIES, PERIODS, Prepared, aggregate, enrich, needs
from geo.border import BorderIndex
from geo.context import Context
from geo.events import (
    LoadReport,
    empty_events,
    parquet_piece_ids,
    read_events,
    read_parquet_piece,
)
from geo.filters import Filters, actors_of
from geo.schema import BELT_KM, COLUMNS, LAT_ALIASES, LON_ALIASES, REQUIRED

#: ``--engine auto`` runs on dask above this many events in a dataset (from the files'
#: metadata, before anything is read); below it one frame in memory is faster.
AUTO_ROWS = 2_000_000
#: ``geo build`` on a dataset: above this many events after the filters, the page shows
#: aggregates (cells and provinces per period) instead of the events themselves.
PAGE_EVENTS = 2_000_000
#: Most symbols an aggregated page holds; periods are merged (month, quarter, year) until
#: the cells fit.
PAGE_CELLS = 250_000
#: Side of the aggregation cells, in degrees (about 25 km in the region).
CELL_DEG = 0.25
#: Rows per partition at most: larger files are split along their row groups (a row group
#: larger than this is one partition). Small partitions bound each task's memory.
PARTITION_ROWS = 250_000
ENRICHED = ("border_distance_km", "border_side", "in_border_belt")
INSTALL = "pip install 'geo[scale]'"
#: Output formats of a dask export by suffix; an ``--out`` without one of these suffixes
#: is a directory of GeoParquet files, one per partition.
OUT_FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".parquet": "parquet"}


def require_scale() -> None:
    """Raise ``InputError`` with the install command when the ``scale`` extra is missing."""
    try:
        import dask  # noqa: F401
        import dask_geopandas  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        msg = (
            f"the dask engine needs dask-geopandas and dask.distributed ({exc.name} is not "
            f"installed); install them with: {INSTALL}"
        )
        raise InputError(msg) from exc


# --- datasets -------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """One partition: some row groups of a Parquet file (``first_row`` rows come before
    them), or a whole CSV or GeoJSON file (``rows`` -1: not known before reading)."""

    path: str
    row_groups: tuple[int, ...]
    first_row: int
    rows: int
    number: int = 0

    @property
    def parquet(self) -> bool:
        return self.rows >= 0


@dataclass
class Dataset:
    """The files of a partitioned GeoParquet dataset, checked, cut into pieces."""

    name: str
    pieces: list[Piece]
    files: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """The rows of the Parquet pieces (a CSV or GeoJSON file is not counted before it is read)."""
        return sum(p.rows for p in self.pieces if p.parquet)


def _is_parquet_name(text: str) -> bool:
    return text.lower().rstrip("/").endswith((".parquet", ".parq", ".geoparquet"))


#: Files a dataset directory may hold besides Parquet: read whole, one piece each.
FILE_SUFFIXES = (".csv", ".geojson", ".json")


def _is_event_file(text: str) -> bool:
    return _is_parquet_name(text) or text.lower().endswith(FILE_SUFFIXES)


def is_dataset(paths: Sequence[str | Path]) -> bool:
    """True when the inputs are Parquet: a directory, a glob or ``.parquet`` files."""
    if not paths:
        return False
    for p in map(str, paths):
        if not (Path(p).is_dir() or _is_parquet_name(p) or glob.has_magic(p)):
            return False
    return True


def _files(paths: Sequence[str | Path]) -> list[str]:
    files: list[str] = []
    for p in map(str, paths):
        if Path(p).is_dir():
            found = sorted(
                str(f) for f in Path(p).rglob("*") if f.is_file() and _is_event_file(f.name)
            )
            if not found:
                msg = (
                    f"{p}: no .parquet, .csv or .geojson files in this directory; a dataset "
                    "is a directory of event files"
                )
                raise InputError(msg)
            files += found
        elif glob.has_magic(p):
            found = sorted(f for f in glob.glob(p, recursive=True) if Path(f).is_file())
            if not found:
                msg = f"{p}: no file matches this pattern"
                raise InputError(msg)
            files += found
        elif not Path(p).is_file():
            msg = f"{p}: no such file or directory"
            raise InputError(msg)
        else:
            files.append(p)
    return files


def _schema_problem(names: list[str], geo_column: str | None) -> str | None:
    """What a file lacks to be read as events, or None: the columns of its shape."""
    kind = _formats.detect(pd.Index(names))
    missing = [c for c in REQUIRED if c not in names] if kind is None else []
    lower = {n.lower() for n in names}
    if geo_column is None and not (lower & set(LAT_ALIASES) and lower & set(LON_ALIASES)):
        missing.append("geometry (or latitude and longitude)")
    if not missing:
        return None
    return (
        f"missing column(s) {', '.join(missing)}; a dataset holds events as GeoParquet "
        "(what 'geo export --out x.parquet' writes) or ACLED or UCDP exports as Parquet"
    )


def open_dataset(paths: Sequence[str | Path]) -> Dataset:
    """List and check the files of a dataset from their metadata (no rows are read).

    Raises
    ------
    InputError
        A file that is not Parquet, or that lacks the columns of every shape the readers
        know; the message names the file and the missing columns.
    """
    pieces: list[Piece] = []
    files = _files(paths)
    for f in files:
        if not _is_parquet_name(f):
            pieces.append(Piece(f, (), 0, -1))  # read whole by the file reader, checked there
            continue
        try:
            meta = pq.ParquetFile(f)
        except (OSError, pa.ArrowException) as exc:
            msg = (
                f"{f}: not a Parquet file ({exc}); a dataset holds GeoParquet files as "
                "'geo export --out x.parquet' writes them"
            )
            raise InputError(msg) from None
        names = list(meta.schema_arrow.names)
        geo_column = _geo_column(meta.schema_arrow.metadata or {}, names)
        problem = _schema_problem(names, geo_column)
        if problem is not None:
            raise InputError(f"{f}: {problem}")
        pieces += _pieces(f, meta)
    numbered = [replace(p, number=k) for k, p in enumerate(pieces)]
    return Dataset(", ".join(map(str, paths)), numbered, files)


def _geo_column(metadata: dict[bytes, bytes], names: list[str]) -> str | None:
    import json

    try:
        geo_meta = json.loads(metadata.get(b"geo", b"{}"))
    except ValueError:
        return None  # the reader names the broken metadata, record by record
    column = geo_meta.get("primary_column") if isinstance(geo_meta, dict) else None
    return column if column in names else None


def _pieces(path: str, meta: pq.ParquetFile) -> list[Piece]:
    out: list[Piece] = []
    group: list[int] = []
    first = rows = 0
    for k in range(meta.metadata.num_row_groups):
        n = meta.metadata.row_group(k).num_rows
        if group and rows + n > PARTITION_ROWS:
            out.append(Piece(path, tuple(group), first, rows))
            first, group, rows = first + rows, [], 0
        group.append(k)
        rows += n
    if group or not out:
        out.append(Piece(path, tuple(group), first, rows))
    return out


# --- one piece: the code both engines run ----------------------------------------------


#: For each piece, the records (``"row 12"``, ``"line 4"``) whose id an earlier piece
#: holds, with the message that drops them.
Drops = list[dict[str, str]]


def duplicates(
    ds: Dataset, hashes: Sequence[np.ndarray], ids: Callable[[int], pd.Series] | None = None
) -> Drops:
    """The records to drop because an earlier piece holds their id. Within a piece,
    validation finds repeats.

    ``hashes`` are each piece's id hashes (:func:`id_hashes`: 8 bytes a row, so ten million
    ids take 80 MB on the client, not gigabytes of text); repeats across pieces are found
    among them, then confirmed on the ids themselves (``ids(k)``: piece ``k``'s, from
    :func:`_ids`), read again only for the pieces that hold a candidate.
    """
    drops: Drops = [{} for _ in ds.pieces]
    sizes = [len(h) for h in hashes]
    if not sum(sizes):
        return drops
    every = np.concatenate([np.asarray(h, dtype=np.uint64) for h in hashes])
    piece = np.repeat(np.arange(len(hashes)), sizes)
    order = np.argsort(every, kind="stable")  # equal hashes together, first occurrence first
    ranked = every[order]
    repeat = np.r_[False, ranked[1:] == ranked[:-1]] & (ranked != 0)
    starts = np.maximum.accumulate(np.where(repeat, 0, np.arange(len(ranked))))
    later, first = order[repeat], order[starts[repeat]]
    across = piece[later] != piece[first]
    later, first = later[across], first[across]
    if not len(later):
        return drops
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    read = ids if ids is not None else (lambda k: _ids(ds.pieces[k]))
    held = {int(k): read(int(k)) for k in np.unique(piece[np.r_[later, first]])}

    def record(i: int) -> tuple[pd.Series, int, Piece]:
        k = int(piece[i])
        return held[k], int(i - offsets[k]), ds.pieces[k]

    def where(values: pd.Series, local: int, pc: Piece) -> str:
        return f"row {pc.first_row + local + 1}" if pc.parquet else str(values.index[local])

    for i, j in zip(later.tolist(), first.tolist(), strict=True):
        (a, la, here), (b, lb, there) = record(i), record(j)
        if a.iat[la] != b.iat[lb]:  # two ids of one hash: not a repeat
            continue
        seen = where(b, lb, there)
        if here.path == there.path:
            msg = f"duplicate event_id (first seen at {seen}); ids must be unique"
        else:
            msg = f"duplicate event_id across files (first seen at {there.path}: {seen}); ids must be unique"
        drops[int(piece[i])][where(a, la, here)] = msg
    return drops


def id_hashes(piece: Piece) -> np.ndarray:
    """64-bit hashes of a piece's event ids (0 where there is none)."""
    ids = _ids(piece).to_numpy(dtype=object)
    out = pd.util.hash_array(ids, categorize=True)
    out[ids == ""] = 0
    return out


def read_piece(
    piece: Piece, drops: dict[str, str], *, strict: bool = False, crs: str | None = None
) -> LoadReport:
    """One piece read and validated as its file would be, without the records ``drops``
    names (each reported as a duplicate)."""
    if piece.parquet:
        report = read_parquet_piece(
            piece.path, piece.row_groups, piece.first_row, strict=strict, crs=crs
        )
    else:
        report = read_events(piece.path, strict=strict, crs=crs)
    if not drops:
        return report
    events = report.events
    dup = events["origin_record"].isin(list(drops)).to_numpy()
    if not dup.any():
        return report
    wheres = events["origin_record"].to_numpy(dtype=object)[dup]
    found = [
        Problem(piece.path, w, "event_id", i, drops[w])
        for w, i in zip(wheres, events["event_id"].to_numpy(dtype=object)[dup], strict=True)
    ]
    problems = sorted([*report.problems, *found], key=_row_number)
    if strict:
        raise ValidationError(problems)
    kept = gpd.GeoDataFrame(events[~dup].reset_index(drop=True), crs=events.crs)
    return LoadReport(kept, problems, report.n_read)


def _row_number(problem: Problem) -> int:
    digits = problem.where.rpartition(" ")[2]
    return int(digits) if digits.isdigit() else 0


def _ids(piece: Piece) -> pd.Series:
    """A piece's event ids: a Parquet piece's from its id column alone, row by row; a CSV or
    GeoJSON file's valid events' ids, labelled by record (the file is read twice)."""
    if piece.parquet:
        return parquet_piece_ids(piece.path, piece.row_groups)
    events = read_events(piece.path).events
    return pd.Series(events["event_id"].to_numpy(dtype=object), index=events["origin_record"])


def load_dataset(
    paths: Sequence[str | Path], *, strict: bool = False, crs: str | None = None
) -> LoadReport:
    """A whole dataset as one canonical frame (the memory engine): the pieces the dask
    engine reads, read here one after the other."""
    ds = open_dataset(paths)
    drops = duplicates(ds, [id_hashes(p) for p in ds.pieces])
    reports = [
        read_piece(p, d, strict=strict, crs=crs) for p, d in zip(ds.pieces, drops, strict=True)
    ]
    frames = [r.events for r in reports if len(r.events)]
    events = pd.concat(frames, ignore_index=True) if frames else empty_events()
    return LoadReport(
        gpd.GeoDataFrame(events, crs="EPSG:4326"),
        [p for r in reports for p in r.problems],
        sum(r.n_read for r in reports),
    )


_PREPARE_LOCK = threading.Lock()


@dataclass
class WorkerLayers:
    """The context layers a piece needs, shipped to each worker once."""

    border: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    _index: BorderIndex | None = field(default=None, repr=False)

    @classmethod
    def of(cls, context: Context) -> WorkerLayers:
        return cls(context.border, context.countries, context.provinces)

    def index(self) -> BorderIndex:
        """The line's index, built on first use in each worker.

        The polygons are prepared here too, once and under a lock: GEOS must not prepare
        one geometry from two threads (a worker with several threads, or ``processes=False``).
        """
        with _PREPARE_LOCK:
            if self._index is None:
                shapely.prepare(self.countries.geometry.values)
                shapely.prepare(self.provinces.geometry.values)
                self._index = BorderIndex(self.border)
        return self._index

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_index": None}  # each worker builds its own


@dataclass
class Part:
    """What one piece gave: its events kept (or what a task made of them), its problems
    and warnings, the records read and the provinces its events lie in."""

    events: Any
    problems: list[Problem]
    warnings: list[Problem]
    n_read: int
    provinces: set[str]
    n_kept: int = 0
    in_belt: int = 0
    n_valid: int = 0
    actors: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Job:
    """How every piece of a run is read, enriched and filtered."""

    layers: WorkerLayers | None
    filters: Filters
    belt_km: float = BELT_KM
    strict: bool = False
    crs: str | None = None
    only: tuple[str, ...] | None = None


def prepare_piece(piece: Piece, drops: dict[str, str], job: Job) -> Part:
    """Read, validate, enrich and filter one piece: what :func:`geo.api.prepare` does to a
    file, on a piece."""
    report = read_piece(piece, drops, strict=job.strict, crs=job.crs)
    layers = job.layers
    assert layers is not None
    result = enrich(
        report.events, border=layers.border, countries=layers.countries,
        provinces=layers.provinces, belt_km=job.belt_km, index=layers.index(), only=job.only,
    )  # fmt: skip
    provinces = set(result.events["province"].unique())
    kept = job.filters.apply(result.events)
    in_belt = int(kept["in_border_belt"].sum()) if "in_border_belt" in kept else 0
    actors = actors_of(report.events) if job.filters.actors else set()
    return Part(
        kept, report.problems, result.warnings, report.n_read, provinces, len(kept), in_belt,
        len(report.events), actors,
    )  # fmt: skip


# --- the engines ----------------------------------------------------------------------


def choose_engine(
    paths: Sequence[str | Path],
    engine: str,
    *,
    threshold: int | None = None,
    say: Callable[[str], None] | None = None,
) -> str:
    """``"memory"`` or ``"dask"`` for ``--engine`` (``auto`` decides by the dataset's size).

    Raises
    ------
    InputError
        ``--engine dask`` on inputs that are not a Parquet dataset.
    """
    dataset = is_dataset(paths)
    if engine == "dask" and not paths:
        msg = (
            "--engine dask reads event files (a directory, a glob, Parquet, CSV or GeoJSON "
            "files), not a frame in memory; use --engine memory"
        )
        raise InputError(msg)
    if engine != "auto":
        return engine
    if not dataset:
        return "memory"
    rows = open_dataset(paths).rows
    threshold = AUTO_ROWS if threshold is None else threshold
    if rows <= threshold:
        return "memory"
    if say is not None:
        say(
            f"note: {rows:,} events in the dataset, above the {threshold:,} that --engine auto "
            "runs in memory: running on dask (--engine memory to override)"
        )
    return "dask"


@contextlib.contextmanager
def cluster(
    scheduler: str | None = None, *, workers: int | None = None, processes: bool = True
) -> Iterator[Any]:
    """A ``dask.distributed.Client``: to ``scheduler`` if given, else a ``LocalCluster``.

    The local cluster has one single-threaded worker per core (the enrichment itself uses
    threads where shapely releases the GIL) and is closed on exit. Its logs stay out of
    the user's terminal.
    """
    require_scale()
    with _quiet_logs():
        yield from _client(scheduler, workers, processes)


#: Loggers of dask, distributed and the event loop they run on: their messages (a worker's
#: "Compute Failed", a closed connection's traceback at shutdown) are not for the user, who
#: gets one clean message per bad record instead.
QUIET_LOGGERS = ("distributed", "dask", "tornado", "asyncio")


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _client(scheduler: str | None, workers: int | None, processes: bool) -> Iterator[Any]:
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            msg = f"--scheduler {scheduler!r}: cannot connect to a dask scheduler there ({exc})"
            raise InputError(msg) from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    local = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=":0",  # any free port: None still takes 8787
        silence_logs=logging.CRITICAL + 1,  # the workers' logs too
    )
    client = Client(local)
    try:
        yield client
    finally:
        client.close()
        local.close()


def _progress(futures: Any) -> None:
    """dask's own progress bar on a terminal; nothing otherwise."""
    if sys.stderr.isatty():
        from dask.distributed import progress

        progress(futures)


@dataclass
class Run:
    """Every piece of a dataset through ``task`` on a cluster, in piece order."""

    ds: Dataset
    context: Context
    filters: Filters
    belt_km: float = BELT_KM
    strict: bool = False
    crs: str | None = None
    scheduler: str | None = None
    notes: list[str] = field(default_factory=list)

    def map(
        self, task: Callable[..., Part], *args: Any, only: Sequence[str] | None = None
    ) -> list[Part]:
        """``task(piece, drops, job, *args)`` for every piece; every part's problems and
        warnings are checked and the filters' provinces against those the events hold."""
        with cluster(self.scheduler) as client:
            hashes = client.gather(client.map(id_hashes, self.ds.pieces, pure=False))
            drops = duplicates(self.ds, hashes)
            # one copy of the layers per worker, handed to each task as an argument
            shipped = client.scatter(WorkerLayers.of(self.context), broadcast=True)
            job = Job(None, self.filters, self.belt_km, self.strict, self.crs,
                      tuple(only) if only is not None else None)  # fmt: skip
            futures = [
                client.submit(_run_task, task, p, d, job, shipped, *args, pure=False)
                for p, d in zip(self.ds.pieces, drops, strict=True)
            ]
            _progress(futures)
            parts: list[Part] = client.gather(futures)
        known = set(self.context.provinces["province"]).union(*(p.provinces for p in parts))
        self.filters.check_provinces(known)
        self.notes = self.filters.actor_notes(set().union(*(p.actors for p in parts)))
        return parts


def _run_task(
    task: Callable[..., Part],
    piece: Piece,
    drops: dict[str, str],
    job: Job,
    layers: WorkerLayers,
    *args: Any,
) -> Part:
    return task(piece, drops, replace(job, layers=layers), *args)


def _problems(parts: Sequence[Part]) -> tuple[list[Problem], list[Problem], int]:
    return (
        [p for part in parts for p in part.problems],
        [w for part in parts for w in part.warnings],
        sum(part.n_read for part in parts),
    )


# --- the events as a dask-geopandas frame -------------------------------------------------


def events_frame(
    paths: Sequence[str | Path],
    *,
    context: Context,
    filters: Filters | None = None,
    belt_km: float = BELT_KM,
    crs: str | None = None,
) -> Any:
    """The dataset's valid events, enriched and filtered, as a lazy
    ``dask_geopandas.GeoDataFrame`` with one partition per piece: for analyses of your own
    on the cluster (``.groupby(...)``, ``.sjoin(...)``, ``.to_parquet(...)``).

    Each partition is :func:`prepare_piece`'s events, the code the commands run. Records
    with problems are left out without a report: run ``geo validate`` (or
    :func:`load_dataset`) to see them.

    Examples
    --------
    >>> frame = events_frame(["parts/"], context=geo.load_context())  # doctest: +SKIP
    >>> frame.groupby("province").size().compute()  # doctest: +SKIP
    """
    require_scale()
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers GeoDataFrame partitions)

    ds = open_dataset(paths)
    job = Job(WorkerLayers.of(context), filters or Filters(), belt_km, False, crs)
    meta = _empty_enriched()
    meta = gpd.GeoDataFrame(meta, geometry=meta.geometry, crs="EPSG:4326")
    return dd.from_map(_frame_piece, ds.pieces, job=job, meta=meta, enforce_metadata=False)


def _frame_piece(piece: Piece, job: Job) -> gpd.GeoDataFrame:
    return prepare_piece(piece, {}, job).events


# --- build: the events, or their aggregates ---------------------------------------------


def prepare_dataset(
    paths: Sequence[str | Path],
    *,
    context: Context,
    filters: Filters,
    belt_km: float = BELT_KM,
    strict: bool = False,
    crs: str | None = None,
    scheduler: str | None = None,
    say: Callable[[str], None] | None = None,
    page_events: int | None = None,
) -> Prepared:
    """The events ``geo build`` shows for a dataset, computed on the cluster.

    Up to ``page_events`` (:data:`PAGE_EVENTS`) kept events are collected as they are;
    above it, they are summed per :data:`CELL_DEG` cell, province, side, event type and
    period (month, merged to quarters or years until at most :data:`PAGE_CELLS` cells
    remain), and each cell becomes one symbol at the mean place of its events, dated over
    its period, that the normal page draws and filters (:attr:`Prepared.note` says so).
    """
    limit = PAGE_EVENTS if page_events is None else page_events
    ds = open_dataset(paths)
    run = Run(ds, context, filters, belt_km, strict, crs, scheduler)
    # at most as many kept events as rows: then the events themselves, in one pass
    parts = run.map(_collect_task) if ds.rows <= limit else run.map(_cells_task, CELL_DEG)
    problems, warnings, n_read = _problems(parts)
    n = sum(p.n_kept for p in parts)
    if n > limit:
        shown, note = _aggregated(pd.concat([p.events for p in parts], ignore_index=True), n)
        if say is not None:
            say(f"note: {n:,} events after the filters, above the {limit:,} a page holds: {note}")
    else:
        if ds.rows > limit:  # fewer kept than the page holds: the events themselves
            parts = run.map(_collect_task)
        frames = [p.events for p in parts if len(p.events)]
        events = pd.concat(frames, ignore_index=True) if frames else _empty_enriched()
        shown, note = gpd.GeoDataFrame(events, crs="EPSG:4326"), ""
    report = LoadReport(shown, problems, n_read)
    return Prepared(report, shown, warnings, filters, note, run.notes)


def _aggregated(cells: pd.DataFrame, n: int) -> tuple[gpd.GeoDataFrame, str]:
    """The summed cells as the events a page draws, and the note that says so."""
    cells = _sum_cells(cells)
    period = "month"
    for coarser in ("quarter", "year"):
        if len(cells) <= PAGE_CELLS:
            break
        cells["period"] = cells["period"].dt.to_period(PERIODS[coarser]).dt.start_time
        cells = _sum_cells(cells)
        period = coarser
    shown = cell_events(cells, period=period, cell_deg=CELL_DEG)
    note = (
        f"Aggregated view of {n:,} events: each symbol is the events of one {CELL_DEG:g}° "
        f"cell, province, event type and {period}, at their mean place; its size follows "
        f"the fatalities summed. Counts in this page count symbols ({len(shown):,})."
    )
    return shown, note


def _collect_task(piece: Piece, drops: dict[str, str], job: Job) -> Part:
    return prepare_piece(piece, drops, job)


def _cells_task(piece: Piece, drops: dict[str, str], job: Job, cell_deg: float) -> Part:
    part = prepare_piece(piece, drops, job)
    part.events = _cells_partition(part.events, "month", cell_deg)
    return part


def _empty_enriched() -> gpd.GeoDataFrame:
    events = empty_events()
    events["border_distance_km"] = pd.Series(dtype="float64")
    events["border_side"] = pd.Series(dtype="str")
    events["in_border_belt"] = pd.Series(dtype="bool")
    return events


# --- enrich and export ----------------------------------------------------------------


@dataclass
class Written:
    """What a distributed enrich or export wrote."""

    out: Path
    files: int
    events: int
    in_belt: int
    problems: list[Problem]
    warnings: list[Problem]
    n_read: int
    n_valid: int
    notes: list[str] = field(default_factory=list)


def out_format(out: str | Path, fmt: str | None = None) -> str:
    """``csv``, ``geojson``, ``parquet`` (one file) or ``dir`` (GeoParquet per partition)."""
    if fmt is not None:
        return "parquet" if fmt == "parquet" and not Path(out).suffix else fmt
    return OUT_FORMATS.get(Path(out).suffix.lower(), "dir")


def write_dataset(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    context: Context,
    filters: Filters | None = None,
    belt_km: float = BELT_KM,
    fmt: str | None = None,
    strict: bool = False,
    crs: str | None = None,
    scheduler: str | None = None,
    say: Callable[[str], None] | None = None,
) -> Written:
    """Enrich and filter a dataset on the cluster and write it: one CSV, GeoJSON or
    GeoParquet file by the suffix of ``out`` (or ``fmt``), else a directory of GeoParquet
    files (``OUT/part.NNNNN.parquet``).

    The workers write their pieces into a temporary directory beside ``out``; it becomes
    the output at the end (renamed, or joined into one file), so a failed run leaves the
    previous output or nothing.
    """
    kind = out_format(out, fmt)
    target = Path(out)
    if kind == "dir":
        check_output_dir(target, paths)
    else:
        check_output(target, inputs=list(paths))
    ds = open_dataset(paths)
    work = target.parent / f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.parts"
    work.mkdir(parents=True)
    try:
        run = Run(ds, context, filters or Filters(), belt_km, strict, crs, scheduler)
        parts = run.map(_write_task, str(work), "parquet" if kind == "dir" else kind)
        files = _finish(work, target, kind, len(ds.pieces))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    problems, warnings, n_read = _problems(parts)
    return Written(
        target, files, sum(p.n_kept for p in parts), sum(p.in_belt for p in parts),
        problems, warnings, n_read, sum(p.n_valid for p in parts), run.notes,
    )  # fmt: skip


def _write_task(piece: Piece, drops: dict[str, str], job: Job, work: str, kind: str) -> Part:
    """One piece written as the memory engine would write those rows."""
    from geo.export import events_csv, events_parquet, geojson_features

    part = prepare_piece(piece, drops, job)
    events, part.events = part.events, None
    ext = {"csv": "csv", "geojson": "geojson"}.get(kind, "parquet")
    name = _part_name(Path(work), piece.number, ext)
    if kind == "csv":
        name.write_text(events_csv(events), encoding="utf-8")
    elif kind == "geojson":
        name.write_text(",\n".join(geojson_features(events)), encoding="utf-8")
    else:
        name.write_bytes(events_parquet(events))
    return part


def _finish(work: Path, target: Path, kind: str, n: int) -> int:
    """The pieces written into ``work`` become ``target``; returns the files written."""
    from geo.export import geojson_document

    ext = {"csv": "csv", "geojson": "geojson"}.get(kind, "parquet")
    parts = [_part_name(work, k, ext) for k in range(n)]
    if kind == "dir":
        fresh = work.with_name(work.name + ".out")
        fresh.mkdir()
        for k, p in enumerate(parts):
            os.replace(p, fresh / f"part.{k:05d}.parquet")
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        if target.exists():
            os.replace(target, old)
        os.replace(fresh, target)
        shutil.rmtree(old, ignore_errors=True)
        return n
    if kind == "csv":
        texts = [p.read_text(encoding="utf-8") for p in parts]
        body = [texts[0], *(t.split("\n", 1)[1] for t in texts[1:])]  # one header
        write_bytes_atomic((t.encode("utf-8") for t in body), target)
    elif kind == "geojson":
        texts = [p.read_text(encoding="utf-8") for p in parts]
        write_bytes_atomic(geojson_document([t for t in texts if t]).encode("utf-8"), target)
    else:
        write_bytes_atomic(_joined_parquet(parts), target)
    return 1


def _part_name(work: Path, number: int, ext: str) -> Path:
    return work / f"part.{number:05d}.{ext}"


def _joined_parquet(files: Sequence[Path]) -> bytes:
    """The GeoParquet parts as one file: their row groups in order, one schema."""
    import io

    tables = [pq.read_table(f) for f in files]
    schema = pa.unify_schemas([t.schema for t in tables], promote_options="permissive")
    schema = schema.with_metadata(tables[0].schema.metadata)
    buf = io.BytesIO()
    with pq.ParquetWriter(buf, schema, compression="zstd") as writer:
        for t in tables:
            if t.num_rows:
                writer.write_table(t.cast(schema))
    return buf.getvalue()


def check_output_dir(out: Path, inputs: Sequence[str | Path]) -> Path:
    """An output directory for partitioned GeoParquet: new, empty, or one this wrote before.

    Raises
    ------
    InputError
        ``out`` is a file, holds other files, or is (inside) one of the inputs.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        msg = f"--out {out}: the dask engine writes a directory of GeoParquet files; this is a file"
        raise InputError(msg)
    resolved = out.resolve()
    for p in inputs:
        q = Path(p).resolve()
        if resolved == q or q in resolved.parents or resolved in q.parents:
            msg = f"--out {out}: overlaps the input {p}; write elsewhere"
            raise InputError(msg)
    if out.is_dir():
        other = [
            f.name
            for f in out.iterdir()
            if not (f.name.startswith("part.") and f.suffix == ".parquet")
        ]
        if other:
            msg = f"--out {out}: the directory holds other files ({', '.join(sorted(other)[:3])}); give a new or empty directory"
            raise InputError(msg)
    return out


# --- stats ----------------------------------------------------------------------------


def _stats_task(
    piece: Piece, drops: dict[str, str], job: Job, by: tuple[str, ...], period: str | None
) -> Part:
    part = prepare_piece(piece, drops, job)
    part.events = aggregate(part.events, by=by, period=period)
    return part


def combine(tables: Sequence[pd.DataFrame], keys: Sequence[str]) -> pd.DataFrame:
    """Sum partial :func:`geo.analysis.aggregate` tables into the one of all the events.

    Fatality sums keep the rule of ``aggregate``: NA only when no event of the group has a
    figure.
    """
    table = pd.concat([t for t in tables if len(t)] or list(tables[:1]), ignore_index=True)
    keys = list(keys)
    summed = table.groupby(keys, sort=True).agg(
        events=("events", "sum"), **{f: (f, lambda s: s.sum(min_count=1)) for f in FATALITIES}
    )
    summed = summed.reset_index()
    text = {k: "str" for k in keys if pd.api.types.is_string_dtype(summed[k])}
    return summed.astype({**text, "events": "int64", **{f: "Int64" for f in FATALITIES}})


def stats_dataset(
    paths: Sequence[str | Path],
    *,
    context: Context,
    by: tuple[str, ...] = ("province",),
    period: str | None = "month",
    filters: Filters | None = None,
    belt_km: float = BELT_KM,
    strict: bool = False,
    crs: str | None = None,
    scheduler: str | None = None,
    say: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, Prepared]:
    """:func:`geo.analysis.aggregate` of a dataset: per piece, then summed; with the
    :class:`geo.analysis.Prepared` of the run (problems and counts, no events). Only what the
    grouping needs is computed (:func:`geo.analysis.needs`: no distance unless by belt),
    as the memory engine does."""
    ds = open_dataset(paths)
    run = Run(ds, context, filters or Filters(), belt_km, strict, crs, scheduler)
    parts = run.map(_stats_task, by, period, only=needs(by))
    keys = [*by, *(["period"] if period is not None else [])]
    table = combine([p.events for p in parts], keys)
    problems, warnings, n_read = _problems(parts)
    report = LoadReport(_empty_enriched(), problems, n_read)
    return table, Prepared(report, _empty_enriched(), warnings, run.filters, notes=run.notes)


# --- aggregated cells -------------------------------------------------------------------


def _cells_partition(events: gpd.GeoDataFrame, period: str, cell_deg: float) -> pd.DataFrame:
    """Events per cell, province, side, period and type: counts, fatality and place sums."""
    x, y = events.geometry.x.to_numpy(), events.geometry.y.to_numpy()
    frame = pd.DataFrame(
        {
            "cx": np.floor(x / cell_deg).astype(np.int64),
            "cy": np.floor(y / cell_deg).astype(np.int64),
            "province": events["province"].to_numpy(),
            "country": events["country"].to_numpy(),
            "border_side": events["border_side"].to_numpy(),
            "period": events["date_start"].dt.to_period(PERIODS[period]).dt.start_time.to_numpy(),
            "event_type": events["event_type"].to_numpy(),
            # the source of each event stays with its cell: its credit and terms (geo.terms)
            "dataset": _text(events, "dataset"),
            "dataset_updated": _text(events, "dataset_updated"),
            "events": 1,
            "lon": x,
            "lat": y,
            **{f: events[f].to_numpy(dtype="float64", na_value=np.nan) for f in FATALITIES},
        }
    )
    keys = list(CELL_KEYS)
    return frame.groupby(keys, sort=False).agg(
        events=("events", "sum"), lon=("lon", "sum"), lat=("lat", "sum"),
        dataset_updated=("dataset_updated", "max"),
        **{f: (f, lambda s: s.sum(min_count=1)) for f in FATALITIES},
    ).reset_index()  # fmt: skip


CELL_KEYS = (
    "cx", "cy", "province", "country", "border_side", "period", "event_type", "dataset",
)  # fmt: skip


def _text(events: pd.DataFrame, name: str) -> np.ndarray:
    """A text column as plain strings ("" where missing or absent)."""
    if name not in events:
        return np.full(len(events), "", dtype=object)
    return events[name].fillna("").astype(str).to_numpy(dtype=object)


def _sum_cells(cells: pd.DataFrame) -> pd.DataFrame:
    return (
        cells.groupby(list(CELL_KEYS), sort=True)
        .agg(
            events=("events", "sum"),
            lon=("lon", "sum"),
            lat=("lat", "sum"),
            dataset_updated=("dataset_updated", "max"),
            **{f: (f, lambda s: s.sum(min_count=1)) for f in FATALITIES},
        )
        .reset_index()
    )


_PERIOD_END = {
    "month": pd.offsets.MonthEnd(0),
    "quarter": pd.offsets.QuarterEnd(0),
    "year": pd.offsets.YearEnd(0),
}
_PERIOD_LABEL = {"month": "%b %Y", "quarter": "Q%q %Y", "year": "%Y"}


def cell_events(cells: pd.DataFrame, *, period: str, cell_deg: float) -> gpd.GeoDataFrame:
    """Summed cells as canonical events the page draws: one per cell, type and period.

    Text comes from the data (province names) and goes into ``summary`` and ``location``,
    so it reaches the page the way every event's text does (the JSON config block).
    """
    n = len(cells)
    start = pd.to_datetime(cells["period"])
    end = start + _PERIOD_END[period]
    label = start.dt.to_period(PERIODS[period]).dt.strftime(_PERIOD_LABEL[period])
    place = np.where(cells["province"] != "", cells["province"], "no province")
    counts = cells["events"].astype(np.int64)
    best = cells["fatalities_best"]
    summary = (
        counts.map("{:,}".format) + " events in this " + f"{cell_deg:g}° cell ("
        + pd.Series(place, index=cells.index) + "), " + label + "; "
        + best.map(lambda v: "no fatality figures" if pd.isna(v) else f"{int(v):,} killed (best estimate, summed)")
    )  # fmt: skip
    frame = pd.DataFrame(
        {
            "event_id": [f"cell-{i}" for i in range(n)],
            "date_start": start.to_numpy(),
            "date_end": end.to_numpy(),
            "date_precision": "year" if period == "year" else "month",
            "event_type": cells["event_type"].to_numpy(),
            "sub_event_type": "",
            "country": cells["country"].to_numpy(),
            "province": cells["province"].to_numpy(),
            "location": place,
            "geo_precision": "district",
            **{f: pd.array(cells[f].round(), dtype="Int64") for f in FATALITIES},
            "summary": summary.to_numpy(),
            "sources": [()] * n,
            "tags": [()] * n,
            "dataset": cells["dataset"].to_numpy(),
            "dataset_updated": cells["dataset_updated"].to_numpy(),
            "origin_file": "aggregate",
            "origin_record": "",
            "border_side": cells["border_side"].to_numpy(),
        }
    )
    for name, dtype in COLUMNS.items():
        if name not in frame:
            frame[name] = pd.array([pd.NA] * n, dtype="Int64") if dtype == "Int64" else ""
    frame = frame[[*COLUMNS, "border_side"]].astype({k: v for k, v in COLUMNS.items()})
    frame["events"] = counts.to_numpy()
    lon = (cells["lon"] / counts).to_numpy()
    lat = (cells["lat"] / counts).to_numpy()
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
