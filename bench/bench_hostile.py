"""Benchmark: what reading a file costs in memory, against what it expands to (issue 19).

Each file is read and validated by ``geo validate FILE`` in a fresh process; its peak RSS
comes from ``/usr/bin/time``. "Expands to" is the file's size for CSV and GeoJSON and the
size its values decode to for Parquet (what the input size limit counts).

Target (``SECURITY.md``): peak <= 4 x what the file expands to + a fixed base, for every
reader. For each realistic file (CSV, GeoJSON on its fast and its exact path, GeoParquet)
two sizes are read (100k and 300k rows): the growth of the peak between them over the
growth of what they expand to is the per-byte cost (target <= 4), and what is left at
zero is that reader's fixed base. The hostile cases — a Parquet dictionary bomb (refused),
a 200,000-column header (refused), a CSV holding one 900 MB value (its record left out) —
are checked against 4 x what the reader takes in (what they expand to, or, for the bomb
refused before its text is decoded, the row group it holds encoded) + the largest base.

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
    """What the reader takes in: the file's size for CSV and GeoJSON; for Parquet what its
    values decode to, or, for a file refused before decoding, what it holds encoded (the
    first row group, text still dictionary-encoded: all the reader reads of it)."""
    if path.suffix != ".parquet":
        return path.stat().st_size / 2**20
    from geo.events import _decoded_bytes, read_parquet_table

    try:
        return _decoded_bytes(read_parquet_table(str(path), str(path))) / 2**20
    except Exception:  # refused
        schema = pq.read_schema(path)
        text = [n for n in schema.names if pa.types.is_string(schema.field(n).type)]
        return pq.ParquetFile(path, read_dictionary=text).read_row_group(0).nbytes / 2**20


def realistic(d: Path, rows: int) -> list[tuple[str, Path]]:
    from realistic import write_csv

    from geo.events import read_events
    from geo.export import write_events

    csv_path = write_csv(rows, d / f"acled_{rows}.csv")
    events = read_events(csv_path).events
    geojson = write_events(events, d / f"events_{rows}.geojson")
    return [
        ("CSV", csv_path),
        ("GeoJSON", geojson),
        ("GeoJSON, exact path (GEO_EXACT=1)", geojson),
        ("GeoParquet", write_events(events, d / f"events_{rows}.parquet")),
    ]


def hostile(d: Path, big_mb: int, parquet: Path) -> list[tuple[str, Path]]:
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
        ("Parquet dictionary bomb", d / "bomb.parquet"),
        ("200,000-column header", wide),
        (f"CSV holding one {big_mb} MB value", big),
    ]


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big-mb", type=int, default=900)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        print("| reader | rows | expands to (MB) | seconds | peak RSS (MB) |")
        print("|---|---:|---:|---:|---:|")
        runs: dict[str, list[tuple[float, float]]] = {}
        last: list[tuple[str, Path]] = []
        for rows in (100_000, 300_000):
            last = realistic(d, rows)
            for label, path in last:
                exact = label.endswith("(GEO_EXACT=1)")
                os.environ["GEO_EXACT"] = "1" if exact else ""
                wall, peak, _ = measure(path)
                grown = expanded_mb(path)
                runs.setdefault(label, []).append((grown, peak))
                print(
                    f"| {label} | {rows:,} | {grown:,.1f} | {wall:.1f} | {peak:.0f} |", flush=True
                )
        os.environ["GEO_EXACT"] = ""
        print()
        print("| reader | per MB it expands to (MB of peak) | fixed base (MB) | target |")
        print("|---|---:|---:|---|")
        bases = []
        for label, ((s0, p0), (s1, p1)) in runs.items():
            slope = (p1 - p0) / (s1 - s0)
            base = p0 - slope * s0
            bases.append(base)
            mark = "<= 4: met" if slope <= RATIO else "<= 4: NOT MET"
            print(f"| {label} | {slope:.2f} | {base:.0f} | {mark} |", flush=True)
        base = max(bases)
        print()
        print(f"Hostile cases against {RATIO:g} x what they expand to + {base:.0f} MB:")
        print()
        print(
            "| file | on disk (MB) | expands to (MB) | seconds | peak RSS (MB) | allowed (MB) | result |"
        )
        print("|---|---:|---:|---:|---:|---:|---|")
        parquet = next(p for label, p in last if label == "GeoParquet")
        for label, path in hostile(d, args.big_mb, parquet):
            wall, peak, out = measure(path)
            grown = expanded_mb(path)
            allowed = base + RATIO * min(
                grown, path.stat().st_size / 2**20 if grown > 1e5 else grown
            )
            mark = "met" if peak <= allowed else "NOT MET"
            print(
                f"| {label} | {path.stat().st_size / 2**20:.1f} | {grown:,.1f} | {wall:.1f} | "
                f"{peak:.0f} | {allowed:,.0f} ({mark}) | {out} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
