"""Benchmark: build time, HTML size, page-ready time and filter latency of the map,
with geopandas ``explore()`` measured side by side in the same run.

Targets (issue 4) at 100k events: build <= 1.0 s, HTML <= 6 MB, page ready <= 2 s, one
filter step <= 100 ms; at 1M: build <= 10 s and a page that opens and filters. Issue 10:
at 100k the density layer is on by itself at country zoom and a filter change redraws it
within 100 ms ("filter-to-draw, density"); the CSV download has as many rows as are shown.

Run: ``python bench/bench_map.py [--n 1000 --n 10000 --n 100000 --n 1000000] [--no-explore]``
Needs Chromium (``/usr/bin/chromium``) and Playwright, as the browser tests do. CDN requests
are answered from ``xstatic-leaflet`` and tiles are aborted, so nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _synthetic import synthetic_events  # noqa: E402

from geo.render import build_map  # noqa: E402
from geo.render.html import save_html  # noqa: E402

EXPLORE_LIMIT = 100_000  # explore() beyond this takes minutes and a page Chromium cannot draw


def _open(
    browser, path: Path, *, ready: str | None, timeout_s: float = 120.0
) -> tuple[object, float]:
    from geo._browser import PageRecorder

    page = browser.new_page(viewport={"width": 1280, "height": 860})
    PageRecorder(page)
    t0 = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load", timeout=timeout_s * 1000)
    if ready:
        page.wait_for_function(ready, timeout=timeout_s * 1000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    wall = time.perf_counter() - t0
    # The page's own clock from navigation start: the ready mark for geo, the load event for
    # explore(); Playwright's round trips (routing each aborted tile) are not the page's time.
    mark = page.evaluate(
        "() => { const m = performance.getEntriesByName('conflict-map-ready')[0];"
        " return m ? m.startTime : performance.getEntriesByType('navigation')[0].loadEventEnd; }"
    )
    return page, min(wall, mark / 1000.0) if mark else wall


def _filter_ms(page) -> float:
    return page.evaluate(
        """async () => {
            const times = [];
            const ranges = [['2022-01-01', '2022-12-31'], ['2023-03-01', '2024-02-29'], ['2021-01-01', '2025-12-31']];
            for (const [a, b] of ranges) {
                const t = performance.now();
                conflictMap.setDateRange(a, b);
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                times.push(performance.now() - t);
            }
            times.sort((x, y) => x - y);
            return times[1];
        }"""
    )


def _density_ms(page) -> tuple[float, bool, bool]:
    """Filter-to-draw with the density layer the page chose: median of filter changes.

    Also says whether hexagons were on at the opening (country) zoom and whether the CSV
    download holds as many rows as ``visibleEventIds()``.
    """
    return page.evaluate(
        """async () => {
            const auto = conflictMap.display().hexbin && !conflictMap.display().points;
            const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            const times = [];
            const steps = [{minFatalities: 1}, {minFatalities: 5}, {minFatalities: 0},
                           {minFatalities: 10}, {minFatalities: 0}];
            for (const f of steps) {
                const t = performance.now();
                conflictMap.setFilter(f);
                await frame();
                times.push(performance.now() - t);
            }
            times.sort((x, y) => x - y);
            const rows = conflictMap.exportData('csv').text.trim().split(String.fromCharCode(10)).length - 1;
            return [times[2], auto, rows === conflictMap.visibleEventIds().length];
        }"""
    )


def bench_geo(n: int, browser, tmp: Path) -> dict[str, float]:
    events = synthetic_events(n)
    t0 = time.perf_counter()
    m = build_map(events, choropleth=None)
    out = save_html(m, tmp / f"geo_{n}.html")
    build = time.perf_counter() - t0
    page, ready = _open(
        browser, out, ready="document.documentElement.dataset.conflictMap === 'ready'"
    )
    step = _filter_ms(page)
    density, auto, rows_ok = _density_ms(page)
    page.close()
    return {
        "build_s": build,
        "mb": out.stat().st_size / 1e6,
        "ready_s": ready,
        "filter_ms": step,
        "density_ms": density,
        "density_auto": float(auto),
        "download_rows_ok": float(rows_ok),
    }


def bench_explore(n: int, browser, tmp: Path) -> dict[str, float] | None:
    if n > EXPLORE_LIMIT:
        return None
    events = synthetic_events(n)
    events = events.drop(columns=["sources", "tags"]).assign(
        date_start=events["date_start"].dt.strftime("%Y-%m-%d"),
        date_end=events["date_end"].dt.strftime("%Y-%m-%d"),
    )
    t0 = time.perf_counter()
    m = events.explore(column="event_type")
    out = tmp / f"explore_{n}.html"
    m.save(str(out))
    build = time.perf_counter() - t0
    try:
        page, ready = _open(browser, out, ready=None, timeout_s=60)
        page.close()
    except Exception:  # Playwright's TimeoutError: the page never finished loading
        ready = float("nan")
    return {"build_s": build, "mb": out.stat().st_size / 1e6, "ready_s": ready}


def main() -> None:
    from geo._browser import launch, sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, action="append", help="sizes (default 1k, 10k, 100k, 1M)")
    parser.add_argument("--no-explore", action="store_true", help="skip geopandas explore()")
    args = parser.parse_args()
    sizes = args.n or [1_000, 10_000, 100_000, 1_000_000]
    print(
        "| events | geo build (s) | geo HTML (MB) | geo ready (s) | geo filter (ms) "
        "| filter-to-draw, density (ms) | density by itself | CSV rows = shown "
        "| explore build (s) | explore HTML (MB) | explore ready (s) | build ratio | size ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as d, sync_playwright() as p:
        browser = launch(p)
        for n in sizes:
            g = bench_geo(n, browser, Path(d))
            e = None if args.no_explore else bench_explore(n, browser, Path(d))
            ex = (
                (
                    f"{e['build_s']:.2f} | {e['mb']:.1f} | {e['ready_s']:.2f} | "
                    f"{e['build_s'] / g['build_s']:.1f}x | {e['mb'] / g['mb']:.1f}x"
                )
                if e
                else "– | – | – | – | –"
            )
            print(
                f"| {n:,} | {g['build_s']:.2f} | {g['mb']:.2f} | {g['ready_s']:.2f} | {g['filter_ms']:.0f} "
                f"| {g['density_ms']:.0f} | {'yes' if g['density_auto'] else 'no'} "
                f"| {'yes' if g['download_rows_ok'] else 'no'} | {ex} |",
                flush=True,
            )
        browser.close()


if __name__ == "__main__":
    main()
