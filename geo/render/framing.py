"""Where a map is framed: one rule for the page's opening view, its print, the stills, the
batch pages and the embeds.

By default a map frames the story, not every event: of the events in the region
(:data:`REGION`), the box that holds the central :data:`CENTRAL_SHARE` of them on each
axis and the events near it (a ceasefire signed
in Doha or talks in Istanbul do not shrink the border to a sixth of the frame), with a
margin, never smaller than :data:`MIN_SPAN_DEG` a side. Events outside it are still drawn where the frame's
shape leaves room and are accounted for in every output (the page's "outside the view"
button, the stills' "Not drawn" note). A build filtered by province frames the provinces
it keeps. ``extent`` (``--extent``) overrides the rule: ``events`` (every event), ``border``
(the whole Durand Line), ``provinces`` (the provinces holding events) or a box
``W,S,E,N`` in degrees.

Boxes here are ``(west, south, east, north)`` in degrees (EPSG:4326); each output projects
the box itself (Web Mercator in the page, the region's projection in the stills).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from geo._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd

#: The named extents; anything else must be a box ``W,S,E,N``.
EXTENTS = ("story", "events", "border", "provinces")
#: The share of events, on each axis, that the story frame holds.
CENTRAL_SHARE = 0.9
#: Events this close to the central box (a share of its larger span) join the frame: the
#: border posts at either end of the story, not a city across the country.
NEAR_SHARE = 1 / 3
#: Below this many events every one is part of the story.
CENTRAL_MIN_EVENTS = 10
#: The margin on each side, as a share of the box's span.
MARGIN = 0.08
#: The smallest span of a frame, in degrees (about 160 km): a one-town story keeps context.
MIN_SPAN_DEG = 1.5
#: Web Mercator's latitude limit: a box beyond it cannot be drawn.
MAX_LAT = 85.0
#: The frame of a map with nothing to frame: Afghanistan and Pakistan.
TWO_COUNTRIES = (60.5, 23.6, 77.8, 38.5)
#: Where the story's events lie: the two countries and a degree around them. Events beyond
#: (talks in Doha, a record placed in the sea) never pull the frame, however few the events.
REGION = (59.5, 22.6, 78.8, 39.5)

Box = tuple[float, float, float, float]


def parse_extent(value: str | Sequence[float] | None) -> str | Box:
    """A named extent (:data:`EXTENTS`) or a checked box from ``--extent`` / ``extent=``.

    >>> parse_extent("border"), parse_extent("69, 32.5, 72, 35")
    ('border', (69.0, 32.5, 72.0, 35.0))
    """
    if value is None:
        return "story"
    if not isinstance(value, str):
        return _checked_box(tuple(value), repr(tuple(value)))
    text = value.strip().lower()
    if text in EXTENTS:
        return text
    parts = text.split(",")
    if len(parts) != 4:
        raise InputError(_extent_message(value, "not a named extent and not four numbers"))
    try:
        numbers = tuple(float(p) for p in parts)
    except ValueError:
        raise InputError(
            _extent_message(value, "not a named extent and not four numbers")
        ) from None
    return _checked_box(numbers, value)


def _extent_message(value: object, why: str) -> str:
    return (
        f"--extent {value!r}: {why}; accepted: {', '.join(EXTENTS)} or a box W,S,E,N in degrees "
        "(west < east within -180..180, south < north within -85..85), e.g. 69,32.5,72,35"
    )


def _checked_box(values: tuple[object, ...], shown: str) -> Box:
    if len(values) != 4 or not all(isinstance(v, int | float) for v in values):
        raise InputError(_extent_message(shown, "a box is four numbers W,S,E,N"))
    w, s, e, n = (float(v) for v in values)  # type: ignore[arg-type]
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise InputError(_extent_message(shown, "a box's numbers must be finite"))
    if not (-180 <= w < e <= 180 and -MAX_LAT <= s < n <= MAX_LAT):
        raise InputError(_extent_message(shown, "the box is empty or off the map"))
    return w, s, e, n


def quantile_box(lon: np.ndarray, lat: np.ndarray, share: float = CENTRAL_SHARE) -> Box | None:
    """The box holding the central ``share`` of the points on each axis (its edges are
    points' own coordinates; all of them below :data:`CENTRAL_MIN_EVENTS`), None for none.
    The box the framing target is measured on."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[ok], lat[ok]
    if not len(lon):
        return None
    if len(lon) < CENTRAL_MIN_EVENTS or share >= 1:
        return float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())
    cut = (1 - share) / 2
    w, e = np.quantile(lon, [cut, 1 - cut], method="inverted_cdf")
    s, n = np.quantile(lat, [cut, 1 - cut], method="inverted_cdf")
    return float(w), float(s), float(e), float(n)


