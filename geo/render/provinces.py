"""The province polygons of both countries, drawn once: the outlines, and the choropleth
that takes its shapes from them in the page (``geo/static/choropleth.js``)."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np

from geo.render._util import drawn_layer
from geo.render.style import PROVINCE_STYLE

#: The name of the outline layer in the page (the choropleth finds its shapes there).
LAYER_NAME = "Provinces"
#: Drawing tolerance for province outlines, in metres. The polygons are Natural Earth
#: generalisations, simplified here as a coverage (neighbours keep one shared edge,
#: ``render._util.simplified``): a kilometre is half a pixel at zoom 6, where a map of the
#: border region opens, and two at zoom 8.
DRAW_TOLERANCE_M = 1000.0
#: Decimals of the drawn outlines' coordinates: 1e-3 degrees, about 100 m.
DRAW_DECIMALS = 3


def add_provinces(
    m: folium.Map, provinces: gpd.GeoDataFrame, *, name: str = LAYER_NAME
) -> folium.GeoJson:
    """Draw province outlines with a tooltip naming province and country; each feature
    carries ``pid``, its row, by which the choropleth takes its shape."""
    numbered = provinces.assign(pid=np.arange(len(provinces)))
    layer = drawn_layer(
        numbered,
        ["province", "country", "pid"],
        tolerance_m=DRAW_TOLERANCE_M,
        decimals=DRAW_DECIMALS,
        name=name,
        style_function=lambda _: PROVINCE_STYLE,
        highlight_function=lambda _: {"weight": 2, "color": "#333333"},
        tooltip=folium.GeoJsonTooltip(
            fields=["province", "country"], aliases=["Province", "Country"]
        ),
        smooth_factor=1.0,
    )
    layer.add_to(m)
    return layer
