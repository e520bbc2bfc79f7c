"""Headless Chromium through Playwright, offline.

Leaflet is answered from the pinned copy in ``xstatic-leaflet``; every other request that
leaves the machine (tiles, fonts) is aborted, so the tests never need the network.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _leaflet_dir() -> Path:
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install the Debian package 'chromium'")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


class PageRecorder:
    """A page plus what it logged: console errors, page errors, aborted requests, dialogs."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.errors: list[str] = []
        self.aborted: list[str] = []
        self.dialogs: list[str] = []


def _route(route: object, recorder: PageRecorder) -> None:
    url = route.request.url  # type: ignore[attr-defined]
    base = _leaflet_dir()
    if url.startswith("file:") or url.startswith("data:"):
        route.continue_()  # type: ignore[attr-defined]
    elif "/leaflet@" in url and url.endswith("/leaflet.js"):
        route.fulfill(path=str(base / "leaflet.js"), content_type="application/javascript")  # type: ignore[attr-defined]
    elif "/leaflet@" in url and url.endswith("/leaflet.css"):
        route.fulfill(path=str(base / "leaflet.css"), content_type="text/css")  # type: ignore[attr-defined]
    elif "/leaflet@" in url and "/images/" in url:
        route.fulfill(path=str(base / "images" / url.rsplit("/", 1)[1]), content_type="image/png")  # type: ignore[attr-defined]
    else:
        recorder.aborted.append(url)
        route.abort()  # type: ignore[attr-defined]


@pytest.fixture
def open_map(browser: object) -> Iterator[object]:
    """Open an HTML file and wait until the map reports ready; returns a PageRecorder."""
    contexts = []

    def _open(path: Path) -> PageRecorder:
        context = browser.new_context(viewport={"width": 1280, "height": 860})  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        rec = PageRecorder(page)
        page.on("console", lambda m: rec.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: rec.errors.append(str(e)))
        page.on("dialog", lambda d: (rec.dialogs.append(d.message), d.dismiss()))
        page.route("**/*", lambda route: _route(route, rec))
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("document.documentElement.dataset.conflictMap === 'ready'", timeout=20000)
        return rec

    yield _open
    for c in contexts:
        c.close()
