"""Province (admin-1) polygons of Afghanistan and Pakistan."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo._io import read_layer


def read_provinces(path: str | Path) -> gpd.GeoDataFrame:
    """Read province polygons with ``province`` and ``country`` (ISO 3166-1 alpha-3)."""
    return read_layer(path, geom_types=("Polygon", "MultiPolygon"), fields=("province", "country"))
