"""Callouts in the page (``--annotate``): placed by the labels' rule in their own pane,
clear of every name and control at three frame sizes, with a leader to their event, and
shown only while their event is (README, "Annotations")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo import _browser
from geo.cli import main

pytestmark = pytest.mark.browser
KABUL = "DL-20260316-KABUL"
SIZES = ((390, 844), (680, 450), (1400, 900))


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("notes") / "story.html"
    assert main(["build", "--annotate", KABUL, "--out", str(out)]) == 0
    return out


def _open(browser: Any, path: Path, width: int, height: int) -> _browser.PageRecorder:
    rec = _browser.open_map(browser, path, width=width, height=height)
    rec.page.wait_for_function(
        "document.querySelector('.folium-map').dataset.geoBasemap === 'offline'", timeout=15000
    )
    rec.page.wait_for_timeout(300)
    return rec


BOXES = """() => {
  const box = n => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const seen = n => getComputedStyle(n).visibility !== "hidden" && getComputedStyle(n).display !== "none"
    && n.getBoundingClientRect().width > 0;
  const pick = sel => Array.from(document.querySelectorAll(sel)).filter(seen).map(n => ({text: n.textContent, box: box(n)}));
  const map = document.querySelector('.folium-map');
  return {
    notes: pick('.geo-note'),
    labels: pick('.geo-label:not(.geo-note), .geo-town-dot'),
    controls: pick('.leaflet-control, .geo-time, .geo-empty'),
    leaders: pick('.geo-note-leader').length + Array.from(document.querySelectorAll('.geo-note-leader'))
      .filter(n => getComputedStyle(n).visibility !== 'hidden' && parseFloat(n.style.width) > 0).length,
    map: box(map),
  };
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_callout_clear_of_labels_and_controls_with_a_leader(browser, story, width, height) -> None:
    rec = _open(browser, story, width, height)
    page = rec.page
    (note,) = page.evaluate("conflictMap.annotations()")
    assert note["text"] == "16 Mar 2026 —\nKabul: 408 killed" and note["shown"], note
    found = page.evaluate(BOXES)
    (box,) = [n["box"] for n in found["notes"]]
    assert len(found["labels"]) > 3
    for other in found["labels"] + found["controls"]:
        assert not _overlap(box, other["box"]), other["text"][:40]
    m = found["map"]
    assert m[0] <= box[0] and m[1] <= box[1] and box[2] <= m[2] and box[3] <= m[3]
    assert found["leaders"] >= 1
    # next to Kabul: the leader's end, the event's centre, is near the box
    assert page.locator(".folium-map").get_attribute("data-geo-notes") == "1"
    assert rec.real_errors() == []
    rec.page.close()


def test_callout_follows_the_date_range(browser, story) -> None:
    rec = _open(browser, story, 1400, 900)
    page = rec.page
    live = page.locator(".geo-notes-live")
    assert "Kabul: 408 killed" in live.text_content()
    page.evaluate("conflictMap.setDateRange('2025-01-01', '2025-12-31')")
    # the names and callouts are placed again once filter changes pause (page.js)
    page.wait_for_function("() => !conflictMap.annotations()[0].shown")
    (note,) = page.evaluate("conflictMap.annotations()")
    assert not note["shown"]
    assert page.evaluate(BOXES)["notes"] == []
    assert (
        page.locator(".geo-note-leader").evaluate("n => getComputedStyle(n).visibility") == "hidden"
    )
    assert live.text_content() == ""
    page.evaluate("conflictMap.setDateRange('2026-03-01', '2026-03-31')")
    page.wait_for_function("() => conflictMap.annotations()[0].shown")
    (note,) = page.evaluate("conflictMap.annotations()")
    assert note["shown"] and len(page.evaluate(BOXES)["notes"]) == 1
    assert "Kabul: 408 killed" in live.text_content()
    # a type switched off hides it too
    page.evaluate("conflictMap.setLayerVisible('Explosions/Remote violence', false)")
    page.wait_for_function("() => !conflictMap.annotations()[0].shown")
    assert not page.evaluate("conflictMap.annotations()")[0]["shown"]
    assert rec.real_errors() == []
    page.close()


def test_callout_prints(browser, story) -> None:
    rec = _open(browser, story, 1400, 900)
    page = rec.page
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(300)
    (note,) = page.evaluate("conflictMap.annotations()")
    assert note["shown"], note
    found = page.evaluate(BOXES)
    (box,) = [n["box"] for n in found["notes"]]
    for other in found["labels"]:
        assert not _overlap(box, other["box"]), other["text"]
    assert rec.real_errors() == []
    page.close()


def test_note_follows_its_window(browser, tmp_path) -> None:
    out = tmp_path / "note.html"
    note = "71.1,34.1,2026-03-01..2026-03-31=Torkham shut in March@s"
    assert main(["build", "--note", note, "--out", str(out)]) == 0
    rec = _open(browser, out, 1400, 900)
    page = rec.page

    def shown() -> bool:
        (n,) = page.evaluate("conflictMap.annotations()")
        assert n["text"] == "Torkham shut in March" and n["event"] is None
        return bool(n["shown"])

    assert shown()
    assert (
        page.locator(".geo-note-point").evaluate("n => getComputedStyle(n).visibility") == "visible"
    )
    page.evaluate("conflictMap.setDateRange('2025-01-01', '2026-02-28')")
    # the names and callouts are placed again once filter changes pause (page.js)
    page.wait_for_function("() => !conflictMap.annotations()[0].shown")
    assert not shown()
    assert (
        page.locator(".geo-note-point").evaluate("n => getComputedStyle(n).visibility") == "hidden"
    )
    page.evaluate("conflictMap.setDateRange('2026-03-31', '2026-04-30')")
    page.wait_for_function("() => conflictMap.annotations()[0].shown")
    assert shown()
    assert rec.real_errors() == []
    page.close()
