"""`serve`: preview the site on this computer, rebuilding it when a file changes.

A watcher (watchfiles) rebuilds the site when site.yaml, data/, content/ or
site_templates/ change. Pages are served with a small script that asks the preview
for its build number every second and reloads the page when it changes. When a
rebuild fails, every page shows the validation report (or the file and line of a
template of the site's own that cannot be used) instead of the stale site, until the
next rebuild succeeds. The built files themselves are never changed:
the script is added only to what the preview sends. The failure page is in the
site's language (its words are the catalogue's).
"""

from __future__ import annotations

import html
import http.server
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from .i18n import ENGLISH, Language

VERSION_PATH = "/__perfsite/build"
# Folders and files of a site whose changes mean a rebuild.
WATCHED = ("site.yaml", "data", "content", "site_templates")
POLL_MILLISECONDS = 1000

RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  function poll() {
    fetch("%(path)s", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (build) {
      if (seen !== null && build !== seen) { location.reload(); }
      seen = build;
    }).catch(function () {}).finally(function () { setTimeout(poll, %(every)d); });
  }
  poll();
})();
</script>""" % {"path": VERSION_PATH, "every": POLL_MILLISECONDS}

FAILURE_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem;line-height:1.5}}
pre{{white-space:pre-wrap;background:#f3f2f1;padding:1rem;border-left:5px solid #d4351c}}</style></head>
<body><main><h1>{heading}</h1>
<p>{advice}</p>
<pre>{report}</pre></main>{script}</body></html>
"""


def site_rebuild(root: Path, destination: Path, language: Language = ENGLISH, **options: Any
                 ) -> Callable[[], Optional[str]]:
    """The preview's rebuild of a site (``options``: pipeline.build's): None when it built, else
    what every page shows until it builds again: the validation report, or the sentence of a
    template in site_templates/ that cannot be used (the file being edited, most often), in
    ``language``, serve's."""
    from .pipeline import build
    from .progress import outcome_language
    from .quality.report import render
    from .render import SiteTemplateError

    def rebuild() -> Optional[str]:
        try:
            outcome = build(root, destination, **options)
        except SiteTemplateError as problem:
            return language.translate(problem.args[0]) + "\n"
        return None if outcome.ok else render(outcome.report, "human", root, outcome_language(outcome))

    return rebuild


def failure_page(report: str, language: Language = ENGLISH) -> str:
    """The page every address shows after a failed rebuild: the report, in the site's language."""
    return FAILURE_PAGE.format(
        lang=html.escape(language.setting), title=html.escape(language.gettext("The rebuild failed")),
        heading=html.escape(language.gettext("The rebuild failed: nothing was published")),
        advice=html.escape(language.gettext("Fix the problems below and save the file; this page reloads when the "
                                            "site builds again.")),
        report=html.escape(report), script=RELOAD_SCRIPT)


@dataclass
class BuildState:
    number: int = 0
    failure: Optional[str] = None  # the validation report of the last rebuild, when it failed


class Preview:
    """The preview's state: the build number and, after a failed rebuild, its report."""

    def __init__(self, rebuild: Callable[[], Optional[str]]) -> None:
        """``rebuild`` builds the site and returns None, or the report text when it failed."""
        self._rebuild = rebuild
        self._lock = threading.Lock()
        self.state = BuildState()

    def rebuild(self) -> Optional[str]:
        failure = self._rebuild()
        with self._lock:
            self.state = BuildState(self.state.number + 1, failure)
        return failure

    def watch(self, site_root: Path, stop: threading.Event,
              on_rebuild: Callable[[Optional[str]], None] = lambda failure: None) -> None:
        """Rebuild on every batch of changes to the site's inputs until ``stop`` is set."""
        from watchfiles import watch  # noqa: PLC0415 - only serve needs it

        paths = [site_root / name for name in WATCHED if (site_root / name).exists()]
        for _changes in watch(*paths, stop_event=stop, debounce=300, raise_interrupt=False):
            on_rebuild(self.rebuild())


def handler_class(preview: Preview, base_url: str = "/", language: Language = ENGLISH):
    class Handler(http.server.SimpleHTTPRequestHandler):
        """Serves the output folder with the site's own 404 page, the reload script and failures."""

        def do_GET(self):  # noqa: N802 - the standard library's name
            if self.path.split("?")[0] == VERSION_PATH:
                return self._send(200, str(preview.state.number).encode(), "text/plain; charset=utf-8")
            state = preview.state
            wants_page = self.path.split("?")[0].endswith(("/", ".html"))
            if state.failure is not None and wants_page:
                page = failure_page(state.failure, language)
                return self._send(200, page.encode(), "text/html; charset=utf-8")
            if wants_page:
                target = Path(self.translate_path(self.path))
                target = target / "index.html" if target.is_dir() else target
                if target.is_file():
                    return self._send(200, self._with_script(target.read_bytes()), "text/html; charset=utf-8")
            return super().do_GET()

        def _with_script(self, body: bytes) -> bytes:
            marker = b"</body>"
            return body.replace(marker, RELOAD_SCRIPT.encode() + marker, 1) if marker in body else body

        def _send(self, code: int, body: bytes, content_type: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def send_error(self, code, message=None, explain=None):
            not_found = Path(self.directory) / "404.html"
            if code == 404 and not_found.is_file():
                # The 404 page links by base_url (it may be shown at any address); the
                # preview is at the root, so its links are pointed here.
                body = not_found.read_bytes().replace(f'="{base_url}'.encode(), b'="/')
                return self._send(404, self._with_script(body), "text/html; charset=utf-8")
            return super().send_error(code, message, explain)

        def log_message(self, format, *args):  # noqa: A002 - quieter than the default
            pass

    return Handler
