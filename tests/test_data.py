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
        # a link only where a stored copy confirmed it (tests/test_data_sources.py); the
        # outlet and date always
        assert all(s.get("name") and s.get("date") for s in sources), eid


#: The events of the source article (ThePrint, 17 March 2026) that have a time and a place,
#: each with the record(s) that code it. Every one must exist and carry the seed-article tag.
ARTICLE_EVENTS = {
    "Durand Line agreement, 1893": ["DL-18931112-KABUL"],
    "Treaty of Rawalpindi, 1919": ["DL-19190808-RAWALPINDI"],
    "Partition, 1947": ["DL-19470814-KARACHI"],
    "Zaeef arrested in Islamabad": ["DL-20020101-ISLAMABAD"],
    "TTP founded, 2007": ["DL-20071201-SOUTH-WAZIRISTAN"],
    "Baitullah Mehsud killed, 2009": ["DL-20090805-MAKIN"],
    "Baradar arrested, 2010": ["DL-20100201-KARACHI"],
    "Taliban office in Doha, 2013": ["DL-20130618-DOHA"],
    "Zarb-e-Azb launched, June 2014": ["DL-20140615-NORTH-WAZIRISTAN"],
    "Army Public School attack, 2014": ["DL-20141216-PESHAWAR"],
    "Baradar released, 2018": ["DL-20181001-ISLAMABAD"],
    "Taliban take Kabul, August 2021": ["DL-20210815-KABUL"],
    "TTP talks begin, September 2021": ["DL-20210901-KABUL"],
    "ISI chief in Kabul, September 2021": ["DL-20210904-KABUL"],
    "TTP talks fail, end of 2021": ["DL-20211209-KABUL"],
    "TTP's 54 claimed attacks, April 2022": ["DL-20220401-KHYBER-PAKHTUNKHWA"],
    "Shehbaz Sharif replaces Imran Khan": ["DL-20220411-ISLAMABAD"],
    "Strikes in Khost and Kunar, April 2022": ["DL-20220416-KHOST", "DL-20220416-KUNAR"],
    "Foreign Office warning to Kabul, April 2022": ["DL-20220417-ISLAMABAD"],
    "TTP ceasefire, May 2022": ["DL-20220518-KABUL"],
    "Zawahiri killed in Kabul, July 2022": ["DL-20220731-KABUL"],
    "TTP resumes attacks, September 2022": ["DL-20220913-SWAT"],
    "Pakistani air strikes, December 2024": ["DL-20241224-BARMAL"],
    "Taliban retaliation, December 2024": [
        "DL-20241228-KURRAM",
        "DL-20241228-ALI-SHER",
        "DL-20241228-DAND-E-PATAN",
    ],
    "India condemns the strikes, January 2025": ["DL-20250106-NEW-DELHI"],
    "Pakistani air strikes, October 2025": ["DL-20251009-KABUL", "DL-20251009-BARMAL"],
    "Border trading posts closed, 11 October 2025": ["DL-20251011-TORKHAM", "DL-20251011-CHAMAN"],
    "Muttaqi in New Delhi, October 2025": ["DL-20251009-NEW-DELHI", "DL-20251010-NEW-DELHI"],
    "Missions upgraded to embassies, October 2025": ["DL-20251021-KABUL"],
    "Pakistani air strikes, 21 February 2026": ["DL-20260221-BIHSUD", "DL-20260221-BARMAL"],
    "Escalation five days later, 26-27 February 2026": [
        "DL-20260226-BAJAUR",
        "DL-20260226-KURRAM",
        "DL-20260227-KABUL",
        "DL-20260227-KANDAHAR",
        "DL-20260227-PAKTIA",
    ],
    "Kabul drug-rehabilitation hospital strike, March 2026": ["DL-20260316-KABUL"],
}


