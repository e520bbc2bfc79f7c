"""Beyond one machine: partitioned GeoParquet datasets, run on dask-geopandas.

A dataset is a directory (searched recursively), a glob or a list of ``.parquet`` files in
the canonical GeoParquet form that ``geo export --out x.parquet`` and
``geo enrich DATASET/ --out OUT/`` write. Its schema is checked up front, file by file
(a message names the file and the missing columns); each partition is then checked as it
is read (points, known event types, dates), naming the file and the row.

The work per partition is the single-machine code, called unchanged:
:func:`geo.analysis.enrich`, :func:`geo.timefilter.filter_events` and
:func:`geo.analysis.aggregate`. The context layers travel to each worker once (one task
holding them, which every partition depends on), and each worker builds the line's
:class:`~geo.border.BorderIndex` once. Partial aggregates are summed on the client.

dask, distributed and dask-geopandas come with the ``scale`` extra
(``pip install 'geo[scale]'``); reading a dataset into one frame (``--engine memory``)
needs only pyarrow.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely

from geo._errors import InputError, Problem
from geo.analysis import FATALITIES, PERIODS, aggregate, enrich, needs
from geo.border import BELT_KM, BorderIndex
from geo.events import (
    COLUMNS,
    DATE_PRECISIONS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    LoadReport,
)
from geo.timefilter import filter_events

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
#: Columns a dataset must have; the others are filled empty where missing.
REQUIRED_COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "geo_precision",
)
ENRICHED = ("border_distance_km", "border_side", "in_border_belt")
#: The columns ``stats`` reads: the checked ones, the grouping keys and the figures.
STATS_COLUMNS = (*REQUIRED_COLUMNS, "country", "province", *FATALITIES)
INSTALL = "pip install 'geo[scale]'"


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
    """One partition: some row groups of one file."""

    path: str
    row_groups: tuple[int, ...]
    first_row: int
    rows: int


@dataclass
class Dataset:
    """The files of a partitioned GeoParquet dataset, checked, cut into partitions."""

    name: str
    pieces: list[Piece]
    columns: list[str]
    geometry: str = "geometry"

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.pieces)

    @property
    def enriched(self) -> bool:
        return all(c in self.columns for c in ENRICHED)


def _is_parquet_name(text: str) -> bool:
    return text.lower().rstrip("/").endswith((".parquet", ".parq", ".geoparquet"))


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
                str(f) for f in Path(p).rglob("*") if f.is_file() and _is_parquet_name(f.name)
            )
            if not found:
                msg = f"{p}: no .parquet files in this directory; a dataset is a directory of GeoParquet files"
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


def open_dataset(paths: Sequence[str | Path]) -> Dataset:
    """List and check the files of a dataset from their metadata (no rows are read).

    Raises
    ------
    InputError
        A file that is not Parquet, has no point geometry or lacks a required column; the
        message names the file and every missing column.
    """
    pieces: list[Piece] = []
    columns: list[str] | None = None
    geometry = "geometry"
    for f in _files(paths):
        try:
            meta = pq.ParquetFile(f)
        except (OSError, pa.ArrowException) as exc:
            msg = (
                f"{f}: not a Parquet file ({exc}); a dataset holds GeoParquet files as "
                "'geo export --out x.parquet' writes them"
            )
            raise InputError(msg) from None
        names = list(meta.schema_arrow.names)
        geo_meta = json.loads((meta.schema_arrow.metadata or {}).get(b"geo", b"{}"))
        geometry = geo_meta.get("primary_column", "geometry")
        missing = [c for c in (*REQUIRED_COLUMNS, geometry) if c not in names]
        if missing:
            msg = (
                f"{f}: missing column(s) {', '.join(missing)}; a dataset must hold canonical "
                "events as 'geo export --out x.parquet' or 'geo enrich DATASET --out DIR' write them"
            )
            raise InputError(msg)
        if columns is None:
            columns = names
        pieces += _pieces(f, meta)
    return Dataset(", ".join(map(str, paths)), pieces, columns or [], geometry)


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


def _arrow_types(ty: pa.DataType) -> Any:
    # nested columns (sources, tags) stay Arrow: a Python dict per source would cost more
    # memory than the rest of the row; integers keep their nulls
    if pa.types.is_list(ty) or pa.types.is_large_list(ty):
        return pd.ArrowDtype(ty)
    return pd.Int64Dtype() if pa.types.is_integer(ty) else None


def read_piece(
    piece: Piece, *, geometry: str = "geometry", columns: Sequence[str] | None = None
) -> gpd.GeoDataFrame:
    """Read one partition into the canonical table (``sources``/``tags`` as Arrow lists).

    ``origin_file`` is the file and ``origin_record`` ``"row N"`` (N counted from 1 within the file), as file readers name
    records. With ``columns``, only those (and the geometry) are read and made canonical.
    """
    f = pq.ParquetFile(piece.path)
    names = None
    if columns is not None:
        names = [c for c in f.schema_arrow.names if c in {*columns, geometry}]
    table = (
        f.read_row_groups(list(piece.row_groups), columns=names)
        if piece.row_groups
        else f.schema_arrow.empty_table().select(names or f.schema_arrow.names)
    )
    geo_meta = json.loads((f.schema_arrow.metadata or {}).get(b"geo", b"{}"))
    crs = geo_meta.get("columns", {}).get(geometry, {}).get("crs", "EPSG:4326")
    wkb = table.column(geometry).to_numpy(zero_copy_only=False)
    # the dtypes come from Arrow's: pandas' stored metadata names dtypes it cannot parse back
    frame = (
        table.drop([geometry]).replace_schema_metadata(None).to_pandas(types_mapper=_arrow_types)
    )
    points = shapely.from_wkb(wkb)
    events = gpd.GeoDataFrame(frame, geometry=points, crs=crs or "EPSG:4326")
    if events.crs is not None and events.crs.to_epsg() != 4326:
        events = events.to_crs("EPSG:4326")
    return _canonical(events, piece, columns)


def _origin(first_row: int, n: int) -> pd.Series:
    """``"row N"`` for each row, built in Arrow (a Python string per row costs more)."""
    rows = pa.array(np.arange(first_row + 1, first_row + n + 1)).cast(pa.string())
    text = pc.binary_join_element_wise("row ", rows, "")
    return pd.Series(pd.array(text, dtype="str"))


def _canonical(
    events: gpd.GeoDataFrame, piece: Piece, columns: Sequence[str] | None = None
) -> gpd.GeoDataFrame:
    n = len(events)
    wanted = {*COLUMNS} if columns is None else {*columns, "origin_file", "origin_record"}
    for name, dtype in COLUMNS.items():
        if name in events or name in ("origin_file", "origin_record") or name not in wanted:
            continue
        if dtype == "Int64":
            events[name] = pd.array([pd.NA] * n, dtype="Int64")
        elif name in ("sources", "tags"):
            events[name] = pd.Series([[]] * n, dtype=pd.ArrowDtype(pa.list_(pa.string())))
        else:
            events[name] = ""
    events["origin_file"] = piece.path
    events["origin_record"] = _origin(piece.first_row, n).set_axis(events.index)
    plain = {k: v for k, v in COLUMNS.items() if k not in ("sources", "tags") and k in wanted}
    try:
        events = events.astype(plain)
    except (TypeError, ValueError) as exc:
        msg = f"{piece.path}: a column does not hold canonical values ({exc})"
        raise InputError(msg) from None
    for name, dtype in plain.items():
        if dtype == "str":
            events[name] = events[name].fillna("")
    _check_partition(events, piece)
    extra = [c for c in events.columns if c not in COLUMNS and c != "geometry"]
    return events[[*(c for c in COLUMNS if c in wanted), *extra, "geometry"]]


def _check_partition(events: gpd.GeoDataFrame, piece: Piece) -> None:
    """The checks a canonical file must pass; the first failing row is named."""
    geom = events.geometry.values
    checks: list[tuple[str, np.ndarray, str]] = [
        ("geometry", ~(shapely.get_type_id(geom) == 0) | shapely.is_empty(geom), "a point"),
        ("event_type", ~events["event_type"].isin(list(EVENT_TYPES)).to_numpy(), ", ".join(EVENT_TYPES)),
        ("date_start", events["date_start"].isna().to_numpy(), "a date"),
        ("date_end", (events["date_end"] < events["date_start"]).to_numpy(), "a date on or after date_start"),
        ("date_precision", ~events["date_precision"].isin(DATE_PRECISIONS).to_numpy(), ", ".join(DATE_PRECISIONS)),
        ("geo_precision", ~events["geo_precision"].isin(GEO_PRECISIONS).to_numpy(), ", ".join(GEO_PRECISIONS)),
    ]  # fmt: skip
    for name, bad, accepted in checks:
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            value = events[name].iloc[row] if name != "geometry" else shapely.to_wkt(geom[row])
            msg = (
                f"{piece.path}: row {piece.first_row + row + 1}, field {name!r}: {value!r} is "
                f"not canonical; accepted: {accepted}. Write the dataset with 'geo export' "
                "after 'geo validate'"
            )
            raise InputError(msg)


def python_lists(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``sources`` and ``tags`` as the tuples the file readers give (for maps and GeoJSON)."""
    out = events.copy()
    out["sources"] = pd.Series(
        [tuple({k: v for k, v in s.items() if v} for s in x) for x in events["sources"]],
        index=events.index,
        dtype="object",
    )
    out["tags"] = pd.Series([tuple(x) for x in events["tags"]], index=events.index, dtype="object")
    return out


