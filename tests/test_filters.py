"""Date windows and attribute filters."""

from __future__ import annotations

import pandas as pd
import pytest

from geo._errors import InputError
from geo.events import read_events
from geo.filters import filter_events, parse_bound

T = pd.Timestamp


@pytest.fixture
def window_events(tmp_events):
    """Events placed around the window 2022-03-10 .. 2022-03-20."""
    base = {"event_type": "Battles", "province": "Kunar"}
    rows = [
        {**base, "event_id": "ends-on-start", "date_start": "2022-03-01", "date_end": "2022-03-10"},
        {**base, "event_id": "starts-on-end", "date_start": "2022-03-20", "date_end": "2022-03-25"},
        {
            **base,
            "event_id": "ends-day-before",
            "date_start": "2022-03-01",
            "date_end": "2022-03-09",
        },
        {**base, "event_id": "starts-day-after", "date_start": "2022-03-21"},
        {**base, "event_id": "spans-window", "date_start": "2022-02-01", "date_end": "2022-04-30"},
        {**base, "event_id": "inside", "date_start": "2022-03-15"},
        {**base, "event_id": "month-march", "date_start": "2022-03"},
        {**base, "event_id": "month-february", "date_start": "2022-02"},
        {**base, "event_id": "year-2022", "date_start": "2022"},
        {**base, "event_id": "year-2021", "date_start": "2021"},
    ]
    report = read_events(tmp_events(rows))
    assert report.problems == []
    return report.events


def _ids(frame) -> set[str]:
    return set(frame["event_id"])


def test_closed_window_edges(window_events):
    shown = filter_events(window_events, start=T("2022-03-10"), end=T("2022-03-20"))
    assert _ids(shown) == {
        "ends-on-start",
        "starts-on-end",
        "spans-window",
        "inside",
        "month-march",
        "year-2022",
    }
    assert shown.index.tolist() == list(range(len(shown)))


@pytest.mark.parametrize(
    ("event_id", "kept"),
    [
        ("ends-on-start", True),
        ("starts-on-end", True),
        ("ends-day-before", False),
        ("starts-day-after", False),
        ("spans-window", True),
        ("month-march", True),
        ("month-february", False),
    ],
)
def test_each_edge(window_events, event_id, kept):
    shown = filter_events(window_events, start=T("2022-03-10"), end=T("2022-03-20"))
    assert (event_id in _ids(shown)) is kept


def test_start_only_is_open_ended(window_events):
    shown = filter_events(window_events, start=T("2022-03-21"))
    assert _ids(shown) == {
        "starts-on-end",
        "starts-day-after",
        "spans-window",
        "month-march",
        "year-2022",
    }


def test_end_only_is_open_ended(window_events):
    shown = filter_events(window_events, end=T("2022-02-28"))
    assert _ids(shown) == {"spans-window", "month-february", "year-2022", "year-2021"}


def test_no_bounds_keeps_everything(window_events):
    assert len(filter_events(window_events)) == len(window_events) == 10


def test_month_precision_event_overlaps_a_day_window(window_events):
    # "2022-02" covers 2022-02-01 .. 2022-02-28, so a one-day window on its last day keeps it.
    shown = filter_events(window_events, start=T("2022-02-28"), end=T("2022-02-28"))
    assert _ids(shown) == {"month-february", "spans-window", "year-2022"}


def test_filter_result_keeps_canonical_columns(window_events):
    shown = filter_events(window_events, start=T("2022-03-10"))
    assert list(shown.columns) == list(window_events.columns)
    assert shown.crs == window_events.crs


# --------------------------------------------------------------------------------------
# parse_bound
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2022", True, "2022-12-31"),
        ("2022", False, "2022-01-01"),
        ("2022-02", True, "2022-02-28"),
        ("2024-02", True, "2024-02-29"),
        ("2022-02", False, "2022-02-01"),
        ("2022-03-10", True, "2022-03-10"),
        ("2022-03-10", False, "2022-03-10"),
        (" 2022-03-10 ", False, "2022-03-10"),
    ],
)
def test_parse_bound(text, end, expected):
    got = parse_bound(text, option="--end" if end else "--start", end=end)
    assert isinstance(got, pd.Timestamp)
    assert got == T(expected)


@pytest.mark.parametrize(
    "text", ["yesterday", "2022-13", "2022-02-30", "22-03-10", "2022/03/10", ""]
)
@pytest.mark.parametrize("option", ["--start", "--end"])
def test_invalid_bound_names_the_option(text, option):
    with pytest.raises(
        InputError,
        match=rf"^{option}: {text!r} is not a date; accepted forms: "
        r"YYYY-MM-DD, YYYY-MM or YYYY$",
    ):
        parse_bound(text, option=option, end=option == "--end")


def test_end_before_start_raises(window_events):
    with pytest.raises(InputError, match=r"^end 2022-03-01 is before start 2022-03-10$"):
        filter_events(window_events, start=T("2022-03-10"), end=T("2022-03-01"))


def test_same_day_window_is_allowed(window_events):
    shown = filter_events(window_events, start=T("2022-03-15"), end=T("2022-03-15"))
    assert "inside" in _ids(shown)


# --------------------------------------------------------------------------------------
# Attribute filters
# --------------------------------------------------------------------------------------


