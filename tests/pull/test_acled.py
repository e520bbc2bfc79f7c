"""geo.pull.acled against the local server: tokens, 401, paging, validation, drift."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from geo.pull._http import PullError
from geo.pull.acled import Acled, Query, TokenCache, drift

from .conftest import PASSWORD, REFRESH_PREFIX, TOKEN_PREFIX, FakeAcled


def _ids(client: Acled, params: dict[str, str]) -> list[str]:
    return [r["event_id_cnty"] for page in client.pages(params) for r in page.records]


def test_signs_in_with_the_password_grant_and_caches_the_token_owner_only(
    client: Acled, acled_server: FakeAcled, creds: Path
) -> None:
    assert len(_ids(client, {})) == len(acled_server.events)
    grant = next(r for r in acled_server.requests if r[1] == "/oauth/token")
    assert grant[2]["grant_type"] == "password" and grant[2]["client_id"] == "acled"
    (cached,) = (creds / "geo").glob("acled-token-*.json")
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert stat.S_IMODE(cached.parent.stat().st_mode) == 0o700
    assert PASSWORD not in cached.read_text()
    # a second client (a second run) uses the cached token: no sign-in
    again = Acled.from_env(client.http, acled_server.url, TokenCache(creds / "geo"))
    _ids(again, {})
    assert sum(r[1] == "/oauth/token" for r in acled_server.requests) == 1


def test_an_expired_token_is_refreshed_with_the_refresh_token(
    client: Acled, acled_server: FakeAcled
) -> None:
    now = [1_000_000.0]
    client.clock = lambda: now[0]
    _ids(client, {})
    now[0] += 7200  # past expires_in
    acled_server.expire_tokens()
    _ids(client, {})
    grants = [r[2]["grant_type"] for r in acled_server.requests if r[1] == "/oauth/token"]
    assert grants == ["password", "refresh_token"]


def test_a_401_gets_one_new_sign_in(client: Acled, acled_server: FakeAcled) -> None:
    _ids(client, {})
    acled_server.expire_tokens()  # the server forgot the token before it said it would
    assert len(_ids(client, {})) == len(acled_server.events)
    grants = [r[2]["grant_type"] for r in acled_server.requests if r[1] == "/oauth/token"]
    assert grants == ["password", "password"]


def test_a_refused_password_is_a_clear_error_without_the_password(
    client: Acled, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACLED_PASSWORD", "wrong-password-1234")
    with pytest.raises(PullError, match="refused the user name and password") as err:
        client.token()
    assert "wrong-password-1234" not in str(err.value)


def test_429_and_500_are_retried_honouring_retry_after(
    client: Acled, acled_server: FakeAcled, waits: list[float]
) -> None:
    acled_server.fault("/api/acled/read", "status", 429, {"Retry-After": "5"})
    acled_server.fault("/api/acled/read", "status", 500)
    assert len(_ids(client, {})) == len(acled_server.events)
    assert waits == [5, 2]  # Retry-After, then the second back-off


def test_pages_to_the_end_with_filters(client: Acled, acled_server: FakeAcled) -> None:
    acled_server.page_limit = 2  # the server pages by 2; the client asks for 5,000
    query = Query(countries=["Afghanistan", "Pakistan"], start="2022-01-01", end="2026-12-31")
    ids = _ids(client, query.params())
    assert len(ids) == len(acled_server.select(query.params())) > 2
    reads = [r[2] for r in acled_server.requests if r[1] == "/api/acled/read"]
    assert reads[0]["country"] == "Afghanistan|Pakistan"
    assert reads[0]["event_date_where"] == "BETWEEN" and reads[0]["with_total"] == "true"
    assert reads[0]["limit"] == "5000" and [r["page"] for r in reads][:2] == ["1", "2"]


def test_a_page_that_ends_early_does_not_end_the_pull(
    client: Acled, acled_server: FakeAcled
) -> None:
    acled_server.page_limit = 3
    acled_server.fault("/api/acled/read", "short", 1)  # page 1 gives 1 row of 3
    ids = _ids(client, {})
    # the total announced says more remain: the client reads on (the server's next page
    # starts at row 4, so rows 2-3 are missing, which the store reports against the total)
    assert ids[0] == acled_server.events[0]["event_id_cnty"]
    assert len(ids) == len(acled_server.events) - 2


def test_truncated_json_names_the_page(client: Acled, acled_server: FakeAcled) -> None:
    acled_server.page_limit = 2
    acled_server.fault("/api/acled/read", None)
    acled_server.fault("/api/acled/read", "truncate")
    with pytest.raises(PullError, match="ACLED page 2: the answer is not complete JSON"):
        _ids(client, {})


def test_bad_records_are_reported_with_page_and_record(
    client: Acled, acled_server: FakeAcled
) -> None:
    acled_server.fault("/api/acled/read", "extra", ["not an object", {"event_date": "x"}])
    page = next(client.pages({}))
    where = [(p.file, p.where) for p in page.problems]
    n = len(acled_server.events)
    assert where == [("ACLED page 1", f"record {n + 1}"), ("ACLED page 1", f"record {n + 2}")]


def test_schema_drift_is_named() -> None:
    record = {"event_id_cnty": "X1", "event_date": "2025-01-01", "new_field": "1"}
    warnings = drift([record])
    assert "new_field" in warnings[0] and "kept" in warnings[0]
    assert "event_type" in warnings[1] and "renamed or removed" in warnings[1]


def test_tokens_never_reach_messages(client: Acled, acled_server: FakeAcled) -> None:
    client.token()
    acled_server.fault("/api/acled/read", "status", 503)
    client.http.tries = 1
    with pytest.raises(PullError) as err:
        _ids(client, {})
    text = str(err.value) + repr(client) + repr(client.http)
    assert TOKEN_PREFIX not in text and REFRESH_PREFIX not in text and PASSWORD not in text


def test_a_cache_readable_by_others_is_not_trusted(client: Acled, creds: Path) -> None:
    client.token()
    (cached,) = (creds / "geo").glob("acled-token-*.json")
    os.chmod(cached, 0o644)
    assert TokenCache(creds / "geo").load(client.base, "reporter@example.org") is None
    assert not cached.exists()
    json.dumps({})  # keep the import honest
