"""The map as a page: rendered once through the sealed element tree, Leaflet inlined.

:func:`to_html` gives the text of the page, :func:`page_pieces` the same text in pieces (a
large map's configuration never copied into the rendered page), :func:`save_html` writes it
atomically.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import folium
import rcssmin

from geo._atomic import write_text_atomic
from geo.render._safe import seal
from geo.render.basemap import LEAFLET_CSS, LEAFLET_JS

_VIEWPORT = re.compile(r'<meta name="viewport" content="[^"]*user-scalable=no"\s*/>', re.S)
_ZOOMABLE = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
#: The page declares its language and direction (WCAG 3.1.1; folium's ``<html>`` has none).
#: Filled from the map's edition (geo.i18n.Edition): ``<html lang="en" dir="ltr">`` in English.
_HTML_OPEN = '<html lang="{lang}" dir="{dir}">'


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
        return _finish(root.render(), self_contained=self_contained, lang=_lang(root))
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


def _lang(root: Any) -> str:
    """The edition of the map whose page ``root`` is (``"en"`` for any other map)."""
    for element in _elements(root):
        options = getattr(element, "map_options", None)
        if options is not None:
            return str(getattr(options, "lang", "en"))
    return "en"


def _finish(page: str, *, self_contained: bool, lang: str = "en") -> str:
    """The rendered page with its language and direction declared, a zoomable viewport
    and, if asked, Leaflet inlined."""
    from geo.i18n.editions import edition

    ed = edition(lang)
    html_open = _HTML_OPEN.format(lang=ed.tag, dir=ed.direction)
    head_end = page.find("</head>")
    head, n_html = re.subn("<html>", html_open, page[:head_end], count=1)
    head, n = _VIEWPORT.subn(_ZOOMABLE, head, count=1)
    page = head + page[head_end:]
    if n_html != 1:
        msg = "folium's <html> tag was not found; update geo.render.html._HTML_OPEN"
        raise RuntimeError(msg)
    if n != 1:
        msg = "folium's viewport meta tag was not found; update geo.render.html._VIEWPORT"
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
    css = rcssmin.cssmin((base / "leaflet.css").read_text(encoding="utf-8"))
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


def save_html(m: folium.Map, path: str | Path, *, self_contained: bool = True) -> Path:
    """Render the map and write it atomically; returns the path written.

    Self-contained by default; ``self_contained=False`` links Leaflet from the CDN.
    """
    return write_text_atomic(page_pieces(m, self_contained=self_contained), path)