@pytest.fixture
def mixed_events(tmp_events):
    rows = [
        {"event_id": "a", "date_start": "2022-01-01", "event_type": "Battles", "province": "Kunar"},
        {"event_id": "b", "date_start": "2022-01-01", "event_type": "Riots", "province": "Kunar"},
        {
            "event_id": "c",
            "date_start": "2022-01-01",
            "event_type": "Battles",
            "province": "Khyber Pakhtunkhwa",
        },
        {
            "event_id": "d",
            "date_start": "2022-01-01",
            "event_type": "Explosions/Remote violence",
            "province": "Khost",
        },
    ]
    return read_events(tmp_events(rows)).events


@pytest.mark.parametrize("spelling", ["Kunar", "kunar", "KUNAR"])
def test_province_filter_is_case_insensitive(mixed_events, spelling):
    assert _ids(filter_events(mixed_events, provinces=[spelling])) == {"a", "b"}


@pytest.mark.parametrize("spelling", ["Battles", "battles", "BATTLES"])
def test_type_filter_is_case_insensitive(mixed_events, spelling):
    assert _ids(filter_events(mixed_events, types=[spelling])) == {"a", "c"}


def test_filters_combine(mixed_events):
    assert _ids(filter_events(mixed_events, provinces=["khyber pakhtunkhwa", "KHOST"])) == {
        "c",
        "d",
    }
    assert _ids(filter_events(mixed_events, provinces=["kunar"], types=["riots"])) == {"b"}
    assert _ids(filter_events(mixed_events, types=["explosions/remote violence", "riots"])) == {
        "b",
        "d",
    }
    assert len(filter_events(mixed_events, provinces=["Kabul"])) == 0


def _attr_events():
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    rows = [
        ("a", "Taliban", "Civilians", "Air/drone strike", 12.0, 20.0, "Drone strike on Kabul", "BBC"),
        ("b", "TTP", "", "Armed clash", None, 10.0, "Clash near Khost border", "Dawn"),
        ("c", "Army", "Taliban", "Armed clash", None, None, "Shelling", "https://x.example/kunar"),
    ]  # fmt: skip
    return gpd.GeoDataFrame(
        {
            "event_id": [r[0] for r in rows],
            "date_start": pd.to_datetime(["2022-01-01"] * 3),
            "date_end": pd.to_datetime(["2022-01-01"] * 3),
            "event_type": ["Battles"] * 3,
            "province": ["Kabul", "Khost", "Kunar"],
            "actor1": [r[1] for r in rows],
            "actor2": [r[2] for r in rows],
            "sub_event_type": [r[3] for r in rows],
            "fatalities_best": pd.array([r[4] for r in rows], dtype="Int64"),
            "fatalities_high": pd.array([r[5] for r in rows], dtype="Int64"),
            "summary": [r[6] for r in rows],
            "location": ["", "", ""],
            "sources": [
                [{"name": r[7], "url": r[7] if r[7].startswith("http") else ""}] for r in rows
            ],
        },
        geometry=[Point(69, 34)] * 3,
        crs="EPSG:4326",
    )


@pytest.mark.parametrize(
    ("kwargs", "kept"),
    [
        ({"actors": ["taliban"]}, ["a", "c"]),
        ({"sub_types": ["ARMED CLASH"]}, ["b", "c"]),
        ({"min_fatalities": 10}, ["a", "b"]),  # best, else high
        ({"min_fatalities": 11}, ["a"]),
        ({"text": "khost  BORDER"}, ["b"]),
        ({"text": "kunar"}, ["c"]),  # source URLs are searched
        ({"text": "khost drone"}, []),
        ({"actors": ["Taliban"], "sub_types": ["Armed clash"]}, ["c"]),
    ],
)
def test_attribute_filters_follow_the_page_rules(kwargs, kept):
    """The same table as tests/browser/test_js_helpers.py::test_filter_predicate."""
    assert filter_events(_attr_events(), **kwargs)["event_id"].tolist() == kept


def test_text_search_reads_a_source_without_a_link_as_its_name_only(tmp_events) -> None:
    """A source whose link could not be confirmed has url null (data/CODING.md): the free
    text finds it by its outlet's name, and "none" finds nothing (the page's rule too)."""
    rows = [
        {"event_id": "unlinked", "date_start": "2024-01-01", "event_type": "Battles",
         "sources": [{"name": "ThePrint", "url": None, "date": "2026-03-17"}]},
        {"event_id": "linked", "date_start": "2024-01-02", "event_type": "Battles",
         "sources": [{"name": "Dawn", "url": "https://www.dawn.com/news/1", "date": "2024-01-02"}]},
    ]  # fmt: skip
    events = read_events(tmp_events(rows)).events
    from geo.filters import Filters

    # the reader leaves the null out; a table made in Python may keep it
    events["sources"] = [[{"name": "ThePrint", "url": None, "date": "2026-03-17"}],
                         list(events["sources"].iloc[1])]  # fmt: skip
    assert list(Filters(text="theprint").apply(events)["event_id"]) == ["unlinked"]
    assert list(Filters(text="dawn.com").apply(events)["event_id"]) == ["linked"]
    assert Filters(text="none").apply(events).empty
