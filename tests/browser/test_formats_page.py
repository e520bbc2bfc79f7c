"""Maps built from ACLED and UCDP GED exports: what each format carries shows in the popup.

Issue 13: ACLED popups show associated actors and civilian targeting and no injuries row
(ACLED has no injury field); UCDP popups list the coded articles, give the precision as the
GED codebook defines it, and break the deaths down by party.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.cli import main

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[1] / "data"


def _build(tmp_path_factory: pytest.TempPathFactory, export: str) -> Path:
    out = tmp_path_factory.mktemp("formats") / "map.html"
    assert main(["build", "--events", str(DATA / export), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def acled_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "acled_export.csv")


@pytest.fixture(scope="module")
def ucdp_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "ucdp_ged_export.csv")


def _popup(page, event_id: str):
    assert page.evaluate("id => conflictMap.openPopup(id)", event_id) is True
    # the previous popup may still be fading out: pick this event's
    popup = page.locator(f'.leaflet-popup-content .geo-popup[data-event-id="{event_id}"]')
    popup.wait_for()
    rows = popup.locator("tr").evaluate_all(
        "trs => trs.map(tr => [tr.querySelector('th').textContent, tr.querySelector('td').textContent])"
    )
    return popup, dict(rows)


def test_acled_popup_shows_associated_actors_and_civilian_targeting(open_map, acled_map) -> None:
    page = open_map(acled_map).page
    popup, rows = _popup(page, "AFG0003")
    assert rows["Actors"] == (
        "Military Forces of Afghanistan (2021-) Taliban (with TTP: Tehrik-i-Taliban Pakistan)"
        " vs. Military Forces of Pakistan (2022-) (with Frontier Corps)"
    )
    assert rows["Interaction"] == "State forces-External/Other forces"  # from inter1/inter2 codes
    assert rows["Disorder"] == "Political violence"
    assert "Targeting" not in rows  # not a civilian-targeting event
    assert "Injured" not in rows and "Injured" not in popup.inner_text()
    assert popup.locator(".geo-source-scale").inner_text() == "Source scale: National-Regional"

    popup, rows = _popup(page, "AFG0001")
    assert rows["Targeting"] == "Civilians were the target (civilian targeting)"
    assert rows["Interaction"] == "State forces-Civilians"
    assert rows["Place"].startswith(
        "Spera district (villages incl. Mir Sapar, Mandata, Pasa Mela, Afghan-Dubai), Mir Sapar, Spera, Khost"
    )
    assert rows["Killed"] == "41"
    assert "Injured" not in rows and "Deaths by party" not in rows
    assert "Conflict" not in rows and "Dyad" not in rows  # UCDP's fields: nothing shown


def test_ucdp_popup_lists_articles_precision_and_deaths_by_party(open_map, ucdp_map) -> None:
    page = open_map(ucdp_map).page
    popup, rows = _popup(page, "UCDP-900001")
    sources = popup.locator(".geo-sources li").all_inner_texts()
    assert sources == [
        "ThePrint: Brothers in arms: the Taliban's complicated relationship with Pakistan, 2026-03-17",
        "Agence France Presse: Death toll in Pakistan strikes rises to 47, 2022-04-17",
    ]
    assert rows["Conflict"] == "Pakistan: TTP"
    assert rows["Dyad"] == "Government of Pakistan - TTP"
    assert (
        rows["Deaths by party"] == "side A 0 \u00b7 side B 3 \u00b7 civilians 36 \u00b7 unknown 2"
    )
    assert rows["Killed"] == "41 (range 40\u201341)"
    assert rows["Place"].endswith("(district precision)")  # where_prec 3: the district
    assert "Injured" not in rows  # GED has no injury figures either
    assert "Actors" in rows and "Interaction" not in rows and "Targeting" not in rows

    _, rows = _popup(page, "UCDP-900003")
    # where_prec 2 (within about 25 km) is a stand-in, not the exact place
    assert rows["Place"].endswith("(district precision)")
    # date_prec 3 (within a week): the span GED gives, not one invented day
    assert rows["Date"] == "25 Dec 2024 \u2013 28 Dec 2024"
    assert rows["Deaths by party"] == "side A 1 \u00b7 side B 0 \u00b7 civilians 0 \u00b7 unknown 0"

    _, rows = _popup(page, "UCDP-900004")
    assert rows["Place"].endswith("(exact place)")  # where_prec 1
    _, rows = _popup(page, "UCDP-900002")
    assert "Deaths by party" not in rows  # no breakdown in the export: nothing shown
