"""Record-level validation of raw event tables.

Every rule is vectorised: it computes a mask of bad rows over the whole table and only then
builds a :class:`Problem` for each bad row, so clean data costs a few array operations per
rule, whatever its size. All problems are collected; none stops the others being found.

Text is handled as Arrow arrays with :mod:`pyarrow.compute`: a CSV's columns already are
Arrow strings, and a column holding only Python strings (GeoJSON, DataFrames) is converted
once. A rule decides with whole-column compute the rows it can decide exactly (counts and
dates written in ASCII digits; codes and JSON lists once per distinct value) and sends the
other rows through the exact path, the pandas and Python code that also handles columns
Arrow cannot hold (numbers, lists or objects among the text). Both paths give the same
problems and typed values; ``_FAST = False`` (or ``GEO_EXACT=1``) sends every row through the exact path, and
the tests compare the two.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import _twins
from geo._errors import NO_VALUE, Problem
from geo._io import LIMITS
from geo._progress import advance, step
from geo.dates import DATE_FORMS, end_of, parse_dates
from geo.schema import (
    CASUALTY_FIELDS,
    DATE_PRECISIONS,
    DEATH_FIELDS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    REQUIRED,
    TEXT_FIELDS,
)

GEO_PRECISION_CODES = {"1": "exact", "2": "district", "3": "province"}
_MIN_DAY, _MAX_DAY = "1678-01-01", "2261-12-31"
_MAX_COUNT = 2**53
#: Whole-column compute where it decides exactly; False: the exact path for every row.
_FAST = True


def _fast() -> bool:
    """Whether whole-column compute may decide (``_FAST``, and no ``GEO_EXACT``)."""
    return _FAST and _twins.fast()


_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
#: Whether pandas makes Python strings Arrow strings (pandas 3), changing their case as Arrow does.
_STR_IS_ARROW = getattr(pd.Series([""], dtype=object).astype(str).dtype, "storage", "") == "pyarrow"


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
        if mask.any():
            self.add_rows(np.flatnonzero(mask), fld, values, message, severity)

    def add_rows(
        self, rows: np.ndarray, fld: str, values: Any, message: str, severity: str = "error"
    ) -> None:
        """A problem on each of ``rows`` (ascending); ``values`` per row of the table, or one."""
        n = len(self.bad)
        if isinstance(values, pd.Series) and len(values) == n:
            vals: Any = np.asarray(values.iloc[rows], dtype=object)
        elif isinstance(values, np.ndarray) and len(values) == n:
            vals = np.asarray(values[rows], dtype=object)
        else:
            vals = [values] * len(rows)
        wheres = np.asarray(self.raw["_where"].iloc[rows], dtype=object)
        k0 = len(self.found)
        self.found.extend(
            (int(r), k0 + k, Problem(self.name, w, fld, v, message, severity))
            for k, (r, w, v) in enumerate(zip(rows, wheres, vals, strict=True))
        )
        if severity == "error":
            self.bad[rows] = True

    def problems(self) -> list[Problem]:
        return [p for _, _, p in sorted(self.found, key=lambda t: (t[0], t[1]))]


@dataclass
class _Text:
    """A raw column as stripped text (``""`` where missing), made once and shared by rules."""

    text: pd.Series
    nested: np.ndarray | None = None  # lists and objects; None: the column holds none
    booleans: np.ndarray | None = None  # true/false; None: the column holds none
    python: pd.Series | None = None  # the Python strings ``text`` was converted from
    written: pa.ChunkedArray | None = None  # Arrow's values before stripping (null: missing)

    def missing(self) -> np.ndarray:
        empty = _equals(self.text, "")
        return empty if self.nested is None else empty & ~self.nested

    def python_case(self) -> bool:
        """Whether the exact path changes case as Python's str does (else as Arrow does).

        The exact path (:func:`_texts`) makes a column of Python strings Arrow strings
        with ``astype(str)`` (pandas 3), but converts the values one by one, keeping them
        Python strings, when one is a subclass of str (``numpy.str_``).
        """
        if self.python is None:
            return _arrow_of(self.text) is None
        kinds = set(map(type, self.python.to_numpy(dtype=object)))
        return not _STR_IS_ARROW or any(k is not str and issubclass(k, str) for k in kinds)


class _Views(dict[str, _Text]):
    """The text view of each raw column, made on first use."""

    def __init__(self, raw: pd.DataFrame) -> None:
        super().__init__()
        self.raw = raw

    def __missing__(self, f: str) -> _Text:
        self[f] = view = _view(self.raw[f])
        return view


def check(raw: pd.DataFrame, name: str) -> Checked:
    """Validate a raw table (object columns named as the canonical ones) and type it."""
    if "_where" not in raw:
        raw = raw.assign(_where=[f"record {i}" for i in range(1, len(raw) + 1)])
    c = _Collector(raw, name)
    step(f"validating {len(raw):,} records of {name}", total=len(_RULES) + 4)
    raw = _without_surrogates(raw, c)
    views = _Views(raw)
    typed: dict[str, Any] = {"_where": raw["_where"]}
    for rule in _RULES:
        rule(raw, views, typed, c)
        advance()
    for f in (*CASUALTY_FIELDS, *DEATH_FIELDS):
        typed[f] = _count(raw[f], views[f], f, c)
    advance()
    _ranges(typed, c)
    _duplicates(typed, c)
    advance()
    typed["sources"] = _sources(raw["sources"], c)
    advance()
    typed["tags"] = _tags(raw["tags"], c)
    advance()
    frame = pd.DataFrame(typed, index=raw.index, copy=False)
    return Checked(frame, pd.Series(~c.bad, index=raw.index), c.problems())


def _rules() -> tuple[Any, ...]:
    """The per-field rules, in order, each as ``rule(raw, views, typed, collector)``."""
    return (
        _text_fields,
        lambda raw, views, typed, c: _scalar_fields(raw, views, c),
        lambda raw, views, typed, c: _required(views, typed, c),
        lambda raw, views, typed, c: _geometry(raw, typed, c),
        _dates,
        lambda raw, views, typed, c: _types(views, typed, c),
        _precision,
    )


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


# --------------------------------------------------------------------------------------
# Text as Arrow arrays
# --------------------------------------------------------------------------------------


def _arrow_of(s: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow strings behind an Arrow-backed text column (no copy), else None."""
    if getattr(s.dtype, "storage", None) != "pyarrow":
        return None
    arr = s.array.__arrow_array__()
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def _arrow_text(s: pd.Series) -> tuple[pa.ChunkedArray, bool] | None:
    """A column of text and missing values as Arrow strings (missing as null), and whether
    they were Python strings; None for a column holding anything else."""
    arr = _arrow_of(s)
    if arr is not None:
        return arr, False
    values = s.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return None
    try:  # None, NaN and pd.NA become null, as pandas' isna sees them
        return pa.chunked_array([pa.array(values, type=pa.large_string(), from_pandas=True)]), True
    except (pa.ArrowException, UnicodeError, TypeError):  # a surrogate, NaT, ...
        return None


