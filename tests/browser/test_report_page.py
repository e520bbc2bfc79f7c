"""Maps in reports: self-contained, fits its frame (phone, iframe, desktop), embed, print,
numbers that follow the filter, empty windows, framing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from geo import _browser
from geo.cli import main
from geo.render.basemap import LEAFLET_CSS, LEAFLET_JS

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[2] / "data"
N_EVENTS = len(json.loads((DATA / "events.geojson").read_text(encoding="utf-8"))["features"])
CONTROLS = ".leaflet-control, .geo-time"


def _far_ids() -> set[str]:
    """The shipped events beyond the story's frame (geo.render.framing)."""
    from geo.events import read_events
    from geo.render.framing import frame_box, outside

    events = read_events(DATA / "events.geojson").events
    return set(events.loc[outside(events, frame_box(events)), "event_id"])


FAR = _far_ids()

#: Share of the map under controls, whether each event in view can be clicked: sampled in
#: the page (a 4 px grid) so the figure is the union of the control boxes.
MEASURE = """() => {
  const sel = 'SELECTOR', c = conflictMap.map.getContainer(), r = c.getBoundingClientRect();
  const rects = [...c.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
    .map(e => e.getBoundingClientRect());
  let covered = 0, total = 0;
  for (let y = r.top + 2; y < r.bottom; y += 4) for (let x = r.left + 2; x < r.right; x += 4) {
    total++; if (rects.some(q => x >= q.left && x < q.right && y >= q.top && y < q.bottom)) covered++; }
  const blocked = [], inView = [];
  for (const id of conflictMap.visibleEventIds()) {
    const p = conflictMap.screenPosition(id);
    if (!p || p.x < 0 || p.y < 0 || p.x > r.width || p.y > r.height) continue;
    inView.push(id);
    const el = document.elementFromPoint(r.left + p.x, r.top + p.y);
    if (!el || !c.contains(el) || el.closest(sel)) blocked.push(id);
  }
  return {coverage: 100 * covered / total, inView, blocked};
}""".replace("SELECTOR", CONTROLS)


#: Whether the first element matching the selector lies outside the map's container.
OFF_MAP = """sel => { const n = document.querySelector(sel);
  return !!n && !conflictMap.map.getContainer().contains(n); }"""

#: Percentage of the map taken by a box (W, S, E, N), clipped to the map.
SHARE = """b => { const m = conflictMap.map, sz = m.getSize();
  const p = m.latLngToContainerPoint([b[1], b[0]]), q = m.latLngToContainerPoint([b[3], b[2]]);
  const x0 = Math.max(0, Math.min(p.x, q.x)), x1 = Math.min(sz.x, Math.max(p.x, q.x));
  const y0 = Math.max(0, Math.min(p.y, q.y)), y1 = Math.min(sz.y, Math.max(p.y, q.y));
  return 100 * Math.max(0, x1 - x0) * Math.max(0, y1 - y0) / (sz.x * sz.y); }"""


def _central_box() -> list[float]:
    """The box of the central 90 % of the shipped events, the issue's measure of framing."""
    from geo.events import read_events
    from geo.render.framing import quantile_box

    geom = read_events(DATA / "events.geojson").events.geometry
    return list(quantile_box(geom.x, geom.y))


def _real_errors(errors: list[str]) -> list[str]:
    return _browser.real_errors(errors)


@pytest.fixture(scope="module")
def default_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "conflict_map.html"
    assert main(["build", "--out", str(out), "--embed"]) == 0
    return out


