"""Benchmark: enrich and stats on dask-geopandas over partitioned GeoParquet (issue 14).

Targets on 2 cores: 10M events enriched <= 120 s with <= 4 GB total peak memory; 30M
complete within the same memory; stats over 10M <= 60 s. The in-memory path runs where it
fits (``--memory-max``, default 1M).

Run: ``python bench/bench_scale.py [--n 1000000 --n 10000000 --n 30000000]``. Datasets are
written once to ``--dir`` (default ``/tmp/geo-scale``) by :func:`write_dataset`: the
realistic ACLED-shaped events of ``bench/realistic.py`` mapped to the canonical columns,
500,000 rows per file in row groups of 100,000, never more than one file's rows in memory. Each measurement runs in a
fresh process with a fresh ``LocalCluster`` (2 workers x 1 thread); "total peak" is the
sum of the workers' peak RSS and the client's (which holds the scheduler).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
FILE_ROWS = 500_000
#: Rows per row group: the dask engine reads a partition per row group (about 100k rows).
ROW_GROUP_ROWS = 100_000
_PLACE = {"1": "exact", "2": "district", "3": "province"}
_TIME = {"1": "day", "2": "day", "3": "month"}


def canonical(chunk: pa.Table) -> gpd.GeoDataFrame:
    """An ACLED-shaped chunk of ``realistic.chunks`` as canonical events, column by column.

    Mirrors ``geo._formats.from_acled`` for what the generator fills (week precision spans
    the week around the day, month precision the month); the dataset reader's checks
    (``geo.distributed``) pass on every partition.
    """
    t = chunk.to_pandas()
    day = pd.to_datetime(t["event_date"])
    tp = t["time_precision"].astype(str)
    start = day.where(tp != "2", day - pd.Timedelta(days=3))
    end = day.where(tp != "2", day + pd.Timedelta(days=3))
    month = tp == "3"
    start = start.where(~month, day.dt.to_period("M").dt.start_time)
    end = end.where(~month, day.dt.to_period("M").dt.end_time.dt.normalize())
    n = len(t)
    outlets = pc.split_pattern(chunk.column("source").combine_chunks(), "; ")
    sources = pa.ListArray.from_arrays(
        outlets.offsets,
        pa.StructArray.from_arrays(
            [outlets.values, pa.nulls(len(outlets.values), pa.string()), pa.nulls(len(outlets.values), pa.string())],
            names=["name", "url", "date"],
        ),
    )  # fmt: skip
    tags = pa.array([x.split("; ") if x else [] for x in t["tags"]], pa.list_(pa.string()))
    frame = pd.DataFrame(
        {
            "event_id": t["event_id_cnty"],
            "date_start": start.astype("datetime64[ns]"),
            "date_end": end.astype("datetime64[ns]"),
            "date_precision": tp.map(_TIME),
            "event_type": t["event_type"],
            "sub_event_type": t["sub_event_type"],
            "disorder_type": t["disorder_type"],
            "actor1": t["actor1"],
            "assoc_actor1": t["assoc_actor_1"],
            "actor2": t["actor2"],
            "assoc_actor2": t["assoc_actor_2"],
            "interaction": t["interaction"],
            "civilian_targeting": t["civilian_targeting"],
            "conflict_name": "",
            "dyad_name": "",
            "country": np.where(t["iso"].astype(str) == "4", "AFG", "PAK"),
            "province": t["admin1"],
            "admin2": t["admin2"],
            "admin3": t["admin3"],
            "location": t["location"],
            "geo_precision": t["geo_precision"].astype(str).map(_PLACE),
            "fatalities_low": pd.array([pd.NA] * n, dtype="Int64"),
            "fatalities_best": pd.array(t["fatalities"], dtype="Int64"),
            **{
                k: pd.array([pd.NA] * n, dtype="Int64")
                for k in (
                    "fatalities_high",
                    "injured_low",
                    "injured_best",
                    "injured_high",
                    "deaths_side_a",
                    "deaths_side_b",
                    "deaths_civilians",
                    "deaths_unknown",
                )
            },
            "summary": t["notes"],
            "fatality_note": "",
            "sources": pd.Series(sources, dtype=pd.ArrowDtype(sources.type)),
            "source_scale": t["source_scale"],
            "tags": pd.Series(tags, dtype=pd.ArrowDtype(tags.type)),
        }
    )
    points = gpd.points_from_xy(t["longitude"], t["latitude"])
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def write_dataset(n: int, folder: Path, *, seed: int = 1893) -> Path:
    """``n`` realistic events as canonical GeoParquet files of :data:`FILE_ROWS` rows."""
    from realistic import chunks

    folder.mkdir(parents=True, exist_ok=True)
    buffer: list[gpd.GeoDataFrame] = []
    rows = part = 0
    for chunk in chunks(n, seed=seed):
        buffer.append(canonical(chunk))
        rows += chunk.num_rows
        if rows >= FILE_ROWS:
            _flush(buffer, folder / f"events.{part:05d}.parquet")
            buffer, rows, part = [], 0, part + 1
    if buffer:
        _flush(buffer, folder / f"events.{part:05d}.parquet")
    (folder / "_COMPLETE").write_text(str(n))
    return folder


def _flush(frames: list[gpd.GeoDataFrame], path: Path) -> None:
    frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    frame.to_parquet(
        path,
        index=False,
        compression="zstd",
        schema_version="1.0.0",
        row_group_size=ROW_GROUP_ROWS,
    )


def _dataset(n: int, root: Path) -> Path:
    folder = root / f"events-{n}"
    if not (folder / "_COMPLETE").exists():
        t0 = time.perf_counter()
        write_dataset(n, folder / "data")
        (folder / "_COMPLETE").write_text(f"{time.perf_counter() - t0:.0f}")
    return folder / "data"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_dask(task: str, data: str, out: str) -> dict[str, float]:
    from dask.distributed import Client, LocalCluster

    from geo import distributed
    from geo.context import load_context

    ctx = load_context()
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        t0 = time.perf_counter()
        if task == "enrich":
            w = distributed.write_dataset([data], out, context=ctx, scheduler=address)
            n = w.events
        else:
            _table, prepared = distributed.stats_dataset(
                [data], context=ctx, by=("province",), period="month", scheduler=address
            )
            n = prepared.report.n_read
        seconds = time.perf_counter() - t0
        with Client(address) as client:
            workers = sorted(client.run(_peak_mb).values())
    return {"seconds": seconds, "workers": workers, "client": _peak_mb(), "n": n}


def run_memory(data: str) -> dict[str, float]:
    from geo import distributed
    from geo.analysis import enrich
    from geo.context import load_context

    ctx = load_context()
    t0 = time.perf_counter()
    events = distributed.load_dataset([data]).events
    enrich(events, border=ctx.border, countries=ctx.countries, provinces=ctx.provinces)
    return {
        "seconds": time.perf_counter() - t0,
        "workers": [],
        "client": _peak_mb(),
        "n": len(events),
    }


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=False, capture_output=True, text=True
    )
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, action="append", help="sizes (default 1M, 10M, 30M)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/geo-scale"))
    parser.add_argument("--memory-max", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, data, out = args.child
        r = run_memory(data) if task == "memory" else run_dask(task, data, out)
        print(json.dumps(r))
        return
    print(
        "| events | run | seconds | peak per worker (MB) | client (MB) | total peak (MB) | target |"
    )
    print("|---:|---|---:|---:|---:|---:|---|")
    for n in args.n or [1_000_000, 10_000_000, 30_000_000]:
        data = _dataset(n, args.dir)
        enriched = data.parent / "enriched"
        runs = [("dask enrich", "enrich", str(enriched)), ("dask stats", "stats", "")]
        if n <= args.memory_max:
            runs.append(("memory enrich", "memory", ""))
        for label, task, out in runs:
            r = _child("--child", task, str(data), out or "-")
            if "error" in r:
                print(f"| {n:,} | {label} | failed: {r['error']} | | | | |", flush=True)
                continue
            total = sum(r["workers"]) + r["client"]
            print(
                f"| {n:,} | {label} | {r['seconds']:.1f} | "
                f"{' / '.join(f'{w:.0f}' for w in r['workers']) or '–'} | {r['client']:.0f} | "
                f"{total:.0f} | {_target(n, task, r['seconds'], total)} |",
                flush=True,
            )


def _target(n: int, task: str, seconds: float, total_mb: float) -> str:
    memory_ok = total_mb <= 4096
    if task == "enrich" and n == 10_000_000:
        ok = seconds <= 120 and memory_ok
        return f"<= 120 s, <= 4 GB: {'met' if ok else 'missed'}"
    if task == "stats" and n == 10_000_000:
        return f"<= 60 s: {'met' if seconds <= 60 else 'missed'}"
    if task == "enrich" and n == 30_000_000:
        return f"completes <= 4 GB: {'met' if memory_ok else 'missed'}"
    return "–"


if __name__ == "__main__":
    main()
