"""What a map is made with besides its events and layers: its options (title, description,
choropleth, credits) and the formats it is written in, chosen by the suffix of the output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

from geo._errors import InputError


@dataclass(frozen=True)
class MapOptions:
    """What a map says beside its events and layers, the page and the stills alike.

    Attributes
    ----------
    title : str
        The headline.
    description : str, optional
        A line under the title (by default the count of events and their span).
    choropleth : {"events", "fatalities"} or None
        Measure of the province choropleth layer of the page, or None for none.
    credits : tuple of str
        Credits added to those the layers carry (the shipped files' own licence).
    """

    title: str = "Durand Line conflict map"
    description: str | None = None
    choropleth: str | None = "events"
    credits: tuple[str, ...] = ()


#: Output formats by file suffix; ``.html`` is the interactive page, the others stills.
FORMATS = {".html": "html", ".png": "png", ".svg": "svg", ".pdf": "pdf"}
IMAGE_FORMATS = ("png", "svg", "pdf")


def output_format(path: str | Path) -> str:
    """The format chosen by the suffix of ``path``: html, png, svg or pdf."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        msg = f"--out {str(path)!r}: unknown file type {suffix or '(none)'!r}; accepted: {', '.join(FORMATS)}"
        raise InputError(msg)
    return FORMATS[suffix]


def layer_credits(layer: gpd.GeoDataFrame | None) -> list[str]:
    """The credits a context layer carries, each once, in order: its ``attribution`` with
    its ``licence`` in brackets (the form every output gives them)."""
    if layer is None or "attribution" not in layer:
        return []
    licences = layer["licence"] if "licence" in layer else [""] * len(layer)
    found: list[str] = []
    for text, licence in zip(layer["attribution"], licences, strict=True):
        if not isinstance(text, str) or not text:
            continue
        credit = f"{text} ({licence})" if isinstance(licence, str) and licence else text
        if credit not in found:
            found.append(credit)
    return found
