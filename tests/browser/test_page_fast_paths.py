"""The page's fast paths give what the plain ways give: the drawing order (radix sort vs a
comparison sort), event pixels (the controller's projected columns vs
map.latLngToContainerPoint), the histogram bins (day table vs binary search), the
choropleth's province of each event (per distinct value vs per event) and the time axis
(day table vs sorting every event). Each check recomputes the plain way in the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from geo.cli import main

pytestmark = pytest.mark.browser
N = 6_000

# The controller, found through its canvas layer (tests only; plugins get it as `cm`).
CM = "(() => { const l = conflictMap.map._layers; for (const k in l) { if (l[k].cm) return l[k].cm; } })()"


@pytest.fixture(scope="module")
def csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(11)
    start = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 1500, N), unit="D")
    # a stretch with no events (a break on the time axis) and a few far away (Doha)
    start = start.where(
        ~((start > "2020-03-01") & (start < "2020-11-01")), start + pd.Timedelta(days=300)
    )
    lat = rng.uniform(31.0, 36.0, N).round(5)
    lon = rng.uniform(64.0, 71.0, N).round(5)
    lat[:5], lon[:5] = 25.29, 51.53
    table = pd.DataFrame(
        {
            "event_id": [f"F{i:05d}" for i in range(N)],
            "date_start": start.strftime("%Y-%m-%d"),
            "date_end": (start + pd.to_timedelta(rng.integers(0, 40, N), unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "event_type": rng.choice(["Battles", "Explosions/Remote violence", "Protests"], N),
            "latitude": lat,
            "longitude": lon,
            # many ties in the radius, some large figures, some missing
            "fatalities_best": pd.Series(
                rng.choice([0, 0, 0, 1, 2, 5, 40, 300], N), dtype="Int64"
            ).where(rng.random(N) > 0.05),
            "summary": "Synthetic event",
            "source_name": "Test",
            "source_url": "https://example.org/e",
        }
    )
    path = tmp_path_factory.mktemp("fast") / "events.csv"
    table.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module", params=["events", "fatalities"])
def fast_map(request: Any, csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fastmap") / f"fast_{request.param}.html"
    assert (
        main(["build", "--events", str(csv), "--out", str(out), "--choropleth", request.param]) == 0
    )
    return out


def test_drawing_order_is_the_comparison_sort(open_map, fast_map) -> None:
    page = open_map(fast_map).page
    assert page.evaluate(
        f"""() => {{
        const cm = {CM}, r = cm.radius;
        const plain = Array.from({{length: r.length}}, (_, i) => i).sort((a, b) => r[b] - r[a] || a - b);
        return cm.order.length === plain.length && plain.every((v, k) => cm.order[k] === v)
          && new Set(Array.from(r)).size > 3;
    }}"""
    )


PIXELS = f"""() => {{
    const cm = {CM}, map = cm.map, ev = cm.events, size = map.getSize();
    const fast = [], slow = [];
    const px = cm.layout.shownPixels();
    for (let k = 0; k < px.count; k++) fast.push(px.index[k], px.x[k], px.y[k]);
    // outside the view: off the map, or under a panel (a control's box)
    const c = map.getContainer(), box = c.getBoundingClientRect();
    const rects = [...c.querySelectorAll('.leaflet-control, .geo-time')]
        .filter(e => e.offsetParent && e.offsetWidth).map(e => e.getBoundingClientRect());
    let outside = 0;
    for (let i = 0; i < ev.n; i++) {{
        if (!cm.visible[i]) continue;
        const p = map.latLngToContainerPoint([ev.lat[i], ev.lon[i]]);
        slow.push(i, p.x, p.y);
        const x = p.x + box.left, y = p.y + box.top;
        if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y ||
            rects.some(r => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom)) outside++;
    }}
    return {{same: fast.length === slow.length && fast.every((v, k) => Object.is(v, slow[k])),
        n: slow.length / 3, outside: outside, counted: conflictMap.outsideView()}};
}}"""


def test_event_pixels_are_leaflets_at_every_view(open_map, fast_map) -> None:
    page = open_map(fast_map).page
    assert page.evaluate(f"{CM}.pixels() !== null")
    views = [
        None,  # the opening view
        "map.setView([33.1, 67.3], 9, {animate: false})",
        "map.setView([33.123456, 67.654321], 7.25, {animate: false}); map.panBy([37, -13], {animate: false})",
        "conflictMap.frameAll()",
        "conflictMap.setDateRange('2019-06-01', '2019-08-31')",  # same view, fewer events
        "map.setView([25.3, 51.5], 12, {animate: false})",
    ]
    outside = []
    for view in views:
        if view:
            page.evaluate(f"() => {{ const map = conflictMap.map; {view}; }}")
        got = page.evaluate(PIXELS)
        assert got["same"] and got["n"] > 0
        assert got["counted"] == got["outside"]
        outside.append(got["outside"])
    assert max(outside) > 0 and outside[3] == 0  # both branches of the count were taken
    # a map whose CRS the projected columns do not follow: Leaflet answers, the same
    page.evaluate(f"() => {{ {CM}.exactPixels = false; }}")
    assert page.evaluate(f"{CM}.pixels()") is None
    got = page.evaluate(PIXELS)
    assert got["same"] and got["n"] > 0


def test_histogram_bins_and_provinces_match_the_plain_ways(open_map, fast_map) -> None:
    page = open_map(fast_map).page
    got = page.evaluate(
        f"""() => {{
        const cm = {CM}, ev = cm.events, tc = cm.timeControl, bins = tc.bins;
        const starts = bins.map(b => b.lo);
        let binsSame = true;
        for (let i = 0; i < ev.n; i++) {{
            let lo = 0, hi = starts.length - 1, d = ev.start[i];
            while (lo < hi) {{ const mid = (lo + hi + 1) >> 1; if (starts[mid] <= d) lo = mid; else hi = mid - 1; }}
            if (tc.binOf[i] !== (d >= starts[0] && d <= bins[lo].hi ? lo : -1)) binsSame = false;
        }}
        const ch = cm.choropleth, spec = cm.config.choropleth, pidOf = {{}};
        spec.keys.forEach((key, pid) => {{ pidOf[key] = pid; }});
        let pidSame = true, drawn = 0;
        for (let i = 0; i < ev.n; i++) {{
            const key = String(ev.get.province(i) || "").toLowerCase() + "|" + String(ev.get.country(i) || "");
            const pid = Object.hasOwn(pidOf, key) ? pidOf[key] : -1;
            if (ch.pid[i] !== pid) pidSame = false;
            if (pid >= 0) drawn++;
        }}
        const totals = new Float64Array(spec.keys.length);
        for (let i = 0; i < ev.n; i++) {{
            if (!cm.visible[i] || ch.pid[i] < 0) continue;
            totals[ch.pid[i]] += spec.measure === "events" ? 1 : (ev.get.fatalities_best(i) || 0);
        }}
        let valuesSame = true;
        ch.layer.eachLayer(f => {{
            const p = f.feature.properties;
            if (p.value !== totals[Number(p.pid)]) valuesSame = false;
        }});
        return {{binsSame, pidSame, drawn, valuesSame, breaks: tc.axis.breaks.length}};
    }}"""
    )
    assert got == {
        "binsSame": True,
        "pidSame": True,
        "drawn": got["drawn"],
        "valuesSame": True,
        "breaks": got["breaks"],
    }
    assert got["drawn"] > 0 and got["breaks"] > 0


def test_hexagon_sums_match_a_map_of_cells(open_map, fast_map) -> None:
    page = open_map(fast_map).page
    got = page.evaluate(
        f"""() => {{
        const cm = {CM}, c = cm.canvas, H = GeoPage.helpers, out = {{}};
        conflictMap.setDateRange('2019-01-01', '2023-12-31');
        const drawn = c.drawn;
        for (const measure of ['events', 'fatalities']) {{
            cm.densityMeasure = measure;
            const bins = new Map();
            let max = 0;
            for (let k = 0; k < drawn.length; k++) {{
                const i = drawn[k], x = c.sx[i] - c.offX, y = c.sy[i] - c.offY, cell = H.hexCell(x, y, 14);
                const key = cell[0] * 100003 + cell[1];
                let bin = bins.get(key);
                if (!bin) {{ bin = {{x: x, y: y, v: 0}}; bins.set(key, bin); }}
                bin.v += measure === 'fatalities' ? cm.fatal[i] : 1;
                if (bin.v > max) max = bin.v;
            }}
            const plain = JSON.stringify([[...bins.values()].map(b => H.hexCell(b.x, b.y, 14).concat([b.v])), max]);
            const pack = b => JSON.stringify([b.v.map((v, j) => [b.q[j], b.r[j], v]), b.max]);
            const table = c._hexBins(drawn);
            const real = c._map;  // a map too small for the table: every event falls outside it
            c._map = {{getSize: () => ({{x: 0, y: 0}})}};
            const fallback = c._hexBins(drawn);
            c._map = real;
            out[measure] = [pack(table) === plain, pack(fallback) === plain, table.v.length];
        }}
        cm.densityMeasure = 'events';
        return out;
    }}"""
    )
    for measure in ("events", "fatalities"):
        assert got[measure][:2] == [True, True], measure
        assert got[measure][2] > 10
