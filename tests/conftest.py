"""Shared fixtures for the non-browser suite.

``tmp_events`` writes GeoJSON event files; ``good_props`` is one complete, valid event;
``context_dir`` holds small committed context layers (durand_line, provinces, crossings,
countries) plus six valid events; point ``GEO_DATA_DIR`` at it for CLI tests.

``BAD_CASES`` is the table of invalid records, one per validation rule. Any test that
asks for the ``bad_case`` argument is parametrised over it (see ``pytest_generate_tests``),
and ``each_kind_file`` writes all of them into one file between two good rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from geo._errors import NO_VALUE
from geo.schema import CASUALTY_FIELDS, EVENT_TYPES

CONTEXT_DIR = Path(__file__).parent / "data" / "context"

#: Put in an override dictionary to remove the property altogether.
DELETE = object()
#: A geometry override meaning "no geometry at all" (``"geometry": null``).
NULL_GEOMETRY = object()

DEFAULT_POINT = (70.95, 34.87)


def _geometry(coords: Any) -> Any:
    if coords is NULL_GEOMETRY:
        return None
    if isinstance(coords, dict):
        return coords
    return {"type": "Point", "coordinates": list(coords)}


def feature(props: dict[str, Any], coords: Any = DEFAULT_POINT) -> dict[str, Any]:
    """A GeoJSON Feature; ``coords`` is (lon, lat), a geometry dict or NULL_GEOMETRY."""
    return {"type": "Feature", "properties": props, "geometry": _geometry(coords)}


def _good_props() -> dict[str, Any]:
    return {
        "event_id": "AFG-2022-0001",
        "date_start": "2022-03-10",
        "date_end": "2022-03-11",
        "date_precision": "day",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Military Forces of Afghanistan (2021-)",
        "actor2": "Military Forces of Pakistan",
        "country": "AFG",
        "province": "Kunar",
        "admin2": "Asadabad",
        "location": "Asadabad",
        "geo_precision": "district",
        "fatalities_low": 1,
        "fatalities_best": 2,
        "fatalities_high": 3,
        "injured_low": 0,
        "injured_best": 4,
        "injured_high": 6,
        "summary": "Cross-border shelling reported near Asadabad.",
        "fatality_note": "figures from local officials",
        "sources": [{"name": "Test Wire", "url": "https://example.org/a", "date": "2022-03-12"}],
        "tags": ["cross-border", "shelling"],
    }


@pytest.fixture
def good_props() -> dict[str, Any]:
    """A complete valid event's properties (a fresh copy per test)."""
    return _good_props()


@pytest.fixture
def tmp_events(tmp_path: Path) -> Callable[..., Path]:
    """Factory: write a GeoJSON FeatureCollection and return its path.

    ``rows`` items are either a property dict (placed at DEFAULT_POINT) or a
    ``(props, coords)`` pair where ``coords`` is ``(lon, lat)``, a geometry dict or
    ``NULL_GEOMETRY``. ``crs`` adds a legacy GeoJSON ``crs`` member.
    """
    counter = iter(range(1_000_000))

    def write(rows: list[Any], *, name: str | None = None, crs: str | None = None) -> Path:
        features = []
        for row in rows:
            props, coords = (row, DEFAULT_POINT) if isinstance(row, dict) else row
            features.append(feature(props, coords))
        doc: dict[str, Any] = {"type": "FeatureCollection"}
        if crs is not None:
            doc["crs"] = {"type": "name", "properties": {"name": crs}}
        doc["features"] = features
        path = tmp_path / (name or f"events_{next(counter)}.geojson")
        path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
        return path

    return write


#: CSV records each with one kind of problem (the header is the minimal canonical one:
#: event_id, date_start, event_type, latitude, longitude).
BAD_CSV_ROWS = (
    "E2,2025-13-01,Battles,34.8,71.0",  # impossible date
    "E3,2025-10-12,Bombing,34.8,71.0",  # unknown type
    "E4,2025-10-12,Battles,north,71.0",  # non-numeric coordinates
    'E5,2025-10-12,"Battles",95,71.0',  # quoted, latitude out of range
    "E1,2025-10-12,Battles,34.8,71.0",  # duplicate id
)


@pytest.fixture
def bad_csv_rows() -> tuple[str, ...]:
    return BAD_CSV_ROWS


@pytest.fixture
def one_event(tmp_path: Path) -> Callable[..., Path]:
    """A GeoJSON file of one minimal event with ``props`` (and ``geometry``) in ``tmp_path``."""

    def write(props: dict[str, Any], geometry: object = None, name: str = "e.geojson") -> Path:
        base = {"event_id": "E1", "date_start": "2025-10-12", "event_type": "Battles", **props}
        geom = {"type": "Point", "coordinates": [71.1, 34.87]} if geometry is None else geometry
        doc = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": base, "geometry": geom}],
        }
        path = tmp_path / name
        path.write_text(json.dumps(doc), encoding="utf-8")
        return path

    return write


