"""Place names in the editions' scripts (geo.i18n.names and data/place_names.csv): every
place of the shipped layers has a row per edition, a name is in Arabic script or the Latin
fallback, the gaps data/SOURCES.md counts are the file's, and a bad file is refused."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from geo._errors import InputError
from geo.i18n import names
from geo.i18n.names import COLUMNS, local_name, local_names, read_names

DATA = Path(__file__).resolve().parents[2] / "data"
EDITIONS = ("ps", "fa-AF", "ur")
FALLBACK = "latin fallback"


def _rows() -> list[dict[str, str]]:
    with (DATA / "place_names.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _layer(name: str, field: str) -> set[str]:
    features = json.loads((DATA / name).read_text(encoding="utf-8"))["features"]
    return {f["properties"][field] for f in features}


def _arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(
        "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff" for c in letters
    )


PLACES = {
    "country": _layer("countries.geojson", "country_name") | _layer("neighbours.geojson", "country_name"),
    "province": _layer("provinces.geojson", "province"),
    "town": _layer("cities.geojson", "name"),
    "crossing": _layer("crossings.geojson", "name"),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(PLACES))
def test_every_place_has_a_row_per_edition(kind) -> None:
    rows = {(r["name"], r["lang"]) for r in _rows() if r["kind"] == kind}
    assert rows == {(name, lang) for name in PLACES[kind] for lang in EDITIONS}


def test_a_name_is_arabic_script_or_the_latin_fallback() -> None:
    for row in _rows():
        if row["source"] == FALLBACK:
            assert row["local"] == row["name"], row
        else:
            assert _arabic(row["local"]), row
            assert row["source"].startswith(("CLDR (Babel)", "GeoNames", "GNOME libgweather")), row


def test_every_country_is_named_from_cldr() -> None:
    from babel import Locale

    for row in (r for r in _rows() if r["kind"] == "country"):
        assert row["source"] != FALLBACK, row
        code = row["source"].rsplit(" ", 1)[1]
        assert Locale.parse(row["lang"].replace("-", "_")).territories[code] == row["local"]


def test_the_gaps_sources_md_counts_are_the_file_s() -> None:
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    counted = {
        (kind, lang): (int(got), int(total))
        for kind, lang, got, total in re.findall(
            r"^\| (country|province|town|crossing) \| (ps|fa-AF|ur) \| (\d+) \| (\d+) \|",
            text,
            re.M,
        )
    }
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for row in _rows():
        got, total = found.get((row["kind"], row["lang"]), (0, 0))
        found[(row["kind"], row["lang"])] = (got + (row["source"] != FALLBACK), total + 1)
    assert counted == found


def test_local_name_reads_the_file_and_falls_back_to_latin() -> None:
    kandahar = {
        r["lang"]: r["local"] for r in _rows() if (r["kind"], r["name"]) == ("province", "Kandahar")
    }
    assert local_name("province", "Kandahar", "ps") == kandahar["ps"] != "Kandahar"
    assert local_name("province", "Kandahar", "en") == "Kandahar"
    assert local_name("town", "Nowhere", "ur") == "Nowhere"
    assert local_name("town", "Kabul", "ur") == "کابل"  # CLDR's exemplar city of Asia/Kabul
    assert kandahar["ps"] in local_names("ps") and local_names("en") == []


def test_the_file_ships_with_the_package() -> None:
    text = (DATA.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"geo.data" = \[[^\]]*"\*\.csv"', text)
    assert names.names_path().name == "place_names.csv" and names.names_path().is_file()


def _write(tmp_path: Path, *rows: list[str], header: tuple[str, ...] = COLUMNS) -> Path:
    path = tmp_path / "place_names.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([list(header), *rows])
    return path


@pytest.mark.parametrize(
    ("rows", "header", "match"),
    [
        ((), ("kind", "name"), r"row 1: field 'header' has 'kind,name'; accepted: kind,name,lang,local,source"),
        ((["village", "X", "ps", "ا", "s"],), COLUMNS, r"row 2: field 'kind' has 'village'; accepted: country, province"),
        ((["town", "X", "ps", " ", "s"],), COLUMNS, r"row 2: field 'local' has ' '; accepted: a non-empty name"),
        ((["town", "X", "ps"],), COLUMNS, r"row 2: field 'row' has \['town', 'X', 'ps'\]; accepted: 5 fields"),
    ],
)  # fmt: skip
def test_a_bad_names_file_is_refused_naming_row_field_and_value(
    tmp_path, rows, header, match
) -> None:
    path = _write(tmp_path, *rows, header=header)
    with pytest.raises(InputError, match=match):
        read_names(path)
    with pytest.raises(InputError, match=re.escape(str(path))):
        read_names(path)
