"""Search built at build time with Pagefind: an index of the pages, made from their HTML.

Pagefind indexes each page's <main> (marked data-pagefind-body in base.html) and
writes a static index and a small search interface under /pagefind/. The search page
is the only page with JavaScript, and says what to do without it. The index is made
as the pages are written, before the swap, so the atomic swap and the checksums cover
it. Pagefind is handed a copy of each page without its tables and charts, which it
would not index anyway (``search_copy``): it reads a tenth of the HTML, and the index
of the same copies is taken from the cache, so a corrected figure does not re-index
the site.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from .cache import RenderCache, fingerprint
from .i18n import N_, Message
from .urls import path_for

# What the index leaves out: the figures in tables and the text drawn in charts. Residents
# search for words (an indicator's title or definition, a theme, a partner), which the pages
# say in prose; indexing every figure of every table made the index of a national site hold
# 6.3 GB in memory and take twice as long (docs/benchmarks.md), for results no one asks for.
NOT_INDEXED = ("table", "svg")

def search_copy(page: str) -> str:
    """The page as Pagefind reads it: its head and its ``<main data-pagefind-body>``, with
    the tables and charts (NOT_INDEXED) kept as empty elements (their ids are the anchors
    Pagefind records). Pagefind makes the same index of these copies as of the pages, byte
    for byte (tested on the example site), and reads a tenth of the HTML: a page's charts
    and tables are most of it.

    A page unlike perfsite's own (no marked <main>, other Pagefind attributes, a table in a
    table, an unclosed element) is copied whole, so the index is never other than Pagefind
    would make of the page.
    """
    if page.count("data-pagefind") != 1 or page.count("<main") != 1:
        return page
    main = page.find("<main")
    opened = page.find(">", main) + 1
    closed = page.find("</main>", opened)
    if "data-pagefind-body" not in page[main:opened] or closed < 0 or page.find("<body") < 0:
        return page
    parts = [page[:opened]]
    position = opened
    while True:
        found = [(at, name) for name in NOT_INDEXED if (at := _opening(page, name, position, closed)) >= 0]
        if not found:
            break
        at, name = min(found)
        tag_end = page.find(">", at) + 1
        end = page.find(f"</{name}>", tag_end)
        if tag_end <= 0 or end < 0 or end > closed or _opening(page, name, tag_end, end) >= 0:
            return page  # not one element of perfsite's kind: Pagefind reads the page whole
        parts += (page[position:tag_end], f"</{name}>")
        position = end + len(name) + 3
    parts += (page[position:closed], "</main></body></html>")
    return "".join(parts)


def _opening(page: str, name: str, start: int, end: int) -> int:
    """Where the next ``<name`` tag opens between ``start`` and ``end`` (-1 when none)."""
    while (at := page.find("<" + name, start, end)) >= 0:
        if page[at + len(name) + 1: at + len(name) + 2] in (" ", ">", "\n", "\t", "/"):
            return at
        start = at + 1
    return -1


class SearchPages:
    """The search copies of the pages written so far (``search_copy``), each written to a
    temporary folder as it comes, so that memory holds none of them, with their digests:
    the index's key. A figure in a table or a chart changes a page but not its copy, so
    correcting it does not make Pagefind index the site again."""

    def __init__(self) -> None:
        self._folder: Optional[tempfile.TemporaryDirectory] = None
        self.digests: dict[str, str] = {}  # site path -> SHA-256 of the page's copy

    def add(self, path: str, page: str) -> None:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="perfsite-search-pages-")
        copy = search_copy(page).encode("utf-8")
        self.digests[path] = hashlib.sha256(copy).hexdigest()
        written = Path(self._folder.name, path)
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_bytes(copy)

    def index(self, cache: Optional[RenderCache] = None) -> dict[str, bytes]:
        """Pagefind's files for the pages added so far, by site path: from the cache when it
        holds the index of exactly these copies, when Pagefind is not run at all."""
        key = fingerprint("search", _pagefind_version(), NOT_INDEXED, sorted(self.digests.items()))
        cached = cache.get_files(key, "search") if cache is not None else None
        if cached is not None:
            return cached
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="perfsite-search-pages-")
        files = _run_pagefind(Path(self._folder.name))
        if cache is not None:
            cache.put_files(key, files, "search")
        return files

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> "SearchPages":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def search_index(folder: Path, cache: Optional[RenderCache] = None) -> dict[str, bytes]:
    """Pagefind's files for the HTML pages in ``folder``, by site path (their copies indexed).

    Result addresses are site paths from the root (/indicators/ni-192/); the search page
    tells Pagefind's interface the site's base_url, so they work wherever the site is
    served. Pages without ``data-pagefind-body`` (the 404 page) are left out by Pagefind.
    """
    with SearchPages() as pages:
        for page in sorted(folder.rglob("*.html")):
            pages.add(page.relative_to(folder).as_posix(), page.read_text(encoding="utf-8"))
        return pages.index(cache)


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "unknown"


def _run_pagefind(folder: Path) -> dict[str, bytes]:
    """Pagefind's command (the binary shipped in pagefind-bin) over the folder's pages.

    The command, not Pagefind's Python service: the service stalls for ever on a site of
    a few hundred pages (its replies outgrow the pipe), the command indexes thousands.
    Its files go to a temporary folder, never into the site or the working folder.
    """
    with tempfile.TemporaryDirectory(prefix="perfsite-search-") as written:
        completed = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-path", written, "--quiet",
             *(option for selector in NOT_INDEXED for option in ("--exclude-selectors", selector))],
            capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise SearchIndexError(Message.of(
                N_("Pagefind could not index the pages for search: %(reason)s (turn search off with %(setting)s "
                   "in site.yaml to build without it)."),
                reason=(completed.stderr or completed.stdout).strip()[-500:], setting="search: false"))
        root = Path(written)
        return {path_for("search_file", name=path.relative_to(root).as_posix()): path.read_bytes()
                for path in sorted(root.rglob("*")) if path.is_file()}


class SearchIndexError(Exception):
    """Pagefind failed (said in a sentence)."""
