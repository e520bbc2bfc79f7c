"""Disputed Kashmir by worldview (geo/render/disputed.py, geo/worldview.py): what the page
carries (object tree, embedded config, parsed HTML) and what the stills draw (SVG)."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import xml.etree.ElementTree as ET

import folium
import pytest
from bs4 import BeautifulSoup

from geo.api import prepare
from geo.context import load_context
from geo.render import build_map
from geo.render.html import to_html
from geo.render.options import MapOptions
from geo.render.static import image_bytes, static_map
from geo.worldview import GIDS, WORLDVIEWS

SVG = "{http://www.w3.org/2000/svg}"
#: A frame holding Kashmir (and the border's north), and one far from it.
KASHMIR = (69.0, 31.5, 78.5, 37.5)
KANDAHAR = (63.5, 29.0, 67.5, 32.5)
#: The ids a worldview's artists carry in a still: drawn lines and territory, legend lines.
WORLDVIEW_IDS = {*GIDS.values(), "legend-loc", "legend-claim"}


@pytest.fixture(scope="module")
def ctx():
    return load_context()


@pytest.fixture(scope="module")
def events(ctx):
    return prepare(None, context=ctx).shown


def _page(events, ctx, view: str) -> tuple[folium.Map, str, dict]:
    m = build_map(events, layers=ctx.layers(), options=MapOptions(worldview=view))
    page = to_html(m, self_contained=True)
    blocks = [
        s
        for s in BeautifulSoup(page, "html.parser").find_all(
            "script", attrs={"type": "application/json"}
        )
        if s.get("id", "").endswith("_config")
    ]
    assert len(blocks) == 1
    return m, page, json.loads(blocks[0].string)


def _drawn(m: folium.Map) -> dict[str, folium.GeoJson]:
    return {
        c.layer_name: c
        for c in m._children.values()
        if isinstance(c, folium.GeoJson) and c.layer_name in GIDS.values()
    }


@pytest.mark.parametrize("view", list(WORLDVIEWS))
def test_the_page_draws_names_and_captions_its_worldview(events, ctx, view) -> None:
    wv = WORLDVIEWS[view]
    m, _page_text, config = _page(events, ctx, view)
    drawn = _drawn(m)
    if wv.as_india:
        assert set(drawn) == {GIDS["territory"], GIDS["china"], GIDS["claim"]}
        assert "dashArray" not in drawn[GIDS["claim"]].style_function({})
        # India's boundary with Pakistan and with China, one layer
        assert len(drawn[GIDS["claim"]].data["features"]) == 2
        names = {f["properties"]["name"] for f in drawn[GIDS["china"]].data["features"]}
        assert names == {html.escape(wv.china_tooltip)}  # text, escaped as every tooltip
    else:
        assert set(drawn) == {GIDS["loc"], GIDS["lac"]}
        for gid in (GIDS["loc"], GIDS["lac"]):
            assert drawn[gid].style_function({})["dashArray"] == "6 4"
        names = {f["properties"]["name"] for f in drawn[GIDS["lac"]].data["features"]}
        assert names == {html.escape(wv.lac_label)}
    # legend: the Durand Line as the worldview words it, the LoC (dashed) or the claimed line
    context = next(s for s in config["legend"] if s["title"] == "Context")["items"]
    lines = [i for i in context if i["kind"] == "line"]
    assert lines[0]["label"] == wv.durand
    if wv.as_india:
        assert lines[1] == {"kind": "line", "color": "#333333", "label": wv.claim_label,
                            "worldview": "claim"}  # fmt: skip
    else:  # the two dashed lines look alike: one entry
        assert lines[1] == {"kind": "line", "color": "#333333", "dashed": True,
                            "label": wv.lines_label, "worldview": "loc"}  # fmt: skip
        assert len(lines) == 2
    borders = next(s for s in config["legend"] if s["title"] == "Borders")
    # the page can be moved anywhere: both sentences
    assert borders["items"] == [{"kind": "note", "label": f"{wv.caption} {wv.china_caption}"}]
    # said once, by the legend (on screen and in print): not again in the source line
    assert not any("Kashmir" in a for a in config["attributions"])
    # the territories named the worldview's way; the plain province names not
    texts = [item[1] for item in config["labels"]["items"]]
    for name in wv.labels.values():
        assert name in texts
    for plain in ("Gilgit-Baltistan", "Azad Jammu and Kashmir"):  # named once, its own way
        assert texts.count(plain) == list(wv.labels.values()).count(plain)


def test_the_page_is_the_same_twice_and_the_default_is_neutral(events, ctx) -> None:
    _, first, _config = _page(events, ctx, "neutral")
    _, again, _ = _page(events, ctx, "neutral")
    assert first == again
    default = to_html(build_map(events, layers=ctx.layers()), self_contained=True)
    assert default == first
    _, india, _ = _page(events, ctx, "india")
    assert india != first


def _still(events, ctx, view: str, extent=KASHMIR) -> bytes:
    fig = static_map(events, layers=ctx.layers(),
                     options=MapOptions(worldview=view, extent=extent, detail=False))  # fmt: skip
    return image_bytes(fig, "svg")


def _named_ids(svg: bytes) -> set[str]:
    """The ids given by the drawing (gids), not those matplotlib numbers itself."""
    root = ET.fromstring(svg)
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    return {i for i in ids if re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", i)}


def _texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def stills(events, ctx) -> dict[str, bytes]:
    return {view: _still(events, ctx, view) for view in WORLDVIEWS}


def test_neutral_and_india_stills_differ_in_the_disputed_boundary_alone(stills) -> None:
    """Every named artist but the names (whose room depends on the worldview's wording of
    the territories, checked below) is the same but the worldview's own."""
    neutral, india = (
        {i for i in _named_ids(stills[v]) if "-label-" not in i} for v in ("neutral", "india")
    )
    assert neutral ^ india == WORLDVIEW_IDS
    assert neutral - india == {GIDS["loc"], "legend-loc", GIDS["lac"]}
    assert india - neutral == {GIDS["territory"], GIDS["china"], GIDS["claim"], "legend-claim"}


