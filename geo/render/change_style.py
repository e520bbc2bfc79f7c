"""How each kind of change is drawn, for the change map's image and its page alike.

One table (:data:`CHANGE_STYLES`): the matplotlib marker of the image, the SVG path of the
page's marker (in a 20 × 20 box, the same shape), the fill and edge colours (Okabe–Ito,
told apart by shape as well as hue) and the legend's label, in the legend's order.
"""

from __future__ import annotations

#: Kind of change -> marker (matplotlib), path (SVG, 20 x 20), face, edge, label.
CHANGE_STYLES: dict[str, dict[str, str]] = {
    "added": {
        "marker": "o",
        "path": "M10 2.5A7.5 7.5 0 1 1 9.99 2.5Z",
        "face": "#009E73",
        "edge": "#00583F",
        "label": "Added",
    },
    "changed": {
        "marker": "D",
        "path": "M10 1.5L18.5 10L10 18.5L1.5 10Z",
        "face": "#E69F00",
        "edge": "#6B4A00",
        "label": "Revised",
    },
    "removed": {
        "marker": "X",
        "path": "M4 1.5L10 7.5L16 1.5L18.5 4L12.5 10L18.5 16L16 18.5L10 12.5L4 18.5L1.5 16L7.5 10L1.5 4Z",
        "face": "#D55E00",
        "edge": "#6B2F00",
        "label": "Removed",
    },
}


def legend_label(kind: str, count: int) -> str:
    """The legend's entry for ``count`` events of ``kind``: ``"Added (1,204)"``."""
    return f"{CHANGE_STYLES[kind]['label']} ({count:,})"
