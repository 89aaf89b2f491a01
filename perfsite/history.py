"""The release history of a site's data package, read from git.

A release is the commit that published a period's report, declared in either of two
ways (docs/auditors.md, "How a release is declared"):

- a line ``Release: 2010-11 Q2`` at the end of the commit's message (a git trailer).
  It is part of the commit, so every clone has it, and it cannot be moved. It is a
  release of the site folder(s) whose inputs the commit changes, or, written
  ``Release: 2010-11 Q2; site: examples/hart``, of the folder it names;
- a git tag ``release/<period-slug>`` (``release/2010-11-q2``) for the site at the top
  of the repository, ``release/<folder>/<period-slug>`` for a site in a folder. Tags
  travel only when they are pushed and fetched.

A tag decides its period: where a Release line names another commit for the same
period, the tag wins and a warning says so; two Release lines naming different
commits for one period, with no tag, are an error. The figures each release published
are read from its commit with ``GitSource``; a figure whose value later changed is a
revision, with the value first published, the new value, when and why. Everything
comes from git, never from the clock: outside a git repository, or in a shallow clone
without the releases, there is no history and the build says so once
(``History.notice``), instead of showing wrong dates.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

from .findings import Finding
from .i18n import N_, Message
from .periods import Period, PeriodError
from .source import SITE_INPUTS, GitSource, SourceUnavailable
from .tables import parse_table

RELEASE_TAG_PREFIX = "release/"
TRAILER_KEY = "Release"  # the git trailer that marks a commit as a release: "Release: 2010-11 Q2"
RELEASES_FILE = "git history"  # where findings about release declarations are located
NOT_IN_GIT = Message.of(N_("The site folder is not in a git repository, so no release history, revisions or "
                           "release downloads can be shown: commit the site to git to show them."))
DATA_FOLDER = "data"
RESULTS_FILE = f"{DATA_FOLDER}/results.csv"


@dataclass(frozen=True)
class Release:
    """One published release: the commit that published a period (named ``release/<slug>`` unless a tag names it)."""

    tag: str
    period: Period
    commit: str
    date: dt.date  # the tagged commit's date
    message: str  # the tag's message, else the commit's subject
    declared_by: str = field(default="", compare=False)  # "tag release/2010-11-q2", or the commit's Release line
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
    findings: tuple[Finding, ...] = ()  # release declarations that disagree or cannot be read

    def revisions_of(self, indicator_id: str, period: Period) -> tuple[Revision, ...]:
        return tuple(r for r in self.revisions if r.indicator_id == indicator_id and r.period == period)

    def release(self, slug: str) -> Optional[Release]:
        return next((r for r in self.releases if r.slug == slug), None)


def read_history(root: Path, ref: Optional[str] = None) -> History:
    """Releases of this site up to ``ref`` (or HEAD) and every revision of a released figure since."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except (OSError, subprocess.CalledProcessError):
        inside = False
    if not inside:
        return History(notice=NOT_IN_GIT)
    head = ref or "HEAD"
    shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    scope = _SiteScope.of(root)
    releases, findings = _releases(root, head, scope)
    if not releases:
        if shallow:
            notice = Message.of(N_(
                "No release history can be shown: this is a shallow clone without the commits that published the "
                "releases: fetch the full history (for example actions/checkout with fetch-depth: 0) to show them."))
        else:
            notice = Message.of(N_(
                "No release history can be shown: no commit of this site has been marked as a release yet (end the "
                "message of the commit that publishes a period with the line “%(trailer)s: 2010-11 Q2”, or tag it "
                "%(prefix)s2010-11-q2)."), trailer=TRAILER_KEY, prefix=scope.tag_prefix)
        return History(notice=notice, findings=tuple(findings))
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
    return History(tuple(releases), tuple(revisions), first, notice, tuple(findings))


def release_tag_prefix(root: Path) -> str:
    """How this site's release tags begin: ``release/``, or ``release/<folder>/`` for a site in a folder."""
    try:
        return _SiteScope.of(root).tag_prefix
    except (OSError, subprocess.CalledProcessError, ValueError):
        return RELEASE_TAG_PREFIX  # not in git (yet): the site will be at the top of its repository


def release_commit(root: Path, ref: str) -> str:
    """``ref``, or, for a release's name (``release/2010-11-q2``) that is no tag or branch but a
    Release line of this site declares, that release's commit: so ``--ref release/2010-11-q2``
    rebuilds a release however it was declared."""
    if not ref.startswith(RELEASE_TAG_PREFIX):
        return ref
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        return ref
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        releases, _ = _releases(root, "HEAD", _SiteScope.of(root))
    except (OSError, subprocess.CalledProcessError, ValueError):
        return ref  # not in git: the source says so in its own words
    return next((release.commit for release in releases if release.tag == ref), ref)


