"""Stills in a language edition (geo.render.static with ``MapOptions.lang``): the default title
and the legend from the catalogue, drawn in the edition's font and shaped as HarfBuzz shapes
them; the English stills unchanged; catalogue text drawn literally."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from matplotlib.text import Text

from geo.api import map_options, prepare
from geo.context import load_context
from geo.i18n import directed, translate
from geo.i18n.fonts import font_file
from geo.render import edition as ed_mod
from geo.render.static import image_bytes, static_map

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}href"


@pytest.fixture(scope="module")
def built():
    ctx = load_context()
    return ctx, prepare(context=ctx)


def _svg(built, lang: str, **kw) -> bytes:
    ctx, prepared = built
    options = map_options(prepared, context=ctx, lang=lang, **kw)
    fig = static_map(prepared.shown, layers=ctx.layers(50), options=options)
    return image_bytes(fig, "svg")


@cache
def _font(lang: str) -> tuple[list[str], str]:
    font = TTFont(font_file(lang))
    return list(font.getGlyphOrder()), str(font["name"].getDebugName(6))


def _drawn_glyphs(svg: bytes, gid: str, lang: str) -> list[str]:
    """The names of the edition font's glyphs drawn in an SVG group, in the order drawn."""
    order, ps_name = _font(lang)
    groups = {g.get("id"): g for g in ET.fromstring(svg).iter(f"{_SVG}g")}
    return [
        order[int(use.get(_XLINK, "").rsplit("-", 1)[1], 16)]
        for use in groups[gid].iter(f"{_SVG}use")
        if use.get(_XLINK, "").startswith(f"#{ps_name}-")
    ]


def _harfbuzz(lang: str, text: str) -> list[str]:
    """HarfBuzz's glyphs for a right-to-left text in visual order (left to right)."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_file(lang)))))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl"
    hb.shape(font, buf, {})
    order, _ = _font(lang)
    return [order[info.codepoint] for info in buf.glyph_infos]


@pytest.mark.parametrize("lang", ["fa-AF", "ur"])
def test_an_edition_still_draws_its_title_shaped_in_its_font(built, lang) -> None:
    svg = _svg(built, lang)
    title = translate("Durand Line conflict map", lang)
    assert title != "Durand Line conflict map"
    drawn = _drawn_glyphs(svg, "title", lang)
    assert drawn, "the title is not drawn in the edition's font"
    # the glyph run matplotlib drew is HarfBuzz's for the translated title (joined forms,
    # right to left), with the right-to-left mark put first (directed)
    assert drawn == _harfbuzz(lang, directed(title, lang))


@pytest.mark.parametrize("lang", ["fa-AF", "ur"])
def test_an_edition_still_s_legend_is_the_catalogue_s(built, lang) -> None:
    svg = _svg(built, lang)
    header = translate("Event type", lang)
    groups = [
        g
        for g in ET.fromstring(svg).iter(f"{_SVG}g")
        if (g.get("id") or "").startswith("legend-header-")
    ]
    runs = [_drawn_glyphs(svg, str(g.get("id")), lang) for g in groups]
    assert _harfbuzz(lang, directed(header, lang)) in runs


def test_a_given_title_stays_as_given(built) -> None:
    svg = _svg(built, "fa-AF", title="Border clashes")
    assert _drawn_glyphs(svg, "title", "fa-AF") == []  # Latin: the stills' own font


def test_a_hostile_catalogue_entry_is_drawn_as_text(built, monkeypatch, tmp_path) -> None:
    text = "<b>$x$</b>{{7}}<img>"
    monkeypatch.setattr(ed_mod, "translations", lambda lang: _Fixed(text))
    svg = _svg(built, "fa-AF")
    assert b"<script" not in svg and b"<img" not in svg and b"onerror" not in svg
    ET.fromstring(svg)  # still one well-formed document


class _Fixed:
    def __init__(self, text: str) -> None:
        self.text = text

    def gettext(self, msgid: str) -> str:
        return msgid if msgid.isdigit() else self.text  # the size key's figures are no messages


def test_pdf_of_an_edition_embeds_its_font(built) -> None:
    ctx, prepared = built
    options = map_options(prepared, context=ctx, lang="ur")
    pdf = image_bytes(static_map(prepared.shown, layers=ctx.layers(50), options=options), "pdf")
    assert pdf.startswith(b"%PDF") and b"NotoNastaliqUrdu" in pdf  # Type 42, embedded


# --- the still's other texts: subtitle, credits, notes, detail and scale labels (issue 24) ---

#: Texts a still draws from the tool's own words (not the data's, not the layers' names).
_WORDED = ("title", "subtitle", "credits", "legend-", "scalebar-label", "detail-label")
#: Latin words an edition's still may carry: names it shows as their owners write them.
_NAMED = {"geo", "HTML", "API", "AP"}
_WORD = re.compile(r"[A-Za-z]{2,}")
_NUMBER = re.compile(
    r"[0-9\u06f0-\u06f9\u0660-\u0669]+(?:[\u066b\u066c,.][0-9\u06f0-\u06f9\u0660-\u0669]+)*"
)


def _figure(built, lang: str, **kw):
    ctx, prepared = built
    options = map_options(prepared, context=ctx, lang=lang, **kw)
    return static_map(prepared.shown, layers=ctx.layers(50), filters=prepared.filters,
                      options=options)  # fmt: skip


def _drawn_texts(fig) -> dict[str, str]:
    """Every text the figure draws, by its gid (lines of one block joined)."""
    out: dict[str, str] = {}
    for t in fig.findobj(Text):
        gid, text = t.get_gid() or "", t.get_text()
        if text.strip():
            out[gid] = f"{out[gid]}\n{text}" if gid in out else text
    return out


@cache
def _data_words() -> frozenset[str]:
    """The Latin words the data and the layers bring: places, event types, outlets, the
    sources' and layers' credits as their owners word them."""
    from geo.i18n.names import SOURCES
    from geo.render.options import layer_credits, named_layers
    from geo.schema import EVENT_TYPES
    from geo.terms import TERMS

    ctx = load_context()
    prepared = prepare(context=ctx)
    ev = prepared.shown
    texts = [str(v) for c in ("location", "province", "admin2", "event_type", "sub_event_type")
             if c in ev for v in ev[c].dropna().unique()]  # fmt: skip
    texts += [str(s.get("name", "")) for srcs in ev["sources"] for s in srcs if isinstance(s, dict)]
    texts += list(EVENT_TYPES) + [t.credit for t in TERMS.values() if t.credit]
    texts += [c for layer in named_layers(ctx.layers(50)).values() for c in layer_credits(layer)]
    texts += [*layer_credits(ctx.layers(50).disputed), SOURCES]  # Kashmir's, the names' sources
    return frozenset(w for text in texts for w in _WORD.findall(text)) | _NAMED


def _fixed_words(texts: dict[str, str]) -> set[str]:
    worded = [t for gid, t in texts.items() if gid.startswith(_WORDED)]
    return {w for t in worded for w in _WORD.findall(t)} - _data_words()


@pytest.mark.parametrize("lang", ["ur", "ps"])
def test_an_edition_still_draws_no_fixed_english(built, lang) -> None:
    english = _drawn_texts(_figure(built, "en"))
    # the English still has the words the editions must replace (the test can fail) ...
    assert {"Sources", "killed", "events", "Filters"} <= _fixed_words(english)
    texts = _drawn_texts(_figure(built, lang))
    assert all(any(gid.startswith(p) for gid in texts) for p in _WORDED)  # all drawn
    # ... and the edition's has none: its words are the catalogue's, the names as written
    assert _fixed_words(texts) == set()
    assert translate("Sources: {sources}.", lang, sources="").rstrip(".\u06d4 ") in texts["credits"]


def _harfbuzz_bidi(lang: str, text: str) -> list[str]:
    """HarfBuzz's glyphs for a right-to-left line holding numbers, in visual order: the
    Unicode bidi algorithm for such a line (its numbers run left to right, every other run,
    and the neutrals between, right to left), each run shaped by HarfBuzz."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_file(lang)))))
    order, _ = _font(lang)
    runs, at = [], 0
    for m in _NUMBER.finditer(text):
        runs += [(text[at : m.start()], "rtl"), (m.group(0), "ltr")]
        at = m.end()
    runs.append((text[at:], "rtl"))
    out = []
    for part, direction in reversed([r for r in runs if r[0]]):
        buf = hb.Buffer()
        buf.add_str(part)
        buf.guess_segment_properties()
        buf.direction = direction
        hb.shape(font, buf, {})
        out += [order[info.codepoint] for info in buf.glyph_infos]
    return [g for g in out if g != ".notdef"]  # what the font lacks is drawn by the fallback


