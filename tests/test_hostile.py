"""Hostile input through every path from a data file (or an option) to an output.

Each path gets the same payload: Jinja expressions, statements and an unclosed comment, a
template payload that would create a marker directory if it ran, ``</script>`` and
``<!--`` break-outs, an attribute breaker, U+2028/U+2029, a CSS ``expression(``, a
``javascript:`` URL and a terminal escape. For every path the build must succeed (or reject
the record with a message), nothing may run at build time, and the page must hold the text
literally. :func:`test_every_text_path_is_covered` derives the paths from the code and the
shipped data, so a text field or a context property added later fails the suite until it
is listed here. What only a browser shows (no script from data runs, the text is displayed
as text) is in ``tests/browser/test_hostile_page.py``.
"""

from __future__ import annotations

import base64
import csv
import gzip
import html
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from geo.cli import _parser, main
from geo.context import SHIPPED
from geo.schema import TEXT_FIELDS

DATA = Path(__file__).resolve().parents[1] / "data"
CONTEXT = Path(__file__).parent / "data" / "context"


def payload(marker: Path) -> str:
    """One string holding every attack; ``marker`` is created only if a template runs."""
    return " | ".join(
        [
            "S {{ 6*7 }} E",
            "{{ cycler.__init__.__globals__.os.makedirs(" + repr(str(marker)) + ") }}",
            "{% if 1 %}STMT{% endif %}",
            "{{ and }}",
            "</script><script>window.__pwned=1</script>",
            "<!-- <img src=x onerror=window.__pwned=1>",
            '" onmouseover="window.__pwned=1" x="',
            "line\u2028sep\u2029para",
            "width: expression(alert(1))",
            " JaVaScRiPt:window.__pwned=1",
            "\x1b[31mred",
            "{# unclosed comment",
        ]
    )


#: Canonical fields a data file can fill with free text, and how each reaches the page.
#: Coded fields (event_type, sub_event_type, country) only accept their codes: a payload
#: there is reported and the record rejected, which the test checks too.
CODED_FIELDS = ("event_type", "sub_event_type", "country")
EVENT_PATHS = [f for f in TEXT_FIELDS if f not in CODED_FIELDS] + [
    "sources.name",
    "sources.url",
    "sources.date",
    "tags",
]
#: Every text property of every context layer (the shipped files' string columns).
CONTEXT_PATHS = {
    "border": ("name", "description", "source", "licence", "attribution"),
    "provinces": (
        "province",
        "country",
        "country_name",
        "iso_3166_2",
        "source",
        "licence",
        "attribution",
    ),
    "crossings": (
        "name",
        "name_afg_side",
        "name_pak_side",
        "afg_province",
        "pak_province",
        "status_note",
        "source",
    ),
    "countries": ("country", "country_name", "source", "licence", "attribution"),
    "cities": ("name", "country", "province"),
    "neighbours": ("country", "country_name", "source", "licence", "attribution"),
    "disputed": ("kind", "name", "source", "licence", "attribution"),
}
#: Code columns a layer cannot work without: a payload there is refused with a message.
KEY_COLUMNS = {("countries", "country"), ("disputed", "kind")}
#: Options of ``geo build`` whose text reaches the page.
OPTION_PATHS = ("--title", "--description", "--credit", "--alt")
#: Callouts (README, "Annotations"): their text is shown in the page, the print and the
#: stills, after ``ID=`` or ``LON,LAT=``; an event id is checked against the events.
ANNOTATION_OPTIONS = ("--annotate", "--note")
#: Filter options: their text selects events and is stated in the page's caption and the
#: stills' subtitle, run on the hostile payload.
FILTER_OPTIONS = ("--actor", "--text")
#: Filter options of a closed vocabulary: a hostile value is refused before any reading.
#: ``--highlight`` is one for its form (an event id, a window, ``type=``, ``province=``, ...);
#: its ``actor=`` part is free text, run on the payload below (test_highlight_actor_...).
CHECKED_OPTIONS = ("--sub-type", "--type", "--province", "--highlight")
#: Options whose text is an address, checked before anything is read (an http(s) URL).
ADDRESS_OPTIONS = ("--base-url",)
#: Options that take text but only as a file path, a choice or a number (checked by parsing).
NON_TEXT_OPTIONS = {
    "--events",
    "--crossings",
    "--border",
    "--provinces",
    "--countries",
    "--cities",
    "--out",
    "--start",
    "--end",
    "--province",
    "--type",
    "--crs",
    "--belt-km",
    "--choropleth",
    "--max-input-mb",
    "--size",
    "--width-mm",
    "--height-mm",
    "--dpi",
    "--scheduler",  # a dask scheduler's address, never shown
    "--extent",  # a name or four numbers, checked by parsing
}


