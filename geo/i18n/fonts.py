"""The Arabic-script fonts of the editions: the shipped files, a TrueType copy, and subsets.

The fonts are the Arabic subsets of Noto Naskh Arabic (Pashto, Dari) and Noto Nastaliq Urdu
(Urdu) as the Fontsource npm packages ship them, kept in ``geo/locale/fonts`` (WOFF 1.0, read
by fontTools without extra packages; ``scripts/make_i18n_data.py`` fetches them, pinned). Both
are under the SIL Open Font License 1.1 (the licence files lie beside them). They cover the
Arabic block and its presentation forms but not ASCII: Latin text and digits in an Urdu label
come from the text's other fonts (matplotlib's font fallback, the page's CSS stack).

:func:`subset` cuts a font down to the characters a page or a still uses, with every OpenType
layout feature kept (Arabic joining forms, marks, ligatures are reached through GSUB from the
characters), and returns the same bytes for the same text. A page embeds it as WOFF2 (Brotli,
deterministic: the ``brotli`` package), about a third smaller than WOFF's zlib for Nastaliq.
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import io
import shutil
import tempfile
from functools import cache, lru_cache
from pathlib import Path

from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont

from geo._errors import InputError
from geo.i18n.editions import LOCALE_DIR, edition

FONT_DIR = LOCALE_DIR / "fonts"
#: Characters every subset keeps: the space, the joiners and the bidi marks that shape or
#: order Arabic-script text (ZWNJ in Dari compounds, ZWJ, LRM/RLM, ALM).
_ALWAYS = " \u200c\u200d\u200e\u200f\u061c"


def font_source(lang: str) -> Path:
    """The shipped font file of an edition; :class:`InputError` for English (no extra font)."""
    ed = edition(lang)
    if not ed.font:
        msg = f"the {lang!r} edition uses the page's and the stills' default fonts"
        raise InputError(msg)
    return FONT_DIR / ed.font


_REPACKER = "fontTools.ttLib.tables.otBase:USE_HARFBUZZ_REPACKER"


def _load(lang: str) -> TTFont:
    # recalcTimestamp=False: saving must not stamp the current time into the 'head' table;
    # no HarfBuzz repacker: fontTools packs GSUB/GPOS with it only where uharfbuzz happens to
    # be installed (the tests' extra), and the same page would then differ between machines
    return TTFont(font_source(lang), recalcTimestamp=False, lazy=False, cfg={_REPACKER: False})


@cache
def font_bytes(lang: str) -> bytes:
    """The edition's font as plain TrueType (``.ttf``) bytes, decoded from the shipped WOFF."""
    font = _load(lang)
    font.flavor = None
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


_CACHE: list[Path] = []


def font_file(lang: str) -> Path:
    """A TrueType file of the edition's font for tools that need a path (matplotlib, FreeType).

    Written once per process to a temporary folder (removed at exit), named by content.
    """
    data = font_bytes(lang)
    if not _CACHE:
        folder = Path(tempfile.mkdtemp(prefix="geo-fonts-"))
        atexit.register(shutil.rmtree, folder, True)
        _CACHE.append(folder)
    stem = Path(edition(lang).font).stem
    path = _CACHE[0] / f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}.ttf"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path


#: The flavors :func:`subset` writes: WOFF2 and WOFF for a page, None for plain TrueType.
FLAVORS = ("woff2", "woff", None)


def subset(lang: str, text: str, *, flavor: str | None = "woff2") -> bytes:
    """The edition's font cut to the characters of ``text`` (plus space, joiners, bidi marks).

    Parameters
    ----------
    lang : str
        The edition (``"ps"``, ``"fa-AF"``, ``"ur"``).
    text : str
        Every string the output shows in this font; characters the font lacks are ignored.
    flavor : str or None
        ``"woff2"`` (Brotli, what a page's ``@font-face`` embeds), ``"woff"`` (zlib) or
        ``None`` (TrueType, for a still).

    Returns
    -------
    bytes
        The subset font; the same text gives the same bytes.
    """
    if flavor not in FLAVORS:
        msg = (
            f"font flavor {flavor!r} is not supported; accepted: 'woff2', 'woff' or None (TrueType)"
        )
        raise InputError(msg)
    return _subset(lang, "".join(sorted(set(text) | set(_ALWAYS))), flavor)


@lru_cache(maxsize=32)
def _subset(lang: str, chars: str, flavor: str | None) -> bytes:
    """:func:`subset` of a sorted character set, kept: the pages of a batch share their
    strings, and cutting Nastaliq takes seconds."""
    font = _load(lang)
    options = ft_subset.Options()
    options.layout_features = ["*"]  # shaping needs every feature: init/medi/fina, mark, rlig …
    options.name_IDs = ["*"]  # keep the copyright and licence records the OFL asks to keep
    options.notdef_outline = True
    # no glyph names (post format 3): shaping goes by glyph id, and Nastaliq's 700 names
    # weigh 11 KB
    options.glyph_names = False
    options.recalc_timestamp = False
    options.flavor = flavor
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out, reorderTables=True)
    return out.getvalue()


def family(lang: str) -> str:
    """The family name of the edition's font (``"Noto Naskh Arabic"``), from its name table."""
    return str(_load(lang)["name"].getDebugName(1))


def font_face_css(lang: str, text: str) -> str:
    """A CSS ``@font-face`` rule that embeds the subset for ``text`` as a data URI.

    The page can then name the family first in its font stack and work offline; the
    ``unicode-range`` is the subset's own characters, so Latin text keeps the page's fonts.
    The same text gives the same rule, byte for byte.
    """
    data = subset(lang, text, flavor="woff2")
    chars = sorted(TTFont(io.BytesIO(data)).getBestCmap())
    ranges = ",".join(f"U+{c:04X}" for c in chars)
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'@font-face{{font-family:"{family(lang)}";font-style:normal;font-weight:400;'
        f'font-display:block;src:url(data:font/woff2;base64,{encoded}) format("woff2");'
        f"unicode-range:{ranges}}}"
    )


def still_rc(lang: str, fallback: str) -> dict[str, object]:
    """matplotlib settings for a still in the edition's script (to merge over the stills' own).

    The edition's font first, ``fallback`` (the stills' font) for the Latin letters, digits
    and ASCII punctuation the Arabic subset lacks; SVG text as glyph outlines, because with
    ``svg.fonttype = "none"`` shaping and the font would be left to the viewer, which may not
    have either. PDF keeps Type 42: matplotlib embeds the shaped glyphs (tests/i18n).
    """
    from matplotlib import font_manager

    path = font_file(lang)
    if family(lang) not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    return {"font.family": [family(lang), fallback], "svg.fonttype": "path", "pdf.fonttype": 42}
