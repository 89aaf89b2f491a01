"""A build that would change nothing is not run: the record of the last build.

A build is a pure function of its inputs: the site's files (data, content, settings,
templates), where git says they come from (the commit, the release tags, how deep the
history is), the date when it comes from the clock, perfsite's own files, the versions of
the libraries and tools it runs, and the options that change what it prints or blocks
(``--strict``, ``--format``). After every successful build the command line writes a
record: a digest of all of those (the *build key*), and the size and modification time
of every file it left in the output folder.

The next build works out the key again (reading the inputs, not importing pandas,
Frictionless or the templates) before it does anything else. When the key is the same
and the output folder still holds exactly the files the record lists, untouched, the
build would write the same bytes again, so it stops there and prints what the last
build printed. Anything else (any changed byte, commit or tag, a new day for a site
dated by the clock, a file in the output folder added, removed or touched, ``--no-cache``,
``--ref``, a deleted record) runs the whole build, and deleting the record changes
nothing but time.

The record is plain JSON in the site's cache folder, read as data only: at worst a forged
one makes a build say "up to date" about an output folder that is exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

from . import __version__
from .cache import perfsite_fingerprint
from .source import SITE_INPUTS, FolderSource, inputs_fingerprint

RECORD_NAME = "last-build.json"
RECORD_FORMAT = 2


@dataclass(frozen=True)
class LastBuild:
    """What the last successful build made, and what it printed."""

    key: str
    destination: str
    files: dict[str, list[int]]  # path in the output folder: [size, modification time in ns]
    report_text: str  # the data-quality report as printed
    report_to_stderr: bool
    # what a build that repeats this one prints, in the site's language, written by this one
    up_to_date_lines: list[str]  # "Nothing has changed since the last build ...", "Built 163 pages ..."
    summary_title: str
    summary: list[list[str]] = field(default_factory=list)  # the summary's rows about the site, not the work
    time_label: str = "time"
    time_text: str = "%(seconds)ss"  # the quick build's own time goes into %(seconds)s

def record_path(cache_root: Path) -> Path:
    return cache_root / RECORD_NAME


def build_key(site_root: Path, destination: Path, strict: bool, output_format: str) -> str:
    """The digest of everything a build's output and messages depend on."""
    digest = hashlib.sha256()
    for part in (f"record {RECORD_FORMAT}", f"perfsite {__version__}", f"python {sys.version}",
                 f"destination {destination}", f"strict {strict}", f"format {output_format}",
                 f"SOURCE_DATE_EPOCH {os.environ.get('SOURCE_DATE_EPOCH', '')}",
                 f"inputs {inputs_fingerprint(FolderSource(site_root))}",
                 f"git {_git_state(site_root)}",
                 f"code {perfsite_fingerprint()}",
                 f"libraries {_libraries()}"):
        digest.update(part.encode() + b"\n")
    return digest.hexdigest()


def up_to_date(cache_root: Path, key: str, destination: Path) -> Optional[LastBuild]:
    """The last build's record when this build would repeat it exactly, else None."""
    try:
        data = json.loads(record_path(cache_root).read_text(encoding="utf-8"))
        last = LastBuild(**data)
    except (OSError, ValueError, TypeError):
        return None
    if last.key != key or last.destination != str(destination):
        return None
    return last if output_files(destination) == last.files else None


def write_record(cache_root: Path, last: LastBuild) -> None:
    """Keep the record; where the cache folder cannot be written, the next build simply runs whole."""
    path = record_path(cache_root)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        cache_root.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(asdict(last), indent=1, sort_keys=True), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)


def forget(cache_root: Path) -> None:
    """No record: the next build runs whole (after a failed or partial build)."""
    try:
        record_path(cache_root).unlink()
    except OSError:
        pass


def output_files(destination: Path) -> dict[str, list[int]]:
    """Every file in the output folder with its size and modification time."""
    found: dict[str, list[int]] = {}
    if not destination.is_dir():
        return found
    root = os.fspath(destination)
    start = len(os.path.join(root, ""))  # scandir's paths are the folder's, a separator, the name
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    stat = entry.stat(follow_symlinks=False)
                    found[entry.path[start:].replace(os.sep, "/")] = [stat.st_size, stat.st_mtime_ns]
    return dict(sorted(found.items()))


def _git_state(site_root: Path) -> str:
    """Where git says the inputs come from: the last commit of the site's inputs and whether
    they are committed (the pages' provenance), HEAD and the tags (the release history),
    and how deep the history is. The clock's date when git gives none (the pages' date)."""
    def git(*arguments: str) -> str:
        return subprocess.run(["git", "-C", str(site_root), *arguments], capture_output=True, text=True,
                              check=True, timeout=30).stdout

    try:
        head = git("rev-parse", "HEAD").strip()
        inputs_commit = git("log", "-1", "--format=%H %cI", "--", *SITE_INPUTS).strip()
        status = git("status", "--porcelain", "--untracked-files=all", "--", *SITE_INPUTS)
        tags = git("for-each-ref", "--format=%(refname) %(objectname) %(*objectname)", "refs/tags")
        shallow_file = Path(site_root, git("rev-parse", "--git-path", "shallow").strip())
        shallow = shallow_file.read_text() if shallow_file.is_file() else ""
    except (OSError, subprocess.SubprocessError):
        return f"no git; dated {date.today().isoformat()}"
    dated = "" if inputs_commit else f"; dated {date.today().isoformat()}"
    return "\n".join((head, inputs_commit, status, tags, shallow)) + dated


def _libraries() -> str:
    """The installed libraries and tools, by version (Frictionless, Jinja, vl-convert, Pagefind...)."""
    from importlib.metadata import distributions

    versions = {(d.metadata["Name"] or "").lower(): d.version for d in distributions()}
    return ";".join(f"{name}=={version}" for name, version in sorted(versions.items()))