_JSON_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def _decoded(page: str) -> str:
    """Every JSON string literal of the page, decoded, and unescaped as well (the texts
    the page inserts as HTML, the credits of the attribution control, are escaped), plus
    the page's HTML text unescaped."""
    strings = []
    for m in _JSON_STRING.finditer(page):
        try:
            text = json.loads(f'"{m.group(1)}"')
        except ValueError:
            continue
        strings += [text, html.unescape(text)]
    return "\n".join([*strings, html.unescape(page)])


def _assert_inert(out: Path, marker: Path, text: str, *, literal: bool = True) -> str:
    assert not marker.exists(), "a template ran at build time"
    page = out.read_text(encoding="utf-8", errors="surrogatepass")
    decoded = _decoded(page)
    # what the page would hold had a template run: the results, without their source
    assert "S 42 E" not in decoded and "| STMT |" not in decoded
    if literal:
        assert text in decoded, "the text is not in the page as written"
    # nothing from data closes the script element or opens a comment in the raw page
    assert "</script><script>window.__pwned" not in page
    assert "<!-- <img" not in page
    return page


def _event(**props):
    base = {
        "event_id": "H-1",
        "date_start": "2025-10-12",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "country": "AFG",
        "province": "Kunar",
        "location": "Asadabad",
        "geo_precision": "district",
        "fatalities_best": 3,
        "sources": [{"name": "Wire", "url": "https://example.org/a", "date": "2025-10-13"}],
    }
    base.update(props)
    return {
        "type": "Feature",
        "properties": base,
        "geometry": {"type": "Point", "coordinates": [71.1, 34.87]},
    }


def _build(tmp_path: Path, events: Path, *extra: str, env_dir: Path | None = None) -> Path:
    out = tmp_path / "map.html"
    args = ["build", "--events", str(events), "--out", str(out), *extra]
    assert main(args) == 0
    return out


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "PWNED_MARKER"


def _events_file(tmp_path: Path, path: str, text: str) -> Path:
    """A GeoJSON file of one event holding ``text`` at ``path`` (a field, ``sources.KEY``
    or ``tags``)."""
    if path.startswith("sources."):
        key = path.split(".")[1]
        src = {"name": "Wire", "url": "https://example.org/a", "date": "2025-10-13", key: text}
        feature = _event(sources=[src])
    elif path == "tags":
        feature = _event(tags=[text])
    else:
        feature = _event(**{path: text})
    src_file = tmp_path / "events.geojson"
    src_file.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return src_file


@pytest.mark.parametrize("path", EVENT_PATHS)
def test_event_text_from_geojson_is_inert(tmp_path, marker, path, capsys) -> None:
    text = payload(marker)
    src_file = _events_file(tmp_path, path, text)
    out = _build(tmp_path, src_file)
    # tags are not shown in the page; every other path is
    _assert_inert(out, marker, text, literal=path != "tags")
    assert "\x1b" not in capsys.readouterr().err  # terminal escapes are shown escaped


def _unpacked(page: str) -> str:
    """The text a large page's binary event data holds: every compressed buffer inflated
    (UTF-8 text, JSON dictionaries) plus the columns' JSON, for :func:`_decoded`."""
    found = re.search(
        r'<script type="application/json" id="[^"]*_config">(.*?)</script>', page, re.S
    )
    assert found, "no configuration block in the page"
    data = json.loads(found.group(1))["data"]
    assert "buffers" in data, "the page does not carry binary columns"
    raw = b"\n".join(
        gzip.decompress(base64.b64decode(part)) for buf in data["buffers"] for part in buf["parts"]
    )
    return raw.decode("utf-8", errors="replace") + json.dumps(data["columns"], ensure_ascii=False)


@pytest.mark.parametrize("path", EVENT_PATHS)
def test_event_text_in_binary_columns_is_inert(tmp_path, marker, path, monkeypatch) -> None:
    # large maps carry the events as compressed binary columns: the same text, through
    # another path from the file to the page (forced here for one event)
    import geo.render.events

    monkeypatch.setattr(geo.render.events, "INLINE_LIMIT", 0)
    text = payload(marker)
    src_file = _events_file(tmp_path, path, text)
    page = _assert_inert(_build(tmp_path, src_file), marker, text, literal=False)
    if path != "tags":  # tags are not carried by the page
        assert text in _decoded(_unpacked(page)), "the text is not in the binary columns as written"


@pytest.mark.parametrize("field", CODED_FIELDS)
def test_payload_in_a_coded_field_is_rejected_not_run(tmp_path, marker, field, capsys) -> None:
    text = payload(marker)
    src_file = tmp_path / "events.geojson"
    features = [_event(**{field: text}), _event(event_id="H-2")]
    src_file.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out = _build(tmp_path, src_file)
    _assert_inert(out, marker, text, literal=False)
    err = capsys.readouterr().err
    assert f"feature 1, field {field!r}" in err and "\x1b" not in err


