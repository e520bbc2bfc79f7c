"""The binary columns of large maps (``encode_binary``, ``pack``) against the JSON columns.

A reference decoder here reads the packed columns back as the page does (``core.js``,
``Events``); every column must give exactly what :func:`encode_events` gives. What the page
itself shows from both is compared in ``tests/browser/test_large_and_offline.py``.
"""

from __future__ import annotations

import base64
import gzip
import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from geo.events import read_events
from geo.render import events as E
from geo.render._util import script_json

ROOT = Path(__file__).resolve().parents[2]
_DTYPES = {
    "Int8": "<i1",
    "Uint8": "<u1",
    "Int16": "<i2",
    "Uint16": "<u2",
    "Int32": "<i4",
    "Float64": "<f8",
}
#: Text that must come back exactly: astral characters, right-to-left text, combining
#: marks, a leading byte order mark, markup and template syntax.
ODD_TEXT = [
    "😀 emoji 🇦🇫 flag, 𝕏 and 𠀋",
    "مرحبا بالعالم — עברית",
    "e\u0301 combining, \u200d joiner",
    "\ufeffstarts with a BOM",
    "</script><script>alert(1)</script>",
    "{{ 6*7 }} {% raw %} {# c #}",
    '<img src=x onerror="alert(1)">',
    "",
    "line\nbreak\ttab \u2028 \u2029",
]


def decode(data: dict[str, Any]) -> dict[str, list[Any]]:
    """Every column of packed binary data as a list of values (None for null)."""
    buffers = [
        b"".join(gzip.decompress(base64.b64decode(p)) for p in buf["parts"])
        for buf in data["buffers"]
    ]
    for buf, raw in zip(data["buffers"], buffers, strict=True):
        assert len(raw) == buf["size"]
    return {name: _column(col, buffers) for name, col in data["columns"].items()}


def _typed(buffers: list[bytes], k: int, kind: str) -> np.ndarray:
    return np.frombuffer(buffers[k], dtype=_DTYPES[kind])


def _column(col: dict[str, Any], buffers: list[bytes]) -> list[Any]:
    if col["kind"] == "number":
        out: list[Any] = []
        for v in _typed(buffers, col["buffer"], col["type"]).tolist():
            if ("null" in col and v == col["null"]) or v != v:
                out.append(None)
            else:
                out.append(v / col["scale"] if "scale" in col else v)
        return out
    if col["kind"] == "text":
        lengths = _typed(buffers, col["lengths"], col["type"])
        offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        data = buffers[col["data"]]
        assert offsets[-1] == len(data)
        return [data[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets.tolist())]
    assert col["kind"] == "dict"
    values = col["values"]
    if isinstance(values, dict) and "json" in values:
        values = json.loads(buffers[values["json"]].decode("utf-8"))
    elif isinstance(values, dict):
        values = _column(values, buffers)
    codes = _typed(buffers, col["codes"], col["type"]).tolist()
    return [None if c < 0 else values[c] for c in codes]


def _json_columns(events: pd.DataFrame) -> dict[str, list[Any]]:
    cols = E.encode_events(events)["columns"]
    return {
        name: [col["dict"][c] if c >= 0 else None for c in col["codes"]]
        if isinstance(col, dict)
        else col
        for name, col in cols.items()
    }


