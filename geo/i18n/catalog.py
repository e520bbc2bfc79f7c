"""The message catalogues: gettext ``.po`` files read and compiled with Babel at run time.

``geo/locale/geo.pot`` is the template (the fixed English strings, :mod:`geo.i18n.extract`);
``geo/locale/<catalogue>/LC_MESSAGES/geo.po`` holds one edition's translations. Only the
``.po`` files are kept: :func:`translations` compiles one to ``.mo`` in memory, so a shipped
``.mo`` can never disagree with its ``.po``.

Each translated entry carries its review status as a translator comment, ``# status: draft``
(machine-assisted or unreviewed) or ``# status: reviewed`` (checked by a fluent reader). The
gettext ``fuzzy`` flag keeps its usual meaning (the English changed since the translation was
made) and a fuzzy entry is not used. An empty ``msgstr`` shows the English.

Catalogue text is text: a translation is never evaluated. :func:`translate` fills only
``{name}`` placeholders of the message, with values given by the caller, and the placeholder
set of every translation must equal that of its English (:func:`problems`).
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from geo._errors import InputError
from geo.i18n.editions import EDITIONS, LOCALE_DIR, edition

DOMAIN = "geo"
STATUSES = ("draft", "reviewed")
#: ``{name}`` and ``%(name)s``/``%s``/``%d`` placeholders (the second kind for other tools).
#: ``{{name}}`` is a literal brace pair, not a placeholder (as in ``str.format``).
_PLACEHOLDER = re.compile(
    r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*\}(?!\})|%\([A-Za-z_][A-Za-z0-9_]*\)[sd]|%[sd]"
)
_BRACE_FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
_STATUS = re.compile(r"^status:\s*(\S+)\s*$")


def template_path() -> Path:
    """The catalogue template, ``geo/locale/geo.pot``."""
    return LOCALE_DIR / f"{DOMAIN}.pot"


def catalogue_path(lang: str) -> Path:
    """The ``.po`` file of an edition (``geo/locale/fa_AF/LC_MESSAGES/geo.po``)."""
    ed = edition(lang)
    if not ed.catalogue:
        msg = f"{lang!r} is the source language; it has no catalogue"
        raise InputError(msg)
    return LOCALE_DIR / ed.catalogue / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path) -> Catalog:
    """A ``.po``/``.pot`` file as a Babel catalogue; a malformed file raises :class:`InputError`
    naming the file and the line."""
    try:
        with path.open("rb") as fh:
            return read_po(fh, abort_invalid=True)
    except OSError as err:
        raise InputError(f"{path}: cannot read the catalogue ({err.strerror})") from None
    except Exception as err:  # babel's PoFileError and UnicodeDecodeError
        raise InputError(f"{path}: not a valid gettext catalogue: {err}") from None


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The edition's translations, compiled from its ``.po`` with Babel (English: none)."""
    if not edition(lang).catalogue:
        return gettext.NullTranslations()
    buf = io.BytesIO()
    write_mo(buf, read_catalogue(catalogue_path(lang)), use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def translate(msgid: str, lang: str, /, **values: object) -> str:
    """The message in the edition's language (the English where it has no translation), with
    its ``{name}`` placeholders filled from ``values`` as text.

    Only plain ``{name}`` fields are filled; nothing in a translation is evaluated, so
    ``{0.__class__}`` or ``{{7*7}}`` in a catalogue comes out as written.

    Examples
    --------
    >>> translate("Legend", "en")
    'Legend'
    """
    text = translations(lang).gettext(msgid)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return _BRACE_FIELD.sub(fill, text)


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, sorted (``["%(n)s", "{shown}"]``)."""
    return sorted(_PLACEHOLDER.findall(text))


def status(message: Message) -> str:
    """``"missing"``, ``"fuzzy"``, or the ``status:`` of its translator comment
    (``"draft"``/``"reviewed"``; ``"unmarked"`` when a translation has none)."""
    if not message.string:
        return "missing"
    if message.fuzzy:
        return "fuzzy"
    marks = [m.group(1) for c in message.user_comments if (m := _STATUS.match(c.strip()))]
    return marks[0] if len(marks) == 1 else "unmarked"


@dataclass(frozen=True)
class Report:
    """What a catalogue lacks or gets wrong against the template.

    ``problems`` must be empty for the tests to pass; ``missing`` (untranslated entries,
    which show the English) are listed apart, and the tests fail on them too.
    """

    lang: str
    problems: tuple[str, ...]
    missing: tuple[str, ...]
    counts: dict[str, int]


def check(lang: str, template: Catalog | None = None) -> Report:
    """Compare an edition's catalogue with the template: every template msgid present, no
    entry the template lacks, identical placeholders, a known status on every translation."""
    template = template if template is not None else read_catalogue(template_path())
    path = catalogue_path(lang)
    cat = read_catalogue(path)
    wanted = {m.id for m in template if m.id}
    have = {m.id: m for m in cat if m.id}
    problems = [f"{path}: no entry for {mid!r}" for mid in sorted(wanted - set(have))]
    problems += [f"{path}: {mid!r} is not in the template" for mid in sorted(set(have) - wanted)]
    counts = dict.fromkeys((*STATUSES, "missing", "fuzzy", "unmarked"), 0)
    missing = []
    for mid, message in sorted(have.items()):
        state = status(message)
        counts[state] = counts.get(state, 0) + 1
        if state == "missing":
            missing.append(str(mid))
        elif state not in STATUSES:
            problems.append(f"{path}: {mid!r}: status {state!r}; accepted: 'status: draft' or "
                            "'status: reviewed' as a translator comment (and no fuzzy flag)")  # fmt: skip
        if message.string and placeholders(str(mid)) != placeholders(str(message.string)):
            problems.append(f"{path}: {mid!r}: placeholders {placeholders(str(message.string))} "
                            f"differ from the English {placeholders(str(mid))}")  # fmt: skip
    return Report(lang, tuple(problems), tuple(missing), counts)


def catalogue_langs() -> list[str]:
    """The editions that have a catalogue (all but English)."""
    return [tag for tag, ed in EDITIONS.items() if ed.catalogue]
