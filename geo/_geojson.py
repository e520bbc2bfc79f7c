"""The fast path for GeoJSON: Arrow's JSON parser, used only when it reads exactly as ``json``.

:func:`read_simple_geojson` parses a FeatureCollection with :mod:`pyarrow.json` against an
explicit schema (the canonical properties, a Point geometry, an optional named ``crs``), so
every property arrives as a typed column without a Python object per value. It returns the
raw frame :func:`geo.events._raw_from_geojson` would build from ``json.loads`` — the same
values, so the same validation problems with the same places and values — or ``None``
whenever Arrow could read something differently, and the exact reader then reads the file:

- anything Arrow refuses: invalid JSON, a property of another JSON type than the schema's
  (a number or ``true`` where text belongs, text where a count belongs, a count written
  ``1.0``, ``1e2`` or beyond 64 bits, a source that is not an object), a key given twice,
  a lone ``\\udXXX`` surrogate, a non-Point geometry with coordinates;
- what it would read but not as ``json`` does: more than one top-level value, a top-level
  value other than an object (Arrow is never given one: it crashes on ``null``), the
  numbers ``Inf``, ``-Inf`` and ``-NaN``, a ``type`` other than ``"FeatureCollection"``,
  no features, a feature that is not an object, a ``crs`` member not of the form
  ``{"properties": {"name": "..."}}``, a coordinate written ``-0``;
- a brace or bracket the schema does not account for (an unknown member holding a list or
  object, or text holding one): Arrow skips unknown members however deeply they nest, while
  ``json`` refuses a document nested beyond its recursion limit;
- values whose problems would be shown differently: a negative count or one beyond 2**53
  (shown as written), a source without a usable name or url (shown as written);
- invalid UTF-8, or a file too large for one Arrow block.

Text properties become Arrow-backed ``str`` columns (missing values NaN), counts the
text of their integer (as a CSV holds them), sources and tags the JSON text of their list,
written once per distinct list; validation reads all of them through its text paths.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from geo.schema import COLUMNS, RAW_FIELDS

#: Text columns as read: Arrow-backed strings, missing values NaN (pandas' "str").
TEXT = pd.StringDtype(na_value=np.nan)

_BOM = b"\xef\xbb\xbf"
_MAX_COUNT = 2**53
_SOURCE = pa.struct([("name", pa.string()), ("url", pa.string()), ("date", pa.string())])
#: How each kind of canonical column is written in GeoJSON, by its dtype in
#: :data:`geo.schema.COLUMNS`: text (dates are text too) and whole counts.
_BY_DTYPE = {"str": pa.string(), "datetime64[ns]": pa.string(), "Int64": pa.int64()}
#: The list columns, by name.
_LISTS = {"sources": pa.list_(_SOURCE), "tags": pa.list_(pa.string())}


def _property_type(name: str) -> pa.DataType:
    """The Arrow type a property is read as. A field of a dtype not known here fails at
    import, so a new kind of field cannot silently send every file down the exact path."""
    if name in _LISTS:
        return _LISTS[name]
    dtype = COLUMNS[name]
    if dtype not in _BY_DTYPE:
        msg = f"geo._geojson cannot read field {name!r} of dtype {dtype!r}: teach _property_type"
        raise TypeError(msg)
    return _BY_DTYPE[dtype]


_COUNTS = frozenset(f for f in RAW_FIELDS if COLUMNS[f] == "Int64")


_GEOMETRY = pa.struct([("type", pa.string()), ("coordinates", pa.list_(pa.float64()))])
_PROPERTIES = pa.struct([(f, _property_type(f)) for f in RAW_FIELDS])
_FEATURE = pa.struct([("geometry", _GEOMETRY), ("properties", _PROPERTIES)])
_CRS = pa.struct([("properties", pa.struct([("name", pa.string())]))])
_SCHEMA = pa.schema([("type", pa.string()), ("features", pa.list_(_FEATURE)), ("crs", _CRS)])

_OBJECT_START = re.compile(rb"[ \t\n\r]*\{")
#: ``[`` or ``{`` written as an escape: such text would hide a bracket from the count
_ESCAPED_BRACKET = re.compile(rb"\\u00[57][bB]")
_SCAN = 1 << 26  # bytes per numpy pass, to bound the temporary masks
_MAX_BLOCK = 2**31 - 2


def read_simple_geojson(data: bytes) -> tuple[pd.DataFrame, str | None] | None:
    """The raw frame and the ``crs`` member's name, or None when the exact reader must read.

    The frame has the columns of :data:`geo.schema.RAW_FIELDS`, ``_lon``, ``_lat``,
    ``_geom_type`` and ``_where`` (``"feature 1"``, ...), not yet reprojected.
    """
    buffer = pa.py_buffer(data)
    if data.startswith(_BOM):
        buffer = buffer.slice(len(_BOM))
    if (
        buffer.size >= _MAX_BLOCK
        or not _OBJECT_START.match(data, len(data) - buffer.size)
        or not _valid_utf8(buffer)
        or _escaped_bracket(data)
        or _arrow_only_number(data)
    ):
        return None
    try:
        table = pajson.read_json(
            pa.BufferReader(buffer),
            read_options=pajson.ReadOptions(use_threads=False, block_size=buffer.size + 1),
            parse_options=pajson.ParseOptions(
                explicit_schema=_SCHEMA,
                newlines_in_values=True,
                unexpected_field_behavior="ignore",
            ),
        )
    except (pa.ArrowException, ValueError):
        return None
    if table.num_rows != 1 or table.column("type")[0].as_py() != "FeatureCollection":
        return None
    crs = table.column("crs").combine_chunks()
    readable, declared = _crs_name(crs)
    lists = table.column("features").combine_chunks()
    if not readable or lists.null_count or len(lists.values) == 0:
        return None
    features = lists.flatten()
    if features.null_count:
        return None
    geometry, props = features.flatten()
    point = _points(geometry)
    columns = _columns(props)
    if point is None or columns is None:
        return None
    if not _brackets_accounted(data, (crs, lists)):
        return None
    raw = pd.DataFrame(columns)
    raw["_lon"], raw["_lat"], raw["_geom_type"] = point
    numbers = pc.cast(pa.array(np.arange(1, len(raw) + 1, dtype=np.int64)), pa.string())
    where = pc.binary_join_element_wise("feature ", numbers, "")
    raw["_where"] = pd.Series(where.to_numpy(zero_copy_only=False), dtype=object)
    raw.attrs["maybe_surrogates"] = False  # Arrow refuses a lone surrogate escape
    return raw, declared


def _escaped_bracket(data: bytes) -> bool:
    """Whether ``[`` or ``{`` may be written as a ``\\u`` escape (quick searches first)."""
    if b"\\" not in data:  # one memchr: most files escape nothing
        return False
    return _ESCAPED_BRACKET.search(data) is not None


def _arrow_only_number(data: bytes) -> bool:
    """Whether the file may hold ``Inf``, ``-Inf`` or ``-NaN``: Arrow reads them as numbers,
    ``json`` refuses them (it takes ``NaN``, ``Infinity`` and ``-Infinity``). Text such as
    ``"Note: Information"`` matches too, and only costs the fast path.

    Scanned with numpy in slices (faster than ``bytes.find`` for a short needle): the
    places of ``I`` and ``N`` first, then the bytes around the few that remain.
    """
    whole = np.frombuffer(data, np.uint8)
    for start in range(0, len(whole), _SCAN):
        part = whole[start : start + _SCAN]
        for at in (np.flatnonzero(part == ord("I")), np.flatnonzero(part == ord("N"))):
            at = at + start
            for i in at[_followed(whole, at)].tolist():
                if _after_value_start(data, i):
                    return True
    return False


def _followed(whole: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Which ``I``/``N`` start ``Inf`` not followed by ``inity``, or are ``N`` of ``-NaN``."""
    n = len(whole)

    def byte(offset: int) -> np.ndarray:
        k = at + offset
        return np.where((k >= 0) & (k < n), whole[np.clip(k, 0, max(n - 1, 0))], 0)

    if len(at) == 0:
        return np.zeros(0, dtype=bool)
    first = byte(0)
    inf = (first == ord("I")) & (byte(1) == ord("n")) & (byte(2) == ord("f"))
    inf &= ~((byte(3) == ord("i")) & (byte(4) == ord("n")) & (byte(5) == ord("i")))
    nan = (first == ord("N")) & (byte(-1) == ord("-")) & (byte(1) == ord("a"))
    nan &= byte(2) == ord("N")
    return inf | nan


def _after_value_start(data: bytes, i: int) -> bool:
    """Whether the token at ``i`` stands where a number may: after ``:``, ``,``, ``[`` or
    a minus sign (and JSON whitespace)."""
    j = i - 1
    while j >= 0 and data[j] in b" \t\n\r":
        j -= 1
    return j >= 0 and data[j] in b":,[-"


def _valid_utf8(buffer: pa.Buffer) -> bool:
    """Whether the bytes are UTF-8, checked by Arrow without copying them."""
    offsets = pa.py_buffer(np.array([0, buffer.size], dtype=np.int64).tobytes())
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, buffer])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _brackets_accounted(data: bytes, members: tuple[pa.Array, ...]) -> bool:
    """Whether every ``[`` and ``{`` of the file opens a list or object of the schema or
    stands in its text: then nothing Arrow skipped holds a list or object, and the
    document nests no deeper than the schema (``json`` refuses very deep nesting).

    A bracket escaped as ``\\u005b`` would be counted in the text but not in the file;
    :func:`read_simple_geojson` does not come here when the file may hold one.
    """
    whole = np.frombuffer(data, np.uint8)
    in_file = sum(
        int(np.count_nonzero(part == ord("["))) + int(np.count_nonzero(part == ord("{")))
        for part in (whole[o : o + _SCAN] for o in range(0, len(whole), _SCAN))
    )
    opened = 1 + sum(_opened(a) for a in _nested(members))  # 1: the top-level object
    if opened == in_file:
        return True  # no bracket in any text (the common case): the text need not be read
    in_text = sum(_brackets_in(a) for a in _texts(members))
    return opened + in_text == in_file


