"""Worldviews (geo/worldview.py): the preset table, the shipped disputed layer, the
option on the command line, in a spec and in the API."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from geo._errors import InputError, ValidationError
from geo.cli import main
from geo.context import data_dir, load_context
from geo.render.options import MapOptions
from geo.worldview import (
    CHINA_AREAS,
    KINDS,
    WORLDVIEWS,
    part,
    read_disputed,
    shows_china,
    shows_kashmir,
    territory_labels,
    worldview_of,
)

ACCEPTED = "accepted: neutral, india, pakistan, afghanistan"


@pytest.fixture(scope="module")
def ctx():
    return load_context()


def test_the_presets_and_the_default() -> None:
    assert list(WORLDVIEWS) == ["neutral", "india", "pakistan", "afghanistan"]
    assert worldview_of(None).name == "neutral"
    assert worldview_of(" India ").name == "india"
    neutral, india = WORLDVIEWS["neutral"], WORLDVIEWS["india"]
    assert neutral.loc and not neutral.as_india
    assert india.as_india and not india.loc
    assert "disputed" in neutral.labels["gilgit_baltistan"]
    assert "Pakistan" not in india.labels["gilgit_baltistan"].replace("Pakistan-occupied", "")
    assert "not recognise" in WORLDVIEWS["afghanistan"].durand
    for view in WORLDVIEWS.values():  # every preset says which depiction it follows
        assert view.caption and view.china_caption and view.follows and view.lac_label
        assert view.lines_label
        assert set(view.labels) == {
            "gilgit_baltistan",
            "azad_kashmir",
            "india_administered",
            *CHINA_AREAS,
        }
    # the China-administered areas: India's map shows them in Ladakh; the others say who
    # administers them, the neutral view that India claims them too
    assert india.labels["aksai_chin"] == "Aksai Chin\n(Ladakh, India)"
    assert "China-administered; claimed by India" in neutral.labels["aksai_chin"]
    assert "India" not in WORLDVIEWS["pakistan"].labels["trans_karakoram"]
    assert WORLDVIEWS["pakistan"].lac_label.startswith("Frontier undefined")


@pytest.mark.parametrize("bad", ["indian", "", "de facto", "NEUTRAL!"])
def test_an_unknown_worldview_names_the_accepted_ones(bad) -> None:
    with pytest.raises(InputError, match=f"--worldview {bad!r}: unknown worldview; {ACCEPTED}"):
        worldview_of(bad)
    with pytest.raises(InputError, match=f"worldview {bad!r}: unknown worldview; {ACCEPTED}"):
        MapOptions(worldview=bad)


def test_the_command_line_refuses_a_bad_worldview(tmp_path, capsys) -> None:
    out = tmp_path / "x.html"
    with pytest.raises(SystemExit) as exc:
        main(["build", "--worldview", "indian", "--out", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--worldview" in err and "'indian'" in err
    for name in WORLDVIEWS:
        assert repr(name) in err, err
    assert not out.exists()


def test_a_spec_takes_the_worldview_and_refuses_a_bad_one(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text('worldview = "china"\n', encoding="utf-8")
    assert main(["build", "bad.toml", "--out", "x.html"]) == 1
    err = capsys.readouterr().err
    assert "bad.toml" in err and "key 'worldview'" in err and "'china'" in err
    assert "'neutral'" in err and "'india'" in err
    assert not (tmp_path / "x.html").exists()


def test_the_shipped_disputed_layer(ctx) -> None:
    """Each part once; the Line of Control runs along the India polygon, from where the
    claimed boundary ends to the Pakistan-India-China meeting point; the territory is the
    Pakistan polygon's part holding Gilgit-Baltistan and Azad Jammu and Kashmir."""
    disputed = ctx.disputed
    assert disputed is not None and list(disputed["kind"]) == list(KINDS)
    loc = part(disputed, "line_of_control").geometry.iat[0]
    claim = part(disputed, "india_claim_line").geometry.iat[0]
    territory = part(disputed, "pakistan_administered").geometry.iat[0]
    km = Geod(ellps="WGS84").geometry_length(loc) / 1000
    assert 700 < km < 1100
    assert loc.coords[-1] == claim.coords[-1]  # the two lines meet at the LoC's south end
    assert 32.5 < loc.coords[-1][1] < 33.3 and 35.5 < loc.coords[0][1] < 35.8
    india = ctx.neighbours[ctx.neighbours["country"] == "IND"].geometry.iat[0]
    # the neighbours are simplified by 2.5 km: the line lies within 0.05 degree of India
    assert india.buffer(0.05).contains(loc)
    pak = ctx.countries[ctx.countries["country"] == "PAK"].geometry.iat[0]
    assert territory.is_valid and pak.buffer(0.01).contains(territory)
    gb_ajk = ctx.provinces[ctx.provinces["iso_3166_2"].isin(["PK-GB", "PK-JK"])].union_all()
    assert territory.intersection(gb_ajk).area > 0.9 * gb_ajk.area
    point = part(disputed, "india_administered").geometry.iat[0]
    assert india.contains(point) and not pak.contains(point)


