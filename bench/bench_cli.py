"""Benchmark: ``geo build`` end to end from realistic files, as a user runs it.

Inputs come from ``realistic.py`` (ACLED-shaped exports with realistic text, fixed seed).
Each run is a fresh process (start-up and imports included), timed by the wall clock with
its peak RSS from ``/usr/bin/time``; up to 100k rows geo and explore() run three times each
and the median is shown. Per size: the CSV build, the page in headless Chromium
(ready, one filter step), the HTML against the gzip size of the input, and geopandas
``explore()`` from the same CSV in the same run (up to 100k); then a 100k-feature GeoJSON
(written by ``geo export``), a 100k CSV whose provinces disagree with the points, and 1M
rows from GeoParquet; and the largest CSV built under a pseudo-terminal, timing when the
progress display first shows and the longest stretch without an update. Every figure is
printed next to its target.

Run: ``python bench/bench_cli.py [--n 100000 ...] [--no-browser]``. ``explore()`` needs the
``bench`` extra (mapclassify); the page timings need Chromium, as the browser tests do.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from realistic import write_csv  # noqa: E402

from geo._progress import LARGE_INPUT  # noqa: E402

EXPLORE_LIMIT = 100_000
#: Up to this many rows each build (and explore()) runs three times; the median is shown.
REPEAT_UP_TO = 100_000
#: (size, what) -> (target, "<=" or ">=")
TARGETS = {
    (100_000, "wall"): 2.5,
    (100_000, "ratio"): 8.0,
    (1_000_000, "wall"): 20.0,
    (1_000_000, "rss"): 2048.0,
    (100_000, "ready"): 1.5,
    (1_000_000, "ready"): 4.0,
    (100_000, "filter"): 50.0,
    (1_000_000, "filter"): 150.0,
    ("geojson", "wall"): 4.0,
    ("parquet", "wall"): 10.0,
}
HTML_PER_GZIP = 1.3
#: Under a terminal: progress shown within this many seconds, and never silent longer.
PROGRESS_S = 1.0

EXPLORE = """
import sys, pandas as pd, geopandas as gpd
t = pd.read_csv(sys.argv[1])
g = gpd.GeoDataFrame(t, geometry=gpd.points_from_xy(t.longitude, t.latitude), crs="EPSG:4326")
g.explore(column="event_type").save(sys.argv[2])
"""


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of a fresh process."""
    t0 = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return wall, int(done.stderr.strip().splitlines()[-1]) / 1024, done.stdout


