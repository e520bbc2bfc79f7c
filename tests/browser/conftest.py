"""Headless Chromium through Playwright, offline (see geo._browser)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api  # a hard import: browser tests never skip quietly

from geo import _browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = _browser.launch(p)
        yield b
        b.close()


@pytest.fixture
def open_map(browser: Any) -> Iterator[Callable[[Path], _browser.PageRecorder]]:
    """Open an HTML map and wait until it reports ready; returns a PageRecorder."""
    pages: list[Any] = []

    def _open(path: Path) -> _browser.PageRecorder:
        rec = _browser.open_map(browser, path)
        pages.append(rec.page)
        return rec

    yield _open
    for page in pages:
        page.close()