# ------------------------------------------------------ declaring releases
@dataclass(frozen=True)
class _SiteScope:
    """Which releases are this site's: the site folder, relative to the top of the repository."""

    top: Path
    folder: str  # "" for the site at the top of the repository, else "examples/hart"

    @classmethod
    def of(cls, root: Path) -> "_SiteScope":
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
        folder = root.resolve().relative_to(top.resolve()).as_posix()
        return cls(top, "" if folder == "." else folder)

    @property
    def tag_prefix(self) -> str:
        return f"{RELEASE_TAG_PREFIX}{self.folder}/" if self.folder else RELEASE_TAG_PREFIX

    @property
    def pathspecs(self) -> list[str]:
        return [f"{self.folder}/{name}" if self.folder else name for name in SITE_INPUTS]

    def names(self, folder: str) -> bool:
        return _folder(folder) == self.folder


@dataclass(frozen=True)
class _Declaration:
    period: Period
    commit: str
    date: dt.date
    subject: str
    tag: Optional[str] = None  # the tag's name, or None for a Release line in the commit message
    tag_message: str = ""

    @property
    def words(self) -> Message:
        if self.tag:
            return Message.of(N_("the tag %(tag)s (on commit %(commit)s of %(date)s)"),
                              tag=self.tag, commit=self.commit[:10], date=self.date.isoformat())
        return Message.of(N_("the line “%(line)s” in the message of commit %(commit)s of %(date)s"),
                          line=f"{TRAILER_KEY}: {self.period.label}", commit=self.commit[:10],
                          date=self.date.isoformat())


def _releases(root: Path, head: str, scope: _SiteScope) -> tuple[list[Release], list[Finding]]:
    """This site's releases up to ``head``, one per period, and findings about unclear declarations.

    A tag decides its period; two Release lines naming different commits for one period,
    with no tag to decide, are an error (the history would be ambiguous).
    """
    tags = _tag_declarations(root, head, scope)
    lines, unreadable = _trailer_declarations(root, head, scope)
    tagged = {d.commit for d in tags}
    findings = [finding for commit, finding in unreadable if commit not in tagged]  # a tag has put it right
    by_period: dict[Period, list[_Declaration]] = {}
    for declaration in tags + lines:
        by_period.setdefault(declaration.period, []).append(declaration)
    releases = []
    for period, declarations in by_period.items():
        tag = next((d for d in declarations if d.tag), None)
        others = sorted({d.commit: d for d in declarations if not d.tag}.values(), key=lambda d: (d.date, d.commit))
        if tag is not None:
            chosen = tag
            for other in others:
                if other.commit != tag.commit:
                    findings.append(Finding(
                        "accurate.release-tag-decides", RELEASES_FILE,
                        Message.of(N_("The %(period)s release is declared by %(tag)s and by %(other)s; the tag "
                                      "decides, so the report is shown as published at commit %(commit)s."),
                                   period=period.label, tag=tag.words, other=other.words, commit=tag.commit[:10]),
                        fix=Message.of(N_("If commit %(commit)s is the one that published %(period)s, delete the "
                                          "tag (%(delete)s, then %(push)s); otherwise keep the tag: commit messages "
                                          "cannot be changed, and the tag overrides them."),
                                       commit=other.commit[:10], period=period.label, delete=f"git tag -d {tag.tag}",
                                       push=f"git push origin --delete {tag.tag}")))
        else:
            chosen = others[0]
            if len(others) > 1:
                findings.append(Finding(
                    "accurate.release-unambiguous", RELEASES_FILE,
                    Message.of(N_("The %(period)s release is declared more than once: by %(declarations)s, so it "
                                  "is not clear which figures were published."),
                               period=period.label, declarations=_and_by([d.words for d in others])),
                    fix=Message.of(N_("Tag the commit that published %(period)s (%(tag)s, then %(push)s): a tag "
                                      "decides between Release lines, which cannot be changed once committed."),
                                   period=period.label,
                                   tag=f"git tag -a {scope.tag_prefix}{period.slug} <commit> -m \"{period.label} report\"",
                                   push=f"git push origin {scope.tag_prefix}{period.slug}")))
        name = chosen.tag or f"{RELEASE_TAG_PREFIX}{period.slug}"
        message = (chosen.tag_message or chosen.subject) if chosen.tag else chosen.subject
        declared_by = f"tag {chosen.tag}" if chosen.tag else f"“{TRAILER_KEY}: {period.label}” in the commit message"
        releases.append(Release(name, period, chosen.commit, chosen.date, message, declared_by=declared_by))
    releases.sort(key=lambda r: (r.period.sort_key, r.date, r.tag))
    return releases, findings