def _series(arr: pa.ChunkedArray | pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(arr, index=index, dtype=_TEXT)


def _bools(values: Any) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=bool)


def _equals(text: pd.Series, value: str) -> np.ndarray:
    arr = _arrow_of(text)
    if arr is None:
        return (text == value).to_numpy(dtype=bool)
    return _bools(pc.equal(arr, value))


def _stripped(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Missing as ``""`` and surrounding whitespace removed, chunk by chunk; a chunk that
    needs neither keeps its buffers, so a column of long notes is not copied."""
    return pa.chunked_array([_stripped_chunk(chunk) for chunk in arr.chunks], type=arr.type)


#: Bytes that may begin or end a character Python's str.strip() removes (pyarrow's
#: utf8_trim_whitespace removes the same): ASCII whitespace, and the lead and last
#: bytes of U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
_SPACE_FIRST = np.zeros(256, dtype=bool)
_SPACE_FIRST[[*range(0x09, 0x0E), *range(0x1C, 0x21), 0xC2, 0xE1, 0xE2, 0xE3]] = True
_SPACE_LAST = np.zeros(256, dtype=bool)
_SPACE_LAST[[*range(0x09, 0x0E), *range(0x1C, 0x21), *range(0x80, 0x8B), 0xA0, 0xA8, 0xA9]] = True
_SPACE_LAST[[0xAF, 0x9F]] = True


def _stripped_chunk(chunk: pa.Array) -> pa.Array:
    n = len(chunk)
    if chunk.null_count == n:  # no text at all: n empty strings, made without a copy
        zeros = pa.py_buffer(np.zeros(n + 1, dtype=_offset_type(chunk)))
        return pa.Array.from_buffers(chunk.type, n, [None, zeros, pa.py_buffer(b"")])
    offsets = np.frombuffer(chunk.buffers()[1], dtype=_offset_type(chunk))
    offsets = offsets[chunk.offset : chunk.offset + n + 1]
    if chunk.null_count:
        # a null usually spans no bytes: then dropping the validity makes it ""
        nulls = ~_bools(chunk.is_valid())
        if (offsets[1:][nulls] == offsets[:-1][nulls]).all():
            buffers = chunk.buffers()
            chunk = pa.Array.from_buffers(
                chunk.type, n, [None, buffers[1], buffers[2]], offset=chunk.offset
            )
        else:
            chunk = pc.fill_null(chunk, pa.scalar("", chunk.type))
            offsets = np.frombuffer(chunk.buffers()[1], dtype=_offset_type(chunk))
            offsets = offsets[chunk.offset : chunk.offset + n + 1]
    data = chunk.buffers()[2]
    if data is None or not len(data):
        return chunk
    first, end = offsets[:-1], offsets[1:]
    filled = end > first
    data_np = np.frombuffer(data, dtype=np.uint8)
    edge = _SPACE_FIRST[data_np[first[filled]]] | _SPACE_LAST[data_np[end[filled] - 1]]
    return pc.utf8_trim_whitespace(chunk) if edge.any() else chunk


def _offset_type(arr: pa.Array) -> type[np.signedinteger[Any]]:
    return np.int64 if pa.types.is_large_string(arr.type) else np.int32


def _view(s: pd.Series) -> _Text:
    converted = _arrow_text(s) if _fast() else None
    if converted is not None:
        arr, python = converted
        text = _series(_stripped(arr), s.index)
        return _Text(text, python=s if python else None, written=arr)
    text, nested = _texts(s)
    return _Text(text, nested, None if _is_text(s) else _booleans(s))


def _distinct(text: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes per row and the distinct values of a text column without missing values."""
    arr = _arrow_of(text)
    if arr is None:
        codes, uniques = pd.factorize(text.to_numpy(dtype=object))
        return codes, list(uniques)
    encoded = pc.dictionary_encode(arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0))
    return np.asarray(
        encoded.indices.to_numpy(zero_copy_only=False)
    ), encoded.dictionary.to_pylist()


