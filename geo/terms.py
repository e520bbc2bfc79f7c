"""The terms of each event source the tool recognises, as data: what a published map owes it.

One row per source: ACLED, UCDP GED, the shipped curated record and ``unknown`` (a user's
own file, whose terms the tool cannot know). Each row holds the credit line the source asks
for, whether the date the data were taken must be stated, which fields a published page
may carry, whether readers may download rows, and the clause (a short fragment, quoted as
a fact) and the address it rests on. ``geo build`` applies the strictest row among the
sources of its events (:func:`page_terms`).

This is the project's reading of each source's published terms (README, "Source terms"),
not legal advice: a newsroom's own reading of the terms comes first.

How a record's source is known: its ``dataset`` field, which the ACLED and UCDP readers set
(``ACLED``, ``UCDP GED``); a record without one that was read from the shipped record is
``curated``; any other record is ``unknown``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: The fields the page shows for an event: its popup, tooltip, list, filters and search
#: read these (``geo/static/popup.js``, ``eventlist.js``, ``filters.js``, ``core.js``),
#: besides its point (``lat``/``lon``). ``border_side`` and ``border_distance_km`` are the
#: popup's "Border" line.
SHOWN_FIELDS: tuple[str, ...] = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "sub_event_type",
    "disorder_type",
    "actor1",
    "assoc_actor1",
    "actor2",
    "assoc_actor2",
    "interaction",
    "civilian_targeting",
    "conflict_name",
    "dyad_name",
    "country",
    "province",
    "admin2",
    "admin3",
    "location",
    "geo_precision",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "injured_low",
    "injured_best",
    "injured_high",
    "deaths_side_a",
    "deaths_side_b",
    "deaths_civilians",
    "deaths_unknown",
    "summary",
    "fatality_note",
    "sources",
    "source_scale",
    "border_distance_km",
    "border_side",
)
#: Fields only the row download holds (the page shows them nowhere else): carried only
#: when the download is on.
DOWNLOAD_ONLY_FIELDS: tuple[str, ...] = ("in_border_belt", "tags", "dataset", "dataset_updated")


@dataclass(frozen=True)
class SourceTerms:
    """What a published map owes one source.

    Attributes
    ----------
    key : str
        ``acled``, ``ucdp ged``, ``curated`` or ``unknown``.
    name : str
        The source's short name, as summaries and warnings give it.
    credit : str
        The credit line the source asks for (the date is added where it is known).
    date_required : bool
        Whether the date the data were taken (accessed, exported) must be stated.
    page_fields : tuple of str
        The fields a published page may carry for its events (an intersection of
        :data:`SHOWN_FIELDS` and :data:`DOWNLOAD_ONLY_FIELDS`).
    download : bool
        Whether the page may offer readers its rows as CSV/GeoJSON.
    clause : str
        A short fragment of the terms the row rests on, quoted as a fact.
    where : str
        Where the clause is: the document's title and section.
    url : str or None
        The address of that document, only where a stored copy of it was seen; None
        otherwise (the ``where`` says which document).
    """

    key: str
    name: str
    credit: str
    date_required: bool
    page_fields: tuple[str, ...]
    download: bool
    clause: str
    where: str
    url: str | None


#: The sources the tool recognises, by key. The clauses are short fragments of each
#: document, quoted as facts; the addresses are those of the stored copies the project read.
TERMS: dict[str, SourceTerms] = {
    "acled": SourceTerms(
        key="acled",
        name="ACLED",
        credit="ACLED (Armed Conflict Location & Event Data), acleddata.com",
        date_required=True,
        page_fields=SHOWN_FIELDS,
        download=False,
        clause=(
            "users may not provide \u201cdirect access to any of ACLED\u2019s original/raw "
            "data\u201d to any other user; visuals must credit ACLED with \u201cthe date you "
            "accessed these data\u201d and the filters used"
        ),
        where="ACLED Terms of Use and Attribution Policy",
        url="https://epo.acleddata.com/terms-of-use-and-attribution-policy",
    ),
    "ucdp ged": SourceTerms(
        key="ucdp ged",
        name="UCDP GED",
        credit=(
            "UCDP Georeferenced Event Dataset (UCDP GED), Uppsala Conflict Data Program, "
            "ucdp.uu.se (Sundberg & Melander 2013)"
        ),
        date_required=False,
        page_fields=(*SHOWN_FIELDS, *DOWNLOAD_ONLY_FIELDS),
        download=True,
        clause=(
            "UCDP asks that GED be cited by its version and by \u201cIntroducing the UCDP "
            "Georeferenced Event Dataset\u201d (Sundberg & Melander, Journal of Peace "
            "Research 50(4), 2013); no clause against sharing rows is known to the project"
        ),
        where="UCDP GED codebook, citation; UCDP downloads page",
        url="https://ucdp.uu.se/downloads/",
    ),
    "curated": SourceTerms(
        key="curated",
        name="curated record",
        credit="curated record of the geo project (CC BY 4.0)",
        date_required=False,
        page_fields=(*SHOWN_FIELDS, *DOWNLOAD_ONLY_FIELDS),
        download=True,
        clause="the curated file \u201cis released by the project under CC BY 4.0\u201d",
        where="data/SOURCES.md, events.geojson, Licence",
        url=None,
    ),
    "unknown": SourceTerms(
        key="unknown",
        name="unknown",
        credit="",
        date_required=False,
        page_fields=(*SHOWN_FIELDS, *DOWNLOAD_ONLY_FIELDS),
        download=True,
        clause="no terms known: the file's owner decides how its rows may be shared",
        where="(none)",
        url=None,
    ),
}
#: ``dataset`` values (lower case) that name a recognised source under another spelling.
ALIASES = {
    "ucdp": "ucdp ged",
    "ucdp-ged": "ucdp ged",
    "ucdp_ged": "ucdp ged",
    "ucdp ged": "ucdp ged",
    "acled": "acled",
    "curated": "curated",
}


def source_key(dataset: object, *, shipped: bool = False) -> str:
    """The key in :data:`TERMS` of a record's ``dataset`` value: a recognised name, else
    ``curated`` for a record of the shipped file without one, else ``unknown``."""
    name = dataset.strip().lower() if isinstance(dataset, str) else ""
    if name:
        return ALIASES.get(name, "unknown")
    return "curated" if shipped else "unknown"


def shipped_path() -> Path:
    """The shipped record's file."""
    from geo.context import SHIPPED, data_dir

    return (data_dir() / SHIPPED["events"]).resolve()


