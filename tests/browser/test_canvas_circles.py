"""Event circles are composited by hand (canvas.js _drawCircles: each sprite's premultiplied
pixels "source-over" a buffer put on the canvas once) instead of a drawImage per circle. The
page recomputes the plain way, a drawImage of each circle's sprite in drawing order, and the
exact one, the sprites' pixels composited in floating point. The page's picture paints the
same pixels as the plain one, with colours near it (8-bit blending in the browser drifts
where many translucent circles stack) and within rounding of the exact one; with circles
alone or over hexagons, and at a device pixel ratio of 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from geo import _browser
from geo.cli import main

pytestmark = pytest.mark.browser
N = 3_000

CM = "(() => { const l = conflictMap.map._layers; for (const k in l) { if (l[k].cm) return l[k].cm; } })()"

# Both pictures of the current view, premultiplied: the page's and one drawn with a
# drawImage per circle from sprites made the way the page makes them.
COMPARE = f"""async () => {{
    const cm = {CM}, ec = cm.canvas;
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const canvas = document.querySelector('canvas.geo-events-canvas'), W = canvas.width, H = canvas.height;
    const page = canvas.getContext('2d').getImageData(0, 0, W, H).data;
    const ref = document.createElement('canvas'); ref.width = W; ref.height = H;
    const ctx = ref.getContext('2d'), ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const show = cm.display;
    if (show.hexbin) ec._drawHex(ctx, ec.drawn);
    if (show.heat) ec._drawHeat(ctx, ec.drawn, cm.map.getSize());
    const made = new Map(), st = cm.config.symbols, f = ec.factor;
    for (const i of ec.drawn) {{
        const rr = Math.round(cm.radius[i] * f * 2) / 2, css = Math.ceil((rr + st.halo.weight / 2 + 1) * 2);
        const key = [cm.typeCode[i], cm.approxPlace[i], cm.approxDate[i], rr].join();
        let s = made.get(key);
        if (!s) {{
            s = document.createElement('canvas'); s.width = s.height = Math.ceil(css * ratio);
            const c = s.getContext('2d'), colour = cm.typeColours[cm.typeCode[i]];
            c.scale(ratio, ratio); c.beginPath(); c.arc(css / 2, css / 2, rr, 0, 2 * Math.PI);
            c.globalAlpha = cm.approxPlace[i] ? st.hollowFillOpacity : st.fillOpacity; c.fillStyle = colour; c.fill();
            c.globalAlpha = st.halo.opacity; c.strokeStyle = st.halo.color; c.lineWidth = st.halo.weight; c.stroke();
            c.globalAlpha = st.strokeOpacity; c.strokeStyle = colour; c.lineWidth = st.weight;
            if (cm.approxDate[i]) c.setLineDash(st.dash);
            c.stroke(); made.set(key, s);
        }}
        ctx.drawImage(s, Math.round((ec.sx[i] - css / 2) * ratio) / ratio, Math.round((ec.sy[i] - css / 2) * ratio) / ratio, css, css);
    }}
    const plain = ctx.getImageData(0, 0, W, H).data;
    const exact = new Float64Array(W * H * 4);
    if (show.hexbin) {{  // what lies beneath, premultiplied
        const under = document.createElement('canvas'); under.width = W; under.height = H;
        const u = under.getContext('2d'); u.setTransform(ratio, 0, 0, ratio, 0, 0); ec._drawHex(u, ec.drawn);
        const d = u.getImageData(0, 0, W, H).data;
        for (let p = 0; p < W * H * 4; p += 4) {{
            for (let c = 0; c < 3; c++) exact[p + c] = d[p + c] * d[p + 3] / 255;
            exact[p + 3] = d[p + 3];
        }}
    }}
    for (const i of ec.drawn) {{
        const s = ec._sprites.get(ec._spriteKey(cm.typeCode[i], cm.approxPlace[i], cm.approxDate[i], cm.radius[i] * f));
        const x0 = Math.round((ec.sx[i] - s.css / 2) * ratio), y0 = Math.round((ec.sy[i] - s.css / 2) * ratio);
        for (let j = 0; j < s.x.length; j++) {{
            const x = x0 + s.x[j], y = y0 + s.y[j];
            if (x < 0 || y < 0 || x >= W || y >= H) continue;
            const w = s.rgba[j], keep = 1 - (w >>> 24) / 255, o = (y * W + x) * 4;
            for (let c = 0; c < 4; c++) exact[o + c] = ((w >>> (8 * c)) & 255) + exact[o + c] * keep;
        }}
    }}
    let offExact = 0;
    for (let p = 0; p < W * H * 4; p += 4) {{
        const a = page[p + 3];
        let d = Math.abs(a - exact[p + 3]);
        for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(page[p + c] * a / 255 - exact[p + c]));
        if (d > 3) offExact++;
    }}
    let painted = 0, onlyOne = 0, worst = 0, over3 = 0;
    for (let p = 0; p < W * H * 4; p += 4) {{
        const a = page[p + 3], b = plain[p + 3];
        if (a || b) painted++;
        if (!a !== !b) onlyOne++;
        let d = Math.abs(a - b);
        for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(page[p + c] * a - plain[p + c] * b) / 255);
        if (d > 3) over3++;
        worst = Math.max(worst, d);
    }}
    return {{drawn: ec.drawn.length, dense: ec.dense, points: show.points, hexbin: show.hexbin,
        painted: painted, onlyOne: onlyOne, over3: over3, worst: worst, offExact: offExact}};
}}"""


@pytest.fixture(scope="module")
def circles_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(5)
    start = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 700, N), unit="D")
    table = pd.DataFrame(
        {
            "event_id": [f"C{i:05d}" for i in range(N)],
            "date_start": start.strftime("%Y-%m-%d"),
            "date_end": start.strftime("%Y-%m-%d"),
            "event_type": rng.choice(["Battles", "Explosions/Remote violence", "Protests"], N),
            "latitude": rng.uniform(31.0, 36.0, N).round(5),
            "longitude": rng.uniform(64.0, 71.0, N).round(5),
            "fatalities_best": rng.choice([0, 1, 3, 12, 80, 400], N),
            "geo_precision": rng.choice(["exact", "district"], N),
            "date_precision": rng.choice(["day", "month"], N),
            "summary": "Synthetic event",
            "source_name": "Test",
            "source_url": "https://example.org/e",
        }
    )
    path = tmp_path_factory.mktemp("circles") / "events.csv"
    table.to_csv(path, index=False)
    out = path.with_suffix(".html")
    assert main(["build", "--events", str(path), "--out", str(out)]) == 0
    return out


def _check(result: dict[str, Any]) -> None:
    assert result["points"] and not result["dense"] and result["drawn"] > 500, result
    assert result["painted"] > 10_000, result
    # the same pixels painted as the plain way, colours near it, and within rounding of
    # the exact composite everywhere
    assert result["onlyOne"] == 0, result
    assert result["over3"] <= result["painted"] // 20, result
    assert result["offExact"] <= result["painted"] // 1000, result


def test_circles_composited_as_drawn_one_by_one(open_map, circles_map) -> None:
    page = open_map(circles_map).page
    page.evaluate("conflictMap.setLayerVisible('Density: hexagons', false)")
    page.evaluate("conflictMap.setLayerVisible('Event points', true)")
    _check(page.evaluate(COMPARE))
    page.evaluate("conflictMap.setDateRange('2021-03-01', '2021-09-30')")
    _check(page.evaluate(COMPARE))


def test_circles_over_hexagons(open_map, circles_map) -> None:
    page = open_map(circles_map).page
    page.evaluate("conflictMap.setLayerVisible('Event points', true)")
    page.evaluate("conflictMap.setLayerVisible('Density: hexagons', true)")
    result = page.evaluate(COMPARE)
    assert result["hexbin"]
    _check(result)


def test_circles_at_device_pixel_ratio_2(browser, circles_map) -> None:
    context = browser.new_context(device_scale_factor=2, viewport={"width": 900, "height": 700})
    try:
        page = context.new_page()
        _browser.PageRecorder(page)
        page.goto(circles_map.as_uri())
        page.wait_for_function("document.documentElement.dataset.conflictMap")
        page.evaluate("conflictMap.setLayerVisible('Density: hexagons', false)")
        page.evaluate("conflictMap.setLayerVisible('Event points', true)")
        _check(page.evaluate(COMPARE))
    finally:
        context.close()


# Circles follow the map's size and zoom (geo/render/style.py symbol_factor), the legend's
# size key with them.
PROBE = f"""async () => {{
    const cm = {CM};
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const key = document.querySelectorAll('.geo-legend .geo-legend-sizes circle');
    const size = cm.map.getSize();
    return {{zoom: cm.map.getZoom(), base: cm.canvas._baseZoom, factor: cm.symbolFactor,
        short: Math.min(size.x, size.y), table: cm.config.legend.flatMap(s => s.items)
            .filter(i => i.kind === 'size').map(i => i.radius),
        key: Array.from(key).map(c => +c.getAttribute('r')),
        drawn: Array.from(cm.canvas.drawn).slice(0, 50).map(i => cm.radius[i] * cm.canvas.factor),
        sprites: Array.from(cm.canvas.drawn).slice(0, 50).map(i => cm.canvas._sprites.get(cm.canvas._spriteKey(
            cm.typeCode[i], cm.approxPlace[i], cm.approxDate[i], cm.radius[i] * cm.canvas.factor)).r)}};
}}"""


@pytest.mark.parametrize("viewport", [(1400, 900), (390, 700)], ids=["desktop", "phone"])
def test_circles_grow_with_zoom_and_the_legend_follows(browser, circles_map, viewport) -> None:
    from geo.render.style import symbol_factor

    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        page = context.new_page()
        _browser.PageRecorder(page)
        page.goto(circles_map.as_uri())
        page.wait_for_function(_browser.READY)
        page.evaluate("conflictMap.setLayerVisible('Density: hexagons', false)")
        page.evaluate("conflictMap.setLayerVisible('Event points', true)")
        opening = page.evaluate(PROBE)
        # at the opening view the factor is the map size's alone, as Python computes it
        assert opening["zoom"] <= opening["base"] + 1e-9, opening
        assert opening["factor"] == symbol_factor(opening["short"]), opening
        page.evaluate(
            "() => { conflictMap.map.setZoom(conflictMap.map.getZoom() + 2, {animate: false}); }"
        )
        closer = page.evaluate(PROBE)
        steps = closer["zoom"] - closer["base"]
        assert closer["factor"] == symbol_factor(closer["short"], steps) > opening["factor"]
        for probe in (opening, closer):
            # the legend's size key is drawn at the factor the circles are drawn at
            assert probe["key"] == [round(r * probe["factor"], 1) for r in probe["table"]], probe
            assert all(
                abs(s - d) <= 0.25 for s, d in zip(probe["sprites"], probe["drawn"], strict=True)
            )
        # a page of a fixed size keeps its circles' scale when zoomed back out
        page.evaluate(
            "() => { conflictMap.map.setZoom(conflictMap.map.getZoom() - 4, {animate: false}); }"
        )
        assert page.evaluate(PROBE)["factor"] == opening["factor"]
    finally:
        context.close()
