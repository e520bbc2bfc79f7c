"""The fast GeoJSON reader (geo._geojson, Arrow's JSON parser) against the exact one.

Every input is read twice, once as usual and once with the fast path switched off, and
the two must give the same LoadReport: the same events, the same problems with the same
places and values, the same records read — or the same error. Where the fast path is
expected to apply (or to hand over to the exact reader), that is asserted too, so that a
change that silently disables it, or lets it read what it should not, fails here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo.events
from geo import _twins
from geo._errors import ValidationError
from geo._geojson import read_simple_geojson
from geo.events import read_events
from geo.schema import RAW_FIELDS

CONTEXT = Path(__file__).parent / "data" / "context"
BASE = json.loads((CONTEXT / "events.geojson").read_text(encoding="utf-8"))


def _outcome(path: Path, crs: str | None) -> Any:
    try:
        return read_events(path, crs=crs)
    except ValidationError as exc:
        return exc


def _shown(problems: list[Any]) -> list[tuple[type, str]]:
    """Problems as compared: each one's text and the type of its value (NaN equals NaN)."""
    return [(type(p.value), repr(p)) for p in problems]


def _same(fast: Any, exact: Any) -> None:
    assert type(fast) is type(exact)
    if isinstance(exact, ValidationError):
        assert _shown(fast.problems) == _shown(exact.problems)
        return
    assert fast.n_read == exact.n_read
    assert _shown(fast.problems) == _shown(exact.problems)
    pd.testing.assert_frame_equal(fast.events, exact.events)
    assert list(fast.events.geometry.to_wkb()) == list(exact.events.geometry.to_wkb())


def read_both(path: Path, monkeypatch: pytest.MonkeyPatch, crs: str | None = None) -> Any:
    """Read ``path`` with and without the fast path; assert the same outcome; return it.

    Under ``GEO_EXACT`` (tests/test_exact_paths.py) both readings would take the same exact
    path, so it is read once: the outcome is still checked by the caller."""
    fast = _outcome(path, crs)
    if _twins.exact():
        return fast
    with monkeypatch.context() as m:
        m.setattr(geo.events, "read_simple_geojson", lambda data: None)
        exact = _outcome(path, crs)
    _same(fast, exact)
    return fast


def _write(tmp_path: Path, doc: Any, name: str = "e.geojson", **dump: Any) -> Path:
    path = tmp_path / name
    text = doc if isinstance(doc, str | bytes) else json.dumps(doc, **dump)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _fast_applies(path: Path) -> bool:
    return read_simple_geojson(path.read_bytes()) is not None


def _feature(props: dict[str, Any], geometry: Any = "point") -> dict[str, Any]:
    base = {
        "event_id": "E1",
        "date_start": "2025-10-12",
        "event_type": "Battles",
        "country": "AFG",
    }
    if geometry == "point":
        geometry = {"type": "Point", "coordinates": [71.1, 34.87]}
    return {"type": "Feature", "properties": {**base, **props}, "geometry": geometry}


def _collection(*features: Any, **members: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features), **members}


# ---------------------------------------------------------------- where the fast path reads


def test_the_shipped_events_take_the_fast_path(tmp_path, monkeypatch) -> None:
    path = _write(tmp_path, BASE)
    assert _fast_applies(path)
    report = read_both(path, monkeypatch)
    assert len(report.events) == len(BASE["features"])


def test_an_export_reads_back_through_the_fast_path(tmp_path, monkeypatch) -> None:
    report = read_events(CONTEXT / "events.geojson")
    path = _write(tmp_path, geo.export.events_to_geojson(report.events))
    assert _fast_applies(path)
    read_both(path, monkeypatch)


