"""Record-level validation of raw event tables.

Every rule is vectorised: it computes a mask of bad rows over the whole table and only then
builds a :class:`Problem` for each bad row, so clean data costs a few array operations per
rule, whatever its size. All problems are collected; none stops the others being found.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa

from geo._errors import NO_VALUE, Problem
from geo._io import LIMITS
from geo.dates import DATE_FORMS, end_of, parse_dates
from geo.schema import (
    CASUALTY_FIELDS,
    DATE_PRECISIONS,
    DEATH_FIELDS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    TEXT_FIELDS,
)

GEO_PRECISION_CODES = {"1": "exact", "2": "district", "3": "province"}
_MIN_DAY, _MAX_DAY = "1678-01-01", "2261-12-31"
_MAX_COUNT = 2**53


@dataclass
class Checked:
    """Typed columns, the mask of rows without errors, and the problems found."""

    typed: pd.DataFrame
    ok: pd.Series
    problems: list[Problem] = field(default_factory=list)


class _Collector:
    def __init__(self, raw: pd.DataFrame, name: str) -> None:
        self.raw, self.name = raw, name
        self.bad = np.zeros(len(raw), dtype=bool)
        self.found: list[tuple[int, int, Problem]] = []

    def add(self, mask: Any, fld: str, values: Any, message: str, severity: str = "error") -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        per_row = isinstance(values, pd.Series | np.ndarray) and len(values) == len(mask)
        vals = np.asarray(values, dtype=object)[rows] if per_row else [values] * len(rows)
        wheres = self.raw["_where"].to_numpy(dtype=object)[rows]
        n = len(self.found)
        self.found.extend(
            (int(r), n + k, Problem(self.name, w, fld, v, message, severity))
            for k, (r, w, v) in enumerate(zip(rows, wheres, vals, strict=True))
        )
        if severity == "error":
            self.bad |= mask

    def problems(self) -> list[Problem]:
        return [p for _, _, p in sorted(self.found, key=lambda t: (t[0], t[1]))]


def check(raw: pd.DataFrame, name: str) -> Checked:
    """Validate a raw table (object columns named as the canonical ones) and type it."""
    if "_where" not in raw:
        raw = raw.assign(_where=[f"record {i}" for i in range(1, len(raw) + 1)])
    c = _Collector(raw, name)
    raw = _without_surrogates(raw, c)
    typed = pd.DataFrame(index=raw.index)
    typed["_where"] = raw["_where"]
    _text_fields(raw, typed, c)
    _scalar_fields(raw, c)
    _required(raw, typed, c)
    _geometry(raw, typed, c)
    _dates(raw, typed, c)
    _types(typed, c)
    _precision(raw, typed, c)
    for f in (*CASUALTY_FIELDS, *DEATH_FIELDS):
        typed[f] = _count(raw[f], f, c)
    _ranges(typed, c)
    _duplicates(typed, c)
    typed["sources"] = _sources(raw["sources"], c)
    typed["tags"] = _tags(raw["tags"], c)
    return Checked(typed, pd.Series(~c.bad, index=raw.index), c.problems())


def _without_surrogates(raw: pd.DataFrame, c: _Collector) -> pd.DataFrame:
    """Report and blank text holding an unpaired UTF-16 surrogate, before any conversion.

    Such text (from a broken ``\\udXXX`` escape in JSON, or a DataFrame) is not valid
    Unicode: Arrow-backed strings cannot hold it and no file can be written with it. Only
    inputs that can carry one are scanned (a file decoded from UTF-8 cannot).
    """
    if not raw.attrs.get("maybe_surrogates", True):
        return raw
    out = raw
    for f in raw.columns:
        if f.startswith("_") or f in ("sources", "tags") or raw[f].dtype != object:
            continue
        found = _has_surrogate(raw[f])
        if found.any():
            shown = raw[f].map(
                lambda t: (
                    t.encode("utf-8", "backslashreplace").decode("ascii", "replace")
                    if isinstance(t, str)
                    else t
                )
            )
            msg = "holds an unpaired UTF-16 surrogate (a broken \\udXXX escape); not valid Unicode"
            c.add(found, f, shown, msg)
            out = out.copy() if out is raw else out
            out.loc[found, f] = None
    return out


def _has_surrogate(s: pd.Series) -> np.ndarray:
    try:
        return s.str.contains(_SURROGATE, regex=True, na=False).to_numpy(dtype=bool)
    except AttributeError:  # no text in the column at all (numbers, lists)
        values = s.to_numpy()
        return np.fromiter(
            (isinstance(v, str) and _SURROGATE_RE.search(v) is not None for v in values),
            dtype=bool,
            count=len(values),
        )


def _texts(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Values as stripped text (``""`` when missing), and the mask of lists and objects.

    Columns that hold only text and missing values (every CSV, most GeoJSON) take a
    vectorised path; mixed columns (numbers in a GeoJSON) are converted value by value.
    """
    if _is_text(s):  # Arrow text (CSV): no lists, objects or numbers to look for
        return s.fillna("").str.strip(), np.zeros(len(s), dtype=bool)
    types = s.map(type)
    missing = s.isna().to_numpy()
    nested = types.isin([list, dict]).to_numpy()
    if (types.isin([str]).to_numpy() | missing).all():
        text = s.fillna("").astype(str)
    else:
        text = s.where(~(missing | nested), "").map(_as_text)
    return text.str.strip(), nested