def load_dataset(paths: Sequence[str | Path]) -> LoadReport:
    """A whole dataset as one canonical frame (the in-memory engine)."""
    ds = open_dataset(paths)
    frames = [read_piece(p, geometry=ds.geometry) for p in ds.pieces]
    events = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    return LoadReport(python_lists(events), [], len(events))


def choose_engine(
    paths: Sequence[str | Path],
    engine: str,
    *,
    threshold: int = AUTO_ROWS,
    say: Callable[[str], None] | None = None,
) -> str:
    """``"memory"`` or ``"dask"`` for ``--engine`` (``auto`` decides by the dataset's size).

    Raises
    ------
    InputError
        ``--engine dask`` on inputs that are not a Parquet dataset.
    """
    dataset = is_dataset(paths)
    if engine == "dask" and not dataset:
        msg = (
            "--engine dask reads a partitioned GeoParquet dataset (a directory, a glob or "
            ".parquet files); write one with 'geo export --out x.parquet' or use --engine memory"
        )
        raise InputError(msg)
    if engine != "auto":
        return engine
    if not dataset:
        return "memory"
    rows = open_dataset(paths).rows
    if rows <= threshold:
        return "memory"
    if say is not None:
        say(
            f"note: {rows:,} events in the dataset, above the {threshold:,} that --engine auto "
            "runs in memory: running on dask (--engine memory to override)"
        )
    return "dask"


