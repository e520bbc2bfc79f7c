"""``geo pull acled``, ``geo diff`` and ``geo build --events STORE`` against the local server:
the issue's acceptance, and no fixture secret in any file or output."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from geo.cli import main
from geo.pull import store as st

from .conftest import PASSWORD, REFRESH_PREFIX, TOKEN_PREFIX, FakeAcled


@pytest.fixture
def env(
    acled_server: FakeAcled, creds: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    monkeypatch.setenv("GEO_ACLED_API_URL", acled_server.url)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("geo.pull._http._sleep", lambda seconds: None)
    return tmp_path


def _pull(*extra: str) -> int:
    return main(["pull", "acled", "--store", "store", *extra])


def test_acceptance_pull_update_diff_build(
    env: Path,
    acled_server: FakeAcled,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    context_dir: Path,
) -> None:
    acled_server.page_limit = 5  # three pages
    args = ["--country", "Afghanistan", "--country", "Pakistan", "--start", "2022-01-01"]
    assert _pull(*args) == 0
    out = capsys.readouterr()
    assert "wrote store/snapshot-0001.parquet: 12 events, 0 refused (3 page(s)" in out.out
    # the server changes 5 events (tolls revised up) and deletes 2
    later = str(int(time.time()) + 60)
    for row in acled_server.events[:5]:
        row["fatalities"], row["timestamp"] = str(int(row["fatalities"] or 0) + 2), later
    gone = ["AFG2000", "AFG2002"]
    acled_server.events = [r for r in acled_server.events if r["event_id_cnty"] not in gone]
    acled_server.deleted = [{"event_id_cnty": g, "deleted_timestamp": later} for g in gone]
    assert _pull("--update") == 0
    out = capsys.readouterr()
    assert "snapshot-0002.parquet: 10 events" in out.out and "5 changed and 2 deleted" in out.out
    assert main(["diff", "store", "--format", "json", "--out", "changes.json"]) == 0
    doc = json.loads((env / "changes.json").read_text())
    assert (doc["added"], doc["removed"], doc["changed"]) == (0, 2, 5)
    assert doc["tolls_revised"] == {"up": 5, "down": 0}
    assert doc["correction"].endswith(": 0 events added, 2 removed, 5 death tolls revised")
    assert {e["event_id"] for e in doc["events"] if e["change"] == "removed"} == set(gone)
    assert main(["diff", "store"]) == 0
    text = capsys.readouterr().out
    assert "Correction: Since" in text and "toll" in text
    # geo build reads the store as its latest snapshot
    monkeypatch.setenv("GEO_DATA_DIR", str(context_dir))
    assert main(["build", "--events", "store", "--out", "map.html", "--quiet"]) == 0
    assert "10 events read" in capsys.readouterr().out
    assert main(["diff", "store", "--map", "changes.png", "--quiet"]) == 0
    assert (env / "changes.png").read_bytes().startswith(b"\x89PNG")
    assert "wrote changes.png: Since" in capsys.readouterr().err
    # the page too: the five revised and the two removed events, counted in its legend
    assert main(["diff", "store", "--map", "changes.html", "--quiet"]) == 0
    assert "wrote changes.html: Since" in capsys.readouterr().err
    changes = (env / "changes.html").read_text(encoding="utf-8")
    assert "Revised (5)" in changes and "Removed (2)" in changes and "Added (0)" in changes
    assert main(["diff", "store", "--map", "changes.txt"]) == 1
    assert "the change map is a page or an image" in capsys.readouterr().err
    # the credit names the day the data were taken from the API, as ACLED asks (geo.methods:
    # the store's manifest records it for the snapshot the page was built from)
    day = time.gmtime()
    page = (env / "map.html").read_text(encoding="utf-8")
    assert (
        f"acleddata.com, accessed {day.tm_mday} {time.strftime('%b %Y', day)} through its API"
        in page
    )
    _no_secret_anywhere(env, capsys, creds_dir=env / "cache")


def _no_secret_anywhere(root: Path, capsys: pytest.CaptureFixture[str], *, creds_dir: Path) -> None:
    """The password is in no file; tokens only in the owner-only token cache."""
    captured = capsys.readouterr()
    for text in (captured.out, captured.err):
        assert PASSWORD not in text and TOKEN_PREFIX not in text and REFRESH_PREFIX not in text
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert PASSWORD.encode() not in data, path
        if creds_dir not in path.parents:
            assert TOKEN_PREFIX.encode() not in data, path
            assert REFRESH_PREFIX.encode() not in data, path


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (("status", 500), "ACLED page 1: the server answered 500"),
        (("truncate",), "ACLED page 1: the answer is not complete JSON"),
    ],
)
def test_failures_are_messages_not_tracebacks_and_keep_the_store(
    env: Path,
    acled_server: FakeAcled,
    capsys: pytest.CaptureFixture[str],
    fault: tuple[object, ...],
    message: str,
) -> None:
    assert _pull() == 0
    before = (env / "store" / st.MANIFEST).read_bytes()
    for _ in range(6):
        acled_server.fault("/api/acled/read", *fault)
    assert _pull("--update") == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert (env / "store" / st.MANIFEST).read_bytes() == before
    _no_secret_anywhere(env, capsys, creds_dir=env / "cache")


def test_wrong_password_and_missing_credentials(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACLED_PASSWORD", "not-the-password-42")
    assert _pull() == 1
    err = capsys.readouterr().err
    assert "refused the user name and password" in err and "not-the-password-42" not in err
    monkeypatch.delenv("ACLED_PASSWORD")
    monkeypatch.setattr("sys.stdin", None)
    assert _pull() == 1
    assert "set ACLED_PASSWORD in the environment" in capsys.readouterr().err


def test_update_takes_no_filters_and_needs_a_snapshot(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _pull("--update", "--country", "Pakistan") == 1
    assert "give no filters" in capsys.readouterr().err
    assert _pull("--update") == 1
    assert "needs a store with a snapshot" in capsys.readouterr().err
    assert _pull("--type", "Brawls") == 1
    assert "--type 'Brawls' is not known" in capsys.readouterr().err


def test_debug_output_holds_no_secret(
    env: Path, acled_server: FakeAcled, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(6):
        acled_server.fault("/api/acled/read", "status", 503)
    assert _pull("--debug") == 1
    _no_secret_anywhere(env, capsys, creds_dir=env / "cache")


def test_every_reading_command_takes_a_store(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    context_dir: Path,
) -> None:
    assert _pull() == 0
    capsys.readouterr()
    monkeypatch.setenv("GEO_DATA_DIR", str(context_dir))
    assert main(["validate", "store"]) == 0
    assert "12 records, 12 valid" in capsys.readouterr().out
    assert main(["export", "store", "--out", "events.csv", "--quiet"]) == 0
    assert "12 events read" in capsys.readouterr().out
    assert main(["info", "store", "--quiet"]) == 0


def test_ctrl_c_keeps_the_pages_and_the_rerun_resumes(
    env: Path,
    acled_server: FakeAcled,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from geo.pull.acled import Acled

    acled_server.page_limit = 5
    real = Acled.page

    def interrupted(self: Acled, params: dict[str, str], number: int, path: str = "") -> object:
        if number == 2:
            raise KeyboardInterrupt
        return real(self, params, number, path) if path else real(self, params, number)

    monkeypatch.setattr(Acled, "page", interrupted)
    assert _pull() == 130
    assert "run the same command again to resume" in capsys.readouterr().err
    assert not (env / "store" / st.MANIFEST).exists()
    monkeypatch.setattr(Acled, "page", real)
    assert _pull() == 0
    assert "1 resumed" in capsys.readouterr().out
    pages = [r[2]["page"] for r in acled_server.requests if r[1] == "/api/acled/read"]
    assert pages == ["1", "2", "3"]
