"""Province (admin-1) polygons of Afghanistan and Pakistan, and joins of events to them."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo._geom import first_containing
from geo._io import read_layer
from geo.border import REGION_CRS

#: How far (km) a point may lie outside its declared province before it is reported:
#: the generalisation of the province polygons plus the radius the precision implies.
MISMATCH_TOLERANCE_KM = {"exact": 5.0, "district": 15.0, "province": 30.0}
_TO_REGION = Transformer.from_crs("EPSG:4326", REGION_CRS, always_xy=True)
#: Points on neither country's polygons but this close (km) to a province take its name.
NEAREST_KM = 10.0


def read_provinces(path: str | Path) -> gpd.GeoDataFrame:
    """Read province polygons with ``province`` and ``country`` (ISO 3166-1 alpha-3)."""
    return read_layer(path, geom_types=("Polygon", "MultiPolygon"), fields=("province", "country"))


def locate_provinces(points: gpd.GeoSeries, provinces: gpd.GeoDataFrame) -> np.ndarray:
    """Index into ``provinces`` of the polygon holding each point, or -1.

    A point outside every polygon but within :data:`NEAREST_KM` of one (the polygons are
    generalised, so the line and the coast wander a little) takes the nearest.
    """
    pts = points.to_crs("EPSG:4326")
    return province_of(shapely.get_x(pts.values), shapely.get_y(pts.values), provinces)


def province_of(lon: np.ndarray, lat: np.ndarray, provinces: gpd.GeoDataFrame) -> np.ndarray:
    """:func:`locate_provinces` for longitudes and latitudes (WGS84)."""
    polygons = provinces.to_crs("EPSG:4326").geometry.values
    found = first_containing(lon, lat, polygons)
    missing = np.flatnonzero(found < 0)
    if missing.size:
        tree = shapely.STRtree(provinces.to_crs(REGION_CRS).geometry.values)
        x, y = _TO_REGION.transform(lon[missing], lat[missing])
        near = tree.query_nearest(
            shapely.points(x, y), max_distance=NEAREST_KM * 1000.0, all_matches=False
        )
        found[missing[near[0]]] = near[1]
    return found


def distance_to_named_km(
    points: gpd.GeoSeries, provinces: gpd.GeoDataFrame, names: np.ndarray
) -> np.ndarray:
    """Planar distance (km, regional projection) from each point to the province it names.

    NaN where the name is empty or not in ``provinces``.
    """
    pts = points.to_crs(REGION_CRS).values
    shapes = provinces.to_crs(REGION_CRS)
    lookup: dict[str, int] = {}
    for i, k in enumerate(shapes["province"]):
        lookup.setdefault(str(k).lower(), i)
    # looked up once per distinct name, then gathered for the points
    codes, uniques = pd.factorize(pd.Series(names, dtype=object), use_na_sentinel=False)
    per_name = np.array([lookup.get(str(n).lower(), -1) for n in uniques] + [-1], dtype=np.int64)
    idx = per_name[codes]
    out = np.full(len(pts), np.nan)
    polygons = shapes.geometry.values
    # per named polygon: 0 inside, else the distance to its boundary, found through GEOS'
    # indexed facet distance on the prepared boundary (a plain distance walks every edge
    # of a detailed polygon for every point)
    for k in np.unique(idx[idx >= 0]):
        rows = np.flatnonzero(idx == k)
        polygon = polygons[k]
        boundary = shapely.boundary(polygon)
        shapely.prepare(boundary)
        near = shapely.length(shapely.shortest_line(boundary, pts[rows]))
        inside = shapely.contains_xy(polygon, shapely.get_x(pts[rows]), shapely.get_y(pts[rows]))
        out[rows] = np.where(inside, 0.0, near) / 1000.0
    return out
