"""Context layers along the line: the Durand Line, the border belt and the crossings."""

from __future__ import annotations

import math

import folium
import geopandas as gpd

from geo.render._util import drawn_layer, escaped_geojson
from geo.render.style import BELT_STYLE, CROSSING_STYLE, LINE_STYLE

#: Drawing tolerance for the line, in metres: invisible below zoom 13, and it cuts the
#: shipped line from 17,000 vertices to about 3,000 (measurements use the full line).
DRAW_TOLERANCE_M = 30.0
#: Decimals of the drawn line's coordinates: 1e-4 degrees, about 10 m.
DRAW_DECIMALS = 4
#: The crossings' pane: over the context layers, under the events.
CROSSING_PANE = "geoCrossings"
#: Drawing tolerance for the belt, in metres: its edge is a buffer's arc and the countries'
#: outline, and 250 m is under a pixel below zoom 9.
BELT_TOLERANCE_M = 250.0
#: Decimals of the drawn belt's coordinates: 1e-3 degrees, about 100 m.
BELT_DECIMALS = 3


def add_border(
    m: folium.Map, border: gpd.GeoDataFrame, *, name: str = "Durand Line"
) -> folium.GeoJson:
    """Draw the boundary line with a tooltip naming it."""
    layer = drawn_layer(
        border,
        ["name"],
        tolerance_m=DRAW_TOLERANCE_M,
        decimals=DRAW_DECIMALS,
        name=name,
        style_function=lambda _: LINE_STYLE,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        control=True,
        overlay=True,
    )
    layer.add_to(m)
    return layer


def add_belt(m: folium.Map, belt: gpd.GeoDataFrame, *, name: str) -> folium.GeoJson:
    """Draw the border belt polygon, under the line."""
    layer = drawn_layer(
        belt,
        ["name"],
        tolerance_m=BELT_TOLERANCE_M,
        decimals=BELT_DECIMALS,
        name=name,
        style_function=lambda _: BELT_STYLE,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    )
    layer.add_to(m)
    return layer


def add_crossings(
    m: folium.Map,
    crossings: gpd.GeoDataFrame,
    *,
    name: str = "Border crossings",
    lang: str = "en",
) -> folium.GeoJson:
    """Draw the border crossings as dark diamonds (:data:`CROSSING_STYLE`), under the
    events, with both sides' place names; an edition (``lang``) names each crossing in its
    script where the names file can (:func:`geo.i18n.names.local_name`)."""
    if lang != "en" and "name" in crossings:
        from geo.i18n.names import local_name

        named = [local_name("crossing", str(n), lang) for n in crossings["name"]]
        crossings = crossings.assign(name=named)
    fields = [f for f in ("name", "name_afg_side", "name_pak_side") if f in crossings]
    aliases = {
        "name": "Crossing",
        "name_afg_side": "Afghan side",
        "name_pak_side": "Pakistani side",
    }
    # a pane of their own between the overlays (400) and the events' canvas (450)
    folium.map.CustomPane(CROSSING_PANE, z_index=440).add_to(m)
    side = CROSSING_STYLE["radius"] * 2 / math.sqrt(2)  # the diagonal is 2 x radius
    box = round(CROSSING_STYLE["radius"] * 2 + CROSSING_STYLE["weight"] * 2)
    diamond = (
        f'<span class="geo-crossing" style="width:{side:.1f}px;height:{side:.1f}px;'
        f"background:{CROSSING_STYLE['fillColor']};border:{CROSSING_STYLE['weight']}px solid "
        f'{CROSSING_STYLE["color"]}"></span>'
    )
    icon = folium.DivIcon(
        html=diamond,
        icon_size=(box, box),
        icon_anchor=(box // 2, box // 2),
        class_name="geo-crossing-icon",
    )
    layer = folium.GeoJson(
        escaped_geojson(crossings, fields),
        name=name,
        marker=folium.Marker(icon=icon, pane=CROSSING_PANE),
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[aliases[f] for f in fields]),
    )
    layer.add_to(m)
    return layer
