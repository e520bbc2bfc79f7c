"""Headless Chromium for screenshots, benchmarks and tests, kept offline.

Leaflet is answered from the pinned copy in ``xstatic-leaflet``; every other request that
would leave the machine (tiles, fonts) is aborted and recorded. Needs the optional
``playwright`` package and a Chromium binary (Debian package ``chromium``); Playwright's
own browser download is never used.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from geo.render.html import leaflet_dir

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
READY = "document.documentElement.dataset.conflictMap === 'ready'"
#: Resolves once the map has come to rest: past Leaflet's 0.25 s pan, until its centre has
#: stood still for 120 ms with no pan running (a popup's pan into view, a fly to a place).
SETTLED = """async () => { const m = conflictMap.map;
  await new Promise(r => setTimeout(r, 300));
  for (let i = 0, last = m.getCenter(); i < 50; i++) {
    await new Promise(r => setTimeout(r, 120));
    const now = m.getCenter();
    if (now.equals(last) && !(m._panAnim && m._panAnim._inProgress)) return;
    last = now;
  }
}"""


def real_errors(errors: list[str]) -> list[str]:
    """``errors`` without the lines Chromium logs for requests that were aborted on purpose."""
    return [e for e in errors if "net::ERR_FAILED" not in e and "Failed to load resource" not in e]


class PageRecorder:
    """A page plus what it logged: console errors, page errors, aborted requests, dialogs."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.aborted: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.route("**/*", self._route)

    def real_errors(self) -> list[str]:
        """Console and page errors, less the ones Chromium logs for the requests we abort."""
        return real_errors(self.errors)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        base = leaflet_dir()
        name = url.rsplit("/", 1)[-1]
        if url.startswith(("file:", "data:")):
            route.continue_()
        elif "/leaflet@" in url and name == "leaflet.js":
            route.fulfill(path=str(base / "leaflet.js"), content_type="application/javascript")
        elif "/leaflet@" in url and name == "leaflet.css":
            route.fulfill(path=str(base / "leaflet.css"), content_type="text/css")
        elif "/leaflet@" in url and "/images/" in url and (base / "images" / name).is_file():
            route.fulfill(path=str(base / "images" / name), content_type="image/png")
        else:
            self.aborted.append(url)
            route.abort()


def sync_playwright() -> Any:
    """Playwright's sync API context manager, or a clear message on how to install it."""
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        msg = "this needs Playwright: pip install 'geo[test]' (and the Debian package chromium)"
        raise ImportError(msg) from None
    return start()


def launch(playwright: Any) -> Any:
    """Launch Debian's Chromium headless with the flags this offline machine needs."""
    if not Path(CHROMIUM).exists():
        msg = f"Chromium not found at {CHROMIUM}; install it: apt-get install chromium"
        raise FileNotFoundError(msg)
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)


def open_map(
    browser: Any, path: str | Path, *, width: int = 1280, height: int = 860
) -> PageRecorder:
    """Open a built map and wait until its page API reports ready."""
    page = browser.new_page(viewport={"width": width, "height": height})
    rec = PageRecorder(page)
    page.goto(Path(path).resolve().as_uri())
    page.wait_for_function(READY, timeout=30000)
    return rec
