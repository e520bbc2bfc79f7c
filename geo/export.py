"""Write maps to disk: atomic HTML, self-contained by default, and the embed snippet."""

from __future__ import annotations

import base64
import os
import re
import tempfile
from pathlib import Path

import folium

from geo.embed import embed_name, embed_snippet
from geo.render._safe import seal
from geo.render.basemap import LEAFLET_CSS, LEAFLET_JS

__all__ = [
    "embed_name",
    "embed_snippet",
    "inline_assets",
    "save_html",
    "to_html",
    "write_text_atomic",
]

_VIEWPORT = re.compile(r'<meta name="viewport" content="[^"]*user-scalable=no"\s*/>', re.S)
_ZOOMABLE = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'


def to_html(m: folium.Map, *, self_contained: bool = True) -> str:
    """Render the map page as text.

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
    page = seal(m.get_root()).render()
    head_end = page.find("</head>")
    head, n = _VIEWPORT.subn(_ZOOMABLE, page[:head_end], count=1)
    page = head + page[head_end:]
    if n != 1:
        msg = "folium's viewport meta tag was not found; update geo.export._VIEWPORT"
        raise RuntimeError(msg)
    if self_contained:
        page = inline_assets(page)
    return page


def _leaflet_dir() -> Path:
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
    base = _leaflet_dir()
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


def write_text_atomic(text: str, path: str | Path) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    A crash or an error leaves either the old file or the new one, never half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        # mkstemp makes the file private (0600); give it the usual permissions for a new file
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_html(m: folium.Map, path: str | Path, *, self_contained: bool = True) -> Path:
    """Render the map and write it atomically; returns the path written.

    Self-contained by default; ``self_contained=False`` links Leaflet from the CDN.
    """
    return write_text_atomic(to_html(m, self_contained=self_contained), path)