def _is_text(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype)


def _is_missing(s: pd.Series) -> np.ndarray:
    text, nested = _texts(s)
    return (text == "").to_numpy() & ~nested


def _text_fields(raw: pd.DataFrame, typed: pd.DataFrame, c: _Collector) -> None:
    for f in TEXT_FIELDS:
        s = raw[f]
        text, nested = _texts(s)
        c.add(nested, f, s.map(_brief) if nested.any() else s, "must be text, not a list or object")
        c.add(_booleans(s), f, s, "must be text, not true/false")
        typed[f] = _checked_text(text, f, c)
    typed["country"] = typed["country"].str.upper()
    bad_iso = (typed["country"] != "") & ~typed["country"].str.fullmatch(r"[A-Z]{3}")
    c.add(
        bad_iso,
        "country",
        raw["country"],
        "accepted: an ISO 3166-1 alpha-3 code such as 'AFG' or 'PAK'",
    )


#: Fields that hold one scalar (text, or a number for dates written as years).
_SCALAR_FIELDS = {
    "date_start": "a date such as '2025-10-12'",
    "date_end": "a date such as '2025-10-12'",
    "date_precision": "text: day, month or year",
    "geo_precision": "text: exact, district or province (or 1, 2, 3)",
}


def _scalar_fields(raw: pd.DataFrame, c: _Collector) -> None:
    """Lists, objects and true/false where one value belongs are errors, never ignored."""
    for f, accepted in _SCALAR_FIELDS.items():
        s = raw[f]
        if _is_text(s):
            continue
        wrong = s.map(type).isin([list, dict, bool, np.bool_]).to_numpy()
        c.add(wrong, f, s.map(_brief) if wrong.any() else s, f"wrong type; accepted: {accepted}")


def _booleans(s: pd.Series) -> np.ndarray:
    if _is_text(s):
        return np.zeros(len(s), dtype=bool)
    return s.map(type).isin([bool, np.bool_]).to_numpy()


_SURROGATE = "[\ud800-\udfff]"


def _checked_text(text: pd.Series, f: str, c: _Collector) -> pd.Series:
    """Report text too long to be a field, and blank it (surrogates: see above)."""
    limit = LIMITS.max_field_chars
    long = (text.str.len() > limit).to_numpy()
    c.add(long, f, text.str[:60] + "…", f"longer than {limit:,} characters; shorten it")
    return text.where(~long, "")


def _brief(value: Any) -> Any:
    """The value for a message; one nested too deeply to print is named by type and size."""
    if isinstance(value, list | dict) and _too_deep(value):
        return f"<{type(value).__name__} of {len(value)}, nested too deeply to show>"
    return value


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _required(raw: pd.DataFrame, typed: pd.DataFrame, c: _Collector) -> None:
    for f in ("event_id", "date_start", "event_type"):
        missing = typed[f] == "" if f in typed else _is_missing(raw[f])
        c.add(missing, f, NO_VALUE, "required field is missing or empty")