def central_box(lon: np.ndarray, lat: np.ndarray, share: float = CENTRAL_SHARE) -> Box | None:
    """The box of the points that lie in or near (:data:`NEAR_SHARE`) their
    :func:`quantile_box`: the story's events. None for none."""
    box = quantile_box(lon, lat, share)
    if box is None or share >= 1:
        return box
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    w, s, e, n = box
    reach = NEAR_SHARE * max(e - w, n - s)
    near = (lon >= w - reach) & (lon <= e + reach) & (lat >= s - reach) & (lat <= n + reach)
    return (
        float(lon[near].min()),
        float(lat[near].min()),
        float(lon[near].max()),
        float(lat[near].max()),
    )


def _padded(box: Box) -> Box:
    w, s, e, n = box
    cx, cy = (w + e) / 2, (s + n) / 2
    dx = max(e - w, MIN_SPAN_DEG / (1 + 2 * MARGIN)) * (1 + 2 * MARGIN)
    dy = max(n - s, MIN_SPAN_DEG / (1 + 2 * MARGIN)) * (1 + 2 * MARGIN)
    w, e = max(-180.0, cx - dx / 2), min(180.0, cx + dx / 2)
    s, n = max(-MAX_LAT, cy - dy / 2), min(MAX_LAT, cy + dy / 2)
    return round(w, 5), round(s, 5), round(e, 5), round(n, 5)


def _layer_box(layer: gpd.GeoDataFrame | None) -> Box | None:
    if layer is None or not len(layer):
        return None
    w, s, e, n = (float(v) for v in layer.to_crs(4326).total_bounds)
    return w, s, e, n


def _provinces_box(provinces: gpd.GeoDataFrame | None, names: Sequence[str]) -> Box | None:
    if provinces is None or "province" not in provinces.columns or not names:
        return None
    wanted = {str(n).strip().casefold() for n in names if str(n).strip()}
    chosen = provinces[provinces["province"].astype(str).str.strip().str.casefold().isin(wanted)]
    return _layer_box(chosen)


def frame_box(
    events: gpd.GeoDataFrame,
    *,
    extent: str | Box = "story",
    border: gpd.GeoDataFrame | None = None,
    provinces: gpd.GeoDataFrame | None = None,
    chosen_provinces: Sequence[str] = (),
) -> Box:
    """The ``(west, south, east, north)`` box a map of ``events`` frames (see the module).

    ``chosen_provinces`` are the provinces a build was filtered to: the story frame is
    theirs. Each named extent falls back to the next thing there is to frame (the events,
    then the border, then the two countries).
    """
    if not isinstance(extent, str):
        return _checked_box(extent, repr(extent))
    geom = events.geometry if len(events) else None
    lon = geom.x.to_numpy() if geom is not None else np.array([])
    lat = geom.y.to_numpy() if geom is not None else np.array([])
    box: Box | None = None
    if extent == "border":
        box = _layer_box(border)
    elif extent == "provinces":
        names = list(chosen_provinces) or (
            list(events["province"].dropna().astype(str)) if "province" in events else []
        )
        box = _provinces_box(provinces, names)
    elif extent == "events":
        box = central_box(lon, lat, share=1.0)
    elif extent == "story":
        w, s, e, n = REGION
        near = (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
        story = (lon[near], lat[near]) if near.any() else (lon, lat)
        box = _provinces_box(provinces, chosen_provinces) or central_box(*story)
    else:
        raise InputError(_extent_message(extent, "unknown extent"))
    box = box or central_box(lon, lat, share=1.0) or _layer_box(border) or TWO_COUNTRIES
    return _padded(box)


def outside(events: gpd.GeoDataFrame, box: Box) -> np.ndarray:
    """Whether each event lies outside ``box`` (a boolean array)."""
    if not len(events):
        return np.zeros(0, dtype=bool)
    x, y = events.geometry.x.to_numpy(), events.geometry.y.to_numpy()
    w, s, e, n = box
    return ~((x >= w) & (x <= e) & (y >= s) & (y <= n))


#: The locator inset (``--inset``) is shown by default when the frame covers less than this
#: share of the two countries' box (:data:`TWO_COUNTRIES`), areas on the sphere: a reader of
#: a map of a few provinces needs to be told where they lie, one of the whole region does not.
INSET_SHARE = 0.6


def box_area(box: Box) -> float:
    """The area of a longitude/latitude box on the unit sphere (its true share of the
    globe's surface times 4 pi): longitude span in radians times the difference of the
    sines of its latitudes."""
    w, s, e, n = box
    return math.radians(e - w) * (math.sin(math.radians(n)) - math.sin(math.radians(s)))


def wants_inset(box: Box, inset: bool | None = None) -> bool:
    """Whether a map framing ``box`` shows the locator inset: ``inset`` when given
    (``--inset``, ``--no-inset``), else when the box covers less than :data:`INSET_SHARE`
    of the two countries' box. One rule for the page and the stills.

    >>> wants_inset((69.0, 32.5, 72.0, 35.0)), wants_inset(TWO_COUNTRIES)
    (True, False)
    """
    if inset is not None:
        return bool(inset)
    return box_area(box) < INSET_SHARE * box_area(TWO_COUNTRIES)


def leaflet_bounds(box: Box) -> list[list[float]]:
    """``[[south, west], [north, east]]``, as Leaflet takes a box."""
    w, s, e, n = box
    return [[s, w], [n, e]]
