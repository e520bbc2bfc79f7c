"""Sanity of the shipped data: real geometry, complete provinces, sourced events."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.border import read_border, read_countries, read_crossings
from geo.events import read_events
from geo.provinces import read_provinces

DATA = Path(__file__).resolve().parents[1] / "data"
GEOD = Geod(ellps="WGS84")
CHINA_TRIPOINT = (74.56, 37.03)
IRAN_TRIPOINT = (60.87, 29.86)
AFG_PROVINCES = {
    "Badakhshan",
    "Badghis",
    "Baghlan",
    "Balkh",
    "Bamyan",
    "Daykundi",
    "Farah",
    "Faryab",
    "Ghazni",
    "Ghor",
    "Helmand",
    "Herat",
    "Jowzjan",
    "Kabul",
    "Kandahar",
    "Kapisa",
    "Khost",
    "Kunar",
    "Kunduz",
    "Laghman",
    "Logar",
    "Nangarhar",
    "Nimroz",
    "Nuristan",
    "Paktia",
    "Paktika",
    "Panjshir",
    "Parwan",
    "Samangan",
    "Sar-e Pol",
    "Takhar",
    "Uruzgan",
    "Wardak",
    "Zabul",
}
PAK_UNITS = {
    "Azad Jammu and Kashmir",
    "Balochistan",
    "Gilgit-Baltistan",
    "Islamabad Capital Territory",
    "Khyber Pakhtunkhwa",
    "Punjab",
    "Sindh",
}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def test_durand_line_is_real_and_runs_tripoint_to_tripoint() -> None:
    border = read_border(DATA / "durand_line.geojson")
    assert len(border) == 1
    line = border.geometry.iat[0]
    assert line.geom_type == "LineString"
    length = GEOD.geometry_length(line) / 1000.0
    assert 2200 <= length <= 2900
    assert shapely.get_num_coordinates(line) > 10_000  # the detailed OSM line, not a sketch
    coords = shapely.get_coordinates(line)
    assert _km(tuple(coords[0]), CHINA_TRIPOINT) < 5
    assert _km(tuple(coords[-1]), IRAN_TRIPOINT) < 5
    props = border.iloc[0]
    assert props["licence"] == "ODbL-1.0" and "OpenStreetMap" in props["attribution"]
    assert bool(props["recognised_by_afghanistan"]) is False
    assert props["length_km"] == pytest.approx(length, abs=0.1)


def test_provinces_are_the_current_units_of_both_countries() -> None:
    provinces = read_provinces(DATA / "provinces.geojson")
    by_country = provinces.groupby("country")["province"].apply(set).to_dict()
    assert by_country == {"AFG": AFG_PROVINCES, "PAK": PAK_UNITS}
    assert provinces.geometry.is_valid.all()


def test_provinces_hold_their_capitals() -> None:
    provinces = read_provinces(DATA / "provinces.geojson").set_index("province")
    capitals = {
        "Kabul": (69.17, 34.53),
        "Khost": (69.92, 33.34),
        "Kunar": (71.14, 34.87),
        "Daykundi": (66.19, 34.00),
        "Panjshir": (69.66, 35.41),
        "Parwan": (69.24, 35.01),
        "Uruzgan": (65.88, 32.63),
        "Khyber Pakhtunkhwa": (71.52, 34.01),
        "Balochistan": (67.0, 30.18),
    }
    for name, xy in capitals.items():
        assert provinces.loc[name, "geometry"].contains(shapely.Point(xy)), name


def test_crossings_name_both_sides() -> None:
    crossings = read_crossings(DATA / "crossings.geojson")
    assert len(crossings) >= 5
    for field in ("name", "name_afg_side", "name_pak_side"):
        assert crossings[field].str.len().gt(0).all(), field


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return read_events(DATA / "events.geojson", strict=True).events


def test_events_are_valid_unique_and_sourced(events) -> None:
    assert events["event_id"].is_unique
    assert (events["summary"].str.len() > 40).all()
    for eid, sources in zip(events["event_id"], events["sources"], strict=True):
        assert sources, eid
        assert any(s.get("url", "").startswith("https://") for s in sources), eid


def test_events_cover_the_source_article(events) -> None:
    ids = set(events["event_id"])
    for required in (
        "DL-20220416-KHOST",
        "DL-20220416-KUNAR",
        "DL-20220731-KABUL",
        "DL-20210815-KABUL",
        "DL-20260316-KABUL",
        "DL-18931112-KABUL",
        "DL-19190808-RAWALPINDI",
        "DL-20141216-PESHAWAR",
    ):
        assert required in ids
    seed = events[events["tags"].map(lambda t: "seed-article" in t)]
    assert len(seed) >= 25
    assert seed["sources"].map(lambda s: "theprint.in" in s[0].get("url", "")).all()
    hospital = events.set_index("event_id").loc["DL-20260316-KABUL"]
    assert (
        hospital["fatalities_low"],
        hospital["fatalities_best"],
        hospital["fatalities_high"],
    ) == (143, 408, 408)
    assert hospital["injured_best"] == 265


def test_event_points_lie_in_their_stated_country(events) -> None:
    countries = read_countries(DATA / "countries.geojson").set_index("country")
    home = events[events["country"].isin(["AFG", "PAK"])]
    for eid, code, point in zip(home["event_id"], home["country"], home.geometry, strict=True):
        assert countries.loc[code, "geometry"].contains(point), f"{eid} is not inside {code}"
    elsewhere = events[~events["country"].isin(["AFG", "PAK"])]
    # the few placed elsewhere on purpose: talks in Doha, a visit to New Delhi
    assert set(elsewhere["country"]) <= {"QAT", "IND"}
    both = countries.geometry.union_all(grid_size=1e-6)
    assert not np.any(shapely.contains(both, elsewhere.geometry.values))


def test_data_files_are_deterministic_json() -> None:
    for name in (
        "durand_line.geojson",
        "provinces.geojson",
        "crossings.geojson",
        "countries.geojson",
    ):
        text = (DATA / name).read_text(encoding="utf-8")
        assert text.endswith("\n")
        assert json.loads(text)["type"] == "FeatureCollection"


def test_towns_lie_in_their_country_and_province() -> None:
    cities = gpd.read_file(DATA / "cities.geojson")
    countries = read_countries(DATA / "countries.geojson").set_index("country")
    provinces = read_provinces(DATA / "provinces.geojson").set_index("province")
    assert len(cities) >= 30 and set(cities["rank"]) == {1, 2}
    for name, code, province, point in zip(
        cities["name"], cities["country"], cities["province"], cities.geometry, strict=True
    ):
        assert countries.loc[code, "geometry"].contains(point), name
        assert provinces.loc[province, "geometry"].contains(point), name
