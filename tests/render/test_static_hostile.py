"""Hostile text through the static image and the batch pages: shown literally, never run.

The same idea as ``tests/test_hostile.py`` (which covers the HTML page), for the paths this
module adds: the image title, subtitle, credits, legend and town labels (matplotlib would
parse ``$...$`` as mathtext), the batch index and the period pages' navigation (HTML built
from data). Move these cases into ``tests/test_hostile.py`` when that file settles.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from geo.border import read_border, read_cities, read_countries, read_crossings
from geo.cli import main
from geo.context import Layers
from geo.events import read_events
from geo.render.options import MapOptions
from geo.render.static import image_bytes, static_map

CONTEXT = Path(__file__).resolve().parents[1] / "data" / "context"
DATA = Path(__file__).resolve().parents[2] / "data"
SVG = "{http://www.w3.org/2000/svg}"
PAYLOADS = [
    "{{ 7*7 }}",
    "{% if 1 %}x{% endif %}",
    "{# c",
    "</script><script>window.__pwned=1</script>",
    "$\\frac{1}{0}$",
    "<img src=x onerror=alert(1)>",
    "a\u2028b",
    "javascript:alert(1)",
]


def _not_evaluated(svg: str) -> bool:
    """No ``49`` of its own (what ``{{ 7*7 }}`` would become): a figure such as 1,749 in
    the shipped record's totals is not one."""
    return re.search(r"(?<![\d,.])49(?![\d,.])", svg) is None


def _shown(payload: str) -> str:
    """How the text is drawn: line separators become spaces, the rest stays."""
    return payload.replace("\u2028", " ")


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


