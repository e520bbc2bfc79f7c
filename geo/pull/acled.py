"""ACLED's API: the OAuth password grant, the events read page by page, the deletions.

The API this speaks (ACLED's since 2025; the key + e-mail routes are gone):

- ``POST {base}/oauth/token`` with ``username``, ``password``, ``grant_type=password`` and
  ``client_id=acled`` (or ``grant_type=refresh_token`` with ``refresh_token``) answers
  ``access_token``, ``refresh_token`` and ``expires_in`` (seconds).
- ``GET {base}/api/acled/read?_format=json`` with ``Authorization: Bearer TOKEN``, filters
  (``country=A|B``, ``event_date=A|B&event_date_where=BETWEEN``, ``event_type=...``,
  ``timestamp=T&timestamp_where=>=``), ``limit``/``page`` (at most 5,000 rows a page) and
  ``with_total=true`` (which adds ``count``, the page's rows, and ``total_count``, the
  query's); it answers ``{"data": [...]}`` with the fields of an ACLED export.
- ``GET {base}/api/deleted/read?_format=json`` with
  ``deleted_timestamp=T&deleted_timestamp_where=>=``: ``event_id_cnty`` and
  ``deleted_timestamp`` of the events deleted since a time.

The access token is cached (owner-only file, see :class:`TokenCache`) and refreshed with the
refresh token when it has expired; a 401 on a read gets one new token and one more try.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo._errors import Problem
from geo.pull._http import Http, PullError, base_url, credential

DEFAULT_URL = "https://acleddata.com"
URL_ENV = "GEO_ACLED_API_URL"
TOKEN_PATH, READ_PATH, DELETED_PATH = "/oauth/token", "/api/acled/read", "/api/deleted/read"
#: The client id of ACLED's password grant.
CLIENT_ID = "acled"
#: Rows a page: ACLED's maximum.
PAGE_LIMIT = 5000
#: What the manifest records as the API spoken.
API_VERSION = "ACLED API (OAuth, 2025): /api/acled/read, /api/deleted/read"
#: The fields of an ACLED export (and of the API's records): a record without one of them,
#: or with others, is schema drift, reported as a warning; nothing is dropped.
FIELDS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
#: Seconds before its stated expiry that a token is taken as expired (clocks differ).
EXPIRY_MARGIN = 60


def cache_dir() -> Path:
    """The user's cache directory for geo: ``$XDG_CACHE_HOME/geo`` (``~/.cache/geo``), on
    macOS ``~/Library/Caches/geo``, on Windows ``%LOCALAPPDATA%\\geo\\Cache``."""
    if sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return root / "geo" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "geo"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "geo"


@dataclass
class TokenCache:
    """ACLED tokens kept between runs, one file per API host and account, readable by its
    owner only (mode 0600, in a 0700 directory). Holds the tokens and their expiry, never
    the password; the account is named by a hash."""

    directory: Path = field(default_factory=cache_dir)

    def path(self, base: str, username: str) -> Path:
        key = hashlib.sha256(f"{base}\n{username}".encode()).hexdigest()[:16]
        return self.directory / f"acled-token-{key}.json"

    def load(self, base: str, username: str) -> dict[str, Any] | None:
        path = self.path(base, username)
        try:
            if path.stat().st_mode & 0o077:  # readable by others: not ours to trust
                path.unlink()
                return None
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return doc if isinstance(doc, dict) else None

    def save(self, base: str, username: str, doc: Mapping[str, Any]) -> None:
        path = self.path(base, username)
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(dict(doc), fh)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written costs one more sign-in next time

    def forget(self, base: str, username: str) -> None:
        self.path(base, username).unlink(missing_ok=True)


@dataclass
class Query:
    """What a pull asks ACLED for, in the build filters' vocabulary."""

    countries: Sequence[str] = ()
    start: str | None = None
    end: str | None = None
    types: Sequence[str] = ()

    def params(self) -> dict[str, str]:
        """The API's filter parameters."""
        out: dict[str, str] = {}
        if self.countries:
            out["country"] = "|".join(self.countries)
        if self.start or self.end:
            out["event_date"] = f"{self.start or '1997-01-01'}|{self.end or '2100-12-31'}"
            out["event_date_where"] = "BETWEEN"
        if self.types:
            out["event_type"] = "|".join(self.types)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "countries": list(self.countries),
            "start": self.start,
            "end": self.end,
            "types": list(self.types),
        }


