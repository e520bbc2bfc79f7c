"""The page written in pieces (its large configuration kept out of the rendering) is the
page rendered whole; a map renders to the same bytes every time it is rendered."""

from __future__ import annotations

import pytest

import geo.render.html
from geo.api import map_from, prepare
from geo.context import load_context
from geo.render.html import _finish, page_pieces, save_html, to_html
from geo.render.options import MapOptions


@pytest.fixture(scope="module")
def shipped_map():
    ctx = load_context()
    return map_from(prepare(context=ctx), context=ctx)


def _whole(m) -> str:
    return _finish(m.get_root().render(), self_contained=True)


def test_a_map_renders_to_the_same_page_every_time(shipped_map) -> None:
    # a notebook shows the map (one rendering), then it is saved (another): folium adds
    # to the tree while rendering, which made the second page differ or fail
    first, second = to_html(shipped_map), to_html(shipped_map)
    assert first == second
    assert to_html(shipped_map, self_contained=False) == to_html(shipped_map, self_contained=False)


def test_pieces_join_to_the_whole_page(shipped_map, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(
        geo.render.html, "_LARGE_TEXT", 1000
    )  # the shipped map's config is large now
    pieces = page_pieces(shipped_map)
    assert len(pieces) == 3 and pieces[1].startswith("{") and len(pieces[1]) > 1000
    whole = "".join(pieces)
    assert whole == to_html(shipped_map)
    out = save_html(shipped_map, tmp_path / "m.html")
    assert out.read_bytes() == whole.encode("utf-8")
    # the rendering left the map as it was: a plain rendering gives the same page
    assert _whole(shipped_map) == whole


def test_a_stand_in_found_in_the_page_renders_the_page_whole(monkeypatch, tmp_path) -> None:
    # text in the page that happens to hold the stand-in: no splitting at the wrong place
    ctx = load_context()
    hole = geo.render.html._HOLE.format(0)
    m = map_from(prepare(context=ctx), context=ctx, options=MapOptions(title=f"a {hole} b"))
    monkeypatch.setattr(geo.render.html, "_LARGE_TEXT", 1000)
    pieces = page_pieces(m)
    assert len(pieces) == 1 and pieces[0] == _whole(m)


def test_the_page_declares_its_language_and_direction(shipped_map) -> None:
    # WCAG 3.1.1 (axe-core's html-has-lang): folium's <html> has no lang; the page sets it
    from bs4 import BeautifulSoup

    html = BeautifulSoup(to_html(shipped_map, self_contained=False), "html.parser").find("html")
    assert html is not None
    assert (html.get("lang"), html.get("dir")) == ("en", "ltr")
    with pytest.raises(RuntimeError, match="<html> tag was not found"):
        _finish("<!DOCTYPE html>\n<HTML5>\n<head></head>", self_contained=False)
