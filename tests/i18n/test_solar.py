"""Solar Hijri dates: conversions against known dates, CLDR month names, typed dates parsed."""

from __future__ import annotations

import datetime as dt

import pytest

from geo._errors import InputError
from geo.i18n.solar import format_date, format_solar, from_solar, month_names, parse_date, to_solar

#: (Solar Hijri, Gregorian, the independent fact that fixes the pair)
KNOWN = [
    (
        (1403, 1, 1),
        dt.date(2024, 3, 20),
        "Nowruz 1403 (1 Hamal) fell on 20 March 2024, the day of the March equinox",
    ),
    (
        (1404, 1, 1),
        dt.date(2025, 3, 21),
        "Nowruz 1404 fell on 21 March 2025 (equinox after noon in Kabul/Tehran)",
    ),
    (
        (1403, 12, 30),
        dt.date(2025, 3, 20),
        "1403 was a leap year: 30 Hoot was the day before Nowruz 1404",
    ),
    (
        (1357, 2, 7),
        dt.date(1978, 4, 27),
        "the Saur Revolution, '7 Saur 1357', on 27 April 1978 (warspot.net, 'The Saur Revolution: the anatomy of a military coup')",
    ),
    (
        (1400, 5, 24),
        dt.date(2021, 8, 15),
        "the Taliban entered Kabul on 15 August 2021, 24 Asad 1400 in Afghan reports",
    ),
    ((1398, 5, 28), dt.date(2019, 8, 19), "Afghan Independence Day, 28 Asad, is kept on 19 August"),
    (
        (1367, 11, 26),
        dt.date(1989, 2, 15),
        "the last Soviet troops left on 15 February 1989 (26 Dalw 1367)",
    ),
]


@pytest.mark.parametrize(("solar", "gregorian", "fact"), KNOWN)
def test_known_dates(solar: tuple[int, int, int], gregorian: dt.date, fact: str) -> None:
    assert to_solar(gregorian) == solar, fact
    assert from_solar(*solar) == gregorian, fact


def test_round_trip_over_the_data_span() -> None:
    day = dt.date(1989, 1, 1)
    while day < dt.date(2031, 1, 1):
        assert from_solar(*to_solar(day)) == day
        day += dt.timedelta(days=13)


def test_afghan_month_names_from_cldr() -> None:
    assert month_names("fa-AF")[:3] == ["حمل", "ثور", "جوزا"]
    assert month_names("fa-AF")[11] == "حوت"
    assert month_names("ps")[:2] == ["وری", "غویی"]  # Pashto's own zodiac names
    assert len(set(month_names("ps"))) == 12
    with pytest.raises(InputError, match="no Solar Hijri month names for 'en'"):
        month_names("en")


@pytest.mark.parametrize(
    ("lang", "want"),
    [
        ("fa-AF", "۲۴ اسد ۱۴۰۰ (۱۵ اگست ۲۰۲۱)"),
        ("ps", "د AP ۱۴۰۰ د زمری ۲۴ (۱۵ اګست ۲۰۲۱)"),  # CLDR's Pashto pattern and era as given
        ("ur", "15 اگست، 2021"),
        ("en", "August 15, 2021"),
    ],
)
def test_the_edition_shows_solar_hijri_with_the_gregorian_date(lang: str, want: str) -> None:
    assert format_date(dt.date(2021, 8, 15), lang) == want


def test_format_solar_patterns() -> None:
    assert format_solar(dt.date(2024, 3, 20), "fa-AF", format="short") == "۱۴۰۳/۱/۱"
    assert format_solar(dt.date(2024, 3, 20), "fa-AF", format="full") == "۱۴۰۳ حمل ۱, چهارشنبه"


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-20", "20/03/2024", "2024/3/20", "20 March 2024", "20 Mar 2024",
        "۲۰۲۴-۰۳-۲۰", "٢٠٢٤-٠٣-٢٠", "۲۰ مارچ ۲۰۲۴",
        "1403-01-01", "۱۴۰۳/۱/۱", "1 حمل 1403", "۱ حمل ۱۴۰۳", "1 وری 1403",
        "1403-01-01 AP", "۱۴۰۳/۰۱/۰۱ ه.ش.", "  1  حمل  1403 ",
    ],
)  # fmt: skip
def test_typed_dates_in_both_calendars(text: str) -> None:
    assert parse_date(text, "fa-AF") == dt.date(2024, 3, 20)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("1403-12-31", "not a day of the Solar Hijri calendar"),
        ("2023-02-29", "not a day of the Gregorian calendar"),
        ("1 حمل 2024 AD", "names a month and a calendar that disagree"),
        ("yesterday", "is not a date; accepted: y-m-d"),
        ("20 Smarch 2024", "is not a date"),
        ("<script>1</script>", "is not a date"),
        ("", "is not a date"),
    ],
)
def test_bad_typed_dates_say_what_is_accepted(text: str, match: str) -> None:
    with pytest.raises(InputError, match=match) as err:
        parse_date(text, "ps", field="--start")
    assert str(err.value).startswith("--start: ")


def test_a_non_text_date_is_refused() -> None:
    with pytest.raises(InputError, match="is not text"):
        parse_date(20240320, "ps")  # type: ignore[arg-type]
