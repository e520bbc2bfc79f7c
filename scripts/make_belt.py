"""Write data/border_belt.geojson: the default 50 km border belt of the shipped line and countries.

``geo.api.Context.belt`` reads it instead of buffering and clipping the line on every build
(about 0.3 s). It is derived data: ``geo.border.border_belt`` over ``durand_line.geojson`` and
``countries.geojson`` at ``geo.border.BELT_KM``, written with every digit of its coordinates so
that reading it back gives the same polygon; the SHA-256 of both source files is stored in it,
and a copy made from other files is ignored. Run it again whenever either file changes:

    python scripts/make_belt.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import shapely

from geo.border import (
    BELT_KM,
    SHIPPED_BELT,
    belt_sources_digest,
    border_belt,
    read_border,
    read_countries,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the shipped data")
    args = parser.parse_args()
    border_path, countries_path = args.data / "durand_line.geojson", args.data / "countries.geojson"
    belt = border_belt(read_border(border_path), read_countries(countries_path), width_km=BELT_KM)
    row = belt.iloc[0]
    feature = {
        "type": "Feature",
        "properties": {
            "name": row["name"],
            "width_km": float(row["width_km"]),
            **belt_sources_digest(border_path, countries_path),
            "made_by": "scripts/make_belt.py (geo.border.border_belt)",
        },
        "geometry": json.loads(shapely.to_geojson(row.geometry)),
    }
    doc = {"type": "FeatureCollection", "features": [feature]}
    # json writes floats with repr: the shortest text that reads back as the same double
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
    (args.data / SHIPPED_BELT).write_text(text, encoding="utf-8")
    print(f"wrote {args.data / SHIPPED_BELT} ({len(text):,} bytes)")


if __name__ == "__main__":
    main()
