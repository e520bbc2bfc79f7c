"""Record-level validation: one case per rule, all of them together, and a large clean frame."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import _validate
from geo._errors import NO_VALUE, Problem, ValidationError
from geo.events import read_events
from geo.schema import CASUALTY_FIELDS, EVENT_TYPES, RAW_FIELDS


def _feature_no(where: str) -> int:
    m = re.fullmatch(r"feature (\d+)", where)
    assert m, where
    return int(m.group(1))


# --------------------------------------------------------------------------------------
# One bad record per rule (the table is BAD_CASES in conftest.py)
# --------------------------------------------------------------------------------------


def test_each_rule(bad_case, tmp_events, good_props):
    good = {**good_props, "event_id": "GOOD-1"}
    bad = bad_case.props(good_props, "BAD-1")
    path = tmp_events([good, (bad, bad_case.coords)])
    report = read_events(path)

    assert len(report.problems) == 1, [str(p) for p in report.problems]
    (p,) = report.problems
    assert p.file == str(path)
    assert p.where == "feature 2"
    assert p.field == bad_case.field
    assert p.severity == bad_case.severity
    assert re.search(bad_case.message, p.message), p.message
    for fragment in bad_case.also:
        assert fragment in p.message
    text = str(p)
    if bad_case.value is NO_VALUE:
        assert p.value is NO_VALUE
        assert "<no value>" not in text
    else:
        assert p.value == bad_case.value
        assert repr(bad_case.value) in text
    assert f"{path}: feature 2, field {bad_case.field!r}" in text

    kept = report.events["event_id"].tolist()
    if bad_case.severity == "error":
        assert kept == ["GOOD-1"]
        assert report.n_rejected == 1
    else:
        assert kept == ["GOOD-1", "BAD-1"]
        assert report.n_rejected == 0


def test_unknown_event_type_lists_all_six_acled_types(tmp_events, good_props):
    path = tmp_events([{**good_props, "event_type": "Skirmish", "sub_event_type": ""}])
    (p,) = read_events(path).problems
    assert p.message == "unknown event type; accepted: " + ", ".join(EVENT_TYPES)
    assert len(EVENT_TYPES) == 6


def test_javascript_url_is_kept_as_text(tmp_events, good_props):
    props = {**good_props, "sources": [{"name": "Evil", "url": "JavaScript:alert(1)"}]}
    report = read_events(tmp_events([props]))
    (p,) = report.problems
    assert p.severity == "warning"
    assert report.events["event_id"].tolist() == [good_props["event_id"]]
    assert tuple(report.events["sources"].iloc[0]) == (
        {"name": "Evil", "url": "JavaScript:alert(1)"},
    )


@pytest.mark.parametrize(
    ("overrides", "field", "value"),
    [
        ({"fatalities_best": True}, "fatalities_best", True),
        ({"injured_low": "3.5"}, "injured_low", "3.5"),
        ({"tags": [1, 2]}, "tags", [1, 2]),
        ({"sources": ["just text"]}, "sources[0]", "just text"),
        ({"summary": {"text": "x"}}, "summary", {"text": "x"}),
        ({"date_end": "2022-13"}, "date_end", "2022-13"),
        ({"date_start": "2022-00"}, "date_start", "2022-00"),
        ({"country": "AF"}, "country", "AF"),
    ],
    ids=[
        "bool-count",
        "fractional-text-count",
        "tags-not-text",
        "source-without-name",
        "summary-object",
        "impossible-month-end",
        "month-zero",
        "iso2-country",
    ],
)
def test_more_rejections(tmp_events, good_props, overrides, field, value):
    report = read_events(tmp_events([{**good_props, **overrides}]))
    (p,) = report.problems
    assert (p.where, p.field, p.value, p.severity) == ("feature 1", field, value, "error")
    assert len(report.events) == 0


@pytest.mark.parametrize(
    ("overrides", "column", "expected"),
    [
        ({"geo_precision": 2}, "geo_precision", "district"),
        ({"geo_precision": "3"}, "geo_precision", "province"),
        ({"country": "pak"}, "country", "PAK"),
        (
            {"event_type": "explosions/remote VIOLENCE", "sub_event_type": "air/drone strike"},
            "sub_event_type",
            "Air/drone strike",
        ),
        ({"event_id": 1234}, "event_id", "1234"),
        ({"actor1": "  Taliban  "}, "actor1", "Taliban"),
        ({"fatalities_best": "2", "fatalities_high": 3.0}, "fatalities_high", 3),
    ],
)
def test_lenient_normalisation(tmp_events, good_props, overrides, column, expected):
    report = read_events(tmp_events([{**good_props, **overrides}]))
    assert report.problems == []
    assert report.events[column].iloc[0] == expected


def test_dates_outside_timestamp_range_are_row_problems(tmp_events, good_props):
    """A year outside pandas' nanosecond range must be a problem on that row, not a crash."""
    rows = [
        {**good_props, "event_id": "OLD", "date_start": "1500-01-01", "date_end": None},
        {**good_props, "event_id": "FAR", "date_start": "9999-12-31", "date_end": None},
        {**good_props, "event_id": "OK"},
    ]
    report = read_events(tmp_events(rows))
    assert report.events["event_id"].tolist() == ["OK"]
    assert [(p.where, p.field) for p in report.problems] == [
        ("feature 1", "date_start"),
        ("feature 2", "date_start"),
    ]


