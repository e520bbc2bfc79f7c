"""The locator inset (issue 21): the rule that shows it, its drawing shared by the page and
the stills, where a still puts it, the options that turn it on and off."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from geo.cli import main
from geo.render.framing import INSET_SHARE, TWO_COUNTRIES, box_area, frame_box, wants_inset
from geo.render.options import MapOptions
from geo.render.static import image_bytes, image_size, static_map


@pytest.fixture(scope="module")
def shipped():
    """The shipped events and context layers, as ``geo build`` draws them."""
    import geo

    ctx = geo.load_context()
    return geo.prepare(None, context=ctx).shown, ctx.layers()


@pytest.fixture(scope="module")
def figure(shipped):
    events, layers = shipped
    return static_map(events, layers=layers)


def _axes(fig, label):
    return next((a for a in fig.axes if a.get_label() == label), None)


def _boxes_pt(fig, ax_from):
    """Window extents (display units) of an axes' circles and texts, as (x0, y0, x1, y1)."""
    from matplotlib.collections import PathCollection

    out = []
    renderer = fig._get_renderer()  # a Figure made without pyplot has a base canvas
    for coll in ax_from.collections:
        if isinstance(coll, PathCollection) and coll.get_gid() == "events":
            xy = ax_from.transData.transform(np.asarray(coll.get_offsets()))
            r = np.sqrt(coll.get_sizes()) / 2 * fig.dpi / 72
            out += [(x - rr, y - rr, x + rr, y + rr) for (x, y), rr in zip(xy, r, strict=True)]
    for t in ax_from.texts:
        if t.get_visible() and t.get_text():
            e = t.get_window_extent(renderer)
            out.append((e.x0, e.y0, e.x1, e.y1))
    return np.array(out)


def test_the_rule_compares_the_frame_with_the_two_countries(shipped) -> None:
    events, layers = shipped
    story = frame_box(events, border=layers.border, provinces=layers.provinces)
    assert box_area(story) < INSET_SHARE * box_area(TWO_COUNTRIES)
    assert wants_inset(story) and wants_inset(
        frame_box(events, extent="border", border=layers.border)
    )
    # a frame as large as the two countries, or beyond them (Doha), needs no locator
    for extent in ("events", "provinces"):
        box = frame_box(events, extent=extent, border=layers.border, provinces=layers.provinces)
        assert not wants_inset(box), extent
    assert not wants_inset(TWO_COUNTRIES)
    # the option decides when given
    assert wants_inset(TWO_COUNTRIES, True) and not wants_inset(story, False)
    with pytest.raises(Exception, match="inset="):
        MapOptions(inset="yes")  # type: ignore[arg-type]


def test_the_still_has_a_locator_whose_rectangle_is_the_map(figure) -> None:
    ax, loc = _axes(figure, "map"), _axes(figure, "locator")
    assert loc is not None
    (frame,) = [p for p in loc.patches if p.get_gid() == "locator-frame"]
    x0, y0 = frame.get_xy()
    # the rectangle is the map axes' extent, in the same projection
    assert np.allclose((x0, x0 + frame.get_width()), ax.get_xlim())
    assert np.allclose((y0, y0 + frame.get_height()), ax.get_ylim())
    # ... and lies inside the locator's own extent, a small part of it
    (lx0, lx1), (ly0, ly1) = loc.get_xlim(), loc.get_ylim()
    assert lx0 <= x0 and x0 + frame.get_width() <= lx1 and ly0 <= y0
    assert y0 + frame.get_height() <= ly1
    share = frame.get_width() * frame.get_height() / ((lx1 - lx0) * (ly1 - ly0))
    assert 0.05 < share < 0.6
    # the two countries and their neighbours are drawn
    assert len(loc.patches) >= 3


def test_the_locator_hides_no_event_label_panel_or_scale_bar(figure) -> None:
    fig = figure
    ax, loc = _axes(fig, "map"), _axes(fig, "locator")
    box = loc.get_window_extent()
    m = ax.get_window_extent()
    # on the map, inside it
    assert m.x0 <= box.x0 and box.x1 <= m.x1 and m.y0 <= box.y0 and box.y1 <= m.y1
    obstacles = _boxes_pt(fig, ax)
    assert len(obstacles) > 50
    for patch in ax.patches:
        if patch.get_gid() in ("scalebar", "detail-strip"):
            e = patch.get_window_extent()
            obstacles = np.vstack([obstacles, [(e.x0, e.y0, e.x1, e.y1)]])
    detail = _axes(fig, "detail")
    assert detail is not None  # the shipped still has both panels
    e = detail.get_window_extent()
    obstacles = np.vstack([obstacles, [(e.x0, e.y0, e.x1, e.y1)]])
    hit = (
        (obstacles[:, 0] < box.x1) & (obstacles[:, 2] > box.x0)
        & (obstacles[:, 1] < box.y1) & (obstacles[:, 3] > box.y0)
    )  # fmt: skip
    assert not hit.any(), obstacles[hit]


