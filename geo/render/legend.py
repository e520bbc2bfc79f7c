"""The legend, generated from the data and drawn by geo/static/legend.js."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np

from geo.filters import event_figure
from geo.render.events import type_entries
from geo.render.style import BELT_STYLE, CROSSING_STYLE, LINE_STYLE, MUTED, symbol_radius

#: Fatality counts shown in the size scale, when the data reaches them.
SIZE_STEPS = (1, 10, 50, 100, 400)


def legend_sections(
    events: gpd.GeoDataFrame,
    *,
    has_belt: bool,
    has_crossings: bool,
    extra: Sequence[dict[str, Any]] = (),
    highlight: dict[str, Any] | None = None,
    lines: Sequence[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Sections of the legend: the highlight (:func:`highlight_section`) when the map has
    one, types, size scale, precision, context symbols, extras. ``lines``: the context's
    line entries as the map's worldview words them
    (:func:`geo.render.disputed.legend_parts`); by default the Durand Line's alone."""
    sections: list[dict[str, Any]] = [
        *([highlight] if highlight else []),
        {
            "title": "Event type",
            "items": [
                # "type" lets the page recount the label for the date range shown
                {"kind": "circle", "color": t["color"], "label": t["label"], "type": t["name"]}
                for t in type_entries(events)
            ],
        },
    ]
    figures = event_figure(events)
    top = int(np.nanmax(figures)) if np.isfinite(figures).any() else 0
    steps = [s for s in SIZE_STEPS if s <= top] or [1]
    radii = symbol_radius(steps)
    sections.append(
        {
            "title": "Killed (best estimate)",
            "items": [
                {"kind": "size", "radius": round(float(r), 1), "label": str(s)}
                for s, r in zip(steps, radii, strict=True)
            ],
        }
    )
    sections.append(
        {
            "title": "Precision",
            "items": [
                {"kind": "circle", "color": "#444444", "label": "exact place, exact day"},
                {
                    "kind": "circle",
                    "color": "#444444",
                    "hollow": True,
                    "label": "approximate place (district or province)",
                },
                {
                    "kind": "circle",
                    "color": "#444444",
                    "dashed": True,
                    "label": "approximate date (month or year)",
                },
            ],
        }
    )
    context = (
        [dict(item) for item in lines]
        if lines is not None
        else [
            {
                "kind": "line",
                "color": LINE_STYLE["color"],
                "label": "Durand Line (not recognised by Afghanistan)",
            }
        ]
    )
    if has_belt:
        context.append({"kind": "fill", "color": BELT_STYLE["fillColor"], "label": "Border belt"})
    if has_crossings:
        context.append(
            {
                "kind": "diamond",
                "color": CROSSING_STYLE["color"],
                "fill": CROSSING_STYLE["fillColor"],
                "label": "Border crossing",
            }
        )
    sections.append({"title": "Context", "items": context})
    sections.extend(extra)
    return sections


def highlight_section(description: str, highlighted: np.ndarray) -> dict[str, Any]:
    """The legend's section of a highlight (:class:`geo.highlight.Highlight`): what is in
    colour (``description``: text from the user, drawn as text), a grey circle for the
    other events, and how many are highlighted of those shown. The page marks the count
    (``"count": True``) to recount it as its filters change, and adds its on/off switch
    (``"highlight": True``)."""
    n, hit = len(highlighted), int(np.count_nonzero(highlighted))
    return {
        "title": "Highlight",
        "highlight": True,
        "items": [
            {"kind": "note", "label": f"In colour: {description}"},
            {
                "kind": "circle",
                "color": MUTED["color"],
                "muted": True,
                "label": "Grey: other events",
            },
            {"kind": "note", "count": True, "label": highlight_count(hit, n)},
        ],
    }


def highlight_count(hit: int, shown: int) -> str:
    """``12 highlighted of 80 shown``: the legend's count (the page words it the same)."""
    return f"{hit:,} highlighted of {shown:,} shown"