@pytest.mark.parametrize(
    ("kind", "row"),
    [
        (
            "canonical",
            {
                "event_id": "C-1",
                "date_start": "2025-10-12",
                "event_type": "Battles",
                "latitude": "34.87",
                "longitude": "71.1",
                "summary": "PAYLOAD",
                "location": "PAYLOAD",
                "province": "PAYLOAD",
                "source_name": "PAYLOAD",
                "source_url": "PAYLOAD",
            },
        ),
        (
            "acled",
            {
                "event_id_cnty": "AFG1",
                "event_date": "2025-10-12",
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "actor1": "PAYLOAD",
                "admin1": "PAYLOAD",
                "location": "PAYLOAD",
                "latitude": "34.87",
                "longitude": "71.1",
                "notes": "PAYLOAD",
                "source": "PAYLOAD",
                "fatalities": "2",
                "assoc_actor_1": "PAYLOAD",
                "assoc_actor_2": "PAYLOAD",
                "admin3": "PAYLOAD",
                "civilian_targeting": "PAYLOAD",
                "disorder_type": "PAYLOAD",
                "interaction": "PAYLOAD",
                "source_scale": "PAYLOAD",
            },
        ),
        (
            "ucdp",
            {
                "id": "1",
                "type_of_violence": "1",
                "side_a": "PAYLOAD",
                "side_b": "PAYLOAD",
                "date_start": "2025-10-12",
                "best": "2",
                "adm_1": "PAYLOAD",
                "where_description": "PAYLOAD",
                "conflict_name": "PAYLOAD",
                "dyad_name": "PAYLOAD",
                "latitude": "34.87",
                "longitude": "71.1",
            },
        ),
    ],
)
def test_csv_text_is_inert(tmp_path, marker, kind, row) -> None:
    text = payload(marker).replace("\x1b", "")  # CSV cells carry no control characters here
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow({k: text if v == "PAYLOAD" else v for k, v in row.items()})
    src_file = tmp_path / f"{kind}.csv"
    src_file.write_text(buf.getvalue(), encoding="utf-8")
    out = _build(tmp_path, src_file)
    _assert_inert(out, marker, text)


def _context_copy(tmp_path: Path) -> Path:
    d = tmp_path / "ctx"
    shutil.copytree(CONTEXT, d)
    for role in ("cities", "neighbours", "disputed"):
        shutil.copy(DATA / SHIPPED[role], d / SHIPPED[role])
    return d


