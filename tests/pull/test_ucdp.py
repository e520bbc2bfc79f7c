"""geo.pull.ucdp and ``geo pull ucdp`` against the local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.cli import main
from geo.events import read_events
from geo.pull import store as st

from .conftest import UCDP_TOKEN, FakeUcdp


@pytest.fixture
def here(ucdp_server: FakeUcdp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("geo.pull._http._sleep", lambda seconds: None)
    return tmp_path


def _pull(*extra: str) -> int:
    return main(["pull", "ucdp", "--store", "ged", *extra])


def test_pulls_every_page_with_the_token_header(
    here: Path, ucdp_server: FakeUcdp, capsys: pytest.CaptureFixture[str]
) -> None:
    ucdp_server.page_size = 2
    n = len(ucdp_server.versions["25.1"])
    assert _pull("--ged-version", "25.1", "--country", "Afghanistan", "--country", "770") == 0
    assert f"{n} events" in capsys.readouterr().out
    pages = [q["page"] for _, q, _ in ucdp_server.requests]
    assert pages == [str(i) for i in range(-(-n // 2))]
    path, q, headers = ucdp_server.requests[0]
    assert path == "/api/gedevents/25.1" and q["Country"] == "700,770"
    assert q["pagesize"] == "1000" and headers["x-ucdp-access-token"] == UCDP_TOKEN
    (entry,) = st.snapshots(here / "ged")
    assert entry["source"] == "ucdp" and entry["query"]["version"] == "25.1"
    events = read_events(st.latest(here / "ged")).events
    assert events["event_id"].str.startswith("UCDP-").all() and len(events) == n


def test_update_pulls_a_newer_version_and_diff_shows_it(
    here: Path, ucdp_server: FakeUcdp, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _pull("--ged-version", "25.1") == 0
    newer = [dict(r) for r in ucdp_server.versions["25.1"]]
    newer[0]["best"] = str(int(newer[0]["best"]) + 1)
    newer[0]["high"] = str(int(newer[0]["high"] or 0) + 1)  # best may not pass high
    ucdp_server.versions["26.1"] = [*newer[1:], newer[0]]
    assert _pull("--ged-version", "25.1", "--update") == 1
    assert "holds GED version 25.1 already" in capsys.readouterr().err
    assert _pull("--ged-version", "26.1", "--update") == 0
    assert "GED 26.1 after 25.1" in capsys.readouterr().out
    assert main(["diff", "ged", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["changed"] == 1 and doc["tolls_revised"]["up"] == 1
    assert (doc["added"], doc["removed"]) == (0, 0)


def test_refused_token_and_missing_version(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _pull() == 1
    assert "needs --ged-version" in capsys.readouterr().err
    monkeypatch.setenv("UCDP_API_TOKEN", "FIXTURE-WRONG-TOKEN-0000")
    assert _pull("--ged-version", "25.1") == 1
    err = capsys.readouterr().err
    assert "UCDP refused the access token (401)" in err and "WRONG-TOKEN" not in err
    monkeypatch.setenv("UCDP_API_TOKEN", UCDP_TOKEN)
    assert _pull("--ged-version", "9.9") == 1
    assert "no GED version" in capsys.readouterr().err
    assert _pull("--ged-version", "25.1", "--country", "Narnia") == 1
    assert "no Gleditsch–Ward code" in capsys.readouterr().err


def test_429_is_retried_and_the_token_is_nowhere(
    here: Path, ucdp_server: FakeUcdp, capsys: pytest.CaptureFixture[str]
) -> None:
    ucdp_server.faults.append(("status", 429, {"Retry-After": "3"}))
    assert _pull("--ged-version", "25.1") == 0
    captured = capsys.readouterr()
    assert "429" in captured.err and "trying again in 3 s" in captured.err
    for text in (captured.out, captured.err):
        assert UCDP_TOKEN not in text
    for path in here.rglob("*"):
        if path.is_file():
            assert UCDP_TOKEN.encode() not in path.read_bytes(), path


def test_schema_drift_is_a_warning_and_nothing_is_dropped(
    here: Path, ucdp_server: FakeUcdp, capsys: pytest.CaptureFixture[str]
) -> None:
    for row in ucdp_server.versions["25.1"]:
        row["adm_3"] = "x"  # a new field
        row["where_precision"] = row.pop("where_prec")  # a renamed one
    assert _pull("--ged-version", "25.1") == 0
    err = capsys.readouterr().err
    assert (
        "new field(s) ['adm_3', 'where_precision']" in err and "lack field(s) ['where_prec']" in err
    )
    (entry,) = st.snapshots(here / "ged")
    records = st.records_of(here / "ged", entry)
    assert all(r["adm_3"] == "x" and r["where_precision"] for r in records)


def test_candidate_events_are_laid_over_and_marked(
    here: Path, ucdp_server: FakeUcdp, capsys: pytest.CaptureFixture[str]
) -> None:
    """A monthly candidate release (YY.0.M) adds its month to the store's yearly release:
    marked as candidate in the manifest and in the credit."""
    base = ucdp_server.versions["25.1"]
    month = [dict(base[0], id="990001", relid="CAND-1", date_start="2025-09-03 00:00:00.000",
                  date_end="2025-09-03 00:00:00.000", year="2025")]  # fmt: skip
    revised = dict(base[1], best=str(int(base[1]["best"]) + 2))
    revised["high"] = str(max(int(revised["high"] or 0), int(revised["best"])))
    ucdp_server.versions["25.0.9"] = [*month, revised]
    assert _pull("--ged-version", "25.1") == 0
    capsys.readouterr()
    assert _pull("--ged-version", "25.0.9", "--update") == 0
    assert "candidate events, provisional" in capsys.readouterr().out
    assert ucdp_server.requests[-1][0] == "/api/gedevents/25.0.9"
    first, second = st.snapshots(here / "ged")
    assert not first["candidate"] and first["release"]["cadence"] == "yearly"
    assert second["candidate"] and second["versions"] == ["25.1", "25.0.9"]
    assert second["release"] == {
        "candidate": True, "cadence": "monthly", "covers": ["2025-09-01", "2025-09-30"],
    }  # fmt: skip
    assert second["rows"] == first["rows"] + 1  # the month laid over the yearly release
    assert main(["diff", "ged", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["added"], doc["removed"], doc["tolls_revised"]["up"]) == (1, 0, 1)
    credit = st.access_credits([here / "ged"])[0]
    assert credit.startswith("UCDP GED 25.1 and Candidate Events 25.0.9 data (candidate events")
    # the same candidate release again is refused; malformed candidate versions too
    assert _pull("--ged-version", "25.0.9", "--update") == 1
    assert "holds GED version 25.0.9 already" in capsys.readouterr().err
    for bad in ("25.0.13", "25.02.25.09", "25.0.9.1"):
        assert _pull("--ged-version", bad) == 1
        assert "is not a GED version; accepted: a yearly" in capsys.readouterr().err


@pytest.mark.parametrize("base", [0, 1])
def test_the_next_page_is_the_one_next_page_url_names(
    here: Path, ucdp_server: FakeUcdp, capsys: pytest.CaptureFixture[str], base: int
) -> None:
    """Pages are counted from 0; a server counting from 1 (which answers page 0 as its
    first) is followed by the number its NextPageUrl gives: every event once, none twice."""
    ucdp_server.page_size, ucdp_server.base = 1, base
    n = len(ucdp_server.versions["25.1"])
    assert _pull("--ged-version", "25.1") == 0
    out = capsys.readouterr()
    assert f"{n} events" in out.out and "came twice" not in out.err
    pages = [int(q["page"]) for _, q, _ in ucdp_server.requests]
    assert pages == [0, *range(base + 1, base + n)]
