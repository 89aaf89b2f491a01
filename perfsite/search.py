"""Search built at build time with Pagefind: an index of the pages, made from their HTML.

Pagefind indexes each page's <main> (marked data-pagefind-body in base.html) and
writes a static index and a small search interface under /pagefind/. The search page
is the only page with JavaScript, and says what to do without it. Each page is handed
to Pagefind's service as it is written, in a fixed order (the indicator pages, written
whenever their charts are drawn, before the others: ``SearchPages.add``), so the index is
the same on every machine and however quick its workers (a folder handed to Pagefind's
command is read in the order the file system lists it), and is made while the build goes on. What Pagefind is handed is a copy
of the page without its tables and charts, which it would not index anyway
(``search_copy``): a tenth of the HTML, and an index taken from the cache when the
copies are unchanged, so that a corrected figure does not re-index the site. The index
is written before the swap, so the atomic swap and the checksums cover it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Optional

from .cache import RenderCache, fingerprint, installed_version
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
    # where each kind of element next opens: looked for again only once passed, so a page
    # of a thousand tables is read once, not once a table
    upcoming = {name: _opening(page, name, opened, closed) for name in NOT_INDEXED}
    while True:
        found = [(at, name) for name, at in upcoming.items() if at >= 0]
        if not found:
            break
        at, name = min(found)
        tag_end = page.find(">", at) + 1
        end = page.find(f"</{name}>", tag_end)
        if tag_end <= 0 or end < 0 or end > closed or _opening(page, name, tag_end, end) >= 0:
            return page  # not one element of perfsite's kind: Pagefind reads the page whole
        parts += (page[position:tag_end], f"</{name}>")
        position = end + len(name) + 3
        for other, next_at in upcoming.items():
            if 0 <= next_at < position:
                upcoming[other] = _opening(page, other, position, closed)
    parts += (page[position:closed], "</main></body></html>")
    return "".join(parts)


def cuts_copies(text: str) -> bool:
    """Whether ``text`` holds markup that search_copy finds a page's parts by: put into a page
    outside its copy, other text leaves the copy as it was."""
    markers = ("data-pagefind", "<main", "</main>", "<body", *(f"<{name}" for name in NOT_INDEXED),
               *(f"</{name}>" for name in NOT_INDEXED))
    return any(marker in text for marker in markers)


def _opening(page: str, name: str, start: int, end: int) -> int:
    """Where the next ``<name`` tag opens between ``start`` and ``end`` (-1 when none)."""
    while (at := page.find("<" + name, start, end)) >= 0:
        if page[at + len(name) + 1: at + len(name) + 2] in (" ", ">", "\n", "\t", "/"):
            return at
        start = at + 1
    return -1


class SearchPages:
    """The pages' copies (``search_copy``) handed to Pagefind as each page is written, with
    their digests in that order: the index's key. Pagefind indexes them in its own process
    while the build goes on, and the index is written at the end, unless the cache has the
    index of exactly these copies in this order (then Pagefind is stopped, its work unused).

    Pagefind is given the pages one by one, in a fixed order, never a folder to walk:
    the order a folder lists its files in differs from one file system to another, and
    Pagefind's index follows it, so a folder would give another machine other bytes. A
    figure in a table or a chart changes a page but not its copy, so correcting it does not
    change the index."""

    def __init__(self) -> None:
        self._service: Optional[_PagefindService] = None
        self.digests: list[tuple[str, str]] = []  # (site path, SHA-256 of its copy), as handed to Pagefind
        self._held: Optional[list[tuple[str, str]]] = []  # copies held back, until release_held()
        self._pending: Optional[PendingIndex] = None  # the index asked for, once it is

    def add(self, path: str, page: Optional[str], held: bool = False, copy: Optional[str] = None) -> None:
        """Hand a page's copy to Pagefind (``copy``, when made already: ``search_copy(page)``);
        a ``held`` one goes after every page not held that is added before ``release_held()``.
        The build writes its indicator pages whenever their charts are drawn, between its
        other pages, so the moment a page is written depends on how quick the workers are;
        the order Pagefind is given the pages (and so the index's bytes) must not: the build
        holds its other pages until the indicator pages are in."""
        copy = search_copy(page) if copy is None else copy
        if held and self._held is not None:
            self._held.append((path, copy))
        else:
            self._hand_over(path, copy)

    def release_held(self) -> None:
        """Hand over the held copies, in the order they were added; pages added from now on,
        held or not, go straight to Pagefind."""
        held, self._held = self._held or [], None
        for path, copy in held:
            self._hand_over(path, copy)

    def _hand_over(self, path: str, copy: str) -> None:
        self.digests.append((path, hashlib.sha256(copy.encode("utf-8")).hexdigest()))
        self._started().add(path, copy)

    def index(self, cache: Optional[RenderCache] = None) -> dict[str, bytes]:
        """Pagefind's files for the pages added so far (the held ones last, when not released
        before), by site path (the cache's, when it holds the index of exactly these copies)."""
        return self.start_index(cache).files()

    def start_index(self, cache: Optional[RenderCache] = None) -> "PendingIndex":
        """Ask for the index of the pages added so far, and go on: Pagefind makes it in its
        own process (a second or two for a council's site) while the build writes the files
        that are not searched; ``files()`` of the answer waits for it. Pages added after this
        are not in the index."""
        self.release_held()
        key = fingerprint("search", installed_version("pagefind_bin"), NOT_INDEXED, self.digests)
        cached = cache.get_files(key, "search") if cache is not None else None
        if cached is not None:
            self.close()
            return PendingIndex(cached)
        service, self._service = self._started(), None  # the pending index holds it from here
        service.ask_for_files()
        self._pending = PendingIndex(None, service, cache, key)
        return self._pending

    def _started(self) -> "_PagefindService":
        if self._service is None:
            self._service = _PagefindService()
        return self._service

    def close(self) -> None:
        """Stop Pagefind, unless its index has been handed over (a build that failed)."""
        if self._service is not None:
            self._service.stop()
            self._service = None
        if self._pending is not None:
            self._pending.close()
            self._pending = None

    def __enter__(self) -> "SearchPages":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def search_index(folder: Path, cache: Optional[RenderCache] = None) -> dict[str, bytes]:
    """Pagefind's files for the HTML pages in ``folder``, by site path, the pages handed to
    it in the order of their paths.

    Result addresses are site paths from the root (/indicators/ni-192/); the search page
    tells Pagefind's interface the site's base_url, so they work wherever the site is
    served. Pages without ``data-pagefind-body`` (the 404 page) are left out by Pagefind.
    """
    with SearchPages() as pages:
        for page in sorted(folder.rglob("*.html")):
            pages.add(page.relative_to(folder).as_posix(), page.read_text(encoding="utf-8"))
        return pages.index(cache)


class PendingIndex:
    """The search index being made (or found in the cache): ``files()`` waits for it."""

    def __init__(self, found: Optional[dict[str, bytes]], service: Optional["_PagefindService"] = None,
                 cache: Optional[RenderCache] = None, key: str = "") -> None:
        self._found = found
        self._service = service
        self._cache = cache
        self._key = key

    def files(self) -> dict[str, bytes]:
        """Pagefind's files, by site path."""
        if self._found is None:
            service, self._service = self._service, None
            self._found = service.index_files()
            if self._cache is not None:
                self._cache.put_files(self._key, self._found, "search")
        return self._found

    def close(self) -> None:
        """Stop Pagefind if its answer is not wanted any more (a build that failed)."""
        if self._service is not None:
            self._service.stop()
            self._service = None


# Pages on their way to Pagefind at most: the build waits when Pagefind is this far behind,
# so that memory holds a few pages' copies, however big the site.
PAGES_QUEUED = 64
PAGEFIND_SERVICE = (sys.executable, "-m", "pagefind", "--service")  # the binary of pagefind-bin


class _PagefindService:
    """Pagefind's service (``pagefind --service``: base64 JSON messages, each followed by a
    comma, on its standard input and output), which its Python and Node wrappers speak.
    It handles the messages one at a time, in the order they come, so the pages are indexed
    in the order they were added. One thread writes the messages, another reads the replies
    (a pipe left unread would stop Pagefind, and the build with it)."""

    def __init__(self) -> None:
        self._errors = tempfile.TemporaryFile()
        self._process = subprocess.Popen(PAGEFIND_SERVICE, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._errors)
        self._outbox: queue.Queue[Optional[bytes]] = queue.Queue(PAGES_QUEUED)
        self._problems: list[str] = []
        self._answered = threading.Event()
        self._message_id = 0
        self._last_id = -1  # the GetFiles message's, once sent
        self._files: list[dict] = []  # its reply's: each file's path and content (base64)
        self._writer = threading.Thread(target=self._write_messages, daemon=True)
        self._reader = threading.Thread(target=self._read_replies, daemon=True)
        self._writer.start()
        self._reader.start()
        self._send({"type": "NewIndex", "config": {"exclude_selectors": list(NOT_INDEXED)}})

    def add(self, path: str, copy: str) -> None:
        # the first index of a service is number 0; the address is made from the path, as
        # Pagefind's command makes it from a file's place in the site's folder
        self._send({"type": "AddFile", "index_id": 0, "file_path": path, "url": None, "file_contents": copy})

    def ask_for_files(self) -> None:
        """Ask for the index's files, in a reply (GetFiles), not written to a folder
        (WriteFiles): the service may still be writing a folder's files when it says it has,
        and it stops when its input ends, leaving a file empty (seen in CI)."""
        self._send({"type": "GetFiles", "index_id": 0}, last=True)

    def index_files(self) -> dict[str, bytes]:
        """The index's files, by site path, once Pagefind has answered ``ask_for_files``
        (asked here if it was not before)."""
        if self._last_id < 0:
            self.ask_for_files()
        while not self._answered.wait(0.5):
            if self._process.poll() is not None or not self._reader.is_alive():
                self._reader.join(5)
                break
        if not self._answered.is_set() or self._problems:
            self._fail()
        self._post(None)  # the standard input ends, and with it the service
        self._process.wait()
        self._errors.close()
        return {path_for("search_file", name=file["path"]): base64.b64decode(file["content"])
                for file in sorted(self._files, key=lambda file: file["path"])}

    def stop(self) -> None:
        self._end()
        self._errors.close()

    def _end(self) -> None:
        """Pagefind stopped, and the writing thread let go (it may be waiting for a message)."""
        self._process.kill()
        self._process.wait()
        try:
            self._outbox.put_nowait(None)
        except queue.Full:  # the thread is writing: the closed pipe ends it
            pass

    def _send(self, payload: dict, last: bool = False) -> None:
        self._message_id += 1
        if last:
            self._last_id = self._message_id  # before it is sent: the reply may come at once
        message = json.dumps({"message_id": self._message_id, "payload": payload}).encode("utf-8")
        self._post(base64.b64encode(message) + b",")

    def _post(self, message: Optional[bytes]) -> None:
        while True:
            try:
                self._outbox.put(message, timeout=0.5)
                return
            except queue.Full:  # Pagefind is behind, or has stopped
                if self._process.poll() is not None:
                    self._fail()

    def _write_messages(self) -> None:
        stream = self._process.stdin
        try:
            while (message := self._outbox.get()) is not None:
                stream.write(message)
                if self._outbox.empty():
                    stream.flush()  # nothing more to send for now: Pagefind has all of it
            stream.close()
        except OSError:  # Pagefind stopped: its reason is on its error stream
            pass

    def _read_replies(self) -> None:
        stream = self._process.stdout
        reply = bytearray()
        searched = 0  # how much of the reply so far has no comma: the index's reply is megabytes
        try:
            while chunk := stream.read1(65536):
                reply += chunk
                while (comma := reply.find(b",", searched)) >= 0:
                    self._heard(json.loads(base64.b64decode(bytes(reply[:comma]))))
                    del reply[:comma + 1]
                    searched = 0
                searched = len(reply)
        except ValueError:  # not a reply of this protocol: the build stops, quoting it
            self._problems.append(bytes(reply[:200]).decode("utf-8", "replace").strip(","))

    def _heard(self, reply: dict) -> None:
        payload = reply.get("payload") or {}
        if payload.get("type") == "Error":
            self._problems.append(str(payload.get("message", "")))
        if reply.get("message_id") == self._last_id:
            self._files = payload.get("files") or []
            self._answered.set()

    def _fail(self) -> None:
        self._end()
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip()
        raise SearchIndexError(Message.of(
            N_("Pagefind could not index the pages for search: %(reason)s (turn search off with %(setting)s "
               "in site.yaml to build without it)."),
            reason="; ".join([*self._problems, said])[-500:] or f"exit status {self._process.returncode}",
            setting="search: false"))


class SearchIndexError(Exception):
    """Pagefind failed (said in a sentence)."""
