"""geo.pull.store and geo.pull.run: snapshots, manifest, update, resumption, failures."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from geo.events import read_events
from geo.pull import store as st
from geo.pull._http import PullError
from geo.pull.acled import Acled, Query
from geo.pull.run import pull_acled

from .conftest import FakeAcled

QUERY = Query(countries=["Afghanistan", "Pakistan"], start="2022-01-01")


def _change(server: FakeAcled, n_changed: int, deleted: list[str]) -> list[str]:
    """Revise the first events' tolls (newer timestamp) and delete others."""
    later = str(int(time.time()) + 60)
    changed = []
    for row in server.events[:n_changed]:
        row["fatalities"] = str(int(row["fatalities"] or 0) + 3)
        row["timestamp"] = later
        changed.append(row["event_id_cnty"])
    server.events = [r for r in server.events if r["event_id_cnty"] not in deleted]
    server.deleted += [{"event_id_cnty": d, "deleted_timestamp": later} for d in deleted]
    return changed


def test_a_pull_writes_a_snapshot_and_its_manifest(
    client: Acled, acled_server: FakeAcled, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    result = pull_acled(client, store, QUERY)
    doc = st.manifest(store)
    (entry,) = doc["snapshots"]
    assert doc["source"] == "acled" and st.is_store(store)
    assert entry["rows"] == len(acled_server.events) == 12
    assert entry["query"]["countries"] == ["Afghanistan", "Pakistan"]
    assert entry["api"].startswith("ACLED API") and entry["accessed"].endswith("+00:00")
    assert entry["content_hash"].startswith("sha256:")
    assert result.pages == 1 and not (store / st.PARTIAL).exists()
    # the snapshot reads as canonical events, with ACLED's own columns beside them
    events = read_events(st.latest(store)).events
    assert len(events) == 12 and events["dataset"].eq("ACLED").all()
    import pyarrow.parquet as pq

    names = pq.read_schema(st.latest(store)).names
    assert "acled.event_date" in names and "event_id" in names and "geometry" in names
    assert st.resolve([str(store), "x.csv"]) == [str(st.latest(store)), "x.csv"]


def test_the_same_data_has_the_same_hash(client: Acled, tmp_path: Path) -> None:
    a = pull_acled(client, tmp_path / "a", QUERY).entry
    b = pull_acled(client, tmp_path / "b", QUERY).entry
    assert a["content_hash"] == b["content_hash"]


def test_update_asks_for_changes_since_and_applies_deletions(
    client: Acled, acled_server: FakeAcled, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    first = pull_acled(client, store, QUERY, clock=lambda: time.time() - 30).entry
    changed = _change(acled_server, 5, ["AFG2000", "AFG2002"])
    acled_server.deleted.append(
        {"event_id_cnty": "XXX9999", "deleted_timestamp": str(int(time.time()) + 60)}
    )
    result = pull_acled(client, store, Query(), update=True)
    assert result.changed == 5 and result.deleted == 2
    assert any("XXX9999" in w and "does not hold" in w for w in result.warnings)
    second = result.entry
    assert second["update_of"] == first["id"] and second["rows"] == 10
    reads = [r[2] for r in acled_server.requests if r[1] == "/api/acled/read"]
    assert reads[-1]["timestamp_where"] == ">=" and reads[-1]["country"] == "Afghanistan|Pakistan"
    records = {r["event_id_cnty"]: r for r in st.records_of(store, second)}
    assert "AFG2000" not in records and all(records[c]["timestamp"] for c in changed)
    assert len(st.snapshots(store)) == 2


def test_duplicate_ids_across_pages_are_kept_once(
    client: Acled, acled_server: FakeAcled, tmp_path: Path
) -> None:
    acled_server.page_limit = 5
    repeat = dict(acled_server.events[0])
    acled_server.fault("/api/acled/read", None)
    acled_server.fault("/api/acled/read", "extra", [repeat])  # page 2 repeats page 1's first
    result = pull_acled(client, tmp_path / "s", Query())
    assert result.entry["rows"] == 12
    assert any("came twice" in w for w in result.warnings)


def test_an_interrupted_pull_resumes_where_it_stopped(
    client: Acled, acled_server: FakeAcled, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    acled_server.page_limit = 4
    acled_server.fault("/api/acled/read", None)
    acled_server.fault("/api/acled/read", "truncate")  # page 2 breaks off
    with pytest.raises(PullError, match="page 2"):
        pull_acled(client, store, QUERY)
    assert st.snapshots(store) == [] and (store / st.PARTIAL).exists()
    result = pull_acled(client, store, QUERY)
    pages = [r[2]["page"] for r in acled_server.requests if r[1] == "/api/acled/read"]
    assert pages == ["1", "2", "2", "3"]  # page 1 was not asked for again
    assert result.resumed == 1 and result.entry["rows"] == 12


def test_a_failed_update_leaves_the_previous_snapshot(
    client: Acled, acled_server: FakeAcled, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    pull_acled(client, store, QUERY)
    before = (store / st.MANIFEST).read_bytes()
    client.http.tries = 2
    acled_server.fault("/api/acled/read", "status", 500)
    acled_server.fault("/api/acled/read", "status", 500)
    with pytest.raises(PullError, match="500"):
        pull_acled(client, store, Query(), update=True)
    assert (store / st.MANIFEST).read_bytes() == before
    assert read_events(st.latest(store)).events.shape[0] == 12


def test_schema_drift_warns_and_keeps_every_column(
    client: Acled, acled_server: FakeAcled, tmp_path: Path
) -> None:
    for row in acled_server.events:
        row["civilian_impact"] = "some"  # a new column
        row["admin_1"] = row.pop("admin1")  # a renamed one
    result = pull_acled(client, tmp_path / "s", Query())
    assert any("civilian_impact" in w for w in result.warnings)
    assert any("admin1" in w and "renamed" in w for w in result.warnings)
    records = st.records_of(tmp_path / "s", result.entry)
    assert records[0]["admin_1"] and records[0]["civilian_impact"] == "some"


def test_bad_records_are_reported_and_kept_in_the_store(
    client: Acled, acled_server: FakeAcled, tmp_path: Path
) -> None:
    bad = dict(acled_server.events[1], event_id_cnty="BAD0001", latitude="north")
    acled_server.fault("/api/acled/read", "extra", [bad, {"notes": "no id"}])
    store = tmp_path / "s"
    result = pull_acled(client, store, Query())
    assert result.entry["rows"] == 12 and result.entry["rejected"] == 1
    rejected = json.loads((store / result.entry["rejected_file"]).read_text())
    assert rejected["records"][0]["event_id_cnty"] == "BAD0001"
    places = [(p.file, p.where) for p in result.problems]
    assert ("ACLED page 1", "record 14") in places  # the record without an id
    # the reader's problem with the refused record is named by its page and record too
    assert [(p.file, p.where) for p in result.problems if p.severity == "error"][-1] == (
        "ACLED page 1",
        "record 13",
    )
    # an update carries the refused record on (nothing lost)
    assert any(r["event_id_cnty"] == "BAD0001" for r in st.records_of(store, result.entry))


def test_not_a_store(tmp_path: Path) -> None:
    (tmp_path / st.MANIFEST).write_text('{"format": "other"}')
    assert not st.is_store(tmp_path)
    with pytest.raises(Exception, match="not a geo store"):
        st.manifest(tmp_path)
    with pytest.raises(Exception, match="no snapshot yet"):
        st.latest(tmp_path / "empty")


def test_a_page_that_ends_early_is_said(
    client: Acled, acled_server: FakeAcled, tmp_path: Path
) -> None:
    acled_server.page_limit = 5
    acled_server.fault("/api/acled/read", "short", 2)  # page 1 gives 2 rows of 5
    result = pull_acled(client, tmp_path / "s", Query())
    assert result.entry["rows"] == 9  # rows 3-5 never came
    assert any("announced 12 events" in w and "gave 9" in w for w in result.warnings)
