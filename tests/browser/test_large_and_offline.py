"""Pages that take the other code paths: compressed data with dense drawing, and offline."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.cli import main

pytestmark = pytest.mark.browser
N = 20_000  # past the 512 KB inline limit and the 15,000-in-view dense threshold


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    rng = np.random.default_rng(7)
    start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 730, N), unit="D")
    table = pd.DataFrame(
        {
            "event_id": [f"E{i:05d}" for i in range(N)],
            "date_start": start.strftime("%Y-%m-%d"),
            "date_end": (start + pd.to_timedelta(rng.integers(0, 3, N), unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "event_type": rng.choice(["Battles", "Explosions/Remote violence", "Protests"], N),
            "latitude": rng.uniform(32.0, 35.0, N).round(5),  # eastern Afghanistan
            "longitude": rng.uniform(66.0, 69.5, N).round(5),
            "fatalities_best": rng.integers(0, 20, N),
            "summary": "Synthetic event",
            "source_name": "Test",
            "source_url": "https://example.org/e",
        }
    )
    path = tmp_path_factory.mktemp("big") / "events.csv"
    table.to_csv(path, index=False)
    return path, table


@pytest.fixture(scope="module")
def big_map(big_csv, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bigmap") / "big.html"
    assert main(["build", "--events", str(big_csv[0]), "--out", str(out)]) == 0
    return out


def test_large_builds_are_byte_identical(big_csv, big_map, tmp_path) -> None:
    again = tmp_path / "again.html"
    assert main(["build", "--events", str(big_csv[0]), "--out", str(again)]) == 0
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (big_map, again)]
    assert digest[0] == digest[1]
    # the events travel compressed: no event id appears as text in the page
    assert "E12345" not in big_map.read_text(encoding="utf-8")


def test_compressed_events_filter_and_open_in_dense_mode(open_map, big_map, big_csv) -> None:
    rec = open_map(big_map)
    page = rec.page
    table = big_csv[1]
    assert page.evaluate("conflictMap.events().length") == N
    # 20,000 in view: hexagons instead of points, with their legend; points one click away
    shown = page.evaluate("conflictMap.display()")
    assert shown["hexbin"] is True and shown["points"] is False and shown["auto"] is True
    assert page.locator(".geo-density").is_visible()
    assert page.get_by_role("button", name="Show points").is_visible()
    page.evaluate("conflictMap.setDateRange('2022-03-01', '2022-03-31')")
    expected = set(
        table.loc[
            (table["date_start"] <= "2022-03-31") & (table["date_end"] >= "2022-03-01"), "event_id"
        ]
    )
    assert set(page.evaluate("conflictMap.visibleEventIds()")) == expected
    shown = page.evaluate("conflictMap.display()")  # ~800 in view: circles again
    assert shown["points"] is True and shown["hexbin"] is False and shown["dense"] is False
    assert not page.locator(".geo-density").is_visible()
    some = sorted(expected)[0]
    assert page.evaluate("id => conflictMap.openPopup(id)", some) is True
    assert some in page.locator(".geo-popup").inner_text()
    assert [e for e in rec.errors if "ERR_FAILED" not in e and "Failed to load" not in e] == []


def test_self_contained_page_needs_no_network(browser, tmp_path) -> None:
    from geo._browser import READY

    out = tmp_path / "offline.html"
    assert main(["build", "--self-contained", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net/npm/leaflet" not in html
    page = browser.new_page()
    requested: list[str] = []

    def refuse(route) -> None:  # nothing may leave the file: not even Leaflet is served here
        if not route.request.url.startswith(("file:", "data:")):
            requested.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", refuse)
    page.goto(out.as_uri())
    page.wait_for_function(READY, timeout=20000)
    shipped = Path(__file__).resolve().parents[2] / "data" / "events.geojson"
    assert page.evaluate("conflictMap.events().length") == shipped.read_text(
        encoding="utf-8"
    ).count('"type": "Feature"')
    assert requested and all(
        "tile" in u or "arcgisonline" in u for u in requested
    )  # only map tiles
    page.close()


def test_a_browser_that_cannot_inflate_says_so(browser, big_map) -> None:
    from geo._browser import PageRecorder

    page = browser.new_page()
    rec = PageRecorder(page)
    page.add_init_script("delete window.DecompressionStream")
    page.goto(big_map.as_uri())
    page.wait_for_function(
        "document.documentElement.dataset.conflictMap === 'error'", timeout=20000
    )
    alert = page.get_by_role("alert")
    assert "could not be unpacked in this browser" in alert.inner_text()
    assert any("DecompressionStream" in e for e in rec.errors)  # the cause reaches the console
    page.close()
