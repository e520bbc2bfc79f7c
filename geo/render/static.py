"""Static maps for print and slides: PNG, SVG and PDF drawn by matplotlib, no browser.

The figure is built from the same canonical table and the same style tables as the page
(:data:`~geo.render.events.TYPE_COLOURS`, :data:`~geo.render.events.SIZE_SCALE`, the
legend sections of :mod:`geo.render.legend`), so the two never drift. It is drawn in the
regional equidistant conic (:data:`geo.border.REGION_CRS`), so the scale bar is true.

Every text drawn from data (title, towns, legend, credits) is created with
``parse_math=False``: a ``$`` in a summary or a title is shown, never parsed as mathtext.
Output bytes are deterministic: fixed metadata, ``svg.hashsalt``, a font that ships with
matplotlib (DejaVu Sans).

Layout: title and subtitle on top, the map on the left, the legend in its own panel on the
right (so it never hides an event), credits along the bottom. Sizes are physical: font
sizes follow the printed width, and the pixel count only sets the sharpness; event circles
also follow the map's size (:func:`geo.render.style.symbol_factor`, the page's rule). Where
the densest area cannot be read at the map's scale (:data:`DETAIL_RULE`), a detail panel
shows it magnified in a corner of the map that holds no event.
"""

from __future__ import annotations

import contextvars
import dataclasses
import io
import re
import unicodedata
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import Stroke
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from pyproj import Transformer

from geo._atomic import write_bytes_atomic
from geo._errors import InputError
from geo.border import REGION_CRS
from geo.context import Layers
from geo.filters import Filters, event_figure
from geo.i18n.editions import edition
from geo.i18n.fonts import still_rc
from geo.i18n.formatting import directed
from geo.i18n.names import credits as names_credits
from geo.i18n.words import N_, day, figure, full_stop, joined, listed, number, tr
from geo.methods import Methods, methods_of
from geo.render._util import _drop_small
from geo.render.annotations import DIRECTIONS, Callout, in_window, resolve
from geo.render.disputed import drawn_parts, legend_parts
from geo.render.edition import map_title, still_legend
from geo.render.framing import Box, frame_box, wants_inset
from geo.render.labels import DOTTED, OVER_EVENTS, Label, map_labels, place
from geo.render.labels import _hits as _overlaps  # one box test for labels and panels
from geo.render.legend import highlight_count, highlight_section, legend_sections
from geo.render.options import (
    IMAGE_FORMATS,
    MapOptions,
    credit_parts,
    map_methods,
    named_layers,
    output_format,
)
from geo.render.style import (
    BACKGROUND,
    BELT_STYLE,
    CITY_STYLE,
    CROSSING_STYLE,
    DASH,
    EDGE_ALPHA,
    EDGE_WEIGHT,
    FILL_ALPHA,
    HALO,
    HOLLOW_FILL_ALPHA,
    LABEL_BODY_PX,
    LABEL_HALO_COLOUR,
    LABEL_HALO_PX,
    LABEL_STYLES,
    LAND_STYLE,
    LINE_STYLE,
    LOC_STYLE,
    LOCATOR_STYLE,
    MUTED,
    NEIGHBOUR_STYLE,
    PROVINCE_STYLE,
    SIZE_SCALE,
    TYPE_COLOURS,
    symbol_factor,
    symbol_radius,
)
from geo.worldview import (
    GIDS,
    TERRITORY_NAMES,
    Worldview,
    for_inset,
    shows_china,
    shows_kashmir,
    territory_labels,
    worldview_of,
)

FONT = "DejaVu Sans"
#: Default image: 1600 x 1000 pixels (16:10) at 150 dpi, i.e. 10.67 x 6.67 inches.
DEFAULT_SIZE_PX = (1600, 1000)
DEFAULT_DPI = 150
#: Default resolution when a physical width is given (print).
PRINT_DPI = 300
ASPECT = 10 / 16
#: Above this many events in the frame, events are aggregated into grid cells, one square
#: per cell coloured by its most frequent type (the page switches to squares at 15,000).
DENSE_LIMIT = 15_000
#: The column of the highlight's flags on the events a still draws (added by
#: :func:`static_map` from :meth:`geo.highlight.Highlight.mask`, on its own copy).
_HIGHLIGHTED = "__highlighted"
MM_PER_IN = 25.4
_LIMITS = {"px": (100, 20_000), "dpi": (50, 1200), "mm": (20.0, 2000.0)}
_TEXT_TO_PATH = TextToPath()
#: Rendered text (hinted, kerned) runs a little wider than the outline measure; wrap early.
WRAP_SAFETY = 0.95
#: Determinism and real text: matplotlib settings used while drawing and saving.
RC: Any = {
    "svg.hashsalt": "geo",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "text.usetex": False,
    "text.parse_math": False,  # defence in depth: every Text is made with parse_math=False
    "font.family": FONT,
    "axes.unicode_minus": False,
    "path.simplify": True,
    "lines.scale_dashes": False,
}
METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": "geo"},
    "svg": {"Creator": "geo", "Date": None},
    "pdf": {"Creator": "geo", "Producer": "geo", "CreationDate": None, "ModDate": None},
}


# --------------------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageSize:
    """The physical size of an image and its resolution."""

    width_in: float
    height_in: float
    dpi: float

    @property
    def pixels(self) -> tuple[int, int]:
        """Width and height in pixels (of a PNG)."""
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)


def _check_range(value: float, option: str, kind: str, unit: str) -> float:
    lo, hi = _LIMITS[kind]
    if not np.isfinite(value) or not lo <= value <= hi:
        msg = f"{option} {value:g} is out of range; accepted: {lo:g} to {hi:g} {unit}"
        raise InputError(msg)
    return value


def parse_size(text: str) -> tuple[int, int]:
    """Parse ``WIDTHxHEIGHT`` in pixels, e.g. ``1600x1000``."""
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m:
        msg = f"--size {text!r} is not a size; accepted: WIDTHxHEIGHT in pixels, e.g. 1600x1000"
        raise InputError(msg)
    w, h = int(m.group(1)), int(m.group(2))
    for v in (w, h):
        _check_range(v, "--size", "px", "pixels per side")
    return w, h


def image_size(
    *,
    size: str | tuple[int, int] | None = None,
    width_mm: float | None = None,
    height_mm: float | None = None,
    dpi: float | None = None,
) -> ImageSize:
    """Resolve the size options into inches and dots per inch.

    ``size`` is in pixels (the physical size is then ``pixels / dpi``, dpi 150 unless
    given); ``width_mm`` (and ``height_mm``, default 10/16 of the width) is the printed
    size, at 300 dpi unless given. With neither, 1600 x 1000 pixels at 150 dpi.
    """
    if dpi is not None:
        _check_range(float(dpi), "--dpi", "dpi", "dots per inch")
    if size is not None and (width_mm is not None or height_mm is not None):
        msg = "--size (pixels) and --width-mm/--height-mm (print size) exclude each other; give one"
        raise InputError(msg)
    if height_mm is not None and width_mm is None:
        msg = "--height-mm needs --width-mm"
        raise InputError(msg)
    if width_mm is not None:
        w = _check_range(float(width_mm), "--width-mm", "mm", "mm")
        h = w * ASPECT if height_mm is None else float(height_mm)
        _check_range(h, "--height-mm", "mm", "mm")
        d = float(dpi or PRINT_DPI)
        # whole pixels (matplotlib truncates), so the PNG has the size the mm give, rounded
        return ImageSize(round(w / MM_PER_IN * d) / d, round(h / MM_PER_IN * d) / d, d)
    px = parse_size(size) if isinstance(size, str) else (size or DEFAULT_SIZE_PX)
    for v in px:
        _check_range(v, "--size", "px", "pixels per side")
    d = float(dpi or DEFAULT_DPI)
    return ImageSize(px[0] / d, px[1] / d, d)


# --------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------


def display_text(value: Any) -> str:
    """Text from data as it is drawn: literally, with line and paragraph separators and
    control characters turned into spaces (fonts have no glyph for them)."""
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


#: The edition whose words a still draws (static_map sets it; geo.i18n.words).
_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("lang", default="en")
#: The fonts text is measured in: the stills' own, or an edition's first (static_map sets it).
_FAMILY: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("family", default=(FONT,))


_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


#: The settings an edition's still is saved with (image_bytes), by figure.
_FIGURE_RC: weakref.WeakKeyDictionary[Figure, Any] = weakref.WeakKeyDictionary()
#: The stills' font's ascent above the baseline, as a share of the font size ("l").
_ASCENT = 0.76


def _family(text: str) -> str | list[str]:
    """The fonts of a text: an edition's font first where it holds Arabic script, else the
    stills' own (whose line metrics the layout is measured in)."""
    family = _FAMILY.get()
    return list(family) if len(family) > 1 and _ARABIC_SCRIPT.search(text) else FONT


def _font_kw(text: str) -> dict[str, Any]:
    """The font of a text drawn alone: the edition's for Arabic script (one weight), else
    nothing (the stills' own, from the settings: the English bytes stay as they were)."""
    family = _family(text)
    return {"fontfamily": family, "weight": "normal"} if isinstance(family, list) else {}


def _width_pt(text: str, size: float, weight: str = "normal") -> float:
    family = _family(text)
    weight = "normal" if isinstance(family, list) else weight  # the editions' fonts: one weight
    prop = FontProperties(family=family, size=size, weight=weight)
    return float(_TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)[0])


