"""ACLED and UCDP GED exports read into the canonical table.

The fixtures have the real column layouts of both exports, filled with the project's own
curated events (no ACLED or UCDP rows are redistributed).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.cli import main
from geo.events import read_events
from geo.schema import COLUMNS

HERE = Path(__file__).resolve().parent / "data"
ACLED = HERE / "acled_export.csv"
UCDP = HERE / "ucdp_ged_export.csv"


def test_acled_export_maps_onto_the_canonical_columns() -> None:
    ev = read_events(ACLED, strict=True).events.set_index("event_id")
    assert list(ev.reset_index().columns) == [*COLUMNS, "geometry"]
    khost = ev.loc["AFG0001"]
    assert khost["date_start"] == pd.Timestamp("2022-04-16") and khost["date_precision"] == "day"
    assert (khost["country"], khost["province"], khost["admin2"]) == ("AFG", "Khost", "Spera")
    assert khost["geo_precision"] == "district"  # ACLED code 2
    assert khost["fatalities_best"] == 41 and pd.isna(khost["fatalities_low"])
    assert [s["name"] for s in khost["sources"]] == ["ThePrint", "Action on Armed Violence"]
    # "16 April 2022" in the dashboard layout reads the same as the API's ISO date
    assert ev.loc["AFG0002", "date_start"] == pd.Timestamp("2022-04-16")


def test_acled_week_precision_spans_the_week() -> None:
    kurram = read_events(ACLED, strict=True).events.set_index("event_id").loc["AFG0003"]
    assert (kurram["date_end"] - kurram["date_start"]).days == 6
    assert kurram["date_start"] == pd.Timestamp("2024-12-25")


def test_ucdp_export_maps_onto_the_canonical_columns() -> None:
    ev = read_events(UCDP, strict=True).events.set_index("event_id")
    kabul = ev.loc["UCDP-900004"]
    assert (
        kabul["event_type"] == "Violence against civilians" and kabul["sub_event_type"] == "Attack"
    )
    assert (kabul["fatalities_low"], kabul["fatalities_best"], kabul["fatalities_high"]) == (
        143,
        408,
        408,
    )
    assert (kabul["country"], kabul["province"]) == ("AFG", "Kabul")  # "Kabul province" -> "Kabul"
    khost = ev.loc["UCDP-900001"]
    assert khost["event_type"] == "Battles" and khost["geo_precision"] == "district"  # where_prec 3
    assert khost["sources"][0]["date"] == "2026-03-17"


def test_ucdp_source_article_becomes_the_sources() -> None:
    ev = read_events(UCDP, strict=True).events.set_index("event_id")
    # GED fills source_article, one "Outlet,date,headline" per article, separated by ";"
    khost = ev.loc["UCDP-900001", "sources"]
    assert [s.get("date") for s in khost] == ["2026-03-17", "2022-04-17"]
    assert khost[1]["name"] == "Agence France Presse: Death toll in Pakistan strikes rises to 47"
    assert [s["name"] for s in ev.loc["UCDP-900003", "sources"]] == [
        "ThePrint: Brothers in arms",
        "Daily Times",
    ]
    # without source_article the office/headline/date columns are used, as before
    assert [s["name"] for s in ev.loc["UCDP-900002", "sources"]] == [
        "ThePrint",
        "Business Recorder (AFP)",
    ]


def test_ucdp_precision_codes_follow_the_codebook() -> None:
    from geo._formats import UCDP_DATE, UCDP_PLACE

    ev = read_events(UCDP, strict=True).events.set_index("event_id")
    assert ev.loc["UCDP-900003", "geo_precision"] == "district"  # where_prec 2: within ~25 km
    assert ev.loc["UCDP-900004", "geo_precision"] == "exact"  # where_prec 1
    assert UCDP_PLACE["2"] != "exact" and UCDP_PLACE["4"] == "province"
    assert (UCDP_DATE["3"], UCDP_DATE["4"], UCDP_DATE["5"]) == ("day", "month", "year")


def test_untranslatable_codes_reach_validation(tmp_path) -> None:
    table = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    table.loc[0, "geo_precision"] = "9"
    table.loc[1, "event_date"] = "sometime in April"
    path = tmp_path / "acled.csv"
    table.to_csv(path, index=False)
    report = read_events(path)
    messages = [str(p) for p in report.problems]
    assert messages == [
        f"{path}: line 2, field 'geo_precision': '9': accepted: exact, district, province (or ACLED codes 1, 2, 3)",
        # the user's column, once for its one bad cell (date_start and date_end come from it)
        f"{path}: line 3, field 'event_date': 'sometime in April': not a date; accepted forms: YYYY-MM-DD, YYYY-MM or YYYY",
    ]
    assert len(report.events) == 2


@pytest.mark.parametrize("day", ["1500-01-01", "0001-12-31", "2262-04-12", "9999-12-31"])
def test_acled_dates_beyond_the_timestamp_range_are_problems_not_crashes(tmp_path, day) -> None:
    table = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    table.loc[0, "event_date"] = day
    path = tmp_path / "acled.csv"
    table.to_csv(path, index=False)
    report = read_events(path)
    assert [(p.where, p.field, p.value) for p in report.problems] == [("line 2", "event_date", day)]
    assert "supported range" in report.problems[0].message
    assert len(report.events) == len(table) - 1


@pytest.mark.parametrize("path", [ACLED, UCDP])
def test_exports_build_a_map(path, tmp_path, capsys) -> None:
    out = tmp_path / "m.html"
    assert main(["build", "--events", str(path), "--out", str(out)]) == 0
    assert "4 events read, 0 rejected, 4 shown" in capsys.readouterr().out


def test_acled_fields_users_read_are_kept() -> None:
    ev = read_events(ACLED, strict=True).events.set_index("event_id")
    kurram = ev.loc["AFG0003"]
    assert kurram["assoc_actor1"] == "TTP: Tehrik-i-Taliban Pakistan"
    assert kurram["assoc_actor2"] == "Frontier Corps"
    assert kurram["source_scale"] == "National-Regional"
    assert kurram["civilian_targeting"] == ""
    khost = ev.loc["AFG0001"]
    assert khost["civilian_targeting"] == "Civilian targeting"
    assert (khost["disorder_type"], khost["admin3"]) == ("Political violence", "Mir Sapar")
    # ACLED separates tags with ";" (a tag may hold a comma)
    assert khost["tags"] == ("women targeted: girls", "local administrators")
    # ACLED has no injury field: the figures stay unknown, never 0
    assert ev[["injured_low", "injured_best", "injured_high"]].isna().all().all()
    # and none of UCDP's fields
    assert ev["deaths_side_a"].isna().all() and (ev["conflict_name"] == "").all()


@pytest.mark.parametrize(
    ("interaction", "inter1", "inter2", "expected"),
    [
        ("State forces-Civilians", "State forces", "Civilians", "State forces-Civilians"),
        ("17", "1", "7", "State forces-Civilians"),  # exports before 2024: codes
        ("10", "1", "", "State forces"),  # one actor only
        ("", "2", "8", "Rebel group-External/Other forces"),
        ("", "Rebel group", "State forces", "Rebel group-State forces"),
        ("", "", "", ""),
        ("99", "", "", "99"),  # not ACLED's codes: passed on as they are
    ],
)
def test_acled_interaction_is_named(interaction, inter1, inter2, expected) -> None:
    from geo._formats import _acled_interaction

    table = pd.DataFrame({"interaction": [interaction], "inter1": [inter1], "inter2": [inter2]})
    assert _acled_interaction(table).tolist() == [expected]


def test_ucdp_names_and_death_breakdown_are_kept() -> None:
    ev = read_events(UCDP, strict=True).events.set_index("event_id")
    khost = ev.loc["UCDP-900001"]
    assert (khost["conflict_name"], khost["dyad_name"]) == (
        "Pakistan: TTP",
        "Government of Pakistan - TTP",
    )
    deaths = ["deaths_side_a", "deaths_side_b", "deaths_civilians", "deaths_unknown"]
    assert [khost[f] for f in deaths] == [0, 3, 36, 2]
    assert str(ev["deaths_civilians"].dtype) == "Int64"
    assert ev.loc["UCDP-900002", deaths].isna().all()  # empty in the export: unknown
    # date_prec 3 (within a week): a day span over date_start..date_end
    kurram = ev.loc["UCDP-900003"]
    assert kurram["date_precision"] == "day"
    assert (kurram["date_start"], kurram["date_end"]) == (
        pd.Timestamp("2024-12-25"),
        pd.Timestamp("2024-12-28"),
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "must not be negative"),
        ("2.5", "must be a whole number"),
        ("many", "must be a whole number or empty"),
    ],
)
def test_death_breakdown_is_validated_like_the_casualties(tmp_path, value, message) -> None:
    table = pd.read_csv(UCDP, dtype=str, keep_default_na=False)
    table.loc[0, "deaths_civilians"] = value
    path = tmp_path / "ged.csv"
    table.to_csv(path, index=False)
    report = read_events(path)
    assert [str(p) for p in report.problems] == [
        f"{path}: line 2, field 'deaths_civilians': {value!r}: {message}"
    ]
    with pytest.raises(ValueError, match=f"field 'deaths_civilians': {value!r}: {message}"):
        read_events(path, strict=True)


def test_ucdp_problems_name_ucdp_columns(tmp_path) -> None:
    table = pd.read_csv(UCDP, dtype=str, keep_default_na=False)
    table.loc[0, "where_prec"] = "9"
    table.loc[1, "best"] = "-4"
    path = tmp_path / "ged.csv"
    table.to_csv(path, index=False)
    fields = [(p.where, p.field) for p in read_events(path).problems]
    assert ("line 2", "where_prec") in fields and ("line 3", "best") in fields


def test_each_export_names_its_dataset_and_acled_the_day_it_last_updated_a_record(
    tmp_path,
) -> None:
    acled = read_events(ACLED, strict=True).events
    assert set(acled["dataset"]) == {"ACLED"}
    # timestamp 1700000000 (Unix seconds) is 14 Nov 2023, 22:13 UTC
    assert set(acled["dataset_updated"]) == {"2023-11-14"}
    ucdp = read_events(UCDP, strict=True).events
    assert set(ucdp["dataset"]) == {"UCDP GED"} and set(ucdp["dataset_updated"]) == {""}
    # a timestamp that is not a Unix time is kept as written, never dropped or guessed
    text = ACLED.read_text(encoding="utf-8").replace(",1700000000\n", ",last week\n", 1)
    odd = tmp_path / "acled.csv"
    odd.write_text(text, encoding="utf-8")
    values = read_events(odd, strict=True).events["dataset_updated"].tolist()
    assert values.count("last week") == 1 and values.count("2023-11-14") == 3
