"""The words, numbers and dates of the Python-made outputs in an edition's language.

The stills' subtitle and credits, the "Sources and methods" lines (the page's panel and print
caption), the batch index, the embed snippet and the animation's frames take their fixed
English from here: :func:`tr` looks a message up in the edition's catalogue and fills its
``{name}`` placeholders as text (:func:`geo.i18n.catalog.translate`: nothing is evaluated);
:func:`N_` marks a message that is looked up later. The catalogue template lists both
(:mod:`geo.i18n.extract` reads ``tr("...")`` and ``N_("...")`` in :data:`~geo.i18n.extract.
PYTHON_MESSAGE_SOURCES`).

English is the catalogues' source: ``tr(msgid, "en", ...)`` is the message as written, its
numbers grouped as ``f"{n:,}"`` and its days as ``7 Dec 2026``, so the English outputs keep
their bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from geo._messages import N_
from geo.i18n import catalog
from geo.i18n.editions import edition
from geo.i18n.formatting import digits, format_number
from geo.i18n.solar import format_date


def tr(msgid: str, lang: str, /, **values: object) -> str:
    """The message in the edition's language with its placeholders filled as text.

    Examples
    --------
    >>> tr("{count} events", "en", count="1,204")
    '1,204 events'
    """
    return catalog.translate(msgid, lang, **values)  # looked up here: a test may swap it


def number(value: float, lang: str) -> str:
    """A whole number grouped as the edition groups it (English: ``1,234``)."""
    if lang == "en":
        return f"{value:,}"
    return format_number(value, lang)


def figure(text: str, lang: str) -> str:
    """A figure already written (``25``, ``2.5``) in the edition's digits."""
    return text if lang == "en" else digits(text, lang)


def day(value: dt.date, lang: str) -> str:
    """A day as the outputs give it: ``7 Dec 2026`` in English; in an edition its calendar's
    long form, Solar Hijri with the Gregorian date in parentheses where the edition's
    territory puts the Solar Hijri calendar first (:func:`geo.i18n.solar.format_date`)."""
    if hasattr(value, "date") and callable(value.date):  # a pandas or datetime timestamp
        value = value.date()
    if lang == "en":
        return f"{value.day} {value:%b %Y}"
    return format_date(value, lang, format="long")


def listed(items: Sequence[str], lang: str) -> str:
    """Items joined by the edition's comma (``، `` in the right-to-left editions)."""
    comma = "\u060c " if edition(lang).direction == "rtl" else ", "
    return comma.join(items)


def full_stop(lang: str) -> str:
    """The sentence's end: ``.``, or the Urdu full stop ``۔`` (U+06D4) in Urdu."""
    return "\u06d4" if edition(lang).locale.startswith("ur") else "."


def joined(items: Sequence[str], lang: str, sep: str = "; ") -> str:
    """Items joined by ``sep``, the Arabic semicolon in the right-to-left editions."""
    if edition(lang).direction == "rtl":
        sep = sep.replace(";", "\u061b").replace(",", "\u060c")
    return sep.join(items)


__all__ = ["N_", "day", "figure", "full_stop", "joined", "listed", "number", "tr"]
