"""The province polygons of both countries."""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.render._util import drawn_geojson
from geo.render.style import PROVINCE_STYLE

#: Drawing tolerance for province outlines, in metres (the polygons are Natural Earth
#: generalisations already; 250 m is under a pixel below zoom 9).
DRAW_TOLERANCE_M = 250.0


def add_provinces(
    m: folium.Map, provinces: gpd.GeoDataFrame, *, name: str = "Provinces"
) -> folium.GeoJson:
    """Draw province outlines with a tooltip naming province and country."""
    layer = folium.GeoJson(
        drawn_geojson(provinces, ["province", "country"], tolerance_m=DRAW_TOLERANCE_M),
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
