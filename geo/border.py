"""The Durand Line as a measuring stick: distance, side, border belt; and the crossings.

Distances are geodesic (WGS84 ellipsoid, :class:`pyproj.Geod`). The nearest point of the
line is found in an equidistant conic projection fitted to the border region, with GEOS'
indexed facet distance on the prepared line; only the final distance between the event
and that nearest point is measured on the ellipsoid. The projection can pick a segment
that is not the geodesic nearest only where two segments are almost equally near, and
then the two distances differ by far less than the 0.5 % the tests allow.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

from geo._errors import NO_VALUE, Problem, ValidationError
from geo._geom import first_containing
from geo._io import read_layer
from geo._stored import file_digest, stored_features
from geo.schema import BELT_KM, BELT_RANGE_KM, check_belt_km  # noqa: F401 (importable from here)

#: Equidistant conic fitted to the Afghanistan–Pakistan region (standard parallels 30N, 36N).
REGION_CRS = CRS.from_proj4(
    "+proj=eqdc +lat_0=33 +lon_0=67.5 +lat_1=30 +lat_2=36 +datum=WGS84 +units=m +no_defs"
)
GEOD = Geod(ellps="WGS84")
SIDES = ("AFG", "PAK")


def read_border(path: str | Path) -> gpd.GeoDataFrame:
    """Read the boundary line (LineString features with a ``name``)."""
    return read_layer(path, geom_types=("LineString", "MultiLineString"), fields=("name",))


def read_crossings(path: str | Path) -> gpd.GeoDataFrame:
    """Read the border crossings (Point features with a ``name``)."""
    return read_layer(path, geom_types=("Point",), fields=("name",))


def read_cities(path: str | Path) -> gpd.GeoDataFrame:
    """Read towns (Point features with a ``name``; optional ``rank``, 1 = labelled)."""
    return read_layer(path, geom_types=("Point",), fields=("name",))


def read_countries(path: str | Path) -> gpd.GeoDataFrame:
    """Read country polygons with a ``country`` code (ISO 3166-1 alpha-3).

    Raises
    ------
    ValidationError
        If the file lacks an ``AFG`` or a ``PAK`` polygon: without both, no event's side
        of the line can be decided.
    """
    layer = read_layer(path, geom_types=("Polygon", "MultiPolygon"), fields=("country",))
    missing = [code for code in SIDES if not layer["country"].eq(code).any()]
    if missing:
        found = sorted({str(c) for c in layer["country"].dropna()})[:10]
        msg = (
            f"no polygon with country {' or '.join(map(repr, missing))}; the side of the line "
            f"needs both AFG and PAK (found {found})"
        )
        raise ValidationError([Problem(str(path), "file", "country", NO_VALUE, msg)])
    return layer


#: Points searched at a time by :meth:`BorderIndex.distance_km` (per thread).
_BLOCK = 65_536


def _first_vertices(near: np.ndarray) -> np.ndarray:
    """The first vertex of each shortest line: the line's point nearest the event."""
    return shapely.get_coordinates(near)[0::2]


