"""Where a site folder's files are read from.

The pipeline reads a site only through a ``SiteSource``, by paths relative to the
site folder, so that the same build can later read a data package as it was at a
git revision (release tags) as easily as from the working folder.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Optional, Protocol


class UnsafePath(ValueError):
    """A path that would reach outside the site folder."""


def safe_relative(path: str) -> PurePosixPath:
    """A site-relative path, refusing absolute paths, drive letters and ``..``."""
    candidate = PurePosixPath(path.replace("\\", "/"))
    if candidate.is_absolute() or ".." in candidate.parts or ":" in path or not candidate.parts:
        raise UnsafePath(f"“{path}” is outside the site folder; give a path inside it, like data/results.csv")
    return candidate


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
            raise UnsafePath(f"“{path}” leads outside the site folder (through a link)")
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


@dataclass(frozen=True)
class BuildInfo:
    """Where the published figures come from: the audit trail on every page."""

    commit: Optional[str]  # full hash of the commit built, when the site is in git
    commit_date: Optional[dt.datetime]
    uncommitted_changes: bool
    build_date: dt.date  # from the commit (or SOURCE_DATE_EPOCH), never the clock when in git

    @property
    def short_commit(self) -> Optional[str]:
        return self.commit[:10] if self.commit else None


# What a site's published figures and pages are made from. Provenance looks at these
# only: perfsite's own cache and the build output in the site folder are not inputs,
# so building never makes the site look changed.
SITE_INPUTS = ("data", "content", "site.yaml", "site_templates")


def build_info(root: Path) -> BuildInfo:
    """Commit, commit date and build date of the site's inputs, from git.

    ``SOURCE_DATE_EPOCH`` (reproducible-builds.org) wins over the commit date; the
    clock is used only when neither exists.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    commit = commit_date = None
    dirty = False
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%H %cI", "--", *SITE_INPUTS],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.split()
        if len(head) == 2:
            commit, commit_date = head[0], dt.datetime.fromisoformat(head[1])
            status = subprocess.run(
                ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all", "--", *SITE_INPUTS],
                capture_output=True, text=True, check=True, timeout=30,
            ).stdout
            dirty = bool(status.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        commit = commit_date = None
    if epoch and epoch.strip().isdigit():
        date = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    elif commit_date is not None:
        date = commit_date.date()
    else:
        date = dt.date.today()
    return BuildInfo(commit, commit_date, dirty, date)