@pytest.fixture(scope="module")
def context() -> dict:
    return {
        "border": read_border(CONTEXT / "durand_line.geojson"),
        "countries": read_countries(CONTEXT / "countries.geojson"),
        "crossings": read_crossings(CONTEXT / "crossings.geojson"),
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_title_description_credit_and_source_are_literal_in_svg_and_pdf(payload, context) -> None:
    events = read_events(CONTEXT / "events.geojson").events
    events.at[0, "sources"] = [{"name": payload, "url": "https://example.org", "date": ""}]
    options = MapOptions(payload, f"d {payload}", credits=(f"c {payload}",))
    fig = static_map(events, layers=Layers(**context), options=options)
    svg = _svg_text(image_bytes(fig, "svg"))
    assert _shown(payload) in svg.split("\n")  # the title, alone and unchanged
    assert f"d {_shown(payload)}" in svg
    assert f"c {_shown(payload)}" in svg.replace("\n", " ")
    pdf = PdfReader(io.BytesIO(image_bytes(fig, "pdf"))).pages[0].extract_text()
    assert "7*7" in pdf if "7*7" in payload else True
    assert _not_evaluated(svg)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_town_label_and_legend_are_literal(payload, context, tmp_path) -> None:
    events = read_events(CONTEXT / "events.geojson").events
    cities = read_cities(DATA / "cities.geojson")
    cities = cities[cities["name"] == "Jalalabad"].copy()  # in the frame, alone: its label fits
    cities["name"] = payload
    events["location"] = payload  # named in the subtitle when an event lies beyond the frame
    far = events.index[0]
    events.loc[far, "geometry"] = events.geometry.iat[0].__class__(10.0, 10.0)
    fig = static_map(events, layers=Layers(**context, cities=cities))
    svg = _svg_text(image_bytes(fig, "svg"))
    assert _shown(payload) in svg.split("\n")  # the town
    assert f"beyond the map frame ({_shown(payload)})" in svg


@pytest.mark.parametrize("payload", PAYLOADS)
def test_batch_index_and_navigation_escape_the_title(payload, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GEO_DATA_DIR", str(CONTEXT))
    out = tmp_path / "b"
    assert main(["batch", "--period", "year", "--title", payload, "--out-dir", str(out)]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "window.__pwned" not in index.replace("&lt;/script&gt;&lt;script&gt;window.__pwned", "")
    assert "<img src=x" not in index
    soup = BeautifulSoup(index, "html.parser")
    assert soup.h1.get_text() == payload
    assert soup.title.get_text().startswith(payload)
    for page in out.glob("2*.html"):
        nav = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(
            "nav", class_="geo-period-nav"
        )
        assert f"{payload}: all periods" in nav.get_text()
        assert all(not a["href"].lower().startswith("javascript") for a in nav.find_all("a"))


def test_hostile_events_file_builds_an_image(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GEO_DATA_DIR", str(CONTEXT))
    doc = json.loads((CONTEXT / "events.geojson").read_text(encoding="utf-8"))
    text = " | ".join(PAYLOADS)
    for f in doc["features"]:
        f["properties"].update(summary=text, location=text, admin2=text, actor1=text)
    src = tmp_path / "hostile.geojson"
    src.write_text(json.dumps(doc), encoding="utf-8")
    for suffix in (".png", ".svg", ".pdf"):
        assert main(["build", "--events", str(src), "--out", str(tmp_path / f"m{suffix}")]) == 0


@pytest.mark.parametrize("payload", PAYLOADS)
def test_filter_options_in_the_subtitle_are_literal(payload, tmp_path, monkeypatch) -> None:
    """--actor and --text are stated in a still's subtitle: shown as given, never run."""
    monkeypatch.setenv("GEO_DATA_DIR", str(CONTEXT))
    out = tmp_path / "m.svg"
    args = ["build", "--actor", payload, "--text", payload, "--out", str(out), "-q"]
    assert main(args) == 0
    svg = _svg_text(out.read_bytes())
    assert f"actors: {_shown(payload)}" in svg.replace("\n", " ")
    assert f"text: {_shown(payload)}" in svg.replace("\n", " ")
    assert _not_evaluated(svg) and "window.__pwned=1</script>" not in out.read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_highlight_actor_in_subtitle_and_legend_is_literal(payload, tmp_path, monkeypatch) -> None:
    """--highlight actor=… is stated in a still's subtitle and legend: as given, never run."""
    monkeypatch.setenv("GEO_DATA_DIR", str(CONTEXT))
    out = tmp_path / "m.svg"
    assert main(["build", "--highlight", f"actor={payload}", "--out", str(out), "-q"]) == 0
    svg = _svg_text(out.read_bytes())
    flat = svg.replace("\n", " ")
    assert f"In colour: actor {_shown(payload)} (0 highlighted of 6 shown)" in flat
    assert _not_evaluated(svg) and "window.__pwned=1</script>" not in out.read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neighbour_names_are_literal(payload, context) -> None:
    """The neighbouring countries' names (a data folder's neighbours.geojson) are text."""
    from geo.context import read_neighbours

    neighbours = read_neighbours(DATA / "neighbours.geojson")
    neighbours.loc[neighbours["country"] == "IRN", "country_name"] = payload
    # Iran alone and no crossings: a long name gives way to the names placed before it
    # and keeps clear of the crossings' symbols
    neighbours = neighbours[neighbours["country"] == "IRN"]
    events = read_events(CONTEXT / "events.geojson").events
    fig = static_map(
        events,
        layers=Layers(**{**context, "crossings": None}, neighbours=neighbours),
        options=MapOptions(extent=(45.0, 15.0, 80.0, 45.0)),  # Iran whole, room for a long name
    )
    svg = _svg_text(image_bytes(fig, "svg"))
    assert _shown(payload).upper() in svg.split("\n")
    assert _not_evaluated(svg)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_province_names_are_literal(payload, context) -> None:
    """The names of the provinces holding events (a data folder's provinces.geojson) are
    drawn on the still as labels: text, never mathtext or markup."""
    from geo.provinces import read_provinces

    provinces = read_provinces(CONTEXT / "provinces.geojson")
    provinces["province"] = payload
    events = read_events(CONTEXT / "events.geojson").events
    fig = static_map(events, layers=Layers(**context, provinces=provinces))
    svg = _svg_text(image_bytes(fig, "svg"))
    assert _shown(payload) in svg.split("\n")


@pytest.fixture(scope="module")
def shipped() -> tuple:
    import geo

    ctx = geo.load_context()
    return geo.prepare(None, context=ctx).shown, ctx.layers()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_detail_panel_label_is_literal(payload, shipped) -> None:
    """The detail panel's label names its area from the events' provinces and districts:
    text, drawn as given (never mathtext, never a template)."""
    events, layers = shipped
    events = events.copy()
    events["province"] = payload
    events["admin2"] = payload
    fig = static_map(events, layers=layers)
    (label,) = [t.get_text() for t in fig.findobj(lambda a: getattr(a, "get_gid", None) and
                                                   a.get_gid() == "detail-label")]  # fmt: skip
    squeeze = lambda text: "".join(text.split())  # noqa: E731  (the strip wraps long names)
    whole = squeeze(f"Detail: {_shown(payload)}")
    # whole, or cut with an ellipsis at the strip's two lines
    assert squeeze(label) == whole or (
        label.endswith(" …") and whole.startswith(squeeze(label)[:-1]) and len(label) > 20
    )
    svg = _svg_text(image_bytes(fig, "svg"))
    assert squeeze(label) in squeeze(svg)
    assert _not_evaluated(svg)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_annotation_and_note_texts_are_literal(payload, context) -> None:
    """A callout's text (``--annotate ID=...``, ``--note LON,LAT=...``) and an event's own
    location in a default text: drawn as text, never as mathematics or markup."""
    from geo.render.annotations import wrap_text

    events = read_events(CONTEXT / "events.geojson").events
    events.loc[events["event_id"] == "AFG-2022-001", "location"] = payload[:20]
    options = MapOptions(
        "t",
        annotations=(
            f"AFG-2023-001=x {payload}",
            "AFG-2022-001",
            f"71.5,34.0=n {payload}",
        ),
    )
    fig = static_map(events, layers=Layers(**context), options=options)
    svg_bytes = image_bytes(fig, "svg")
    svg = _svg_text(svg_bytes).replace("\n", " ")
    for text in (f"x {_shown(payload)}", f"n {_shown(payload)}"):  # lines broken, words kept
        assert wrap_text(text).replace("\n", " ") in svg
    assert _not_evaluated(svg) and b"annotation-leader-0" in svg_bytes


@pytest.mark.parametrize("lang", ["ur", "fa-AF"])
def test_a_hostile_catalogue_entry_is_drawn_as_text_in_every_worded_part(context, monkeypatch,
                                                                         lang) -> None:  # fmt: skip
    """Issue 24: the subtitle, credits, notes, detail and scale labels of an edition's still
    take their words from the catalogue (geo.i18n.words); a hostile entry is drawn as
    written: no markup, no shell, no format field or template evaluated, no mathtext."""
    from matplotlib.text import Text

    from geo.i18n import catalog

    text = "<img src=x onerror=alert(1)> $(rm -rf ~) {0.__class__} {{7*7}} $x^2$ {count}"

    class Hostile:
        def gettext(self, msgid: str) -> str:
            return text

    monkeypatch.setattr(catalog, "translations", lambda lang: Hostile())
    events = read_events(CONTEXT / "events.geojson").events
    fig = static_map(events, layers=Layers(**context), options=MapOptions(lang=lang))
    drawn = {t.get_gid(): t.get_text() for t in fig.findobj(Text)}
    literal = "<img src=x onerror=alert(1)> $(rm -rf ~) {0.__class__} {{7*7}} $x^2$"
    for gid in ("subtitle", "credits", "scalebar-label", "detail-label"):
        if gid in drawn:
            assert literal in drawn[gid], gid
    assert all(literal in drawn[g] for g in ("subtitle", "credits"))
    assert not any("<class" in t for t in drawn.values())
    svg = image_bytes(fig, "svg")
    root = ET.fromstring(svg)  # one well-formed document
    assert not [e for e in root.iter() if e.tag.endswith("img") or e.tag.endswith("script")]
    assert image_bytes(fig, "png") == image_bytes(fig, "png")


def test_a_hostile_catalogue_entry_in_an_animation_s_stamp_is_drawn_as_text(context,
                                                                           monkeypatch) -> None:  # fmt: skip
    """Issue 24: the frames' stamp (``{start} to {end}``) from a hostile catalogue entry is
    drawn as written in every frame, and the frames are the same every run."""
    import pandas as pd
    from matplotlib.text import Text

    import geo.render.static as static
    from geo.animate import frames
    from geo.filters import Filters
    from geo.i18n import catalog

    text = "<img src=x onerror=alert(1)> $(rm -rf ~) {0.__class__} {{7*7}} $x^2$ {start}"

    class Hostile:
        def gettext(self, msgid: str) -> str:
            return text if msgid == "{start} to {end}" else msgid

    monkeypatch.setattr(catalog, "translations", lambda lang: Hostile())
    drawn = []
    real = static.static_map
    monkeypatch.setattr(
        static, "static_map", lambda *a, **k: drawn.append(real(*a, **k)) or drawn[-1]
    )
    events = read_events(CONTEXT / "events.geojson").events
    window = Filters(start=pd.Timestamp("2025-01-01"), end=pd.Timestamp("2025-12-31"))
    small = static.image_size(size=(320, 320), dpi=55)

    def run() -> list:
        return list(frames(events, period="quarter", filters=window, layers=Layers(**context),
                           options=MapOptions(lang="ur"), size=small, cumulative=True))  # fmt: skip

    first = run()
    literal = "<img src=x onerror=alert(1)> $(rm -rf ~) {0.__class__} {{7*7}} $x^2$"
    stamps = [t.get_text() for t in drawn[-1].findobj(Text) if literal in t.get_text()]
    assert stamps and not any("<class" in s for s in stamps)
    again = run()
    assert all((a.rgb == b.rgb).all() for a, b in zip(first, again, strict=True))