@pytest.mark.parametrize(
    ("role", "prop"), [(role, p) for role, props in CONTEXT_PATHS.items() for p in props]
)
def test_context_layer_text_is_inert(tmp_path, marker, monkeypatch, capsys, role, prop) -> None:
    text = payload(marker)
    d = _context_copy(tmp_path)
    path = d / SHIPPED[role]
    doc = json.loads(path.read_text(encoding="utf-8"))
    for f in doc["features"]:
        f["properties"][prop] = text
    path.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv("GEO_DATA_DIR", str(d))
    if (role, prop) in KEY_COLUMNS:  # the layer is unusable without its codes: a clear error
        out = tmp_path / "map.html"
        assert main(["build", "--events", str(d / SHIPPED["events"]), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert f"{path}: file, field {prop!r}" in err and "\x1b" not in err
        assert not out.exists() and not marker.exists()
        return
    out = _build(tmp_path, d / SHIPPED["events"])
    # a code column (a province name used as a key) may simply not match; either way
    # nothing runs, and shown text is literal where the page shows it
    page = _assert_inert(out, marker, text, literal=False)
    assert "\u2028" not in page and "\u2029" not in page


#: A boundary line whose drawing, encoded for the page (render/_util.encoded_geojson), holds
#: the characters of the polyline alphabet that mean something elsewhere: a template's
#: ``{{``, a JSON escape's backslash, a JavaScript template literal's backtick, a pipe.
ENCODED_LINE = [[70.0, 34.0], [69.9985, 34.0974], [70.0974, 34.0957], [70.2, 34.2]]
ENCODED_TEXT = "_awS_evi@{{@\\`@y|@e`Ac_A"


def test_context_geometry_is_written_as_data(tmp_path, marker) -> None:
    # geometry is a path from a file to the page too: its encoded text is a JSON string,
    # whatever characters the encoding gives, and decodes to the line's vertices
    import polyline

    assert polyline.encode([(y, x) for x, y in ENCODED_LINE], 4) == ENCODED_TEXT
    text = payload(marker)
    line = tmp_path / "line.geojson"
    feature = {
        "type": "Feature",
        "properties": {"name": text},
        "geometry": {"type": "LineString", "coordinates": ENCODED_LINE},
    }
    line.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    out = _build(tmp_path, CONTEXT / SHIPPED["events"], "--border", str(line))
    page = _assert_inert(out, marker, text)
    assert json.dumps(ENCODED_TEXT) in page  # the backslash escaped, the rest as it is
    assert polyline.decode(ENCODED_TEXT, 4, geojson=True) == [tuple(c) for c in ENCODED_LINE]


@pytest.mark.parametrize("option", OPTION_PATHS)
def test_option_text_is_inert(tmp_path, marker, option) -> None:
    text = payload(marker)
    out = _build(tmp_path, CONTEXT / "events.geojson", option, text)
    _assert_inert(out, marker, text)


@pytest.mark.parametrize("option", ANNOTATION_OPTIONS)
def test_annotation_text_is_inert(tmp_path, marker, option) -> None:
    """Each piece of the payload as a callout's text (a callout holds 200 characters at
    most): in the page as the text it shows, lines broken, never run."""
    from geo.render.annotations import _clean, wrap_text

    pieces = payload(marker).split(" | ")
    key = "AFG-2023-001" if option == "--annotate" else "69.17,34.53"
    args = [a for piece in pieces for a in (option, f"{key}={piece}")]
    out = _build(tmp_path, CONTEXT / "events.geojson", *args)
    page = _assert_inert(out, marker, "", literal=False)
    decoded = _decoded(page)
    for piece in pieces:
        assert wrap_text(_clean(piece)) in decoded, piece


def test_a_hostile_event_id_is_refused_and_shown_escaped(tmp_path, marker, capsys) -> None:
    text = payload(marker)[:150] + "\x1b]0;PWNED\x07"
    out = tmp_path / "map.html"
    args = ["build", "--events", str(CONTEXT / "events.geojson"), "--out", str(out)]
    assert main([*args, "--annotate", text.replace("=", "")]) == 1
    err = capsys.readouterr().err
    assert "--annotate" in err and "no event with this id" in err and "\x1b" not in err
    assert not out.exists() and not marker.exists()


@pytest.mark.parametrize("option", FILTER_OPTIONS)
def test_filter_option_text_is_inert(tmp_path, marker, option) -> None:
    text = payload(marker)
    out = _build(tmp_path, CONTEXT / "events.geojson", option, text)
    _assert_inert(out, marker, text)  # the caption states the filter, as text


@pytest.mark.parametrize("option", CHECKED_OPTIONS)
def test_checked_option_text_is_refused_and_shown_escaped(tmp_path, marker, option, capsys) -> None:
    text = payload(marker) + "\x1b]0;PWNED\x07"
    out = tmp_path / "map.html"
    args = ["build", "--events", str(CONTEXT / "events.geojson"), "--out", str(out)]
    assert main([*args, option, text]) == 1
    err = capsys.readouterr().err
    assert "is not known; accepted:" in err and "\x1b" not in err
    assert not out.exists() and not marker.exists()


def test_highlight_actor_text_is_inert(tmp_path, marker, capsys) -> None:
    text = payload(marker)
    out = _build(tmp_path, CONTEXT / "events.geojson", "--highlight", f"actor={text}")
    page = _assert_inert(out, marker, text)  # the legend and the caption state it, as text
    assert f"actor {text}" in _decoded(page)
    assert "\x1b" not in capsys.readouterr().err  # its note names it escaped


def test_every_text_path_is_covered() -> None:
    """A new text field, context property or text option fails here until it is covered."""
    import geopandas as gpd

    covered_fields = set(EVENT_PATHS) | set(CODED_FIELDS)
    assert set(TEXT_FIELDS) <= covered_fields, set(TEXT_FIELDS) - covered_fields
    for role, props in CONTEXT_PATHS.items():
        layer = gpd.read_file(DATA / SHIPPED[role])
        text_cols = {
            c
            for c in layer.columns
            if c != "geometry" and layer[c].dropna().map(type).eq(str).all() and len(layer)
        }
        assert text_cols <= set(props), (role, text_cols - set(props))
    build = next(
        a.choices["build"]
        for a in _parser()._actions
        if getattr(a, "choices", None) and "build" in a.choices
    )
    text_options = {
        opt
        for action in build._actions
        for opt in action.option_strings
        if opt.startswith("--")
        and action.type is None
        and action.choices is None
        and action.nargs != 0
        and not isinstance(action.const, bool)
    }
    covered = {
        *OPTION_PATHS,
        *ANNOTATION_OPTIONS,
        *FILTER_OPTIONS,
        *CHECKED_OPTIONS,
        *ADDRESS_OPTIONS,
        *NON_TEXT_OPTIONS,
    }
    uncovered = text_options - covered
    assert not uncovered, f"text options not in the hostile suite: {uncovered}"


def test_no_template_is_compiled_from_a_runtime_string() -> None:
    """``Element(text)`` and ``Template(text)`` compile their argument as Jinja: only literals.

    Text built at run time (an f-string with a description, a province name) must go into
    the page as :class:`geo.render._safe.LiteralText` or through the JSON config block.
    """
    import ast

    package = Path(__file__).resolve().parents[1] / "geo"
    offenders = []
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ("Element", "Template", "from_string", "Html"):
                continue
            args = node.args[:1] or [kw.value for kw in node.keywords if kw.arg == "template"]
            if args and not (isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)):
                offenders.append(f"{source.relative_to(package.parent)}:{node.lineno}")
    assert not offenders, f"templates compiled from run-time text: {offenders}"


def test_embed_snippet_from_a_hostile_title_and_file_name(tmp_path, marker) -> None:
    """The snippet is HTML made from the title and the output's file name: both stay text."""
    from bs4 import BeautifulSoup

    text = payload(marker).replace("\x1b", "")
    odd = tmp_path / 'x {{ 7*7 }} <b> " javascript:alert(1) #?.html'
    assert (
        main(
            [
                "build",
                "--events",
                str(CONTEXT / "events.geojson"),
                "--out",
                str(odd),
                "--title",
                text,
                "--alt",
                text,
                "--embed",
            ]
        )
        == 0
    )
    snippet_path = odd.with_name(odd.name[:-5] + ".embed.html")
    snippet = snippet_path.read_text(encoding="utf-8")
    assert not marker.exists()
    soup = BeautifulSoup(snippet, "html.parser")
    assert {t.name for t in soup.find_all(True)} <= {
        "div",
        "style",
        "iframe",
        "p",
        "a",
        "img",
        "noscript",
        "script",
    }
    from geo.embed import _SCRIPT

    # the one script is the snippet's constant resizer: no data in it
    assert [t.get_text() for t in soup.find_all("script")] == [_SCRIPT]
    assert soup.find("iframe")["title"] == text
    assert soup.find("iframe")["aria-description"] == text
    assert soup.find("img")["alt"] == text
    assert soup.find("a").get_text() == f"View full screen: {text}"
    for attr in (soup.find("iframe")["src"], soup.find("a")["href"]):
        assert attr.startswith("./") and " " not in attr and "<" not in attr and '"' not in attr
    assert not any(a.startswith("on") for t in soup.find_all(True) for a in t.attrs)


@pytest.mark.parametrize(
    "url",
    [
        'https://example.org/" onload="window.__pwned=1',
        "javascript:window.__pwned=1//",
        "https://example.org/<script>",
        "data:text/html,<b>x</b>",
        "https://example.org/?q={{ 7*7 }}",
        "//example.org/maps/",
        "https://exa mple.org/",
    ],
)
def test_a_hostile_base_url_is_refused_before_anything_is_written(tmp_path, capsys, url) -> None:
    out = tmp_path / "map.html"
    args = ["build", "--events", str(CONTEXT / "events.geojson"), "--out", str(out), "--embed"]
    assert main([*args, "--base-url", url]) == 1
    err = capsys.readouterr().err
    assert "--base-url" in err and "accepted: an http:// or https:// address" in err
    assert not RAW_CONTROL.search(err)
    assert not list(tmp_path.iterdir())


def test_base_url_links_are_absolute_and_percent_encoded(tmp_path) -> None:
    from bs4 import BeautifulSoup

    odd = tmp_path / 'x {{ 7*7 }} <b> " #?.html'
    args = ["build", "--events", str(CONTEXT / "events.geojson"), "--out", str(odd), "--embed"]
    assert main([*args, "--base-url", "https://example.org/maps"]) == 0
    snippet = odd.with_name(odd.name[:-5] + ".embed.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(snippet, "html.parser")
    links = [soup.find("iframe")["src"], soup.find("a")["href"], soup.find("img")["src"]]
    for link in links:
        assert link.startswith("https://example.org/maps/x%20%7B%7B%207%2A7%20%7D%7D")
        assert not any(c in link for c in ' <>"')


@pytest.mark.parametrize("fmt", ["csv", "geojson", "parquet"])
def test_exported_data_keeps_hostile_text_as_data(tmp_path, marker, fmt) -> None:
    """``geo export`` is a path from data to a file users open in other tools."""
    from geo.events import read_events

    text = "=cmd|' /C calc'!A0 " + payload(marker).replace("\x1b", "")
    feature = _event(summary=text, location="@SUM(1+1)", actor1=text)
    src_file = tmp_path / "events.geojson"
    src_file.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(src_file), "--out", str(out)]) == 0
    assert not marker.exists()
    if fmt == "csv":
        cells = next(iter(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))))
        assert cells["summary"].startswith("'=") and cells["location"].startswith("'@")
    if fmt == "parquet":
        import geopandas as gpd

        back = gpd.read_parquet(out)
    else:
        back = read_events(out).events
    assert back["summary"].iat[0] == text and back["actor1"].iat[0] == text
    assert back["location"].iat[0] == "@SUM(1+1)"


