"""Realistic ACLED-shaped exports for benchmarks: text as real exports carry it.

The synthetic events of ``_synthetic.py`` repeat one summary and one source, which hides
the per-value costs of reading and validating real files. This generator (fixed seed) makes
what an ACLED export holds: a unique ``notes`` sentence per row, one to three outlets in
``source``, twenty actors with associated actors, admin names, precision codes, a
long-tailed fatality count, tags on some rows, and points inside their declared province.

Rows are made in chunks of whole columns (Arrow compute), so a million rows take seconds
and little memory. ``mismatch`` is the share of rows whose ``admin1`` names another
province than the one the point lies in (for the province-warning benchmark).

Run: ``python bench/realistic.py 100000 out.csv`` (or ``out.parquet`` for the canonical
GeoParquet that ``geo export`` writes).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.schema import EVENT_TYPES

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = 1893
CHUNK = 100_000

ACTORS = [
    "Military Forces of Pakistan (2018-)",
    "Police Forces of Pakistan (2018-)",
    "Frontier Corps",
    "Tehreek-i-Taliban Pakistan",
    "Taliban",
    "Islamic State (Khorasan Province)",
    "Baloch Liberation Army",
    "Baloch Liberation Front",
    "Hafiz Gul Bahadur Group",
    "Lashkar-e-Islam",
    "Jamaat-ul-Ahrar",
    "Military Forces of Afghanistan (2021-) Taliban",
    "Police Forces of Afghanistan (2021-) Taliban",
    "National Resistance Front",
    "Afghanistan Freedom Front",
    "Unidentified Armed Group (Pakistan)",
    "Unidentified Armed Group (Afghanistan)",
    "Protesters (Pakistan)",
    "Rioters (Pakistan)",
    "Civilians (Afghanistan)",
]
INTER = ["State forces", "Rebel group", "Political militia", "Identity militia", "Civilians"]
OUTLETS = [
    "Dawn", "The News International", "Express Tribune", "Pajhwok Afghan News",
    "Khaama Press", "TOLOnews", "Ariana News", "Amu TV", "BBC Pashto", "Radio Azadi",
    "Mashaal Radio", "The Balochistan Post", "Reuters", "AFP", "Associated Press",
    "Al Jazeera", "Hasht-e Subh", "Kabul Now", "Tribal News Network", "Geo News",
    "Business Recorder", "Frontier Post", "Daily Times", "Voice of America", "Xinhua",
    "Afghanistan International", "Salaam Times", "Long War Journal", "Twitter", "Facebook",
]  # fmt: skip
SCALES = ["National", "Subnational", "International", "National-International", "Other"]
VERBS = [
    "clashed with", "attacked", "ambushed", "fired on", "raided a post of",
    "shelled positions of", "targeted a convoy of", "exchanged fire with",
]  # fmt: skip
TAGS = [
    "",
    "",
    "",
    "",
    "crowd size=no report",
    "women targeted: candidates",
    "local administrators",
]

COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip


def _provinces() -> gpd.GeoDataFrame:
    return gpd.read_file(DATA / "provinces.geojson")


def _points(rng: np.random.Generator, provinces: gpd.GeoDataFrame, n: int):
    """``n`` points, each inside the province it is drawn for (weighted by area)."""
    area = provinces.geometry.to_crs("EPSG:6933").area.to_numpy()  # equal-area
    which = rng.choice(len(provinces), size=n, p=area / area.sum())
    lon, lat = np.empty(n), np.empty(n)
    for k, geom in enumerate(provinces.geometry):
        rows = np.flatnonzero(which == k)
        if not len(rows):
            continue
        shapely.prepare(geom)
        minx, miny, maxx, maxy = geom.bounds
        got_x, got_y = np.empty(0), np.empty(0)
        while got_x.size < rows.size:
            x = rng.uniform(minx, maxx, 3 * rows.size + 16)
            y = rng.uniform(miny, maxy, 3 * rows.size + 16)
            keep = shapely.contains_xy(geom, x, y)
            got_x, got_y = np.concatenate([got_x, x[keep]]), np.concatenate([got_y, y[keep]])
        lon[rows], lat[rows] = got_x[: rows.size], got_y[: rows.size]
    return which, lon, lat


def _pick(rng: np.random.Generator, values: list[str], n: int) -> pa.Array:
    return pa.array(np.asarray(values, dtype=object)[rng.integers(0, len(values), n)], pa.string())


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _chunk(
    rng: np.random.Generator, provinces: gpd.GeoDataFrame, first: int, n: int, mismatch: float
) -> pa.Table:
    which, lon, lat = _points(rng, provinces, n)
    names = provinces["province"].to_numpy()
    countries = provinces["country"].to_numpy()
    declared = which.copy()
    wrong = rng.random(n) < mismatch
    declared[wrong] = (which[wrong] + rng.integers(1, len(provinces), wrong.sum())) % len(provinces)
    admin1 = pa.array(names[declared].astype(object), pa.string())
    iso3 = countries[which]
    ids = np.arange(first, first + n)
    event_id = _join(
        pa.array(iso3.astype(object), pa.string()),
        pa.array(ids.astype(str).astype(object), pa.string()),
    )
    days = rng.integers(0, 8 * 365, n)
    dates = (np.datetime64("2018-01-01") + days.astype("timedelta64[D]")).astype(str)
    types = np.array(list(EVENT_TYPES), dtype=object)
    weights = np.array([0.3, 0.3, 0.15, 0.12, 0.05, 0.08])
    t = rng.choice(len(types), size=n, p=weights)
    sub_event = np.empty(n, dtype=object)
    for k, etype in enumerate(types):
        rows = t == k
        choices = np.asarray(EVENT_TYPES[etype], dtype=object)
        sub_event[rows] = choices[rng.integers(0, len(choices), rows.sum())]
    disorder = np.where(
        t >= 3, np.where(t == 5, "Strategic developments", "Demonstrations"), "Political violence"
    )
    actor1, actor2 = _pick(rng, ACTORS, n), _pick(rng, ACTORS, n)
    assoc = pc.if_else(pa.array(rng.random(n) < 0.2), _pick(rng, ACTORS, n), "")
    inter1, inter2 = _pick(rng, INTER, n), _pick(rng, INTER, n)
    district = _join(
        admin1, pa.array(np.char.add(" District ", (ids % 17).astype(str)).astype(object))
    )
    location = _join(
        pa.array(np.char.add("Village ", (ids % 9973).astype(str)).astype(object)), ", ", admin1
    )
    n_out = rng.integers(1, 4, n)
    outlets = np.asarray(OUTLETS, dtype=object)
    source = pa.array(outlets[rng.integers(0, len(outlets), n)], pa.string())
    for k in (2, 3):
        more = pa.array(outlets[rng.integers(0, len(outlets), n)], pa.string())
        source = pc.if_else(pa.array(n_out >= k), _join(source, "; ", more), source)
    fatal = np.floor(rng.lognormal(0.0, 1.3, n) * (rng.random(n) < 0.6)).astype(np.int64)
    fatal = np.minimum(fatal, 400)
    verb = _pick(rng, VERBS, n)
    notes = _join(
        "On ", pa.array(dates.astype(object), pa.string()), ", ", actor1, " ", verb, " ", actor2,
        " near ", location, " (", district, "). ",
        pa.array(fatal.astype(str).astype(object), pa.string()),
        " people were reported killed and ",
        pa.array(rng.integers(0, 40, n).astype(str).astype(object), pa.string()),
        " injured; local sources cited report no. ",
        pa.array(ids.astype(str).astype(object), pa.string()), ".",
    )  # fmt: skip
    return pa.table(
        {
            "event_id_cnty": event_id,
            "event_date": pa.array(dates.astype(object), pa.string()),
            "year": pa.array(dates.astype("U4").astype(object), pa.string()),
            "time_precision": pa.array(rng.choice(["1", "1", "1", "2", "3"], n).astype(object)),
            "disorder_type": pa.array(disorder.astype(object), pa.string()),
            "event_type": pa.array(types[t], pa.string()),
            "sub_event_type": pa.array(sub_event, pa.string()),
            "actor1": actor1,
            "assoc_actor_1": assoc,
            "inter1": inter1,
            "actor2": actor2,
            "assoc_actor_2": pa.array([""] * n, pa.string()),
            "inter2": inter2,
            "interaction": _join(inter1, "-", inter2),
            "civilian_targeting": pc.if_else(pa.array(t == 2), "Civilian targeting", ""),
            "iso": pa.array(np.where(iso3 == "AFG", "4", "586").astype(object)),
            "region": pa.array(["South Asia"] * n, pa.string()),
            "country": pa.array(np.where(iso3 == "AFG", "Afghanistan", "Pakistan").astype(object)),
            "admin1": admin1,
            "admin2": district,
            "admin3": pa.array([""] * n, pa.string()),
            "location": location,
            "latitude": pa.array(np.round(lat, 4)),
            "longitude": pa.array(np.round(lon, 4)),
            "geo_precision": pa.array(rng.choice(["1", "1", "2", "3"], n).astype(object)),
            "source": source,
            "source_scale": _pick(rng, SCALES, n),
            "notes": notes,
            "fatalities": pa.array(fatal),
            "tags": _pick(rng, TAGS, n),
            "timestamp": pa.array(np.full(n, 1_700_000_000) + ids),
        }
    ).select(COLUMNS)


def chunks(n: int, *, seed: int = SEED, mismatch: float = 0.0) -> Iterator[pa.Table]:
    """The export as Arrow tables of at most :data:`CHUNK` rows each."""
    rng = np.random.default_rng(seed)
    provinces = _provinces()
    for first in range(0, n, CHUNK):
        yield _chunk(rng, provinces, first, min(CHUNK, n - first), mismatch)


def write_csv(n: int, path: str | Path, *, seed: int = SEED, mismatch: float = 0.0) -> Path:
    """Write an ACLED-shaped CSV export of ``n`` rows, quoted only where needed (as ACLED's)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for i, table in enumerate(chunks(n, seed=seed, mismatch=mismatch)):
            table.to_pandas().to_csv(fh, header=i == 0, index=False, lineterminator="\n")
    return Path(path)


def write_geoparquet(n: int, path: str | Path, *, seed: int = SEED) -> Path:
    """The same events read and written by ``geo`` as canonical GeoParquet."""
    import tempfile

    from geo.events import read_events
    from geo.export import write_events

    with tempfile.TemporaryDirectory() as d:
        csv = write_csv(n, Path(d) / "export.csv", seed=seed)
        return write_events(read_events(csv).events, path)


if __name__ == "__main__":
    size, target = int(sys.argv[1]), Path(sys.argv[2])
    if target.suffix == ".parquet":
        write_geoparquet(size, target)
    else:
        write_csv(size, target, mismatch=float(sys.argv[3]) if len(sys.argv) > 3 else 0.0)
    print(f"wrote {target}: {size:,} rows, {target.stat().st_size / 1e6:.1f} MB")
