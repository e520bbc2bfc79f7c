"""The shipped context data: where it lives, installed or in a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

#: The files every map and every enrichment reads, by role.
SHIPPED = {
    "events": "events.geojson",
    "border": "durand_line.geojson",
    "provinces": "provinces.geojson",
    "countries": "countries.geojson",
    "crossings": "crossings.geojson",
    "cities": "cities.geojson",
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