def _refuse_all(page: Any) -> list[str]:
    refused: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def test_default_build_is_self_contained_and_cdn_is_opt_in(browser, default_map, tmp_path) -> None:
    html = default_map.read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" not in html
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    refused = _refuse_all(page)
    page.goto(default_map.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    page.evaluate("conflictMap.setDateRange('1893-01-01', '2026-12-31')")
    assert page.evaluate("conflictMap.visibleEventIds().length") == N_EVENTS
    assert errors == []
    assert all("tile" in u or "arcgisonline" in u for u in refused)  # only map tiles asked for
    page.close()
    cdn = tmp_path / "cdn.html"
    assert main(["build", "--cdn", "--out", str(cdn)]) == 0
    text = cdn.read_text(encoding="utf-8")
    assert f'src="{LEAFLET_JS}"' in text and f'href="{LEAFLET_CSS}"' in text
    assert len(text) < len(html) - 100_000  # the point of --cdn: a smaller file
    old = tmp_path / "old.html"  # --self-contained is still accepted, and the default
    assert main(["build", "--self-contained", "--out", str(old)]) == 0
    assert old.read_bytes() == default_map.read_bytes()


def _open(browser: Any, path: Path, size: str) -> tuple[Any, Any, list[str]]:
    """A page at one of the three sizes; returns (page, frame-or-page, page errors)."""
    errors: list[str] = []
    if size == "phone":
        ctx = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
    else:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    _refuse_all(page)
    if size == "iframe":
        host = path.parent / "host.html"
        host.write_text(
            f'<!doctype html><body style="margin:20px"><p>Report text.</p><iframe src="{path.name}" '
            'style="width:700px;height:450px;border:0"></iframe></body>',
            encoding="utf-8",
        )
        page.goto(host.as_uri())
        target = page.frames[1]
    else:
        page.goto(path.as_uri())
        target = page
    target.wait_for_function(_browser.READY, timeout=30000)
    page.wait_for_timeout(300)  # the ResizeObserver's first report
    return page, target, errors


@pytest.mark.parametrize("size", ["phone", "iframe", "desktop"])
def test_opening_state_leaves_the_map_clear(browser, default_map, size) -> None:
    page, target, errors = _open(browser, default_map, size)
    m = target.evaluate(MEASURE)
    assert m["coverage"] <= 25, m["coverage"]
    assert len(m["inView"]) >= N_EVENTS * 0.8
    # every event of the story's frame can be clicked; one beyond it that falls under a
    # panel (New Delhi) is counted as outside the view
    assert set(m["blocked"]) <= FAR, m["blocked"]
    assert target.evaluate("conflictMap.outsideView()") >= len(m["blocked"])
    # a click on an event in view opens its popup, inside the map and clear of the controls
    first = sorted(m["inView"])[0]
    pos = target.evaluate("id => conflictMap.screenPosition(id)", first)
    box = target.evaluate("conflictMap.map.getContainer().getBoundingClientRect().toJSON()")
    offset = page.frames[1].frame_element().bounding_box() if size == "iframe" else {"x": 0, "y": 0}
    page.mouse.click(offset["x"] + box["x"] + pos["x"], offset["y"] + box["y"] + pos["y"])
    for event_id in (None, "DL-20260316-KABUL"):  # a click (the topmost event there), then the API
        if event_id:
            target.evaluate("id => conflictMap.openPopup(id)", event_id)
        # a click opens the event there, or the list of the events stacked there
        sel = f".geo-popup[data-event-id='{event_id}']" if event_id else ".geo-popup, .geo-stack"
        target.wait_for_selector(sel, timeout=5000)
        page.wait_for_timeout(400)  # auto-pan
        placed = target.evaluate(
            """sel => { const c = conflictMap.map.getContainer().getBoundingClientRect();
              const p = document.querySelector('.leaflet-popup').getBoundingClientRect();
              const hits = [...conflictMap.map.getContainer().querySelectorAll(sel)]
                .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect())
                .filter(q => q.left < p.right && q.right > p.left && q.top < p.bottom && q.bottom > p.top);
              return {inside: p.left >= c.left && p.top >= c.top && p.right <= c.right && p.bottom <= c.bottom,
                      overlaps: hits.length}; }""",
            CONTROLS,
        )
        assert placed == {"inside": True, "overlaps": 0}, (event_id, placed)
    if (
        size != "desktop"
    ):  # the reader layout: legend open off the map, one Layers button, 44 px targets
        assert target.locator(".geo-legend .geo-legend-body").is_visible()
        assert target.evaluate(OFF_MAP, ".geo-legend") is True
        assert target.locator(".leaflet-control-layers-list").is_hidden()
        small = target.evaluate(
            """() => [...document.querySelectorAll('.leaflet-control a, .leaflet-control button, .geo-time button, .geo-time input')]
              .filter(e => e.offsetParent !== null && !e.closest('.leaflet-control-attribution'))
              .map(e => [e.className || e.type, e.getBoundingClientRect()])
              .filter(([, r]) => r.width < 44 || r.height < 44).map(([n]) => n)"""
        )
        assert small == []
    assert _real_errors(errors) == []
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (680, 450), (1400, 900), (1280, 720)])
def test_the_story_fills_the_map_and_the_panels_sit_around_it(
    browser, default_map, width, height
) -> None:
    """The central 90 % of the events fill at least 35 % of the map, on screen and printed; the
    title is whole, and the title, legend, time control and source line lie outside the map."""
    ctx = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=width < 500, has_touch=width < 500
    )
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _refuse_all(page)
    page.goto(default_map.as_uri())
    page.wait_for_function(_browser.READY, timeout=30000)
    page.wait_for_timeout(300)
    box = _central_box()
    # the three sizes; a 1280 x 720 screen keeps the desktop panels beside a wide map
    assert page.evaluate(SHARE, box) >= (35 if width != 1280 else 30)
    for sel in (".geo-title", ".geo-legend", ".geo-time", ".leaflet-control-attribution"):
        assert page.evaluate(OFF_MAP, sel) is True, sel
    title = page.evaluate(
        """() => { const h = document.querySelector('.geo-title h1'), r = h.getBoundingClientRect();
          return {whole: h.scrollWidth <= h.clientWidth + 1, right: r.right, text: h.textContent}; }"""
    )
    assert title["whole"] and title["right"] <= width, title
    assert page.locator(".geo-legend .geo-legend-body").is_visible()
    assert page.locator(".geo-legend-section").first.is_visible()
    # in an article column and on a phone, the technical switches are one button on the map
    if width < 960:
        assert page.locator(".leaflet-control-layers-list").is_hidden()
        assert page.locator(".leaflet-control-layers-toggle").is_visible()
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(200)
    assert page.evaluate(SHARE, box) >= 35
    assert _real_errors(errors) == []
    ctx.close()


