"""The legend, generated from the data and drawn by geo/static/legend.js."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np

from geo.filters import event_figure
from geo.render.events import type_entries
from geo.render.style import BELT_STYLE, CROSSING_STYLE, LINE_STYLE, symbol_radius

#: Fatality counts shown in the size scale, when the data reaches them.
SIZE_STEPS = (1, 10, 50, 100, 400)


def legend_sections(
    events: gpd.GeoDataFrame,
    *,
    has_belt: bool,
    has_crossings: bool,
    extra: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Sections of the legend: types, size scale, precision, context symbols, extras."""
    sections: list[dict[str, Any]] = [
        {
            "title": "Event type",
            "items": [
                # "type" lets the page recount the label for the date range shown
                {"kind": "circle", "color": t["color"], "label": t["label"], "type": t["name"]}
                for t in type_entries(events)
            ],
        }
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
    context = [
        {
            "kind": "line",
            "color": LINE_STYLE["color"],
            "label": "Durand Line (not recognised by Afghanistan)",
        }
    ]
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
