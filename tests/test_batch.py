"""One map per period: pages, navigation, index, identical re-runs, bad options."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from geo._errors import InputError
from geo.batch import Period, index_html, nav_html, parse_formats, periods
from geo.cli import main
from geo.events import read_events

CONTEXT = Path(__file__).parent / "data" / "context"


@pytest.fixture
def yearly(monkeypatch, tmp_path) -> Path:
    monkeypatch.setenv("GEO_DATA_DIR", str(CONTEXT))
    out = tmp_path / "yearly"
    assert main(["batch", "--period", "year", "--format", "html,png", "--out-dir", str(out)]) == 0
    return out


def _links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.find_all("a")] + [i["src"] for i in soup.find_all("img")]


def test_one_page_per_year_with_events_and_an_index(yearly) -> None:
    events = read_events(CONTEXT / "events.geojson").events
    first, last = events["date_start"].min().year, events["date_end"].max().year
    years = {y for y in range(first, last + 1) if _overlapping(events, y)}
    assert {p.stem for p in yearly.glob("*.html")} == {str(y) for y in years} | {"index"}
    assert {p.stem for p in yearly.glob("*.png")} == {str(y) for y in years}
    soup = BeautifulSoup((yearly / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.find("tbody").find_all("tr")
    # the latest first (the chart runs left to right in time)
    assert [r.th.get_text() for r in rows] == [str(y) for y in range(last, first - 1, -1)]
    counts = {r.th.get_text(): int(r.find_all("td")[1].get_text()) for r in rows}
    assert counts == {str(y): _overlapping(events, y) for y in range(first, last + 1)}
    assert soup.find("svg", class_="chart") is not None
    assert len(soup.select("svg.chart rect.bar")) == last - first + 1


def _overlapping(events, year: int) -> int:
    a, b = pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31")
    return int(((events["date_start"] <= b) & (events["date_end"] >= a)).sum())


def test_every_link_resolves_to_a_file(yearly) -> None:
    pages = sorted(yearly.glob("*.html"))
    for page in pages:
        for href in _links(page):
            assert not href.startswith(("http:", "https:", "//", "javascript:")), href
            if href.startswith("#"):
                continue
            target = (page.parent / unquote(href)).resolve()
            assert target.is_file(), f"{page.name} links to missing {href}"


def test_period_pages_link_previous_next_and_index(yearly) -> None:
    names = sorted(p.name for p in yearly.glob("*.html") if p.name != "index.html")
    for k, name in enumerate(names):
        nav = BeautifulSoup((yearly / name).read_text(encoding="utf-8"), "html.parser").find(
            "nav", class_="geo-period-nav"
        )
        rels = {a.get("rel", [""])[0]: a["href"] for a in nav.find_all("a")}
        assert rels.get("", "") == "./index.html"
        assert rels.get("prev") == (f"./{names[k - 1]}" if k else None)
        assert rels.get("next") == (f"./{names[k + 1]}" if k + 1 < len(names) else None)


def test_rerun_rewrites_identical_files(yearly, monkeypatch) -> None:
    before = {p: p.read_bytes() for p in yearly.rglob("*") if p.is_file()}
    assert (
        main(["batch", "--period", "year", "--format", "html,png", "--out-dir", str(yearly)]) == 0
    )
    after = {p: p.read_bytes() for p in yearly.rglob("*") if p.is_file()}
    assert before == after


def test_empty_periods_are_listed_not_skipped() -> None:
    events = read_events(CONTEXT / "events.geojson").events
    items = periods(
        events, "month", start=pd.Timestamp("2022-01-01"), end=pd.Timestamp("2022-12-31")
    )
    assert [p.label for p in items] == [f"2022-{m:02d}" for m in range(1, 13)]
    for p in items:
        p.files = {"html": f"{p.label}.html", "thumb": f"thumbs/{p.label}.png"}
    soup = BeautifulSoup(index_html(items, title="T", period="month"), "html.parser")
    empty = [r.th.get_text() for r in soup.select("tr.empty")]
    # runs of three or more empty months are one row naming the run
    assert "April 2022 – November 2022 (8 periods)" in empty
    assert "February 2022" in empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gif", r"--format 'gif': unknown format gif; accepted: html, png, svg, pdf"),
        ("", "unknown"),
    ],
)
def test_bad_formats_are_named(text, message) -> None:
    with pytest.raises(InputError, match=message):
        parse_formats(text)


def test_formats_always_include_html() -> None:
    assert parse_formats("png, PDF") == ("html", "png", "pdf")


def test_bad_period_is_named(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("GEO_DATA_DIR", str(CONTEXT))
    with pytest.raises(SystemExit):
        main(["batch", "--period", "week", "--out-dir", str(tmp_path)])
    assert "invalid choice: 'week'" in capsys.readouterr().err
    with pytest.raises(InputError, match=r"--period 'week' is not known; accepted: month"):
        periods(read_events(CONTEXT / "events.geojson").events, "week")


def test_nav_escapes_the_title() -> None:
    here = Period("2025", "2025", pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"), 1)
    nav = nav_html(None, None, here, "<img src=x onerror=alert(1)> {{ 7*7 }}")
    assert "<img" not in nav and "&lt;img src=x onerror=alert(1)&gt; {{ 7*7 }}" in nav


# --- the index and the navigation in a language edition (issue 24) ---

_LATIN = re.compile(r"[A-Za-z]{2,}")


def _edition_index(lang: str) -> str:
    events = read_events(CONTEXT / "events.geojson").events
    items = periods(events, "month", lang=lang)
    for p in items:
        if p.events:
            p.files = {"html": f"{p.label}.html", "png": f"{p.label}.png",
                       "thumb": f"thumbs/{p.label}.png"}  # fmt: skip
    return index_html(items, title="Border clashes", period="month",
                      methods=["Data: ACLED"], lang=lang)  # fmt: skip


@pytest.mark.parametrize("lang", ["ur", "ps", "fa-AF"])
def test_an_edition_index_is_in_its_language(lang) -> None:
    page = _edition_index(lang)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.html["lang"] == lang and soup.html["dir"] == "rtl"
    english = BeautifulSoup(_edition_index("en"), "html.parser")
    assert "dir" not in english.html.attrs and english.html["lang"] == "en"

    def words(s: BeautifulSoup) -> set[str]:
        texts = [*s.stripped_strings, *(i["alt"] for i in s.find_all("img"))]
        return {w for t in texts for w in _LATIN.findall(t)}

    named = {"Border", "clashes", "Data", "ACLED", "PNG", "THUMB"}  # title, methods, formats
    assert {"Events", "Map", "month", "Killed", "Sources", "events"} <= words(english) - named
    assert words(soup) <= named  # every fixed word from the catalogue, months from CLDR
    assert _edition_index(lang) == page  # same input, same bytes


def test_an_edition_s_periods_are_named_in_its_calendar_words_and_digits() -> None:
    events = read_events(CONTEXT / "events.geojson").events
    months = periods(events, "month", lang="fa-AF")
    assert months[0].label[:4].isdigit() and not months[0].name.isascii()
    assert any(ch in months[0].name for ch in "۰۱۲۳۴۵۶۷۸۹")
    quarters = periods(events, "quarter", lang="ur")
    assert all(not q.name.startswith("Q") for q in quarters)
    nav = nav_html(None, None, months[0], "T", "ur")
    soup = BeautifulSoup(nav, "html.parser")
    assert soup.nav["aria-label"] != "Periods" and "all periods" not in soup.get_text()


def test_batch_takes_lang_from_the_command_line(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("GEO_DATA_DIR", str(CONTEXT))
    out = tmp_path / "ur"
    # two years are enough to have an index and period pages (each page is a whole build)
    args = ["batch", "--period", "year", "--start", "2022", "--end", "2023", "--out-dir",
            str(out), "--lang", "ur"]  # fmt: skip
    assert main(args) == 0
    index = (out / "index.html").read_bytes()
    soup = BeautifulSoup(index, "html.parser")
    assert soup.html["lang"] == "ur" and soup.html["dir"] == "rtl"
    assert soup.h1.get_text() != "Durand Line conflict map"  # the default title, translated
    page = BeautifulSoup(next(out.glob("20*.html")).read_text("utf-8"), "html.parser")
    assert page.html["lang"] == "ur" and page.nav["aria-label"] != "Periods"
    again = tmp_path / "again"
    assert main([*args[:-3], str(again), "--lang", "ur"]) == 0
    assert (again / "index.html").read_bytes() == index
