"""Progress while a build runs, and the one-screen summary at its end.

On a terminal, rich progress bars move through the stages and, within them, through
the data files checked and the charts and pages written. When the output is not a
terminal, or under CI=true, plain lines keep logs short: one line as each stage ends
and, for long work, a line at about every tenth of it. The summary gives pages
written, exceptions, findings and the time taken by each stage.

The build reports to these objects through the interface of perfsite/stages.py; it
never reads anything back from them. They speak the site's language once the build
tells them its setting (``speaks``, as soon as site.yaml is read, before the first
line): until then, in the English of the source. Stage names (load, validate, …) are
perfsite's own identifiers and are written as they are, inside translated sentences.
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import TYPE_CHECKING, Callable, Iterator, Optional, TextIO

from babel.numbers import format_decimal

from . import tools
from .i18n import ENGLISH, N_, Language
from .stages import COUNTED, STAGES, Progress

if TYPE_CHECKING:  # the summary reads an outcome; the command line's quick path imports no pipeline
    from .pipeline import Outcome

# What a bar says of each count, before its figures ("Drawing charts  1,200/4,000 charts").
BAR_LABELS = {"validate": N_("Checking data"), "charts": N_("Drawing charts"), "pages": N_("Writing pages")}
# Plain lines: none before this many seconds of a count (short work says only that it is done),
# then one at each tenth of it reached.
QUIET_SECONDS = 5.0


def plain() -> bool:
    """Plain lines instead of bars: not a terminal, or under CI."""
    return tools.in_ci() or not sys.stderr.isatty()


def _language(setting: str) -> Language:
    try:
        return Language.for_setting(setting)
    except ValueError:  # an unknown language is a finding of its own; the progress goes on in English
        return ENGLISH


def _number(language: Language, count: int) -> str:
    """A count as the language writes it ("4,000")."""
    return format_decimal(count, locale=language.locale)


def _counted(language: Language, counted: str, count: int) -> str:
    """"1 file", "4,000 charts": the count of ``counted`` with the catalogue's plural form."""
    num = _number(language, count)  # %(num)s written with the language's separators
    if counted == "validate":
        return language.ngettext("%(num)s file", "%(num)s files", count, num=num)
    if counted == "charts":
        return language.ngettext("%(num)s chart", "%(num)s charts", count, num=num)
    return language.ngettext("%(num)s page", "%(num)s pages", count, num=num)


def _unit(language: Language, counted: str, total: int) -> str:
    """The word for the units of a bar's count ("1,200/4,000 charts"), in the form for ``total``."""
    if counted == "validate":
        return language.ngettext("file", "files", total)
    if counted == "charts":
        return language.ngettext("chart", "charts", total)
    return language.ngettext("page", "pages", total)


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
        self.language = ENGLISH

    def speaks(self, language: str) -> None:
        self.language = _language(language)

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
            say = self.language
            self._say(say.gettext("%(stage)s: %(count)s of %(total)s", stage=COUNTED[counted][0],
                                  count=_number(say, count), total=_counted(say, counted, total)))

    def done(self, stage: str, seconds: float) -> None:
        say = self.language
        counts = [_counted(say, counted, self.counts[counted])
                  for counted, (of_stage, _) in COUNTED.items() if of_stage == stage and counted in self.totals]
        values = dict(stage=stage, seconds=format(seconds, ".1f"), counts=", ".join(counts))
        self._say(say.gettext("%(stage)s: done in %(seconds)ss (%(counts)s)", **values) if counts else
                  say.gettext("%(stage)s: done in %(seconds)ss", **values))

    def _say(self, line: str) -> None:
        print(line, file=self.stream or sys.stderr, flush=True)


class Bars:
    """Progress as rich bars: one through the stages, and one for each count as it starts."""

    def __init__(self, bar) -> None:
        self.bar = bar
        self.language = ENGLISH
        # hidden until the build tells the language (a moment, while site.yaml is read): no English first
        self.stages = bar.add_task(self._building(STAGES[0]), total=len(STAGES),
                                   unit=self.language.ngettext("stage", "stages", len(STAGES)), visible=False)
        self.tasks: dict[str, object] = {}

    def speaks(self, language: str) -> None:
        self.language = _language(language)
        self.bar.update(self.stages, description=self._building(STAGES[0]),
                        unit=self.language.ngettext("stage", "stages", len(STAGES)), visible=True)

    def _building(self, stage: str) -> str:
        return self.language.gettext("Building: %(stage)s", stage=stage)

    def start(self, counted: str, total: int) -> None:
        task = self.tasks.get(counted)
        if task is None:
            self.tasks[counted] = self.bar.add_task(self.language.translate(BAR_LABELS[counted]), total=total,
                                                    unit=_unit(self.language, counted, total))
        else:
            self.bar.reset(task, total=total, unit=_unit(self.language, counted, total))

    def advance(self, counted: str, steps: int = 1) -> None:
        if counted in self.tasks:
            self.bar.advance(self.tasks[counted], steps)

    def done(self, stage: str, seconds: float) -> None:
        finished = STAGES.index(stage) + 1 if stage in STAGES else self.bar.tasks[0].completed + 1
        following = STAGES[finished] if finished < len(STAGES) else self.language.gettext("finishing")
        self.bar.update(self.stages, completed=finished, description=self._building(following), visible=True)


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
    print_summary_rows(summary_lines(outcome, destination, language), language.gettext("Build summary"), err)


def print_summary_rows(rows: list[tuple[str, str]], title: str, err: bool = False) -> None:
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
