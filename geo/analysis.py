"""Enrichment against the border and provinces; summaries and aggregates."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geo._errors import Problem
from geo.border import BELT_KM, SIDES, BorderIndex, border_side, check_belt_km
from geo.events import CASUALTY_FIELDS
from geo.provinces import MISMATCH_TOLERANCE_KM, distance_to_named_km, locate_provinces

ENRICH_COLUMNS = ("border_distance_km", "border_side", "in_border_belt")
PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}
GROUPS = ("province", "country", "event_type", "border_side", "belt")
FATALITIES = ("fatalities_low", "fatalities_best", "fatalities_high")


@dataclass
class Enriched:
    """Events with the border columns added, and the warnings raised on the way."""

    events: gpd.GeoDataFrame
    warnings: list[Problem] = field(default_factory=list)


def enrich(
    events: gpd.GeoDataFrame,
    *,
    border: gpd.GeoDataFrame,
    countries: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    belt_km: float = BELT_KM,
) -> Enriched:
    """Add distance to the line, side, belt membership; fill missing provinces.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Canonical events.
    border, countries, provinces : geopandas.GeoDataFrame
        The line, the AFG/PAK country polygons, the province polygons.
    belt_km : float
        Width of the border belt; ``in_border_belt`` is ``border_distance_km <= belt_km``.

    Returns
    -------
    Enriched
        A copy of ``events`` with :data:`ENRICH_COLUMNS`, plus a warning for each event
        whose point lies outside its declared province by more than its precision allows.
    """
    belt_km = check_belt_km(belt_km)
    out = events.copy()
    pts = out.geometry
    out["border_distance_km"] = BorderIndex(border).distance_km(pts.x.to_numpy(), pts.y.to_numpy())
    out["border_side"] = pd.Series(border_side(pts, countries), index=out.index, dtype="str")
    out["in_border_belt"] = out["border_distance_km"] <= belt_km
    found = locate_provinces(pts, provinces)
    names = np.where(found >= 0, provinces["province"].to_numpy()[np.maximum(found, 0)], "")
    warnings = _province_warnings(out, provinces, names)
    empty = (out["province"] == "") & (names != "")
    out.loc[empty, "province"] = names[empty.to_numpy()]
    no_country = (out["country"] == "") & out["border_side"].isin(SIDES)
    out.loc[no_country, "country"] = out.loc[no_country, "border_side"]
    return Enriched(out, warnings)


def _province_warnings(
    events: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame, found: np.ndarray
) -> list[Problem]:
    declared = events["province"].to_numpy()
    check = ((events["province"] != "") & events["country"].isin(SIDES)).to_numpy().copy()
    rows = np.flatnonzero(check)
    same = (
        events["province"].iloc[rows].str.lower().to_numpy()
        == pd.Series(found[rows]).str.lower().to_numpy()
    )
    check[rows[same]] = False
    if not check.any():
        return []
    rows = np.flatnonzero(check)
    sub = events.iloc[rows]
    dist = distance_to_named_km(sub.geometry, provinces, declared[rows])
    tolerance = sub["geo_precision"].map(MISMATCH_TOLERANCE_KM).fillna(5.0).to_numpy()
    warnings = []
    for k, r in enumerate(rows):
        file, _, where = str(events["origin"].iat[r]).partition(": ")
        event = events["event_id"].iat[r]
        if np.isnan(dist[k]):
            msg = f"event {event}: province not found in the province polygons; point lies in {found[r] or 'no province'!r}"
        elif dist[k] > tolerance[k]:
            msg = (
                f"event {event}: point lies {dist[k]:.1f} km outside the declared province "
                f"(in {found[r] or 'no province'!r}); {events['geo_precision'].iat[r]} precision allows {tolerance[k]:g} km"
            )
        else:
            continue
        warnings.append(Problem(file, where, "province", declared[r], msg, "warning"))
    return warnings


def aggregate(
    events: gpd.GeoDataFrame,
    *,
    by: str | tuple[str, ...] = "province",
    period: str | None = "month",
) -> pd.DataFrame:
    """Events and fatalities (low/best/high sums) per group and period.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Enriched canonical events (``belt`` grouping needs ``in_border_belt``).
    by : str or tuple of str
        Any of :data:`GROUPS`; ``"belt"`` splits "within belt" from "elsewhere".
    period : str or None
        ``"month"``, ``"quarter"``, ``"year"``, or None for no time split. An event counts
        in the period of its start date.
    """
    keys = (by,) if isinstance(by, str) else tuple(by)
    for k in keys:
        if k not in GROUPS:
            msg = f"cannot group by {k!r}; accepted: {', '.join(GROUPS)}"
            raise ValueError(msg)
    if period is not None and period not in PERIODS:
        msg = f"unknown period {period!r}; accepted: {', '.join(PERIODS)}"
        raise ValueError(msg)
    frame = pd.DataFrame({k: _group_values(events, k) for k in keys}, index=events.index)
    if period is not None:
        frame["period"] = events["date_start"].dt.to_period(PERIODS[period]).astype(str)
    frame["events"] = 1
    for f in FATALITIES:
        frame[f] = events[f]
    cols = list(frame.columns[: -1 - len(FATALITIES)])
    table = frame.groupby(cols, sort=True).agg(
        events=("events", "sum"), **{f: (f, lambda s: s.sum(min_count=1)) for f in FATALITIES}
    )
    return table.reset_index().astype({f: "Int64" for f in FATALITIES})


def _group_values(events: gpd.GeoDataFrame, key: str) -> pd.Series:
    if key == "belt":
        return events["in_border_belt"].map({True: "within belt", False: "elsewhere"})
    return events[key].where(events[key] != "", "(none)")


def summary_tables(events: gpd.GeoDataFrame) -> list[tuple[str, pd.DataFrame | pd.Series | str]]:
    """Tables for ``geo info``: span, counts by type, province and year, casualty totals."""
    if events.empty:
        return [("Events", "none")]
    span = f"{events['date_start'].min().date()} to {events['date_end'].max().date()}"
    by_year = events["date_start"].dt.year.value_counts().sort_index().rename("events")
    province = events["province"].where(events["province"] != "", "(none)")
    totals = events[list(CASUALTY_FIELDS)].sum(min_count=1).rename("total (as reported)")
    tables: list[tuple[str, pd.DataFrame | pd.Series | str]] = [
        ("Events", f"{len(events)} events, {span}"),
        ("By type", events["event_type"].value_counts().sort_index().rename("events")),
        ("By province", province.value_counts().sort_index().rename("events")),
        ("By year", by_year),
        ("Casualties (sum of reported figures)", totals),
    ]
    if "in_border_belt" in events:
        tables.append(("Border belt vs. elsewhere", aggregate(events, by="belt", period=None)))
        tables.append(("By province and year", aggregate(events, by="province", period="year")))
    return tables
