"""Pages that take the other code paths: binary columns (compressed) with dense drawing,
the same events as JSON and as binary columns, and offline."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.cli import main

pytestmark = pytest.mark.browser
N = 20_000  # past the 512 KB inline limit and the 15,000-in-view dense threshold


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    rng = np.random.default_rng(7)
    start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 730, N), unit="D")
    table = pd.DataFrame(
        {
            "event_id": [f"E{i:05d}" for i in range(N)],
            "date_start": start.strftime("%Y-%m-%d"),
            "date_end": (start + pd.to_timedelta(rng.integers(0, 3, N), unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "event_type": rng.choice(["Battles", "Explosions/Remote violence", "Protests"], N),
            "latitude": rng.uniform(32.0, 35.0, N).round(5),  # eastern Afghanistan
            "longitude": rng.uniform(66.0, 69.5, N).round(5),
            "fatalities_best": rng.integers(0, 20, N),
            "summary": "Synthetic event",
            "source_name": "Test",
            "source_url": "https://example.org/e",
        }
    )
    path = tmp_path_factory.mktemp("big") / "events.csv"
    table.to_csv(path, index=False)
    return path, table


@pytest.fixture(scope="module")
def big_map(big_csv, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bigmap") / "big.html"
    assert main(["build", "--events", str(big_csv[0]), "--out", str(out)]) == 0
    return out


def test_large_builds_are_byte_identical(big_csv, big_map, tmp_path) -> None:
    again = tmp_path / "again.html"
    assert main(["build", "--events", str(big_csv[0]), "--out", str(again)]) == 0
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (big_map, again)]
    assert digest[0] == digest[1]
    # the events travel compressed: no event id appears as text in the page
    assert "E12345" not in big_map.read_text(encoding="utf-8")


def test_compressed_events_filter_and_open_in_dense_mode(open_map, big_map, big_csv) -> None:
    rec = open_map(big_map)
    page = rec.page
    table = big_csv[1]
    assert page.evaluate("conflictMap.events().length") == N
    # 20,000 in view: hexagons instead of points, with their legend; points one click away
    shown = page.evaluate("conflictMap.display()")
    assert shown["hexbin"] is True and shown["points"] is False and shown["auto"] is True
    assert page.locator(".geo-density").is_visible()
    assert page.get_by_role("button", name="Show points").is_visible()
    page.evaluate("conflictMap.setDateRange('2022-03-01', '2022-03-31')")
    expected = set(
        table.loc[
            (table["date_start"] <= "2022-03-31") & (table["date_end"] >= "2022-03-01"), "event_id"
        ]
    )
    assert set(page.evaluate("conflictMap.visibleEventIds()")) == expected
    shown = page.evaluate("conflictMap.display()")  # ~800 in view: circles again
    assert shown["points"] is True and shown["hexbin"] is False and shown["dense"] is False
    assert not page.locator(".geo-density").is_visible()
    some = sorted(expected)[0]
    assert page.evaluate("id => conflictMap.openPopup(id)", some) is True
    assert some in page.locator(".geo-popup").inner_text()
    assert [e for e in rec.errors if "ERR_FAILED" not in e and "Failed to load" not in e] == []


def test_self_contained_page_needs_no_network(browser, tmp_path) -> None:
    from geo._browser import READY

    out = tmp_path / "offline.html"
    assert main(["build", "--self-contained", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net/npm/leaflet" not in html
    page = browser.new_page()
    requested: list[str] = []

    def refuse(route) -> None:  # nothing may leave the file: not even Leaflet is served here
        if not route.request.url.startswith(("file:", "data:")):
            requested.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", refuse)
    page.goto(out.as_uri())
    page.wait_for_function(READY, timeout=20000)
    shipped = Path(__file__).resolve().parents[2] / "data" / "events.geojson"
    assert page.evaluate("conflictMap.events().length") == shipped.read_text(
        encoding="utf-8"
    ).count('"type": "Feature"')
    assert requested and all(
        "tile" in u or "arcgisonline" in u for u in requested
    )  # only map tiles
    page.close()


def test_a_browser_that_cannot_inflate_says_so(browser, big_map) -> None:
    from geo._browser import PageRecorder

    page = browser.new_page()
    rec = PageRecorder(page)
    page.add_init_script("delete window.DecompressionStream")
    page.goto(big_map.as_uri())
    page.wait_for_function(
        "document.documentElement.dataset.conflictMap === 'error'", timeout=20000
    )
    alert = page.get_by_role("alert")
    assert "could not be unpacked in this browser" in alert.inner_text()
    assert any("DecompressionStream" in e for e in rec.errors)  # the cause reaches the console
    page.close()


# --------------------------------------------------------------------------------------
# Binary columns (large maps) against JSON columns (small maps): the same page
# --------------------------------------------------------------------------------------

#: Text that must come back exactly and stay inert: astral characters, right-to-left
#: text, combining marks, a leading byte order mark, markup and template syntax.
PWNED = "window.__pwned = (window.__pwned || 0) + 1"
ODD_TEXT = [
    "😀 emoji 🇦🇫 flag, 𝕏 and 𠀋",
    "مرحبا بالعالم — עברית",
    "e\u0301 combining, \u200d joiner",
    "\ufeffstarts with a BOM",
    "</script><script>" + PWNED + "</script>",
    "{{ 6*7 }} {% raw %} {# c #}",
    '<img src=x onerror="' + PWNED + '">',
    "",
    "plain ascii",
]
#: Captures the controller (a plugin registered last) and lowers the rows per decoded
#: block of text, so that a few hundred events cross many blocks.
HOOK = """(() => {
  let gp;
  Object.defineProperty(window, 'GeoPage', {configurable: true, get() { return gp; }, set(v) {
    gp = v;
    let init;
    Object.defineProperty(v, 'init', {configurable: true, get() { return init; }, set(f) {
      init = function (config) {
        v.Events.blockBits = 3;
        v.plugin(function (cm) { window.__cm = cm; });
        return f(config);
      };
    }});
  }});
})()"""
#: Everything the page reads from the events, for every event.
EVERYTHING = """() => {
  const ev = window.__cm.events, names = Object.keys(ev.get), out = {names: names, rows: []};
  for (let i = 0; i < ev.n; i++) {
    out.rows.push([ev.record(i), ev.haystack(i), ev.start[i], ev.end[i], ev.lat[i], ev.lon[i],
                   ev.find(ev.get.event_id(i))]);
  }
  out.values = names.map(n => ev.values(n));
  out.types = [ev.start, ev.end, ev.lat, ev.lon].map(a => a.constructor.name);
  return out;
}"""


def _odd_features(n: int) -> list[dict]:
    types = [
        ("Battles", "Armed clash"),
        ("Protests", "Peaceful protest"),
        ("Riots", "Mob violence"),
    ]
    features = []
    for i in range(n):
        odd = ODD_TEXT[i % len(ODD_TEXT)]
        etype, sub = types[i % 3]
        props = {
            "event_id": f"X{i:04d} {odd}" if i % 4 == 0 else f"X{i:04d}",
            "date_start": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "event_type": etype,
            "sub_event_type": sub,
            "actor1": odd if i % 5 == 0 else f"Actor {i % 7}",
            "actor2": "" if i % 2 else "Other side",
            "location": f"{odd} {i % 40}",
            "province": "Kunar" if i % 2 else "Khost",
            "summary": f"{odd} — event {i} {ODD_TEXT[(i + 3) % len(ODD_TEXT)]}",
            "fatality_note": odd if i % 6 == 0 else "",
            "fatalities_best": None if i % 7 == 0 else (i * 37) % 4000,
            "injured_best": None if i % 3 == 0 else i,
            "tags": ["t1", odd] if i % 4 == 1 else [],
            "sources": [
                {
                    "name": odd or "S",
                    "url": f"https://e.org/{i % 9}?q=</script>",
                    "date": "2024-01-02",
                },
                {"name": f"Source {i % 11}"},
            ][: 1 + i % 2],
        }
        lon, lat = 69.0 + (i % 97) * 0.013, 33.0 + (i % 89) * 0.0171
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    return features


@pytest.fixture(scope="module")
def json_and_binary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same odd events as a small page (JSON columns) and forced binary, with tiny
    compressed parts and every dictionary large enough to travel as a buffer."""
    import json

    from geo.render import events as render_events

    d = tmp_path_factory.mktemp("odd")
    src = d / "odd.geojson"
    doc = {"type": "FeatureCollection", "features": _odd_features(300)}
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    small, large = d / "json.html", d / "binary.html"
    assert main(["build", "--events", str(src), "--out", str(small), "--quiet"]) == 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render_events, "INLINE_LIMIT", 0)
        mp.setattr(render_events, "PART_BYTES", 512)
        mp.setattr(render_events, "JSON_DICT_BYTES", 16)
        assert main(["build", "--events", str(src), "--out", str(large), "--quiet"]) == 0
    assert '"buffers":' not in small.read_text(encoding="utf-8")
    assert '"buffers":' in large.read_text(encoding="utf-8")
    return small, large


