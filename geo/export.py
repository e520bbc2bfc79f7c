"""Write maps to disk: atomic HTML, self-contained by default, and the embed snippet."""

from __future__ import annotations

import base64
import glob
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from geo._errors import InputError
from geo.embed import embed_name, embed_snippet
from geo.render._safe import seal
from geo.render.basemap import LEAFLET_CSS, LEAFLET_JS

__all__ = [
    "embed_name",
    "embed_snippet",
    "inline_assets",
    "save_html",
    "save_map",
    "to_html",
    "write_text_atomic",
]

_VIEWPORT = re.compile(r'<meta name="viewport" content="[^"]*user-scalable=no"\s*/>', re.S)
_ZOOMABLE = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'


def to_html(m: folium.Map, *, self_contained: bool = True) -> str:
    """Render the map page as text (:func:`page_pieces` joined).

    Parameters
    ----------
    m : folium.Map
        The map from :func:`geo.render.build_map`.
    self_contained : bool
        Inline Leaflet, its CSS and its images (from ``xstatic-leaflet``), so the page
        works with no network at all (background tiles aside). False links Leaflet from
        the pinned CDN URLs instead: a page about 150 KB smaller that needs the network.

    Notes
    -----
    Folium's page forbids pinch zoom (``user-scalable=no``), which fails WCAG 1.4.4; the
    viewport is replaced with one that allows it.
    """
    return "".join(page_pieces(m, self_contained=self_contained))


#: Stands in for a large text while the rest of the page is rendered (see page_pieces).
_HOLE = "\x00geo-large-text-{}\x00"


def page_pieces(m: folium.Map, *, self_contained: bool = True) -> list[str]:
    """The page as a list of texts whose concatenation is :func:`to_html`'s page.

    The events' configuration of a large map is tens of megabytes. Rendered in place it
    would be copied by every step after it (the template, the viewport fix, inlining
    Leaflet, encoding), several times the page's size in memory at once. So each large text
    (an element's ``large_texts``) is swapped for a short stand-in while the page renders,
    and handed back as a piece of its own. A stand-in that does not come back exactly once
    (text in the page that happens to hold it) makes the page render whole instead.
    """
    root = seal(m.get_root())
    large = [
        (element, attr)
        for element in _elements(root)
        for attr in getattr(element, "large_texts", ())
        if len(getattr(element, attr)) > _LARGE_TEXT
    ]
    saved = [getattr(element, attr) for element, attr in large]
    try:
        for k, (element, attr) in enumerate(large):
            setattr(element, attr, _HOLE.format(k))
        page = _render(root, self_contained=self_contained)
    finally:
        for (element, attr), text in zip(large, saved, strict=True):
            setattr(element, attr, text)
    pieces = [page]
    for k, text in enumerate(saved):
        before, hole, after = pieces[-1].partition(_HOLE.format(k))
        if not hole or _HOLE.format(k) in after:
            return [_render(root, self_contained=self_contained)]
        pieces[-1:] = [before, text, after]
    return pieces


def _render(root: Any, *, self_contained: bool) -> str:
    """Render the page, leaving the map as it was.

    Rendering adds to the tree: each element's output goes into the page's header, body
    and script sections, folium adds its default links and hangs icons under their markers.
    Every element's children are put back as they were afterwards, so the same map renders
    to the same page every time (a notebook shows it, then it is saved).
    """
    tree = [*_elements(root), *(getattr(root, part) for part in ("header", "html", "script"))]
    before = [(element, dict(element._children)) for element in tree]
    try:
        return _finish(root.render(), self_contained=self_contained)
    finally:
        for element, children in before:
            element._children.clear()
            element._children.update(children)


#: Texts longer than this (characters) are kept out of the rendering (see page_pieces).
_LARGE_TEXT = 1 << 20


def _elements(element: Any) -> Any:
    yield element
    for child in element._children.values():
        yield from _elements(child)


