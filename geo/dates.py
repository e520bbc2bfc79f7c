"""Parsing the date forms the tool accepts: ``YYYY-MM-DD``, ``YYYY-MM`` and ``YYYY``.

Shared by validation (every date field of every record, vectorised) and the date window
options (``--start``/``--end``), so both accept exactly the same text.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import _twins

_DAY = r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?"
_MONTH = r"\d{4}-\d{2}"
_YEAR = r"\d{4}"
#: The accepted forms, as messages name them.
DATE_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY"

#: Any of the three forms written in ASCII digits (Arrow's RE2 reads ``[0-9]`` as Python does).
_ANY_FORM = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2}(?:[T ][0-9:.+\-Z]*)?)?)?$"
#: Years whose days are decided here; pandas decides the others (it may refuse year 0).
_FIRST_YEAR, _LAST_YEAR = 1678, 2261
_FORMS = pa.array(["", "year", "month", "day"], type=pa.large_string())


def parse_dates(text: pd.Series, *, exact: bool = False) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (start, implied end, form) for a column of stripped date text.

    ``form`` is ``"day"``, ``"month"``, ``"year"`` or ``""`` (not a date form); ``start``
    is NaT where the form is wrong or the day does not exist (``2022-02-30``), and the
    implied end is the last day the text covers (``2022`` ends on 2022-12-31).

    Arrow-backed text is parsed once per distinct value with whole-column compute: values
    written in ASCII digits with a year from 1678 to 2261 are read here, and every other
    value (non-ASCII digits, which Python's ``\\d`` accepts, or a year pandas might refuse)
    by the exact pandas path, which ``exact=True`` uses for every row. Both give the same
    result.

    Examples
    --------
    >>> start, end, form = parse_dates(pd.Series(["2022-02"]))
    >>> str(end.iat[0].date()), form.iat[0]
    ('2022-02-28', 'month')
    """
    arr = None if exact or _twins.exact() else _arrow_text(text)
    if arr is None:
        return _parse_exact(text)
    encoded = pc.dictionary_encode(arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0))
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
    start, form = _parse_distinct(encoded.dictionary)
    start_s = pd.Series(start[codes], index=text.index)
    forms = _FORMS.take(pa.array(form[codes]))
    form_s = pd.Series(forms, index=text.index, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return start_s, end_of(start_s, form_s), form_s


_FORM_CODES = {"": 0, "year": 1, "month": 2, "day": 3}


def _parse_distinct(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Start (datetime64[s]) and form (an index into :data:`_FORMS`) of distinct texts."""
    n = len(values)
    start = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    form = np.zeros(n, dtype=np.int8)
    rows = np.flatnonzero(_bools(pc.match_substring_regex(values, _ANY_FORM)))
    far = np.zeros(0, dtype=bool)
    if len(rows):
        # "2022" and "2022-03" begin on their first day, as the exact path pads them
        year, month, day, length = _digits(values.take(pa.array(rows)))
        form[rows] = np.where(length == 4, 1, np.where(length == 7, 2, 3))
        start[rows] = _midnights(year, month, day)
        far = (year < _FIRST_YEAR) | (year > _LAST_YEAR)
    # Python's \d also matches other scripts' digits: such values take the exact path
    slow = np.union1d(np.flatnonzero(~_bools(pc.string_is_ascii(values))), rows[far])
    if len(slow):
        text = pd.Series(
            values.take(pa.array(slow)), dtype=pd.StringDtype("pyarrow", na_value=np.nan)
        )
        s_start, _, s_form = _parse_exact(text)
        start[slow] = s_start.to_numpy()
        form[slow] = [_FORM_CODES[f] for f in s_form.tolist()]
    return start, form


def _parse_exact(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """:func:`parse_dates` with pandas' regular expressions and ``to_datetime``, row by row."""
    form = pd.Series("", index=text.index, dtype="object")
    form[text.str.fullmatch(_YEAR).fillna(False).astype(bool)] = "year"
    form[text.str.fullmatch(_MONTH).fillna(False).astype(bool)] = "month"
    form[text.str.fullmatch(_DAY).fillna(False).astype(bool)] = "day"
    padded = text.where(form != "year", text + "-01-01").where(form != "month", text + "-01")
    start = pd.to_datetime(padded.str[:10].where(form != ""), format="%Y-%m-%d", errors="coerce")
    start = start.astype("datetime64[s]")
    return start, end_of(start, form), form


def _arrow_text(text: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow strings behind an Arrow-backed text column without missing values."""
    if getattr(text.dtype, "storage", None) != "pyarrow" or text.hasnans:
        return None
    arr = text.array.__arrow_array__()
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def _bools(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=bool)


def _digits(dates: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1 if absent), day (1 if absent) and length of text matching
    :data:`_ANY_FORM`, read from the ASCII digits at their fixed places in Arrow's buffer."""
    wide = pa.types.is_large_string(dates.type)
    raw = np.frombuffer(dates.buffers()[1], dtype=np.int64 if wide else np.int32)
    offsets: np.ndarray = raw[dates.offset : dates.offset + len(dates) + 1].astype(np.int64)
    data = np.frombuffer(dates.buffers()[2], dtype=np.uint8)
    first, length = offsets[:-1], np.diff(offsets)

    # the first ten bytes of each row (clipped: bytes past a short row are not read)
    places = np.minimum(first[:, None] + np.arange(10), len(data) - 1)
    digits = data[places].astype(np.int64) - 48

    def number(at: int, width: int) -> np.ndarray:
        out = digits[:, at]
        for k in range(at + 1, at + width):
            out = out * 10 + digits[:, k]
        return out

    year = number(0, 4)
    month = np.where(length >= 7, number(5, 2), 1)
    day = np.where(length >= 10, number(8, 2), 1)
    return year, month, day, length


def _is_leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _month_days(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    return _MONTH_DAYS[month] + ((month == 2) & _is_leap(year))


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def _civil_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Year and month of days since 1970-01-01 (the inverse of :func:`_days_from_civil`)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month


_DAY_SECONDS = 86_400


@functools.cache
def _month_starts() -> np.ndarray:
    """Days since 1970-01-01 of the first of each month of the years 0000 to 9999."""
    months = np.arange(np.datetime64("0000-01"), np.datetime64("10000-01"), dtype="datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def _midnights(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Midnight of each (year from 0 to 9999, month, day), NaT where no such day exists."""
    valid = (month >= 1) & (month <= 12) & (day >= 1)
    valid &= day <= _month_days(year, np.where(valid, month, 1))
    days = _month_starts()[year * 12 + np.where(valid, month, 1) - 1] + day - 1
    return np.where(valid, days * _DAY_SECONDS, np.iinfo(np.int64).min).view("datetime64[s]")


def end_of(start: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day of the month or year that ``start`` begins, by ``precision``.

    The time of day is kept, as pandas' ``MonthEnd(0)`` and ``YearEnd(0)`` keep it.
    """
    values = start.to_numpy()
    unit, count = np.datetime_data(values.dtype)
    per_day = int(np.timedelta64(1, "D").astype(f"timedelta64[{count}{unit}]").astype(np.int64))
    end = values.copy()
    ticks = end.view(np.int64)
    for kind in ("month", "year"):
        rows = np.asarray(precision == kind, dtype=bool) & ~np.isnat(values)
        if rows.any():
            t = ticks[rows]
            days = t // per_day
            year, month = _civil_from_days(days)
            if kind == "year":
                month = np.full(len(t), 12)
            last = _days_from_civil(year, month, _month_days(year, month))
            ticks[rows] = t + (last - days) * per_day
    return pd.Series(end, index=start.index)