@pytest.mark.parametrize("view", list(WORLDVIEWS))
def test_each_still_names_and_captions_its_worldview(stills, view) -> None:
    wv = WORLDVIEWS[view]
    texts = _texts(stills[view])
    joined = " ".join(texts)
    assert wv.durand.split(" (")[0] in joined
    credits = " ".join(t for t in texts if t.startswith(("Sources", "OpenStreetMap"))) or joined
    flat = " ".join(joined.split())
    assert " ".join(wv.caption.split()) in flat, credits
    # at least one territory named, its two lines drawn as one text
    named = [v.replace("\n", "") for v in wv.labels.values()]
    assert any(n in "".join(texts) or n in joined.replace("\n", "") for n in named)
    ids = _named_ids(stills[view])
    if wv.loc:
        assert GIDS["loc"] in ids and GIDS["claim"] not in ids
    else:
        assert GIDS["claim"] in ids and GIDS["territory"] in ids and GIDS["loc"] not in ids


def test_a_frame_without_kashmir_has_no_caption_and_draws_nothing_disputed(events, ctx) -> None:
    with_layer = _still(events, ctx, "neutral", KANDAHAR)
    without = static_map(
        events,
        layers=dataclasses.replace(ctx.layers(), disputed=None),
        options=MapOptions(extent=KANDAHAR, detail=False),
    )
    assert with_layer == image_bytes(without, "svg")  # the layer changes nothing here
    assert not _named_ids(with_layer) & WORLDVIEW_IDS


def test_the_still_is_the_same_twice(events, ctx, stills) -> None:
    assert _still(events, ctx, "india") == stills["india"]


def test_the_embed_credits_carry_the_caption(events, ctx) -> None:
    for view in ("neutral", "india"):
        m = build_map(events, layers=ctx.layers(), options=MapOptions(worldview=view))
        wv = WORLDVIEWS[view]
        assert m.credits()[-1] == f"{wv.caption} {wv.china_caption}"
    bare = build_map(events, layers=dataclasses.replace(ctx.layers(), disputed=None))
    assert not any("Kashmir" in c for c in bare.credits())


def test_the_province_tooltips_name_the_territories_status(events, ctx) -> None:
    from geo.worldview import province_tooltips

    for view, expected in (
        ("neutral", "PAK (Pakistan-administered; disputed)"),
        ("pakistan", "PAK"),
        ("india", "IND (India's official map; Pakistan-administered)"),
    ):
        shown = province_tooltips(WORLDVIEWS[view], ctx.provinces)
        by = dict(zip(shown["iso_3166_2"], shown["country"], strict=True))
        assert by["PK-GB"] == by["PK-JK"] == expected
        assert by["PK-PB"] == "PAK" and by["AF-KAB"] == "AFG"
    _, page, _ = _page(events, ctx, "india")
    # the territory's own tooltip (escaped text, as every layer's)
    assert "official map shows them; administered by Pakistan" in page


