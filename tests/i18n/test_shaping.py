"""Arabic-script text in the stills is shaped as HarfBuzz shapes it (matplotlib >= 3.11).

The helper below renders a string with matplotlib in the edition's Noto font to SVG (glyphs
as paths: each ``<use>`` names the glyph index and carries its position) and to PDF (Type 42:
each glyph is a CID that the embedded font maps to a named glyph), and compares the glyphs,
their order and (SVG) their positions with uharfbuzz's shaping of the same string in the
same font file. HarfBuzz shapes one direction at a time, so the expected visual order of a
string that holds digits is built from the Unicode bidi rules for this simple case: an
Arabic-script paragraph whose digit runs (EN/AN) read left to right, runs laid out right to
left, neutrals between a digit run and Arabic letters taking the paragraph's direction.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import matplotlib
import pytest

pytest.importorskip("uharfbuzz")
import uharfbuzz as hb
from fontTools.ttLib import TTFont

from geo.i18n.catalog import translate
from geo.i18n.extract import extract
from geo.i18n.fonts import font_file

matplotlib.use("agg")
import matplotlib.pyplot as plt
from matplotlib.font_manager import FontProperties

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_DIGITS = re.compile(
    r"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[\u066b\u066c.,][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
)

#: Place names (OSM-style spellings) and phrases, per edition; the UI strings come from the
#: catalogues (every translation the font covers).
PLACES = {
    "ps": ["سپین بولدک", "تورخم", "جلال اباد", "د ننګرهار ولایت", "۱۴۰۳ کال", "۲۴ زمری ۱۴۰۰"],
    "fa-AF": ["کابل", "قندهار", "ننگرهار", "هرات", "۱ حمل ۱۴۰۳", "کشته‌ها ۱۲٬۳۴۵"],
    "ur": ["پشاور", "کوئٹہ", "چمن", "لاہور", "خیبر پختونخوا", "بلوچستان", "ڈیورنڈ لائن"],
}


@cache
def _order(path: Path) -> list[str]:
    return list(TTFont(path).getGlyphOrder())


@cache
def _cmap(path: Path) -> dict[int, str]:
    return dict(TTFont(path).getBestCmap())


@cache
def _ps_name(path: Path) -> str:
    return str(TTFont(path)["name"].getDebugName(6))


def hb_glyphs(path: Path, text: str, direction: str) -> list[tuple[str, float, float, float]]:
    """HarfBuzz's glyphs for ``text`` in visual order: ``(name, x, y, advance)`` in font units."""
    blob = hb.Blob.from_file_path(str(path))
    font = hb.Font(hb.Face(blob))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = direction
    hb.shape(font, buf, {})
    order = _order(path)
    out, pen = [], 0.0
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        out.append((order[info.codepoint], pen + pos.x_offset, float(pos.y_offset), pos.x_advance))
        pen += pos.x_advance
    return out


def expected_run(path: Path, text: str) -> list[tuple[str, float, float]]:
    """The visual glyph run of an Arabic-script paragraph by the bidi rules described above."""
    runs, at = [], 0
    for m in _DIGITS.finditer(text):
        runs += [(text[at : m.start()], "rtl"), (m.group(0), "ltr")]
        at = m.end()
    runs.append((text[at:], "rtl"))
    out, pen = [], 0.0
    for part, direction in reversed([r for r in runs if r[0]]):
        glyphs = hb_glyphs(path, part, direction)
        out += [(n, pen + x, y) for n, x, y, _ in glyphs]
        pen += sum(g[3] for g in glyphs)
    return out


def _figure(texts: list[str], path: Path) -> plt.Figure:
    """One figure with every text on a line of its own, each text's SVG group named geo-k."""
    fig = plt.figure(figsize=(8, 0.5 * len(texts)))
    prop = FontProperties(fname=str(path), size=20)
    for k, text in enumerate(texts):
        fig.text(0.02, 1 - (k + 0.7) / len(texts), text, fontproperties=prop, gid=f"geo-{k}")
    return fig


def mpl_svg_glyphs(texts: list[str], path: Path) -> list[list[tuple[str, float, float]]]:
    """matplotlib's glyphs in the SVG (``svg.fonttype = "path"``), per text: ``(name, x, y)``
    in the order drawn, positions relative to the text's own origin."""
    fig = _figure(texts, path)
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "geo"}):
        fig.savefig(buf, format="svg")
    plt.close(fig)
    order, font_name = _order(path), _ps_name(path)
    groups = {g.get("id"): g for g in ET.fromstring(buf.getvalue()).iter(f"{_SVG}g")}
    runs = []
    for k in range(len(texts)):
        out = []
        for use in groups[f"geo-{k}"].iter(f"{_SVG}use"):
            ref = use.get(_XLINK, "")
            if not ref.startswith(f"#{font_name}-"):
                continue
            gid = int(ref.rsplit("-", 1)[1], 16)
            m = re.match(r"translate\(([-\d.e]+)(?:[ ,]([-\d.e]+))?\)", use.get("transform", ""))
            x, y = (float(m.group(1)), float(m.group(2) or 0)) if m else (0.0, 0.0)
            out.append((order[gid], x, y))
        runs.append(out)
    return runs


