"""The in-page explorer (issue 10): typed dates, the time axis, playback, stacked events,
tab order, filters and their permalinks, density layers and downloads, on the shipped map."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from geo import _browser
from geo.cli import main

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[2] / "data"
KABUL = (69.1723, 34.5281)


@pytest.fixture(scope="module")
def shipped_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("explorer") / "conflict_map.html"
    assert main(["build", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    doc = json.loads((DATA / "events.geojson").read_text(encoding="utf-8"))
    rows = []
    for f in doc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        rows.append({**f["properties"], "lon": lon, "lat": lat})
    return pd.DataFrame(rows)


@pytest.fixture
def page(browser, shipped_map):
    p = browser.new_page(viewport={"width": 1400, "height": 900})
    rec = _browser.PageRecorder(p)
    p.goto(shipped_map.as_uri())
    p.wait_for_function(_browser.READY, timeout=30000)
    yield p
    real = [e for e in rec.errors if "ERR_FAILED" not in e and "Failed to load" not in e]
    assert real == []
    p.close()


def test_typed_dates_commit_whole_and_say_what_is_wrong(page) -> None:
    before = page.evaluate("conflictMap.dateRange()")
    start = page.get_by_label("From date (YYYY-MM-DD)")
    start.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("10/01/2025")  # the keystrokes of the issue: never 1905-10-01
    assert start.input_value() == "10/01/2025"  # not rewritten while typing
    page.keyboard.press("Enter")
    assert page.evaluate("conflictMap.dateRange()") == before
    error = page.locator(".geo-date-error")
    assert error.is_visible() and "YYYY-MM-DD" in error.inner_text()
    page.keyboard.press("Control+A")
    page.keyboard.type("2025-1")
    assert start.input_value() == "2025-1"
    page.keyboard.type("0-01")
    page.keyboard.press("Tab")  # leaving the field commits it
    end = page.get_by_label("To date (YYYY-MM-DD)")
    end.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2025-10-31")
    page.keyboard.press("Enter")
    assert page.evaluate("conflictMap.dateRange()") == ["2025-10-01", "2025-10-31"]
    assert error.is_hidden()
    # a reversed range is refused with a message, not reset silently
    start.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2025-11-15")
    page.keyboard.press("Enter")
    assert page.evaluate("conflictMap.dateRange()") == ["2025-10-01", "2025-10-31"]
    assert "after the end" in error.inner_text()
    page.keyboard.press("Control+A")
    page.keyboard.type("2025-02-30")
    page.keyboard.press("Enter")
    assert "not a day of the calendar" in error.inner_text()


def test_opening_window_and_time_axis_fit_the_data(page, events) -> None:
    # the page opens on every event, as the stills of the same build show them
    assert page.evaluate("conflictMap.counts().shown") == len(events)
    lo, hi = page.evaluate("conflictMap.dateRange()")
    assert lo == min(events["date_start"])
    assert hi == max(events["date_end"])
    share = page.evaluate(
        "conflictMap.axisPosition('2026-12-31') - conflictMap.axisPosition('2021-01-01')"
    )
    assert share >= 0.6, share
    assert page.evaluate("conflictMap.timeAxis().breaks.length") > 0
    assert page.locator(".geo-hist .geo-break").count() > 0
    note = page.locator(".geo-window-note")
    assert note.is_hidden()
    ticks = page.locator(".geo-tick").all_inner_texts()
    assert len(ticks) >= 5 and any("2025" in t for t in ticks)
    page.evaluate("conflictMap.setDateRange('2020-01-01', '2026-12-31')")
    page.get_by_role("button", name="All dates").click()
    assert page.evaluate("conflictMap.counts().shown") == len(events)


def test_histogram_brush_click_and_keyboard_steps(page) -> None:
    track = page.locator(".geo-track").bounding_box()

    def x(iso: str) -> float:
        return track["x"] + track["width"] * page.evaluate("d => conflictMap.axisPosition(d)", iso)

    y = track["y"] + 10
    page.mouse.click(x("2025-10-15"), y)  # one bar: its month
    assert page.evaluate("conflictMap.dateRange()") == ["2025-10-01", "2025-10-31"]
    page.mouse.move(x("2025-11-10"), y)
    page.mouse.down()
    page.mouse.move(x("2026-01-20"), y, steps=4)
    page.mouse.up()
    assert page.evaluate("conflictMap.dateRange()") == ["2025-11-01", "2026-01-31"]
    page.get_by_label("End date").focus()
    page.keyboard.press("ArrowRight")  # one bin
    assert page.evaluate("conflictMap.dateRange()") == ["2025-11-01", "2026-02-28"]
    page.get_by_label("Start date").focus()
    page.keyboard.press("PageDown")  # ten bins
    assert page.evaluate("conflictMap.dateRange()") == ["2025-01-01", "2026-02-28"]
    page.keyboard.press("Home")
    assert page.evaluate("conflictMap.dateRange()")[0] == "1893-11-12"
    # one day: the two handles sit side by side, both visible
    page.evaluate("conflictMap.setDateRange('2025-10-12', '2025-10-12')")
    a = page.get_by_label("Start date").bounding_box()
    b = page.get_by_label("End date").bounding_box()
    assert a["x"] + a["width"] <= b["x"] + 1


def test_playback_modes_steps_and_permalink(page, browser) -> None:
    page.evaluate("conflictMap.setDateRange('2025-10-01', '2025-12-31')")
    assert page.evaluate("conflictMap.setPlayback({step: 'week', mode: 'window', length: 2})") == {
        "step": "week",
        "speed": 1,
        "mode": "window",
        "length": 2,
    }
    page.get_by_role("button", name="Step forward").click()
    assert page.evaluate("conflictMap.dateRange()") == ["2025-09-29", "2025-10-12"]
    page.get_by_role("button", name="Step forward").click()
    assert page.evaluate("conflictMap.dateRange()") == ["2025-10-06", "2025-10-19"]
    assert page.locator(".geo-frame").inner_text() == "6 Oct 2025 \u2013 19 Oct 2025"
    page.get_by_role("button", name="Step back").click()
    assert page.evaluate("conflictMap.dateRange()") == ["2025-09-29", "2025-10-12"]
    page.evaluate("conflictMap.setDateRange('2025-10-01', '2025-12-31')")
    page.evaluate("conflictMap.setPlayback({step: 'month', mode: 'cumulative', speed: 4})")
    page.evaluate("conflictMap.play()")
    assert page.evaluate("conflictMap.dateRange()") == ["2025-10-01", "2025-10-31"]
    page.wait_for_function("conflictMap.dateRange()[1] === '2025-12-31'", timeout=5000)
    assert page.evaluate("conflictMap.dateRange()")[0] == "2025-10-01"  # cumulative
    page.wait_for_function("!conflictMap.isPlaying()", timeout=5000)  # stops at the end
    page.evaluate("conflictMap.setPlayback({step: 'quarter'})")
    link = page.evaluate("conflictMap.permalink()")
    assert "step=quarter" in link and "speed=4" in link and "mode=cumulative" in link
    fresh = browser.new_page()
    _browser.PageRecorder(fresh)
    fresh.goto(link)
    fresh.wait_for_function(_browser.READY)
    assert fresh.evaluate("conflictMap.playback()") == {
        "step": "quarter",
        "speed": 4,
        "mode": "cumulative",
        "length": 2,
    }
    fresh.close()


def test_every_event_of_the_kabul_stack_is_two_clicks_away(page, events) -> None:
    page.get_by_role("button", name="All dates").click()
    here = events[(events["lon"].round(4) == KABUL[0]) & (events["lat"].round(4) == KABUL[1])]
    assert len(here) >= 9
    order = here.sort_values(["date_start", "event_id"], ascending=False)["event_id"].tolist()
    newest = order[0]
    pos = page.evaluate("id => conflictMap.screenPosition(id)", newest)
    box = page.locator(".folium-map").bounding_box()
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    tip = page.locator(".leaflet-tooltip.geo-tooltip")
    assert "events here" in tip.inner_text()
    # one tooltip at a time: the province's, open beneath, steps aside (geo-on-event)
    assert page.locator(".leaflet-tooltip:visible").count() == 1
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])  # click 1
    stack = page.locator(".leaflet-popup .geo-stack")
    stack.wait_for()
    # a reader clicks the list once the popup has come to rest (its pan into view done)
    page.evaluate(_browser.SETTLED)
    entries = stack.locator("details")
    ids = entries.evaluate_all("ds => ds.map(d => d.dataset.eventId)")
    assert set(here["event_id"]) <= set(ids)
    dates = here.set_index("event_id")["date_start"]
    listed = [dates[i] for i in ids if i in dates.index]
    assert listed == sorted(listed, reverse=True)  # newest first
    for event_id in here["event_id"]:
        entry = stack.locator(f"details[data-event-id='{event_id}']")
        entry.locator("summary").click()  # click 2
        card = entry.locator(".geo-popup")
        assert card.get_attribute("data-event-id") == event_id
        assert card.is_visible()


def test_tab_reaches_the_controls_not_the_shapes_and_escape_closes(page) -> None:
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "(() => { const e = document.activeElement;"
                " return e.tagName + ' ' + (e.getAttribute('class') || '') + ' ' + (e.textContent || '').trim(); })()"
            )
        )
        if "geo-play" in seen[-1]:
            break
    assert any("geo-play" in s for s in seen), seen
    assert not any(s.startswith("path") or "geo-city" in s for s in seen), seen
    assert len(seen) < 30
    page.get_by_role("button", name="List events shown").click()
    page.locator(".geo-list li button").first.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup").wait_for()
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached", timeout=2000)


def _best_or_high(events: pd.DataFrame) -> pd.Series:
    return events["fatalities_best"].fillna(events["fatalities_high"])


def test_filters_compose_follow_and_round_trip(page, browser, events) -> None:
    page.get_by_role("button", name="All dates").click()
    page.evaluate("conflictMap.setFilter({minFatalities: 10})")
    expected = set(events.loc[_best_or_high(events) >= 10, "event_id"])
    assert set(page.evaluate("conflictMap.visibleEventIds()")) == expected
    assert page.evaluate("conflictMap.filter().minFatalities") == 10
    assert "at least 10 killed" in page.evaluate("conflictMap.caption()")
    counts = page.evaluate("conflictMap.counts()")
    assert counts["shown"] == len(expected) == sum(t["inRange"] for t in counts["types"])
    link = page.evaluate("conflictMap.permalink()")
    assert "minfat=10" in link
    fresh = browser.new_page()
    _browser.PageRecorder(fresh)
    fresh.goto(link)
    fresh.wait_for_function(_browser.READY)
    assert set(fresh.evaluate("conflictMap.visibleEventIds()")) == expected
    fresh.close()
    # actor (picked in the panel, found by its search), sub-event type, province, text
    actor = events["actor1"].value_counts().index[0]
    page.evaluate("conflictMap.setFilter({minFatalities: 0})")
    page.get_by_role("button", name="Filter").click()
    page.get_by_label("Find an actor").fill(actor[:6])
    page.locator(".geo-filter-actors label", has_text=actor).first.locator("input").check()
    mask = (events["actor1"] == actor) | (events["actor2"] == actor)
    assert set(page.evaluate("conflictMap.visibleEventIds()")) == set(events.loc[mask, "event_id"])
    sub = events["sub_event_type"].value_counts().index[0]
    province = events["province"].value_counts().index[0]
    page.evaluate(
        "f => conflictMap.setFilter(f)",
        {"actors": [], "subEventTypes": [sub], "provinces": [province], "text": "Kabul   "},
    )
    mask = (events["sub_event_type"] == sub) & (events["province"] == province)
    hay = (
        events["summary"].fillna("")
        + events["location"].fillna("")
        + events["actor1"].fillna("")
        + events["actor2"].fillna("")
        + events["sources"].map(
            lambda s: " ".join((x.get("name") or "") + (x.get("url") or "") for x in s)
        )
    ).str.lower()
    mask &= hay.str.contains("kabul")
    assert set(page.evaluate("conflictMap.visibleEventIds()")) == set(events.loc[mask, "event_id"])
    link = page.evaluate("conflictMap.permalink()")
    fresh = browser.new_page()
    _browser.PageRecorder(fresh)
    fresh.goto(link)
    fresh.wait_for_function(_browser.READY)
    assert fresh.evaluate("conflictMap.filter()") == page.evaluate("conflictMap.filter()")
    fresh.close()
    # unknown values are dropped, not trusted
    assert (
        page.evaluate("conflictMap.setFilter({actors: ['__proto__'], minFatalities: -5})")["actors"]
        == []
    )


def test_density_layers_follow_the_filter(page) -> None:
    page.get_by_role("button", name="All dates").click()
    page.evaluate("conflictMap.setLayerVisible('Density: hexagons', true)")
    page.evaluate("conflictMap.setLayerVisible('Event points', false)")
    legend = page.evaluate("conflictMap.display().legend")
    assert legend["kind"] == "hexbin" and legend["bins"] > 5
    assert page.locator(".geo-density").is_visible()
    page.evaluate("conflictMap.setFilter({minFatalities: 50})")
    fewer = page.evaluate("conflictMap.display().legend")
    assert fewer["bins"] < legend["bins"]
    page.evaluate("conflictMap.setLayerVisible('Density: heat', true)")
    assert page.evaluate("conflictMap.display().heat") is True
    assert "show=" in page.evaluate("conflictMap.permalink()")


def test_download_holds_the_events_shown(page) -> None:
    page.evaluate("conflictMap.setDateRange('2025-10-01', '2025-10-31')")
    page.evaluate("conflictMap.setFilter({minFatalities: 1})")
    shown = page.evaluate("conflictMap.visibleEventIds()")
    data = page.evaluate("conflictMap.exportData('csv')")
    rows = list(csv.DictReader(io.StringIO(data["text"])))
    assert len(rows) == len(shown) and [r["event_id"] for r in rows] == shown
    assert {"sources", "source_urls", "latitude", "border_distance_km"} <= set(rows[0])
    gj = json.loads(page.evaluate("conflictMap.exportData('geojson').text"))
    assert len(gj["features"]) == len(shown)
    page.get_by_role("button", name="Download the events shown").click()
    with page.expect_download() as info:
        page.locator(".geo-download-csv").click()
    name = info.value.suggested_filename
    assert name == "durand-line-conflict-map_2025-10-01_2025-10-31_min1-killed.csv"
    saved = Path(info.value.path()).read_text(encoding="utf-8")
    assert len(list(csv.DictReader(io.StringIO(saved)))) == len(shown)


#: The room an ordered list leaves for its numbers, against the width of its last number.
_MARKER_ROOM = """ol => {
    const n = ol.children.length, li = ol.lastElementChild, style = getComputedStyle(li);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = style.font;
    return {n, room: parseFloat(getComputedStyle(ol).paddingLeft),
            need: ctx.measureText(`${n}. `).width, inside: ol.getBoundingClientRect().left >= 0};
}"""


def test_list_numbers_keep_every_digit_and_sit_on_the_first_line(page) -> None:
    """Numbers of 10 and up were cut at their first digit; wrapped entries had theirs on
    their last line."""
    page.get_by_role("button", name="All dates").click()
    page.get_by_role("button", name="List events shown").click()
    ol = page.locator(".geo-list ol")
    room = ol.evaluate(_MARKER_ROOM)
    assert room["n"] >= 10 and room["room"] >= room["need"], room
    tops = page.locator(".geo-list li").evaluate_all(
        "lis => lis.map(li => li.firstElementChild.getBoundingClientRect().top - li.getBoundingClientRect().top)"
    )
    assert max(abs(t) for t in tops) < 1.0
    page.keyboard.press("Escape")
    kabul = page.evaluate("conflictMap.events().filter(id => id.endsWith('-KABUL'))")[0]
    pos = page.evaluate("id => conflictMap.screenPosition(id)", kabul)
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    stack_ol = page.locator(".leaflet-popup .geo-stack ol")
    stack_ol.wait_for()
    room = stack_ol.evaluate(_MARKER_ROOM)
    assert room["n"] >= 9 and room["room"] >= room["need"], room
