"""Synthetic canonical events spread over Afghanistan and Pakistan, for benchmarks."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.schema import COLUMNS, DEATH_FIELDS, EVENT_TYPES, OPTIONAL_TEXT_FIELDS

DATA = Path(__file__).resolve().parents[1] / "data"


def points_in_countries(n: int, seed: int = 1893) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniformly spread (in degrees) over the AFG and PAK polygons."""
    countries = gpd.read_file(DATA / "countries.geojson")
    shapes = shapely.union_all(countries.geometry.values, grid_size=1e-6)
    shapely.prepare(shapes)
    minx, miny, maxx, maxy = shapes.bounds
    rng = np.random.default_rng(seed)
    lon, lat = np.empty(0), np.empty(0)
    while lon.size < n:
        x = rng.uniform(minx, maxx, 2 * n)
        y = rng.uniform(miny, maxy, 2 * n)
        keep = shapely.contains_xy(shapes, x, y)
        lon, lat = np.concatenate([lon, x[keep]]), np.concatenate([lat, y[keep]])
    return lon[:n], lat[:n]


def _casualties(rng: np.random.Generator, n: int) -> dict[str, pd.arrays.IntegerArray]:
    """Valid figures: low <= best <= high for both fatalities and injured."""
    out = {}
    for kind in ("fatalities", "injured"):
        best = rng.integers(0, 30, n)
        out[f"{kind}_low"] = pd.array(best - rng.integers(0, 5, n).clip(max=best), dtype="Int64")
        out[f"{kind}_best"] = pd.array(best, dtype="Int64")
        out[f"{kind}_high"] = pd.array(best + rng.integers(0, 10, n), dtype="Int64")
    return out


def synthetic_events(n: int, seed: int = 1893) -> gpd.GeoDataFrame:
    """A canonical event table of ``n`` events between 2021 and 2026."""
    rng = np.random.default_rng(seed)
    lon, lat = points_in_countries(n, seed)
    start = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 5 * 365, n), unit="D")
    types = np.array(list(EVENT_TYPES))[rng.integers(0, len(EVENT_TYPES), n)]
    subs = np.array([EVENT_TYPES[t][0] for t in types])
    frame = pd.DataFrame(
        {
            "event_id": [f"SYN-{i:07d}" for i in range(n)],
            "date_start": start,
            "date_end": start + pd.to_timedelta(rng.integers(0, 3, n), unit="D"),
            "date_precision": "day",
            "event_type": types,
            "sub_event_type": subs,
            "actor1": "Actor A",
            "actor2": "Actor B",
            "country": "",
            "province": "",
            "admin2": "",
            "location": [f"Place {i % 5000}" for i in range(n)],
            "geo_precision": np.array(["exact", "district", "province"])[rng.integers(0, 3, n)],
            **_casualties(rng, n),
            "summary": "Synthetic event for benchmarking.",
            "fatality_note": "",
            "sources": [()] * n,
            "tags": [()] * n,
            "origin_file": "synthetic",
            "origin_record": "",
            # fields only some formats carry: empty, as in a plain GeoJSON
            **{name: "" for name in OPTIONAL_TEXT_FIELDS},
            **{name: pd.array([None] * n, dtype="Int64") for name in DEATH_FIELDS},
        }
    )[list(COLUMNS)].astype(COLUMNS)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
