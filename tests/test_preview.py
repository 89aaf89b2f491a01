"""`serve`: rebuild on change, reload the browser, show a failed rebuild's report."""

from __future__ import annotations

import functools
import http.server
import threading
import time
import urllib.request

import pytest

from perfsite.preview import RELOAD_SCRIPT, VERSION_PATH, Preview, handler_class, site_rebuild
from tests.helpers import copy_site


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    site = copy_site("clean", tmp_path_factory.mktemp("preview") / "site")
    out = site.parent / "out"

    state = Preview(site_rebuild(site, out, use_cache=False, workers=1))
    assert state.rebuild() is None
    handler = functools.partial(handler_class(state, "/"), directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield site, out, state, f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def get(url):
    with urllib.request.urlopen(url) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_pages_carry_the_reload_script_but_the_built_files_do_not(preview):
    site, out, state, base = preview
    assert RELOAD_SCRIPT in get(base + "/")
    assert RELOAD_SCRIPT not in (out / "index.html").read_text(encoding="utf-8")
    assert get(base + VERSION_PATH) == str(state.state.number)


def test_a_failed_rebuild_shows_its_report_until_the_site_builds_again(preview):
    site, out, state, base = preview
    results = site / "data" / "results.csv"
    original = results.read_text(encoding="utf-8")
    before = state.state.number
    lines = original.splitlines()
    first = lines[1].split(",")
    first[2] = "45%"
    results.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    try:
        assert state.rebuild() is not None
        page = get(base + "/")
        assert "The rebuild failed" in page and "data/results.csv" in page and "45%" in page
        assert RELOAD_SCRIPT in page
        assert get(base + VERSION_PATH) == str(before + 1)
    finally:
        results.write_text(original, encoding="utf-8")
    assert state.rebuild() is None
    assert "The rebuild failed" not in get(base + "/")


def test_a_site_template_that_cannot_be_used_shows_its_file_and_line_until_mended(preview):
    """Editing the site's own templates is what the preview is for: a template using a name it
    is not handed fails the rebuild with its file and line on every page, and the preview goes
    on (it had stopped watching: the problem ended its thread as an internal one)."""
    site, out, state, base = preview
    template = site / "site_templates" / "overview.html"
    template.parent.mkdir(exist_ok=True)
    template.write_text('{% extends "base.html" %}\n{% block content %}\n<h1>{{ headline }}</h1>\n'
                        '{% endblock %}\n', encoding="utf-8")
    try:
        failure = state.rebuild()
        assert failure is not None and "site_templates/overview.html could not be used at line 3" in failure
        page = get(base + "/themes/")
        assert "The rebuild failed" in page and "&#x27;headline&#x27; is undefined" in page
    finally:
        template.unlink()
    assert state.rebuild() is None
    assert "The rebuild failed" not in get(base + "/")


def test_a_saved_file_rebuilds_the_site(preview):
    site, out, state, base = preview
    stop = threading.Event()
    rebuilds = []
    watcher = threading.Thread(target=state.watch, args=(site, stop, rebuilds.append), daemon=True)
    watcher.start()
    try:
        time.sleep(1)  # let the watcher start
        before = state.state.number
        about = site / "content" / "pages" / "about.md"
        about.parent.mkdir(parents=True, exist_ok=True)
        about.write_text("---\ntitle: About these figures\n---\nWritten while the preview ran.\n", encoding="utf-8")
        assert wait_for(lambda: state.state.number > before), "no rebuild after a saved file"
        assert rebuilds and rebuilds[-1] is None
        assert wait_for(lambda: "Written while the preview ran." in get(base + "/pages/about/"))
    finally:
        stop.set()
        watcher.join(timeout=10)
