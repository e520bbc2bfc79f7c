"""Event layers: the events embedded once as compact columns, drawn by geo/static JS.

No popup HTML and no JavaScript is written per event: the page reads one JSON block and
builds markers, tooltips and popups from it on demand. Small maps carry the columns as
plain JSON (:func:`encode_events`); large ones as binary columns (:func:`encode_binary`:
typed arrays straight from numpy, UTF-8 text straight from Arrow, dictionary codes),
each buffer gzip-compressed and base64-encoded (:func:`pack`). The page
(``geo/static/core.js``, ``Events``) reads the same records from either.
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.export import distinct_objects
from geo.render.style import TYPE_COLOURS
from geo.schema import (
    CASUALTY_FIELDS,
    DEATH_FIELDS,
    EVENT_TYPES,
    OPTIONAL_TEXT_FIELDS,
    TEXT_FIELDS,
)

_EPOCH = np.datetime64("1970-01-01", "D")
#: Injury counts: ACLED has none, so its pages carry no such column (the popup then says
#: nothing of injuries, as it does for a column that is there but empty).
INJURY_FIELDS = ("injured_low", "injured_best", "injured_high")
#: The page's column of the highlight's flags (1: drawn in colour), when the map has one.
HIGHLIGHT_COLUMN = "highlighted"
#: Free text stays as plain lists (dictionary-encoded only when it repeats); every other
#: text field of the canonical table, and the coded columns, are dictionary-encoded.
_TEXT_COLUMNS = ("event_id", "summary", "fatality_note")
_DICT_COLUMNS = (
    *(f for f in TEXT_FIELDS if f not in _TEXT_COLUMNS),
    "date_precision",
    "geo_precision",
    "border_side",
)
#: Columns only some formats fill (ACLED's associated actors, UCDP's death breakdown...):
#: left out of the page when no event has a value, so the popup shows nothing for them.
_OPTIONAL_COLUMNS = frozenset((*OPTIONAL_TEXT_FIELDS, *DEATH_FIELDS, *INJURY_FIELDS))
#: Events whose JSON would take more than this many bytes travel as binary columns (see
#: :func:`encode_binary`); smaller ones stay plain, readable JSON (:func:`encode_events`).
INLINE_LIMIT = 512 * 1024
#: Each row takes at least this many bytes of JSON (its id, two day numbers, two
#: coordinates, six counts, the codes of the coded columns and their separators), so
#: beyond ``INLINE_LIMIT // _MIN_ROW_JSON`` rows the JSON is not written just to learn
#: that it is too large.
_MIN_ROW_JSON = 32
#: zlib level of the number buffers. Measured on the realistic 1M-row export: higher
#: levels gain little on numbers (coordinates: 77 % of their size at level 1, 79 % at 4)
#: and take twice as long.
LEVEL = 1
#: zlib level of the text buffers (UTF-8 text, JSON lists). The 210 MB of summaries of
#: the 1M-row export: level 1 ~380 MB/s to 13.3 % of their size, level 3 ~310 MB/s to
#: 11.6 %, level 4 ~235 MB/s to 11.2 %, level 6 ~130 MB/s to 9.4 %. Level 3 keeps the
#: 100k page at ~1.2x the gzip of its CSV (1.26x at level 1).
TEXT_LEVEL = 3
#: Buffers are compressed in parts of at most this many bytes, on all cores at once (zlib
#: releases the GIL); the page inflates the parts side by side and joins them again.
PART_BYTES = 4 << 20
#: Dictionaries of text up to this many UTF-8 bytes travel as a JSON list; larger ones as
#: binary text, like a plain text column.
JSON_DICT_BYTES = 64 << 10
#: How many evenly spaced rows decide whether free text repeats enough to be
#: dictionary-encoded (counting the distinct values of every row costs a hash per row).
_TEXT_SAMPLE = 4096
#: The page's names of the typed arrays, by numpy dtype (all little-endian).
_TYPED: dict[str, str] = {
    "int8": "Int8",
    "uint8": "Uint8",
    "int16": "Int16",
    "uint16": "Uint16",
    "int32": "Int32",
    "float64": "Float64",
}


def _day_numbers(values: pd.Series) -> np.ndarray:
    """Day numbers since 1970-01-01 (int64)."""
    days = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]") - _EPOCH
    return days.astype(np.int64)


def _days(values: pd.Series) -> list[int]:
    return _day_numbers(values).tolist()


def _dict_encode(values: pd.Series) -> dict[str, list[Any]]:
    codes, uniques = pd.factorize(values, sort=True)
    return {"dict": [str(u) for u in uniques], "codes": codes.tolist()}


def _text(values: pd.Series) -> dict[str, list[Any]] | list[str]:
    """Dictionary-encode text that repeats (half the rows or more); else a plain list."""
    values = values.astype(str)
    if len(values) > 16 and values.nunique() <= len(values) // 2:
        return _dict_encode(values)
    return values.tolist()


def _count_values(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A count column as int64 values (0 where missing) and where it is missing."""
    arr = values.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(arr)
    return np.where(missing, 0, arr).astype(np.int64), missing


