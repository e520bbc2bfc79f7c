"""Stills in a language edition (geo.render.static with ``MapOptions.lang``): the default title
and the legend from the catalogue, drawn in the edition's font and shaped as HarfBuzz shapes
them; the English stills unchanged; catalogue text drawn literally."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont

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
