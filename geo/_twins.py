"""Fast paths and their exact twins, and the one switch that turns every fast path off.

Where a fast path exists beside an exact one, the fast one is taken only when it gives
exactly the exact one's answer, and a differential test ties the two. Setting
``GEO_EXACT=1`` in the environment sends everything down the exact paths, so the whole
test suite can run on them (``tests/test_exact_paths.py`` runs the reader and
validation tests that way on every run of the suite).

=======================  ==================================  ==================================
fast path                exact twin                          guarded by
=======================  ==================================  ==================================
Arrow CSV reader         :mod:`csv` reader                   tests/test_fast_load.py
(``_arrowcsv``)          (``events._csv_records``)
Arrow JSON reader        :func:`json.loads`                  tests/test_geojson_fast.py
(``_geojson``)           (``events._raw_from_geojson``)
whole-column rules       per-value pandas/Python rules       tests/test_validate.py
(``_validate``, dates)   (``_validate``, ``dates._parse_exact``)
WKB points from bytes    :func:`shapely.from_wkb`            tests/test_fast_load.py
cell grid of polygons    one GEOS test per point             tests/test_border.py
(``_geom``)              (``_geom.first_containing_exact``)
stored artefacts         computed from their sources         tests/test_context.py,
(context WKB, drawn                                          tests/render/test_drawn.py,
layers, the belt)                                            tests/test_border.py
=======================  ==================================  ==================================

The page's two encodings of the events (plain JSON for small maps, binary columns for
large ones) are not twins in this sense: both are exact, and the size decides
(``geo.render.events.page_data``); tests/browser/test_page_fast_paths.py compares them.
"""

from __future__ import annotations

import os

#: The environment variable that turns every fast path off.
ENV = "GEO_EXACT"


def exact() -> bool:
    """Whether ``GEO_EXACT`` asks for the exact paths only (any value but empty, 0, false, no)."""
    return os.environ.get(ENV, "").strip().lower() not in ("", "0", "false", "no")


def fast() -> bool:
    """Whether fast paths may be taken."""
    return not exact()
