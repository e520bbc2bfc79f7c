"""The fast path for CSV: Arrow's multi-threaded reader, used only when it reads a file
exactly as the :mod:`csv` module in strict mode would.

That is the case for a "simple" file: every record on its own physical line (no blank line,
no line break inside a quoted value, no lone carriage return), every quote opening or
closing a whole field (or doubled inside one), every row as wide as the header, no field
over the length limit, valid UTF-8. Then record ``i`` starts on physical line ``i + 2`` and
both readers give the same cells. Anything else — or anything Arrow refuses — returns
``None`` and the exact reader in :mod:`geo.events` reads the file, with its messages.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo._io import LIMITS

_BOM = b"\xef\xbb\xbf"
_QUOTE, _COMMA, _LF, _CR = 34, 44, 10, 13
_SCAN = 1 << 26  # bytes per numpy pass, to bound the temporary masks


def read_simple_csv(data: bytes) -> tuple[list[str], pd.DataFrame] | None:
    """The raw header and the records as Arrow-backed text columns, or None if not simple."""
    start = len(_BOM) if data.startswith(_BOM) else 0
    if b"\x00" in data or (b"\r" in data and data.count(b"\r") != data.count(b"\r\n")):
        return None
    end = data.find(b"\n", start)
    if end < 0:
        return None
    try:
        header = next(csv.reader([data[start:end].decode("utf-8").rstrip("\r")], strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if len(header) < 2 or not _quotes_simple(np.frombuffer(data, np.uint8)[start:]):
        return None
    n_lines = data.count(b"\n", start) + (0 if data.endswith(b"\n") else 1)
    names = [f"c{i}" for i in range(len(header))]  # the header's own names are checked later
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(end + 1)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None  # ragged rows, invalid UTF-8, ...: the exact reader names them
    if table.num_rows == 0 or table.num_rows + 1 != n_lines:
        return None  # blank lines or quoted line breaks: physical lines differ from records
    for column in table.columns:
        longest = pc.max(pc.binary_length(column)).as_py()
        if longest is not None and longest > LIMITS.max_field_chars:
            return None
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype(na_value=np.nan)}.get)
    return header, frame


def _quotes_simple(body: np.ndarray) -> bool:
    """Every quote opens a field (after a comma or a line start), closes one (before a
    comma or a line end), or is one of a doubled pair inside a field."""
    parts = [np.flatnonzero(body[o : o + _SCAN] == _QUOTE) + o for o in range(0, len(body), _SCAN)]
    q = np.concatenate(parts) if parts else np.empty(0, np.int64)
    if q.size == 0:
        return True
    if q.size % 2:
        return False
    opens, closes = q[0::2], q[1::2]
    n = len(body)
    before = body[np.maximum(opens - 1, 0)]
    after = body[np.minimum(closes + 1, n - 1)]
    doubled_before = np.zeros(opens.size, bool)
    doubled_before[1:] = closes[:-1] == opens[1:] - 1
    doubled_after = np.zeros(closes.size, bool)
    doubled_after[:-1] = opens[1:] == closes[:-1] + 1
    ok_open = (opens == 0) | (before == _COMMA) | (before == _LF) | doubled_before
    ok_close = (closes == n - 1) | np.isin(after, (_COMMA, _LF, _CR)) | doubled_after
    return bool(ok_open.all() and ok_close.all())