def test_casualty_too_large_for_int64_is_a_problem(tmp_events, good_props):
    """1e20 does not fit the Int64 column; it must not be stored (it wraps to a negative)."""
    props = {**good_props, "fatalities_low": None, "fatalities_best": None, "fatalities_high": 1e20}
    report = read_events(tmp_events([props]))
    assert [(p.field, p.value) for p in report.problems] == [("fatalities_high", 1e20)]
    assert len(report.events) == 0


# --------------------------------------------------------------------------------------
# All the rules in one file
# --------------------------------------------------------------------------------------


def test_lenient_keeps_only_the_good_rows(each_kind_file):
    report = read_events(each_kind_file.path)
    assert set(report.events["event_id"]) == each_kind_file.kept_ids
    assert report.events["event_id"].tolist()[0] == "GOOD-1"
    assert report.events["event_id"].tolist()[-1] == "GOOD-2"
    assert report.n_read == len(each_kind_file.cases) + 2
    assert report.n_rejected == report.n_read - len(each_kind_file.kept_ids)

    got = {(p.where, p.field) for p in report.problems}
    want = {(f"feature {each_kind_file.feature_of[c.id]}", c.field) for c in each_kind_file.cases}
    assert got == want
    assert len(report.problems) == len(each_kind_file.cases)


def test_strict_raises_listing_every_problem(each_kind_file):
    lenient = read_events(each_kind_file.path).problems
    with pytest.raises(
        ValidationError, match=rf"^{len(lenient)} problems found in the input:\n"
    ) as info:
        read_events(each_kind_file.path, strict=True)
    assert info.value.problems == lenient
    message = str(info.value)
    for p in lenient:
        assert f"  - {p}" in message


def test_problems_are_ordered_by_row(each_kind_file):
    problems = read_events(each_kind_file.path).problems
    rows = [_feature_no(p.where) for p in problems]
    assert rows == sorted(rows)
    assert rows[0] == 2
    assert rows[-1] == len(each_kind_file.cases) + 1


def test_problems_within_a_row_are_all_reported_in_row_order(tmp_events, good_props):
    rows = [
        {**good_props, "event_id": "A", "country": "Afghanistan", "date_start": "2022-02-30"},
        {**good_props, "event_id": "B", "geo_precision": "city"},
        {
            **good_props,
            "event_id": "C",
            "fatalities_low": -5,
            "event_type": "War",
            "sub_event_type": "",
        },
    ]
    problems = read_events(tmp_events(rows)).problems
    assert [(p.where, p.field) for p in problems] == [
        ("feature 1", "country"),
        ("feature 1", "date_start"),
        ("feature 2", "geo_precision"),
        ("feature 3", "event_type"),
        ("feature 3", "fatalities_low"),
    ]


def test_validation_error_shows_at_most_fifty(tmp_events, good_props):
    rows = [{**good_props, "event_id": f"E{i}", "country": "X"} for i in range(60)]
    with pytest.raises(
        ValidationError, match=r"(?s)^60 problems found.*\n  \.\.\. and 10 more$"
    ) as info:
        read_events(tmp_events(rows), strict=True)
    assert len(info.value.problems) == 60
    assert str(info.value).count("\n  - ") == 50


