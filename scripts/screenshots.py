#!/usr/bin/env python3
"""Screenshots of a built site at a phone's and a desktop's width, to look at before and
after a change to layout: the overview, a theme, an indicator and a report.

    python scripts/screenshots.py OUTPUT_FOLDER [SCREENSHOT_FOLDER]

Uses Debian's Chromium through Playwright (perfsite.browser); writes
<page>-<width>.png files (full page) into SCREENSHOT_FOLDER (default: screenshots/).
"""

from __future__ import annotations

import sys
from pathlib import Path

from perfsite.browser import chromium_browser, serve_folder

WIDTHS = (375, 1280)


def first(folder: Path, pattern: str) -> str:
    """The first page matching ``pattern`` (so that the script works on any site)."""
    found = sorted(folder.glob(pattern))
    if not found:
        raise SystemExit(f"No page matches {pattern} in {folder}: is it a built site?")
    return found[0].parent.relative_to(folder).as_posix() + "/"


def take(site: Path, into: Path, browser=None) -> list[Path]:
    """Take the screenshots; ``browser`` is an open Playwright browser, or one is launched."""
    if browser is None:
        with chromium_browser() as launched:
            return take(site, into, launched)
    pages = {
        "overview": "",
        "theme": first(site, "themes/*/index.html"),
        "indicator": first(site, "indicators/*/index.html"),
        "report": first(site, "reports/*/index.html"),
    }
    into.mkdir(parents=True, exist_ok=True)
    taken = []
    with serve_folder(site) as base:
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in pages.items():
                page.goto(base.rstrip("/") + "/" + path)
                target = into / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                taken.append(target)
            page.close()
    return taken


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for path in take(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")):
        print(path)
