"""Problems summarised for people (ten of each kind, then a count) and every one in --report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from geo._errors import Problem
from geo._summary import SHOWN, report_text, summarise
from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "events.geojson"


# ---------------------------------------------------------------- warnings summarised


def _warnings(n: int, field: str = "province") -> list[Problem]:
    return [
        Problem(
            "f.csv", f"line {i + 2}", field, "Khost", f"event E{i}: point lies {i}.5 km outside"
        )
        for i in range(n)
    ]


def test_each_kind_shows_ten_then_a_count() -> None:
    lines = summarise([*_warnings(25), *_warnings(3, "country")])
    assert len(lines) == SHOWN + 3 + 1
    assert lines[-1].endswith("see --report)")
    assert "… and 15 more" in lines[-1]


def test_a_mismatched_file_prints_a_few_lines(tmp_path, capsys) -> None:
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for f in doc["features"]:
        f["properties"]["province"] = "Sindh"  # most points are elsewhere
    src = tmp_path / "mismatch.geojson"
    src.write_text(json.dumps(doc), encoding="utf-8")
    report = tmp_path / "report.csv"
    out = tmp_path / "m.html"
    assert main(["build", "--events", str(src), "--out", str(out), "--report", str(report)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) <= SHOWN + 3
    assert any("more" in line and "--report" in line for line in err)
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert len(rows) > SHOWN
    assert set(rows[0]) == {"severity", "file", "record", "field", "value", "message"}
    assert rows[0]["record"].startswith("feature ")


def test_report_json_lists_everything() -> None:
    doc = json.loads(report_text(_warnings(30), ".json"))
    assert len(doc["problems"]) == 30
    assert doc["problems"][0]["record"] == "line 2"


def test_report_csv_escapes_formulas() -> None:
    text = report_text([Problem("f.csv", "line 2", "summary", "=1+1", "bad")], ".csv")
    assert "'=1+1" in text


def test_a_report_with_an_unknown_suffix_fails_before_reading(tmp_path, capsys) -> None:
    code = main(["build", "--out", str(tmp_path / "m.html"), "--report", str(tmp_path / "r.txt")])
    assert code == 1
    assert "accepted: .csv, .json" in capsys.readouterr().err


def test_quiet_prints_only_the_summary_line(tmp_path, capsys, bad_csv_rows) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("event_id,date_start,event_type,latitude,longitude\n" + "\n".join(bad_csv_rows))
    assert main(["build", "--events", str(src), "--out", str(tmp_path / "m.html"), "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith("wrote ")


def test_validate_json_keeps_listing_everything(tmp_path, capsys) -> None:
    src = tmp_path / "bad.csv"
    rows = [f"E{i},2025-13-01,Battles,34.8,71.0" for i in range(30)]
    src.write_text("event_id,date_start,event_type,latitude,longitude\n" + "\n".join(rows))
    assert main(["validate", str(src), "--json"]) == 1
    assert len(json.loads(capsys.readouterr().out)["problems"]) == 30
    assert main(["validate", str(src)]) == 1
    assert len(capsys.readouterr().out.splitlines()) == SHOWN + 2
