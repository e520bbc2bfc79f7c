"""Annotations (``--annotate``, ``--note``): parsing, default texts, and their placement in
the stills by the shared label rule (:mod:`geo.render.annotations`, :mod:`geo.render.labels`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import geo
from geo._errors import InputError
from geo.render.annotations import (
    Annotation,
    default_text,
    parse_annotate,
    parse_note,
    resolve,
    short_place,
    wrap_text,
)
from geo.render.labels import place
from geo.render.options import MapOptions
from geo.render.static import image_bytes

KABUL = "DL-20260316-KABUL"


# --- parsing -------------------------------------------------------------------------------


def test_annotate_forms() -> None:
    assert parse_annotate(KABUL) == Annotation(event=KABUL)
    assert parse_annotate(f"{KABUL}@ne") == Annotation(event=KABUL, nudge="ne")
    assert parse_annotate(f"{KABUL}=Hospital hit") == Annotation(event=KABUL, text="Hospital hit")
    assert parse_annotate(f"{KABUL}= Hospital  hit @sw") == Annotation(
        event=KABUL, text="Hospital hit", nudge="sw"
    )
    # an @ inside the text is text; only a direction at its very end is a nudge
    assert parse_annotate(f"{KABUL}=a@b c").text == "a@b c"


def test_note_forms() -> None:
    assert parse_note("69.17,34.53=Kabul airport") == Annotation(
        text="Kabul airport", lon=69.17, lat=34.53
    )
    note = parse_note("71.1, 34.1 , 2026-03 .. 2026-04-15 =Torkham shut@s")
    assert (note.lon, note.lat, note.nudge) == (71.1, 34.1, "s")
    assert note.window == ("2026-03-01", "2026-04-15")
    assert parse_note("71.1,34.1,..2025=Before").window == (None, "2025-12-31")


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        (f"{KABUL}=", "the text is empty"),
        (f"{KABUL}=  @ne", "the text is empty"),
        ("=Text", "no event id"),
        (f"{KABUL}=" + "x" * 201, "at most 200"),
    ],
)
def test_annotate_errors(value: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as err:
        parse_annotate(value)
    assert str(err.value).startswith("--annotate")


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("69.1,34.5", "accepted: 'LON,LAT=Text'"),
        ("69.1=Text", "accepted: 'LON,LAT=Text'"),
        ("east,34.5=Text", "bad coordinates"),
        ("190,34.5=Text", "bad coordinates"),
        ("69.1,nan=Text", "bad coordinates"),
        ("69.1,34.5=", "the text is empty"),
        ("69.1,34.5,2026=Text", "bad date window"),
        ("69.1,34.5,..=Text", "bad date window"),
        ("69.1,34.5,2026-13-40..=Text", "bad date"),
        ("69.1,34.5,2026-05..2026-01=Text", "ends before it starts"),
    ],
)
def test_note_errors(value: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as err:
        parse_note(value)
    message = str(err.value)
    assert message.startswith(f"--note {value!r}")


def test_unknown_event_is_an_error_naming_the_option() -> None:
    events = pd.DataFrame({"event_id": ["A", "B"]})
    with pytest.raises(InputError, match=r"--annotate 'C': no event with this id .* e\.g\. A, B"):
        resolve((Annotation(event="C"),), events)
    with pytest.raises(InputError, match="--annotate 'NOPE'"):
        geo.conflict_map(annotate=["NOPE"])
    assert MapOptions(annotations=("NOPE=x@e",)).annotations == (
        Annotation("NOPE", "x", nudge="e"),
    )


# --- texts ---------------------------------------------------------------------------------


def test_default_text() -> None:
    row = pd.Series(
        {"date_start": pd.Timestamp("2026-03-16"), "date_end": pd.Timestamp("2026-03-16"),
         "location": "Omid hospital (former Camp Phoenix), Kabul", "province": "Kabul",
         "fatalities_best": 408.0}
    )  # fmt: skip
    assert default_text(row) == "16 Mar 2026 — Kabul: 408 killed"
    row["fatalities_best"] = np.nan
    row["date_end"] = pd.Timestamp("2026-03-18")
    row["location"] = "venue not disclosed (stand-in: Kabul)"
    row["province"] = "Kabul Province"
    assert default_text(row) == "16–18 Mar 2026 — Kabul Province"
    row["date_start"], row["date_end"] = pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-31")
    assert default_text(row).startswith("Oct 2025 — ")  # a date known to the month
    row["date_start"], row["date_end"] = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")
    assert default_text(row).startswith("2025 — ")
    assert short_place("Army Public School, Warsak Road, Peshawar") == "Peshawar"
    assert wrap_text("16 Mar 2026 — Kabul: 408 killed") == "16 Mar 2026 —\nKabul: 408 killed"
    assert all(len(line) <= 28 for line in wrap_text("word " * 30).split("\n"))


# --- the rule ------------------------------------------------------------------------------


def test_note_goes_first_and_nudge_is_tried_first() -> None:
    """A callout takes its nudged spot when free, and a town label never takes its room."""
    anchors = np.array([[200.0, 200.0], [200.0, 200.0]])
    sizes = np.array([[80.0, 30.0], [40.0, 12.0]])
    for nudge, (sx, sy) in (((-1, 1), (-1, 1)), ((1, -1), (1, -1)), ((0, 1), (0, 1))):
        note, town = place(["note", "town"], anchors, sizes, (400, 400), nudges=[nudge, None])
        assert note is not None and town is not None
        cx, cy = (note[0] + note[2]) / 2, (note[1] + note[3]) / 2
        assert np.sign(round(cx - 200)) == sx and np.sign(round(cy - 200)) == sy
        assert not (
            note[0] < town[2] and town[0] < note[2] and note[1] < town[3] and town[1] < note[3]
        )


def test_note_may_cover_an_event_centre_only_when_nothing_else_fits() -> None:
    events = np.array(
        [[200 + dx, 200 + dy, 6.0] for dx in range(-120, 121, 20) for dy in range(-120, 121, 20)]
    )
    (box,) = place(
        ["note"], np.array([[200.0, 200.0]]), np.array([[90.0, 30.0]]), (400, 400), events=events
    )
    assert box is not None  # a town's name would be left out here; a callout is not
    (town,) = place(
        ["town"], np.array([[200.0, 200.0]]), np.array([[90.0, 30.0]]), (400, 400), events=events
    )
    assert town is None


# --- the stills ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def story():
    return geo.conflict_map(annotate=[KABUL])


@pytest.fixture(scope="module")
def still(story):
    return story.still()


def _extent(artist, fig):
    b = artist.get_window_extent(fig.canvas.get_renderer())
    return (b.x0, b.y0, b.x1, b.y1)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_still_callout_beside_kabul_overlapping_no_label(still) -> None:
    fig = still
    FigureCanvasAgg(fig).draw()
    (note,) = [t for t in fig.findobj() if getattr(t, "get_gid", lambda: None)() == "annotation-0"]
    assert note.get_text() == "16 Mar 2026 —\nKabul: 408 killed"
    box = _extent(note.get_bbox_patch(), fig)
    labels = [
        t for t in fig.findobj()
        if str(getattr(t, "get_gid", lambda: "")()).split("-label")[0] in ("major", "town", "province", "neighbour")
        and "-label" in str(t.get_gid())
    ]  # fmt: skip
    assert len(labels) > 10
    for t in labels:
        assert not _overlap(box, _extent(t, fig)), t.get_text()
    (leader,) = [
        a for a in fig.findobj() if getattr(a, "get_gid", lambda: None)() == "annotation-leader-0"
    ]
    xy = leader.get_xydata()
    assert np.hypot(*(xy[1] - xy[0])) > 0
    # next to Kabul: the leader's anchor is the event's point, within a few hundred points
    ax = note.axes
    anchor = ax.transData.transform(xy[0])
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    assert np.hypot(anchor[0] - centre[0], anchor[1] - centre[1]) < 0.25 * fig.bbox.width


def test_still_is_deterministic_and_text_is_text(story) -> None:
    a = image_bytes(story.still(), "svg")
    b = image_bytes(story.still(), "svg")
    assert a == b
    assert b"annotation-0" in a and b"annotation-leader-0" in a
    assert b"408 killed" in a  # real text, not paths


def test_still_callout_follows_its_window() -> None:
    """Outside the event's dates (a 2025 still), no callout; a note whose window misses the
    still's dates is left out too, one without a window stays."""
    m = geo.conflict_map(
        filters=geo.Filters(start="2025-01-01", end="2025-12-31"),
        notes=["69.17,34.53,2026-01-01..=Later", "70.4,34.4=Always"],
    )
    fig = m.still()
    texts = {t.get_text() for t in fig.findobj() if str(getattr(t, "get_gid", lambda: "")()).startswith("annotation-")
             and hasattr(t, "get_text")}  # fmt: skip
    assert "Always" in texts and "Later" not in texts
    with pytest.raises(InputError, match="--annotate 'DL-20260316-KABUL'"):
        geo.conflict_map(
            filters=geo.Filters(start="2025-01-01", end="2025-12-31"), annotate=[KABUL]
        )