# --------------------------------------------------------------------------------------
# Problem
# --------------------------------------------------------------------------------------


def test_problem_str_has_file_where_field_and_repr_value():
    p = Problem(
        "data/events.geojson", "feature 3", "date_start", "2022-02-30", "impossible calendar date"
    )
    assert (
        str(p)
        == "data/events.geojson: feature 3, field 'date_start': '2022-02-30': impossible calendar date"
    )
    assert p.severity == "error"


def test_problem_str_without_value_or_field():
    p = Problem("x.csv", "file", "", NO_VALUE, "file is empty")
    assert str(p) == "x.csv: file: file is empty"
    p = Problem("x.csv", "line 4", "event_id", NO_VALUE, "required")
    assert str(p) == "x.csv: line 4, field 'event_id': required"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, None),
        (3, 3),
        (2.5, 2.5),
        ("x", "x"),
        (True, True),
        (NO_VALUE, None),
        ([1, 2], "[1, 2]"),
        (b"\xe9", "b'\\xe9'"),
    ],
)
def test_problem_to_dict_is_json_serialisable(value, shown):
    d = Problem("f", "feature 1", "fld", value, "msg", "warning").to_dict()
    assert d == {
        "file": "f",
        "where": "feature 1",
        "field": "fld",
        "value": shown,
        "message": "msg",
        "severity": "warning",
    }
    assert json.loads(json.dumps(d)) == d


# --------------------------------------------------------------------------------------
# A large clean frame
# --------------------------------------------------------------------------------------


def _clean_frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(42)
    types = list(EVENT_TYPES)
    etype = [types[i % len(types)] for i in range(n)]
    subs = [EVENT_TYPES[t][i % len(EVENT_TYPES[t])] for i, t in enumerate(etype)]
    start = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D")
    low = rng.integers(0, 5, n)
    cols = {f: [None] * n for f in RAW_FIELDS}
    cols.update(
        {
            "event_id": [f"EV-{i:06d}" for i in range(n)],
            "date_start": start.strftime("%Y-%m-%d").tolist(),
            "date_end": (start + pd.to_timedelta(rng.integers(0, 5, n), unit="D"))
            .strftime("%Y-%m-%d")
            .tolist(),
            "date_precision": ["day"] * n,
            "event_type": etype,
            "sub_event_type": subs,
            "actor1": ["Actor A"] * n,
            "country": ["AFG" if i % 2 else "PAK" for i in range(n)],
            "province": [
                ["Kunar", "Khost", "Kabul", "Khyber Pakhtunkhwa"][i % 4] for i in range(n)
            ],
            "geo_precision": [["exact", "district", "province", 1][i % 4] for i in range(n)],
            "fatalities_low": low.tolist(),
            "fatalities_best": (low + 1).tolist(),
            "fatalities_high": (low + 2).tolist(),
            "injured_best": [None if i % 3 else i % 7 for i in range(n)],
            "summary": [f"event {i}" for i in range(n)],
            "sources": [[{"name": "Wire", "url": f"https://example.org/{i}"}] for i in range(n)],
            "tags": [["a", "b"] if i % 2 else "c,d" for i in range(n)],
        }
    )
    raw = pd.DataFrame(cols, dtype="object")
    raw["_lon"] = rng.uniform(60.9, 74.5, n)
    raw["_lat"] = rng.uniform(29.4, 37.0, n)
    return raw


def test_clean_ten_thousand_rows_have_no_problems():
    raw = _clean_frame(10_000)
    checked = _validate.check(raw, "synthetic")
    assert checked.problems == []
    assert bool(checked.ok.all())
    assert len(checked.typed) == 10_000
    for f in CASUALTY_FIELDS:
        assert str(checked.typed[f].dtype) == "Int64"
    assert checked.typed["geo_precision"].isin(["exact", "district", "province"]).all()


def test_one_bad_row_in_ten_thousand_is_found():
    raw = _clean_frame(10_000)
    raw.loc[7777, "date_start"] = "2021-02-29"
    checked = _validate.check(raw, "synthetic")
    assert [(p.where, p.field, p.value) for p in checked.problems] == [
        ("record 7778", "date_start", "2021-02-29")
    ]
    assert int((~checked.ok).sum()) == 1


# --------------------------------------------------------------------------------------
# Whole-column compute and the exact path agree (``_validate._FAST``)
# --------------------------------------------------------------------------------------