def test_events_cover_the_source_article(events) -> None:
    assert len(ARTICLE_EVENTS) >= 31
    by_id = events.set_index("event_id")
    for what, ids in ARTICLE_EVENTS.items():
        for eid in ids:
            assert eid in by_id.index, (what, eid)
            assert "seed-article" in by_id.loc[eid, "tags"], (what, eid)
    seed = events[events["tags"].map(lambda t: "seed-article" in t)]
    # the article's own address was found in no stored copy, so it is cited without a link
    assert seed["sources"].map(lambda s: s[0]["name"] == "ThePrint" and "url" not in s[0]).all()
    hospital = by_id.loc["DL-20260316-KABUL"]
    assert (
        hospital["fatalities_low"],
        hospital["fatalities_best"],
        hospital["fatalities_high"],
    ) == (95, 408, 408)
    assert hospital["injured_best"] == 265


def test_events_cover_the_documented_incidents_of_2022_to_2026(events) -> None:
    ids = set(events["event_id"])
    assert len(ids) >= 90
    for required in (
        "DL-20221128-PESHAWAR",
        "DL-20221211-CHAMAN",
        "DL-20221215-CHAMAN",
        "DL-20230130-PESHAWAR",
        "DL-20230219-TORKHAM",
        "DL-20230906-TORKHAM",
        "DL-20231212-DARABAN",
        "DL-20240316-MIR-ALI",
        "DL-20240318-BARMAL",
        "DL-20240318-SPERA",
        "DL-20250221-TORKHAM",
        "DL-20250303-TORKHAM",
        "DL-20251011-DIR",
        "DL-20251011-BAHRAM-CHAH",
        "DL-20251011-HELMAND",
        "DL-20251015-KABUL",
        "DL-20251015-KANDAHAR",
        "DL-20251025-ISTANBUL",
        "DL-20251030-ISTANBUL",
        "DL-20251124-PESHAWAR",
        "DL-20251125-GURBUZ",
        "DL-20260206-ISLAMABAD",
    ):
        assert required in ids, required
    ttp = events[events["tags"].map(lambda t: "ttp" in t)]
    assert (ttp["date_start"] > "2022-05-01").sum() >= 15


def test_event_points_lie_in_their_stated_country(events) -> None:
    countries = read_countries(DATA / "countries.geojson").set_index("country")
    home = events[events["country"].isin(["AFG", "PAK"])]
    for eid, code, point in zip(home["event_id"], home["country"], home.geometry, strict=True):
        assert countries.loc[code, "geometry"].contains(point), f"{eid} is not inside {code}"
    elsewhere = events[~events["country"].isin(["AFG", "PAK"])]
    # the few placed elsewhere on purpose: talks in Doha and Istanbul, New Delhi's statements
    assert set(elsewhere["country"]) <= {"QAT", "IND", "TUR"}
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


# --- the coding rules of data/CODING.md, enforced on the shipped file -----------------------

EVENTS_JSON = DATA / "events.geojson"


@pytest.fixture(scope="module")
def raw_events() -> list[dict]:
    return json.loads(EVENTS_JSON.read_text(encoding="utf-8"))["features"]


def test_events_file_is_canonical() -> None:
    import subprocess
    import sys

    script = DATA.parent / "scripts" / "make_events.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check", str(EVENTS_JSON)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_event_ids_name_their_start_date(raw_events) -> None:
    for f in raw_events:
        p = f["properties"]
        assert f["id"] == p["event_id"]
        assert p["event_id"].startswith("DL-" + p["date_start"].replace("-", "")), p["event_id"]


def test_event_ids_end_in_their_place(raw_events) -> None:
    # the slug after the date names the place: it is found in the location, district or
    # province (DL-20221128-PESHAWAR, not DL-20221128-TTP-STATEMENT)
    for f in raw_events:
        p = f["properties"]
        slug = p["event_id"].split("-", 2)[2].lower().replace("-", " ")
        where = " ".join((p["location"], p["admin2"], p["province"])).lower()
        assert slug in where.replace("-", " ").replace("\u2013", " "), p["event_id"]


def test_day_records_cover_one_day_or_one_night(raw_events) -> None:
    import datetime as dt

    # ACLED codes one event per location and day: a record coded to the day spans at most
    # a night (two dates); talks or a siege over several days are one record per day
    for f in raw_events:
        p = f["properties"]
        if p["date_precision"] != "day":
            continue
        days = dt.date.fromisoformat(p["date_end"]) - dt.date.fromisoformat(p["date_start"])
        assert dt.timedelta(0) <= days <= dt.timedelta(days=1), (p["event_id"], days)


