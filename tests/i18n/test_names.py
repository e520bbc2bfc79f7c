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


# --------------------------------------------------------------------------------------
# The script's rules (scripts/make_place_names.py; its Debian packages are not fetched here)
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def script():
    import importlib.util
    import sys

    folder = DATA.parent / "scripts"
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location(
            "make_place_names", folder / "make_place_names.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    return module


def test_the_file_is_written_as_the_script_writes_it(script) -> None:
    rows = [tuple(r.values()) for r in _rows()]
    assert script.to_csv(rows) == (DATA / "place_names.csv").read_text(encoding="utf-8")
    kinds = [r[0] for r in rows]
    assert kinds == sorted(kinds, key=script.KINDS.index)


@pytest.mark.parametrize(
    ("text", "arabic"),
    [("کابل", True), ("اسلام\u200cآباد", True), ("Farāh", False), ("Lashkar Gāh", False),
     ("کابل x", False), ("", False), ("123", False)],
)  # fmt: skip
def test_only_arabic_script_names_are_taken(script, text, arabic) -> None:
    assert script.arabic_script(text) is arabic


def test_direction_marks_round_a_name_are_dropped_inner_joiners_kept(script) -> None:
    assert script.bare("\u200fوفاقی\u200e ") == "وفاقی"
    assert script.bare("اسلام\u200cآباد") == "اسلام\u200cآباد"


def test_a_town_is_the_nearest_place_of_its_country_spelt_alike(script) -> None:
    places = [
        {"id": "1", "name": "Khōst", "cc": "AF", "lat": 33.34, "lon": 69.92},
        {"id": "2", "name": "Gardez", "cc": "AF", "lat": 33.35, "lon": 69.93},  # nearer, other name
        {"id": "3", "name": "Khost", "cc": "PK", "lat": 33.34, "lon": 69.92},  # other country
        {"id": "4", "name": "Khost", "cc": "AF", "lat": 33.60, "lon": 69.92},  # 29 km away
    ]
    assert script.town_id("Khost", "AFG", 69.92, 33.341, places) == "1"
    assert script.town_id("Khost", "AFG", 69.92, 33.60, places) == "4"
    assert script.town_id("Khost", "AFG", 69.92, 34.5, places) is None


def test_a_province_is_found_by_its_division_s_latin_name(script) -> None:
    places = [
        {"cc": "AF", "admin1": "AF.10", "admin1_name": "Helmand Province"},
        {"cc": "AF", "admin1": "AF.09", "admin1_name": "Ghowr"},
    ]
    codes = script.province_codes(places)
    assert codes[("AF", "helmand")] == "AF.10"
    assert codes[("AF", script.fold(script.PROVINCE_SPELLINGS["Ghor"]))] == "AF.09"
