"""Recognise ACLED and UCDP GED exports and map their columns onto the canonical fields.

Both are CSV tables with their own column names and codes. Mapping them here, before
validation, means every rule and every message of :mod:`geo._validate` applies to them
unchanged; a value the mapping cannot translate is passed through, so validation names it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

import numpy as np
import pandas as pd

from geo._arrowcsv import distinct_rows, expand

#: ISO 3166-1 numeric (ACLED ``iso``) and Gleditsch–Ward (UCDP ``country_id``) codes of the
#: region's countries. Others stay empty; enrichment fills AFG/PAK from the polygons.
ISO_NUMERIC = {
    "4": "AFG",
    "586": "PAK",
    "364": "IRN",
    "356": "IND",
    "156": "CHN",
    "762": "TJK",
    "795": "TKM",
    "860": "UZB",
    "634": "QAT",
}
GLEDITSCH_WARD = {
    "700": "AFG",
    "770": "PAK",
    "630": "IRN",
    "750": "IND",
    "710": "CHN",
    "702": "TJK",
    "701": "TKM",
    "704": "UZB",
    "694": "QAT",
}
#: UCDP type_of_violence -> ACLED event type and sub-event type.
UCDP_TYPES = {
    "1": ("Battles", "Armed clash"),  # state-based
    "2": ("Battles", "Armed clash"),  # non-state
    "3": ("Violence against civilians", "Attack"),  # one-sided
}
#: UCDP where_prec -> place precision, by the GED codebook: 1 exact place; 2 within about
#: 25 km of the point (a stand-in, not "exact"); 3 second-order unit (district); 4 first-order
#: unit (province); 5 a larger linear or area feature; 6 country; 7 international waters.
UCDP_PLACE = {
    "1": "exact",
    "2": "district",
    "3": "district",
    "4": "province",
    "5": "province",
    "6": "province",
    "7": "province",
}
#: UCDP date_prec -> date precision, by the GED codebook: 1 exact day; 2 within 2-6 days;
#: 3 within a week; 4 within a month; 5 within a year. ``date_start``/``date_end`` give the
#: span, so 2 and 3 stay day precision over that span (as ACLED's "within a week" does).
UCDP_DATE = {"1": "day", "2": "day", "3": "day", "4": "month", "5": "year"}


def detect(columns: pd.Index) -> str | None:
    """``"acled"``, ``"ucdp"`` or None (the canonical columns) from a CSV header."""
    names = set(columns)
    if {"event_id_cnty", "event_date", "event_type"} <= names:
        return "acled"
    if {"type_of_violence", "side_a", "date_start", "best"} <= names:
        return "ucdp"
    return None


#: The column that holds each format's event id (the canonical form's is ``event_id``).
ID_COLUMNS = {"acled": "event_id_cnty", "ucdp": "id", None: "event_id"}


def event_ids(kind: str | None, ids: pd.Series) -> pd.Series:
    """The event ids a format's id column gives, stripped (``""`` where missing)."""
    ids = ids.fillna("").str.strip()
    if kind == "ucdp":
        return ("UCDP-" + ids).where(ids != "", "")
    return ids


def _code(table: pd.DataFrame, column: str, mapping: dict[str, str]) -> pd.Series:
    """Map codes, passing unknown values through so that validation reports them."""
    values = table.get(column, pd.Series("", index=table.index)).str.strip()
    return values.map(mapping).fillna(values)