def _open_hooked(browser, path: Path):
    from geo._browser import READY, PageRecorder

    page = browser.new_page(viewport={"width": 1280, "height": 860})
    rec = PageRecorder(page)
    page.add_init_script(HOOK)
    page.goto(path.as_uri())
    page.wait_for_function(READY, timeout=30000)
    return rec


def test_binary_columns_show_what_json_columns_show(browser, json_and_binary) -> None:
    seen = []
    for path in json_and_binary:
        rec = _open_hooked(browser, path)
        page = rec.page
        got = page.evaluate(EVERYTHING)
        assert len(got["rows"]) == 300
        assert got["types"] == ["Int32Array", "Int32Array", "Float64Array", "Float64Array"]
        ids = page.evaluate("conflictMap.events()")
        page.evaluate("conflictMap.setDateRange('2024-01-01', '2024-12-31')")
        searched = {}
        for text in ("😀", "עברית", "</script>", "{{ 6*7", "source 3", "e\u0301"):
            page.evaluate("t => conflictMap.setFilter({text: t})", text)
            searched[text] = page.evaluate("conflictMap.visibleEventIds()")
        page.evaluate("conflictMap.setFilter({text: ''})")
        popups = []
        for i in (0, 4, 6, 13, 299):
            assert page.evaluate("id => conflictMap.openPopup(id)", ids[i]) is True
            popup = page.wait_for_function(
                """id => [...document.querySelectorAll('.leaflet-popup-content .geo-popup')]
                    .find(p => p.dataset.eventId === id)""",
                arg=ids[i],
            )
            popups.append(
                popup.evaluate("p => [p.innerText, p.querySelectorAll('img, script').length]")
            )
            assert popups[-1][1] == 0
        page.get_by_role("button", name="Download the events shown").click()
        downloads = []
        for kind in ("csv", "geojson"):
            with page.expect_download() as info:
                page.locator(f".geo-download-{kind}").click()
            downloads.append(Path(info.value.path()).read_bytes())
        page.wait_for_timeout(200)
        assert page.evaluate("window.__pwned || 0") == 0
        assert rec.dialogs == []
        assert rec.real_errors() == []
        seen.append((got, ids, searched, popups, downloads))
        page.close()
    (a_got, *a_rest), (b_got, *b_rest) = seen
    assert b_got["names"] == a_got["names"]
    for i, (ra, rb) in enumerate(zip(a_got["rows"], b_got["rows"], strict=True)):
        assert rb == ra, i
    assert b_got["values"] == a_got["values"]
    assert b_rest == a_rest
    summaries = [row[0]["summary"] for row in b_got["rows"]]
    assert summaries[0] == f"{ODD_TEXT[0]} — event 0 {ODD_TEXT[3]}"
    assert summaries[3] == f"{ODD_TEXT[3]} — event 3 {ODD_TEXT[6]}"  # the BOM stays
    assert all(searched for searched in a_rest[1].values())
