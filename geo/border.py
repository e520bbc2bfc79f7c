"""The Durand Line and the crossings on it."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo._io import read_layer


def read_border(path: str | Path) -> gpd.GeoDataFrame:
    """Read the boundary line (LineString features with a ``name``)."""
    return read_layer(path, geom_types=("LineString", "MultiLineString"), fields=("name",))


def read_crossings(path: str | Path) -> gpd.GeoDataFrame:
    """Read the border crossings (Point features with a ``name``)."""
    return read_layer(path, geom_types=("Point",), fields=("name",))
