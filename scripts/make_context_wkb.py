"""Write data/context_wkb.geojson: the shipped line, provinces and countries, ready to load.

Parsing ``durand_line.geojson``, ``provinces.geojson`` and ``countries.geojson`` takes about
70 ms a build, most of it the country outlines. This file holds the very frames
``geo.api.load_context`` reads from them: one feature per layer, with no geometry of its own
(GeoJSON allows ``null``) and, as properties, the layer's ``role``, the SHA-256 of its
source file, its columns, their dtypes, its rows and each row's geometry as base64 WKB. A
layer is used only while its source file has that SHA-256; otherwise the source is parsed.
Run it again whenever a source file changes:

    python scripts/make_context_wkb.py
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import shapely

from geo.context import SHIPPED, STORED_LAYERS, STORED_ROLES, reader

DATA = Path(__file__).resolve().parents[1] / "data"


def stored_feature(role: str, data: Path) -> dict[str, Any]:
    """The feature holding the layer of ``role`` read from ``data``."""
    source = data / SHIPPED[role]
    frame = reader(role)(source)
    props = frame.drop(columns=frame.geometry.name)
    rows = [[v.item() if hasattr(v, "item") else v for v in row] for row in props.itertuples(False)]
    return {
        "type": "Feature",
        "geometry": None,
        "properties": {
            "role": role,
            "source": SHIPPED[role],
            "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            "crs": frame.crs.srs,
            "columns": list(props.columns),
            "dtypes": [str(t) for t in props.dtypes],
            "rows": rows,
            "wkb": [base64.b64encode(w).decode() for w in shapely.to_wkb(frame.geometry.values)],
            "made_by": "scripts/make_context_wkb.py",
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the shipped data")
    args = parser.parse_args()
    features = [stored_feature(role, args.data) for role in STORED_ROLES]
    doc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
    (args.data / STORED_LAYERS).write_text(text, encoding="utf-8")
    print(f"wrote {args.data / STORED_LAYERS} ({len(text):,} bytes)")


if __name__ == "__main__":
    main()
