"""The "Sources and methods" box of a map, defined once for every output.

:func:`methods_of` states, for the events a map draws: the credit of each source with the
date its data were taken, the filters in force, the fields the tool derived, and what the
page carries under the sources' terms (:mod:`geo.terms`). The page's panel and print
caption, the stills' credit block, the batch index and the embed snippet all show its
:meth:`Methods.lines`.

The date of a source's data is, first found: ``--accessed DATE``; the access time that a
store's manifest records for the snapshot the events were read from (``geo pull``); the
latest day the dataset updated one of the events (ACLED's ``timestamp``); the modification
day of the file they were read from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from geo._errors import InputError
from geo.i18n.words import N_, day, joined, listed, tr
from geo.terms import TERMS, PageTerms, SourceTerms, clause_text, page_terms, source_keys

if TYPE_CHECKING:
    from geo.filters import Filters

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: What the tool adds to every event (geo.analysis.enrich), by the column it writes.
DERIVED = {
    "border_distance_km": N_("distance to the Durand Line"),
    "border_side": N_("side of the line"),
    "in_border_belt": N_("border belt"),
    "province": N_("province where a record names none"),
}


def parse_accessed(value: object, option: str = "--accessed") -> dt.date | None:
    """``value`` (a date, or ``YYYY-MM-DD`` text) as a date; None stays None.

    Raises
    ------
    InputError
        Naming the option, the value and the accepted form.
    """
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    text = value if isinstance(value, str) else None
    if text is not None and _DAY.fullmatch(text.strip()):
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            pass
    msg = (
        f"{option} {value!r}: not a date; accepted: a day as YYYY-MM-DD (the day the data "
        "were accessed or exported, e.g. 2026-03-01)"
    )
    raise InputError(msg)


def day_text(day: dt.date) -> str:
    """``7 Dec 2026``: the form every output gives a day."""
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Methods:
    """The "Sources and methods" of a map.

    Attributes
    ----------
    credits : tuple of str
        Each source's credit with the date its data were taken (``ACLED (…), acleddata.com,
        accessed 7 Dec 2026``), the most events first; the user's own file has none.
    filters : tuple of str
        The filters in force (dates and the others), in words.
    derived : tuple of str
        What the tool added to every event.
    terms : PageTerms
        The strictest rule of the sources (:func:`geo.terms.page_terms`).
    download : bool
        Whether the page offers its rows (the terms' rule, or ``--allow-download``).
    overridden : tuple of SourceTerms
        The sources whose terms forbid the download when ``--allow-download`` turned it on.
    lang : str
        The edition its lines are worded in (``--lang``; :mod:`geo.i18n.words`). The sources'
        names, credits and clauses stay as their owners word them.
    """

    credits: tuple[str, ...]
    filters: tuple[str, ...]
    derived: tuple[str, ...]
    terms: PageTerms
    download: bool
    overridden: tuple[SourceTerms, ...] = ()
    lang: str = "en"

    @property
    def fields(self) -> tuple[str, ...]:
        """The event fields the page carries: those its sources allow that it shows (the
        download's own columns only while the download is on)."""
        from geo.terms import DOWNLOAD_ONLY_FIELDS

        own = set(DOWNLOAD_ONLY_FIELDS)
        return tuple(f for f in self.terms.fields if self.download or f not in own)

    def download_line(self) -> str:
        """Whether readers may download the rows, and the clause that decides it."""
        lang = self.lang
        if self.overridden:
            names = listed([t.name for t in self.overridden], lang)
            return tr("Row download: on by the publisher's choice, against {names} terms", lang,
                      names=names)  # fmt: skip
        if self.download:
            return tr("Row download: on", lang)
        where = joined([t.where for t in self.terms.forbidding], lang)
        return tr("Row download: off ({clauses})", lang, clauses=where)

    def method_lines(self) -> list[str]:
        """The filters in force and the fields the tool derived: what outputs that list the
        credits already (the stills, the embed snippet) add to them."""
        lang = self.lang
        filters = joined(self.filters, lang) if self.filters else tr("none", lang)
        out = [tr("Filters: {filters}", lang, filters=filters)]
        if self.derived:
            derived = listed([tr(d, lang) for d in self.derived], lang)
            out.append(tr("Derived by geo: {fields}", lang, fields=derived))
        return out

    def lines(self) -> list[str]:
        """The box as lines of text: data, filters, derived fields, the row download."""
        out = []
        if self.credits:
            out.append(tr("Data: {credits}", self.lang, credits=joined(self.credits, self.lang)))
        return [*out, *self.method_lines(), self.download_line()]

    def config(self) -> dict[str, Any]:
        """What the page's panel reads (``PageConfig.methods``): the lines and, per source,
        the clause and its address."""
        return {
            "lines": self.lines(),
            # what the print caption adds under the credits line, which names the sources
            "methods": [*self.method_lines(), self.download_line()],
            "terms": [
                {"name": t.name, "clause": t.clause, "where": t.where, "url": t.url}
                for t, _ in self.terms.sources
                if t.key != "unknown"
            ],
        }


def methods_of(
    events: pd.DataFrame,
    filters: Filters | None = None,
    *,
    accessed: dt.date | None = None,
    allow_download: bool = False,
    lang: str = "en",
) -> Methods:
    """The "Sources and methods" of a map of ``events`` (see the module's text), worded in
    the edition ``lang``."""
    from geo.filters import Filters

    filters = filters if filters is not None else Filters()
    keys = source_keys(events)
    terms = page_terms(keys)
    credits = []
    for source, _ in terms.sources:
        rows = events[(keys == source.key).to_numpy()]
        if source.credit:
            credits.append(source.credit + _date_part(rows, accessed, source, lang))
        elif "dataset" in rows:  # a dataset the tool does not know: credited as named
            credits += [name + _date_part(rows[rows["dataset"] == name], accessed, source, lang)
                        for name in _names(rows["dataset"])]  # fmt: skip
    derived = tuple(text for name, text in DERIVED.items() if name in events)
    return Methods(
        credits=tuple(credits),
        filters=tuple(_filter_lines(filters, lang)),
        derived=derived,
        terms=terms,
        download=terms.download or allow_download,
        overridden=terms.forbidding if allow_download else (),
        lang=lang,
    )


def _names(values: pd.Series) -> list[str]:
    """The non-empty names among ``values``, the most frequent first, then by name."""
    names = values.fillna("").astype(str)
    counts = names[names.str.strip() != ""].value_counts(sort=False)
    return [str(k) for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))]


