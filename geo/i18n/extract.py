"""The fixed English strings the page and the stills show, found in the sources as they are.

The catalogue template ``geo/locale/geo.pot`` is this list (``scripts/update_catalogues.py``
writes it, and a test checks it is current), so a string added to the page's scripts or to
the legend without a catalogue entry fails the tests. The English stays where it is written:
the catalogues key on it, they do not replace it.

What counts as a fixed string is a rule on string literals, kept deliberately plain:

- in ``geo/static/*.js``: a literal that starts with a capital letter and reads as words
  (letters, spaces and ``’',:;()…·.-``, ending in a letter, ``.``, ``:``, ``…`` or ``)``),
  unless it is compared with data (``=== "Other"``), is a key name, a GeoJSON type or an
  English month name (dates come from CLDR, not from the catalogues);
- in ``geo/static/*.js``: the first argument of a message lookup, ``t("{count} events")``
  (``edition.js``: messages looked up at run time, their placeholders filled; such a
  literal is a key, which :func:`ui_literals` leaves as it is);
- in ``geo/render/legend.py`` and ``geo/render/static.py``: the literal value of a
  ``"title"`` or ``"label"`` key;
- in ``geo/render/options.py``: the default title of a map (``title: str = "..."``);
- in :data:`PYTHON_MESSAGE_SOURCES`: the first argument of ``tr("...")`` and ``N_("...")``
  (:mod:`geo.i18n.words`: the stills' subtitle and credits, the methods lines, the batch
  index, the embed snippet, the animation's frames).

Strings built by concatenation (``"Shown: " + n + " of " + total``) are not found yet: they
need rewriting as one message with placeholders first (``"Shown: {shown} of {total} events"``).
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_JS_WORDS = re.compile(r"""(?<![=!]==\s)(?<![=!]==)"([A-Z][A-Za-z’', :;()…·.-]*[a-z.:…)])\"""")
_JS_MESSAGE = re.compile(r"""\bt\("((?:[^"\\\n])+)\"""")
_PY_KEYED = re.compile(r"""["'](?:title|label)["']\s*:\s*"([^"{}]+)\"""")
_NOT_UI = frozenset(
    {
        "Home",
        "End",
        "Escape",
        "Enter",
        "Feature",
        "FeatureCollection",
        "Point",
        "Polygon",
        "MultiPolygon",
        "Kabul, Kabul, Kabul",
    }
    | set(calendar.month_name[1:])
    | set(calendar.month_abbr[1:])
)
PYTHON_SOURCES = ("render/legend.py", "render/static.py")
#: The modules whose messages are ``tr("...")`` and ``N_("...")`` calls (geo.i18n.words).
PYTHON_MESSAGE_SOURCES = (
    "animate.py",
    "api.py",
    "batch.py",
    "embed.py",
    "filters.py",
    "i18n/names.py",
    "methods.py",
    "render/map.py",
    "render/options.py",
    "render/static.py",
    "worldview.py",
)
#: One literal per message (the tests find each message as written in its files).
_PY_MESSAGE = re.compile(r"""\b(?:tr|N_)\(\s*"([^"\\\n]+)\"""")
_DEFAULT_TITLE = re.compile(r"""^\s+title: str = "([^"]+)\"""", re.M)


def extract(root: Path = ROOT) -> dict[str, list[str]]:
    """Every fixed UI string, with the files (relative to the repository) it is written in.

    Returns
    -------
    dict
        ``{msgid: [location, ...]}`` sorted by message, each location ``"geo/static/x.js"``.
    """
    found: dict[str, set[str]] = {}
    for path in sorted((root / "static").glob("*.js")):
        text = path.read_text("utf-8")
        for _start, _end, msgid in ui_literals(text):
            found.setdefault(msgid, set()).add(f"geo/static/{path.name}")
        for msgid in js_messages(text):
            found.setdefault(msgid, set()).add(f"geo/static/{path.name}")
    for rel in PYTHON_SOURCES:
        for match in _PY_KEYED.finditer((root / rel).read_text("utf-8")):
            found.setdefault(match.group(1), set()).add(f"geo/{rel}")
    for rel in PYTHON_MESSAGE_SOURCES:
        if not (root / rel).is_file():  # a partial tree (the extractor's own tests)
            continue
        for match in _PY_MESSAGE.finditer((root / rel).read_text("utf-8")):
            found.setdefault(match.group(1), set()).add(f"geo/{rel}")
    for match in _DEFAULT_TITLE.finditer((root / "render/options.py").read_text("utf-8")):
        found.setdefault(match.group(1), set()).add("geo/render/options.py")
    return {msgid: sorted(found[msgid]) for msgid in sorted(found)}


def ui_literals(text: str) -> list[tuple[int, int, str]]:
    """The fixed UI strings of a script, as ``(start, end, msgid)``: the span of each quoted
    literal (quotes included) the rule above counts, outside comments."""
    return [
        (m.start(), m.end(), m.group(1))
        for m in _JS_WORDS.finditer(text)
        if not _is_comment(text, m.start())
        and m.group(1) not in _NOT_UI
        and not _is_message(text, m.start())
    ]


def _is_message(text: str, at: int) -> bool:
    """Whether the literal at ``at`` is a message lookup's key, ``t("...")``: the page looks
    it up in the configuration's messages, so it stays the English key."""
    before = text[at - 3 : at] if at >= 3 else " " + text[:at]
    return before[1:] == "t(" and not (before[0].isalnum() or before[0] == "_")


def js_messages(text: str) -> list[str]:
    """The messages a script looks up, ``t("{count} events")``, in order, each once."""
    found = [m.group(1) for m in _JS_MESSAGE.finditer(text) if not _is_comment(text, m.start())]
    return list(dict.fromkeys(found))


def _is_comment(text: str, at: int) -> bool:
    """Whether position ``at`` lies in a comment (literals quoted there are prose)."""
    if text.rfind("/*", 0, at) > text.rfind("*/", 0, at):
        return True
    line = text[text.rfind("\n", 0, at) + 1 : at]
    return "//" in line.replace("://", "")
