"""Write data/drawn_layers.geojson: the shipped context layers as every map draws them.

Every map draws the land polygons of the offline basemap (simplified by 800 m, small islands
and lake holes left out), the province outlines, which the choropleth shares (1 km, as a
coverage), the Durand Line (30 m) and the default border belt (250 m), each on the page's
1e-5 degree grid. Simplifying the land
alone costs about 0.06 s a build. This file holds those drawings, each feature one drawn
geometry tagged with its ``drawing_key`` (``geo.render._util.drawing_key``: the SHA-256 of
the source geometries, their CRS, the tolerances and the drawing's version) and its row
(``part``). A map reuses a stored drawing only when the layer it draws has that very key,
so other layers (``--countries``, ``--provinces`` ...) are drawn afresh. Coordinates are
written with every digit, so reading the file gives the very geometry a fresh drawing
gives. Run it again whenever a source file, or the drawing, changes:

    python scripts/make_drawn.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.context import load_context
from geo.render import basemap, border, provinces
from geo.render._util import SHIPPED_DRAWN, draw_geometries, drawing_key

DATA = Path(__file__).resolve().parents[1] / "data"


def drawings(data: Path) -> list[tuple[str, gpd.GeoDataFrame, float | None, float]]:
    """(layer, frame, tolerance in m, smallest area in km²) of every drawing stored."""
    ctx = load_context(data) if data != DATA else load_context()
    return [
        ("countries", ctx.countries, basemap.LAND_TOLERANCE_M, basemap.LAND_MIN_AREA_KM2),
        ("provinces", ctx.provinces, provinces.DRAW_TOLERANCE_M, 0.0),
        ("border", ctx.border, border.DRAW_TOLERANCE_M, 0.0),
        ("belt", ctx.belt(), border.BELT_TOLERANCE_M, 0.0),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the shipped data")
    args = parser.parse_args()
    features: list[dict[str, Any]] = []
    for layer, frame, tolerance_m, min_area_km2 in drawings(args.data):
        key = drawing_key(frame, tolerance_m, min_area_km2)
        for part, geom in enumerate(draw_geometries(frame, tolerance_m, min_area_km2)):
            props = {
                "layer": layer,
                "part": part,
                "drawing_key": key,
                "tolerance_m": tolerance_m,
                "min_area_km2": min_area_km2,
                "made_by": "scripts/make_drawn.py (geo.render._util.draw_geometries)",
            }
            features.append({"type": "Feature", "properties": props, "geometry": geom})
    doc = {"type": "FeatureCollection", "features": features}
    # json writes floats with repr: the shortest text that reads back as the same double
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
    (args.data / SHIPPED_DRAWN).write_text(text, encoding="utf-8")
    print(f"wrote {args.data / SHIPPED_DRAWN} ({len(features)} geometries, {len(text):,} bytes)")


if __name__ == "__main__":
    main()
