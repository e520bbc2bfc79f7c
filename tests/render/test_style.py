"""The style tables: the size table every output takes its circle radii from."""

from __future__ import annotations

import itertools
import math

import numpy as np

from geo.render.style import SIZE_SCALE, SIZES, size_table, symbol_radius


def test_the_size_table_is_the_square_root_scale_to_its_cap() -> None:
    lo, k, hi = SIZE_SCALE["minRadius"], SIZE_SCALE["scale"], SIZE_SCALE["maxRadius"]
    assert SIZES[0] == lo and SIZES[-1] == hi and SIZES[-2] < hi
    assert all(a < b for a, b in itertools.pairwise(SIZES))
    for figure, radius in enumerate(SIZES[:-1]):
        assert radius == round(lo + k * math.sqrt(figure), 2)
    assert size_table({"minRadius": 2.0, "scale": 1.0, "maxRadius": 4.0}) == (
        2.0,
        3.0,
        3.41,
        3.73,
        4.0,
    )


def test_symbol_radius_looks_figures_up() -> None:
    figures = np.array([np.nan, -4, 0, 1, 10.9, len(SIZES) - 1, len(SIZES), 1e9])
    radii = symbol_radius(figures)
    assert radii.tolist() == [
        SIZES[0],
        SIZES[0],
        SIZES[0],
        SIZES[1],
        SIZES[10],
        SIZES[-1],
        SIZES[-1],
        SIZES[-1],
    ]


def test_symbol_factor_follows_the_maps_size_and_zoom() -> None:
    """One rule for the page and the stills: the map's shorter side over the reference,
    clamped, times the zoom growth beyond the opening view, capped; none below it."""
    from geo.render.style import SYMBOL_FRAME, symbol_config, symbol_factor

    ref, lo, hi = SYMBOL_FRAME["reference"], SYMBOL_FRAME["min"], SYMBOL_FRAME["max"]
    assert symbol_factor(ref) == 1.0
    assert symbol_factor(ref * 1.2) == 1.2
    assert symbol_factor(ref * 0.1) == lo and symbol_factor(ref * 10) == hi
    sides = [100, 300, 500, 700, 900, 1200, 1500, 3000]
    assert all(a <= b for a, b in itertools.pairwise(symbol_factor(s) for s in sides))
    grow = 2 ** (2 * SYMBOL_FRAME["zoomExponent"])
    assert symbol_factor(ref, 2) == round(grow, 3) and 1 < grow <= SYMBOL_FRAME["zoomMax"]
    assert symbol_factor(ref, -3) == symbol_factor(ref, 0) == 1.0
    assert symbol_factor(ref, 30) == SYMBOL_FRAME["zoomMax"]
    assert symbol_config()["frame"] == SYMBOL_FRAME
