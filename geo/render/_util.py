"""Small helpers shared by the layer renderers."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo.border import REGION_CRS


def escaped_geojson(gdf: gpd.GeoDataFrame, fields: list[str]) -> dict[str, Any]:
    """GeoJSON of ``gdf`` keeping only ``fields``, every text value HTML-escaped.

    Folium's tooltips assemble HTML from feature properties, so text from a user's file
    would otherwise be parsed as markup.
    """
    keep = gdf[[*fields, "geometry"]].copy()
    # 5 decimals is about a metre; full doubles would triple the size of the page
    keep["geometry"] = shapely.set_precision(keep.geometry.values, 1e-5, mode="pointwise")
    for f in fields:
        keep[f] = keep[f].map(lambda v: html.escape(str(v)) if v is not None else "")
    return json.loads(keep.to_json(drop_id=True))


#: ``{`` followed by what opens a Jinja expression, statement or comment. Structural JSON
#: never has one (an object's ``{`` is followed by ``"`` or ``}``), so every match lies
#: inside a string, where ``\u007b`` is the same character to ``JSON.parse``.
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")


def script_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element and inert to a template engine.

    No ``</script>`` or ``<!--`` break-out (``<``, ``>``, ``&`` escaped), no ``{{``, ``{%``
    or ``{#`` that Jinja could evaluate, whatever the strings hold, and nothing beyond
    ASCII (``\\uXXXX`` escapes): no line terminators that old parsers choke on (U+2028,
    U+2029), and one byte per character in memory (a large map's configuration is mostly
    base64, which a single en dash elsewhere in it would double).
    """
    text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    text = _TEMPLATE_OPENER.sub(r"\\u007b", text)
    for bad, good in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(bad, good)
    return text


def simplified(
    gdf: gpd.GeoDataFrame, tolerance_m: float, *, min_area_km2: float = 0.0
) -> gpd.GeoDataFrame:
    """A copy for drawing: simplified in the regional metric projection, back in EPSG:4326.

    With ``min_area_km2``, polygon parts and holes smaller than that are dropped too (the
    OpenStreetMap land polygons carry thousands of river islands and lake holes).
    """
    out = gdf.to_crs(REGION_CRS)
    geoms = out.geometry.values
    if min_area_km2 > 0:
        geoms = np.array([_drop_small(g, min_area_km2 * 1e6) for g in geoms], dtype=object)
    out["geometry"] = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
    return out.to_crs("EPSG:4326")


def _drop_small(geom: shapely.Geometry, min_area: float) -> shapely.Geometry:
    if shapely.get_type_id(geom) not in (3, 6):  # Polygon, MultiPolygon
        return geom
    parts = []
    for poly in shapely.get_parts(geom):
        if poly.area < min_area:
            continue
        holes = [h for h in poly.interiors if shapely.Polygon(h).area >= min_area]
        parts.append(shapely.Polygon(poly.exterior, holes))
    return shapely.MultiPolygon(parts) if parts else geom