# --- the cluster ----------------------------------------------------------------------


@contextlib.contextmanager
def cluster(
    scheduler: str | None = None, *, workers: int | None = None, processes: bool = True
) -> Iterator[Any]:
    """A ``dask.distributed.Client``: to ``scheduler`` if given, else a ``LocalCluster``.

    The local cluster has one single-threaded worker per core (the enrichment itself uses
    threads where shapely releases the GIL) and is closed on exit.
    """
    require_scale()
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
        silence_logs=logging.ERROR,
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


_PREPARE_LOCK = threading.Lock()


@dataclass
class Layers:
    """The context layers a partition needs, shipped to each worker once."""

    border: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    _index: BorderIndex | None = field(default=None, repr=False)

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


def _collection(ds: Dataset, columns: Sequence[str] | None = None) -> Any:
    """The dataset as a dask-geopandas GeoDataFrame, one partition per piece."""
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers GeoDataFrame partitions)

    meta = read_piece(Piece(ds.pieces[0].path, (), 0, 0), geometry=ds.geometry, columns=columns)
    # a partial: from_map takes ``columns`` for itself
    read = functools.partial(read_piece, geometry=ds.geometry, columns=columns)
    return dd.from_map(read, ds.pieces, meta=meta, enforce_metadata=False)