def test_aggregated_page_text_is_inert(tmp_path, marker, monkeypatch) -> None:
    """Province names from a dataset reach the aggregated page's cell summaries as data."""
    pytest.importorskip("dask_geopandas")
    from geo import distributed
    from geo.events import read_events
    from geo.export import write_events

    text = payload(marker)
    events = read_events(DATA / "events.geojson").events.iloc[:40].copy()
    events["province"] = text
    folder = tmp_path / "dataset"
    folder.mkdir()
    write_events(events, folder / "part.parquet")
    monkeypatch.setattr(distributed, "PAGE_EVENTS", 10)
    out = _build(tmp_path, folder, "--engine", "dask")
    page = _assert_inert(out, marker, f"events in this 0.25° cell ({text})")
    assert "Aggregated view of 40 events" in _decoded(page)


# ---------------------------------------------------------------- what reaches the terminal

#: Sequences that act on a terminal: a title, a screen clear, a hyperlink, a bidi override,
#: a C1 control, a forged line.
TERMINAL = "Kunar\x1b]0;PWNED\x07\x1b[2J\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\\u202etxt\x9b31m\nerror: forged"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _terminal_events(tmp_path: Path) -> Path:
    doc = json.loads((CONTEXT / "events.geojson").read_text(encoding="utf-8"))
    for f in doc["features"][:3]:
        f["properties"]["province"] = TERMINAL
        f["properties"]["actor1"] = TERMINAL
    path = tmp_path / "terminal.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [["info"], ["stats", "--period", "none"], ["validate"], ["export", "--out", "OUT.csv"]],
)
def test_data_never_acts_on_the_terminal(tmp_path, capsys, command) -> None:
    src = _terminal_events(tmp_path)
    args = [command[0], str(src), *[a.replace("OUT", str(tmp_path / "o")) for a in command[1:]]]
    main(args)
    out, err = capsys.readouterr()
    # stats writes its table as data: byte for byte to a pipe (as here), visible on a
    # terminal (test_stats_to_a_pipe_is_byte_exact_and_to_a_terminal_visible)
    for text in (err,) if command[0] == "stats" else (out, err):
        assert not RAW_CONTROL.search(text), repr(text[:300])
        assert not any(line.startswith("error: forged") for line in text.splitlines())


