"""Small helpers shared by the layer renderers."""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import polyline
import shapely
from folium.utilities import JsCode

from geo import _twins
from geo._stored import stored_features
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


#: The drawn geometry of the shipped context layers, made by ``scripts/make_drawn.py``
#: (``data/SOURCES.md``): one feature per drawn geometry, found by its drawing key.
SHIPPED_DRAWN = "drawn_layers.geojson"
#: Part of every drawing key: change it whenever :func:`simplified` or the way
#: :func:`escaped_geojson` writes a geometry changes, so stored drawings stop matching.
DRAWING_VERSION = "2"
_MEMO_SIZE = 16
#: Drawings made in this process, by key (the choropleth and the province outlines draw
#: the same polygons), oldest first.
_memo: dict[str, list[Any]] = {}
_shipped: dict[str, list[Any]] | None = None


def drawing_key(gdf: gpd.GeoDataFrame, tolerance_m: float | None, min_area_km2: float) -> str:
    """SHA-256 of what a drawing depends on: every geometry (as WKB), the CRS, the projection
    it is simplified in, the tolerances and :data:`DRAWING_VERSION`."""
    digest = hashlib.sha256()
    crs = None if gdf.crs is None else gdf.crs.srs
    head = [DRAWING_VERSION, crs, REGION_CRS.srs, tolerance_m, min_area_km2, len(gdf)]
    digest.update(json.dumps(head).encode())
    for wkb in shapely.to_wkb(gdf.geometry.values):
        part = b"" if wkb is None else wkb
        digest.update(len(part).to_bytes(8, "little") + (b"-" if wkb is None else b"+") + part)
    return digest.hexdigest()


def drawn_geometries(
    gdf: gpd.GeoDataFrame, tolerance_m: float | None = None, min_area_km2: float = 0.0
) -> list[Any]:
    """The GeoJSON geometry of each row as drawn: :func:`simplified` (unless ``tolerance_m``
    is None), then on the 1e-5 degree grid of :func:`escaped_geojson`.

    A drawing already made in this process, or stored for the shipped layers with the same
    key (:func:`drawing_key`), is reused; any other input is computed. The dictionaries
    returned are shared: read them, never change them.
    """
    key = drawing_key(gdf, tolerance_m, min_area_km2)
    geoms = _memo.get(key)
    if geoms is None:
        geoms = _shipped_drawings().get(key)
    if geoms is None:
        geoms = draw_geometries(gdf, tolerance_m, min_area_km2)
    _memo.pop(key, None)
    _memo[key] = geoms
    while len(_memo) > _MEMO_SIZE:
        del _memo[next(iter(_memo))]
    return geoms


def draw_geometries(
    gdf: gpd.GeoDataFrame, tolerance_m: float | None = None, min_area_km2: float = 0.0
) -> list[Any]:
    """What :func:`drawn_geometries` returns, always computed (nothing reused)."""
    shapes = gpd.GeoDataFrame(geometry=gdf.geometry.values, crs=gdf.crs)
    if tolerance_m is not None:
        shapes = simplified(shapes, tolerance_m, min_area_km2=min_area_km2)
    return [f["geometry"] for f in escaped_geojson(shapes, [])["features"]]


def drawn_geojson(
    gdf: gpd.GeoDataFrame,
    fields: list[str],
    *,
    tolerance_m: float | None = None,
    min_area_km2: float = 0.0,
    decimals: int | None = None,
) -> dict[str, Any]:
    """``escaped_geojson(simplified(gdf, tolerance_m, min_area_km2=...), fields)``, the same
    dictionary, with the geometry from :func:`drawn_geometries`; without ``tolerance_m``,
    ``escaped_geojson(gdf, fields)``. ``decimals`` writes the coordinates on that grid
    (:func:`on_grid`): a tenth of the tolerance or finer."""
    geoms = drawn_geometries(gdf, tolerance_m, min_area_km2)
    bare = gpd.GeoDataFrame(gdf[fields], geometry=[None] * len(gdf), crs=gdf.crs)
    doc = escaped_geojson(bare, fields)
    for feature, geom in zip(doc["features"], geoms, strict=True):
        feature["geometry"] = geom
    return doc if decimals is None else on_grid(doc, decimals)


