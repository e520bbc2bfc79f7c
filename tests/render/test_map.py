"""The folium object tree, the encoded event columns, and escaping in the rendered page."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import folium
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from geo._errors import InputError
from geo.border import read_border, read_crossings
from geo.context import Layers
from geo.events import read_events
from geo.filters import Filters
from geo.provinces import read_provinces
from geo.render import build_map
from geo.render._util import script_json
from geo.render.events import encode_events, type_entries
from geo.render.html import to_html
from geo.render.options import MapOptions
from geo.render.page import MapPage
from geo.render.style import TYPE_COLOURS

HOSTILE = "</script><script>alert(1)</script>"
HOSTILE_TAG = "<img src=x onerror=alert(1)>"


@pytest.fixture
def context(context_dir):
    return {
        "border": read_border(context_dir / "durand_line.geojson"),
        "provinces": read_provinces(context_dir / "provinces.geojson"),
        "crossings": read_crossings(context_dir / "crossings.geojson"),
    }


@pytest.fixture
def events(context_dir):
    return read_events(context_dir / "events.geojson").events


def _soup(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def _config(page: str) -> tuple[str, dict]:
    blocks = [
        s
        for s in _soup(page).find_all("script", attrs={"type": "application/json"})
        if s.get("id", "").endswith("_config")
    ]
    assert len(blocks) == 1
    text = blocks[0].string
    return text, json.loads(text)


def _children(m: folium.Map) -> list:
    return list(m._children.values())


# --------------------------------------------------------------------------------------
# Object tree
# --------------------------------------------------------------------------------------


def test_build_map_object_tree(events, context):
    m = build_map(events, layers=Layers(**context))
    children = _children(m)
    layers = [c for c in children if isinstance(c, MapPage)]
    assert len(layers) == 1
    controls = [c for c in children if isinstance(c, folium.LayerControl)]
    assert len(controls) == 1
    assert layers[0].control is controls[0]
    names = [c.layer_name for c in children if isinstance(c, folium.GeoJson)]
    for name in ("Durand Line", "Provinces", "Border crossings"):
        assert names.count(name) == 1
    context_names = [name for name, _ in layers[0].context]
    assert {"Durand Line", "Provinces", "Border crossings"} <= set(context_names)
    for name, layer in layers[0].context:
        assert layer in children
        assert layer.layer_name == name


def test_build_map_without_context_has_no_geojson(events):
    m = build_map(events)
    children = _children(m)
    assert not [c for c in children if isinstance(c, folium.GeoJson)]
    (layer,) = [c for c in children if isinstance(c, MapPage)]
    assert layer.context == []
    _, config = _config(to_html(m))
    assert config["data"]["n"] == 6


def test_build_map_with_no_events(events, context):
    m = build_map(events.iloc[0:0], layers=Layers(**context))
    _, config = _config(to_html(m))
    assert config["data"]["n"] == 0
    assert config["types"] == []
    assert config["data"]["columns"]["event_id"] == []


def test_rendering_twice_gives_the_same_page(events, context):
    assert to_html(build_map(events, layers=Layers(**context))) == to_html(
        build_map(events, layers=Layers(**context))
    )


# --------------------------------------------------------------------------------------
# encode_events
# --------------------------------------------------------------------------------------


@pytest.fixture
def encoded_source(tmp_events):
    rows = [
        (
            {
                "event_id": "a",
                "date_start": "1970-01-02",
                "event_type": "Battles",
                "province": "Kunar",
                "fatalities_best": 4,
                "sources": [{"name": "S1", "url": "https://e.org/1", "date": "1970-01-03"}],
            },
            (70.123456789, 34.987654321),
        ),
        (
            {
                "event_id": "b",
                "date_start": "1893-11-12",
                "event_type": "Riots",
                "province": "Khost",
            },
            (69.9, 33.3),
        ),
        (
            {
                "event_id": "c",
                "date_start": "2022-02",
                "event_type": "Battles",
                "province": "Kunar",
                "fatalities_low": 0,
                "injured_high": 12,
            },
            (71.0, 35.0),
        ),
        (
            {
                "event_id": "d",
                "date_start": "1970-01-01",
                "event_type": "Battles",
                "province": "Kunar",
            },
            (71.0, 35.0),
        ),
    ]
    report = read_events(tmp_events(rows))
    assert report.problems == []
    return report.events


def _day(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days


def test_encode_day_numbers(encoded_source):
    cols = encode_events(encoded_source)["columns"]
    assert cols["date_start"] == [1, _day("1893-11-12"), _day("2022-02-01"), 0]
    assert cols["date_start"][1] == -27808
    assert cols["date_end"] == [1, -27808, _day("2022-02-28"), 0]


def test_encode_dictionary_encodes_repeated_text(encoded_source):
    cols = encode_events(encoded_source)["columns"]
    prov = cols["province"]
    assert len(prov["dict"]) == 2
    assert len(prov["dict"]) == len(set(prov["dict"]))
    assert [prov["dict"][c] for c in prov["codes"]] == ["Kunar", "Khost", "Kunar", "Kunar"]
    etype = cols["event_type"]
    assert sorted(etype["dict"]) == ["Battles", "Riots"]
    assert [etype["dict"][c] for c in etype["codes"]] == ["Battles", "Riots", "Battles", "Battles"]
    prec = cols["date_precision"]
    assert [prec["dict"][c] for c in prec["codes"]] == ["day", "day", "month", "day"]
    # Unique text is kept as plain lists.
    assert cols["event_id"] == ["a", "b", "c", "d"]


def test_encode_nulls_stay_null(encoded_source):
    enc = encode_events(encoded_source)
    cols = enc["columns"]
    assert enc["n"] == 4
    assert cols["fatalities_best"] == [4, None, None, None]
    assert cols["fatalities_low"] == [None, None, 0, None]
    assert cols["injured_high"] == [None, None, 12, None]
    assert "injured_low" not in cols  # no event has it: left out (geo.terms, geo.methods)
    assert "null" in json.dumps(cols["fatalities_best"])


def test_encode_coordinates_and_sources(encoded_source):
    cols = encode_events(encoded_source)["columns"]
    assert cols["lon"][0] == 70.12346
    assert cols["lat"][0] == 34.98765
    sources = cols["sources"]  # dictionary-encoded: one entry per distinct list of sources
    assert [sources["dict"][c] for c in sources["codes"]] == [
        [["S1", "https://e.org/1", "1970-01-03"]],
        [],
        [],
        [],
    ]
    json.dumps(cols, allow_nan=False)


def test_type_entries_counts_and_colours(encoded_source):
    assert type_entries(encoded_source) == [
        {"name": "Battles", "label": "Battles (3)", "color": TYPE_COLOURS["Battles"], "count": 3},
        {"name": "Riots", "label": "Riots (1)", "color": TYPE_COLOURS["Riots"], "count": 1},
    ]


# --------------------------------------------------------------------------------------
# Escaping
# --------------------------------------------------------------------------------------


def test_script_json_escapes_markup_characters():
    obj = {"s": "</script><!-- & \u2028\u2029 >"}
    text = script_json(obj)
    for ch in ("<", ">", "&", "\u2028", "\u2029"):
        assert ch not in text
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text) == obj


def _with_hostile_text(events):
    ev = events.copy()
    ev.loc[0, "summary"] = HOSTILE
    ev.loc[1, "actor1"] = HOSTILE
    ev.loc[2, "location"] = HOSTILE_TAG
    ev.loc[3, "fatality_note"] = "<!--"
    ev.at[4, "sources"] = ({"name": HOSTILE, "url": "https://e.org/?q=</script>"},)
    return ev


def test_config_json_has_no_raw_angle_bracket(events, context):
    page = to_html(build_map(_with_hostile_text(events), layers=Layers(**context)))
    text, config = _config(page)
    assert "<" not in text
    assert ">" not in text
    assert "\\u003c/script\\u003e" in text
    cols = config["data"]["columns"]
    assert cols["summary"][0] == HOSTILE
    actor1 = cols["actor1"]
    assert actor1["dict"][actor1["codes"][1]] == HOSTILE
    sources = cols["sources"]
    assert sources["dict"][sources["codes"][4]][0][:2] == [HOSTILE, "https://e.org/?q=</script>"]
    assert "<script>alert(1)" not in page


def test_script_count_does_not_grow_with_hostile_text(events, context):
    benign = _soup(to_html(build_map(events, layers=Layers(**context))))
    hostile = _soup(to_html(build_map(_with_hostile_text(events), layers=Layers(**context))))
    assert len(hostile.find_all("script")) == len(benign.find_all("script"))
    assert not hostile.find_all("img")
    assert len(hostile.find_all("script", attrs={"type": "application/json"})) == 1


def test_hostile_title_is_escaped(events, context):
    """``make_map`` documents the title as "escaped on output"; ``geo build --title`` feeds it."""
    title = "</title><script>alert(1)</script>"
    benign = _soup(
        to_html(
            build_map(events, layers=Layers(**context), options=MapOptions(title="Durand Line"))
        )
    )
    page = to_html(build_map(events, layers=Layers(**context), options=MapOptions(title=title)))
    soup = _soup(page)
    assert soup.title.string == title
    assert "<script>alert(1)" not in page
    assert len(soup.find_all("script")) == len(benign.find_all("script"))


_ESCAPED_TAG = re.compile(r"(?:&|\\u0026)lt;img src=x onerror=alert\(1\)(?:&|\\u0026)gt;")


def test_province_tooltip_properties_are_escaped(events, context):
    provinces = context["provinces"].copy()
    provinces.loc[0, "province"] = HOSTILE_TAG
    m = build_map(events, layers=Layers(**{**context, "provinces": provinces}))
    page = to_html(m)
    assert HOSTILE_TAG not in page
    assert "<img" not in page
    assert _ESCAPED_TAG.search(page)
    assert not _soup(page).find_all("img")
    (layer,) = [
        c for c in _children(m) if isinstance(c, folium.GeoJson) and c.layer_name == "Provinces"
    ]
    names = [f["properties"]["province"] for f in layer.data["features"]]
    assert names[0] == html.escape(HOSTILE_TAG)
    assert names[1:] == provinces["province"].tolist()[1:]


def test_crossing_and_border_tooltip_properties_are_escaped(events, context):
    crossings = context["crossings"].copy()
    crossings.loc[0, "name_afg_side"] = HOSTILE_TAG
    border = context["border"].copy()
    border.loc[0, "name"] = "Durand <b>Line</b> & co"
    m = build_map(events, layers=Layers(**{**context, "crossings": crossings, "border": border}))
    page = to_html(m)
    assert HOSTILE_TAG not in page
    assert "<b>Line</b>" not in page
    assert _ESCAPED_TAG.search(page)
    geo = {c.layer_name: c for c in _children(m) if isinstance(c, folium.GeoJson)}
    props = geo["Border crossings"].data["features"][0]["properties"]
    assert props["name_afg_side"] == html.escape(HOSTILE_TAG)
    assert props["name"] == "Torkham"
    assert (
        geo["Durand Line"].data["features"][0]["properties"]["name"]
        == "Durand &lt;b&gt;Line&lt;/b&gt; &amp; co"
    )


def test_viewport_allows_zoom(events, context):
    page = to_html(build_map(events, layers=Layers(**context)))
    metas = _soup(page).find_all("meta", attrs={"name": "viewport"})
    assert len(metas) == 1
    content = metas[0]["content"].replace(" ", "")
    assert "user-scalable=no" not in content
    assert "maximum-scale=1" not in content
    assert "width=device-width" in content
    assert "user-scalable=no" not in page


# --------------------------------------------------------------------------------------
# Fields only some formats carry (ACLED, UCDP)
# --------------------------------------------------------------------------------------


def _decoded_column(cols: dict, name: str) -> list:
    col = cols[name]
    return [col["dict"][c] for c in col["codes"]] if isinstance(col, dict) else col


def test_encoded_acled_events_hold_acled_fields():
    from pathlib import Path

    acled = Path(__file__).resolve().parents[1] / "data" / "acled_export.csv"
    cols = encode_events(read_events(acled, strict=True).events)["columns"]
    assert _decoded_column(cols, "assoc_actor1")[2] == "TTP: Tehrik-i-Taliban Pakistan"
    assert _decoded_column(cols, "assoc_actor2")[2] == "Frontier Corps"
    assert _decoded_column(cols, "civilian_targeting") == ["Civilian targeting"] * 2 + [
        "",
        "Civilian targeting",
    ]
    assert _decoded_column(cols, "interaction")[1] == "State forces-Civilians"
    assert set(_decoded_column(cols, "disorder_type")) == {"Political violence"}
    assert _decoded_column(cols, "admin3")[0] == "Mir Sapar"
    assert _decoded_column(cols, "source_scale")[3] == "International"
    # no injuries (ACLED has none) and no UCDP columns: none of them is in the page at all
    assert "injured_best" not in cols
    assert not {"conflict_name", "dyad_name", "deaths_side_a", "deaths_unknown"} & set(cols)


def test_encoded_ucdp_events_hold_names_and_deaths_by_party():
    from pathlib import Path

    ucdp = Path(__file__).resolve().parents[1] / "data" / "ucdp_ged_export.csv"
    cols = encode_events(read_events(ucdp, strict=True).events)["columns"]
    assert _decoded_column(cols, "conflict_name")[0] == "Pakistan: TTP"
    assert _decoded_column(cols, "dyad_name")[3] == "Government of Pakistan - civilians"
    assert cols["deaths_side_a"] == [0, None, 1, 0]
    assert cols["deaths_side_b"] == [3, None, 0, 0]
    assert cols["deaths_civilians"] == [36, None, 0, 408]
    assert cols["deaths_unknown"] == [2, None, 0, 0]
    assert not {"assoc_actor1", "civilian_targeting", "source_scale"} & set(cols)


def test_optional_columns_are_left_out_when_no_event_has_them(encoded_source):
    from geo.schema import DEATH_FIELDS, OPTIONAL_TEXT_FIELDS

    cols = encode_events(encoded_source)["columns"]
    assert not set(OPTIONAL_TEXT_FIELDS) & set(cols)
    assert not set(DEATH_FIELDS) & set(cols)
    assert "injured_low" not in cols  # core columns too, when no event fills them


def test_every_map_saves_as_a_still(events, context, tmp_path):
    """build_map records what its stills need: a map built from a frame saves as an image,
    with its filters in the subtitle."""
    window = Filters(start="2022", end="2022")
    m = build_map(window.apply(events), layers=Layers(**context), filters=window)
    out = m.save(tmp_path / "m.svg")
    text = out.read_text(encoding="utf-8")
    assert "1 Jan 2022 – 31 Dec 2022" in text
    assert m.save(tmp_path / "m.png", size="1000x700").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(InputError, match=r"accepted: \.html, \.png, \.svg, \.pdf"):
        m.save(tmp_path / "m.gif")


def test_empty_message_names_the_dates_and_every_other_filter() -> None:
    from geo.render.map import empty_message

    assert empty_message() == "No events to show"
    assert empty_message(Filters(start=pd.Timestamp("2030-01-01"))) == (
        "No events from 1 Jan 2030 on"
    )
    both = Filters(
        start=pd.Timestamp("2030-01-01"),
        end=pd.Timestamp("2030-12-31"),
        types=("Riots",),
        min_fatalities=10,
    )
    assert empty_message(both) == (
        "No events between 1 Jan 2030 and 31 Dec 2030 (types: Riots; at least 10 killed)"
    )
    # a text filter from the command line is shown as text, never read as markup
    hostile = empty_message(Filters(text=HOSTILE_TAG))
    assert hostile == f"No events to show (text: {HOSTILE_TAG})"
