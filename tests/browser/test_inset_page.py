"""The page's locator inset (issue 21): its rectangle follows the view, it sits where it
hides neither the story nor a control, and it is absent when the build says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo import _browser
from geo.cli import main

pytestmark = pytest.mark.browser

#: Boxes of the visible map controls other than the inset, in page pixels.
CONTROLS = """() => [...conflictMap.map.getContainer().querySelectorAll('.leaflet-control, .geo-time')]
  .filter(e => e.offsetParent !== null && !e.classList.contains('geo-inset'))
  .map(e => e.getBoundingClientRect().toJSON())"""
#: Page pixels of every event shown that lies in the map's container.
EVENTS = """() => { const r = conflictMap.map.getContainer().getBoundingClientRect();
  return conflictMap.visibleEventIds().map(id => conflictMap.screenPosition(id)).filter(p => p &&
    p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height).map(p => [r.left + p.x, r.top + p.y]); }"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inset")
    out = {"on": folder / "on.html", "off": folder / "off.html"}
    assert main(["build", "--out", str(out["on"]), "-q"]) == 0
    assert main(["build", "--out", str(out["off"]), "-q", "--no-inset"]) == 0
    return out


def _open(browser: Any, path: Path, width: int, height: int) -> tuple[Any, _browser.PageRecorder]:
    ctx = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=width < 500, has_touch=width < 500
    )
    page = ctx.new_page()
    rec = _browser.PageRecorder(page)  # every request but file: and data: is refused
    page.goto(path.as_uri())
    page.wait_for_function(_browser.READY, timeout=30000)
    page.wait_for_timeout(300)
    return page, rec


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def test_the_rectangle_follows_a_zoom_and_a_pan(browser, pages) -> None:
    page, rec = _open(browser, pages["on"], 1400, 900)
    first = page.evaluate("conflictMap.inset()")
    assert first["shown"] and first["onMap"]
    w, h = first["size"]
    _x, _y, rw, rh = first["rect"]
    assert 0 < rw < w and 0 < rh < h  # the opening view is a part of the region
    # the view's box, as the inset states it, is the map's
    bounds = page.evaluate(
        "(() => { const b = conflictMap.map.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()"
    )
    assert first["view"] == pytest.approx(bounds, abs=1e-6)
    page.evaluate(
        "() => { conflictMap.map.setZoom(conflictMap.map.getZoom() + 1, {animate: false}); }"
    )
    page.wait_for_timeout(200)
    after = page.evaluate("conflictMap.inset()")
    zoomed = after["rect"]
    # a zoom in halves the view (to the quarter zoom the buttons snap to): the rectangle
    # shrinks by the view's own ratio, about its centre
    ratio = (after["view"][2] - after["view"][0]) / (first["view"][2] - first["view"][0])
    assert 0.4 < ratio < 0.6
    assert zoomed[2] == pytest.approx(rw * ratio, abs=0.5)
    assert zoomed[0] + zoomed[2] / 2 == pytest.approx(first["rect"][0] + rw / 2, abs=1.0)
    page.evaluate("() => { conflictMap.map.panBy([200, 0], {animate: false}); }")
    page.wait_for_timeout(200)
    panned = page.evaluate("conflictMap.inset()")["rect"]
    assert panned[0] > zoomed[0] + 2 and panned[1] == pytest.approx(zoomed[1], abs=0.5)
    assert rec.real_errors() == []
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (680, 450), (1400, 900)])
def test_it_hides_no_control_and_no_central_event(browser, pages, width, height) -> None:
    page, rec = _open(browser, pages["on"], width, height)
    state = page.evaluate("conflictMap.inset()")
    mode = page.evaluate("conflictMap.layoutMode()")
    if mode == "stack":  # a phone: the map is the story's, the inset is left out
        assert not state["shown"]
    elif mode == "side":  # a reader's landscape frame: under the legend, beside the map
        assert state["shown"] and not state["onMap"]
        legend = page.evaluate(
            "document.querySelector('.geo-legend').getBoundingClientRect().toJSON()"
        )
        assert state["box"]["top"] >= legend["bottom"] - 1
    else:
        assert state["shown"] and state["onMap"]
        box = state["box"]
        assert not any(_overlap(box, c) for c in page.evaluate(CONTROLS))
        inside = [p for p in page.evaluate(EVENTS)
                  if box["left"] <= p[0] <= box["right"] and box["top"] <= p[1] <= box["bottom"]]  # fmt: skip
        assert inside == []
    assert rec.real_errors() == []
    page.context.close()


def test_absent_with_no_inset(browser, pages) -> None:
    page, rec = _open(browser, pages["off"], 1400, 900)
    assert page.evaluate("typeof conflictMap.inset") == "undefined"
    assert page.locator(".geo-inset").count() == 0
    assert rec.real_errors() == []
    page.context.close()