def on_grid(doc: dict[str, Any], decimals: int) -> dict[str, Any]:
    """A copy of the GeoJSON ``doc`` with every coordinate rounded to ``decimals`` places,
    a vertex that rounding makes equal to the one before it left out (a ring stays closed,
    a line or ring that would fall below its least vertices is kept as it was). A layer
    drawn simplified by hundreds of metres needs no metre-grid digits; shared vertices
    round alike, so shared edges stay shared. The drawings ``doc`` holds are shared by the
    memo (:func:`drawn_geometries`), so they are never changed in place."""
    features = []
    for feature in doc["features"]:
        geom = feature.get("geometry")
        if geom is not None and "coordinates" in geom:
            geom = {**geom, "coordinates": _rounded(geom["coordinates"], decimals)}
        features.append({**feature, "geometry": geom})
    return {**doc, "features": features}


def _rounded(coords: Any, decimals: int) -> Any:
    if not len(coords) or isinstance(coords[0], float | int):
        return [round(float(c), decimals) for c in coords]
    out = [_rounded(c, decimals) for c in coords]
    if not isinstance(coords[0][0], float | int):
        return out
    kept = [out[0], *(b for a, b in itertools.pairwise(out) if b != a)]
    closed = out[0] == out[-1]
    return kept if len(kept) >= (4 if closed else 2) else out


