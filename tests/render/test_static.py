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
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    assert "scripts/make_static_example.py" in readme
    for name in ("example_static.png", "example_story.png"):
        with Image.open(DATA.parent / "maps" / name) as img:
            assert img.size == (1600, 1000)
            assert tuple(round(d) for d in img.info["dpi"]) == (150, 150)
            assert img.info.get("Software") == "geo"
        assert f"maps/{name}" in readme


def _map_symbols(fig, label: str = "map") -> np.ndarray:
    """The event circles of an axes as (x, y, radius) in data units and points, one row a
    circle (a circle is two entries: halo and fill, then outline)."""
    from matplotlib.collections import PathCollection

    ax = next(a for a in fig.axes if a.get_label() == label)
    (coll,) = [
        c for c in ax.collections if isinstance(c, PathCollection) and c.get_gid() == "events"
    ]
    xy = np.asarray(coll.get_offsets())[::2]
    return np.column_stack([xy, np.sqrt(coll.get_sizes())[::2] / 2])


def _map_factor(fig, size) -> float:
    """The circles' factor of the map's size: its shorter side in page pixels."""
    from geo.render.static import _Scale
    from geo.render.style import symbol_factor

    ax = next(a for a in fig.axes if a.get_label() == "map")
    box = ax.get_position()
    w, h = fig.get_size_inches()
    return symbol_factor(min(box.width * w, box.height * h) * 72 / _Scale.of(size).sym)


def test_symbols_are_the_size_table_s(events, layers) -> None:
    """The still sizes each circle from the event's figure through the page's size table,
    times the factor of the map's size (to the half point the still rounds to)."""
    from geo.filters import event_figure
    from geo.render.static import _Scale
    from geo.render.style import SIZES, symbol_radius

    size = image_size()
    fig = static_map(events, layers=layers, size=size)
    drawn = _map_symbols(fig)[:, 2]
    sym, factor = _Scale.of(size).sym, _map_factor(fig, size)
    assert 0.55 <= factor <= 1.6
    expected = np.unique(np.round(symbol_radius(event_figure(events)) * sym * factor * 2) / 2)
    assert len(np.unique(drawn)) >= 3
    assert (np.diff(drawn) <= 0).all()  # large under small: drawn largest first
    # within half a point and the 2 % by which the map's final room differs from the
    # room the factor was taken from (the legend beside it is drawn at the factor)
    assert all(np.abs(expected - d).min() <= 0.5 + 0.02 * d for d in drawn)
    assert drawn.max() <= SIZES[-1] * sym * factor * 1.02 + 0.5


def test_circle_size_follows_the_maps_size(events, layers) -> None:
    """One rule (style.symbol_factor): a circle takes about the same share of the map in a
    landscape still (legend beside the map) and a portrait one (legend under it), where
    the image's own pixels-to-points scale would make the portrait's far smaller."""
    share, plain = {}, {}
    for name, size in {"landscape": image_size(), "portrait": image_size(size="800x1100")}.items():
        fig = static_map(events, layers=layers, size=size)
        ax = next(a for a in fig.axes if a.get_label() == "map")
        short = min(ax.get_window_extent().width, ax.get_window_extent().height) * 72 / fig.dpi
        share[name] = _map_symbols(fig)[:, 2].max() / short
        plain[name] = share[name] / _map_factor(fig, size)  # what the factor 1 would give
    assert 0.85 <= share["landscape"] / share["portrait"] <= 1.18, share
    assert plain["landscape"] / plain["portrait"] > 1.4, plain


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


# --------------------------------------------------------------------------------------
# The detail panel (issue 20): the densest area magnified when it cannot be read
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    """The shipped events and context layers, as ``geo build`` draws them."""
    import geo

    ctx = geo.load_context()
    return geo.prepare(None, context=ctx).shown, ctx.layers()


@pytest.fixture(scope="module")
def shipped_figure(shipped):
    events, layers = shipped
    return static_map(events, layers=layers)


def _points(ax, xy: np.ndarray) -> np.ndarray:
    """Data coordinates as points from the axes' lower left."""
    return (ax.transData.transform(xy) - ax.get_window_extent().p0) * 72 / ax.figure.dpi


def _panel_symbols(fig, label: str) -> np.ndarray:
    """The circles of an axes as (x, y, r) in points from its lower left."""
    ax = next(a for a in fig.axes if a.get_label() == label)
    sym = _map_symbols(fig, label)
    return np.column_stack([_points(ax, sym[:, :2]), sym[:, 2]])


