"""The editions: which language, locale, script direction, digits, calendars and font each uses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from geo._errors import InputError

#: The folder of the catalogues, fonts and CLDR extracts (shipped in the wheel as ``geo/locale``).
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@dataclass(frozen=True)
class Edition:
    """One language edition of the outputs.

    Parameters
    ----------
    tag : str
        The BCP 47 tag the page declares in ``lang`` and the option takes (``"fa-AF"``).
    locale : str
        The Babel/CLDR locale whose data formats numbers and dates (``"fa_AF"``).
    catalogue : str
        The folder of its gettext catalogue under ``geo/locale`` (``"fa_AF"``); empty for English,
        whose text is the catalogues' source.
    territory : str
        The ISO 3166-1 region whose CLDR calendar preference decides the calendars shown.
    font : str
        The Arabic-script font file under ``geo/locale/fonts``; empty for English.
    """

    tag: str
    locale: str
    catalogue: str
    territory: str
    font: str

    @property
    def direction(self) -> str:
        """``"rtl"`` or ``"ltr"``, from CLDR's character order for the locale."""
        from babel import Locale

        return str(Locale.parse(self.locale).text_direction)

    @property
    def numbering_system(self) -> str:
        """The locale's default numbering system as CLDR gives it (``"arabext"``, ``"latn"``)."""
        from babel import Locale

        return str(Locale.parse(self.locale).default_numbering_system)

    @property
    def calendars(self) -> tuple[str, ...]:
        """The calendars the edition shows, first the primary: those of CLDR's preference list
        for its territory that this package implements (``persian``, ``gregorian``)."""
        prefs = cldr()["calendar_preference"].get(self.territory, ["gregorian"])
        return tuple(c for c in prefs if c in ("persian", "gregorian"))


_NASKH = "noto-naskh-arabic-arabic-400-normal.woff"
_NASTALIQ = "noto-nastaliq-urdu-arabic-400-normal.woff"

#: Every edition, by the tag ``--lang`` will take. Pashto is the Afghan locale (ps_AF): the
#: edition follows the Afghan calendar; Urdu is Pakistan's (ur_PK, CLDR's default for ``ur``).
EDITIONS: dict[str, Edition] = {
    "en": Edition("en", "en", "", "001", ""),
    "ps": Edition("ps", "ps_AF", "ps", "AF", _NASKH),
    "fa-AF": Edition("fa-AF", "fa_AF", "fa_AF", "AF", _NASKH),
    "ur": Edition("ur", "ur_PK", "ur", "PK", _NASTALIQ),
}


def edition(tag: str) -> Edition:
    """The edition for a language tag, or an :class:`InputError` naming the accepted tags.

    Examples
    --------
    >>> edition("fa-AF").locale
    'fa_AF'
    """
    if isinstance(tag, str) and tag in EDITIONS:
        return EDITIONS[tag]
    accepted = ", ".join(EDITIONS)
    msg = f"language {tag!r} is not an edition; accepted: {accepted} (Dari is 'fa-AF')"
    raise InputError(msg)


@cache
def cldr() -> dict[str, Any]:
    """The CLDR extracts Babel does not carry (``geo/locale/cldr.json``, made by
    ``scripts/make_i18n_data.py``): digits, calendar preferences, Persian calendar names."""
    text = (LOCALE_DIR / "cldr.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
