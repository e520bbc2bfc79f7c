"""The one framing rule (geo.render.framing): what it frames, the options that override it,
and the share of the still the story fills."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geo import api
from geo._errors import InputError
from geo.cli import main
from geo.events import read_events
from geo.render.framing import (
    EXTENTS,
    frame_box,
    outside,
    parse_extent,
    quantile_box,
)
from geo.render.options import MapOptions
from geo.render.static import _TO_REGION, image_size, static_map

DATA = Path(__file__).resolve().parents[2] / "data"
TARGET = 35.0  # percent of the map the box of the central 90 % of events fills (issue 20)


@pytest.fixture(scope="module")
def events():
    return read_events(DATA / "events.geojson").events


@pytest.fixture(scope="module")
def context():
    return api.load_context()


def _outside_places(events, box) -> set[str]:
    return set(events.loc[outside(events, box), "location"])


def test_story_frame_leaves_out_far_events_and_keeps_the_border_ends(events) -> None:
    box = frame_box(events)
    far = _outside_places(events, box)
    assert {"Doha", "Istanbul", "New Delhi"} <= far
    assert len(far) <= 7 and int(outside(events, box).sum()) <= len(events) // 10
    # the border posts at the ends of the story are in: Chitral in the north, Helmand's
    kept = events.loc[~outside(events, box), "location"].str.cat(sep=" | ")
    assert "Chitral" in kept and "Helmand" in kept


def test_every_extent_and_a_box(events, context) -> None:
    layers = context.layers()
    story = frame_box(events, border=layers.border, provinces=layers.provinces)
    every = frame_box(events, extent="events")
    border = frame_box(events, extent="border", border=layers.border)
    assert not outside(events, every).any()
    assert every[0] < 52 and every[3] > 40  # Doha and Istanbul
    w, s, e, n = (float(v) for v in layers.border.total_bounds)
    assert border[0] < w and border[2] > e and border[1] < s and border[3] > n
    assert (story[2] - story[0]) < (every[2] - every[0]) / 2
    box = frame_box(events, extent=(69.0, 32.5, 72.0, 35.0))
    assert box == (69.0, 32.5, 72.0, 35.0)  # a box asked for is framed as given


def test_a_province_build_frames_its_provinces(events, context) -> None:
    layers = context.layers()
    chosen = ["Khost", "Kunar", "Kabul"]
    box = frame_box(events, provinces=layers.provinces, chosen_provinces=chosen)
    pro = layers.provinces[layers.provinces["province"].isin(chosen)]
    w, s, e, n = (float(v) for v in pro.total_bounds)
    assert box[0] <= w and box[1] <= s and box[2] >= e and box[3] >= n
    assert (box[2] - box[0]) < (e - w) * 1.3  # no wider than the margin


def test_few_events_all_framed_unless_out_of_the_region(events) -> None:
    few = events.iloc[:5].copy()
    assert not outside(few, frame_box(few)).any()
    few.loc[few.index[0], "geometry"] = few.geometry.iat[0].__class__(10.0, 10.0)
    assert outside(few, frame_box(few)).tolist() == [True, False, False, False, False]
    one = events.iloc[:1]
    w, s, e, n = frame_box(one)
    assert e - w >= 1.5 and n - s >= 1.5  # a one-town story keeps context
    assert frame_box(events.iloc[:0]) == frame_box(events.iloc[:0], extent="border")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("story", "story"),
        (" Border ", "border"),
        ("69,32.5,72,35", (69.0, 32.5, 72.0, 35.0)),
        ((60, 20, 70, 30), (60.0, 20.0, 70.0, 30.0)),
        (None, "story"),
    ],
)
def test_parse_extent(value, expected) -> None:
    assert parse_extent(value) == expected


@pytest.mark.parametrize(
    "value",
    ["world", "1,2,3", "72,30,69,35", "60,20,70,95", "nan,1,2,3", "1e999,1,2,3", "a,b,c,d", ""],
)
def test_bad_extents_are_refused_naming_value_and_what_is_accepted(value) -> None:
    with pytest.raises(InputError) as err:
        MapOptions(extent=value)
    text = str(err.value)
    assert repr(value) in text and all(name in text for name in EXTENTS) and "W,S,E,N" in text


def test_cli_extent_is_checked_before_reading_and_escaped(tmp_path, capsys) -> None:
    out = tmp_path / "map.html"
    assert main(["build", "--extent", "69,32\x1b[2J,72,35", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "--extent" in err and "\x1b" not in err and not out.exists()


def _still_share(fig, box) -> float:
    """Percent of the still's map the projected ``box`` takes."""
    ax = next(a for a in fig.axes if a.get_label() == "map")
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    w, s, e, n = box
    t = np.linspace(0.0, 1.0, 33)
    lon = np.concatenate([w + (e - w) * t, np.full_like(t, e), e - (e - w) * t, np.full_like(t, w)])
    lat = np.concatenate([np.full_like(t, s), s + (n - s) * t, np.full_like(t, n), n - (n - s) * t])
    xs, ys = _TO_REGION.transform(lon, lat)
    bw = max(0.0, min(x1, xs.max()) - max(x0, xs.min()))
    bh = max(0.0, min(y1, ys.max()) - max(y0, ys.min()))
    return 100 * bw * bh / ((x1 - x0) * (y1 - y0))


@pytest.mark.parametrize(
    "size", [{}, {"width_mm": 170}, {"width_mm": 190, "height_mm": 260}], ids=str
)
def test_the_story_fills_the_still(events, context, size) -> None:
    """The default PNG/SVG/PDF (one figure), an article column's width and A4 portrait."""
    fig = static_map(events, layers=context.layers(), size=image_size(**size))
    share = _still_share(fig, quantile_box(events.geometry.x, events.geometry.y))
    assert share >= TARGET, share
    every = static_map(
        events, layers=context.layers(), options=MapOptions(extent="events"), size=image_size()
    )
    assert _still_share(every, quantile_box(events.geometry.x, events.geometry.y)) < TARGET