@dataclass
class Page:
    """One page as read: its number, its records and what was wrong with it."""

    number: int
    records: list[dict[str, Any]]
    total: int | None = None
    problems: list[Problem] = field(default_factory=list)
    #: The number of pages the server announced (UCDP's ``TotalPages``), if it did.
    pages: int | None = None
    #: The next page's number as the server gave it (UCDP's ``NextPageUrl``): -1 when it
    #: said there is none, None when it did not say.
    next: int | None = None


@dataclass
class Acled:
    """A client of ACLED's API (see the module's docstring)."""

    http: Http
    base: str = DEFAULT_URL
    cache: TokenCache = field(default_factory=TokenCache)
    clock: Callable[[], float] = time.time
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    _token: dict[str, Any] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_env(
        cls, http: Http, api_url: str | None = None, cache: TokenCache | None = None
    ) -> Acled:
        base = base_url(api_url, URL_ENV, DEFAULT_URL)
        return cls(http, base, cache or TokenCache())

    # --- credentials and tokens -------------------------------------------------------

    def _user(self) -> str:
        if self.username is None:
            self.username = credential(
                "ACLED_USERNAME",
                "ACLED user name (e-mail)",
                secret=False,
                redactor=self.http.redactor,
            )
        return self.username

    def _password(self) -> str:
        if self.password is None:
            self.password = credential(
                "ACLED_PASSWORD", "ACLED password", secret=True, redactor=self.http.redactor
            )
        self.http.redactor.add(self.password)
        return self.password

    def token(self) -> str:
        """A valid access token: the cached one, a refreshed one, or a new sign-in."""
        if self._token is None:
            self._token = self.cache.load(self.base, self._user())
        doc = self._token
        if doc:
            self.http.redactor.add(doc.get("access_token"))
            self.http.redactor.add(doc.get("refresh_token"))
            if doc.get("expires_at", 0) - EXPIRY_MARGIN > self.clock() and doc.get("access_token"):
                return str(doc["access_token"])
            if doc.get("refresh_token"):
                fresh = self._grant(
                    {"grant_type": "refresh_token", "refresh_token": str(doc["refresh_token"])},
                    refusal_ok=True,
                )
                if fresh:
                    return fresh
        return self._sign_in()

    def _sign_in(self) -> str:
        form = {"username": self._user(), "password": self._password(), "grant_type": "password"}
        token = self._grant(form, refusal_ok=False)
        assert token is not None  # a refusal raised
        return token

    def _grant(self, form: dict[str, str], *, refusal_ok: bool) -> str | None:
        what = "ACLED sign-in" if form["grant_type"] == "password" else "ACLED token refresh"
        response = self.http.request(
            "POST", self.base + TOKEN_PATH, what=what, data={**form, "client_id": CLIENT_ID}
        )
        if response.status_code in (400, 401, 403):
            if refusal_ok:
                return None
            msg = (
                f"{what}: ACLED refused the user name and password ({response.status_code}); "
                "check ACLED_USERNAME and ACLED_PASSWORD"
            )
            raise PullError(self.http.redactor(msg))
        if response.status_code != 200:
            raise self.http.error(response, what)
        doc = self.http.json(response, what)
        access = doc.get("access_token") if isinstance(doc, dict) else None
        if not isinstance(access, str) or not access:
            raise PullError(f"{what}: the answer has no access_token")
        self.http.redactor.add(access)
        refresh = doc.get("refresh_token")
        if isinstance(refresh, str):
            self.http.redactor.add(refresh)
        try:
            lifetime = float(doc.get("expires_in", 3600))
        except (TypeError, ValueError):
            lifetime = 3600.0
        self._token = {
            "access_token": access,
            "refresh_token": refresh if isinstance(refresh, str) else None,
            "expires_at": self.clock() + lifetime,
        }
        self.cache.save(self.base, self._user(), self._token)
        return access

    def _get(self, path: str, params: Mapping[str, str], what: str) -> Any:
        """GET an API path as JSON; a 401 gets a new sign-in and one more try."""
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token()}", "Accept": "application/json"}
            response = self.http.request(
                "GET", self.base + path, what=what, params=params, headers=headers
            )
            if response.status_code == 401 and attempt == 1:
                self._token = None
                self.cache.forget(self.base, self._user())
                self._sign_in()
                continue
            if response.status_code == 401:
                msg = f"{what}: ACLED refused the access token twice (401); check your account's access"
                raise PullError(self.http.redactor(msg))
            if response.status_code != 200:
                raise self.http.error(response, what)
            return self.http.json(response, what)
        raise AssertionError("unreachable")  # pragma: no cover

    # --- reading ----------------------------------------------------------------------

    def page(self, params: Mapping[str, str], number: int, path: str = READ_PATH) -> Page:
        """One page of ``path`` (the events, or the deletions), validated."""
        what = f"ACLED {'deletions ' if path == DELETED_PATH else ''}page {number}"
        full = {**params, "_format": "json", "limit": str(PAGE_LIMIT), "page": str(number)}
        if path == READ_PATH:
            full["with_total"] = "true"
        doc = self._get(path, full, what)
        return check_page(doc, number, what, id_field="event_id_cnty")

    def pages(
        self, params: Mapping[str, str], *, first: int = 1, path: str = READ_PATH, held: int = 0
    ) -> Iterator[Page]:
        """Pages from ``first`` to the end: until a page is empty, or shorter than the limit
        once the announced total (``held`` rows already read) is reached."""
        number, got = first, held
        while True:
            page = self.page(params, number, path)
            yield page
            got += len(page.records)
            if not page.records:
                return
            short = len(page.records) < PAGE_LIMIT
            if short and (page.total is None or got >= page.total):
                return
            number += 1


