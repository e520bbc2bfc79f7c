"""What a map is made with besides its events and layers: its options (title, description,
choropleth, credits) and the formats it is written in, chosen by the suffix of the output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd

    from geo.context import Layers
    from geo.filters import Filters

from geo._errors import InputError
from geo.highlight import Highlight, highlight_of
from geo.i18n.words import N_, figure, listed, tr
from geo.methods import Methods, methods_of, parse_accessed
from geo.render.annotations import Annotation, parse_annotate, parse_note
from geo.render.framing import parse_extent
from geo.worldview import DEFAULT as DEFAULT_WORLDVIEW
from geo.worldview import worldview_of


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
        Credits added to those the layers and the events' datasets carry (the shipped
        files' own licence, ``--credit``): every output shows each.
    extent : str or (west, south, east, north)
        What every output frames (:mod:`geo.render.framing`): ``story`` (the default: the
        central events, or the provinces a build was filtered to), ``events``, ``border``,
        ``provinces`` or a box in degrees. Checked when the options are made.
    alt : str, optional
        What the map shows, in words, for screen readers: the page's description of the
        map, the embed's frame and its fallback image (``--alt``).
    detail : bool
        Stills only: a magnified panel of the densest area when its circles cannot be
        read at the map's scale (:data:`geo.render.static.DETAIL_RULE`); False for none.
    annotations : tuple of Annotation
        Callouts (:mod:`geo.render.annotations`): ``--annotate`` and ``--note`` values
        (strings, parsed and checked when the options are made) or
        :class:`~geo.render.annotations.Annotation` objects.
    inset : bool or None
        The locator inset, an overview of the region with the frame's outline, in the
        page and the stills (``--inset``/``--no-inset``): None (the default) shows it when
        the frame is smaller than the two countries (:func:`geo.render.framing.wants_inset`).
    highlight : Highlight, str or sequence of str, optional
        The events every output draws in colour, the others grey (``--highlight``:
        :class:`geo.highlight.Highlight`; specs are parsed and checked when the options
        are made). None for none.
    accessed : datetime.date or str, optional
        The day the data were accessed or exported (``--accessed``, ``YYYY-MM-DD``): every
        output's credit of the events' sources states it (:mod:`geo.methods`); by default
        the day their own metadata or file gives.
    allow_download : bool
        Offer the row download even where a source's terms forbid it (``--allow-download``;
        :mod:`geo.terms`).
    worldview : str
        How disputed Kashmir is drawn, named and captioned and the Durand Line described
        (``--worldview``: a key of :data:`geo.worldview.WORLDVIEWS`, checked when the
        options are made).
    lang : str
        The edition (``--lang``): ``"en"``, ``"ps"``, ``"fa-AF"`` or ``"ur"``
        (:data:`geo.i18n.EDITIONS`); checked when the options are made.
    """

    title: str = "Durand Line conflict map"
    description: str | None = None
    choropleth: str | None = "events"
    credits: tuple[str, ...] = ()
    extent: str | tuple[float, float, float, float] = "story"
    alt: str | None = None
    detail: bool = True
    annotations: tuple[Annotation, ...] = ()
    inset: bool | None = None
    highlight: Highlight | None = None
    accessed: dt.date | None = None
    allow_download: bool = False
    worldview: str = DEFAULT_WORLDVIEW
    lang: str = "en"

    def __post_init__(self) -> None:
        from geo.i18n.editions import edition

        edition(self.lang)  # InputError naming the accepted tags
        object.__setattr__(self, "accessed", parse_accessed(self.accessed))
        if not isinstance(self.allow_download, bool):
            msg = f"allow_download={self.allow_download!r}: accepted: True or False"
            raise InputError(msg)
        object.__setattr__(self, "worldview", worldview_of(self.worldview, "worldview").name)
        object.__setattr__(self, "extent", parse_extent(self.extent))
        object.__setattr__(self, "highlight", highlight_of(self.highlight, "highlight"))
        # strings as the command line gives them: EVENT_ID[=Text] or LON,LAT[,START..END]=Text
        found = []
        for a in self.annotations:
            if isinstance(a, str) and not a.partition("=")[0].count(","):
                found.append(parse_annotate(a))
            else:
                found.append(parse_note(a) if isinstance(a, str) else a)
        object.__setattr__(self, "annotations", tuple(found))
        if self.inset is not None and not isinstance(self.inset, bool):
            msg = f"inset={self.inset!r}: accepted: True, False or None (shown when the frame is smaller than the two countries)"
            raise InputError(msg)


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


def map_methods(
    events: pd.DataFrame, filters: Filters | None = None, options: MapOptions | None = None
) -> Methods:
    """The "Sources and methods" of a map (:func:`geo.methods.methods_of`) with the
    options' access date and download choice: what every output of the map states."""
    options = options if options is not None else MapOptions()
    return methods_of(events, filters, accessed=options.accessed,
                      allow_download=options.allow_download, lang=options.lang)  # fmt: skip


def named_layers(layers: Layers) -> dict[str, gpd.GeoDataFrame | None]:
    """The context layers by the names credits give them (``Durand Line, provinces: ...``)."""
    return {
        N_("Durand Line"): layers.border,
        N_("belt"): layers.belt,
        N_("provinces"): layers.provinces,
        N_("land"): layers.countries,
        N_("neighbouring countries"): layers.neighbours,
        N_("crossings"): layers.crossings,
        N_("towns"): layers.cities,
    }


def credit_parts(
    events: pd.DataFrame,
    layers: dict[str, gpd.GeoDataFrame | None],
    extra: Sequence[str] = (),
    *,
    methods: Methods | None = None,
) -> list[str]:
    """Every source and licence of a still or an embed, in order: the events' sources with
    the date of their data (``methods``' credits, :mod:`geo.methods`), the context layers'
    attribution and licence with the layers that carry each, the outlets the events cite
    (the most cited first), ``extra``."""
    by_credit: dict[str, list[str]] = {}
    for name, layer in layers.items():
        for credit in layer_credits(layer):
            if name not in by_credit.setdefault(credit, []):
                by_credit[credit].append(name)
    methods = methods if methods is not None else methods_of(events)
    lang = methods.lang  # the layers' names in the edition's words; the credits as written
    parts = [tr("data: {credit}", lang, credit=credit) for credit in methods.credits]
    parts += [tr("{layers}: {credit}", lang, layers=listed([tr(n, lang) for n in names], lang),
                 credit=credit) for credit, names in by_credit.items()]  # fmt: skip
    outlets = pd.Series(
        [s.get("name", "") for srcs in events["sources"] for s in srcs if isinstance(s, dict)],
        dtype="object",
    )
    outlets = outlets[outlets.astype(str).str.strip() != ""]
    if len(outlets):
        counts = outlets.value_counts(sort=False)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        top = [str(k) for k, _ in ranked[:5]]
        more = len(ranked) - len(top)
        outlets_text = listed(top, lang)
        if more:
            outlets_text = tr("{names} and {count} more", lang, names=outlets_text,
                              count=figure(str(more), lang))  # fmt: skip
        parts.append(tr("events: reports by {outlets} (cited per event in the HTML map)", lang,
                        outlets=outlets_text))  # fmt: skip
    parts.extend(extra)
    return parts
