"""Regenerate the README's example static map, ``maps/example_static.png``.

Usage: ``python scripts/make_static_example.py [--out maps/example_static.png]``

It is ``geo build --out maps/example_static.png`` on the shipped data with the default
size (1600 x 1000 pixels, 150 dpi). The committed image is a documented example: it shows
the shipped events as they were when it was last regenerated, so rerun this script after
changing ``data/events.geojson``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.cli import main as geo

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["build", "--size", "1600x1000", "--dpi", "150"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "maps" / "example_static.png")
    args = parser.parse_args()
    raise SystemExit(geo([*ARGS, "--out", str(args.out)]))


if __name__ == "__main__":
    main()
