"""Province choropleth of events or fatalities for the build's date window.

Classes use fixed breaks rather than data-driven ones (quantiles, Jenks): the same colour
then means the same number on every map, so the per-period maps of one build, or maps of
two windows side by side, can be compared by eye. Zero gets its own pale class, because
"nothing recorded" and "a few" are different findings.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.render._util import escaped_geojson
from geo.render.provinces import LAYER_NAME
from geo.render.style import BREAKS, COLOURS, ZERO_COLOUR

CHOROPLETH_PANE = "geoChoropleth"
MEASURES = {
    "events": "Events per province",
    "fatalities": "Fatalities per province (best estimate)",
}


def classify(values: np.ndarray, measure: str) -> np.ndarray:
    """Class index per value: -1 for zero, else 0..4 by :data:`BREAKS`."""
    breaks = np.asarray(BREAKS[measure])
    return np.searchsorted(breaks, np.asarray(values), side="right") - 1


def class_labels(measure: str) -> list[str]:
    """Legend labels, e.g. ``["0", "1", "2–4", ..., "25+"]``."""
    b = BREAKS[measure]
    labels = ["0"]
    for lo, hi in zip(b, (*b[1:], None), strict=True):
        labels.append(
            f"{lo}+" if hi is None else (str(lo) if hi - 1 == lo else f"{lo}\u2013{hi - 1}")
        )
    return labels


def province_keys(provinces: gpd.GeoDataFrame) -> pd.Series:
    """``"name|ISO3"`` per polygon, lower-case name: how events are matched to polygons."""
    return provinces["province"].str.lower() + "|" + provinces["country"]


def province_values(
    provinces: gpd.GeoDataFrame, events: gpd.GeoDataFrame, measure: str
) -> np.ndarray:
    """Events (or best fatalities) per province polygon, matched by province and country."""
    key = events["province"].str.lower() + "|" + events["country"]
    if measure == "events":
        per = key.value_counts()
    else:
        per = events["fatalities_best"].fillna(0).groupby(key).sum()
    return province_keys(provinces).map(per).fillna(0).astype(int).to_numpy()


def add_choropleth(
    m: folium.Map, provinces: gpd.GeoDataFrame, events: gpd.GeoDataFrame, *, measure: str = "events"
) -> tuple[folium.GeoJson, dict[str, Any]]:
    """Add the choropleth layer (hidden at first); returns it and its page spec.

    The colours written here are those of the build's window; in the page,
    ``geo/static/choropleth.js`` recounts the events shown whenever the date range or the
    type toggles change, using the same breaks. The layer's features carry no geometry:
    the page gives each one the polygon of the province outline layer
    (:func:`geo.render.provinces.add_provinces`, the spec's ``outlines``) with its ``pid``,
    so the page holds the province polygons once.
    """
    if measure not in MEASURES:
        msg = f"unknown choropleth measure {measure!r}; accepted: {', '.join(MEASURES)}"
        raise ValueError(msg)
    shapes = gpd.GeoDataFrame(
        provinces[["province", "country"]], geometry=[None] * len(provinces), crs=provinces.crs
    )
    shapes["value"] = province_values(provinces, events, measure)
    classes = classify(shapes["value"].to_numpy(), measure)
    shapes["fill"] = [ZERO_COLOUR if c < 0 else COLOURS[c] for c in classes]
    shapes["pid"] = np.arange(len(shapes))
    # no geometry: the page gives each feature the shape of the province outline with its
    # pid (render/provinces.py draws the polygons once, choropleth.js shares them)
    data = escaped_geojson(shapes, ["province", "country", "value", "fill", "pid"])
    for pid, feature in enumerate(data["features"]):
        feature["id"] = pid  # what the style function's switch reads (folium), in the page too
    # under the overlay pane (400), so the line, belt and provinces stay readable over it
    folium.map.CustomPane(CHOROPLETH_PANE, z_index=390).add_to(m)
    layer = folium.GeoJson(
        data,
        name=MEASURES[measure],
        show=False,
        pane=CHOROPLETH_PANE,
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.7,
            "color": "#555555",
            "weight": 1,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["province", "value"], aliases=["Province", MEASURES[measure]]
        ),
    )
    layer.add_to(m)
    spec = {
        "layer": MEASURES[measure],
        "measure": measure,
        "breaks": list(BREAKS[measure]),
        "colours": list(COLOURS),
        "zero": ZERO_COLOUR,
        "keys": province_keys(provinces).tolist(),  # JSON data, matched in the page as text
        "outlines": LAYER_NAME,  # the layer whose polygons the choropleth shares
    }
    legend = {
        "title": MEASURES[measure],
        "layer": MEASURES[measure],
        "items": [
            {"kind": "fill", "color": c, "label": lab}
            for c, lab in zip((ZERO_COLOUR, *COLOURS), class_labels(measure), strict=True)
        ],
    }
    return layer, {"legend": legend, "spec": spec}
