"""Build the main Afghanistan–Pakistan border crossings as GeoJSON points.

The coordinates are kept in :data:`CROSSINGS` below, each with a comment on
where it came from.  Every point is checked against the Durand Line written
by ``scripts/make_border.py`` (``data/durand_line.geojson``): a crossing more
than 5 km from the line makes the script fail.

Run ``python scripts/make_border.py`` first, then
``python scripts/make_crossings.py`` from the repository root.  Output is
byte-for-byte deterministic.
"""

# En dashes in place names and primes in DMS coordinates are intended:

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from _common import data_parser, write_geojson
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point, shape

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "crossings.geojson"
DEFAULT_LINE = REPO_ROOT / "data" / "durand_line.geojson"
MAX_DISTANCE_KM = 5.0

#: Same Lambert conformal conic as scripts/make_border.py.
METRIC_CRS = CRS.from_proj4(
    "+proj=lcc +lat_1=30 +lat_2=37 +lat_0=33.5 +lon_0=67.7 "
    "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)
GEOD = Geod(ellps="WGS84")

KP = "Khyber Pakhtunkhwa"

#: Crossings ordered north to south.  ``lat``/``lon`` in decimal degrees.
CROSSINGS: list[dict[str, Any]] = [
    {
        "name": "Arandu",
        # Wikipedia, "Arandu, Khyber Pakhtunkhwa": 35°18′37″N 71°32′55″E.
        "lat": 35.31028,
        "lon": 71.54861,
        "name_afg_side": "Naray (Nari) district, Kunar",
        "name_pak_side": "Arandu, Lower Chitral district, Khyber Pakhtunkhwa",
        "afg_province": "Kunar",
        "pak_province": KP,
        "status_note": (
            "Trade crossing opened in 2022 where the Chitral (Kunar) River "
            "enters Afghanistan, on the old Drosh–Jalalabad road."
        ),
        "source": (
            "Wikipedia 'Arandu, Khyber Pakhtunkhwa' infobox (35°18′37″N "
            "71°32′55″E); crossing listed in Wikipedia 'Land border "
            "crossings of Pakistan'"
        ),
    },
    {
        "name": "Torkham",
        # Wikipedia, "Torkham" / "Torkham border crossing": 34°6′53″N 71°5′5″E.
        "lat": 34.11472,
        "lon": 71.08472,
        "name_afg_side": "Torkham, Momand Dara district, Nangarhar",
        "name_pak_side": "Torkham, Landi Kotal tehsil, Khyber district, Khyber Pakhtunkhwa",
        "afg_province": "Nangarhar",
        "pak_province": KP,
        "status_note": (
            "Busiest crossing: the Kabul–Jalalabad–Peshawar road through the "
            "Khyber Pass (Pakistan's N-5)."
        ),
        "source": "Wikipedia 'Torkham border crossing' infobox (34°6′53″N 71°5′5″E)",
    },
    {
        "name": "Kharlachi",
        # Wikipedia "Kurram District" (text mirrored on kpktribune.com): the
        # Kurram River crosses the Paktia border at 33°49′N 69°58′E.  The
        # FATA agency profile of Kurram (visitorsheaven.com) says the river
        # enters the agency from Afghanistan near Kharlachi.
        "lat": 33.81667,
        "lon": 69.96667,
        "name_afg_side": "Dand-e-Patan (Dand Aw Patan) district, Paktia",
        "name_pak_side": "Kharlachi, Kurram district, Khyber Pakhtunkhwa",
        "afg_province": "Paktia",
        "pak_province": KP,
        "status_note": (
            "Trade terminal about 20 km from Parachinar on the Kurram "
            "River; often shut during unrest in Kurram."
        ),
        "source": (
            "Kurram River border point 33°49′N 69°58′E (Wikipedia 'Kurram "
            "District'); Kharlachi is where the river enters Kurram (Kurram "
            "agency profile), so the point is the river crossing, not the gate"
        ),
    },
    {
        "name": "Ghulam Khan",
        # APPROXIMATE.  No published coordinate for the gate was found.  The
        # point is where the straight line from Khost (Wikipedia 33°19′59″N
        # 69°55′01″E) to Miranshah (Wikipedia 33°0′9″N 70°4′8″E) meets the
        # OSM boundary of data/durand_line.geojson; uncertainty a few km.
        "lat": 33.1447,
        "lon": 70.0035,
        "name_afg_side": "Gurbuz district, Khost",
        "name_pak_side": "Ghulam Khan, North Waziristan district, Khyber Pakhtunkhwa",
        "afg_province": "Khost",
        "pak_province": KP,
        "status_note": (
            "Trade and transit crossing on the Khost–Miranshah–Bannu road, "
            "third busiest after Torkham and Chaman."
        ),
        "source": (
            "approximate: no published gate coordinate found; placed where "
            "the straight Khost–Miranshah line (Wikipedia town coordinates) "
            "meets the OSM boundary, uncertainty a few km"
        ),
    },
    {
        "name": "Angoor Adda",
        # Wikipedia "Angur Ada" infobox (read in a ja.wikipedia mirror):
        # 32°30′56″N 69°16′57″E.
        "lat": 32.51556,
        "lon": 69.28250,
        "name_afg_side": "Shkin, Barmal district, Paktika",
        "name_pak_side": "Angoor Adda, South Waziristan, Khyber Pakhtunkhwa",
        "afg_province": "Paktika",
        "pak_province": KP,
        "status_note": (
            "Crossing between Wana and Paktika; its bazaar straddles the "
            "line, trade terminal opened in 2020."
        ),
        "source": "Wikipedia 'Angur Ada' infobox (32°30′56″N 69°16′57″E)",
    },
    {
        "name": "Chaman–Spin Boldak",
        # Wikipedia, "Chaman border crossing": 30°55′20″N 66°26′41″E.  This
        # published point lies in Chaman, about 3.7 km south of the OSM line,
        # not at the Friendship Gate itself.
        "lat": 30.92222,
        "lon": 66.44472,
        "name_afg_side": "Wesh, Spin Boldak district, Kandahar",
        "name_pak_side": "Chaman, Chaman district, Balochistan",
        "afg_province": "Kandahar",
        "pak_province": "Balochistan",
        "status_note": (
            "Main southern crossing on the Quetta–Kandahar road (N-25), "
            "through the Friendship Gate (Bab-e-Dosti)."
        ),
        "source": (
            "Wikipedia 'Chaman border crossing' infobox (30°55′20″N "
            "66°26′41″E), a point in Chaman town"
        ),
    },
]

PROPERTY_ORDER = (
    "name",
    "name_afg_side",
    "name_pak_side",
    "afg_province",
    "pak_province",
    "status_note",
    "source",
)


def load_line(path: Path) -> LineString:
    """Load the Durand Line written by ``make_border.py``.

    Parameters
    ----------
    path : pathlib.Path
        Path of ``durand_line.geojson``.

    Returns
    -------
    shapely.geometry.LineString
        The boundary line in EPSG:4326.
    """
    if not path.is_file():
        raise SystemExit(f"{path} not found: run scripts/make_border.py first")
    data = json.loads(path.read_text(encoding="utf-8"))
    line = shape(data["features"][0]["geometry"])
    if line.geom_type != "LineString":
        raise SystemExit(f"{path}: expected one LineString, got {line.geom_type}")
    return line


def distance_to_line_km(line: LineString, lon: float, lat: float) -> float:
    """Geodesic distance from a point to the line, in kilometres.

    The nearest point on the line is found in :data:`METRIC_CRS`; the
    distance to it is then measured on the WGS84 ellipsoid.

    Parameters
    ----------
    line : LineString
        Boundary in EPSG:4326.
    lon, lat : float
        Point coordinates in degrees.

    Returns
    -------
    float
        Distance in kilometres.
    """
    to_m = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    to_deg = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    line_m = LineString(np.column_stack(to_m.transform(*np.asarray(line.coords).T)))
    point_m = Point(to_m.transform(lon, lat))
    nearest = shapely.line_interpolate_point(line_m, shapely.line_locate_point(line_m, point_m))
    near_lon, near_lat = to_deg.transform(nearest.x, nearest.y)
    return float(GEOD.inv(lon, lat, near_lon, near_lat)[2]) / 1000.0


def check_distances(line: LineString, crossings: list[dict[str, Any]]) -> None:
    """Print each crossing's distance to the line and fail if one is too far.

    Parameters
    ----------
    line : LineString
        Boundary in EPSG:4326.
    crossings : list of dict
        Crossing records with ``lat`` and ``lon``.
    """
    too_far = []
    for item in crossings:
        dist = distance_to_line_km(line, item["lon"], item["lat"])
        where = f"{item['lat']:9.5f}N {item['lon']:9.5f}E"
        print(f"  {item['name']:<20} {where}  {dist:5.2f} km from line")
        if dist > MAX_DISTANCE_KM:
            too_far.append(f"{item['name']} ({dist:.2f} km)")
    if too_far:
        raise SystemExit(f"crossings more than {MAX_DISTANCE_KM} km from the line: {too_far}")


def to_feature_collection(crossings: list[dict[str, Any]]) -> dict[str, Any]:
    """Convert the crossing table to a GeoJSON FeatureCollection.

    Parameters
    ----------
    crossings : list of dict
        Crossing records.

    Returns
    -------
    dict
        FeatureCollection with properties in :data:`PROPERTY_ORDER`.
    """
    features = []
    for item in crossings:
        features.append(
            {
                "type": "Feature",
                "properties": {key: item[key] for key in PROPERTY_ORDER},
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(item["lon"], 5), round(item["lat"], 5)],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def parse_args() -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = data_parser(__doc__, DEFAULT_OUT)
    parser.add_argument(
        "--line", type=Path, default=DEFAULT_LINE, help="Durand Line GeoJSON to check against"
    )
    return parser.parse_args()


def main() -> None:
    """Check the crossings against the line and write the GeoJSON file."""
    args = parse_args()
    line = load_line(args.line)
    print(f"{len(CROSSINGS)} crossings, distance to {args.line.name}:")
    check_distances(line, CROSSINGS)
    write_geojson(args.out, to_feature_collection(CROSSINGS))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
