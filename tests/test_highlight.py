"""Highlight specs (geo.highlight): parsed once, matched as the build's filters match, OR-ed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geo._errors import InputError
from geo.events import read_events
from geo.filters import Filters
from geo.highlight import Highlight, highlight_of

CONTEXT = Path(__file__).parent / "data" / "context"


@pytest.fixture(scope="module")
def events():
    return read_events(CONTEXT / "events.geojson").events


def _ids(events, *specs: str) -> list[str]:
    return list(events["event_id"][Highlight(list(specs)).mask(events)])


def test_a_date_window_picks_the_events_it_overlaps_as_start_and_end_do(events) -> None:
    # AFG-2021-002 runs 30 Dec 2021 - 2 Jan 2022: it overlaps a window of January 2022
    assert _ids(events, "2022-01..2022-03-10") == ["AFG-2021-002", "AFG-2022-001"]
    same = Filters(start="2022-01", end="2022-03-10").mask(events)
    assert np.array_equal(Highlight("2022-01..2022-03-10").mask(events), same)


def test_open_windows_and_years(events) -> None:
    assert _ids(events, "2023..") == ["PAK-2023-001", "AFG-2023-001"]
    assert _ids(events, "..2021") == ["AFG-2021-001", "AFG-2021-002"]


def test_type_province_and_actor_match_as_the_filters_do(events) -> None:
    for spec, kind in (
        ("type=battles", {"types": ["Battles"]}),
        ("province=kunar, Khost", {"provinces": ["Kunar", "Khost"]}),
        ("actor=military forces of pakistan", {"actors": ["Military Forces of Pakistan"]}),
    ):
        expected = Filters(**kind).mask(events)  # type: ignore[arg-type]
        assert np.array_equal(Highlight(spec).mask(events), expected), spec
        assert expected.any()


def test_an_event_id_and_several_specs_are_or_ed(events) -> None:
    assert _ids(events, "AFG-2023-001") == ["AFG-2023-001"]
    assert _ids(events, "id=PAK-2022-001", "type=Battles") == [
        "AFG-2021-001",
        "AFG-2022-001",
        "PAK-2022-001",
        "AFG-2023-001",
    ]


def test_the_description_says_what_is_in_colour() -> None:
    assert Highlight("2026-02-21..2026-03-16").describe() == "21 Feb 2026 – 16 Mar 2026"
    assert Highlight(["type=Battles", "2025..", "X-1"]).describe() == (
        "type Battles or from 1 Jan 2025 or event X-1"
    )
    assert Highlight("province=Kunar,Khost").describe() == "province Kunar or Khost"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("type=Bombs", "--highlight 'type=Bombs': 'Bombs' is not known; accepted: Battles, "),
        (
            "2026-13-01..2026-03",
            "--highlight '2026-13-01..2026-03': start: '2026-13-01' is not a date",
        ),
        ("2026-03..2026-01", "the end 2026-01-31 is before the start 2026-03-01"),
        ("..", "a date window needs a start or an end"),
        ("colour=red", "'colour' is not known; accepted: an event id, a date window START..END"),
        ("type=", "type= needs a value"),
        ("  ", "an empty value; accepted:"),
    ],
)
def test_bad_specs_name_the_option_the_value_and_what_is_accepted(spec, message) -> None:
    with pytest.raises(InputError) as err:
        Highlight(spec)
    assert message in str(err.value)


def test_unknown_ids_and_provinces_are_refused_once_the_events_are_read(events) -> None:
    with pytest.raises(InputError, match=r"'NOPE-1': no event has this id; accepted: an event id"):
        Highlight("NOPE-1").check(events)
    with pytest.raises(InputError, match=r"'Atlantis' is not known; accepted: .*Kunar"):
        Highlight("province=Atlantis").check(events, ["Paktika"])
    Highlight(["province=Paktika", "AFG-2021-001"]).check(events, ["Paktika"])  # no error


def test_specs_that_pick_nothing_shown_get_a_note(events) -> None:
    notes = Highlight(["actor=Nobody", "type=Battles"]).notes(events)
    assert notes == ["--highlight 'actor=Nobody' picks none of the 6 events shown"]


def test_the_api_takes_text_or_lists() -> None:
    assert highlight_of(None, "highlight") is None
    assert highlight_of([], "highlight") is None
    assert highlight_of("type=Battles", "highlight") == Highlight(["type=Battles"])
    with pytest.raises(InputError, match=r"^highlight 'x=1'"):
        highlight_of(["x=1"], "highlight")