def median_run(cmd: list[str], rows: int) -> tuple[float, float, str]:
    """:func:`run` three times up to :data:`REPEAT_UP_TO` rows (the median wall time, with
    the peak RSS of that run), once beyond: a single run of a 2 s command moves by 10 %."""
    runs = sorted((run(cmd) for _ in range(3 if rows <= REPEAT_UP_TO else 1)), key=lambda r: r[0])
    return runs[len(runs) // 2]


def geo(*args: str) -> list[str]:
    return [sys.executable, "-m", "geo", *args, "--quiet"]


def mark(value: float, key: tuple, *, fmt: str = "{:.2f}", higher: bool = False) -> str:
    target = TARGETS.get(key)
    text = fmt.format(value)
    if target is None:
        return text
    ok = value >= target if higher else value <= target
    sign = ">=" if higher else "<="
    return f"{text} ({sign} {fmt.format(target)} {'met' if ok else 'NOT MET'})"


def page_timings(path: Path, browser) -> tuple[float, float]:
    from bench_map import _filter_ms, _open

    page, ready = _open(browser, path, ready="document.documentElement.dataset.conflictMap")
    filter_ms = _filter_ms(page)
    page.close()
    return ready, filter_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, action="append", help="sizes (default 10k, 100k, 1M)")
    parser.add_argument("--no-browser", action="store_true", help="skip the page timings")
    args = parser.parse_args()
    sizes = args.n or [10_000, 100_000, 1_000_000]
    browser = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        from geo._browser import launch

        browser = launch(pw)
    print(
        "| input | rows | input (MB) | gzip (MB) | geo build (s) | peak RSS (MB) | HTML (MB) "
        "| HTML/gzip | ready (s) | filter (ms) | explore (s) | explore/geo |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for n in sizes:
            csv = write_csv(n, tmp / f"acled_{n}.csv")
            row(f"CSV {n:,}", n, csv, tmp, browser, explore=n <= EXPLORE_LIMIT, key=n)
            if n == 100_000:
                gj = tmp / "rich_100k.geojson"
                run(geo("export", str(csv), "--out", str(gj)))
                row("GeoJSON 100k", n, gj, tmp, None, key="geojson")
                bad = write_csv(n, tmp / "mismatch_100k.csv", mismatch=1.0)
                mismatch(bad, tmp)
            if n == max(sizes) and csv.stat().st_size >= LARGE_INPUT:
                progress(csv, tmp)
            if n == 1_000_000:
                pq = tmp / "events_1m.parquet"
                run(geo("export", str(csv), "--out", str(pq)))
                row("GeoParquet 1M", n, pq, tmp, None, key="parquet")
    if browser is not None:
        browser.close()
        pw.stop()


def row(label: str, n: int, src: Path, tmp: Path, browser, *, explore=False, key=None) -> None:
    out = tmp / f"{src.stem}.html"
    wall, rss, stdout = median_run(geo("build", "--events", str(src), "--out", str(out)), n)
    rejected = re.search(r"(\d+) rejected", stdout)
    size = src.stat().st_size / 1e6
    gz = len(gzip.compress(src.read_bytes(), 6)) / 1e6
    html = out.stat().st_size / 1e6
    ready = filter_ms = float("nan")
    if browser is not None:
        ready, filter_ms = page_timings(out, browser)
    ex = ratio = "–"
    if explore:
        ewall, _, _ = median_run(
            [sys.executable, "-c", EXPLORE, str(src), str(tmp / "explore.html")], n
        )
        ex, ratio = f"{ewall:.1f}", mark(ewall / wall, (key, "ratio"), fmt="{:.1f}", higher=True)
    ok = "met" if html <= HTML_PER_GZIP * gz else "NOT MET"
    print(
        f"| {label} | {n:,} | {size:.0f} | {gz:.1f} | {mark(wall, (key, 'wall'))} | "
        f"{mark(rss, (key, 'rss'), fmt='{:.0f}')} | {html:.1f} | {html / gz:.2f} "
        f"(<= {HTML_PER_GZIP} {ok}) | {mark(ready, (key, 'ready'))} | "
        f"{mark(filter_ms, (key, 'filter'), fmt='{:.0f}')} | {ex} | {ratio} |"
        + (f" rejected {rejected.group(1)}" if rejected and rejected.group(1) != "0" else ""),
        flush=True,
    )


def mismatch(src: Path, tmp: Path) -> None:
    """The 100k CSV whose provinces all disagree: time and the number of warning lines."""
    out = tmp / "mismatch.html"
    cmd = [sys.executable, "-m", "geo", "build", "--events", str(src), "--out", str(out)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    lines = len(done.stderr.splitlines())
    print(
        f"| CSV 100k, provinces disagree | 100,000 | – | – | {wall:.2f} | – | – | – | – | – | – "
        f"| {lines} warning lines (<= ~30) |",
        flush=True,
    )


def progress(src: Path, tmp: Path) -> None:
    """The build of the largest CSV under a pseudo-terminal, as a user at a terminal sees it:
    when the progress display first appears, the longest stretch without an update, and the
    last update against the end of the run."""
    master, replica = pty.openpty()
    cmd = [sys.executable, "-m", "geo", "build", "--events", str(src), "--out", str(tmp / "p.html")]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=replica
    )
    os.close(replica)
    stamps: list[float] = []
    while True:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            stamps.append(time.perf_counter() - t0)
        elif proc.poll() is not None:
            break
    proc.wait()
    end = time.perf_counter() - t0
    os.close(master)
    first = stamps[0] if stamps else float("nan")
    gap = max((b - a for a, b in itertools.pairwise(stamps)), default=float("nan"))
    tail = end - stamps[-1] if stamps else float("nan")
    ok = lambda v: "met" if v <= PROGRESS_S else "NOT MET"  # noqa: E731
    print(
        f"\nUnder a terminal ({src.name}, {end:.1f} s): progress first shown after "
        f"{first:.2f} s (<= {PROGRESS_S} {ok(first)}), longest time without an update "
        f"{gap:.2f} s (<= {PROGRESS_S} {ok(gap)}), last update {tail:.2f} s before the end "
        f"(<= {PROGRESS_S} {ok(tail)})\n",
        flush=True,
    )


if __name__ == "__main__":
    main()
