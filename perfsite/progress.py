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


def notices(site) -> list[str]:
    """What the build cannot show, each said once: no release history, a date from the clock."""
    if site is None:
        return []
    return [text for text in (site.history.notice, site.build.date_notice) if text]


def summary_lines(outcome: Outcome, destination: Optional[str] = None) -> list[tuple[str, str]]:
    """(label, value) rows of the build summary."""
    rows: list[tuple[str, str]] = []
    rendered = outcome.rendered
    if rendered is not None:
        rows.append(("pages written", f"{rendered.pages} pages and {rendered.files - rendered.pages} other files"
                                      + (f" into {destination}" if destination else "")))
        rows.append(("pages", f"{rendered.pages_rendered} rendered, {rendered.pages_from_cache} from cache"))
        rows.append(("charts", f"{rendered.charts_rendered} rendered, {rendered.charts_from_cache} from cache"))
        rows.append(("files unchanged", f"{rendered.files_unchanged} of {rendered.files} the same as in the previous "
                                        "output (kept, not written again)"))
    site = outcome.site
    if site is not None and site.current is not None:
        report = site.current
        rows.append(("exceptions", f"{len(report.under)} under-performance, {len(report.over)} over-performance "
                                   f"in {report.period.label}; {len(report.missing_narratives)} without a narrative"))
    if site is not None and site.history.releases:
        releases = site.history.releases
        revised = len(site.history.revisions)
        span = releases[0].period.label + (f" to {releases[-1].period.label}" if len(releases) > 1 else "")
        rows.append(("releases", f"{len(releases)} ({span}), {revised} revised figure{'s' if revised != 1 else ''}"))
    rows += [("note", text) for text in notices(site)]
    findings = outcome.report
    rows.append(("findings", f"{len(findings.errors)} errors, {len(findings.warnings)} warnings"))
    total = sum(outcome.timings.values())
    rows.append(("time by stage", ", ".join(f"{stage} {seconds:.1f}s" for stage, seconds in outcome.timings.items())
                 + f"; total {total:.1f}s"))
    return rows


def print_summary(outcome: Outcome, destination: Optional[str] = None, err: bool = False) -> None:
    rows = summary_lines(outcome, destination)
    stream = sys.stderr if err else sys.stdout
    if plain() or not stream.isatty():
        width = max(len(label) for label, _ in rows)
        print("Build summary", file=stream)
        for label, value in rows:
            print(f"  {label.ljust(width)}  {value}", file=stream)
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    table = Table(title="Build summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for label, value in rows:
        table.add_row(label, value)
    Console(stderr=err).print(table)
