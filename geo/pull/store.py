"""The local store of a pull: a directory of snapshots and the manifest that lists them.

::

    STORE/manifest.json              what the store holds (see below), written last
    STORE/snapshot-0001.parquet      GeoParquet: the canonical columns, then the source's
                                     own columns prefixed with its name ("acled.event_date")
    STORE/snapshot-0001.rejected.json  records the reader refused, with every problem
    STORE/.partial/KEY/page-0001.json  the pages of a pull not finished yet (resumption)

The manifest is ``{"format": "geo-store", "version": 1, "source": "acled", "snapshots":
[...]}``; each snapshot names its file, the source, the API version, the query, the access
time (UTC), the row count, a SHA-256 of its records, what it was made from (a full pull, or
an update of an earlier snapshot) and the warnings of its pull. Every file is written
atomically and the manifest last, so an interrupted or failed pull leaves the store as it
was: the previous snapshot stays the latest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from geo._errors import InputError, Problem

MANIFEST = "manifest.json"
FORMAT = "geo-store"
VERSION = 1
PARTIAL = ".partial"


def is_store(path: str | Path) -> bool:
    """True when ``path`` is a directory holding a store's manifest."""
    manifest = Path(path) / MANIFEST
    if not manifest.is_file():
        return False
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("format") == FORMAT


def manifest(store: str | Path) -> dict[str, Any]:
    """The store's manifest (an empty one for a directory that is not a store yet)."""
    path = Path(store) / MANIFEST
    if not path.exists():
        return {"format": FORMAT, "version": VERSION, "source": None, "snapshots": []}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: the store's manifest cannot be read ({exc}); it is not a geo store"
        raise InputError(msg) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        msg = f'{path}: not a geo store\'s manifest (no "format": "{FORMAT}")'
        raise InputError(msg)
    if doc.get("version") != VERSION:
        msg = f"{path}: store version {doc.get('version')!r}; this geo reads version {VERSION}"
        raise InputError(msg)
    return doc


def snapshots(store: str | Path) -> list[dict[str, Any]]:
    """The store's snapshots, oldest first."""
    return list(manifest(store).get("snapshots", []))


def snapshot_path(store: str | Path, entry: Mapping[str, Any]) -> Path:
    return Path(store) / str(entry["file"])


def latest(store: str | Path) -> Path:
    """The latest snapshot's file. Raises InputError for a store without one."""
    found = snapshots(store)
    if not found:
        msg = f"{store}: the store has no snapshot yet; run 'geo pull ... --store {store}' first"
        raise InputError(msg)
    return snapshot_path(store, found[-1])


def resolve(paths: Iterable[str | Path]) -> list[str]:
    """Event inputs with each store directory replaced by its latest snapshot."""
    return [str(latest(p)) if is_store(p) else str(p) for p in paths]


def access_credits(paths: Iterable[str | Path] | None) -> list[str]:
    """A credit line per store among ``paths``: the data's access date, as ACLED's
    attribution asks (``ACLED data accessed 7 Dec 2026 through its API``)."""
    import datetime as dt

    out = []
    for path in paths or ():
        if not is_store(path):
            continue
        found = snapshots(path)
        if not found:
            continue
        entry = found[-1]
        try:
            day = dt.datetime.fromisoformat(str(entry.get("accessed")))
        except ValueError:
            continue
        name = {"acled": "ACLED data", "ucdp": "UCDP GED data"}.get(str(entry.get("source")))
        if name is None:
            continue
        if entry.get("source") == "ucdp":
            name = _ucdp_name(entry)
        out.append(f"{name} accessed {day.day} {day:%b %Y} through its API")
    return out


def _ucdp_name(entry: Mapping[str, Any]) -> str:
    """The UCDP data a snapshot holds, by version: ``UCDP GED 25.1 data``, or with candidate
    events ``UCDP GED 25.1 and Candidate Events 25.0.1 to 25.0.9 data (candidate events
    are provisional)``."""
    from geo.pull.ucdp import release

    version = (entry.get("query") or {}).get("version")
    versions = [str(v) for v in entry.get("versions") or ([version] if version else [])]
    if not versions:
        return "UCDP GED data"
    kinds = []
    for v in versions:
        try:
            kinds.append(release(v)["candidate"])
        except InputError:  # a manifest written by hand: named as it is
            kinds.append(False)
    final = [v for v, c in zip(versions, kinds, strict=True) if not c]
    cand = [v for v, c in zip(versions, kinds, strict=True) if c]
    names = [f"UCDP GED {', '.join(final)}"] if final else []
    if cand:
        span = cand[0] if len(cand) == 1 else f"{cand[0]} to {cand[-1]}"
        names.append(f"{'' if final else 'UCDP '}Candidate Events {span}")
    text = " and ".join(names) + " data"
    return text + (" (candidate events are provisional)" if cand else "")


def content_hash(records: Iterable[Mapping[str, Any]], id_field: str) -> str:
    """SHA-256 of the records, in id order, each as sorted JSON: the same data gives the
    same hash whatever order the pages came in."""
    digest = hashlib.sha256()
    for record in sorted(records, key=lambda r: str(r.get(id_field, ""))):
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()


