"""A pull from start to end: pages (resumable), records merged, the snapshot written.

:func:`pull_acled` is what ``geo pull acled`` runs. Every page is saved in the store's
``.partial`` folder as it arrives, so a pull that stops (a network failure, a truncated
answer, Ctrl-C) starts again where it stopped when run again with the same query; the
snapshot and manifest are written only once every page is in.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from geo._errors import Problem
from geo._progress import advance, step
from geo.pull import store as st
from geo.pull._http import PullError
from geo.pull.acled import (
    API_VERSION,
    DELETED_PATH,
    READ_PATH,
    Acled,
    Page,
    Query,
    drift,
    unix_seconds,
)
from geo.pull.ucdp import API_VERSION as API_VERSION_UCDP
from geo.pull.ucdp import FIELDS as UCDP_FIELDS
from geo.pull.ucdp import Ucdp, UcdpQuery, release


@dataclass
class Result:
    """What a pull did, for the summary line and the tests."""

    entry: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    resumed: int = 0
    changed: int = 0
    deleted: int = 0


def _now(clock: Callable[[], float]) -> str:
    return dt.datetime.fromtimestamp(clock(), tz=dt.UTC).isoformat(timespec="seconds")


def _fetch(
    client: Any,
    store: Path,
    params: Mapping[str, str],
    *,
    mode: str,
    path: str = READ_PATH,
    kind: str = "page",
    source: str = "acled",
    first_page: int = 1,
    key_params: Mapping[str, str] | None = None,
) -> tuple[list[Page], int]:
    """Every page of a query, the saved ones of an interrupted pull first; and how many of
    them were saved ones. ``client`` has ``pages(params, first=, path=, held=)``."""
    key = st.partial_key(source, params if key_params is None else key_params, mode)
    pages = []
    for d in st.saved_pages(store, key, kind):
        problems = [Problem(**p) for p in d["problems"]]
        pages.append(Page(d["number"], d["records"], d.get("total"), problems, d.get("pages")))
    resumed = len(pages)
    last = pages[-1] if pages else None
    if last is not None and (
        not last.records or (last.pages is not None and last.number + 1 >= last.pages)
    ):
        return pages, resumed  # the end was reached before the stop
    held = sum(len(p.records) for p in pages)
    first = last.number + 1 if last else first_page
    label = source.upper() + (" deletions" if kind != "page" else "")
    for page in client.pages(params, first=first, path=path, held=held):
        step(f"{label} page {page.number}", total=None)
        advance()
        doc = {
            "number": page.number,
            "records": page.records,
            "total": page.total,
            "pages": page.pages,
            "problems": [asdict(p) for p in page.problems],
        }
        st.save_page(store, key, doc, kind)
        pages.append(page)
    return pages, resumed


def _merge(
    pages: list[Page],
    warnings: list[str],
    id_field: str = "event_id_cnty",
    source: str = "ACLED",
    places: dict[str, tuple[str, str]] | None = None,
) -> dict[str, dict[str, str]]:
    """Records by id across pages; a repeated id keeps its latest version (by ACLED's
    ``timestamp``, then by page), and the repeats are counted in a warning. ``places``
    gets the page and record each kept version came from."""
    out: dict[str, dict[str, str]] = {}
    places = {} if places is None else places
    same = differ = 0
    for page in pages:
        # the record numbers of the answer (records refused on the page are counted too)
        numbers = _record_numbers(page)
        for record, number in zip(page.records, numbers, strict=True):
            ident = str(record[id_field]).strip()
            place = (f"{source} page {page.number}", f"record {number}")
            old = out.get(ident)
            if old is None:
                out[ident], places[ident] = record, place
                continue
            if old == record:
                same += 1
                continue
            differ += 1
            if _stamp(record) >= _stamp(old):
                out[ident], places[ident] = record, place
    if same or differ:
        warnings.append(
            f"{same + differ} event id(s) came twice across pages ({same} identical, {differ} "
            "different: the latest version by timestamp kept); each event is kept once"
        )
    totals = [p.total for p in pages if p.total is not None]
    total = max(totals) if totals else None
    if total is not None and len(out) < total:
        warnings.append(
            f"{source} announced {total:,} events for the query but gave {len(out):,}: pages "
            "ended early; run the pull again later to complete it"
        )
    return out


def _record_numbers(page: Page) -> list[int]:
    """The number of each kept record in its page's answer (refused ones left out)."""
    refused = {int(p.where.removeprefix("record ")) for p in page.problems}
    numbers: list[int] = []
    n = 0
    while len(numbers) < len(page.records):
        n += 1
        if n not in refused:
            numbers.append(n)
    return numbers


def _stamp(record: Mapping[str, str]) -> int:
    text = str(record.get("timestamp", "")).strip()
    return int(text) if text.isdigit() else 0


