"""Annotations: short callouts an editor adds to a map, tied to an event or to a place.

``--annotate EVENT_ID`` writes a callout next to an event, its text made from the event's
date, place and toll ("16 Mar 2026 — Kabul: 408 killed"); ``--annotate 'EVENT_ID=Text'``
gives the text. ``--note 'LON,LAT=Text'`` ties one to a place, and ``--note
'LON,LAT,START..END=Text'`` shows it only while the map's dates overlap that window
(either end may be left open). A text ending in ``@n``, ``@ne``, ``@e``, ``@se``, ``@s``,
``@sw``, ``@w`` or ``@nw`` puts the callout in that direction from its anchor when it fits
there (elsewhere, by the usual rule, when it does not).

Callouts are placed by the rule every name follows (:mod:`geo.render.labels`, kind
``note``, the first in priority), in a white box with a leader line to their anchor. A
callout tied to an event is shown while that event is: in the page, while it is in the
date range and its type is shown; in a still, when it is among the events drawn. Texts are
data: every output shows them as text.
"""

from __future__ import annotations

import math
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geo._errors import InputError

#: Nudge suffixes: a direction from the anchor, as a candidate spot of
#: :data:`geo.render.labels.NOTE_SPOTS` (x right, y down).
DIRECTIONS: dict[str, tuple[int, int]] = {
    "n": (0, -1), "ne": (1, -1), "e": (1, 0), "se": (1, 1),
    "s": (0, 1), "sw": (-1, 1), "w": (-1, 0), "nw": (-1, -1),
}  # fmt: skip
#: Characters per line of a callout's text: wrapped once, here, so that the page and the
#: stills break its lines at the same words.
WRAP_CHARS = 28
#: The longest text accepted, in characters: a callout is a line or three, not a paragraph.
MAX_CHARS = 200
_NUDGE = re.compile(r"@(" + "|".join(sorted(DIRECTIONS, key=len, reverse=True)) + r")\s*$")


@dataclass(frozen=True)
class Annotation:
    """An annotation as asked for: tied to ``event`` (an event id), or to the point
    ``lon``, ``lat``; ``text`` None for the event's default text; ``nudge`` a direction of
    :data:`DIRECTIONS` or None; ``window`` the days (``YYYY-MM-DD``, either None for open)
    a note is shown in, or None for always."""

    event: str | None = None
    text: str | None = None
    lon: float | None = None
    lat: float | None = None
    nudge: str | None = None
    window: tuple[str | None, str | None] | None = None


@dataclass(frozen=True)
class Callout:
    """An annotation ready to draw: its text (wrapped, lines joined by ``\\n``), its anchor
    in degrees, the event it is tied to (id), the days it is shown (day numbers since
    1970-01-01, inclusive; None for open) and its nudge."""

    text: str
    lon: float
    lat: float
    event: str | None
    first: int | None
    last: int | None
    nudge: str | None


