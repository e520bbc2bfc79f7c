"""Digits, numbers, Gregorian dates and names per edition come from CLDR (Babel + cldr.json)."""

from __future__ import annotations

import datetime as dt

import pytest

from geo._errors import InputError
from geo.i18n.editions import EDITIONS, cldr, edition
from geo.i18n.formatting import country_name, digits, format_gregorian, format_number, language_name


@pytest.mark.parametrize(
    ("lang", "system", "direction", "calendars"),
    [
        ("en", "latn", "ltr", ("gregorian",)),
        ("ps", "arabext", "rtl", ("persian", "gregorian")),
        ("fa-AF", "arabext", "rtl", ("persian", "gregorian")),
        # CLDR: Urdu in Pakistan writes Latin digits (ur_IN would be arabext)
        ("ur", "latn", "rtl", ("gregorian",)),
    ],
)
def test_editions_follow_cldr(
    lang: str, system: str, direction: str, calendars: tuple[str, ...]
) -> None:
    ed = edition(lang)
    assert (ed.numbering_system, ed.direction, ed.calendars) == (system, direction, calendars)


@pytest.mark.parametrize("bad", ["fa", "ps_AF", "EN", "", None, "ur-IN"])
def test_an_unknown_edition_names_the_accepted_tags(bad: object) -> None:
    with pytest.raises(InputError, match=r"is not an edition; accepted: en, ps, fa-AF, ur"):
        edition(bad)  # type: ignore[arg-type]


def test_the_digits_are_cldrs() -> None:
    systems = cldr()["numbering_systems"]
    assert systems["arabext"] == "".join(chr(0x06F0 + i) for i in range(10))
    assert systems["arab"] == "".join(chr(0x0660 + i) for i in range(10))
    assert systems["latn"] == "0123456789"


@pytest.mark.parametrize(
    ("lang", "text", "want"),
    [
        ("ps", "2024", "۲۰۲۴"),
        ("fa-AF", "Torkham 12", "Torkham ۱۲"),
        ("ur", "2024", "2024"),
        ("en", "2024", "2024"),
    ],
)
def test_digits(lang: str, text: str, want: str) -> None:
    assert digits(text, lang) == want


@pytest.mark.parametrize(
    ("lang", "want"),
    [
        ("en", "1,234,567.5"),
        ("ps", "۱٬۲۳۴٬۵۶۷٫۵"),  # CLDR's arabext symbols: ARABIC THOUSANDS / DECIMAL SEPARATOR
        ("fa-AF", "۱٬۲۳۴٬۵۶۷٫۵"),
        ("ur", "1,234,567.5"),
    ],
)
def test_format_number(lang: str, want: str) -> None:
    assert format_number(1234567.5, lang) == want


@pytest.mark.parametrize(
    ("lang", "want"),
    [
        ("en", "March 20, 2024"),
        ("ps", "۲۰ مارچ ۲۰۲۴"),
        ("fa-AF", "۲۰ مارچ ۲۰۲۴"),  # Afghan Dari's "مارچ", not Iranian Persian's "مارس"
        ("ur", "20 مارچ، 2024"),
    ],
)
def test_gregorian_dates_use_cldr_month_names(lang: str, want: str) -> None:
    assert format_gregorian(dt.date(2024, 3, 20), lang) == want


def test_language_and_country_names_come_from_cldr() -> None:
    assert language_name("ps", "ps") == "پښتو"
    assert language_name("ur", "en") == "Urdu"
    assert country_name("AF", "fa-AF") == "افغانستان"
    assert country_name("PK", "ur") == "پاکستان"
    assert country_name("PK", "en") == "Pakistan"
    with pytest.raises(KeyError, match="ISO 3166-1 alpha-2"):
        country_name("AFG", "ps")


def test_every_edition_is_usable() -> None:
    for tag in EDITIONS:
        assert format_number(3, tag)
        assert format_gregorian(dt.date(2021, 8, 15), tag, format="medium")


def test_directed_marks_right_to_left_editions_only() -> None:
    from geo.i18n.formatting import directed

    assert directed("Torkham تورخم", "ps") == "\u200fTorkham تورخم"
    assert directed(directed("تورخم", "ur"), "ur") == "\u200fتورخم"
    # an English fallback keeps its direction: marked, its ')' and ';' would move to its start
    assert (
        directed("Line of Control (de facto; not agreed)", "ur")
        == "Line of Control (de facto; not agreed)"
    )
    assert directed("Torkham", "en") == "Torkham"
