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
) -> gpd.GeoDataFrame:
    """Keep events whose [date_start, date_end] overlaps [start, end] (both inclusive).

    ``provinces`` and ``types`` match case-insensitively; empty means no filter.
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
    return events[keep].reset_index(drop=True)
