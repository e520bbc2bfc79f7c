"""The built map in a real browser: drawing, layers, date filter, playback, popups, escaping."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geo.cli import main
from geo.schema import OPTIONAL_TEXT_FIELDS

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[2] / "data"
PWNED = "window.__pwned = (window.__pwned || 0) + 1"


def _real_errors(rec) -> list[str]:
    """Console errors, less the ones Chromium logs for the tile requests we abort."""
    return rec.real_errors()


@pytest.fixture(scope="module")
def default_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("map") / "conflict_map.html"
    assert main(["build", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def shipped_events() -> pd.DataFrame:
    doc = json.loads((DATA / "events.geojson").read_text(encoding="utf-8"))
    return pd.DataFrame([f["properties"] for f in doc["features"]])


def test_map_draws_line_and_events_without_errors(open_map, default_map, shipped_events) -> None:
    rec = open_map(default_map)
    page = rec.page
    assert _real_errors(rec) == []
    assert sorted(page.evaluate("conflictMap.events()")) == sorted(shipped_events["event_id"])
    page.get_by_role("button", name="All dates").click()
    assert len(page.evaluate("conflictMap.visibleEventIds()")) == len(shipped_events)
    # the line is an SVG path with the line's stroke; a real path has many commands
    line_d = page.eval_on_selector_all(
        "path.leaflet-interactive[stroke='#111111']",
        "ps => ps.map(p => p.getAttribute('d').length)",
    )
    assert line_d and max(line_d) > 1000
    # events are drawn on the canvas: the pixel under the Kabul hospital strike is painted
    pos = page.evaluate("conflictMap.screenPosition('DL-20260316-KABUL')")
    assert pos is not None and pos["radius"] > 10  # 408 killed: a large circle
    painted = page.evaluate(
        """([x, y]) => {
            const canvas = document.querySelector('canvas.geo-events-canvas');
            const r = canvas.getBoundingClientRect(), mr = conflictMap.map.getContainer().getBoundingClientRect();
            const scale = canvas.width / r.width;
            const px = Math.round((x + mr.left - r.left) * scale), py = Math.round((y + mr.top - r.top) * scale);
            return canvas.getContext('2d').getImageData(px, py, 1, 1).data[3];
        }""",
        [pos["x"], pos["y"]],
    )
    assert painted > 0


def test_hiding_a_type_layer_hides_exactly_its_events(
    open_map, default_map, shipped_events
) -> None:
    page = open_map(default_map).page
    page.get_by_role("button", name="All dates").click()
    every = set(shipped_events["event_id"])
    for etype in sorted(shipped_events["event_type"].unique()):
        page.evaluate("name => conflictMap.setLayerVisible(name, false)", etype)
        hidden = set(shipped_events.loc[shipped_events["event_type"] == etype, "event_id"])
        assert set(page.evaluate("conflictMap.visibleEventIds()")) == every - hidden
        layers = {lyr["name"]: lyr["visible"] for lyr in page.evaluate("conflictMap.layers()")}
        assert layers[etype] is False
        page.evaluate("name => conflictMap.setLayerVisible(name, true)", etype)
    assert set(page.evaluate("conflictMap.visibleEventIds()")) == every


def test_layer_control_checkbox_toggles_events(open_map, default_map, shipped_events) -> None:
    page = open_map(default_map).page
    page.get_by_role("button", name="All dates").click()
    battles = set(shipped_events.loc[shipped_events["event_type"] == "Battles", "event_id"])
    page.get_by_label("Battles (", exact=False).uncheck()
    assert battles.isdisjoint(page.evaluate("conflictMap.visibleEventIds()"))
    n = len(shipped_events) - len(battles)
    assert (
        page.locator(".geo-count").inner_text().startswith(f"{n} of {len(shipped_events)} events")
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2022-01-01", "2022-12-31"),
        ("2022-04-16", "2022-04-16"),
        ("2025-10-12", "2025-10-12"),
        ("1900-01-01", "2014-12-31"),
        ("2026-02-22", "2026-02-26"),
    ],
)
def test_date_range_shows_exactly_the_overlapping_events(
    open_map, default_map, shipped_events, start, end
) -> None:
    page = open_map(default_map).page
    assert page.evaluate("([a, b]) => conflictMap.setDateRange(a, b)", [start, end]) == [start, end]
    overlap = (shipped_events["date_start"] <= end) & (shipped_events["date_end"] >= start)
    expected = set(shipped_events.loc[overlap, "event_id"])
    assert set(page.evaluate("conflictMap.visibleEventIds()")) == expected
    assert page.evaluate("conflictMap.dateRange()") == [start, end]
    assert (
        page.locator(".geo-count")
        .inner_text()
        .startswith(f"{len(expected)} of {len(shipped_events)}")
    )


def test_sliders_work_from_the_keyboard(open_map, default_map) -> None:
    page = open_map(default_map).page
    page.get_by_role("button", name="All dates").click()
    before = page.evaluate("conflictMap.dateRange()")
    page.get_by_label("Start date").focus()
    page.keyboard.press("End")
    after = page.evaluate("conflictMap.dateRange()")
    assert after[0] == before[1]  # start handle pushed to the end of the data
    page.get_by_label("End date").focus()
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("conflictMap.dateRange()")[0] < after[0]  # handles never cross


def test_playback_moves_the_window_forward_and_pauses(open_map, default_map) -> None:
    page = open_map(default_map).page
    page.evaluate("conflictMap.setDateRange('2021-01-01', '2021-06-30')")
    page.get_by_role("button", name="Play").click()
    assert page.evaluate("conflictMap.isPlaying()")
    page.wait_for_function("conflictMap.dateRange()[0] > '2021-01-01'", timeout=5000)
    start, end = page.evaluate("conflictMap.dateRange()")
    assert start > "2021-01-01" and end > "2021-06-30"
    page.get_by_role("button", name="Pause").click()
    assert not page.evaluate("conflictMap.isPlaying()")
    frozen = page.evaluate("conflictMap.dateRange()")
    page.wait_for_timeout(1000)
    assert page.evaluate("conflictMap.dateRange()") == frozen


def test_popup_shows_the_event_and_its_sources(open_map, default_map, shipped_events) -> None:
    page = open_map(default_map).page
    row = shipped_events.set_index("event_id").loc["DL-20260316-KABUL"]
    assert page.evaluate("conflictMap.openPopup('DL-20260316-KABUL')") is True
    popup = page.locator(".leaflet-popup-content .geo-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert row["summary"] in text
    assert "16 Mar 2026" in text
    assert "408" in text and "143" in text  # best and the low end of the range
    # shipped events with injury figures keep their injuries row
    injured = popup.locator("tr", has=page.locator("th", has_text="Injured"))
    assert injured.locator("td").inner_text().startswith(str(int(row["injured_best"])))
    hrefs = popup.locator("a").evaluate_all("as => as.map(a => a.href)")
    urls = [s["url"] for s in row["sources"] if s.get("url")]
    assert hrefs == urls
    assert popup.get_attribute("data-event-id") == "DL-20260316-KABUL"


HOSTILE = '<img src=x onerror="' + PWNED + '"><script>' + PWNED + "</script>"


def _hostile_collection() -> dict:
    props = {
        "event_id": "evil-" + HOSTILE,
        "date_start": "2022-05-01",
        "date_end": "2022-05-02",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": HOSTILE,
        "actor2": "javascript:" + PWNED,
        "country": "AFG",
        "province": HOSTILE,
        "admin2": HOSTILE,
        "location": HOSTILE,
        "geo_precision": "exact",
        "fatalities_best": 3,
        "summary": HOSTILE + " </script><script>" + PWNED + "</script>",
        "fatality_note": HOSTILE,
        # the fields only some formats carry (ACLED, UCDP) reach the popup too
        **dict.fromkeys(OPTIONAL_TEXT_FIELDS, HOSTILE),
        "deaths_side_a": 1,
        "deaths_civilians": 2,
        "sources": [
            {"name": HOSTILE, "url": "javascript:" + PWNED, "date": HOSTILE},
            {"name": "ok", "url": "https://example.org/a?b=<c>"},
        ],
        "tags": [HOSTILE],
    }
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [69.9, 33.35]},
                "properties": props,
            }
        ],
    }


def test_hostile_text_runs_no_script_and_shows_literally(open_map, tmp_path) -> None:
    src = tmp_path / "hostile.geojson"
    src.write_text(json.dumps(_hostile_collection()), encoding="utf-8")
    provinces = json.loads((DATA / "provinces.geojson").read_text(encoding="utf-8"))
    provinces["features"][0]["properties"]["province"] = HOSTILE
    (tmp_path / "provinces.geojson").write_text(json.dumps(provinces), encoding="utf-8")
    out = tmp_path / "hostile.html"
    assert (
        main(
            [
                "build",
                "--events",
                str(src),
                "--provinces",
                str(tmp_path / "provinces.geojson"),
                "--title",
                HOSTILE,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    rec = open_map(out)
    page = rec.page
    event_id = "evil-" + HOSTILE
    assert page.evaluate("conflictMap.events()") == [event_id]
    assert page.evaluate("id => conflictMap.openPopup(id)", event_id) is True
    popup = page.locator(".leaflet-popup-content .geo-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert HOSTILE in text  # shown as text, literally
    rows = popup.locator("tr").evaluate_all(
        "trs => trs.map(tr => [tr.querySelector('th').textContent, tr.querySelector('td').textContent])"
    )
    shown = dict(rows)
    for label in ("Conflict", "Dyad", "Disorder", "Interaction", "Targeting"):
        assert shown[label] == HOSTILE
    assert shown["Actors"].count(HOSTILE) == 3 and "Deaths by party" in shown  # actor1 too
    assert popup.locator(".geo-source-scale").inner_text() == "Source scale: " + HOSTILE
    assert popup.locator("img, script").count() == 0
    hrefs = popup.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs == ["https://example.org/a?b=%3Cc%3E"]  # the javascript: link is not a link
    page.get_by_role("button", name="List events shown").click()
    assert HOSTILE in page.locator(".geo-list").inner_text()
    assert page.locator(".geo-list img, .geo-list script").count() == 0
    page.evaluate("conflictMap.setLayerVisible('Events per province', true)")
    page.mouse.move(10, 10)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned || 0") == 0
    assert rec.dialogs == []
    assert _real_errors(rec) == []
    assert page.title() == HOSTILE


def test_offline_basemap_replaces_tiles_that_cannot_load(open_map, default_map) -> None:
    rec = open_map(default_map)
    page = rec.page
    # every tile request is aborted here, as it would be offline
    page.wait_for_function(
        "conflictMap.layers().some(l => l.base && l.visible && l.name.startsWith('Offline'))",
        timeout=10000,
    )
    bases = [lyr for lyr in page.evaluate("conflictMap.layers()") if lyr["base"]]
    assert [b["name"] for b in bases if b["visible"]] == ["Offline basemap (no tiles)"]
    assert any("tile" in url or "arcgisonline" in url for url in rec.aborted)
    # quietly: no message to a reader (issue 20), the container says so for scripts
    assert page.locator(".geo-title .geo-notice").inner_text().strip() == ""
    assert page.get_attribute(".folium-map", "data-geo-basemap") == "offline"
    assert page.locator(".geo-city-label", has_text="Peshawar").count() == 1
    # the vector basemap lies under the line and the events, not over them
    z = page.evaluate("getComputedStyle(conflictMap.map.getPane('geoBasemap')).zIndex")
    assert int(z) < int(
        page.evaluate("getComputedStyle(conflictMap.map.getPane('overlayPane')).zIndex")
    )
    # town names lie over the events (a large circle never hides its town's name) and let
    # clicks through to them
    label_pane = page.evaluate(
        """() => { const p = conflictMap.map.getPane('geoTownLabels'), s = getComputedStyle(p);
        return [+s.zIndex, +getComputedStyle(conflictMap.map.getPane('geoEvents')).zIndex,
                s.pointerEvents, p.querySelectorAll('.geo-city-label').length]; }"""
    )
    assert label_pane[0] > label_pane[1] and label_pane[2] == "none" and label_pane[3] > 5
    # and the user can still choose a tile layer
    assert page.evaluate("conflictMap.setLayerVisible('OpenStreetMap', true)") is True
    visible_bases = [
        lyr["name"]
        for lyr in page.evaluate("conflictMap.layers()")
        if lyr["base"] and lyr["visible"]
    ]
    assert visible_bases == ["OpenStreetMap"]


def test_title_description_and_attributions(open_map, default_map, shipped_events) -> None:
    page = open_map(default_map).page
    assert page.title() == "Durand Line conflict map"
    assert page.locator(".geo-title h1").inner_text() == "Durand Line conflict map"
    page.get_by_role("button", name="All dates").click()
    assert (
        page.locator(".geo-title p").first.inner_text().startswith(f"{len(shipped_events)} events,")
    )
    description = page.locator("meta[name=description]").get_attribute("content")
    assert description.startswith(f"{len(shipped_events)} events")
    credits = page.locator(".leaflet-control-attribution").inner_text()
    assert "© OpenStreetMap contributors" in credits
    assert "Natural Earth" in credits
    zoomable = page.locator("meta[name=viewport]").get_attribute("content")
    assert "user-scalable=no" not in zoomable


def test_choropleth_recounts_the_events_shown(open_map, default_map, shipped_events) -> None:
    page = open_map(default_map).page
    page.evaluate("conflictMap.setLayerVisible('Events per province', true)")
    values = """() => { const out = {};
        conflictMap.map.eachLayer(l => { const p = l.feature && l.feature.properties;
            if (p && p.pid !== undefined && p.value !== undefined) { out[p.province + '|' + p.country] = p.value; } });
        return out; }"""
    # the choropleth draws the outline layer's polygons (the page holds them once)
    drawn = """() => { const n = {fill: 0, outline: 0}; conflictMap.map.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && p.pid !== undefined && l.getBounds && l.getBounds().isValid()) {
            n[p.value !== undefined ? 'fill' : 'outline']++; } }); return n; }"""
    n = page.evaluate(drawn)
    assert n["fill"] == n["outline"] == 41, n  # data/provinces.geojson: 41 polygons
    page.evaluate("conflictMap.setDateRange('2022-04-01', '2022-04-30')")
    april = page.evaluate(values)
    assert april["Khost|AFG"] == 1 and april["Kunar|AFG"] == 1 and april["Kabul|AFG"] == 0
    legend = page.locator(".geo-legend-section[data-layer='Events per province']")
    assert legend.is_visible()
    # switching the type off takes its events out of the counts
    page.evaluate("conflictMap.setLayerVisible('Explosions/Remote violence', false)")
    assert page.evaluate(values)["Khost|AFG"] == 0
    page.evaluate("conflictMap.setLayerVisible('Events per province', false)")
    assert not legend.is_visible()


def test_event_list_reaches_every_shown_event_by_keyboard(
    open_map, default_map, shipped_events
) -> None:
    page = open_map(default_map).page
    page.evaluate("conflictMap.setDateRange('2022-01-01', '2022-12-31')")
    toggle = page.get_by_role("button", name="List events shown")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    items = page.locator(".geo-list li button")
    overlap = (shipped_events["date_start"] <= "2022-12-31") & (
        shipped_events["date_end"] >= "2022-01-01"
    )
    assert items.count() == int(overlap.sum())
    assert (
        page.locator(".geo-list-count")
        .inner_text()
        .startswith(f"{int(overlap.sum())} events shown")
    )
    # the list follows the filter while open
    page.evaluate("conflictMap.setDateRange('2022-04-16', '2022-04-16')")
    that_day = shipped_events[
        (shipped_events["date_start"] <= "2022-04-16")
        & (shipped_events["date_end"] >= "2022-04-16")
    ]
    assert items.count() == len(that_day)  # the two strikes and the month-long tally of April
    items.first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content .geo-popup")
    popup.wait_for()
    assert popup.get_attribute("data-event-id") == sorted(that_day["event_id"])[0]


def test_the_view_is_kept_in_the_address(open_map, default_map, browser) -> None:
    from geo._browser import READY, PageRecorder

    page = open_map(default_map).page
    page.evaluate("conflictMap.setDateRange('2025-10-01', '2025-10-31')")
    page.evaluate("conflictMap.setLayerVisible('Battles', false)")
    link = page.evaluate("conflictMap.permalink()")
    assert "#start=2025-10-01&end=2025-10-31" in link and "hide=Battles" in link
    fresh = browser.new_page()
    PageRecorder(fresh)
    fresh.goto(link)
    fresh.wait_for_function(READY)
    assert fresh.evaluate("conflictMap.dateRange()") == ["2025-10-01", "2025-10-31"]
    layers = {lyr["name"]: lyr["visible"] for lyr in fresh.evaluate("conflictMap.layers()")}
    assert layers["Battles"] is False and layers["Explosions/Remote violence"] is True
    assert fresh.evaluate("conflictMap.visibleEventIds()") == page.evaluate(
        "conflictMap.visibleEventIds()"
    )
    fresh.close()


def test_crossings_are_diamonds_under_the_events(open_map, default_map) -> None:
    """Issue 20: the crossings were white rings over the events, like the legend's
    "approximate place"."""
    page = open_map(default_map).page
    z = page.evaluate(
        """() => { const m = conflictMap.map, z = n => +getComputedStyle(m.getPane(n)).zIndex;
        return [z('geoCrossings'), z('geoEvents'), z('overlayPane')]; }"""
    )
    assert z[2] < z[0] < z[1]  # over the context layers, under the events
    marks = page.locator(".leaflet-pane .geo-crossing")
    crossings = json.loads((DATA / "crossings.geojson").read_text(encoding="utf-8"))["features"]
    assert marks.count() == len(crossings)
    # turned by 45 degrees: matrix(cos, sin, -sin, cos, dx, dy)
    a, b = marks.first.evaluate(
        "e => getComputedStyle(e).transform.slice(7, -1).split(',').slice(0, 2).map(Number)"
    )
    assert abs(a - 0.7071) < 0.01 and abs(b - 0.7071) < 0.01


def test_drawn_layers_decode_to_the_python_drawing(open_map, default_map) -> None:
    # the context layers travel encoded (render/_util.encoded_geojson); decoded by the page,
    # each geometry is the Python drawing on its grid exactly, so within the grid step of
    # the drawn geometry: the same picture as the plain GeoJSON
    import shapely.geometry

    from geo.context import load_context
    from geo.render import basemap, border, disputed, provinces
    from geo.render._util import drawn_geojson, on_grid
    from geo.worldview import WORLDVIEWS, part, province_tooltips

    ctx = load_context()
    # the outlines' tooltips name the disputed territories' status (the default worldview)
    shown = province_tooltips(WORLDVIEWS["neutral"], ctx.provinces)
    numbered = shown.assign(pid=range(len(ctx.provinces)))
    drawings = [
        (ctx.border, ["name"], border.DRAW_TOLERANCE_M, 0.0, border.DRAW_DECIMALS),
        (ctx.belt(), ["name"], border.BELT_TOLERANCE_M, 0.0, border.BELT_DECIMALS),
        (numbered, ["province", "country", "pid"], provinces.DRAW_TOLERANCE_M, 0.0, 3),
        (
            ctx.countries,
            ["country"],
            basemap.LAND_TOLERANCE_M,
            basemap.LAND_MIN_AREA_KM2,
            basemap.LAND_DECIMALS,
        ),
        (ctx.neighbours, ["country"], None, 0.0, basemap.LAND_DECIMALS),
        (
            part(ctx.disputed, "line_of_control"),
            ["name"],
            disputed.LINE_TOLERANCE_M,
            0.0,
            disputed.LINE_DECIMALS,
        ),
        (  # the India-China line, named by the worldview's legend entry
            part(ctx.disputed, "line_of_actual_control").assign(
                name=WORLDVIEWS["neutral"].lac_label
            ),
            ["name"],
            disputed.LINE_TOLERANCE_M,
            0.0,
            disputed.LINE_DECIMALS,
        ),
    ]
    assert provinces.DRAW_DECIMALS == 3
    expected = {}
    for gdf, fields, tolerance, area, decimals in drawings:
        drawn = drawn_geojson(gdf, fields, tolerance_m=tolerance, min_area_km2=area)
        for plain, grid in zip(
            drawn["features"], on_grid(drawn, decimals)["features"], strict=True
        ):
            key = json.dumps(plain["properties"], sort_keys=True)
            expected[key] = (plain["geometry"], grid["geometry"], 10.0**-decimals)
    rec = open_map(default_map)
    assert _real_errors(rec) == []
    found = rec.page.evaluate(
        """() => {
            const out = [];
            for (const name of Object.keys(window)) {
                const layer = window[name];
                if (!(layer instanceof L.GeoJSON) || !layer.options.filter) { continue; }
                layer.eachLayer(l => out.push([l.feature.properties, l.feature.geometry]));
            }
            return out;
        }"""
    )
    assert len(found) == len(expected)
    for properties, geometry in found:
        plain, grid, step = expected.pop(json.dumps(properties, sort_keys=True))
        assert geometry == grid, properties
        distance = shapely.hausdorff_distance(
            shapely.geometry.shape(geometry), shapely.geometry.shape(plain)
        )
        assert distance <= step, (properties, distance)
    assert not expected