def _case(view: _Text, text: pd.Series, values: list[str], upper: bool = False) -> list[str]:
    """``values`` (distinct values of ``text``, made from ``view``) in lower or upper case,
    as the exact path's pandas ``.str`` methods make them (see :meth:`_Text.python_case`)."""
    if _arrow_of(text) is None or view.python_case():
        return [v.upper() if upper else v.lower() for v in values]
    arr = pa.array(values, type=pa.large_string())
    return (pc.utf8_upper(arr) if upper else pc.utf8_lower(arr)).to_pylist()


def _take_arrow(values: list[str], codes: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.large_string()).take(pa.array(codes))


def _take(values: list[str], codes: np.ndarray, index: pd.Index) -> pd.Series:
    return _series(_take_arrow(values, codes), index)


# --------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------


def _texts(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Values as stripped text (``""`` when missing), and the mask of lists and objects.

    The exact path: columns that hold only text and missing values take pandas' string
    methods; mixed columns (numbers in a GeoJSON) are converted value by value.
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


def _text_fields(raw: pd.DataFrame, views: _Views, typed: dict[str, Any], c: _Collector) -> None:
    for f in TEXT_FIELDS:
        s, v = raw[f], views[f]
        if v.nested is not None and v.nested.any():
            c.add(v.nested, f, s.map(_brief), "must be text, not a list or object")
        if v.booleans is not None and v.booleans.any():
            c.add(v.booleans, f, s, "must be text, not true/false")
        typed[f] = _checked_text(v.text, f, c)
    country = typed["country"]
    if _fast():  # a handful of distinct codes: each checked once
        codes, values = _distinct(country)
        upper = _case(views["country"], country, values, upper=True)
        wrong = [u != "" and re.fullmatch("[A-Z]{3}", u) is None for u in upper]
        bad_iso = np.array(wrong, dtype=bool)[codes]
        if upper != values:  # else already upper case: the column as it is
            typed["country"] = _take(upper, codes, country.index)
    else:
        typed["country"] = country.str.upper()
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


def _scalar_fields(raw: pd.DataFrame, views: _Views, c: _Collector) -> None:
    """Lists, objects and true/false where one value belongs are errors, never ignored."""
    for f, accepted in _SCALAR_FIELDS.items():
        s = raw[f]
        if _is_text(s) or views[f].nested is None:  # text and missing values only
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
    arr = _arrow_of(text) if _fast() else None
    if arr is not None:
        # a character takes at least one byte: short columns need no count of characters
        if not len(arr) or pc.max(pc.binary_length(arr)).as_py() <= limit:
            return text
        long = _bools(pc.greater(pc.utf8_length(arr), limit))
    else:
        long = (text.str.len() > limit).to_numpy()
    if not long.any():
        return text
    shown = np.empty(len(text), dtype=object)
    shown[long] = (text[long].str[:60] + "…").to_numpy(dtype=object)
    c.add(long, f, shown, f"longer than {limit:,} characters; shorten it")
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


def _required(views: _Views, typed: dict[str, Any], c: _Collector) -> None:
    for f in REQUIRED:
        missing = _equals(typed[f], "") if f in typed else views[f].missing()
        c.add(missing, f, NO_VALUE, "required field is missing or empty")


def _geometry(raw: pd.DataFrame, typed: dict[str, Any], c: _Collector) -> None:
    kind = raw["_geom_type"] if "_geom_type" in raw else pd.Series("Point", index=raw.index)
    lon, lat = raw["_lon"].astype("float64"), raw["_lat"].astype("float64")
    is_point = (kind == "Point").to_numpy(dtype=bool)
    if not is_point.all():  # every other kind is a problem
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
    x, y = lon.to_numpy(), lat.to_numpy()
    bad_lat = is_point & ~((y >= -90) & (y <= 90))
    bad_lon = is_point & ~((x >= -180) & (x <= 180))
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
    out[idx] = list(zip(a.iloc[idx].to_numpy(), b.iloc[idx].to_numpy(), strict=True))
    return out


def _out_of_range(dates: pd.Series) -> np.ndarray:
    """Dates that the canonical nanosecond timestamps cannot hold (before 1678 or after 2261)."""
    return np.asarray(
        (dates < pd.Timestamp(_MIN_DAY)) | (dates > pd.Timestamp(_MAX_DAY)), dtype=bool
    )


def _dates(raw: pd.DataFrame, views: _Views, typed: dict[str, Any], c: _Collector) -> None:
    v = views["date_precision"]
    if _fast():  # a handful of distinct values: each looked at once
        codes, values = _distinct(v.text)
        lower = _case(v, v.text, values)
        known = np.array([p in DATE_PRECISIONS for p in lower], dtype=bool)
        bad_p = np.array([p != "" and p not in DATE_PRECISIONS for p in lower], dtype=bool)[codes]
    else:
        given = v.text.str.lower()
        bad_p = (given != "") & ~given.isin(DATE_PRECISIONS)
    c.add(bad_p, "date_precision", raw["date_precision"], f"accepted: {', '.join(DATE_PRECISIONS)}")
    parsed = {}
    for f in ("date_start", "date_end"):
        present = ~views[f].missing()
        parsed[f] = start, _, form = parse_dates(views[f].text, exact=not _fast())
        unparsed = present & (form == "").to_numpy()
        impossible = present & (form != "").to_numpy() & start.isna().to_numpy()
        c.add(unparsed, f, raw[f], f"not a date; accepted forms: {DATE_FORMS}")
        c.add(impossible, f, raw[f], "impossible calendar date (no such day)")
        supported = f"date out of the supported range; accepted: {_MIN_DAY} to {_MAX_DAY}"
        c.add(present & _out_of_range(start), f, raw[f], supported)
    start, _, form = parsed["date_start"]
    if _fast():
        forms = _arrow_of(form)
        if forms is None:  # a column parsed by the exact path
            forms = pa.chunked_array([pa.array(form.to_numpy(dtype=object), pa.large_string())])
        chosen = pc.if_else(pa.array(known[codes]), _take_arrow(list(lower), codes), forms)
        chosen = pc.if_else(pc.equal(chosen, ""), pa.scalar("day", chosen.type), chosen)
        precision = _series(chosen, start.index)
    else:
        precision = given.where(given.isin(DATE_PRECISIONS), form).where(lambda p: p != "", "day")
    _, end_given, end_form = parsed["date_end"]
    end = end_given.where(end_form != "", end_of(start, precision))
    backwards = (end < start).to_numpy()
    c.add(backwards, "date_end", raw["date_end"], "date_end is before date_start")
    start = start.where(~_out_of_range(start))
    end = end.where(~_out_of_range(end))
    typed["date_start"], typed["date_end"], typed["date_precision"] = start, end, precision


def _types(views: _Views, typed: dict[str, Any], c: _Collector) -> None:
    if _fast():
        _types_per_pair(views, typed, c)
        return
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
    new = sub.copy()
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
        new[rows & ~wrong] = sub[rows & ~wrong].str.lower().map(lower_subs)
    typed["sub_event_type"] = new


def _types_per_pair(views: _Views, typed: dict[str, Any], c: _Collector) -> None:
    """:func:`_types` once per distinct (event type, sub-event type) pair."""
    etype, sub = typed["event_type"], typed["sub_event_type"]
    e_codes, e_values = _distinct(etype)
    s_codes, s_values = _distinct(sub)
    width = max(len(s_values), 1)
    codes, pairs = pd.factorize(e_codes.astype(np.int64) * width + s_codes)
    canon = {t.lower(): t for t in EVENT_TYPES}
    e_lower = _case(views["event_type"], etype, e_values)
    s_lower = _case(views["sub_event_type"], sub, s_values)
    kinds = list(EVENT_TYPES)
    unknown = np.zeros(len(pairs), dtype=bool)
    wrong_for = np.full(len(pairs), -1)  # the event type a wrong sub-event type was given for
    e_out, s_out = [], []
    for k, p in enumerate(pairs.tolist()):
        e, s = divmod(p, width)
        unknown[k] = e_values[e] != "" and e_lower[e] not in canon
        e_new, s_new = canon.get(e_lower[e], e_values[e]), s_values[s]
        if e_new in EVENT_TYPES and s_new != "":
            lower_subs = {x.lower(): x for x in EVENT_TYPES[e_new]}
            if s_lower[s] in lower_subs:
                s_new = lower_subs[s_lower[s]]
            else:
                wrong_for[k] = kinds.index(e_new)
        e_out.append(e_new)
        s_out.append(s_new)
    c.add(
        unknown[codes],
        "event_type",
        etype,
        f"unknown event type; accepted: {', '.join(EVENT_TYPES)}",
    )
    wrong = wrong_for[codes]
    for k, (name, subs) in enumerate(EVENT_TYPES.items()):
        c.add(
            wrong == k,
            "sub_event_type",
            sub,
            f"not a sub-event type of {name!r}; accepted: {', '.join(subs)}",
        )
    e_in = [e_values[p // width] for p in pairs.tolist()]
    s_in = [s_values[p % width] for p in pairs.tolist()]
    if e_out != e_in:  # else already canonical: the column as it is
        typed["event_type"] = _take(e_out, codes, etype.index)
    if s_out != s_in:
        typed["sub_event_type"] = _take(s_out, codes, sub.index)


def _precision(raw: pd.DataFrame, views: _Views, typed: dict[str, Any], c: _Collector) -> None:
    v = views["geo_precision"]
    accepted = f"accepted: {', '.join(GEO_PRECISIONS)} (or ACLED codes 1, 2, 3)"
    if _fast():  # a handful of distinct values: each looked at once
        codes, values = _distinct(v.text)
        named = [GEO_PRECISION_CODES.get(p, p) for p in _case(v, v.text, values)]
        wrong = np.array([p != "" and p not in GEO_PRECISIONS for p in named], dtype=bool)
        c.add(wrong[codes], "geo_precision", raw["geo_precision"], accepted)
        typed["geo_precision"] = _take([p or "exact" for p in named], codes, v.text.index)
        return
    text = v.text.str.lower().replace(GEO_PRECISION_CODES)
    bad = (text != "") & ~text.isin(GEO_PRECISIONS)
    c.add(bad, "geo_precision", raw["geo_precision"], accepted)
    typed["geo_precision"] = text.where(text != "", "exact")


#: Counts Arrow reads exactly: ASCII digits, few enough that a float64 holds them.
_PLAIN_COUNT = r"^[0-9]{1,15}$"


def _count(s: pd.Series, v: _Text, f: str, c: _Collector) -> pd.Series:
    """The count column typed (Int64), its problems reported.

    Plain non-negative whole numbers (digits only) are cast by Arrow; any other value goes through
    :func:`_count_rules` with one missing value, if the column has any, so that pandas
    reads those values as it would in the whole column (as floats when a value is missing).
    """
    if v.written is None:  # the exact path for the whole column
        rules, out = _count_rules(s, v.missing())
        for mask, message in rules:
            c.add(mask, f, s, message)
        return out
    n = len(s)
    missing = v.missing()
    values = np.zeros(n, dtype=np.int64)
    # digits only, as written: pandas reads some whitespace around a number, not all
    plain = (
        np.zeros(n, dtype=bool)
        if missing.all()
        else _bools(pc.fill_null(pc.match_substring_regex(v.written, _PLAIN_COUNT), False))
    )
    if plain.any():
        values[plain] = pc.cast(v.written.filter(pa.array(plain)), pa.int64()).to_numpy()
    na = ~plain
    others = np.flatnonzero(~plain & ~missing)
    if len(others):
        rows = np.union1d(others, np.flatnonzero(missing)[:1])
        rules, out = _count_rules(s.iloc[rows], missing[rows])
        for mask, message in rules:
            c.add_rows(rows[mask], f, s, message)
        values[rows] = out.fillna(0).to_numpy(dtype=np.int64)
        na[rows] = out.isna().to_numpy()
    return pd.Series(pd.arrays.IntegerArray(values, na), index=s.index, copy=False)


def _count_rules(
    s: pd.Series, missing: np.ndarray
) -> tuple[list[tuple[np.ndarray, str]], pd.Series]:
    """The exact path for counts: (mask, message) per rule, in order, and the typed values."""
    is_bool = np.zeros(len(s), bool) if _is_text(s) else s.map(type).isin([bool]).to_numpy()
    if not _is_text(s):  # a JSON integer beyond float range is out of range, as 1e400 is
        s = s.map(_in_float_range)
    num = pd.to_numeric(s.where(~(missing | is_bool)), errors="coerce")
    non_numeric = ~missing & (num.isna().to_numpy() | is_bool)
    negative = (num < 0).to_numpy()
    fractional = np.isfinite(num.to_numpy(dtype="float64")) & (num % 1 != 0).to_numpy()
    huge = (num.abs() > _MAX_COUNT).to_numpy()
    rules = [
        (non_numeric, "must be a whole number or empty"),
        (negative, "must not be negative"),
        (fractional & ~negative, "must be a whole number"),
        (huge & ~negative, f"too large; accepted: whole numbers up to {_MAX_COUNT:,}"),
    ]
    typed = num.where(~(negative | fractional | huge)).astype("Float64").round().astype("Int64")
    return rules, typed


def _in_float_range(value: Any) -> Any:
    """An integer too large for a float as a signed infinity; any other value as it is."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**63:
        return float("inf") if value > 0 else float("-inf")
    return value


def _ranges(typed: dict[str, Any], c: _Collector) -> None:
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


def _duplicates(typed: dict[str, Any], c: _Collector) -> None:
    ids = typed["event_id"]
    dup = ids.duplicated(keep="first").to_numpy() & ~_equals(ids, "")
    if dup.any():
        codes, _ = pd.factorize(ids)
        _, first = np.unique(codes, return_index=True)  # the row where each id is first seen
        where = typed["_where"]
        for r in np.flatnonzero(dup):
            seen = where.iat[first[codes[r]]]
            msg = f"duplicate event_id (first seen at {seen}); ids must be unique"
            c.add_rows(np.array([r]), "event_id", ids.iat[r], msg)


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


def _per_distinct(
    s: pd.Series,
    check: Any,
    c: _Collector,
    many: Callable[[pa.Array], list[Any]] | None = None,
) -> pd.Series:
    """Run ``check(value) -> (result, problems)`` once per distinct value of ``s``.

    Sources and tags repeat across most rows of real exports; checking each distinct value
    once keeps a million rows fast. Problems are reported on every row holding the value.
    A column of text (CSV) is told apart by Arrow, and ``many`` may check all its distinct
    values at once (a list of ``check``'s results).
    """
    converted = _arrow_text(s) if _fast() else None
    if converted is not None:  # text only: nothing nested, each distinct text once
        arr = converted[0]
        encoded = pc.dictionary_encode(
            arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
        )
        codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False))
        values = encoded.dictionary
        checked = many(values) if many is not None else [check(v) for v in values.to_pylist()]
        return _spread(checked, codes.astype(np.intp), check, c, s.index)
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
    return _spread([check(values[first[k]]) for k in range(len(uniques))], codes, check, c, s.index)


def _spread(
    checked: list[Any], codes: np.ndarray, check: Any, c: _Collector, index: pd.Index
) -> pd.Series:
    """Each row's result by its value's code (-1: missing), and each value's problems
    reported on the rows holding it, values taken in the order of ``checked``."""
    with_problems = [k for k, (_, problems) in enumerate(checked) if problems]
    if with_problems:
        order = np.argsort(codes, kind="stable")  # rows grouped by value, ascending in each
        bounds = np.searchsorted(codes[order], np.arange(len(checked) + 1))
        for k in with_problems:
            rows = order[bounds[k] : bounds[k + 1]]
            for fld, val, msg, sev in checked[k][1]:
                c.add_rows(rows, fld, val, msg, sev)
    table = np.empty(len(checked) + 1, dtype=object)
    table[: len(checked)] = [result for result, _ in checked]
    table[-1] = check(None)[0]
    return pd.Series(table[codes], index=index, dtype="object")


def _all_text(s: pd.Series) -> bool:
    """Whether an object column holds only text and missing values (checked in C by Arrow)."""
    try:
        pa.array(s.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeError):
        return False
    return True


#: A JSON list of sources as ``json.dumps`` writes it, every value null or plain text
#: without quotes, backslashes, braces or control characters: ``[{"name": "Dawn"}, ...]``.
_SOURCE_TEXT = r'(?:null|"[^"\\\x00-\x1f{}]*")'
_SOURCE_PAIR = rf'"(?:name|url|date)": {_SOURCE_TEXT}'
_SOURCE_ITEM = rf"\{{{_SOURCE_PAIR}(?:, {_SOURCE_PAIR}){{0,2}}\}}"
_SOURCE_LIST = rf"^\[{_SOURCE_ITEM}(?:, {_SOURCE_ITEM})*\]$"


def _many_sources(texts: pa.Array) -> list[Any]:
    """:func:`_one_sources` of each distinct text, lists of plain sources taken apart by Arrow.

    In a list of the plain shape (:data:`_SOURCE_LIST`) no brace is inside a value, so
    ``}, {`` separates the sources, each parsed and checked once however many lists hold
    it; every other text, and a list holding a source with a problem, is checked whole.
    """
    out: list[Any] = [None] * len(texts)
    plain = np.flatnonzero(_bools(pc.match_substring_regex(texts, _SOURCE_LIST)))
    if len(plain):
        inner = pc.utf8_slice_codeunits(texts.take(pa.array(plain)), 2, -2)
        lists = pc.split_pattern(inner, "}, {")
        items = pc.dictionary_encode(lists.flatten())
        checked = [_one_source(0, json.loads("{" + t + "}")) for t in items.dictionary.to_pylist()]
        flat = np.asarray(items.indices.to_numpy(zero_copy_only=False))
        offsets = np.asarray(lists.offsets.to_numpy(zero_copy_only=False))
        clean = np.array([problem is None for _, problem in checked], dtype=bool)[flat]
        all_clean = np.logical_and.reduceat(clean, offsets[:-1]) if len(flat) else clean
        found = [checked[k][0] for k in flat.tolist()]
        bounds = offsets.tolist()
        for j, k in enumerate(plain.tolist()):
            if all_clean[j]:
                out[k] = (tuple(found[bounds[j] : bounds[j + 1]]), [])
    values = texts.to_pylist()
    for k, result in enumerate(out):
        if result is None:
            out[k] = _one_sources(values[k])
    return out


def _sources(s: pd.Series, c: _Collector) -> pd.Series:
    return _per_distinct(s, _one_sources, c, _many_sources)


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


_RULES = _rules()