def mpl_pdf_glyphs(texts: list[str], path: Path) -> list[list[str]]:
    """The glyph names matplotlib's PDF (Type 42) shows, per text (one BT…ET block each)."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    fig = _figure(texts, path)
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "ModDate": None})
    plt.close(fig)
    page = PdfReader(buf).pages[0]
    fonts = {}
    for key, ref in page["/Resources"]["/Font"].items():
        desc = ref.get_object()["/DescendantFonts"][0].get_object()
        embedded = TTFont(io.BytesIO(desc["/FontDescriptor"]["/FontFile2"].get_data()))
        cid_map = desc.get("/CIDToGIDMap")
        gids = cid_map.get_object().get_data() if cid_map is not None else None
        fonts[key] = (embedded.getGlyphOrder(), gids)
    runs: list[list[str]] = []
    current = None
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"BT":
            runs.append([])
        elif op == b"Tf":
            current = fonts[operands[0]]
        elif op in (b"TJ", b"Tj") and current is not None:
            items = operands[0] if op == b"TJ" else [operands[0]]
            for item in items:
                if isinstance(item, bytes | str):
                    # the string's bytes as written (CIDs), not a re-encoding of its text
                    data = item if isinstance(item, bytes) else item.original_bytes
                    for i in range(0, len(data), 2):
                        cid = int.from_bytes(data[i : i + 2], "big")
                        table = current[1]
                        gid = (
                            cid
                            if table is None
                            else int.from_bytes(table[2 * cid : 2 * cid + 2], "big")
                        )
                        runs[-1].append(current[0][gid])
    assert len(runs) == len(texts)
    return runs


def _covered(path: Path, text: str) -> bool:
    cmap = _cmap(path)
    return all(ord(c) in cmap for c in text)


def _cases() -> list[tuple[str, str]]:
    cases = [(lang, text) for lang, texts in PLACES.items() for text in texts]
    for lang in PLACES:
        path = font_file(lang)
        for msgid in extract():
            text = translate(msgid, lang)
            if text != msgid and _covered(path, text):
                cases.append((lang, text))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], tuple[list[tuple[str, float, float]], list[str]]]:
    """Every case rendered: one SVG and one PDF figure per edition, not one per string."""
    out = {}
    for lang in PLACES:
        texts = list(dict.fromkeys(t for l_, t in CASES if l_ == lang))
        path = font_file(lang)
        svg, pdf = mpl_svg_glyphs(texts, path), mpl_pdf_glyphs(texts, path)
        out |= {(lang, t): (s, p) for t, s, p in zip(texts, svg, pdf, strict=True)}
    return out


def test_the_cases_cover_place_names_and_catalogue_strings_in_every_edition() -> None:
    per_lang = {lang: sum(1 for c in CASES if c[0] == lang) for lang in PLACES}
    assert all(n >= 20 for n in per_lang.values()), per_lang


@pytest.mark.parametrize(("lang", "text"), CASES)
def test_svg_glyph_run_matches_harfbuzz(rendered, lang: str, text: str) -> None:
    want = expected_run(font_file(lang), text)
    got = rendered[lang, text][0]
    assert [g[0] for g in got] == [g[0] for g in want]
    # one scale maps font units to the SVG's units: positions agree within 0.5 % of the width
    pairs = [(g[1], w[1]) for g, w in zip(got, want, strict=True)] + [
        (g[2], w[2]) for g, w in zip(got, want, strict=True)
    ]
    scale = sum(a * b for a, b in pairs) / sum(b * b for _, b in pairs)
    width = max(abs(w[1]) for w in want) or 1.0
    worst = max(abs(a - scale * b) for a, b in pairs)
    assert worst <= 0.005 * width * scale, (worst, scale)


@pytest.mark.parametrize(("lang", "text"), CASES)
def test_pdf_glyph_run_matches_harfbuzz(rendered, lang: str, text: str) -> None:
    want = [g[0] for g in expected_run(font_file(lang), text)]
    got = rendered[lang, text][1]
    # the space may come from another font object of the same face: its name is the same
    assert got == want


def test_joined_forms_are_used_not_the_isolated_letters() -> None:
    # the helper itself must see shaping: "سپین" joins into initial/medial/final forms
    (run,) = mpl_svg_glyphs(["سپین"], font_file("ps"))
    names = [g[0] for g in run]
    assert any(n.endswith(".init") for n in names) and any(n.endswith(".fina") for n in names)
    assert names != [g[0] for g in hb_glyphs(font_file("ps"), "س پ ی ن", "rtl") if g[0] != "space"]


def test_mixed_latin_and_digits_keep_their_order_in_an_urdu_label() -> None:
    # Urdu's digits are Latin (CLDR): they come from the fallback font, read left to right,
    # and sit at the logical start of the right-to-left line (its right end)
    text = "2024 میں واقعات"
    fig = plt.figure(figsize=(6, 1))
    fig.text(0.02, 0.4, text, family=["Noto Nastaliq Urdu", "DejaVu Sans"], size=20)
    from matplotlib.font_manager import fontManager

    fontManager.addfont(str(font_file("ur")))
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        fig.savefig(buf, format="svg")
    plt.close(fig)
    uses = re.findall(
        r'xlink:href="#([^"]+)"(?: transform="translate\(([-\d.]+))?', buf.getvalue().decode()
    )
    digits = [(ref, float(x or 0)) for ref, x in uses if ref.startswith("DejaVuSans-")]
    arabic = [float(x or 0) for ref, x in uses if ref.startswith("NotoNastaliqUrdu")]
    assert [r for r, _ in digits] == [
        "DejaVuSans-15",
        "DejaVuSans-13",
        "DejaVuSans-15",
        "DejaVuSans-17",
    ]  # 2 0 2 4
    assert [x for _, x in digits] == sorted(x for _, x in digits)
    assert min(x for _, x in digits) > max(arabic)
