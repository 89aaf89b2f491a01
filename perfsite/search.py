"""Search built at build time with Pagefind: an index of the pages, made from their HTML.

Pagefind indexes each page's <main> (marked data-pagefind-body in base.html) and
writes a static index and a small search interface under /pagefind/. The search page
is the only page with JavaScript, and says what to do without it. The index is made
from the pages already written to the staging folder, before the swap, so the atomic
swap and the checksums cover it; the same pages give the same bytes, and an index of
the same pages is taken from the cache.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

from .cache import RenderCache, fingerprint
from .urls import path_for

def search_index(folder: Path, checksums: Mapping[str, str], cache: Optional[RenderCache] = None) -> dict[str, bytes]:
    """Pagefind's files for the HTML pages written so far in ``folder``, by site path.

    ``checksums`` (site path -> SHA-256) says which pages are there; when the cache has
    the index of exactly those pages, Pagefind is not run at all. Result addresses are
    site paths from the root (/indicators/ni-192/); the search page tells Pagefind's
    interface the site's base_url, so they work wherever the site is served. Pages
    without ``data-pagefind-body`` (the 404 page) are left out by Pagefind itself.
    """
    pages = sorted((path, digest) for path, digest in checksums.items() if path.endswith(".html"))
    key = fingerprint("search", _pagefind_version(), pages)
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
    from pagefind.index import IndexConfig, PagefindIndex  # the binary ships in pagefind-bin

    async def build(written: str) -> list[dict]:
        # Pagefind also writes its files when the index closes: into a temporary folder,
        # never into the site or the folder the build was started from.
        async with PagefindIndex(IndexConfig(output_path=written)) as index:
            # a folder at once: Pagefind reads it in one go, far faster than page by page
            await index.add_directory(path=str(folder))
            return await index.get_files()

    with tempfile.TemporaryDirectory(prefix="perfsite-search-") as written:
        # in a thread of its own: the caller may already run an event loop (a browser test, the preview)
        with ThreadPoolExecutor(max_workers=1) as thread:
            files = thread.submit(asyncio.run, build(str(Path(written) / "_written"))).result()
    return {path_for("search_file", name=file["path"]): _bytes(file["content"]) for file in files}


def _bytes(content) -> bytes:
    return content if isinstance(content, bytes) else str(content).encode("utf-8")