def test_detail_panel_magnifies_the_khost_waziristan_belt(shipped_figure) -> None:
    from geo.render.static import DETAIL_RULE, densest_area, overlap_share

    fig = shipped_figure
    by_label = {a.get_label(): a for a in fig.axes}
    ax, inset = by_label["map"], by_label["detail"]
    texts = _texts(fig)
    (label,) = texts["detail-label"]
    label = label.replace("\n", " ")  # wrapped in the panel's strip
    assert label.startswith("Detail: ") and "Khost" in label and "North Waziristan" in label
    # the box on the map is the area the panel shows
    (box,) = [p for p in ax.patches if p.get_gid() == "detail-box"]
    x0, y0 = box.get_xy()
    assert np.allclose(inset.get_xlim(), (x0, x0 + box.get_width()))
    assert np.allclose(inset.get_ylim(), (y0, y0 + box.get_height()))
    # the same circles, at the same size in points: every circle of the map in the box is
    # in the panel (which parts some that share a half point on the map), and no other
    main, detail = _map_symbols(fig), _map_symbols(fig, "detail")
    inside = (main[:, 0] >= x0) & (main[:, 0] <= x0 + box.get_width())
    inside &= (main[:, 1] >= y0) & (main[:, 1] <= y0 + box.get_height())
    assert inside.sum() >= 8
    as_set = lambda rows: {tuple(np.round(r, 3)) for r in rows}  # noqa: E731
    assert as_set(main[inside]) <= as_set(detail)
    assert {tuple(r) for r in np.round(detail[:, :2])} <= {
        tuple(r) for r in np.round(main[inside][:, :2])
    }
    # the panel lies on the map, in a corner that holds no event, and magnifies
    panel = inset.get_window_extent()
    k = 72 / fig.dpi
    mx0, my0 = (panel.p0 - ax.get_window_extent().p0) * k
    mx1, my1 = (panel.p1 - ax.get_window_extent().p0) * k
    w_pt, h_pt = ax.get_window_extent().width * k, ax.get_window_extent().height * k
    assert mx0 >= 0 and my0 >= 0 and mx1 <= w_pt and my1 <= h_pt
    sym = _panel_symbols(fig, "map")
    apart = (
        (sym[:, 0] + sym[:, 2] < mx0) | (sym[:, 0] - sym[:, 2] > mx1)
        | (sym[:, 1] + sym[:, 2] < my0) | (sym[:, 1] - sym[:, 2] > my1)
    )  # fmt: skip
    assert apart.all()
    zoom = (panel.width * k) / (box.get_width() / (ax.get_xlim()[1] - ax.get_xlim()[0]) * w_pt)
    assert zoom >= DETAIL_RULE["min_zoom"]
    # measured: crowded on the map, readable in the panel
    from geo.render.static import _Scale, crowding

    gap = _Scale.of(image_size()).px(DETAIL_RULE["gap"])
    found = densest_area(sym, w_pt, h_pt, gap)
    assert found is not None and found.crowding > DETAIL_RULE["crowded"]
    side = found.window[2] - found.window[0]
    in_panel = densest_area(_panel_symbols(fig, "detail"), panel.width * k, panel.height * k, gap)
    assert in_panel is not None
    window = (*in_panel.window[:2], in_panel.window[0] + side, in_panel.window[1] + side)
    assert crowding(_panel_symbols(fig, "detail"), window, gap) < found.crowding
    assert overlap_share(_panel_symbols(fig, "detail"), window) <= overlap_share(sym, found.window)


def test_no_detail_panel_when_readable_or_turned_off(shipped, events, layers) -> None:
    shipped_events, shipped_layers = shipped
    off = static_map(shipped_events, layers=shipped_layers, options=MapOptions(detail=False))
    assert [a.get_label() for a in off.axes] == ["map", "locator", "legend"]
    assert "detail-label" not in _texts(off)
    # a few events far apart: nothing to magnify
    spread = shipped_events[shipped_events["location"].isin(["Kabul", "Islamabad", "Spin Boldak"])]
    fig = static_map(spread, layers=shipped_layers)
    assert "detail" not in [a.get_label() for a in fig.axes]
    # the belt framed on its own reads at the map's scale
    belt = static_map(
        shipped_events, layers=shipped_layers, options=MapOptions(extent=(68.5, 32.0, 71.0, 34.3))
    )
    assert "detail" not in [a.get_label() for a in belt.axes]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_detail_panel_same_input_same_bytes(shipped, fmt) -> None:
    events, layers = shipped
    a = image_bytes(static_map(events, layers=layers), fmt)
    b = image_bytes(static_map(events, layers=layers), fmt)
    assert a == b


