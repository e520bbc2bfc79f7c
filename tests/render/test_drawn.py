"""Drawn context layers: the stored drawings of the shipped data, and drawings made afresh."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import shapely.affinity

from geo.context import load_context
from geo.render import _util, basemap, border, provinces
from geo.render._util import (
    SHIPPED_DRAWN,
    draw_geometries,
    drawing_key,
    drawn_geojson,
    escaped_geojson,
    read_drawings,
    simplified,
)

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def ctx():
    return load_context()


def _shipped_drawings(ctx):
    return {
        "countries": (ctx.countries, basemap.LAND_TOLERANCE_M, basemap.LAND_MIN_AREA_KM2),
        "provinces": (ctx.provinces, provinces.DRAW_TOLERANCE_M, 0.0),
        "border": (ctx.border, border.DRAW_TOLERANCE_M, 0.0),
        "belt": (ctx.belt(), border.BELT_TOLERANCE_M, 0.0),
    }


def test_stored_drawings_are_fresh_drawings(fast_paths, ctx) -> None:
    # data/drawn_layers.geojson (scripts/make_drawn.py) holds exactly what a fresh drawing of
    # each shipped layer gives, float for float; stale: run python scripts/make_drawn.py
    stored = read_drawings(DATA / SHIPPED_DRAWN)
    expected = _shipped_drawings(ctx)
    keys = {name: drawing_key(*args) for name, args in expected.items()}
    assert set(stored) == set(keys.values()), "stale: run python scripts/make_drawn.py"
    for name, args in expected.items():
        assert stored[keys[name]] == draw_geometries(*args), name


def test_drawn_geojson_is_the_escaped_simplified_layer(ctx) -> None:
    # with the stored drawing (shipped layer), from the in-process memo (second call), and
    # drawn afresh (a changed layer): always the dictionary the plain path gives
    changed = ctx.provinces.copy()
    changed.loc[changed.index[0], "province"] = "<b>Badakhshan</b>"
    geoms = list(changed.geometry.values)
    geoms[1] = shapely.affinity.translate(geoms[1], 0.001)
    changed["geometry"] = gpd.GeoSeries(geoms, index=changed.index, crs=changed.crs)
    cases = [
        (ctx.countries, ["country"], basemap.LAND_TOLERANCE_M, basemap.LAND_MIN_AREA_KM2),
        (ctx.provinces, ["province", "country"], provinces.DRAW_TOLERANCE_M, 0.0),
        (ctx.border, ["name"], border.DRAW_TOLERANCE_M, 0.0),
        (changed, ["province", "country"], provinces.DRAW_TOLERANCE_M, 0.0),
    ]
    stored = read_drawings(DATA / SHIPPED_DRAWN)
    assert drawing_key(changed, provinces.DRAW_TOLERANCE_M, 0.0) not in stored
    for frame, fields, tolerance, min_area in cases:
        plain = escaped_geojson(simplified(frame, tolerance, min_area_km2=min_area), fields)
        for _ in range(2):
            got = drawn_geojson(frame, fields, tolerance_m=tolerance, min_area_km2=min_area)
            assert json.dumps(got) == json.dumps(plain)
    belt = ctx.belt()
    assert json.dumps(drawn_geojson(belt, ["name"])) == json.dumps(escaped_geojson(belt, ["name"]))


def test_drawing_key_follows_geometry_crs_and_tolerance(ctx) -> None:
    base = drawing_key(ctx.provinces, 250.0, 0.0)
    assert base == drawing_key(ctx.provinces.copy(), 250.0, 0.0)
    assert base != drawing_key(ctx.provinces, 251.0, 0.0)
    assert base != drawing_key(ctx.provinces, 250.0, 1.0)
    assert base != drawing_key(ctx.provinces.iloc[:-1], 250.0, 0.0)
    assert base != drawing_key(ctx.provinces.to_crs(3857), 250.0, 0.0)


def test_unreadable_drawings_are_ignored(tmp_path) -> None:
    assert read_drawings(tmp_path / "missing.geojson") == {}
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"properties": {}}]}')
    assert read_drawings(bad) == {}
    bad.write_text("not json")
    assert read_drawings(bad) == {}


def test_memo_stays_bounded(ctx) -> None:
    for tolerance in range(1, 2 * _util._MEMO_SIZE):
        drawn_geojson(ctx.border, ["name"], tolerance_m=float(tolerance * 100))
    assert len(_util._memo) <= _util._MEMO_SIZE
