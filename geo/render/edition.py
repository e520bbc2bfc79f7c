"""The page in a language edition (Pashto, Dari, Urdu): its scripts, style, data and direction.

The English page is the source: its scripts, style and configuration are not touched by the
editions, so its bytes stay as they were. An edition's page is derived from it here:

- the scripts (:func:`edition_script`): each fixed English literal that the catalogue
  template counts (:func:`geo.i18n.extract.ui_literals`, the rule that makes ``geo.pot``)
  becomes the catalogue's text as a JavaScript string literal (:func:`geo.render._util.
  script_json`: inert in a ``<script>``), and ``edition.js`` runs after ``core.js``;
- the configuration's ``i18n`` (:func:`edition_config`): the messages ``edition.js`` looks
  up, the edition's digits, CLDR's month names, date patterns and list separator, the Solar
  Hijri years (which ``edition.js`` also reads typed Solar Hijri dates with);
  the legend's titles and labels in the edition's language (:func:`localise_legend`);
- the style (:func:`edition_style`): ``rtl.css`` for a right-to-left edition and the
  edition's font, subset to the characters the page's own strings use, as ``@font-face``.

Catalogue text is text everywhere: the page sets it with ``textContent``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from typing import Any

import rcssmin
import rjsmin
from babel import Locale
from babel.dates import get_date_format, get_month_names

from geo.i18n.catalog import translations
from geo.i18n.editions import cldr, edition
from geo.i18n.extract import js_messages, ui_literals
from geo.i18n.fonts import family, font_face_css
from geo.i18n.formatting import digits, directed
from geo.i18n.names import local_names
from geo.i18n.solar import from_solar, month_names
from geo.render._util import script_json
from geo.render.assets import STATIC_JS, static_text

#: The edition's own script, run right after ``core.js`` (load order as its header says).
EDITION_JS = ("edition.js",)
_AFTER = "core.js"
#: The messages ``edition.js`` looks up (``t("...")``, the extractor's rule): carried in the
#: configuration.
EDITION_MESSAGES = tuple(js_messages(static_text("edition.js")))
#: Solar Hijri years carried for the page's dates: 1272 AP began in March 1893, before the
#: shipped record's first event; 1500 AP ends in 2122.
_SOLAR_YEARS = range(1250, 1501)
_EPOCH = dt.date(1970, 1, 1)


def is_english(lang: str) -> bool:
    """Whether ``lang`` is the source edition (the page as it has always been)."""
    return not edition(lang).catalogue


def _text(msgid: str, lang: str) -> str:
    return translations(lang).gettext(msgid)


def localise_js(source: str, lang: str) -> str:
    """A script with each fixed English literal replaced by the edition's text (a JSON string
    literal, safe in a ``<script>``, its letters as UTF-8 rather than escapes); literals
    without a translation stay English."""
    out, at = [], 0
    for start, end, msgid in ui_literals(source):
        text = _text(msgid, lang)
        if text != msgid:
            out += [source[at:start], script_json(text, ascii_only=False)]
            at = end
    out.append(source[at:])
    return "".join(out)


@functools.cache
def edition_script(lang: str) -> str:
    """The page's scripts in the edition (minified as :func:`geo.render.page.page_script`)."""
    parts = []
    for name in STATIC_JS:
        parts.append(localise_js(static_text(name), lang))
        if name == _AFTER:
            parts.extend(localise_js(static_text(extra), lang) for extra in EDITION_JS)
    return str(rjsmin.jsmin("\n".join(parts)))


def solar_years() -> dict[str, Any]:
    """The Solar Hijri years the page's dates may fall in, compact (``edition.js`` expands it):
    ``from`` (the first year), ``day`` (its 1 Hamal, days since 1970-01-01) and ``long``, a
    ``"1"`` for each year of 366 days and ``"0"`` for one of 365 (the last year's length is
    not needed: its 1 Hamal ends the range). From the calendar library; 3 KB less than a
    list of every year's first day."""
    starts = [(from_solar(y, 1, 1) - _EPOCH).days for y in _SOLAR_YEARS]
    lengths = [b - a for a, b in itertools.pairwise(starts)]
    if set(lengths) - {365, 366}:  # the calendar library's, not the user's: never expected
        msg = f"Solar Hijri years of {sorted(set(lengths) - {365, 366})} days from jdatetime"
        raise ValueError(msg)
    return {
        "from": _SOLAR_YEARS[0],
        "day": starts[0],
        "long": "".join("1" if n == 366 else "0" for n in lengths),
    }


