"""Enrichment, province joins and aggregates."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.analysis import aggregate, enrich
from geo.border import read_border, read_countries
from geo.events import read_events
from geo.provinces import read_provinces

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def context() -> dict[str, gpd.GeoDataFrame]:
    return {
        "border": read_border(DATA / "durand_line.geojson"),
        "countries": read_countries(DATA / "countries.geojson"),
        "provinces": read_provinces(DATA / "provinces.geojson"),
    }


@pytest.fixture(scope="module")
def shipped(context) -> gpd.GeoDataFrame:
    return enrich(read_events(DATA / "events.geojson", strict=True).events, **context).events


def _events(tmp_path: Path, rows: list[dict]) -> gpd.GeoDataFrame:
    import json

    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": r.pop("xy")},
            "properties": {"event_type": "Battles", "date_start": "2022-01-01", **r},
        }
        for r in rows
    ]
    path = tmp_path / "e.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    return read_events(path, strict=True).events


def test_enrich_adds_columns_without_touching_the_input(shipped, context) -> None:
    raw = read_events(DATA / "events.geojson").events
    before = raw.copy()
    out = enrich(raw, **context).events
    assert {"border_distance_km", "border_side", "in_border_belt"} <= set(out.columns)
    pd.testing.assert_frame_equal(raw, before)
    assert out["border_side"].isin(["AFG", "PAK", "other"]).all()
    # every event placed in Afghanistan or Pakistan is on the side of its declared country
    home = out["country"].isin(["AFG", "PAK"])
    assert (out.loc[home, "border_side"] == out.loc[home, "country"]).all()


def test_belt_membership_flips_exactly_at_the_width(tmp_path, context) -> None:
    ev = _events(tmp_path, [{"event_id": "a", "xy": [70.0, 33.0]}])
    d = enrich(ev, **context).events["border_distance_km"].iat[0]
    assert enrich(ev, belt_km=d, **context).events["in_border_belt"].iat[0]
    assert not enrich(ev, belt_km=np.nextafter(d, 0), **context).events["in_border_belt"].iat[0]


def test_province_is_filled_and_mismatches_are_reported(tmp_path, context) -> None:
    ev = _events(
        tmp_path,
        [
            {"event_id": "kabul-empty", "xy": [69.1723, 34.5281]},
            {
                "event_id": "kabul-said-khost",
                "xy": [69.1723, 34.5281],
                "province": "Khost",
                "country": "AFG",
            },
            {
                "event_id": "kabul-said-khost-province",
                "xy": [69.1723, 34.5281],
                "province": "Khost",
                "country": "AFG",
                "geo_precision": "province",
            },
        ],
    )
    result = enrich(ev, **context)
    assert result.events["province"].tolist() == ["Kabul", "Khost", "Khost"]
    assert result.events["country"].tolist() == ["AFG", "AFG", "AFG"]
    messages = [str(w) for w in result.warnings]
    assert len(messages) == 2
    assert "event kabul-said-khost: point lies" in messages[0]
    assert (
        "km outside the declared province (in 'Kabul'); exact precision allows 5 km" in messages[0]
    )
    assert all(w.severity == "warning" and w.field == "province" for w in result.warnings)


def test_shipped_events_raise_no_province_warnings(context) -> None:
    result = enrich(read_events(DATA / "events.geojson").events, **context)
    assert [str(w) for w in result.warnings] == []


def test_aggregate_by_province_and_month(shipped) -> None:
    table = aggregate(shipped, by="province", period="month")
    assert list(table.columns) == [
        "province",
        "period",
        "events",
        "fatalities_low",
        "fatalities_best",
        "fatalities_high",
    ]
    assert table["events"].sum() == len(shipped)
    khost = table[(table["province"] == "Khost") & (table["period"] == "2022-04")]
    want = shipped[
        (shipped["province"] == "Khost") & (shipped["date_start"].dt.strftime("%Y-%m") == "2022-04")
    ]
    assert khost["events"].iat[0] == len(want)
    assert khost["fatalities_best"].iat[0] == want["fatalities_best"].sum()


def test_aggregate_belt_vs_elsewhere(shipped) -> None:
    table = aggregate(shipped, by="belt", period=None).set_index("belt")
    assert table.loc["within belt", "events"] == int(shipped["in_border_belt"].sum())
    assert table["events"].sum() == len(shipped)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "district"}, "cannot group by 'district'; accepted: province, country"),
        ({"period": "week"}, "unknown period 'week'; accepted: month, quarter, year"),
    ],
)
def test_aggregate_rejects_unknown_options(shipped, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        aggregate(shipped, **kwargs)


def test_enrich_rejects_non_positive_belt(shipped, context) -> None:
    with pytest.raises(
        ValueError, match=r"belt width 0 km is not accepted; accepted: 0\.1 to 1000"
    ):
        enrich(shipped, belt_km=0, **context)


@pytest.mark.parametrize("role", ["countries", "provinces"])
def test_cell_grid_gives_the_answer_of_every_point_tested(context, role, monkeypatch) -> None:
    # first_containing's grid (used from GRID_MIN_POINTS points up) against the test of
    # every point, with points on cell edges, polygon vertices and outside the extent
    import shapely

    from geo import _geom

    polygons = context[role].geometry.values
    rng = np.random.default_rng(11)
    grid = _geom._CellGrid(polygons)
    ix, iy = rng.integers(0, grid.n, 3000), rng.integers(0, grid.n, 3000)
    vertices = shapely.get_coordinates(polygons)[::50]
    x = np.r_[rng.uniform(55, 80, 40_000), grid.x0 + ix * grid.w, vertices[:, 0], grid.x1, np.nan]
    y = np.r_[rng.uniform(20, 40, 40_000), grid.y0 + iy * grid.h, vertices[:, 1], grid.y1, 30.0]
    assert ((grid.labels >= 0).mean() > 0.3) and (grid.labels == _geom.MIXED).any()
    want = _geom.first_containing_exact(x, y, polygons)
    monkeypatch.setattr(_geom, "GRID_MIN_POINTS", 1)
    np.testing.assert_array_equal(_geom.first_containing(x, y, polygons), want)


def test_province_warnings_per_distinct_name_match_a_per_row_check(context, shipped) -> None:
    # every declared province swapped for another (and a few case changes, unknown names):
    # the whole-column warnings equal a row-by-row comparison of the names
    events = shipped.copy()
    names = context["provinces"]["province"].to_numpy(dtype=object)
    rng = np.random.default_rng(3)
    picked = names[rng.integers(0, len(names), len(events))]
    picked[::7] = "Atlantis"
    picked[::5] = np.char.upper(picked[::5].astype(str)).astype(object)
    events["province"] = pd.Series(picked, index=events.index, dtype=events["province"].dtype)
    events["country"] = pd.Series("AFG", index=events.index, dtype=events["country"].dtype)
    out = enrich(events, **context)
    from geo.provinces import locate_provinces

    found = locate_provinces(events.geometry, context["provinces"])
    lower = [str(n).lower() for n in names]
    differ = [p.lower() != (lower[f] if f >= 0 else "") for p, f in zip(picked, found, strict=True)]
    assert sum(differ) > 0.5 * len(events)
    warned = {w.value for w in out.warnings}
    assert warned <= {str(p) for p, d in zip(picked, differ, strict=True) if d}
    unknown = [w for w in out.warnings if "not found in the province polygons" in w.message]
    assert len(unknown) == sum(str(p).lower() == "atlantis" for p in picked)