def test_file_names_never_act_on_the_terminal(tmp_path, capsys) -> None:
    name = "x\nerror: forged \x1b[2J\u202e.geojson"
    src = tmp_path / name
    src.write_text((CONTEXT / "events.geojson").read_text(encoding="utf-8"), encoding="utf-8")
    missing = tmp_path / "gone\x1b]0;T\x07.csv"
    assert main(["validate", str(src), str(missing)]) == 1
    out = tmp_path / "out\n\x1b[31m.html"
    assert main(["build", "--events", str(src), "--out", str(out)]) == 0
    text = "".join(capsys.readouterr())
    assert not RAW_CONTROL.search(text), repr(text[:300])
    assert not any(line.startswith("error: forged") for line in text.splitlines())
    assert "gone\\x1b]0;T\\x07.csv" in text and "out\\x0a\\x1b[31m.html" in text  # shown


def test_stats_to_a_pipe_is_byte_exact_and_to_a_terminal_visible(tmp_path) -> None:
    import pty
    import subprocess
    import sys

    src = _terminal_events(tmp_path)
    cmd = [sys.executable, "-m", "geo", "stats", str(src), "--period", "none", "-q"]
    piped = subprocess.run(cmd, capture_output=True, check=True).stdout
    assert b"\x1b]0;PWNED" in piped  # data, byte for byte
    leader, follower = pty.openpty()
    with subprocess.Popen(cmd, stdout=follower, stderr=subprocess.DEVNULL) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=120)
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "Kunar\\x1b]0;PWNED\\x07" in shown and "\x1b" not in shown


