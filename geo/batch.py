"""One map per period (month, quarter or year) and an index page that lists them all.

Each period's map shows the events whose ``[date_start, date_end]`` overlaps the period,
exactly as ``geo build --start ... --end ...`` would; an event spanning two periods is on
both pages. Pages link to the previous and next period with events and back to the index.

Safety: the index is rendered by a Jinja template that is a constant of this module, with
``autoescape=True``; data only ever enters it as template *inputs*. The navigation bar of
the period pages is built with :func:`html.escape` and inserted into the finished page
text, so no template engine ever sees it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd

from geo._atomic import write_bytes_atomic, write_text_atomic
from geo._errors import InputError
from geo.analysis import PERIODS
from geo.context import Layers
from geo.filters import Filters
from geo.i18n.editions import edition
from geo.i18n.formatting import format_gregorian
from geo.i18n.words import N_, day, figure, number, tr

if TYPE_CHECKING:
    from geo.render.options import MapOptions
    from geo.render.static import ImageSize

FORMATS = ("html", "png", "svg", "pdf")
#: Runs of at least this many consecutive empty periods are listed as one row.
EMPTY_RUN = 3


@dataclass
class Period:
    """One period of the series and what its page shows."""

    label: str  # 2025-10, 2025-Q4, 2025
    name: str  # October 2025, Q4 2025, 2025
    start: pd.Timestamp
    end: pd.Timestamp
    events: int = 0
    best: int | None = None
    low: int | None = None
    high: int | None = None
    files: dict[str, str] = field(default_factory=dict)  # format -> file name


#: The words of a period's length, one and many (the index's and the frames' texts).
PERIOD_WORDS = {
    "week": (N_("week"), N_("weeks")),
    "month": (N_("month"), N_("months")),
    "quarter": (N_("quarter"), N_("quarters")),
    "year": (N_("year"), N_("years")),
}


def _name(p: pd.Period, period: str, lang: str = "en") -> str:
    """A period's name: ``week of 6 Oct 2025``, ``October 2025``, ``Q4 2025``, ``2025``, in
    the edition's words, CLDR month names and digits (the periods are Gregorian)."""
    if lang != "en":
        if period == "week":
            return tr("week of {day}", lang, day=day(p.start_time.date(), lang))
        if period == "month":
            return format_gregorian(p.start_time.date(), lang, format="MMMM y")
        if period == "quarter":
            return tr("Q{quarter} {year}", lang, quarter=figure(str(p.quarter), lang),
                      year=figure(str(p.year), lang))  # fmt: skip
        return figure(str(p.year), lang)
    if period == "week":
        return f"week of {p.start_time.day} {p.start_time:%b %Y}"
    if period == "month":
        return f"{p:%B %Y}"
    if period == "quarter":
        return f"Q{p.quarter} {p.year}"
    return str(p.year)


def _label(p: pd.Period, period: str) -> str:
    if period == "week":  # ISO week, Monday to Sunday
        return f"{p.start_time:%G-W%V}"
    return {"month": f"{p:%Y-%m}", "quarter": f"{p.year}-Q{p.quarter}", "year": str(p.year)}[period]


def periods(
    events: gpd.GeoDataFrame,
    period: str,
    *,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    freqs: Mapping[str, str] = PERIODS,
    lang: str = "en",
) -> list[Period]:
    """Every period from ``start`` (else the first event) to ``end`` (else the last one),
    each clipped to the window, with its counts; empty periods included. ``freqs`` are the
    periods accepted, by name, with their pandas frequencies; ``lang`` the edition the
    periods are named in."""
    if period not in freqs:
        msg = f"--period {period!r} is not known; accepted: {', '.join(freqs)}"
        raise InputError(msg)
    lo = start if start is not None else (events["date_start"].min() if len(events) else None)
    hi = end if end is not None else (events["date_end"].max() if len(events) else None)
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return []
    out = []
    for p in pd.period_range(lo, hi, freq=freqs[period]):
        a = max(p.start_time.normalize(), lo)
        b = min(p.end_time.normalize(), hi)
        shown = Filters(start=a, end=b).apply(events)
        sums = [
            shown[f].sum(min_count=1)
            for f in ("fatalities_best", "fatalities_low", "fatalities_high")
        ]
        best, low, high = (None if pd.isna(v) else int(v) for v in sums)
        name = _name(p, period, lang)
        out.append(Period(_label(p, period), name, a, b, len(shown), best, low, high))
    return out