@pytest.mark.parametrize(
    "props",
    [
        {"summary": "", "actor1": "   ", "location": "\u00a0Kabul\u3000", "admin2": "\x1cA\x1f"},
        {"summary": "brackets [1] and {braces} in text", "tags": ["[x]", "{y}"]},
        {"summary": "Infantry and Information Ministry; NaN, Infinity", "actor1": "NaNa"},
        {"country": "afg", "event_type": "battles", "sub_event_type": "armed CLASH"},
        {"country": "AF"},
        {"event_type": "Picnic"},
        {"date_start": "2025-02-30"},
        {"date_start": "2025", "date_precision": "Year"},
        {"date_start": "2025-10-12", "date_end": "2025-10-01"},
        {"date_precision": "week"},
        {"geo_precision": "2"},
        {"geo_precision": "street"},
        {"event_id": ""},
        {"event_id": None, "date_start": None},
        {"fatalities_low": 3, "fatalities_best": 2, "fatalities_high": 1},
        {"fatalities_best": 2**53, "injured_best": 0, "deaths_civilians": 7},
        {"sources": [{"name": "Dawn", "url": "https://dawn.com/x", "date": "2025-10-12"}]},
        {"sources": [{"url": "javascript:alert(1)", "name": "x"}]},
        {"sources": [{"name": "A", "publisher": "extra key"}, {"url": "https://a.b"}]},
        {"sources": [{"name": "", "url": "https://a.b"}]},
        {"sources": []},
        {"sources": None, "tags": None},
        {"tags": [" a ", "", "b"]},
        {"tags": ["a", None]},
        {"summary": "x" * 140_000},
        {"summary": "emoji \ud83d\ude00 and NUL \x00 and \u2028"},
    ],
)
def test_fast_path_reads_text_counts_and_lists_as_the_exact_one(
    tmp_path, monkeypatch, props
) -> None:
    path = _write(tmp_path, _collection(_feature(props), _feature({"event_id": "E2"})))
    assert _fast_applies(path)
    read_both(path, monkeypatch)


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {},
        {"type": None},
        {"type": "Polygon"},
        {"type": "Point"},
        {"type": "Point", "coordinates": None},
        {"type": "Point", "coordinates": []},
        {"type": "Point", "coordinates": [71]},
        {"type": "Point", "coordinates": [71, 34, 5, 1]},
        {"type": "Point", "coordinates": [71, 34, 5]},
        {"type": "Point", "coordinates": [71, None]},
        {"type": "Point", "coordinates": [71, 34]},
        {"type": "Point", "coordinates": [200.5, 34]},
        {"type": "Point", "coordinates": [71, 95]},
        {"type": "Point", "coordinates": [12345678901234567891, 34]},
        {"type": "Point", "coordinates": [0.1, 1e-400]},
        {"type": "Point", "coordinates": [-0.0, 34]},
    ],
)
def test_geometries_read_alike(tmp_path, monkeypatch, geometry) -> None:
    path = _write(tmp_path, _collection(_feature({}, geometry), _feature({"event_id": "E2"})))
    read_both(path, monkeypatch)


def test_a_crs_member_is_read_and_reprojected(tmp_path, monkeypatch) -> None:
    crs = {"type": "name", "properties": {"name": "EPSG:3857"}}
    feature = _feature({}, {"type": "Point", "coordinates": [7915000.0, 4142000.0]})
    path = _write(tmp_path, _collection(feature, crs=crs))
    assert _fast_applies(path)
    report = read_both(path, monkeypatch)
    assert round(report.events.geometry.x[0], 1) == 71.1
    read_both(path, monkeypatch, crs="EPSG:4326")


def test_infinity_and_nan_coordinates_read_alike(tmp_path, monkeypatch) -> None:
    text = json.dumps(_collection(_feature({}, {"type": "Point", "coordinates": [1.5, 2.5]})))
    for literal in ("NaN", "Infinity", "-Infinity"):
        path = _write(tmp_path, text.replace("1.5", literal))
        read_both(path, monkeypatch)


# ---------------------------------------------------------------- where it hands over


