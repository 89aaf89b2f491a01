"""`new-period`: start a reporting quarter.

Given a period whose results are in the data, it lists the period's exceptions,
writes a narrative stub for every under-performance exception without a narrative
and a commentary stub for every theme without one (never overwriting a file), and
gives the publisher a checklist with the dates of the reporting timetable.

A stub has the front matter and the three headings, with the exception's figures as
YAML comments in the front matter (context for the writer, never published). Its
sections are empty, and a narrative whose sections are all empty counts as missing
(perfsite.content.is_unwritten), so `build --strict` fails until it is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .assess import AssessedSite, PartnershipReport, ScorecardLine
from .config import Timetable
from .content import NARRATIVE_SECTIONS
from .formatting import figure, long_date
from .periods import Period

NARRATIVES_FOLDER = "content/narratives"
COMMENTARY_FOLDER = "content/reports"
COMMENTARY_TITLE = "Summary from the theme board"


class PeriodNotReady(Exception):
    """The period cannot be started yet; the message says what to do."""


@dataclass(frozen=True)
class Stub:
    path: str  # relative to the site folder
    text: str
    about: str  # what it is for, in words: "NI-039 exception narrative"


@dataclass(frozen=True)
class Deadline:
    what: str
    due: dt.date


@dataclass(frozen=True)
class QuarterPlan:
    period: Period
    exceptions: tuple[ScorecardLine, ...]  # under-performance exceptions of the period
    over: tuple[ScorecardLine, ...]  # over-performance exceptions (a narrative is welcome, not required)
    stubs: tuple[Stub, ...]
    deadlines: tuple[Deadline, ...]


def report_for(site: AssessedSite, period: Period) -> PartnershipReport:
    report = next((report for report in site.reports if report.period == period), None)
    if report is None or not any(line.is_new for line in report.lines):
        latest = site.latest_with_results.label if site.latest_with_results else "none"
        raise PeriodNotReady(
            f"There are no results for {period.label} in data/results.csv yet (the latest results are for "
            f"{latest}). Add the period's rows (indicator_id, period “{period.label}”, value), then run "
            f"new-period again.")
    if not report.is_current:
        raise PeriodNotReady(
            f"{period.label} is not the period being published: the site publishes "
            f"{site.publish_period.label if site.publish_period else 'nothing'}. Set reporting.publish_period in "
            f"site.yaml to “{period.label}” (or remove it to publish the latest period with results).")
    return report


def _figures(line: ScorecardLine) -> list[str]:
    """The exception's figures, one comment line each, for the writer's context."""
    indicator, result = line.record.indicator, line.result
    lines = [f"{indicator.id}: {indicator.title}", f"Theme: {line.record.theme.name}"]
    if result is not None:
        lines.append(f"Result for {result.period.label}: "
                     f"{figure(result.value, indicator.unit, indicator.decimals)} ({result.status.value})")
        if result.target is not None:
            lines.append(f"Target: {figure(result.target.target, indicator.unit, indicator.decimals)}"
                         + (f", monitoring level {figure(result.target.monitoring_level, indicator.unit, indicator.decimals)}"
                            if result.target.monitoring_level is not None else ""))
        if result.compared_with is not None:
            lines.append(f"Compared with {result.compared_with.label}: "
                         f"{figure(result.compared_value, indicator.unit, indicator.decimals)} "
                         f"({result.direction.value})")
        if result.note:
            lines.append(f"Note with the data: {result.note}")
    if line.intervention is not None:
        lines.append(f"Ladder of intervention: stage {line.intervention.stage}")
    lines.append(f"Polarity: {indicator.polarity.value}")
    return lines


def narrative_stub(line: ScorecardLine, period: Period) -> Stub:
    indicator = line.record.indicator
    path = f"{NARRATIVES_FOLDER}/{period.slug}/{indicator.id}.md"
    context = "\n".join(f"# {text}" for text in _figures(line))
    headings = "\n\n".join(f"## {name}\n" for name in NARRATIVE_SECTIONS)
    text = (
        "---\n"
        f"# Exception narrative for {period.label}. Write a short paragraph under each heading;\n"
        "# until then this counts as a missing narrative and `build --strict` stops.\n"
        "# These lines starting with # are for you and are never published.\n"
        f"{context}\n"
        "owner:          # who is accountable, e.g. Assistant Director, Public Health\n"
        "action_due:     # when the action is due, e.g. 2011-09-30\n"
        "---\n"
        f"{headings}"
    )
    return Stub(path, text, f"{indicator.id} exception narrative")


def commentary_stub(report: PartnershipReport, theme_index: int) -> Stub:
    theme_report = report.themes[theme_index]
    theme = theme_report.theme
    counts = theme_report.counts
    path = f"{COMMENTARY_FOLDER}/{report.period.slug}/{theme.id}.md"
    exceptions = ", ".join(line.record.indicator.id for line in theme_report.under) or "none"
    text = (
        "---\n"
        f"# Commentary from the {theme.name} theme board for {report.period.label}: a paragraph or two\n"
        "# below the second --- line. An empty commentary is not shown.\n"
        f"# This period: {counts.green} green, {counts.amber} amber, {counts.red} red; "
        f"under-performance exceptions: {exceptions}.\n"
        f"title: {COMMENTARY_TITLE}\n"
        "---\n"
    )
    return Stub(path, text, f"{theme.name} theme commentary")


def _weeks(count: int) -> str:
    return f"{count} week" if count == 1 else f"{count} weeks"


def deadlines(period: Period, timetable: Timetable) -> tuple[Deadline, ...]:
    return (
        Deadline(f"results for {period.label} collated ({_weeks(timetable.collate_weeks)} after the period ends)",
                 timetable.results_due(period)),
        Deadline(f"exception reports written ({_weeks(timetable.exception_report_weeks)} later)",
                 timetable.exception_report_due(period)),
        Deadline(f"partnership report published ({_weeks(timetable.partnership_report_weeks)} later)",
                 timetable.partnership_report_due(period)),
    )


def plan_quarter(site: AssessedSite, period: Period) -> QuarterPlan:
    report = report_for(site, period)
    stubs = [narrative_stub(line, period) for line in report.missing_narratives]
    stubs += [commentary_stub(report, index) for index, theme_report in enumerate(report.themes)
              if theme_report.commentary is None]
    return QuarterPlan(period, report.under, report.over, tuple(stubs), deadlines(period, site.config.timetable))


def write_stubs(site_root: Path, stubs: tuple[Stub, ...]) -> tuple[list[Stub], list[Stub]]:
    """Write each stub whose file does not exist yet; returns (written, already there)."""
    written, kept = [], []
    for stub in stubs:
        target = site_root / stub.path
        if target.exists():
            kept.append(stub)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as file:  # "x": never overwrite, even in a race
            file.write(stub.text)
        written.append(stub)
    return written, kept


def checklist(plan: QuarterPlan, written: list[Stub], kept: list[Stub], build_command: str,
              today: Optional[dt.date] = None, tag_prefix: str = "release/") -> str:
    """What to do for the period; ``tag_prefix`` is the site's release tags' (``release/<folder>/`` in a folder)."""
    period = plan.period
    lines = [f"Starting {period.label} (ends {long_date(period.end)}).", ""]
    if plan.exceptions:
        lines.append(f"Under-performance exceptions ({len(plan.exceptions)}): each needs a narrative.")
        for line in plan.exceptions:
            indicator, result = line.record.indicator, line.result
            target = result.target.target if result and result.target else None
            lines.append(f"  - {indicator.id} {indicator.title}: "
                         f"{figure(result.value if result else None, indicator.unit, indicator.decimals)} against "
                         f"a target of {figure(target, indicator.unit, indicator.decimals)}"
                         + (" (has a narrative)" if line.narrative else ""))
    else:
        lines.append("No under-performance exceptions this period.")
    if plan.over:
        lines.append(f"Over-performance exceptions ({len(plan.over)}), a narrative is welcome but not required: "
                     + ", ".join(line.record.indicator.id for line in plan.over))
    lines.append("")
    for stub in written:
        lines.append(f"Wrote {stub.path} ({stub.about}).")
    for stub in kept:
        lines.append(f"Kept {stub.path}: it already exists, so it was not changed.")
    if not written and not kept:
        lines.append("Every exception has a narrative and every theme a commentary: nothing to write.")
    lines += ["", "Checklist (the reporting timetable):"]
    for deadline in plan.deadlines:
        late = " (already past)" if today and today > deadline.due else ""
        lines.append(f"  [ ] by {long_date(deadline.due)}: {deadline.what}{late}")
    lines += [
        "  [ ] fill in every stub: the three sections of each narrative, the owner and action_due;",
        "      a paragraph of commentary for each theme",
        f"  [ ] {build_command} validate --strict    (passes once every narrative is written)",
        f"  [ ] {build_command} build --strict, then {build_command} check",
        "  [ ] open a pull request; CI checks and builds a preview",
        f"  [ ] after the merge, tag the release: git tag -a {tag_prefix}{period.slug} -m \"Publish {period.label} "
        f"partnership report\" && git push origin {tag_prefix}{period.slug}",
        f"      (or end the message of the commit that publishes it with the line “Release: {period.label}”)",
    ]
    return "\n".join(lines) + "\n"
