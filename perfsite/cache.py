"""A content-addressed cache of rendered pages, beside the chart cache.

A page's key is the SHA-256 of everything it can show: its template set (perfsite's
version, the built-in templates and the site's overrides), perfsite's own files, the
libraries that write its bytes, the site's settings, and the page's own context (the
domain objects handed to the template, pickled). Templates see nothing but that
context, so a page whose key is unchanged would render to the
same bytes, and is taken from the cache instead. The footer's provenance line is
put in after, so a cached page stays valid from one commit to the next. Beside each page
is its copy for search (``copies``, perfsite/search.py), so that a page taken from the
cache is not read through again for it.

Deleting the cache changes nothing but time; a build without it (``--no-cache``)
writes the same bytes (tested).
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import os
import pickle
import tempfile
import zipfile
from fractions import Fraction
from pathlib import Path
from collections.abc import Sequence
from typing import Any, Optional

CACHE_FOLDER = ".cache/perfsite"  # in the site folder: pages, charts, search index, the last build's record
PICKLE_PROTOCOL = 5
USES_SUFFIX = ".uses"  # beside a cached page: the cached charts it shows
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
PRUNED_STAMP = "pruned"  # in the cache folder: its date is when prune last looked through the cache
PRUNE_EVERY_DAYS = 1
DAY_S = 24 * 60 * 60


def perfsite_folders() -> list[Path]:
    """The folders of perfsite's own files: the package (code, templates, defaults, messages,
    fonts) and the contract's schemas, a package of their own (perfsite.schemas, kept in the
    repository's schemas/ folder)."""
    import importlib.util

    schemas = importlib.util.find_spec("perfsite.schemas")
    return [Path(__file__).parent, *(Path(p) for p in ((schemas.submodule_search_locations or []) if schemas else []))]


def files_fingerprint(folders: Sequence[Path]) -> str:
    """The SHA-256 of every file in ``folders`` (its path within its folder and its bytes)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def installed_version(distribution: str) -> str:
    """An installed library's version, for keys ("unknown" when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


@functools.cache
def perfsite_fingerprint() -> str:
    """Every file of this perfsite (read once a process): what made a cached page, and a build."""
    return files_fingerprint(perfsite_folders())


def fingerprint(*parts: Any) -> str:
    """The SHA-256 of ``parts``, pickled: equal objects built the same way give equal keys."""
    return hashlib.sha256(pickle.dumps(parts, PICKLE_PROTOCOL)).hexdigest()


class Fingerprints:
    """Fingerprints of page contexts, where objects that many pages share (an indicator's
    record, a report) are digested once a build and stand in the others by their digest:
    a report's key does not pickle every record it lists again.

    Inside the objects of ``outlined_in`` (reports), an object of a type in ``outlines``
    (an indicator's record) stands as its outline: what such pages show of it (the
    indicator and its theme, not its whole series), so that correcting one figure does
    not change the key of every report that lists the indicator. A test keeps the
    templates to that (tests/test_cache_and_workers.py).
    """

    def __init__(self, shared: tuple[type, ...] = (), outlines: Optional[dict[type, Any]] = None,
                 outlined_in: tuple[type, ...] = ()) -> None:
        self.shared = shared
        self.outlines = outlines or {}
        self.outlined_in = outlined_in
        # (id, outlined) -> (the object, kept alive so that its id is not reused; its digest)
        self._digests: dict[tuple[int, bool], tuple[Any, str]] = {}
        self._types: Optional[tuple[tuple[type, ...], list[type]]] = None

    def of(self, *parts: Any) -> str:
        return self._digest(parts, False)

    def shared_types(self) -> list[type]:
        """The shared types and their subclasses that exist (the dispatch table of
        ``_SharingPickler`` is looked up by exact type)."""
        if self._types is None or self._types[0] != self.shared:
            found: list[type] = []
            waiting = list(self.shared)
            while waiting:
                kind = waiting.pop()
                if kind not in found:
                    found.append(kind)
                    waiting.extend(kind.__subclasses__())
            self._types = (self.shared, found)
        return self._types[1]

    def _digest(self, root: Any, outlined: bool) -> str:
        buffer = io.BytesIO()
        _SharingPickler(buffer, self, root, outlined).dump(root)
        return hashlib.sha256(buffer.getvalue()).hexdigest()

    def shared_digest(self, value: Any, outlined: bool) -> str:
        outline = self.outlines.get(type(value)) if outlined else None
        memo = (id(value), outline is not None)
        known = self._digests.get(memo)
        if known is None or known[0] is not value:
            inside = outlined or isinstance(value, self.outlined_in)
            known = (value, self._digest(outline(value) if outline else value, inside))
            self._digests[memo] = known
        return known[1]


