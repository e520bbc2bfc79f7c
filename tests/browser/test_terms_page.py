"""The source terms in the page (geo.terms, geo.methods): the "Sources and methods" panel,
the print caption's credit and date, and the row download off for ACLED unless allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.cli import main

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[1] / "data"
ACLED = DATA / "acled_export.csv"


def _build(folder: Path, *args: str) -> Path:
    out = folder / "map.html"
    assert main(["build", *args, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def acled_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("acled")
    return _build(folder, "--events", str(ACLED), "--accessed", "2026-03-01")


@pytest.fixture(scope="module")
def allowed_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("allowed"), "--events", str(ACLED), "--allow-download")


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file naming a dataset the tool does not know, with markup in its name."""
    folder = tmp_path_factory.mktemp("hostile")
    text = (DATA / "context" / "events.geojson").read_text(encoding="utf-8")
    name = '<img src=x onerror="window.__pwned=1">Wire</script>'
    events = folder / "events.geojson"
    import json

    doc = json.loads(text)
    for feature in doc["features"]:
        feature["properties"]["dataset"] = name
    events.write_text(json.dumps(doc), encoding="utf-8")
    return _build(folder, "--events", str(events))


def test_an_acled_page_offers_no_row_download(open_map, acled_map) -> None:
    rec = open_map(acled_map)
    page = rec.page
    assert page.locator(".geo-download-toggle").count() == 0
    assert page.get_by_role("button", name="Download the events shown").count() == 0
    message = page.evaluate(
        "() => { try { conflictMap.exportData('csv'); return 'no error'; } catch (e) { return e.message; } }"
    )
    assert message.startswith("row download is off for this page")
    assert rec.real_errors() == []


def test_allow_download_gives_the_control_back(open_map, allowed_map) -> None:
    page = open_map(allowed_map).page
    assert page.get_by_role("button", name="Download the events shown").count() == 1
    text = page.evaluate("conflictMap.exportData('csv').text")
    assert text.splitlines()[0].startswith("event_id,date_start,date_end")
    assert "AFG0001" in text


def test_sources_and_methods_open_from_the_source_line(open_map, acled_map) -> None:
    page = open_map(acled_map).page
    panel = page.locator("#geo-methods")
    assert panel.is_hidden()
    link = page.locator(".leaflet-control-attribution .geo-methods-link")
    assert link.inner_text() == "Sources and methods"
    link.click()
    assert panel.is_visible()
    text = panel.inner_text()
    assert (
        "ACLED (Armed Conflict Location & Event Data), acleddata.com, accessed 1 Mar 2026" in text
    )
    assert "Derived by geo: distance to the Durand Line" in text
    assert "Row download: off (ACLED Terms of Use and Attribution Policy)" in text
    assert "Not legal advice" in text
    href = panel.locator("a").first.get_attribute("href")
    assert href == "https://epo.acleddata.com/terms-of-use-and-attribution-policy"
    panel.get_by_role("button", name="Close sources and methods").click()
    assert panel.is_hidden()
    assert page.evaluate("conflictMap.methods().open") is False


def test_the_print_caption_credits_acled_with_its_date(open_map, acled_map) -> None:
    page = open_map(acled_map).page
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    caption = page.locator(".geo-print-caption")
    assert caption.is_visible()
    text = caption.inner_text()
    assert (
        "Data: ACLED (Armed Conflict Location & Event Data), acleddata.com, accessed 1 Mar 2026"
        in text
    )
    assert "Filters: none" in text and "Row download: off" in text
    credits = page.locator(".geo-print-credits").inner_text()
    assert "Sources and methods" not in credits and "ACLED" in credits


def test_a_hostile_dataset_name_is_shown_as_text(open_map, hostile_map) -> None:
    rec = open_map(hostile_map)
    page = rec.page
    page.locator(".geo-methods-link").click()
    text = page.locator("#geo-methods").inner_text()
    assert 'Data: <img src=x onerror="window.__pwned=1">Wire</script>' in text
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#geo-methods img").count() == 0
    assert rec.real_errors() == []
