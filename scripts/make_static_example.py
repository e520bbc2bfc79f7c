"""Regenerate the README's example stills: ``maps/example_static.png`` and ``maps/example_story.png``.

Usage: ``python scripts/make_static_example.py [--out-dir maps]``

- ``example_static.png`` is ``geo build --out maps/example_static.png`` on the shipped data
  at the default size (1600 x 1000 pixels, 150 dpi).
- ``example_story.png`` is the same map telling one story: the Kabul strike called out
  (``--annotate DL-20260316-KABUL``) and the events of its three weeks in colour, the rest in
  grey (``--highlight 2026-02-21..2026-03-16``), the README's "Annotations" and
  "Highlights" example.

The committed images are documented examples: they show the shipped events as they were
when last regenerated, so rerun this script after changing ``data/events.geojson`` or the
way stills are drawn.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.cli import main as geo

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["build", "--size", "1600x1000", "--dpi", "150"]
#: Each example's file name and the options it adds to ARGS.
EXAMPLES = {
    "example_static.png": [],
    "example_story.png": [
        "--annotate",
        "DL-20260316-KABUL",
        "--highlight",
        "2026-02-21..2026-03-16",
        "--title",
        "Three weeks of strikes across the Durand Line",
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out-dir", type=Path, default=ROOT / "maps")
    args = parser.parse_args()
    for name, extra in EXAMPLES.items():
        code = geo([*ARGS, *extra, "--out", str(args.out_dir / name)])
        if code:
            raise SystemExit(code)


if __name__ == "__main__":
    main()