def _counts(values: pd.Series) -> list[int | None]:
    ints, missing = _count_values(values)
    out = ints.astype(object)
    out[missing] = None
    return out.tolist()


#: The page's number columns, in page order: (name, kind, decimals). ``days`` are day
#: numbers since 1970-01-01, ``count`` whole counts with nulls (left out where no event has
#: one, for the optional ones), ``fixed`` decimals rounded to ``decimals`` places (``lat``
#: and ``lon`` are the point's), ``flag`` 0 or 1. Both encoders write these, in this order.
NUMBER_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("date_start", "days", 0),
    ("date_end", "days", 0),
    *((name, "count", 0) for name in (*CASUALTY_FIELDS, *DEATH_FIELDS)),
    ("lat", "fixed", 5),
    ("lon", "fixed", 5),
    ("border_distance_km", "fixed", 2),
    ("in_border_belt", "flag", 0),
)


def number_columns(
    events: gpd.GeoDataFrame, keep: Callable[[str], bool] | None = None
) -> list[tuple[str, str, int, pd.Series]]:
    """The :data:`NUMBER_COLUMNS` the page carries for ``events``, with their values
    (those ``keep`` accepts, and the point)."""
    out = []
    for name, kind, decimals in NUMBER_COLUMNS:
        if name in ("lat", "lon"):
            values = pd.Series(events.geometry.y if name == "lat" else events.geometry.x)
        elif (
            (keep is not None and not keep(name))
            or name not in events
            or (kind == "count" and _unused(events, name))
        ):
            continue
        else:
            values = events[name]
        out.append((name, kind, decimals, values))
    return out