def _nested(arrays: Any) -> Any:
    """The arrays of lists and objects under (and including) ``arrays``, each once."""
    for a in arrays:
        if pa.types.is_struct(a.type):
            yield a
            yield from _nested(a.flatten())
        elif pa.types.is_list(a.type):
            yield a
            yield from _nested([a.values])


def _texts(arrays: Any) -> Any:
    """The text arrays under ``arrays``."""
    for a in arrays:
        if pa.types.is_struct(a.type):
            yield from _texts(a.flatten())
        elif pa.types.is_list(a.type):
            yield from _texts([a.values])
        elif pa.types.is_string(a.type):
            yield a


def _opened(values: pa.Array) -> int:
    """Lists or objects present in a list or struct array (null ones are not written)."""
    return len(values) - values.null_count


def _brackets_in(values: pa.Array) -> int:
    """How many ``[`` and ``{`` the text values hold."""
    if values.null_count == len(values):
        return 0
    total = 0
    for mark in ("[", "{"):
        found = pc.sum(pc.count_substring(values, mark)).as_py()
        total += int(found or 0)
    return total


def _crs_name(crs: pa.StructArray) -> tuple[bool, str | None]:
    """Whether the ``crs`` member reads as :func:`geo.events._geojson_crs` accepts it (if
    not, the exact reader says what is wrong), and its name (None without one)."""
    if crs.null_count == len(crs):
        return True, None
    (properties,) = crs.flatten()
    if properties.null_count:
        return False, None
    (name,) = properties.flatten()
    if name.null_count:
        return False, None
    return True, str(name[0].as_py())