@pytest.mark.parametrize(
    "props",
    [
        {"event_id": 5},
        {"summary": 1.5},
        {"actor1": True},
        {"country": ["AFG"]},
        {"location": {"name": "Kabul"}},
        {"date_start": 2025},
        {"date_precision": False},
        {"fatalities_best": -1},
        {"fatalities_best": 1.0},
        {"fatalities_best": 2.5},
        {"fatalities_best": 1e2},
        {"fatalities_best": 2**53 + 1},
        {"fatalities_best": 10**30},
        {"fatalities_best": "3"},
        {"fatalities_best": True},
        {"sources": "Dawn"},
        {"sources": {"name": "Dawn"}},
        {"sources": [None]},
        {"sources": [{"date": "2025-10-12"}]},
        {"sources": [{"name": "   ", "url": "https://a.b"}]},
        {"sources": [{"name": 5}]},
        {"sources": ["Dawn"]},
        {"sources": [[{"name": "x"}]]},
        {"tags": "a, b"},
        {"tags": [1, 2]},
        {"tags": [["a"]]},
        {"extra": {"nested": [1, [2]]}},
        {"extra": "a [bracket] in a field nobody reads"},
    ],
)
def test_hands_over_what_it_could_read_differently(tmp_path, monkeypatch, props) -> None:
    path = _write(tmp_path, _collection(_feature(props), _feature({"event_id": "E2"})))
    assert not _fast_applies(path)
    read_both(path, monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        # a key given twice: json keeps the last one
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"event_id":"E1","event_id":"E2","date_start":"2025-10-12","event_type":"Battles"},'
        '"geometry":{"type":"Point","coordinates":[71.1,34.87]}}]}',
        # a lone surrogate escape
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"event_id":"E1","date_start":"2025-10-12","event_type":"Battles","summary":"a\\ud800b"},'
        '"geometry":{"type":"Point","coordinates":[71.1,34.87]}}]}',
        # a bracket written as an escape
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"event_id":"E\\u005b1","date_start":"2025-10-12","event_type":"Battles"},'
        '"geometry":{"type":"Point","coordinates":[71.1,34.87]}}]}',
        # an integer -0 is 0.0 for json
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"event_id":"E1","date_start":"2025-10-12","event_type":"Battles"},'
        '"geometry":{"type":"Point","coordinates":[-0,34.87]}}]}',
        # a number beyond float range
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"event_id":"E1","date_start":"2025-10-12","event_type":"Battles"},'
        '"geometry":{"type":"Point","coordinates":[1e400,34.87]}}]}',
    ],
)
def test_hands_over_duplicate_keys_surrogates_escapes(tmp_path, monkeypatch, text) -> None:
    path = _write(tmp_path, text)
    assert not _fast_applies(path)
    read_both(path, monkeypatch)


@pytest.mark.parametrize(
    "doc",
    [
        "null",
        "[]",
        '"FeatureCollection"',
        "{}",
        '{"type":"Feature","properties":{"event_id":"E1"},"geometry":null}',
        '{"type":"FeatureCollection"}',
        '{"type":"FeatureCollection","features":[]}',
        '{"type":"FeatureCollection","features":null}',
        '{"type":"FeatureCollection","features":{}}',
        '{"type":"FeatureCollection","features":[null]}',
        '{"type":"FeatureCollection","features":[1, "x"]}',
        '{"type":"FeatureCollection","features":[{"properties":[]}]}',
        '{"type":"FeatureCollection","features":[{}]}',
        '{"type":"FeatureCollection","features":[{"properties":null,"geometry":null}]}',
        '{"type":"FeatureCollection","features":[{}]} {"type":"FeatureCollection"}',
        '{"type":"FeatureCollection","features":[{}]} null',
        '{"type":"FeatureCollection","features":[{}]',
        '{"type":"FeatureCollection","features":[{}],}',
        '{"type":"FeatureCollection","features":[{}],"crs":null}',
        '{"type":"FeatureCollection","features":[{}],"crs":"EPSG:3857"}',
        '{"type":"FeatureCollection","features":[{}],"crs":{"type":"name"}}',
        '{"type":"FeatureCollection","features":[{}],"crs":{"properties":{"name":5}}}',
        '{"type":"FeatureCollection","features":[{}],"crs":{"properties":{"name":"nonsense"}}}',
        '{"type":"FeatureCollection","features":[{}],"crs":{"properties":{"name":"EPSG:4978"}}}',
        '{"type":"FeatureCollection","features":[{}],"bbox":[1,2,3,4]}',
        '{"type":"FeatureCollection","features":[{"bbox":[1,2],"geometry":null}]}',
        '{"type":"FeatureCollection","type":"FeatureCollection","features":[{}]}',
        '\ufeff{"type":"FeatureCollection","features":[{}]}',
        ' \n\t{"type":"FeatureCollection","features":[{"geometry":{"type":"Point",'
        '"coordinates":[NaN,Infinity]}}]}\r\n',
    ],
)
def test_documents_read_alike(tmp_path, monkeypatch, doc) -> None:
    read_both(_write(tmp_path, doc), monkeypatch)


