"""The placement rule of the map's names (geo.render.labels) and the still that uses it.

The rule's promises, on made-up scenes and on the default still: no two labels overlap,
none leaves the frame or touches an obstacle, none drawn over the events hides an event's
centre, a town is drawn with its name or not at all, and each province holding events in
the frame is named. The page runs the same rule in its script:
tests/browser/test_labels_page.py checks it there, and that both give the same answer.
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely

from geo import api
from geo.border import REGION_CRS
from geo.render.labels import (
    CANDIDATES,
    DOTTED,
    KINDS,
    OVER_EVENTS,
    candidate_box,
    map_labels,
    page_config,
    place,
    province_labels,
    rules,
    town_labels,
)
from geo.render.static import image_bytes, static_map

SVG = "{http://www.w3.org/2000/svg}"


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def random_scene(seed: int, n: int = 40, events: int = 60, size=(600.0, 400.0)) -> dict:
    """A crowded scene: labels of every kind, events, two control-like obstacles."""
    rng = np.random.default_rng(seed)
    kinds = [KINDS[i] for i in rng.integers(0, len(KINDS), n)]
    kinds.sort(key=KINDS.index)  # in priority order, as map_labels gives them
    return {
        "kinds": kinds,
        "anchors": np.column_stack(
            [rng.uniform(-20, size[0] + 20, n), rng.uniform(-20, size[1] + 20, n)]
        ).round(2),
        "sizes": np.column_stack([rng.uniform(20, 110, n), rng.uniform(10, 15, n)]).round(2),
        "frame": size,
        "obstacles": np.array([[0, 0, 180, 40], [size[0] - 50, 60, size[0], 200]], dtype=float),
        "events": np.column_stack(
            [
                rng.uniform(0, size[0], events),
                rng.uniform(0, size[1], events),
                rng.uniform(5, 30, events),
            ]
        ).round(2),
    }


def check(scene: dict, boxes: list) -> None:
    """Every promise of :func:`place`, on its answer."""
    r = rules()
    pad, edge, dot = r["padding"], r["edge"], r["dot"]
    w, h = scene["frame"]
    placed = [(i, b) for i, b in enumerate(boxes) if b is not None]
    padded = [(b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad) for _, b in placed]
    for a in range(len(padded)):
        x0, y0, x1, y1 = padded[a]
        assert (
            x0 >= edge - 1e-9
            and y0 >= edge - 1e-9
            and x1 <= w - edge + 1e-9
            and y1 <= h - edge + 1e-9
        )
        assert not any(_overlap(padded[a], padded[b]) for b in range(a + 1, len(padded)))
        assert not any(_overlap(padded[a], o) for o in scene["obstacles"])
        i = placed[a][0]
        # its width and height as measured
        assert np.allclose([placed[a][1][2] - placed[a][1][0], placed[a][1][3] - placed[a][1][1]],
                           scene["sizes"][i])  # fmt: skip
        if scene["kinds"][i] in OVER_EVENTS:
            ex, ey = scene["events"][:, 0], scene["events"][:, 1]
            assert not ((ex > x0) & (ex < x1) & (ey > y0) & (ey < y1)).any()
    # a town is kept with its name: its dot lies under no label and no obstacle
    for a, (i, _) in enumerate(placed):
        if scene["kinds"][i] in DOTTED:
            x, y = scene["anchors"][i]
            own = (x - dot, y - dot, x + dot, y + dot)
            assert not any(_overlap(own, o) for o in scene["obstacles"])
            assert not any(_overlap(own, p) for b, p in enumerate(padded) if b != a)


@pytest.mark.parametrize("seed", range(8))
def test_random_scenes_keep_every_promise(seed) -> None:
    scene = random_scene(seed)
    boxes = place(**{k: scene[k] for k in ("kinds", "anchors", "sizes", "frame")},
                  obstacles=scene["obstacles"], events=scene["events"])  # fmt: skip
    check(scene, boxes)
    assert 0 < sum(b is not None for b in boxes) < len(boxes)  # crowded: some give way
    # deterministic
    again = place(**{k: scene[k] for k in ("kinds", "anchors", "sizes", "frame")},
                  obstacles=scene["obstacles"], events=scene["events"])  # fmt: skip
    assert again == boxes


def test_a_town_label_prefers_the_right_then_moves_away_from_the_edge() -> None:
    sizes = np.array([[40.0, 12.0]])
    gap = rules()["dot"] + rules()["gap"]
    (box,) = place(["town"], np.array([[100.0, 100.0]]), sizes, (400.0, 300.0))
    assert box == candidate_box(100.0, 100.0, 40.0, 12.0, (1, 0), gap)
    # near the right edge, it goes left of its dot
    (box,) = place(["town"], np.array([[380.0, 100.0]]), sizes, (400.0, 300.0))
    assert box == candidate_box(380.0, 100.0, 40.0, 12.0, (-1, 0), gap)
    # an event centre where the right spot would be: it goes left instead
    (box,) = place(["town"], np.array([[100.0, 100.0]]), sizes, (400.0, 300.0),
                   events=np.array([[125.0, 100.0, 10.0]]))  # fmt: skip
    assert box is not None and box[2] < 100


def test_the_first_town_keeps_its_spot_and_the_second_gives_way() -> None:
    anchors = np.array([[100.0, 100.0], [104.0, 103.0]])
    sizes = np.array([[40.0, 12.0], [40.0, 12.0]])
    first, second = place(["major", "town"], anchors, sizes, (400.0, 300.0))
    assert first is not None
    assert second is None  # its dot lies under the first name: neither is drawn
    # far enough apart, both are named
    anchors[1] = (100.0, 160.0)
    assert all(b is not None for b in place(["major", "town"], anchors, sizes, (400.0, 300.0)))


def test_nothing_is_placed_beyond_the_frame_or_on_an_obstacle() -> None:
    sizes = np.array([[40.0, 12.0]])
    assert place(["town"], np.array([[-5.0, 50.0]]), sizes, (400.0, 300.0)) == [None]
    boxed = np.array([[0.0, 0.0, 400.0, 300.0]])  # a control over everything
    assert place(["province"], np.array([[50.0, 50.0]]), sizes, (400.0, 300.0),
                 obstacles=boxed) == [None]  # fmt: skip


def test_countries_lie_under_the_events_and_provinces_move_off_them() -> None:
    events = np.array([[200.0, 150.0, 20.0]])
    sizes = np.array([[60.0, 12.0]])
    (country,) = place(["country"], np.array([[200.0, 150.0]]), sizes, (400.0, 300.0),
                       events=events)  # fmt: skip
    assert country == (170.0, 144.0, 230.0, 156.0)  # centred: it is drawn under them
    (province,) = place(["province"], np.array([[200.0, 150.0]]), sizes, (400.0, 300.0),
                        events=events)  # fmt: skip
    assert province is not None and not (
        province[1] < 150 < province[3] and province[0] < 200 < province[2]
    )


def test_rules_are_the_pages_data() -> None:
    conf = page_config(map_labels(), under_pane="a", over_pane="b")
    assert json.loads(json.dumps(conf)) == conf
    assert conf["rules"]["candidates"] == {k: [list(c) for c in CANDIDATES[k]] for k in KINDS}
    assert set(conf["styles"]) == set(KINDS) and conf["items"] == []
    # in the stills' units, the distances scale, the candidates do not
    half = rules(0.5)
    assert half["gap"] == rules()["gap"] / 2 and half["candidates"] == rules()["candidates"]


@pytest.fixture(scope="module")
def ctx():
    return api.load_context()


@pytest.fixture(scope="module")
def events(ctx):
    return api.prepare(None, context=ctx).shown


def test_labels_come_in_priority_order(ctx, events) -> None:
    found = map_labels(neighbours=ctx.neighbours, cities=ctx.cities, provinces=ctx.provinces,
                       events=events)  # fmt: skip
    kinds = [lab.kind for lab in found]
    assert kinds == sorted(kinds, key=KINDS.index)
    towns = town_labels(ctx.cities)
    assert [t.text for t in towns[:3]] == ["Kabul", "Kandahar", "Herat"]  # rank 1, file order
    assert len(towns) == len(ctx.cities)
    provinces = province_labels(ctx.provinces, events)
    assert provinces[0].text == "Khyber Pakhtunkhwa"  # the most events
    named = {p.text for p in provinces}
    assert {"Kabul", "Paktika", "Balochistan"} <= named and "Badghis" not in named
    for p in provinces:  # each named inside its province
        shape = ctx.provinces.loc[ctx.provinces["province"] == p.text].geometry.iat[0]
        assert shape.buffer(0.01).contains(shapely.Point(p.lon, p.lat)), p.text


def _svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_the_still_names_without_collisions(ctx, events) -> None:
    """The default still: the names' extents (matplotlib's renderer) overlap nothing, stay
    in the map, hide no event's centre; each drawn town dot is named; each province holding
    events in the frame is named, in the SVG (all the busiest, most of the others). (Without the disputed layer: its caption's
    lines take room from the map; tests/render/test_disputed.py checks its names.)"""
    fig = static_map(events, layers=dataclasses.replace(ctx.layers(), disputed=None))
    svg = image_bytes(fig, "svg")  # draws: the extents below are those drawn
    ax = next(a for a in fig.axes if a.get_label() == "map")
    frame = ax.get_window_extent()
    names = [
        t
        for t in ax.texts
        if re.fullmatch(r"neighbour-label|(major|town|province)-label-\d+", str(t.get_gid()))
    ]
    others = [t for t in ax.texts if t.get_gid() == "scalebar-label"]
    boxes = [t.get_window_extent() for t in names]
    assert len(names) >= 30
    for a, box in enumerate(boxes):
        assert (
            frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        )
        assert not any(box.overlaps(boxes[b]) for b in range(a + 1, len(boxes))), names[
            a
        ].get_text()
        assert not any(box.overlaps(o.get_window_extent()) for o in others)
    # no name drawn over the events hides an event's centre
    symbols = next(c for c in ax.collections if c.get_gid() == "events")
    centres = ax.transData.transform(symbols.get_offsets())
    for t, box in zip(names, boxes, strict=True):
        if t.get_gid() != "neighbour-label":
            inside = (
                (centres[:, 0] > box.x0)
                & (centres[:, 0] < box.x1)
                & (centres[:, 1] > box.y0)
                & (centres[:, 1] < box.y1)
            )
            assert not inside.any(), t.get_text()
    # every dot drawn is a town named
    dots = next(c for c in ax.collections if c.get_gid() == "towns")
    towns = [t for t in names if str(t.get_gid()).startswith(("major-", "town-"))]
    assert len(dots.get_offsets()) == len(towns)
    # the provinces holding events in the frame are named
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    pts = events.to_crs(REGION_CRS).geometry
    shown = events[(pts.x >= x0) & (pts.x <= x1) & (pts.y >= y0) & (pts.y <= y1)]
    holding = [p.text for p in province_labels(ctx.provinces, shown)]  # most events first
    assert len(holding) >= 10
    # every province with the most events is named; a province of one to three events may
    # yield its name to the circles and towns it would cover, but most are named
    missing = set(holding) - set(_svg_texts(svg))
    assert not missing & set(holding[:8]), missing
    assert len(missing) <= len(holding) // 5, missing
    provinces = [t for t in names if str(t.get_gid()).startswith("province-")]
    assert all(t.get_style() == "italic" for t in provinces)
