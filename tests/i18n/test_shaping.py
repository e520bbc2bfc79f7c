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
import numpy as np
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


@pytest.mark.parametrize(
    ("lang", "text", "latin", "arabic", "latin_side"),
    [
        # Urdu's digits are Latin (CLDR): from the fallback font, read left to right, at the
        # logical start of the right-to-left line (its right end)
        ("ur", "2024 میں واقعات", "2024", "میں واقعات", "right"),
        # a Latin name in brackets after a Pashto one: at the line's left end, in its own order
        ("ps", "تورخم (Torkham)", "(Torkham)", "تورخم", "left"),
    ],
)
def test_mixed_direction_text_in_a_still(
    lang: str, text: str, latin: str, arabic: str, latin_side: str
) -> None:
    from geo.i18n.fonts import family, still_rc

    with matplotlib.rc_context({**still_rc(lang, "DejaVu Sans"), "svg.hashsalt": "geo"}):
        fig = plt.figure(figsize=(6, 1))
        fig.text(0.02, 0.4, text, size=20)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg")
    plt.close(fig)
    uses = re.findall(
        r'xlink:href="#([^"]+)"(?: transform="translate\(([-\d.]+))?', buf.getvalue().decode()
    )
    prefix = family(lang).replace(" ", "")
    fallback = [(ref, float(x or 0)) for ref, x in uses if ref.startswith("DejaVuSans-")]
    script = [(ref, float(x or 0)) for ref, x in uses if ref.startswith(prefix)]
    # the Latin run: DejaVu's glyphs for its characters, left to right
    from matplotlib.font_manager import findfont, get_font

    dejavu = get_font(findfont("DejaVu Sans"))
    assert [int(r.rsplit("-", 1)[1], 16) for r, _ in fallback] == [
        dejavu.get_char_index(ord(c)) for c in latin
    ]
    assert [x for _, x in fallback] == sorted(x for _, x in fallback)
    if latin_side == "right":
        assert min(x for _, x in fallback) > max(x for _, x in script)
    else:
        assert max(x for _, x in fallback) < min(x for _, x in script)
    # the Arabic-script run: HarfBuzz's glyphs (the space between the runs may be either font's)
    order = _order(font_file(lang))
    got = [order[int(r.rsplit("-", 1)[1], 16)] for r, _ in script]
    want = [g[0] for g in expected_run(font_file(lang), arabic)]
    assert [n for n in got if n != "space"] == [n for n in want if n != "space"]


# PNG: the raster has no glyph ids, so the picture matplotlib's Agg draws is compared with a
# picture of HarfBuzz's run drawn from the font's own outlines (fontTools) at the same place.
_PNG = {"width": 1400, "height": 300, "dpi": 100, "size": 72}
PNG_CASES = [
    ("ps", "سپین بولدک"),
    ("fa-AF", "۱ حمل ۱۴۰۳"),
    ("ur", "خیبر پختونخوا"),
    ("ur", "ڈیورنڈ لائن"),
]


def _ink(fig: plt.Figure) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_PNG["dpi"])
    plt.close(fig)
    img = plt.imread(io.BytesIO(buf.getvalue()))
    return np.asarray(img[..., :3].mean(axis=2) < 0.5)


def _canvas() -> plt.Figure:
    return plt.figure(
        figsize=(_PNG["width"] / _PNG["dpi"], _PNG["height"] / _PNG["dpi"]), dpi=_PNG["dpi"]
    )


def mpl_png_ink(text: str, path: Path) -> np.ndarray:
    """The pixels matplotlib inks for ``text`` (baseline at 40 % height, 5 % from the left)."""
    fig = _canvas()
    prop = FontProperties(fname=str(path), size=_PNG["size"])
    fig.text(0.05, 0.4, text, fontproperties=prop, va="baseline")
    return _ink(fig)