def write_snapshot(
    store: str | Path,
    records: Sequence[Mapping[str, Any]],
    *,
    source: str,
    id_field: str,
    entry: Mapping[str, Any],
    places: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Write ``records`` (the source's own fields, as text) as the store's next snapshot.

    The records are read as an export of ``source`` would be (the project's reader maps
    them to the canonical form and validates them); the snapshot holds every record the
    reader kept, with its source columns, and ``snapshot-N.rejected.json`` every record it
    refused, with the problems. ``entry`` (api, query, accessed, ...) goes to the manifest
    with the file, row count and content hash. ``places`` names where each record came
    from, by id (``("ACLED page 2", "record 17")``): problems are reported there. Returns
    the manifest entry and the problems.
    """
    import pandas as pd

    from geo._atomic import write_bytes_atomic, write_text_atomic
    from geo.events import read_frame
    from geo.export import events_parquet

    store = Path(store)
    doc = manifest(store)
    if doc.get("source") not in (None, source):
        msg = f"{store}: the store holds {doc['source']} data; use another directory for {source}"
        raise InputError(msg)
    number = len(doc["snapshots"]) + 1
    name = f"snapshot-{number:04d}"
    columns = list(dict.fromkeys(k for r in records for k in r))
    frame = pd.DataFrame({c: [str(r.get(c, "")) for r in records] for c in columns}, dtype=object)
    report = read_frame(frame, name=f"{source} records")
    kept = [int(w.removeprefix("row ")) for w in report.events["origin_record"]]
    events = report.events.copy()
    for c in columns:
        events[f"{source}.{c}"] = frame[c].to_numpy()[kept] if kept else []
    kept_set = set(kept)
    rejected = [dict(records[i]) for i in range(len(records)) if i not in kept_set]
    problems = [_placed(p, records, id_field, places or {}) for p in report.problems]
    errors = [p.to_dict() for p in problems if p.severity == "error"]
    write_bytes_atomic(events_parquet(events), store / f"{name}.parquet")
    if rejected:
        text = json.dumps({"records": rejected, "problems": errors}, indent=1, ensure_ascii=False)
        write_text_atomic(text + "\n", store / f"{name}.rejected.json")
    new = {
        "id": number,
        "file": f"{name}.parquet",
        "rejected_file": f"{name}.rejected.json" if rejected else None,
        "source": source,
        **entry,
        "rows": len(events),
        "rejected": len(rejected),
        "content_hash": content_hash(records, id_field),
    }
    doc = {**doc, "source": source, "snapshots": [*doc["snapshots"], new]}
    write_text_atomic(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", store / MANIFEST)
    return new, problems


def _placed(
    problem: Problem,
    records: Sequence[Mapping[str, Any]],
    id_field: str,
    places: Mapping[str, tuple[str, str]],
) -> Problem:
    """A reader's problem ("row 5" of the merged records) named by its page and record."""
    import dataclasses

    row = problem.where.removeprefix("row ")
    if not row.isdigit() or int(row) >= len(records):
        return problem
    place = places.get(str(records[int(row)].get(id_field, "")).strip())
    if place is None:
        return problem
    return dataclasses.replace(problem, file=place[0], where=place[1])


def records_of(store: str | Path, entry: Mapping[str, Any]) -> list[dict[str, str]]:
    """A snapshot's records as the source gave them (its source columns), the refused ones
    included, so that an update carries everything on."""
    import pyarrow.parquet as pq

    source = str(entry["source"])
    path = snapshot_path(store, entry)
    prefix = f"{source}."
    names = [n for n in pq.read_schema(path).names if n.startswith(prefix)]
    table = pq.read_table(path, columns=names)
    out = [
        {k.removeprefix(prefix): "" if v is None else str(v) for k, v in row.items()}
        for row in table.to_pylist()
    ]
    if entry.get("rejected_file"):
        doc = json.loads((Path(store) / str(entry["rejected_file"])).read_text(encoding="utf-8"))
        out += [dict(r) for r in doc.get("records", [])]
    return out


# --- pages of a pull not finished yet ---------------------------------------------------------


def partial_key(source: str, params: Mapping[str, str], mode: str) -> str:
    """The folder name of a pull's saved pages: the same query resumes the same pull."""
    text = json.dumps({"source": source, "mode": mode, "params": dict(params)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def saved_pages(store: str | Path, key: str, kind: str = "page") -> list[dict[str, Any]]:
    """The pages of an interrupted pull, in order (a damaged one ends the list)."""
    folder = Path(store) / PARTIAL / key
    pages = []
    for n in range(1, 100_000):
        path = folder / f"{kind}-{n:04d}.json"
        try:
            pages.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            break
    return pages


def save_page(store: str | Path, key: str, page: Mapping[str, Any], kind: str = "page") -> None:
    from geo._atomic import write_text_atomic

    path = Path(store) / PARTIAL / key / f"{kind}-{int(page['number']):04d}.json"
    write_text_atomic(json.dumps(page, ensure_ascii=False), path)


def clear_partial(store: str | Path, key: str) -> None:
    folder = Path(store) / PARTIAL / key
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):  # other pulls' pages, or gone
        os.rmdir(Path(store) / PARTIAL)
