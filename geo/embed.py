"""The embed snippet: a responsive iframe to paste into a report or a CMS page.

The snippet is HTML generated from the page's title and file name, so every value is
escaped (``html.escape(..., quote=True)``) and every address is a relative, percent-encoded
path (or, with ``base_url``, that path under a checked http(s) address): no template engine
sees the data, and nothing in a title or a file name can become
markup, a script or a ``javascript:`` link.

The frame sizes itself: the map page reports the height its layout needs for the frame's
width (a ``postMessage`` in pym.js's format, so a page that uses pym.js can embed the map
too), and the snippet's script, a constant of this module that reads no data, sets the
frame's height to it. Without scripts the frame keeps its shape from the CSS alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit

from geo._errors import InputError
from geo.i18n.editions import edition
from geo.i18n.words import full_stop, joined, tr

__all__ = ["check_base_url", "embed_name", "embed_snippet"]

#: Rules that adapt the frame's shape to the column it is pasted into (a container query
#: on the wrapper): wide columns get a landscape map, phone-width columns a tall one.
_STYLE = (
    ".geo-embed{container-type:inline-size;width:100%;margin:1em 0}"
    ".geo-embed-frame{position:relative;width:100%;aspect-ratio:4/3;min-height:300px;"
    "max-height:85vh;max-height:85svh}"
    "@container (min-width:720px){.geo-embed-frame{aspect-ratio:16/10}}"
    "@container (max-width:480px){.geo-embed-frame{aspect-ratio:3/4}}"
    ".geo-embed-frame iframe{position:absolute;inset:0;width:100%;height:100%;border:0}"
    ".geo-embed-static{display:none;width:100%;height:auto}"
    ".geo-embed-credit{font-size:0.8em;line-height:1.35;color:#555;margin:0.4em 0 0}"
    ".geo-embed-link{font-size:0.9em;margin:0.4em 0 0}"
    "@media print{.geo-embed-frame:has(+.geo-embed-static){display:none}"
    ".geo-embed-static{display:block}}"
)


#: The snippet's script: sets each map frame's height to the height its page reports
#: ("pym" xPYMx id xPYMx "height" xPYMx pixels). Constant text: no data goes into it.
_SCRIPT = (
    "(function(){if(window.geoEmbedResize)return;window.geoEmbedResize=1;"
    "window.addEventListener('message',function(e){"
    "if(typeof e.data!=='string')return;var m=e.data.split('xPYMx');"
    "if(m.length!==4||m[0]!=='pym'||m[2]!=='height')return;"
    "var h=Math.round(Number(m[3]));if(!(h>=120&&h<=20000))return;"
    "var f=document.querySelectorAll('.geo-embed-frame iframe');"
    "for(var i=0;i<f.length;i++){if(f[i].contentWindow===e.source){"
    "var b=f[i].parentNode;b.style.aspectRatio='auto';b.style.maxHeight='none';"
    "b.style.minHeight='0';b.style.height=h+'px';}}});})();"
)
#: A published address: http(s), a host, no spaces, quotes or angle brackets.
_URL = re.compile(r"https?://[^\s\"'<>`\\]+", re.IGNORECASE)


def check_base_url(url: str) -> str:
    """``--base-url``: an absolute http(s) address with a host, ending in ``/``."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if (
        parts is None
        or not _URL.fullmatch(url)
        or parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
    ):
        msg = (
            f"--base-url {url!r} is not accepted; accepted: an http:// or https:// address "
            "with a host and no query, e.g. https://example.org/maps/"
        )
        raise InputError(msg)
    return url if url.endswith("/") else url + "/"


def embed_name(page_name: str) -> str:
    """The snippet's file name for a page: ``conflict_map.html`` -> ``conflict_map.embed.html``."""
    stem = page_name[:-5] if page_name.lower().endswith(".html") else page_name
    return f"{stem}.embed.html"


def _relative_url(name: str) -> str:
    """A relative, percent-encoded address: never a scheme, never another host."""
    path = PurePosixPath(name.replace("\\", "/").lstrip("/"))
    return "./" + quote(str(path), safe="/")


