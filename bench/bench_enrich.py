"""Benchmark: enrich N synthetic events (distance, side, belt, province).

Target (issue 3): 1,000,000 events in <= 10 s and <= 4 GB peak memory on 2 cores.
Run: ``python bench/bench_enrich.py [--n 1000000]``. Each size runs in a fresh process so
the peak resident memory is that run's own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_one(n: int) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    from _synthetic import DATA, synthetic_events

    from geo.analysis import enrich
    from geo.border import read_border, read_countries
    from geo.provinces import read_provinces

    ctx = {
        "border": read_border(DATA / "durand_line.geojson"),
        "countries": read_countries(DATA / "countries.geojson"),
        "provinces": read_provinces(DATA / "provinces.geojson"),
    }
    events = synthetic_events(n)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    out = enrich(events, **ctx).events
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "n": n,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak),
        "rss_before_mb": round(base_rss),
        "in_belt": int(out["in_border_belt"].sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, action="append", help="sizes (default 10k, 100k, 1M)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    print("| events | enrich (s) | peak RSS (MB) | in 50 km belt |")
    print("|---:|---:|---:|---:|")
    for n in args.n or [10_000, 100_000, 1_000_000]:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], check=True, capture_output=True, text=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"| {r['n']:,} | {r['seconds']} | {r['peak_rss_mb']} | {r['in_belt']:,} |", flush=True
        )


if __name__ == "__main__":
    main()