def test_spec_file_text_is_inert(tmp_path, marker) -> None:
    """A map spec file (geo.spec) is another way in for every text option: same checks."""
    import tomli_w

    text = payload(marker)
    out = tmp_path / "map.html"
    spec = {
        "events": [str(CONTEXT / "events.geojson")],
        "title": text,
        "description": text,
        "credit": [text],
        "out": str(out),
    }
    path = tmp_path / "map.toml"
    path.write_text(tomli_w.dumps(spec), encoding="utf-8")
    assert main(["build", str(path)]) == 0
    _assert_inert(out, marker, text)


def test_spec_file_keys_and_values_never_act_on_the_terminal(tmp_path, capsys) -> None:
    import tomli_w

    path = tmp_path / "bad.toml"
    for spec in ({TERMINAL: "x"}, {"choropleth": TERMINAL}, {"min-fatalities": TERMINAL}):
        path.write_text(tomli_w.dumps(spec), encoding="utf-8")
        assert main(["build", str(path), "--out", str(tmp_path / "x.html")]) == 1
        err = capsys.readouterr().err
        assert "bad.toml" in err and not RAW_CONTROL.search(err), repr(err[:300])
        assert not any(line.startswith("error: forged") for line in err.splitlines())
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("path", EVENT_PATHS)
def test_change_map_page_text_is_inert(tmp_path, marker, path, monkeypatch) -> None:
    """``geo diff OLD NEW --map OUT.html``: a field revised to hostile text is shown in the
    change page's popup as text (and an event added with it in its place)."""
    monkeypatch.setenv("GEO_DATA_DIR", str(Path(__file__).parent / "data" / "context"))
    text = payload(marker)
    old = tmp_path / "old.geojson"
    old.write_text(json.dumps({"type": "FeatureCollection", "features": [_event()]}))
    new = _events_file(tmp_path, path, text)
    out = tmp_path / "changes.html"
    assert main(["diff", str(old), str(new), "--map", str(out), "--quiet"]) == 0
    # a list field (sources, tags) is compared and shown as its JSON text
    _assert_inert(out, marker, text, literal=not path.startswith("sources.") and path != "tags")


def test_a_hostile_dataset_name_in_the_methods_of_snippet_and_batch_index(tmp_path, marker) -> None:
    """A dataset the tool does not know is credited by its name (geo.methods): in the embed
    snippet's methods and sources and in the batch index's "Sources and methods", as text."""
    from bs4 import BeautifulSoup

    text = payload(marker).replace("\x1b", "")
    events = _events_file(tmp_path, "dataset", text)
    page = tmp_path / "map.html"
    assert main(["build", "--events", str(events), "--out", str(page), "--embed"]) == 0
    _assert_inert(page, marker, f"Data: {text}")
    soup = BeautifulSoup((tmp_path / "map.embed.html").read_text(encoding="utf-8"), "html.parser")
    credit = soup.find("p", class_="geo-embed-credit")
    assert credit is not None and f"data: {text}" in credit.get_text()
    assert {t.name for t in soup.find_all(True)} <= {"div", "style", "iframe", "p", "a", "img",
                                                      "noscript", "script"}  # fmt: skip
    out = tmp_path / "batch"
    assert main(["batch", "--events", str(events), "--period", "year", "--out-dir", str(out)]) == 0
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = [li.get_text() for li in index.select("section.methods li")]
    assert items[0] == f"Data: {text}"
    assert not index.find_all("script") and not marker.exists()


def test_a_hostile_accessed_date_is_refused_and_shown_escaped(tmp_path, marker, capsys) -> None:
    text = payload(marker)[:120] + "\x1b]0;PWNED\x07"
    out = tmp_path / "map.html"
    args = ["build", "--events", str(CONTEXT / "events.geojson"), "--out", str(out)]
    with pytest.raises(SystemExit):
        main([*args, "--accessed", text])
    err = capsys.readouterr().err
    assert "--accessed" in err and "not a date; accepted: a day as YYYY-MM-DD" in err
    assert "\x1b" not in err and not out.exists() and not marker.exists()


@pytest.mark.parametrize("lang", ["ps", "fa-AF", "ur"])
def test_catalogue_text_is_inert(tmp_path, marker, monkeypatch, lang) -> None:
    """Catalogue entries are text (issue 24): every translation the payload, in the scripts'
    literals, the configuration's messages and the legend, and the page's font subset."""
    import geo.render.edition as edition_mod
    from geo.i18n import catalog

    text = payload(marker)
    monkeypatch.setattr(edition_mod, "_text", lambda msgid, lang: text)
    monkeypatch.setattr(catalog, "translate", lambda msgid, lang, /, **v: text)
    edition_mod.edition_script.cache_clear()
    try:
        out = _build(tmp_path, CONTEXT / "events.geojson", "--lang", lang)
    finally:
        edition_mod.edition_script.cache_clear()
    page = _assert_inert(out, marker, text)
    assert "<img src=x" not in page  # in no script, style or markup as written


