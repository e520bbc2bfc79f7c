"""The locator inset: a small overview of the region with the outline of the map's frame.

One drawing for the page (``PageConfig.inset``, drawn by ``geo/static/inset.js`` as an SVG)
and the stills (:func:`geo.render.static.static_map`): the two countries and their
neighbours, cut to the region around them and simplified for a map a few centimetres wide
(:data:`TOLERANCE_M`). Whether a map shows it is :func:`geo.render.framing.wants_inset`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import geopandas as gpd
import shapely

from geo.render._util import drawn_geojson, encoded_geojson
from geo.render.framing import REGION, Box
from geo.render.style import LOCATOR_STYLE

if TYPE_CHECKING:
    from geo.context import Layers

#: The inset's outlines are simplified by this much (metres, in the region's projection):
#: about a pixel of an inset 150 px wide showing 2,000 km.
TOLERANCE_M = 8000.0
#: Islands and lakes under this area (km²) are left out.
MIN_AREA_KM2 = 500.0
#: Decimals of the page's copy: 0.01 degree, about 1 km, a tenth of the tolerance.
DECIMALS = 2
#: The region the inset shows: the two countries and a margin around them, grown to hold the
#: frame when a frame reaches beyond it.
MARGIN_DEG = 0.5
#: What is cut from the layers before they are simplified: the region and a margin, so that a
#: neighbour's cut edge lies outside what the inset shows.
CUT_MARGIN_DEG = 3.0


def inset_box(frame: Box) -> Box:
    """The longitude/latitude box the inset shows: :data:`geo.render.framing.REGION`, grown
    to hold ``frame`` and a margin."""
    w, s, e, n = REGION
    fw, fs, fe, fn = frame
    return (
        min(w, fw - MARGIN_DEG),
        max(-85.0, min(s, fs - MARGIN_DEG)),
        max(e, fe + MARGIN_DEG),
        min(85.0, max(n, fn + MARGIN_DEG)),
    )


def _cut(layer: gpd.GeoDataFrame | None, box: Box) -> gpd.GeoDataFrame | None:
    if layer is None or not len(layer) or layer.crs is None:
        return None
    w, s, e, n = box
    m = CUT_MARGIN_DEG
    cut = layer.to_crs(4326)
    cut = cut.set_geometry(cut.geometry.clip_by_rect(w - m, s - m, e + m, n + m))
    geoms = cut.geometry.values
    cut = cut[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    return cut if len(cut) else None


def _drawn(layers: Layers, frame: Box) -> dict[str, dict[str, Any]]:
    """The inset's shapes as GeoJSON in EPSG:4326, by kind: ``neighbours`` and ``land`` (the
    two countries), cut to the inset's box, simplified (:data:`TOLERANCE_M`) and on the
    grid the page writes them on (:data:`DECIMALS`), so page and stills draw the same."""
    box = inset_box(frame)
    out: dict[str, dict[str, Any]] = {}
    for kind, layer in (("neighbours", layers.neighbours), ("land", layers.countries)):
        cut = _cut(layer, box)
        if cut is None:
            continue
        doc = drawn_geojson(
            gpd.GeoDataFrame({"kind": [kind] * len(cut)}, geometry=cut.geometry.values, crs=4326),
            [],
            tolerance_m=TOLERANCE_M,
            min_area_km2=MIN_AREA_KM2,
            decimals=DECIMALS,
        )
        feats = [
            f for f in doc["features"] if f.get("geometry") and f["geometry"].get("coordinates")
        ]
        if feats:
            out[kind] = {**doc, "features": feats}
    return out


def outlines(layers: Layers, frame: Box) -> dict[str, gpd.GeoDataFrame]:
    """The inset's shapes (:func:`_drawn`) as frames in EPSG:4326, by kind."""
    return {
        kind: gpd.GeoDataFrame.from_features(doc["features"], crs=4326)
        for kind, doc in _drawn(layers, frame).items()
    }


def page_config(layers: Layers, frame: Box) -> dict[str, Any] | None:
    """What the page's inset (``geo/static/inset.js``) reads (``PageConfig.inset``): the box
    it shows ``[west, south, east, north]``, its shapes as encoded polylines by kind
    (:func:`geo.render._util.encoded_geojson`) and its style; None when there is nothing
    to draw."""
    docs = _drawn(layers, frame)
    if not docs:
        return None
    shapes = {
        kind: [f["geometry"] for f in encoded_geojson(doc, DECIMALS)["features"]]
        for kind, doc in docs.items()
    }
    return {"box": [round(v, 4) for v in inset_box(frame)], "shapes": shapes,
            "style": dict(LOCATOR_STYLE)}  # fmt: skip
