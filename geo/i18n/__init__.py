"""Language editions of the outputs: Pashto (``ps``), Dari (``fa-AF``) and Urdu (``ur``).

The foundations of issue 24 (the page and the stills use them through
:mod:`geo.render.edition`, ``--lang``): message catalogues
(:mod:`geo.i18n.catalog`), CLDR formatting (:mod:`geo.i18n.formatting`), Solar Hijri dates
(:mod:`geo.i18n.solar`) and the Arabic-script fonts (:mod:`geo.i18n.fonts`).
"""

from __future__ import annotations

from geo.i18n.catalog import translate, translations
from geo.i18n.editions import EDITIONS, Edition, edition
from geo.i18n.formatting import (
    country_name,
    digits,
    directed,
    format_gregorian,
    format_number,
    language_name,
)
from geo.i18n.solar import format_date, format_solar, from_solar, parse_date, to_solar

__all__ = [
    "EDITIONS",
    "Edition",
    "country_name",
    "digits",
    "directed",
    "edition",
    "format_date",
    "format_gregorian",
    "format_number",
    "format_solar",
    "from_solar",
    "language_name",
    "parse_date",
    "to_solar",
    "translate",
    "translations",
]
