"""Which events a map, an export or a table keeps: one :class:`Filters` value, one rule.

The command line, the Python API and the dask engine all build a :class:`Filters` (the
checks run once, when it is made) and keep events with :meth:`Filters.apply`, per
partition on a cluster as on one frame in memory. The page's own filters
(``geo/static/helpers.js``) follow the same rules; :data:`geo.schema.FIGURE_FIELDS` is
the one definition of an event's figure, which the page reads from its configuration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo._errors import InputError
from geo.dates import DATE_FORMS, parse_dates
from geo.schema import EVENT_TYPES, FIGURE_FIELDS, SUB_EVENT_TYPES

#: How messages name each filter when it comes from Python (the command line passes its
#: option names instead: :data:`OPTION_LABELS`).
LABELS: Mapping[str, str] = {
    "start": "start",
    "end": "end",
    "types": "event type",
    "provinces": "province",
    "actors": "actor",
    "sub_types": "sub-event type",
    "min_fatalities": "min_fatalities",
    "text": "text",
}
OPTION_LABELS: Mapping[str, str] = {
    "start": "--start",
    "end": "--end",
    "types": "--type",
    "provinces": "--province",
    "actors": "--actor",
    "sub_types": "--sub-type",
    "min_fatalities": "--min-fatalities",
    "text": "--text",
}
#: What the free-text filter reads, as the page does (plus the sources' names and links).
SEARCH_FIELDS = ("summary", "location", "actor1", "actor2", "assoc_actor1", "assoc_actor2")


def parse_bound(text: str, *, option: str, end: bool = False) -> pd.Timestamp:
    """Parse a window bound; ``YYYY`` or ``YYYY-MM`` cover their whole year or month.

    Parameters
    ----------
    text : str
        The date as given by the user.
    option : str
        The option name, for the error message (e.g. ``"--start"``).
    end : bool
        Return the last day that the text covers instead of the first.

    Examples
    --------
    >>> parse_bound("2022", option="--end", end=True)
    Timestamp('2022-12-31 00:00:00')
    """
    start, stop, form = parse_dates(pd.Series([str(text).strip()], dtype="object"))
    if form.iat[0] == "" or pd.isna(start.iat[0]):
        msg = f"{option}: {text!r} is not a date; accepted forms: {DATE_FORMS}"
        raise InputError(msg)
    return pd.Timestamp(stop.iat[0] if end else start.iat[0])


@dataclass(frozen=True)
class Filters:
    """Every filter of a map, an export or a table, checked when it is made.

    Parameters
    ----------
    start, end : str or pandas.Timestamp, optional
        The date window, inclusive (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a month or a
        year covers all of it). An event is kept when its ``[date_start, date_end]``
        overlaps the window.
    types, sub_types : sequence of str
        ACLED event types / sub-event types to keep (case-insensitive).
    provinces, actors : sequence of str
        Provinces / actors (``actor1`` or ``actor2``) to keep (case-insensitive). Provinces
        are checked against the known names once the events are loaded
        (:meth:`check_provinces`).
    min_fatalities : int, optional
        Keep events whose figure (:func:`event_figure`) is at least this.
    text : str, optional
        Keep events whose summary, place, actors or sources hold every word, in any case.
    labels : mapping, optional
        How messages name each filter (:data:`LABELS`, or the command line's
        :data:`OPTION_LABELS`); not part of the value.

    Examples
    --------
    >>> f = Filters(start="2025-10", end="2025-10", types=["Battles"])
    >>> f.start, f.end
    (Timestamp('2025-10-01 00:00:00'), Timestamp('2025-10-31 00:00:00'))
    """

    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    types: Sequence[str] = ()
    provinces: Sequence[str] = ()
    actors: Sequence[str] = ()
    sub_types: Sequence[str] = ()
    min_fatalities: int | None = None
    text: str | None = None
    labels: Mapping[str, str] = field(default_factory=lambda: LABELS, compare=False, repr=False)

    def __post_init__(self) -> None:
        label = {**LABELS, **self.labels}
        start = _bound(self.start, label["start"], end=False)
        end = _bound(self.end, label["end"], end=True)
        if start is not None and end is not None and end < start:
            msg = f"{label['end']} {end.date()} is before {label['start']} {start.date()}"
            raise InputError(msg)
        values: dict[str, Any] = {"start": start, "end": end}
        for name in ("types", "provinces", "actors", "sub_types"):
            values[name] = _texts(getattr(self, name), label[name])
        _check_types(values["types"], label["types"], label["sub_types"])
        check_choices(values["sub_types"], SUB_EVENT_TYPES, label["sub_types"])
        values["min_fatalities"] = _count(self.min_fatalities, label["min_fatalities"])
        text = self.text
        if text is not None and not isinstance(text, str):
            msg = f"{label['text']}: {text!r} is not text"
            raise InputError(msg)
        values["text"] = text if text and text.strip() else None
        for name, value in values.items():
            object.__setattr__(self, name, value)

    # ---- the rule ----------------------------------------------------------------------

    def mask(self, events: pd.DataFrame) -> np.ndarray:
        """Which rows of ``events`` the filters keep (a boolean array)."""
        keep = np.ones(len(events), dtype=bool)
        if self.start is not None:
            keep &= (events["date_end"] >= self.start).to_numpy(dtype=bool)
        if self.end is not None:
            keep &= (events["date_start"] <= self.end).to_numpy(dtype=bool)
        for column, wanted in (
            ("province", self.provinces),
            ("event_type", self.types),
            ("sub_event_type", self.sub_types),
        ):
            if wanted:
                keep &= _isin_lower(events[column], wanted)
        if self.actors:
            keep &= _isin_lower(events["actor1"], self.actors) | _isin_lower(
                events["actor2"], self.actors
            )
        if self.min_fatalities:
            with np.errstate(invalid="ignore"):
                keep &= event_figure(events) >= self.min_fatalities
        if self.text is not None:
            hay = _haystack(events)
            for term in self.text.lower().split():
                keep &= hay.str.contains(term, regex=False).to_numpy(dtype=bool)
        return keep

    def apply(self, events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """The events the filters keep, renumbered from 0 (the table itself, renumbered,
        when every row is kept: no copy)."""
        keep = self.mask(events)
        if keep.all():
            return events.reset_index(drop=True)
        return events[keep].reset_index(drop=True)

    # ---- what a caption and a spec say -------------------------------------------------

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "labels")

    def check_provinces(self, known: Iterable[str]) -> None:
        """Raise ``InputError`` for a province filter that names no known province."""
        label = {**LABELS, **self.labels}["provinces"]
        check_choices(self.provinces, sorted(set(known) - {""}), label)

    def actor_notes(self, known: Iterable[str]) -> list[str]:
        """A note for each actor filter that names no actor in ``known`` (the events' own):
        a typo, or several names in one value, which the filter takes as one name."""
        label = {**LABELS, **self.labels}["actors"]
        lower = {str(k).lower() for k in known}
        notes = []
        for actor in self.actors:
            if actor.lower() not in lower:
                hint = f"; to give several actors, repeat {label}" if "," in actor else ""
                notes.append(f"{label} {actor!r} names no actor of the events{hint}")
        return notes

    def describe(self, lang: str = "en") -> list[str]:
        """The filters other than the dates, as a caption states them, in the edition
        ``lang`` (:mod:`geo.i18n.words`; the values are the user's, as given)."""
        from geo.i18n.words import N_, listed, number, tr

        parts = []
        for name, message in (
            ("types", N_("types: {values}")),
            ("sub_types", N_("sub-types: {values}")),
            ("provinces", N_("provinces: {values}")),
            ("actors", N_("actors: {values}")),
        ):
            if getattr(self, name):
                parts.append(tr(message, lang, values=listed(getattr(self, name), lang)))
        if self.min_fatalities:
            parts.append(tr("at least {count} killed", lang,
                            count=number(self.min_fatalities, lang)))  # fmt: skip
        if self.text is not None:
            parts.append(tr("text: {text}", lang, text=self.text))
        return parts

    def window(self, start: pd.Timestamp | None, end: pd.Timestamp | None) -> Filters:
        """The same filters over another date window (a period of a batch)."""
        return replace(self, start=start, end=end)


def event_figure(events: pd.DataFrame) -> np.ndarray:
    """The one number of killed that sizes an event's symbol and that ``min_fatalities``
    compares: the first of :data:`geo.schema.FIGURE_FIELDS` (best, else high, else low)
    that the event has; NaN when it has none."""
    out = np.full(len(events), np.nan)
    for name in reversed(FIGURE_FIELDS):
        if name in events:
            values = events[name].to_numpy(dtype="float64", na_value=np.nan)
            out = np.where(np.isnan(values), out, values)
    return out


def actors_of(events: pd.DataFrame) -> set[str]:
    """Every actor an event names (``actor1`` or ``actor2``)."""
    return {str(a) for column in ("actor1", "actor2") for a in events[column].unique()}


def filter_events(
    events: gpd.GeoDataFrame, filters: Filters | None = None, **options: Any
) -> gpd.GeoDataFrame:
    """Keep the events that ``filters`` (or a :class:`Filters` of ``options``) keeps.

    Examples
    --------
    >>> filter_events(events, start="2025-10", types=["Battles"])  # doctest: +SKIP
    """
    if filters is not None and options:
        msg = "give either a Filters value or filter options, not both"
        raise TypeError(msg)
    return (filters if filters is not None else Filters(**options)).apply(events)


def check_choices(values: Sequence[str], accepted: Iterable[str], what: str) -> None:
    """Raise ``InputError`` naming ``what`` and the accepted values for any unknown value."""
    accepted = list(accepted)
    lower = {a.lower() for a in accepted}
    for v in values:
        if v.lower() not in lower:
            msg = f"{what} {v!r} is not known; accepted: {', '.join(sorted(accepted))}"
            raise InputError(msg)


def _bound(value: Any, name: str, *, end: bool) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, pd.Timestamp):
        return value
    if isinstance(value, str):
        return parse_bound(value, option=name, end=end)
    msg = f"{name}: {value!r} is not a date; accepted forms: {DATE_FORMS}"
    raise InputError(msg)


def _texts(values: Any, name: str) -> tuple[str, ...]:
    """A tuple of stripped names from a sequence of text (one text is one name)."""
    if values is None:
        return ()
    items = [values] if isinstance(values, str) else list(values)
    bad = [v for v in items if not isinstance(v, str)]
    if bad:
        msg = f"{name}: {bad[0]!r} is not text; give names such as 'Kunar'"
        raise InputError(msg)
    return tuple(dict.fromkeys(v.strip() for v in items if v.strip()))


def _check_types(types: Sequence[str], label: str, sub_label: str) -> None:
    subs = {s.lower(): s for s in SUB_EVENT_TYPES}
    for t in types:
        if t.lower() in subs and t.lower() not in {e.lower() for e in EVENT_TYPES}:
            msg = (
                f"{label} {t!r} is a sub-event type, not an event type; use "
                f"{sub_label} {subs[t.lower()]!r} (event types: {', '.join(EVENT_TYPES)})"
            )
            raise InputError(msg)
    check_choices(types, list(EVENT_TYPES), label)


def _count(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"{name}: {value!r} is not accepted; accepted: a whole number of at least 0"
        raise InputError(msg)
    if value < 0:
        msg = f"{name}: {value!r} is not accepted; accepted: a whole number of at least 0"
        raise InputError(msg)
    return int(value)


def _isin_lower(values: pd.Series, wanted: Sequence[str]) -> np.ndarray:
    """Whether each value is one of ``wanted``, ignoring case (lower-cased per distinct
    value: a column of a million rows holds a few hundred names)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lower = {w.lower() for w in wanted}
    hit = np.array([str(u).lower() in lower for u in uniques] + [False], dtype=bool)
    return hit[codes]


def _haystack(events: pd.DataFrame) -> pd.Series:
    """Each event's searchable text in lower case: summary, place, actors, sources."""
    parts = [events[f].fillna("").astype(str) for f in SEARCH_FIELDS if f in events]
    sources = events["sources"].map(
        # a source without a confirmed link has url None: nothing to search, not "none"
        lambda srcs: "\n".join(f"{s.get('name') or ''}\n{s.get('url') or ''}" for s in srcs)
    )
    hay = parts[0]
    for part in [*parts[1:], sources]:
        hay = hay + "\n" + part
    return hay.str.lower()
