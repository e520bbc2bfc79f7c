"""geo.diff and ``geo diff`` on two exports: added, removed, changed fields, tolls."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from geo import diff
from geo.cli import main
from geo.events import read_events

DATA = Path(__file__).parent / "data"


def _exports(tmp_path: Path) -> tuple[Path, Path]:
    with open(DATA / "acled_export.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    old, new = [dict(r) for r in rows], [dict(r) for r in rows]
    new[0]["fatalities"] = str(int(new[0]["fatalities"] or 0) + 4)  # toll up
    new[1]["fatalities"] = "0"  # toll down (from a higher figure)
    old[1]["fatalities"] = "9"
    new[2]["notes"] = "Revised: " + new[2]["notes"]  # another field
    del new[3]  # removed
    new.append(dict(rows[0], event_id_cnty="PAK9999"))  # added
    paths = []
    for name, table in (("old.csv", old), ("new.csv", new)):
        path = tmp_path / name
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(table)
        paths.append(path)
    return paths[0], paths[1]


def test_compare_names_what_changed(tmp_path: Path) -> None:
    old, new = _exports(tmp_path)
    d = diff.compare(
        read_events(old).events, read_events(new).events, old_name="old", new_name="new"
    )
    assert d.added == ["PAK9999"] and d.removed == ["AFG0004"]
    assert d.changed == {
        "AFG0001": ["fatalities_best"],
        "AFG0002": ["fatalities_best"],
        "AFG0003": ["summary"],
    }
    assert (d.tolls_up, d.tolls_down) == (1, 1)
    d.since = "2025-10-12T09:00:00+00:00"
    assert diff.correction(d) == (
        "Since 12 Oct 2025: 1 event added, 1 removed, 2 death tolls revised, "
        "1 other event corrected"
    )


def test_same_data_no_change(tmp_path: Path) -> None:
    events = read_events(DATA / "acled_export.csv").events
    d = diff.compare(events, events.copy(), old_name="a", new_name="b")
    assert not (d.added or d.removed or d.changed)
    assert diff.correction(d) == "Since a: 0 events added, 0 removed, 0 death tolls revised"


def test_cli_csv_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _exports(tmp_path)
    assert main(["diff", str(old), str(new), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_id = {r["event_id"]: r for r in rows}
    assert by_id["AFG0001"]["toll"] == "up" and by_id["AFG0002"]["toll"] == "down"
    assert by_id["AFG0003"]["fields"] == "summary" and by_id["PAK9999"]["change"] == "added"
    assert main(["diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert "removed: 1" in text and "Correction: Since" in text
    out = tmp_path / "d.json"
    assert main(["diff", str(old), str(new), "--format", "json", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["tolls_revised"] == {"up": 1, "down": 1}


def test_cli_refuses_one_file_or_three(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _exports(tmp_path)
    assert main(["diff", str(old)]) == 1
    assert "give a store" in capsys.readouterr().err
    assert main(["diff", str(old), str(new), str(new)]) == 1
    assert main(["diff", str(old), str(new), "--out", str(old)]) == 1
    assert "is the input file" in capsys.readouterr().err


def test_hostile_text_is_shown_not_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A terminal escape in a place name is escaped on the terminal; a formula in the CSV
    is written as text."""
    old, new = _exports(tmp_path)
    text = new.read_text(encoding="utf-8").replace("Khost", "=HYPERLINK(1)\x1b[31m", 1)
    new.write_text(text, encoding="utf-8")
    assert main(["diff", str(old), str(new), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b" in out
    assert main(["diff", str(old), str(new), "--format", "csv", "--quiet"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert any(r["province"].startswith("'=HYPERLINK") for r in rows)


def test_values_keep_old_and_new_of_each_changed_field(tmp_path: Path) -> None:
    old, new = _exports(tmp_path)
    a, b = read_events(old).events, read_events(new).events
    b.loc[b["event_id"] == "AFG0003", "geometry"] = b.loc[
        b["event_id"] == "AFG0003", "geometry"
    ].translate(xoff=0.5)
    d = diff.compare(a, b, old_name="old", new_name="new")
    before = a.set_index("event_id").loc["AFG0001", "fatalities_best"]
    assert d.values["AFG0001"] == {"fatalities_best": (str(before), str(before + 4))}
    moved = d.values["AFG0003"]
    assert set(moved) == {"summary", "geometry"} and d.changed["AFG0003"] == ["summary", "geometry"]
    assert moved["summary"][1].startswith("Revised: ")
    (lat0, lon0), (lat1, lon1) = (tuple(map(float, v.split(", "))) for v in moved["geometry"])
    assert lat0 == lat1 and abs(lon1 - lon0 - 0.5) < 1e-9
    assert set(d.values) == set(d.changed)
