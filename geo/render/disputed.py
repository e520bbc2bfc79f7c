"""Disputed Kashmir in the page, drawn by the map's worldview (:mod:`geo.worldview`):
the Line of Control dashed, or the Pakistan-administered territories drawn as India with
the boundary India's official maps show; the stills draw the same
(:func:`geo.render.static._draw_disputed`)."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd

from geo.render._util import drawn_layer
from geo.render.style import CLAIM_STYLE, LINE_STYLE, LOC_STYLE, TERRITORY_STYLE
from geo.worldview import GIDS, Worldview, legend_items, part

#: Drawing tolerance (metres) and decimals of the lines and the territory: as the Durand
#: Line is drawn (30 m, 1e-4 degrees) and as the land is (800 m, 1e-3 degrees).
LINE_TOLERANCE_M = 30.0
LINE_DECIMALS = 4
TERRITORY_TOLERANCE_M = 800.0
TERRITORY_DECIMALS = 3


def drawn_parts(
    view: Worldview, disputed: gpd.GeoDataFrame
) -> list[tuple[str, gpd.GeoDataFrame, dict[str, Any]]]:
    """What the worldview draws, bottom first, as ``(gid, rows, style)``: the territory
    and the claimed boundary (``india``), or the Line of Control."""
    if view.as_india:
        return [
            (GIDS["territory"], part(disputed, "pakistan_administered"), TERRITORY_STYLE),
            (GIDS["claim"], part(disputed, "india_claim_line"), CLAIM_STYLE),
        ]
    if view.loc:
        return [(GIDS["loc"], part(disputed, "line_of_control"), LOC_STYLE)]
    return []


def add_disputed(
    m: folium.Map, disputed: gpd.GeoDataFrame, view: Worldview
) -> list[tuple[str, folium.GeoJson]]:
    """Draw disputed Kashmir the worldview's way; the layers drawn, each named by its
    :data:`geo.worldview.GIDS` entry. They are overlays over every base layer (a tile
    server draws its own boundaries) and cannot be switched off; each has a tooltip
    naming it."""
    drawn: list[tuple[str, folium.GeoJson]] = []
    for gid, rows, style in drawn_parts(view, disputed):
        if not len(rows):
            continue
        polygon = gid == GIDS["territory"]
        names = {GIDS["claim"]: view.claim_label, GIDS["territory"]: view.territory_tooltip}
        # the territory keeps its own tooltip: the province outlines under it are not reached
        layer = drawn_layer(
            rows.assign(name=names.get(gid, rows["name"])),
            ["name"],
            tolerance_m=TERRITORY_TOLERANCE_M if polygon else LINE_TOLERANCE_M,
            decimals=TERRITORY_DECIMALS if polygon else LINE_DECIMALS,
            name=gid,
            control=False,
            style_function=lambda _, s=style: s,
            tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        )
        layer.add_to(m)
        drawn.append((gid, layer))
    return drawn


#: The title of the legend's section holding the worldview's caption.
CAPTION_TITLE = "Borders"


def legend_parts(
    view: Worldview, disputed: gpd.GeoDataFrame | None, *, with_kashmir: bool
) -> tuple[list[dict[str, Any]], str | None]:
    """The legend's line entries (the Durand Line's, and the Line of Control's or the
    claimed boundary's when the map shows Kashmir) and the caption (None when it does
    not): the page and the stills alike."""
    shown = with_kashmir and disputed is not None and len(disputed) > 0
    items = legend_items(view, line_color=str(LINE_STYLE["color"]),
                         loc_color=str(LOC_STYLE["color"]), with_kashmir=shown)  # fmt: skip
    return items, (view.caption if shown else None)


def caption_section(caption: str | None) -> list[dict[str, Any]]:
    """The legend's section stating the worldview's caption (none without one)."""
    if not caption:
        return []
    return [{"title": CAPTION_TITLE, "worldview": True,
             "items": [{"kind": "note", "label": caption}]}]  # fmt: skip
