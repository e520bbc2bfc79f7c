"""``geo enrich`` and ``geo stats`` on the shipped events."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from geo.cli import main
from geo.events import read_events

DATA = Path(__file__).resolve().parents[1] / "data"
#: the shipped events, counted rather than written down (the file grows as events are added)
N_EVENTS = len(json.loads((DATA / "events.geojson").read_text(encoding="utf-8"))["features"])


def test_enrich_writes_readable_geojson_with_border_columns(tmp_path, capsys) -> None:
    out = tmp_path / "enriched.geojson"
    assert main(["enrich", str(DATA / "events.geojson"), "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    doc = json.loads(out.read_text(encoding="utf-8"))
    props = {f["id"]: f["properties"] for f in doc["features"]}
    assert len(props) == N_EVENTS
    kabul = props["DL-20260316-KABUL"]
    assert kabul["border_side"] == "AFG" and 70 < kabul["border_distance_km"] < 95
    assert kabul["in_border_belt"] is False
    n_belt = sum(p["in_border_belt"] for p in props.values())
    assert line.startswith(
        f"wrote {out}: {N_EVENTS} events read, 0 rejected, {N_EVENTS} enriched "
        f"({n_belt} within 50 km of the line) ("
    )
    # the output reads back as events: the extra columns are ignored, nothing is lost
    again = read_events(out, strict=True).events
    assert sorted(again["event_id"]) == sorted(props)


def test_enrich_belt_width_changes_membership(tmp_path, capsys) -> None:
    narrow, wide = tmp_path / "n.geojson", tmp_path / "w.geojson"
    assert (
        main(["enrich", str(DATA / "events.geojson"), "--out", str(narrow), "--belt-km", "10"]) == 0
    )
    assert (
        main(["enrich", str(DATA / "events.geojson"), "--out", str(wide), "--belt-km", "100"]) == 0
    )
    count = [
        sum(f["properties"]["in_border_belt"] for f in json.loads(p.read_text())["features"])
        for p in (narrow, wide)
    ]
    assert count[0] < count[1]


def test_stats_csv_by_province_and_month(capsys) -> None:
    assert main(["stats", "--by", "province", "--period", "month", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == [
        "province",
        "period",
        "events",
        "fatalities_low",
        "fatalities_best",
        "fatalities_high",
    ]
    assert sum(int(r["events"]) for r in rows) == N_EVENTS
    khost = [r for r in rows if r["province"] == "Khost" and r["period"] == "2022-04"]
    assert len(khost) == 1 and int(khost[0]["events"]) >= 1


def test_stats_json_belt_by_year_to_file(tmp_path, capsys) -> None:
    out = tmp_path / "stats.json"
    assert (
        main(["stats", "--by", "belt", "--period", "year", "--format", "json", "--out", str(out)])
        == 0
    )
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {r["belt"] for r in records} == {"within belt", "elsewhere"}
    assert sum(r["events"] for r in records) == N_EVENTS
    assert f"wrote {out}" in capsys.readouterr().err


@pytest.mark.parametrize("width", ["-1", "0", "nan", "inf", "1e-300", "1e308", "wide"])
def test_belt_outside_the_accepted_range_is_a_usage_error(capsys, width) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["stats", "--belt-km", width])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert (
        f"argument --belt-km: {width!r} is not accepted; accepted: a width from 0.1 to 1000 km"
        in err
    )


def test_info_prints_belt_and_province_tables(capsys) -> None:
    assert main(["info", str(DATA / "events.geojson")]) == 0
    out = capsys.readouterr().out
    assert "Border belt vs. elsewhere" in out and "within belt" in out
    assert "By province and year" in out


def test_output_gets_ordinary_permissions(tmp_path) -> None:
    out = tmp_path / "m.html"
    old = os.umask(0o022)
    try:
        assert main(["build", "--out", str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
