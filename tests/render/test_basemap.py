"""The offline basemap's neighbouring countries, and their names in the page and the stills."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
import shapely

from geo import api
from geo.render.basemap import neighbour_labels
from geo.render.static import image_bytes, static_map


@pytest.fixture(scope="module")
def ctx():
    return api.load_context()


def test_the_shipped_neighbours_ring_the_two_countries(ctx) -> None:
    n = ctx.neighbours
    assert n is not None
    assert {"IRN", "IND", "CHN", "TJK", "UZB", "TKM"} <= set(n["country"])
    assert not {"AFG", "PAK"} & set(n["country"])
    assert n.geometry.is_valid.all()
    # they touch the two countries (the borders they share are drawn, not sea)
    two = shapely.union_all(ctx.countries.geometry.values)
    for code in ("IRN", "IND", "CHN", "TJK"):
        land = n.loc[n["country"] == code].geometry.iat[0]
        assert land.distance(two) < 0.05, code  # degrees: within the 2.5 km drawing


def test_names_sit_inside_their_country_with_room(ctx) -> None:
    found = neighbour_labels(ctx.neighbours)
    names = [f[0] for f in found]
    assert {"Iran", "India", "China"} <= set(names)
    assert names[0] in ("China", "India", "Kazakhstan", "Iran")  # the largest land first
    for name, lon, lat in found:
        land = ctx.neighbours.loc[ctx.neighbours["country_name"] == name].geometry.iat[0]
        assert land.contains(shapely.Point(lon, lat)), name
    # a country with no room for a name is not named
    assert neighbour_labels(ctx.neighbours, room_km=5000.0) == []
    assert neighbour_labels(None) == [] and neighbour_labels(ctx.neighbours.iloc[:0]) == []


def test_the_page_draws_and_names_them_as_text(ctx) -> None:
    from geo.render import build_map
    from geo.render.html import to_html

    hostile = ctx.neighbours.copy()
    hostile.loc[hostile["country"] == "IRN", "country_name"] = "<b>Iran</b>{{ 7*7 }}"
    layers = dataclasses.replace(ctx.layers(), neighbours=hostile)
    html = to_html(build_map(api.prepare(None, context=ctx).shown, layers=layers))
    # data in the configuration (the page sets it as text), never evaluated as a template
    found = re.search(
        r'<script type="application/json" id="[^"]*_config">(.*?)</script>', html, re.S
    )
    assert found
    items = json.loads(found.group(1))["labels"]["items"]
    countries = [text for kind, text, _, _ in items if kind == "country"]
    assert countries == [name for name, _, _ in neighbour_labels(hostile)]
    assert "<b>Iran</b>{{ 7*7 }}" in countries and len(countries) >= 6
    assert "<b>Iran</b>" not in html and "{{ 7*7 }}" not in html


def test_the_still_names_the_neighbours_in_its_frame(ctx) -> None:
    events = api.prepare(None, context=ctx).shown
    # without the detail panel, which takes the empty north-east corner of this frame and
    # whose names give way to it
    options = api.map_options(extent="events", detail=False)
    fig = static_map(events, layers=ctx.layers(), options=options)
    labels = fig.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == "neighbour-label")
    names = [t.get_text() for t in labels]
    assert {"IRAN", "INDIA", "CHINA"} <= set(names)
    assert image_bytes(fig, "png")  # draws
