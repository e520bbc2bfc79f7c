"""UCDP's API: GED events of one dataset version, page by page, with an access token.

The API this speaks: ``GET {base}/api/gedevents/{version}?pagesize=N&page=P`` (at most
1,000 rows a page; ``Country`` takes Gleditsch–Ward codes, several joined with commas;
``StartDate``/``EndDate`` as ``YYYY-MM-DD``), with the header ``x-ucdp-access-token``
(required since February 2026). It answers ``TotalCount``, ``TotalPages``,
``NextPageUrl`` and ``Result`` (the records, with the fields of a GED export). A versioned
call returns the same data indefinitely, so an update is a pull of a newer version.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo._errors import Problem
from geo.pull._http import Http, PullError, base_url, credential
from geo.pull.acled import Page, _text

DEFAULT_URL = "https://ucdpapi.pcr.uu.se"
URL_ENV = "GEO_UCDP_API_URL"
TOKEN_ENV = "UCDP_API_TOKEN"
PAGE_SIZE = 1000
API_VERSION = "UCDP API: /api/gedevents/{version} (x-ucdp-access-token)"
#: The fields of a GED export (and of the API's records): others, or missing ones, are
#: schema drift, reported as a warning; nothing is dropped.
FIELDS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip
#: Gleditsch–Ward codes of the region's countries, by name (the API takes the codes).
COUNTRY_CODES = {
    "afghanistan": "700",
    "pakistan": "770",
    "iran": "630",
    "india": "750",
    "china": "710",
    "tajikistan": "702",
    "turkmenistan": "701",
    "uzbekistan": "704",
    "qatar": "694",
}


def gw_code(name: str) -> str:
    """A country's Gleditsch–Ward code, from its name or the code itself."""
    text = name.strip()
    if text.isdigit():
        return text
    try:
        return COUNTRY_CODES[text.lower()]
    except KeyError:
        known = ", ".join(n.title() for n in COUNTRY_CODES)
        msg = f"--country {name!r}: no Gleditsch–Ward code known; give the code, or one of {known}"
        raise PullError(msg) from None


#: The version forms accepted, for messages.
VERSION_FORMS = (
    "a yearly GED release such as 25.1; a monthly candidate release YY.0.M such as 25.0.9 "
    "(September 2025); a quarterly candidate release YY.01.YY.MM such as 25.01.25.09 "
    "(January to September 2025)"
)


def release(version: str) -> dict[str, Any]:
    """What a GED version names, by UCDP's version forms: ``YY.N`` a yearly (final)
    release; ``YY.0.M`` the monthly candidate events of month M of 20YY; ``YY.01.YY.MM``
    the quarterly candidate release covering January to month MM of 20YY. Returns
    ``{"version", "candidate", "cadence", "covers"}`` (``covers``: first and last day,
    for a candidate release). Raises PullError for any other text."""
    import calendar

    text = version.strip()
    parts = text.split(".")
    if not text or not all(p.isdigit() for p in parts) or len(parts) not in (2, 3, 4):
        raise PullError(
            f"--ged-version {version!r} is not a GED version; accepted: {VERSION_FORMS}"
        )
    if len(parts) == 2:
        return {"version": text, "candidate": False, "cadence": "yearly", "covers": None}
    year = 2000 + int(parts[0])
    if len(parts) == 3 and parts[1] == "0" and 1 <= int(parts[2]) <= 12:
        month, first, cadence = int(parts[2]), int(parts[2]), "monthly"
    elif len(parts) == 4 and parts[1] == "01" and parts[2] == parts[0] and 1 <= int(parts[3]) <= 12:
        month, first, cadence = int(parts[3]), 1, "quarterly"
    else:
        raise PullError(
            f"--ged-version {version!r} is not a GED version; accepted: {VERSION_FORMS}"
        )
    last = calendar.monthrange(year, month)[1]
    covers = [f"{year:04d}-{first:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"]
    return {"version": text, "candidate": True, "cadence": cadence, "covers": covers}


def path_of(version: str) -> str:
    return f"/api/gedevents/{release(version)['version']}"