def _descriptors(events: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return E.pack(events)["columns"]


def _binary_columns(events: pd.DataFrame) -> dict[str, list[Any]]:
    return decode(E.pack(events))


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return read_events(ROOT / "data" / "events.geojson").events


@pytest.fixture(scope="module")
def odd(shipped: pd.DataFrame) -> pd.DataFrame:
    """The shipped events with odd text in every kind of text column, null dictionary
    values, counts of every width, tags and several sources."""
    ev = shipped.reset_index(drop=True).copy()
    n = len(ev)
    for k, text in enumerate(ODD_TEXT):
        ev.loc[k, "summary"] = text
        ev.loc[k + 10, "location"] = text
        ev.loc[k + 20, "actor1"] = text
        ev.loc[k + 30, "event_id"] = text + f" #{k}"
        ev.loc[k + 40, "fatality_note"] = text
    ev["actor2"] = ev["actor2"].astype(object)
    ev.loc[3, "actor2"] = None
    ev.loc[5, "province"] = ""
    ev["fatalities_best"] = pd.array([None, 0, -5, 3_000, *range(n - 4)], dtype="Int64")
    ev["injured_best"] = pd.array([None, 70_000] + [1] * (n - 2), dtype="Int64")
    ev["fatalities_high"] = pd.array([None, 5_000_000_000] + [2] * (n - 2), dtype="Int64")
    ev["injured_low"] = pd.array([None] * n, dtype="Int64")
    ev["tags"] = [("a", "</script>") if k % 3 == 0 else () for k in range(n)]
    both = (
        {"name": "S1", "url": "https://e.org/1", "date": "2024-01-02"},
        {"name": ODD_TEXT[0], "url": "https://e.org/?q=</script>"},
    )
    ev["sources"] = [both if k % 2 else ({"name": f"only {k % 5}"},) for k in range(n)]
    return ev


def _check_same(events: pd.DataFrame) -> None:
    expected, got = _json_columns(events), _binary_columns(events)
    assert list(got) == list(expected)
    for name in expected:
        assert got[name] == expected[name], name


def test_binary_columns_decode_to_the_json_columns(shipped) -> None:
    _check_same(shipped)


def test_odd_text_nulls_and_counts_round_trip(odd) -> None:
    _check_same(odd)
    got = _binary_columns(odd)
    assert got["summary"][: len(ODD_TEXT)] == ODD_TEXT
    assert got["actor2"][3] is None
    assert got["fatalities_best"][:4] == [None, 0, -5, 3000]
    assert got["injured_best"][:2] == [None, 70_000]
    assert got["fatalities_high"][:2] == [None, 5_000_000_000]
    data = _descriptors(odd)
    types = {name: data[name]["type"] for name in data}
    assert types["fatalities_best"] == "Int16"  # 3,000 fits, -32768 stands for null
    assert types["injured_best"] == "Int32"
    assert types["fatalities_high"] == "Float64"  # beyond Int32: NaN for null
    # every value missing: left out of the page, like UCDP's death breakdown for ACLED
    assert "injured_low" not in types and "injured_low" not in got
    assert {k: v for k, v in data["lat"].items() if k != "buffer"} == {
        "kind": "number",
        "type": "Int32",
        "scale": 100_000,
    }


def test_every_row_is_null_or_repeats(odd) -> None:
    """Free text that repeats goes dictionary-encoded, as in the JSON columns."""
    ev = pd.concat([odd] * 3, ignore_index=True)
    ev["event_id"] = [f"E{k}" for k in range(len(ev))]
    ev["summary"] = "same " + (pd.Series(range(len(ev))) % 7).astype(str)
    _check_same(ev)
    assert _descriptors(ev)["summary"]["kind"] == "dict"
    assert E.encode_events(ev)["columns"]["summary"].keys() == {"dict", "codes"}


def test_large_dictionaries_travel_as_buffers(odd, monkeypatch) -> None:
    """Beyond JSON_DICT_BYTES a dictionary is binary text (strings) or a JSON buffer
    (lists of sources and tags); codes widen with the number of values."""
    monkeypatch.setattr(E, "JSON_DICT_BYTES", 8)
    ev = pd.concat([odd] * 4, ignore_index=True)
    ev["location"] = [f"place {k}" for k in range(len(ev))]  # > 127 values: Int16 codes
    ev["event_id"] = [f"E{k}" for k in range(len(ev))]
    _check_same(ev)
    cols = _descriptors(ev)
    assert cols["location"]["type"] == "Int16"
    assert cols["location"]["values"]["kind"] == "text"
    assert cols["actor1"]["values"]["kind"] == "text"
    assert set(cols["sources"]["values"]) == {"json"}
    assert set(cols["tags"]["values"]) == {"json"}


def test_null_text_outside_dictionaries_stays_null(odd) -> None:
    """A plain text column with a missing value is dictionary-encoded to carry it."""
    ev = odd.copy()
    ev["event_id"] = ev["event_id"].astype(object)
    ev.loc[2, "event_id"] = None
    cols = _descriptors(ev)
    assert cols["event_id"]["kind"] == "dict"
    assert decode(E.pack(ev))["event_id"][2] is None


def test_sliced_and_chunked_text(odd, monkeypatch) -> None:
    """Arrow arrays that start inside their buffers (a slice of the frame) and frames of
    several chunks (parts spanning chunks) give the same text."""
    monkeypatch.setattr(E, "PART_BYTES", 50)
    part = odd.iloc[7:40]
    _check_same(part)
    chunked = pd.concat([odd.iloc[:20], odd.iloc[20:50], odd.iloc[50:]])
    assert pa.array(chunked["summary"]).num_chunks == 3
    _check_same(chunked)
    assert E.pack(chunked) == E.pack(odd)  # the same bytes, however the text is chunked


def test_no_events(shipped) -> None:
    empty = shipped.iloc[0:0]
    got = _binary_columns(empty)
    assert got == {name: [] for name in _json_columns(empty)}


def test_packing_is_deterministic_and_split_into_parts(odd, monkeypatch) -> None:
    monkeypatch.setattr(E, "PART_BYTES", 100)
    one = E.pack(odd)
    assert max(len(b["parts"]) for b in one["buffers"]) > 1
    with ThreadPoolExecutor(1) as pool:  # one thread or several: the same parts
        two = E.encode_binary(odd, pool).packed()
    assert one == two
    assert json.dumps(one) == json.dumps(E.pack(odd))
    for buf in one["buffers"]:
        for part in buf["parts"]:
            raw = base64.b64decode(part, validate=True)
            assert raw[:4] == b"\x1f\x8b\x08\x00" and raw[4:8] == b"\0\0\0\0"  # mtime 0
            assert len(gzip.decompress(raw)) <= 100
    _check_same(odd)


def test_page_data_is_json_when_small_binary_when_large(odd, monkeypatch) -> None:
    assert E.page_data(odd) == E.encode_events(odd)
    monkeypatch.setattr(E, "INLINE_LIMIT", 1000)  # the JSON is larger: binary
    data = E.page_data(odd)
    assert set(data) == {"n", "columns", "buffers"}
    assert decode(data) == _binary_columns(odd)
    monkeypatch.setattr(E, "INLINE_LIMIT", 0)  # more rows than could ever fit
    assert set(E.page_data(odd)) == {"n", "columns", "buffers"}


def test_binary_config_is_inert(odd, monkeypatch) -> None:
    """Hostile text in the dictionaries that stay JSON goes through script_json; base64
    holds no character that markup or a template engine could act on."""
    monkeypatch.setattr(E, "INLINE_LIMIT", 0)
    data = E.page_data(odd)
    text = script_json({"data": data})
    for bad in ("<", ">", "&", "{{", "{%", "{#", "\u2028"):
        assert bad not in text
    assert json.loads(text)["data"] == data
    assert "</script>" in json.dumps(data["columns"], ensure_ascii=False)  # it is there
