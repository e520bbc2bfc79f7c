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


def _name(p: pd.Period, period: str) -> str:
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
) -> list[Period]:
    """Every period from ``start`` (else the first event) to ``end`` (else the last one),
    each clipped to the window, with its counts; empty periods included. ``freqs`` are the
    periods accepted, by name, with their pandas frequencies."""
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
        out.append(Period(_label(p, period), _name(p, period), a, b, len(shown), best, low, high))
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


def nav_html(prev: Period | None, nxt: Period | None, here: Period, title: str) -> str:
    """The navigation bar of a period page (escaped here; never seen by a template)."""

    def link(p: Period | None, text: str, rel: str) -> str:
        if p is None:
            return f'<span class="geo-nav-none">{html.escape(text)}</span>'
        label = html.escape(f"{text}: {p.name}")
        return f'<a rel="{rel}" href="{html.escape(_href(p.files["html"]))}">{label}</a>'

    return (
        '<nav class="geo-period-nav" aria-label="Periods" style="position:fixed;z-index:1001;'
        "bottom:8px;right:8px;background:#fff;padding:4px 8px;border-radius:4px;"
        'box-shadow:0 1px 4px rgba(0,0,0,.35);font:13px/1.4 system-ui,sans-serif">'
        f"{link(prev, '← previous', 'prev')} · "
        f'<a href="./index.html">{html.escape(title)}: all periods</a> · '
        f"<strong>{html.escape(here.name)}</strong> · {link(nxt, 'next →', 'next')}</nav>"
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
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – maps by {{ period }}</title>
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
<p class="sub">One map per {{ period }}, the latest first: {{ n_pages }} of {{ n_periods }} {{ period }}s have events, {{ span }}. An event whose dates span two {{ period }}s is shown in both.</p>
<figure>
<svg class="chart" viewBox="0 0 {{ chart.width }} {{ chart.height }}" role="img" aria-labelledby="chart-title">
<title id="chart-title">Events per {{ period }}, {{ span }}</title>
<line x1="{{ chart.left }}" x2="{{ chart.width }}" y1="{{ chart.base }}" y2="{{ chart.base }}" stroke="#888"/>
<text x="{{ chart.left - 4 }}" y="{{ chart.top + 4 }}" text-anchor="end">{{ chart.max }}</text>
<text x="{{ chart.left - 4 }}" y="{{ chart.base }}" text-anchor="end">0</text>
{%- for bar in chart.bars %}
<rect class="bar" x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.w }}" height="{{ bar.h }}"><title>{{ bar.label }}: {{ bar.n }} events</title></rect>
{%- endfor %}
{%- for tick in chart.ticks %}
<text x="{{ tick.x }}" y="{{ chart.height - 2 }}" text-anchor="{{ tick.anchor }}">{{ tick.label }}</text>
{%- endfor %}
</svg>
<figcaption>Events per {{ period }} across the whole series.</figcaption>
</figure>
<div class="table"><table>
<thead><tr><th scope="col">{{ period|capitalize }}</th><th scope="col">Map</th><th scope="col" class="n">Events</th><th scope="col" class="n">Killed (best)</th><th scope="col" class="n">Killed (low–high)</th><th scope="col">Images</th></tr></thead>
<tbody>
{%- for row in rows %}
{%- if row.page %}
<tr><th scope="row"><a href="{{ row.page }}">{{ row.name }}</a></th>
<td><a href="{{ row.page }}"><img class="thumb" src="{{ row.thumb }}" alt="Map of {{ row.name }}" width="240" height="150" loading="lazy"></a></td>
<td class="n">{{ row.events }}</td><td class="n">{{ row.best }}</td><td class="n">{{ row.range }}</td>
<td>{% for fmt, href in row.images %}<a href="{{ href }}">{{ fmt }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</td></tr>
{%- else %}
<tr class="empty"><th scope="row">{{ row.name }}</th><td>no events</td><td class="n">0</td><td class="n">–</td><td class="n">–</td><td></td></tr>
{%- endif %}
{%- endfor %}
</tbody>
</table></div>
{%- if methods %}
<section class="methods" aria-labelledby="methods-title">
<h2 id="methods-title">Sources and methods</h2>
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


def _fmt(v: int | None) -> str:
    return "–" if v is None else f"{v:,}"


def _rows(items: Sequence[Period]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    i = 0
    while i < len(items):
        p = items[i]
        if p.events:
            images = [(f.upper(), _href(n)) for f, n in p.files.items() if f != "html"]
            rng = (
                f"{_fmt(p.low)}–{_fmt(p.high)}" if p.low is not None or p.high is not None else "–"
            )
            rows.append({"page": _href(p.files["html"]), "thumb": _href(p.files["thumb"]),
                         "name": p.name, "events": f"{p.events:,}", "best": _fmt(p.best),
                         "range": rng, "images": images})  # fmt: skip
            i += 1
            continue
        j = i
        while j < len(items) and not items[j].events:
            j += 1
        run = items[i:j]
        if len(run) >= EMPTY_RUN:
            rows.append(
                {"page": None, "name": f"{run[0].name} – {run[-1].name} ({len(run)} periods)"}
            )
        else:
            rows.extend({"page": None, "name": q.name} for q in run)
        i = j
    return rows


def _chart(items: Sequence[Period]) -> dict[str, Any]:
    width, height, left, top, bottom = 960, 170, 36, 8, 20
    base = height - bottom
    n = max(len(items), 1)
    step = (width - left) / n
    top_n = max([p.events for p in items] or [1]) or 1
    bars = []
    for k, p in enumerate(items):
        h = (base - top) * p.events / top_n
        bars.append({"x": round(left + k * step + step * 0.1, 2), "w": round(max(step * 0.8, 0.5), 2),
                     "y": round(base - h, 2), "h": round(h, 2), "label": p.name, "n": p.events})  # fmt: skip
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
        ticks.append({"x": round(x, 2), "label": label, "anchor": anchor})
    return {"width": width, "height": height, "left": left, "top": top, "base": base,
            "max": top_n, "bars": bars, "ticks": ticks}  # fmt: skip


def index_html(
    items: Sequence[Period], *, title: str, period: str, methods: Sequence[str] = ()
) -> str:
    """The index page: every period with its counts, thumbnail and links; a bar chart; the
    "Sources and methods" of the whole series (:meth:`geo.methods.Methods.lines`, as text)."""
    with_events = [p for p in items if p.events]
    span = f"{items[0].name} to {items[-1].name}" if items else "no events"
    return _INDEX.render(
        title=title, period=period, rows=_rows(items)[::-1], chart=_chart(items), span=span,
        n_pages=len(with_events), n_periods=len(items), methods=list(methods),
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
    from geo.render.html import to_html
    from geo.render.options import MapOptions, map_methods
    from geo.render.static import image_bytes, thumbnail

    filters = filters if filters is not None else Filters()
    options = options if options is not None else MapOptions()
    title = options.title
    out = Path(out_dir)
    items = periods(events, period, start=filters.start, end=filters.end)
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
            with_nav(to_html(m), nav_html(prev, nxt, p, title)), out / p.files["html"]
        )
        for fmt in formats:
            if fmt != "html":
                write_bytes_atomic(image_bytes(m.still(size), fmt), out / p.files[fmt])
        thumb = thumbnail(shown, border=layers.border, countries=layers.countries)
        write_bytes_atomic(image_bytes(thumb, "png"), out / p.files["thumb"])
    methods = map_methods(events, filters, options).lines()
    write_text_atomic(
        index_html(items, title=title, period=period, methods=methods), out / "index.html"
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