def _enrich_partition(
    events: gpd.GeoDataFrame,
    layers: Layers,
    belt_km: float,
    only: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """:func:`geo.analysis.enrich` on one partition; warnings ride along in ``attrs``."""
    if len(events) and any(c in events for c in ENRICHED):
        events = events.drop(columns=[c for c in ENRICHED if c in events])
    result = enrich(
        events,
        border=layers.border,
        countries=layers.countries,
        provinces=layers.provinces,
        belt_km=belt_km,
        index=layers.index(),
        only=only,
    )
    out = result.events
    out.attrs = {
        "warnings": [p.to_dict() for p in result.warnings[:1000]],
        "n_warnings": len(result.warnings),
    }
    return out


@dataclass
class Filters:
    """``--start``, ``--end``, ``--type``, ``--province`` as :func:`filter_events` takes them."""

    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    types: Sequence[str] = ()
    provinces: Sequence[str] = ()

    def apply(self, events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        kept = filter_events(
            events, start=self.start, end=self.end, provinces=self.provinces, types=self.types
        )
        kept.attrs = events.attrs
        return kept


def _prepared_partition(
    events: gpd.GeoDataFrame,
    layers: Layers,
    belt_km: float,
    filters: Filters | None,
    only: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    out = _enrich_partition(events, layers, belt_km, only)
    return filters.apply(out) if filters is not None else out


def _enriched(
    ds: Dataset,
    layers: Layers,
    belt_km: float,
    filters: Filters | None = None,
    *,
    columns: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
) -> Any:
    """The dataset enriched per partition; ``columns`` read, ``only`` these computed."""
    import dask

    parts = _collection(ds, columns)
    shipped = dask.delayed(layers, pure=True)  # one task: each worker receives it once
    meta = _prepared_partition(parts._meta, layers, belt_km, filters, only)
    return parts.map_partitions(
        _prepared_partition, shipped, belt_km, filters, only, meta=meta, enforce_metadata=False
    )


# --- enrich and export ----------------------------------------------------------------


@dataclass
class Written:
    """What a distributed enrich or export wrote."""

    out: Path
    files: int
    events: int
    in_belt: int
    warnings: list[Problem]
    n_warnings: int
    n_read: int


def _write_partition(events: gpd.GeoDataFrame, path: str) -> dict[str, Any]:
    """One partition as a GeoParquet file with the columns ``geo export`` writes."""
    out = events.drop(columns=["origin_file", "origin_record"])
    out.to_parquet(path, index=False, compression="zstd", schema_version="1.0.0")
    return {
        "events": len(events),
        "in_belt": int(events["in_border_belt"].sum()) if "in_border_belt" in events else 0,
        "warnings": events.attrs.get("warnings", []),
        "n_warnings": events.attrs.get("n_warnings", 0),
    }


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


def write_dataset(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    layers: Layers,
    belt_km: float = BELT_KM,
    filters: Filters | None = None,
    client: Any,
) -> Written:
    """Enrich (and filter) a dataset on the cluster, writing ``OUT/part.NNNNN.parquet``.

    The function the command line's ``enrich`` and ``export`` run with ``--engine dask``.
    """
    import dask

    ds = open_dataset(paths)
    target = check_output_dir(Path(out), paths)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("part.*.parquet"):
        old.unlink()
    parts = _enriched(ds, layers, belt_km, filters).to_delayed()
    tasks = [
        dask.delayed(_write_partition)(p, str(target / f"part.{i:05d}.parquet"))
        for i, p in enumerate(parts)
    ]
    futures = client.compute(tasks)
    _progress(futures)
    results = client.gather(futures)
    warnings = [Problem(**w) for r in results for w in r["warnings"]]
    return Written(
        target,
        len(results),
        sum(r["events"] for r in results),
        sum(r["in_belt"] for r in results),
        warnings,
        sum(r["n_warnings"] for r in results),
        ds.rows,
    )


# --- stats ----------------------------------------------------------------------------


def _stats_partition(
    events: gpd.GeoDataFrame, by: tuple[str, ...], period: str | None
) -> pd.DataFrame:
    return aggregate(events, by=by, period=period)


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
    # dask hands text back as its own string dtype; the table keeps the in-memory one
    text = {k: "str" for k in keys if pd.api.types.is_string_dtype(summed[k])}
    return summed.astype({**text, "events": "int64", **{f: "Int64" for f in FATALITIES}})


def stats_dataset(
    paths: Sequence[str | Path],
    *,
    layers: Layers,
    by: tuple[str, ...] = ("province",),
    period: str | None = "month",
    belt_km: float = BELT_KM,
    client: Any,
) -> tuple[pd.DataFrame, int]:
    """:func:`geo.analysis.aggregate` of a dataset: per partition, then summed.

    Only the columns the table needs are read (:data:`STATS_COLUMNS`), and only what the
    grouping needs is computed (:func:`geo.analysis.needs`: no distance unless by belt),
    as the in-memory ``geo stats`` does. Returns the table and the number of events read.
    """
    ds = open_dataset(paths)
    parts = _enriched(ds, layers, belt_km, columns=STATS_COLUMNS, only=needs(by))
    keys = [*by, *(["period"] if period is not None else [])]
    meta = aggregate(parts._meta, by=by, period=period)
    partial = parts.map_partitions(_stats_partition, by, period, meta=meta, enforce_metadata=False)
    future = client.compute(partial.to_delayed())
    _progress(future)
    tables = client.gather(future)
    return combine(tables, keys), ds.rows


# --- build ----------------------------------------------------------------------------


def _span_partition(events: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "n": [len(events)],
            "first": [events["date_start"].min()],
            "last": [events["date_end"].max()],
        }
    )


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
            "events": 1,
            "lon": x,
            "lat": y,
            **{f: events[f].to_numpy(dtype="float64", na_value=np.nan) for f in FATALITIES},
        }
    )
    keys = list(CELL_KEYS)
    return frame.groupby(keys, sort=False).agg(
        events=("events", "sum"), lon=("lon", "sum"), lat=("lat", "sum"),
        **{f: (f, lambda s: s.sum(min_count=1)) for f in FATALITIES},
    ).reset_index()  # fmt: skip