def encode_events(
    events: gpd.GeoDataFrame,
    highlighted: np.ndarray | None = None,
    *,
    fields: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Encode the canonical events as JSON columns for the page (small maps).

    Dates become day numbers since 1970-01-01; repeated text is dictionary-encoded;
    coordinates keep 5 decimals (about 1 m). :func:`encode_binary` encodes the same
    columns for large maps; the page reads the same records from either. ``highlighted``
    (:meth:`geo.highlight.Highlight.mask`) becomes the last column, ``highlighted``: 0 or 1.
    ``fields`` are the event fields carried (:attr:`geo.methods.Methods.fields`; the point
    always): None for every one.
    """
    keep = _keeper(fields)
    cols: dict[str, Any] = {"event_id": events["event_id"].astype(str).tolist()}
    for name in _TEXT_COLUMNS[1:]:
        if keep(name):
            cols[name] = _text(events[name])
    for name in _DICT_COLUMNS:
        if name in events and keep(name) and not _unused(events, name):
            cols[name] = _dict_encode(events[name].astype(str))
    for name, kind, decimals, values in number_columns(events, keep):
        if kind == "days":
            cols[name] = _days(values)
        elif kind == "count":
            cols[name] = _counts(values)
        elif kind == "fixed":
            cols[name] = np.round(values.to_numpy(dtype="float64"), decimals).tolist()
        else:
            cols[name] = values.astype(bool).astype(int).tolist()
    if keep("sources"):
        codes, sources = _sources(events["sources"])
        cols["sources"] = {"dict": sources, "codes": codes.tolist()}
    if "tags" in events and keep("tags"):
        codes, tags = _tags(events["tags"])
        if any(tags):
            cols["tags"] = {"dict": tags, "codes": codes.tolist()}
    if highlighted is not None:
        cols[HIGHLIGHT_COLUMN] = np.asarray(highlighted, dtype=bool).astype(int).tolist()
    return {"n": len(events), "columns": cols}


def _keeper(fields: Sequence[str] | None) -> Callable[[str], bool]:
    """Whether the page carries a field: every one without ``fields``; the event id, the
    dates and the point always (the page cannot draw an event without them)."""
    if fields is None:
        return lambda name: True
    kept = {*fields, "event_id", "date_start", "date_end"}
    return lambda name: name in kept


def _unused(events: gpd.GeoDataFrame, name: str) -> bool:
    """An optional column that no event fills (the input format has no such field)."""
    if name not in _OPTIONAL_COLUMNS:
        return False
    values = events[name]
    return bool((values.isna() | (values.astype(str) == "")).all())


def _sources(values: pd.Series) -> tuple[np.ndarray, list[list[list[str]]]]:
    """Sources as ``[name, url, date]`` triples, dictionary-encoded per distinct list."""
    codes, keys = distinct_objects(
        values,
        lambda row: tuple((s.get("name", ""), s.get("url", ""), s.get("date", "")) for s in row),
    )
    return codes, [[list(t) for t in k] for k in keys]


def _tags(values: pd.Series) -> tuple[np.ndarray, list[list[str]]]:
    """Tags, dictionary-encoded per distinct list (codes in order of first appearance)."""
    codes, keys = distinct_objects(values, lambda row: tuple(str(x) for x in row))
    return codes, [list(k) for k in keys]


# --------------------------------------------------------------------------------------
# Binary columns (large maps)
# --------------------------------------------------------------------------------------


class BinaryColumns:
    """The events as typed columns: JSON descriptors plus the raw buffers they point at.

    ``columns`` maps each column name, in the order of :func:`encode_events`, to one of

    - ``{"kind": "number", "buffer": k, "type": "Int32", "scale": 100000, "null": v}``:
      a typed array (``type`` names the JavaScript one); the value is ``raw / scale``
      (``scale`` only when given), null where ``raw == null`` (only when given) and
      where a ``Float64`` is NaN;
    - ``{"kind": "text", "lengths": k, "type": "Uint8", "data": k2}``: UTF-8 text,
      ``data`` the strings one after the other and ``lengths`` the byte length of each;
    - ``{"kind": "dict", "codes": k, "type": "Int16", "values": ...}``: codes into
      ``values``, null where negative; ``values`` is a JSON list (of strings, or of the
      lists of sources or tags), ``{"json": k}`` when that list is large (its UTF-8 JSON
      text in buffer ``k``), or a ``"text"`` column of the distinct strings.

    Buffers are numbered in the order they are added; each is cut into parts of
    :data:`PART_BYTES` that are compressed in the thread pool as soon as it is added,
    while the next is encoded, and let go once compressed (numpy arrays, and Arrow
    buffers shared with the frame). :meth:`packed` waits for them.
    """

    def __init__(self, n: int, pool: ThreadPoolExecutor) -> None:
        self.n = n
        self.columns: dict[str, dict[str, Any]] = {}
        self.pool = pool
        self.sizes: list[int] = []
        self.jobs: list[list[Future[str]]] = []

    def buffer(self, raw: Any, level: int = LEVEL) -> int:
        """Compress ``raw`` at zlib ``level`` and return its index. ``raw`` has the buffer
        protocol, or is a list of such pieces making one buffer (the chunks of an Arrow
        column, never joined here: the same parts as their concatenation)."""
        views = [memoryview(r).cast("B") for r in (raw if isinstance(raw, list) else [raw])]
        self.sizes.append(sum(len(v) for v in views))
        self.jobs.append([self.pool.submit(_gzip_b64, p, level) for p in _parts(views)])
        return len(self.sizes) - 1

    def packed(self) -> dict[str, Any]:
        """``{"n", "columns", "buffers"}``, each buffer ``{"size": bytes, "parts": [...]}``:
        its parts gzip-compressed and base64-encoded, in order."""
        buffers = [
            {"size": size, "parts": [job.result() for job in jobs]}
            for size, jobs in zip(self.sizes, self.jobs, strict=True)
        ]
        return {"n": self.n, "columns": self.columns, "buffers": buffers}

    def typed(self, arr: np.ndarray) -> dict[str, Any]:
        """``{"buffer": k, "type": name}`` of a numpy array (little-endian, contiguous)."""
        arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<"))
        return {"buffer": self.buffer(arr), "type": _TYPED[arr.dtype.name]}

    def number(self, name: str, arr: np.ndarray, **extra: Any) -> None:
        self.columns[name] = {"kind": "number", **self.typed(arr), **extra}

    def text(self, strings: pa.Array | pa.ChunkedArray) -> dict[str, Any]:
        """A text descriptor of Arrow strings without nulls: their UTF-8 bytes as they are
        (zero-copy, chunk by chunk) and the byte length of each string."""
        lengths, data = [], []
        for chunk in strings.chunks if isinstance(strings, pa.ChunkedArray) else [strings]:
            if pa.types.is_large_string(chunk.type):
                width = "<i8"
            elif pa.types.is_string(chunk.type):
                width = "<i4"
            else:
                raise TypeError(f"not an Arrow string array: {chunk.type}")
            _, offsets_buf, data_buf = chunk.buffers()
            if not len(chunk):
                continue
            offsets = np.frombuffer(offsets_buf, dtype=width)[
                chunk.offset : chunk.offset + len(chunk) + 1
            ]
            first, last = int(offsets[0]), int(offsets[-1])
            lengths.append(np.diff(offsets))
            if data_buf is not None and last > first:
                data.append(data_buf.slice(first, last - first))
        size = sum(d.size for d in data)
        if size >= 2**31:
            raise ValueError("a text column of the page holds more than 2 GiB")
        joined = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
        longest = int(joined.max()) if len(joined) else 0
        small = np.uint8 if longest < 2**8 else np.uint16 if longest < 2**16 else np.int32
        typed = self.typed(joined.astype(small))
        return {
            "kind": "text",
            "lengths": typed["buffer"],
            "type": typed["type"],
            "data": self.buffer(data, TEXT_LEVEL),
        }

    def dictionary(self, name: str, strings: pa.Array | pa.ChunkedArray) -> None:
        """Dictionary-encode ``strings`` (in order of first appearance; null stays null)."""
        encoded = pc.dictionary_encode(strings)
        if isinstance(encoded, pa.ChunkedArray):  # one dictionary for every chunk
            encoded = encoded.unify_dictionaries()
            chunks = encoded.chunks
            values = chunks[0].dictionary if chunks else pa.array([], strings.type)
            indices = pa.chunked_array([c.indices for c in chunks], pa.int32())
        else:
            values, indices = encoded.dictionary, encoded.indices
        codes = pc.fill_null(indices, -1).to_numpy()
        if values.nbytes <= JSON_DICT_BYTES:
            self.coded(name, codes, values.to_pylist())
        else:
            self.coded(name, codes, self.text(values), len(values))

    def coded(self, name: str, codes: np.ndarray, values: Any, count: int | None = None) -> None:
        """Codes into ``values`` (``count`` of them) in the smallest signed type that
        holds them and -1; a long JSON list goes into a buffer of its own."""
        count = len(values) if count is None else count
        if isinstance(values, list):
            text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            if len(text) > JSON_DICT_BYTES:
                values = {"json": self.buffer(text.encode("utf-8"), TEXT_LEVEL)}
        small = np.int8 if count < 2**7 else np.int16 if count < 2**15 else np.int32
        typed = self.typed(codes.astype(small))
        self.columns[name] = {
            "kind": "dict",
            "codes": typed["buffer"],
            "type": typed["type"],
            "values": values,
        }

    def plain(self, name: str, strings: pa.Array | pa.ChunkedArray) -> None:
        """Text kept a string per row (dictionary-encoded only to carry nulls)."""
        if strings.null_count:
            self.dictionary(name, strings)
        else:
            self.columns[name] = self.text(strings)

    def fixed(self, name: str, values: np.ndarray, decimals: int) -> None:
        """Decimals as Int32 of ``10**-decimals`` (the rounding of :func:`encode_events`),
        or Float64 (NaN for null) where a value is missing or out of that range."""
        scale = 10**decimals
        floats = np.asarray(values, dtype=np.float64)
        raw = np.rint(floats * scale)
        if np.isfinite(raw).all() and (len(raw) == 0 or np.abs(raw).max() < 2**31 - 1):
            self.number(name, raw.astype(np.int32), scale=scale)
        else:
            self.number(name, np.round(floats, decimals))

    def counts(self, name: str, values: pd.Series) -> None:
        """Whole counts in the smallest signed type that holds them, its least value
        standing for null; Float64 with NaN beyond Int32."""
        ints, missing = _count_values(values)
        present = ints[~missing]
        lo, hi = (int(present.min()), int(present.max())) if len(present) else (0, 0)
        for dtype in (np.int8, np.int16, np.int32):
            info = np.iinfo(dtype)
            if info.min < lo and hi <= info.max:
                out = ints.astype(dtype)
                out[missing] = info.min
                self.number(name, out, null=int(info.min))
                return
        floats = ints.astype(np.float64)
        floats[missing] = np.nan
        self.number(name, floats)


def _strings(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A text column as Arrow strings: the frame's own buffers when it has them, in its
    chunks (a CSV read in blocks holds dozens; joining them would copy the text)."""
    return pa.array(values.astype(str))


def _repeats(strings: pa.Array | pa.ChunkedArray) -> bool:
    """Whether text repeats enough to be dictionary-encoded: half the rows or more of an
    evenly spaced sample of them (the same rule as :func:`encode_events`, on a sample)."""
    n = len(strings)
    if n <= 16:
        return False
    rows = np.unique(np.linspace(0, n - 1, min(n, _TEXT_SAMPLE)).astype(np.int64))
    sample = strings.take(pa.array(rows))
    return pc.count_distinct(sample, mode="all").as_py() <= len(rows) // 2


def encode_binary(
    events: gpd.GeoDataFrame,
    pool: ThreadPoolExecutor,
    highlighted: np.ndarray | None = None,
    *,
    fields: Sequence[str] | None = None,
) -> BinaryColumns:
    """Encode the canonical events as typed columns for large maps, compressed in ``pool``.

    The same columns, in the same order, with the same values as :func:`encode_events`:
    day numbers Int32; coordinates Int32 of 1e-5 degrees, distances of 1e-2 km; counts in
    the smallest type that holds them with a null sentinel; text as UTF-8 buffers;
    repeated text, sources and tags as codes into dictionaries. Nothing here runs Python
    per row.
    """
    out = BinaryColumns(len(events), pool)
    keep = _keeper(fields)
    for name in _TEXT_COLUMNS:
        if not keep(name):
            continue
        strings = _strings(events[name])
        if name != "event_id" and _repeats(strings):
            out.dictionary(name, strings)
        else:
            out.plain(name, strings)
    for name in _DICT_COLUMNS:
        if name in events and keep(name) and not _unused(events, name):
            out.dictionary(name, _strings(events[name]))
    for name, kind, decimals, values in number_columns(events, keep):
        if kind == "days":
            out.number(name, _day_numbers(values).astype(np.int32))
        elif kind == "count":
            out.counts(name, values)
        elif kind == "fixed":
            out.fixed(name, values.to_numpy(dtype="float64"), decimals)
        else:
            out.number(name, values.astype(bool).to_numpy(np.uint8))
    if keep("sources"):
        codes, lists = _sources(events["sources"])
        out.coded("sources", codes, lists)
    if "tags" in events and keep("tags"):
        codes, tags = _tags(events["tags"])
        if any(tags):
            out.coded("tags", codes, tags)
    if highlighted is not None:
        out.number(HIGHLIGHT_COLUMN, np.asarray(highlighted, dtype=bool).astype(np.uint8))
    return out


def _parts(views: list[memoryview]) -> list[list[memoryview]]:
    """The concatenation of ``views`` cut every :data:`PART_BYTES` bytes, each part as the
    slices of the views it spans."""
    parts: list[list[memoryview]] = []
    room = 0
    for view in views:
        at = 0
        while at < len(view):
            if not room:
                parts.append([])
                room = PART_BYTES
            piece = view[at : at + room]
            parts[-1].append(piece)
            at += len(piece)
            room -= len(piece)
    return parts


def _gzip_b64(pieces: list[memoryview], level: int) -> str:
    data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    # a gzip member as gzip.compress(mtime=0) writes it: byte-identical for the same bytes
    return base64.b64encode(zlib.compress(data, level, 31)).decode("ascii")


def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(1, min(8, os.cpu_count() or 1)))


