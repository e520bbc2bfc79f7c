"""Benchmark: static maps (PNG, SVG, PDF) for the shipped events and for synthetic ones.

Targets (issue 9): shipped data <= 3 s per image; 100k events <= 10 s per image; the SVG
of 100k events <= 15 MB. Each time covers drawing the figure and writing the bytes (the
context layers are read once, as ``geo batch`` does); file sizes are the bytes written.

Run: ``python bench/bench_static.py [--n 100000 ...]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _synthetic import synthetic_events  # noqa: E402

from geo.border import (  # noqa: E402
    border_belt,
    read_border,
    read_cities,
    read_countries,
    read_crossings,
)
from geo.context import shipped_path  # noqa: E402
from geo.events import read_events  # noqa: E402
from geo.provinces import read_provinces  # noqa: E402
from geo.render.static import image_bytes, static_map  # noqa: E402

TARGETS = {"shipped": 3.0, "synthetic": 10.0}
SVG_TARGET_MB = 15.0


def _layers() -> dict:
    border, countries = (
        read_border(shipped_path("border")),
        read_countries(shipped_path("countries")),
    )
    return {
        "border": border,
        "belt": border_belt(border, countries),
        "provinces": read_provinces(shipped_path("provinces")),
        "crossings": read_crossings(shipped_path("crossings")),
        "countries": countries,
        "cities": read_cities(shipped_path("cities")),
    }


def _row(label: str, events, layers: dict, target: float) -> list[str]:
    cells = [label, f"{len(events):,}"]
    for fmt in ("png", "svg", "pdf"):
        t0 = time.perf_counter()
        data = image_bytes(static_map(events, **layers), fmt)
        dt = time.perf_counter() - t0
        mb = len(data) / 1e6
        ok = dt <= target and (fmt != "svg" or label == "shipped" or mb <= SVG_TARGET_MB)
        cells += [f"{dt:.2f}", f"{mb:.2f}", "yes" if ok else "NO"]
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, action="append", help="synthetic sizes (default 100k)")
    args = parser.parse_args()
    layers = _layers()
    warm = static_map(read_events(shipped_path("events")).events.head(1), **layers)
    for fmt in ("png", "svg", "pdf"):  # one-off imports (fontTools for PDF subsetting)
        image_bytes(warm, fmt)
    rows = [_row("shipped", read_events(shipped_path("events")).events, layers, TARGETS["shipped"])]
    for n in args.n or [100_000]:
        rows.append(_row("synthetic", synthetic_events(n), layers, TARGETS["synthetic"]))
    head = ["data", "events"] + [
        f"{fmt} {what}" for fmt in ("PNG", "SVG", "PDF") for what in ("(s)", "(MB)", "ok")
    ]
    print(f"targets: shipped <= {TARGETS['shipped']:g} s per image; synthetic <= "
          f"{TARGETS['synthetic']:g} s per image and SVG <= {SVG_TARGET_MB:g} MB")  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if i < 1 else "---:" for i in range(len(head))) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
