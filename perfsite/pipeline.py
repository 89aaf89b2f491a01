"""The build, end to end: load → validate → model → assess → render → write.

Each stage is a module; data flows one way. A build with errors in its data
stops before anything is written, so the previous output stays as it was.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .assess import AssessedSite, assess
from .charts import ChartRenderer
from .findings import ValidationReport
from .history import read_history
from .load import load_site
from .model import build_package
from .publishing import missing_narratives, timeliness
from .quality.validate import Path as ValidationPath
from .quality.validate import validate
from .render import RenderedSite, SiteRenderer
from .source import FolderSource, GitSource, SiteSource, build_info
from .write import write_site

CACHE_FOLDER = ".cache/perfsite"


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
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.start = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.start
        self.start = now


def open_source(site_root: Path, ref: Optional[str] = None) -> SiteSource:
    """The site folder as it is, or (with ``ref``) as it was at a git revision."""
    return GitSource(site_root, ref) if ref else FolderSource(site_root)


def check(site_root: Path, strict: bool = False, force_path: Optional[ValidationPath] = None,
          ref: Optional[str] = None) -> Outcome:
    """Load, validate, model and assess a site; nothing is written.

    Everything is read through one source: the folder, or with ``ref`` the site as
    committed at that revision (a release tag, say), templates and settings included.
    """
    timings: dict[str, float] = {}
    clock = _Clock(timings)
    source = open_source(site_root, ref)
    loaded = load_site(source)
    clock.lap("load")
    validated = validate(loaded, strict=strict, force_path=force_path)
    clock.lap("validate")
    outcome = Outcome(validated.report, source=source, timings=timings)
    if not validated.report.ok:
        return outcome
    package = build_package(validated)
    clock.lap("model")
    history = read_history(site_root, ref)
    assessed = assess(package, loaded.config, build_info(site_root, ref), history)
    validated.report.add(missing_narratives(assessed))
    validated.report.add(timeliness(assessed))
    clock.lap("assess")
    outcome.site = assessed
    return outcome


def build(site_root: Path, out: Path, strict: bool = False, use_cache: bool = True,
          workers: Optional[int] = None, ref: Optional[str] = None) -> Outcome:
    """Check the site and, when nothing blocks publishing, write it to ``out`` whole."""
    outcome = check(site_root, strict=strict, ref=ref)
    if not outcome.ok or outcome.site is None:
        return outcome
    clock = _Clock(outcome.timings)
    cache_dir = site_root / CACHE_FOLDER / "charts" if use_cache else None
    charts = ChartRenderer(outcome.site.config.charts, cache_dir, workers or os.cpu_count() or 1)
    renderer = SiteRenderer(outcome.site, outcome.report, outcome.source, charts)
    outcome.rendered = renderer.render()
    clock.lap("render")
    write_site(outcome.rendered.files, out, site_root)
    clock.lap("write")
    outcome.written_to = out
    return outcome