def from_acled(table: pd.DataFrame) -> pd.DataFrame:
    """ACLED export -> canonical columns (the reader takes the coordinates from the table).

    Columns taken as they are stay the table's own (Arrow text is not copied); the others
    are mapped once per distinct value (or combination) and given back to every row.
    """
    out = {field: table[column] for field, column in _ACLED_AS_IS.items() if column in table}
    codes, rows = distinct_rows(table, ("event_date", "time_precision"))
    out["date_start"], out["date_end"], out["date_precision"] = (
        expand(values, codes, table.index) for values in _acled_days(rows)
    )
    codes, rows = distinct_rows(table, ("interaction", "inter1", "inter2"))
    out["interaction"] = expand(_acled_interaction(rows), codes, table.index)
    codes, rows = distinct_rows(table, ("iso",))
    country = _code(rows, "iso", ISO_NUMERIC).where(lambda s: s.str.fullmatch(r"[A-Z]{3}"), "")
    out["country"] = expand(country, codes, table.index)
    out["dataset"] = pd.Series("ACLED", index=table.index)
    for field, column, convert in (
        ("sources", "source", _acled_sources),
        ("tags", "tags", _acled_tags),
        ("dataset_updated", "timestamp", _acled_updated),
    ):
        if column in table:
            codes, rows = distinct_rows(table, (column,))
            out[field] = expand(rows[column].fillna("").map(convert), codes, table.index)
    return pd.DataFrame({f: out[f] for f in _ACLED_ORDER if f in out}, index=table.index)


#: ACLED columns taken as they are, by the canonical field they fill.
_ACLED_AS_IS = {
    "event_id": "event_id_cnty",
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "disorder_type": "disorder_type",
    "actor1": "actor1",
    "assoc_actor1": "assoc_actor_1",
    "actor2": "actor2",
    "assoc_actor2": "assoc_actor_2",
    "civilian_targeting": "civilian_targeting",
    "province": "admin1",
    "admin2": "admin2",
    "admin3": "admin3",
    "location": "location",
    "geo_precision": "geo_precision",
    "fatalities_best": "fatalities",
    "summary": "notes",
    "source_scale": "source_scale",
}
_ACLED_ORDER = (
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
    "country",
    "province",
    "admin2",
    "admin3",
    "location",
    "geo_precision",
    "fatalities_best",
    "summary",
    "sources",
    "source_scale",
    "dataset",
    "dataset_updated",
    "tags",
)