def test_every_source_is_dated_and_named(raw_events) -> None:
    import datetime as dt

    for f in raw_events:
        sources = f["properties"]["sources"]
        assert sources, f["id"]
        for s in sources:
            assert s["name"], (f["id"], s)
            # a link is optional (null when no stored copy confirmed it), never blank
            assert s["url"] is None or s["url"].startswith(("https://", "http://")), (f["id"], s)
            assert s["date"], (f["id"], s["name"], "undated source")
            day = dt.date.fromisoformat(s["date"])
            assert day >= dt.date.fromisoformat(f["properties"]["date_start"][:10]) or (
                "historical" in f["properties"]["tags"]
            ), (f["id"], s["name"], "published before the event")
        # mirrors and reprints only ever as extra links, never as the only source
        mirrors = ("liquisearch", "wikimili", "fakti.bg", "wikipedia.org")
        assert any(not any(m in (s["url"] or "") for m in mirrors) for s in sources), f["id"]


def test_every_point_lies_in_its_declared_province(events) -> None:
    provinces = read_provinces(DATA / "provinces.geojson").set_index("province")
    home = events[events["country"].isin(["AFG", "PAK"])]
    for eid, province, point in zip(home["event_id"], home["province"], home.geometry, strict=True):
        assert province in provinces.index, (eid, province)
        assert provinces.loc[province, "geometry"].contains(point), f"{eid} is not in {province}"


def test_one_record_per_location_and_day(raw_events) -> None:
    import datetime as dt

    # ACLED and UCDP code one record per location and day; records known only to a month or a
    # year (talks, tallies) are not day events and may share a stand-in point with them
    seen: dict[tuple, list] = {}
    for f in raw_events:
        p = f["properties"]
        if p["date_precision"] != "day":
            continue
        key = (round(f["geometry"]["coordinates"][0], 4), round(f["geometry"]["coordinates"][1], 4))
        start = dt.date.fromisoformat(p["date_start"])
        end = dt.date.fromisoformat(p["date_end"])
        for other_id, o_start, o_end, o_type in seen.get(key, []):
            overlap = start <= o_end and o_start <= end
            assert not (overlap and o_type == p["event_type"]), (p["event_id"], other_id)
        seen.setdefault(key, []).append((p["event_id"], start, end, p["event_type"]))


def test_stand_ins_are_declared_and_never_exact(raw_events) -> None:
    for f in raw_events:
        p = f["properties"]
        declared = "(stand-in:" in p["location"] or "; stand-in:" in p["location"]
        assert declared == (p["geo_precision"] != "exact"), (p["event_id"], p["location"])
        assert "point at" not in p["location"], p["event_id"]


def test_events_at_crossings_use_the_crossing_points(raw_events) -> None:
    crossings = read_crossings(DATA / "crossings.geojson")
    points = {
        name.split("–")[0].split(" ")[0].lower(): (geom.x, geom.y)
        for name, geom in zip(crossings["name"], crossings.geometry, strict=True)
    }
    for f in raw_events:
        p = f["properties"]
        location = p["location"].lower()
        if "crossing" not in location:
            continue
        for name, xy in points.items():
            if (
                location.startswith(name)
                or f"({name}" in location
                or f"{name} crossing" in location
            ):
                lon, lat = f["geometry"]["coordinates"]
                assert _km((lon, lat), xy) < 0.05, (p["event_id"], name)


def test_admin_names_are_the_current_districts(raw_events) -> None:
    # South Waziristan was split into Upper and Lower South Waziristan in 2022; Chitral in 2018
    for f in raw_events:
        assert f["properties"]["admin2"] not in {"South Waziristan", "Chitral"}, f["id"]


def test_aggregates_are_tagged_and_carry_no_tolls(raw_events) -> None:
    for f in raw_events:
        p = f["properties"]
        tally = "tally" in p["summary"].lower() or "tally" in p["location"].lower()
        aggregate = "aggregate" in p["tags"]
        assert tally == aggregate, p["event_id"]
        if aggregate:
            assert p["date_precision"] != "day", p["event_id"]
            assert all(
                p[k] is None for k in ("fatalities_low", "fatalities_best", "fatalities_high")
            )