@dataclass
class UcdpQuery:
    """What a pull asks UCDP for."""

    version: str
    countries: Sequence[str] = ()
    start: str | None = None
    end: str | None = None

    def params(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.countries:
            out["Country"] = ",".join(gw_code(c) for c in self.countries)
        if self.start:
            out["StartDate"] = self.start
        if self.end:
            out["EndDate"] = self.end
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "countries": list(self.countries),
            "start": self.start,
            "end": self.end,
        }


@dataclass
class Ucdp:
    """A client of UCDP's GED API."""

    http: Http
    base: str = DEFAULT_URL
    version: str = ""
    _token: str | None = None

    @classmethod
    def from_env(cls, http: Http, version: str, api_url: str | None = None) -> Ucdp:
        return cls(http, base_url(api_url, URL_ENV, DEFAULT_URL), version)

    def __repr__(self) -> str:
        return f"Ucdp(base={self.base!r}, version={self.version!r})"

    def token(self) -> str:
        if self._token is None:
            self._token = credential(
                TOKEN_ENV, "UCDP API token", secret=True, redactor=self.http.redactor
            )
        return self._token

    def page(self, params: Mapping[str, str], number: int) -> Page:
        what = f"UCDP page {number}"
        full = {**params, "pagesize": str(PAGE_SIZE), "page": str(number)}
        response = self.http.request(
            "GET",
            self.base + path_of(self.version),
            what=what,
            params=full,
            headers={"x-ucdp-access-token": self.token(), "Accept": "application/json"},
        )
        if response.status_code in (401, 403):
            msg = (
                f"{what}: UCDP refused the access token ({response.status_code}); check {TOKEN_ENV}"
            )
            raise PullError(self.http.redactor(msg))
        if response.status_code == 404:
            msg = f"{what}: UCDP has no GED version {self.version!r} (404)"
            raise PullError(msg)
        if response.status_code != 200:
            raise self.http.error(response, what)
        return check_page(self.http.json(response, what), number, what)

    def pages(
        self, params: Mapping[str, str], *, first: int = 0, path: str = "", held: int = 0
    ) -> Iterator[Page]:
        """Pages from ``first`` (UCDP counts from 0) to the last: the one whose
        ``NextPageUrl`` is empty, else page ``TotalPages - 1``, or an empty page. When
        ``NextPageUrl`` names the next page, its number is the one asked for next (only the
        number: the address stays the configured one)."""
        number = first
        while True:
            page = self.page(params, number)
            yield page
            if not page.records or page.next == -1:
                return
            if page.next is not None and page.next > number:
                number = page.next
                continue
            if page.pages is not None and number + 1 >= page.pages:
                return
            number += 1


def check_page(doc: Any, number: int, what: str) -> Page:
    """A page's records (``Result``) and problems; each record must have its ``id``."""
    result = doc.get("Result") if isinstance(doc, dict) else None
    if not isinstance(result, list):
        raise PullError(f"{what}: the answer has no 'Result' list; accepted: UCDP's JSON answer")
    total = doc.get("TotalCount")
    pages = doc.get("TotalPages")
    records, problems = [], []
    for i, record in enumerate(result, start=1):
        where = f"record {i}"
        if not isinstance(record, dict):
            problems.append(Problem(what, where, "", record, "not a JSON object"))
            continue
        ident = record.get("id")
        if not isinstance(ident, str | int) or not str(ident).strip():
            problems.append(Problem(what, where, "id", ident, "missing event id"))
            continue
        records.append({k: _text(v) for k, v in record.items()})
    page = Page(number, records, total if isinstance(total, int) else None, problems)
    page.pages = pages if isinstance(pages, int) else None
    page.next = _next_page(doc.get("NextPageUrl"))
    return page


def _next_page(url: Any) -> int | None:
    """The page number ``NextPageUrl`` names: -1 for an empty one (no next page), None when
    it is missing or names no number."""
    from urllib.parse import parse_qs, urlsplit

    if url == "":
        return -1
    if not isinstance(url, str):
        return None
    found = parse_qs(urlsplit(url).query).get("page", [""])[0]
    return int(found) if found.isdigit() else None
