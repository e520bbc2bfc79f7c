"""ACLED and UCDP GED exports read into the canonical table.

The fixtures have the real column layouts of both exports, filled with the project's own
curated events (no ACLED or UCDP rows are redistributed).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.cli import main
from geo.events import COLUMNS, read_events

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
        f"{path}: line 3, field 'date_start': 'sometime in April': not a date; accepted forms: YYYY-MM-DD, YYYY-MM or YYYY",
        f"{path}: line 3, field 'date_end': 'sometime in April': not a date; accepted forms: YYYY-MM-DD, YYYY-MM or YYYY",
    ]
    assert len(report.events) == 2


@pytest.mark.parametrize("path", [ACLED, UCDP])
def test_exports_build_a_map(path, tmp_path, capsys) -> None:
    out = tmp_path / "m.html"
    assert main(["build", "--events", str(path), "--out", str(out)]) == 0
    assert "4 events read, 0 rejected, 4 shown" in capsys.readouterr().out