def test_the_shipped_china_administered_areas(ctx) -> None:
    """Aksai Chin east of the Karakoram Pass, the Shaksgam Valley west of it, both outside
    the India and Pakistan polygons (China administers them) and of the sizes usually
    given; the India-China line runs along India from the LoC's north end; India's claimed
    boundary with China lies beyond it, in China."""
    disputed = ctx.disputed
    geod = Geod(ellps="WGS84")
    aksai = part(disputed, "aksai_chin").geometry.iat[0]
    tract = part(disputed, "trans_karakoram").geometry.iat[0]
    lac = part(disputed, "line_of_actual_control").geometry.iat[0]
    claim = part(disputed, "india_claim_line_china").geometry.iat[0]
    loc = part(disputed, "line_of_control").geometry.iat[0]
    # Aksai Chin about 32,000 km2 here (the figures given range up to about 38,000 with the
    # smaller areas further south); the tract ceded in 1963, about 5,200 km2
    km2 = {k: abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for k, g in
           (("aksai", aksai), ("tract", tract))}  # fmt: skip
    assert 28_000 < km2["aksai"] < 38_000 and 4_500 < km2["tract"] < 5_800, km2
    assert aksai.is_valid and tract.is_valid
    assert aksai.centroid.x > 77.8 > tract.centroid.x
    assert aksai.contains(shapely.Point(79.3, 35.3))  # the Aksai Chin plateau
    assert tract.contains(shapely.Point(76.6, 36.0))  # the Shaksgam Valley
    india = ctx.neighbours[ctx.neighbours["country"] == "IND"].geometry.iat[0]
    pak = ctx.countries[ctx.countries["country"] == "PAK"].geometry.iat[0]
    for area in (aksai, tract):
        assert area.intersection(india).area < 0.02 * area.area
        assert area.intersection(pak).area < 0.01 * area.area
    assert lac.coords[0] == loc.coords[0]  # from the Pakistan-India-China point
    assert 600 < geod.geometry_length(lac) / 1000 < 900
    assert india.buffer(0.05).contains(lac)
    assert claim.length > 10 and not claim.intersects(india.buffer(-0.02))


def test_a_disputed_layer_needs_each_part_once(tmp_path) -> None:
    doc = json.loads((data_dir() / "disputed.geojson").read_text(encoding="utf-8"))
    doc["features"] = doc["features"][1:]
    path = tmp_path / "disputed.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        read_disputed(path)
    assert re.search(
        r"disputed.geojson: file, field 'kind': must hold each of line_of_control, "
        r"india_claim_line, pakistan_administered, india_administered, aksai_chin, "
        r"trans_karakoram, line_of_actual_control, india_claim_line_china once; missing or "
        r"repeated: line_of_control \(found \[",
        str(exc.value),
    ), str(exc.value)


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ((64.0, 29.0, 67.5, 32.0), False),  # Kandahar and Quetta
        ((69.0, 32.0, 72.5, 35.0), False),  # Khost to Peshawar
        ((73.0, 33.0, 74.0, 34.0), True),  # Muzaffarabad
        ((60.0, 24.0, 78.0, 38.0), True),  # the region
    ],
)
def test_which_frames_show_kashmir(ctx, box, expected) -> None:
    assert shows_kashmir(ctx.disputed, box) is expected
    assert shows_kashmir(None, box) is False


@pytest.mark.parametrize(
    ("box", "areas", "line"),
    [
        ((60.0, 24.0, 74.0, 38.0), False, False),  # the Durand Line
        ((74.0, 35.5, 76.3, 37.5), True, False),  # Hunza to the Shaksgam Valley's west
        ((78.5, 33.5, 80.0, 36.0), True, True),  # Aksai Chin
        ((77.6, 35.4, 77.8, 35.55), False, True),  # the line alone, at the Karakoram Pass
    ],
)
def test_which_frames_show_the_areas_along_china(ctx, box, areas, line) -> None:
    assert shows_china(ctx.disputed, box) is (areas or line)
    assert shows_china(ctx.disputed, box, ("line_of_actual_control",)) is line
    assert shows_china(ctx.disputed, box, CHINA_AREAS) is areas
    assert shows_china(None, box) is False


def test_the_territories_are_named_the_worldviews_way(ctx) -> None:
    for name, view in WORLDVIEWS.items():
        found = territory_labels(view, ctx.provinces, ctx.disputed)
        assert [t for t, _, _ in found] == [
            view.labels["azad_kashmir"],
            view.labels["gilgit_baltistan"],
            view.labels["india_administered"],
            view.labels["aksai_chin"],
            view.labels["trans_karakoram"],
        ], name
        gb = ctx.provinces[ctx.provinces["iso_3166_2"] == "PK-GB"].geometry.iat[0]
        assert gb.contains(shapely.Point(found[1][1], found[1][2]))
        for (_, lon, lat), kind in zip(found[3:], CHINA_AREAS, strict=True):
            area = part(ctx.disputed, kind).geometry.iat[0]
            assert area.contains(shapely.Point(lon, lat)), kind


def test_the_inset_layers_follow_the_worldview(ctx) -> None:
    from geo.worldview import for_inset

    layers = ctx.layers()
    assert for_inset(WORLDVIEWS["neutral"], layers) is layers
    india = for_inset(WORLDVIEWS["india"], layers)
    territory = part(ctx.disputed, "pakistan_administered").geometry.iat[0]
    pak = india.countries[india.countries["country"] == "PAK"].geometry.iat[0]
    assert pak.intersection(territory).area < 1e-6
    added = india.neighbours[india.neighbours["country"] == "IND"]
    assert any(g.equals(territory) for g in added.geometry)
    for kind in CHINA_AREAS:  # drawn as India too
        area = part(ctx.disputed, kind).geometry.iat[0]
        assert any(g.equals(area) for g in added.geometry), kind
    assert isinstance(india.neighbours, gpd.GeoDataFrame)
