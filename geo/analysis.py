"""Summaries and aggregates of the canonical event table."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.events import CASUALTY_FIELDS


def summary_tables(events: gpd.GeoDataFrame) -> list[tuple[str, pd.DataFrame | pd.Series | str]]:
    """Tables for ``geo info``: span, counts by type, province and year, casualty totals."""
    if events.empty:
        return [("Events", "none")]
    span = f"{events['date_start'].min().date()} to {events['date_end'].max().date()}"
    by_year = events["date_start"].dt.year.value_counts().sort_index().rename("events")
    province = events["province"].where(events["province"] != "", "(none)")
    totals = events[list(CASUALTY_FIELDS)].sum(min_count=1).rename("total (as reported)")
    return [
        ("Events", f"{len(events)} events, {span}"),
        ("By type", events["event_type"].value_counts().sort_index().rename("events")),
        ("By province", province.value_counts().sort_index().rename("events")),
        ("By year", by_year),
        ("Casualties (sum of reported figures)", totals),
    ]