def test_time_control_is_usable_at_320_px(browser, default_map) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 568})
    _refuse_all(page)
    page.goto(default_map.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    assert page.locator(".geo-time").bounding_box()["width"] <= 320
    start = page.get_by_label("Start date")
    assert start.is_visible() and page.get_by_role("button", name="Play").is_visible()
    start.focus()
    page.keyboard.press("End")
    assert page.evaluate("conflictMap.dateRange()[0] === conflictMap.dateRange()[1]")
    page.close()


def test_every_number_follows_the_filter(browser, default_map) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _refuse_all(page)
    page.goto(default_map.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    page.evaluate("conflictMap.setDateRange('2025-10-01', '2025-10-31')")
    counts = page.evaluate("conflictMap.counts()")
    n = counts["shown"]
    assert 0 < n < N_EVENTS
    caption = page.locator(".geo-title .geo-caption").inner_text()
    assert caption == page.evaluate("conflictMap.caption()")
    assert caption.startswith(f"{n} events, 1 Oct 2025 to 31 Oct 2025")
    assert page.locator(".geo-count").inner_text().startswith(f"{n} of {N_EVENTS} events")
    for t in counts["types"]:
        label = f"{t['name']} ({t['inRange']})"
        assert page.locator(".leaflet-control-layers-overlays").get_by_text(label).count() == 1
        assert page.locator(f".geo-legend span[data-type='{t['name']}']").text_content() == label
    assert sum(t["inRange"] for t in counts["types"]) == n
    # no count on the page still counts the whole data set, except "N of M"
    texts = page.locator(".geo-title, .geo-legend, .leaflet-control-layers").all_text_contents()
    assert not any(f"{N_EVENTS} events" in t or f"({N_EVENTS})" in t for t in texts)
    # the histogram follows the type toggles too
    bars = "() => [...document.querySelectorAll('.geo-hist rect title')].map(t => t.textContent)"
    before = page.evaluate(bars)
    page.evaluate("conflictMap.setLayerVisible('Battles', false)")
    after = page.evaluate(bars)
    assert before != after
    assert "not shown: Battles" in page.evaluate("conflictMap.caption()")
    assert "hide=Battles" in page.evaluate("conflictMap.permalink()")
    page.close()


def test_empty_window_gives_a_working_page(browser, tmp_path, capsys) -> None:
    out = tmp_path / "empty.html"
    assert main(["build", "--start", "2030", "--out", str(out)]) == 0
    assert "warning: No events from 1 Jan 2030 on" in capsys.readouterr().err
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _refuse_all(page)
    page.goto(out.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    assert page.get_by_role("status").filter(has_text="No events from 1 Jan 2030 on").is_visible()
    assert page.locator(".geo-time").is_visible() and page.locator(".geo-title h1").is_visible()
    names = [lyr["name"] for lyr in page.evaluate("conflictMap.layers()")]
    assert "Durand Line" in names
    page.evaluate("conflictMap.setDateRange('2029-01-01', '2031-01-01')")  # never throws
    assert errors == []
    page.close()


def test_zero_result_on_a_full_map_says_so(browser, default_map) -> None:
    page = browser.new_page()
    _refuse_all(page)
    page.goto(default_map.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    page.evaluate("conflictMap.setDateRange('1700-01-01', '1700-01-02')")
    note = page.locator(".geo-empty")
    assert note.is_visible() and note.inner_text().startswith("No events between 1 Jan 1700")
    page.evaluate("conflictMap.setDateRange('2025-10-01', '2025-10-31')")
    assert note.is_hidden()
    # events in the window, but none passes the filters set: the note says which gate closed
    page.evaluate("conflictMap.setFilter({minFatalities: 1000000})")
    assert note.is_visible() and "that match the filters set" in note.inner_text()
    page.evaluate("conflictMap.setFilter({minFatalities: 0})")
    assert note.is_hidden()
    page.close()


def test_far_events_are_counted_and_framed_on_request(browser, default_map) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    _refuse_all(page)
    page.goto(default_map.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    outside = page.evaluate("conflictMap.outsideView()")
    m = page.evaluate(MEASURE)
    assert len(m["inView"]) + outside == page.evaluate("conflictMap.counts().shown")
    assert m["blocked"] == []
    if outside:
        page.get_by_role("button", name="outside the view").click()
        assert page.evaluate("conflictMap.outsideView()") == 0
        assert page.evaluate(MEASURE)["blocked"] == []
    page.close()


def test_one_event_far_away_is_framed_clear_of_the_panel(browser, tmp_path) -> None:
    csv = tmp_path / "sindh.csv"
    csv.write_text(
        "event_id,date_start,event_type,latitude,longitude\nS1,2024-05-01,Battles,25.4,68.4\n",
        encoding="utf-8",
    )
    out = tmp_path / "sindh.html"
    assert main(["build", "--events", str(csv), "--out", str(out)]) == 0
    for size in ("desktop", "phone"):
        page, target, errors = _open(browser, out, size)
        m = target.evaluate(MEASURE)
        assert _real_errors(errors) == []
        assert m["inView"] == ["S1"] and m["blocked"] == []
        page.context.close()


@pytest.mark.parametrize("width", [390, 680])
def test_embed_snippet_sizes_the_frame_to_the_map(browser, default_map, width) -> None:
    """In an article, the frame takes the height the map's layout reports for its width:
    no scroll bar in the frame, no empty band under the map's panels."""
    snippet = default_map.with_name("conflict_map.embed.html").read_text(encoding="utf-8")
    host = default_map.with_name(f"article{width}.html")
    host.write_text(
        '<!doctype html><meta name="viewport" content="width=device-width">'
        f"<body style='margin:0 12px'><h1>Report</h1><p>Text.</p>{snippet}<p>More text.</p></body>",
        encoding="utf-8",
    )
    phone = width < 500
    ctx = browser.new_context(
        viewport={"width": width, "height": 844}, is_mobile=phone, has_touch=phone
    )
    page = ctx.new_page()
    _refuse_all(page)
    page.goto(host.as_uri())
    frame_el = page.locator("iframe")
    frame_el.scroll_into_view_if_needed()
    frame = page.frames[1]
    frame.wait_for_function(_browser.READY, timeout=30000)
    page.wait_for_function("document.querySelector('.geo-embed-frame').style.height !== ''")
    # a new height can change the layout once (a scroll bar gone): wait for it to settle
    last = None
    for _ in range(20):
        page.wait_for_timeout(250)
        now = page.evaluate("document.querySelector('.geo-embed-frame').style.height")
        if now == last:
            break
        last = now
    box = frame_el.bounding_box()
    assert box["width"] == pytest.approx(width - 24, abs=1)  # the column's full width
    fit = frame.evaluate(
        """() => { const p = document.querySelector('.geo-page'), f = document.querySelector('.geo-foot');
          return {scroll: p.scrollHeight - p.clientHeight, gap: p.clientHeight - f.getBoundingClientRect().bottom,
                  height: p.clientHeight, mode: conflictMap.layoutMode()}; }"""
    )
    assert fit["height"] == pytest.approx(box["height"], abs=1)
    assert fit["scroll"] <= 1 and 0 <= fit["gap"] <= 2, fit
    assert fit["mode"] == ("stack" if phone else "side")
    assert frame.evaluate(SHARE, _central_box()) >= 35
    m = frame.evaluate(MEASURE)
    assert m["coverage"] <= 40 and len(m["inView"]) > N_EVENTS / 2
    assert frame_el.get_attribute("title") == "Durand Line conflict map"
    # the page's own tools work inside the frame
    frame.get_by_role("button", name="Copy link to this view").click()
    link = frame.locator(".geo-link-field").input_value()
    assert link.startswith(default_map.as_uri() + "#start=")
    assert (
        page.get_by_role("link", name="full screen").get_attribute("href") == "./conflict_map.html"
    )
    ctx.close()


def test_print_hides_controls_frames_the_story_and_names_what_it_leaves_out(
    browser, default_map
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    _refuse_all(page)
    page.goto(default_map.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    page.evaluate("conflictMap.setLayerVisible('Battles', false)")
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    visible = page.evaluate(
        """() => [...document.querySelectorAll('button, input, select, .leaflet-control-zoom a')]
          .filter(e => { const r = e.getBoundingClientRect(); return e.offsetParent !== null && r.width > 0 && r.height > 0; })
          .map(e => e.outerHTML.slice(0, 60))"""
    )
    assert visible == []
    box = page.evaluate("conflictMap.map.getContainer().getBoundingClientRect().toJSON()")
    mm = 96 / 25.4
    # the map box takes the story frame's shape, and the map and its caption fit one A4 page
    assert box["width"] <= 190 * mm and box["height"] <= 200 * mm
    caption = page.locator(".geo-print-caption")
    assert caption.is_visible()
    bottom = caption.bounding_box()["y"] + caption.bounding_box()["height"]
    assert bottom - box["y"] <= (297 - 24) * mm
    text = caption.inner_text()
    # the story's frame, as the stills: talks in Doha and Istanbul are named, not drawn
    outside = page.evaluate("conflictMap.outsideView()")
    assert 0 < outside <= N_EVENTS // 10
    assert f"Not drawn: {outside} events beyond the map frame (" in text and "Doha" in text
    assert page.evaluate("conflictMap.caption()") in text
    assert "Types not shown: Battles" in text and "Killed (best estimate)" in text
    assert "OpenStreetMap" in text
    page.pdf(path=str(default_map.with_name("print.pdf")), format="A4")
    page.close()


@pytest.mark.parametrize(
    ("export", "name"),
    [("acled_export.csv", "ACLED (Armed Conflict"), ("ucdp_ged_export.csv", "UCDP GED")],
)
def test_a_map_of_an_export_credits_its_dataset_on_screen_and_in_print(
    browser, tmp_path, export, name
) -> None:
    out = tmp_path / "export.html"
    events = Path(__file__).resolve().parents[1] / "data" / export
    assert (
        main(["build", "--events", str(events), "--credit", "<b>Desk</b>", "--out", str(out)]) == 0
    )
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    _refuse_all(page)
    page.goto(out.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    attribution = page.locator(".leaflet-control-attribution")
    assert name in attribution.text_content() and "<b>Desk</b>" in attribution.text_content()
    assert attribution.locator("b").count() == 0  # a credit is text, never markup
    # the page opens on the events its still shows: the same count and the same dates
    still = tmp_path / "export.svg"
    assert main(["build", "--events", str(events), "--out", str(still)]) == 0
    svg = still.read_text(encoding="utf-8")
    counts = page.evaluate("conflictMap.counts()")
    assert counts["shown"] == counts["total"] > 0
    assert f"{counts['shown']:,} event" in svg
    lo, hi = page.evaluate("conflictMap.dateRange()")
    day = "{d.day} {d:%b} {d.year}"
    import datetime as dt

    first, last = (dt.date.fromisoformat(d) for d in (lo, hi))
    assert f"{day.format(d=first)} – {day.format(d=last)}" in svg
    page.emulate_media(media="print")
    credits = page.locator(".geo-print-credits").inner_text()
    assert name in credits and "<b>Desk</b>" in credits
    page.close()


PAYLOADS = [
    "{{ 7*7 }} {# c",
    "</script><script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>",
    "a\u2028b javascript:window.__pwned=1",
]


def test_hostile_title_in_caption_print_empty_note_and_embed(browser, tmp_path) -> None:
    title = " | ".join(PAYLOADS)
    out = tmp_path / "hostile.html"
    assert main(["build", "--start", "2030", "--title", title, "--embed", "--out", str(out)]) == 0
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _refuse_all(page)
    page.goto(out.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    page.emulate_media(media="print")
    assert page.locator(".geo-print-caption h1").text_content() == title
    assert page.locator(".geo-print-caption img, .geo-print-caption script").count() == 0
    page.emulate_media(media="screen")
    assert page.locator(".geo-title h1").text_content() == title
    assert page.locator(".geo-empty").is_visible()
    # the image of the view draws the title with fillText: text, never markup
    assert page.evaluate("conflictMap.snapshot()")["url"].startswith("data:image/png")
    assert page.evaluate("window.__pwned") is None
    snippet = out.with_name("hostile.embed.html").read_text(encoding="utf-8")
    host = tmp_path / "host.html"
    host.write_text(f"<!doctype html><body>{snippet}</body>", encoding="utf-8")
    page.goto(host.as_uri())
    assert page.locator("iframe").get_attribute("title") == title
    # the one script is the snippet's constant resizer: no text of the map reaches it
    from geo.embed import _SCRIPT

    assert page.locator("body > div script").all_text_contents() == [_SCRIPT]
    # the only images are the static fallback (when the build wrote one), titled literally
    for img in page.locator("body > div img").all():
        assert img.get_attribute("src") == "./hostile.png" and img.get_attribute("alt") == title
    page.frames[1].wait_for_function(_browser.READY, timeout=20000)
    assert page.evaluate("window.__pwned") is None
    assert page.frames[1].evaluate("window.__pwned") is None
    assert dialogs == []
    page.close()


#: Open an event's popup, then close it: how far the map moved each time (px at the first
#: zoom) and where the card lay in the map. Each is measured once the map has settled: past
#: Leaflet's 0.25 s pan, then until its centre has stood still for 120 ms, no pan running.
PAN = (
    """async id => { const m = conflictMap.map, z = m.getZoom(), home = m.project(m.getCenter(), z);
  const settled = """
    + _browser.SETTLED
    + """;
  conflictMap.openPopup(id); await settled();
  const moved = m.project(m.getCenter(), z).distanceTo(home);
  const r = document.querySelector('.leaflet-popup').getBoundingClientRect(), b = m.getContainer().getBoundingClientRect();
  const content = document.querySelector('.leaflet-popup-content');
  m.closePopup(); await settled();
  return {moved, back: m.project(m.getCenter(), z).distanceTo(home), top: r.top - b.top,
    bottom: b.bottom - r.bottom, scrolls: content.scrollHeight > content.clientHeight + 1}; }"""
)


@pytest.mark.parametrize("size", ["phone", "iframe", "desktop"])
def test_a_long_popup_fits_the_room_and_gives_the_view_back(browser, default_map, size) -> None:
    """Issue 20: the longest card panned the map by about 300 px and left it there."""
    from geo.events import read_events

    events = read_events(DATA / "events.geojson").events
    length = events["summary"].str.len() + events["sources"].astype(str).str.len()
    page, target, errors = _open(browser, default_map, size)
    # the longest cards of events in the lower half of the opening view: an event outside it
    # (Karachi's) must move the map to be seen, and a card is never shorter than 40 % of the
    # room (popup.js, LEAST_SHARE), so one in the upper part pans by design
    bounds = target.evaluate(
        "() => { const m = conflictMap.map, b = m.getBounds(), "
        "top = m.containerPointToLatLng([0, m.getSize().y / 2]).lat; "
        "return [b.getWest(), b.getSouth(), b.getEast(), top]; }"
    )
    x, y = events.geometry.x, events.geometry.y
    seen = (x > bounds[0]) & (x < bounds[2]) & (y > bounds[1]) & (y < bounds[3])
    longest = events.loc[length[seen].sort_values(ascending=False).index[:3], "event_id"]
    for event_id in [*longest, "DL-20260316-KABUL"]:
        got = target.evaluate(PAN, event_id)
        assert got["moved"] <= 120, (event_id, got)  # the card scrolls instead
        assert got["back"] < 1, (event_id, got)  # closing gives the view back
        assert got["top"] >= 0 and got["bottom"] >= 0, (event_id, got)
    assert _real_errors(errors) == []
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "iframe", "desktop"])
def test_basemap_labels_are_whole_or_hidden(browser, default_map, size) -> None:
    """Issue 20: on a phone labels were cut by the map's edge ("…war", "…ndahar")."""
    page, target, errors = _open(browser, default_map, size)
    for view in (None, "() => { conflictMap.map.setView([33.5, 69.5], 7, {animate: false}); }"):
        if view:
            target.evaluate(view)
            page.wait_for_timeout(100)
        shown = target.evaluate(
            """() => { const c = conflictMap.map.getContainer(), b = c.getBoundingClientRect();
            return [...c.querySelectorAll('.geo-city-label, .geo-country-label')]
              .filter(e => getComputedStyle(e).visibility !== 'hidden' && e.getBoundingClientRect().width > 0)
              .map(e => { const r = e.getBoundingClientRect();
                return [e.textContent, r.left >= b.left && r.right <= b.right && r.top >= b.top && r.bottom <= b.bottom]; }); }"""
        )
        assert shown, size  # the offline basemap is on: tiles are refused here
        assert [name for name, whole in shown if not whole] == []
    assert _real_errors(errors) == []
    page.context.close()


FAR_PLACES = ("Karachi", "Doha", "Delhi", "Istanbul")


def test_print_names_far_events_as_text(browser, tmp_path) -> None:
    """The print caption's "Not drawn" line names far events by their location: text."""
    import json as _json

    doc = _json.loads((DATA / "events.geojson").read_text(encoding="utf-8"))
    hostile = "<img src=x onerror=window.__pwned=1>{{ 7*7 }}"
    for f in doc["features"]:  # every place beyond the story's frame gets the one name
        if any(p in (f["properties"].get("location") or "") for p in FAR_PLACES):
            f["properties"]["location"] = hostile
    src = tmp_path / "events.geojson"
    src.write_text(_json.dumps(doc), encoding="utf-8")
    out = tmp_path / "far.html"
    assert main(["build", "--events", str(src), "--out", str(out)]) == 0
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    _refuse_all(page)
    page.goto(out.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    line = page.locator(".geo-print-caption p", has_text="Not drawn").text_content()
    assert f"beyond the map frame ({hostile})." in line  # named, as text
    assert page.locator(".geo-print-caption img").count() == 0
    assert page.evaluate("window.__pwned") is None
    page.close()


def _png(url: str) -> Any:
    import base64
    import io

    from PIL import Image

    assert url.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")


@pytest.mark.parametrize("width", [390, 1400])
def test_download_image_is_a_png_of_the_view(browser, default_map, width) -> None:
    """ "Image of this view": the map drawn from the page's own layers, with title, legend
    and credits; over map tiles, the offline basemap, and the image says so."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _refuse_all(page)
    page.goto(default_map.as_uri())
    page.wait_for_function(_browser.READY, timeout=20000)
    page.wait_for_function(
        "document.querySelector('.folium-map').dataset.geoBasemap === 'offline'", timeout=15000
    )
    shot = page.evaluate("conflictMap.snapshot()")
    size = page.evaluate("[conflictMap.map.getSize().x, conflictMap.map.getSize().y]")
    image = _png(shot["url"])
    k = shot["scale"]
    assert image.size == (size[0] * k, shot["height"]) and shot["height"] > size[1] * k
    assert shot["note"] == ""
    # the Kabul event (408 killed) is drawn where the page draws it, in its type's blue
    pos = page.evaluate("conflictMap.screenPosition('DL-20260316-KABUL')")
    at = (round((pos["x"] + pos["radius"] * 0.6) * k), round((shot["mapTop"] + pos["y"]) * k))
    r, g, b = image.getpixel(at)
    assert b > r + 40, (r, g, b)
    # the title is drawn above the map: dark pixels in the head, none in a blank page
    head = image.crop((0, 0, image.size[0], round(shot["mapTop"] * k)))
    assert head.convert("L").getextrema()[0] < 80
    # over a tile layer the image uses the offline basemap and says so; the view keeps its tiles
    page.evaluate("conflictMap.setLayerVisible('OpenStreetMap', true)")
    tiles = page.evaluate("conflictMap.snapshot()")
    assert "offline basemap" in tiles["note"]
    assert page.locator(".leaflet-tile-pane img").count() > 0  # the tiles are back
    assert _real_errors(errors) == []
    page.close()


def test_print_at_no_size_leaves_the_view_alone(browser, default_map) -> None:
    """A print layout may give the map no size for a moment (Chromium's PDF with a
    full-page capture did): framing the story then made the zoom NaN and every later move
    threw "Invalid LatLng object: (NaN, NaN)". The frame waits for a size."""
    page, target, errors = _open(browser, default_map, "desktop")
    before = target.evaluate("() => conflictMap.map.getZoom()")
    target.evaluate(
        """() => { const c = conflictMap.map.getContainer();
        c.style.setProperty('height', '0px', 'important');
        window.dispatchEvent(new Event('beforeprint'));
        c.style.removeProperty('height');
        window.dispatchEvent(new Event('afterprint')); }"""
    )
    page.wait_for_timeout(200)
    target.evaluate("() => { conflictMap.map.invalidateSize(); conflictMap.map.panBy([5, 5]); }")
    zoom = target.evaluate("() => conflictMap.map.getZoom()")
    # back at the opening zoom (as Leaflet snaps it: a quarter step) and nothing thrown
    assert abs(zoom - before) <= 0.25 and _real_errors(errors) == []
    page.context.close()
