"""Context layers (line, provinces, crossings) and the remaining messages."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from geo._errors import ValidationError
from geo.analysis import enrich
from geo.border import read_border, read_countries
from geo.events import read_events
from geo.provinces import read_provinces

DATA = Path(__file__).resolve().parents[1] / "data"


def _write(path: Path, features: list[dict]) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


def test_context_file_that_is_not_vector_data(tmp_path) -> None:
    path = tmp_path / "provinces.geojson"
    path.write_text("this is not geojson", encoding="utf-8")
    with pytest.raises(
        ValidationError, match=r"provinces.geojson: file: cannot be read as vector data"
    ):
        read_provinces(path)


def test_context_file_without_required_property(tmp_path) -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[69, 33], [70, 33], [70, 34], [69, 34], [69, 33]]],
    }
    path = _write(
        tmp_path / "p.geojson",
        [{"type": "Feature", "properties": {"name": "x"}, "geometry": square}],
    )
    with pytest.raises(
        ValidationError, match=r"field 'province': required property missing from every feature"
    ):
        read_provinces(path)


def test_point_with_unreadable_coordinates(tmp_path) -> None:
    props = {"event_id": "a", "date_start": "2022-01-01", "event_type": "Battles"}
    path = _write(
        tmp_path / "e.geojson",
        [
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": ["x", None]},
            }
        ],
    )
    report = read_events(path)
    assert len(report.events) == 0
    assert [str(p) for p in report.problems] == [
        f"{path}: feature 1, field 'geometry': Point coordinates must be two numbers [longitude, latitude]"
    ]


def test_unknown_declared_province_is_reported(tmp_path) -> None:
    props = {
        "event_id": "a",
        "date_start": "2022-01-01",
        "event_type": "Battles",
        "province": "Atlantis",
        "country": "AFG",
    }
    path = _write(
        tmp_path / "e.geojson",
        [
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [69.17, 34.53]},
            }
        ],
    )
    ctx = {
        "border": read_border(DATA / "durand_line.geojson"),
        "countries": read_countries(DATA / "countries.geojson"),
        "provinces": read_provinces(DATA / "provinces.geojson"),
    }
    warnings = enrich(read_events(path).events, **ctx).warnings
    assert [str(w) for w in warnings] == [
        f"{path}: feature 1, field 'province': 'Atlantis': event a: province not found in the province polygons; point lies in 'Kabul'"
    ]


def test_countries_polygons_meet_the_line() -> None:
    countries = read_countries(DATA / "countries.geojson")
    line = read_border(DATA / "durand_line.geojson").geometry.iat[0]
    afg = countries.set_index("country").loc["AFG", "geometry"]
    # the line was cut from these polygons: each of its vertices lies on one of their edges
    # (the nearest edge through an STRtree; buffering the 10 m boundary took 16 s)
    edges = []
    for ring in shapely.get_parts(afg.boundary):
        xy = shapely.get_coordinates(ring)
        edges.append(shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1)))
    tree = shapely.STRtree(np.concatenate(edges))
    vertices = shapely.points(shapely.get_coordinates(line))
    _, distance = tree.query_nearest(vertices, return_distance=True, all_matches=False)
    assert len(vertices) > 10_000
    assert distance.max() < 1e-6