def check_page(doc: Any, number: int, what: str, *, id_field: str) -> Page:
    """A page's records and problems: the answer must be an object with a ``data`` list;
    each record an object with its id. Bad records are reported with page and record."""
    if isinstance(doc, dict) and doc.get("success") is False:
        message = doc.get("error") or doc.get("message") or "no reason given"
        raise PullError(f"{what}: ACLED answered with an error: {str(message)[:300]}")
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, list):
        raise PullError(f"{what}: the answer has no 'data' list; accepted: ACLED's JSON answer")
    # with_total=true adds "count" (rows of this page) and "total_count" (rows the query
    # selects, whatever the limit and page): ACLED's announcement of the parameter
    value = doc.get("total_count")
    total = int(value) if isinstance(value, int | str) and str(value).isdigit() else None
    records, problems = [], []
    for i, record in enumerate(data, start=1):
        where = f"record {i}"
        if not isinstance(record, dict):
            problems.append(Problem(what, where, "", record, "not a JSON object"))
            continue
        ident = record.get(id_field)
        if not isinstance(ident, str | int) or not str(ident).strip():
            problems.append(Problem(what, where, id_field, ident, "missing event id"))
            continue
        records.append({k: _text(v) for k, v in record.items()})
    return Page(number, records, total, problems)


def _text(value: Any) -> str:
    """A record's value as the text an export holds (the API's own are text already)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def drift(
    records: Sequence[Mapping[str, Any]], fields: Sequence[str] = FIELDS, source: str = "ACLED"
) -> list[str]:
    """Warnings about fields new to the API's records, and fields missing from them."""
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record))
    new = [f for f in seen if f not in fields]
    gone = [f for f in fields if f not in seen]
    out = []
    if new:
        out.append(
            f"{source}'s records have new field(s) {new}: kept in the snapshot's source columns"
        )
    if gone and records:
        out.append(
            f"{source}'s records lack field(s) {gone} (renamed or removed?): what they fill is empty"
        )
    return out


def unix_seconds(iso: str) -> int:
    """An ISO time (the manifest's access time) as Unix seconds, ACLED's ``timestamp``."""
    when = dt.datetime.fromisoformat(iso)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return int(when.timestamp())
