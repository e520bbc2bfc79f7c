"""Which events a map draws in colour: ``--highlight SPEC``, parsed and evaluated once.

A highlight keeps every event shown and draws the events it picks in their type's colour,
the others in a muted grey (:data:`geo.render.style.MUTED`) under them, as context. A spec
is one of

- an event id (``DL-20260221-KURRAM``; ``id=…`` says so explicitly, for an id that holds
  ``=`` or ``..``),
- a date window ``START..END`` (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; either side may be
  left open): the events whose ``[date_start, date_end]`` overlaps it, as ``--start``/``--end``
  keep them,
- ``type=…``, ``province=…`` (comma-separated, checked against the known names as
  ``--type``/``--province`` are) or ``actor=…`` (one name, ``actor1`` or ``actor2``).

Several specs are OR-ed: an event is highlighted when any of them picks it. Every part that
filters is a :class:`geo.filters.Filters`, so a highlight matches exactly as the build's own
filters do. :meth:`Highlight.mask` is the one evaluation: the page receives its booleans
as an event column (``highlighted``) and the stills draw from the same booleans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo._errors import InputError
from geo.filters import Filters, check_choices, parse_bound

#: What a spec may be, as error messages state it.
ACCEPTED = "an event id, a date window START..END, type=TYPE, actor=ACTOR, province=PROVINCE, id=ID"
_KEYS = ("type", "actor", "province", "id")


@dataclass(frozen=True)
class Rule:
    """One parsed spec: the text given, and either the filters it stands for or an id."""

    spec: str
    filters: Filters | None = None
    event_id: str | None = None

    def mask(self, events: pd.DataFrame) -> np.ndarray:
        if self.filters is not None:
            return self.filters.mask(events)
        return (events["event_id"].astype(str) == self.event_id).to_numpy(dtype=bool)

    def describe(self) -> str:
        """The rule in words: ``21 Feb 2026 – 16 Mar 2026``, ``type Battles``, ``event X``."""
        if self.event_id is not None:
            return f"event {self.event_id}"
        f = self.filters
        assert f is not None
        if f.start is not None or f.end is not None:
            if f.start is not None and f.end is not None:
                return f"{_day(f.start)} – {_day(f.end)}"
            return f"from {_day(f.start)}" if f.start is not None else f"until {_day(f.end)}"
        for what, values in (("type", f.types), ("province", f.provinces), ("actor", f.actors)):
            if values:
                return f"{what} " + " or ".join(values)
        return self.spec


def _day(ts: pd.Timestamp | None) -> str:
    assert ts is not None
    return f"{ts.day} {ts:%b %Y}"


def parse_rule(spec: str, option: str = "--highlight") -> Rule:
    """Parse one spec; an ``InputError`` names ``option``, the value and what is accepted."""
    if not isinstance(spec, str):
        msg = f"{option}: {spec!r} is not text; accepted: {ACCEPTED}"
        raise InputError(msg)
    text = spec.strip()
    where = f"{option} {text!r}"
    if not text:
        msg = f"{option}: an empty value; accepted: {ACCEPTED}"
        raise InputError(msg)
    key, sep, value = text.partition("=")
    if sep and key.strip().lower() in _KEYS:
        key, value = key.strip().lower(), value.strip()
        if not value:
            msg = f"{where}: {key}= needs a value; accepted: {ACCEPTED}"
            raise InputError(msg)
        if key == "id":
            return Rule(text, event_id=value)
        label = f"{where}:"
        labels = {"types": label, "provinces": label, "actors": label, "sub_types": "--sub-type"}
        if key == "actor":
            return Rule(text, Filters(actors=[value], labels=labels))
        names = [v.strip() for v in value.split(",") if v.strip()]
        if key == "type":
            return Rule(text, Filters(types=names, labels=labels))
        return Rule(text, Filters(provinces=names, labels=labels))
    if sep:
        msg = f"{where}: {key.strip()!r} is not known; accepted: {ACCEPTED}"
        raise InputError(msg)
    if ".." in text:
        lo, _, hi = text.partition("..")
        if not lo.strip() and not hi.strip():
            msg = f"{where}: a date window needs a start or an end; accepted: {ACCEPTED}"
            raise InputError(msg)
        start = parse_bound(lo, option=f"{where}: start") if lo.strip() else None
        end = parse_bound(hi, option=f"{where}: end", end=True) if hi.strip() else None
        if start is not None and end is not None and end < start:
            msg = f"{where}: the end {end.date()} is before the start {start.date()}"
            raise InputError(msg)
        return Rule(text, Filters(start=start, end=end))
    return Rule(text, event_id=text)


@dataclass(frozen=True)
class Highlight:
    """The specs of ``--highlight``, parsed and checked when made (OR-ed together).

    Parameters
    ----------
    specs : str or sequence of str
        One spec or several (see the module's documentation).
    option : str
        How messages name the option (``--highlight``; ``highlight`` from Python).

    Examples
    --------
    >>> Highlight(["2026-02-21..2026-03-16"]).describe()
    '21 Feb 2026 – 16 Mar 2026'
    """

    specs: Sequence[str]
    option: str = field(default="--highlight", compare=False, repr=False)
    rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        specs = [self.specs] if isinstance(self.specs, str) else list(self.specs)
        rules = tuple(parse_rule(s, self.option) for s in specs)
        if not rules:
            msg = f"{self.option}: no value; accepted: {ACCEPTED}"
            raise InputError(msg)
        object.__setattr__(self, "specs", tuple(r.spec for r in rules))
        object.__setattr__(self, "rules", rules)

    def mask(self, events: pd.DataFrame) -> np.ndarray:
        """Which rows of ``events`` are highlighted (a boolean array): any rule picks them."""
        out = np.zeros(len(events), dtype=bool)
        for rule in self.rules:
            out |= rule.mask(events)
        return out

    def describe(self) -> str:
        """What is highlighted, in words (the legend's and the caption's text)."""
        return " or ".join(dict.fromkeys(r.describe() for r in self.rules))

    def check(self, events: pd.DataFrame, provinces: Iterable[str] = ()) -> None:
        """Refuse (``InputError``) a province that no polygon (``provinces``) and no event
        names, and an event id that none of ``events`` (every event read) has."""
        known = sorted((set(provinces) | set(events["province"].astype(str).unique())) - {""})
        ids = set(events["event_id"].astype(str))
        for rule in self.rules:
            if rule.event_id is not None and rule.event_id not in ids:
                msg = f"{self.option} {rule.spec!r}: no event has this id; accepted: {ACCEPTED}"
                raise InputError(msg)
            if rule.filters is not None and rule.filters.provinces:
                check_choices(rule.filters.provinces, known, f"{self.option} {rule.spec!r}:")

    def notes(self, shown: pd.DataFrame) -> list[str]:
        """A note for each spec that picks none of the events ``shown`` (an actor no event
        names, a window without events, an event the build's filters leave out)."""
        return [
            f"{self.option} {rule.spec!r} picks none of the {len(shown):,} events shown"
            for rule in self.rules
            if not rule.mask(shown).any()
        ]


def highlight_of(value: Highlight | str | Sequence[str] | None, option: str) -> Highlight | None:
    """A :class:`Highlight` of what the API or a spec gives (None or empty: none)."""
    if value is None or isinstance(value, Highlight):
        return value
    if not isinstance(value, str) and not len(value):
        return None
    return Highlight(value, option=option)
