"""The pipeline as a library: load, validate, enrich, filter and map, as ``geo build`` does.

The command line is a thin layer over these functions, so a notebook gets the same map,
byte for byte, as the terminal::

    import geo
    m = geo.conflict_map("data/events.geojson", start="2022", end="2022")
    m              # shows inline in Jupyter, self-contained
    m.save("map.html")   # or .png, .svg, .pdf
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import geopandas as gpd
import pandas as pd

from geo._errors import InputError, Problem, ValidationError
from geo._memory import give_back
from geo.analysis import enrich
from geo.border import (
    BELT_KM,
    SHIPPED_BELT,
    border_belt,
    read_border,
    read_cities,
    read_countries,
    read_crossings,
    read_shipped_belt,
)
from geo.context import SHIPPED, data_dir
from geo.events import EVENT_TYPES, LoadReport, load_events, read_frame
from geo.provinces import read_provinces
from geo.timefilter import filter_events, parse_bound

#: What an events argument may be: file paths, a (Geo)DataFrame in the canonical, ACLED
#: or UCDP shape, or a :class:`~geo.events.LoadReport` already loaded.
EventsLike: TypeAlias = str | Path | Sequence[str | Path] | pd.DataFrame | LoadReport
_READERS = {
    "border": read_border,
    "provinces": read_provinces,
    "countries": read_countries,
    "crossings": read_crossings,
    "cities": read_cities,
}


@dataclass
class Context:
    """The context layers every map and enrichment uses.

    Attributes
    ----------
    border, countries, provinces : geopandas.GeoDataFrame
        The Durand Line, the AFG/PAK polygons deciding the side, the province polygons.
    crossings, cities : geopandas.GeoDataFrame or None
        Border crossings and towns (for the offline basemap and static maps).
    shipped : frozenset of str
        The roles taken from the shipped data (their credits are the project's own).
    """

    border: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame | None = None
    cities: gpd.GeoDataFrame | None = None
    shipped: frozenset[str] = frozenset()
    _belts: dict[float, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)

    def belt(self, width_km: float = BELT_KM) -> gpd.GeoDataFrame:
        """The border belt of ``width_km`` clipped to the two countries (computed once).

        The default width over the shipped line and countries is read from the copy
        ``scripts/make_belt.py`` stored beside them (the same polygon, without the 0.3 s
        of buffering and clipping), when it was made from those very files.
        """
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

    def layers(self, belt_km: float = BELT_KM) -> dict[str, gpd.GeoDataFrame | None]:
        """Every layer a map draws, by the keyword names of :func:`geo.render.build_map`."""
        return {
            "border": self.border,
            "belt": self.belt(belt_km),
            "provinces": self.provinces,
            "crossings": self.crossings,
            "countries": self.countries,
            "cities": self.cities,
        }


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
        ``border``, ``provinces``, ``countries``, ``crossings``, ``cities``: a path or a
        GeoDataFrame for that role. ``None`` means the default.

    Examples
    --------
    >>> ctx = load_context(crossings="my_crossings.geojson")  # doctest: +SKIP
    """
    unknown = set(overrides) - set(_READERS)
    if unknown:
        msg = f"unknown context layer(s) {sorted(unknown)}; accepted: {', '.join(_READERS)}"
        raise InputError(msg)
    folder = Path(data_dir_) if data_dir_ is not None else data_dir()
    layers: dict[str, gpd.GeoDataFrame | None] = {}
    shipped = set()
    for role, reader in _READERS.items():
        given = overrides.get(role)
        if isinstance(given, gpd.GeoDataFrame):
            layers[role] = given
        elif given is not None:
            layers[role] = reader(given)
        else:
            path = folder / SHIPPED[role]
            optional = role in ("crossings", "cities")
            if data_dir_ is None and role in STORED_ROLES:
                layers[role] = _stored_layers(folder).get(role)
                if layers[role] is not None:
                    shipped.add(role)
                    continue
            layers[role] = reader(path) if path.is_file() or not optional else None
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
    import hashlib
    import json

    import shapely

    path = folder / STORED_LAYERS
    found: dict[str, gpd.GeoDataFrame] = {}
    if not path.is_file():
        return found
    try:
        doc = json.loads(path.read_bytes())
        for feature in doc["features"]:
            props = feature["properties"]
            role = props["role"]
            if role not in STORED_ROLES or role in found:
                continue
            source = folder / SHIPPED[role]
            if hashlib.sha256(source.read_bytes()).hexdigest() != props["source_sha256"]:
                continue
            columns, dtypes = props["columns"], props["dtypes"]
            frame = pd.DataFrame(dict(zip(columns, zip(*props["rows"], strict=True), strict=True)))
            frame = frame.astype(dict(zip(columns, dtypes, strict=True)))
            wkb = [base64.b64decode(w) for w in props["wkb"]]
            found[role] = gpd.GeoDataFrame(frame, geometry=shapely.from_wkb(wkb), crs=props["crs"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return found


def load(events: EventsLike, *, strict: bool = False, crs: str | None = None) -> LoadReport:
    """Load events from paths, a DataFrame/GeoDataFrame, or pass a LoadReport through."""
    if isinstance(events, LoadReport):
        return events
    if isinstance(events, pd.DataFrame):
        return read_frame(events, strict=strict, crs=crs)
    paths = [events] if isinstance(events, str | Path) else list(events)
    return load_events(paths, strict=strict, crs=crs)


def validate(data: EventsLike, *, crs: str | None = None) -> list[Problem]:
    """Every problem in ``data`` (files or frames), with the messages ``geo validate`` prints.

    Frames are checked like files: ACLED and UCDP shapes are recognised by their columns,
    and a problem's place is the row label (``"row 3"``).
    """
    try:
        return load(data, crs=crs).problems
    except ValidationError as exc:
        return exc.problems


@dataclass
class Prepared:
    """Loaded, enriched and filtered events, and what happened on the way."""

    report: LoadReport
    shown: gpd.GeoDataFrame
    warnings: list[Problem]
    start: pd.Timestamp | None
    end: pd.Timestamp | None


#: How :func:`prepare` names its parameters in messages; the command line passes its
#: option names instead (``--start``, ``--type`` ...).
LABELS = {"start": "start", "end": "end", "types": "event type", "provinces": "province"}


def prepare(
    events: EventsLike | None = None,
    *,
    context: Context,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    types: Sequence[str] = (),
    provinces: Sequence[str] = (),
    belt_km: float = BELT_KM,
    strict: bool = False,
    crs: str | None = None,
    labels: Mapping[str, str] = LABELS,
    actors: Sequence[str] = (),
    sub_types: Sequence[str] = (),
    min_fatalities: int | None = None,
    text: str | None = None,
    enrich_only: Sequence[str] | None = None,
) -> Prepared:
    """Load, enrich and filter events as ``geo build`` does (the shipped events by default).

    Options are checked before any file is read: a bad date, an unknown event type or an
    end before the start fails at once. Provinces are checked against the polygons and the
    events' own provinces once the events are loaded. ``enrich_only`` is
    :func:`geo.analysis.enrich`'s ``only`` (``geo stats`` computes what it groups by).
    """
    lo = _bound(start, labels["start"], end=False)
    hi = _bound(end, labels["end"], end=True)
    if lo is not None and hi is not None and hi < lo:
        msg = f"{labels['end']} {hi.date()} is before {labels['start']} {lo.date()}"
        raise InputError(msg)
    check_choices(types, list(EVENT_TYPES), labels["types"])
    source = events if events is not None else data_dir() / SHIPPED["events"]
    report = load(source, strict=strict, crs=crs)
    give_back()  # what reading and validation freed, before enrichment adds its columns
    result = enrich(
        report.events,
        border=context.border,
        countries=context.countries,
        provinces=context.provinces,
        belt_km=belt_km,
        only=enrich_only,
    )
    report.events = result.events
    give_back()
    known = set(context.provinces["province"]) | set(report.events["province"].unique())
    check_choices(provinces, sorted(known - {""}), labels["provinces"])
    shown = filter_events(
        report.events, start=lo, end=hi, provinces=provinces, types=types, actors=actors,
        sub_types=sub_types, min_fatalities=min_fatalities, text=text,
    )  # fmt: skip
    return Prepared(report, shown, result.warnings, lo, hi)


def _bound(value: str | pd.Timestamp | None, name: str, *, end: bool) -> pd.Timestamp | None:
    if value is None or isinstance(value, pd.Timestamp):
        return value
    return parse_bound(str(value), option=name, end=end)


def check_choices(values: Sequence[str], accepted: Sequence[str], what: str) -> None:
    """Raise ``InputError`` naming ``what`` and the accepted values for any unknown value."""
    lower = {a.lower() for a in accepted}
    for v in values:
        if v.lower() not in lower:
            msg = f"{what} {v!r} is not known; accepted: {', '.join(sorted(accepted))}"
            raise InputError(msg)


def map_from(
    prepared: Prepared,
    *,
    context: Context,
    belt_km: float = BELT_KM,
    choropleth: str | None = "events",
    title: str = "Durand Line conflict map",
    description: str | None = None,
) -> Any:
    """The interactive map of prepared events (see :func:`conflict_map`)."""
    from geo.render import build_map

    layers = context.layers(belt_km)
    m = build_map(
        prepared.shown,
        **layers,
        choropleth=choropleth,
        start=prepared.start,
        end=prepared.end,
        title=title,
        description=description,
    )
    m.prepared = prepared
    m.static_options = {
        "layers": layers, "start": prepared.start, "end": prepared.end,
        "title": title, "description": description,
    }  # fmt: skip
    return m


def conflict_map(
    events: EventsLike | None = None,
    *,
    context: Context | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    types: Sequence[str] = (),
    provinces: Sequence[str] = (),
    belt_km: float = BELT_KM,
    choropleth: str | None = "events",
    title: str = "Durand Line conflict map",
    description: str | None = None,
    strict: bool = False,
    crs: str | None = None,
    actors: Sequence[str] = (),
    sub_types: Sequence[str] = (),
    min_fatalities: int | None = None,
    text: str | None = None,
) -> Any:
    """The map ``geo build`` makes, as an object: displays inline, ``.save()`` writes it.

    Parameters
    ----------
    events : paths, DataFrame, GeoDataFrame or LoadReport, optional
        The events (canonical, ACLED or UCDP shape); the shipped events by default.
    context : Context, optional
        The context layers; by default :func:`load_context` of the shipped data.
    start, end : str or Timestamp, optional
        The date window (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), inclusive.
    types, provinces : sequence of str
        Keep only these event types / provinces (case-insensitive).
    actors, sub_types, min_fatalities, text
        Keep only events with these actors / sub-event types, at least this many killed
        (best estimate, else high), or every word of ``text`` in the summary, place,
        actors or sources (``geo.timefilter.filter_events``; the page's filters too).
    belt_km, choropleth, title, description
        As the command line's ``--belt-km``, ``--choropleth``, ``--title``, ``--description``.

    Returns
    -------
    geo.render.ConflictMap
        A folium map; ``m.save("x.html")`` writes the self-contained page (or a PNG, SVG or
        PDF by the suffix), ``m.prepared`` holds the events shown and the problems found.
    """
    ctx = context if context is not None else load_context()
    prepared = prepare(
        events, context=ctx, start=start, end=end, types=types, provinces=provinces,
        belt_km=belt_km, strict=strict, crs=crs, actors=actors, sub_types=sub_types,
        min_fatalities=min_fatalities, text=text,
    )  # fmt: skip
    m = map_from(
        prepared, context=ctx, belt_km=belt_km, choropleth=choropleth, title=title,
        description=description,
    )  # fmt: skip
    m.static_options.update(types=list(types), provinces=list(provinces))
    return m
