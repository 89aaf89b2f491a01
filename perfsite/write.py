"""Stage 6, write: the new site replaces the output folder whole, or not at all.

Files are streamed into a fresh staging folder beside the destination as they are
rendered, so memory stays flat however big the site is; only when every file is
written is the old output moved aside and the new one renamed into its place. A
build that fails at any point leaves the previous output exactly as it was. To
protect publishers' own files, a folder is replaced only when it is empty or was
made by a previous build (it holds the marker file).

A file whose bytes are the same as in the previous output (its SHA-256 is in that
output's SHA256SUMS) is hard-linked from it instead of written again, so a build
that changes nothing rewrites nothing, and deployment tools see only what changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Optional

from .i18n import N_, Message
from .source import safe_relative, safe_relative_text

MARKER = ".perfsite-output"
MARKER_TEXT = "This folder is written by perfsite build and replaced whole on every build.\n"
CHECKSUMS_FILE = "SHA256SUMS"


class OutputFolderError(Exception):
    """The destination cannot safely be replaced (a usage error, not a data error). Its
    sentence is an i18n.Message: str() of the error is its English."""


def check_destination(out: Path, site_root: Path) -> None:
    out = out.resolve()
    site_root = site_root.resolve()
    if out == site_root or site_root.is_relative_to(out):
        raise OutputFolderError(Message.of(N_("The output folder %(folder)s would replace the site folder itself; "
                                              "choose a folder inside it, like output/, or elsewhere."), folder=out))
    for protected in ("data", "content", "site_templates"):
        if out.is_relative_to(site_root / protected):
            raise OutputFolderError(Message.of(N_("The output folder %(folder)s is inside the site's %(protected)s/ "
                                                  "folder; choose another, like output/."),
                                               folder=out, protected=protected))
    if out.exists():
        if not out.is_dir():
            raise OutputFolderError(Message.of(N_("The output path %(path)s is a file; choose a folder."), path=out))
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise OutputFolderError(Message.of(N_("The output folder %(folder)s already holds files that a build did "
                                                  "not write, so it will not be replaced. Choose an empty or new "
                                                  "folder."), folder=out))


def previous_checksums(out: Path) -> dict[str, str]:
    """The SHA-256 of every file of the output a previous build wrote (its SHA256SUMS), by site path."""
    manifest = out / CHECKSUMS_FILE
    if not (out / MARKER).is_file() or not manifest.is_file():
        return {}
    checksums = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, path = line.partition("  ")
        if path:
            checksums[path] = digest
    return checksums


class Staging:
    """The new site, written file by file into a folder beside the destination.

    ``add`` writes a file at once (nothing is held in memory); ``publish`` swaps the
    folder in place of the destination; ``discard`` removes it. Used as a context
    manager, a build that raises discards what it had written.
    """

    def __init__(self, out: Path, site_root: Path) -> None:
        check_destination(out, site_root)
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.previous = previous_checksums(self.out)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self.checksums: dict[str, str] = {}  # site path -> SHA-256 of what was written
        self.linked = 0  # files taken unchanged from the previous output
        self._links_work = True
        self._folders: set[str] = set()  # made in the staging folder so far
        # the two folders' paths as text: pathlib cost more than the file system's own calls
        self._staging_text, self._out_text = os.fspath(self.folder), os.fspath(self.out)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is not None:
            self.discard()

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.checksums:
            raise ValueError(f"two outputs would be written to {path}")
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = hashlib.sha256(data).hexdigest()
        relative = safe_relative_text(path)
        target = os.path.join(self._staging_text, relative)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        if not self._link_unchanged(path, relative, data, digest, target):
            write_file(target, data)
        self.checksums[path] = digest

    def _link_unchanged(self, path: str, relative: str, data: bytes, digest: str, target: str) -> bool:
        if not self._links_work or self.previous.get(path) != digest:
            return False
        old = os.path.join(self._out_text, relative)
        try:
            # the old file's own bytes, not only its manifest line: a file changed by hand is never reused
            with open(old, "rb") as file:
                if file.read() != data:
                    return False
            os.link(old, target)
        except FileNotFoundError:
            return False
        except OSError:
            self._links_work = False  # a file system without hard links: write every file from now on
            return False
        self.linked += 1
        return True

    def read(self, path: str) -> bytes:
        return (self.folder / safe_relative(path)).read_bytes()

    @property
    def paths(self) -> list[str]:
        return sorted(self.checksums)

    def manifest(self) -> bytes:
        """SHA256SUMS of every file written so far, in sha256sum's format (check with sha256sum -c)."""
        return "".join(f"{self.checksums[path]}  {path}\n" for path in sorted(self.checksums)).encode("utf-8")

    def publish(self) -> None:
        """Write the checksums and the marker, then swap the folder in place of the destination."""
        try:
            self.add(CHECKSUMS_FILE, self.manifest())
            (self.folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            os.chmod(self.folder, 0o755)  # mkdtemp makes it private; a web server must read it
            _swap(self.folder, self.out)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def write_file(path: str, data: bytes) -> None:
    """One new file of the staging folder."""
    with open(path, "wb") as file:
        file.write(data)


def write_site(files: dict[str, bytes], out: Path, site_root: Path) -> None:
    """Write every file to a new folder, then swap it in place of ``out``."""
    with Staging(out, site_root) as staging:
        for path, content in sorted(files.items()):
            staging.add(path, content)
        staging.publish()


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    os.rename(out, retired)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(retired, out)  # put the previous site back
        raise
    shutil.rmtree(retired, ignore_errors=True)
