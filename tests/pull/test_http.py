"""geo.pull._http: retries, Retry-After, base URLs, credentials, redaction."""

from __future__ import annotations

import httpx
import pytest

from geo.pull._http import Http, PullError, Redactor, base_url, credential, retry_after


def _transport(answers: list[httpx.Response]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    return httpx.MockTransport(handler)


def test_429_waits_what_retry_after_asks_within_the_cap() -> None:
    waits: list[float] = []
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(429, headers={"Retry-After": "9999"}),
        httpx.Response(200, json={"ok": 1}),
    ]
    http = Http(sleep=waits.append, transport=_transport(answers), max_wait=30)
    response = http.request("GET", "http://127.0.0.1:9/x", what="test")
    assert response.status_code == 200
    assert waits == [7, 30]


def test_5xx_backs_off_doubling_then_gives_up_with_a_clear_message() -> None:
    waits: list[float] = []
    answers = [httpx.Response(500) for _ in range(4)]
    http = Http(sleep=waits.append, transport=_transport(answers), tries=4, backoff=1)
    with pytest.raises(PullError, match=r"test: the server answered 500 .*4 times"):
        http.request("GET", "http://127.0.0.1:9/x", what="test")
    assert waits == [1, 2, 4]


def test_other_statuses_are_the_callers() -> None:
    http = Http(sleep=lambda _: None, transport=_transport([httpx.Response(404)]))
    assert http.request("GET", "http://127.0.0.1:9/x", what="t").status_code == 404


def test_a_dropped_connection_is_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("refused")
        return httpx.Response(200)

    http = Http(sleep=lambda _: None, transport=httpx.MockTransport(handler))
    assert http.request("GET", "http://127.0.0.1:9/x", what="t").status_code == 200


def test_retry_after_as_seconds_or_http_date() -> None:
    assert retry_after("12", 0) == 12
    assert retry_after("Wed, 21 Oct 2015 07:28:10 GMT", 1445412480) == 10
    assert retry_after("soon", 0) is None
    assert retry_after(None, 0) is None


def test_truncated_json_names_where_it_broke_off() -> None:
    http = Http()
    response = httpx.Response(200, content=b'{"data": [{"a": ')
    with pytest.raises(PullError, match=r"page 3: the answer is not complete JSON"):
        http.json(response, "page 3")


def test_base_url_replaces_scheme_and_host_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEO_X", raising=False)
    assert base_url(None, "GEO_X", "https://acleddata.com") == "https://acleddata.com"
    monkeypatch.setenv("GEO_X", "http://127.0.0.1:8080/")
    assert base_url(None, "GEO_X", "https://acleddata.com") == "http://127.0.0.1:8080"
    assert base_url("https://mirror.example", "GEO_X", "https://a") == "https://mirror.example"
    for bad in ("ftp://x", "https://x/api", "https://u:p@x", "x"):
        with pytest.raises(PullError):
            base_url(bad, "GEO_X", "https://a")


def test_credentials_come_from_the_environment_else_fail_without_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    redactor = Redactor()
    monkeypatch.setenv("GEO_SECRET", "hunter2-long")
    assert credential("GEO_SECRET", "Password", secret=True, redactor=redactor) == "hunter2-long"
    assert redactor("the hunter2-long leaked") == "the *** leaked"
    monkeypatch.delenv("GEO_SECRET")
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(PullError, match="set GEO_SECRET in the environment"):
        credential("GEO_SECRET", "Password", secret=True, redactor=redactor)


def test_a_prompt_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("GEO_SECRET", raising=False)
    monkeypatch.setattr("sys.stdin", Tty())
    monkeypatch.setattr("getpass.getpass", lambda prompt: "typed-secret")
    redactor = Redactor()
    assert credential("GEO_SECRET", "Password", secret=True, redactor=redactor) == "typed-secret"
    assert "typed-secret" not in redactor("x typed-secret")
    assert "secrets" in repr(redactor) and "typed" not in repr(redactor)


def test_retry_notes_and_errors_are_redacted() -> None:
    notes: list[str] = []
    http = Http(sleep=lambda _: None, say=notes.append, tries=2,
                transport=_transport([httpx.Response(503), httpx.Response(503)]))  # fmt: skip
    http.redactor.add("TOPSECRET")
    with pytest.raises(PullError) as err:
        http.request("GET", "http://127.0.0.1:9/x", what="page TOPSECRET")
    assert "TOPSECRET" not in str(err.value) and "TOPSECRET" not in " ".join(notes)