def outline_png_ink(glyphs: list[tuple[str, float, float]], path: Path) -> np.ndarray:
    """The pixels of a glyph run drawn from the font's outlines at the same origin and size."""
    from fontTools.pens.basePen import BasePen
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath
    from matplotlib.transforms import IdentityTransform

    class _Pen(BasePen):  # fontTools outline -> matplotlib path codes
        def __init__(self, glyph_set: object) -> None:
            super().__init__(glyph_set)
            self.v: list[tuple[float, float]] = []
            self.c: list[int] = []

        def _moveTo(self, p):
            self.v.append(p)
            self.c.append(MPath.MOVETO)

        def _lineTo(self, p):
            self.v.append(p)
            self.c.append(MPath.LINETO)

        def _qCurveToOne(self, p1, p2):
            self.v += [p1, p2]
            self.c += [MPath.CURVE3] * 2

        def _curveToOne(self, p1, p2, p3):
            self.v += [p1, p2, p3]
            self.c += [MPath.CURVE4] * 3

        def _closePath(self):
            self.v.append((0, 0))
            self.c.append(MPath.CLOSEPOLY)

    font = TTFont(path)
    glyph_set = font.getGlyphSet()
    scale = _PNG["size"] * _PNG["dpi"] / 72 / font["head"].unitsPerEm
    ox, oy = 0.05 * _PNG["width"], 0.4 * _PNG["height"]
    fig = _canvas()
    for name, x, y in glyphs:
        pen = _Pen(glyph_set)
        glyph_set[name].draw(pen)
        if pen.v:
            v = np.array(pen.v, float) * scale + [ox + x * scale, oy + y * scale]
            fig.add_artist(
                PathPatch(MPath(v, pen.c), transform=IdentityTransform(), fc="k", ec="none")
            )
    return _ink(fig)


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max((a | b).sum(), 1))


@pytest.mark.parametrize(("lang", "text"), PNG_CASES)
def test_png_is_the_harfbuzz_run(lang: str, text: str) -> None:
    path = font_file(lang)
    want = outline_png_ink(expected_run(path, text), path)
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        assert _iou(mpl_png_ink(text, path), want) >= 0.98
    # with the default (auto-)hinting the outlines snap to pixels: the same run, a pixel off
    assert _iou(mpl_png_ink(text, path), want) >= 0.8
    # and the comparison can tell: the letters shaped one by one (unjoined) do not match
    unjoined, pen = [], 0.0
    for ch in reversed(text):
        run = hb_glyphs(path, ch, "rtl")
        unjoined += [(n, pen + x, y) for n, x, y, _ in run]
        pen += sum(g[3] for g in run)
    assert _iou(mpl_png_ink(text, path), outline_png_ink(unjoined, path)) < 0.5


@pytest.mark.parametrize(("mark", "latin_side"), [(False, "left"), (True, "right")])
def test_a_line_starting_with_a_latin_name_runs_right_to_left_once_directed(
    mark: bool, latin_side: str
) -> None:
    from geo.i18n.fonts import still_rc
    from geo.i18n.formatting import directed

    text = "Torkham تورخم"
    with matplotlib.rc_context({**still_rc("ps", "DejaVu Sans"), "svg.hashsalt": "geo"}):
        fig = plt.figure(figsize=(6, 1))
        fig.text(0.02, 0.4, directed(text, "ps") if mark else text, size=20)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg")
    plt.close(fig)
    uses = re.findall(
        r'xlink:href="#([^"]+)"(?: transform="translate\(([-\d.]+))?', buf.getvalue().decode()
    )
    latin = [float(x or 0) for ref, x in uses if ref.startswith("DejaVuSans-")]
    # the Arabic letters (the mark and spaces are drawn as zero-width space glyphs, as HarfBuzz does)
    order = _order(font_file("ps"))
    arabic = [
        float(x or 0)
        for ref, x in uses
        if ref.startswith("NotoNaskhArabic") and order[int(ref.rsplit("-", 1)[1], 16)] != "space"
    ]
    assert len(latin) == len("Torkham") and len(arabic) >= 5
    if latin_side == "left":
        assert max(latin) < min(arabic)
    else:
        assert min(latin) > max(arabic)
