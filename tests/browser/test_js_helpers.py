"""The page's pure helpers (geo/static/helpers.js), table-driven, evaluated in Chromium."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from geo import export
from geo.export import FORMULA_START, NUMBER
from geo.filters import Filters, event_figure
from geo.render.page import static_text
from geo.render.style import SIZES, symbol_radius
from geo.schema import FIGURE_FIELDS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def helpers(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    page_file = Path(tmp_path_factory.mktemp("helpers")) / "helpers.html"
    page_file.write_text(
        "<!doctype html><meta charset=utf-8><script>" + static_text("helpers.js") + "</script>",
        encoding="utf-8",
    )
    page = browser.new_page()
    page.goto(page_file.as_uri())
    yield lambda expr, *args: page.evaluate(
        "([expr, args]) => { const H = GeoPage.helpers; return (new Function('H', 'args', 'return ' + expr))(H, args); }",
        [expr, list(args)],
    )
    page.close()


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2025-10-01", False, "2025-10-01"),
        (" 2025-10-31 ", True, "2025-10-31"),
        ("2024-02", True, "2024-02-29"),
        ("2025-02", False, "2025-02-01"),
        ("2022", True, "2022-12-31"),
        ("2025-1-5", False, "2025-01-05"),
        ("10/01/2025", False, None),
        ("2025-02-30", False, None),
        ("2025-13", False, None),
        ("", False, None),
        ("1905", False, "1905-01-01"),
    ],
)
def test_parse_date_input(helpers, text, end, expected) -> None:
    got = helpers(
        "(r => r.error ? null : H.dayToIso(r.day))(H.parseDateInput(args[0], args[1]))", text, end
    )
    assert got == expected


@pytest.mark.parametrize(
    ("day", "unit", "floor", "next_start"),
    [
        ("2025-10-15", "day", "2025-10-15", "2025-10-16"),
        ("2025-10-15", "week", "2025-10-13", "2025-10-20"),  # weeks start on Monday
        ("2025-10-15", "month", "2025-10-01", "2025-11-01"),
        ("2025-10-15", "quarter", "2025-10-01", "2026-01-01"),
        ("2025-10-15", "year", "2025-01-01", "2026-01-01"),
        ("2024-02-29", "month", "2024-02-01", "2024-03-01"),
    ],
)
def test_bins(helpers, day, unit, floor, next_start) -> None:
    got = helpers(
        "[H.dayToIso(H.binFloor(H.isoToDay(args[0]), args[1])), H.dayToIso(H.binAdd(H.isoToDay(args[0]), args[1], 1))]",
        day,
        unit,
    )
    assert got == [floor, next_start]


@pytest.mark.parametrize(
    ("days", "unit"),
    [(30, "day"), (365, "week"), (1900, "month"), (5000, "quarter"), (48000, "year")],
)
def test_choose_unit(helpers, days, unit) -> None:
    assert helpers("H.chooseUnit(args[0])", days) == unit


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        ("2025-10-01", "2025-10-31", "October 2025"),
        ("2025-10-01", "2025-12-31", "Q4 2025"),
        ("2025-01-01", "2025-12-31", "2025"),
        ("2025-10-12", "2025-10-12", "12 Oct 2025"),
        ("2025-10-02", "2025-10-31", "2 Oct 2025 \u2013 31 Oct 2025"),
    ],
)
def test_format_range(helpers, lo, hi, expected) -> None:
    assert helpers("H.formatRange(H.isoToDay(args[0]), H.isoToDay(args[1]))", lo, hi) == expected


def test_axis_compresses_empty_stretches(helpers) -> None:
    axis = helpers(
        """(() => {
            const d = s => H.isoToDay(s);
            const starts = [d('1900-01-01'), d('2020-01-01'), d('2020-02-01'), d('2020-03-01'), d('2020-04-01')];
            const a = H.makeAxis(starts, starts, starts[0], d('2020-04-30'));
            return {breaks: a.breaks.length, recent: 1 - a.toX(d('2020-01-01')),
                    back: H.dayToIso(a.toDay(a.toX(d('2020-02-10')) + 1e-9)), mono: a.toX(d('1950-01-01')) < a.toX(d('2020-01-01')),
                    ends: [a.toX(d('1900-01-01')), a.toX(d('2020-04-30') + 1)]};
        })()"""
    )
    assert axis["breaks"] == 1 and axis["recent"] > 0.9 and axis["mono"]
    assert axis["back"] == "2020-02-10" and axis["ends"] == [0, 1]
    flat = helpers(
        "(() => { const s = [0, 10, 20, 30]; const a = H.makeAxis(s, s, 0, 30); return [a.breaks.length, a.toX(15)]; })()"
    )
    assert flat[0] == 0 and abs(flat[1] - 15 / 31) < 1e-9


# The segments of the axis as makeAxis found them before it used a table of days: every
# event's span, sorted by start, merged one by one (the reference for the test below).
PLAIN_SEGMENTS = """(starts, ends, lo, hi) => {
    var n = starts.length, order = [], i;
    for (i = 0; i < n; i++) { order.push(i); }
    order.sort(function (a, b) { return starts[a] - starts[b]; });
    var days = [];
    for (i = 0; i < n; i++) { if (i === 0 || starts[order[i]] !== starts[order[i - 1]]) { days.push(starts[order[i]]); } }
    var gaps = [];
    for (i = 1; i < days.length; i++) { gaps.push(days[i] - days[i - 1]); }
    gaps.sort(function (a, b) { return a - b; });
    var median = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
    var gapMax = Math.max(90, Math.min(365, 10 * median));
    var spans = [[lo, lo]];
    for (i = 0; i < n; i++) { spans.push([starts[order[i]], Math.max(starts[order[i]], ends[order[i]])]); }
    spans.push([hi, hi]);
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var segs = [];
    spans.forEach(function (s) {
      var a = Math.max(lo, s[0]), b = Math.min(hi, s[1]);
      if (b < a) { return; }
      var last = segs[segs.length - 1];
      if (last && a - last.hi - 1 <= gapMax) { last.hi = Math.max(last.hi, b); } else { segs.push({lo: a, hi: b}); }
    });
    return segs.map(function (s) { return [s.lo, s.hi]; });
}"""


@pytest.mark.parametrize("seed", range(8))
def test_axis_segments_match_merging_every_span(helpers, seed) -> None:
    # seeds 0-3: a few thousand days (the table of days); 4-7: dates a million days apart
    # (the sort); ranges narrower and wider than the events; ends before starts
    got = helpers(
        """(() => {
            const plain = (new Function('return ' + args[1]))();
            let seed = args[0] + 1;
            const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
            const n = 1 + Math.floor(rnd() * 400), spread = args[0] < 4 ? 3000 : 2e6;
            const starts = new Int32Array(n), ends = new Int32Array(n);
            for (let i = 0; i < n; i++) {
                starts[i] = 18000 + Math.floor(rnd() * rnd() * spread) * (rnd() < 0.1 ? -1 : 1);
                ends[i] = starts[i] + Math.floor(rnd() * 200) - 20;
            }
            const lo = Math.min(...starts) + Math.floor(rnd() * 400) - 200, hi = Math.max(...starts) - Math.floor(rnd() * 400) + 200;
            const axis = H.makeAxis(starts, ends, lo, hi);
            return [axis.segments.map(s => [s.lo, s.hi]), plain(starts, ends, lo, hi)];
        })()""",
        seed,
        PLAIN_SEGMENTS,
    )
    assert got[0] == got[1]


def test_hex_cell_fills_an_array_when_given_one(helpers) -> None:
    assert helpers(
        "(() => { const out = [9, 9]; const got = H.hexCell(args[0], args[1], 14, out); "
        "return [got === out, out, H.hexCell(args[0], args[1], 14)]; })()",
        -24.2,
        3,
    ) == [True, [-1, 0], [-1, 0]]


@pytest.mark.parametrize(
    ("x", "y", "cell"),
    [(0, 0, [0, 0]), (24.2, 0, [1, 0]), (12.1, 21, [0, 1]), (-24.2, 0, [-1, 0]), (5, 5, [0, 0])],
)
def test_hex_cells(helpers, x, y, cell) -> None:
    assert helpers("H.hexCell(args[0], args[1], 14)", x, y) == cell
    centre = helpers("(c => H.hexCenter(c[0], c[1], 14))(H.hexCell(args[0], args[1], 14))", x, y)
    assert helpers("H.hexCell(args[0], args[1], 14)", *centre) == cell


@pytest.mark.parametrize(
    ("max_value", "breaks"),
    [
        (1, [1]),
        (7, [1, 2, 5]),
        (333, [1, 3, 10, 30, 100, 300]),
        (5000, [1, 10, 100, 1000]),
        (0, [1]),
    ],
)
def test_nice_breaks(helpers, max_value, breaks) -> None:
    assert helpers("H.niceBreaks(args[0], 6)", max_value) == breaks


RECORDS = [
    {"actor1": "Taliban", "actor2": "Civilians", "sub_event_type": "Air/drone strike",
     "province": "Kabul", "fatalities_best": 12, "fatalities_high": 20, "hay": "drone strike on kabul"},
    {"actor1": "TTP", "actor2": None, "sub_event_type": "Armed clash",
     "province": "Khost", "fatalities_best": None, "fatalities_high": 10, "hay": "clash near khost border"},
    {"actor1": "Army", "actor2": "Taliban", "sub_event_type": "Armed clash",
     "province": "Kunar", "fatalities_best": None, "fatalities_high": None, "hay": "shelling"},
    {"actor1": "Army", "actor2": None, "sub_event_type": "Armed clash", "province": "Kunar",
     "fatalities_low": 12, "fatalities_best": None, "fatalities_high": None, "hay": "at least 12"},
]  # fmt: skip


@pytest.mark.parametrize(
    ("flt", "kept"),
    [
        ({}, [0, 1, 2, 3]),
        ({"actors": ["Taliban"]}, [0, 2]),
        ({"subEventTypes": ["Armed clash"]}, [1, 2, 3]),
        ({"provinces": ["Khost", "Kunar"]}, [1, 2, 3]),
        ({"minFatalities": 10}, [0, 1, 3]),  # best, else high, else low
        ({"minFatalities": 11}, [0, 3]),
        ({"text": "KHOST  border"}, [1]),
        ({"text": "khost drone"}, []),
        ({"actors": ["Taliban"], "subEventTypes": ["Armed clash"]}, [2]),
    ],
)
def test_filter_predicate(helpers, flt, kept) -> None:
    got = helpers(
        """(() => {
            const recs = args[0], f = Object.assign(H.emptyFilter(), args[1]), get = {};
            ['actor1', 'actor2', 'sub_event_type', 'province', ...args[2]]
              .forEach(k => { get[k] = i => (recs[i][k] === undefined ? null : recs[i][k]); });
            get.figure = i => H.figureOf(args[2], get, i);
            get.haystack = i => recs[i].hay;
            const test = H.filterTest(f, get);
            return recs.map((_, i) => i).filter(i => !test || test(i));
        })()""",
        RECORDS,
        flt,
        list(FIGURE_FIELDS),
    )
    assert got == kept
    # the same rule in Python: geo.filters, on the same records
    frame = pd.DataFrame(RECORDS).rename(columns={"hay": "summary"})
    for f in ("fatalities_low", "fatalities_best", "fatalities_high"):
        frame[f] = (
            frame[f].astype("Int64") if f in frame else pd.array([pd.NA] * len(frame), "Int64")
        )
    if "minFatalities" in flt and len(flt) == 1:
        keep = Filters(min_fatalities=flt["minFatalities"]).mask(frame)
        assert list(np.flatnonzero(keep)) == kept


def test_figure_and_radius_are_python_s(helpers) -> None:
    """The page's figure and circle radius are those of the legend and the stills."""
    figures = [None, -3, 0, 1, 2, 9, 10, 57, 243, 244, 245, 246, 1000, 408]
    frame = pd.DataFrame(
        {
            "fatalities_low": pd.array([None, 1, 0, None, 2, None, 3, None, None, None, 1, None, None, None], "Int64"),
            "fatalities_best": pd.array([None, None, None, 1, None, 9, 10, 57, 243, 244, None, 246, 1000, 408], "Int64"),
            "fatalities_high": pd.array([None, -3, None, 4, None, 20, 12, 60, None, None, 245, None, None, 500], "Int64"),
        }
    )  # fmt: skip
    records = [
        {k: (None if pd.isna(v) else int(v)) for k, v in r.items()}
        for r in frame.to_dict("records")
    ]
    got = helpers(
        """(() => {
            const recs = args[0], get = {};
            args[1].forEach(k => { get[k] = i => recs[i][k]; });
            return recs.map((_, i) => {
                const f = H.figureOf(args[1], get, i);
                return [f, H.radiusOf(args[2], f)];
            });
        })()""",
        records,
        list(FIGURE_FIELDS),
        list(SIZES),
    )
    expected_figure = event_figure(frame)
    assert [g[0] for g in got] == [None if np.isnan(v) else v for v in expected_figure]
    assert [g[1] for g in got] == symbol_radius(expected_figure).tolist()
    assert len(figures) == len(frame)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", '"\'\rx"'),
        ("-12.5", "-12.5"),  # a number stays a number
        (-3, "-3"),
        ("-inf", "'-inf"),  # not a plain number: text
        ("-nan", "'-nan"),
        ("-1_0", "'-1_0"),
        ("+2e3", "+2e3"),
        ("'=x", "''=x"),  # an apostrophe first: one more, so the reader can take one off
        ("'plain", "''plain"),
        ('say "hi", then', '"say ""hi"", then"'),
        ("two\nlines", '"two\nlines"'),
        (None, ""),
        ("plain", "plain"),
    ],
)
def test_csv_cells_are_formula_safe(helpers, value, cell) -> None:
    spec = {"formulaStart": FORMULA_START, "number": NUMBER}
    assert helpers("H.csvCell(args[0], H.csvRule(args[1]))", value, spec) == cell
    # the same rule in Python (geo.export.safe_cell), the writer of every CSV of the tool
    if isinstance(value, str):
        written = export.csv_text(pd.DataFrame({"c": [value]})).split("\n", 1)[1].rstrip("\n")
        assert written == cell


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Durand Line conflict map", "durand-line-conflict-map"),
        ("../../etc/passwd", "etc-passwd"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("Pakistán – Afghanistan", "pakistan-afghanistan"),
        ("", "events"),
        ("a" * 200, "a" * 80),
    ],
)
def test_safe_file_names(helpers, text, name) -> None:
    assert helpers("H.safeFileName(args[0])", text) == name