def test_a_hostile_local_place_name_is_drawn_as_text(tmp_path, marker, monkeypatch) -> None:
    """The editions' place names (data/place_names.csv, geo.i18n.names) are data: a payload
    there reaches the labels, the tooltips and the stills as text."""
    text = payload(marker)
    d = _context_copy(tmp_path)
    rows = []
    for role, kind, field in (
        ("provinces", "province", "province"),
        ("cities", "town", "name"),
        ("crossings", "crossing", "name"),
        ("neighbours", "country", "country_name"),
    ):
        doc = json.loads((d / SHIPPED[role]).read_text(encoding="utf-8"))
        rows += [(kind, f["properties"][field], "ps", text, "test") for f in doc["features"]]
    with (d / "place_names.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("kind", "name", "lang", "local", "source"), *rows])
    monkeypatch.setenv("GEO_DATA_DIR", str(d))
    out = _build(tmp_path, d / SHIPPED["events"], "--lang", "ps")
    page = _assert_inert(out, marker, text)
    assert "\u2028" not in page and "\u2029" not in page
    svg = tmp_path / "map.svg"
    assert main(["build", "--events", str(d / SHIPPED["events"]), "--out", str(svg),
                 "--lang", "ps"]) == 0  # fmt: skip
    drawn = svg.read_text(encoding="utf-8")
    assert not marker.exists() and "<script" not in drawn and "onerror" not in drawn


#: A catalogue entry for every message of the Python-made outputs (issue 24): markup, a shell
#: substitution, a format field reaching into Python and a template's braces, each as text.
_CATALOGUE_PAYLOAD = "<img src=x onerror=alert(1)> $(rm -rf ~) {0.__class__} {{7*7}} {count}"


#: The messages a hostile catalogue fills in (the others stay English, so the still keeps
#: room for its map): the snippet's, the batch index's and the methods' own words.
_HOSTILE_IDS = frozenset({"View full screen: {title}", "Sources: {sources}.", "Methods: {methods}",
                          "Sources and methods", "{title} – maps by {period}", "Map", "Events",
                          "Periods", "{title}: all periods", "Data: {credits}", "month",
                          "Filters: {filters}", "Map of {period}", "{link}: {period}"})  # fmt: skip


class _HostileCatalogue:
    def __init__(self, text: str) -> None:
        self.text = text

    def gettext(self, msgid: str) -> str:
        return self.text if msgid in _HOSTILE_IDS else msgid


@pytest.mark.parametrize("lang", ["ur", "ps"])
def test_a_hostile_catalogue_in_the_snippet_and_the_batch_index(tmp_path, marker, monkeypatch,
                                                                 lang) -> None:  # fmt: skip
    """The snippet's and the batch index's words (geo.i18n.words) from a hostile catalogue:
    escaped as text, nothing evaluated, no element of their own."""
    from bs4 import BeautifulSoup

    from geo.i18n import catalog

    template = "{{ cycler.__init__.__globals__.os.makedirs(" + repr(str(marker)) + ") }}"
    text = f"{_CATALOGUE_PAYLOAD} S {{{{ 6*7 }}}} E {template}"
    monkeypatch.setattr(catalog, "translations", lambda lang: _HostileCatalogue(text))
    page = _build(tmp_path, CONTEXT / "events.geojson", "--embed", "--lang", lang)
    snippet = (tmp_path / "map.embed.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(snippet, "html.parser")
    assert {t.name for t in soup.find_all(True)} <= {"div", "style", "iframe", "p", "a", "img",
                                                      "noscript", "script"}  # fmt: skip
    assert all(i["src"] == "./map.png" for i in soup.find_all("img"))  # no image of its own
    said = soup.find("a").get_text()
    assert "<img src=x onerror=alert(1)> $(rm -rf ~) {0.__class__} {{7*7}}" in said
    assert "<class" not in snippet and "S 42 E" not in snippet
    _assert_inert(page, marker, "{0.__class__}")
    out = tmp_path / "batch"
    assert main(["batch", "--events", str(CONTEXT / "events.geojson"), "--period", "year",
                 "--start", "2022", "--end", "2023", "--out-dir", str(out),
                 "--lang", lang]) == 0  # fmt: skip
    for file in out.glob("*.html"):
        html_text = file.read_text(encoding="utf-8")
        doc = BeautifulSoup(html_text, "html.parser")
        assert not [i for i in doc.find_all("img") if i.get("src") == "x"]
        assert "S 42 E" not in html_text and "<class" not in html_text
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert not index.find_all("script") and "$(rm -rf ~) {0.__class__}" in index.h2.get_text()
    assert not marker.exists()
