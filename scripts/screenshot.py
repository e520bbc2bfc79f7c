"""Take the README screenshot of the default map in headless Chromium.

Usage: ``python -m geo build && python scripts/screenshot.py [--out maps/screenshot.png]``.
Tiles are blocked (the machine is offline), so the background is plain.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo._browser import launch, open_map, sync_playwright

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--map", type=Path, default=ROOT / "maps" / "conflict_map.html")
    parser.add_argument("--out", type=Path, default=ROOT / "maps" / "screenshot.png")
    parser.add_argument("--start", default="2021-08-01")
    parser.add_argument("--end", default="2026-03-31")
    parser.add_argument("--popup", help="open this event's popup (default: none, the map shows)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = launch(p)
        rec = open_map(browser, args.map, width=args.width, height=args.height)
        rec.page.evaluate("([a, b]) => conflictMap.setDateRange(a, b)", [args.start, args.end])
        if args.popup:
            rec.page.evaluate("id => conflictMap.openPopup(id)", args.popup)
        rec.page.wait_for_timeout(500)
        rec.page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
