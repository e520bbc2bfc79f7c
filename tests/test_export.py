"""Event tables out: geo export and geo.write_events write GeoJSON, CSV and GeoParquet that read back the same."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.api import prepare
from geo.cli import main
from geo.context import load_context
from geo.events import read_events
from geo.export import write_events
from geo.filters import Filters
from geo.schema import COLUMNS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def context():
    return load_context()


# ---------------------------------------------------------------- geo export


def _canonical(events: pd.DataFrame) -> pd.DataFrame:
    keep = [c for c in COLUMNS if not c.startswith("origin_")]
    out = pd.DataFrame(events[keep]).reset_index(drop=True)
    out["lon"] = events.geometry.x.round(6).to_numpy()
    out["lat"] = events.geometry.y.round(6).to_numpy()
    return out


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_round_trips(tmp_path, capsys, fmt) -> None:
    out = tmp_path / f"oct.{fmt}"
    assert (
        main(
            ["export", "--start", "2025-10", "--end", "2025-10", "--format", fmt, "--out", str(out)]
        )
        == 0
    )
    line = capsys.readouterr().out
    n = int(re.search(r"(\d+) exported", line).group(1))
    back = read_events(out)
    assert back.problems == [] and len(back.events) == n > 10
    expected = prepare(
        context=load_context(), filters=Filters(start="2025-10", end="2025-10")
    ).shown
    pd.testing.assert_frame_equal(_canonical(back.events), _canonical(expected))


def test_export_parquet_is_geoparquet_with_list_columns(tmp_path) -> None:
    out = tmp_path / "oct.parquet"
    assert main(["export", "--start", "2025-10", "--end", "2025-10", "--out", str(out)]) == 0
    frame = gpd.read_parquet(out)
    assert frame.crs.to_epsg() == 4326 and len(frame) > 10
    assert isinstance(frame["sources"].iat[0][0], dict) and "border_distance_km" in frame


def test_export_keeps_spreadsheets_from_running_formulas(tmp_path) -> None:
    src = tmp_path / "f.csv"
    src.write_text(
        "event_id,date_start,event_type,latitude,longitude,summary,location\n"
        'E1,2025-10-12,Battles,34.87,71.1,"=HYPERLINK(""http://x"",""y"")",-10 km west\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    assert main(["export", str(src), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'-10 km west" in text
    back = read_events(out).events
    assert back["summary"].iat[0] == '=HYPERLINK("http://x","y")'
    assert back["location"].iat[0] == "-10 km west"


def test_export_refuses_an_unknown_format_before_reading(tmp_path, capsys) -> None:
    assert main(["export", "--out", str(tmp_path / "x.xlsx")]) == 1
    assert (
        "unknown file type '.xlsx' for events; accepted: .geojson, .json, .csv, .parquet"
        in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "value",
    ["=1+1", "'=x", "''", "'plain", "-inf", "-nan", "-1_0", "+cmd", "@SUM(A1)", "a\rb", "-12.5"],
)
def test_text_survives_export_and_reading_back(tmp_path, value) -> None:
    """One rule for every CSV: formula-safe, and exact back through the reader."""
    events = read_events(ROOT / "data" / "events.geojson").events.iloc[:3].copy()
    events.loc[0, "summary"] = value
    events.loc[1, "location"] = value
    out = write_events(events, tmp_path / "x.csv")
    text = out.read_text(encoding="utf-8")
    assert text.split("\n", 1)[0].replace('"', "").endswith(",geo_export")
    back = read_events(out)
    assert back.problems == []
    assert back.events.loc[0, "summary"] == value and back.events.loc[1, "location"] == value


def test_a_csv_the_tool_did_not_write_is_read_as_written(tmp_path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "event_id,date_start,event_type,latitude,longitude,summary\nE1,2025-10-12,Battles,34.8,71.0,'=kept\n",
        encoding="utf-8",
    )
    assert read_events(path).events.loc[0, "summary"] == "'=kept"


def test_stats_and_report_csv_are_formula_safe(tmp_path, capsys) -> None:
    src = tmp_path / "e.csv"
    src.write_text(
        "event_id,date_start,event_type,latitude,longitude,province,fatalities_best\n"
        'E1,2025-10-12,"=HYPERLINK(""http://x"",""y"")",34.8,71.0,Kunar,1\n'
        "E2,2025-10-12,Battles,34.8,71.0,+cmd,2\n",
        encoding="utf-8",
    )
    out, report = tmp_path / "s.csv", tmp_path / "r.csv"
    assert (
        main(["stats", str(src), "--period", "none", "--out", str(out), "--report", str(report)])
        == 0
    )
    assert "'+cmd" in out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in report.read_text(encoding="utf-8")
    for line in (
        out.read_text(encoding="utf-8").splitlines()[1:]
        + report.read_text(encoding="utf-8").splitlines()[1:]
    ):
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "@")), cell