def test_cli_no_detail(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--out", "a.svg", "-q"]) == 0
    assert main(["build", "--out", "b.svg", "-q", "--no-detail"]) == 0
    assert 'id="detail-label"' in (tmp_path / "a.svg").read_text(encoding="utf-8")
    assert 'id="detail' not in (tmp_path / "b.svg").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------
# The highlight (issue 21): in colour what it picks, the rest grey under it
# --------------------------------------------------------------------------------------


def _outline_colours(fig) -> np.ndarray:
    """The outline colour (RGB) of each circle of the map, in drawing order."""
    (coll,) = [c for c in fig.axes[0].collections if c.get_gid() == "events"]
    return np.asarray(coll.get_edgecolors())[1::2, :3]


def test_a_highlight_draws_its_events_in_colour_and_the_others_grey_beneath(events, layers) -> None:
    from matplotlib.colors import to_rgb

    from geo.render.style import MUTED, TYPE_COLOURS

    fig = static_map(events, layers=layers, options=MapOptions(highlight=["type=Battles"]))
    outlines = _outline_colours(fig)
    grey = np.all(np.isclose(outlines, to_rgb(MUTED["color"])), axis=1)
    battles = np.all(np.isclose(outlines, to_rgb(TYPE_COLOURS["Battles"])), axis=1)
    n_battles = int((events["event_type"] == "Battles").sum())
    assert int(battles.sum()) == n_battles and int(grey.sum()) == len(events) - n_battles
    assert (grey | battles).all()  # no other colour: the explosions are grey
    assert not grey[np.argmax(battles) :].any()  # every grey circle under the coloured ones
    texts = _texts(fig)
    subtitle = " ".join(texts["subtitle"]).replace("\n", " ")
    assert f"In colour: type Battles ({n_battles} highlighted of {len(events)} shown)" in subtitle
    legend = " ".join(t.get_text() for t in fig.axes[-1].texts).replace("\n", " ")
    assert "Highlight" in legend and "In colour: type Battles" in legend
    assert "Grey: other events" in legend and f"{n_battles} highlighted of {len(events)}" in legend


def test_without_a_highlight_no_circle_is_grey(figure) -> None:
    from matplotlib.colors import to_rgb

    from geo.render.style import MUTED

    grey = np.all(np.isclose(_outline_colours(figure), to_rgb(MUTED["color"])), axis=1)
    assert not grey.any()


def test_the_svg_of_a_highlight_has_grey_and_coloured_circles(events, layers) -> None:
    from geo.render.style import MUTED, TYPE_COLOURS

    fig = static_map(events, layers=layers, options=MapOptions(highlight="2022..2022"))
    svg = image_bytes(fig, "svg").decode()
    (group,) = re.findall(r'<g id="events">(.*?)</g>', svg, re.S)
    strokes = re.findall(r"stroke: (#[0-9a-f]{6})", group)
    outlines = [c for c in strokes if c != "#ffffff"]  # the halos are white
    # AFG-2021-002, AFG-2022-001 and PAK-2022-001 overlap 2022: in colour; the rest grey
    assert strokes.count(MUTED["color"].lower()) == len(outlines) - 3 > 0
    assert strokes.count(TYPE_COLOURS["Battles"].lower()) == 1  # 10 Mar 2022
    assert strokes.count(TYPE_COLOURS["Explosions/Remote violence"].lower()) == 2
    assert "In colour: 1 Jan 2022 – 31 Dec 2022" in svg


def test_many_events_highlighted_keep_their_colour_in_the_squares(events, layers) -> None:
    from matplotlib.colors import to_rgb

    from geo.render.style import MUTED

    many = pd.concat([events] * (DENSE_LIMIT // len(events) + 1), ignore_index=True)
    many["event_id"] = [f"E{i}" for i in range(len(many))]
    fig = static_map(many, layers=layers, options=MapOptions(highlight="province=Kabul"))
    (coll,) = [c for c in fig.axes[0].collections if c.get_gid() == "events"]
    faces = np.asarray(coll.get_facecolors())[:, :3]
    grey = np.all(np.isclose(faces, to_rgb(MUTED["color"])), axis=1)
    assert grey.any() and not grey.all()
    assert not grey[np.argmin(grey) :].any()  # grey squares first, under the others
