"""One way to open a built site in a real browser: Debian's Chromium through Playwright.

Playwright's own browser download does not work on these machines (nor, often, in
councils' CI), so Playwright drives the system Chromium through ``executable_path``.
The site is served over loopback, as a browser sees a published site (``file://``
changes how links, fonts and scripts behave).

    with serve_folder(out) as base_url, chromium_browser() as browser:
        page = browser.new_page()
        page.goto(base_url + "/")

Tests use the session-scoped ``browser`` fixture in tests/conftest.py, which calls this.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator

from . import tools

# --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
# --disable-dev-shm-usage: containers give /dev/shm 64 MB, too little for long pages.
CHROMIUM_ARGUMENTS = ("--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu")


@contextlib.contextmanager
def chromium_browser(headless: bool = True) -> Iterator["object"]:
    """A Playwright Browser on the system Chromium; closed (with Playwright) on exit.

    Raises :class:`perfsite.tools.ToolMissing` when Chromium or Playwright is not installed.
    """
    executable = tools.chromium()
    tools.playwright()
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional dependency

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), headless=headless,
                                             args=list(CHROMIUM_ARGUMENTS))
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` at http://127.0.0.1:<free port> in a background thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
