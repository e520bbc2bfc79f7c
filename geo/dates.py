"""Parsing the date forms the tool accepts: ``YYYY-MM-DD``, ``YYYY-MM`` and ``YYYY``.

Shared by validation (every date field of every record, vectorised) and the date window
options (``--start``/``--end``), so both accept exactly the same text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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

    Arrow-backed text is parsed with whole-column compute: rows written in ASCII digits
    with a year from 1678 to 2261 are read here, and every other row (non-ASCII digits,
    which Python's ``\\d`` accepts, or a year pandas might refuse) by the exact pandas
    path, which ``exact=True`` uses for every row. Both give the same result.

    Examples
    --------
    >>> start, end, form = parse_dates(pd.Series(["2022-02"]))
    >>> str(end.iat[0].date()), form.iat[0]
    ('2022-02-28', 'month')
    """
    arr = None if exact else _arrow_text(text)
    if arr is None:
        return _parse_exact(text)
    n = len(text)
    start = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    form = np.zeros(n, dtype=np.int8)
    rows = np.flatnonzero(_bools(pc.match_substring_regex(arr, _ANY_FORM)))
    if len(rows):
        # "2022" and "2022-03" padded to a first day, as the exact path pads them
        sub = arr.take(pa.array(rows))
        sub = pc.binary_join_element_wise(sub, *(pa.scalar(t, sub.type) for t in ("-01-01", "")))
        year, month, day = (
            _ints(pc.utf8_slice_codeunits(sub, a, b)) for a, b in ((0, 4), (5, 7), (8, 10))
        )
        length = _ints(pc.binary_length(sub)) - 6
        form[rows] = np.where(length == 4, 1, np.where(length == 7, 2, 3))
        start[rows] = _days(year, month, day)
        far = (year < _FIRST_YEAR) | (year > _LAST_YEAR)
    else:
        far = np.zeros(0, dtype=bool)
    # Python's \d also matches other scripts' digits: such rows take the exact path
    others = np.flatnonzero(~_bools(pc.string_is_ascii(arr)))
    slow = np.union1d(others, rows[far]) if far.any() else others
    forms = _FORMS.take(pa.array(form))
    if len(slow):
        s_start, _, s_form = _parse_exact(text.iloc[slow])
        start[slow] = s_start.to_numpy()
        slow_forms = pa.array(s_form.to_numpy(dtype=object), type=pa.large_string())
        forms = pc.replace_with_mask(forms, _mask(slow, n), slow_forms)
    start_s = pd.Series(start, index=text.index)
    form_s = pd.Series(forms, index=text.index, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return start_s, end_of(start_s, form_s), form_s


def _mask(rows: np.ndarray, n: int) -> pa.Array:
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return pa.array(mask)


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


def _bools(values: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=bool)


def _ints(values: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False))


def _days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Midnight of each (year, month, day), NaT where no such day exists."""
    months = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= length)
    days = (first + (day - 1).astype("timedelta64[D]")).astype("datetime64[s]")
    return np.where(valid, days, np.datetime64("NaT", "s"))


def end_of(start: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day of the month or year that ``start`` begins, by ``precision``.

    The time of day is kept, as pandas' ``MonthEnd(0)`` and ``YearEnd(0)`` keep it.
    """
    values = start.to_numpy()
    end = values.copy()
    for kind, unit in (("month", "M"), ("year", "Y")):
        rows = np.asarray(precision == kind, dtype=bool)
        if rows.any():
            v = values[rows]
            last = (v.astype(f"datetime64[{unit}]") + 1).astype("datetime64[D]") - np.timedelta64(
                1, "D"
            )
            end[rows] = last.astype(values.dtype) + (v - v.astype("datetime64[D]"))
    return pd.Series(end, index=start.index)