def _latest_of(store: Path, source: str, name: str) -> dict[str, Any]:
    """The store's latest snapshot, which ``--update`` builds on; it must hold ``source``."""
    found = st.snapshots(store)
    if not found:
        msg = f"{store}: --update needs a store with a snapshot; run without --update first"
        raise PullError(msg)
    prev = found[-1]
    if prev.get("source") != source:
        raise PullError(f"{store}: the store holds {prev.get('source')} data, not {name}")
    return prev


def pull_acled(
    client: Acled,
    store: str | Path,
    query: Query,
    *,
    update: bool = False,
    clock: Callable[[], float] = time.time,
) -> Result:
    """Pull ACLED into ``store``: everything the query selects, or with ``update`` what
    changed and what was deleted since the latest snapshot (whose query is used again)."""
    store = Path(store)
    accessed = _now(clock)  # before the first request: a change during the pull comes next time
    warnings: list[str] = []
    places: dict[str, tuple[str, str]] = {}
    if update:
        prev = _latest_of(store, "acled", "ACLED")
        query = Query(**prev["query"])
        since = str(unix_seconds(prev["accessed"]))
        params = {**query.params(), "timestamp": since, "timestamp_where": ">="}
        pages, resumed = _fetch(client, store, params, mode="update")
        gone_params = {"deleted_timestamp": since, "deleted_timestamp_where": ">="}
        gone_pages, _ = _fetch(
            client, store, gone_params, mode="update", path=DELETED_PATH, kind="deleted"
        )
        changed = _merge(pages, warnings, places=places)
        records = {}
        for row, r in enumerate(st.records_of(store, prev), start=1):
            ident = str(r["event_id_cnty"]).strip()
            records[ident] = r
            places.setdefault(ident, (f"snapshot {prev['id']}", f"record {row}"))
        records.update(changed)
        gone = [str(r["event_id_cnty"]).strip() for p in gone_pages for r in p.records]
        unknown = [g for g in dict.fromkeys(gone) if g not in records]
        for g in gone:
            records.pop(g, None)
        if unknown:
            warnings.append(
                f"ACLED deleted {len(unknown)} event(s) this store does not hold "
                f"({', '.join(unknown[:10])}{', ...' if len(unknown) > 10 else ''}; outside its "
                "query, or removed already): nothing to remove"
            )
        basis: dict[str, Any] = {"update_of": prev["id"], "since": prev["accessed"]}
        n_changed, n_deleted = len(changed), len(gone) - len(unknown)
        keys = [
            st.partial_key("acled", params, "update"),
            st.partial_key("acled", gone_params, "update"),
        ]
    else:
        params = query.params()
        pages, resumed = _fetch(client, store, params, mode="full")
        records = _merge(pages, warnings, places=places)
        basis = {"update_of": None}
        n_changed = n_deleted = 0
        keys = [st.partial_key("acled", params, "full")]
    page_problems = [p for page in pages for p in page.problems]
    warnings += drift(list(records.values()))
    entry = {
        "api": API_VERSION,
        "api_url": client.base,
        "query": query.to_dict(),
        "accessed": accessed,
        **basis,
        "changed": n_changed,
        "deleted": n_deleted,
        "page_problems": [p.to_dict() for p in page_problems],
        "warnings": warnings,
    }
    new, problems = st.write_snapshot(
        store, list(records.values()), source="acled", id_field="event_id_cnty", entry=entry,
        places=places,
    )  # fmt: skip
    for key in keys:
        st.clear_partial(store, key)
    return Result(
        new, [*page_problems, *problems], warnings, len(pages), resumed, n_changed, n_deleted
    )


