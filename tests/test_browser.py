"""The browser helper (geo._browser): what a missing Playwright says."""

from __future__ import annotations

import pytest


def test_missing_playwright_says_how_to_install(monkeypatch) -> None:
    import builtins

    from geo import _browser

    real_import = builtins.__import__

    def no_playwright(name, *args, **kwargs):
        if name.startswith("playwright"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_playwright)
    with pytest.raises(ImportError, match=r"this needs Playwright: pip install 'geo\[test\]'"):
        _browser.sync_playwright()
