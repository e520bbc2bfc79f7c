"""The change map's page in Chromium: each kind drawn and counted, popups say what changed,
hostile text stays text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo import diff
from geo.events import read_events
from geo.render.change_style import CHANGE_STYLES

DATA = Path(__file__).resolve().parents[1] / "data"
HOSTILE = '</script><img src=x onerror="alert(1)"> {{ 7*7 }} {% if 1 %}'


def hostile_diff() -> tuple[diff.Diff, Any, Any]:
    """The ACLED fixture, then: one event added, one removed, a toll up, a place renamed
    to hostile text (tests/render/test_change_page.py builds the same)."""
    import pandas as pd

    old = read_events(DATA / "acled_export.csv").events
    new = old.copy()
    new.loc[0, "fatalities_best"] = (new.loc[0, "fatalities_best"] or 0) + 4
    new.loc[2, "location"] = HOSTILE
    added = old.iloc[[1]].copy()
    added["event_id"], added["location"] = "PAK9999", HOSTILE
    new = pd.concat([new.drop(index=3), added], ignore_index=True)
    return diff.compare(old, new, old_name="old", new_name="new"), old, new


@pytest.fixture
def change_page_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, context_dir: Path) -> Path:
    monkeypatch.setenv("GEO_DATA_DIR", str(context_dir))
    d, old, new = hostile_diff()
    return diff.write_change_map(d, old, new, tmp_path / "changes.html", credits=[HOSTILE])  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [(1400, 900), (390, 844)])
def test_each_kind_is_drawn_and_counted(
    browser: Any, change_page_file: Path, size: tuple[int, int]
) -> None:
    from geo import _browser

    rec = _browser.open_map(browser, change_page_file, width=size[0], height=size[1])
    page = rec.page
    drawn = page.evaluate(
        """() => {
            const out = {};
            document.querySelectorAll('.geo-changes-marker').forEach(m => {
                out[m.dataset.kind] = (out[m.dataset.kind] || 0) + 1;
            });
            return out;
        }"""
    )
    assert drawn == {"added": 1, "changed": 2, "removed": 1}
    legend = page.evaluate(
        """() => Array.from(document.querySelectorAll('.geo-changes-row')).map(
            r => [r.dataset.kind, r.textContent])"""
    )
    assert legend == [
        ["added", "Added (1)"],
        ["changed", "Revised (2)"],
        ["removed", "Removed (1)"],
    ]
    assert list(CHANGE_STYLES) == [k for k, _ in legend]
    # each marker's shape and colour is the style table's
    fills = page.evaluate(
        """() => Array.from(document.querySelectorAll('.geo-changes-marker')).map(
            m => [m.dataset.kind, m.querySelector('path').getAttribute('fill')])"""
    )
    assert all(fill == CHANGE_STYLES[kind]["face"] for kind, fill in fills)
    title = page.locator(".geo-changes-title h1").inner_text()
    assert title.startswith("Since ") and title.endswith(
        "death toll revised, 1 other event corrected"
    )
    assert page.locator(".geo-changes-credits").inner_text().endswith(HOSTILE)
    # the markers and the legend lie inside the window
    for selector in (".geo-changes-legend", ".geo-changes-title"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size[0]
    assert rec.real_errors() == [] and rec.dialogs == []


def _popup(page: Any, kind: str, ident: str) -> str:
    """Click the marker of ``ident`` and return its popup's text."""
    page.locator(f'.leaflet-marker-icon[title="{kind}: {ident}"]').dispatch_event("click")
    popup = page.locator(".geo-changes-popup", has_text=ident)
    popup.wait_for()
    return str(popup.inner_text())


def test_popups_say_what_changed_as_text(browser: Any, change_page_file: Path) -> None:
    from geo import _browser

    rec = _browser.open_map(browser, change_page_file, width=1400, height=900)
    page = rec.page
    text = _popup(page, "Revised", "AFG0003")
    assert text.startswith("Revised") and "location: " in text
    assert 'onerror="alert(1)"' in text and "{{ 7*7 }}" in text  # shown, not run
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    toll = _popup(page, "Revised", "AFG0001")
    assert "death toll (best): " in toll and "\u2192" in toll
    assert "where it was before its removal" in _popup(page, "Removed", "AFG0004")
    assert "Sources: " in _popup(page, "Added", "PAK9999")
    assert rec.real_errors() == [] and rec.dialogs == []
