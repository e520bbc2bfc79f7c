"""A local stand-in for ACLED's API on 127.0.0.1 (port 0, in a thread), from small fixtures.

It implements the documented contract the client relies on: the OAuth password and refresh
grants at ``/oauth/token``, ``/api/acled/read`` (``country`` and ``event_type`` with ``|``
for OR, ``event_date`` BETWEEN, ``timestamp`` >=, ``limit``/``page``, ``with_total``) and
``/api/deleted/read``. Records are the rows of ``tests/data/acled_export.csv`` (ACLED's own
field names), as text, as the API gives them. Faults are queued per path: a status (with
headers), a truncated body, a page that ends early, extra records.
"""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.pull._http import Http
from geo.pull.acled import Acled, TokenCache

DATA = Path(__file__).resolve().parents[1] / "data"
USERNAME = "reporter@example.org"
PASSWORD = "FIXTURE-pa55word-XYZZY"
TOKEN_PREFIX = "FIXTURE-ACCESS-TOKEN-"
REFRESH_PREFIX = "FIXTURE-REFRESH-TOKEN-"


def export_rows() -> list[dict[str, str]]:
    """The export's rows, and two more copies of each under new ids and years (12 events)."""
    with open(DATA / "acled_export.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    more = []
    for k in (1, 2):
        for i, row in enumerate(rows):
            copy = dict(row, event_id_cnty=f"{row['event_id_cnty'][:3]}{k}{i:03d}")
            copy["event_date"] = _iso(row["event_date"]).replace(row["year"], str(2024 + k), 1)
            copy["year"] = str(2024 + k)
            more.append(copy)
    return rows + more


@dataclass
class FakeAcled:
    """The server's state; tests change it between pulls."""

    events: list[dict[str, str]] = field(default_factory=export_rows)
    deleted: list[dict[str, str]] = field(default_factory=list)
    page_limit: int = 5000
    expires_in: int = 3600
    faults: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str], dict[str, str]]] = field(default_factory=list)
    issued: int = 0
    valid: set[str] = field(default_factory=set)
    refresh: set[str] = field(default_factory=set)
    url: str = ""

    def fault(self, path: str, *fault: Any) -> None:
        self.faults.setdefault(path, []).append(fault)

    def expire_tokens(self) -> None:
        self.valid.clear()

    def issue(self) -> dict[str, Any]:
        self.issued += 1
        access, refresh = f"{TOKEN_PREFIX}{self.issued}", f"{REFRESH_PREFIX}{self.issued}"
        self.valid.add(access)
        self.refresh.add(refresh)
        return {"access_token": access, "refresh_token": refresh, "expires_in": self.expires_in}

    def select(self, q: dict[str, str]) -> list[dict[str, str]]:
        rows = list(self.events)
        if "country" in q:
            rows = [r for r in rows if r["country"] in q["country"].split("|")]
        if "event_type" in q:
            rows = [r for r in rows if r["event_type"] in q["event_type"].split("|")]
        if "event_date" in q:
            lo, hi = q["event_date"].split("|")
            rows = [r for r in rows if lo <= _iso(r["event_date"]) <= hi]
        if "timestamp" in q:
            rows = [r for r in rows if int(r["timestamp"]) >= int(q["timestamp"])]
        return rows


def _iso(text: str) -> str:
    import datetime as dt

    for layout in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, layout).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return text