@pytest.mark.parametrize("view", ["neutral", "india"])
def test_the_detail_panel_leaves_the_disputed_lines_in_sight(events, ctx, view) -> None:
    """The caption and the legend speak of the Line of Control (or India's line): the
    detail panel takes a corner clear of them. In this frame the top right corner it took
    before held the whole Line of Control."""
    import numpy as np
    from matplotlib.collections import LineCollection

    fig = static_map(events, layers=ctx.layers(),
                     options=MapOptions(worldview=view, extent=(60.0, 24.0, 78.0, 38.0)))  # fmt: skip
    image_bytes(fig, "png")  # draws: the extents below are those drawn
    (ax,) = [a for a in fig.axes if a.get_label() == "map"]
    (panel,) = [a for a in fig.axes if a.get_label() == "detail"]
    box = panel.get_window_extent()
    gids = {GIDS["loc"], GIDS["claim"]}
    segments = [s for c in ax.collections if isinstance(c, LineCollection)
                and c.get_gid() in gids for s in c.get_segments()]  # fmt: skip
    assert segments
    xy = ax.transData.transform(np.concatenate(segments))
    under = (xy[:, 0] > box.x0) & (xy[:, 0] < box.x1) & (xy[:, 1] > box.y0) & (xy[:, 1] < box.y1)
    assert not under.any(), int(under.sum())


#: A frame holding Aksai Chin and the India-China line.
LADAKH = (74.0, 32.0, 81.0, 37.5)


def _paths_of(svg: bytes, gid: str) -> list[str]:
    root = ET.fromstring(svg)
    groups = [e for e in root.iter() if e.get("id") == gid]
    return [p.get("d") for g in groups for p in g.iter(f"{SVG}path")]


def test_india_draws_aksai_chin_as_india_and_neutral_names_it(events, ctx) -> None:
    """India's still fills Aksai Chin and the Shaksgam Valley as India, with India's
    boundary with China beyond them and no Line of Actual Control; the neutral still dashes
    the line and names both areas as China-administered and claimed by India."""
    india = _still(events, ctx, "india", LADAKH)
    neutral = _still(events, ctx, "neutral", LADAKH)
    paths = _paths_of(india, GIDS["china"])
    assert len(paths) >= 2 and all(len(d) > 200 for d in paths)  # both areas, drawn out
    assert GIDS["claim"] in _named_ids(india) and GIDS["lac"] not in _named_ids(india)
    assert GIDS["lac"] in _named_ids(neutral) and GIDS["china"] not in _named_ids(neutral)
    for view, svg in (("india", india), ("neutral", neutral)):
        wv = WORLDVIEWS[view]
        joined = " ".join(_texts(svg))
        for kind in ("aksai_chin", "trans_karakoram"):
            first, status = wv.labels[kind].split("\n")
            assert first in joined and status in joined, (view, kind)
        assert " ".join(wv.china_caption.split()) in " ".join(joined.split())
    assert "claimed by India" in " ".join(_texts(neutral))
    assert "claimed by India" not in " ".join(_texts(india))


def test_pakistan_marks_the_ladakh_china_line_undefined(events, ctx) -> None:
    svg = _still(events, ctx, "pakistan", LADAKH)
    ids = _named_ids(svg)
    assert {GIDS["loc"], GIDS["lac"], "legend-loc"} <= ids and GIDS["china"] not in ids
    joined = " ".join(" ".join(_texts(svg)).split())
    wv = WORLDVIEWS["pakistan"]
    assert wv.lines_label in joined  # the legend's one entry of the two dashed lines
    assert '"frontier undefined"' in joined  # the caption


def test_the_default_frame_names_the_shaksgam_valley_without_the_line(events, ctx) -> None:
    """The default (story) frame, fitted to the still, reaches the west of the Shaksgam
    Valley but neither Aksai Chin nor the Line of Actual Control: the line is neither
    drawn nor in the legend; the valley is named and the caption says who holds it."""
    svg = _still(events, ctx, "neutral", "story")
    ids = _named_ids(svg)
    assert GIDS["loc"] in ids and GIDS["lac"] not in ids and "legend-lac" not in ids
    joined = " ".join(" ".join(_texts(svg)).split())
    assert "Shaksgam Valley" in joined and "Aksai Chin (China" not in joined
    assert " ".join(WORLDVIEWS["neutral"].china_caption.split()) in joined
