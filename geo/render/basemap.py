"""The map itself: Leaflet only, stable element ids, base layers from xyzservices."""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterator

import folium
import geopandas as gpd
import numpy as np
import shapely
import xyzservices.providers as xyz
from branca.element import Element, Figure
from shapely.ops import polylabel

from geo.border import REGION_CRS
from geo.render._safe import LiteralText
from geo.render._util import drawn_layer
from geo.render.style import LAND_STYLE, NEIGHBOUR_STYLE

LEAFLET_VERSION = "1.9.3"
LEAFLET_JS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
LEAFLET_CSS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"

#: Base layers offered in the layer control, first one shown.
BASE_LAYERS = (
    ("Light grey (Esri)", xyz.Esri.WorldGrayCanvas),
    ("OpenStreetMap", xyz.OpenStreetMap.Mapnik),
    ("Satellite (Esri)", xyz.Esri.WorldImagery),
)


OFFLINE_NAME = "Offline basemap (no tiles)"
BASEMAP_PANE = "geoBasemap"
#: Town and province names: over the events (their canvas is at 450), with a white halo, so
#: that a large circle (Kabul's 408 killed) never hides the name of the town it sits on.
#: The neighbouring countries' names and the town dots lie in the basemap's pane.
LABEL_PANE = "geoTownLabels"
#: Drawing of the land polygons, in metres and square kilometres: simplified by 800 m as a
#: coverage (the countries keep their shared edge), and islands and lake holes under 20 km²
#: left out. The offline basemap is for the region's scales: 800 m is 0.4 px at zoom 6.
LAND_TOLERANCE_M = 800.0
#: Decimals of the drawn land's coordinates: 1e-3 degrees, about 100 m.
LAND_DECIMALS = 3
LAND_MIN_AREA_KM2 = 20.0


def add_base_layers(m: folium.Map, *, title: str, description: str) -> list[tuple[str, Element]]:
    """Give the empty map its tile base layers, its title and its description.

    Parameters
    ----------
    m : folium.Map
        A map made with ``tiles=None``.
    title, description : str
        Page title and ``<meta name="description">`` (both escaped on output).

    Returns
    -------
    list of (name, TileLayer)
    """
    bases: list[tuple[str, Element]] = []
    for i, (name, provider) in enumerate(BASE_LAYERS):
        layer = folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=name,
            max_zoom=provider.get("max_zoom", 18),
            show=i == 0,
            overlay=False,
        )
        layer.add_to(m)
        bases.append((name, layer))
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.title = html.escape(title)  # branca writes the title unescaped
    meta = f'<meta name="description" content="{html.escape(description)}" />'
    # LiteralText, not Element: an Element compiles its text as a template (see render._safe)
    figure.header.add_child(LiteralText(meta), name="description")
    return bases


def add_offline_basemap(
    m: folium.Map,
    countries: gpd.GeoDataFrame | None,
    neighbours: gpd.GeoDataFrame | None = None,
) -> folium.FeatureGroup:
    """A vector base layer (the neighbouring countries and the two countries' land) for
    when tiles cannot load; its names (countries, towns and their dots, provinces) are
    added to it by the page's script from ``PageConfig.labels`` (:mod:`geo.render.labels`),
    which places them anew at every view.

    The page switches to it by itself when the tile server fails (offline, blocked, a
    report archived years later); it can also be chosen in the layer control. The
    neighbours lie under the two countries, paler, each named once (:func:`neighbour_labels`).
    """
    # its own pane between the tiles (200) and the overlays (400): a base layer switched on
    # later must still lie under the line, the provinces and the events
    folium.map.CustomPane(BASEMAP_PANE, z_index=250, pointer_events=False).add_to(m)
    folium.map.CustomPane(LABEL_PANE, z_index=460, pointer_events=False).add_to(m)
    group = folium.FeatureGroup(name=OFFLINE_NAME, overlay=False, control=True, show=False)
    if neighbours is not None and len(neighbours):
        drawn_layer(
            # simplified for the region already (2.5 km), on a 1e-3 degree grid
            neighbours,
            ["country"],
            decimals=LAND_DECIMALS,
            style_function=lambda _: NEIGHBOUR_STYLE,
            interactive=False,
            pane=BASEMAP_PANE,
        ).add_to(group)
    if countries is not None:
        drawn_layer(
            countries,
            ["country"],
            tolerance_m=LAND_TOLERANCE_M,
            min_area_km2=LAND_MIN_AREA_KM2,
            decimals=LAND_DECIMALS,
            style_function=lambda _: LAND_STYLE,
            interactive=False,
            pane=BASEMAP_PANE,
        ).add_to(group)
    group.add_to(m)
    return group


#: A neighbour is named where a circle of this radius (km) fits inside its land.
NEIGHBOUR_LABEL_ROOM_KM = 60.0


def neighbour_labels(
    neighbours: gpd.GeoDataFrame | None,
    room_km: float = NEIGHBOUR_LABEL_ROOM_KM,
    within: tuple[float, float, float, float] | None = None,
) -> list[tuple[str, float, float]]:
    """Where each neighbouring country is named, in the page and the stills alike:
    ``(name, lon, lat)``, the largest land first.

    The point is the pole of inaccessibility (``shapely.ops.polylabel``) of the country's largest
    piece of land in the layer, the point farthest from its edges; a country with no room
    there for a circle of ``room_km`` (a sliver at the edge of the region) is not named. The
    name is ``country_name``, else ``country``, as text: each output escapes it. ``within``
    (a box in the region's projection: a still's frame) keeps only the land inside it, so
    that a country is named where the frame shows it.
    """
    if neighbours is None or not len(neighbours):
        return []
    column = "country_name" if "country_name" in neighbours else "country"
    found = []
    for name, shape in zip(neighbours[column], neighbours.to_crs(REGION_CRS).geometry, strict=True):
        if shape is None or shape.is_empty or shapely.get_type_id(shape) not in (3, 6):
            continue
        if within is not None:
            shape = shapely.clip_by_rect(shape, *within)
            if shape.is_empty or shapely.get_type_id(shape) not in (3, 6):
                continue
        parts = shapely.get_parts(shape)
        largest = parts[int(np.argmax(shapely.area(parts)))]
        pole = polylabel(largest, tolerance=1000.0)
        if shapely.distance(pole, largest.exterior) < room_km * 1000:
            continue
        found.append((float(shapely.area(largest)), str(name), pole))
    found.sort(key=lambda f: (-f[0], f[1]))
    points = gpd.GeoSeries([p for _, _, p in found], crs=REGION_CRS).to_crs("EPSG:4326")
    return [
        (name, round(float(p.x), 4), round(float(p.y), 4))
        for (_, name, _), p in zip(found, points, strict=True)
    ]


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def stabilise_ids(root: Element) -> None:
    """Replace branca's random element ids with a counter, so output is byte-identical.

    Names become e.g. ``map_0001``; they are only JavaScript variable names, so their
    values carry no meaning beyond being unique within the page.
    """
    counter = itertools.count()
    for element in _walk(root):
        element._id = f"{next(counter):04d}"
