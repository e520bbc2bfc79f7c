"""Arrow-backed text: the fast path for CSV, and text columns handed to pandas uncopied.

The fast path is Arrow's multi-threaded reader, used only when it reads a file exactly as
the :mod:`csv` module in strict mode would. That is the case for a "simple" file: every
record on its own physical line (no blank line, no line break inside a quoted value, no
lone carriage return), every quote opening or closing a whole field (or doubled inside
one), every row as wide as the header, no field over the length limit, valid UTF-8. Then
record ``i`` starts on physical line ``i + 2`` and both readers give the same cells.
Anything else — or anything Arrow refuses — returns ``None`` and the exact reader in
:mod:`geo.events` reads the file, with its messages.

Text columns are ``large_string`` (what pandas' Arrow-backed ``str`` holds), so turning
them into pandas columns, or blanking their empty cells, copies no text.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo._io import LIMITS

#: Text columns as read: Arrow-backed strings, missing values NaN (pandas' "str").
TEXT = pd.StringDtype(na_value=np.nan)

_BOM = b"\xef\xbb\xbf"
_QUOTE, _COMMA, _LF, _CR = 34, 44, 10, 13
_SCAN = 1 << 20  # bytes per numpy pass: the masks stay in cache and small


def read_simple_csv(data: bytes) -> tuple[list[str], pa.Table] | None:
    """The raw header and the records as ``large_string`` columns, or None if not simple.

    The table holds its own copy of the text: ``data`` can be released once it returns.
    """
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
    if len(header) < 2:
        return None
    body = np.frombuffer(data, np.uint8)[start:]
    quotes, line_ends = _scan(body)
    if not _quotes_simple(body, quotes):
        return None
    del body, quotes
    n_lines = line_ends + (0 if data.endswith(b"\n") else 1)
    names = [f"c{i}" for i in range(len(header))]  # the header's own names are checked later
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(end + 1)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None  # ragged rows, invalid UTF-8, ...: the exact reader names them
    finally:
        pa.default_memory_pool().release_unused()  # the parser's blocks, kept by the pool
    if table.num_rows == 0 or table.num_rows + 1 != n_lines:
        return None  # blank lines or quoted line breaks: physical lines differ from records
    for column in table.columns:
        longest = pc.max(pc.binary_length(column)).as_py()
        if longest is not None and longest > LIMITS.max_field_chars:
            return None
    return header, table


def _scan(body: np.ndarray) -> tuple[np.ndarray, int]:
    """The offsets of the quotes in ``body`` and its number of line feeds (one pass)."""
    parts, line_ends = [], 0
    for o in range(0, len(body), _SCAN):
        chunk = body[o : o + _SCAN]
        parts.append(np.flatnonzero(chunk == _QUOTE) + o)
        line_ends += int(np.count_nonzero(chunk == _LF))
    return (np.concatenate(parts) if parts else np.empty(0, np.int64)), line_ends


def _quotes_simple(body: np.ndarray, q: np.ndarray) -> bool:
    """Every quote (``q``: their offsets in ``body``) opens a field (after a comma or a line
    start), closes one (before a comma or a line end), or is one of a doubled pair inside
    a field."""
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


# ---------------------------------------------------------------- Arrow-backed text columns


def as_large_text(values: Any) -> pa.ChunkedArray:
    """Arrow text (or nulls) as a ``large_string`` chunked array; no copy when it is one."""
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values])
    if not pa.types.is_large_string(values.type):
        values = pc.cast(values, pa.large_string())
    return values


def text_series(values: Any, index: pd.Index | None = None) -> pd.Series:
    """Arrow text as a pandas ``str`` column that shares the Arrow buffers."""
    return pd.Series(TEXT.__from_arrow__(as_large_text(values)), index=index, copy=False)


def arrow_text(series: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow text behind a pandas ``str`` column (no copy), or None if it has none."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        return as_large_text(series.array.__arrow_array__())
    return None


def blank_as_missing(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Empty text made missing. Only a validity bitmap is made: the text is shared."""
    chunks = []
    for chunk in values.chunks:
        keep = pc.not_equal(chunk, "")
        if chunk.null_count:
            keep = pc.fill_null(keep, False)
        if pc.all(keep).as_py() is not False:
            chunks.append(chunk)  # nothing blank (or empty)
        elif chunk.offset == 0 and keep.offset == 0:
            buffers = chunk.buffers()
            bitmap = keep.buffers()[1]
            chunks.append(pa.Array.from_buffers(chunk.type, len(chunk), [bitmap, *buffers[1:]]))
        else:  # a sliced chunk: its bits do not line up with the mask's
            chunks.append(pc.if_else(keep, chunk, pa.scalar(None, chunk.type)))
    return pa.chunked_array(chunks, type=values.type)


def missing_text(n: int, index: pd.Index | None = None) -> pd.Series:
    """A column of ``n`` missing text values (columns of one length share one Arrow array)."""
    return text_series(_nulls(n), index)


@functools.lru_cache(maxsize=2)
def _nulls(n: int) -> pa.Array:
    return pa.nulls(n, pa.large_string())