@pytest.fixture
def fast_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast paths on, whatever ``GEO_EXACT`` says: for the tests of a fast twin itself
    (that it is taken, that it equals the exact one). See :mod:`geo._twins`."""
    monkeypatch.delenv("GEO_EXACT", raising=False)


@pytest.fixture
def context_dir() -> Path:
    """``tests/data/context``: durand_line, provinces, crossings, countries, events (GeoJSON)."""
    assert (CONTEXT_DIR / "events.geojson").is_file()
    return CONTEXT_DIR


#: The events of ``context/events.geojson`` whose [date_start, date_end] overlaps 2022:
#: AFG-2021-002 runs 2021-12-30..2022-01-02, AFG-2022-001 is 2022-03-10 and
#: PAK-2022-001 is month-precision 2022-12. The other three are 2021-06-15, 2023-01-01
#: and 2023-07-04.
CONTEXT_IDS_2022 = ("AFG-2021-002", "AFG-2022-001", "PAK-2022-001")
CONTEXT_N_EVENTS = 6


@pytest.fixture
def context_ids_2022() -> tuple[str, ...]:
    return CONTEXT_IDS_2022


# --------------------------------------------------------------------------------------
# One invalid record per validation rule
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadCase:
    """One invalid record: how to make it and the one problem it must produce.

    ``message`` is a regular expression searched for in the problem's message; ``also``
    are literal fragments that must all be in it (e.g. every accepted value).
    """

    id: str
    overrides: dict[str, Any]
    field: str
    value: Any
    message: str
    coords: Any = DEFAULT_POINT
    severity: str = "error"
    also: tuple[str, ...] = field(default=())

    def props(self, base: dict[str, Any], event_id: str) -> dict[str, Any]:
        props = {**base, "event_id": event_id}
        for k, v in self.overrides.items():
            if v is DELETE:
                props.pop(k, None)
            else:
                props[k] = v
        return props


_MISSING = "required field is missing or empty"

BAD_CASES: list[BadCase] = [
    BadCase("missing-event_id", {"event_id": DELETE}, "event_id", NO_VALUE, re.escape(_MISSING)),
    BadCase(
        "missing-date_start", {"date_start": DELETE}, "date_start", NO_VALUE, re.escape(_MISSING)
    ),
    BadCase(
        "missing-event_type",
        {"event_type": DELETE, "sub_event_type": DELETE},
        "event_type",
        NO_VALUE,
        re.escape(_MISSING),
    ),
    BadCase(
        "missing-geometry",
        {},
        "geometry",
        NO_VALUE,
        r"required point geometry .* is missing",
        coords=NULL_GEOMETRY,
    ),
    BadCase(
        "unparseable-date",
        {"date_start": "10/03/2022"},
        "date_start",
        "10/03/2022",
        r"not a date; accepted forms: YYYY-MM-DD, YYYY-MM or YYYY",
    ),
    BadCase(
        "impossible-date",
        {"date_start": "2022-02-30"},
        "date_start",
        "2022-02-30",
        r"impossible calendar date",
    ),
    BadCase(
        "end-before-start",
        {"date_end": "2022-03-01"},
        "date_end",
        "2022-03-01",
        r"date_end is before date_start",
    ),
    BadCase(
        "latitude-out-of-range", {}, "latitude", 95.0, r"accepted: -90 to 90", coords=(70.0, 95.0)
    ),
    BadCase(
        "longitude-out-of-range",
        {},
        "longitude",
        190.0,
        r"accepted: -180 to 180",
        coords=(190.0, 34.0),
    ),
    BadCase(
        "non-point-geometry",
        {},
        "geometry",
        "LineString",
        r"must be a Point; accepted: Point",
        coords={"type": "LineString", "coordinates": [[70.0, 34.0], [71.0, 35.0]]},
    ),
    BadCase(
        "duplicate-id",
        {"event_id": "GOOD-1"},
        "event_id",
        "GOOD-1",
        r"duplicate event_id \(first seen at feature 1\); ids must be unique",
    ),
    *[BadCase(f"negative-{f}", {f: -1}, f, -1, r"must not be negative") for f in CASUALTY_FIELDS],
    *[
        BadCase(f"non-numeric-{f}", {f: "many"}, f, "many", r"must be a whole number or empty")
        for f in CASUALTY_FIELDS
    ],
    *[
        BadCase(f"fractional-{f}", {f: 2.5}, f, 2.5, r"^must be a whole number$")
        for f in CASUALTY_FIELDS
    ],
    BadCase(
        "low-greater-than-best",
        {"fatalities_low": 3, "fatalities_best": 2, "fatalities_high": 3},
        "fatalities_low",
        3,
        r"fatalities_low is greater than fatalities_best; expected low <= best <= high",
    ),
    BadCase(
        "best-greater-than-high",
        {"injured_low": 0, "injured_best": 7, "injured_high": 6},
        "injured_best",
        7,
        r"injured_best is greater than injured_high; expected low <= best <= high",
    ),
    BadCase(
        "unknown-event-type",
        {"event_type": "War", "sub_event_type": DELETE},
        "event_type",
        "War",
        r"unknown event type; accepted: ",
        also=tuple(EVENT_TYPES),
    ),
    BadCase(
        "sub-event-type-of-other-type",
        {"sub_event_type": "Suicide bomb"},
        "sub_event_type",
        "Suicide bomb",
        r"not a sub-event type of 'Battles'; accepted: ",
        also=EVENT_TYPES["Battles"],
    ),
    BadCase(
        "bad-date_precision",
        {"date_precision": "week"},
        "date_precision",
        "week",
        r"accepted: day, month, year",
    ),
    BadCase(
        "bad-geo_precision",
        {"geo_precision": "city"},
        "geo_precision",
        "city",
        r"accepted: exact, district, province",
    ),
    BadCase(
        "country-not-iso3",
        {"country": "Afghanistan"},
        "country",
        "Afghanistan",
        r"ISO 3166-1 alpha-3",
        also=("'AFG'",),
    ),
    BadCase(
        "sources-not-a-list",
        {"sources": 5},
        "sources",
        5,
        r"accepted: a list of \{name, url, date\}",
    ),
    BadCase(
        "javascript-url",
        {"sources": [{"name": "Evil", "url": "javascript:alert(1)"}]},
        "sources[0].url",
        "javascript:alert(1)",
        r"only http\(s\) links are made clickable",
        severity="warning",
    ),
    BadCase(
        "text-field-is-a-list",
        {"actor1": ["Taliban", "TTP"]},
        "actor1",
        ["Taliban", "TTP"],
        r"must be text, not a list",
    ),
]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "bad_case" in metafunc.fixturenames:
        metafunc.parametrize("bad_case", BAD_CASES, ids=[c.id for c in BAD_CASES])


@dataclass
class EachKindFile:
    """A file holding GOOD-1, then one record per BAD_CASES entry, then GOOD-2."""

    path: Path
    cases: list[BadCase]
    #: Event ids the lenient reader must keep (the good rows and the warning-only rows).
    kept_ids: set[str]
    #: 1-based feature number of each case's record.
    feature_of: dict[str, int]


@pytest.fixture
def each_kind_file(tmp_events: Callable[..., Path], good_props: dict[str, Any]) -> EachKindFile:
    rows: list[Any] = [{**good_props, "event_id": "GOOD-1"}]
    kept = {"GOOD-1", "GOOD-2"}
    feature_of = {}
    for i, case in enumerate(BAD_CASES):
        eid = f"BAD-{i:02d}"
        rows.append((case.props(good_props, eid), case.coords))
        feature_of[case.id] = len(rows)
        if case.severity == "warning":
            kept.add(eid)
    rows.append({**good_props, "event_id": "GOOD-2"})
    path = tmp_events(rows, name="each_kind.geojson")
    return EachKindFile(path, list(BAD_CASES), kept, feature_of)


#: Test files that run longest, longest first (seconds on two cores, ``--durations``, Dec
#: 2026): collected first, so that the two workers (pytest-xdist, a file each, taken in
#: collection order: ``--no-loadscope-reorder`` in pyproject.toml) do not end with one of
#: them alone on a long file. The exact-path pass (one test) re-runs the readers' tests in a
#: process of its own; xdist's own order (most tests first) used to leave it to the end.
LONGEST_FIRST = (
    "tests/test_distributed.py",  # 98
    "tests/browser/test_report_page.py",  # 85
    "tests/test_hostile.py",  # 55
    "tests/test_exact_paths.py",  # 42
    "tests/browser/test_explorer.py",  # 37
    "tests/render/test_static_hostile.py",  # 36
    "tests/render/test_static.py",  # 36
    "tests/browser/test_map_page.py",  # 36
    "tests/render/test_locator.py",  # 31
    "tests/browser/test_hostile_page.py",  # 23
    "tests/browser/test_page_fast_paths.py",  # 23
    "tests/browser/test_large_and_offline.py",  # 19
    "tests/browser/test_batch_index.py",  # 17
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    # stable: the other files, and the tests within each file, keep their order
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))


def _shaped_runs(data: bytes, text: str) -> list[tuple[Any, ...]]:
    """HarfBuzz's glyph run of ``text`` in a font (any flavor), each glyph as its outline
    (components drawn out) with its cluster, advance and offsets: glyph ids and names
    differ between a font and its subset, the drawing and the placement may not."""
    import io

    import uharfbuzz as hb
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    hb_font = hb.Font(hb.Face(hb.Blob(out.getvalue())))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(hb_font, buf, {})
    glyphs, order = font.getGlyphSet(), font.getGlyphOrder()
    run = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        pen = DecomposingRecordingPen(glyphs)
        glyphs[order[info.codepoint]].draw(pen)
        run.append((info.cluster, tuple(pen.value), pos.x_advance, pos.x_offset, pos.y_offset))
    return run


@pytest.fixture
def shaped_runs() -> Callable[[bytes, str], list[tuple[Any, ...]]]:
    """HarfBuzz's glyph runs of a text in a font (see :func:`_shaped_runs`)."""
    return _shaped_runs
