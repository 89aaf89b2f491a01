"""The release history of a site's data package, read from git.

A release is a git tag ``release/<period-slug>`` (``release/2010-11-q2``) on the
commit that published that period's report. The figures each release published are
read from the tag with ``GitSource``; a figure whose value later changed is a
revision, with the value first published, the new value, when and why. Everything
comes from git, never from the clock: outside a git repository, or in a clone
without the tags (a shallow CI checkout), there is no history and the build says so
once (``History.notice``), instead of showing wrong dates.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

from .i18n import N_, Message
from .periods import Period, PeriodError
from .source import GitSource, SourceUnavailable
from .tables import parse_table

RELEASE_TAG_PREFIX = "release/"
DATA_FOLDER = "data"
RESULTS_FILE = f"{DATA_FOLDER}/results.csv"


@dataclass(frozen=True)
class Release:
    """One published release: a tag on the commit that published a period."""

    tag: str
    period: Period
    commit: str
    date: dt.date  # the tagged commit's date
    message: str  # the tag's message, else the commit's subject
    data_files: tuple[tuple[str, bytes], ...] = field(default=(), compare=False, repr=False)  # data/ as published

    @property
    def slug(self) -> str:
        return self.period.slug

    @property
    def short_commit(self) -> str:
        return self.commit[:10]


@dataclass(frozen=True)
class Revision:
    """A published figure that changed: old value -> new value, in which release, when and why."""

    indicator_id: str
    period: Period
    old: Optional[str]  # as written in the data file; None when the old row had no value
    new: Optional[str]
    published_in: Release  # the release that published the old value
    revised_in: Optional[Release]  # the release that first published the new value; None if not yet released
    commit: Optional[str]  # the commit that made the change (None: not yet committed)
    date: Optional[dt.date]
    reason: str  # the note on the revised row, else the commit message

    @property
    def short_commit(self) -> Optional[str]:
        return self.commit[:10] if self.commit else None


@dataclass(frozen=True)
class History:
    releases: tuple[Release, ...] = ()
    revisions: tuple[Revision, ...] = ()
    # (indicator id, period label) -> (value first published, release)
    first_published: dict[tuple[str, str], tuple[Optional[str], Release]] = field(default_factory=dict)
    notice: Optional[str] = None  # what the build cannot show, and why, in a sentence (an i18n.Message)

    def revisions_of(self, indicator_id: str, period: Period) -> tuple[Revision, ...]:
        return tuple(r for r in self.revisions if r.indicator_id == indicator_id and r.period == period)

    def release(self, slug: str) -> Optional[Release]:
        return next((r for r in self.releases if r.slug == slug), None)


def read_history(root: Path, ref: Optional[str] = None) -> History:
    """Releases up to ``ref`` (or HEAD) and every revision of a released figure since."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except (OSError, subprocess.CalledProcessError):
        inside = False
    if not inside:
        return History(notice=Message.of(N_("The site folder is not in a git repository, so no release history, "
                                            "revisions or release downloads can be shown.")))
    head = ref or "HEAD"
    shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    tags = [line.split("\t") for line in _git(
        root, "for-each-ref", "--merged", head, "--sort=creatordate", "--format=%(refname:short)\t%(objectname)",
        f"refs/tags/{RELEASE_TAG_PREFIX}").splitlines() if line]
    releases = []
    for name, _ in tags:
        release = _release(root, name)
        if release is not None:
            releases.append(release)
    releases.sort(key=lambda r: (r.period.sort_key, r.date, r.tag))
    if not releases:
        if shallow:
            return History(notice=Message.of(N_(
                "No release history can be shown: this is a shallow clone without the release tags: fetch the "
                "full history (for example actions/checkout with fetch-depth: 0) to show them.")))
        return History(notice=Message.of(N_(
            "No release history can be shown: the repository has no release tags yet (tag the commit that "
            "publishes a period “%(prefix)s<period>”, for example %(prefix)s2010-11-q2)."),
            prefix=RELEASE_TAG_PREFIX))
    releases = [replace(release, data_files=_data_files_at(root, release.commit)) for release in releases]
    snapshots = [(release, _results_at(root, release.commit)) for release in releases]
    current = _results_at(root, ref) if ref else _results_in_folder(root)
    revisions: list[Revision] = []
    first: dict[tuple[str, str], tuple[Optional[str], Release]] = {}
    latest: dict[tuple[str, str], tuple[Optional[str], Release]] = {}
    steps = [(release, rows, release.commit) for release, rows in snapshots]
    steps.append((None, current, _head_commit(root, ref)))
    previous_commit = None
    for release, rows, commit in steps:
        for key, (value, note) in rows.items():
            if key in latest and not _same(latest[key][0], value):
                old_value, published_in = latest[key]
                revisions.append(Revision(
                    indicator_id=key[0], period=Period.parse(key[1]), old=old_value, new=value,
                    published_in=published_in, revised_in=release,
                    commit=_changing_commit(root, previous_commit, commit),
                    date=_commit_date(root, _changing_commit(root, previous_commit, commit)),
                    reason=note or _commit_subject(root, _changing_commit(root, previous_commit, commit)),
                ))
            if release is not None:
                first.setdefault(key, (value, release))
                if key not in latest or not _same(latest[key][0], value):
                    latest[key] = (value, release)
        previous_commit = commit
    revisions.sort(key=lambda r: (r.date or dt.date.max, r.indicator_id, r.period.sort_key))
    notice = None
    if shallow:
        notice = Message.of(N_("This build ran in a shallow clone: release history is shown only as far as the "
                               "clone reaches; fetch the full history to show all of it."))
    return History(tuple(releases), tuple(revisions), first, notice)


