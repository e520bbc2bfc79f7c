"""The batch index page in Chromium, offline: it loads, its images show, its links open."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import _browser
from geo.cli import main

CONTEXT = Path(__file__).resolve().parents[1] / "data" / "context"


@pytest.fixture
def yearly(monkeypatch, tmp_path) -> Path:
    monkeypatch.setenv("GEO_DATA_DIR", str(CONTEXT))
    out = tmp_path / "yearly"
    assert main(["batch", "--period", "year", "--format", "html,svg", "--out-dir", str(out)]) == 0
    return out


def test_index_works_offline_and_every_link_opens(browser, yearly) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    rec = _browser.PageRecorder(page)  # records console errors; refuses every network request
    page.goto((yearly / "index.html").as_uri(), wait_until="load")
    assert page.title().startswith("Durand Line conflict map")
    images = page.eval_on_selector_all(
        "img.thumb", "els => els.map(e => [e.complete, e.naturalWidth])"
    )
    assert images and all(done and width > 0 for done, width in images)
    hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith("file:") for h in hrefs)
    for href in sorted(set(hrefs)):
        target = browser.new_page()
        _browser.PageRecorder(target)
        response = target.goto(href, wait_until="load")
        assert response is None or response.ok, href
        target.close()
    assert rec.errors == [] and rec.aborted == [] and rec.dialogs == []
    page.close()


def test_period_page_navigation_reaches_the_index(browser, yearly) -> None:
    first = sorted(p for p in yearly.glob("*.html") if p.name != "index.html")[0]
    rec = _browser.open_map(browser, first)
    rec.page.click("nav.geo-period-nav a[href='./index.html']")
    rec.page.wait_for_url("**/index.html")
    assert rec.page.locator("h1").inner_text() == "Durand Line conflict map"
    assert [e for e in rec.errors if "ERR_FAILED" not in e] == []
    rec.page.close()


def test_index_fits_a_phone_and_keeps_its_axis_labels(browser, yearly) -> None:
    """Issue 20: the index laid out 635 px wide on a 390 px phone and cut its last year."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    _browser.PageRecorder(page)
    page.goto((yearly / "index.html").as_uri(), wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    inside = page.evaluate(
        """() => { const svg = document.querySelector('svg.chart').getBoundingClientRect();
        return [...document.querySelectorAll('svg.chart text')].map(t => {
          const r = t.getBoundingClientRect(); return r.left >= svg.left - 0.5 && r.right <= svg.right + 0.5; }); }"""
    )
    assert inside and all(inside)
    years = page.eval_on_selector_all("tbody th", "els => els.map(e => e.textContent)")
    assert years[0] > years[-1]  # the latest first
    page.close()
