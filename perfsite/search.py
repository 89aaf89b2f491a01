"""Search built at build time with Pagefind: an index of the pages, made from their HTML.

Pagefind indexes each page's <main> (marked data-pagefind-body in base.html) and
writes a static index and a small search interface under /pagefind/. The search page
is the only page with JavaScript, and says what to do without it. The index is made
in memory from the rendered pages, before anything is written, so the atomic swap
and the checksums cover it; the same pages give the same bytes.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .urls import path_for

def search_index(pages: Mapping[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files for ``pages`` (site path of each HTML file -> its bytes), by site path.

    Result addresses are site paths from the root (/indicators/ni-192/); the search page
    tells Pagefind's interface the site's base_url, so they work wherever the site is served.
    """
    from pagefind.index import IndexConfig, PagefindIndex  # the binary ships in pagefind-bin

    async def build(folder: str) -> list[dict]:
        # Pagefind also writes its files when the index closes: into the temporary folder,
        # never into the folder the build was started from.
        async with PagefindIndex(IndexConfig(output_path=str(Path(folder) / "_written"))) as index:
            # a folder at once: Pagefind reads it in one go, far faster than page by page
            await index.add_directory(path=str(Path(folder) / "pages"))
            return await index.get_files()

    with tempfile.TemporaryDirectory(prefix="perfsite-search-") as folder:
        for path, content in pages.items():
            target = Path(folder) / "pages" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        # in a thread of its own: the caller may already run an event loop (a browser test, the preview)
        with ThreadPoolExecutor(max_workers=1) as thread:
            files = thread.submit(asyncio.run, build(folder)).result()
    return {path_for("search_file", name=file["path"]): _bytes(file["content"]) for file in files}


def _bytes(content) -> bytes:
    return content if isinstance(content, bytes) else str(content).encode("utf-8")
