"""Parsing the date forms the tool accepts: ``YYYY-MM-DD``, ``YYYY-MM`` and ``YYYY``.

Shared by validation (every date field of every record, vectorised) and the date window
options (``--start``/``--end``), so both accept exactly the same text.
"""

from __future__ import annotations

import pandas as pd

_DAY = r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?"
_MONTH = r"\d{4}-\d{2}"
_YEAR = r"\d{4}"
#: The accepted forms, as messages name them.
DATE_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY"


def parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (start, implied end, form) for a column of stripped date text.

    ``form`` is ``"day"``, ``"month"``, ``"year"`` or ``""`` (not a date form); ``start``
    is NaT where the form is wrong or the day does not exist (``2022-02-30``), and the
    implied end is the last day the text covers (``2022`` ends on 2022-12-31).

    Examples
    --------
    >>> start, end, form = parse_dates(pd.Series(["2022-02"]))
    >>> str(end.iat[0].date()), form.iat[0]
    ('2022-02-28', 'month')
    """
    form = pd.Series("", index=text.index, dtype="object")
    form[text.str.fullmatch(_YEAR).fillna(False).astype(bool)] = "year"
    form[text.str.fullmatch(_MONTH).fillna(False).astype(bool)] = "month"
    form[text.str.fullmatch(_DAY).fillna(False).astype(bool)] = "day"
    padded = text.where(form != "year", text + "-01-01").where(form != "month", text + "-01")
    start = pd.to_datetime(padded.str[:10].where(form != ""), format="%Y-%m-%d", errors="coerce")
    start = start.astype("datetime64[s]")
    return start, end_of(start, form), form


def end_of(start: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day of the month or year that ``start`` begins, by ``precision``."""
    end = start.copy()
    month = (precision == "month").to_numpy()
    year = (precision == "year").to_numpy()
    end[month] = start[month] + pd.offsets.MonthEnd(0)
    end[year] = start[year] + pd.offsets.YearEnd(0)
    return end