def distinct_rows(table: pd.DataFrame, columns: tuple[str, ...]) -> tuple[np.ndarray, pd.DataFrame]:
    """The distinct combinations of ``columns`` (those ``table`` has) and each row's code.

    Returns ``codes`` (one per row of ``table``) and ``uniques``, the first row holding each
    combination in order of appearance, so that a mapping applied to ``uniques`` and taken
    by ``codes`` equals the mapping applied to every row.
    """
    present = [c for c in columns if c in table]
    n = len(table)
    combined = np.zeros(n, dtype=np.int64)
    for c in present:
        codes, uniques = pd.factorize(table[c], use_na_sentinel=False)
        combined = combined * max(len(uniques), 1) + codes
        combined, _ = pd.factorize(combined)  # kept below n, so the next product fits
    codes, _ = pd.factorize(combined)
    k = int(codes.max()) + 1 if n else 0
    first = np.empty(k, dtype=np.int64)
    first[codes[::-1]] = np.arange(n - 1, -1, -1)  # the last write is the first row
    return codes, table[present].iloc[first].reset_index(drop=True)


def expand(values: Any, codes: np.ndarray, index: pd.Index | None = None) -> pd.Series:
    """Per-distinct results (text or None) given back to every row, as Arrow text."""
    table = pa.array(list(values), type=pa.large_string(), from_pandas=True)
    return text_series(table.take(pa.array(codes)), index)


# ---------------------------------------------------------------- values over the limit


@dataclass(frozen=True)
class Overlong:
    """A record holding a value over the field limit: its bytes ``[start, end)`` (the line
    feed that ends it excluded), the physical line it starts on, the field's number (0 for
    the first) and the field's size in bytes."""

    start: int
    end: int
    line: int
    field: int
    size: int


def overlong_records(data: bytes, limit: int) -> list[Overlong]:
    """Every record of a CSV holding a field of more than ``limit`` bytes, found in one pass
    of numpy over 1 MB slices (quotes followed across them): a value too long to be read
    is refused without ever being parsed, so a file of one gigabyte-long value costs no
    more memory than its bytes. Fields of more than ``limit`` bytes may still be within
    ``limit`` characters (multi-byte text); the caller counts those.
    """
    body = np.frombuffer(data, np.uint8)
    found: list[Overlong] = []
    inside = 0  # quote parity before the slice
    prev_delim = -1  # offset of the last delimiter outside quotes (a line start counts)
    record_start, record_line, fields, line = 0, 1, 0, 1
    open_record: list[list[int]] = []  # [start, line, field, size] waiting for their end
    for o in range(0, len(body), _SCAN):
        chunk = body[o : o + _SCAN]
        quotes = chunk == _QUOTE
        before = (np.cumsum(quotes) - quotes + inside) & 1
        inside = int((inside + np.count_nonzero(quotes)) & 1)
        lf = chunk == _LF
        delim = ((chunk == _COMMA) | lf) & (before == 0)
        pos = np.flatnonzero(delim) + o
        if not len(pos):
            line += int(np.count_nonzero(lf))
            continue
        is_lf = lf[pos - o]
        starts = np.concatenate([[prev_delim], pos[:-1]])
        sizes = pos - starts - 1
        # physical line and field number at each delimiter, for the rare long field
        lines_before = np.cumsum(lf) - lf
        for k in np.flatnonzero(sizes > limit):
            nl_before = np.flatnonzero(is_lf[:k])
            if len(nl_before):
                j = int(nl_before[-1])
                start, field = int(pos[j]) + 1, int(k - j - 1)
                rline = line + int(lines_before[pos[j] - o]) + 1
            else:
                start, field, rline = record_start, int(fields + k), record_line
            open_record.append([start, rline, field, int(sizes[k])])
        ends = pos[is_lf]
        if len(ends) and open_record:
            for rec in open_record:
                after = ends[ends >= rec[0]]
                end = int(after[0]) if len(after) else None
                if end is not None:
                    found.append(Overlong(rec[0], end, rec[1], rec[2], rec[3]))
            open_record = [r for r in open_record if not len(ends[ends >= r[0]])]
        if len(ends):
            last = int(np.flatnonzero(is_lf)[-1])
            record_start = int(pos[last]) + 1
            record_line = line + int(np.count_nonzero(lf[: int(pos[last]) - o + 1]))
            fields = len(pos) - last - 1
        else:
            fields += len(pos)
        prev_delim = int(pos[-1])
        line += int(np.count_nonzero(lf))
    tail = len(body) - prev_delim - 1
    if tail > limit and not open_record:
        open_record.append([record_start, record_line, fields, tail])
    found += [Overlong(r[0], len(body), r[1], r[2], r[3]) for r in open_record]
    return _merged(found)


def _merged(found: list[Overlong]) -> list[Overlong]:
    """One entry per record (its first long field), in file order."""
    seen: dict[int, Overlong] = {}
    for item in sorted(found, key=lambda r: (r.start, r.field)):
        seen.setdefault(item.start, item)
    return list(seen.values())
