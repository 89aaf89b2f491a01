"""The build, end to end: load → validate → model → assess → render → write.

Each stage is a module; data flows one way. A build with errors in its data
stops before anything is written, so the previous output stays as it was.
"""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from .assess import AssessedSite, PublishedReport, assess
from .charts import ChartRenderer
from .findings import Finding, ValidationReport
from .history import History, Release, read_history, release_commit
from .i18n import N_, Message
from .load import load_site
from .model import build_package
from .publishing import missing_narratives, timeliness
from .quality.validate import Path as ValidationPath
from .quality.validate import validate
from .render import RenderedSite, SiteRenderer
from . import __version__
from .addresses import site_addresses
from .cache import CACHE_FOLDER, RenderCache, fingerprint, prune
from .source import FolderSource, GitSource, SiteSource, build_info, inputs_fingerprint
from .stages import Progress, or_none
from .urls import fix_for_address, source_of_address
from .workers import workers_for
from .write import Staging



@dataclass
class Outcome:
    report: ValidationReport
    source: Optional[SiteSource] = None  # where the site was read from (the folder, or a git revision)
    site: Optional[AssessedSite] = None
    rendered: Optional[RenderedSite] = None
    written_to: Optional[Path] = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report.ok


class _Clock:
    def __init__(self, timings: dict[str, float], progress: Progress) -> None:
        self.timings = timings
        self.progress = progress
        self.start = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.start
        self.start = now
        self.progress.done(stage, self.timings[stage])


def open_source(site_root: Path, ref: Optional[str] = None) -> SiteSource:
    """The site folder as it is, or (with ``ref``) as it was at a git revision."""
    return GitSource(site_root, ref) if ref else FolderSource(site_root)


def check(site_root: Path, strict: bool = False, force_path: Optional[ValidationPath] = None,
          ref: Optional[str] = None, with_history: bool = True, progress: Optional[Progress] = None) -> Outcome:
    """Load, validate, model and assess a site; nothing is written.

    Everything is read through one source: the folder, or with ``ref`` the site as
    committed at that revision (a release tag, say), templates and settings included.
    ``progress`` (perfsite/stages.py) hears how far the work has got.
    """
    progress = or_none(progress)
    timings: dict[str, float] = {}
    clock = _Clock(timings, progress)
    ref = release_commit(site_root, ref) if ref else None  # a release by its name, tag or Release line
    source = open_source(site_root, ref)
    loaded = load_site(source)
    progress.speaks(loaded.config.language)  # what it says from now on is in the site's language
    clock.lap("load")
    validated = validate(loaded, strict=strict, force_path=force_path, progress=progress)
    clock.lap("validate")
    outcome = Outcome(validated.report, source=source, timings=timings)
    if not validated.report.ok:
        return outcome
    package = build_package(validated)
    clock.lap("model")
    history = read_history(site_root, ref) if with_history else History()
    validated.report.add(history.findings)
    assessed = assess(package, loaded.config, build_info(site_root, ref), history)
    if history.releases:
        published, lost_addresses = published_reports(site_root, assessed)
        assessed = replace(assessed, published=published)
        validated.report.add(lost_addresses)
    validated.report.add(missing_narratives(assessed))
    validated.report.add(timeliness(assessed))
    clock.lap("assess")
    outcome.site = assessed
    return outcome