#: Values each field may hold, chosen where the two paths part: whitespace, case, digits
#: of other scripts, years pandas may refuse, counts at the float64 limit, JSON shapes.
MESSY: dict[str, list[Any]] = {
    "event_id": ["E1", "E1", " E2 ", "", None, "e\u00a0", "x" * 3],
    "date_start": [
        "2022-03-05",
        " 2022-03 ",
        "2022",
        "2021-02-29",
        "2024-02-29",
        "2022-13",
        "2022-00",
        "1500-01-01",
        "0000-01-01",
        "9999-12-31",
        "2261-12-31",
        "1678-01-01",
        "2022-03-05T10:00Z",
        "2022-03-05 x",
        "\u0662\u0660\u0662\u0662",
        "\u0662\u0660\u0662\u0662-01-01",
        "2022\n",
        "22-3-5",
        "",
        None,
    ],
    "date_precision": ["day", "Month", " YEAR ", "week", "", None, "\u0130"],
    "event_type": [
        "Battles",
        "battles",
        " EXPLOSIONS/REMOTE VIOLENCE ",
        "Riots",
        "Skirmish",
        "",
        None,
        "R\u0130ots",
    ],
    "sub_event_type": ["Armed clash", "armed CLASH", "Air/drone strike", "Mob violence", "x", ""],
    "country": ["AFG", "pak", " afg ", "AF", "\ufb00a", "stra\u00dfe", "", None],
    "geo_precision": ["1", "2", " 3 ", "exact", "District", "city", "", None, "\u0130"],
    "fatalities_best": [
        "1",
        " 2 ",
        "007",
        "-1",
        "1.5",
        "1.0",
        "1e3",
        "+5",
        "inf",
        "nan",
        "abc",
        "\u0663",
        "9007199254740993",
        "999999999999999",
        "0\u3000",
        "\u00a03",
        "1\x1c",
        "\t2\n",
        "18446744073709551616",
        "",
        None,
    ],
    "fatalities_low": ["0", "3", "", None, "-0"],
    "fatalities_high": ["2", "1", "", None, "1e20"],
    "sources": [
        '[{"name": "Dawn"}]',
        '[{"name": "Dawn"}, {"name": "BBC", "url": "https://bbc.co.uk"}]',
        '[{"name": "Evil", "url": "javascript:alert(1)"}]',
        '[{"name": ""}]',
        '[{"name": "a}, {b"}]',
        '[{"name": "A", "name": "B"}]',
        '[{"date": "2022", "url": "http://x"}]',
        '[{"name": "TOLOnews", "url": null, "date": null}, {"name": "Dawn", "url": null}]',
        '[{"name": null, "url": null}]',
        '[{"name": "A", "url": nullx}]',
        '[{"name":"compact"}]',
        '[{"name": "\\ud800"}]',
        "[1, 2]",
        "[not json",
        '{"name": "one"}',
        "Plain outlet; another",
        "  ",
        "",
        None,
    ],
    "tags": ["a,b", '["x", "y"]', "[bad", " , ", "", None],
    "summary": ["note", "  padded\t", "\u3000wide\u3000", "", None],
}


def _messy_raw(rows: list[dict[str, Any]], dtype: Any) -> pd.DataFrame:
    n = len(rows)
    cols: dict[str, Any] = {}
    for f in RAW_FIELDS:
        values = [r.get(f) for r in rows]
        cols[f] = pd.Series(values, dtype=dtype if f in MESSY else object)
    raw = pd.DataFrame(cols)
    raw["_lon"] = np.linspace(60, 75, n)
    raw["_lat"] = np.linspace(29, 38, n)
    raw["_geom_type"] = "Point"
    raw["_where"] = [f"line {i + 2}" for i in range(n)]
    raw.attrs["maybe_surrogates"] = False
    return raw