class BorderIndex:
    """The line in the regional projection, prepared for nearest-point queries.

    Build it once and reuse it: building costs a few milliseconds for 17,000 vertices.
    A query goes through GEOS' indexed facet distance on the prepared line (the exact
    nearest point of the line, as a search of every segment would find it), with the
    points sorted by 20 km cells first so that neighbours follow each other through the
    index: about 1.8 µs per point, against 3 µs for an STRtree nearest query of the
    segments followed by a projection onto the segment found.
    """

    def __init__(self, border: gpd.GeoDataFrame) -> None:
        self.line = shapely.line_merge(border.to_crs(REGION_CRS).geometry.union_all())
        self._to_lonlat = Transformer.from_crs(REGION_CRS, "EPSG:4326", always_xy=True)
        self._to_region = Transformer.from_crs("EPSG:4326", REGION_CRS, always_xy=True)
        self._copies: list[shapely.Geometry] = []

    def _prepared(self, count: int) -> list[shapely.Geometry]:
        """``count`` prepared copies of the line, one per thread: a prepared geometry builds
        its facet index on first use, so each thread gets its own, built before it is shared."""
        while len(self._copies) < count:
            line = shapely.from_wkb(shapely.to_wkb(self.line))
            shapely.prepare(line)
            shapely.shortest_line(line, shapely.points(0.0, 0.0))  # builds the index
            self._copies.append(line)
        return self._copies[:count]

    def nearest_points(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return lon/lat of the point of the line nearest each input point."""
        return self._nearest(np.asarray(lon, "float64"), np.asarray(lat, "float64"), 1)

    def _nearest(
        self, lon: np.ndarray, lat: np.ndarray, workers: int
    ) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._to_region.transform(lon, lat)
        # 20 km cells in row order: nearby points query the index one after the other
        ok = np.isfinite(x) & np.isfinite(y)
        cell = np.where(ok, np.floor(np.where(ok, x, 0) / 20_000.0), 0).astype(np.int64)
        cell = cell * 1_000_003 + np.where(ok, np.floor(np.where(ok, y, 0) / 20_000.0), 0)
        # points without finite coordinates (missing, or beyond the projection) have no
        # nearest point: NaN, and GEOS never sees them (it refuses an empty point)
        order = np.argsort(cell, kind="stable")
        order = order[ok[order]]
        xs, ys = x[order], y[order]
        q = np.empty((len(xs), 2))
        lines = self._prepared(workers)

        def search(line: shapely.Geometry, lo: int, hi: int) -> None:
            # a block at a time: a million GEOS points and lines alive at once would weigh
            # hundreds of megabytes; the answer does not depend on the blocks
            for a in range(lo, hi, _BLOCK):
                b = min(a + _BLOCK, hi)
                near = shapely.shortest_line(line, shapely.points(xs[a:b], ys[a:b]))
                q[a:b] = _first_vertices(near)

        bounds = np.linspace(0, len(xs), workers + 1).astype(int)
        if workers == 1:
            search(lines[0], 0, len(xs))
        else:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(search, lines, bounds[:-1], bounds[1:]))
        out = np.full((len(x), 2), np.nan)
        out[order] = q
        return self._to_lonlat.transform(out[:, 0], out[:, 1])

    def distance_km(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Geodesic distance in km from each point to the line.

        Large inputs are split across the machine's cores: GEOS releases the GIL, so
        threads search the line in parallel.
        """
        lon = np.asarray(lon, dtype="float64")
        lat = np.asarray(lat, dtype="float64")
        if lon.size == 0:
            return np.zeros(0)
        workers = min(os.cpu_count() or 1, max(1, lon.size // 50_000))
        qlon, qlat = self._nearest(lon, lat, workers)
        _, _, metres = GEOD.inv(lon, lat, qlon, qlat)
        return np.asarray(metres) / 1000.0


def border_distance_km(points: gpd.GeoSeries, border: gpd.GeoDataFrame) -> np.ndarray:
    """Geodesic distance (km) from each point to the border line.

    Examples
    --------
    >>> import geopandas as gpd, shapely  # doctest: +SKIP
    >>> kabul = gpd.GeoSeries([shapely.Point(69.17, 34.53)], crs=4326)  # doctest: +SKIP
    >>> border_distance_km(kabul, read_border("data/durand_line.geojson")).round()  # doctest: +SKIP
    array([86.])
    """
    pts = points.to_crs("EPSG:4326")
    return BorderIndex(border).distance_km(pts.x.to_numpy(), pts.y.to_numpy())


def border_side(points: gpd.GeoSeries, countries: gpd.GeoDataFrame) -> np.ndarray:
    """``"AFG"``, ``"PAK"`` or ``"other"`` for each point, from the country polygons.

    The side comes from point-in-polygon tests against the same polygons the line was
    cut from, never from the sign of a coordinate.
    """
    pts = points.to_crs("EPSG:4326")
    return side_of(shapely.get_x(pts.values), shapely.get_y(pts.values), countries)


def side_of(lon: np.ndarray, lat: np.ndarray, countries: gpd.GeoDataFrame) -> np.ndarray:
    """:func:`border_side` for longitudes and latitudes (WGS84)."""
    shapes = countries.to_crs("EPSG:4326")
    shapes = shapes.loc[shapes["country"].isin(SIDES)]
    shapes = shapes.iloc[np.argsort(shapes["country"].map(SIDES.index).to_numpy(), kind="stable")]
    found = first_containing(lon, lat, shapes.geometry.values)
    codes = np.append(shapes["country"].to_numpy(dtype=object), "other")
    return codes[found]  # -1 picks the appended "other"


#: The default belt of the shipped line and countries, computed once by
#: ``scripts/make_belt.py`` (``data/SOURCES.md``); each source file's SHA-256 is kept in it.
SHIPPED_BELT = "border_belt.geojson"


def belt_sources_digest(border_path: Path, countries_path: Path) -> dict[str, str]:
    """SHA-256 of the two files the shipped belt is made from, by role."""
    return {
        "border_sha256": file_digest(border_path),
        "countries_sha256": file_digest(countries_path),
    }


def read_shipped_belt(
    path: Path, border_path: Path, countries_path: Path
) -> gpd.GeoDataFrame | None:
    """The belt stored in ``path`` if it was made from these two files, else None.

    The geometry is stored as :func:`border_belt` returns it (coordinates already on its
    1e-5 degree grid, written with every digit), so reading it gives the same polygon.
    """
    features = stored_features(path)
    if len(features) != 1:
        return None
    try:
        (feature,) = features
        props = feature["properties"]
        if any(
            props.get(k) != v for k, v in belt_sources_digest(border_path, countries_path).items()
        ):
            return None
        geom = shapely.from_geojson(json.dumps(feature["geometry"]))
        return gpd.GeoDataFrame(
            {"name": [str(props["name"])], "width_km": [float(props["width_km"])]},
            geometry=[geom],
            crs="EPSG:4326",
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def border_belt(
    border: gpd.GeoDataFrame,
    countries: gpd.GeoDataFrame | None = None,
    *,
    width_km: float = BELT_KM,
) -> gpd.GeoDataFrame:
    """The belt within ``width_km`` of the line, clipped to the two countries.

    The buffer is made in the regional equidistant projection, where a kilometre is a
    kilometre to within a fraction of a percent across the region.
    """
    width_km = check_belt_km(width_km)
    line = border.to_crs(REGION_CRS).geometry.union_all()
    # the drawn edge follows the line simplified by 300 m, with arcs of 8 segments per
    # quarter circle (edge within 0.5 km at 50 km): a tenth of the exact buffer's cost.
    # Membership (in_border_belt) comes from exact distances, never from this polygon.
    line = shapely.simplify(line, 300.0)
    belt = shapely.buffer(line, width_km * 1000.0, quad_segs=8)
    if countries is not None:
        # Clip per country and join on a 1 m grid: a plain union of the two polygons trips
        # GEOS on the slivers where the two OSM outlines do not quite meet.
        shapes = countries.loc[countries["country"].isin(SIDES)].to_crs(REGION_CRS).geometry.values
        belt = shapely.union_all(shapely.intersection(belt, shapes, grid_size=1.0), grid_size=1.0)
    # keep only the areas: clipping can leave slivers of line or point along the edges
    parts = shapely.get_parts(belt)
    belt = shapely.multipolygons([p for p in parts if shapely.get_type_id(p) == 3])
    # 50 m is far below what the belt's edge means, and keeps the drawn polygon small
    belt = shapely.simplify(belt, 50.0, preserve_topology=True)
    out = gpd.GeoDataFrame(
        {
            "name": [f"Border belt: within {width_km:g} km of the Durand Line"],
            "width_km": [width_km],
        },
        geometry=[belt],
        crs=REGION_CRS,
    ).to_crs("EPSG:4326")
    out["geometry"] = shapely.set_precision(out.geometry.values, 1e-5, mode="pointwise")
    return out
