"""The style tables: colours, symbol sizes and strokes of every layer, defined once.

The page (through its configuration and the folium layers) and the stills
(:mod:`geo.render.static`) read these tables, so the two never drift. Nothing here is
drawn; the renderers are the modules beside this one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Okabe–Ito colours, distinguishable with the common forms of colour blindness.
TYPE_COLOURS: dict[str, str] = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#0072B2",
    "Violence against civilians": "#CC79A7",
    "Protests": "#009E73",
    "Riots": "#56B4E9",
    "Strategic developments": "#E69F00",
}
#: Circle radius in pixels: ``min + scale * sqrt(figure)``, capped at ``max``, where the
#: figure is an event's number of killed (:func:`geo.filters.event_figure`). The page, the
#: legend and the stills all take radii from :func:`size_table`, made from this once.
SIZE_SCALE = {"minRadius": 5.0, "scale": 1.6, "maxRadius": 30.0}


def size_table(scale: dict[str, float] = SIZE_SCALE) -> tuple[float, ...]:
    """The radius, in page pixels to 1/100, of each whole figure from 0 up to the first
    that reaches the cap; larger figures take the last. No figure (or 0) takes the first.

    The page reads this table from its configuration (``PageConfig.sizes``) rather than
    restating the formula, so the page, the legend and the stills cannot drift.
    """
    lo, k, hi = scale["minRadius"], scale["scale"], scale["maxRadius"]
    radii = [lo]
    while radii[-1] < hi:
        radii.append(round(min(hi, lo + k * float(np.sqrt(len(radii)))), 2))
    return tuple(radii)


SIZES = size_table()


def symbol_radius(figure: Any) -> np.ndarray:
    """Radius in page pixels of each figure (NaN, zero or less: the smallest symbol)."""
    values = np.asarray(figure, dtype="float64")
    whole = np.where(np.isnan(values) | (values <= 0), 0, np.minimum(values, len(SIZES) - 1))
    return np.asarray(SIZES)[whole.astype(np.int64)]


#: Symbols follow the size of the map they are drawn on, one rule for the page and the
#: stills: the radii of :func:`size_table` are for a map whose shorter side is
#: ``reference`` page pixels; a map of another size scales them by its shorter side over
#: the reference, clamped to ``[min, max]`` (a phone's map takes smaller circles, a large
#: print larger ones). In the page, circles also grow as the reader zooms in beyond the
#: opening view (the zoom at which the frame fits the map): by ``2 ** (zoomExponent *
#: zoom levels)``, at most ``zoomMax`` times, so zooming into a cluster separates its
#: circles while they stay readable symbols. At the opening zoom and below, the zoom adds
#: nothing. The legend's size key takes the same factor (the page's as the view changes).
#: The page reads these numbers from its configuration (``PageConfig.symbols``).
SYMBOL_FRAME: dict[str, float] = {
    "reference": 900.0,
    "min": 0.55,
    "max": 1.6,
    "zoomExponent": 0.4,
    "zoomMax": 2.0,
}


def symbol_factor(
    short_side_px: float, zoom_steps: float = 0.0, frame: dict[str, float] = SYMBOL_FRAME
) -> float:
    """The factor every symbol radius of a map takes: its shorter side (page pixels: CSS
    pixels in the page, points over :class:`geo.render.static._Scale` ``sym`` in a still)
    over the reference, clamped, times the zoom growth of ``zoom_steps`` zoom levels beyond
    the opening view (none at or below it). Rounded to 1/1000, as the page rounds it."""
    size = min(frame["max"], max(frame["min"], float(short_side_px) / frame["reference"]))
    zoom = min(frame["zoomMax"], 2.0 ** (frame["zoomExponent"] * max(0.0, float(zoom_steps))))
    return round(size * zoom, 3)


#: How event circles are drawn, in the page's canvas (geo/static/canvas.js ``_makeSprites``,
#: from ``PageConfig.symbols``) and the stills alike: a translucent fill (near-empty for a
#: place known only to its district or province), so circles beneath show through; a thin
#: outline in the type's colour (dashed for a date known only to its month or year) over a
#: white halo, so that where circles overlap every outline stays a line of its own.
#: Larger circles are drawn first, smaller ones on top. Widths in page pixels.
FILL_ALPHA, HOLLOW_FILL_ALPHA, EDGE_ALPHA = 0.3, 0.08, 0.95
EDGE_WEIGHT = 1.5
HALO: dict[str, Any] = {"color": "#ffffff", "opacity": 0.85, "weight": 3.5}
DASH = (4.0, 3.0)
#: Events outside a highlight (``--highlight``, :mod:`geo.highlight`): drawn in this grey,
#: fill and outline (over the same white halo), with these opacities, under the highlighted
#: events, which keep their type's colour. The page (``PageConfig.symbols.muted``), its
#: legend and the stills read it from here.
#: Where many events are drawn as squares (the page's dense squares, the stills' cells),
#: ``squareOpacity`` scales the opacity of the grey ones, and the highlighted ones are at
#: least ``highlightSquareOpacity`` opaque, so that a single highlighted event stands out.
MUTED: dict[str, Any] = {
    "color": "#8c8c8c",
    "fillOpacity": 0.22,
    "strokeOpacity": 0.8,
    "squareOpacity": 0.5,
    "highlightSquareOpacity": 0.8,
}


def symbol_config() -> dict[str, Any]:
    """What the page's canvas and legend read to size and draw event circles
    (``PageConfig.symbols``): the map-size and zoom rule and the stroke and fill."""
    return {
        "frame": dict(SYMBOL_FRAME),
        "fillOpacity": FILL_ALPHA,
        "hollowFillOpacity": HOLLOW_FILL_ALPHA,
        "strokeOpacity": EDGE_ALPHA,
        "weight": EDGE_WEIGHT,
        "halo": dict(HALO),
        "dash": list(DASH),
        "muted": dict(MUTED),
    }


LINE_STYLE = {"color": "#111111", "weight": 3, "opacity": 0.9}
#: Disputed Kashmir (:mod:`geo.worldview`): the Line of Control, dashed; the boundary
#: India's official maps draw, solid; the Pakistan-administered territories drawn as India
#: (the neighbours' fill).
LOC_STYLE: dict[str, Any] = {"color": "#333333", "weight": 2, "opacity": 0.9, "dashArray": "6 4"}
CLAIM_STYLE: dict[str, Any] = {"color": "#333333", "weight": 2, "opacity": 0.9}
TERRITORY_STYLE: dict[str, Any] = {"color": "#e9e6df", "weight": 0, "fillColor": "#e9e6df",
                                   "fillOpacity": 1.0}  # fmt: skip
BELT_STYLE = {"color": "#7a5c00", "weight": 1, "fillColor": "#f2c14e", "fillOpacity": 0.18}
#: Border crossings: a dark diamond with a white edge, a symbol of its own (every event
#: and precision symbol is a circle), drawn under the events in the page and the stills.
#: ``radius`` is half the diamond's diagonal, in px.
CROSSING_STYLE: dict[str, Any] = {
    "radius": 6,
    "color": "#ffffff",
    "weight": 1.5,
    "fillColor": "#333333",
    "fillOpacity": 1.0,
}
PROVINCE_STYLE = {
    "color": "#6b6b6b",
    "weight": 1,
    "fillColor": "#ffffff",
    "fillOpacity": 0.0,
    "dashArray": "2 3",
}
LAND_STYLE = {"color": "#8c8c8c", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1.0}
#: The neighbouring countries: land, paler than the two countries' and named, so that an
#: event in New Delhi does not float in what looks like sea.
NEIGHBOUR_STYLE = {"color": "#b4b4b4", "weight": 1, "fillColor": "#e9e6df", "fillOpacity": 1.0}
#: Their names (page and stills): grey capitals, behind everything else.
NEIGHBOUR_LABEL_COLOUR = "#8a867d"
CITY_STYLE: dict[str, Any] = {
    "radius": 3,
    "color": "#333333",
    "weight": 1,
    "fillColor": "#333333",
    "fillOpacity": 1.0,
}
#: Names on the map, page and stills (placed by :mod:`geo.render.labels`), by kind: size
#: in page px (a still sets them against its body text, :data:`LABEL_BODY_PX`), weight,
#: colour, italic, capitals, letter spacing in em. Towns are dark and upright; the
#: provinces that hold events grey italic, so that they do not read as towns; the
#: neighbouring countries grey capitals, under the events.
LABEL_STYLES: dict[str, dict[str, Any]] = {
    "country": {"size": 12, "weight": 600, "color": NEIGHBOUR_LABEL_COLOUR, "italic": False,
                "caps": True, "spacing": 0.08, "halo": False},
    "major": {"size": 12, "weight": 600, "color": "#222222", "italic": False, "caps": False,
              "spacing": 0.0, "halo": True},
    "province": {"size": 10.5, "weight": 400, "color": "#66625a", "italic": True,
                 "caps": False, "spacing": 0.04, "halo": True},
    "town": {"size": 11, "weight": 400, "color": "#333333", "italic": False, "caps": False,
             "spacing": 0.0, "halo": True},
    # an editor's callout (--annotate, --note): bold dark text in a white box with a thin
    # dark border (``box``: fill, border colour, border and padding in px), a leader line
    # of the border's colour to its anchor
    "note": {"size": 12, "weight": 700, "color": "#1a1a1a", "italic": False, "caps": False,
             "spacing": 0.0, "halo": False,
             "box": {"fill": "#ffffff", "border": "#333333", "width": 1, "padding": 4}},
}  # fmt: skip
#: The white halo around the names drawn over the events, in page px.
LABEL_HALO_PX = 2
LABEL_HALO_COLOUR = "#ffffff"
#: The page's text size, in px, that a still's body font stands for: a label of ``size`` px
#: is drawn at ``size / LABEL_BODY_PX`` times the still's body font.
LABEL_BODY_PX = 13.0
#: The sea and everything beyond the land polygons in the stills.
BACKGROUND = "#e8ecef"
#: The locator inset (page and stills, :mod:`geo.render.locator`): the two countries darker
#: than their neighbours, so that they stand out at a few centimetres, the sea, and the
#: map's frame as a strong red rectangle (a colour no event type takes); widths in page px.
LOCATOR_STYLE: dict[str, Any] = {
    "land": "#d3cbb8",
    "landEdge": "#6f6a60",
    "neighbour": "#f3f1ec",
    "neighbourEdge": "#bdbab3",
    "sea": "#dde5eb",
    "edgeWeight": 0.6,
    "frame": "#c8102e",
    "frameWeight": 2.0,
    "border": "#555555",
}

#: Choropleth: lower bounds of each class after zero (the last class is open-ended).
BREAKS = {"events": (1, 2, 5, 10, 25), "fatalities": (1, 10, 50, 100, 250)}
#: ColorBrewer YlOrRd, 5 classes; zero is a light grey.
COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
ZERO_COLOUR = "#f4f4f4"