def test_an_edition_still_s_subtitle_is_shaped_as_harfbuzz_shapes_it(built) -> None:
    lang = "fa-AF"
    fig = _figure(built, lang)
    line = next(t.get_text() for t in fig.findobj(Text) if t.get_gid() == "subtitle")
    assert line.startswith("\u200f")  # directed: the line runs right to left
    assert translate("all dates", lang) not in line
    # Solar Hijri first, the Gregorian date after it, in the edition's digits (as the page)
    assert "عقرب ۱۲۷۲" in line and "(۱۲ نومبر ۱۸۹۳)" in line
    drawn = _drawn_glyphs(image_bytes(fig, "svg"), "subtitle", lang)
    assert drawn and drawn == _harfbuzz_bidi(lang, line)


def test_urdu_subtitle_glyphs_are_harfbuzz_s_but_the_spaces(built) -> None:
    """Nastaliq's spaces next to a letter its font lacks (``·``, drawn by the fallback)
    are the fallback's; every other glyph is HarfBuzz's, in its order."""
    fig = _figure(built, "ur")
    line = next(t.get_text() for t in fig.findobj(Text) if t.get_gid() == "subtitle")
    drawn = _drawn_glyphs(image_bytes(fig, "svg"), "subtitle", "ur")
    spaces = ("space", "sp0", "sp1", "sp2", "sp3")
    assert [g for g in drawn if g not in spaces] == [
        g for g in _harfbuzz_bidi("ur", line) if g not in spaces
    ]


@pytest.mark.parametrize("lang", ["ur", "ps"])
def test_an_edition_still_is_the_same_bytes_every_time(built, lang) -> None:
    for fmt in ("png", "svg"):
        assert image_bytes(_figure(built, lang), fmt) == image_bytes(_figure(built, lang), fmt)


def test_the_english_still_s_words_stay_as_they_were(built) -> None:
    texts = _drawn_texts(_figure(built, "en"))
    assert texts["subtitle"].startswith("12 Nov 1893 – 16 Mar 2026 · ")
    assert texts["credits"].startswith("Sources: data: ")
    assert "\u200f" not in "".join(texts.values())
