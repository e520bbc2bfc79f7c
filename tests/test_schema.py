"""The canonical schema: every field reaches the fast readers, and its vocabularies hold."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo._arrowcsv import read_simple_csv
from geo._errors import InputError
from geo._geojson import read_simple_geojson
from geo.events import read_events
from geo.export import events_csv, events_to_geojson
from geo.schema import (
    COLUMNS,
    EVENT_TYPES,
    FIGURE_FIELDS,
    ORIGIN_COLUMNS,
    RAW_FIELDS,
    SUB_EVENT_TYPES,
    check_belt_km,
)


def _full_event() -> gpd.GeoDataFrame:
    """One event with every canonical field filled, as the readers type them."""
    row: dict[str, object] = {}
    for name, dtype in COLUMNS.items():
        if name in ORIGIN_COLUMNS:
            row[name] = "test"
        elif dtype == "Int64":
            row[name] = 3
        elif dtype.startswith("datetime64"):
            row[name] = pd.Timestamp("2025-10-12")
        else:
            row[name] = f"{name} text"
    row.update(
        event_type="Battles", sub_event_type="Armed clash", country="AFG",
        date_precision="day", geo_precision="exact",
        fatalities_low=1, fatalities_best=2, fatalities_high=3,
        injured_low=1, injured_best=2, injured_high=3,
        sources=({"name": "Outlet", "url": "https://example.org/a", "date": "2025-10-12"},),
        tags=("tag one", "tag two"),
    )  # fmt: skip
    frame = pd.DataFrame([row]).astype(
        {k: v for k, v in COLUMNS.items() if k not in ("sources", "tags")}
    )
    return gpd.GeoDataFrame(frame, geometry=[Point(70.1, 34.2)], crs="EPSG:4326")


def test_every_field_reaches_the_fast_geojson_reader(tmp_path) -> None:
    text = events_to_geojson(_full_event())
    fast = read_simple_geojson(text.encode("utf-8"))
    assert fast is not None, "a field sends the file down the exact path"
    raw, _ = fast
    missing = [f for f in RAW_FIELDS if raw[f].isna().any()]
    assert not missing, f"fields the fast reader drops: {missing}"
    path = tmp_path / "one.geojson"
    path.write_text(text, encoding="utf-8")
    report = read_events(path)
    assert report.problems == [] and len(report.events) == 1


def test_every_field_reaches_the_fast_csv_reader(tmp_path) -> None:
    text = events_csv(_full_event())
    fast = read_simple_csv(text.encode("utf-8"))
    assert fast is not None, "a field sends the file down the exact path"
    header, _ = fast
    missing = [f for f in RAW_FIELDS if f not in header]
    assert not missing, f"fields the CSV writer leaves out: {missing}"
    path = tmp_path / "one.csv"
    path.write_text(text, encoding="utf-8")
    report = read_events(path)
    assert report.problems == [] and len(report.events) == 1


def test_a_field_of_an_unknown_kind_fails_loudly(monkeypatch) -> None:
    from geo import _geojson

    monkeypatch.setitem(COLUMNS, "confidence", "float64")
    with pytest.raises(TypeError, match=r"cannot read field 'confidence' of dtype 'float64'"):
        _geojson._property_type("confidence")


def test_vocabularies() -> None:
    assert len(SUB_EVENT_TYPES) == sum(len(s) for s in EVENT_TYPES.values())
    assert set(FIGURE_FIELDS) <= set(COLUMNS) and FIGURE_FIELDS[0] == "fatalities_best"


@pytest.mark.parametrize("width", [0.1, 50, 1000.0])
def test_belt_width_accepted(width) -> None:
    assert check_belt_km(width) == float(width)


@pytest.mark.parametrize("width", [0.0, -5, 1000.5, float("nan"), float("inf"), "wide", 1e-300])
def test_belt_width_refused(width) -> None:
    with pytest.raises(InputError, match=r"accepted: 0\.1 to 1000 km"):
        check_belt_km(width)