class _SharingPickler(pickle.Pickler):
    """Pickles a context with its shared objects standing as their digests. The shared
    types are looked up in a dispatch table, by exact type, in C: a context holds hundreds
    of thousands of other objects (periods, figures, statuses), and a Python hook called
    for each of them (``reducer_override``) was most of the time a key took."""

    def __init__(self, file, fingerprints: Fingerprints, root: Any, outlined: bool) -> None:
        super().__init__(file, PICKLE_PROTOCOL)
        table = dict(copyreg.dispatch_table)
        table[Fraction] = _fraction_parts  # its own __reduce__ formats it as a string: slow

        def standing_for(value: Any) -> Any:
            if value is root:  # the object being digested is pickled whole
                return value.__reduce_ex__(PICKLE_PROTOCOL)
            return _shared, (type(value).__name__, fingerprints.shared_digest(value, outlined))

        def outline_for(value: Any) -> Any:
            if value is root:
                return value.__reduce_ex__(PICKLE_PROTOCOL)
            return _shared, ("outline of " + type(value).__name__, fingerprints.shared_digest(value, True))

        for kind in fingerprints.shared_types():
            table[kind] = standing_for
        if outlined:
            for kind in fingerprints.outlines:
                table[kind] = outline_for
        self.dispatch_table = table


def _fraction_parts(value: Fraction) -> tuple:
    return Fraction, (value.numerator, value.denominator)


def _shared(kind: str, digest: str) -> tuple[str, str]:
    """What a shared object stands as in a key (keys are never unpickled)."""
    return kind, digest


class RenderCache:
    """Rendered files by key, under ``folder`` (or nowhere: ``folder`` None)."""

    def __init__(self, folder: Optional[Path], shared: tuple[type, ...] = ()) -> None:
        self.folder = folder
        # its path as text: a build reads thousands of cached files, and each through
        # pathlib cost more than the file system's own calls (docs/benchmarks.md)
        self._root = None if folder is None else os.fspath(folder)
        self._salt = ""
        self.fingerprints = Fingerprints(shared)
        self._folders: set[Path] = set()  # made by put so far

    def salt(self, *parts: str) -> None:
        """What every key of this build covers (the template set, the settings)."""
        self._salt = hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def key(self, *parts: Any) -> str:
        return self.fingerprints.of(self._salt, *parts)

    def _path(self, kind: str, key: str) -> Optional[Path]:
        return None if self.folder is None else self.folder / kind / key[:2] / key

    def get(self, key: str, kind: str = "pages") -> Optional[bytes]:
        if self._root is None:
            return None
        path = os.path.join(self._root, kind, key[:2], key)
        try:
            with open(path, "rb") as file:
                content = file.read()
        except FileNotFoundError:
            return None
        mark_used(path)
        # what the page was made from and may be needed again (its charts, for when a
        # template changes), in use as long as the page is: see prune
        uses = path + USES_SUFFIX
        try:
            with open(uses, encoding="utf-8") as file:
                used = file.read().split()
        except (FileNotFoundError, IsADirectoryError):
            return content
        mark_used(uses)
        for name in used:
            mark_used(os.path.join(self._root, name))
        return content

    def put(self, key: str, content: bytes, kind: str = "pages", uses: Sequence[Path] = ()) -> None:
        """Keep ``content``; ``uses``: cached files it was made from, kept as long as it is."""
        path = self._path(kind, key)
        if path is None:
            return
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        self._write(path, content)
        if uses:
            listing = "\n".join(sorted(p.relative_to(self.folder).as_posix() for p in uses)) + "\n"
            self._write(path.with_name(path.name + USES_SUFFIX), listing.encode("utf-8"))

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        # written aside and renamed: a build stopped half-way never leaves half a page
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)

    def get_files(self, key: str, kind: str) -> Optional[dict[str, bytes]]:
        """A set of files stored under one key (a zip: data, never code, whatever the cache holds)."""
        content = self.get(key, kind)
        if content is None:
            return None
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    def put_files(self, key: str, files: dict[str, bytes], kind: str) -> None:
        if self.folder is None:
            return
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for name in sorted(files):
                archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), files[name])
        self.put(key, buffer.getvalue(), kind)


def mark_used(path: Path | str) -> None:
    """A cached file used by this build is dated today: ``prune`` keeps it."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune(folder: Path, keep_days: int, now: Optional[float] = None) -> int:
    """Remove the cached files (pages, charts, API documents, search indexes) that no build
    has used for ``keep_days`` days; returns how many. The last build's record stays.

    The cache is looked through at most once every PRUNE_EVERY_DAYS (its PRUNED_STAMP file
    says when it last was): keep_days counts whole days, and a cache that holds a few
    generations of a council's pages (one for each change of templates or settings within
    keep_days) took about a second a build to look through."""
    import time

    now = time.time() if now is None else now
    removed = 0
    if not folder.is_dir():
        return removed
    stamp = folder / PRUNED_STAMP
    try:
        if now - stamp.stat().st_mtime < PRUNE_EVERY_DAYS * DAY_S:
            return removed
    except OSError:  # never pruned
        pass
    oldest = now - keep_days * DAY_S
    for kind in sorted(p for p in folder.iterdir() if p.is_dir()):
        for path in kind.rglob("*"):
            try:
                if path.is_file() and path.stat().st_mtime < oldest:
                    path.unlink()
                    removed += 1
            except OSError:
                pass
    stamp.write_text("The cache was last looked through for files no build has used at this file's date.\n",
                     encoding="utf-8")
    os.utime(stamp, (now, now))
    return removed