def _points(geometry: pa.StructArray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(lon, lat, kind) per feature, as :func:`geo.events._point_of` gives them."""
    kind_text, coords = geometry.flatten()
    n = len(geometry)
    present = np.asarray(geometry.is_valid())
    listed = np.asarray(coords.is_valid())
    kind = kind_text.to_numpy(zero_copy_only=False)
    is_point = present & (kind == "Point")
    # offsets index the whole child array (``values``), sliced or not
    offsets = np.asarray(coords.offsets, dtype=np.int64)
    values = coords.values
    lengths = np.diff(offsets)
    holes = np.concatenate([[0], np.cumsum(np.asarray(values.is_null()), dtype=np.int64)])
    complete = holes[offsets[1:]] == holes[offsets[:-1]]
    usable = is_point & listed & ((lengths == 2) | (lengths == 3)) & complete
    xy = np.asarray(pc.fill_null(values, np.nan), dtype=np.float64)
    lon, lat = np.full(n, np.nan), np.full(n, np.nan)
    start = offsets[:-1][usable]
    lon[usable], lat[usable] = xy[start], xy[start + 1]
    if ((lon == 0) & np.signbit(lon)).any() or ((lat == 0) & np.signbit(lat)).any():
        return None  # ``-0`` (an integer: 0.0 for json) and ``-0.0`` cannot be told apart
    named = np.where(pd.isna(kind), "None", kind)  # a geometry without a type: str(None)
    kinds = np.where(is_point, np.where(usable, "Point", "Point?"), named)
    return lon, lat, np.where(present, kinds, "missing").astype(object)


def _columns(props: pa.StructArray) -> dict[str, pd.Series] | None:
    """The raw columns from the properties (None if a count or source needs the exact
    reader to be shown as written)."""
    out: dict[str, pd.Series] = {}
    for name, values in zip(RAW_FIELDS, props.flatten(), strict=True):
        if name in _COUNTS:
            if values.null_count < len(values):
                low, high = pc.min_max(values).values()
                if low.as_py() < 0 or high.as_py() > _MAX_COUNT:
                    return None
            out[name] = _text(pc.cast(values, pa.string()))
        elif name == "sources":
            items = values.values
            if items.null_count or not _all_named(*items.flatten()[:2]):
                return None  # "each source needs a 'name' or a 'url'" shows it as written
            out[name] = _lists_as_json(values, items.flatten())
        elif name == "tags":
            out[name] = _lists_as_json(values, [values.values])
        else:
            out[name] = _text(values)
    return out


def _text(values: pa.Array) -> pd.Series:
    """Arrow text as a pandas ``str`` column (missing values NaN)."""
    return pd.Series(TEXT.__from_arrow__(pc.cast(values, pa.large_string())), copy=False)


def _all_named(name: pa.Array, url: pa.Array) -> bool:
    """Whether every source has the text validation requires: its name if not empty,
    else its url, not blank (see ``_one_source``); judged once per distinct text."""
    has_name = pc.fill_null(pc.not_equal(name, ""), False)
    has_url = pc.fill_null(pc.not_equal(url, ""), False)
    chosen = pc.if_else(has_name, name, pc.if_else(has_url, url, ""))
    return all(str(v).strip() for v in pc.unique(chosen).to_pylist())


def _lists_as_json(values: pa.ListArray, parts: list[pa.Array]) -> pd.Series:
    """Each list as JSON text (missing where null), written once per distinct list.

    ``parts`` are the text arrays the items are made of (the items themselves, or a
    struct's fields), indexed by the list's offsets; a row's key spells each part with its
    length, so two lists have the same key only if they are equal.
    """
    present = values.is_valid()
    if len(values.values) == 0:  # only empty lists (tags, mostly) and nulls
        empty = pa.array(["[]", None], type=pa.large_string())
        return _text(empty.take(pc.if_else(present, 0, 1)))
    spelled = []
    for part in parts:  # "5:Dawn", or "-" where missing (a null tag, a source without url)
        length = pc.cast(pc.utf8_length(part), pa.string())
        spelled.append(pc.fill_null(pc.binary_join_element_wise(length, ":", part, ""), "-"))
    item = spelled[0] if len(spelled) == 1 else pc.binary_join_element_wise(*spelled, "")
    rows = pa.ListArray.from_arrays(values.offsets, item)
    count = pc.cast(pc.list_value_length(values), pa.string())
    key = pc.binary_join_element_wise(count, "#", pc.binary_join(rows, ""), "")
    key = pc.if_else(present, key, pa.scalar(None, pa.string()))
    codes, uniques = pd.factorize(key.to_numpy(zero_copy_only=False), use_na_sentinel=True)
    first = np.zeros(len(uniques), dtype=np.int64)
    seen, at = np.unique(codes, return_index=True)
    first[seen[seen >= 0]] = at[seen >= 0]
    texts = [json.dumps(v) for v in values.take(pa.array(first)).to_pylist()]
    table = pa.array([*texts, None], type=pa.large_string())
    return _text(table.take(pa.array(np.where(codes < 0, len(texts), codes))))
