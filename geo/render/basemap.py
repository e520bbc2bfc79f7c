"""The map itself: Leaflet only, stable element ids, base layers from xyzservices."""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterator

import folium
import xyzservices.providers as xyz
from branca.element import Element, Figure

LEAFLET_VERSION = "1.9.3"
LEAFLET_JS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
LEAFLET_CSS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"

#: Base layers offered in the layer control, first one shown.
BASE_LAYERS = (
    ("Light grey (Esri)", xyz.Esri.WorldGrayCanvas),
    ("OpenStreetMap", xyz.OpenStreetMap.Mapnik),
    ("Satellite (Esri)", xyz.Esri.WorldImagery),
)


class ConflictMap(folium.Map):
    """A :class:`folium.Map` that loads Leaflet and nothing else.

    Folium's default page pulls in jQuery, Bootstrap and Font Awesome from five CDNs; none
    of the layers here needs them, and every extra host is one more thing that breaks
    offline or when a CDN moves.
    """

    default_js = [("leaflet", LEAFLET_JS)]  # noqa: RUF012 - folium's own convention
    default_css = [("leaflet_css", LEAFLET_CSS)]  # noqa: RUF012


def make_map(*, title: str) -> ConflictMap:
    """Create the empty map with its base layers.

    Parameters
    ----------
    title : str
        Page title (escaped on output).
    """
    m = ConflictMap(location=(33.0, 68.0), zoom_start=6, tiles=None, control_scale=True)
    for i, (name, provider) in enumerate(BASE_LAYERS):
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=name,
            max_zoom=provider.get("max_zoom", 18),
            show=i == 0,
            overlay=False,
        ).add_to(m)
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.title = html.escape(title)  # branca writes the title unescaped
    return m


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
