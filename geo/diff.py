"""What changed between two versions of the data: events added, removed and revised.

:func:`compare` takes two canonical event tables (two snapshots of a ``geo pull`` store, or
two exports read by the project's readers) and matches events by id. An event in both whose
fields differ is *changed*, with the fields named; a change of the best fatality estimate
is a death toll revised, up or down. :func:`correction` says it in one line for a
published map ("Since 12 Oct 2025: 41 events added, 3 removed, 2 death tolls revised").
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from geo._errors import InputError
from geo.schema import ORIGIN_COLUMNS

#: The field whose change is a death toll revised.
TOLL = "fatalities_best"
#: What ``--map`` writes: a page, or an image.
MAP_SUFFIXES = (".html", ".png", ".svg", ".pdf")
#: Columns of the change table (CSV and JSON).
TABLE_COLUMNS = (
    "event_id", "change", "fields", "toll_old", "toll_new", "toll", "date", "event_type",
    "province", "location", "latitude", "longitude",
)  # fmt: skip


@dataclass
class Diff:
    """The differences between two event tables (``old`` then ``new``)."""

    old_name: str
    new_name: str
    since: str | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    tolls: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: For each changed event, each changed field's ``(old, new)`` values as compared
    #: (missing as None, dates as days, a moved point as ``"lat, lon"``).
    values: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    #: The two canonical tables compared, when :func:`diff_events` read them.
    old_events: pd.DataFrame | None = field(default=None, repr=False)
    new_events: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def tolls_up(self) -> int:
        return sum(1 for a, b in self.tolls.values() if (a or 0) < (b or 0))

    @property
    def tolls_down(self) -> int:
        return sum(1 for a, b in self.tolls.values() if (a or 0) > (b or 0))


def _cell(value: Any) -> Any:
    """A value as compared: missing as None, dates as days, lists as JSON."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, sort_keys=True, default=str)
    if hasattr(value, "tolist") and not isinstance(value, str):
        return json.dumps(value.tolist(), sort_keys=True, default=str)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value


def _fields(events: pd.DataFrame) -> list[str]:
    return [c for c in events.columns if c not in (*ORIGIN_COLUMNS, "geometry")]


def compare(old: pd.DataFrame, new: pd.DataFrame, *, old_name: str, new_name: str) -> Diff:
    """The events added, removed and changed from ``old`` to ``new`` (canonical tables)."""
    out = Diff(old_name, new_name)
    a = old.drop_duplicates("event_id").set_index("event_id", drop=False)
    b = new.drop_duplicates("event_id").set_index("event_id", drop=False)
    out.added = [i for i in b.index if i not in a.index]
    out.removed = [i for i in a.index if i not in b.index]
    both = [i for i in b.index if i in a.index]
    fields = [f for f in _fields(b) if f in a.columns]
    for ident in both:
        x, y = a.loc[ident], b.loc[ident]
        pairs = {f: (_cell(x[f]), _cell(y[f])) for f in fields}
        diff = [f for f in fields if pairs[f][0] != pairs[f][1]]
        if "geometry" in a.columns and "geometry" in b.columns:
            gx, gy = _point(x["geometry"]), _point(y["geometry"])
            if gx != gy:
                diff.append("geometry")
                pairs["geometry"] = (gx, gy)
        if diff:
            out.changed[ident] = diff
            out.values[ident] = {f: pairs[f] for f in diff}
            if TOLL in diff:
                out.tolls[ident] = (_int(x[TOLL]), _int(y[TOLL]))
    for ident in out.added:
        out.rows.append(_row(b.loc[ident], "added", [], None, _int(b.loc[ident].get(TOLL))))
    for ident in out.removed:
        out.rows.append(_row(a.loc[ident], "removed", [], _int(a.loc[ident].get(TOLL)), None))
    for ident, diff in out.changed.items():
        before, after = _int(a.loc[ident].get(TOLL)), _int(b.loc[ident].get(TOLL))
        out.rows.append(_row(b.loc[ident], "changed", diff, before, after))
    return out


def _point(geom: Any) -> str | None:
    """A point as compared and shown: ``"lat, lon"`` to 6 decimals (about 10 cm)."""
    if geom is None or getattr(geom, "is_empty", True):
        return None
    return f"{round(geom.y, 6)}, {round(geom.x, 6)}"