#: Lines and rings written as encoded polylines, by type: how deep the lists of rings or
#: lines go above one line (a LineString is one, a MultiPolygon lists polygons of rings).
_ENCODED_DEPTH = {"LineString": 0, "MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}
#: The page's decoder of :func:`encoded_geojson` (``geo/static/helpers.js``), handed to
#: Leaflet as the layer's ``filter``: Leaflet calls it with each feature before it draws it.
DECODE_FEATURE = JsCode("GeoPage.helpers.decodeFeature")


def encoded_geojson(doc: dict[str, Any], decimals: int) -> dict[str, Any]:
    """A copy of the GeoJSON ``doc``, already on the ``decimals`` grid (:func:`on_grid`),
    with each line and ring written as an encoded polyline (Google's Encoded Polyline
    Algorithm Format, latitude first, the ``polyline`` package): a geometry becomes
    ``{"type", "precision": decimals, "encoded"}``, ``encoded`` nested as ``coordinates``
    was, a text for each line or ring. The page turns it back into the same coordinates
    (``GeoPage.helpers.decodeFeature``, :data:`DECODE_FEATURE`): each is an integer count
    of grid steps, so decoding gives the grid's value exactly. About a fifth of the text of
    the coordinates as JSON numbers. Points and empty geometries are written as they are."""
    features = []
    for feature in doc["features"]:
        geom = feature.get("geometry")
        depth = None if geom is None else _ENCODED_DEPTH.get(geom.get("type", ""))
        if depth is not None and geom is not None and _has_vertices(geom["coordinates"]):
            geom = {
                "type": geom["type"],
                "precision": decimals,
                "encoded": _encoded(geom["coordinates"], depth, decimals),
            }
        features.append({**feature, "geometry": geom})
    return {**doc, "features": features}


def _has_vertices(coords: Any) -> bool:
    return bool(len(coords)) and (
        isinstance(coords[0][0], float | int) or all(_has_vertices(c) for c in coords)
    )


def _encoded(coords: Any, depth: int, decimals: int) -> Any:
    if depth == 0:
        return polyline.encode([(c[1], c[0]) for c in coords], decimals)
    return [_encoded(c, depth - 1, decimals) for c in coords]


def drawn_layer(
    gdf: gpd.GeoDataFrame,
    fields: list[str],
    *,
    decimals: int,
    tolerance_m: float | None = None,
    min_area_km2: float = 0.0,
    **options: Any,
) -> folium.GeoJson:
    """A context layer of the page as drawn: :func:`drawn_geojson` on the ``decimals`` grid,
    written encoded (:func:`encoded_geojson`) and decoded by the page before Leaflet draws
    it. ``options`` go to :class:`folium.GeoJson` (name, style, tooltip, pane...)."""
    doc = drawn_geojson(
        gdf, fields, tolerance_m=tolerance_m, min_area_km2=min_area_km2, decimals=decimals
    )
    return folium.GeoJson(encoded_geojson(doc, decimals), filter=DECODE_FEATURE, **options)


def _shipped_drawings() -> dict[str, list[Any]]:
    """The drawings stored in the shipped data, by key (read once; empty if unreadable)."""
    global _shipped
    if _twins.exact():
        return {}
    if _shipped is None:
        from geo.context import data_dir

        _shipped = read_drawings(data_dir() / SHIPPED_DRAWN)
    return _shipped


def read_drawings(path: Any) -> dict[str, list[Any]]:
    """The drawings stored in a file written by ``scripts/make_drawn.py``, by key."""
    found: dict[str, list[Any]] = {}
    try:
        for feature in stored_features(path):
            props = feature["properties"]
            geoms = found.setdefault(str(props["drawing_key"]), [])
            if props["part"] != len(geoms):
                msg = "drawn parts out of order"
                raise ValueError(msg)
            geoms.append(feature["geometry"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return found


#: ``{`` followed by what opens a Jinja expression, statement or comment. Structural JSON
#: never has one (an object's ``{`` is followed by ``"`` or ``}``), so every match lies
#: inside a string, where ``\u007b`` is the same character to ``JSON.parse``.
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")


_NOT_UTF8_SAFE = re.compile("[\u2028\u2029\ud800-\udfff]")


def script_json(obj: Any, *, ascii_only: bool = True) -> str:
    """JSON that is safe inside a ``<script>`` element and inert to a template engine.

    No ``</script>`` or ``<!--`` break-out (``<``, ``>``, ``&`` escaped), no ``{{``, ``{%``
    or ``{#`` that Jinja could evaluate, whatever the strings hold, and nothing beyond
    ASCII (``\\uXXXX`` escapes): no line terminators that old parsers choke on (U+2028,
    U+2029), and one byte per character in memory (a large map's configuration is mostly
    base64, which a single en dash elsewhere in it would double).

    ``ascii_only=False`` (for short texts, such as an edition's messages in its script)
    writes other characters as themselves, two bytes of UTF-8 for an Arabic letter where an
    escape takes six; U+2028 and U+2029 (and lone surrogates) are still escaped.
    """
    text = json.dumps(obj, ensure_ascii=ascii_only, separators=(",", ":"), allow_nan=False)
    if not ascii_only:  # the line terminators, and lone surrogates UTF-8 cannot write
        text = _NOT_UTF8_SAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    text = _TEMPLATE_OPENER.sub(r"\\u007b", text)
    for bad, good in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(bad, good)
    return text


def simplified(
    gdf: gpd.GeoDataFrame, tolerance_m: float, *, min_area_km2: float = 0.0
) -> gpd.GeoDataFrame:
    """A copy for drawing: simplified in the regional metric projection, back in EPSG:4326.

    With ``min_area_km2``, polygon parts and holes smaller than that are dropped too (the
    OpenStreetMap land polygons carry thousands of river islands and lake holes). Polygons
    that form a coverage (provinces, countries: no overlaps) are simplified together
    (``shapely.coverage_simplify``), so that neighbours keep one shared edge.
    """
    out = gdf.to_crs(REGION_CRS)
    geoms = out.geometry.values
    if min_area_km2 > 0:
        geoms = np.array([_drop_small(g, min_area_km2 * 1e6) for g in geoms], dtype=object)
    geoms = np.asarray(geoms, dtype=object)
    polygonal = len(geoms) > 0 and bool(
        np.isin(shapely.get_type_id(geoms), (3, 6)).all()  # Polygon, MultiPolygon
    )
    if polygonal and bool(shapely.coverage_is_valid(geoms)):
        # neighbours (provinces, countries) keep one shared edge: no slivers between them
        out["geometry"] = shapely.coverage_simplify(geoms, tolerance_m)
    else:
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