def source_keys(events: pd.DataFrame) -> pd.Series:
    """The source key (:func:`source_key`) of every event, by its ``dataset`` field and,
    where it has none, whether it was read from the shipped record (``origin_file``)."""
    n = len(events)
    blank = pd.Series([""] * n, dtype="object")
    names = (
        events["dataset"].fillna("").astype(str).reset_index(drop=True)
        if "dataset" in events
        else blank
    )
    files = (
        events["origin_file"].fillna("").astype(str).reset_index(drop=True)
        if "origin_file" in events
        else blank
    )
    named = names.str.strip().str.lower()
    keys = named.map(ALIASES).fillna("unknown").astype("object")
    shipped = {f for f in files.unique() if _is_shipped(f)}
    keys[(named == "") & files.isin(shipped)] = "curated"
    return keys


def _is_shipped(path: str) -> bool:
    if not path:
        return False
    try:
        return Path(path).resolve() == shipped_path()
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class PageTerms:
    """The rule a page follows: the strictest of its sources' terms.

    Attributes
    ----------
    sources : tuple of (SourceTerms, int)
        Each source of the events with its count of events, the most events first.
    fields : tuple of str
        The fields every source allows a page to carry (their intersection).
    download : bool
        Whether every source allows the row download.
    date_required : bool
        Whether any source asks for the date the data were taken.
    """

    sources: tuple[tuple[SourceTerms, int], ...]
    fields: tuple[str, ...]
    download: bool
    date_required: bool

    @property
    def forbidding(self) -> tuple[SourceTerms, ...]:
        """The sources whose terms forbid the row download."""
        return tuple(t for t, _ in self.sources if not t.download)


def page_terms(keys: Sequence[str] | pd.Series) -> PageTerms:
    """The strictest rule among the sources ``keys`` name (one key per event): fields every
    source allows, the download only when every source allows it. No events: ``unknown``."""
    counts = pd.Series(list(keys), dtype="object").value_counts(sort=False)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    sources = tuple((TERMS[str(k)], int(n)) for k, n in ranked) or ((TERMS["unknown"], 0),)
    allowed = set.intersection(*(set(t.page_fields) for t, _ in sources))
    every = (*SHOWN_FIELDS, *DOWNLOAD_ONLY_FIELDS)
    return PageTerms(
        sources=sources,
        fields=tuple(f for f in every if f in allowed),
        download=all(t.download for t, _ in sources),
        date_required=any(t.date_required for t, _ in sources),
    )


def clause_text(terms: SourceTerms) -> str:
    """``ACLED terms (…): "…" <url>``: the clause a rule rests on, for warnings and pages."""
    at = f" {terms.url}" if terms.url else ""
    return f"{terms.where}: {terms.clause}{at}"


__all__ = [
    "DOWNLOAD_ONLY_FIELDS",
    "SHOWN_FIELDS",
    "TERMS",
    "PageTerms",
    "SourceTerms",
    "clause_text",
    "page_terms",
    "source_key",
    "source_keys",
]
