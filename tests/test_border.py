"""Known answers for distance, side and belt against the shipped Durand Line."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.border import (
    BorderIndex,
    border_belt,
    border_distance_km,
    border_side,
    read_border,
    read_countries,
)
from geo.schema import BELT_KM

DATA = Path(__file__).resolve().parents[1] / "data"
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def border() -> gpd.GeoDataFrame:
    return read_border(DATA / "durand_line.geojson")


@pytest.fixture(scope="module")
def countries() -> gpd.GeoDataFrame:
    return read_countries(DATA / "countries.geojson")


def _pts(*lonlat: tuple[float, float]) -> gpd.GeoSeries:
    return gpd.GeoSeries(shapely.points(np.array(lonlat)), crs="EPSG:4326")


PLACES = {
    "Kabul": (69.1723, 34.5281),
    "Peshawar": (71.5249, 34.0151),
    "Quetta": (66.9750, 30.1798),
    "Herat": (62.2031, 34.3482),
    "Doha": (51.5310, 25.2854),
}


def test_kabul_is_on_the_afghan_side_about_86_km_from_the_line(border, countries) -> None:
    kabul = _pts(PLACES["Kabul"])
    assert 80 <= border_distance_km(kabul, border)[0] <= 95
    assert border_side(kabul, countries).tolist() == ["AFG"]


@pytest.mark.parametrize(
    ("place", "side"), [("Peshawar", "PAK"), ("Quetta", "PAK"), ("Herat", "AFG"), ("Doha", "other")]
)
def test_side_comes_from_polygons(countries, place, side) -> None:
    # Quetta lies west of Kabul and Herat west of both: no longitude rule gets all of these right
    assert border_side(_pts(PLACES[place]), countries).tolist() == [side]


def test_crossings_lie_on_the_line(border) -> None:
    crossings = gpd.read_file(DATA / "crossings.geojson")
    names = crossings["name"].str.lower()
    for wanted in ("torkham", "chaman"):
        assert names.str.contains(wanted).any(), f"no crossing named like {wanted!r}"
    distances = border_distance_km(crossings.geometry, border)
    assert (distances < 5).all(), dict(zip(crossings["name"], distances.round(2), strict=True))


def _brute_force_km(lon: np.ndarray, lat: np.ndarray, border: gpd.GeoDataFrame) -> np.ndarray:
    """Minimum geodesic distance to a copy of the line densified to ~100 m vertex spacing.

    Every vertex that can be the nearest on the ellipsoid is measured geodesically: a sphere
    is within 0.6 % of it, so a vertex beyond 1.02 times the spherical minimum (plus 1 km)
    cannot be the nearest; the rest would only repeat the work (tens of millions of pairs).
    """
    line = shapely.segmentize(border.geometry.union_all(), 0.001)
    xy = shapely.get_coordinates(line)
    vlon, vlat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    out = np.empty(len(lon))
    for i in range(len(lon)):
        plon, plat = np.radians(lon[i]), np.radians(lat[i])
        h = (
            np.sin((vlat - plat) / 2) ** 2
            + np.cos(plat) * np.cos(vlat) * np.sin((vlon - plon) / 2) ** 2
        )
        sphere = 2 * 6371.0088 * np.arcsin(np.sqrt(h))
        near = sphere <= sphere.min() * 1.02 + 1.0
        _, _, d = GEOD.inv(
            np.full(near.sum(), lon[i]), np.full(near.sum(), lat[i]), xy[near, 0], xy[near, 1]
        )
        out[i] = d.min() / 1000.0
    return out


def test_distances_agree_with_pyproj_geod_within_half_a_percent(border) -> None:
    rng = np.random.default_rng(20260316)
    lon = rng.uniform(60.5, 75.0, 300)
    lat = rng.uniform(24.0, 38.0, 300)
    got = BorderIndex(border).distance_km(lon, lat)
    want = _brute_force_km(lon, lat, border)
    far = want > 2.0  # relative error means little for points on the line itself
    assert far.sum() > 250
    rel = np.abs(got[far] - want[far]) / want[far]
    assert rel.max() < 0.005, f"max relative error {rel.max():.4%}"
    assert np.abs(got - want).max() < 0.5  # and never more than 0.5 km in absolute terms


@pytest.fixture(scope="module")
def belt_50km(border, countries) -> gpd.GeoDataFrame:
    """The belt of the default width (50 km), computed once for the tests that read it."""
    assert BELT_KM == 50
    return border_belt(border, countries, width_km=50)


def test_belt_polygon_is_clipped_to_the_two_countries(belt_50km, countries) -> None:
    belt = belt_50km
    assert belt.crs.to_epsg() == 4326
    geom = belt.geometry.iat[0]
    assert geom.is_valid and not geom.is_empty
    assert not geom.contains(shapely.Point(PLACES["Kabul"]))  # 86 km out
    assert geom.contains(shapely.Point(71.05, 34.1))  # by Torkham
    # clipped: nothing of it lies far outside the two countries. Only the countries within
    # 10 km of the belt's box can lie within 2 km of it: the rest is cut off first (half
    # the cost of the buffer, the same answer)
    mercator = belt.to_crs(3857).geometry.iat[0]
    x0, y0, x1, y1 = mercator.bounds
    box = shapely.box(x0 - 1e4, y0 - 1e4, x1 + 1e4, y1 + 1e4)
    near = shapely.intersection(countries.to_crs(3857).geometry.values, box)
    both = shapely.union_all(near, grid_size=1.0).buffer(2000)
    assert mercator.difference(both).area < 1e6


@pytest.mark.parametrize("width", [-5, 0, 0.01, float("nan"), float("inf"), 1e-300, 1e308])
def test_belt_width_outside_the_accepted_range_is_refused(border, width) -> None:
    with pytest.raises(
        ValueError, match=r"belt width .* km is not accepted; accepted: 0\.1 to 1000 km"
    ):
        border_belt(border, width_km=width)


def test_read_border_rejects_points(tmp_path) -> None:
    path = tmp_path / "line.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},'
        '"geometry":{"type":"Point","coordinates":[1,2]}}]}',
        encoding="utf-8",
    )
    with pytest.raises(
        ValueError,
        match=r"feature 1, field 'geometry': 'Point': geometry type not accepted here; accepted: LineString",
    ):
        read_border(path)


def test_shipped_belt_is_the_computed_belt(fast_paths, belt_50km) -> None:
    # data/border_belt.geojson (scripts/make_belt.py) stands in for the default belt
    from geo.border import SHIPPED_BELT, read_shipped_belt
    from geo.context import load_context

    stored = read_shipped_belt(
        DATA / SHIPPED_BELT, DATA / "durand_line.geojson", DATA / "countries.geojson"
    )
    assert stored is not None, "stale or missing: run python scripts/make_belt.py"
    computed = belt_50km  # the default width
    assert stored.geometry.iat[0].wkb == computed.geometry.iat[0].wkb
    assert stored.drop(columns="geometry").equals(computed.drop(columns="geometry"))
    assert load_context().belt().geometry.iat[0].wkb == computed.geometry.iat[0].wkb


def test_stored_belt_from_other_files_is_ignored(tmp_path) -> None:
    from geo.border import SHIPPED_BELT, read_shipped_belt

    other = tmp_path / "line.geojson"
    other.write_bytes((DATA / "durand_line.geojson").read_bytes() + b"\n")
    assert read_shipped_belt(DATA / SHIPPED_BELT, other, DATA / "countries.geojson") is None
    assert read_shipped_belt(tmp_path / "none.geojson", other, other) is None


def test_prepared_line_distance_matches_segment_projection(border) -> None:
    # the distance through GEOS' indexed facet distance equals a brute-force projection on
    # every segment (planar, regional projection), threads and sorting included
    from geo.border import GEOD, REGION_CRS

    rng = np.random.default_rng(7)
    lon = np.r_[rng.uniform(60.5, 75.0, 120_000), 71.05, 69.1723]
    lat = np.r_[rng.uniform(24.0, 38.0, 120_000), 34.1, 34.5281]
    index = BorderIndex(border)
    got = index.distance_km(lon, lat)
    sample = rng.choice(len(lon), 300, replace=False)
    xy = shapely.get_coordinates(border.to_crs(REGION_CRS).geometry.union_all())
    a, b = xy[:-1], xy[1:]
    x, y = index._to_region.transform(lon[sample], lat[sample])
    want = np.empty(len(sample))
    for i, p in enumerate(np.column_stack([x, y])):
        ab = b - a
        t = np.clip(np.einsum("ij,ij->i", p - a, ab) / np.einsum("ij,ij->i", ab, ab), 0, 1)
        q = a + ab * t[:, None]
        k = np.argmin(np.hypot(*(q - p).T))
        qlon, qlat = index._to_lonlat.transform(q[k, 0], q[k, 1])
        want[i] = GEOD.inv(lon[sample][i], lat[sample][i], qlon, qlat)[2] / 1000.0
    np.testing.assert_allclose(got[sample], want, rtol=0, atol=1e-6)
    np.testing.assert_array_equal(index.distance_km(lon[:1000], lat[:1000]), got[:1000])


def test_distance_does_not_depend_on_blocks_and_missing_points_are_nan(border, monkeypatch) -> None:
    # the search runs a block of points at a time (memory); block size and threads change
    # nothing, and points without finite coordinates give NaN instead of a GEOS error
    import geo.border

    rng = np.random.default_rng(11)
    lon, lat = rng.uniform(60.5, 75.0, 120_001), rng.uniform(24.0, 38.0, 120_001)
    index = BorderIndex(border)
    whole = index.distance_km(lon, lat)
    monkeypatch.setattr(geo.border, "_BLOCK", 997)
    np.testing.assert_array_equal(index.distance_km(lon, lat), whole)
    lon[[0, 5, 7]], lat[[1, 5, 9]] = np.nan, [np.nan, np.inf, -np.inf]
    got = index.distance_km(lon, lat)
    bad = [0, 1, 5, 7, 9]
    assert np.isnan(got[bad]).all()
    keep = np.setdiff1d(np.arange(len(lon)), bad)
    np.testing.assert_array_equal(got[keep], whole[keep])