class _Handler(BaseHTTPRequestHandler):
    state: FakeAcled

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, doc: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(doc).encode(), headers)

    def _fault(self, path: str) -> tuple[Any, ...] | None:
        queue = self.state.faults.get(path)
        return queue.pop(0) if queue else None

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        self.state.requests.append(("POST", path, form, dict(self.headers)))
        if path != "/oauth/token":
            return self._json(404, {"error": "not found"})
        fault = self._fault(path)
        if fault and fault[0] == "status":
            return self._json(fault[1], {"error": "fault"}, fault[2] if len(fault) > 2 else {})
        if form.get("client_id") != "acled":
            return self._json(400, {"error": "invalid_client"})
        grant = form.get("grant_type")
        if grant == "password":
            if form.get("username") == USERNAME and form.get("password") == PASSWORD:
                return self._json(200, self.state.issue())
            return self._json(400, {"error": "invalid_grant"})
        if grant == "refresh_token" and form.get("refresh_token") in self.state.refresh:
            self.state.refresh.discard(form["refresh_token"])
            return self._json(200, self.state.issue())
        return self._json(400, {"error": "invalid_grant"})

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.state.requests.append(("GET", parts.path, q, dict(self.headers)))
        auth = self.headers.get("Authorization", "")
        if parts.path not in ("/api/acled/read", "/api/deleted/read"):
            return self._json(404, {"error": "not found"})
        fault = self._fault(parts.path)
        if fault and fault[0] == "status":
            return self._json(fault[1], {"error": "fault"}, fault[2] if len(fault) > 2 else {})
        if not auth.startswith("Bearer ") or auth[7:] not in self.state.valid:
            return self._json(401, {"message": "Unauthorized"})
        limit = min(int(q.get("limit", 5000)), self.state.page_limit)
        page = int(q.get("page", 1))
        if parts.path == "/api/deleted/read":
            if q.get("deleted_timestamp_where", ">=") != ">=":
                return self._json(400, {"error": "deleted_timestamp_where: >= expected here"})
            since = int(q.get("deleted_timestamp", 0))
            rows = [d for d in self.state.deleted if int(d["deleted_timestamp"]) >= since]
        else:
            rows = self.state.select(q)
        chunk = rows[(page - 1) * limit : page * limit]
        if fault and fault[0] == "short":  # a page that ends early
            chunk = chunk[: fault[1]]
        if fault and fault[0] == "extra":  # records added to this page (duplicates, bad ones)
            chunk = [*chunk, *fault[1]]
        doc: dict[str, Any] = {"status": 200, "success": True, "data": chunk}
        if q.get("with_total") == "true":  # both counts only when asked for (since 2026)
            doc["count"], doc["total_count"] = len(chunk), len(rows)
        body = json.dumps(doc).encode()
        if fault and fault[0] == "truncate":
            body = body[: len(body) // 2]
        return self._send(200, body)


@pytest.fixture
def acled_server() -> Iterator[FakeAcled]:
    state = FakeAcled()
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def creds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The fixture account in the environment, the user cache in tmp_path; returns it."""
    monkeypatch.setenv("ACLED_USERNAME", USERNAME)
    monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GEO_ACLED_API_URL", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def client(acled_server: FakeAcled, creds: Path, waits: list[float]) -> Acled:
    http = Http(sleep=waits.append)
    return Acled.from_env(http, acled_server.url, TokenCache(creds / "geo"))


# --- UCDP ---------------------------------------------------------------------------------

UCDP_TOKEN = "FIXTURE-UCDP-TOKEN-QWERTY"


def ged_rows() -> list[dict[str, str]]:
    with open(DATA / "ucdp_ged_export.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class FakeUcdp:
    """GED versions by name; faults queued as for ACLED."""

    versions: dict[str, list[dict[str, str]]] = field(default_factory=lambda: {"25.1": ged_rows()})
    page_size: int = 1000
    faults: list[tuple[Any, ...]] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)
    url: str = ""
    #: The number of the first page (a server counting from 1 answers page 0 as page 1).
    base: int = 0


class _UcdpHandler(_Handler):
    ucdp: FakeUcdp

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.ucdp.requests.append((parts.path, q, dict(self.headers)))
        prefix = "/api/gedevents/"
        if not parts.path.startswith(prefix):
            return self._json(404, {"error": "not found"})
        if self.ucdp.faults:
            fault = self.ucdp.faults.pop(0)
            if fault[0] == "status":
                return self._json(fault[1], {"error": "fault"}, fault[2] if len(fault) > 2 else {})
        if self.headers.get("x-ucdp-access-token") != UCDP_TOKEN:
            return self._json(401, {"error": "a valid x-ucdp-access-token is required"})
        rows = self.ucdp.versions.get(parts.path[len(prefix) :])
        if rows is None:
            return self._json(404, {"error": "no such version"})
        if "Country" in q:
            rows = [r for r in rows if r["country_id"] in q["Country"].split(",")]
        if "StartDate" in q:
            rows = [r for r in rows if r["date_start"][:10] >= q["StartDate"]]
        if "EndDate" in q:
            rows = [r for r in rows if r["date_start"][:10] <= q["EndDate"]]
        size = min(int(q.get("pagesize", 100)), self.ucdp.page_size)
        page = max(int(q.get("page", 0)), self.ucdp.base)
        index = page - self.ucdp.base
        pages = max(1, -(-len(rows) // size))
        doc = {
            "TotalCount": len(rows),
            "TotalPages": pages,
            "PreviousPageUrl": "",
            "NextPageUrl": f"https://ucdpapi.pcr.uu.se{parts.path}?pagesize={size}&page={page + 1}"
            if index + 1 < pages
            else "",
            "Result": rows[index * size : (index + 1) * size],
        }
        return self._json(200, doc)


@pytest.fixture
def ucdp_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeUcdp]:
    state = FakeUcdp()
    handler = type("UcdpHandler", (_UcdpHandler,), {"ucdp": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("UCDP_API_TOKEN", UCDP_TOKEN)
    monkeypatch.setenv("GEO_UCDP_API_URL", state.url)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