def _both_paths(raw: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast paths and the exact path give the same problems, mask and typed values."""
    fast = _validate.check(raw.copy(), "messy.csv")
    with monkeypatch.context() as m:
        m.setattr(_validate, "_FAST", False)
        exact = _validate.check(raw.copy(), "messy.csv")
    assert [(p.to_dict(), repr(p.value)) for p in fast.problems] == [
        (p.to_dict(), repr(p.value)) for p in exact.problems
    ]
    assert fast.ok.tolist() == exact.ok.tolist()
    assert list(fast.typed.columns) == list(exact.typed.columns)
    for col in fast.typed.columns:
        a, b = fast.typed[col], exact.typed[col]
        if col.startswith("date_") and col != "date_precision":
            assert a.dtype == b.dtype, col
        if col in (*CASUALTY_FIELDS, "deaths_side_a"):
            assert str(a.dtype) == str(b.dtype) == "Int64", col
        assert a.astype(object).tolist() == b.astype(object).tolist(), col


@pytest.mark.parametrize("dtype", ["str", object], ids=["arrow", "python"])
def test_fast_and_exact_paths_agree_on_every_messy_value(dtype, monkeypatch):
    """Each value of MESSY in each field, the others cycling, as Arrow and as Python text."""
    longest = max(len(v) for v in MESSY.values())
    rows = [
        {f: vals[(i * 7 + j) % len(vals)] for j, (f, vals) in enumerate(MESSY.items())}
        for i in range(3 * longest)
    ]
    for f, vals in MESSY.items():  # every value of a field at least once
        rows += [{**rows[0], f: v} for v in vals]
    _both_paths(_messy_raw(rows, dtype), monkeypatch)


@pytest.mark.parametrize("dtype", ["str", object], ids=["arrow", "python"])
def test_counts_keep_their_float_reading_with_the_exact_rows(dtype, monkeypatch):
    """Past 2**53 a count is read as int64 when every value is a whole number and none is
    missing, else as float64: rows sent to the exact path must be read the same way."""
    big = "9007199254740993"  # 2**53 + 1: too large as an integer, 2**53 as a float
    for column in (["1", big, "2"], ["1", big, ""], ["1", big, "1.5"], [big, "-3", "4"]):
        rows = [
            {**{f: v[0] for f, v in MESSY.items()}, "event_id": f"E{i}", "fatalities_best": value}
            for i, value in enumerate(column)
        ]
        _both_paths(_messy_raw(rows, dtype), monkeypatch)


_field_values = st.fixed_dictionaries(
    {
        f: st.one_of(st.sampled_from(vals), st.text(max_size=12), st.none())
        for f, vals in MESSY.items()
    }
)


@pytest.mark.twin
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(_field_values, min_size=1, max_size=12), arrow=st.booleans())
def test_fast_and_exact_paths_agree_property(rows, arrow, monkeypatch):
    _both_paths(_messy_raw(rows, "str" if arrow else object), monkeypatch)


def test_mixed_python_values_take_the_exact_path(monkeypatch):
    """GeoJSON columns mixing numbers, true/false, lists and objects with text."""
    rows = [
        {
            **{f: v[0] for f, v in MESSY.items()},
            "event_id": f"G{i}",
            "fatalities_best": count,
            "date_start": date,
            "geo_precision": precision,
            "summary": summary,
        }
        for i, (count, date, precision, summary) in enumerate(
            [
                (3, 2022, 2, "x"),
                (2.0, "2022-01", "1", ["a"]),
                (True, 2022.0, True, {"k": 1}),
                (None, None, None, None),
                (-1, "2021-02-29", 3, 5),
                (1e20, "٢٠٢٢", "exact", True),
            ]
        )
    ]
    raw = _messy_raw(rows, object)
    raw["sources"] = pd.Series(
        [[{"name": "A"}], [{"name": 1}], "[1]", None, {"url": "ftp://x"}, [[[]]]], dtype=object
    )
    raw["tags"] = pd.Series([["a"], "b,c", [1], None, "[2]", ["x", " "]], dtype=object)
    _both_paths(raw, monkeypatch)


def test_clean_arrow_text_is_not_copied(fast_paths):
    """Text that needs neither filling nor trimming keeps its Arrow buffers; text that
    does is filled and trimmed."""
    raw = _clean_frame(100)
    raw["summary"] = pd.Series([f"event {i}" for i in range(100)], dtype="str")
    raw["actor1"] = pd.Series([" padded\u3000", None] * 50, dtype="str")
    typed = _validate.check(raw, "synthetic").typed

    def data(s: pd.Series) -> int:
        return s.array.__arrow_array__().chunk(0).buffers()[2].address

    assert data(typed["summary"]) == data(raw["summary"])
    assert typed["actor1"].tolist() == ["padded", ""] * 50
