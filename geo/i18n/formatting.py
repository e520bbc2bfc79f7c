"""Numbers, Gregorian dates, language and country names in an edition's conventions, from CLDR.

Babel carries CLDR's number symbols, patterns, month names and display names; it does not
carry the digits of a numbering system (it formats with Latin digits and the symbols of the
system asked for), so the digits come from CLDR's ``numberingSystems`` (``cldr.json``).
"""

from __future__ import annotations

import datetime as dt
import re

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal

from geo.i18n.editions import cldr, edition

_LATIN = "0123456789"


def digits(text: str, lang: str) -> str:
    """``text`` with its Latin digits written in the edition's default numbering system.

    Only the ASCII digits change; every other character (Latin names, punctuation) stays.

    Examples
    --------
    >>> digits("1403", "fa-AF")
    '۱۴۰۳'
    >>> digits("1403", "ur")
    '1403'
    """
    system = cldr()["numbering_systems"][edition(lang).numbering_system]
    return text.translate(str.maketrans(_LATIN, system))


def format_number(value: float, lang: str, *, pattern: str | None = None) -> str:
    """A number with the edition's grouping and decimal symbols and digits (CLDR).

    Examples
    --------
    >>> format_number(1234567.5, "ps")
    '۱٬۲۳۴٬۵۶۷٫۵'
    """
    ed = edition(lang)
    text = format_decimal(value, pattern, locale=ed.locale, numbering_system="default")
    return digits(text, lang)


def format_gregorian(day: dt.date, lang: str, *, format: str = "long") -> str:
    """A Gregorian date with CLDR's month names and pattern for the edition.

    ``format`` is a CLDR length (``"short"``, ``"medium"``, ``"long"``, ``"full"``) or a
    CLDR pattern (``"d MMMM y"``).

    Examples
    --------
    >>> format_gregorian(dt.date(2024, 3, 20), "fa-AF")
    '۲۰ مارچ ۲۰۲۴'
    """
    ed = edition(lang)
    return digits(_babel_format_date(day, format=format, locale=ed.locale), lang)


def language_name(code: str, lang: str) -> str:
    """The name of a language (``"ps"``, ``"fa_AF"``) in the edition's language, from CLDR."""
    loc = Locale.parse(edition(lang).locale)
    name = Locale.parse(code).get_display_name(loc)
    if name is None:
        msg = f"CLDR has no name for the language {code!r} in {lang!r}"
        raise KeyError(msg)
    return str(name)


def country_name(code: str, lang: str) -> str:
    """The name of a country (ISO 3166-1 alpha-2, ``"AF"``) in the edition's language (CLDR)."""
    names = Locale.parse(edition(lang).locale).territories
    if code not in names:
        msg = f"CLDR has no country {code!r}; give an ISO 3166-1 alpha-2 code such as 'AF'"
        raise KeyError(msg)
    return str(names[code])


#: A letter of a right-to-left script (Arabic and its supplements and presentation forms).
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def directed(text: str, lang: str) -> str:
    """``text`` set to run in the edition's direction whatever its first letter.

    A renderer takes a line's direction from its first strong character (Unicode bidi rule
    P2), so ``"Torkham تورخم"`` would run left to right. For a right-to-left edition a RIGHT-TO-
    LEFT MARK is put first (matplotlib 3.11 honours it, tests/i18n/test_shaping.py); for the
    others the text is unchanged. Text with no right-to-left letter (an English fallback where
    the catalogue has none, a Latin name) keeps its own direction: marked, its closing
    punctuation would jump to its start. HTML sets ``dir`` instead and needs no mark.
    """
    if (
        edition(lang).direction == "rtl"
        and not text.startswith("\u200f")
        and _RTL_LETTER.search(text)
    ):
        return "\u200f" + text
    return text