def _geometry(raw: pd.DataFrame, typed: pd.DataFrame, c: _Collector) -> None:
    kind = raw["_geom_type"] if "_geom_type" in raw else pd.Series("Point", index=raw.index)
    lon, lat = raw["_lon"].astype("float64"), raw["_lat"].astype("float64")
    written = (raw["_raw_lon"], raw["_raw_lat"]) if "_raw_lon" in raw else (lon, lat)
    shown = _pairs(*written, kind.isin(["non-numeric", "unprojectable"]).to_numpy())
    c.add(
        kind == "missing",
        "geometry",
        NO_VALUE,
        "required point geometry (or latitude/longitude) is missing",
    )
    c.add(
        kind == "non-numeric",
        "geometry",
        shown,
        "latitude and longitude must be numbers in decimal degrees",
    )
    c.add(
        kind == "unprojectable",
        "geometry",
        shown,
        "coordinates cannot be reprojected from the declared CRS",
    )
    c.add(
        kind == "Point?",
        "geometry",
        NO_VALUE,
        "Point coordinates must be two numbers [longitude, latitude]",
    )
    other = ~kind.isin(["Point", "Point?", "missing", "non-numeric", "unprojectable"])
    c.add(
        other,
        "geometry",
        kind,
        "geometry must be a Point; accepted: Point with [longitude, latitude]",
    )
    is_point = (kind == "Point").to_numpy()
    bad_lat = is_point & ~((lat >= -90) & (lat <= 90)).to_numpy()
    bad_lon = is_point & ~((lon >= -180) & (lon <= 180)).to_numpy()
    c.add(
        bad_lat,
        "latitude",
        lat,
        "latitude out of range; accepted: -90 to 90 (is the order [lon, lat]?)",
    )
    c.add(bad_lon, "longitude", lon, "longitude out of range; accepted: -180 to 180")
    typed["_lon"], typed["_lat"] = lon, lat


def _pairs(a: pd.Series, b: pd.Series, rows: np.ndarray) -> np.ndarray:
    """(a, b) per row, made only where ``rows`` needs it (the coordinates as written)."""
    out = np.empty(len(a), dtype=object)
    idx = np.flatnonzero(rows)
    out[idx] = list(zip(a.to_numpy()[idx], b.to_numpy()[idx], strict=True))
    return out


