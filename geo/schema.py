"""The canonical event schema: event types, precisions, fields and columns.

The bottom of the package: it imports nothing from ``geo`` when loaded, so the readers
(:mod:`geo.events`), validation (:mod:`geo._validate`) and the format mappings can all
import it without a cycle.
"""

from __future__ import annotations

import math

#: ACLED event types and, for each, the sub-event types it allows.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Suicide bomb",
        "Remote explosive/landmine/IED",
        "Grenade",
        "Chemical weapon",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
#: Every sub-event type, in the order of :data:`EVENT_TYPES`.
SUB_EVENT_TYPES: tuple[str, ...] = tuple(s for subs in EVENT_TYPES.values() for s in subs)
DATE_PRECISIONS = ("day", "month", "year")
GEO_PRECISIONS = ("exact", "district", "province")
CASUALTY_FIELDS = (
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "injured_low",
    "injured_best",
    "injured_high",
)
#: An event's figure: the one number of killed that sizes its symbol (page, legend and
#: stills) and that a minimum-fatalities filter compares, the first of these it has.
FIGURE_FIELDS = ("fatalities_best", "fatalities_high", "fatalities_low")
#: Counts of UCDP GED's death breakdown (``deaths_a``, ``deaths_b``, ...), per party.
DEATH_FIELDS = ("deaths_side_a", "deaths_side_b", "deaths_civilians", "deaths_unknown")
#: Text that some formats carry and others do not: ACLED's associated actors, admin3,
#: civilian targeting, disorder type, interaction and source scale; UCDP's conflict and
#: dyad names; the dataset a record comes from (``ACLED``, ``UCDP GED``, or any name a
#: canonical file gives) and the day that dataset last updated it (ACLED's ``timestamp``,
#: ``YYYY-MM-DD``), which the credits of every output name. Empty where the input has no
#: such field; the page then shows nothing.
OPTIONAL_TEXT_FIELDS = (
    "assoc_actor1",
    "assoc_actor2",
    "admin3",
    "civilian_targeting",
    "disorder_type",
    "interaction",
    "source_scale",
    "conflict_name",
    "dyad_name",
    "dataset",
    "dataset_updated",
)
TEXT_FIELDS = (
    "event_id",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "province",
    "admin2",
    "location",
    "summary",
    "fatality_note",
    *OPTIONAL_TEXT_FIELDS,
)

#: The canonical columns and their dtypes, in order (plus ``geometry``).
COLUMNS: dict[str, str] = {
    "event_id": "str",
    "date_start": "datetime64[ns]",
    "date_end": "datetime64[ns]",
    "date_precision": "str",
    "event_type": "str",
    "sub_event_type": "str",
    "disorder_type": "str",
    "actor1": "str",
    "assoc_actor1": "str",
    "actor2": "str",
    "assoc_actor2": "str",
    "interaction": "str",
    "civilian_targeting": "str",
    "conflict_name": "str",
    "dyad_name": "str",
    "country": "str",
    "province": "str",
    "admin2": "str",
    "admin3": "str",
    "location": "str",
    "geo_precision": "str",
    **{name: "Int64" for name in CASUALTY_FIELDS},
    **{name: "Int64" for name in DEATH_FIELDS},
    "summary": "str",
    "fatality_note": "str",
    "sources": "object",
    "source_scale": "str",
    "dataset": "str",
    "dataset_updated": "str",
    "tags": "object",
    "origin_file": "str",
    "origin_record": "str",
}
#: Where each event was read: the file (as given) and the record in it (``"feature 3"``,
#: ``"line 4"``, ``"row 2"``), kept apart so that nothing has to split a string again.
ORIGIN_COLUMNS = ("origin_file", "origin_record")
#: The fields every event must have (besides a point).
REQUIRED = ("event_id", "date_start", "event_type")
RAW_FIELDS = tuple(name for name in COLUMNS if name not in ORIGIN_COLUMNS)
LAT_ALIASES = ("latitude", "lat", "y")
LON_ALIASES = ("longitude", "lon", "lng", "long", "x")


# ---- what the commands accept (here so that ``geo --help`` needs no geopandas) ----

#: Aggregation periods of ``geo stats`` and ``geo batch``: name -> pandas period code.
PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}
#: The periods of an animation (``geo animate``): those above and weeks, Monday to Sunday.
ANIMATION_PERIODS = {"week": "W-SUN", **PERIODS}
#: Named frame sizes of an animation (pixels): a square post, a portrait post, a landscape video.
SOCIAL_SIZES = {"square": (1080, 1080), "portrait": (1080, 1350), "landscape": (1920, 1080)}
#: How long an animation shows each period, in milliseconds, by default.
FRAME_MS = 1000
#: What ``geo stats`` groups by.
GROUPS = ("province", "country", "event_type", "border_side", "belt")
#: Default width of the border belt, in km on either side of the line.
BELT_KM = 50.0
#: Accepted belt widths in km: narrower than 100 m means nothing at this data's precision;
#: wider than 1,000 km covers both countries whole.
BELT_RANGE_KM = (0.1, 1000.0)


def check_belt_km(width_km: float) -> float:
    """Return ``width_km`` as a float if it is a usable belt width, else raise ``InputError``.

    Raises
    ------
    InputError
        Naming the value and the accepted range (NaN, infinities and 1e-300 included).
    """
    from geo._errors import InputError

    lo, hi = BELT_RANGE_KM
    try:
        value = float(width_km)
    except (TypeError, ValueError):
        value = math.nan
    if not (lo <= value <= hi):  # also false for NaN
        msg = f"belt width {width_km!r} km is not accepted; accepted: {lo:g} to {hi:g} km"
        raise InputError(msg)
    return value