def test_helpers_need_no_dom_or_leaflet() -> None:
    text = static_text("helpers.js")
    for word in ("document.", "L.", "innerHTML"):
        assert word not in text.replace("GeoPage.helpers", ""), word
    json.dumps(RECORDS)


@pytest.mark.parametrize("decimals", [3, 4, 5])
def test_encoded_geometries_decode_to_the_grid_exactly(helpers, decimals) -> None:
    # every type the drawn layers write encoded, far apart and close together, across the
    # antimeridian and the equator, with a hole: decoded, each coordinate is the grid's
    # value Python wrote (render/_util.on_grid), float for float
    from geo.render._util import encoded_geojson, on_grid

    ring = [[179.99951, -0.00049], [-179.9996, 0.5], [-179.5, -89.9], [179.99951, -0.00049]]
    hole = [[-179.9, -1.0], [-179.8, -1.0], [-179.8, -0.9], [-179.9, -1.0]]
    line = [[61.123456, 29.987654], [61.123457, 29.987653], [75.0, 37.0], [61.0, 29.0]]
    geometries = [
        {"type": "LineString", "coordinates": line},
        {"type": "MultiLineString", "coordinates": [line, line[::-1]]},
        {"type": "Polygon", "coordinates": [ring, hole]},
        {"type": "MultiPolygon", "coordinates": [[ring, hole], [hole]]},
        {"type": "Point", "coordinates": [71.5, 34.25]},
        {"type": "Polygon", "coordinates": []},
        None,
    ]
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
    }
    grid = on_grid(doc, decimals)
    encoded = encoded_geojson(grid, decimals)
    assert [f["geometry"] for f in encoded["features"]][4:] == geometries[4:]  # as they were
    decoded = helpers("args[0].features.map(f => (H.decodeFeature(f), f.geometry))", encoded)
    assert decoded == [f["geometry"] for f in grid["features"]]
