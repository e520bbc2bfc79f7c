"""Write the catalogue template from the sources and bring every edition's catalogue in line.

``geo/locale/geo.pot`` gets every fixed UI string :func:`geo.i18n.extract.extract` finds,
with the files it is written in. Each ``geo/locale/<catalogue>/LC_MESSAGES/geo.po`` then has
one entry per template string: an existing translation and its translator comments (the
``status:`` mark) are kept; a new string gets an empty entry (it shows the English until
someone translates it); a string gone from the sources is dropped. A kept translation whose
English changed cannot happen (the English is the key): it becomes a new, empty entry.

Run ``python scripts/update_catalogues.py`` from the repository root after changing a label;
``tests/i18n/test_catalog.py`` fails until it has been run. Output is deterministic.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.i18n.catalog import catalogue_langs, catalogue_path, read_catalogue, template_path  # noqa: E402
from geo.i18n.editions import edition  # noqa: E402
from geo.i18n.extract import extract  # noqa: E402

#: Fixed header dates: the files change only when their entries do.
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def new_catalogue(locale: str | None) -> Catalog:
    """An empty catalogue with the project's fixed header."""
    return Catalog(
        locale=Locale.parse(locale) if locale else None,
        domain="geo",
        project="geo",
        version="0.1",
        copyright_holder="geo developers",
        msgid_bugs_address="",
        creation_date=EPOCH,
        revision_date=EPOCH,
        last_translator="geo translators",
        language_team=f"{locale} (see geo/locale/README.md)" if locale else "",
        fuzzy=False,
    )


def save(catalogue: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalogue, width=100, sort_output=True, include_lineno=False)


def main() -> None:
    found = extract()
    template = new_catalogue(None)
    for msgid, files in found.items():
        template.add(msgid, locations=[(f, None) for f in files])
    save(template, template_path())
    for lang in catalogue_langs():
        path = catalogue_path(lang)
        old = {m.id: m for m in read_catalogue(path)} if path.exists() else {}
        cat = new_catalogue(edition(lang).catalogue)
        for msgid, files in found.items():
            prev = old.get(msgid)
            cat.add(msgid, prev.string if prev else "", locations=[(f, None) for f in files],
                    user_comments=list(prev.user_comments) if prev else [],
                    flags=prev.flags if prev else ())  # fmt: skip
        save(cat, path)
        print(f"wrote {path}")
    print(f"wrote {template_path()} ({len(found)} messages)")


if __name__ == "__main__":
    main()
