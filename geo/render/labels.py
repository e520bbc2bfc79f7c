"""Where names go on the map: one placement rule for the page and the stills.

Every name drawn on a map (the neighbouring countries, the towns, the provinces that hold
events) is placed by :func:`place`: each label, in priority order, tries its candidate
positions around its anchor in a fixed order and takes the first that

- lies inside the frame, ``edge`` clear of its sides;
- touches no obstacle (a control, the scale bar, a border crossing), no label placed before
  it and no town dot kept before it;
- for the labels drawn over the events, covers no event's centre;

and, among those, covers the fewest event circles and dots of towns still to be placed.
An editor's callout (kind ``note``, :mod:`geo.render.annotations`) comes first of all; it
stands off its anchor by the length of its leader (:data:`LEAD_PX`, further when nothing
nearer fits), tries its nudged side first, and may cover an event's centre where nothing
else fits, at a cost (:data:`CENTRE_COST`): a callout is shown whenever it can be.
A label with no such position is not drawn, and a town whose label is not drawn is not
drawn either: a dot without a name reads like data. A town whose dot lies under a label
placed before it, or under an obstacle, is dropped the same way.

The stills call :func:`place` with the extents matplotlib measures for each text
(:mod:`geo.render.static`). The page cannot place its labels when it is built (the reader
zooms and the frame changes size), so its script (``geo/static/page.js``, ``placeLabels``)
runs the same steps on the boxes the browser measures, after every move, zoom, resize and
redraw of the events, reading the candidates, the priorities (the order of the labels) and
the distances from :func:`page_config`: data, never code.

Coordinates are those of the frame, ``x`` to the right and ``y`` downwards (screen order),
in page pixels (the stills pass points and a ``unit``: points per page pixel).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely.ops import polylabel

from geo.border import REGION_CRS
from geo.render.style import CITY_STYLE, LABEL_HALO_COLOUR, LABEL_HALO_PX, LABEL_STYLES

if TYPE_CHECKING:
    from geo.render.annotations import Callout

#: The kinds of label, most important first: an editor's callouts (``--annotate``,
#: ``--note``: :mod:`geo.render.annotations`), the neighbouring countries (drawn under the
#: events, where the land is empty), major towns (rank 1), the provinces holding events,
#: the other towns.
KINDS = ("note", "country", "major", "province", "town")
#: Around a town's dot, in order of preference: right, left, the four diagonals, above,
#: below. ``(sx, sy)``: -1 puts the label's far edge ``gap`` before the dot (left of it,
#: above it), 1 its near edge ``gap`` after it, 0 centres it on the anchor.
TOWN_SPOTS = ((1, 0), (-1, 0), (1, -1), (1, 1), (-1, -1), (-1, 1), (0, -1), (0, 1))
#: A province's name, centred on its point, else moved around it by half its size, else
#: up or down by one and by one and a half times its height.
PROVINCE_SPOTS = (
    (0, 0), (0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1),
    (0, -2), (0, 2), (0, -3), (0, 3),
)  # fmt: skip
#: A callout, ``lead`` from its anchor (its leader line's length) on a diagonal first, then
#: beside, above or below it; then twice as far (``reach``), the same way round.
NOTE_SPOTS = ((1, -1), (-1, -1), (1, 1), (-1, 1), (1, 0), (-1, 0), (0, -1), (0, 1))
CANDIDATES: dict[str, tuple[tuple[int, int], ...]] = {
    "note": NOTE_SPOTS,
    "country": ((0, 0),),  # where the land has room for it, or not at all
    "major": TOWN_SPOTS,
    "province": PROVINCE_SPOTS,
    "town": TOWN_SPOTS,
}
#: Kinds drawn above the events' symbols: they must not hide an event's centre.
OVER_EVENTS = frozenset({"note", "major", "province", "town"})
#: Kinds that may cover an event's centre where nothing else fits, at a cost of
#: ``CENTRE_COST`` circles each (a callout must be shown; a town's name need not be).
COVERING = frozenset({"note"})
CENTRE_COST = 10
#: Kinds anchored on a town's dot.
DOTTED = frozenset({"major", "town"})
#: Page pixels: room kept around each label's text (its halo), between a dot and its
#: label, and between a label and the frame's edge.
PADDING_PX = float(LABEL_HALO_PX)
GAP_PX = 2.0
EDGE_PX = 2.0
#: A town dot's radius, its edge included.
DOT_RADIUS_PX = float(CITY_STYLE["radius"]) + float(CITY_STYLE["weight"]) / 2
#: A callout's distance from its anchor, the length of its leader line at the least, and the
#: further distances it tries when nothing nearer fits.
LEAD_PX = (14.0, 34.0, 64.0)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Label:
    """A name to place: its kind (:data:`KINDS`), its text (data: each output shows it as
    text) and its anchor in degrees."""

    kind: str
    text: str
    lon: float
    lat: float


# --------------------------------------------------------------------------------------
# What is named
# --------------------------------------------------------------------------------------


_TO_REGION = Transformer.from_crs("EPSG:4326", REGION_CRS, always_xy=True)


def label_point(shape: shapely.Geometry, within: Box | None = None) -> shapely.Point | None:
    """Where a polygon is named: the pole of inaccessibility (the point farthest from the
    edges) of its largest part, within ``within`` when given; None without area."""
    if shape is None or shape.is_empty:
        return None
    if within is not None:
        shape = shapely.clip_by_rect(shape, *within)
    parts = [p for p in shapely.get_parts(shape) if shapely.get_type_id(p) == 3 and p.area > 0]
    if not parts:
        return None
    largest = parts[int(np.argmax([p.area for p in parts]))]
    return polylabel(largest, tolerance=1000.0)


def _to_degrees(points: list[shapely.Point]) -> list[tuple[float, float]]:
    if not points:
        return []
    found = gpd.GeoSeries(points, crs=REGION_CRS).to_crs("EPSG:4326")
    return [(round(float(p.x), 4), round(float(p.y), 4)) for p in found]


def province_labels(
    provinces: gpd.GeoDataFrame | None,
    events: gpd.GeoDataFrame | None,
    within: Box | None = None,
) -> list[Label]:
    """The provinces that hold at least one of the events, most events first (then by
    name), each named at :func:`label_point` of its land (inside ``within``, a box in the
    region's projection, when given)."""
    if provinces is None or not len(provinces) or events is None or not len(events):
        return []
    from geo.provinces import province_of

    shapes = provinces.to_crs(REGION_CRS).geometry.to_numpy()
    points = events.to_crs("EPSG:4326").geometry
    lon, lat = points.x.to_numpy(dtype=float), points.y.to_numpy(dtype=float)
    if within is not None:
        x, y = _TO_REGION.transform(lon, lat)
        inside = (x >= within[0]) & (x <= within[2]) & (y >= within[1]) & (y <= within[3])
        lon, lat = lon[inside], lat[inside]
    # the province of each event by enrichment's own rule (a twentieth of an STRtree query
    # of 100k points against the detailed polygons)
    held = province_of(lon, lat, provinces)
    counts = np.bincount(held[held >= 0], minlength=len(shapes))
    names = provinces["province"].to_numpy(dtype=object)
    chosen = sorted(
        (i for i in range(len(shapes)) if counts[i] > 0),
        key=lambda i: (-int(counts[i]), str(names[i]), i),
    )
    found = [(str(names[i]), label_point(shapes[i], within)) for i in chosen]
    found = [(n, p) for n, p in found if p is not None and n.strip()]
    return [
        Label("province", name, x, y)
        for (name, _), (x, y) in zip(found, _to_degrees([p for _, p in found]), strict=True)
    ]


def town_labels(cities: gpd.GeoDataFrame | None) -> list[Label]:
    """The towns, most important first: by ``rank`` (1 is major), then by ``population``
    when the layer has it (largest first), then in the file's order."""
    if cities is None or not len(cities):
        return []
    n = len(cities)
    rank = cities["rank"].to_numpy() if "rank" in cities else np.ones(n)
    pop = cities["population"].to_numpy(dtype=float) if "population" in cities else np.zeros(n)
    pop = np.nan_to_num(pop, nan=0.0)
    order = sorted(range(n), key=lambda i: (float(rank[i]), -float(pop[i]), i))
    xs, ys = cities.geometry.x.to_numpy(), cities.geometry.y.to_numpy()
    return [
        Label(
            "major" if rank[i] == 1 else "town",
            str(cities["name"].iat[i]),
            round(float(xs[i]), 4),
            round(float(ys[i]), 4),
        )
        for i in order
        if str(cities["name"].iat[i]).strip() and np.isfinite(xs[i]) and np.isfinite(ys[i])
    ]


def map_labels(
    *,
    neighbours: gpd.GeoDataFrame | None = None,
    cities: gpd.GeoDataFrame | None = None,
    provinces: gpd.GeoDataFrame | None = None,
    events: gpd.GeoDataFrame | None = None,
    within: Box | None = None,
    territories: Sequence[tuple[str, float, float]] = (),
    renamed: Sequence[str] = (),
    lang: str = "en",
) -> list[Label]:
    """Every name of a map, in the order :func:`place` takes them (the priority):
    by kind (:data:`KINDS`), and within a kind as each list orders them. ``territories``
    (``(text, lon, lat)``: the worldview's names of disputed Kashmir,
    :func:`geo.worldview.territory_labels`) are named as provinces, after those holding
    events (the caption states the dispute whether or not a name finds room); the provinces
    ``renamed`` (:data:`geo.worldview.TERRITORY_NAMES`) are then named by them alone. An
    edition (``lang``) names the countries, towns and provinces in its script
    (:func:`geo.i18n.names.local_name`); the territories come worded already."""
    from geo.render.basemap import neighbour_labels

    countries = [
        Label("country", n, x, y) for n, x, y in neighbour_labels(neighbours, within=within)
    ]
    disputed = [Label("province", t, round(x, 4), round(y, 4)) for t, x, y in territories]
    # a province the worldview names is named once, its own way
    gone = set(renamed) if territories else set()
    others = [lab for lab in province_labels(provinces, events, within) if lab.text not in gone]
    found = [*_local([*countries, *town_labels(cities), *others], lang), *disputed]
    return sorted(found, key=lambda lab: KINDS.index(lab.kind))  # stable within a kind


def _local(labels: list[Label], lang: str) -> list[Label]:
    """The labels with their names in the edition ``lang``'s script (Latin where the names
    file has none); English labels as they are."""
    if lang == "en":
        return labels
    from geo.i18n.names import local_name

    kind_of = {"country": "country", "major": "town", "town": "town", "province": "province"}
    return [
        Label(lab.kind, local_name(kind_of[lab.kind], lab.text, lang), lab.lon, lab.lat)
        for lab in labels
    ]


# --------------------------------------------------------------------------------------
# The rule
# --------------------------------------------------------------------------------------


def rules(unit: float = 1.0) -> dict[str, Any]:
    """The parameters of :func:`place` in the frame's units (``unit`` per page pixel):
    what the page's script reads (:func:`page_config`) and what the stills pass."""
    return {
        "candidates": {k: [list(c) for c in CANDIDATES[k]] for k in KINDS},
        "over": sorted(OVER_EVENTS),
        "dotted": sorted(DOTTED),
        "padding": PADDING_PX * unit,
        "gap": GAP_PX * unit,
        "edge": EDGE_PX * unit,
        "dot": DOT_RADIUS_PX * unit,
        "lead": [d * unit for d in LEAD_PX],
        "covering": sorted(COVERING),
        "centreCost": CENTRE_COST,
    }


def _spots(
    kind: str, nudge: Sequence[int] | None, leads: Sequence[float]
) -> list[tuple[tuple[int, int], float | None]]:
    """The candidate spots of a label, in order, each with its distance from the anchor
    (None: the kind's own, a dot's radius and the gap or 0): a callout's nudge first, at
    every distance, then the others."""
    spots = list(CANDIDATES[kind])
    if kind != "note":
        return [(s, None) for s in spots]
    wanted = (int(nudge[0]), int(nudge[1])) if nudge is not None else None
    first = [wanted] if wanted is not None and wanted in spots else []
    rest = [s for s in spots if s not in first]
    out: list[tuple[tuple[int, int], float | None]] = [(s, d) for s in first for d in leads]
    return out + [(s, d) for d in leads for s in rest]


def candidate_box(x: float, y: float, w: float, h: float, spot: Sequence[int], off: float) -> Box:
    """The text box of a ``w`` x ``h`` label put at ``spot`` (:data:`TOWN_SPOTS`) around
    ``(x, y)``, ``off`` away from it (a dot's radius and the gap; 0 for a bare point, where
    an off-centre spot moves the label by half its size)."""
    sx, sy = spot
    if off == 0:  # no dot to keep clear of: a half step, so the spots differ from the centre
        x0, y0 = x - w / 2 + sx * w / 2, y - h / 2 + sy * h / 2
    else:
        x0 = x - w / 2 if sx == 0 else (x + off if sx > 0 else x - off - w)
        y0 = y - h / 2 if sy == 0 else (y + off if sy > 0 else y - off - h)
    return (x0, y0, x0 + w, y0 + h)


def _hits(box: Box, boxes: np.ndarray) -> np.ndarray:
    """Which of ``boxes`` (n x 4) overlap ``box`` (touching edges do not)."""
    return (
        (boxes[:, 0] < box[2])
        & (box[0] < boxes[:, 2])
        & (boxes[:, 1] < box[3])
        & (box[1] < boxes[:, 3])
    )


def _circles_touched(box: Box, circles: np.ndarray) -> int:
    """How many circles (n x 3: x, y, r) reach into ``box``."""
    if not len(circles):
        return 0
    dx = np.maximum(np.maximum(box[0] - circles[:, 0], 0), circles[:, 0] - box[2])
    dy = np.maximum(np.maximum(box[1] - circles[:, 1], 0), circles[:, 1] - box[3])
    return int((dx * dx + dy * dy < circles[:, 2] ** 2).sum())


def _centre_inside(box: Box, circles: np.ndarray) -> bool:
    if not len(circles):
        return False
    x, y = circles[:, 0], circles[:, 1]
    return bool(((x > box[0]) & (x < box[2]) & (y > box[1]) & (y < box[3])).any())


def _centres_inside(box: Box, circles: np.ndarray) -> int:
    x, y = circles[:, 0], circles[:, 1]
    return int(((x > box[0]) & (x < box[2]) & (y > box[1]) & (y < box[3])).sum())


def place(
    kinds: Sequence[str],
    anchors: np.ndarray,
    sizes: np.ndarray,
    frame: tuple[float, float],
    *,
    obstacles: np.ndarray | None = None,
    events: np.ndarray | None = None,
    unit: float = 1.0,
    nudges: Sequence[Sequence[int] | None] | None = None,
) -> list[Box | None]:
    """Place labels, in the order given (their priority); returns each one's text box, or
    None for a label not drawn (and, for a town, a dot not drawn).

    Parameters
    ----------
    kinds : sequence of str
        Each label's kind (:data:`KINDS`).
    anchors : array (n, 2)
        Each label's point (a town's dot, a province's or a country's point), y downwards.
    sizes : array (n, 2)
        Each text's width and height, as drawn (without its halo).
    frame : (width, height)
        The map's frame; nothing is placed beyond its edges.
    obstacles : array (m, 4), optional
        Boxes (x0, y0, x1, y1) no label or dot may touch.
    events : array (k, 3), optional
        The event symbols (x, y, radius): labels drawn over them keep clear of their
        centres and, where they can, of the symbols.
    unit : float
        Frame units per page pixel (the distances of :func:`rules` scale with it).
    nudges : sequence of (sx, sy) or None, optional
        Per label: the spot a callout tries first (``--annotate ID=Text@ne``), or None.
    """
    r = rules(unit)
    pad, gap, edge, dot = r["padding"], r["gap"], r["edge"], r["dot"]
    width, height = frame
    taken = np.asarray(obstacles if obstacles is not None else [], dtype=float).reshape(-1, 4)
    circles = np.asarray(events if events is not None else [], dtype=float).reshape(-1, 3)
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    sizes = np.asarray(sizes, dtype=float).reshape(-1, 2)
    dotted = np.array([k in DOTTED for k in kinds], dtype=bool)
    inside = (
        (anchors[:, 0] >= 0) & (anchors[:, 0] <= width)
        & (anchors[:, 1] >= 0) & (anchors[:, 1] <= height)
    )  # fmt: skip
    dots = np.column_stack([anchors - dot, anchors + dot]) if len(anchors) else np.empty((0, 4))
    pending = dotted & inside  # town dots whose fate is not decided yet
    out: list[Box | None] = []
    for i, kind in enumerate(kinds):
        pending[i] = False
        out.append(None)
        if not inside[i]:
            continue
        x, y = anchors[i]
        own = tuple(dots[i]) if dotted[i] else None
        if own is not None and (
            own[0] < edge or own[1] < edge or own[2] > width - edge or own[3] > height - edge
            or _hits(own, taken).any()
        ):  # fmt: skip
            continue  # its dot lies under a label or a control: the town is not drawn
        best: tuple[int, Box] | None = None
        nudge = nudges[i] if nudges is not None else None
        for spot, lead in _spots(kind, nudge, r["lead"]):
            off = lead if lead is not None else (dot + gap if own else 0)
            text = candidate_box(x, y, sizes[i, 0], sizes[i, 1], spot, off)
            box = (text[0] - pad, text[1] - pad, text[2] + pad, text[3] + pad)
            if box[0] < edge or box[1] < edge or box[2] > width - edge or box[3] > height - edge:
                continue
            if _hits(box, taken).any():
                continue
            over = kind in OVER_EVENTS
            covered = over and _centre_inside(box, circles)
            if covered and kind not in COVERING:
                continue
            cost = (
                (_circles_touched(box, circles) if over else 0)
                + int(_hits(box, dots[pending]).sum())
                + (CENTRE_COST * _centres_inside(box, circles) if covered else 0)
            )
            if best is None or cost < best[0]:
                best = (cost, box)
                if cost == 0:
                    break
        if best is None:
            continue
        box = best[1]
        out[i] = (box[0] + pad, box[1] + pad, box[2] - pad, box[3] - pad)
        taken = np.vstack([taken, box] if own is None else [taken, box, own])
    return out


# --------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------


def page_config(
    labels: Sequence[Label], *, under_pane: str, over_pane: str,
    notes: Sequence[Callout] = (), note_pane: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """What the page's script reads to draw and place the names (``PageConfig.labels``):
    the rules in page pixels, the styles (:data:`geo.render.style.LABEL_STYLES`), the panes
    and the labels in priority order, each ``[kind, text, lon, lat]``; the callouts
    (:mod:`geo.render.annotations`), placed before them, each ``[text, lon, lat, event id
    or null, first day or null, last day or null, [sx, sy] nudge or null]``. Plain data: the
    text goes into the page as text (``textContent``)."""
    from geo.render.annotations import DIRECTIONS

    return {
        "rules": rules(),
        "styles": LABEL_STYLES,
        "halo": {"width": LABEL_HALO_PX, "color": LABEL_HALO_COLOUR},
        "dotColor": CITY_STYLE["fillColor"],
        "panes": {"under": under_pane, "over": over_pane},
        # what a label keeps clear of besides the frame's edge: the controls and panels
        "obstacles": ".leaflet-control, .geo-time, .geo-empty, .geo-crossing",
        "items": [[lab.kind, lab.text, lab.lon, lab.lat] for lab in labels],
        "notePane": note_pane or over_pane,
        "notes": [
            [c.text, c.lon, c.lat, c.event, c.first, c.last,
             list(DIRECTIONS[c.nudge]) if c.nudge else None]
            for c in notes
        ],
    }  # fmt: skip
