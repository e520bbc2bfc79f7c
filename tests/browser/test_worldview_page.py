"""Disputed Kashmir in the browser (geo/worldview.py): the Line of Control is drawn dashed,
the boundary India's maps show solid, and the names and caption are shown as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.cli import main
from geo.worldview import WORLDVIEWS

pytestmark = pytest.mark.browser

#: The stroke-dasharray of every vector path in the overlay pane, and the legend's lines.
PATHS = """() => [...document.querySelectorAll('.leaflet-overlay-pane path')]
  .map(p => [p.getAttribute('stroke-dasharray'), p.getAttribute('stroke')])"""
LEGEND = """() => [...document.querySelectorAll('.geo-legend svg line')]
  .map(l => l.getAttribute('stroke-dasharray'))"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("worldview")
    out = {}
    for view in ("neutral", "india"):
        out[view] = folder / f"{view}.html"
        args = ["build", "--out", str(out[view]), "-q", "--worldview", view,
                "--extent", "69,31.5,78.5,37.5"]  # fmt: skip
        assert main(args) == 0
    return out


def test_the_line_of_control_is_drawn_dashed(open_map, pages) -> None:
    rec = open_map(pages["neutral"])
    paths = rec.page.evaluate(PATHS)
    assert ["6 4", "#333333"] in paths  # the Line of Control, the Line of Actual Control
    assert [d for d in rec.page.evaluate(LEGEND) if d] == ["4 2.5"]  # their one legend line
    body = rec.page.evaluate("() => document.body.textContent")
    assert WORLDVIEWS["neutral"].caption in body
    assert WORLDVIEWS["neutral"].china_caption in body
    assert WORLDVIEWS["neutral"].lines_label in body
    assert not rec.real_errors()


def test_india_draws_the_claimed_boundary_solid_and_no_line_of_control(open_map, pages) -> None:
    rec = open_map(pages["india"])
    paths = rec.page.evaluate(PATHS)
    assert ["6 4", "#333333"] not in paths
    assert [None, "#333333"] in paths  # the boundary India's official maps draw
    assert not [d for d in rec.page.evaluate(LEGEND) if d]
    body = rec.page.evaluate("() => document.body.textContent")
    assert WORLDVIEWS["india"].caption in body
    assert WORLDVIEWS["india"].china_caption in body
    assert not rec.real_errors()
