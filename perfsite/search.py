"""Search built at build time with Pagefind: an index of the pages, made from their HTML.

Pagefind indexes each page's <main> (marked data-pagefind-body in base.html) and
writes a static index and a small search interface under /pagefind/. The search page
is the only page with JavaScript, and says what to do without it. The index is made
from the pages already written to the staging folder, before the swap, so the atomic
swap and the checksums cover it; the same pages give the same bytes, and an index of
the same pages is taken from the cache.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Mapping
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

def search_index(folder: Path, checksums: Mapping[str, str], cache: Optional[RenderCache] = None) -> dict[str, bytes]:
    """Pagefind's files for the HTML pages written so far in ``folder``, by site path.

    ``checksums`` (site path -> SHA-256) says which pages are there; when the cache has
    the index of exactly those pages, Pagefind is not run at all. Result addresses are
    site paths from the root (/indicators/ni-192/); the search page tells Pagefind's
    interface the site's base_url, so they work wherever the site is served. Pages
    without ``data-pagefind-body`` (the 404 page) are left out by Pagefind itself.
    """
    pages = sorted((path, digest) for path, digest in checksums.items() if path.endswith(".html"))
    key = fingerprint("search", _pagefind_version(), NOT_INDEXED, pages)
    cached = cache.get_files(key, "search") if cache is not None else None
    if cached is not None:
        return cached
    files = _run_pagefind(folder)
    if cache is not None:
        cache.put_files(key, files, "search")
    return files


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