def _finish(page: str, *, self_contained: bool) -> str:
    """The rendered page with a zoomable viewport and, if asked, Leaflet inlined."""
    head_end = page.find("</head>")
    head, n = _VIEWPORT.subn(_ZOOMABLE, page[:head_end], count=1)
    page = head + page[head_end:]
    if n != 1:
        msg = "folium's viewport meta tag was not found; update geo.export._VIEWPORT"
        raise RuntimeError(msg)
    if self_contained:
        page = inline_assets(page)
    return page


def leaflet_dir() -> Path:
    """The folder of the pinned Leaflet copy (``xstatic-leaflet``) that pages inline."""
    try:
        from xstatic.pkg import leaflet
    except ImportError:  # pragma: no cover - a core dependency
        msg = "self-contained output needs xstatic-leaflet: pip install xstatic-leaflet"
        raise ImportError(msg) from None
    return Path(leaflet.BASE_DIR)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def inline_assets(page: str) -> str:
    """Replace the Leaflet CDN links with inline copies from ``xstatic-leaflet``."""
    base = leaflet_dir()
    js = (base / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(
        r"url\(images/([\w.-]+\.png)\)",
        lambda mt: f"url({_data_uri(base / 'images' / mt.group(1))})",
        css,
    )
    js_tag = f'<script src="{LEAFLET_JS}"></script>'
    css_tag = f'<link rel="stylesheet" href="{LEAFLET_CSS}"/>'
    if js_tag not in page or css_tag not in page:
        msg = "Leaflet links not found in the page; cannot inline them"
        raise RuntimeError(msg)
    page = page.replace(js_tag, f"<script>{js}</script>")
    return page.replace(css_tag, f"<style>{css}</style>")


def write_text_atomic(
    text: str | Sequence[str], path: str | Path, *, inputs: Sequence[str | Path] = ()
) -> Path:
    """Write ``text`` (or the concatenation of a list of texts) as UTF-8 to ``path``
    atomically (see :func:`write_bytes_atomic`).

    Each text is encoded and written a block at a time, so a large page never exists whole
    as bytes beside its text. Text that cannot be encoded (an unpaired surrogate) is an
    error before the file is in place, never half a file.
    """
    texts = [text] if isinstance(text, str) else list(text)
    return write_bytes_atomic(_utf8_blocks(texts, path), path, inputs=inputs)


#: Characters encoded at a time by write_text_atomic.
_BLOCK = 1 << 22


def _utf8_blocks(texts: Sequence[str], path: str | Path) -> Iterator[bytes]:
    done = 0
    for text in texts:
        for i in range(0, len(text), _BLOCK):
            try:
                yield text[i : i + _BLOCK].encode("utf-8")
            except UnicodeEncodeError as exc:
                at = done + i + exc.start
                msg = f"{path}: the output holds text that is not valid Unicode at character {at}"
                raise InputError(msg) from None
        done += len(text)


def write_bytes_atomic(
    data: bytes | Iterable[bytes], path: str | Path, *, inputs: Sequence[str | Path] = ()
) -> Path:
    """Write ``data`` (bytes, or blocks of bytes) to ``path`` through a temporary file and
    a rename.

    A crash or an error leaves either the old file or the new one, never half a file; the
    temporary files of an earlier run that was killed are removed first. ``path`` is
    checked with :func:`check_output` (``inputs`` are the files it must not overwrite); a
    symbolic link is followed, so the link stays and its target gets the new content.
    Errors name ``path``, never the temporary file.
    """
    target = check_output(path, inputs=inputs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for block in [data] if isinstance(data, bytes | bytearray) else data:
                fh.write(block)
        # mkstemp makes the file private (0600); give it the usual permissions for a new file
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(path)


def check_output(path: str | Path, *, inputs: Sequence[str | Path] = ()) -> Path:
    """The real file an output goes to, after refusing what must not be overwritten.

    Raises
    ------
    InputError
        ``path`` is a directory (or ends with a separator), a device, FIFO or socket, or
        the same file as one of ``inputs``.
    """
    text = os.fspath(path)
    if text.endswith((os.sep, "/")) or Path(text).is_dir():
        msg = f"{text}: is a directory; give a file name such as {Path(text) / 'conflict_map.html'}"
        raise InputError(msg)
    given = Path(text)
    target = Path(os.path.realpath(text))
    if (given.exists() and not given.is_file()) or (target.exists() and not target.is_file()):
        msg = f"{text}: is not a regular file (a device, FIFO or socket); give a file name"
        raise InputError(msg)
    for source in inputs:
        if os.path.realpath(source) == str(target):
            msg = f"{text}: is the input file {os.fspath(source)!r}; choose another output name"
            raise InputError(msg)
    return target


#: How old a temporary file without a readable process id must be before it is removed.
_STALE_SECONDS = 600


def _remove_stale_temps(target: Path) -> None:
    """Remove ``.NAME.<pid>.*.tmp`` files left by a run that was killed mid-write."""
    now = time.time()
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid_text = tmp.name[len(target.name) + 2 :].split(".", 1)[0]
        try:
            if pid_text.isdigit():
                if _alive(int(pid_text)):
                    continue
            elif now - tmp.stat().st_mtime < _STALE_SECONDS:
                continue
            tmp.unlink()
        except OSError:
            continue  # gone already, or not ours to remove


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def save_html(m: folium.Map, path: str | Path, *, self_contained: bool = True) -> Path:
    """Render the map and write it atomically; returns the path written.

    Self-contained by default; ``self_contained=False`` links Leaflet from the CDN.
    """
    return write_text_atomic(page_pieces(m, self_contained=self_contained), path)


def save_map(
    events: gpd.GeoDataFrame,
    path: str | Path,
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    provinces: Sequence[str] = (),
    types: Sequence[str] = (),
    title: str = "Durand Line conflict map",
    description: str | None = None,
    layers: Mapping[str, gpd.GeoDataFrame | None] | None = None,
    belt_km: float = 50.0,
    choropleth: str | None = "events",
    self_contained: bool = True,
    size: str | tuple[int, int] | None = None,
    width_mm: float | None = None,
    height_mm: float | None = None,
    dpi: float | None = None,
    credits: Sequence[str] = (),
) -> Path:
    """Write a map of ``events`` in the format the suffix of ``path`` names.

    The Python face of ``geo build``: ``.html`` gives the interactive page, ``.png``,
    ``.svg`` and ``.pdf`` a static image (see :mod:`geo.render.static`), with the same
    date, province and type filters and the same size options as the command line.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Canonical events (from :func:`geo.load_events`; enrich them first with
        :func:`geo.analysis.enrich` for distances in the page's popups).
    path : str or Path
        Output file; written atomically.
    start, end : str or pandas.Timestamp, optional
        The date window (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; inclusive).
    layers : mapping, optional
        ``border``, ``belt``, ``provinces``, ``crossings``, ``countries``, ``cities``;
        by default the shipped files (and a belt of ``belt_km``).
    size, width_mm, height_mm, dpi
        Image size: pixels (``"1600x1000"``), or a printed width (and height) in mm.

    Examples
    --------
    >>> report = geo.load_events(["data/events.geojson"])  # doctest: +SKIP
    >>> geo.save_map(report.events, "oct.pdf", start="2025-10", end="2025-10")  # doctest: +SKIP
    """
    from geo.render import build_map
    from geo.render.static import image_size, output_format, save_static, static_map
    from geo.timefilter import filter_events, parse_bound

    fmt = output_format(path)
    box = image_size(size=size, width_mm=width_mm, height_mm=height_mm, dpi=dpi)
    a = parse_bound(start, option="start") if isinstance(start, str) else start
    b = parse_bound(end, option="end", end=True) if isinstance(end, str) else end
    shown = filter_events(events, start=a, end=b, provinces=provinces, types=types)
    ctx = dict(layers) if layers is not None else _shipped_layers(belt_km)
    if fmt == "html":
        m = build_map(shown, **ctx, choropleth=choropleth, start=a, end=b, title=title,
                      description=description)  # fmt: skip
        return save_html(m, path, self_contained=self_contained)
    fig = static_map(shown, **ctx, start=a, end=b, types=types, province_filter=provinces,
                     title=title, description=description, credits=credits, size=box)  # fmt: skip
    return save_static(fig, path, fmt=fmt)


def _shipped_layers(belt_km: float) -> dict[str, gpd.GeoDataFrame | None]:
    from geo.api import load_context

    return load_context().layers(belt_km)


#: Formats of exported event tables, by file suffix.
EVENT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".parquet": "parquet"}


def event_format(path: str | Path, fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else by the suffix of ``path``."""
    if fmt is not None:
        if fmt not in set(EVENT_FORMATS.values()):
            msg = f"format {fmt!r} is not known; accepted: geojson, csv, parquet"
            raise InputError(msg)
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in EVENT_FORMATS:
        msg = (
            f"{path}: unknown file type {suffix or '(none)'!r} for events; accepted: "
            f"{', '.join(EVENT_FORMATS)} (or give --format)"
        )
        raise InputError(msg)
    return EVENT_FORMATS[suffix]


def write_events(
    events: gpd.GeoDataFrame,
    path: str | Path,
    *,
    fmt: str | None = None,
    inputs: Sequence[str | Path] = (),
) -> Path:
    """Write canonical (optionally enriched) events as GeoJSON, CSV or GeoParquet, atomically.

    Every format reads back with :func:`geo.read_events` to the same events:

    - GeoJSON: one Feature per event, properties in canonical order.
    - CSV: one row per event with ``latitude``/``longitude``; ``sources`` as a JSON list (what
      the reader takes back) plus ``source_names`` and ``source_urls`` joined by `` | `` for
      people reading the sheet; ``tags`` as a JSON list.
    - GeoParquet: canonical columns, ``sources`` as a list of ``{name, url, date}`` structs
      and ``tags`` as a list of strings.
    """
    from geo.events import events_to_geojson

    kind = event_format(path, fmt)
    if kind == "geojson":
        return write_text_atomic(events_to_geojson(events), path, inputs=inputs)
    if kind == "csv":
        return write_text_atomic(_events_csv(events), path, inputs=inputs)
    return write_bytes_atomic(_events_parquet(events), path, inputs=inputs)


def _plain_columns(events: gpd.GeoDataFrame) -> list[str]:
    return [c for c in events.columns if c not in ("geometry", "origin_file", "origin_record")]


def _events_csv(events: gpd.GeoDataFrame) -> str:
    import json

    table = pd.DataFrame(index=events.index)
    for col in _plain_columns(events):
        values = events[col]
        if col in ("sources", "tags"):
            table[col] = [
                json.dumps([dict(v) if isinstance(v, dict) else v for v in x], ensure_ascii=False)
                for x in values
            ]
        elif pd.api.types.is_datetime64_any_dtype(values):
            table[col] = values.dt.strftime("%Y-%m-%d").fillna("")
        elif pd.api.types.is_bool_dtype(values):
            table[col] = values.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(values):
            table[col] = values.round(3)
        else:
            table[col] = values
        if table[col].dtype == object or pd.api.types.is_string_dtype(table[col]):
            table[col] = table[col].astype(object).map(_formula_safe)
    table["source_names"] = [
        _formula_safe(" | ".join(s.get("name", "") for s in x)) for x in events["sources"]
    ]
    table["source_urls"] = [
        _formula_safe(" | ".join(s.get("url", "") for s in x if s.get("url")))
        for x in events["sources"]
    ]
    table["latitude"] = events.geometry.y.round(6).to_numpy()
    table["longitude"] = events.geometry.x.round(6).to_numpy()
    return table.to_csv(index=False, lineterminator="\n")


#: What a spreadsheet takes for the start of a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Spreadsheets show the apostrophe-prefixed cell as text; :func:`geo.read_events`
    removes the apostrophe again, so an export reads back to the same events.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _events_parquet(events: gpd.GeoDataFrame) -> bytes:
    import io

    out = gpd.GeoDataFrame(events[[*_plain_columns(events), "geometry"]].copy(), crs=events.crs)
    out["sources"] = [
        [{k: s.get(k) for k in ("name", "url", "date")} for s in x] for x in out["sources"]
    ]
    out["tags"] = [list(x) for x in out["tags"]]
    buf = io.BytesIO()
    out.to_parquet(buf, index=False, compression="zstd", schema_version="1.0.0")
    return buf.getvalue()