def parse_formats(text: str) -> tuple[str, ...]:
    """``html,png`` -> ("html", "png"); HTML is always written."""
    wanted = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        msg = f"--format {text!r}: unknown format {', '.join(bad) or '(none)'}; accepted: {', '.join(FORMATS)} (comma-separated)"
        raise InputError(msg)
    return tuple(dict.fromkeys(["html", *wanted]))


def _href(name: str) -> str:
    return "./" + quote(name, safe="/")


def nav_html(
    prev: Period | None, nxt: Period | None, here: Period, title: str, lang: str = "en"
) -> str:
    """The navigation bar of a period page (escaped here; never seen by a template), in the
    edition ``lang``."""

    def link(p: Period | None, text: str, rel: str) -> str:
        if p is None:
            return f'<span class="geo-nav-none">{html.escape(text)}</span>'
        label = html.escape(tr("{link}: {period}", lang, link=text, period=p.name))
        return f'<a rel="{rel}" href="{html.escape(_href(p.files["html"]))}">{label}</a>'

    nav = html.escape(tr("Periods", lang))
    back, forward = tr("← previous", lang), tr("next →", lang)
    home = html.escape(tr("{title}: all periods", lang, title=title))
    return (
        f'<nav class="geo-period-nav" aria-label="{nav}" style="position:fixed;z-index:1001;'
        "bottom:8px;right:8px;background:#fff;padding:4px 8px;border-radius:4px;"
        'box-shadow:0 1px 4px rgba(0,0,0,.35);font:13px/1.4 system-ui,sans-serif">'
        f"{link(prev, back, 'prev')} · "
        f'<a href="./index.html">{home}</a> · '
        f"<strong>{html.escape(here.name)}</strong> · {link(nxt, forward, 'next')}</nav>"
    )


def with_nav(page: str, nav: str) -> str:
    """Insert the navigation bar right after ``<body>`` of a rendered page."""
    at = page.find("<body>")
    if at < 0:
        msg = "no <body> in the rendered page; cannot add the period navigation"
        raise RuntimeError(msg)
    at += len("<body>")
    return page[:at] + nav + page[at:]


_INDEX = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
    """<!DOCTYPE html>
<html lang="{{ lang }}"{% if dir %} dir="{{ dir }}"{% endif %}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ w.head }}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em auto;max-width:1000px;padding:0 1em;color:#222}
h1{font-size:1.5em;margin:0 0 .2em}
p.sub{margin:0 0 1em;color:#444}
table{border-collapse:collapse;width:100%}
th,td{padding:.35em .5em;border-bottom:1px solid #ddd;text-align:left;vertical-align:middle}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.empty td{color:#777}
img.thumb{display:block;width:240px;height:150px;border:1px solid #ccc}
div.table{overflow-x:auto}
@media (max-width:600px){body{font-size:14px;padding:0 .5em}img.thumb{width:120px;height:75px}th,td{padding:.3em .3em}}
svg.chart{width:100%;height:auto;margin:.5em 0 1.5em}
svg.chart rect.bar{fill:#0072B2}
svg.chart text{font-size:11px;fill:#444}
section.methods{margin:1.5em 0 0;font-size:.9em;color:#333}
section.methods h2{font-size:1.1em;margin:0 0 .3em}
</style>
</head>
<body>
<main>
<h1>{{ title }}</h1>
<p class="sub">{{ w.sub }}</p>
<figure>
<svg class="chart" viewBox="0 0 {{ chart.width }} {{ chart.height }}" role="img" aria-labelledby="chart-title">
<title id="chart-title">{{ w.chart }}</title>
<line x1="{{ chart.left }}" x2="{{ chart.width }}" y1="{{ chart.base }}" y2="{{ chart.base }}" stroke="#888"/>
<text x="{{ chart.left - 4 }}" y="{{ chart.top + 4 }}" text-anchor="end">{{ chart.max }}</text>
<text x="{{ chart.left - 4 }}" y="{{ chart.base }}" text-anchor="end">{{ chart.zero }}</text>
{%- for bar in chart.bars %}
<rect class="bar" x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.w }}" height="{{ bar.h }}"><title>{{ bar.title }}</title></rect>
{%- endfor %}
{%- for tick in chart.ticks %}
<text x="{{ tick.x }}" y="{{ chart.height - 2 }}" text-anchor="{{ tick.anchor }}">{{ tick.label }}</text>
{%- endfor %}
</svg>
<figcaption>{{ w.figcaption }}</figcaption>
</figure>
<div class="table"><table>
<thead><tr><th scope="col">{{ w.period }}</th><th scope="col">{{ w.map }}</th><th scope="col" class="n">{{ w.events }}</th><th scope="col" class="n">{{ w.best }}</th><th scope="col" class="n">{{ w.range }}</th><th scope="col">{{ w.images }}</th></tr></thead>
<tbody>
{%- for row in rows %}
{%- if row.page %}
<tr><th scope="row"><a href="{{ row.page }}">{{ row.name }}</a></th>
<td><a href="{{ row.page }}"><img class="thumb" src="{{ row.thumb }}" alt="{{ row.alt }}" width="240" height="150" loading="lazy"></a></td>
<td class="n">{{ row.events }}</td><td class="n">{{ row.best }}</td><td class="n">{{ row.range }}</td>
<td>{% for fmt, href in row.images %}<a href="{{ href }}">{{ fmt }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</td></tr>
{%- else %}
<tr class="empty"><th scope="row">{{ row.name }}</th><td>{{ w.none }}</td><td class="n">{{ chart.zero }}</td><td class="n">–</td><td class="n">–</td><td></td></tr>
{%- endif %}
{%- endfor %}
</tbody>
</table></div>
{%- if methods %}
<section class="methods" aria-labelledby="methods-title">
<h2 id="methods-title">{{ w.methods }}</h2>
<ul>
{%- for line in methods %}
<li>{{ line }}</li>
{%- endfor %}
</ul>
</section>
{%- endif %}
</main>
</body>
</html>
"""
)


