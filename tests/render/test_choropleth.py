"""The province choropleth: fixed classes, labels, the layer and its page spec."""

from __future__ import annotations

from pathlib import Path

import folium
import pytest

from geo.events import read_events
from geo.provinces import read_provinces
from geo.render.choropleth import add_choropleth, class_labels, classify, province_values

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def shipped():
    return read_provinces(DATA / "provinces.geojson"), read_events(DATA / "events.geojson").events


def test_unknown_choropleth_measure(shipped) -> None:
    provinces, events = shipped
    with pytest.raises(
        ValueError, match="unknown choropleth measure 'deaths'; accepted: events, fatalities"
    ):
        add_choropleth(folium.Map(), provinces, events, measure="deaths")


@pytest.mark.parametrize(
    ("value", "measure", "cls"),
    [
        (0, "events", -1),
        (1, "events", 0),
        (4, "events", 1),
        (5, "events", 2),
        (25, "events", 4),
        (9, "fatalities", 0),
        (10, "fatalities", 1),
        (249, "fatalities", 3),
        (408, "fatalities", 4),
    ],
)
def test_choropleth_classes_follow_fixed_breaks(value, measure, cls) -> None:
    assert classify([value], measure).tolist() == [cls]


def test_choropleth_labels() -> None:
    assert class_labels("events") == ["0", "1", "2–4", "5–9", "10–24", "25+"]


def test_values_count_events_and_fatalities_per_polygon(shipped) -> None:
    provinces, events = shipped
    names = provinces["province"].tolist()
    counts = dict(zip(names, province_values(provinces, events, "events"), strict=True))
    deaths = dict(zip(names, province_values(provinces, events, "fatalities"), strict=True))
    kabul = events[(events["province"] == "Kabul") & (events["country"] == "AFG")]
    assert counts["Kabul"] == len(kabul)
    assert deaths["Kabul"] == kabul["fatalities_best"].fillna(0).sum()
    assert counts["Zabul"] == 0


def test_spec_matches_layer_features(shipped) -> None:
    provinces, events = shipped
    m = folium.Map()
    layer, choro = add_choropleth(m, provinces, events, measure="fatalities")
    spec = choro["spec"]
    assert spec["keys"] == (provinces["province"].str.lower() + "|" + provinces["country"]).tolist()
    assert [f["properties"]["pid"] for f in layer.data["features"]] == [
        str(i) for i in range(len(provinces))
    ]
    assert spec["breaks"] == [1, 10, 50, 100, 250]
    assert choro["legend"]["layer"] == spec["layer"] == layer.layer_name
    assert [i["label"] for i in choro["legend"]["items"]] == [
        "0",
        "1–9",
        "10–49",
        "50–99",
        "100–249",
        "250+",
    ]


def test_the_page_holds_the_province_polygons_once(shipped) -> None:
    """The choropleth's features carry no geometry: the page gives each the outline layer's
    polygon with the same pid (geo/static/choropleth.js; a browser test draws it)."""
    from geo.render.provinces import LAYER_NAME, add_provinces

    provinces, events = shipped
    m = folium.Map()
    outlines = add_provinces(m, provinces)
    layer, choro = add_choropleth(m, provinces, events)
    assert choro["spec"]["outlines"] == LAYER_NAME == outlines.layer_name
    assert all(f["geometry"] is None for f in layer.data["features"])
    pids = [f["properties"]["pid"] for f in outlines.data["features"]]
    assert pids == [f["properties"]["pid"] for f in layer.data["features"]]
    assert all(
        f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in outlines.data["features"]
    )