def pull_ucdp(client: Ucdp, store: str | Path, query: UcdpQuery, *, update: bool = False) -> Result:
    """Pull one GED version from UCDP into ``store``: a yearly release, or candidate
    events (``YY.0.M`` monthly, ``YY.01.YY.MM`` quarterly; :func:`geo.pull.ucdp.release`).

    With ``update``, the store's latest query is asked again of ``query.version``, which
    the latest snapshot must not hold already (a versioned call returns the same data
    indefinitely). A yearly release replaces what the store held; a candidate release
    covers its months only, so it is laid over the latest snapshot (an event it holds again
    replaces the earlier version of it, as UCDP's candidate events are later versions).
    """
    store = Path(store)
    accessed = _now(time.time)
    warnings: list[str] = []
    basis: dict[str, Any] = {"update_of": None}
    kind = release(query.version)  # a malformed version stops before any request
    held: list[str] = []
    prev: dict[str, Any] | None = None
    if update:
        prev = _latest_of(store, "ucdp", "UCDP")
        asked = dict(prev["query"])
        held = [str(v) for v in prev.get("versions") or [asked.get("version")]]
        if query.version in held:
            msg = (
                f"{store}: the latest snapshot holds GED version {query.version} already, "
                "and a versioned call returns the same data; give a newer --ged-version"
            )
            raise PullError(msg)
        query = UcdpQuery(**{**asked, "version": query.version})
        basis = {
            "update_of": prev["id"],
            "since": prev["accessed"],
            "previous_version": asked.get("version"),
        }
    client.version = query.version
    params = query.params()
    key_params = {**params, "version": query.version}
    pages, resumed = _fetch(
        client, store, params, mode="full", source="ucdp", first_page=0, key_params=key_params
    )
    places: dict[str, tuple[str, str]] = {}
    records = _merge(pages, warnings, id_field="id", source="UCDP", places=places)
    versions = [query.version]
    if prev is not None and kind["candidate"]:
        laid = {}
        for row, r in enumerate(st.records_of(store, prev), start=1):
            ident = str(r["id"]).strip()
            laid[ident] = r
            places.setdefault(ident, (f"snapshot {prev['id']}", f"record {row}"))
        laid.update(records)
        records = laid
        versions = [*held, query.version]
    page_problems = [p for page in pages for p in page.problems]
    warnings += drift(list(records.values()), UCDP_FIELDS, "UCDP")
    entry = {
        "api": API_VERSION_UCDP,
        "api_url": client.base,
        "query": query.to_dict(),
        "accessed": accessed,
        **basis,
        "release": {k: v for k, v in kind.items() if k != "version"},
        "candidate": any(release(v)["candidate"] for v in versions),
        "versions": versions,
        "changed": 0,
        "deleted": 0,
        "page_problems": [p.to_dict() for p in page_problems],
        "warnings": warnings,
    }
    new, problems = st.write_snapshot(
        store, list(records.values()), source="ucdp", id_field="id", entry=entry, places=places
    )
    st.clear_partial(store, st.partial_key("ucdp", key_params, "full"))
    return Result(new, [*page_problems, *problems], warnings, len(pages), resumed)


def pull_events(
    source: str,
    store: str | Path,
    *,
    countries: Sequence[str] = (),
    start: str | None = None,
    end: str | None = None,
    types: Sequence[str] = (),
    ged_version: str | None = None,
    update: bool = False,
    api_url: str | None = None,
    say: Callable[[str], None] | None = None,
) -> Result:
    """Pull ``source`` (``"acled"`` or ``"ucdp"``) into ``store``: what ``geo pull`` runs.

    Parameters
    ----------
    source : {"acled", "ucdp"}
        The provider. Credentials come from the environment (``ACLED_USERNAME`` and
        ``ACLED_PASSWORD``, ``UCDP_API_TOKEN``) or a prompt on a terminal.
    store : path
        The store directory (made if missing).
    countries, start, end, types
        The API's filters: country names (UCDP: names or Gleditsch–Ward codes), first and
        last day (``YYYY-MM-DD``), ACLED event types.
    ged_version : str, optional
        UCDP's GED version: ``25.1``, or candidate events (``25.0.9``, ``25.01.25.09``).
    update : bool
        A new snapshot from the latest one (ACLED: what changed and was deleted since;
        UCDP: a newer version). Give no filters with it.
    api_url : str, optional
        Scheme and host of a mirror or a test server.
    say : callable, optional
        Where notes about retries go (nowhere by default).

    Returns
    -------
    Result
        The manifest entry of the new snapshot, the problems and warnings.

    Examples
    --------
    >>> geo.pull_events("acled", "data/acled", countries=["Afghanistan", "Pakistan"],
    ...                 start="2025-01-01")  # doctest: +SKIP
    """
    from geo._errors import InputError
    from geo.pull._http import Http

    if source not in ("acled", "ucdp"):
        raise InputError(f"pull: source {source!r} is not known; accepted: 'acled', 'ucdp'")
    if source == "ucdp" and types:
        raise InputError("--type is ACLED's; UCDP's API has no event-type filter")
    if source == "acled" and ged_version:
        raise InputError("--ged-version is UCDP's; ACLED's API has no versions")
    if source == "ucdp" and not ged_version:
        raise InputError("geo pull ucdp needs --ged-version (e.g. 25.1)")
    if update and (countries or start or end or types):
        msg = "--update asks again what the store's latest snapshot asked: give no filters with it"
        raise InputError(msg)
    http = Http(say=say or (lambda _m: None))
    try:
        if source == "ucdp":
            assert ged_version is not None
            asked = UcdpQuery(ged_version, list(countries), start, end)
            asked.params()  # unknown country names fail before any request
            client = Ucdp.from_env(http, ged_version, api_url)
            return pull_ucdp(client, store, asked, update=update)
        query = Query(countries=list(countries), start=start, end=end, types=list(types))
        return pull_acled(Acled.from_env(http, api_url), store, query, update=update)
    finally:
        http.close()
