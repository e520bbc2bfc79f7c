"""The highlight in the page (issue 21): the highlighted events in their type's colour, the
others grey on the canvas; the legend's count follows the filters; the switch turns the
highlight off and the address keeps it off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo import _browser
from geo.cli import main

pytestmark = pytest.mark.browser
CONTEXT = Path(__file__).resolve().parents[1] / "data" / "context"

# The alpha-weighted mean colour of the events canvas over an event's circle.
COLOUR = """async (id) => {
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const p = conflictMap.screenPosition(id), ratio = window.devicePixelRatio || 1;
    const canvas = document.querySelector('canvas.geo-events-canvas');
    const r = Math.max(2, Math.floor(p.radius * ratio)), x0 = Math.round(p.x * ratio) - r, y0 = Math.round(p.y * ratio) - r;
    const d = canvas.getContext('2d').getImageData(x0, y0, 2 * r + 1, 2 * r + 1).data;
    let sr = 0, sg = 0, sb = 0, sa = 0;
    for (let k = 0; k < d.length; k += 4) {
        const a = d[k + 3] / 255; sr += d[k] * a; sg += d[k + 1] * a; sb += d[k + 2] * a; sa += a;
    }
    return [sr / sa, sg / sa, sb / sa];
}"""
COUNT = "document.querySelector('[data-highlight-count]').textContent"


def _grey(rgb: list[float]) -> bool:
    return max(rgb) - min(rgb) < 16


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hl") / "hl.html"
    args = ["build", "--events", str(CONTEXT / "events.geojson"), "--highlight", "type=Battles"]
    assert main([*args, "--out", str(out), "-q"]) == 0
    return out


def _colour(rec: Any, event_id: str) -> list[float]:
    return rec.page.evaluate(COLOUR, event_id)


def test_highlighted_in_colour_others_grey_and_the_counts(open_map, page) -> None:
    rec = open_map(page)
    battle, blast = _colour(rec, "AFG-2023-001"), _colour(rec, "PAK-2023-001")
    assert battle[0] - battle[2] > 60, battle  # Battles: orange-red
    assert _grey(blast), blast  # an explosion, outside the highlight
    assert rec.page.evaluate(COUNT) == "3 highlighted of 6 shown"
    state = rec.page.evaluate("conflictMap.highlight()")
    assert state == {"description": "type Battles", "on": True, "highlighted": 3, "shown": 6}
    assert "in colour: type Battles (3 of 6)" in rec.page.evaluate("conflictMap.caption()")
    # the count follows the page's filters
    rec.page.evaluate("conflictMap.setDateRange('2022-01-01', '2022-12-31')")
    assert rec.page.evaluate(COUNT) == "1 highlighted of 3 shown"
    assert rec.real_errors() == []


def test_the_switch_turns_the_highlight_off_and_the_address_keeps_it(
    open_map, browser, page
) -> None:
    rec = open_map(page)
    switch = rec.page.locator(".geo-legend").get_by_label("In colour: type Battles")
    assert switch.is_checked()
    switch.uncheck()
    blast = _colour(rec, "PAK-2023-001")
    assert blast[2] - blast[0] > 60, blast  # back in its type's blue
    assert rec.page.evaluate("conflictMap.highlight().on") is False
    assert "in colour" not in rec.page.evaluate("conflictMap.caption()")
    link = rec.page.evaluate("conflictMap.permalink()")
    assert "hl=off" in link
    again = _browser.PageRecorder(browser.new_page(viewport={"width": 1280, "height": 860}))
    again.page.goto(link)  # a fresh page, opened on the link
    again.page.wait_for_function(_browser.READY)
    assert again.page.evaluate("conflictMap.highlight().on") is False
    assert (
        not again.page.locator(".geo-legend").get_by_label("In colour: type Battles").is_checked()
    )
    assert rec.real_errors() == [] and again.real_errors() == []
    again.page.close()


def test_print_states_the_highlight_as_text(open_map, page) -> None:
    rec = open_map(page)
    rec.page.emulate_media(media="print")
    rec.page.wait_for_timeout(200)
    legend = rec.page.locator(".geo-print-legend")
    assert legend.locator("input").count() == 0
    assert legend.locator(".geo-print-highlight").text_content() == "In colour: type Battles"
    assert (
        "in colour: type Battles (3 of 6)" in rec.page.locator(".geo-print-caption").text_content()
    )
    rec.page.evaluate("conflictMap.setHighlight(false)")
    assert legend.locator(".geo-print-highlight").count() == 0


def test_a_page_without_highlight_has_no_switch(open_map, tmp_path) -> None:
    out = tmp_path / "plain.html"
    assert (
        main(["build", "--events", str(CONTEXT / "events.geojson"), "--out", str(out), "-q"]) == 0
    )
    rec = open_map(out)
    assert rec.page.evaluate("conflictMap.highlight()") is None
    assert rec.page.locator(".geo-highlight-switch").count() == 0
    assert not _grey(_colour(rec, "PAK-2023-001"))


def test_many_events_stay_squares_while_the_highlight_is_on(open_map, tmp_path) -> None:
    import pandas as pd

    from geo.events import read_events
    from geo.render import build_map
    from geo.render.html import save_html
    from geo.render.options import MapOptions

    one = read_events(CONTEXT / "events.geojson").events
    many = pd.concat([one] * 2700, ignore_index=True)  # 16,200 events: above the page's DENSE
    many["event_id"] = [f"E{i}" for i in range(len(many))]
    out = save_html(
        build_map(many, options=MapOptions(highlight="type=Battles")), tmp_path / "m.html"
    )
    rec = open_map(out)
    shown = rec.page.evaluate("conflictMap.display()")
    assert shown["points"] and shown["dense"] and not shown["hexbin"]  # squares show it
    rec.page.evaluate("conflictMap.setHighlight(false)")
    rec.page.wait_for_timeout(100)
    assert rec.page.evaluate("conflictMap.display().hexbin")  # as a page without one
    assert rec.real_errors() == []
