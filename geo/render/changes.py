"""The change map as an image: events added, removed and revised, drawn distinctly.

What ``geo diff --map OUT.png`` writes: the context layers as the stills draw them, each
kind of change in its own marker and colour (Okabe–Ito, told apart by shape as well as
hue), the counts in the legend, the one-line correction as the title and the credits
underneath. Text from data is drawn literally (``text.parse_math`` is off). The markers
and colours are :data:`geo.render.change_style.CHANGE_STYLES`, which the HTML change map
(:mod:`geo.render.change_page`) draws too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from geo.context import Layers
from geo.render.change_style import CHANGE_STYLES, legend_label
from geo.render.options import named_layers
from geo.render.static import (
    RC,
    ImageSize,
    _draw_context,
    _frame,
    _Scale,
    display_text,
    image_size,
    project_points,
    wrap,
)


def change_map(
    groups: Mapping[str, gpd.GeoDataFrame],
    *,
    layers: Layers | None = None,
    title: str = "",
    credits: Sequence[str] = (),
    size: ImageSize | None = None,
) -> Figure:
    """Draw the events of each kind of change (``added``, ``changed``, ``removed``, each
    a canonical table in EPSG:4326) over the context layers; the legend counts them."""
    layers = layers if layers is not None else Layers()
    size = size or image_size()
    scale = _Scale.of(size)
    drawn = named_layers(layers)
    shown = [g for g in groups.values() if len(g)]
    every = pd.concat(shown, ignore_index=True) if shown else None
    if every is not None:
        every = gpd.GeoDataFrame(every, geometry="geometry", crs="EPSG:4326")
        frame = _frame(every, drawn, "events")
    else:
        empty = gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")
        frame = _frame(empty, drawn, "border")
    font = scale.font
    width_pt = size.width_in * 72 * 0.96
    title_lines = wrap(title, width_pt, font * 1.3, "bold") if title else []
    credit_lines = wrap("; ".join(credits), width_pt, font * 0.75) if credits else []
    top = (len(title_lines) * font * 1.3 * 1.3 + font) / (size.height_in * 72)
    bottom = (len(credit_lines) * font * 0.75 * 1.3 + font) / (size.height_in * 72)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(size.width_in, size.height_in), dpi=size.dpi)
        box_h = 1 - top - bottom
        ax = fig.add_axes((0.01, bottom, 0.98, box_h))
        ax.set_axis_off()
        # the frame grown to the axes' shape (with a margin), so that metres are square
        w, h = (frame[2] - frame[0]) * 1.1 or 1.0, (frame[3] - frame[1]) * 1.1 or 1.0
        shape = (0.98 * size.width_in) / (box_h * size.height_in)
        w, h = max(w, h * shape), max(h, w / shape)
        cx, cy = (frame[0] + frame[2]) / 2, (frame[1] + frame[3]) / 2
        ax.set_xlim(cx - w / 2, cx + w / 2)
        ax.set_ylim(cy - h / 2, cy + h / 2)
        _draw_context(ax, drawn, scale)
        handles = []
        for z, (kind, style) in enumerate(CHANGE_STYLES.items()):
            events = groups.get(kind)
            n = 0 if events is None else len(events)
            if n:
                x, y = project_points(events)
                ax.scatter(
                    x, y, s=(scale.px(11)) ** 2, marker=style["marker"], c=style["face"],
                    edgecolors=style["edge"], linewidths=scale.px(1.2), zorder=12 - z, gid=kind,
                )  # fmt: skip
            handle = Line2D(
                [], [], linestyle="", marker=style["marker"], markersize=scale.px(11),
                markerfacecolor=style["face"], markeredgecolor=style["edge"],
                label=legend_label(kind, n),
            )  # fmt: skip
            handles.append(handle)
        ax.legend(handles=handles, loc="upper right", fontsize=font, frameon=True)
        for i, line in enumerate(title_lines):
            fig.text(0.01, 1 - (font * 0.6 + i * font * 1.3 * 1.3) / (size.height_in * 72),
                     display_text(line), fontsize=font * 1.3, weight="bold", va="top",
                     parse_math=False)  # fmt: skip
        for i, line in enumerate(credit_lines):
            at = (font * 0.4 + (len(credit_lines) - 1 - i) * font * 0.75 * 1.3) / (
                size.height_in * 72
            )
            fig.text(0.01, at, display_text(line), fontsize=font * 0.75, color="#444444",
                     va="bottom", parse_math=False)  # fmt: skip
    return fig