def _parse_dates(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (start, implied end, form) for a column of date values (see :mod:`geo.dates`)."""
    return parse_dates(_texts(s)[0])


def _out_of_range(dates: pd.Series) -> np.ndarray:
    """Dates that the canonical nanosecond timestamps cannot hold (before 1678 or after 2261)."""
    return np.asarray(
        (dates < pd.Timestamp(_MIN_DAY)) | (dates > pd.Timestamp(_MAX_DAY)), dtype=bool
    )


def _dates(raw: pd.DataFrame, typed: pd.DataFrame, c: _Collector) -> None:
    given = _texts(raw["date_precision"])[0].str.lower()
    bad_p = (given != "") & ~given.isin(DATE_PRECISIONS)
    c.add(bad_p, "date_precision", raw["date_precision"], f"accepted: {', '.join(DATE_PRECISIONS)}")
    parsed = {}
    for f in ("date_start", "date_end"):
        present = ~_is_missing(raw[f])
        parsed[f] = start, _, form = _parse_dates(raw[f])
        unparsed = present & (form == "").to_numpy()
        impossible = present & (form != "").to_numpy() & start.isna().to_numpy()
        c.add(unparsed, f, raw[f], f"not a date; accepted forms: {DATE_FORMS}")
        c.add(impossible, f, raw[f], "impossible calendar date (no such day)")
        supported = f"date out of the supported range; accepted: {_MIN_DAY} to {_MAX_DAY}"
        c.add(present & _out_of_range(start), f, raw[f], supported)
    start, _, form = parsed["date_start"]
    precision = given.where(given.isin(DATE_PRECISIONS), form).where(lambda p: p != "", "day")
    _, end_given, end_form = parsed["date_end"]
    end = end_given.where(end_form != "", end_of(start, precision))
    backwards = (end < start).to_numpy()
    c.add(backwards, "date_end", raw["date_end"], "date_end is before date_start")
    start = start.where(~_out_of_range(start))
    end = end.where(~_out_of_range(end))
    typed["date_start"], typed["date_end"], typed["date_precision"] = start, end, precision


def _types(typed: pd.DataFrame, c: _Collector) -> None:
    canon = {t.lower(): t for t in EVENT_TYPES}
    low = typed["event_type"].str.lower()
    unknown = (typed["event_type"] != "") & ~low.isin(list(canon))
    c.add(
        unknown,
        "event_type",
        typed["event_type"],
        f"unknown event type; accepted: {', '.join(EVENT_TYPES)}",
    )
    typed["event_type"] = low.map(canon).fillna(typed["event_type"])
    sub = typed["sub_event_type"]
    for etype, subs in EVENT_TYPES.items():
        lower_subs = {s.lower(): s for s in subs}
        rows = (typed["event_type"] == etype) & (sub != "")
        wrong = rows & ~sub.str.lower().isin(list(lower_subs))
        c.add(
            wrong,
            "sub_event_type",
            sub,
            f"not a sub-event type of {etype!r}; accepted: {', '.join(subs)}",
        )
        typed.loc[rows & ~wrong, "sub_event_type"] = sub[rows & ~wrong].str.lower().map(lower_subs)


def _precision(raw: pd.DataFrame, typed: pd.DataFrame, c: _Collector) -> None:
    text = _texts(raw["geo_precision"])[0].str.lower().replace(GEO_PRECISION_CODES)
    bad = (text != "") & ~text.isin(GEO_PRECISIONS)
    accepted = f"accepted: {', '.join(GEO_PRECISIONS)} (or ACLED codes 1, 2, 3)"
    c.add(bad, "geo_precision", raw["geo_precision"], accepted)
    typed["geo_precision"] = text.where(text != "", "exact")


def _count(s: pd.Series, f: str, c: _Collector) -> pd.Series:
    missing = _is_missing(s)
    is_bool = np.zeros(len(s), bool) if _is_text(s) else s.map(type).isin([bool]).to_numpy()
    num = pd.to_numeric(s.where(~(missing | is_bool)), errors="coerce")
    non_numeric = ~missing & (num.isna().to_numpy() | is_bool)
    c.add(non_numeric, f, s, "must be a whole number or empty")
    negative = (num < 0).to_numpy()
    c.add(negative, f, s, "must not be negative")
    fractional = ~np.isnan(num.to_numpy(dtype="float64")) & (num % 1 != 0).to_numpy()
    c.add(fractional & ~negative, f, s, "must be a whole number")
    huge = (num.abs() > _MAX_COUNT).to_numpy()
    c.add(huge & ~negative, f, s, f"too large; accepted: whole numbers up to {_MAX_COUNT:,}")
    return num.where(~(negative | fractional | huge)).astype("Float64").round().astype("Int64")


def _ranges(typed: pd.DataFrame, c: _Collector) -> None:
    for kind in ("fatalities", "injured"):
        low, best, high = (typed[f"{kind}_{k}"] for k in ("low", "best", "high"))
        for a, b, an, bn in (
            (low, best, "low", "best"),
            (best, high, "best", "high"),
            (low, high, "low", "high"),
        ):
            wrong = (a > b).fillna(False).to_numpy(dtype=bool)
            c.add(
                wrong,
                f"{kind}_{an}",
                a,
                f"{kind}_{an} is greater than {kind}_{bn}; expected low <= best <= high",
            )


def _duplicates(typed: pd.DataFrame, c: _Collector) -> None:
    ids = typed["event_id"]
    dup = (ids != "") & ids.duplicated(keep="first")
    if dup.any():
        first = ids[~ids.duplicated(keep="first")]
        where = pd.Series(typed["_where"][first.index].to_numpy(), index=first.to_numpy())
        for r in np.flatnonzero(dup):
            msg = f"duplicate event_id (first seen at {where[ids.iat[r]]}); ids must be unique"
            c.add(np.arange(len(ids)) == r, "event_id", ids.iat[r], msg)


def _hashable(value: Any) -> Any:
    """A hashable stand-in for a JSON value, so repeated values are checked once."""
    if isinstance(value, list):
        return ("[]", *(_hashable(v) for v in value))
    if isinstance(value, dict):
        return ("{}", *sorted((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _json_keys(values: np.ndarray) -> np.ndarray | None:
    """Each value as orjson's JSON bytes (a hashable stand-in written in C; ``null`` for
    missing values, as :func:`_hashable` makes NaN None), or None if orjson is absent or
    cannot write one of them (a non-text key, a type JSON does not have)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    dumps = orjson.dumps
    try:
        return np.array(
            [b"null" if v is None or (type(v) is float and v != v) else dumps(v) for v in values],
            dtype=object,
        )
    except (TypeError, orjson.JSONEncodeError):
        return None