def test_no_locator_when_turned_off_or_the_frame_is_the_region(shipped) -> None:
    events, layers = shipped
    off = static_map(events, layers=layers, options=MapOptions(inset=False))
    assert _axes(off, "locator") is None
    wide = static_map(events, layers=layers, options=MapOptions(extent="provinces"))
    assert _axes(wide, "locator") is None
    forced = static_map(events, layers=layers, options=MapOptions(extent="provinces", inset=True))
    assert _axes(forced, "locator") is not None
    border = static_map(events, layers=layers, options=MapOptions(extent="border"))
    assert _axes(border, "locator") is not None


@pytest.mark.parametrize("size", ["1000x1400", "900x560", "2400x1000"])
def test_other_sizes_place_it_clear_of_the_events_or_leave_it_out(shipped, size) -> None:
    events, layers = shipped
    fig = static_map(events, layers=layers, size=image_size(size=size))
    loc = _axes(fig, "locator")
    if loc is None:
        return
    box = loc.get_window_extent()
    ax = _axes(fig, "map")
    obstacles = _boxes_pt(fig, ax)
    m = ax.get_window_extent()
    if m.x0 <= box.x0 and box.x1 <= m.x1 and m.y0 <= box.y0 and box.y1 <= m.y1:
        hit = (
            (obstacles[:, 0] < box.x1) & (obstacles[:, 2] > box.x0)
            & (obstacles[:, 1] < box.y1) & (obstacles[:, 3] > box.y0)
        )  # fmt: skip
        assert not hit.any()
    else:  # under the legend, beside the map
        legend = _axes(fig, "legend").get_window_extent()
        assert box.x0 >= m.x1 and legend.x0 <= box.x0 + 1


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_same_input_same_bytes(shipped, fmt) -> None:
    events, layers = shipped
    a = image_bytes(static_map(events, layers=layers), fmt)
    b = image_bytes(static_map(events, layers=layers), fmt)
    assert a == b
    if fmt == "svg":
        assert 'id="locator-frame"' in a.decode()


def _config(page: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="[^"]+_config">(.*?)</script>', page, re.S
    )
    assert found
    return json.loads(found.group(1))


def test_page_config_is_a_few_kb_of_encoded_outlines(tmp_path) -> None:
    out = tmp_path / "m.html"
    assert main(["build", "--out", str(out), "-q"]) == 0
    page = out.read_text(encoding="utf-8")
    inset = _config(page)["inset"]
    assert inset["box"] == [59.5, 22.6, 78.8, 39.5]
    assert set(inset["shapes"]) == {"land", "neighbours"}
    assert all(
        g["precision"] == 2 and "encoded" in g for gs in inset["shapes"].values() for g in gs
    )
    assert len(json.dumps(inset)) < 8000
    assert "inset.js" in page or "geo-inset" in page


def test_cli_and_spec_turn_it_on_and_off(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--out", "on.svg", "-q", "--no-detail"]) == 0
    assert main(["build", "--out", "off.svg", "-q", "--no-detail", "--no-inset"]) == 0
    assert main(["build", "--out", "wide.svg", "-q", "--no-detail", "--extent", "provinces"]) == 0
    assert main(["build", "--out", "forced.svg", "-q", "--no-detail", "--extent", "provinces",
                 "--inset"]) == 0  # fmt: skip
    text = {p.stem: p.read_text(encoding="utf-8") for p in Path().glob("*.svg")}
    assert 'id="locator-frame"' in text["on"] and 'id="locator-frame"' in text["forced"]
    assert 'id="locator' not in text["off"] and 'id="locator' not in text["wide"]
    assert main(["build", "--out", "off.html", "-q", "--no-inset"]) == 0
    assert _config(Path("off.html").read_text(encoding="utf-8"))["inset"] is None
    # the page follows the stills' rule: a frame of the provinces holding events is the region
    assert main(["build", "--out", "wide.html", "-q", "--extent", "provinces"]) == 0
    assert _config(Path("wide.html").read_text(encoding="utf-8"))["inset"] is None
    assert main(["build", "--out", "border.html", "-q", "--extent", "border"]) == 0
    assert _config(Path("border.html").read_text(encoding="utf-8"))["inset"] is not None
    # a spec's key: inset = false is --no-inset
    Path("s.toml").write_text(
        'out = "spec.svg"\nno-detail = true\ninset = false\n', encoding="utf-8"
    )
    assert main(["build", "s.toml", "-q"]) == 0
    assert Path("spec.svg").read_bytes() == Path("off.svg").read_bytes()


def test_python_api_takes_inset(tmp_path) -> None:
    import geo

    m = geo.conflict_map(inset=False)
    assert m.map_options.inset is False
    geo.save_map(None, tmp_path / "a.svg", inset=False, detail=False)
    assert 'id="locator' not in (tmp_path / "a.svg").read_text(encoding="utf-8")
    from geo.api import map_options

    assert map_options(inset=True).inset is True