@pytest.mark.parametrize("literal", ["Inf", "-Inf", "-NaN", "NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("where", ["coordinate", "ignored"])
def test_numbers_only_arrow_reads_are_the_exact_readers_error(
    tmp_path, monkeypatch, literal, where
) -> None:
    feature = _feature({"ignored": "HERE"}, {"type": "Point", "coordinates": [71.1, 34.87]})
    text = json.dumps(_collection(feature))
    text = text.replace("71.1" if where == "coordinate" else '"HERE"', literal)
    path = _write(tmp_path, text)
    assert _fast_applies(path) is (literal in ("NaN", "Infinity", "-Infinity"))
    read_both(path, monkeypatch)


@pytest.mark.parametrize("tail", ["\x0c", "\x0b", "\x00", "\u00a0", "}", "]", "\n{}", "\n\n\t "])
def test_what_follows_the_document_reads_alike(tmp_path, monkeypatch, tail) -> None:
    text = json.dumps(_collection(_feature({"summary": "Infantry: Information"})))
    path = _write(tmp_path, text + tail)
    read_both(path, monkeypatch)


def test_invalid_utf8_is_the_exact_readers_error(tmp_path, monkeypatch) -> None:
    text = json.dumps(_collection(_feature({"summary": "SUMMARY"})))
    path = _write(tmp_path, text.encode("utf-8").replace(b"SUMMARY", b"a\xff\xfeb"))
    assert not _fast_applies(path)
    error = read_both(path, monkeypatch)
    assert "not valid UTF-8" in str(error)


def test_deep_nesting_that_arrow_would_skip_is_the_exact_readers_error(
    tmp_path, monkeypatch
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = json.dumps(_collection(_feature({"ignored": "DEEP"}))).replace('"DEEP"', deep)
    path = _write(tmp_path, text)
    assert not _fast_applies(path)
    error = read_both(path, monkeypatch)
    assert "JSON nested too deeply" in str(error)


def test_coordinates_parse_to_the_same_floats(tmp_path, monkeypatch) -> None:
    written = ["71.1", "34.87", "0.1", "1e-7", "179.99999999999997", "33.300000000000004"]
    written += ["1.7976931348623157e308", "5e-324", "12.345678901234567890123", "-89.9999"]
    features = [
        _feature({"event_id": f"E{i}"}, {"type": "Point", "coordinates": ["LON", "LAT"]})
        for i in range(len(written))
    ]
    text = json.dumps(_collection(*features))
    for value in written:
        text = text.replace('"LON"', value, 1).replace('"LAT"', value, 1)
    path = _write(tmp_path, text)
    assert _fast_applies(path)
    read_both(path, monkeypatch)
    raw = read_simple_geojson(path.read_bytes())
    assert raw is not None
    assert list(raw[0]["_lon"]) == [float(v) for v in written]


# ---------------------------------------------------------------- property test

settings.register_profile(
    "geojson-fast",
    max_examples=int(os.environ.get("GEOJSON_FAST_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", " ", "[", "{x}", "2025-10-12", "2025", "Battles", "3", "-0", "\u00a0"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["name", "url", "date", "q"]), inner, max_size=3),
    ),
    max_leaves=8,
)


@st.composite
def _docs(draw: st.DrawFn) -> str:
    features = json.loads(json.dumps(BASE["features"][:6]))
    for _ in range(draw(st.integers(0, 4))):
        f = draw(st.sampled_from(features))
        kind = draw(st.sampled_from(["set", "set", "drop", "geometry", "coordinate"]))
        if kind == "set":
            f["properties"][draw(st.sampled_from([*RAW_FIELDS, "extra"]))] = draw(_values)
        elif kind == "drop":
            f["properties"].pop(draw(st.sampled_from(RAW_FIELDS)), None)
        elif kind == "geometry":
            f["geometry"] = draw(_values)
        else:
            f["geometry"] = {"type": "Point", "coordinates": draw(st.lists(_scalars, max_size=4))}
    return json.dumps(_collection(*features), ensure_ascii=draw(st.booleans()))


@pytest.mark.twin
@settings(settings.get_profile("geojson-fast"))
@given(doc=_docs())
def test_fast_and_exact_readers_agree_on_mutated_files(doc: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d, pytest.MonkeyPatch.context() as monkeypatch:
        read_both(_write(Path(d), doc), monkeypatch)


@pytest.mark.twin  # it measures the twin test above, left out of the exact pass with it
def test_the_property_test_reaches_the_fast_path() -> None:
    """Most mutated documents above must still take the fast path, or it tests little."""
    taken = tried = 0

    @settings(settings.get_profile("geojson-fast"))
    @given(doc=_docs())
    def count(doc: str) -> None:
        nonlocal taken, tried
        tried += 1
        taken += read_simple_geojson(doc.encode("utf-8")) is not None

    count()
    # a share, not a count: a loaded machine ran 9 of fewer examples where 10 was asked
    assert tried >= 30 and taken / tried >= 0.12, (taken, tried)
