"""Static maps: the matplotlib figure, image sizes, vector output, identical bytes, CLI."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from geo._errors import InputError
from geo.border import read_border, read_cities, read_countries, read_crossings
from geo.cli import main
from geo.context import Context, Layers
from geo.events import read_events
from geo.filters import filter_events
from geo.provinces import read_provinces
from geo.render.options import MapOptions
from geo.render.static import (
    DENSE_LIMIT,
    image_bytes,
    image_size,
    output_format,
    save_static,
    static_map,
)

DATA = Path(__file__).resolve().parents[2] / "data"
CONTEXT = Path(__file__).resolve().parents[1] / "data" / "context"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def context() -> Context:
    border = read_border(CONTEXT / "durand_line.geojson")
    border["attribution"], border["licence"] = "© OpenStreetMap contributors", "ODbL-1.0"
    return Context(
        border=border,
        countries=read_countries(CONTEXT / "countries.geojson"),
        provinces=read_provinces(CONTEXT / "provinces.geojson"),
        crossings=read_crossings(CONTEXT / "crossings.geojson"),
        cities=read_cities(DATA / "cities.geojson"),
    )


@pytest.fixture(scope="module")
def layers(context) -> Layers:
    return context.layers()


@pytest.fixture(scope="module")
def events():
    return read_events(CONTEXT / "events.geojson").events


@pytest.fixture(scope="module")
def figure(events, layers):
    return static_map(
        events, layers=layers, options=MapOptions("Test map", credits=("events: test (CC0)",))
    )


def _texts(fig) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_gid")):
        out.setdefault(str(t.get_gid()), []).append(t.get_text())
    return out


def test_figure_has_title_subtitle_credits_legend_and_scale_bar(figure, events) -> None:
    texts = _texts(figure)
    assert texts["title"] == ["Test map"]
    assert texts["subtitle"][0].startswith(f"{events['date_start'].min():%-d %b %Y} – ")
    assert f"{len(events)} events" in texts["subtitle"][0]
    credits = texts["credits"][0].replace("\n", " ")
    assert "Durand Line: © OpenStreetMap contributors (ODbL-1.0)" in credits
    assert "events: reports by Test Wire" in credits and "events: test (CC0)" in credits
    legend = [t for gid, ts in texts.items() if gid.startswith("legend-") for t in ts]
    flat = " ".join(legend).replace("\n", " ")
    for etype, n in events["event_type"].value_counts().items():
        assert f"{etype} ({n})" in flat
    assert {"Event type", "Killed (best estimate)", "Precision", "Context"} <= set(legend)
    assert texts["scalebar-label"][-1].endswith(" km")
    shown = figure.findobj(lambda a: hasattr(a, "get_parse_math") and a.get_text())
    assert shown and not any(t.get_parse_math() for t in shown)


def test_legend_sits_beside_the_map_never_on_it(figure) -> None:
    by_label = {ax.get_label(): ax for ax in figure.axes}
    m, leg = by_label["map"].get_position(), by_label["legend"].get_position()
    assert m.x1 <= leg.x0 or m.y0 >= leg.y1


@pytest.mark.parametrize(
    ("options", "pixels", "dpi"),
    [
        ({}, (1600, 1000), 150),
        ({"size": "1200x800"}, (1200, 800), 150),
        ({"width_mm": 170}, (2008, 1255), 300),
        ({"width_mm": 80, "height_mm": 120, "dpi": 200}, (630, 945), 200),
    ],
)
def test_png_has_the_asked_size_and_dpi(events, layers, options, pixels, dpi) -> None:
    size = image_size(**options)
    png = image_bytes(static_map(events, layers=layers, size=size), "png")
    img = Image.open(io.BytesIO(png))
    assert img.size == pixels
    assert tuple(round(d) for d in img.info["dpi"]) == (dpi, dpi)


def test_font_size_follows_physical_size_not_pixels(events, layers) -> None:
    sizes = []
    for opts in ({"size": "1600x1000", "dpi": 150}, {"size": "3200x2000", "dpi": 300}):
        texts = static_map(events, layers=layers, size=image_size(**opts)).texts
        sizes.append([t.get_fontsize() for t in texts if t.get_gid() == "title"])
    assert sizes[0] == sizes[1]
    small = static_map(events, layers=layers, size=image_size(width_mm=170)).texts
    assert next(t.get_fontsize() for t in small if t.get_gid() == "title") < sizes[0][0]


def test_svg_is_vector_with_real_text(figure) -> None:
    root = ET.fromstring(image_bytes(figure, "svg"))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Test map" in texts
    assert any(t.startswith("Battles (") for t in texts)
    assert "Border crossing" in texts
    assert not list(root.iter(f"{SVG}image")), "an embedded raster"
    assert len(list(root.iter(f"{SVG}path"))) > 20


def test_pdf_text_is_extractable_and_fonts_embedded(figure) -> None:
    reader = PdfReader(io.BytesIO(image_bytes(figure, "pdf")))
    text = reader.pages[0].extract_text()
    assert "Test map" in text and "OpenStreetMap contributors" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        descendant = ref.get_object()
        desc = (
            descendant.get("/FontDescriptor")
            or descendant["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        )
        assert "/FontFile2" in desc.get_object()
    xobjects = reader.pages[0]["/Resources"].get("/XObject")
    subtypes = {
        x.get_object()["/Subtype"] for x in (xobjects.get_object() if xobjects else {}).values()
    }
    assert "/Image" not in subtypes, "an embedded raster"  # markers are /Form objects
    assert "/CreationDate" not in (reader.metadata or {})


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_same_input_same_bytes(events, layers, fmt, tmp_path) -> None:
    a = save_static(static_map(events, layers=layers), tmp_path / f"a.{fmt}")
    b = save_static(static_map(events, layers=layers), tmp_path / f"b.{fmt}")
    assert a.read_bytes() == b.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_many_events_are_aggregated_into_one_collection(events, layers) -> None:
    many = pd.concat([events] * (DENSE_LIMIT // len(events) + 1), ignore_index=True)
    many["event_id"] = [f"E{i}" for i in range(len(many))]
    fig = static_map(many, layers=layers)
    drawn = [c for c in fig.findobj() if getattr(c, "get_gid", lambda: None)() == "events"]
    assert len(drawn) == 1
    assert len(drawn[0].get_offsets()) < 100  # six places, six squares at most per type
    legend = " ".join(t.get_text() for t in fig.texts + fig.axes[-1].texts)
    assert f"{len(many):,} events: each square" in legend.replace("\n", " ")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"size": "0x10"}, r"--size 0 is out of range; accepted: 100 to 20000 pixels"),
        ({"size": "big"}, r"--size 'big' is not a size; accepted: WIDTHxHEIGHT"),
        ({"dpi": -1}, r"--dpi -1 is out of range; accepted: 50 to 1200 dots per inch"),
        ({"width_mm": 5}, r"--width-mm 5 is out of range; accepted: 20 to 2000 mm"),
        ({"height_mm": 50}, r"--height-mm needs --width-mm"),
        ({"size": "800x600", "width_mm": 100}, r"exclude each other"),
    ],
)
def test_bad_size_options_say_what_is_accepted(options, message) -> None:
    with pytest.raises(InputError, match=message):
        image_size(**options)


def test_unknown_suffix_lists_the_accepted_ones() -> None:
    with pytest.raises(InputError, match=r"'\.bmp'; accepted: \.html, \.png, \.svg, \.pdf"):
        output_format("map.bmp")
    assert output_format("MAP.PDF") == "pdf"


def test_too_small_an_image_is_refused(events, layers) -> None:
    with pytest.raises(InputError, match=r"leaves no room for the map"):
        static_map(events, layers=layers, size=image_size(size="200x120", dpi=100))


@pytest.fixture
def data_env(monkeypatch, tmp_path):
    monkeypatch.setenv("GEO_DATA_DIR", str(CONTEXT))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_cli_builds_each_format_identically_twice(data_env, suffix, capsys) -> None:
    out = data_env / f"map{suffix}"
    assert main(["build", "--out", str(out)]) == 0
    first = out.read_bytes()
    assert main(["build", "--out", str(out)]) == 0
    assert out.read_bytes() == first
    assert re.match(rf"wrote {re.escape(str(out))}: \d+ events read", capsys.readouterr().out)


def test_cli_window_shows_exactly_its_events_and_says_so(data_env) -> None:
    out = data_env / "y2022.svg"
    assert main(["build", "--start", "2022-01-01", "--end", "2022-12-31", "--out", str(out)]) == 0
    root = ET.fromstring(out.read_bytes())
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    expected = filter_events(
        read_events(CONTEXT / "events.geojson").events,
        start=pd.Timestamp("2022-01-01"),
        end=pd.Timestamp("2022-12-31"),
    )
    assert any(t.startswith(f"1 Jan 2022 – 31 Dec 2022 · {len(expected)} events") for t in texts)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "map.bmp"], r"accepted: \.html, \.png, \.svg, \.pdf"),
        (["--out", "m.png", "--size", "0x10"], r"--size 0 is out of range"),
        (["--out", "m.png", "--dpi", "-1"], r"--dpi -1 is out of range"),
        (["--out", "m.png", "--embed"], r"--embed needs an \.html output"),
    ],
)
def test_cli_bad_image_options_fail_cleanly(data_env, args, message, capsys) -> None:
    assert main(["build", *args]) == 1
    err = capsys.readouterr().err
    assert re.search(message, err) and "Traceback" not in err
    assert not list(data_env.iterdir())


@pytest.mark.parametrize("suffix", [".pdf", ".html"])
def test_save_map_is_the_python_face_of_build(events, context, tmp_path, suffix) -> None:
    import geo

    out = geo.save_map(
        events, tmp_path / f"m{suffix}", filters=geo.Filters(start="2022", end="2022"),
        context=context, size=image_size(width_mm=170),
    )  # fmt: skip
    if suffix == ".pdf":
        text = PdfReader(out).pages[0].extract_text()
        assert "1 Jan 2022 – 31 Dec 2022 · 3 events" in text
    else:
        assert "<html" in out.read_text(encoding="utf-8")[:200].lower()
    with pytest.raises(InputError, match=r"accepted: \.html, \.png, \.svg, \.pdf"):
        geo.save_map(events, tmp_path / "m.gif", context=context)


def test_embed_snippet_falls_back_to_the_static_png(data_env) -> None:
    out = data_env / "m.html"
    assert main(["build", "--embed", "--out", str(out)]) == 0
    png = data_env / "m.png"
    with Image.open(png) as img:
        assert img.size == (1600, 1000)
    snippet = (data_env / "m.embed.html").read_text(encoding="utf-8")
    assert 'src="./m.png"' in snippet


def test_readme_example_is_the_documented_build() -> None:
    """maps/example_static.png is a documented example (scripts/make_static_example.py):
    the shipped data as of its last regeneration, at the size the script asks for."""
    example = DATA.parent / "maps" / "example_static.png"
    with Image.open(example) as img:
        assert img.size == (1600, 1000)
        assert tuple(round(d) for d in img.info["dpi"]) == (150, 150)
        assert img.info.get("Software") == "geo"
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    assert "maps/example_static.png" in readme and "scripts/make_static_example.py" in readme


def test_symbols_are_the_size_table_s(events, layers) -> None:
    """The still sizes each circle from the event's figure through the page's size table."""
    from matplotlib.collections import PathCollection

    from geo.filters import event_figure
    from geo.render.static import _Scale
    from geo.render.style import symbol_radius

    size = image_size()
    fig = static_map(events, layers=layers, size=size)
    (symbols,) = [
        c
        for c in fig.axes[0].collections
        if isinstance(c, PathCollection) and c.get_gid() == "events"
    ]
    scale = _Scale.of(size)
    expected = set(np.round(np.round(scale.px(symbol_radius(event_figure(events))) * 2) / 2, 6))
    drawn = set(np.round(np.sqrt(symbols.get_sizes()) / 2, 6))
    assert len(drawn) >= 3 and drawn <= expected


def test_crossings_are_diamonds_under_the_events(figure) -> None:
    ax = next(a for a in figure.axes if a.get_label() == "map")
    by_gid = {c.get_gid(): c for c in ax.collections if c.get_gid()}
    crossings, events = by_gid["crossings"], by_gid["events"]
    assert crossings.get_zorder() < events.get_zorder()
    # matplotlib's "D" marker: a square turned by 45 degrees (a diamond, not a circle)
    path = crossings.get_paths()[0]
    assert len(path.vertices) == 5 and not any(
        c == 4 for c in (path.codes if path.codes is not None else [])
    )
