"""Solar Hijri dates (Afghanistan's official calendar): conversion, formatting, parsing.

The arithmetic is jdatetime's (the Solar Hijri calendar as Iran and Afghanistan both define it
since the 1920s: six months of 31 days, five of 30, the last of 29 or 30). The month names,
era and date patterns are CLDR's Persian calendar for the locale (``geo/locale/cldr.json``):
the Afghan names (Hamal, Sawr, …) in Dari, the Pashto names (Wray, Ghwayay, …) in Pashto.

Typed dates are accepted in either calendar: ISO-like ``y-m-d`` (``/`` and ``.`` too, in
Latin, Arabic-Indic or Eastern Arabic-Indic digits) or ``d MONTH y`` with a CLDR month name.
The calendar is told by a month name, a marker (``ه.ش`` / ``AP`` / ``SH`` for Solar Hijri,
``AD`` / ``م`` for Gregorian), or else by the year: the Solar Hijri years of any modern
record (1300–1599, i.e. 1921–2221) never overlap the Gregorian years this tool reads.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import cast

import jdatetime
from babel import Locale
from babel.dates import tokenize_pattern

from geo._errors import InputError
from geo.i18n.editions import cldr, edition
from geo.i18n.formatting import digits, format_gregorian

#: Years below this are Solar Hijri when nothing else tells the calendar.
_FIRST_GREGORIAN_YEAR = 1600
_DIGIT_MAP = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SOLAR_MARKERS = ("ه\u200d.ش.", "ه.ش.", "ه.ش", "هـ ش", "هـ.ش", "AP", "SH")
_GREGORIAN_MARKERS = ("AD", "CE", "م")
_NUMERIC = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")
_WORDS = re.compile(r"^(\d{1,2})\s+(\S+(?:\s\S+)?)\s+(\d{3,4})$")
_ACCEPTED = (
    "accepted: y-m-d (or y/m/d, y.m.d) or 'd MONTH y' with a month name, in Latin or "
    "Arabic-script digits, in the Gregorian or the Solar Hijri calendar, e.g. '2024-03-20', "
    "'1403-01-01', '1 حمل 1403'"
)


def to_solar(day: dt.date) -> tuple[int, int, int]:
    """The Solar Hijri ``(year, month, day)`` of a Gregorian date.

    Examples
    --------
    >>> to_solar(dt.date(2024, 3, 20))
    (1403, 1, 1)
    """
    s = jdatetime.date.fromgregorian(date=day)
    return (s.year, s.month, s.day)


def from_solar(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Solar Hijri date; ``ValueError`` for a day the calendar lacks."""
    g = jdatetime.date(year, month, day).togregorian()
    return dt.date(g.year, g.month, g.day)


def month_names(lang: str) -> list[str]:
    """CLDR's twelve Persian-calendar month names (format, wide) for the edition's language."""
    return list(cldr()["persian"][_cldr_locale(lang)]["months_wide"])


def format_solar(day: dt.date, lang: str, *, format: str = "long") -> str:
    """A date in the Solar Hijri calendar with CLDR's pattern and month names for the edition.

    Examples
    --------
    >>> format_solar(dt.date(2024, 3, 20), "fa-AF")
    '۱ حمل ۱۴۰۳'
    """
    data = cldr()["persian"][_cldr_locale(lang)]
    year, month, mday = to_solar(day)
    loc = Locale.parse(edition(lang).locale)
    out = []
    for kind, value in tokenize_pattern(data["date_formats"].get(format, format)):
        if kind == "chars":
            out.append(str(value))
            continue
        char, count = cast("tuple[str, int]", value)
        if char == "y":
            out.append(str(year))
        elif char == "M":
            names = data["months_wide"]
            out.append(names[month - 1] if count >= 3 else str(month).zfill(count))
        elif char == "d":
            out.append(str(mday).zfill(count))
        elif char == "G":
            out.append(data["era_abbr"])
        elif char == "E":
            out.append(str(loc.days["format"]["wide"][day.weekday()]))
        else:
            msg = f"date pattern field {char!r} is not supported for the Solar Hijri calendar"
            raise ValueError(msg)
    return digits("".join(out), lang)