def _persian_locale(lang: str) -> str:
    return lang if lang in cldr()["persian"] else lang.split("-")[0]


def _list_separator(loc: Locale) -> str:
    middle = str(loc.list_patterns["standard"]["middle"])
    return middle.replace("{0}", "").replace("{1}", "")


def edition_config(lang: str) -> dict[str, Any]:
    """The configuration's ``i18n``: what ``edition.js`` needs, from the catalogue and CLDR."""
    ed = edition(lang)
    loc = Locale.parse(ed.locale)
    system = cldr()["numbering_systems"][ed.numbering_system]
    wide = get_month_names("wide", locale=loc)
    short = get_month_names("abbreviated", locale=loc)
    month_pattern = loc.datetime_skeletons.get("yMMMM")
    config: dict[str, Any] = {
        "lang": ed.tag,
        "dir": ed.direction,
        "digits": system,
        # the separator of a list's middle items, as CLDR gives it ("، ")
        "listSeparator": _list_separator(loc),
        "strings": {m: _text(m, lang) for m in EDITION_MESSAGES if _text(m, lang) != m},
        "gregorian": {
            "months": [wide[k] for k in range(1, 13)],
            "monthsShort": [short[k] for k in range(1, 13)],
            "day": get_date_format("long", locale=loc).pattern,
            "month": month_pattern.pattern if month_pattern is not None else "MMMM y",
        },
        "solar": None,
    }
    if ed.calendars[:1] == ("persian",):
        data = cldr()["persian"][_persian_locale(lang)]
        config["solar"] = {
            "months": month_names(lang),
            "era": data["era_abbr"],
            "day": data["date_formats"]["long"],
            "years": solar_years(),
        }
    return config


def map_title(title: str, lang: str) -> str:
    """A map's title in an edition: the default title (``MapOptions.title``) in the edition's
    language; a title given by the user stays as given. The page and the stills alike."""
    from geo.render.options import MapOptions

    if lang != "en" and title == MapOptions.title:
        return translations(lang).gettext(title)
    return title


def localise_legend(sections: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The legend's sections with their ``title`` and ``label`` texts in the edition's language
    (the keys the catalogue template reads in ``legend.py``); numbers in its digits."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key in ("title", "label") and isinstance(value, str):
                    text = _text(value, lang)
                    value = digits(text, lang) if text.isdigit() else text
                out[key] = walk(value) if key not in ("title", "label") else value
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return [walk(section) for section in sections]


def still_legend(sections: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The legend of a still in an edition: :func:`localise_legend`, each title and label
    set to run in the edition's direction (:func:`geo.i18n.formatting.directed`), since
    matplotlib takes a line's direction from its first letter."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: directed(v, lang) if k in ("title", "label") and isinstance(v, str) else walk(v)
                for k, v in node.items()
            }
        return [walk(item) for item in node] if isinstance(node, list) else node

    return [walk(section) for section in localise_legend(sections, lang)]


def page_strings(page: dict[str, Any], lang: str) -> str:
    """Every character the edition's own strings put on the page (the font's subset)."""
    texts = [_text(msgid, lang) for msgid in _all_msgids()]
    config = edition_config(lang)
    texts += config["gregorian"]["months"] + config["gregorian"]["monthsShort"]
    if config["solar"]:
        texts += [*config["solar"]["months"], config["solar"]["era"]]
    texts += [config["digits"], config["listSeparator"]]
    texts.append(json.dumps(localise_legend(page.get("legend", []), lang), ensure_ascii=False))
    texts += local_names(lang)  # the places' names: labels, tooltips (geo.i18n.names)
    return "".join(texts)


@functools.cache
def _all_msgids() -> tuple[str, ...]:
    from geo.i18n.catalog import read_catalogue, template_path

    return tuple(str(m.id) for m in read_catalogue(template_path()) if m.id)


def edition_style(lang: str, text: str) -> str:
    """The edition's extra style: ``rtl.css`` when it runs right to left, and its font (subset
    to ``text``) first in the page's font stack."""
    ed = edition(lang)
    css = font_face_css(lang, text) if ed.font else ""
    stack = f'"{family(lang)}", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
    css += rcssmin.cssmin(static_text("rtl.css")) if ed.direction == "rtl" else ""
    return css.replace("var(--geo-edition-font)", stack)