def _tag_declarations(root: Path, head: str, scope: _SiteScope) -> list[_Declaration]:
    """Tags ``release/<period>`` (a site in a folder: ``release/<folder>/<period>``) reachable from ``head``."""
    listing = _git(root, "for-each-ref", "--merged", head, "--format=%(refname:short)%00%(contents:subject)",
                   f"refs/tags/{RELEASE_TAG_PREFIX}")
    found = []
    for line in listing.splitlines():
        name, _, tag_message = line.partition("\0")
        if not name.startswith(scope.tag_prefix):
            continue
        try:
            period = Period.from_slug(name[len(scope.tag_prefix):])
        except PeriodError:
            continue  # a tag under release/ that names no period of this site is not its release
        commit, date, subject = _git(root, "log", "-1", "--format=%H%x00%cI%x00%s",
                                     f"{name}^{{commit}}").strip().split("\0")
        found.append(_Declaration(period, commit, dt.datetime.fromisoformat(date).date(), subject, name,
                                  tag_message.strip() if tag_message.strip() != subject else ""))
    return found


def _trailer_declarations(root: Path, head: str,
                          scope: _SiteScope) -> tuple[list[_Declaration], list[tuple[str, Finding]]]:
    """Commits up to ``head`` whose message ends with a ``Release: <period>`` trailer for this site.

    ``Release: 2010-11 Q2`` is a release of the site folder(s) whose inputs the commit
    changes; ``Release: 2010-11 Q2; site: examples/hart`` names the site folder (``.`` for
    the top of the repository) whatever the commit changes.
    """
    log = _git(root, "log", "--format=%H%x00%cI%x00%s%x00%(trailers:key=" + TRAILER_KEY
               + ",valueonly,separator=%x1f)%x1e", head)
    found: list[_Declaration] = []
    findings: list[tuple[str, Finding]] = []
    for entry in log.split("\x1e"):
        entry = entry.strip("\n")
        if not entry:
            continue
        commit, date, subject, values = entry.split("\0")
        if not values.strip():
            continue
        day = dt.datetime.fromisoformat(date).date()
        for value in (v.strip() for v in values.split("\x1f") if v.strip()):
            text, separator, rest = value.partition(";")
            key, colon, site_folder = rest.partition(":")
            named = bool(separator)
            if named and (key.strip().lower() != "site" or not colon or not site_folder.strip()):
                if _changes_inputs(scope, commit):
                    findings.append((commit, _unreadable_line(commit, day, value, scope)))
                continue
            if not (scope.names(site_folder) if named else _changes_inputs(scope, commit)):
                continue  # a release of another site of the repository
            try:
                period = _period_of(text)
            except PeriodError:
                findings.append((commit, _unreadable_line(commit, day, value, scope)))
                continue
            found.append(_Declaration(period, commit, day, subject))
    return found, findings


def _and_by(declarations: list[Message]) -> Message:
    """Two or more declarations: "A and by B", "A and by B and by C"."""
    joined = declarations[0]
    for later in declarations[1:]:
        joined = Message.of(N_("%(first)s and by %(second)s"), first=joined, second=later)
    return joined


def _unreadable_line(commit: str, day: dt.date, value: str, scope: _SiteScope) -> Finding:
    return Finding("valid.release-line", RELEASES_FILE,
                   Message.of(N_("Commit %(commit)s of %(date)s ends with the line “%(line)s”, which names no "
                                 "reporting period, so it is not counted as a release."),
                              commit=commit[:10], date=day.isoformat(), line=f"{TRAILER_KEY}: {value}"),
                   fix=Message.of(N_("Tag the commit that published the period instead (%(tag)s): a commit message "
                                     "cannot be changed, and a Release line is written like “%(line)s”."),
                                  tag=f"git tag -a {scope.tag_prefix}2010-11-q2 {commit[:10]} -m \"2010-11 Q2 report\"",
                                  line=f"{TRAILER_KEY}: 2010-11 Q2"),
                   value=value)


def _period_of(text: str) -> Period:
    text = text.strip()
    try:
        return Period.parse(text)
    except PeriodError:
        return Period.from_slug(text.lower())


def _folder(text: str) -> str:
    folder = text.strip().strip("/").replace("\\", "/")
    return "" if folder in ("", ".") else folder.removeprefix("./")


def _changes_inputs(scope: _SiteScope, commit: str) -> bool:
    """Whether the commit changes this site's inputs (against its first parent; a first commit adds them)."""
    parents = _git(scope.top, "rev-list", "--parents", "-n", "1", commit).split()
    if len(parents) > 2:  # a merge: what it brought into the branch it was merged into
        changed = _git(scope.top, "diff", "--name-only", parents[1], commit, "--", *scope.pathspecs)
    else:
        changed = _git(scope.top, "diff-tree", "--root", "--no-commit-id", "--name-only", "-r", commit, "--",
                       *scope.pathspecs)
    return bool(changed.strip())


# ------------------------------------------------------------------- git
def _git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True, check=True,
                          timeout=60).stdout


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
