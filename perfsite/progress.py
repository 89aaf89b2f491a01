"""Progress while a build runs, and the one-screen summary at its end.

On a terminal, rich progress bars move through the stages and, within them, through
the data files checked and the charts and pages written. When the output is not a
terminal, or under CI=true, plain lines keep logs short: one line as each stage ends
and, for long work, a line at about every tenth of it. The summary gives pages
written, exceptions, findings and the time taken by each stage.

The build reports to these objects through the interface of perfsite/stages.py; it
never reads anything back from them.
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import TYPE_CHECKING, Callable, Iterator, Optional, TextIO

from . import tools
from .stages import COUNTED, STAGES, Progress

if TYPE_CHECKING:  # the summary reads an outcome; the command line's quick path imports no pipeline
    from .pipeline import Outcome

# What a bar says of each count, before its figures ("Drawing charts  1,200/4,000 charts").
BAR_LABELS = {"validate": "Checking data", "charts": "Drawing charts", "pages": "Writing pages"}
# Plain lines: none before this many seconds of a count (short work says only that it is done),
# then one at each tenth of it reached.
QUIET_SECONDS = 5.0


def plain() -> bool:
    """Plain lines instead of bars: not a terminal, or under CI."""
    return tools.in_ci() or not sys.stderr.isatty()


def _units(count: int, counted: str) -> str:
    unit = COUNTED[counted][1]
    return unit[:-1] if count == 1 else unit  # "1 file", "7 files"


class PlainLines:
    """Progress as plain lines on ``stream`` (standard error by default): one as each
    stage ends ("render: done in 12.3s (4,000 charts, 2,131 pages)") and, once a count
    has run for QUIET_SECONDS, one at each tenth of it ("render: 1,200 of 4,000 charts"):
    at most ten lines a count, however big the site."""

    def __init__(self, stream: Optional[TextIO] = None, clock: Callable[[], float] = time.monotonic,
                 quiet_seconds: float = QUIET_SECONDS) -> None:
        self.stream = stream
        self.clock = clock
        self.quiet_seconds = quiet_seconds
        self.totals: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.started: dict[str, float] = {}
        self.tenths: dict[str, int] = {}  # the last tenth of each count said

    def start(self, counted: str, total: int) -> None:
        self.totals[counted], self.counts[counted], self.tenths[counted] = total, 0, 0
        self.started[counted] = self.clock()

    def advance(self, counted: str, steps: int = 1) -> None:
        count = self.counts[counted] = self.counts.get(counted, 0) + steps
        total = self.totals.get(counted)
        if not total or count >= total:
            return  # the stage's own line says it is done
        tenth = count * 10 // total
        if tenth > self.tenths[counted] and self.clock() - self.started[counted] >= self.quiet_seconds:
            self.tenths[counted] = tenth
            self._say(f"{COUNTED[counted][0]}: {count:,} of {total:,} {_units(total, counted)}")

    def done(self, stage: str, seconds: float) -> None:
        counts = [f"{self.counts[counted]:,} {_units(self.counts[counted], counted)}"
                  for counted, (of_stage, _) in COUNTED.items() if of_stage == stage and counted in self.totals]
        self._say(f"{stage}: done in {seconds:.1f}s" + (f" ({', '.join(counts)})" if counts else ""))

    def _say(self, line: str) -> None:
        print(line, file=self.stream or sys.stderr, flush=True)


class Bars:
    """Progress as rich bars: one through the stages, and one for each count as it starts."""

    def __init__(self, bar) -> None:
        self.bar = bar
        self.stages = bar.add_task(f"Building: {STAGES[0]}", total=len(STAGES), unit="stages")
        self.tasks: dict[str, object] = {}

    def start(self, counted: str, total: int) -> None:
        task = self.tasks.get(counted)
        if task is None:
            self.tasks[counted] = self.bar.add_task(BAR_LABELS[counted], total=total, unit=COUNTED[counted][1])
        else:
            self.bar.reset(task, total=total)

    def advance(self, counted: str, steps: int = 1) -> None:
        if counted in self.tasks:
            self.bar.advance(self.tasks[counted], steps)

    def done(self, stage: str, seconds: float) -> None:
        finished = STAGES.index(stage) + 1 if stage in STAGES else self.bar.tasks[0].completed + 1
        following = STAGES[finished] if finished < len(STAGES) else "finishing"
        self.bar.update(self.stages, completed=finished, description=f"Building: {following}")


@contextlib.contextmanager
def stage_progress(console=None) -> Iterator[Progress]:
    """The progress object for a build: plain lines, or bars on a terminal (always on
    ``console``, a rich Console, when one is given)."""
    if console is None and plain():
        yield PlainLines()
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import BarColumn, Progress as Bar, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.completed:,.0f}/{task.total:,.0f} {task.fields[unit]}"), TimeElapsedColumn())
    with Bar(*columns, console=console or Console(stderr=True), transient=True) as bar:
        yield Bars(bar)


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
    print_summary_rows(summary_lines(outcome, destination), err)


def print_summary_rows(rows: list[tuple[str, str]], err: bool = False) -> None:
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
