"""Place names in the editions' scripts: countries, provinces, towns and border crossings.

The names are data (``data/place_names.csv``, written by ``scripts/make_place_names.py``
from CLDR through Babel, GeoNames' language-tagged names and GNOME's weather locations as
Debian ships them; see
``data/SOURCES.md``): one row per place and edition, ``kind,name,lang,local,source``, keyed
by the Latin name the layers use. A place the file does not name keeps its Latin name.
The English outputs never read the file.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from geo._errors import InputError

#: The file, in the shipped data folder (:func:`geo.context.data_dir`).
FILE = "place_names.csv"
#: Its columns, in order.
COLUMNS = ("kind", "name", "lang", "local", "source")
#: The kinds of place it names.
KINDS = ("country", "province", "town", "crossing")
#: The credit an edition's outputs give when they show the file's names.
#: The sources of the editions' place names, credited as their owners word it.
SOURCES = "CLDR (Unicode licence); GeoNames (CC BY 4.0); GNOME libgweather translators (GPL-2.0+)"
#: The credit in English (an edition says its words in its language, :func:`credits`).
CREDIT = f"place names: {SOURCES}"


def names_path() -> Path:
    """Where the names file is read from: the data folder (``$GEO_DATA_DIR`` too), else the
    shipped one (a folder of the user's own layers need not name places in every script)."""
    from geo.context import data_dir

    given = data_dir() / FILE
    if given.is_file():
        return given
    package = Path(__file__).resolve().parent.parent  # geo/
    installed = package / "data" / FILE  # in the wheel; else the checkout's data/
    return installed if installed.is_file() else package.parent / "data" / FILE


def _problem(path: Path, row: int, field: str, value: object, accepted: str) -> InputError:
    msg = (
        f"{path}: row {row}: field {field!r} has {value!r}; accepted: {accepted}. "
        "Regenerate it with `python scripts/make_place_names.py`."
    )
    return InputError(msg)


def read_names(path: str | Path) -> dict[tuple[str, str, str], str]:
    """Read a names file: ``(kind, Latin name, lang)`` -> the local name.

    Raises
    ------
    geo._errors.InputError
        On a header other than :data:`COLUMNS`, an unknown kind, or an empty name, naming
        the file, the row, the field and the value.
    """
    path = Path(path)
    out: dict[tuple[str, str, str], str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = tuple(next(reader, ()))
        if header != COLUMNS:
            raise _problem(path, 1, "header", ",".join(header), ",".join(COLUMNS))
        for number, row in enumerate(reader, start=2):
            if len(row) != len(COLUMNS):
                raise _problem(path, number, "row", row, f"{len(COLUMNS)} fields")
            kind, name, lang, local, _source = row
            if kind not in KINDS:
                raise _problem(path, number, "kind", kind, ", ".join(KINDS))
            for field, value in (("name", name), ("lang", lang), ("local", local)):
                if not value.strip():
                    raise _problem(path, number, field, value, "a non-empty name")
            out[(kind, name, lang)] = local
    return out


@functools.cache
def _names(path: str) -> dict[tuple[str, str, str], str]:
    return read_names(path)


def local_name(kind: str, name: str, lang: str) -> str:
    """The name of a place in the edition ``lang``'s script, else its Latin ``name``.

    Parameters
    ----------
    kind : str
        ``"country"``, ``"province"``, ``"town"`` or ``"crossing"`` (:data:`KINDS`).
    name : str
        The Latin name, as the layer spells it (``"Kandahar"``).
    lang : str
        The edition (``"ps"``, ``"fa-AF"``, ``"ur"``); ``"en"`` gives ``name`` back.

    Examples
    --------
    >>> local_name("town", "Kabul", "en")
    'Kabul'
    """
    if lang == "en":
        return name
    return _names(str(names_path())).get((kind, name, lang), name)


def local_names(lang: str) -> list[str]:
    """Every name the file gives in the edition ``lang`` (what its font subset must cover)."""
    if lang == "en":
        return []
    found = _names(str(names_path()))
    return sorted({local for (_, _, code), local in found.items() if code == lang})


def credits(lang: str) -> tuple[str, ...]:
    """The credit of the names an edition shows (none for English)."""
    from geo.i18n.words import N_, tr

    return () if lang == "en" else (tr(N_("place names: {sources}"), lang, sources=SOURCES),)
