"""The HTTP client of every pull: timeouts, retries with back-off, credentials, redaction.

Built on httpx. A request that meets 429 or a 5xx answer (or a dropped connection) is tried
again after a back-off that doubles each time, or after the server's ``Retry-After`` when it
gives one, never longer than :data:`MAX_WAIT` seconds; the sleep is injectable so that tests
run at once. Every secret the client holds (a password, a token) is registered with a
:class:`Redactor`, and every message a pull raises or prints goes through it.
"""

from __future__ import annotations

import email.utils
import getpass
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from geo._errors import InputError

#: Seconds to wait for a connection, and for each read of an answer.
CONNECT_TIMEOUT, READ_TIMEOUT = 10.0, 60.0
#: Tries of one request in all (the first and the retries).
TRIES = 6
#: The first back-off, in seconds; it doubles with each retry.
BACKOFF = 1.0
#: The longest wait before a retry, whatever ``Retry-After`` asks.
MAX_WAIT = 120.0
#: Statuses worth another try: too many requests, and the server's own failures.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class PullError(InputError):
    """A pull that cannot go on: the message says why and what to do (already redacted)."""


class Redactor:
    """Replaces every registered secret in a text by ``***``."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, secret: str | None) -> None:
        """Remember ``secret`` (texts of fewer than 4 characters would hide ordinary words)."""
        if secret and len(secret) >= 4:
            self._secrets.add(secret)

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secrets)"


def base_url(given: str | None, env: str, default: str) -> str:
    """``scheme://host[:port]`` of the API: ``given`` (``--api-url``), else ``$env``, else
    ``default``. Only the scheme and host are replaced; the documented paths are kept, so a
    URL with a path, query or credentials is refused."""
    text = given or os.environ.get(env) or default
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        msg = f"API URL {text!r} is not an http(s) address; give scheme and host, e.g. {default}"
        raise PullError(msg)
    if parts.username or parts.password:
        msg = "the API URL must not hold credentials; give them in the environment instead"
        raise PullError(msg)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        msg = (
            f"API URL {text!r} has a path or query; give the scheme and host only "
            f"(e.g. {default}): the documented paths are added to it"
        )
        raise PullError(msg)
    return f"{parts.scheme}://{parts.netloc}"


def credential(env: str, prompt: str, *, secret: bool, redactor: Redactor) -> str:
    """A credential from ``$env``, else asked on the terminal (hidden when ``secret``).

    Never from a command-line argument. Without a terminal (cron, CI) a missing variable is
    an error naming it.
    """
    value = os.environ.get(env, "")
    if not value and sys.stdin is not None and sys.stdin.isatty():
        try:
            value = getpass.getpass(f"{prompt}: ") if secret else input(f"{prompt}: ")
        except EOFError:
            value = ""
    value = value.strip()
    if not value:
        msg = (
            f"no {prompt.lower()}: set {env} in the environment (or run on a terminal to be asked)"
        )
        raise PullError(msg)
    if secret:
        redactor.add(value)
    return value


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number of seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:  # pragma: no cover - older Pythons
        return None
    return max(0.0, when.timestamp() - now)


def _sleep(seconds: float) -> None:
    """The wait between tries (a module function, so that tests can replace it)."""
    time.sleep(seconds)


@dataclass
class Http:
    """One HTTP session of a pull.

    Attributes
    ----------
    redactor : Redactor
        The secrets kept out of every message.
    sleep : callable
        How to wait between tries (tests give one that only records).
    say : callable
        Where notes go (retries, waits); the command line prints them on stderr.
    """

    redactor: Redactor = field(default_factory=Redactor)
    sleep: Callable[[float], None] = field(default_factory=lambda: _sleep)
    say: Callable[[str], None] = lambda _message: None
    tries: int = TRIES
    backoff: float = BACKOFF
    max_wait: float = MAX_WAIT
    transport: httpx.BaseTransport | None = None
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
                follow_redirects=False,
                transport=self.transport,
                headers={"User-Agent": "geo (conflict maps; +pull)"},
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def request(
        self,
        method: str,
        url: str,
        *,
        what: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """The answer to a request, after retrying 429, 5xx and dropped connections.

        Any other status is returned for the caller to judge. ``what`` names the request in
        messages ("ACLED page 3"). Raises :class:`PullError` when the tries run out.
        """
        last = ""
        for attempt in range(1, self.tries + 1):
            try:
                response = self.client().request(
                    method, url, params=params, data=data, headers=headers
                )
            except httpx.TimeoutException:
                last = "the server did not answer in time"
                wait = self._backoff(attempt)
            except httpx.TransportError as exc:
                last = f"the connection failed ({type(exc).__name__}: {exc})"
                wait = self._backoff(attempt)
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                last = f"the server answered {response.status_code} {response.reason_phrase}"
                asked = retry_after(response.headers.get("Retry-After"), time.time())
                wait = self._backoff(attempt) if asked is None else min(asked, self.max_wait)
                response.close()
            if attempt == self.tries:
                break
            self.say(self.redactor(f"{what}: {last}; trying again in {wait:g} s"))
            self.sleep(wait)
        msg = f"{what}: {last}, {self.tries} times; try again later"
        raise PullError(self.redactor(msg))

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff * 2 ** (attempt - 1), self.max_wait)

    def json(self, response: httpx.Response, what: str) -> Any:
        """The answer's JSON, or a :class:`PullError` saying where it broke off."""
        text = response.text
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            msg = (
                f"{what}: the answer is not complete JSON ({exc.msg} at character {exc.pos:,} "
                f"of {len(text):,}); the server may have cut it off. Run the pull again: the "
                "pages already fetched are kept"
            )
            raise PullError(self.redactor(msg)) from None

    def error(self, response: httpx.Response, what: str) -> PullError:
        """A :class:`PullError` for an answer that is not a success."""
        body = " ".join(response.text.split())[:200]
        msg = f"{what}: the server answered {response.status_code} {response.reason_phrase}"
        return PullError(self.redactor(f"{msg}: {body}" if body else msg))