def _int(value: Any) -> int | None:
    value = _cell(value)
    return None if value is None else int(value)


def _row(
    event: pd.Series, change: str, fields: list[str], before: int | None, after: int | None
) -> dict[str, Any]:
    toll = ""
    if change == "changed" and TOLL in fields:
        toll = (
            "up" if (after or 0) > (before or 0) else "down" if (after or 0) < (before or 0) else ""
        )
    point = event.get("geometry")
    return {
        "event_id": event["event_id"],
        "change": change,
        "fields": ";".join(fields),
        "toll_old": before,
        "toll_new": after,
        "toll": toll,
        "date": _cell(event.get("date_start")),
        "event_type": _cell(event.get("event_type")),
        "province": _cell(event.get("province")),
        "location": _cell(event.get("location")),
        "latitude": None if point is None else round(point.y, 6),
        "longitude": None if point is None else round(point.x, 6),
    }


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def correction(d: Diff) -> str:
    """The one-line correction for a published map."""
    when = f"Since {_day(d.since)}" if d.since else f"Since {d.old_name}"
    other = sum(1 for i in d.changed if i not in d.tolls)
    parts = [
        _n(len(d.added), "event") + " added",
        f"{len(d.removed):,} removed",
        _n(len(d.tolls), "death toll") + " revised",
    ]
    if other:
        parts.append(_n(other, "other event") + " corrected")
    return f"{when}: {', '.join(parts)}"


def _day(iso: str) -> str:
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{when.day} {when.strftime('%b %Y')}"


