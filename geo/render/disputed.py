"""Disputed Kashmir in the page, drawn by the map's worldview (:mod:`geo.worldview`):
the Line of Control and the Line of Actual Control dashed, or the Pakistan-administered
territories and the China-administered areas India claims drawn as India with the
boundaries India's official maps show; the stills draw the same
(:func:`geo.render.static._draw_disputed`)."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd

from geo.render._util import drawn_layer
from geo.render.style import CLAIM_STYLE, LINE_STYLE, LOC_STYLE, TERRITORY_STYLE
from geo.worldview import CHINA_AREAS, GIDS, Worldview, legend_items, part

#: Drawing tolerance (metres) and decimals of the lines and the territory: as the Durand
#: Line is drawn (30 m, 1e-4 degrees) and as the land is (800 m, 1e-3 degrees).
LINE_TOLERANCE_M = 30.0
LINE_DECIMALS = 4
TERRITORY_TOLERANCE_M = 800.0
TERRITORY_DECIMALS = 3


def drawn_parts(
    view: Worldview,
    disputed: gpd.GeoDataFrame,
    *,
    with_china: bool = True,
    with_lac: bool | None = None,
) -> list[tuple[str, gpd.GeoDataFrame, dict[str, Any]]]:
    """What the worldview draws, bottom first, as ``(gid, rows, style)``: the territory,
    the China-administered areas and the claimed boundaries (``india``), or the Line of
    Control and the Line of Actual Control (dashed). ``with_china`` False leaves out the
    areas along China, ``with_lac`` False the Line of Actual Control (a still whose frame
    does not reach them; None: as ``with_china``)."""
    with_lac = with_china if with_lac is None else with_lac
    kinds = ["india_claim_line", *(["india_claim_line_china"] if with_china else [])]
    if view.as_india:
        drawn = [(GIDS["territory"], part(disputed, "pakistan_administered"), TERRITORY_STYLE)]
        if with_china:
            areas = disputed[disputed["kind"].isin(list(CHINA_AREAS))]
            drawn.append((GIDS["china"], areas, TERRITORY_STYLE))
        return [*drawn, (GIDS["claim"], disputed[disputed["kind"].isin(kinds)], CLAIM_STYLE)]
    drawn = [(GIDS["loc"], part(disputed, "line_of_control"), LOC_STYLE)] if view.loc else []
    if with_lac:
        drawn.append((GIDS["lac"], part(disputed, "line_of_actual_control"), LOC_STYLE))
    return drawn


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
        polygon = gid in (GIDS["territory"], GIDS["china"])
        names = {GIDS["claim"]: view.claim_label, GIDS["territory"]: view.territory_tooltip,
                 GIDS["china"]: view.china_tooltip, GIDS["lac"]: view.lac_label}  # fmt: skip
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
    view: Worldview,
    disputed: gpd.GeoDataFrame | None,
    *,
    with_kashmir: bool,
    with_china: bool = True,
    with_lac: bool | None = None,
    lang: str = "en",
) -> tuple[list[dict[str, Any]], str | None]:
    """The legend's line entries (the Durand Line's, and the Line of Control's or the
    claimed boundary's when the map shows Kashmir, the Line of Actual Control's when it
    shows that too) and the caption (None when the map does not show Kashmir; the China
    sentence added when it shows the areas along China or the line; ``with_lac`` None:
    as ``with_china``): the page and the stills alike. The caption is in the edition
    ``lang`` (:func:`geo.i18n.words.tr`, sentence by sentence); the entries' labels are
    translated with the rest of the legend."""
    from geo.i18n.words import tr

    shown = with_kashmir and disputed is not None and len(disputed) > 0
    china = shown and with_china
    lac = shown and (with_china if with_lac is None else with_lac)
    items = legend_items(view, line_color=str(LINE_STYLE["color"]),
                         loc_color=str(LOC_STYLE["color"]), with_kashmir=shown,
                         with_china=lac)  # fmt: skip
    if not shown:
        return items, None
    caption = tr(view.caption, lang)
    return items, (f"{caption} {tr(view.china_caption, lang)}" if china else caption)


def caption_section(caption: str | None) -> list[dict[str, Any]]:
    """The legend's section stating the worldview's caption (none without one)."""
    if not caption:
        return []
    return [{"title": CAPTION_TITLE, "worldview": True,
             "items": [{"kind": "note", "label": caption}]}]  # fmt: skip
