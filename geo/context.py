"""The context of every map and enrichment: the line, the countries, the provinces, the
crossings, the towns and the neighbouring countries; where the shipped copies live,
installed or in a source checkout.

Importing this module loads no geopandas: ``geo --help`` reads :data:`SHIPPED` from here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from geo._errors import InputError
from geo.schema import BELT_KM

if TYPE_CHECKING:
    import geopandas as gpd

#: The files every map and every enrichment reads, by role.
SHIPPED = {
    "events": "events.geojson",
    "border": "durand_line.geojson",
    "provinces": "provinces.geojson",
    "countries": "countries.geojson",
    "crossings": "crossings.geojson",
    "cities": "cities.geojson",
    "neighbours": "neighbours.geojson",
    "disputed": "disputed.geojson",
}


def data_dir() -> Path:
    """The folder of the shipped data.

    ``$GEO_DATA_DIR`` when set; else the copy inside the installed package (``geo/data``,
    put there by the wheel from the repository's ``data/``); else, in a source checkout,
    the repository's ``data/``. The working directory never matters: a folder called
    ``data`` wherever the user happens to be is not taken for the shipped data.
    """
    env = os.environ.get("GEO_DATA_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    installed = here / "data"
    if (installed / SHIPPED["events"]).is_file():
        return installed
    return here.parent / "data"


def shipped_path(role: str) -> Path:
    """Path of one shipped file by role (``"events"``, ``"border"``, ...)."""
    return data_dir() / SHIPPED[role]


#: The context layers by role, each with the reader of its files (``module:function``).
READERS = {
    "border": "geo.border:read_border",
    "provinces": "geo.provinces:read_provinces",
    "countries": "geo.border:read_countries",
    "crossings": "geo.border:read_crossings",
    "cities": "geo.border:read_cities",
    "neighbours": "geo.context:read_neighbours",
    "disputed": "geo.worldview:read_disputed",
}
#: The roles a map can do without (drawn when present; the others are needed).
OPTIONAL_ROLES = ("crossings", "cities", "neighbours", "disputed")


def reader(role: str) -> Callable[[str | Path], gpd.GeoDataFrame]:
    """The reader of one role's files (imported on use: this module loads no geopandas)."""
    module, name = READERS[role].split(":")
    return getattr(import_module(module), name)


def read_neighbours(path: str | Path) -> gpd.GeoDataFrame:
    """Read the neighbouring countries (polygons with a ``country`` code and a
    ``country_name``): context drawn around the two countries, never analysed."""
    from geo._io import read_layer

    return read_layer(
        path, geom_types=("Polygon", "MultiPolygon"), fields=("country", "country_name")
    )


@dataclass
class Context:
    """The context layers every map and enrichment uses.

    Attributes
    ----------
    border, countries, provinces : geopandas.GeoDataFrame
        The Durand Line, the AFG/PAK polygons deciding the side, the province polygons.
    crossings, cities : geopandas.GeoDataFrame or None
        Border crossings and towns (for the offline basemap and static maps).
    neighbours : geopandas.GeoDataFrame or None
        The neighbouring countries around the two (for the offline basemap and static
        maps): context only, simplified for the region's scale.
    disputed : geopandas.GeoDataFrame or None
        The Line of Control and the territories either side of it, drawn by the map's
        worldview (:mod:`geo.worldview`).
    shipped : frozenset of str
        The roles taken from the shipped data (their credits are the project's own).
    """

    border: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame | None = None
    cities: gpd.GeoDataFrame | None = None
    neighbours: gpd.GeoDataFrame | None = None
    disputed: gpd.GeoDataFrame | None = None
    shipped: frozenset[str] = frozenset()
    _belts: dict[float, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)

    def belt(self, width_km: float = BELT_KM) -> gpd.GeoDataFrame:
        """The border belt of ``width_km`` clipped to the two countries (computed once).

        The default width over the shipped line and countries is read from the copy
        ``scripts/make_belt.py`` stored beside them (the same polygon, without the 0.3 s
        of buffering and clipping), when it was made from those very files.
        """
        from geo.border import SHIPPED_BELT, border_belt, read_shipped_belt

        if width_km not in self._belts:
            belt = None
            if width_km == BELT_KM and {"border", "countries"} <= self.shipped:
                folder = data_dir()
                belt = read_shipped_belt(
                    folder / SHIPPED_BELT, folder / SHIPPED["border"], folder / SHIPPED["countries"]
                )
            if belt is None:
                belt = border_belt(self.border, self.countries, width_km=width_km)
            self._belts[width_km] = belt
        return self._belts[width_km]

    def layers(self, belt_km: float = BELT_KM) -> Layers:
        """Every layer a map draws, with the belt of ``belt_km``."""
        return Layers(
            border=self.border,
            belt=self.belt(belt_km),
            provinces=self.provinces,
            crossings=self.crossings,
            countries=self.countries,
            cities=self.cities,
            neighbours=self.neighbours,
            disputed=self.disputed,
        )


@dataclass(frozen=True)
class Layers:
    """The context layers a map draws (the page and the stills alike); each may be absent.

    Attributes
    ----------
    border : geopandas.GeoDataFrame
        The Durand Line.
    belt : geopandas.GeoDataFrame
        The border belt, under the line.
    provinces : geopandas.GeoDataFrame
        Province outlines (and the choropleth).
    crossings : geopandas.GeoDataFrame
        Border crossings.
    countries, cities : geopandas.GeoDataFrame
        Land and towns of the offline basemap and the stills.
    neighbours : geopandas.GeoDataFrame
        The neighbouring countries (``country``, ``country_name``), drawn paler around the
        two and named (:func:`geo.render.basemap.neighbour_labels`): context, never analysed.
    disputed : geopandas.GeoDataFrame
        Disputed Kashmir (:func:`geo.worldview.read_disputed`), drawn by the map's worldview.
    """

    border: gpd.GeoDataFrame | None = None
    belt: gpd.GeoDataFrame | None = None
    provinces: gpd.GeoDataFrame | None = None
    crossings: gpd.GeoDataFrame | None = None
    countries: gpd.GeoDataFrame | None = None
    cities: gpd.GeoDataFrame | None = None
    neighbours: gpd.GeoDataFrame | None = None
    disputed: gpd.GeoDataFrame | None = None


def load_context(
    data_dir_: str | Path | None = None, **overrides: str | Path | gpd.GeoDataFrame | None
) -> Context:
    """Read the context layers: the shipped ones, or files and frames given by role.

    Parameters
    ----------
    data_dir_ : str or Path, optional
        A folder holding files named like the shipped ones (``durand_line.geojson``,
        ``provinces.geojson``, ...); by default the shipped data.
    **overrides
        ``border``, ``provinces``, ``countries``, ``crossings``, ``cities``,
        ``neighbours``, ``disputed``: a path or a GeoDataFrame for that role. ``None`` means the default
        (the crossings, towns and neighbours only when the folder has them).

    Examples
    --------
    >>> ctx = load_context(crossings="my_crossings.geojson")  # doctest: +SKIP
    """
    import geopandas as gpd

    unknown = set(overrides) - set(READERS)
    if unknown:
        msg = f"unknown context layer(s) {sorted(unknown)}; accepted: {', '.join(READERS)}"
        raise InputError(msg)
    folder = Path(data_dir_) if data_dir_ is not None else data_dir()
    layers: dict[str, gpd.GeoDataFrame | None] = {}
    shipped = set()
    for role in READERS:
        read = reader(role)
        given = overrides.get(role)
        if isinstance(given, gpd.GeoDataFrame):
            layers[role] = given
        elif given is not None:
            layers[role] = read(given)
        else:
            path = folder / SHIPPED[role]
            optional = role in OPTIONAL_ROLES
            if data_dir_ is None and role in STORED_ROLES:
                layers[role] = _stored_layers(folder).get(role)
                if layers[role] is not None:
                    shipped.add(role)
                    continue
            layers[role] = read(path) if path.is_file() or not optional else None
            shipped.add(role) if data_dir_ is None and layers[role] is not None else None
    return Context(**layers, shipped=frozenset(shipped))  # type: ignore[arg-type]


#: The shipped layers also stored as WKB by ``scripts/make_context_wkb.py`` (the GeoJSON
#: parser takes about 70 ms for these three, most of it the 1.4 MB of country outlines).
STORED_ROLES = ("border", "provinces", "countries")
#: That file, in the folder of the shipped data (``data/SOURCES.md``).
STORED_LAYERS = "context_wkb.geojson"


def _stored_layers(folder: Path) -> dict[str, gpd.GeoDataFrame]:
    """The layers stored in ``folder / STORED_LAYERS`` whose source file beside it has the
    SHA-256 recorded with them, by role; none if the file is missing or unreadable.

    Each is the very frame its reader gives for the source file (columns, dtypes, geometry
    bit for bit; ``tests/test_data.py`` checks it), without parsing the GeoJSON.
    """
    import base64

    import geopandas as gpd
    import pandas as pd
    import shapely

    from geo._stored import file_digest, stored_features

    found: dict[str, gpd.GeoDataFrame] = {}
    try:
        for feature in stored_features(folder / STORED_LAYERS):
            props = feature["properties"]
            role = props["role"]
            if role not in STORED_ROLES or role in found:
                continue
            if file_digest(folder / SHIPPED[role]) != props["source_sha256"]:
                continue
            columns, dtypes = props["columns"], props["dtypes"]
            frame = pd.DataFrame(dict(zip(columns, zip(*props["rows"], strict=True), strict=True)))
            frame = frame.astype(dict(zip(columns, dtypes, strict=True)))
            wkb = [base64.b64decode(w) for w in props["wkb"]]
            found[role] = gpd.GeoDataFrame(frame, geometry=shapely.from_wkb(wkb), crs=props["crs"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return found