def _filter_lines(filters: Filters, lang: str = "en") -> list[str]:
    start, end = filters.start, filters.end
    dates = []
    if start is not None or end is not None:
        lo = day(start.date(), lang) if start is not None else tr("the first event", lang)
        hi = day(end.date(), lang) if end is not None else tr("the last event", lang)
        dates.append(tr("dates {start} to {end}", lang, start=lo, end=hi))
    return [*dates, *filters.describe(lang)]


def _date_part(
    rows: pd.DataFrame, accessed: dt.date | None, source: SourceTerms, lang: str = "en"
) -> str:
    """``, accessed 7 Dec 2026`` and the like; a required date that is not known says so."""
    if accessed is not None:
        return tr(", accessed {day}", lang, day=day(accessed, lang))
    files = rows["origin_file"].dropna().astype(str).unique() if "origin_file" in rows else []
    stored = [d for d in (_store_access(f) for f in sorted(files)) if d is not None]
    if stored:
        return tr(", accessed {day} through its API", lang, day=day(max(stored), lang))
    if "dataset_updated" in rows:
        days = [_day(v) for v in rows["dataset_updated"].dropna().astype(str).unique()]
        latest = max((d for d in days if d is not None), default=None)
        if latest is not None:
            return tr(", data as of {day}", lang, day=day(latest, lang))
    # a file's own date only where the source asks for one: elsewhere it would change with
    # every checkout of the same file (the shipped record's date is its content)
    modified = [d for d in (_file_day(f) for f in sorted(files)) if d is not None]
    if modified and source.date_required:
        return tr(", export file dated {day}", lang, day=day(max(modified), lang))
    return tr(", access date not stated", lang) if source.date_required else ""


def _day(text: str) -> dt.date | None:
    if not _DAY.fullmatch(text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _store_access(path: str) -> dt.date | None:
    """The access day a store's manifest records for the snapshot file ``path``."""
    file = Path(path)
    manifest = file.parent / "manifest.json"
    if not manifest.is_file():
        return None
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for entry in doc.get("snapshots", []) if isinstance(doc, dict) else []:
        if isinstance(entry, dict) and entry.get("file") == file.name:
            try:
                return dt.datetime.fromisoformat(str(entry.get("accessed"))).date()
            except ValueError:
                return None
    return None


def _file_day(path: str) -> dt.date | None:
    """The modification day (UTC) of the file ``path``, None where it cannot be read."""
    try:
        stamp = Path(path).stat().st_mtime
    except (OSError, ValueError):
        return None
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date()


def download_warning(methods: Methods) -> str | None:
    """The warning ``--allow-download`` gives where a source's terms forbid the download."""
    if not methods.overridden:
        return None
    return "warning: --allow-download: the page offers its rows although " + "; ".join(
        clause_text(t) for t in methods.overridden
    )


def carried_summary(methods: Methods, n: int, columns: Sequence[str] | None = None) -> str:
    """``page carries 30 fields of 2,314 ACLED events; row download off (ACLED terms)``:
    ``columns`` are the page's event columns (its point, ``lat`` and ``lon``, one field;
    the highlight's flags none); without them, the fields the terms allow."""
    names = ", ".join(t.name for t, _ in methods.terms.sources)
    of = f"{n:,} {names} events" if names != TERMS["unknown"].name else f"{n:,} events"
    what = "row download " + ("on" if methods.download else "off")
    why: Sequence[str] = [f"{t.name} terms" for t in methods.terms.forbidding]
    if why and not methods.download:
        what += f" ({', '.join(why)})"
    elif methods.overridden:
        what += " (--allow-download)"
    if columns is None:  # pages of a batch: each carries those of its events
        return f"pages carry at most {len(methods.fields)} fields of {of}; {what}"
    own = [c for c in columns if c not in ("lat", "lon", "highlighted")]
    count = len(own) + int("lat" in columns)
    return f"page carries {count} fields of {of}; {what}"


__all__ = [
    "DERIVED",
    "Methods",
    "carried_summary",
    "day_text",
    "download_warning",
    "methods_of",
    "parse_accessed",
]
