"""Enrichment against the border and provinces; summaries and aggregates."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo._errors import Problem
from geo._progress import step
from geo.border import BELT_KM, SIDES, BorderIndex, check_belt_km, side_of
from geo.events import LoadReport
from geo.filters import Filters
from geo.provinces import MISMATCH_TOLERANCE_KM, distance_to_named_km, province_of
from geo.schema import CASUALTY_FIELDS, GROUPS, PERIODS

ENRICH_COLUMNS = ("border_distance_km", "border_side", "in_border_belt")
_WGS84 = CRS.from_epsg(4326)
FATALITIES = ("fatalities_low", "fatalities_best", "fatalities_high")


@dataclass
class Prepared:
    """Loaded, enriched and filtered events, and what happened on the way.

    Attributes
    ----------
    report : LoadReport
        Every valid event (enriched) and every problem found reading them.
    shown : geopandas.GeoDataFrame
        The events the filters keep.
    warnings : list of Problem
        What enrichment found (a point outside its declared province).
    filters : Filters
        The filters applied.
    note : str
        Set when the events shown stand for more (the dask engine's aggregated view).
    notes : list of str
        What the user should hear about the options (an actor no event names).
    """

    report: LoadReport
    shown: gpd.GeoDataFrame
    warnings: list[Problem]
    filters: Filters = field(default_factory=Filters)
    note: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def start(self) -> pd.Timestamp | None:
        """The first day of the date window, if one was asked for."""
        return self.filters.start

    @property
    def end(self) -> pd.Timestamp | None:
        """The last day of the date window, if one was asked for."""
        return self.filters.end


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
    index: BorderIndex | None = None,
    only: Collection[str] | None = None,
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
    index : BorderIndex, optional
        The line's index built once from ``border`` and reused; a driver that enriches many
        partitions (:mod:`geo.distributed`) passes it so the index is built once per worker.
    only : collection of str, optional
        Compute only these of :data:`ENRICH_COLUMNS` (:func:`needs` gives what a grouping
        of :func:`aggregate` needs): ``geo stats`` measures no distance unless it groups by
        belt. Provinces are always filled and checked, and countries filled when the side
        is computed; the values are those of the full enrichment.

    Returns
    -------
    Enriched
        A copy of ``events`` with :data:`ENRICH_COLUMNS` (or ``only``), plus a warning for
        each event whose point lies outside its declared province by more than its
        precision allows.
    """
    belt_km = check_belt_km(belt_km)
    wanted = set(ENRICH_COLUMNS if only is None else only)
    step(f"enriching {len(events):,} events")
    out = events.copy(deep=False)  # copy on write: the caller's frame is never changed
    pts = out.geometry
    if pts.crs is not None and not pts.crs.equals(_WGS84):
        pts = pts.to_crs(_WGS84)
    lon, lat = shapely.get_x(pts.values), shapely.get_y(pts.values)
    if wanted & {"border_distance_km", "in_border_belt"}:
        index = index if index is not None else BorderIndex(border)
        out["border_distance_km"] = index.distance_km(lon, lat)
    if "border_side" in wanted:
        side = side_of(lon, lat, countries)
        out["border_side"] = pd.Series(side, index=out.index, dtype="str")
    if "in_border_belt" in wanted:
        out["in_border_belt"] = out["border_distance_km"] <= belt_km
    if only is not None:
        out = out.drop(columns=[c for c in ENRICH_COLUMNS if c in out and c not in wanted])
    found = province_of(lon, lat, provinces)
    warnings = _province_warnings(out, provinces, found)
    # fill empty provinces: per distinct value, then one gather over the rows
    names = np.append(provinces["province"].to_numpy(dtype=object), "")
    province = out["province"].to_numpy(dtype=object)
    empty = (province == "") & (found >= 0)
    if empty.any():
        out["province"] = pd.Series(
            np.where(empty, names[found], province), index=out.index, dtype=out["province"].dtype
        )
    if "border_side" in out:
        no_country = (out["country"] == "") & out["border_side"].isin(SIDES)
        if no_country.any():
            out["country"] = out["country"].where(~no_country, out["border_side"])
    return Enriched(out, warnings)


#: What each grouping of :func:`aggregate` needs of :func:`enrich` (``country`` is filled
#: from the side where the events lack it).
NEEDS = {
    "province": (),
    "country": ("border_side",),
    "event_type": (),
    "border_side": ("border_side",),
    "belt": ("border_distance_km", "in_border_belt"),
}


def needs(by: str | Sequence[str]) -> tuple[str, ...]:
    """The :data:`ENRICH_COLUMNS` that :func:`aggregate` ``by`` these keys needs."""
    keys = (by,) if isinstance(by, str) else tuple(by)
    return tuple(c for c in ENRICH_COLUMNS if any(c in NEEDS.get(k, ENRICH_COLUMNS) for k in keys))


def _province_warnings(
    events: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame, found: np.ndarray
) -> list[Problem]:
    """A warning per event whose point lies outside its declared province by more than its
    precision allows (``found``: index into ``provinces`` of the polygon holding each point,
    or -1). Built from whole columns, names compared per distinct value: a file where every
    province disagrees costs a few array passes, not a lookup per event."""
    declared = events["province"].to_numpy(dtype=object)
    polygon_names = provinces["province"].to_numpy(dtype=object)
    # the declared and the found names, lower-cased once each, as numbers of one vocabulary
    codes, uniques = pd.factorize(events["province"], use_na_sentinel=True)
    vocab: dict[str, int] = {}
    polygon_id = [vocab.setdefault(str(n).lower(), len(vocab)) for n in polygon_names]
    declared_id = [vocab.get(str(u).lower(), -2) for u in uniques]
    found_id = np.array([*polygon_id, -3], dtype=np.int64)[found]  # -1 picks "no province"
    same = np.array([*declared_id, -2], dtype=np.int64)[codes] == found_id
    check = (declared != "") & events["country"].isin(SIDES).to_numpy(dtype=bool) & ~same
    if not check.any():
        return []
    rows = np.flatnonzero(check)
    dist = distance_to_named_km(events.geometry.iloc[rows], provinces, declared[rows])
    precision = events["geo_precision"].to_numpy(dtype=object)[rows]
    tolerance = pd.Series(precision).map(MISMATCH_TOLERANCE_KM).fillna(5.0).to_numpy()
    unknown, outside = np.isnan(dist), dist > tolerance
    keep = unknown | outside
    if not keep.any():
        return []
    rows, dist, precision, tolerance = rows[keep], dist[keep], precision[keep], tolerance[keep]
    unknown = unknown[keep]
    ids = events["event_id"].to_numpy(dtype=object)[rows]
    # quoted once per polygon (and "no province" for -1), then gathered for the rows
    quoted = [repr(str(n or "no province")) for n in polygon_names] + ["'no province'"]
    lies_in = np.array(quoted, dtype=object)[found[rows]]
    msgs = np.where(
        unknown,
        "event " + ids + ": province not found in the province polygons; point lies in " + lies_in,
        "event " + ids + ": point lies " + np.char.mod("%.1f", dist).astype(object)
        + " km outside the declared province (in " + lies_in + "); " + precision
        + " precision allows " + np.char.mod("%g", tolerance).astype(object) + " km",
    )  # fmt: skip
    files = events["origin_file"].to_numpy(dtype=object)[rows]
    wheres = events["origin_record"].to_numpy(dtype=object)[rows]
    values = declared[rows]
    return [
        Problem(f, w, "province", v, m, "warning")
        for f, w, v, m in zip(files, wheres, values, msgs, strict=True)
    ]


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
