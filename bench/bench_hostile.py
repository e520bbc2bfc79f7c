"""Benchmark: what reading a file costs in memory, against what it expands to (issue 19).

Each file is read and validated by ``geo validate FILE`` in a fresh process; its peak RSS
comes from ``/usr/bin/time``. "Expands to" is the file's size for CSV and GeoJSON and the
size its values decode to for Parquet (what the input size limit counts). The base is the
peak of ``geo validate`` on a one-event file (the interpreter and the libraries).

Target (``SECURITY.md``): peak <= 4 x what the file expands to + the base, for every
reader, on realistic files and on the hostile cases: a Parquet dictionary bomb (refused),
a 200,000-column header (refused), a CSV holding one 900 MB value (its record left out)
and a 1,000 MB file just inside the size limit.

Run: ``python bench/bench_hostile.py [--big-mb 900]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
RATIO = 4.0


def measure(path: Path, *extra: str) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and the last line of ``geo validate``."""
    t0 = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "geo", "validate", str(path), "-q", *extra],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - t0
    lines = done.stderr.strip().splitlines()
    out = (done.stdout.strip().splitlines() or [""])[-1]
    return wall, int(lines[-1]) / 1024, out


def expanded_mb(path: Path) -> float:
    if path.suffix != ".parquet":
        return path.stat().st_size / 2**20
    from geo.events import _decoded_bytes, read_parquet_table

    try:
        return _decoded_bytes(read_parquet_table(str(path), str(path))) / 2**20
    except Exception:  # refused: count what the dictionary would decode to
        f = pq.ParquetFile(path, read_dictionary=[
            n for n in pq.read_schema(path).names if pa.types.is_string(pq.read_schema(path).field(n).type)
        ])  # fmt: skip
        return sum(_decoded(f.read_row_group(g)) for g in range(f.metadata.num_row_groups)) / 2**20


def _decoded(table: pa.Table) -> int:
    from geo.events import _decoded_bytes

    return _decoded_bytes(table)


def files(d: Path, big_mb: int) -> list[tuple[str, Path]]:
    from realistic import write_csv

    from geo.events import read_events
    from geo.export import write_events

    tiny = d / "tiny.geojson"
    write_events(read_events(HERE.parent / "data" / "events.geojson").events.iloc[:1], tiny)
    csv100k = write_csv(100_000, d / "acled_100000.csv")
    events = read_events(csv100k).events
    geojson = write_events(events, d / "events_100000.geojson")
    parquet = write_events(events, d / "events_100000.parquet")
    table = pq.read_table(parquet)
    n = 300_000
    bomb = table.take(pa.array(np.arange(n) % table.num_rows))
    value = pa.array(["z" * (8 << 20)])
    summary = pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), value)
    bomb = bomb.set_column(bomb.schema.get_field_index("summary"), "summary", summary)
    bomb = bomb.set_column(0, "event_id", pa.array([f"B{k}" for k in range(n)]))
    pq.write_table(bomb, d / "bomb.parquet", compression="zstd")
    wide = d / "wide.csv"
    cols = ["event_id", "date_start", "event_type", "latitude", "longitude"]
    cols += [f"c{i}" for i in range(200_000)]
    wide.write_text(",".join(cols) + "\nE1,2025-10-12,Battles,34,71" + "," * 200_000 + "\n")
    big = d / "one_long_value.csv"
    with big.open("w") as f:
        f.write("event_id,date_start,event_type,latitude,longitude,summary\n")
        for i in range(1000):
            f.write(f"E{i},2025-10-12,Battles,34.8,71.0,ok {i}\n")
        f.write('HUGE,2025-10-12,Battles,34.8,71.0,"')
        for _ in range(big_mb):
            f.write("y" * (1 << 20))
        f.write('"\n')
    return [
        ("base: one event (GeoJSON)", tiny),
        ("realistic CSV, 100k rows", csv100k),
        ("realistic GeoJSON, 100k", geojson),
        ("realistic GeoParquet, 100k", parquet),
        ("Parquet dictionary bomb", d / "bomb.parquet"),
        ("200,000-column header", wide),
        (f"CSV holding one {big_mb} MB value", big),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big-mb", type=int, default=900)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        rows = files(d, args.big_mb)
        base = None
        print(
            "| file | on disk (MB) | expands to (MB) | seconds | peak RSS (MB) | (peak - base) / expanded | result |"
        )
        print("|---|---:|---:|---:|---:|---:|---|")
        for label, path in rows:
            wall, peak, out = measure(path)
            base = peak if base is None else base
            grown = expanded_mb(path)
            ratio = (peak - base) / grown if grown else 0.0
            mark = (
                ""
                if label.startswith("base")
                else (" (<= 4 met)" if ratio <= RATIO else " (<= 4 NOT MET)")
            )
            print(
                f"| {label} | {path.stat().st_size / 2**20:.1f} | {grown:,.1f} | {wall:.1f} | "
                f"{peak:.0f} | {ratio:.2f}{mark} | {out} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