def _brackets_of(key: bytes) -> int:
    return key.count(b"[") + key.count(b"{")


def _brackets(text: str) -> int:
    """Opening brackets in JSON text: nesting can go no deeper than this."""
    return text.count("[") + text.count("{")


def _too_deep(value: Any) -> bool:
    """Whether lists/objects nest beyond :data:`LIMITS.max_depth` (checked without recursion)."""
    if not isinstance(value, list | dict):
        return False
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if depth > LIMITS.max_depth:
            return True
        children = v.values() if isinstance(v, dict) else v
        stack.extend((ch, depth + 1) for ch in children if isinstance(ch, list | dict))
    return False


def _per_distinct(s: pd.Series, check: Any, c: _Collector) -> pd.Series:
    """Run ``check(value) -> (result, problems)`` once per distinct value of ``s``.

    Sources and tags repeat across most rows of real exports; checking each distinct value
    once keeps a million rows fast. Problems are reported on every row holding the value.
    """
    if _is_text(s) or _all_text(s):  # text only (CSV): nothing nested, already hashable
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
    else:
        keys = _json_keys(s.to_numpy())
        if keys is None:  # values orjson cannot write: walk them in Python
            deep = np.fromiter((_too_deep(v) for v in s.to_numpy()), dtype=bool, count=len(s))
        else:  # only a value with more brackets than the limit can nest beyond it
            deep = np.fromiter(
                (
                    _brackets_of(k) > LIMITS.max_depth and _too_deep(v)
                    for k, v in zip(keys, s, strict=True)
                ),
                dtype=bool,
                count=len(s),
            )
        if deep.any():
            msg = f"nested more than {LIMITS.max_depth} levels deep; accepted: a flat list"
            c.add(deep, str(s.name or "value"), "<deeply nested value>", msg)
            s = s.where(~deep, None)
            keys = None
        if keys is None:
            keys = pd.Series([_hashable(v) for v in s.to_numpy()], index=s.index, dtype="object")
        codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    seen, at = np.unique(codes, return_index=True)
    first = np.zeros(len(uniques), dtype=np.int64)  # the first row holding each value
    first[seen[seen >= 0]] = at[seen >= 0]
    values = s.to_numpy()
    results = []
    for k in range(len(uniques)):
        result, problems = check(values[first[k]])
        for fld, val, msg, sev in problems:
            c.add(codes == k, fld, val, msg, sev)
        results.append(result)
    empty = check(None)[0]
    table = np.empty(len(results) + 1, dtype=object)
    table[: len(results)] = results
    table[-1] = empty
    return pd.Series(table[codes], index=s.index, dtype="object")


def _all_text(s: pd.Series) -> bool:
    """Whether an object column holds only text and missing values (checked in C by Arrow)."""
    try:
        pa.array(s.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeError):
        return False
    return True


def _sources(s: pd.Series, c: _Collector) -> pd.Series:
    return _per_distinct(s, _one_sources, c)


