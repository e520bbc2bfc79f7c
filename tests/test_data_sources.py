"""Every source link in the shipped record is one a stored copy confirmed, in its outlet's shape.

Two checks, both on ``data/events.geojson`` (rules in ``data/CODING.md``, "Sources"):

- **Shape.** Each outlet cited with a link has an entry in :data:`OUTLETS`: the hosts it
  publishes under and the path pattern of its article links. A link on another host (a typo
  such as ``thenews.pk`` for ``thenews.com.pk``) or of another shape fails, and so does a link
  from an outlet with no entry, with a message saying how to add one.
- **Provenance.** Each link is listed in ``data/verified_urls.tsv`` with how it was confirmed;
  a link nobody confirmed is not in the file at all (the source keeps its outlet and date
  with ``url: null``). The list holds no stale rows.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
EVENTS_JSON = DATA / "events.geojson"
VERIFIED = DATA / "verified_urls.tsv"

_SLUG = r"[A-Za-z0-9][A-Za-z0-9-]*"
#: Outlet (a source's ``name`` without its "(agency)" suffix) -> (hosts, article path pattern).
#: The pattern is matched against the path (plus ``?query`` when there is one).
OUTLETS: dict[str, tuple[tuple[str, ...], str]] = {
    "ABC News": (("abcnews.go.com",), rf"/International/{_SLUG}/story\?id=\d+"),
    "Afghanistan International": (("www.afintl.com",), r"/en/\d{12}"),
    "Afghanistan Peace Campaign": (
        ("afghanistanpeacecampaign.org",),
        rf"/\d{{4}}/\d{{2}}/\d{{2}}/{_SLUG}/?",
    ),
    "Al Arabiya": (("english.alarabiya.net",), rf"/News/world/\d{{4}}/\d{{2}}/\d{{2}}/{_SLUG}"),
    # the stored copy of Al Bawaba's English service is on .me; .com is its older address
    "Al Bawaba": (("www.albawaba.com", "www.albawaba.me"), rf"/news/{_SLUG}-\d+"),
    "Al Jazeera": (("www.aljazeera.com",), rf"/news/\d{{4}}/\d{{1,2}}/\d{{1,2}}/{_SLUG}"),
    "Arab News": (("www.arabnews.com", "www.arabnews.pk"), rf"/node/\d+(/{_SLUG})?"),
    "ARY News": (("arynews.tv",), rf"/{_SLUG}/"),
    "Babel": (("babel.ua",), rf"/en/news/\d+-{_SLUG}"),
    "BBC": (("www.bbc.com", "www.bbc.co.uk"), rf"/news/(articles/[a-z0-9]+|{_SLUG}-\d+)"),
    "Business Recorder": (("www.brecorder.com",), rf"/news/\d+/{_SLUG}"),
    "Business Standard": (
        ("business-standard.com", "www.business-standard.com"),
        rf"/({_SLUG}/)+{_SLUG}-\d+_\d\.html",
    ),
    "CGTN": (("news.cgtn.com",), rf"/news/\d{{4}}-\d{{2}}-\d{{2}}/{_SLUG}/index\.html"),
    "Chile Sun": (("www.chilesun.com",), rf"/news/\d+/{_SLUG}"),
    "CNA": (("www.channelnewsasia.com",), rf"/{_SLUG}/{_SLUG}-\d+"),
    "Critical Threats": (("criticalthreats.org",), rf"/analysis/{_SLUG}"),
    "Daily Pakistan": (("en.dailypakistan.com.pk",), rf"/\d{{2}}-[A-Z][a-z]{{2}}-\d{{4}}/{_SLUG}"),
    "Daily Times": (("dailytimes.com.pk",), rf"/\d+/{_SLUG}/"),
    # stored copies of some Dawn and Geo News pages are at the bare domain, without www.
    "Dawn": (("www.dawn.com", "dawn.com"), rf"/news/\d+(/{_SLUG})?"),
    "Deccan Herald": (("www.deccanherald.com",), rf"/({_SLUG}/)+{_SLUG}-\d+"),
    "Devdiscourse": (("www.devdiscourse.com",), rf"/article/{_SLUG}/\d+-{_SLUG}"),
    "Diplomat.so": (("diplomat.so",), rf"/articles/\d+/{_SLUG}"),
    "DNA News": (("dnanews.com.pk",), rf"/{_SLUG}/"),
    "Dunya News": (("dunyanews.tv",), r"/en/[A-Za-z]+/\d+-[A-Za-z0-9,:-]+"),
    "East Coast Daily": (("www.eastcoastdaily.in",), rf"/\d{{4}}/\d{{2}}/\d{{2}}/{_SLUG}\.html"),
    "Firstpost": (("www.firstpost.com",), rf"/{_SLUG}/{_SLUG}-\d+\.html"),
    "Geo News": (("www.geo.tv", "geo.tv"), rf"/latest/\d+-{_SLUG}"),
    "Hindustan Times": (("www.hindustantimes.com",), rf"/{_SLUG}/{_SLUG}-\d+\.html"),
    "Hurriyet Daily News": (("www.hurriyetdailynews.com",), rf"/{_SLUG}-\d+"),
    "India Today": (("www.indiatoday.in",), rf"/{_SLUG}/story/{_SLUG}-\d+-\d{{4}}-\d{{2}}-\d{{2}}"),
    "Indian Defence News": (("www.indiandefensenews.in",), rf"/\d{{4}}/\d{{2}}/{_SLUG}\.html"),
    "Indian Economic Observer": (("indianeconomicobserver.com",), r"/news/[a-z0-9-]+?\d{14}"),
    "KabulNow": (("kabulnow.com",), rf"/\d{{4}}/\d{{2}}/{_SLUG}/"),
    "Khaleej Times": (("www.khaleejtimes.com",), rf"/{_SLUG}(/{_SLUG})+"),
    "KSAT": (("www.ksat.com",), rf"/news/world/\d{{4}}/\d{{2}}/\d{{2}}/{_SLUG}/"),
    "LatestLY": (
        ("latestly.com", "www.latestly.com"),
        rf"/(agency-news|socially)/({_SLUG}/)*{_SLUG}-\d+\.html",
    ),
    "Local News 8": (("localnews8.com",), rf"/news/{_SLUG}/\d{{4}}/\d{{2}}/\d{{2}}/{_SLUG}/"),
    "Lokmat Times": (("www.lokmattimes.com",), rf"/{_SLUG}/{_SLUG}/"),
    "Mehr News": (("en.mehrnews.com",), rf"/news/\d+/{_SLUG}"),
    "MENAFN": (("menafn.com",), rf"/\d+/{_SLUG}"),
    "Mint": (("www.livemint.com",), rf"/({_SLUG}/)+(amp-)?\d+\.html"),
    "National Herald": (("www.nationalheraldindia.com",), rf"/{_SLUG}/{_SLUG}"),
    "NDTV": (("www.ndtv.com",), rf"/{_SLUG}/{_SLUG}-\d+"),
    "News9 Live": (("www.news9live.com",), rf"/{_SLUG}/{_SLUG}-\d+"),
    "NZ Herald": (("www.nzherald.co.nz",), rf"/world/{_SLUG}/[A-Z0-9]+/"),
    "Pakistan Today": (
        ("www.pakistantoday.com.pk", "pakistantoday.com.pk"),
        rf"/\d{{4}}/\d{{2}}/\d{{2}}/{_SLUG}/?",
    ),
    "Pamir Times": (("pamirtimes.net",), rf"/\d{{4}}/\d{{2}}/\d{{2}}/{_SLUG}/"),
    "People's Daily Online": (("en.people.cn",), r"/n3/\d{4}/\d{4}/c\d+-\d+\.html"),
    "Pratidin Time": (("www.pratidintime.com",), rf"/world/{_SLUG}-\d+"),
    "Reuters": (("www.reuters.com",), rf"/({_SLUG}/)+{_SLUG}(-\d{{4}}-\d{{2}}-\d{{2}})?/?"),
    "Shafaq News": (("www.shafaq.com",), rf"/en/{_SLUG}/{_SLUG}"),
    "Soch Times": (("sochtimes.com",), rf"/\d{{4}}/\d{{2}}/\d{{2}}/{_SLUG}/?"),
    "SpaceWar": (("www.spacewar.com",), r"/afp/\d{12}\.[a-z]+\.html"),
    "Taipei Times": (("www.taipeitimes.com",), r"/News/world/archives/\d{4}/\d{2}/\d{2}/\d+"),
    "The Express Tribune": (("tribune.com.pk",), rf"/story/\d+/{_SLUG}"),
    "The Guardian": (("www.theguardian.com",), rf"/world/\d{{4}}/[a-z]{{3}}/\d{{2}}/{_SLUG}"),
    "The Independent": (
        ("the-independent.com", "www.the-independent.com"),
        rf"/({_SLUG}/)+{_SLUG}-b\d+\.html",
    ),
    "The Nation": (("www.nation.com.pk",), rf"/\d{{2}}-[A-Z][a-z]{{2}}-\d{{4}}/{_SLUG}"),
    "The New Indian Express": (
        ("www.newindianexpress.com",),
        rf"/world/\d{{4}}/[A-Za-z]{{3}}/\d{{2}}/{_SLUG}(\.html)?",
    ),
    "The News": (("www.thenews.com.pk",), rf"/(print|latest)/\d+-{_SLUG}"),
    "The Spokesman-Review": (
        ("www.spokesman.com",),
        rf"/stories/\d{{4}}/[a-z]{{3}}/\d{{2}}/{_SLUG}/",
    ),
    "The Times of India": (
        ("timesofindia.indiatimes.com",),
        rf"/({_SLUG}/)+articleshow/\d+\.cms",
    ),
    "The Week": (("www.theweek.in",), rf"/({_SLUG}/)+{_SLUG}\.html"),
    "ThePrint": (("theprint.in",), rf"/{_SLUG}/{_SLUG}/\d+/?"),
    "TRT World": (("www.trtworld.com",), r"/article/[0-9a-f]{12}"),
    "UNN": (("unn.ua",), rf"/en/news/{_SLUG}"),
    "UrduPoint": (("www.urdupoint.com",), rf"/en/{_SLUG}/{_SLUG}-\d+\.html"),
    "Vancouver Courier": (("www.vancouvercourier.ca",), rf"/{_SLUG}/\d+-{_SLUG}\.html"),
    "WION": (("www.wionews.com",), rf"/{_SLUG}/{_SLUG}-\d+"),
    "WTOP": (("wtop.com",), rf"/{_SLUG}/\d{{4}}/\d{{2}}/{_SLUG}/"),
}


def outlet_of(name: str) -> str:
    """The outlet of a source name: ``"Dawn (ISPR)"`` -> ``"Dawn"``."""
    return re.sub(r"\s*\([^()]*\)$", "", name).strip()


def url_problem(name: str, url: str) -> str | None:
    """Why ``url`` is not a link of outlet ``name`` (None when it is)."""
    outlet = outlet_of(name)
    if outlet not in OUTLETS:
        return (
            f"outlet {outlet!r} has no URL pattern; confirm the link in a stored copy, then add "
            f"{outlet!r}: ((hosts...), path regex) to OUTLETS in tests/test_data_sources.py"
        )
    hosts, pattern = OUTLETS[outlet]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"{url!r}: scheme {parts.scheme!r}, accepted: http, https"
    if parts.hostname not in hosts:
        return f"{url!r}: host {parts.hostname!r} is not {outlet}'s; accepted: {', '.join(hosts)}"
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    if not re.fullmatch(pattern, target):
        return f"{url!r}: path {target!r} is not an article link of {outlet} ({pattern})"
    return None


def _linked_sources(features: list[dict]) -> list[tuple[str, str, str]]:
    return [
        (f["id"], s["name"], s["url"])
        for f in features
        for s in f["properties"]["sources"]
        if s.get("url") is not None
    ]


@pytest.fixture(scope="module")
def features() -> list[dict]:
    return json.loads(EVENTS_JSON.read_text(encoding="utf-8"))["features"]


def test_every_link_has_its_outlets_shape(features) -> None:
    problems = [
        f"{eid} {name}: {problem}"
        for eid, name, url in _linked_sources(features)
        if (problem := url_problem(name, url)) is not None
    ]
    assert not problems, "\n".join(problems)


def _ledger() -> list[dict[str, str]]:
    with VERIFIED.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_every_link_was_confirmed_by_a_stored_copy(features) -> None:
    rows = _ledger()
    listed = [r["url"] for r in rows]
    assert len(listed) == len(set(listed)), "a URL is listed twice in data/verified_urls.tsv"
    assert all(r["outlet"] and r["how"] for r in rows)
    used = {url for _, _, url in _linked_sources(features)}
    unconfirmed = sorted(used - set(listed))
    assert not unconfirmed, (
        "links not in data/verified_urls.tsv (confirm each in a stored copy, or set url: null): "
        + ", ".join(unconfirmed)
    )
    stale = sorted(set(listed) - used)
    assert not stale, "data/verified_urls.tsv lists URLs no source cites: " + ", ".join(stale)
    outlets = {r["url"]: r["outlet"] for r in rows}
    for eid, name, url in _linked_sources(features):
        assert outlets[url] == outlet_of(name), (eid, name, url)


def test_unlinked_sources_keep_outlet_and_date(features) -> None:
    for f in features:
        for s in f["properties"]["sources"]:
            assert set(s) == {"name", "url", "date"}, (f["id"], s)
            assert s["name"].strip() and s["date"], (f["id"], s)


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("Dawn (ISPR)", "https://www.dawn.com/news/1895956/all-16-terrorists-killed"),
        ("Dawn", "https://www.dawn.com/news/1151361"),
        (
            "Al Bawaba",
            "https://www.albawaba.com/news/afghanistan-pakistan-extend-ceasefire-1615700",
        ),
        ("The News", "https://www.thenews.com.pk/print/915532-ttp-refuses-to-extend-ceasefire"),
        ("People's Daily Online (Xinhua)", "http://en.people.cn/n3/2026/0228/c90000-20429340.html"),
        ("ThePrint", "https://theprint.in/world/some-headline/2762460"),
        # stored at the bare domain, and with an explicit port
        ("Dawn", "https://dawn.com/news/1833722"),
        ("TRT World (PM's spokesman)", "https://www.trtworld.com:443/article/0b84309c3cb0"),
        (
            "Dunya News (ISPR)",
            "https://dunyanews.tv/en/Pakistan/824622-Ten-terrorists-killed,-eight-soldiers-martyred",
        ),
    ],
)
def test_outlet_shapes_accept_their_links(name: str, url: str) -> None:
    assert url_problem(name, url) is None


@pytest.mark.parametrize(
    ("name", "url", "message"),
    [
        # a wrong top-level domain for the outlet
        ("Al Bawaba", "https://www.albawaba.net/news/ceasefire-1615700", "host 'www.albawaba.net'"),
        ("The News", "https://www.thenews.pk/story/1397515-explosion", "host 'www.thenews.pk'"),
        ("Dawn", "https://dawn.com.pk/news/1151361", "accepted: www.dawn.com"),
        # the right host, not an article link
        ("Dawn", "https://www.dawn.com/1151361", "not an article link of Dawn"),
        (
            "ThePrint",
            "https://theprint.in/diplomacy/a-headline-without-an-id",
            "article link of ThePrint",
        ),
        ("Dawn", "ftp://www.dawn.com/news/1151361", "scheme 'ftp'"),
        ("Arab News", "https://www.arabnews.net/node/2613322/pakistan", "host 'www.arabnews.net'"),
        ("Mehr News (AP)", "https://www.mehrnews.com/news/241869/x", "host 'www.mehrnews.com'"),
        ("Daily Times", "https://dailytimes.pk/1184514/a-headline/", "host 'dailytimes.pk'"),
        ("TRT World", "https://www.trtworld.com/article/a-headline", "article link of TRT World"),
        ("Daily Example", "https://example.com/news/1", "add 'Daily Example'"),
    ],
)
def test_outlet_shapes_reject_typos_and_unknown_outlets(name: str, url: str, message: str) -> None:
    problem = url_problem(name, url)
    assert problem is not None and message in problem


def test_a_synthetic_record_with_a_typo_fails_the_shape_check() -> None:
    record = {
        "id": "DL-20251030-ISTANBUL",
        "properties": {
            "sources": [
                {
                    "name": "Al Bawaba",
                    "url": "https://www.albawaba.net/news/x-1615700",
                    "date": "2025-10-30",
                },
                {"name": "Dawn", "url": "https://www.dawn.com/news/1151361", "date": "2014-12-17"},
            ]
        },
    }
    found = [url_problem(n, u) for _, n, u in _linked_sources([record])]
    assert found[1] is None and found[0] is not None and "albawaba.net" in found[0]
