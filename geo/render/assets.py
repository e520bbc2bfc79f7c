"""The page's own scripts and styles as files of ``geo/static``: their load order and text.

Kept apart from :mod:`geo.render.page`, which assembles the page, so that the modules deriving
the page's editions (:mod:`geo.render.edition`) and the change page read the same files
without importing the page they are part of.
"""

from __future__ import annotations

from importlib.resources import files

#: The page's own scripts, in load order. Each file says its place at its top.
#:
#: 1. ``helpers.js`` pure helpers; defines the namespace ``GeoPage`` (``GeoPage.helpers``)
#: 2. ``core.js`` DOM helpers, the events' columns, the plugin registry and start-up
#: 3. ``popup.js`` popup, tooltip and stacked-events content
#: 4. ``canvas.js`` the canvas the events are drawn on (points, squares, hexagons, heat)
#: 5. ``controller.js`` the ``Controller``: filter, layers, pointer, core page API
#: 6.-18. plugins, each ``GeoPage.plugin(fn)``, run in this order once the controller is
#:    built: legend, title box, time control, choropleth, event list, filters, density
#:    legend, report tools, download, the image of the view, locator inset (before the layout, which
#:    places it),
#:    layout, permalink (last: it applies the address once everything is in place). Plugins use only the surface documented in ``core.js``.
STATIC_JS = (
    "helpers.js",
    "core.js",
    "popup.js",
    "canvas.js",
    "controller.js",
    "legend.js",
    "page.js",
    "timecontrol.js",
    "choropleth.js",
    "eventlist.js",
    "filters.js",
    "density.js",
    "report.js",
    "download.js",
    "snapshot.js",
    "inset.js",
    "layout.js",
    "permalink.js",
)


def static_text(name: str) -> str:
    """Return the text of a file in ``geo/static``."""
    return files("geo").joinpath("static", name).read_text(encoding="utf-8")
