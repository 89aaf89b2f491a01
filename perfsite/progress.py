"""Progress while a build runs, and the one-screen summary at its end.

On a terminal, a rich progress bar moves through the stages; when the output is not a
terminal or under CI=true, each stage is one plain line (logs stay readable). The
summary gives pages written, exceptions, findings and the time taken by each stage.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator, Optional

from . import tools
from .i18n import ENGLISH, Language
from .pipeline import Outcome

STAGES = ("load", "validate", "model", "assess", "render", "write")


def plain() -> bool:
    """Plain lines instead of bars: not a terminal, or under CI."""
    return tools.in_ci() or not sys.stderr.isatty()


@contextlib.contextmanager
def stage_progress(stages: tuple[str, ...] = STAGES) -> Iterator[Callable[[str, float], None]]:
    """Yields the callback the pipeline calls after each stage (name, seconds)."""
    if plain():
        def line(stage: str, seconds: float) -> None:
            print(f"{stage}: done in {seconds:.1f}s", file=sys.stderr, flush=True)

        yield line
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} stages"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"Building: {stages[0]}", total=len(stages))

        def advance(stage: str, seconds: float) -> None:
            done = stages.index(stage) + 1 if stage in stages else bar.tasks[0].completed + 1
            following = stages[done] if done < len(stages) else "finishing"
            bar.update(task, completed=done, description=f"Building: {following}")

        yield advance


def notices(site, language: Optional[Language] = None) -> list[str]:
    """What the build cannot show, each said once: no release history, a date from the clock
    (in ``language``; the English of the source when none is given)."""
    if site is None:
        return []
    return [language.translate(text) if language else text
            for text in (site.history.notice, site.build.date_notice) if text]


def stage_times(outcome: Outcome, language: Language) -> str:
    """"load 0.4s, validate 1.2s, …": the stages' names are perfsite's own, as in the progress lines."""
    return ", ".join(language.gettext("%(stage)s %(seconds)ss", stage=stage, seconds=format(seconds, ".1f"))
                     for stage, seconds in outcome.timings.items())


def outcome_language(outcome: Outcome) -> Language:
    """The language of what the command line says about a build: the site's setting."""
    try:
        return Language.for_setting(outcome.report.language)
    except ValueError:  # an unknown language is a finding of its own
        return ENGLISH


def summary_lines(outcome: Outcome, destination: Optional[str] = None,
                  language: Optional[Language] = None) -> list[tuple[str, str]]:
    """(label, value) rows of the build summary, in the site's language."""
    say = language or outcome_language(outcome)
    rows: list[tuple[str, str]] = []
    rendered = outcome.rendered
    if rendered is not None:
        files = say.ngettext("%(pages)s and %(num)s other file", "%(pages)s and %(num)s other files",
                           rendered.files - rendered.pages,
                           pages=say.ngettext("%(num)s page", "%(num)s pages", rendered.pages))
        rows.append((say.gettext("pages written"),
                     say.gettext("%(files)s into %(folder)s", files=files, folder=destination) if destination
                     else files))
        rows.append((say.gettext("pages"), say.gettext("%(rendered)s rendered, %(cached)s from cache",
                                                   rendered=rendered.pages_rendered,
                                                   cached=rendered.pages_from_cache)))
        rows.append((say.gettext("charts"), say.gettext("%(rendered)s rendered, %(cached)s from cache",
                                                    rendered=rendered.charts_rendered,
                                                    cached=rendered.charts_from_cache)))
        rows.append((say.gettext("files unchanged"),
                     say.gettext("%(unchanged)s of %(files)s the same as in the previous output (kept, not written "
                               "again)", unchanged=rendered.files_unchanged, files=rendered.files)))
    site = outcome.site
    if site is not None and site.current is not None:
        report = site.current
        rows.append((say.gettext("exceptions"),
                     say.gettext("%(under)s under-performance, %(over)s over-performance in %(period)s; %(missing)s "
                               "without a narrative", under=len(report.under), over=len(report.over),
                               period=report.period.label, missing=len(report.missing_narratives))))
    if site is not None and site.history.releases:
        releases = site.history.releases
        revised = len(site.history.revisions)
        span = (say.gettext("%(first)s to %(last)s", first=releases[0].period.label, last=releases[-1].period.label)
                if len(releases) > 1 else releases[0].period.label)
        rows.append((say.gettext("releases"),
                     say.ngettext("%(releases)s (%(span)s), %(num)s revised figure",
                                "%(releases)s (%(span)s), %(num)s revised figures", revised,
                                releases=len(releases), span=span)))
    rows += [(say.gettext("note"), text) for text in notices(site, say)]
    findings = outcome.report
    rows.append((say.gettext("findings"),
                 say.gettext("%(errors)s, %(warnings)s",
                           errors=say.ngettext("%(num)s error", "%(num)s errors", len(findings.errors)),
                           warnings=say.ngettext("%(num)s warning", "%(num)s warnings", len(findings.warnings)))))
    total = f"{sum(outcome.timings.values()):.1f}"
    # the stages' names are perfsite's own (load, validate, …), as in the progress lines
    stages = stage_times(outcome, say)
    rows.append((say.gettext("time by stage"),
                 say.gettext("%(stages)s; total %(total)ss", stages=stages, total=total)))
    return rows


def print_summary(outcome: Outcome, destination: Optional[str] = None, err: bool = False) -> None:
    language = outcome_language(outcome)
    rows = summary_lines(outcome, destination, language)
    title = language.gettext("Build summary")
    stream = sys.stderr if err else sys.stdout
    if plain() or not stream.isatty():
        width = max(len(label) for label, _ in rows)
        print(title, file=stream)
        for label, value in rows:
            print(f"  {label.ljust(width)}  {value}", file=stream)
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for label, value in rows:
        table.add_row(label, value)
    Console(stderr=err).print(table)