# ------------------------------------------------------------------- git
def _git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def _release(root: Path, tag: str) -> Optional[Release]:
    try:
        period = Period.from_slug(tag[len(RELEASE_TAG_PREFIX):])
    except PeriodError:
        return None  # a tag under release/ that names no period is not a release
    commit, date, subject = _git(root, "log", "-1", "--format=%H%x00%cI%x00%s", f"{tag}^{{commit}}").strip().split("\0")
    tag_message = _git(root, "tag", "-l", "--format=%(contents:subject)", tag).strip()
    return Release(tag, period, commit, dt.datetime.fromisoformat(date).date(), tag_message or subject)


def _head_commit(root: Path, ref: Optional[str]) -> Optional[str]:
    """The commit of the site as built; None when the results file has uncommitted changes."""
    if ref is None and _git(root, "status", "--porcelain", "--", RESULTS_FILE).strip():
        return None
    return _git(root, "rev-parse", "--verify", f"{ref or 'HEAD'}^{{commit}}").strip()


def _changing_commit(root: Path, since: Optional[str], until: Optional[str]) -> Optional[str]:
    """The latest commit after ``since`` up to ``until`` that changed the results file."""
    if until is None:
        return None
    span = f"{since}..{until}" if since else until
    found = _git(root, "log", "-1", "--format=%H", span, "--", RESULTS_FILE).strip()
    return found or until


def _commit_date(root: Path, commit: Optional[str]) -> Optional[dt.date]:
    if commit is None:
        return None
    return dt.datetime.fromisoformat(_git(root, "log", "-1", "--format=%cI", commit).strip()).date()


def _commit_subject(root: Path, commit: Optional[str]) -> str:
    if commit is None:
        return "Not yet committed."
    return _git(root, "log", "-1", "--format=%s", commit).strip()


# --------------------------------------------------------------- results
Rows = dict[tuple[str, str], tuple[Optional[str], str]]  # (indicator, period) -> (value, note)


def _results_at(root: Path, ref: str) -> Rows:
    try:
        source = GitSource(root, ref)
    except SourceUnavailable:
        return {}
    try:
        if not source.exists(RESULTS_FILE):
            return {}
        return _rows(source.read_bytes(RESULTS_FILE))
    finally:
        source.close()


def _data_files_at(root: Path, commit: str) -> tuple[tuple[str, bytes], ...]:
    """The files of the data package folder as committed (for the release's download)."""
    source = GitSource(root, commit)
    try:
        return tuple((path.removeprefix(DATA_FOLDER + "/"), source.read_bytes(path))
                     for path in source.list_files(DATA_FOLDER))
    finally:
        source.close()


def _results_in_folder(root: Path) -> Rows:
    path = root / RESULTS_FILE
    return _rows(path.read_bytes()) if path.is_file() else {}


def _rows(data: bytes) -> Rows:
    """Each result's value and note as written, keyed by indicator and canonical period."""
    table = parse_table("results", RESULTS_FILE, data)
    if not table.readable or not {"indicator_id", "period", "value"} <= set(table.header):
        return {}
    position = {name: table.header.index(name) for name in ("indicator_id", "period", "value", "note")
                if name in table.header}
    rows: Rows = {}
    for cells in table.rows:
        if len(cells) < len(table.header):
            continue
        try:
            period = Period.parse(cells[position["period"]]).label
        except PeriodError:
            continue
        value = cells[position["value"]].strip() or None
        note = cells[position["note"]].strip() if "note" in position else ""
        rows[(cells[position["indicator_id"]], period)] = (value, note)
    return rows


def _same(old: Optional[str], new: Optional[str]) -> bool:
    if old is None or new is None:
        return old == new
    try:
        return Decimal(old) == Decimal(new)
    except InvalidOperation:
        return old == new