def _fmt(v: int | None, lang: str = "en") -> str:
    return "–" if v is None else number(v, lang)


def _rows(items: Sequence[Period], lang: str = "en") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    i = 0
    while i < len(items):
        p = items[i]
        if p.events:
            images = [(f.upper(), _href(n)) for f, n in p.files.items() if f != "html"]
            rng = (
                f"{_fmt(p.low, lang)}–{_fmt(p.high, lang)}"
                if p.low is not None or p.high is not None
                else "–"
            )
            rows.append({"page": _href(p.files["html"]), "thumb": _href(p.files["thumb"]),
                         "name": p.name, "events": number(p.events, lang),
                         "best": _fmt(p.best, lang), "range": rng, "images": images,
                         "alt": tr("Map of {period}", lang, period=p.name)})  # fmt: skip
            i += 1
            continue
        j = i
        while j < len(items) and not items[j].events:
            j += 1
        run = items[i:j]
        if len(run) >= EMPTY_RUN:
            rows.append({"page": None, "name": tr(
                "{first} – {last} ({count} periods)", lang, first=run[0].name,
                last=run[-1].name, count=number(len(run), lang))})  # fmt: skip
        else:
            rows.extend({"page": None, "name": q.name} for q in run)
        i = j
    return rows


def _chart(items: Sequence[Period], lang: str = "en") -> dict[str, Any]:
    width, height, left, top, bottom = 960, 170, 36, 8, 20
    base = height - bottom
    n = max(len(items), 1)
    step = (width - left) / n
    top_n = max([p.events for p in items] or [1]) or 1
    bars = []
    for k, p in enumerate(items):
        h = (base - top) * p.events / top_n
        bars.append({"x": round(left + k * step + step * 0.1, 2), "w": round(max(step * 0.8, 0.5), 2),
                     "y": round(base - h, 2), "h": round(h, 2),
                     "title": tr("{period}: {count} events", lang, period=p.name,
                                 count=p.events if lang == "en" else number(p.events, lang))})  # fmt: skip
    every = max(1, int(np.ceil(n / 12)))
    ticks = []
    for k in range(0, len(items), every):
        x, label = left + (k + 0.5) * step, items[k].label
        # a label at either end is anchored inside the chart, never cut by its edge
        half = 3.5 * len(label)  # px at 11 px: a digit is about 6.5 px wide
        anchor = "start" if x - half < left else ("end" if x + half > width else "middle")
        x = (
            max(x, float(left))
            if anchor == "start"
            else (min(x, float(width)) if anchor == "end" else x)
        )
        ticks.append({"x": round(x, 2), "label": figure(label, lang), "anchor": anchor})
    return {"width": width, "height": height, "left": left, "top": top, "base": base,
            "max": figure(str(top_n), lang), "zero": figure("0", lang), "bars": bars,
            "ticks": ticks}  # fmt: skip


