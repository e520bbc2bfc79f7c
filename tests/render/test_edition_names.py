"""Place names in a language edition's page and stills (geo.i18n.names through
geo.render.labels.map_labels, the province and crossing tooltips and the stills' labels):
the edition shows the names file's names, shaped in the stills as HarfBuzz shapes them; the
English outputs do not change."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from geo.api import map_from, map_options, prepare
from geo.context import load_context
from geo.i18n import directed
from geo.i18n.names import SOURCES, local_name
from geo.i18n.names import credits as names_credits
from geo.render.html import to_html
from geo.render.static import image_bytes, static_map
from tests.render.test_static_edition import _drawn_glyphs, _harfbuzz

_SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def built():
    ctx = load_context()
    return ctx, prepare(context=ctx)


def _page(built, lang: str) -> str:
    ctx, prepared = built
    return to_html(
        map_from(prepared, context=ctx, options=map_options(prepared, context=ctx, lang=lang))
    )


def _config(page: str) -> dict:
    soup = BeautifulSoup(page, "html.parser")
    (block,) = [
        s for s in soup.find_all("script", attrs={"type": "application/json"})
        if s.get("id", "").endswith("_config")
    ]  # fmt: skip
    return json.loads(block.string)


@pytest.fixture(scope="module")
def pages(built) -> dict[str, str]:
    return {lang: _page(built, lang) for lang in ("en", "ps")}


def test_a_pashto_page_names_kandahar_from_the_names_file(pages) -> None:
    pashto = local_name("province", "Kandahar", "ps")
    assert pashto != "Kandahar"
    items = _config(pages["ps"])["labels"]["items"]
    provinces = {item[1] for item in items if item[0] == "province"}
    assert pashto in provinces and "Kandahar" not in provinces
    towns = {item[1] for item in items if item[0] in ("major", "town")}
    assert local_name("town", "Kabul", "ps") in towns and "Kabul" not in towns
    # a town the file has no Pashto name for keeps its Latin name (a counted gap)
    assert local_name("town", "Herat", "ps") == "Herat" and "Herat" in towns
    # the province outlines' tooltips (GeoJSON properties) carry it as well
    assert json.dumps(pashto)[1:-1] in pages["ps"] or pashto in pages["ps"]
    (credit,) = names_credits("ps")  # in the edition's words, the sources as credited
    assert SOURCES in credit and credit in " ".join(_config(pages["ps"])["attributions"])


def test_the_english_page_keeps_its_latin_names(pages) -> None:
    labels = {item[1] for item in _config(pages["en"])["labels"]["items"]}
    assert "Kandahar" in labels and "Kabul" in labels
    assert local_name("province", "Kandahar", "ps") not in pages["en"]
    assert SOURCES not in pages["en"]


def test_a_pashto_page_s_font_subset_covers_its_place_names(pages) -> None:
    from geo.render.edition import page_strings

    assert set(local_name("province", "Kandahar", "ps")) <= set(page_strings({}, "ps"))


def _svg(built, lang: str) -> bytes:
    ctx, prepared = built
    options = map_options(prepared, context=ctx, lang=lang)
    return image_bytes(static_map(prepared.shown, layers=ctx.layers(50), options=options), "svg")


def test_an_urdu_still_draws_its_town_names_shaped(built) -> None:
    svg = _svg(built, "ur")
    gids = [
        g.get("id") for g in ET.fromstring(svg).iter(f"{_SVG}g")
        if re.fullmatch(r"(major|town)-label-\d+", g.get("id") or "")
    ]  # fmt: skip
    runs = [_drawn_glyphs(svg, gid, "ur") for gid in gids]
    expected = {
        name: _harfbuzz("ur", directed(local_name("town", name, "ur"), "ur"))
        for name in ("Kabul", "Karachi", "Islamabad", "Lahore", "Peshawar", "Quetta")
    }
    shaped = {name for name, glyphs in expected.items() if glyphs in runs}
    # the placement rule finds room for some of the six (which, the frame decides)
    assert len(shaped) >= 2, (shaped, len(runs))


def test_the_english_still_is_unchanged_by_the_names(built, monkeypatch) -> None:
    from geo.i18n import names

    before = _svg(built, "en")
    monkeypatch.setattr(names, "local_name", lambda *a: "X")  # never read for English
    monkeypatch.setattr(names, "names_path", lambda: (_ for _ in ()).throw(AssertionError))
    assert _svg(built, "en") == before


def test_an_edition_s_embed_credits_name_the_place_names_sources(built) -> None:
    ctx, prepared = built
    credits = {
        lang: map_from(prepared, context=ctx, options=map_options(prepared, context=ctx, lang=lang)).credits()
        for lang in ("en", "ur")
    }  # fmt: skip
    (credit,) = names_credits("ur")
    assert credit in credits["ur"] and SOURCES not in " ".join(credits["en"])
    assert len(credits["ur"]) == len(credits["en"]) + 1  # the names' credit added, nothing else


def test_an_edition_names_a_crossing_from_the_names_file(tmp_path, monkeypatch) -> None:
    import folium

    from geo.border import read_crossings
    from geo.context import shipped_path
    from geo.i18n import names
    from geo.render.border import add_crossings

    crossings = read_crossings(shipped_path("crossings"))
    first = str(crossings["name"].iat[0])
    path = tmp_path / "place_names.csv"
    path.write_text(
        f"kind,name,lang,local,source\ncrossing,{first},ps,تورخم,test\n", encoding="utf-8"
    )
    monkeypatch.setattr(names, "names_path", lambda: path)
    shown = {
        lang: [f["properties"]["name"] for f in add_crossings(folium.Map(), crossings, lang=lang).data["features"]]
        for lang in ("en", "ps")
    }  # fmt: skip
    assert shown["en"] == list(crossings["name"])
    assert shown["ps"] == ["تورخم", *list(crossings["name"])[1:]]


def test_an_edition_s_province_tooltips_carry_the_local_names(built) -> None:
    from geo.render.provinces import LAYER_NAME

    ctx, prepared = built
    m = map_from(prepared, context=ctx, options=map_options(prepared, context=ctx, lang="ps"))
    (layer,) = [c for c in m._children.values() if getattr(c, "layer_name", None) == LAYER_NAME]
    shown = {f["properties"]["province"] for f in layer.data["features"]}
    assert local_name("province", "Kandahar", "ps") in shown and "Kandahar" not in shown
    assert "Kabul" in shown  # no Pashto name in the file: the Latin one