def _one_sources(value: Any) -> tuple[tuple[dict[str, str], ...], list[tuple[str, Any, str, str]]]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return (), []
    if isinstance(value, str) and value.lstrip().startswith(("[", "{")):
        text = value
        try:  # a JSON list of sources, as CSV files carry them
            value = json.loads(value)
        except (json.JSONDecodeError, RecursionError):
            msg = "not valid JSON; accepted: a JSON list of {name, url, date} objects, or text"
            return (), [("sources", value[:80], msg, "error")]
        if _too_deep(value) if _brackets(text) > LIMITS.max_depth else False:
            msg = f"nested more than {LIMITS.max_depth} levels deep; accepted: a flat list"
            return (), [
                ("sources", value[:80] if isinstance(value, str) else "<nested>", msg, "error")
            ]
    if isinstance(value, str):
        value = [{"name": value}]
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return (), [
            ("sources", value, "accepted: a list of {name, url, date} objects, or text", "error")
        ]
    found, problems = [], []
    for i, item in enumerate(value):
        key = _source_key(item)
        # the common shape (short text fields) is checked once per distinct source and place
        src, problem = _cached_source(i, key) if key is not None else _one_source(i, item)
        if problem is not None:
            problems.append(problem)
        if src is not None:
            found.append(src)
    return tuple(found), problems


def _one_source(
    i: int, item: Any
) -> tuple[dict[str, str] | None, tuple[str, Any, str, str] | None]:
    """Source ``i`` of a list checked: the source kept (or None) and its problem (or None)."""
    if not isinstance(item, dict) or not str(item.get("name") or item.get("url") or "").strip():
        return None, (f"sources[{i}]", item, "each source needs a 'name' or a 'url'", "error")
    wrong = [k for k in ("name", "url", "date") if not isinstance(item.get(k), str | None)]
    if wrong:
        msg = "name, url and date must be text"
        return None, (f"sources[{i}].{wrong[0]}", _brief(item[wrong[0]]), msg, "error")
    src = {k: item[k].strip() for k in ("name", "url", "date") if item.get(k)}
    if any(_SURROGATE_RE.search(v) for v in src.values()):
        msg = "holds an unpaired UTF-16 surrogate (a broken \\udXXX escape); not valid Unicode"
        return None, (f"sources[{i}]", "<text>", msg, "error")
    url = src.get("url", "")
    if url and _scheme(url) not in ("http", "https"):
        msg = "only http(s) links are made clickable; this one is shown as text"
        return src, (f"sources[{i}].url", url, msg, "warning")
    return src, None


_SOURCE_KEYS = frozenset(("name", "url", "date"))


def _source_key(item: Any) -> tuple[tuple[str, str | None], ...] | None:
    """A hashable stand-in for a short source object of text (or null) fields, else None."""
    if not isinstance(item, dict) or len(item) > 3 or not _SOURCE_KEYS.issuperset(item):
        return None
    values = item.values()
    if not all(type(v) is str or v is None for v in values):
        return None
    if sum(len(v) for v in values if v is not None) > 2048:
        return None
    return tuple(item.items())  # in the item's order, so a message shows it as written


@functools.lru_cache(maxsize=8192)
def _cached_source(
    i: int, key: tuple[tuple[str, str | None], ...]
) -> tuple[dict[str, str] | None, tuple[str, Any, str, str] | None]:
    """:func:`_one_source` once per distinct source (outlets repeat across most rows)."""
    return _one_source(i, dict(key))


_SURROGATE_RE = re.compile(_SURROGATE)


def _scheme(url: str) -> str:
    """The URL's scheme in lower case, or ``""`` when it does not parse (``http://[::1``)."""
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def _one_tags(v: Any) -> tuple[tuple[str, ...], list[tuple[str, Any, str, str]]]:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return (), []
    if isinstance(v, str) and v.lstrip().startswith("["):
        try:  # a JSON list, as exports and DataFrames written to text carry them
            v = json.loads(v)
        except (json.JSONDecodeError, RecursionError):
            return (), [
                (
                    "tags",
                    v[:80],
                    "not valid JSON; accepted: a JSON list or comma-separated text",
                    "error",
                )
            ]
    elif isinstance(v, str):
        v = v.split(",")
    if isinstance(v, list) and all(isinstance(t, str) for t in v):
        if any(_SURROGATE_RE.search(t) for t in v):
            msg = "holds an unpaired UTF-16 surrogate (a broken \\udXXX escape); not valid Unicode"
            return (), [("tags", "<text>", msg, "error")]
        return tuple(t.strip() for t in v if t.strip()), []
    return (), [("tags", v, "accepted: a list of text tags or comma-separated text", "error")]


def _tags(s: pd.Series, c: _Collector) -> pd.Series:
    return _per_distinct(s, _one_tags, c)
