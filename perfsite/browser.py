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
import io
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
    """Serves a folder; pages that link by the site's own address are pointed at this server.

    Pages such as 404.html link by base_url (they may be shown at any address). Served
    from loopback, those links would leave for the real address, so the page would be
    checked without its stylesheet; they are rewritten to the root of this server.
    """

    def __init__(self, *args, base_url: str = "/", **kwargs) -> None:
        self.base_url = base_url
        super().__init__(*args, **kwargs)

    def send_head(self):
        if self.base_url in ("", "/"):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the standard redirect to the folder's address
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file():
            return super().send_head()
        body = path.read_bytes().replace(f'="{self.base_url}'.encode(), b'="/')
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass


@contextlib.contextmanager
def serve_folder(folder: Path, base_url: str = "/") -> Iterator[str]:
    """Serve ``folder`` at http://127.0.0.1:<free port> in a background thread; yields the base URL.

    ``base_url`` is the site's published address (site.yaml): links to it are served from here.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder), base_url=base_url)
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
