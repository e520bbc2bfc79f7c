"""The Dari and Urdu pages in Chromium (issue 24): right to left at a phone's, a small frame's
and a desktop's size, controls inside the viewport, the legend and buttons in the edition's
language, the edition's digits in the caption, a popup inside the map; catalogue text is text."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import _browser
from geo.cli import main
from geo.i18n import translate
from geo.render import edition as ed_mod

pytestmark = pytest.mark.browser
SIZES = [(390, 844), (680, 450), (1400, 900)]
EVENT = "DL-20260316-KABUL"
DIGITS = {"fa-AF": "۰۱۲۳۴۵۶۷۸۹", "ur": "0123456789"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("rtl")
    out = {}
    for lang in ("fa-AF", "ur"):
        out[lang] = d / f"{lang}.html"
        assert main(["build", "--lang", lang, "--out", str(out[lang])]) == 0
    return out


_OVERFLOW = """() => {
  const w = document.documentElement.clientWidth, h = document.documentElement.clientHeight;
  const out = [];
  document.querySelectorAll(
    ".leaflet-control-container button, .geo-time button, .geo-time select, .geo-time input, " +
    ".geo-legend, .geo-title, .geo-tools button"
  ).forEach(el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || s.visibility === "hidden") { return; }
    if (el.closest("[hidden]")) { return; }
    // a control in a panel that scrolls is inside the page as long as its panel is
    const scroller = el.parentElement && el.parentElement.closest(".geo-legend, .geo-panels, .leaflet-control-layers-list");
    if (scroller && scroller !== el) { return; }
    if (r.left < -1 || r.right > w + 1 || r.top < -1) {
      out.push((el.className || el.tagName) + " " + [r.left, r.right, r.top].map(Math.round).join(","));
    }
  });
  return out;
}"""


@pytest.mark.parametrize("lang", ["fa-AF", "ur"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_an_edition_page_is_laid_out_right_to_left(browser, pages, lang, width, height) -> None:
    rec = _browser.open_map(browser, pages[lang], width=width, height=height)
    page = rec.page
    try:
        assert page.evaluate(
            "() => [document.documentElement.lang, document.documentElement.dir]"
        ) == [lang, "rtl"]
        # the map itself keeps its geography
        assert (
            page.evaluate("() => getComputedStyle(conflictMap.map.getContainer()).direction")
            == "ltr"
        )
        assert (
            page.evaluate("() => getComputedStyle(document.querySelector('.geo-time')).direction")
            == "rtl"
        )
        # nothing wider than the page, no control outside it
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        assert page.evaluate(_OVERFLOW) == []
        # the legend and the buttons in the edition's language
        texts = page.evaluate("() => document.body.innerText")
        for msgid in ("Event type", "All dates", "Precision"):
            assert translate(msgid, lang) != msgid
            assert translate(msgid, lang) in texts, msgid
        assert "All dates" not in texts and "Event type" not in texts
        # the time control's joined texts said as single messages (edition.js, SAID)
        time_text = page.evaluate("() => document.querySelector('.geo-time').textContent")
        for english in (" of ", "events", "Play", "By ", "step"):
            assert english not in time_text, (english, time_text)
        # the caption with the edition's digits and calendar
        # (read as text: a small frame's title bar hides the caption, which stays the same)
        caption = page.evaluate("() => document.querySelector('.geo-caption').textContent")
        count = DIGITS[lang][1] + DIGITS[lang][1] + DIGITS[lang][8]  # 118 events
        assert caption.startswith(count), caption
        assert translate("{count} events, {start} to {end}", lang).split("{")[1] != ""
        if lang == "fa-AF":
            assert "۱۴۰۴" in caption and "(۱۶ مارچ ۲۰۲۶)" in caption  # Solar Hijri, then Gregorian
            assert not any(c in caption for c in "0123456789")
        # a popup opens inside the map, its labels in the edition's language
        assert page.evaluate(f"() => conflictMap.openPopup('{EVENT}')") is True
        popup = page.locator(".leaflet-popup-content .geo-popup")
        popup.wait_for()
        assert translate("Killed", lang) in popup.inner_text()
        page.wait_for_timeout(400)  # the popup's pan
        inside = page.evaluate("""() => {
          const p = document.querySelector('.leaflet-popup').getBoundingClientRect();
          const m = conflictMap.map.getContainer().getBoundingClientRect();
          const ok = p.left >= m.left - 1 && p.right <= m.right + 1 && p.top >= m.top - 1 && p.bottom <= m.bottom + 1;
          return ok ? [] : [p.left, p.right, p.top, p.bottom, m.left, m.right, m.top, m.bottom].map(Math.round);
        }""")
        assert inside == [], inside
        assert rec.real_errors() == []
    finally:
        page.close()


def test_a_hostile_catalogue_entry_shows_as_text(browser, tmp_path, monkeypatch) -> None:
    pwned = "window.__pwned = (window.__pwned || 0) + 1"
    hostile = f'<img src=x onerror="{pwned}"></script><script>{pwned}</script>{{{{7*7}}}}'
    real = ed_mod._text
    monkeypatch.setattr(
        ed_mod, "_text", lambda m, lang: hostile if m == "All dates" else real(m, lang)
    )
    ed_mod.edition_script.cache_clear()
    try:
        out = tmp_path / "hostile.html"
        assert main(["build", "--lang", "fa-AF", "--out", str(out)]) == 0
    finally:
        ed_mod.edition_script.cache_clear()
    rec = _browser.open_map(browser, out, width=1400, height=900)
    page = rec.page
    try:
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__pwned === undefined")
        assert page.locator("img[src=x]").count() == 0
        # shown as written, in the edition's digits like all of the page's own text
        shown = hostile.translate(str.maketrans("0123456789", DIGITS["fa-AF"]))
        assert shown in page.evaluate("() => document.body.innerText")
    finally:
        page.close()
