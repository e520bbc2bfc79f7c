"""Date windows and attribute filters on the canonical event table."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from geo._errors import InputError
from geo.dates import DATE_FORMS, parse_dates


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
    start, stop, form = parse_dates(pd.Series([text.strip()], dtype="object"))
    if form.iat[0] == "" or pd.isna(start.iat[0]):
        msg = f"{option}: {text!r} is not a date; accepted forms: {DATE_FORMS}"
        raise InputError(msg)
    return pd.Timestamp(stop.iat[0] if end else start.iat[0])


def filter_events(
    events: gpd.GeoDataFrame,
    *,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    provinces: Sequence[str] = (),
    types: Sequence[str] = (),
    actors: Sequence[str] = (),
    sub_types: Sequence[str] = (),
    min_fatalities: int | None = None,
    text: str | None = None,
) -> gpd.GeoDataFrame:
    """Keep events whose [date_start, date_end] overlaps [start, end] (both inclusive).

    ``provinces``, ``types``, ``actors`` (``actor1`` or ``actor2``) and ``sub_types`` match
    case-insensitively; empty means no filter. ``min_fatalities`` keeps events whose best
    fatality estimate (the high one where the best is missing) is at least that. ``text``
    keeps events whose summary, location, actors or sources hold every word of it, in any
    case. These are the rules of the page's filters (``geo/static/helpers.js``).
    """
    if start is not None and end is not None and end < start:
        msg = f"end {end.date()} is before start {start.date()}"
        raise InputError(msg)
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["date_end"] >= start
    if end is not None:
        keep &= events["date_start"] <= end
    if provinces:
        keep &= events["province"].str.lower().isin([p.lower() for p in provinces])
    if types:
        keep &= events["event_type"].str.lower().isin([t.lower() for t in types])
    keep &= _attribute_filter(
        events, actors=actors, sub_types=sub_types, min_fatalities=min_fatalities, text=text
    )
    if keep.all():  # nothing filtered out: no copy of the table (copy-on-write shares it)
        return events.reset_index(drop=True)
    return events[keep].reset_index(drop=True)


#: What the free-text filter reads, as the page does.
SEARCH_FIELDS = ("summary", "location", "actor1", "actor2", "assoc_actor1", "assoc_actor2")


def _attribute_filter(
    events: gpd.GeoDataFrame,
    *,
    actors: Sequence[str],
    sub_types: Sequence[str],
    min_fatalities: int | None,
    text: str | None,
) -> pd.Series:
    keep = pd.Series(True, index=events.index)
    if actors:
        wanted = [a.lower() for a in actors]
        keep &= events["actor1"].str.lower().isin(wanted) | events["actor2"].str.lower().isin(
            wanted
        )
    if sub_types:
        keep &= events["sub_event_type"].str.lower().isin([t.lower() for t in sub_types])
    if min_fatalities is not None and min_fatalities > 0:
        best = events["fatalities_best"].astype("Float64")
        figure = best.fillna(events["fatalities_high"].astype("Float64"))
        keep &= (figure >= min_fatalities).fillna(False).astype(bool)
    terms = (text or "").lower().split()
    if terms:
        hay = _haystack(events)
        for term in terms:
            keep &= hay.str.contains(term, regex=False)
    return keep


def _haystack(events: gpd.GeoDataFrame) -> pd.Series:
    """Each event's searchable text in lower case: summary, place, actors, sources."""
    parts = [events[f].fillna("").astype(str) for f in SEARCH_FIELDS if f in events]
    sources = events["sources"].map(
        lambda srcs: "\n".join(f"{s.get('name', '')}\n{s.get('url', '')}" for s in srcs)
    )
    hay = parts[0]
    for part in [*parts[1:], sources]:
        hay = hay + "\n" + part
    return hay.str.lower()