def format_date(day: dt.date, lang: str, *, format: str = "long") -> str:
    """A date as the edition shows it: Solar Hijri with the Gregorian date in parentheses
    where CLDR's calendar preference for its territory puts the Persian calendar first
    (Afghanistan: the Pashto and Dari editions), else the Gregorian date alone."""
    gregorian = format_gregorian(day, lang, format=format)
    if edition(lang).calendars[:1] == ("persian",):
        return f"{format_solar(day, lang, format=format)} ({gregorian})"
    return gregorian


def parse_date(text: str, lang: str, *, field: str = "date") -> dt.date:
    """A typed date in the Gregorian or the Solar Hijri calendar, as a Gregorian date.

    Raises :class:`InputError` naming the field, the value and the accepted forms.

    Examples
    --------
    >>> parse_date("۱۴۰۳/۱/۱", "fa-AF")
    datetime.date(2024, 3, 20)
    >>> parse_date("20 March 2024", "en")
    datetime.date(2024, 3, 20)
    """
    if not isinstance(text, str):
        raise InputError(f"{field}: {text!r} is not text; {_ACCEPTED}")
    clean, marked = _strip_marker(" ".join(text.translate(_DIGIT_MAP).split()))
    numeric = _NUMERIC.match(clean)
    if numeric:
        a, b, c = (int(g) for g in numeric.groups())
        year, month, mday = (c, b, a) if len(numeric.group(3)) > 2 else (a, b, c)
        calendar = marked
    else:
        words = _WORDS.match(clean)
        named = _month_by_name(words.group(2), lang) if words else None
        if words is None or named is None:
            raise InputError(f"{field}: {text!r} is not a date; {_ACCEPTED}")
        calendar, month = named
        if marked and marked != calendar:
            raise InputError(f"{field}: {text!r} names a month and a calendar that disagree")
        year, mday = int(words.group(3)), int(words.group(1))
    calendar = calendar or ("persian" if year < _FIRST_GREGORIAN_YEAR else "gregorian")
    try:
        if calendar == "persian":
            return from_solar(year, month, mday)
        return dt.date(year, month, mday)
    except ValueError as err:
        name = "Solar Hijri" if calendar == "persian" else "Gregorian"
        raise InputError(f"{field}: {text!r} is not a day of the {name} calendar ({err})") from None


def _cldr_locale(lang: str) -> str:
    tag = edition(lang).tag
    if tag not in cldr()["persian"]:
        msg = f"no Solar Hijri month names for {lang!r}; editions with them: fa-AF, ps, ur"
        raise InputError(msg)
    return tag


def _strip_marker(text: str) -> tuple[str, str | None]:
    for markers, calendar in ((_SOLAR_MARKERS, "persian"), (_GREGORIAN_MARKERS, "gregorian")):
        for marker in markers:
            if text.endswith(" " + marker) or (text.endswith(marker) and marker[0] == "ه"):
                return text[: -len(marker)].strip(), calendar
    return text, None


def _month_by_name(name: str, lang: str) -> tuple[str, int] | None:
    """``(calendar, month)`` for a CLDR month name (wide or abbreviated) of the edition's or
    the English locale, Gregorian or Persian; ``None`` when it is no month name."""
    wanted = name.casefold().replace("\u0643", "\u06a9").replace("\u064a", "\u06cc")
    for locale in dict.fromkeys((edition(lang).locale, "en")):
        months = Locale.parse(locale).months
        for width in ("wide", "abbreviated"):
            for ctx in ("format", "stand-alone"):
                for number, month in months[ctx][width].items():
                    if str(month).casefold() == wanted:
                        return "gregorian", int(number)
    for names in (v["months_wide"] for v in cldr()["persian"].values()):
        normal = [n.replace("\u0643", "\u06a9").replace("\u064a", "\u06cc") for n in names]
        if wanted in normal:
            return "persian", normal.index(wanted) + 1
    return None
