"""The page in a language edition (geo.render.edition): declared language and direction, the
catalogue's text in the scripts and the configuration, the edition's data, font and style;
the English page untouched."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from geo.api import map_from, map_options, prepare
from geo.context import load_context
from geo.i18n import translate
from geo.i18n.editions import edition
from geo.i18n.fonts import family
from geo.render import edition as ed_mod
from geo.render._util import script_json
from geo.render.edition import EDITION_MESSAGES, edition_config, localise_js, solar_years
from geo.render.html import to_html
from geo.render.page import page_script

EDITIONS = ("ps", "fa-AF", "ur")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    ctx = load_context()
    prepared = prepare(context=ctx)
    return {
        lang: to_html(map_from(prepared, context=ctx, options=map_options(prepared, context=ctx, lang=lang)))
        for lang in ("en", *EDITIONS)
    }  # fmt: skip


def _soup(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def _config(page: str) -> dict:
    (block,) = [
        s
        for s in _soup(page).find_all("script", attrs={"type": "application/json"})
        if s.get("id", "").endswith("_config")
    ]
    return json.loads(block.string)


def _page_js(page: str) -> str:
    scripts = [s.string or "" for s in _soup(page).find_all("script") if not s.get("type")]
    return max((s for s in scripts if "GeoPage.helpers" in s), key=len)


def test_the_english_page_carries_nothing_of_the_editions(pages) -> None:
    page = pages["en"]
    html = _soup(page).find("html")
    assert (html.get("lang"), html.get("dir")) == ("en", "ltr")
    assert "i18n" not in _config(page)
    assert _page_js(page) == page_script()
    assert "@font-face" not in page and "GeoPage.edition" not in page


@pytest.mark.parametrize("lang", EDITIONS)
def test_an_edition_declares_its_language_and_runs_right_to_left(pages, lang) -> None:
    html = _soup(pages[lang]).find("html")
    assert (html.get("lang"), html.get("dir")) == (lang, "rtl")
    # the default title in the edition's language (a given --title stays as given)
    title = translate("Durand Line conflict map", lang)
    assert title != "Durand Line conflict map"
    assert _soup(pages[lang]).find("title").string == title == _config(pages[lang])["title"]


@pytest.mark.parametrize("lang", EDITIONS)
def test_an_edition_s_scripts_carry_the_catalogue_s_text(pages, lang) -> None:
    js = _page_js(pages[lang])
    text = translate("Filter", lang)
    assert text != "Filter"
    # the English literal is gone, the translated one is there (as a JS string literal)
    assert script_json(text, ascii_only=False) in js
    assert '"Filter"' not in js
    assert "GeoPage.edition" in js


@pytest.mark.parametrize("lang", EDITIONS)
def test_an_edition_s_configuration_holds_its_data(pages, lang) -> None:
    config = _config(pages[lang])
    i18n = config["i18n"]
    ed = edition(lang)
    assert i18n["lang"] == lang and i18n["dir"] == "rtl"
    assert i18n["digits"] == {"arabext": "۰۱۲۳۴۵۶۷۸۹", "latn": "0123456789"}[ed.numbering_system]
    # only the messages edition.js looks up, and only those translated
    assert set(i18n["strings"]) <= set(EDITION_MESSAGES)
    message = "{count} events, {start} to {end}"
    assert i18n["strings"][message] == translate(message, lang) != message
    assert len(i18n["gregorian"]["months"]) == 12
    # the Afghan editions show the Solar Hijri calendar first; Urdu the Gregorian alone
    assert (i18n["solar"] is not None) == (lang in ("ps", "fa-AF"))
    if i18n["solar"]:
        years = _expand(i18n["solar"]["years"])
        assert years[1403] == 19802  # 1 Hamal 1403 = 2024-03-20, days since 1970-01-01
    # the legend in the edition's language
    titles = [s["title"] for s in config["legend"]]
    assert translate("Event type", lang) in titles and "Event type" not in titles


def _expand(years: dict) -> dict[int, int]:
    # edition.js's solarYears: the first year's 1 Hamal, then 365 or 366 days per year
    out, day = {}, years["day"]
    for k in range(len(years["long"]) + 1):
        out[years["from"] + k] = day
        day += 366 if years["long"][k : k + 1] == "1" else 365
    return out


def test_the_compact_solar_years_give_every_year_s_first_day() -> None:
    import datetime as dt

    from geo.i18n.solar import from_solar

    years = _expand(solar_years())
    assert min(years) == 1250 and max(years) == 1500
    epoch = dt.date(1970, 1, 1)
    assert all(day == (from_solar(y, 1, 1) - epoch).days for y, day in years.items())
    assert set(solar_years()["long"]) == {"0", "1"}


@pytest.mark.parametrize("lang", EDITIONS)
def test_an_edition_embeds_its_font_subset(pages, lang) -> None:
    styles = "".join(s.string or "" for s in _soup(pages[lang]).find_all("style"))
    assert f'@font-face{{font-family:"{family(lang)}"' in styles
    assert "direction:ltr" in styles  # the map itself is not mirrored (rtl.css)
    expected = "Noto Nastaliq Urdu" if lang == "ur" else "Noto Naskh Arabic"
    assert family(lang) == expected


@pytest.mark.parametrize("lang", EDITIONS)
def test_an_edition_adds_little_but_its_font(pages, lang) -> None:
    # the edition's scripts, style and data add at most 40 KB to the English page; the font
    # subset comes on top (about 14 KB of base64 WOFF2 for Naskh, 140 KB for Nastaliq, whose
    # joining forms are reached from every letter and so cannot be cut away)
    size = len(pages[lang].encode("utf-8"))
    styles = "".join(s.string or "" for s in _soup(pages[lang]).find_all("style"))
    font = len(
        styles[styles.index("@font-face") : styles.index("}", styles.index("@font-face")) + 1]
    )
    assert size - font - len(pages["en"].encode("utf-8")) <= 40 * 1000, (size, font)


def _embedded_font(page: str) -> tuple[bytes, list[str]]:
    import base64
    import re

    styles = "".join(s.string or "" for s in _soup(page).find_all("style"))
    m = re.search(r"data:font/woff2;base64,([A-Za-z0-9+/=]+)\) format\(\"woff2\"\);"
                  r"unicode-range:([U+0-9A-F,]+)\}", styles)  # fmt: skip
    assert m, "no WOFF2 @font-face"
    return base64.b64decode(m.group(1)), m.group(2).split(",")


def _shown_text(page: str) -> str:
    # the page's text as written (the edition's scripts carry their words as UTF-8), with the
    # configuration's strings read back from its JSON (which escapes them as \uXXXX); a
    # script's own escapes (a pattern of digits to read typed dates) are code, not text
    def strings(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [t for k, v in node.items() for t in (str(k), *strings(v))]
        if isinstance(node, list):
            return [t for v in node for t in strings(v)]
        return []

    text = page + "\n".join(strings(_config(page)))
    return "".join(c for c in text if c >= " ")  # control characters are never drawn


@pytest.mark.parametrize("lang", EDITIONS)
def test_an_edition_s_font_holds_the_characters_its_strings_show_and_no_more(pages, lang) -> None:
    import io

    from fontTools.ttLib import TTFont

    from geo.i18n.fonts import _ALWAYS, font_bytes

    data, ranges = _embedded_font(pages[lang])
    assert TTFont(io.BytesIO(data)).flavor == "woff2"
    full = set(TTFont(io.BytesIO(font_bytes(lang))).getBestCmap())
    cmap = set(TTFont(io.BytesIO(data)).getBestCmap())
    assert ranges == [f"U+{c:04X}" for c in sorted(cmap)]
    # every letter of the page in the font's script is in the subset ...
    shown = {ord(c) for c in _shown_text(pages[lang])} & full
    assert shown <= cmap, sorted(shown - cmap)
    # ... and the subset holds nothing else but the joiners and bidi marks it always keeps
    config = _config(pages[lang])
    strings = {ord(c) for c in ed_mod.page_strings(config, lang)} & full
    assert cmap - strings <= {ord(c) for c in _ALWAYS}, sorted(cmap - strings)
    assert strings <= shown | {ord(c) for c in _ALWAYS}


@pytest.mark.parametrize("lang", EDITIONS)
def test_an_edition_s_font_shapes_its_strings_as_the_full_font_does(
    pages, shaped_runs, lang
) -> None:
    # HarfBuzz glyph runs (outline, cluster, advance, offsets) of each run of the edition's
    # script on the page: the embedded subset and the whole font give the same run
    import re

    from geo.i18n.fonts import font_bytes

    data, _ = _embedded_font(pages[lang])
    words = sorted(set(re.findall(r"[\u0600-\u06ff\u200c\u200d]+(?: [\u0600-\u06ff\u200c\u200d]+)*",
                                  _shown_text(pages[lang]))))  # fmt: skip
    assert len(words) > 40
    full = font_bytes(lang)
    differ = [w for w in words if shaped_runs(data, w) != shaped_runs(full, w)]
    assert differ == []


def test_every_edition_message_is_in_the_catalogue_template() -> None:
    from geo.i18n.extract import extract

    found = extract()
    for msgid in EDITION_MESSAGES:
        assert "geo/static/edition.js" in found[msgid], msgid


def test_a_hostile_catalogue_entry_becomes_an_inert_string_literal(monkeypatch) -> None:
    hostile = '</script><img src=x onerror="alert(1)">{{7*7}}\u2028\u2029\ud800 کابل'
    monkeypatch.setattr(ed_mod, "_text", lambda msgid, lang: hostile)
    js = localise_js('var a = util.el("h3", null, "Legend");', "fa-AF")
    assert "</script" not in js.lower() and "<img" not in js and "{{" not in js
    assert "\u2028" not in js and "\u2029" not in js
    js.encode("utf-8")  # no lone surrogate: the page is written as UTF-8
    assert "کابل" in js  # the edition's letters as themselves, not six-byte escapes
    literal = js[js.index("null, ") + 6 : js.rindex(")")]
    assert json.loads(literal) == hostile


def test_an_edition_s_config_is_the_same_every_time() -> None:
    assert json.dumps(edition_config("fa-AF")) == json.dumps(edition_config("fa-AF"))


@pytest.mark.parametrize("lang", ["fa-AF", "ur"])
def test_an_edition_page_is_the_same_bytes_every_time(pages, lang) -> None:
    ctx = load_context()
    prepared = prepare(context=ctx)
    again = to_html(
        map_from(prepared, context=ctx, options=map_options(prepared, context=ctx, lang=lang))
    )
    assert again == pages[lang]