def text(d: Diff, *, limit: int = 50) -> str:
    """The terminal summary: counts, the fields changed, the events (the first ``limit``)."""
    counts: dict[str, int] = {}
    for diff in d.changed.values():
        for f in diff:
            counts[f] = counts.get(f, 0) + 1
    lines = [
        f"{d.old_name} -> {d.new_name}",
        f"  added:   {len(d.added):,}",
        f"  removed: {len(d.removed):,}",
        f"  changed: {len(d.changed):,}"
        + (f" (death tolls up {d.tolls_up:,}, down {d.tolls_down:,})" if d.tolls else ""),
    ]
    if counts:
        shown = ", ".join(f"{f} {n:,}" for f, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        lines.append(f"  fields changed: {shown}")
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for row in d.rows[:limit]:
        what = f"  {marks[row['change']]} {row['event_id']}  {row['date'] or ''}  {row['province'] or ''}"
        if row["change"] == "changed":
            what += f"  [{row['fields'].replace(';', ', ')}]"
            if row["toll"]:
                what += f"  toll {row['toll_old']} -> {row['toll_new']}"
        lines.append(what.rstrip())
    if len(d.rows) > limit:
        lines.append(f"  ... and {len(d.rows) - limit:,} more (--format csv or json lists all)")
    lines.append(f"Correction: {correction(d)}")
    return "\n".join(lines) + "\n"


def table(d: Diff) -> pd.DataFrame:
    return pd.DataFrame(d.rows, columns=list(TABLE_COLUMNS))


def as_json(d: Diff) -> str:
    doc = {
        "old": d.old_name,
        "new": d.new_name,
        "since": d.since,
        "added": len(d.added),
        "removed": len(d.removed),
        "changed": len(d.changed),
        "tolls_revised": {"up": d.tolls_up, "down": d.tolls_down},
        "correction": correction(d),
        "events": d.rows,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


# --- the change map ---------------------------------------------------------------------------


def change_groups(d: Diff, old: pd.DataFrame, new: pd.DataFrame) -> dict[str, Any]:
    """The events of each kind of change, as canonical tables: added and changed as they
    are now, removed as they were."""
    return {
        "added": new[new["event_id"].isin(d.added)],
        "changed": new[new["event_id"].isin(list(d.changed))],
        "removed": old[old["event_id"].isin(d.removed)],
    }


def write_change_map(
    d: Diff, old: pd.DataFrame, new: pd.DataFrame, path: str | Path, *, credits: list[str]
) -> Path:
    """The change map, written atomically: a self-contained HTML page (``.html``) or an
    image (``.png``, ``.svg``, ``.pdf``), over the context layers of
    :func:`geo.load_context`, titled by the correction, with the credits."""
    from geo.context import load_context
    from geo.render.options import credit_parts, named_layers

    suffix = Path(path).suffix.lower()
    if suffix not in MAP_SUFFIXES:
        msg = (
            f"{path}: the change map is a page or an image: give a name ending in "
            f"{', '.join(MAP_SUFFIXES)}"
        )
        raise InputError(msg)
    layers = load_context().layers()
    groups = change_groups(d, old, new)
    events = pd.concat([new, old[old["event_id"].isin(d.removed)]], ignore_index=True)
    parts = credit_parts(events, named_layers(layers), credits)
    if suffix == ".html":
        from geo.render.change_page import change_page, save_change_page

        page = change_page(
            groups, changes=d.values, layers=layers, title=correction(d), credits=parts
        )
        return save_change_page(page, path)
    from geo.render.changes import change_map
    from geo.render.static import save_static

    fig = change_map(groups, layers=layers, title=correction(d), credits=parts)
    return save_static(fig, path)


def diff_events(old: str | Path, new: str | Path | None = None, *, crs: str | None = None) -> Diff:
    """What ``geo diff`` compares, from Python: a store of ``geo pull`` (its last two
    snapshots), or two snapshots, stores or exports.

    The tables compared are kept on the result (``old_events``, ``new_events``) for
    :func:`write_change_map`; ``since`` is the old snapshot's access time, if it has one.

    Examples
    --------
    >>> d = geo.diff_events("data/acled")  # doctest: +SKIP
    >>> geo.correction(d)  # doctest: +SKIP
    'Since 12 Oct 2025: 41 events added, 3 removed, 2 death tolls revised'
    """
    inputs = [str(old)] if new is None else [str(old), str(new)]
    (a, since), (b, _) = sides(inputs)
    return compare_sides(a, b, since, crs=crs)[0]


def compare_sides(
    old: str, new: str, since: str | None, *, crs: str | None = None
) -> tuple[Diff, list[Any]]:
    """Load the two sides (:func:`sides`) and compare them: the :class:`Diff`, with the tables
    and the old side's access time on it, and the loading's problems of both sides (which
    ``geo diff`` reports)."""
    from geo.api import load

    first, second = load(old, crs=crs), load(new, crs=crs)
    d = compare(first.events, second.events, old_name=old, new_name=new)
    d.since, d.old_events, d.new_events = since, first.events, second.events
    return d, [*first.problems, *second.problems]


# --- what the two sides are -------------------------------------------------------------------


def sides(inputs: list[str]) -> tuple[tuple[str, str | None], tuple[str, str | None]]:
    """``(path, accessed)`` of the old and the new side: one store's last two snapshots, or
    two files or stores (a store is its latest snapshot). ``accessed`` is a snapshot's
    access time, else None."""
    from geo.pull import store as st

    if len(inputs) == 1:
        (one,) = inputs
        if not st.is_store(one):
            msg = f"{one}: give a store of 'geo pull' (its last two snapshots) or two inputs"
            raise InputError(msg)
        found = st.snapshots(one)
        if len(found) < 2:
            msg = f"{one}: the store has {len(found)} snapshot(s); a diff needs two (pull --update)"
            raise InputError(msg)
        a, b = found[-2:]
        return (
            (str(st.snapshot_path(one, a)), str(a.get("accessed"))),
            (str(st.snapshot_path(one, b)), str(b.get("accessed"))),
        )
    if len(inputs) != 2:
        raise InputError("geo diff takes a store, or two snapshots or exports (OLD NEW)")
    out = []
    for given in inputs:
        path = str(st.latest(given)) if st.is_store(given) else given
        out.append((path, _accessed_of(path)))
    return out[0], out[1]


def _accessed_of(path: str) -> str | None:
    """The access time the manifest beside a snapshot gives it, if any."""
    from geo.pull import store as st

    folder = Path(path).parent
    if not st.is_store(folder):
        return None
    for entry in st.snapshots(folder):
        if entry.get("file") == Path(path).name:
            return str(entry.get("accessed"))
    return None