def _clean(text: str) -> str:
    """A text as a callout shows it: one line of words, control characters and line or
    paragraph separators as spaces (as :func:`geo.render.static.display_text` draws them)."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in str(text))
    return " ".join(text.split())


def _split_text(option: str, value: str, text: str) -> tuple[str, str | None]:
    """The text and its nudge (``Text@ne``); empty text is an error."""
    nudge = None
    found = _NUDGE.search(text)
    if found:
        nudge, text = found.group(1), text[: found.start()]
    text = _clean(text)
    if not text:
        msg = (
            f"{option} {value!r}: the text is empty; give one after '=' "
            f"(e.g. {option} 'ID=Airstrike on the depot'), optionally ending in "
            f"@{'|@'.join(DIRECTIONS)}"
        )
        raise InputError(msg)
    if len(text) > MAX_CHARS:
        msg = f"{option} {value[:40]!r}…: the text has {len(text)} characters; at most {MAX_CHARS}"
        raise InputError(msg)
    return text, nudge


def parse_annotate(value: str) -> Annotation:
    """``EVENT_ID``, ``EVENT_ID=Text`` or ``EVENT_ID=Text@ne`` (``--annotate``)."""
    if isinstance(value, Annotation):
        return value
    value = str(value)
    key, sep, text = value.partition("=")
    event = key.strip()
    nudge = None
    if not sep:
        found = _NUDGE.search(event)  # EVENT_ID@ne: the default text, nudged
        if found:
            nudge, event = found.group(1), event[: found.start()].strip()
    if not event:
        msg = f"--annotate {value!r}: no event id; accepted: EVENT_ID, 'EVENT_ID=Text' or 'EVENT_ID=Text@ne'"
        raise InputError(msg)
    if not sep:
        return Annotation(event=event, nudge=nudge)
    text, nudge = _split_text("--annotate", value, text)
    return Annotation(event=event, text=text, nudge=nudge)


def _number(text: str, low: float, high: float) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) and low <= x <= high else None


def parse_note(value: str) -> Annotation:
    """``LON,LAT=Text`` or ``LON,LAT,START..END=Text``, the text optionally ending in a
    nudge (``--note``)."""
    if isinstance(value, Annotation):
        return value
    from geo.filters import parse_bound

    value = str(value)
    key, sep, text = value.partition("=")
    parts = [p.strip() for p in key.split(",")]
    accepted = (
        "accepted: 'LON,LAT=Text' or 'LON,LAT,START..END=Text' in degrees (longitude "
        "-180 to 180, latitude -90 to 90; dates YYYY-MM-DD, either end may be empty), the text "
        f"optionally ending in @{'|@'.join(DIRECTIONS)}"
    )
    if not sep or len(parts) not in (2, 3):
        raise InputError(f"--note {value!r}: {accepted}")
    lon, lat = _number(parts[0], -180, 180), _number(parts[1], -90, 90)
    if lon is None or lat is None:
        raise InputError(f"--note {value!r}: bad coordinates {parts[0]!r},{parts[1]!r}; {accepted}")
    window = None
    if len(parts) == 3:
        first, dots, last = parts[2].partition("..")
        if not dots or not (first.strip() or last.strip()):
            raise InputError(f"--note {value!r}: bad date window {parts[2]!r}; {accepted}")
        days: list[str | None] = []
        for bound, end in ((first.strip(), False), (last.strip(), True)):
            if not bound:
                days.append(None)
                continue
            try:
                day = parse_bound(bound, option="--note", end=end)
            except InputError:
                raise InputError(f"--note {value!r}: bad date {bound!r}; {accepted}") from None
            days.append(f"{day:%Y-%m-%d}")
        if days[0] is not None and days[1] is not None and days[1] < days[0]:
            raise InputError(f"--note {value!r}: the window ends before it starts; {accepted}")
        window = (days[0], days[1])
    text, nudge = _split_text("--note", value, text)
    return Annotation(text=text, lon=lon, lat=lat, nudge=nudge, window=window)


def parse_all(annotate: Any = (), notes: Any = ()) -> tuple[Annotation, ...]:
    """``--annotate`` values then ``--note`` values, parsed (an :class:`Annotation` stays
    itself); a single string counts as one value."""
    annotate = (annotate,) if isinstance(annotate, str | Annotation) else tuple(annotate or ())
    notes = (notes,) if isinstance(notes, str | Annotation) else tuple(notes or ())
    return (*map(parse_annotate, annotate), *map(parse_note, notes))


# --------------------------------------------------------------------------------------
# Texts and anchors
# --------------------------------------------------------------------------------------


def _day(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%b %Y}"


#: The longest place name a default text takes from an event's location.
PLACE_CHARS = 24
#: A location that says it does not know the place (``venue not disclosed``).
_UNKNOWN = re.compile(r"\bnot (disclosed|reported|named|known)\b", re.IGNORECASE)


def short_place(location: Any) -> str:
    """The place a default text names from a location: its last part, without remarks in
    brackets (``Army Public School, Warsak Road, Peshawar`` gives ``Peshawar``, ``Kabul
    (talks hosted by ...)`` ``Kabul``), or "" when that is empty or longer than
    :data:`PLACE_CHARS` or says the place is not known (the province is named then)."""
    if not isinstance(location, str):
        return ""
    text = _clean(re.sub(r"\([^()]*\)", " ", location))
    last = _clean(text.rsplit(",", 1)[-1]) if text else ""
    return last if len(last) <= PLACE_CHARS and not _UNKNOWN.search(last) else ""


def default_text(row: pd.Series) -> str:
    """``16 Mar 2026 — Kabul: 408 killed``: the event's day (or days, or the month or year
    a date known only to them), its place
    (:func:`short_place` of its location, else its province) and its best estimate of
    killed (nothing when unknown or none)."""
    start, end = pd.Timestamp(row["date_start"]), pd.Timestamp(row["date_end"])
    start, end = start.normalize(), end.normalize()
    whole_month = start.day == 1 and end == start + pd.offsets.MonthEnd(0)
    if end == start:
        when = _day(start)
    elif whole_month:  # a date known to the month: "Oct 2025"
        when = f"{start:%b %Y}"
    elif (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        when = f"{start.year}"
    elif (start.year, start.month) == (end.year, end.month):
        when = f"{start.day}–{_day(end)}"
    else:
        when = f"{_day(start)} – {_day(end)}"
    place = short_place(row.get("location")) or _clean(str(row.get("province") or ""))
    text = f"{when} — {place}" if place else when
    best = row.get("fatalities_best")
    if best is not None and not pd.isna(best) and int(best) > 0:
        text += f": {int(best):,} killed"
    return text


def wrap_text(text: str) -> str:
    """The lines of a callout, at most :data:`WRAP_CHARS` characters each where its words
    allow and as even as the same number of lines can be, joined by ``\\n``."""
    lines = textwrap.wrap(text, WRAP_CHARS, break_on_hyphens=False)
    # as many lines, as even as they can be: no word left alone on the last line
    for width in range(max(1, -(-len(text) // max(1, len(lines)))), WRAP_CHARS):
        even = textwrap.wrap(text, width, break_on_hyphens=False)
        if len(even) == len(lines) and all(len(w) <= width for w in text.split()):
            lines = even
            break
    return "\n".join(lines) or text


def _days(date: str | None) -> int | None:
    if date is None:
        return None
    return int((pd.Timestamp(date) - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1))


def resolve(annotations: tuple[Annotation, ...], events: pd.DataFrame) -> list[Callout]:
    """The callouts of ``annotations`` over ``events`` (those the map shows), in the order
    given; an event id not among them is an error naming the option and the id."""
    if not annotations:
        return []
    ids = events["event_id"].astype(str) if "event_id" in events else pd.Series(dtype=str)
    index = {v: i for i, v in enumerate(ids)}
    out = []
    for a in annotations:
        if a.event is None:
            first, last = a.window if a.window else (None, None)
            out.append(
                Callout(wrap_text(a.text or ""), round(float(a.lon or 0), 5),
                        round(float(a.lat or 0), 5), None, _days(first), _days(last), a.nudge)
            )  # fmt: skip
            continue
        if a.event not in index:
            sample = ", ".join(list(index)[:3])
            msg = (
                f"--annotate {a.event!r}: no event with this id among the {len(index):,} events "
                f"the map shows (after the filters); accepted: an event_id of the events file"
                + (f", e.g. {sample}" if sample else "")
            )
            raise InputError(msg)
        row = events.iloc[index[a.event]]
        geom = row.geometry
        out.append(
            Callout(
                wrap_text(a.text if a.text is not None else default_text(row)),
                round(float(geom.x), 5),
                round(float(geom.y), 5),
                a.event,
                None,
                None,
                a.nudge,
            )
        )
    return out


def in_window(c: Callout, start: pd.Timestamp | None, end: pd.Timestamp | None) -> bool:
    """Whether a note's days overlap a still's window (``start``..``end``, None for open)."""
    if c.first is not None and end is not None and c.first > _days(f"{end:%Y-%m-%d}"):  # type: ignore[operator]
        return False
    return not (c.last is not None and start is not None and c.last < _days(f"{start:%Y-%m-%d}"))  # type: ignore[operator]