CELL_KEYS = ("cx", "cy", "province", "country", "border_side", "period", "event_type")


@dataclass
class Aggregated:
    """What :func:`aggregate_dataset` found: the events shown, or cells standing for them."""

    events: gpd.GeoDataFrame
    n_read: int
    n_events: int
    aggregated: bool
    period: str | None = None
    cell_deg: float = CELL_DEG
    note: str = ""


def aggregate_dataset(
    paths: Sequence[str | Path],
    *,
    layers: Layers,
    belt_km: float = BELT_KM,
    filters: Filters | None = None,
    client: Any,
    page_events: int = PAGE_EVENTS,
    cell_deg: float = CELL_DEG,
) -> Aggregated:
    """The events ``geo build`` shows for a dataset, computed on the cluster.

    Up to ``page_events`` filtered events are collected as they are; above it, they are
    summed per ``cell_deg`` cell, province, side, event type and period (month, merged to
    quarters or years until at most :data:`PAGE_CELLS` cells remain), and each cell becomes
    one symbol at the mean place of its events, dated over its period, that the normal
    page draws and filters.
    """
    ds = open_dataset(paths)
    parts = _enriched(ds, layers, belt_km, filters)
    future = client.compute(
        parts.map_partitions(_span_partition, meta=_span_partition(parts._meta))
    )
    _progress(future)
    span = client.gather(future)
    n = int(span["n"].sum())
    if n <= page_events:
        future = client.compute(parts)
        _progress(future)
        events = gpd.GeoDataFrame(client.gather(future), crs="EPSG:4326").reset_index(drop=True)
        return Aggregated(python_lists(events), ds.rows, n, False)
    meta = _cells_partition(parts._meta, "month", cell_deg)
    future = client.compute(
        parts.map_partitions(_cells_partition, "month", cell_deg, meta=meta, enforce_metadata=False)
    )
    _progress(future)
    cells = _sum_cells(client.gather(future))
    period = "month"
    for coarser in ("quarter", "year"):
        if len(cells) <= PAGE_CELLS:
            break
        cells["period"] = cells["period"].dt.to_period(PERIODS[coarser]).dt.start_time
        cells = _sum_cells(cells)
        period = coarser
    events = cell_events(cells, period=period, cell_deg=cell_deg)
    note = (
        f"Aggregated view of {n:,} events: each symbol is the events of one {cell_deg:g}° "
        f"cell, province, event type and {period}, at their mean place; its size follows "
        f"the fatalities summed. Counts in this page count symbols ({len(events):,})."
    )
    return Aggregated(events, ds.rows, n, True, period, cell_deg, note)


def _sum_cells(cells: pd.DataFrame) -> pd.DataFrame:
    return (
        cells.groupby(list(CELL_KEYS), sort=True)
        .agg(
            events=("events", "sum"),
            lon=("lon", "sum"),
            lat=("lat", "sum"),
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