def wrap(text: str, width_pt: float, size: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap by measured width; a word longer than a line is cut."""
    width_pt *= WRAP_SAFETY
    lines: list[str] = []
    for word in display_text(text).split(" "):
        while _width_pt(word, size, weight) > width_pt and len(word) > 1:
            cut = max(1, int(len(word) * width_pt / _width_pt(word, size, weight)) - 1)
            if lines and not lines[-1]:
                lines.pop()
            lines.append(word[:cut])
            word = word[cut:]
        if lines and _width_pt(f"{lines[-1]} {word}", size, weight) <= width_pt:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return [line for line in lines if line] or [""]


# --------------------------------------------------------------------------------------
# Geometry to matplotlib paths
# --------------------------------------------------------------------------------------


def _ring_path(coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    codes[0], codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
    return coords, codes


def polygon_path(geom: shapely.Geometry) -> MplPath | None:
    """One compound path of a (multi)polygon, holes included."""
    verts, codes = [], []
    for poly in shapely.get_parts(geom):
        if poly.is_empty or shapely.get_type_id(poly) != 3:
            continue
        for ring in (poly.exterior, *poly.interiors):
            v, c = _ring_path(np.asarray(ring.coords)[:, :2])
            verts.append(v)
            codes.append(c)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _projected(gdf: gpd.GeoDataFrame, tolerance_m: float, min_area_km2: float = 0.0) -> np.ndarray:
    geoms = gdf.to_crs(REGION_CRS).geometry.values
    if min_area_km2 > 0:
        geoms = np.array([_drop_small(g, min_area_km2 * 1e6) for g in geoms], dtype=object)
    return np.asarray(shapely.simplify(geoms, tolerance_m, preserve_topology=True))


def _line_segments(geoms: np.ndarray) -> list[np.ndarray]:
    parts = shapely.get_parts(shapely.get_parts(geoms))
    lines = []
    for p in parts:
        kind = shapely.get_type_id(p)
        if kind in (1, 2):  # LineString, LinearRing
            lines.append(np.asarray(p.coords)[:, :2])
        elif kind == 3:
            lines.extend(np.asarray(r.coords)[:, :2] for r in (p.exterior, *p.interiors))
    return lines


_TO_REGION = Transformer.from_crs("EPSG:4326", REGION_CRS, always_xy=True)
_FROM_REGION = Transformer.from_crs(REGION_CRS, "EPSG:4326", always_xy=True)


def project_points(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Projected x, y (metres) of point features given in EPSG:4326."""
    if len(gdf) == 0:
        return np.empty(0), np.empty(0)
    x, y = _TO_REGION.transform(gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy())
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


# --------------------------------------------------------------------------------------
# Sizes and layout
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scale:
    """Sizes that follow the physical size of the image (points and inches)."""

    font: float  # body text, pt
    sym: float  # points per page pixel, for symbols and line weights
    pad: float  # margin, inches
    size: float = 1.0  # event circles' factor for the map's size (style.symbol_factor)

    @classmethod
    def of(cls, size: ImageSize) -> _Scale:
        k = min(size.width_in / 10.0, size.height_in / 6.25)
        font = float(np.clip(10.0 * k, 6.5, 28.0))
        return cls(font=font, sym=max(0.5 * k, 0.3), pad=0.12 * font / 10.0)

    def px(self, value: Any) -> Any:
        """A length given in page pixels (the HTML map's styles), in points."""
        return value * self.sym

    def radius(self, value: Any) -> Any:
        """An event circle's radius given in page pixels (the size table), in points: times
        the factor of the map's size, as the page's canvas and legend take it."""
        return value * self.sym * self.size

    def sized(self, map_w_in: float, map_h_in: float) -> _Scale:
        """This scale with the event circles' factor of a map of this size, in inches
        (its shorter side in page pixels: :func:`geo.render.style.symbol_factor`)."""
        short_px = min(map_w_in, map_h_in) * 72.0 / self.sym
        return replace(self, size=symbol_factor(short_px))


@dataclass(frozen=True)
class MapText:
    """The texts around the map: title, subtitle lines, credits."""

    title: str
    subtitle: list[str]
    credits: str


def _km(km: float, lang: str) -> str:
    """A scale bar's length, ``25 km``, in the edition's words and digits."""
    return tr("{km} km", lang, km=figure(f"{km:g}", lang))


def _whole(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def event_count(n: int, lang: str = "en") -> str:
    """``1 event``, ``1,204 events`` in the edition's words and digits."""
    message = N_("{count} event") if n == 1 else N_("{count} events")
    return tr(message, lang, count=number(n, lang))


def date_window(lo: Any, hi: Any, lang: str = "en") -> str:
    """``1 Jan 2024 – 31 Dec 2024``, ``from …``, ``until …`` or ``all dates``: a window's days
    in the edition's calendar(s) (:func:`geo.i18n.words.day`)."""
    if lo is not None and hi is not None:
        return tr("{start} – {end}", lang, start=day(lo, lang), end=day(hi, lang))
    if lo is not None:
        return tr("from {start}", lang, start=day(lo, lang))
    if hi is not None:
        return tr("until {end}", lang, end=day(hi, lang))
    return tr("all dates", lang)


def killed_text(best: int | None, low: int | None, high: int | None, lang: str = "en") -> str:
    """``killed: 41 best estimate (38–45 low–high)``, or ``killed: not reported``."""
    if best is None and low is None and high is None:
        return tr("killed: not reported", lang)
    ranged = low is not None and high is not None and (low, high) != (best, best)
    values = {
        "low": number(low, lang) if ranged and low is not None else "",
        "high": number(high, lang) if ranged and high is not None else "",
        "best": number(best, lang) if best is not None else "",
    }
    if best is not None:
        message = (
            N_("killed: {best} best estimate ({low}–{high} low–high)")
            if ranged
            else N_("killed: {best} best estimate")
        )
    else:
        message = N_("killed: ({low}–{high} low–high)") if ranged else N_("killed:")
    return tr(message, lang, **values)


def subtitle(events: gpd.GeoDataFrame, filters: Filters | None = None, lang: str = "en") -> str:
    """The date window (the one asked for, else the events' span) and the counts, in the
    edition ``lang`` (its words, digits and calendar)."""
    filters = filters if filters is not None else Filters()
    start, end = filters.start, filters.end
    lo = start if start is not None else (events["date_start"].min() if len(events) else None)
    hi = end if end is not None else (events["date_end"].max() if len(events) else None)
    n = len(events)
    best, low, high = (
        _whole(events[f].sum(min_count=1)) if n else None
        for f in ("fatalities_best", "fatalities_low", "fatalities_high")
    )
    parts = [date_window(lo, hi, lang), event_count(n, lang), killed_text(best, low, high, lang)]
    parts.extend(filters.describe(lang))
    return " · ".join(parts)


def credits_text(
    events: gpd.GeoDataFrame,
    layers: dict[str, gpd.GeoDataFrame | None],
    extra: Sequence[str] = (),
    *,
    methods: Methods | None = None,
) -> str:
    """Every source and licence (:func:`geo.render.options.credit_parts`) as one line, then
    the filters in force and the fields the tool derived (:mod:`geo.methods`)."""
    methods = methods if methods is not None else methods_of(events)
    parts = credit_parts(events, layers, extra, methods=methods)
    lang = methods.lang
    text = tr("Sources: {sources}.", lang,
              sources=joined([display_text(p) for p in parts], lang))  # fmt: skip
    stop = full_stop(lang)
    return text + " " + " ".join(display_text(line) + stop for line in methods.method_lines())


def _frame(
    events: gpd.GeoDataFrame,
    layers: dict[str, gpd.GeoDataFrame | None],
    extent: str | Box = "story",
    chosen_provinces: Sequence[str] = (),
) -> tuple[float, float, float, float]:
    """The projected box the map shows: the box of :func:`geo.render.framing.frame_box`
    (the rule the page follows too), its outline projected to the region's CRS."""
    w, s, e, n = frame_box(
        events,
        extent=extent,
        border=layers.get("Durand Line"),
        provinces=layers.get("provinces"),
        chosen_provinces=chosen_provinces,
    )
    return _projected_box((w, s, e, n))


def _lonlat_box(box: tuple[float, float, float, float]) -> Box:
    """A projected box's outline (the region's CRS) as a longitude/latitude box."""
    x0, y0, x1, y1 = box
    t = np.linspace(0.0, 1.0, 33)
    xs = np.concatenate(
        [x0 + (x1 - x0) * t, np.full_like(t, x1), x1 - (x1 - x0) * t, np.full_like(t, x0)]
    )
    ys = np.concatenate(
        [np.full_like(t, y0), y0 + (y1 - y0) * t, np.full_like(t, y1), y1 - (y1 - y0) * t]
    )
    lon, lat = _FROM_REGION.transform(xs, ys)
    return float(np.min(lon)), float(np.min(lat)), float(np.max(lon)), float(np.max(lat))


def _projected_box(box: Box) -> tuple[float, float, float, float]:
    """A longitude/latitude box's outline projected (the region's CRS), as its box."""
    w, s, e, n = box
    t = np.linspace(0.0, 1.0, 33)
    lon = np.concatenate([w + (e - w) * t, np.full_like(t, e), e - (e - w) * t, np.full_like(t, w)])
    lat = np.concatenate([np.full_like(t, s), s + (n - s) * t, np.full_like(t, n), n - (n - s) * t])
    xs, ys = _TO_REGION.transform(lon, lat)
    return float(np.min(xs)), float(np.min(ys)), float(np.max(xs)), float(np.max(ys))


def _fit_aspect(
    box: tuple[float, float, float, float], width: float, height: float
) -> tuple[float, float, float, float]:
    """Grow the box along one axis so that it has the aspect of the axes (equal scale)."""
    x0, y0, x1, y1 = box
    want = width / height
    have = (x1 - x0) / (y1 - y0)
    if have < want:
        extra = ((y1 - y0) * want - (x1 - x0)) / 2
        return x0 - extra, y0, x1 + extra, y1
    extra = ((x1 - x0) / want - (y1 - y0)) / 2
    return x0, y0 - extra, x1, y1 + extra


# --------------------------------------------------------------------------------------
# Legend
# --------------------------------------------------------------------------------------


@dataclass
class _Row:
    kind: str  # "header", "item" or "note"
    lines: list[str]
    height: float  # points
    item: dict[str, Any] | None = None


def _symbol_height(item: dict[str, Any], scale: _Scale) -> float:
    if item.get("kind") == "size":
        return scale.radius(2 * item["radius"]) + scale.px(4)
    return 0.0 if item.get("kind") == "note" else scale.px(16)


def _legend_rows(
    sections: list[dict[str, Any]], font: float, scale: _Scale, label_pt: float
) -> list[_Row]:
    rows: list[_Row] = []
    line = font * 1.25
    for section in sections:
        if rows:
            rows.append(_Row("gap", [], font * 0.6))
        rows.append(_Row("header", wrap(section["title"], label_pt, font, "bold"), 0.0))
        rows[-1].height = line * len(rows[-1].lines)
        items = section["items"]
        if items and all(i.get("kind") == "size" for i in items):
            # circles side by side, labels underneath: a fraction of the height of a list
            top = max(scale.radius(i["radius"]) for i in items)
            rows.append(_Row("sizes", [], 2 * top + line + font * 0.4, {"items": items}))
            continue
        for item in items:
            lines = wrap(item["label"], label_pt, font)
            kind = "note" if item.get("kind") == "note" else "item"
            h = max(line * len(lines), _symbol_height(item, scale)) + font * 0.25
            rows.append(_Row(kind, lines, h, item))
    return rows


def _columns(rows: list[_Row], max_height: float) -> list[list[_Row]]:
    """Split the rows into columns no taller than ``max_height``, between sections."""
    columns: list[list[_Row]] = [[]]
    height = 0.0
    for i, row in enumerate(rows):
        if row.kind == "gap" and height > 0:
            rest = next((j for j in range(i + 1, len(rows)) if rows[j].kind == "gap"), len(rows))
            section = sum(r.height for r in rows[i + 1 : rest])
            if height + row.height + section > max_height:
                columns.append([])
                height = 0.0
                continue
        columns[-1].append(row)
        height += row.height
    return columns


def _draw_symbol(ax: Axes, item: dict[str, Any], x: float, y: float, scale: _Scale) -> None:
    kind = item.get("kind")
    if kind == "line":
        dashed = item.get("dashed")
        ax.plot(
            [x - scale.px(8), x + scale.px(8)],
            [y, y],
            color=item["color"],
            lw=scale.px(LOC_STYLE["weight"] if item.get("worldview") else LINE_STYLE["weight"]),
            solid_capstyle="butt",
            linestyle=(0.0, (scale.px(4), scale.px(2.5))) if dashed else "solid",
            gid=f"legend-{item['worldview']}" if item.get("worldview") else None,
        )
    elif kind == "fill":
        w, h = scale.px(14), scale.px(10)
        ax.add_patch(
            Rectangle(
                (x - w / 2, y - h / 2),
                w,
                h,
                facecolor=to_rgba(item["color"], 0.8),
                edgecolor=BELT_STYLE["color"],
                lw=scale.px(0.75),
            )
        )
    elif kind == "size":
        r = scale.radius(item["radius"])
        ax.scatter(
            [x], [y], s=(2 * r) ** 2, marker="o", facecolors=[to_rgba("#888888", 0.35)],
            edgecolors=["#444444"], linewidths=scale.px(1.5),
        )  # fmt: skip
    elif kind == "diamond":
        r = scale.px(CROSSING_STYLE["radius"])
        ax.scatter([x], [y], s=(2 * r) ** 2 / 2, marker="D", facecolors=[item["fill"]],
                   edgecolors=["#777777"], linewidths=scale.px(1))  # fmt: skip
    elif kind == "square":
        side = scale.px(10)
        ax.scatter([x], [y], s=side**2, marker="s", facecolors=[item["color"]], linewidths=0)
    elif kind == "circle":
        fill = item.get("fill")
        alpha = HOLLOW_FILL_ALPHA if item.get("hollow") else (1.0 if fill else FILL_ALPHA)
        edge = EDGE_ALPHA
        if item.get("muted"):
            alpha, edge = MUTED["fillOpacity"], MUTED["strokeOpacity"]
        ax.scatter(
            [x], [y], s=(2 * scale.px(6)) ** 2, marker="o",
            facecolors=[to_rgba(fill or item["color"], alpha)],
            edgecolors=[to_rgba(item["color"], edge)], linewidths=scale.px(EDGE_WEIGHT),
            linestyles=[_dashes(scale)] if item.get("dashed") else ["solid"],
        )  # fmt: skip


def _sizes_width(items: list[dict[str, Any]], font: float, scale: _Scale) -> float:
    """Width in points of the size scale drawn side by side."""
    return sum(
        max(2 * scale.radius(i["radius"]), _width_pt(i["label"], font)) + font * 0.6 for i in items
    )


def _draw_sizes(
    ax: Axes, items: list[dict[str, Any]], x: float, top: float, font: float, scale: _Scale
) -> None:
    """The size scale: circles on one baseline, each with its figure underneath."""
    base = top - 2 * max(scale.radius(i["radius"]) for i in items)
    for item in items:
        r = scale.radius(item["radius"])
        w = max(2 * r, _width_pt(item["label"], font))
        _draw_symbol(ax, item, x + w / 2, base + r, scale)
        ax.text(x + w / 2, base - font * 0.25, item["label"], fontsize=font, ha="center", va="top",
                fontfamily=_family(item["label"]),
                parse_math=False, color="#222222", gid=f"legend-label-{len(ax.texts)}")  # fmt: skip
        x += w + font * 0.6


def _dashes(scale: _Scale) -> tuple[float, tuple[float, float]]:
    return (0.0, (scale.px(DASH[0]), scale.px(DASH[1])))


def _arabic_lines(
    ax: Axes, x: float, mid: float, lines: list[str], font: float, **style: Any
) -> None:
    """Lines of Arabic script centred on ``mid`` (points), each on the baseline the stills'
    font would give it: the edition's tall letters (Nastaliq's above all) would otherwise
    set the lines apart and out of the legend's rows, measured in the stills' font."""
    step = font * 1.25
    top = mid + step * len(lines) / 2 - (step - font) / 2
    style.pop("weight", None)  # the editions' fonts have one weight: no faux bold, no warning
    for k, text in enumerate(lines):
        ax.text(x, top - font * _ASCENT - k * step, text, fontsize=font, va="baseline",
                ha="left", fontfamily=_family(text), parse_math=False, **style)  # fmt: skip


def _draw_legend(
    fig: Figure, columns: list[list[_Row]], rect: tuple[float, float, float, float],
    font: float, sym_w: float, col_w: float, scale: _Scale,
) -> Axes:  # fmt: skip
    """Draw the legend rows into their own axes, whose units are points from the top left."""
    W, H = fig.get_size_inches()
    left, bottom, width, height = rect
    ax = fig.add_axes((left / W, bottom / H, width / W, height / H), label="legend")
    ax.set_axis_off()
    ax.set_xlim(0, width * 72)
    ax.set_ylim(-height * 72, 0)
    ax.set_gid("legend")
    line = font * 1.25
    for c, rows in enumerate(columns):
        x0, y = c * col_w, 0.0
        for row in rows:
            if row.kind == "header":
                if isinstance(_family("".join(row.lines)), list):
                    _arabic_lines(ax, x0, y - line * 0.5, row.lines, font, weight="bold",
                                  gid=f"legend-header-{len(ax.texts)}")  # fmt: skip
                else:
                    ax.text(x0, y - line * 0.5, "\n".join(row.lines), fontsize=font, weight="bold",
                            va="center", ha="left", linespacing=1.25, parse_math=False,
                            gid=f"legend-header-{len(ax.texts)}")  # fmt: skip
            elif row.kind == "sizes" and row.item is not None:
                _draw_sizes(ax, row.item["items"], x0 + font * 0.3, y - font * 0.2, font, scale)
            elif row.kind in ("item", "note"):
                mid = y - (row.height - font * 0.25) / 2
                tx = x0
                if row.kind == "item" and row.item is not None:
                    _draw_symbol(ax, row.item, x0 + sym_w / 2, mid, scale)
                    tx = x0 + sym_w
                if isinstance(_family("".join(row.lines)), list):
                    _arabic_lines(ax, tx, mid, row.lines, font, color="#222222",
                                  gid=f"legend-label-{len(ax.texts)}")  # fmt: skip
                else:
                    ax.text(tx, mid, "\n".join(row.lines), fontsize=font, va="center", ha="left",
                            linespacing=1.25, parse_math=False, color="#222222",
                            gid=f"legend-label-{len(ax.texts)}")  # fmt: skip
            y -= row.height
    return ax


# --------------------------------------------------------------------------------------
# The map
# --------------------------------------------------------------------------------------


def _draw_polygons(ax: Axes, geoms: np.ndarray, **style: Any) -> None:
    for g in geoms:
        path = polygon_path(g) if g is not None else None
        if path is not None:
            ax.add_patch(PathPatch(path, **style))


def _draw_context(ax: Axes, layers: dict[str, gpd.GeoDataFrame | None], scale: _Scale) -> None:
    land, belt, provinces = layers.get("land"), layers.get("belt"), layers.get("provinces")
    border, neighbours = layers.get("Durand Line"), layers.get("neighbouring countries")
    if neighbours is not None and len(neighbours):  # simplified for the region already
        _draw_polygons(ax, neighbours.to_crs(REGION_CRS).geometry.values,
                       facecolor=NEIGHBOUR_STYLE["fillColor"], edgecolor=NEIGHBOUR_STYLE["color"],
                       lw=scale.px(1), zorder=0.5)  # fmt: skip
    if land is not None:
        _draw_polygons(ax, _projected(land, 1000.0, min_area_km2=20.0),
                       facecolor=LAND_STYLE["fillColor"], edgecolor=LAND_STYLE["color"],
                       lw=scale.px(1), zorder=1)  # fmt: skip
    if belt is not None:
        _draw_polygons(ax, _projected(belt, 1000.0),
                       facecolor=to_rgba(str(BELT_STYLE["fillColor"]), 0.35),
                       edgecolor=to_rgba(str(BELT_STYLE["color"]), 0.6), lw=scale.px(0.75),
                       zorder=2)  # fmt: skip
    if provinces is not None:
        ax.add_collection(LineCollection(
            _line_segments(_projected(provinces, 1000.0)), colors=PROVINCE_STYLE["color"],
            linewidths=scale.px(0.8), linestyles=[(0.0, (scale.px(2), scale.px(2)))],
            zorder=3,
        ))  # fmt: skip
    if border is not None:
        ax.add_collection(LineCollection(
            _line_segments(_projected(border, 200.0)), colors=LINE_STYLE["color"],
            linewidths=scale.px(LINE_STYLE["weight"]), alpha=LINE_STYLE["opacity"], zorder=4,
            gid="durand-line",
        ))  # fmt: skip


def _draw_disputed(
    ax: Axes,
    disputed: gpd.GeoDataFrame,
    view: Worldview,
    scale: _Scale,
    *,
    with_china: bool,
    with_lac: bool,
) -> None:
    """Disputed Kashmir the worldview's way (:func:`geo.render.disputed.drawn_parts`, as
    the page draws it), each part an artist with its stable ``gid``: the territory over
    the land and the belt (as the page layers them), the lines over the provinces; what
    lies along China only when the frame reaches it (``with_china``, ``with_lac``)."""
    for gid, rows, style in drawn_parts(view, disputed, with_china=with_china, with_lac=with_lac):
        if not len(rows):
            continue
        geoms = _projected(rows, 200.0)
        if gid in (GIDS["territory"], GIDS["china"]):
            for g in geoms:
                path = polygon_path(g) if g is not None else None
                if path is not None:
                    ax.add_patch(PathPatch(path, facecolor=style["fillColor"],
                                           edgecolor=style["fillColor"], lw=scale.px(1),
                                           zorder=2.5, gid=gid))  # fmt: skip
            continue
        dashed = style.get("dashArray")
        dashes = [float(v) for v in str(dashed).split()] if dashed else None
        ax.add_collection(LineCollection(
            _line_segments(geoms), colors=style["color"], linewidths=scale.px(style["weight"]),
            alpha=style["opacity"], zorder=3.9, gid=gid,
            linestyles=[(0.0, tuple(scale.px(d) for d in dashes))] if dashes else "solid",
        ))  # fmt: skip


def _event_symbols(events: gpd.GeoDataFrame, ax: Axes, scale: _Scale) -> PathCollection | None:
    """One collection of circles, largest first; identical symbols on one spot drawn once.

    Each circle is two entries, one after the other, as the page's sprites are painted:
    its fill with the white halo (:data:`geo.render.style.HALO`), then its outline in the
    type's colour; a smaller circle's halo thus parts it from the outlines beneath. With a
    highlight, the events it leaves out are drawn first, in the grey of
    :data:`geo.render.style.MUTED`, under the highlighted ones."""
    x, y = project_points(events)
    r = np.round(scale.radius(symbol_radius(event_figure(events))) * 2) / 2
    hollow = (events["geo_precision"] != "exact").to_numpy()
    dashed = (events["date_precision"] != "day").to_numpy()
    types = events["event_type"].to_numpy(dtype=object)
    px = ax.transData.transform(np.column_stack([x, y])) * 72.0 / ax.figure.dpi
    lit = (
        events[_HIGHLIGHTED].to_numpy(dtype=bool)
        if _HIGHLIGHTED in events
        else np.ones(len(events), dtype=bool)
    )
    frame = pd.DataFrame({"qx": np.round(px[:, 0] * 2), "qy": np.round(px[:, 1] * 2), "r": r,
                          "t": types, "h": hollow, "d": dashed, "l": lit,
                          "id": events["event_id"].astype(str)})  # fmt: skip
    keep = ~frame.duplicated(["qx", "qy", "r", "t", "h", "d", "l"]).to_numpy()
    # grey first (under), then largest first, then by id
    order = np.lexsort((frame["id"].to_numpy()[keep], -r[keep], lit[keep]))
    idx = np.flatnonzero(keep)[order]
    if not len(idx):
        return None
    on = lit[idx]
    colours = np.array([
        to_rgba(TYPE_COLOURS.get(t, "#444444") if o else MUTED["color"])
        for t, o in zip(types[idx], on, strict=True)
    ])  # fmt: skip
    face = colours.copy()
    face[:, 3] = np.where(
        on, np.where(hollow[idx], HOLLOW_FILL_ALPHA, FILL_ALPHA),
        np.minimum(np.where(hollow[idx], HOLLOW_FILL_ALPHA, FILL_ALPHA), MUTED["fillOpacity"]),
    )  # fmt: skip
    edge = colours.copy()
    edge[:, 3] = np.where(on, EDGE_ALPHA, MUTED["strokeOpacity"])
    halo = np.broadcast_to(np.array(to_rgba(HALO["color"], HALO["opacity"])), edge.shape)
    none = np.zeros_like(face)
    styles = [_dashes(scale) if d else (0.0, None) for d in dashed[idx]]
    two = np.repeat(idx, 2)  # halo and fill, then outline, of each circle in turn
    first = np.arange(len(two)) % 2 == 0
    return ax.scatter(
        x[two], y[two], s=(2 * r[two]) ** 2, marker="o",
        facecolors=np.where(first[:, None], np.repeat(face, 2, axis=0), np.repeat(none, 2, axis=0)),
        edgecolors=list(np.where(first[:, None], np.repeat(halo, 2, axis=0), np.repeat(edge, 2, axis=0))),
        linewidths=[scale.px(HALO["weight"] if f else EDGE_WEIGHT) for f in first],
        linestyles=[st for pair in zip([(0.0, None)] * len(styles), styles, strict=True) for st in pair],
        zorder=5, gid="events",
    )  # fmt: skip


def _dense_cells(events: gpd.GeoDataFrame, ax: Axes, scale: _Scale) -> tuple[PathCollection, float]:
    """Events aggregated on a grid of symbol-sized cells: one square per cell, coloured by
    its most frequent type, stronger where more events fall. Returns the cell size in km."""
    x, y = project_points(events)
    cell_pt = scale.px(2 * SIZE_SCALE["minRadius"])
    (x0, x1), (y0, _) = ax.get_xlim(), ax.get_ylim()
    width_pt = ax.get_window_extent().width * 72.0 / ax.figure.dpi
    cell_m = cell_pt * (x1 - x0) / width_pt
    gx, gy = (
        np.floor((x - x0) / cell_m).astype(np.int64),
        np.floor((y - y0) / cell_m).astype(np.int64),
    )
    codes = np.asarray(pd.Categorical(events["event_type"], categories=list(TYPE_COLOURS)).codes)
    if _HIGHLIGHTED in events:  # outside the highlight: the grey after the types' colours
        codes = np.where(events[_HIGHLIGHTED].to_numpy(dtype=bool), codes, len(TYPE_COLOURS))
    table = pd.DataFrame({"gx": gx, "gy": gy, "t": codes})
    counts = table.groupby(["gx", "gy", "t"]).size().rename("n").reset_index()
    total = counts.groupby(["gx", "gy"])["n"].transform("sum")
    grey = (counts["t"] == len(TYPE_COLOURS)).to_numpy()
    # a cell holding a highlighted event takes its colour; grey cells are drawn first
    counts = counts.assign(total=total, grey=grey).sort_values(
        ["gx", "gy", "grey", "n", "t"], ascending=[True, True, True, False, True]
    )
    top = counts.drop_duplicates(["gx", "gy"]).sort_values("grey", ascending=False, kind="stable")
    palette = [*TYPE_COLOURS.values(), MUTED["color"]]
    colours = np.array([to_rgba(c) for c in palette])[top["t"].to_numpy()]
    strength = np.log1p(top["total"].to_numpy()) / np.log1p(max(int(top["total"].max()), 1))
    colours[:, 3] = 0.3 + 0.7 * strength
    if _HIGHLIGHTED in events:  # grey cells fainter, highlighted ones strong (style.MUTED)
        grey_cell = top["t"].to_numpy() == len(TYPE_COLOURS)
        colours[:, 3] = np.where(
            grey_cell,
            colours[:, 3] * MUTED["squareOpacity"],
            np.maximum(colours[:, 3], MUTED["highlightSquareOpacity"]),
        )
    cx = x0 + (top["gx"].to_numpy() + 0.5) * cell_m
    cy = y0 + (top["gy"].to_numpy() + 0.5) * cell_m
    coll = ax.scatter(cx, cy, s=cell_pt**2, marker="s", facecolors=colours, linewidths=0,
                      zorder=5, gid="events")  # fmt: skip
    return coll, cell_m / 1000.0


def _nice_km(target: float) -> float:
    steps = (1, 2, 5, 10, 20, 25, 50, 100, 150, 200, 250, 300, 400, 500, 1000, 2000, 5000)
    return float(max([s for s in steps if s <= target] or [steps[0]]))


def _draw_scalebar(
    ax: Axes, scale: _Scale, font: float, busy: np.ndarray,
    panel: tuple[float, float, float, float] | None = None,
) -> tuple[float, float, float, float]:  # fmt: skip
    """A two-segment bar in km in the lower corner holding fewest symbols (and not under
    the detail panel, ``panel``); returns its box in points (axes-relative) so labels keep
    clear of it."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    bbox = ax.get_window_extent()
    w_pt = bbox.width * 72.0 / ax.figure.dpi
    m_per_pt = (x1 - x0) / w_pt
    km = _nice_km((x1 - x0) / 1000.0 * 0.18)
    bar_pt = km * 1000.0 / m_per_pt
    margin = font * 0.8
    box_w, box_h = bar_pt + 2 * margin + font * 1.5, font * 3.0
    h_pt = bbox.height * 72.0 / ax.figure.dpi
    corners = {"left": margin, "right": w_pt - margin - box_w}

    def crowd(left: float) -> int:
        inside = (
            (busy[:, 0] >= left) & (busy[:, 0] <= left + box_w) & (busy[:, 1] <= margin + box_h)
        )
        box = (left, margin, left + box_w, margin + box_h)
        under = panel is not None and bool(_overlaps(box, np.array([panel])).any())
        return int(inside.sum()) + (10**9 if under else 0)

    left = min(corners.values(), key=lambda v: (crowd(v), v))
    bottom = margin
    to_x = lambda pt: x0 + pt * m_per_pt  # noqa: E731
    to_y = lambda pt: y0 + pt * (y1 - y0) / h_pt  # noqa: E731
    ax.add_patch(Rectangle((to_x(left), to_y(bottom)), box_w * m_per_pt, box_h * (y1 - y0) / h_pt,
                           facecolor=to_rgba("#ffffff", 0.85), edgecolor="#999999",
                           lw=scale.px(0.5), zorder=8, gid="scalebar"))  # fmt: skip
    bx, by, bh = left + margin, bottom + font * 0.7, font * 0.35
    for i, colour in enumerate(("#222222", "#ffffff")):
        ax.add_patch(Rectangle((to_x(bx + i * bar_pt / 2), to_y(by)), bar_pt / 2 * m_per_pt,
                               bh * (y1 - y0) / h_pt, facecolor=colour, edgecolor="#222222",
                               lw=scale.px(0.75), zorder=9))  # fmt: skip
    lang = _LANG.get()
    for frac, text in ((0.0, "0"), (0.5, f"{km / 2:g}"), (1.0, f"{km:g} km")):
        if lang != "en":  # the edition's digits and its word for km
            text = directed(figure(text, lang) if frac < 1 else _km(km, lang), lang)
        ax.text(to_x(bx + frac * bar_pt), to_y(by + bh + font * 0.35), text, fontsize=font * 0.85,
                ha="center", va="bottom", zorder=9, **_font_kw(text),
                parse_math=False, gid="scalebar-label")  # fmt: skip
    return left, bottom, left + box_w, bottom + box_h


def _halo(ax: Axes, text: Text, scale: _Scale) -> None:
    """A white halo under a label: a copy of it outlined, drawn just beneath it. (A path
    effect on the label itself would turn its letters into outlines: no text in the SVG.)"""
    halo = ax.text(*text.get_position(), text.get_text(), fontproperties=text.get_fontproperties(),
                   color=LABEL_HALO_COLOUR, ha="center", va="center", parse_math=False,
                   zorder=text.get_zorder() - 0.01, gid="label-halo",
                   path_effects=[Stroke(linewidth=2 * scale.px(LABEL_HALO_PX),
                                        foreground=LABEL_HALO_COLOUR)])  # fmt: skip
    halo.set_in_layout(False)


def _note_text(ax: Axes, note: Callout, x: float, y: float, scale: _Scale, i: int) -> Text:
    """A callout's text in its white box with a thin dark border (style ``note``)."""
    style = LABEL_STYLES["note"]
    font = scale.font * style["size"] / LABEL_BODY_PX
    box = style["box"]
    lines = "\n".join(display_text(line) for line in note.text.split("\n"))  # broken when made
    return ax.text(x, y, lines, fontsize=font, color=style["color"],
                   weight="bold", ha="center", va="center", multialignment="left",
                   linespacing=1.25, zorder=8.5,
                   parse_math=False, gid=f"annotation-{i}",
                   bbox={"boxstyle": f"square,pad={scale.px(box['padding']) / font:.4f}",
                         "facecolor": box["fill"], "edgecolor": box["border"],
                         "linewidth": scale.px(box["width"]), "gid": f"annotation-box-{i}"})  # fmt: skip


def _draw_labels(
    ax: Axes, layers: Layers, events: gpd.GeoDataFrame, scale: _Scale,
    blocked: list[tuple[float, float, float, float]], symbols: np.ndarray,
    notes: Sequence[Callout] = (),
    view: Worldview | None = None,
    lang: str = "en",
) -> None:  # fmt: skip
    """The names of the map (neighbouring countries, towns, the provinces holding
    ``events``) placed by :func:`geo.render.labels.place`, the rule the page follows, on the
    extents matplotlib measures for each text; and the dots of the towns named. Towns and
    provinces are drawn over the events with a white halo, the countries under them;
    ``blocked`` (the scale bar, the crossings) and ``symbols`` (x, y, radius of the events)
    are in axes points. ``notes`` (the editor's callouts) are placed first, each in its box
    with a leader line to its anchor. An edition (``lang``) draws the places' names in its
    script (:func:`geo.render.labels.map_labels`), each set to run in its direction."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    within = (x0, y0, x1, y1)
    territories = territory_labels(view, layers.provinces, layers.disputed, within) if view else []
    named = map_labels(neighbours=layers.neighbours, cities=layers.cities,
                       provinces=layers.provinces, events=events, within=within,
                       territories=territories, renamed=TERRITORY_NAMES, lang=lang)  # fmt: skip
    territory_texts = {t for t, _, _ in territories}
    found = [Label("note", c.text, c.lon, c.lat) for c in notes] + named
    if not found:
        return
    k = 72.0 / ax.figure.dpi
    extent = ax.get_window_extent()
    w_pt, h_pt = extent.width * k, extent.height * k
    xs, ys = _TO_REGION.transform([lab.lon for lab in found], [lab.lat for lab in found])
    pts = (ax.transData.transform(np.column_stack([xs, ys])) - extent.p0) * k
    texts, sizes = [], []
    for i, lab in enumerate(found):
        if lab.kind == "note":  # its box: the text's extent and the padding and border round it
            t = _note_text(ax, notes[i], xs[i], ys[i], scale, i)
            extent_px = t.get_window_extent()
            grow = 2 * scale.px(
                LABEL_STYLES["note"]["box"]["padding"] + LABEL_STYLES["note"]["box"]["width"]
            )
            texts.append(t)
            sizes.append((extent_px.width * k + grow, extent_px.height * k + grow))
            continue
        style = LABEL_STYLES[lab.kind]
        # a worldview's names break before their status (geo.worldview); data's never do
        lines_ = lab.text.split("\n") if lab.text in territory_texts else [lab.text]
        text = "\n".join(display_text(line) for line in lines_)
        text = text if lang == "en" else "\n".join(directed(t, lang) for t in text.split("\n"))
        gid = "neighbour-label" if lab.kind == "country" else f"{lab.kind}-label-{i}"
        # an edition's names take its font where they are Arabic script (_family)
        font: dict[str, Any] = {} if lang == "en" else {"fontfamily": _family(text)}
        t = ax.text(xs[i], ys[i], text.upper() if style["caps"] else text,
                    fontsize=scale.font * style["size"] / LABEL_BODY_PX, color=style["color"],
                    weight="bold" if style["weight"] >= 600 else "normal",
                    style="italic" if style["italic"] else "normal",
                    ha="center", va="center", zorder=7 if lab.kind in OVER_EVENTS else 1.5,
                    parse_math=False, gid=gid, **font)  # fmt: skip
        extent_px = t.get_window_extent()
        texts.append(t)
        sizes.append((extent_px.width * k, extent_px.height * k))
    flip = lambda b: (b[0], h_pt - b[3], b[2], h_pt - b[1])  # noqa: E731 - y up, y down
    sym = symbols.reshape(-1, 3)
    boxes = place(
        [lab.kind for lab in found],
        np.column_stack([pts[:, 0], h_pt - pts[:, 1]]),
        np.array(sizes),
        (w_pt, h_pt),
        obstacles=np.array([flip(b) for b in blocked], dtype=float).reshape(-1, 4),
        events=np.column_stack([sym[:, 0], h_pt - sym[:, 1], sym[:, 2]]),
        unit=scale.sym,
        nudges=[DIRECTIONS[c.nudge] if c.nudge else None for c in notes] + [None] * len(named),
    )
    dots = []
    to_data = ax.transData.inverted()
    for i, (lab, t, placed) in enumerate(zip(found, texts, boxes, strict=True)):
        if placed is None:
            t.remove()
            continue
        cx, cy = (placed[0] + placed[2]) / 2, h_pt - (placed[1] + placed[3]) / 2
        x, y = to_data.transform(extent.p0 + np.array([cx, cy]) / k)
        t.set_position((float(x), float(y)))
        if lab.kind == "note":  # the leader: from the anchor to the nearest point of the box
            ax_, ay_ = pts[i, 0], h_pt - pts[i, 1]
            px_ = min(max(ax_, placed[0]), placed[2])
            py_ = min(max(ay_, placed[1]), placed[3])
            ends = to_data.transform(
                extent.p0 + np.array([[ax_, h_pt - ay_], [px_, h_pt - py_]]) / k
            )
            ax.plot(ends[:, 0], ends[:, 1], color=LABEL_STYLES["note"]["box"]["border"],
                    linewidth=scale.px(1), zorder=8.4, solid_capstyle="butt",
                    gid=f"annotation-leader-{i}")  # fmt: skip
            if notes[i].event is None:  # a place: a small mark where the leader ends
                ax.scatter([xs[i]], [ys[i]], s=scale.px(5) ** 2, c=LABEL_STYLES["note"]["box"]["border"],
                           linewidths=0, zorder=8.45, gid=f"annotation-point-{i}")  # fmt: skip
            continue
        if LABEL_STYLES[lab.kind]["halo"]:
            _halo(ax, t, scale)
        if lab.kind in DOTTED:
            dots.append((xs[i], ys[i]))
    if dots:
        r_dot = scale.px(CITY_STYLE["radius"])
        dx, dy = zip(*dots, strict=True)
        ax.scatter(dx, dy, s=(2 * r_dot) ** 2, c=CITY_STYLE["fillColor"], linewidths=0,
                   zorder=4.5, gid="towns")  # fmt: skip


# --------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------


@dataclass
class _Layout:
    top: float  # height of the title block, inches
    bottom: float  # height of the credits block, inches
    title: list[str]
    subtitle: list[str]
    credits: list[str]
    columns: list[list[_Row]]
    legend_font: float
    sym_w: float  # points
    col_w: float  # points
    legend: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # inches: x, y, w, h
    map: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # inches: x, y, w, h


def _legend_columns(
    sections: list[dict[str, Any]], font: float, scale: _Scale, height: float
) -> tuple[list[list[_Row]], float, float]:
    """Legend rows at ``font`` split into columns of at most ``height`` points; returns
    the columns, the symbol column width and the column width (points)."""
    sym_w = scale.px(18) + font * 0.6
    rows = _legend_rows(sections, font, scale, 14 * font)
    widest = max(
        [
            _width_pt(ln, font, "bold" if r.kind == "header" else "normal")
            for r in rows
            for ln in r.lines
        ]
        or [0.0]
    )
    sizes = [
        _sizes_width(r.item["items"], font, scale) for r in rows if r.kind == "sizes" and r.item
    ]
    col_w = max([sym_w + widest / WRAP_SAFETY, *sizes]) + font * 1.2
    return _columns(rows, height), sym_w, col_w


def _layout(
    size: ImageSize, scale: _Scale, text: MapText, sections: list[dict[str, Any]]
) -> _Layout:
    """Title block, credits, and the legend beside the map (landscape) or under it."""
    W, H, f = size.width_in, size.height_in, scale.font
    inner = (W - 2 * scale.pad) * 72
    title = wrap(text.title, inner, f * 1.5, "bold")
    sub = [ln for s in text.subtitle for ln in wrap(s, inner, f)]
    c_font = max(5.5, f * 0.75)
    cred = wrap(text.credits, inner, c_font)
    top = scale.pad + (len(title) * f * 1.5 * 1.2 + len(sub) * f * 1.3 + f * 0.6) / 72
    bottom = scale.pad * 0.8 + len(cred) * c_font * 1.3 / 72 + f * 0.5 / 72
    band = (H - top - bottom) * 72
    gap = f * 0.8 / 72
    lay = _Layout(top, bottom, title, sub, cred, [], f, 0.0, 0.0)
    # beside the map: one column at a slightly smaller font reads better than two
    for font in (f * 0.9, f * 0.82, f * 0.75, f * 0.9):
        columns, sym_w, col_w = _legend_columns(sections, max(font, 6.0), scale, band)
        if len(columns) == 1:
            break
    width = len(columns) * col_w / 72
    landscape = W >= H  # a portrait page (A4, a phone) takes the legend under the map
    if landscape and width <= 0.42 * W and all(sum(r.height for r in c) <= band for c in columns):
        lay.columns, lay.legend_font, lay.sym_w, lay.col_w = columns, max(font, 6.0), sym_w, col_w
        lay.legend = (W - scale.pad - width, bottom, width, band / 72)
        lay.map = (scale.pad, bottom, W - 2 * scale.pad - width - gap, band / 72)
        return lay
    # under the map, in as many columns as the width holds, of balanced height
    font = max(f * 0.85, 6.0)
    _, sym_w, col_w = _legend_columns(sections, font, scale, 1e9)
    n = max(1, int(inner // col_w))
    total = sum(r.height for r in _legend_rows(sections, font, scale, 14 * font))
    limit = total / n
    columns = _legend_columns(sections, font, scale, limit)[0]
    while len(columns) > n:
        limit *= 1.1
        columns = _legend_columns(sections, font, scale, limit)[0]
    height = max(sum(r.height for r in c) for c in columns) / 72
    lay.columns, lay.legend_font, lay.sym_w, lay.col_w = columns, font, sym_w, col_w
    lay.legend = (scale.pad, bottom, W - 2 * scale.pad, height)
    lay.map = (scale.pad, bottom + height + gap, W - 2 * scale.pad, band / 72 - height - gap)
    return lay


def _draw_texts(fig: Figure, size: ImageSize, scale: _Scale, lay: _Layout) -> None:
    W, H, f = size.width_in, size.height_in, scale.font
    y = H - scale.pad
    family = _family("".join(lay.title))
    if isinstance(family, list):  # Arabic script: its tall letters would push a top-aligned
        # line down onto the subtitle; the baseline goes where the stills' font puts it
        fig.text(scale.pad / W, (y - f * 1.5 * _ASCENT / 72) / H, "\n".join(lay.title),
                 fontsize=f * 1.5, fontfamily=family, va="baseline", ha="left",
                 linespacing=1.2, parse_math=False, gid="title")  # fmt: skip
    else:
        fig.text(scale.pad / W, y / H, "\n".join(lay.title), fontsize=f * 1.5, weight="bold",
                 va="top", ha="left", linespacing=1.2, parse_math=False, gid="title")  # fmt: skip
    y -= len(lay.title) * f * 1.5 * 1.2 / 72 + f * 0.25 / 72
    c_font = max(5.5, f * 0.75)
    if isinstance(_family("".join(lay.subtitle + lay.credits)), list):  # an edition's words
        _fig_lines(fig, scale.pad, y - f * _ASCENT / 72, lay.subtitle, f, color="#333333",
                   gid="subtitle")  # fmt: skip
        last = scale.pad * 0.8 + c_font * (1 - _ASCENT) / 72  # the last line's baseline
        top = last + (len(lay.credits) - 1) * c_font * 1.3 / 72
        _fig_lines(fig, scale.pad, top, lay.credits, c_font, color="#555555", gid="credits")
        return
    fig.text(scale.pad / W, y / H, "\n".join(lay.subtitle), fontsize=f, va="top", ha="left",
             linespacing=1.3, color="#333333", parse_math=False, gid="subtitle")  # fmt: skip
    fig.text(scale.pad / W, scale.pad * 0.8 / H, "\n".join(lay.credits), fontsize=c_font,
             va="bottom", ha="left", linespacing=1.3, color="#555555", parse_math=False,
             gid="credits")  # fmt: skip


def _fig_lines(
    fig: Figure, x: float, first: float, lines: list[str], font: float, *, gid: str, **style: Any
) -> None:
    """An edition's block of lines, one text each on the baselines the stills' font would
    give them (``first``: the first line's, inches), so the edition's tall letters keep the
    block's measured height; each line set in the edition's direction (a wrapped line may
    begin with a Latin name). Gids ``gid``, ``gid-1``, ``gid-2``..."""
    W, H = fig.get_size_inches()
    lang = _LANG.get()
    for k, line in enumerate(lines):
        family = _family(line)
        text = directed(line, lang) if isinstance(family, list) else line
        fig.text(x / W, (first - k * font * 1.3 / 72) / H, text, fontsize=font, va="baseline",
                 ha="left", fontfamily=family, parse_math=False,
                 gid=gid if k == 0 else f"{gid}-{k}", **style)  # fmt: skip


def _notes(
    events: gpd.GeoDataFrame, inside: np.ndarray, dense_km: float | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """A legend section explaining aggregated squares, and a subtitle line naming the
    events that lie beyond the map's frame (a ceasefire signed in Doha)."""
    sections = []
    lang = _LANG.get()
    if dense_km is not None:
        label = tr("{count} events: each square is a cell of about {km} km, coloured by its most frequent event type, stronger where more events fall",
                   lang, count=number(int(inside.sum()), lang), km=figure(f"{dense_km:.0f}", lang))  # fmt: skip
        title = tr("Many events", lang)
        if lang != "en":
            title, label = directed(title, lang), directed(label, lang)
        sections.append({"title": title, "items": [{"kind": "note", "label": label}]})
    outside = events[~inside]
    if not len(outside):
        return sections, []
    places = outside["location"].where(outside["location"] != "", outside["province"])
    names = list(dict.fromkeys(display_text(p) for p in places if str(p).strip()))
    shown = listed(names[:3], lang)
    if len(names) > 3:
        shown = tr("{names} and {count} more", lang, names=shown,
                   count=figure(str(len(names) - 3), lang))  # fmt: skip
    line = tr("Not drawn: {events} beyond the map frame", lang,
              events=event_count(len(outside), lang))  # fmt: skip
    return sections, [tr("{line} ({places})", lang, line=line, places=shown) if shown else line]


def _inside(x: np.ndarray, y: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    return (x >= box[0]) & (x <= box[2]) & (y >= box[1]) & (y <= box[3])


def _map_axes(
    fig: Figure, size: ImageSize, lay: _Layout, frame: tuple[float, float, float, float]
) -> Axes:
    W, H = size.width_in, size.height_in
    left, bottom, width, height = lay.map
    if width <= 0.8 or height <= 0.8:
        msg = (
            f"the image ({W * MM_PER_IN:.0f} x {H * MM_PER_IN:.0f} mm) leaves no room for the map "
            "beside its title, legend and credits; give a larger size (--height-mm, --size)"
        )
        raise InputError(msg)
    ax = fig.add_axes((left / W, bottom / H, width / W, height / H), label="map")
    box = _fit_aspect(frame, width, height)
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(BACKGROUND)
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.5)
    return ax


def static_map(
    events: gpd.GeoDataFrame,
    *,
    layers: Layers | None = None,
    filters: Filters | None = None,
    options: MapOptions | None = None,
    size: ImageSize | None = None,
) -> Figure:
    """Draw the map as a matplotlib figure (no pyplot, no browser); see :func:`_static_map`.

    A language edition's still (``options.lang``) measures and draws its text in the
    edition's font first (:func:`geo.i18n.fonts.still_rc`), the stills' own for Latin text.
    """
    lang = options.lang if options is not None else "en"
    if lang == "en":
        return _static_map(events, layers=layers, filters=filters, options=options, size=size)
    token = _FAMILY.set(tuple(still_rc(lang, FONT)["font.family"]))  # type: ignore[arg-type]
    worded = _LANG.set(lang)
    try:
        with matplotlib.rc_context(_edition_rc(lang)):
            fig = _static_map(events, layers=layers, filters=filters, options=options, size=size)
    finally:
        _LANG.reset(worded)
        _FAMILY.reset(token)
    _FIGURE_RC[fig] = _edition_rc(lang)
    return fig


def _edition_rc(lang: str) -> Any:  # rcParams' keys, typed as RC is
    """An edition's settings for its stills but the font family: Latin text keeps the
    stills' own font and its line metrics; Arabic script takes the edition's (_family)."""
    return {k: v for k, v in still_rc(lang, FONT).items() if k != "font.family"}


def _static_map(
    events: gpd.GeoDataFrame,
    *,
    layers: Layers | None = None,
    filters: Filters | None = None,
    options: MapOptions | None = None,
    size: ImageSize | None = None,
) -> Figure:
    """Draw the map as a matplotlib figure (no pyplot, no browser).

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Canonical events, already filtered (as for :func:`geo.render.build_map`).
    layers : Layers, optional
        Context layers: the line, the belt, province outlines, crossings, land, towns.
    filters : Filters, optional
        The filters applied, stated in the subtitle.
    options : MapOptions, optional
        Title, an optional line under the subtitle, and credits added to those read from
        the layers (e.g. the events' licence).
    size : ImageSize, optional
        Physical size and resolution; default 1600 x 1000 pixels at 150 dpi.
    """
    layers = layers if layers is not None else Layers()
    filters = filters if filters is not None else Filters()
    options = options if options is not None else MapOptions()
    title, description, credits = options.title, options.description, options.credits
    title = map_title(title, options.lang)  # the default title in the edition's language
    resolve(options.annotations, events)  # an unknown event id stops here, before drawing
    belt, crossings = layers.belt, layers.crossings
    size = size or image_size()
    scale = _Scale.of(size)
    drawn = named_layers(layers)
    lang = options.lang
    lines = [subtitle(events, filters, lang)]
    highlight = options.highlight
    section = None
    if highlight is not None:  # evaluated once (geo.highlight), on a copy of the events
        lit = highlight.mask(events)
        events = events.assign(**{_HIGHLIGHTED: lit})
        section = highlight_section(highlight.describe(), lit)
        hit, shown = int(lit.sum()), len(lit)
        lines.append(
            f"In colour: {highlight.describe()} ({highlight_count(hit, shown)}) · grey: other events"
            if lang == "en"
            else tr("In colour: {highlight} ({hit} highlighted of {shown} shown) · grey: other events",
                    lang, highlight=highlight.describe(), hit=number(hit, lang),
                    shown=number(shown, lang))
        )  # fmt: skip
    lines += [display_text(description)] if description else []
    view = worldview_of(options.worldview)
    methods = map_methods(events, filters, options)
    ex, ey = project_points(events)
    frame = _frame(events, drawn, options.extent, filters.provinces)
    kashmir = shows_kashmir(layers.disputed, _lonlat_box(frame))
    china = shows_china(layers.disputed, _lonlat_box(frame))
    lac = shows_china(layers.disputed, _lonlat_box(frame), ("line_of_actual_control",))

    def worded(kashmir: bool) -> tuple[MapText, list[dict[str, Any]]]:
        """The texts and the legend, with the worldview's caption when Kashmir is shown."""
        named = {**drawn, N_("Kashmir lines"): layers.disputed} if kashmir else drawn
        items, caption = legend_parts(view, layers.disputed, with_kashmir=kashmir,
                                      with_china=china, with_lac=lac, lang=options.lang)  # fmt: skip
        extra = (*credits, *names_credits(options.lang))  # an edition's place names: credited
        credit = credits_text(events, named, extra, methods=methods)
        credit += f" {caption}" if caption else ""
        # the caption goes with the credits under the map (the legend's room is the map's)
        legend = legend_sections(events, has_belt=belt is not None,
                                 has_crossings=crossings is not None, highlight=section,
                                 lines=items)  # fmt: skip
        if options.lang != "en":  # the edition's legend, set to run in its direction
            legend = still_legend(legend, options.lang)
        return MapText(directed(display_text(title), options.lang), lines, credit), legend

    text, base = worded(kashmir)
    inside = _inside(ex, ey, frame)
    notes = _notes(events, inside, 1.0 if int(inside.sum()) > DENSE_LIMIT else None)
    # the circles' factor for the map's size (style.symbol_factor), taken by the map, the
    # detail panel and the legend's size key alike: from the map's room beside the legend
    # drawn at the factor 1 (the legend then takes it, the map's room barely moves)
    first = _layout(size, scale, MapText(text.title, [*text.subtitle, *notes[1]], text.credits),
                    base + notes[0])  # fmt: skip
    # the frame grows to the map's aspect: Kashmir may come into it (or the caption's room
    # may keep it out); the texts follow what the map will show
    fitted_box = _lonlat_box(_fit_aspect(frame, first.map[2], first.map[3]))
    fitted = shows_kashmir(layers.disputed, fitted_box)
    fitted_china = shows_china(layers.disputed, fitted_box)
    fitted_lac = shows_china(layers.disputed, fitted_box, ("line_of_actual_control",))
    if (fitted, fitted_china, fitted_lac) != (kashmir, china, lac):
        kashmir, china, lac = fitted, fitted_china, fitted_lac
        text, base = worded(kashmir)
    scale = scale.sized(first.map[2], first.map[3])
    with matplotlib.rc_context(RC if options.lang == "en" else {**RC, **_edition_rc(options.lang)}):
        for _ in range(3):  # the frame grows to the axes' aspect; notes follow what is inside
            fig = Figure(figsize=(size.width_in, size.height_in), dpi=size.dpi)
            sized = MapText(text.title, [*text.subtitle, *notes[1]], text.credits)
            lay = _layout(size, scale, sized, base + notes[0])
            ax = _map_axes(fig, size, lay, frame)
            box = (*ax.get_xlim(), *ax.get_ylim())
            inside = _inside(ex, ey, (box[0], box[2], box[1], box[3]))
            symbols, dense_km = _draw_events(
                ax, events[inside], scale, int(inside.sum()) > DENSE_LIMIT
            )
            final = _notes(events, inside, dense_km)
            if final == notes:
                break
            notes = final
        _draw_context(ax, drawn, scale)
        if kashmir and layers.disputed is not None:
            _draw_disputed(ax, layers.disputed, view, scale, with_china=china, with_lac=lac)
        panel = None
        if options.detail and dense_km is None:
            panel = _draw_detail(
                fig, ax, events[inside], symbols, drawn, layers, scale, lang=options.lang
            )
        blocked = [_draw_scalebar(ax, scale, scale.font * 0.85, symbols[:, :2], panel)]
        blocked += [panel] if panel is not None else []
        framed = frame_box(events, extent=options.extent, border=layers.border,
                           provinces=layers.provinces, chosen_provinces=filters.provinces)  # fmt: skip
        if wants_inset(framed, options.inset):  # the rule of the page too
            locator = _draw_locator(fig, ax, for_inset(view, layers), lay, scale, symbols, blocked)
            blocked += [locator] if locator is not None else []
        blocked += _draw_crossings(ax, crossings, scale)
        _draw_labels(ax, layers, events[inside], scale, blocked, symbols,
                     _still_notes(options, events[inside], filters),
                     view if kashmir else None, lang=options.lang)  # fmt: skip
        _draw_texts(fig, size, scale, lay)
        _draw_legend(fig, lay.columns, lay.legend, lay.legend_font, lay.sym_w, lay.col_w, scale)
    return fig


def _still_notes(options: MapOptions, drawn: gpd.GeoDataFrame, filters: Filters) -> list[Callout]:
    """The callouts a still shows: those of the events it draws, and the notes whose
    window overlaps its dates (every note without a window)."""
    if not options.annotations:
        return []
    shown = set(drawn["event_id"].astype(str)) if "event_id" in drawn else set()
    keep = [a for a in options.annotations if a.event is None or a.event in shown]
    return [c for c in resolve(tuple(keep), drawn) if in_window(c, filters.start, filters.end)]


def _draw_events(
    ax: Axes, events: gpd.GeoDataFrame, scale: _Scale, dense: bool
) -> tuple[np.ndarray, float | None]:
    """Draw the events; returns their symbols as (x, y, radius) in axes points."""
    if not len(events):
        return np.empty((0, 3)), None
    dpi = ax.figure.dpi
    origin = ax.get_window_extent().p0
    coll: PathCollection | None
    km: float | None = None
    if dense:
        coll, km = _dense_cells(events, ax, scale)
        offsets = np.asarray(coll.get_offsets())
        r = np.full(len(offsets), scale.px(SIZE_SCALE["minRadius"]))
    else:
        coll = _event_symbols(events, ax, scale)
        if coll is None:
            return np.empty((0, 3)), None
        # two entries a circle (halo and fill, outline): the first of each pair
        offsets = np.asarray(coll.get_offsets())[::2]
        r = np.sqrt(coll.get_sizes())[::2] / 2
    pts = (ax.transData.transform(offsets) - origin) * 72.0 / dpi
    r = np.broadcast_to(r, (len(pts),))
    return np.column_stack([pts, r]), km


# --------------------------------------------------------------------------------------
# The detail panel: the densest area magnified, when it cannot be read at the map's scale
# --------------------------------------------------------------------------------------

#: The densest area of a still is the square window, ``window`` of the map's shorter side,
#: where event circles cover most of the map, each circle grown by half of ``gap`` (page
#: pixels, as the symbols' strokes are): the room a reader needs between two circles to
#: tell them apart and to name a place between them. When the circles so grown cover more
#: than ``crowded`` of that window, it cannot be read at the map's scale and the still
#: gets a detail panel: the area magnified in a corner of the map that holds no event,
#: ``side`` of the map's shorter side at most (``min_side`` at least), when it magnifies at
#: least ``min_zoom`` times. The panel draws the same symbols, at the same size.
DETAIL_RULE = {
    "window": 0.15,
    "gap": 8.0,
    "crowded": 0.35,
    "side": 0.46,
    "min_side": 0.3,
    "min_zoom": 1.6,
}


@dataclass(frozen=True)
class Detail:
    """The densest area of a still, in the map axes' points from their lower left."""

    box: tuple[float, float, float, float]  # x0, y0, x1, y1: the area the panel shows
    crowding: float  # the share of the densest window the grown circles cover
    window: tuple[float, float, float, float]


def _coverage(symbols: np.ndarray, w_pt: float, h_pt: float) -> np.ndarray:
    """How many circles (x, y, r in points; those with centres in one half point once)
    cover each 1 pt cell of a ``w_pt`` by ``h_pt`` map."""
    w, h = int(np.ceil(w_pt)), int(np.ceil(h_pt))
    count = np.zeros((h, w), dtype=np.int32)
    sym = symbols.reshape(-1, 3)
    if not len(sym):
        return count
    spots = pd.DataFrame({"x": np.round(sym[:, 0] * 2), "y": np.round(sym[:, 1] * 2),
                          "r": sym[:, 2]}).groupby(["x", "y"], sort=True)["r"].max()  # fmt: skip
    # one stencil per radius (the size table has few), added at every spot of that radius
    table = spots.reset_index()
    for r, group in table.groupby("r", sort=True):
        reach = int(np.ceil(r)) + 1
        grid_x, grid_y = np.meshgrid(np.arange(-reach, reach + 1), np.arange(-reach, reach + 1))
        dx, dy = grid_x.ravel(), grid_y.ravel()
        step = max(1, 1_000_000 // len(dx))  # spots at a time: a few MB of scratch
        for start in range(0, len(group), step):
            part = group.iloc[start : start + step]
            cx, cy = part["x"].to_numpy()[:, None] / 2, part["y"].to_numpy()[:, None] / 2
            gx = np.floor(cx).astype(np.int64) + dx[None, :]
            gy = np.floor(cy).astype(np.int64) + dy[None, :]
            hit = (gx + 0.5 - cx) ** 2 + (gy + 0.5 - cy) ** 2 <= float(r) ** 2
            hit &= (gx >= 0) & (gx < w) & (gy >= 0) & (gy < h)
            np.add.at(count, (gy[hit], gx[hit]), 1)
    return count


def _window(symbols: np.ndarray, window: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = window
    return _coverage(symbols.reshape(-1, 3) - np.array([x0, y0, 0.0]), x1 - x0, y1 - y0)


def crowding(
    symbols: np.ndarray, window: tuple[float, float, float, float], gap_pt: float
) -> float:
    """The share of ``window`` (points) that the circles cover, each grown by half of
    ``gap_pt``: the measure of :data:`DETAIL_RULE`."""
    grown = symbols.reshape(-1, 3) + np.array([0.0, 0.0, gap_pt / 2])
    return float((_window(grown, window) > 0).mean())


def overlap_share(symbols: np.ndarray, window: tuple[float, float, float, float]) -> float:
    """The share of the symbol area in ``window`` (points) where circles of different
    places overlap: 0 where every circle stands apart, near 1 for one mass."""
    count = _window(symbols, window)
    area = int((count > 0).sum())
    return float((count >= 2).sum() / area) if area else 0.0


def densest_area(symbols: np.ndarray, w_pt: float, h_pt: float, gap_pt: float) -> Detail | None:
    """The window of the map the grown circles cover most (:data:`DETAIL_RULE`), with the
    share they cover, and the box a panel shows: the window grown to the whole circles of
    the events in it, made square. None without events."""
    symbols = symbols.reshape(-1, 3)
    if not len(symbols):
        return None
    covered = _coverage(symbols + np.array([0.0, 0.0, gap_pt / 2]), w_pt, h_pt) > 0
    side = max(1, round(DETAIL_RULE["window"] * min(w_pt, h_pt)))
    table = np.pad(covered.astype(np.int64).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    sums = table[side:, side:] - table[:-side, side:] - table[side:, :-side] + table[:-side, :-side]
    iy, ix = np.unravel_index(int(np.argmax(sums)), sums.shape)  # the first of equals: stable
    x, y = float(ix), float(iy)
    window = (x, y, x + side, y + side)
    cx, cy, r = symbols[:, 0], symbols[:, 1], symbols[:, 2]
    inside = (cx >= x) & (cx <= x + side) & (cy >= y) & (cy <= y + side)
    if not inside.any():
        return None
    bx0, by0 = min(x, float((cx - r)[inside].min())), min(y, float((cy - r)[inside].min()))
    bx1 = max(x + side, float((cx + r)[inside].max()))
    by1 = max(y + side, float((cy + r)[inside].max()))
    half = max(bx1 - bx0, by1 - by0) / 2 + gap_pt
    mx, my = (bx0 + bx1) / 2, (by0 + by1) / 2
    box = (mx - half, my - half, mx + half, my + half)
    return Detail(box, float(sums[iy, ix] / side**2), window)


def detail_label(events: gpd.GeoDataFrame) -> str:
    """``Detail: Khost – North Waziristan – Kurram``: the areas of the events in the panel,
    most events first (three at most), as plain text. An area is the event's province, or
    in Pakistan its district (``admin2``) where known: a Pakistani province (Khyber
    Pakhtunkhwa) spans the whole border belt, an Afghan province a stretch of it."""
    province = events["province"].map(display_text).str.strip()
    district = events["admin2"].map(display_text).str.strip() if "admin2" in events else province
    pakistan = (events["country"] == "PAK").to_numpy() if "country" in events else False
    names = province.where(~(pakistan & (district != "").to_numpy()), district)
    counts = names[names != ""].value_counts(sort=False)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    shown = [str(k) for k, _ in ranked[:3]]
    lang = _LANG.get()
    if not shown:
        return tr("Detail", lang)
    areas = " – ".join(shown)
    if len(ranked) > 3:
        areas = tr("{names} and {count} more", lang, names=areas,
                   count=figure(str(len(ranked) - 3), lang))  # fmt: skip
    return tr("Detail: {areas}", lang, areas=areas)


def _pt_to_data(
    ax: Axes, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """A box in the axes' points from their lower left, in data units."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    ext = ax.get_window_extent()
    k = 72.0 / ax.figure.dpi
    sx, sy = (x1 - x0) / (ext.width * k), (y1 - y0) / (ext.height * k)
    return x0 + box[0] * sx, y0 + box[1] * sy, x0 + box[2] * sx, y0 + box[3] * sy


def _free_corner(
    boxes: np.ndarray, w_pt: float, h_pt: float, margin: float,
    shapes: Sequence[tuple[float, float]], rank: Any,
) -> tuple[float, float, float, float] | None:  # fmt: skip
    """The largest of ``shapes`` (width, height in points, largest first) that fits at a
    corner of a ``w_pt`` by ``h_pt`` map, ``margin`` in from its edges, touching none of
    ``boxes`` (x0, y0, x1, y1 in points); among the free corners, the least by
    ``rank(corner box)``. None when no shape fits anywhere. The rule the detail panel and
    the locator inset are placed by."""
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    for bw, bh in shapes:
        free = []
        for left, bottom in (
            (margin, h_pt - margin - bh), (w_pt - margin - bw, h_pt - margin - bh),
            (w_pt - margin - bw, margin), (margin, margin),
        ):  # fmt: skip
            corner = (float(left), float(bottom), float(left + bw), float(bottom + bh))
            if left < 0 or bottom < 0 or _overlaps(corner, boxes).any():
                continue
            free.append((rank(corner), corner))
        if free:
            return min(free)[1]
    return None


def _symbol_boxes(symbols: np.ndarray) -> np.ndarray:
    sym = symbols.reshape(-1, 3)
    return np.column_stack([sym[:, :2] - sym[:, 2:], sym[:, :2] + sym[:, 2:]])


def _detail_spot(
    symbols: np.ndarray, area: tuple[float, float, float, float], w_pt: float, h_pt: float,
    margin: float, keep_clear: np.ndarray | None = None,
) -> tuple[float, float, float, float] | None:  # fmt: skip
    """Where the panel goes: the largest square, at a corner of the map, that touches no
    event's circle, not the area it shows and none of ``keep_clear`` (boxes in points: the
    disputed lines' vertices); among corners, the nearest to the area."""
    keep_clear = keep_clear if keep_clear is not None else np.empty((0, 4))
    short = min(w_pt, h_pt)
    centre = np.array([(area[0] + area[2]) / 2, (area[1] + area[3]) / 2])
    steps = np.arange(DETAIL_RULE["side"], DETAIL_RULE["min_side"] - 1e-9, -0.04)

    def distance(c: tuple[float, float, float, float]) -> float:
        return float(np.hypot((c[0] + c[2]) / 2 - centre[0], (c[1] + c[3]) / 2 - centre[1]))

    boxes = np.vstack([_symbol_boxes(symbols), np.array([area], dtype=float), *keep_clear])
    return _free_corner(boxes, w_pt, h_pt, margin, [(f * short, f * short) for f in steps],
                        distance)  # fmt: skip


def _line_points(ax: Axes, gids: set[str]) -> np.ndarray:
    """The vertices of the line collections ``gids`` inside the map, as boxes of no size
    in the axes' points (the disputed lines a panel must not hide)."""
    found = [
        seg
        for c in ax.collections
        if isinstance(c, LineCollection) and c.get_gid() in gids
        for seg in c.get_segments()
    ]
    if not found:
        return np.empty((0, 4))
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    ext = ax.get_window_extent()
    k = 72.0 / ax.figure.dpi
    w, h = ext.width * k, ext.height * k
    xy = np.concatenate(found)
    px, py = (xy[:, 0] - x0) * w / (x1 - x0), (xy[:, 1] - y0) * h / (y1 - y0)
    inside = (px > 0) & (px < w) & (py > 0) & (py < h)
    return np.column_stack([px, py, px, py])[inside]


_TO_LONLAT = Transformer.from_crs(REGION_CRS, "EPSG:4326", always_xy=True)


def _clipped(
    layers: dict[str, gpd.GeoDataFrame | None], box: tuple[float, float, float, float]
) -> dict[str, gpd.GeoDataFrame | None]:
    """The context layers cut to a projected box and a margin around it (in degrees), so
    the panel projects what it shows rather than whole countries."""
    x0, y0, x1, y1 = box
    t = np.linspace(0.0, 1.0, 9)
    xs = np.concatenate(
        [x0 + (x1 - x0) * t, np.full_like(t, x1), x0 + (x1 - x0) * t, np.full_like(t, x0)]
    )
    ys = np.concatenate(
        [np.full_like(t, y0), y0 + (y1 - y0) * t, np.full_like(t, y1), y0 + (y1 - y0) * t]
    )
    lon, lat = _TO_LONLAT.transform(xs, ys)
    rect = (
        float(np.min(lon)) - 1,
        float(np.min(lat)) - 1,
        float(np.max(lon)) + 1,
        float(np.max(lat)) + 1,
    )
    out: dict[str, gpd.GeoDataFrame | None] = {}
    for name, layer in layers.items():
        if layer is None or layer.crs is None or not layer.crs.equals("EPSG:4326"):
            out[name] = layer
            continue
        cut = layer.set_geometry(layer.geometry.clip_by_rect(*rect))
        out[name] = cut[~cut.geometry.is_empty]
    return out


def _detail_scalebar(
    ax: Axes, scale: _Scale, symbols: np.ndarray
) -> tuple[float, float, float, float]:
    """The panel's own scale: a bar and its length on one line, in the corner of the panel
    that covers fewest circles (the first of equals: lower left, lower right, upper left,
    upper right); returns its box in points from the panel's lower left."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    k = 72.0 / ax.figure.dpi
    w_pt, h_pt = ax.get_window_extent().width * k, ax.get_window_extent().height * k
    m_per_pt = (x1 - x0) / w_pt
    font = scale.font * 0.75
    km = _nice_km((x1 - x0) / 1000.0 * 0.3)
    bar = km * 1000.0 / m_per_pt
    lang = _LANG.get()
    text = f"{km:g} km" if lang == "en" else directed(_km(km, lang), lang)
    pad = font * 0.4
    bw, bh = pad * 3 + bar + _width_pt(text, font), font * 1.2 + pad * 2
    sym = symbols.reshape(-1, 3)
    boxes = np.column_stack([sym[:, :2] - sym[:, 2:], sym[:, :2] + sym[:, 2:]])
    corners = [(pad, pad), (w_pt - pad - bw, pad), (pad, h_pt - pad - bh),
               (w_pt - pad - bw, h_pt - pad - bh)]  # fmt: skip
    left, bottom = min(
        corners,
        key=lambda c: int(_overlaps((c[0], c[1], c[0] + bw, c[1] + bh), boxes).sum()),
    )
    to_x = lambda pt: x0 + pt * m_per_pt  # noqa: E731
    to_y = lambda pt: y0 + pt * (y1 - y0) / h_pt  # noqa: E731
    ax.add_patch(Rectangle((to_x(left), to_y(bottom)), bw * m_per_pt, bh * (y1 - y0) / h_pt,
                           facecolor=to_rgba("#ffffff", 0.85), edgecolor="#999999",
                           lw=scale.px(0.5), zorder=8, gid="detail-scalebar"))  # fmt: skip
    mid = bottom + bh / 2
    ax.add_patch(Rectangle((to_x(left + pad), to_y(mid - font * 0.18)), bar * m_per_pt,
                           font * 0.36 * (y1 - y0) / h_pt, facecolor="#222222",
                           edgecolor="#222222", lw=scale.px(0.5), zorder=9))  # fmt: skip
    ax.text(to_x(left + pad * 2 + bar), to_y(mid), text, fontsize=font, ha="left", va="center",
            zorder=9, parse_math=False, gid="scalebar-label", **_font_kw(text))  # fmt: skip
    return left, bottom, left + bw, bottom + bh


#: The line spacing of the right-to-left editions' labels (Naskh, Nastaliq) in the stills.
_EDITION_LEAD = {"ps": 1.6, "fa-AF": 1.6, "ur": 2.0}


def _draw_detail(
    fig: Figure, ax: Axes, events: gpd.GeoDataFrame, symbols: np.ndarray,
    drawn: dict[str, gpd.GeoDataFrame | None], layers: Layers, scale: _Scale,
    lang: str = "en",
) -> tuple[float, float, float, float] | None:  # fmt: skip
    """The detail panel, when the densest area cannot be read at the map's scale
    (:data:`DETAIL_RULE`): an inset of the area at a larger scale with the same symbols,
    a box marking the area on the map and a label naming it. Returns the panel's box in
    the map axes' points (for the scale bar and the town labels to keep clear of)."""
    ext = ax.get_window_extent()
    k = 72.0 / fig.dpi
    w_pt, h_pt = ext.width * k, ext.height * k
    found = densest_area(symbols, w_pt, h_pt, scale.px(DETAIL_RULE["gap"]))
    if found is None or found.crowding <= DETAIL_RULE["crowded"]:
        return None
    margin = scale.font * 0.8
    # a worldview's lines stay in sight: the caption and the legend speak of them
    disputed = _line_points(ax, {GIDS["loc"], GIDS["claim"]})
    spot = _detail_spot(symbols, found.box, w_pt, h_pt, margin, disputed)
    if spot is None:
        return None
    x0, y0, x1, y1 = _pt_to_data(ax, found.box)
    ex, ey = project_points(events)
    shown = events[_inside(ex, ey, (x0, y0, x1, y1))]
    # the label strip on top of the panel (two lines at most), the area under it
    font = scale.font * 0.8
    lines = wrap(detail_label(shown), spot[2] - spot[0] - font, font, "bold")
    if len(lines) > 2:
        lines = [lines[0], wrap(" ".join(lines[1:]), spot[2] - spot[0] - 2.5 * font, font,
                                "bold")[0] + " …"]  # fmt: skip
    # an edition's script climbs and descends further than Latin (Nastaliq most): its lines
    # are spaced for it, and a right-to-left label starts at the strip's right
    lead = _EDITION_LEAD.get(lang, 1.25)
    label_h = font * (lead * len(lines) + 0.6)
    zoom = (spot[3] - spot[1] - label_h) / (found.box[3] - found.box[1])
    if zoom < DETAIL_RULE["min_zoom"]:
        return None
    W, H = fig.get_size_inches() * 72.0
    p0 = ext.p0 * k
    rect = (
        (p0[0] + spot[0]) / W, (p0[1] + spot[1]) / H,
        (spot[2] - spot[0]) / W, (spot[3] - spot[1] - label_h) / H,
    )  # fmt: skip
    inset = fig.add_axes(rect, label="detail")
    inset.set_gid("detail")
    inset.set_xlim(x0, x1)
    inset.set_ylim(y0, y1)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor(BACKGROUND)
    for spine in inset.spines.values():
        spine.set_edgecolor("#222222")
        spine.set_linewidth(scale.px(1.2))
    inset.set_zorder(ax.get_zorder() + 1)
    _draw_context(inset, _clipped(drawn, (x0, y0, x1, y1)), scale)
    _draw_crossings(inset, layers.crossings, scale)
    inside_syms, _ = _draw_events(inset, shown, scale, False)
    bar = _detail_scalebar(inset, scale, inside_syms)
    cities = layers.cities
    if cities is not None and len(cities):
        # every town of the panel is named (the panel is there to tell its places apart),
        # where its name covers fewest circles, as the map names its major towns
        cx, cy = project_points(cities)
        near = cities[_inside(cx, cy, (x0, y0, x1, y1))]
        near = near.assign(rank=1)
        # the map's one placement rule, with every town of the panel a major one
        panel_layers = dataclasses.replace(layers, cities=near, neighbours=None)
        _draw_labels(inset, panel_layers, shown, scale, [bar], inside_syms, lang=lang)
    # the label strip above the panel, and the box on the map
    lx0, ly0, lx1, ly1 = _pt_to_data(ax, (spot[0], spot[3] - label_h, spot[2], spot[3]))
    ax.add_patch(Rectangle((lx0, ly0), lx1 - lx0, ly1 - ly0, facecolor="#ffffff",
                           edgecolor="#222222", lw=scale.px(1.2), zorder=9.5,
                           gid="detail-strip"))  # fmt: skip
    label = "\n".join(lines)
    style = {"weight": "bold", **_font_kw(label)}  # an edition's: its font, one weight
    if "fontfamily" in style:
        label = "\n".join(directed(line, _LANG.get()) for line in lines)
    pad = (lx1 - lx0) * font * 0.5 / (spot[2] - spot[0])
    rtl = edition(lang).direction == "rtl"
    ax.text(lx1 - pad if rtl else lx0 + pad, (ly0 + ly1) / 2, label, fontsize=font,
            ha="right" if rtl else "left", va="center", linespacing=1.25, zorder=9.6,
            parse_math=False, gid="detail-label", **style)  # fmt: skip
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="none", edgecolor="#222222",
                           lw=scale.px(1.2), zorder=6, gid="detail-box"))  # fmt: skip
    return spot


# --------------------------------------------------------------------------------------
# The locator inset: where the map lies in the region
# --------------------------------------------------------------------------------------

#: The locator inset of a still (:mod:`geo.render.locator`): its longer side is ``side`` of
#: the map's shorter side at most, ``min_side`` at least, in a corner of the map that holds
#: no event's circle, not the detail panel and not the scale bar (:func:`_free_corner`, the
#: detail panel's rule); corners are tried in the order top left, top right, bottom left,
#: bottom right. Its longer side is never under ``min_fonts`` times the body font: a smaller
#: stamp tells nothing (a wide, low still whose map is most of the region anyway). Where no
#: corner is free, a landscape still puts it under the legend when the legend's column
#: leaves room; otherwise the still has none.
LOCATOR_RULE = {"side": 0.25, "min_side": 0.15, "min_fonts": 6.0}
_CORNER_ORDER = ("top-left", "top-right", "bottom-left", "bottom-right")


def _map_lonlat_box(ax: Axes) -> Box:
    """The longitude/latitude box around what the map axes show."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    t = np.linspace(0.0, 1.0, 17)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full_like(t, x1), x0 + (x1 - x0) * t,
                         np.full_like(t, x0)])  # fmt: skip
    ys = np.concatenate([np.full_like(t, y0), y0 + (y1 - y0) * t, np.full_like(t, y1),
                         y0 + (y1 - y0) * t])  # fmt: skip
    lon, lat = _TO_LONLAT.transform(xs, ys)
    return float(np.min(lon)), float(np.min(lat)), float(np.max(lon)), float(np.max(lat))


def _locator_spot(
    ax: Axes, lay: _Layout, scale: _Scale, aspect: float, symbols: np.ndarray,
    blocked: list[tuple[float, float, float, float]],
) -> tuple[str, tuple[float, float, float, float]] | None:  # fmt: skip
    """Where the inset goes (:data:`LOCATOR_RULE`): ``("map", box in the map axes' points)``
    or ``("legend", box in figure inches)``; None where there is no room."""
    k = 72.0 / ax.figure.dpi
    ext = ax.get_window_extent()
    w_pt, h_pt = ext.width * k, ext.height * k
    short = min(w_pt, h_pt)
    least = LOCATOR_RULE["min_fonts"] * scale.font
    steps = [
        f
        for f in np.arange(LOCATOR_RULE["side"], LOCATOR_RULE["min_side"] - 1e-9, -0.02)
        if f * short >= least
    ]

    def shape(side: float) -> tuple[float, float]:
        return (side, side / aspect) if aspect >= 1 else (side * aspect, side)

    def order(c: tuple[float, float, float, float]) -> int:
        top, left = c[3] > h_pt / 2, c[0] < w_pt / 2
        return _CORNER_ORDER.index(f"{'top' if top else 'bottom'}-{'left' if left else 'right'}")

    boxes = np.vstack([_symbol_boxes(symbols), np.array(blocked, dtype=float).reshape(-1, 4)])
    spot = _free_corner(boxes, w_pt, h_pt, scale.font * 0.8, [shape(f * short) for f in steps],
                        order)  # fmt: skip
    if spot is not None:
        return "map", spot
    # no free corner: under the legend, on a landscape still whose legend column has room
    lx, ly, lw, lh = lay.legend
    if not lay.columns or lx <= lay.map[0]:
        return None
    used = max(sum(r.height for r in c) for c in lay.columns) / 72.0
    bw, bh = shape(max(LOCATOR_RULE["min_side"] * short, least) / 72.0)
    room = lh - used - scale.font * 1.2 / 72.0
    if bh > room or bw > lw:
        return None
    grow = min(room / bh, lw / bw, LOCATOR_RULE["side"] / LOCATOR_RULE["min_side"])
    bw, bh = bw * grow, bh * grow
    return "legend", (lx, ly, lx + bw, ly + bh)


def _draw_locator(
    fig: Figure, ax: Axes, layers: Layers, lay: _Layout, scale: _Scale, symbols: np.ndarray,
    blocked: list[tuple[float, float, float, float]],
) -> tuple[float, float, float, float] | None:  # fmt: skip
    """The locator inset (:mod:`geo.render.locator`): the region, the two countries and
    their neighbours, and the map's frame as a red rectangle (the map axes' extent, in the
    same projection). Returns its box in the map axes' points when it lies on the map (for
    the town labels to keep clear of), else None."""
    from geo.render.locator import inset_box, outlines

    frame_ll = _map_lonlat_box(ax)
    shapes = outlines(layers, frame_ll)  # the worldview's (geo.worldview.for_inset)
    if not shapes:
        return None
    (mx0, mx1), (my0, my1) = ax.get_xlim(), ax.get_ylim()
    bx0, by0, bx1, by1 = _projected_box(inset_box(frame_ll))
    bx0, by0 = min(bx0, mx0), min(by0, my0)
    bx1, by1 = max(bx1, mx1), max(by1, my1)
    found = _locator_spot(ax, lay, scale, (bx1 - bx0) / (by1 - by0), symbols, blocked)
    if found is None:
        return None
    where, spot = found
    W, H = fig.get_size_inches()
    if where == "map":
        k = 72.0 / fig.dpi
        p0 = ax.get_window_extent().p0 * k
        rect = ((p0[0] + spot[0]) / (W * 72), (p0[1] + spot[1]) / (H * 72),
                (spot[2] - spot[0]) / (W * 72), (spot[3] - spot[1]) / (H * 72))  # fmt: skip
    else:
        rect = (spot[0] / W, spot[1] / H, (spot[2] - spot[0]) / W, (spot[3] - spot[1]) / H)
    inset = fig.add_axes(rect, label="locator")
    inset.set_gid("locator")
    inset.set_xlim(bx0, bx1)
    inset.set_ylim(by0, by1)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor(LOCATOR_STYLE["sea"])
    for spine in inset.spines.values():
        spine.set_edgecolor(LOCATOR_STYLE["border"])
        spine.set_linewidth(scale.px(1.0))
    inset.set_zorder(ax.get_zorder() + 1)
    for kind, fill, edge in (
        ("neighbours", "neighbour", "neighbourEdge"),
        ("land", "land", "landEdge"),
    ):
        if kind in shapes:
            _draw_polygons(inset, shapes[kind].to_crs(REGION_CRS).geometry.values,
                           facecolor=LOCATOR_STYLE[fill], edgecolor=LOCATOR_STYLE[edge],
                           lw=scale.px(LOCATOR_STYLE["edgeWeight"]), zorder=1)  # fmt: skip
    inset.add_patch(Rectangle((mx0, my0), mx1 - mx0, my1 - my0, facecolor="none",
                              edgecolor=LOCATOR_STYLE["frame"],
                              lw=scale.px(LOCATOR_STYLE["frameWeight"]), zorder=3,
                              gid="locator-frame"))  # fmt: skip
    return spot if where == "map" else None


def _draw_crossings(
    ax: Axes, crossings: gpd.GeoDataFrame | None, scale: _Scale
) -> list[tuple[float, float, float, float]]:
    if crossings is None or not len(crossings):
        return []
    x, y = project_points(crossings)
    r = scale.px(CROSSING_STYLE["radius"])
    # a diamond ("D": its diagonal is 2r at half the area of a 2r square), under the events
    ax.scatter(x, y, s=(2 * r) ** 2 / 2, marker="D", facecolors=CROSSING_STYLE["fillColor"],
               edgecolors=CROSSING_STYLE["color"], linewidths=scale.px(CROSSING_STYLE["weight"]),
               zorder=4.8, gid="crossings")  # fmt: skip
    pts = (
        (ax.transData.transform(np.column_stack([x, y])) - ax.get_window_extent().p0)
        * 72.0
        / ax.figure.dpi
    )
    return [(px - r, py - r, px + r, py + r) for px, py in pts]


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def figure_rc(fig: Figure) -> Any:  # rcParams' keys, typed as RC is
    """The settings a still is drawn and saved with: the stills' own, and an edition's
    (its font's) for a still :func:`static_map` drew in one."""
    edition = _FIGURE_RC.get(fig)
    return RC if edition is None else {**RC, **edition}


def image_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as PNG, SVG or PDF bytes; the same figure always gives the same bytes."""
    if fmt not in IMAGE_FORMATS:
        msg = f"unknown image format {fmt!r}; accepted: {', '.join(IMAGE_FORMATS)}"
        raise InputError(msg)
    buf = io.BytesIO()
    with matplotlib.rc_context(figure_rc(fig)):  # an edition's: its font as glyph outlines
        fig.savefig(buf, format=fmt, dpi=fig.dpi, metadata=METADATA[fmt], facecolor="white")
    return buf.getvalue()


def save_static(fig: Figure, path: str | Path, *, fmt: str | None = None) -> Path:
    """Write the figure atomically in the format its suffix names; returns the path."""
    fmt = fmt or output_format(path)
    return write_bytes_atomic(image_bytes(fig, fmt), path)


def fallback_png(fig: Figure, *, max_width_px: int = 1200) -> bytes:
    """PNG bytes for an embed snippet's fallback image (no JavaScript, no iframe).

    The figure is rendered at a resolution that keeps it at most ``max_width_px`` wide.
    """
    width_in = fig.get_size_inches()[0]
    dpi = fig.dpi
    if width_in * dpi > max_width_px:
        fig.set_dpi(max_width_px / width_in)
    try:
        return image_bytes(fig, "png")
    finally:
        fig.set_dpi(dpi)


def thumbnail(
    events: gpd.GeoDataFrame,
    *,
    border: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    width_px: int = 240,
    height_px: int = 150,
) -> Figure:
    """A small map without text (land, line, events) for an index page."""
    size = ImageSize(width_px / 96.0, height_px / 96.0, 96.0)
    scale = _Scale(font=6.5, sym=0.25, pad=0.0)
    layers: dict[str, gpd.GeoDataFrame | None] = {"Durand Line": border, "land": countries}
    ex, ey = project_points(events)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(size.width_in, size.height_in), dpi=size.dpi)
        lay = _Layout(
            0.0, 0.0, [], [], [], [], 6.5, 0.0, 0.0, map=(0.0, 0.0, size.width_in, size.height_in)
        )
        ax = _map_axes(fig, size, lay, _frame(events, layers))
        box = (*ax.get_xlim(), *ax.get_ylim())
        inside = _inside(ex, ey, (box[0], box[2], box[1], box[3]))
        _draw_events(ax, events[inside], scale, int(inside.sum()) > DENSE_LIMIT)
        _draw_context(ax, layers, scale)
    return fig