def index_html(
    items: Sequence[Period],
    *,
    title: str,
    period: str,
    methods: Sequence[str] = (),
    lang: str = "en",
) -> str:
    """The index page: every period with its counts, thumbnail and links; a bar chart; the
    "Sources and methods" of the whole series (:meth:`geo.methods.Methods.lines`, as text).
    Its words come from the edition's catalogue (``lang``); the template escapes them."""
    with_events = [p for p in items if p.events]
    span = (
        tr("{first} to {last}", lang, first=items[0].name, last=items[-1].name)
        if items
        else tr("no events", lang)
    )
    one, many = (tr(word, lang) for word in PERIOD_WORDS.get(period, (period, period + "s")))
    ed = edition(lang)
    words = {
        "head": tr("{title} – maps by {period}", lang, title=title, period=one),
        "sub": tr("One map per {period}, the latest first: {pages} of {count} {periods} have events, {span}. An event whose dates span two {periods} is shown in both.",
                  lang, period=one, periods=many, pages=figure(str(len(with_events)), lang),
                  count=figure(str(len(items)), lang), span=span),
        "chart": tr("Events per {period}, {span}", lang, period=one, span=span),
        "figcaption": tr("Events per {period} across the whole series.", lang, period=one),
        "period": one[:1].upper() + one[1:],
        "map": tr("Map", lang),
        "events": tr("Events", lang),
        "best": tr("Killed (best)", lang),
        "range": tr("Killed (low–high)", lang),
        "images": tr("Images", lang),
        "none": tr("no events", lang),
        "methods": tr("Sources and methods", lang),
    }  # fmt: skip
    return _INDEX.render(
        title=title, rows=_rows(items, lang)[::-1], chart=_chart(items, lang), w=words,
        methods=list(methods), lang=ed.tag, dir=ed.direction if lang != "en" else "",
    )  # fmt: skip


def write_batch(
    events: gpd.GeoDataFrame,
    out_dir: str | Path,
    *,
    period: str,
    layers: Layers,
    filters: Filters | None = None,
    options: MapOptions | None = None,
    formats: Sequence[str] = ("html",),
    size: ImageSize | None = None,
) -> list[Period]:
    """Write one map per period with events, their thumbnails and ``index.html``.

    ``events`` are the events ``filters`` kept; each period's map is the map of
    ``filters`` over that period's window, as ``geo build --start ... --end ...`` makes it.
    Returns every period (empty ones too); ``files`` names what was written for each.
    Files are written atomically; re-running over the same input rewrites identical bytes.
    """
    from geo.render import build_map
    from geo.render.edition import map_title
    from geo.render.html import to_html
    from geo.render.options import MapOptions, map_methods
    from geo.render.static import image_bytes, thumbnail

    filters = filters if filters is not None else Filters()
    options = options if options is not None else MapOptions()
    lang = options.lang
    title = map_title(options.title, lang)  # the default title in the edition's language
    out = Path(out_dir)
    items = periods(events, period, start=filters.start, end=filters.end, lang=lang)
    full = [p for p in items if p.events]
    for p in full:
        p.files = {fmt: f"{p.label}.{fmt}" for fmt in formats}
        p.files["thumb"] = f"thumbs/{p.label}.png"
    for k, p in enumerate(full):
        window = filters.window(p.start, p.end)
        shown = window.apply(events)
        m = build_map(shown, layers=layers, filters=window, options=options)
        prev, nxt = (full[k - 1] if k else None), (full[k + 1] if k + 1 < len(full) else None)
        write_text_atomic(
            with_nav(to_html(m), nav_html(prev, nxt, p, title, lang)), out / p.files["html"]
        )
        for fmt in formats:
            if fmt != "html":
                write_bytes_atomic(image_bytes(m.still(size), fmt), out / p.files[fmt])
        thumb = thumbnail(shown, border=layers.border, countries=layers.countries)
        write_bytes_atomic(image_bytes(thumb, "png"), out / p.files["thumb"])
    methods = map_methods(events, filters, options).lines()
    write_text_atomic(
        index_html(items, title=title, period=period, methods=methods, lang=lang),
        out / "index.html",
    )
    return items


__all__ = [
    "Period",
    "index_html",
    "nav_html",
    "parse_formats",
    "periods",
    "write_batch",
]