def embed_snippet(
    page_name: str,
    *,
    title: str,
    image: str | None = None,
    credits: Sequence[str] = (),
    base_url: str | None = None,
    alt: str | None = None,
    methods: Sequence[str] = (),
    lang: str = "en",
) -> str:
    """HTML to paste into a report: a responsive iframe of the map, and a full-screen link.

    Parameters
    ----------
    page_name : str
        The map page's file name (``conflict_map.html``), relative to where the snippet is
        pasted; it becomes a percent-encoded relative address.
    title : str
        The map's title: the iframe's ``title`` for screen readers and the link text.
    image : str, optional
        A static image of the map (relative file name): shown where scripts or frames do
        not run (``<noscript>``), and printed in place of the frame.
    credits : sequence of str
        The map's sources and licences (:meth:`geo.render.ConflictMap.credits`): a source
        line under the frame, as text, outside the map like a news graphic's.
    base_url : str, optional
        Where the page and its image will be published (``--base-url``): the links become
        absolute (checked: http or https, a host, no query).
    alt : str, optional
        What the map shows, in words (``--alt``): the fallback image's text and the frame's
        description for screen readers (default: the title).
    methods : sequence of str
        The filters in force and the fields the tool derived
        (:meth:`geo.methods.Methods.method_lines`): a line under the sources, as text.
    lang : str
        The edition (``--lang``): the snippet's own words from its catalogue
        (:mod:`geo.i18n.words`), its box marked with the edition's ``lang`` and ``dir``.
        Catalogue text is escaped as the title is.

    Returns
    -------
    str
        The snippet, ending in a newline. The frame fills the column's width; its height
        follows the column (landscape on wide columns, portrait on phones), capped at 85 %
        of the screen height.

    Examples
    --------
    >>> print(embed_snippet("map.html", title="Border clashes"))  # doctest: +ELLIPSIS
    <!-- Interactive map ...
    """
    base = check_base_url(base_url) if base_url is not None else None

    def address(name: str) -> str:
        path = _relative_url(name)
        return escape(base + path[2:] if base else path, quote=True)

    url = address(page_name)
    label = escape(title, quote=True)
    words = escape(alt, quote=True) if alt else label
    lines = [
        "<!-- Interactive map made with geo. Keep the map page next to the page this is "
        "pasted into, or change both addresses. -->",
        f'<div class="geo-embed"{_lang_attrs(lang)}><style>{_STYLE}</style>',
        '<div class="geo-embed-frame">',
        f'<iframe src="{url}" title="{label}" aria-description="{words}" loading="lazy" '
        'allow="fullscreen; clipboard-write" allowfullscreen referrerpolicy="no-referrer">'
        "</iframe>",
        "</div>",
        f"<script>{_SCRIPT}</script>",
    ]
    if image is not None:
        src = address(image)
        lines += [
            f'<img class="geo-embed-static" src="{src}" alt="{words}" loading="lazy">',
            f'<noscript><img src="{src}" alt="{words}" style="width:100%;height:auto"></noscript>',
        ]
    if credits:
        text = escape(tr("Sources: {sources}.", lang, sources=joined(credits, lang)), quote=True)
        lines.append(f'<p class="geo-embed-credit">{text}</p>')
    if methods:
        said = " ".join(line + full_stop(lang) for line in methods)
        text = escape(tr("Methods: {methods}", lang, methods=said), quote=True)
        lines.append(f'<p class="geo-embed-credit geo-embed-methods">{text}</p>')
    link = escape(tr("View full screen: {title}", lang, title=title), quote=True)
    lines += [
        f'<p class="geo-embed-link"><a href="{url}" target="_blank" rel="noopener">{link}</a></p>',
        "</div>",
    ]
    return "\n".join(lines) + "\n"


def _lang_attrs(lang: str) -> str:
    """`` lang="ur" dir="rtl"`` for an edition's snippet; nothing for English (its bytes)."""
    if lang == "en":
        return ""
    ed = edition(lang)
    return f' lang="{escape(ed.tag, quote=True)}" dir="{escape(ed.direction, quote=True)}"'
