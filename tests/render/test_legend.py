"""The legend sections generated from the data."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geo.events import read_events
from geo.filters import event_figure
from geo.render.legend import legend_sections
from geo.render.style import TYPE_COLOURS

DATA = Path(__file__).resolve().parents[2] / "data"


def test_legend_lists_present_types_sizes_precision_and_context() -> None:
    events = read_events(DATA / "events.geojson").events
    sections = {s["title"]: s for s in legend_sections(events, has_belt=True, has_crossings=True)}
    types = sections["Event type"]["items"]
    assert [i["label"].split(" (")[0] for i in types] == sorted(
        set(events["event_type"]), key=list(TYPE_COLOURS).index
    )
    assert all(i["color"] == TYPE_COLOURS[i["label"].split(" (")[0]] for i in types)
    sizes = sections["Killed (best estimate)"]["items"]
    assert [i["label"] for i in sizes] == ["1", "10", "50", "100", "400"]  # the data reach 408
    radii = [i["radius"] for i in sizes]
    assert radii == sorted(radii) and radii[-1] <= 30
    kinds = {
        (i.get("hollow", False), i.get("dashed", False)) for i in sections["Precision"]["items"]
    }
    assert kinds == {(False, False), (True, False), (False, True)}
    context = [i["label"] for i in sections["Context"]["items"]]
    assert (
        context[0].startswith("Durand Line")
        and "Border belt" in context
        and "Border crossing" in context
    )
    # a crossing has a symbol of its own: never a circle, as every precision symbol is
    crossing = next(i for i in sections["Context"]["items"] if i["label"] == "Border crossing")
    assert crossing["kind"] == "diamond"
    assert {i["kind"] for i in sections["Precision"]["items"]} == {"circle"}


def test_size_scale_stops_at_the_largest_figure() -> None:
    events = read_events(DATA / "events.geojson").events
    small = events[np.nan_to_num(event_figure(events)) < 20]  # the figure sizes a circle
    sizes = next(
        s
        for s in legend_sections(small, has_belt=False, has_crossings=False)
        if s["title"].startswith("Killed")
    )
    assert [i["label"] for i in sizes["items"]] == ["1", "10"]
    context = next(
        s
        for s in legend_sections(small, has_belt=False, has_crossings=False)
        if s["title"] == "Context"
    )
    assert [i["label"] for i in context["items"]] == ["Durand Line (not recognised by Afghanistan)"]