def test_claims_alone_never_make_low_or_best(raw_events) -> None:
    for f in raw_events:
        p = f["properties"]
        if p["fatalities_high"] is not None and p["fatalities_best"] is None:
            # only a party's claims exist (or no per-record split): the note must say so
            note = p["fatality_note"].lower()
            assert "claim" in note or "not split" in note, p["event_id"]
        if p["fatalities_high"] and p["fatalities_best"] is not None:
            assert p["fatality_note"], p["event_id"]


# --- incidents chosen by rule: cited by a government, or a border clash (data/CODING.md) ----

#: The six incidents issue 22 names, with the fields their coding must have:
#: (event_type, date_start, date_end, country, province, admin2).
NAMED_INCIDENTS = {
    "DL-20230217-KARACHI": ("Battles", "2023-02-17", "2023-02-17", "PAK", "Sindh", "Karachi"),
    "DL-20240715-BANNU": (
        "Explosions/Remote violence",
        "2024-07-15",
        "2024-07-15",
        "PAK",
        "Khyber Pakhtunkhwa",
        "Bannu",
    ),
    "DL-20250628-MIR-ALI": (
        "Explosions/Remote violence",
        "2025-06-28",
        "2025-06-28",
        "PAK",
        "Khyber Pakhtunkhwa",
        "North Waziristan",
    ),
    "DL-20250913-BADAR": (
        "Battles",
        "2025-09-13",
        "2025-09-13",
        "PAK",
        "Khyber Pakhtunkhwa",
        "Upper South Waziristan",
    ),
    # the Chaman–Spin Boldak night, one record per side of the line
    "DL-20251205-CHAMAN": ("Battles", "2025-12-05", "2025-12-06", "PAK", "Balochistan", "Chaman"),
    "DL-20251205-SPIN-BOLDAK": (
        "Battles",
        "2025-12-05",
        "2025-12-06",
        "AFG",
        "Kandahar",
        "Spin Boldak",
    ),
    "DL-20260216-BAJAUR": (
        "Explosions/Remote violence",
        "2026-02-16",
        "2026-02-16",
        "PAK",
        "Khyber Pakhtunkhwa",
        "Bajaur",
    ),
}

#: The other incidents added by the same rule (CODING.md, "Which incidents are in the record").
RULE_INCIDENTS = (
    "DL-20220807-DANGAM",
    "DL-20221113-CHAMAN",
    "DL-20230105-TORKHAM",
    "DL-20231126-BAKKA-KHEL",
    "DL-20240326-BESHAM",
    "DL-20240513-TERI-MANGAL",
    "DL-20240515-KHARLACHI",
    "DL-20240517-KHARLACHI",
    "DL-20240812-TORKHAM",
    "DL-20240907-KURRAM",
    "DL-20240908-KURRAM",
    "DL-20250311-BOLAN",
    "DL-20250827-SHINWAR",
    "DL-20250827-SPERA",
    "DL-20260221-BANNU",
    "DL-20260224-NAZYAN",
    "DL-20260224-TORKHAM",
)

#: Who may make a citation count: each side's government, military, foreign office or spokesmen.
#: A government-cited record names the one it rests on in the brackets of a source's name.
CITING_BODIES = (
    "ISPR",
    "Foreign Office",
    "Foreign Minister",
    "Foreign Ministry",
    "Information Ministry",
    "Interior Ministry",
    "Defence Ministry",
    "PM's spokesman",
    "government spokesman",
    "provincial government",
    "district administration",
)


def _citing_sources(props: dict) -> list[dict]:
    """The sources of a record that carry a government's citation (named in their brackets)."""
    found = []
    for s in props["sources"]:
        name = s.get("name") or ""
        brackets = name[name.find("(") :] if "(" in name else ""
        dated = bool(s.get("date")) and s["date"] >= props["date_start"]
        if dated and s.get("url") and any(body in brackets for body in CITING_BODIES):
            found.append(s)
    return found