def published_reports(site_root: Path, site: AssessedSite) -> tuple[dict[str, PublishedReport], list[Finding]]:
    """Each release's partnership report as published (the site assessed as it was at the
    release's commit, with the figures it showed that were revised afterwards), and a
    finding for every page address of a release that the site no longer has."""
    published = {}
    findings: list[Finding] = []
    addresses_now = site_addresses(site)
    lost: dict[str, Release] = {}
    order = {r.tag: i for i, r in enumerate(site.history.releases)}
    for release in site.history.releases:
        then = check(site_root, ref=release.commit, with_history=False)
        report = None
        problem = None
        if then.site is None:
            problem = Message.counting(
                "The data as released at %(tag)s does not pass today's data-quality checks (%(num)s error), "
                "so this report is shown with today's figures.",
                "The data as released at %(tag)s does not pass today's data-quality checks (%(num)s errors), "
                "so this report is shown with today's figures.", len(then.report.errors), tag=release.tag)
        else:
            report = next((r for r in then.site.reports if r.period == release.period), None)
            if report is None:
                problem = Message.of(N_("The data released at %(tag)s has no report for %(period)s."),
                                     tag=release.tag, period=release.period.label)
            # what that release published: its pages, and the downloads of the releases up to it
            releases_then = tuple(r for r in site.history.releases if order[r.tag] <= order[release.tag])
            published_then = replace(then.site, history=History(releases=releases_then))
            for address in sorted(site_addresses(published_then) - addresses_now):
                lost.setdefault(address, release)
        if isinstance(then.source, GitSource):
            then.source.close()
        shown = {(line.record.indicator.id, line.result.period) for line in (report.lines if report else ())
                 if line.result is not None}
        here = order[release.tag]
        # revisions of figures this report showed: published at or before it, revised after it
        since = tuple(r for r in site.history.revisions
                      if (r.indicator_id, r.period) in shown and order[r.published_in.tag] <= here
                      and (r.revised_in is None or order[r.revised_in.tag] > here))
        published[release.slug] = PublishedReport(release, report, since, problem)
    for address, release in lost.items():
        page = address == "" or address.endswith(("/", ".html"))
        values = dict(address=f"/{address}", tag=release.tag, date=release.date.isoformat())
        findings.append(Finding("accurate.address-kept", source_of_address(address),
                                Message.of(N_("The page %(address)s was published in %(tag)s (%(date)s) but this "
                                              "build would no longer have it, so links to it would break."), **values)
                                if page else
                                Message.of(N_("The file %(address)s was published in %(tag)s (%(date)s) but this "
                                              "build would no longer have it, so links to it would break."), **values),
                                fix=fix_for_address(address)))
    return published, findings


def build(site_root: Path, out: Path, strict: bool = False, use_cache: bool = True,
          workers: Optional[int] = None, ref: Optional[str] = None,
          progress: Optional[Progress] = None, scheduler: Optional[object] = None) -> Outcome:
    """Check the site and, when nothing blocks publishing, write it to ``out`` whole.

    Pages are streamed into a staging folder beside ``out`` as they are rendered (memory
    stays flat), which replaces ``out`` only when every file is written. ``workers``
    local processes draw the charts (default: one per core); with ``scheduler`` (a Dask
    scheduler's address, or a ``distributed.Client``) charts and pages go to that
    cluster instead. ``progress`` (perfsite/stages.py) is told of each stage's end and,
    as they are done, of the data files checked and the charts and pages written; it is
    called in this process only, as the workers' results come back.
    """
    progress = or_none(progress)
    outcome = check(site_root, strict=strict, ref=ref, progress=progress)
    if not outcome.ok or outcome.site is None:
        return outcome
    clock = _Clock(outcome.timings, progress)
    cache_root = site_root / CACHE_FOLDER if use_cache else None
    charts = ChartRenderer(outcome.site.config.charts, cache_root / "charts" if cache_root else None)
    fingerprint = site_fingerprint(outcome)
    with _kept_to_the_end(), workers_for(workers or os.cpu_count() or 1, scheduler) as pool, \
            Staging(out, site_root) as staging:
        renderer = SiteRenderer(outcome.site, outcome.report, outcome.source, charts, staging,
                                RenderCache(cache_root), pool, fingerprint, progress)
        outcome.rendered = renderer.render()
        clock.lap("render")
        staging.publish()
        if cache_root is not None:
            prune(cache_root, outcome.site.config.cache.keep_days)
        clock.lap("write")
    outcome.written_to = out
    return outcome


# While the pages are made, Python's cycle collector looks through every object it tracks
# at each full collection; its default is one per 10 collections of the middle generation.
FULL_COLLECTION_AFTER = 100  # middle-generation collections


@contextmanager
def _kept_to_the_end():
    """The assessed site is read until the build ends, yet the cycle collector would look
    through all of it again at each of its full collections while the pages are made (a
    million results: 24 of them, 27 s of a 190 s build). Frozen, what exists now is left
    out of them (garbage is collected first, so none is kept by the freeze). The batches
    of pages being made are then most of what is left, freed as each is written; they
    made a full collection ten times as frequent, so those are made rarer. Both are undone
    at the end, so that a process that builds again (the preview, the tests) frees the
    site and collects as before."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], FULL_COLLECTION_AFTER))
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def site_fingerprint(outcome: Outcome) -> str:
    """What the assessed site is a pure function of: its input files, where they come
    from in git (commit, releases, revisions) and this perfsite. Pages handed the whole
    site are re-rendered when it changes."""
    site = outcome.site
    return fingerprint(__version__, inputs_fingerprint(outcome.source), site.build, site.history,
                       sorted((slug, p.release.commit) for slug, p in site.published.items()))