def _acled_days(table: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Start and end days (ISO text, or the text as given when it is not a date) and the
    date precision, from ``event_date`` and ``time_precision``."""
    dates = _acled_dates(table["event_date"])
    week = table.get("time_precision", pd.Series("", index=table.index)).str.strip() == "2"
    # "within a week": ACLED gives the middle of the week; span it rather than invent a day
    start = dates.where(~week, dates - pd.Timedelta(days=3))
    end = dates.where(~week, dates + pd.Timedelta(days=3))
    precision = _code(table, "time_precision", {"1": "day", "2": "day", "3": "month"})
    return _iso_or_raw(start, table["event_date"]), _iso_or_raw(end, table["event_date"]), precision


#: ACLED's actor categories (``inter1``/``inter2``), by the codes of exports before 2024;
#: later exports give the names themselves, and ``interaction`` as "State forces-Civilians".
ACLED_INTER = {
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}


def _acled_interaction(table: pd.DataFrame) -> pd.Series:
    """The interaction as names: ACLED's text as given, codes ("17", or inter1/inter2) named.

    A code pair such as ``17`` (state forces against civilians) or ``10`` (state forces
    alone) becomes "State forces-Civilians" / "State forces", as current exports write it.
    """
    empty = pd.Series("", index=table.index, dtype="str")
    given, inter1, inter2 = (
        table.get(c, empty).astype("str").str.strip() for c in ("interaction", "inter1", "inter2")
    )
    # once per distinct (interaction, inter1, inter2): a handful in a whole export
    codes, keys = pd.factorize(given + "\x1f" + inter1 + "\x1f" + inter2)
    named = np.array([_named_interaction(*k.split("\x1f")) for k in keys], dtype=object)
    return pd.Series(named[codes], index=table.index, dtype="object")


def _named_interaction(text: str, a: str, b: str) -> str:
    """One interaction as names (see :func:`_acled_interaction`)."""
    if text and not (text.isdigit() and len(text) == 2):
        return text  # names, or a value validation passes on as it is
    codes = list(text) if text else [a, b]
    if text and any(c not in ACLED_INTER and c != "0" for c in codes):
        return text  # not ACLED's codes: passed on as it is
    return "-".join(ACLED_INTER.get(c, c) for c in codes if c not in ("", "0"))


def _acled_updated(text: str) -> str:
    """ACLED's ``timestamp`` (when the record was last changed, in Unix seconds) as the
    UTC day ``YYYY-MM-DD``; text that is not such a number is kept as it is (the credit
    then names no date for it)."""
    stripped = text.strip()
    if not stripped.isdigit() or len(stripped) > 11:  # 11 digits: beyond the year 5000
        return stripped
    return dt.datetime.fromtimestamp(int(stripped), tz=dt.UTC).strftime("%Y-%m-%d")


def _acled_tags(text: str) -> str:
    """ACLED separates tags with semicolons ("crowd size=no report; women targeted: ...");
    the list as JSON text, which validation reads like a ``tags`` column."""
    import json

    tags = [t.strip() for t in str(text).split(";") if t.strip()]
    return json.dumps(tags) if tags else ""


#: Date layouts seen in ACLED exports: the API's ISO days and the dashboard's "16 April 2022".
ACLED_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y")


def _acled_dates(text: pd.Series) -> pd.Series:
    """Parse each layout explicitly: a guessing parser reads 2022-04-06 as 4 June with dayfirst."""
    text = text.str.strip()
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    for layout in ACLED_DATE_FORMATS:
        todo = dates.isna()
        dates[todo] = pd.to_datetime(text[todo], format=layout, errors="coerce")
    return dates


def _iso_or_raw(dates: pd.Series, raw: pd.Series) -> pd.Series:
    return pd.Series(np.where(dates.isna(), raw, dates.dt.strftime("%Y-%m-%d")), index=raw.index)


def _acled_sources(text: str) -> str:
    """ACLED's ``source`` lists outlets separated by semicolons; keep each as a source.

    The JSON is ``json.dumps([{"name": n}, ...])``, built from each outlet's piece (made once
    per distinct outlet: a few dozen outlets make tens of thousands of combinations).
    """
    names = [s.strip() for s in str(text).split(";") if s.strip()]
    return "[" + ", ".join(map(_outlet_json, names)) + "]" if names else ""


def _outlet_json(name: str) -> str:
    return _short_outlet_json(name) if len(name) <= 256 else json.dumps({"name": name})


@functools.lru_cache(maxsize=4096)
def _short_outlet_json(name: str) -> str:
    return json.dumps({"name": name})


def from_ucdp(table: pd.DataFrame) -> pd.DataFrame:
    """UCDP GED export -> canonical columns (the reader takes the coordinates from the table)."""
    kinds = table["type_of_violence"].str.strip()
    ids = table.get("id", pd.Series("", index=table.index))
    etype = kinds.map({k: v[0] for k, v in UCDP_TYPES.items()}).fillna(kinds)
    subtype = kinds.map({k: v[1] for k, v in UCDP_TYPES.items()}).fillna("")
    sources: Any = ""
    if "source_article" in table or "source_office" in table:
        columns = ("source_article", "source_office", "source_headline", "source_date")
        codes, rows = distinct_rows(table, columns)
        empty = pd.Series("", index=rows.index)
        found = [
            _ucdp_articles(article) or _ucdp_source(office, headline, date)
            for article, office, headline, date in zip(
                *(rows.get(c, empty) for c in columns), strict=True
            )
        ]
        sources = expand(found, codes, table.index)
    out = pd.DataFrame(
        {
            "event_id": event_ids("ucdp", ids),
            "date_start": table["date_start"].str.strip().str[:10],
            "date_end": table.get("date_end", pd.Series("", index=table.index))
            .str.strip()
            .str[:10],
            "date_precision": _code(table, "date_prec", UCDP_DATE),
            "event_type": etype,
            "sub_event_type": subtype,
            "actor1": table.get("side_a", ""),
            "actor2": table.get("side_b", ""),
            "conflict_name": table.get("conflict_name", ""),
            "dyad_name": table.get("dyad_name", ""),
            "country": _code(table, "country_id", GLEDITSCH_WARD).where(
                lambda s: s.str.fullmatch(r"[A-Z]{3}"), ""
            ),
            "province": table.get("adm_1", pd.Series("", index=table.index)).str.replace(
                r"\s+(province|district)$", "", regex=True
            ),
            "admin2": table.get("adm_2", pd.Series("", index=table.index)).str.replace(
                r"\s+district$", "", regex=True
            ),
            "location": table.get("where_coordinates", ""),
            "geo_precision": _code(table, "where_prec", UCDP_PLACE),
            "fatalities_low": table.get("low", ""),
            "fatalities_best": table["best"],
            "fatalities_high": table.get("high", ""),
            # GED's breakdown of ``best``: side A, side B, civilians, unknown
            "deaths_side_a": table.get("deaths_a", ""),
            "deaths_side_b": table.get("deaths_b", ""),
            "deaths_civilians": table.get("deaths_civilians", ""),
            "deaths_unknown": table.get("deaths_unknown", ""),
            "summary": table.get("where_description", ""),
            "sources": sources,
            "dataset": "UCDP GED",
        },
        index=table.index,
    )
    return out


def _ucdp_articles(text: str) -> str:
    """GED's ``source_article``: the articles coded, separated by semicolons, each
    ``Outlet,YYYY-MM-DD,Headline`` (the date and headline may be missing). Each becomes a
    source named after its outlet and headline, with its publication date."""
    import json
    import re

    sources = []
    for entry in str(text).split(";"):
        parts = [p.strip().strip('"').strip() for p in entry.strip().split(",", 2)]
        if not parts[0]:
            continue
        source = {"name": parts[0]}
        rest = parts[1:]
        if rest and re.fullmatch(r"\d{4}-\d{2}-\d{2}", rest[0][:10]):
            source["date"] = rest.pop(0)[:10]
        headline = ", ".join(r for r in rest if r)
        if headline:
            source["name"] += f": {headline}"
        sources.append(source)
    return json.dumps(sources) if sources else ""


def _ucdp_source(office: str, headline: str, date: str) -> str:
    import json

    names = [s.strip() for s in str(office).split(";") if s.strip()]
    if not names:
        return ""
    first = {"name": names[0] + (f": {headline.strip()}" if headline and headline.strip() else "")}
    if date and str(date).strip():
        first["date"] = str(date).strip()[:10]
    return json.dumps([first] + [{"name": n} for n in names[1:]])


READERS = {"acled": from_acled, "ucdp": from_ucdp}

#: The column of each export a canonical field is read from, as the user's file spells it:
#: problems name these, not the canonical fields (a field made of several columns names
#: the first; one not listed is named as it is).
COLUMNS_READ = {
    "acled": {
        **{field: column for field, column in _ACLED_AS_IS.items()},
        "date_start": "event_date",
        "date_end": "event_date",
        "date_precision": "time_precision",
        "interaction": "interaction",
        "country": "iso",
        "sources": "source",
        "tags": "tags",
        "dataset_updated": "timestamp",
    },
    "ucdp": {
        "event_id": "id",
        "date_start": "date_start",
        "date_end": "date_end",
        "date_precision": "date_prec",
        "event_type": "type_of_violence",
        "sub_event_type": "type_of_violence",
        "actor1": "side_a",
        "actor2": "side_b",
        "country": "country_id",
        "province": "adm_1",
        "admin2": "adm_2",
        "location": "where_coordinates",
        "geo_precision": "where_prec",
        "fatalities_low": "low",
        "fatalities_best": "best",
        "fatalities_high": "high",
        "deaths_side_a": "deaths_a",
        "deaths_side_b": "deaths_b",
        "summary": "where_description",
        "sources": "source_article",
    },
}