def test_the_named_incidents_are_coded_by_the_rules(raw_events) -> None:
    by_id = {f["id"]: f["properties"] for f in raw_events}
    for eid, (etype, start, end, country, province, admin2) in NAMED_INCIDENTS.items():
        assert eid in by_id, eid
        p = by_id[eid]
        got = (p["event_type"], p["date_start"], p["date_end"], p["country"], p["province"])
        assert got == (etype, start, end, country, province), eid
        assert p["admin2"] == admin2 and p["date_precision"] == "day", eid
        # every source dated, at least one linked (an unconfirmed page keeps url: null, CODING.md)
        assert p["sources"] and all(s["date"] for s in p["sources"]), eid
        assert any(s["url"] for s in p["sources"]), eid
        assert p["fatality_note"], eid
    # the attacks inside Pakistan were claimed by, or blamed on, the TTP and its factions
    for eid in ("DL-20230217-KARACHI", "DL-20250913-BADAR", "DL-20260216-BAJAUR"):
        assert by_id[eid]["actor1"] == "TTP: Tehrik-i-Taliban Pakistan", eid
    # a clash across the line is one record per side, each at a point on its own side
    sides = {by_id[e]["country"] for e in ("DL-20251205-CHAMAN", "DL-20251205-SPIN-BOLDAK")}
    assert sides == {"PAK", "AFG"}


def test_the_rule_incidents_are_present(raw_events) -> None:
    tagged = {
        f["id"]
        for f in raw_events
        if {"government-cited", "border-clash"} & set(f["properties"]["tags"])
    }
    assert set(RULE_INCIDENTS) | set(NAMED_INCIDENTS) - {"DL-20250628-MIR-ALI"} <= tagged


def test_government_cited_records_carry_the_citation(raw_events) -> None:
    cited = [f["properties"] for f in raw_events if "government-cited" in f["properties"]["tags"]]
    assert len(cited) >= 15
    for p in cited:
        assert _citing_sources(p), (p["event_id"], "no source carries the government's citation")


def test_a_record_without_a_citing_source_fails_the_citation_check() -> None:
    props = {
        "date_start": "2025-09-13",
        "sources": [
            {"name": "RFE/RL", "url": "https://example.org/a", "date": "2025-09-13"},
            # a citing body, but published before the event: cannot be the citation
            {"name": "Dawn (ISPR)", "url": "https://example.org/b", "date": "2025-09-01"},
            # named outside the brackets only
            {"name": "ISPR statement", "url": "https://example.org/c", "date": "2025-09-14"},
        ],
    }
    assert _citing_sources(props) == []
    props["sources"].append(
        {"name": "Dawn (ISPR)", "url": "https://example.org/d", "date": "2025-09-14"}
    )
    assert len(_citing_sources(props)) == 1


def test_border_clashes_are_fights_across_the_line(raw_events) -> None:
    import datetime as dt

    from shapely.ops import nearest_points

    border = read_border(DATA / "durand_line.geojson").geometry.iloc[0]
    forces = ("Military Forces of", "Unidentified Armed Group (Afghanistan)")
    clashes = [f for f in raw_events if "border-clash" in f["properties"]["tags"]]
    assert len(clashes) >= 11
    for f in clashes:
        p = f["properties"]
        assert p["event_type"] == "Battles" and "cross-border" in p["tags"], p["event_id"]
        assert all(p[a].startswith(forces) for a in ("actor1", "actor2")), p["event_id"]
        # one record per day, or one night across midnight (ACLED splits longer spans per day)
        span = dt.date.fromisoformat(p["date_end"]) - dt.date.fromisoformat(p["date_start"])
        assert p["date_precision"] == "day" and span.days <= 1, p["event_id"]
        if p["geo_precision"] != "province":  # a province stand-in sits at the main town
            point = shapely.Point(f["geometry"]["coordinates"])
            nearest = nearest_points(border, point)[0]
            km = GEOD.inv(point.x, point.y, nearest.x, nearest.y)[2] / 1000
            assert km < 25, (p["event_id"], round(km, 1))
