"""The date forms (YYYY-MM-DD, YYYY-MM, YYYY): one parser for records and for options, its
whole-column path equal to the exact one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.dates import end_of, parse_dates

TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
CASES = [
    ("2025-10-12", "2025-10-12", "2025-10-12", "day"),
    ("2025-10", "2025-10-01", "2025-10-31", "month"),
    ("2024-02", "2024-02-01", "2024-02-29", "month"),
    ("2023-02", "2023-02-01", "2023-02-28", "month"),
    ("1893", "1893-01-01", "1893-12-31", "year"),
    ("2025-10-12T08:30:00Z", "2025-10-12", "2025-10-12", "day"),
    ("2022-02-30", None, None, "day"),  # the form of a day, no such day
    ("12/10/2025", None, None, ""),
    ("٢٠٢٥-١٠-١٢", None, None, None),  # other scripts' digits: the exact path decides
    ("", None, None, ""),
]


@pytest.mark.parametrize(("text", "start", "end", "form"), CASES)
def test_forms(text, start, end, form) -> None:
    a, b, f = parse_dates(pd.Series([text], dtype=TEXT))
    assert (None if pd.isna(a.iat[0]) else str(a.iat[0].date())) == start
    assert (None if pd.isna(b.iat[0]) else str(b.iat[0].date())) == end
    if form is not None:
        assert f.iat[0] == form


def test_the_whole_column_path_equals_the_exact_path() -> None:
    texts = [c[0] for c in CASES] * 3 + ["1677-12-31", "2262-01-01", "0000", "9999-12-31"]
    fast = parse_dates(pd.Series(texts, dtype=TEXT))
    exact = parse_dates(pd.Series(texts, dtype=TEXT), exact=True)
    for x, y in zip(fast, exact, strict=True):
        assert (
            x.astype(object).where(x.notna(), None).tolist()
            == y.astype(object).where(y.notna(), None).tolist()
        )


def test_end_of_a_precision() -> None:
    start = pd.Series(pd.to_datetime(["2024-02-10", "2024-02-10", "2024-02-10"]))
    ends = end_of(start, pd.Series(["day", "month", "year"], dtype=TEXT))
    assert [str(d.date()) for d in ends] == ["2024-02-10", "2024-02-29", "2024-12-31"]
