"""The editions' fonts: shipped, licensed, converted, and subset deterministically."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

from geo._errors import InputError
from geo.i18n.fonts import (
    FONT_DIR,
    font_bytes,
    font_face_css,
    font_file,
    font_source,
    still_rc,
    subset,
)

PASHTO = "ښږګځڅټډړۍېڼ"  # the letters Pashto adds to the Arabic alphabet
URDU = "ٹڈڑںےہھۓ"


@pytest.mark.parametrize(
    ("lang", "family"),
    [("ps", "Noto Naskh Arabic"), ("fa-AF", "Noto Naskh Arabic"), ("ur", "Noto Nastaliq Urdu")],
)
def test_each_edition_has_its_licensed_font(lang: str, family: str) -> None:
    font = TTFont(font_source(lang))
    assert font["name"].getDebugName(1) == family
    licence = font_source(lang).with_suffix(".LICENSE").read_text("utf-8")
    assert "SIL Open Font License, Version 1.1" in licence


def test_the_fonts_cover_the_editions_letters_and_digits() -> None:
    naskh = TTFont(io.BytesIO(font_bytes("ps"))).getBestCmap()
    nastaliq = TTFont(io.BytesIO(font_bytes("ur"))).getBestCmap()
    eastern = [chr(0x06F0 + i) for i in range(10)]
    assert all(ord(c) in naskh for c in PASHTO + "".join(eastern) + "\u066b\u066c\u200c")
    assert all(ord(c) in nastaliq for c in URDU)
    assert ord("0") not in naskh  # the Arabic subset: Latin comes from the other fonts


def test_english_has_no_extra_font() -> None:
    with pytest.raises(InputError, match="uses the page's and the stills' default fonts"):
        font_source("en")


def test_truetype_copy_is_stable_and_loadable() -> None:
    path = font_file("fa-AF")
    assert path.read_bytes() == font_bytes("fa-AF") and path.suffix == ".ttf"
    assert font_file("fa-AF") == path  # one copy per process
    assert TTFont(path).flavor is None


def test_subset_is_deterministic_small_and_keeps_shaping(shaped_runs) -> None:
    text = "سپین بولدک تورخم ۱۴۰۳"
    a, b = subset("ps", text), subset("ps", text)
    assert a == b
    full = (FONT_DIR / "noto-naskh-arabic-arabic-400-normal.woff").stat().st_size
    assert len(a) < full / 4
    font = TTFont(io.BytesIO(a))
    assert font.flavor == "woff2"
    cmap = font.getBestCmap()
    assert {ord(c) for c in text} <= set(cmap)
    assert ord("ښ") not in cmap  # only what the text uses
    # the joining forms reached through GSUB are kept, with the tables that choose them: the
    # run is the full font's, glyph for glyph
    assert {"GSUB", "GPOS", "GDEF"} <= set(font.keys())
    assert shaped_runs(a, text) == shaped_runs(font_bytes("ps"), text)
    assert len({g[1] for g in shaped_runs(a, "سسس")}) == 3  # initial, medial, final forms
    # every name record stays (the copyright the OFL asks to keep among them)
    source = TTFont(font_source("ps"))["name"]
    assert {(n.nameID, n.toUnicode()) for n in font["name"].names} == {
        (n.nameID, n.toUnicode()) for n in source.names
    }
    assert "Copyright" in font["name"].getDebugName(0)


@pytest.mark.parametrize("flavor", ["woff2", "woff", None])
def test_each_flavor_is_the_same_font(shaped_runs, flavor: str | None) -> None:
    text = "د ننګرهار ولایت"
    data = subset("ps", text, flavor=flavor)
    assert TTFont(io.BytesIO(data)).flavor == flavor
    assert data == subset("ps", text, flavor=flavor)  # Brotli and zlib: the same bytes
    assert shaped_runs(data, text) == shaped_runs(font_bytes("ps"), text)


def test_woff2_is_the_smallest_flavor_for_nastaliq() -> None:
    text = "ضلع خیبر میں واقعات"
    sizes = {f: len(subset("ur", text, flavor=f)) for f in ("woff2", "woff")}
    assert sizes["woff2"] < 0.8 * sizes["woff"], sizes


def test_subset_refuses_an_unknown_flavor() -> None:
    with pytest.raises(
        InputError,
        match="font flavor 'otf' is not supported; accepted: 'woff2', 'woff' or None",
    ):
        subset("ps", "کابل", flavor="otf")


def test_font_face_css_embeds_the_subset_for_the_page() -> None:
    import base64
    import re

    css = font_face_css("fa-AF", "کابل ۱۴۰۳")
    assert css == font_face_css("fa-AF", "کابل ۱۴۰۳")
    m = re.fullmatch(
        r'@font-face\{font-family:"Noto Naskh Arabic";font-style:normal;font-weight:400;'
        r"font-display:block;src:url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\) "
        r'format\("woff2"\);'
        r"unicode-range:([U+0-9A-F,]+)\}",
        css,
    )
    assert m, css[:200]
    assert base64.b64decode(m.group(1)) == subset("fa-AF", "کابل ۱۴۰۳")
    ranges = m.group(2).split(",")
    assert "U+06A9" in ranges and "U+06F1" in ranges and "U+0020" in ranges
    assert "U+0041" not in ranges  # Latin stays with the page's fonts
    assert len(css) < 20_000  # a handful of labels costs a few kB of the 600 kB budget


def test_still_rc_puts_the_editions_font_first_and_outlines_svg_text() -> None:
    rc = still_rc("ur", "DejaVu Sans")
    assert rc == {
        "font.family": ["Noto Nastaliq Urdu", "DejaVu Sans"],
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
    }
    from matplotlib.font_manager import FontProperties, findfont

    found = findfont(FontProperties(family="Noto Nastaliq Urdu"), fallback_to_default=False)
    assert found == str(font_file("ur"))


def test_a_subset_is_the_same_bytes_with_or_without_harfbuzz_installed(monkeypatch) -> None:
    # fontTools packs GSUB/GPOS with HarfBuzz's repacker where uharfbuzz is importable (the
    # tests' extra, not the package's dependencies): a page built after `pip install .` differed
    # from one built here until the repacker was switched off
    from fontTools.ttLib.tables import otBase

    from geo.i18n import fonts

    text = "د ډیورنډ کرښې د نښتو نقشه ۱۲۳"
    fonts._subset.cache_clear()
    with_hb = fonts.subset("ps", text)
    monkeypatch.setattr(otBase, "have_uharfbuzz", False)
    fonts._subset.cache_clear()
    without = fonts.subset("ps", text)
    fonts._subset.cache_clear()
    assert otBase.have_uharfbuzz is False and with_hb == without
