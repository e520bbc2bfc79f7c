"""Benchmark: ``geo build`` end to end from a CSV export, as a user runs it.

Reading, validating, enriching and rendering N synthetic events written as a CSV with the
canonical columns (one source per event). Each run is a fresh ``python -m geo`` process,
so start-up and imports are included. Run: ``python bench/bench_cli.py [--n 100000 ...]``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _synthetic import synthetic_events  # noqa: E402


def write_csv(n: int, path: Path) -> None:
    ev = synthetic_events(n)
    table = ev.drop(columns=["sources", "tags", "origin", "geometry"]).assign(
        date_start=ev["date_start"].dt.strftime("%Y-%m-%d"),
        date_end=ev["date_end"].dt.strftime("%Y-%m-%d"),
        latitude=ev.geometry.y.round(5),
        longitude=ev.geometry.x.round(5),
        source_name="Synthetic",
        source_url="https://example.org/report",
    )
    table.to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, action="append", help="sizes (default 10k, 100k, 1M)")
    args = parser.parse_args()
    print("| events | CSV (MB) | geo build wall (s) | peak RSS (MB) | HTML (MB) | rejected |")
    print("|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as d:
        for n in args.n or [10_000, 100_000, 1_000_000]:
            csv, out = Path(d) / f"e{n}.csv", Path(d) / f"m{n}.html"
            write_csv(n, csv)
            cmd = [
                "/usr/bin/time",
                "-f",
                "%M",
                sys.executable,
                "-m",
                "geo",
                "build",
                "--events",
                str(csv),
                "--out",
                str(out),
            ]
            t0 = time.perf_counter()
            run = subprocess.run(cmd, check=True, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            rss_kb = int(run.stderr.strip().splitlines()[-1])
            rejected = re.search(r"(\d+) rejected", run.stdout)
            print(
                f"| {n:,} | {csv.stat().st_size / 1e6:.0f} | {wall:.1f} | {rss_kb / 1024:.0f} | "
                f"{out.stat().st_size / 1e6:.1f} | {rejected.group(1) if rejected else '?'} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
