"""Where a site folder's files are read from.

The pipeline reads a site only through a ``SiteSource``, by paths relative to the
site folder, so that the same build can later read a data package as it was at a
git revision (release tags) as easily as from the working folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Optional, Protocol

from .i18n import N_, Message


class UnsafePath(ValueError):
    """A path that would reach outside the site folder."""


def safe_relative(path: str) -> PurePosixPath:
    """A site-relative path, refusing absolute paths, drive letters and ``..``."""
    candidate = PurePosixPath(path.replace("\\", "/"))
    if candidate.is_absolute() or ".." in candidate.parts or ":" in path or not candidate.parts:
        raise UnsafePath(Message.of(N_("“%(path)s” is outside the site folder; give a path inside it, like "
                                       "data/results.csv"), path=path))
    return candidate


def safe_relative_text(path: str) -> str:
    """``safe_relative(path)`` as text (the same paths refused, the same path given), quickly
    for a path already in its plain form: the build writes thousands of files."""
    parts = path.split("/")
    if not (":" in path or "\\" in path or "" in parts or "." in parts or ".." in parts):
        return path
    return safe_relative(path).as_posix()


class SiteSource(Protocol):
    """Read-only access to the files of one site folder."""

    name: str

    def read_bytes(self, path: str) -> bytes: ...

    def exists(self, path: str) -> bool: ...

    def list_files(self, folder: str, suffix: str = "") -> list[str]:
        """Site-relative paths of the files under ``folder``, sorted, recursively."""
        ...

    def local_path(self, path: str) -> Optional[Path]:
        """A path on disk for the file, when there is one (for template overrides)."""
        ...


@dataclass(frozen=True)
class FolderSource:
    """A site folder on disk."""

    root: Path

    @property
    def name(self) -> str:
        return str(self.root)

    def _resolve(self, path: str) -> Path:
        full = (self.root / safe_relative(path)).resolve()
        if not full.is_relative_to(self.root.resolve()):
            raise UnsafePath(Message.of(N_("“%(path)s” leads outside the site folder (through a link)"), path=path))
        return full

    def read_bytes(self, path: str) -> bytes:
        return self._resolve(path).read_bytes()

    def exists(self, path: str) -> bool:
        try:
            return self._resolve(path).is_file()
        except UnsafePath:
            return False

    def list_files(self, folder: str, suffix: str = "") -> list[str]:
        base = self._resolve(folder)
        if not base.is_dir():
            return []
        found = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in filenames:
                if filename.endswith(suffix) and not filename.startswith("."):
                    found.append((Path(dirpath) / filename).relative_to(self.root.resolve()).as_posix())
        return sorted(found)

    def local_path(self, path: str) -> Optional[Path]:
        return self._resolve(path)


class SourceUnavailable(ValueError):
    """A revision that cannot be read: not a git repository, or an unknown ref (said in an
    i18n.Message: str() of the error is its English)."""


class GitSource:
    """A site folder as it was at a git revision, read with git itself.

    One ``git cat-file --batch`` process serves every file of the build (a process per
    file would cost more than the build); the list of files comes from one
    ``git ls-tree``. Paths are site-relative, as for ``FolderSource``.
    """

    def __init__(self, root: Path, ref: str) -> None:
        self.root = root
        self.ref = ref
        try:
            toplevel = Path(_git(root, "rev-parse", "--show-toplevel").strip())
            self.commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
        except subprocess.CalledProcessError as error:
            raise SourceUnavailable(
                Message.of(N_("“%(revision)s” is not a commit, tag or branch of the git repository at %(folder)s"),
                           revision=ref, folder=root)
                if (root / ".git").exists() or _inside_git(root) else
                Message.of(N_("%(folder)s is not in a git repository, so “%(revision)s” cannot be read"),
                           folder=root, revision=ref)) from error
        prefix = root.resolve().relative_to(toplevel.resolve()).as_posix()
        self.prefix = "" if prefix == "." else f"{prefix}/"
        listing = _git(root, "ls-tree", "-r", "-z", "--name-only", "--full-tree", self.commit, "--",
                       self.prefix or ".")
        self._files = sorted(name[len(self.prefix):] for name in listing.split("\0") if name)
        self._present = set(self._files)
        self._batch: Optional[subprocess.Popen] = None

    @property
    def name(self) -> str:
        return f"{self.root} at {self.ref}"

    def _process(self) -> subprocess.Popen:
        if self._batch is None or self._batch.poll() is not None:
            self._batch = subprocess.Popen(["git", "-C", str(self.root), "cat-file", "--batch"],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        return self._batch

    def read_bytes(self, path: str) -> bytes:
        relative = safe_relative(path).as_posix()
        if relative not in self._present:
            raise FileNotFoundError(f"{relative} is not in {self.name}")
        process = self._process()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(f"{self.commit}:{self.prefix}{relative}\n".encode("utf-8"))
        process.stdin.flush()
        header = process.stdout.readline().decode("utf-8").split()
        if len(header) != 3 or header[1] != "blob":
            raise FileNotFoundError(f"{relative} is not a file in {self.name}")
        data = process.stdout.read(int(header[2]))
        process.stdout.read(1)  # the newline after each object
        return data

    def exists(self, path: str) -> bool:
        try:
            return safe_relative(path).as_posix() in self._present
        except UnsafePath:
            return False

    def list_files(self, folder: str, suffix: str = "") -> list[str]:
        base = safe_relative(folder).as_posix().rstrip("/") + "/"
        return [name for name in self._files if name.startswith(base) and name.endswith(suffix)
                and not any(part.startswith(".") for part in PurePosixPath(name).parts)]

    def local_path(self, path: str) -> Optional[Path]:
        return None  # the revision's files exist only in git

    def close(self) -> None:
        if self._batch is not None and self._batch.poll() is None:
            assert self._batch.stdin is not None
            self._batch.stdin.close()
            self._batch.wait(timeout=30)

    def __del__(self) -> None:  # pragma: no cover - a safety net; builds call close()
        try:
            self.close()
        except Exception:
            pass


def _git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def _inside_git(root: Path) -> bool:
    try:
        return _git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except (OSError, subprocess.CalledProcessError):
        return False


@dataclass(frozen=True)
class BuildInfo:
    """Where the published figures come from: the audit trail on every page."""

    commit: Optional[str]  # full hash of the commit built, when the site is in git
    commit_date: Optional[dt.datetime]
    uncommitted_changes: bool
    build_date: dt.date  # from the commit (or SOURCE_DATE_EPOCH), never the clock when in git
    date_from: str = "commit"  # "commit", "SOURCE_DATE_EPOCH", or "clock" (no committed inputs to date it by)

    @property
    def short_commit(self) -> Optional[str]:
        return self.commit[:10] if self.commit else None

    @property
    def date_notice(self) -> Optional[str]:
        """What a reader must know when the date is the build's, not the data's; None otherwise."""
        if self.date_from != "clock":
            return None
        return Message.of(N_("The site's files are not committed to git, so the date of the data is not known: the "
                             "date on the pages (%(date)s) is the date of this build. Commit the site to git to date "
                             "it by its commit."), date=self.build_date.isoformat())


# What a site's published figures and pages are made from. Provenance looks at these
# only: perfsite's own cache and the build output in the site folder are not inputs,
# so building never makes the site look changed.
SITE_INPUTS = ("data", "content", "site.yaml", "site_templates")


def inputs_fingerprint(source: "SiteSource") -> str:
    """The SHA-256 of every input file of the site (names and bytes), as the source has them."""
    digest = hashlib.sha256()
    for name in SITE_INPUTS:
        paths = [name] if source.exists(name) else source.list_files(name)
        for path in paths:
            content = source.read_bytes(path)
            digest.update(f"{path}\0{len(content)}\0".encode())
            digest.update(content)
    return digest.hexdigest()


def build_info(root: Path, ref: Optional[str] = None) -> BuildInfo:
    """Commit, commit date and build date of the site's inputs, from git.

    With ``ref``, of the inputs as they were at that revision (never "uncommitted").
    ``SOURCE_DATE_EPOCH`` (reproducible-builds.org) wins over the commit date; the
    clock is used only when neither exists, and then ``date_from`` says so, so that the
    build can tell its reader (``date_notice``). File modification times are not used:
    a copy or a fresh clone gives every file the time it was made, so they would date
    the copy, not the data.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    commit = commit_date = None
    dirty = False
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%H %cI", *([ref] if ref else []), "--", *SITE_INPUTS],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.split()
        if len(head) == 2 and ref:
            commit, commit_date = head[0], dt.datetime.fromisoformat(head[1])
        elif len(head) == 2:
            commit, commit_date = head[0], dt.datetime.fromisoformat(head[1])
            status = subprocess.run(
                ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all", "--", *SITE_INPUTS],
                capture_output=True, text=True, check=True, timeout=30,
            ).stdout
            dirty = bool(status.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        commit = commit_date = None
    if epoch and epoch.strip().isdigit():
        date, source = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date(), "SOURCE_DATE_EPOCH"
    elif commit_date is not None:
        date, source = commit_date.date(), "commit"
    else:
        date, source = dt.date.today(), "clock"
    return BuildInfo(commit, commit_date, dirty, date, source)