def pack(
    events: gpd.GeoDataFrame,
    highlighted: np.ndarray | None = None,
    *,
    fields: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The binary columns of ``events`` as they go into the page (:meth:`BinaryColumns.packed`).

    Every buffer is cut into parts of :data:`PART_BYTES`, each gzip-compressed on its own
    in a thread pool (zlib releases the GIL: all cores at once) and base64-encoded. The
    parts do not depend on how many threads compress them, so the output stays
    byte-identical.
    """
    with _pool() as pool:
        return encode_binary(events, pool, highlighted, fields=fields).packed()


def page_data(
    events: gpd.GeoDataFrame,
    highlighted: np.ndarray | None = None,
    *,
    fields: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The events as the page's ``data`` holds them: the plain JSON columns of
    :func:`encode_events` up to :data:`INLINE_LIMIT` bytes of JSON, the compressed
    binary columns of :func:`encode_binary` beyond (with the ``highlighted`` flags, when
    given, as their last column). ``fields``: the event fields carried (None: every one)."""
    if len(events) <= INLINE_LIMIT // _MIN_ROW_JSON:
        data = encode_events(events, highlighted, fields=fields)
        size = 0
        for piece in _json_pieces(data):
            size += len(piece)
            if size > INLINE_LIMIT:
                break
        else:
            return data
    return pack(events, highlighted, fields=fields)


def _json_pieces(data: dict[str, Any]) -> Any:
    """``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` in pieces: one per
    member of ``data`` and of its ``columns``."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    yield "{"
    for i, (key, value) in enumerate(data.items()):
        yield ("," if i else "") + dumps(key) + ":"
        if key == "columns" and isinstance(value, dict):
            yield "{"
            for j, (name, column) in enumerate(value.items()):
                yield ("," if j else "") + dumps(name) + ":" + dumps(column)
            yield "}"
        else:
            yield dumps(value)
    yield "}"


def type_entries(events: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """One entry per event type present: name, layer label with its count, colour."""
    counts = events["event_type"].value_counts()
    return [
        {
            "name": t,
            "label": f"{t} ({int(counts[t])})",
            "color": TYPE_COLOURS[t],
            "count": int(counts[t]),
        }
        for t in EVENT_TYPES
        if t in counts
    ]


def export_columns(events: gpd.GeoDataFrame, data: dict[str, Any]) -> list[str]:
    """The canonical columns the page carries, in order: what its downloads hold."""
    carried = set(data["columns"])
    return [
        c
        for c in events.columns
        if c not in ("geometry", "origin_file", "origin_record")
        and (c in carried or c in ("date_start", "date_end"))
    ]
