"""No English left in the Pashto, Dari and Urdu pages (issue 24), and dates typed in both
calendars.

In each edition, in the page's main states (first view, legend, a popup, the event list, the
sources-and-methods panel, the time control playing, the filters, the download menu, the
layer control), no text the page itself writes holds a Latin letter, nor does a control's
tooltip, screen-reader name or placeholder. What may stay Latin is explicit:

- the events' own data, as the data write it: their popup cells, summaries, sources and ids
  (``edition.js``'s OWN_TEXT), the event list's place and type, and the values the filters
  offer (actors, sub-event types, provinces) and ACLED's event types, which are the data's
  vocabulary (:data:`geo.schema.EVENT_TYPES`), not the page's;
- the sources' own words: their names, credits, quoted clauses and the places of their terms
  (:data:`geo.terms.TERMS`), and the map tiles' attribution;
- the place names of the map's labels (``.geo-label``): the edition's script for them is a
  part of the issue of its own (OSM ``name:ps``…), not yet done;
- NAMES: proper names and unit symbols the editions keep in Latin letters.

The typed dates: in the Pashto and Dari pages a year before 1700 is a Solar Hijri year, in
either digits, and gives the same range and caption as the same day typed in the Gregorian
calendar; a hostile typed string is refused on the date fields' error line, as text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from geo import _browser
from geo.cli import main
from geo.i18n import translate
from geo.schema import EVENT_TYPES
from geo.terms import TERMS

pytestmark = pytest.mark.browser
LANGS = ("ps", "fa-AF", "ur")
EVENT = "DL-20260316-KABUL"
_EASTERN = str.maketrans(
    "0123456789", "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"
)
DIGITS = {"ps": _EASTERN, "fa-AF": _EASTERN, "ur": str.maketrans("", "")}
#: Latin words an edition keeps, each a name or a symbol: the base maps' providers and the
#: formats of the download menu and the image are names; km and mi are the scale bar's
#: unit symbols (Leaflet's scale control, which has no translation hook).
NAMES = ("OpenStreetMap", "Esri", "CSV", "GeoJSON", "PNG", "km", "mi", "geo")  # geo: the tool
#: The events' own text and the credits (edition.js's OWN_TEXT), and the place labels.
OWN = (
    ".geo-popup td, .geo-popup h3, .geo-summary, .geo-sources, .geo-event-id, script, style, "
    "input, textarea, .leaflet-control-attribution, .geo-label"
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("edition-text")
    out = {}
    for lang in LANGS:
        out[lang] = d / f"{lang}.html"
        assert main(["build", "--lang", lang, "--out", str(out[lang])]) == 0
    return out


def _sources_own() -> list[str]:
    out = []
    for terms in TERMS.values():
        out += [terms.name, terms.credit, terms.clause, terms.where]
    return [s for s in out if s]


# The Latin text of the page's own words: every visible text node outside OWN, and the
# title/aria-label/placeholder of every element outside OWN (an input's words too: only its
# value is the reader's), once the own strings and NAMES are taken out.
_LATIN = r"""([own, names, ownSel]) => {
  const strip = (text) => {
    let s = text;
    own.forEach(o => { s = s.split(o).join(" "); });
    names.forEach(n => { s = s.replace(new RegExp("\\b" + n + "\\b", "g"), " "); });
    return /[A-Za-z]/.test(s) ? text : null;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest(ownSel) || p.closest("[hidden]")) { continue; }
    const s = getComputedStyle(p), r = p.getBoundingClientRect();
    if (s.display === "none" || s.visibility === "hidden" || (r.width === 0 && r.height === 0)) { continue; }
    let text = n.nodeValue;
    // an entry of the event list: its date and its killed are the page's, between them the
    // event's own place and type
    if (p.closest(".geo-list li")) {
      const parts = text.split(" \u00b7 ");
      text = parts.length > 2 ? parts[0] + " \u00b7 " + parts[parts.length - 1] : text;
    }
    const bad = strip(text);
    if (bad) { out.push(bad.trim()); }
  }
  document.querySelectorAll("[title], [aria-label], [placeholder]").forEach(el => {
    if (el.closest(ownSel.replace("input, textarea, ", ""))) { return; }
    ["title", "aria-label", "placeholder"].forEach(a => {
      const v = el.getAttribute(a);
      const bad = v && strip(v);
      if (bad) { out.push("@" + a + " " + bad); }
    });
  });
  return [...new Set(out)];
}"""


def _click(page: Any, selector: str) -> None:
    page.evaluate("(s) => { document.querySelector(s).click(); }", selector)
    page.wait_for_timeout(250)


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_in_an_edition_page(browser, pages, lang) -> None:
    rec = _browser.open_map(browser, pages[lang], width=1400, height=900)
    page = rec.page
    try:
        values = page.evaluate("() => conflictMap.filterValues()")
        own = [*values["actors"], *values["subEventTypes"], *values["provinces"]]
        own += [*EVENT_TYPES, *(s for subs in EVENT_TYPES.values() for s in subs)]
        own += _sources_own()
        # edition.js writes the page's text in the edition's digits, data in it included
        own += [o.translate(DIGITS[lang]) for o in own]
        own.sort(key=len, reverse=True)  # a long name before the shorter one inside it
        found: dict[str, list[str]] = {}

        def look(state: str) -> None:
            found[state] = page.evaluate(_LATIN, [own, list(NAMES), OWN])

        look("first view")
        if (
            page.evaluate(
                "() => document.querySelector('.geo-legend-toggle').getAttribute('aria-expanded')"
            )
            != "true"
        ):
            _click(page, ".geo-legend-toggle")
        assert (
            page.evaluate(
                "() => document.querySelector('.geo-legend-toggle').getAttribute('aria-expanded')"
            )
            == "true"
        )
        look("legend open")
        assert page.evaluate(f"() => conflictMap.openPopup('{EVENT}')") is True
        page.locator(".leaflet-popup-content .geo-popup").wait_for()
        look("popup")
        page.evaluate("() => { conflictMap.map.closePopup(); }")
        _click(page, ".geo-list-toggle")
        assert page.locator(".geo-list li").count() > 0
        look("event list")
        _click(page, ".geo-list-toggle")
        _click(page, ".geo-methods-link")
        assert page.evaluate("() => conflictMap.methods().open") is True
        look("sources and methods")
        _click(page, ".geo-methods-close")
        _click(page, ".geo-filter-toggle")
        look("filters")
        _click(page, ".geo-filter-toggle")
        _click(page, ".geo-download-toggle")
        look("download menu")
        _click(page, ".geo-download-toggle")
        page.evaluate(
            "() => { document.querySelector('.leaflet-control-layers').classList.add('leaflet-control-layers-expanded'); }"
        )
        look("layer control")
        _click(page, ".geo-play")
        page.wait_for_timeout(1200)
        assert page.evaluate("() => document.querySelector('.geo-play').textContent").startswith(
            "\u275a\u275a"
        )
        look("playing")
        _click(page, ".geo-play")
        left = {state: texts for state, texts in found.items() if texts}
        assert left == {}, left
        assert rec.real_errors() == []
    finally:
        page.close()


def test_the_check_sees_english(browser, pages) -> None:
    # the rule above finds an English word the page writes, and lets the events' own be
    rec = _browser.open_map(browser, pages["ps"], width=1400, height=900)
    page = rec.page
    try:
        page.evaluate("""() => {
          const p = document.createElement("p"); p.className = "probe-ui";
          p.appendChild(document.createTextNode("\u0628 Shown on the map"));
          document.body.appendChild(p);
        }""")
        page.wait_for_timeout(100)
        own = [*EVENT_TYPES]
        assert "\u0628 Shown on the map" in page.evaluate(_LATIN, [own, list(NAMES), OWN])
        page.evaluate(
            "() => { document.querySelector('.probe-ui').textContent = 'Battles (3) km'; }"
        )
        page.wait_for_timeout(100)
        assert page.evaluate(_LATIN, [own, list(NAMES), OWN]) == []
    finally:
        page.close()


# ---------- typed dates ----------

# (the page's text is said in the edition by a MutationObserver: read it a moment later)
_TYPE = """async ([a, b]) => {
  const f = document.querySelectorAll('.geo-date input[type=text]');
  f[0].value = a; f[1].value = b;
  f[1].dispatchEvent(new Event('change'));
  await new Promise(r => setTimeout(r, 50));
  return [conflictMap.dateRange(), document.querySelector('.geo-caption').textContent,
    document.querySelector('.geo-date-error').hidden ? null : document.querySelector('.geo-date-error').textContent];
}"""

SAME_DAYS = [
    # Solar Hijri typed, in Latin and in Eastern Arabic-Indic digits, and the Gregorian days
    (("1403-10-08", "1403-10-08"), ("2024-12-28", "2024-12-28")),
    (
        (
            "\u06f1\u06f4\u06f0\u06f3-\u06f1\u06f0-\u06f0\u06f8",
            "\u06f1\u06f4\u06f0\u06f4/\u06f1/\u06f1",
        ),
        ("2024-12-28", "2025-03-21"),
    ),
    (("1403", "1403"), ("2024-03-20", "2025-03-20")),  # a whole Solar Hijri year
    (("1403-12", "1403-12"), ("2025-02-19", "2025-03-20")),  # Hut 1403: 30 days (leap year)
    (("1402-12-29", "1402-12-29"), ("2024-03-19", "2024-03-19")),  # Hut 1402: 29 days
    (("\u06f2\u06f0\u06f2\u06f5-\u06f1\u06f0", "2025-10"), ("2025-10-01", "2025-10-31")),
]


@pytest.mark.parametrize("lang", ["ps", "fa-AF"])
def test_a_solar_hijri_date_and_its_gregorian_day_give_the_same_range(browser, pages, lang) -> None:
    rec = _browser.open_map(browser, pages[lang], width=1400, height=900)
    page = rec.page
    try:
        for solar, gregorian in SAME_DAYS:
            got = page.evaluate(_TYPE, list(solar))
            want = page.evaluate(_TYPE, list(gregorian))
            assert got[2] is None and want[2] is None, (solar, got, want)
            assert got[0] == list(gregorian), (solar, got)
            assert got[1] == want[1], (solar, got[1], want[1])
        # the rule is said on the date fields, in the edition's words and digits
        title = page.evaluate("() => document.querySelector('.geo-date input[type=text]').title")
        assert title == translate(HINT, lang).translate(_EASTERN)
        assert "\u06f1\u06f7\u06f0\u06f0" in title  # 1700
        assert rec.real_errors() == []
    finally:
        page.close()


BAD_DAYS = [
    ("1403-12-31", "{text} is not a day of the calendar", {}),  # Hut has 29 or 30 days
    ("1403-13-01", "No month {month} in {text}", {"month": 13}),
    # a year before 1700 is Solar Hijri: 1650 is none of the years the page carries
    (
        "1650-01-01",
        "{text} is outside the Solar Hijri years this page knows ({first} to {last})",
        {"first": 1250, "last": 1499},
    ),
    ("2025-02-30", "{text} is not a day of the calendar", {}),
    ("2025/1O/01", "{text} is not a date. {hint}", {}),
]


@pytest.mark.parametrize(("typed", "msgid", "values"), BAD_DAYS)
def test_a_date_that_is_no_day_is_refused(browser, pages, typed, msgid, values) -> None:
    rec = _browser.open_map(browser, pages["fa-AF"], width=1400, height=900)
    page = rec.page
    try:
        before = page.evaluate("() => conflictMap.dateRange()")
        got = page.evaluate(_TYPE, [typed, "2026-03-16"])
        assert got[0] == before
        hint = translate(HINT, "fa-AF")
        said = translate(msgid, "fa-AF", text=json.dumps(typed), hint=hint, **values)
        assert got[2] == (translate("Start date", "fa-AF") + ": " + said).translate(_EASTERN)
    finally:
        page.close()


HINT = (
    "Type a date as year-month-day: a year before 1700 is a Solar Hijri date (1403-10-08), "
    "a later year a Gregorian date (2024-12-28)."
)


@pytest.mark.parametrize("lang", LANGS)
def test_a_hostile_typed_date_is_refused_as_text(browser, pages, lang) -> None:
    rec = _browser.open_map(browser, pages[lang], width=1400, height=900)
    page = rec.page
    pwned = "window.__pwned = true"
    hostile = f'<img src=x onerror="{pwned}"><script>{pwned}</script>{{hint}}'
    try:
        before = page.evaluate("() => conflictMap.dateRange()")
        got = page.evaluate(_TYPE, [hostile, "2026-03-16"])
        page.wait_for_timeout(200)
        assert got[0] == before  # refused: the range did not change
        assert page.evaluate("() => window.__pwned === undefined")
        assert page.locator(".geo-date-error img, .geo-date-error script").count() == 0
        error = got[2]
        assert error is not None
        # the typed text is shown as written (a placeholder in it is not filled), and the
        # error says the edition's rule in its words
        assert json.dumps(hostile) in error, error
        assert translate("Start date", lang) in error
        assert (
            page.evaluate(
                "() => document.querySelector('.geo-date input[type=text]').getAttribute('aria-invalid')"
            )
            == "true"
        )
    finally:
        page.close()


#: The words popup.js joins to an event's values in its cells (the values are the event's).
POPUP_WORDS = (
    "precision",
    "exact place",
    "km from the Durand Line",
    "(range ",
    " vs. ",
    "(with ",
    "side A",
    "side B",
    "outside both countries",
)

_POPUP_CELLS = """async () => {
  const out = [];
  for (const id of conflictMap.visibleEventIds()) {
    conflictMap.openPopup(id);
    await new Promise(r => setTimeout(r, 0));
    document.querySelectorAll(".leaflet-popup .geo-popup td").forEach(td => out.push(td.textContent));
  }
  conflictMap.map.closePopup();
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_the_popups_words_around_the_events_values_are_the_editions(browser, pages, lang) -> None:
    rec = _browser.open_map(browser, pages[lang], width=1400, height=900)
    page = rec.page
    try:
        cells = page.evaluate(_POPUP_CELLS)
        assert len(cells) > 500  # every event's popup, several cells each
        words = [re.compile(r"(?<![A-Za-z])" + re.escape(w) + r"(?![A-Za-z])") for w in POPUP_WORDS]
        left = sorted({(w.pattern, c) for c in cells for w in words if w.search(c)})
        left += sorted({c for c in cells if c == "not reported"})
        assert left == [], left[:10]
        # the event's own numbers keep their digits; the distance is said in the edition
        said = translate("{distance} km from the Durand Line, {side}", lang).split("{")[0]
        assert any(said in c for c in cells) if said else True
        assert rec.real_errors() == []
    finally:
        page.close()


def test_hostile_event_text_in_an_edition_runs_nothing_and_shows_as_written(
    browser, tmp_path
) -> None:
    # the edition says the popup's joining words around the event's values (CELL) and its
    # joined texts again (SAID): values shaped like those texts stay text, nothing runs
    pwned = "window.__pwned = (window.__pwned || 0) + 1"
    hostile = f'<img src=x onerror="{pwned}"><script>{pwned}</script>{{count}}'
    props = {
        "event_id": "evil-1",
        "date_start": "2022-05-01",
        "date_end": "2022-05-01",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": hostile + " vs. x (with " + hostile + ")",
        "actor2": "Annotation: " + hostile,
        "country": "AFG",
        "location": hostile + " (exact place)",
        "geo_precision": "district",
        "fatalities_best": 3,
        "summary": hostile,
        "fatality_note": "1 events here " + hostile,
    }
    src = tmp_path / "hostile.geojson"
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [69.9, 33.35]}}
    doc = {"type": "FeatureCollection", "features": [{**feature, "properties": props}]}
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "hostile-ps.html"
    assert main(["build", "--lang", "ps", "--events", str(src), "--out", str(out)]) == 0
    rec = _browser.open_map(browser, out, width=1400, height=900)
    page = rec.page
    try:
        assert page.evaluate("() => conflictMap.openPopup('evil-1')") is True
        popup = page.locator(".leaflet-popup-content .geo-popup")
        popup.wait_for()
        page.wait_for_timeout(200)
        _click(page, ".geo-list-toggle")
        assert page.evaluate("() => window.__pwned === undefined")
        assert page.locator("img[src=x], .geo-popup script").count() == 0
        cells = popup.locator("td").evaluate_all("tds => tds.map(td => td.textContent)")
        actors = translate("with {actors}", "ps").replace("{actors}", hostile)
        vs = translate("vs.", "ps")
        assert any(f"{hostile} {vs} x ({actors})" in c for c in cells), cells
        # the data's own words, even shaped like the page's, stay as written
        assert any(c.startswith(hostile + " (exact place), ") for c in cells), cells
        assert any(c.startswith("1 events here " + hostile) for c in cells), cells
        assert "{count}" in popup.inner_text()  # a placeholder in data is not filled
    finally:
        page.close()
