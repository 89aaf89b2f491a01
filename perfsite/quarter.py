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
from .formatting import DIRECTION_IN_SENTENCE, STATUS_IN_SENTENCE, Formats
from .history import TRAILER_KEY
from .i18n import ENGLISH, N_, Language, Message
from .periods import Period
from .rules import Direction, Status

NARRATIVES_FOLDER = "content/narratives"
COMMENTARY_FOLDER = "content/reports"
# The commentary's title, written into the stub's front matter: the site's text from then on.
COMMENTARY_TITLE = N_("Summary from the theme board")
# A result's rating and direction in the stub's notes for the writer. Red, amber and green are the
# words of the RAG rating (the codes' English); the others are said as in a sentence.
STATUS_IN_NOTES = {**STATUS_IN_SENTENCE, Status.GREEN: N_("green"), Status.AMBER: N_("amber"), Status.RED: N_("red")}
DIRECTION_IN_NOTES = {**DIRECTION_IN_SENTENCE, Direction.WORSENING: N_("worsening")}


class PeriodNotReady(Exception):
    """The period cannot be started yet; the message (an i18n.Message) says what to do."""

    @property
    def message(self) -> Message:
        return self.args[0]


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
    language: Language = ENGLISH  # the site's: the stubs, the deadlines and the checklist are written in it


def report_for(site: AssessedSite, period: Period) -> PartnershipReport:
    report = next((report for report in site.reports if report.period == period), None)
    if report is None or not any(line.is_new for line in report.lines):
        latest = site.latest_with_results
        raise PeriodNotReady(
            Message.of(N_("There are no results for %(period)s in data/results.csv yet (the latest results are for "
                          "%(latest)s). Add the period's rows (indicator_id, period “%(period)s”, value), then run "
                          "new-period again."),
                       period=period.label, latest=latest.label if latest else Message.of(N_("none"))))
    if not report.is_current:
        publishing = site.publish_period
        raise PeriodNotReady(
            Message.of(N_("%(period)s is not the period being published: the site publishes %(published)s. Set "
                          "reporting.publish_period in site.yaml to “%(period)s” (or remove it to publish the latest "
                          "period with results)."),
                       period=period.label,
                       published=publishing.label if publishing else Message.of(N_("nothing"))))
    return report


def _figures(line: ScorecardLine, language: Language) -> list[str]:
    """The exception's figures, one comment line each, for the writer's context."""
    indicator, result = line.record.indicator, line.result
    say, figure = language.gettext, Formats(language).figure

    def shown(value) -> str:
        return figure(value, indicator.unit, indicator.decimals)

    lines = [f"{indicator.id}: {indicator.title}", say("Theme: %(theme)s", theme=line.record.theme.name)]
    if result is not None:
        lines.append(say("Result for %(period)s: %(value)s (%(status)s)", period=result.period.label,
                         value=shown(result.value), status=language.translate(STATUS_IN_NOTES[result.status])))
        if result.target is not None:
            target = result.target
            lines.append(say("Target: %(target)s", target=shown(target.target)) if target.monitoring_level is None
                         else say("Target: %(target)s, monitoring level %(level)s", target=shown(target.target),
                                  level=shown(target.monitoring_level)))
        if result.compared_with is not None:
            lines.append(say("Compared with %(period)s: %(value)s (%(direction)s)", period=result.compared_with.label,
                             value=shown(result.compared_value),
                             direction=language.translate(DIRECTION_IN_NOTES[result.direction])))
        if result.note:
            lines.append(say("Note with the data: %(note)s", note=result.note))
    if line.intervention is not None:
        lines.append(say("Ladder of intervention: stage %(stage)s", stage=line.intervention.stage))
    # the indicator's polarity as written in indicators.csv (the data's code)
    lines.append(say("Polarity: %(polarity)s", polarity=indicator.polarity.value))
    return lines


def narrative_stub(line: ScorecardLine, period: Period, language: Language = ENGLISH) -> Stub:
    indicator = line.record.indicator
    say = language.gettext
    path = f"{NARRATIVES_FOLDER}/{period.slug}/{indicator.id}.md"
    context = "\n".join(f"# {text}" for text in _figures(line, language))
    # The headings are the narrative format's (content.NARRATIVE_SECTIONS, which perfsite reads
    # the sections by), and the front matter's keys are its fields: neither is translated.
    headings = "\n\n".join(f"## {name}\n" for name in NARRATIVE_SECTIONS)
    text = (
        "---\n"
        + say("# Exception narrative for %(period)s. Write a short paragraph under each heading;\n"
              "# until then this counts as a missing narrative and `build --strict` stops.\n"
              "# These lines starting with # are for you and are never published.\n", period=period.label)
        + f"{context}\n"
        + "owner:          " + say("# who is accountable, e.g. Assistant Director, Public Health") + "\n"
        + "action_due:     " + say("# when the action is due, e.g. 2011-09-30") + "\n"
        + "---\n"
        + headings
    )
    return Stub(path, text, say("%(indicator)s exception narrative", indicator=indicator.id))


def commentary_stub(report: PartnershipReport, theme_index: int, language: Language = ENGLISH) -> Stub:
    theme_report = report.themes[theme_index]
    theme = theme_report.theme
    counts = theme_report.counts
    say = language.gettext
    path = f"{COMMENTARY_FOLDER}/{report.period.slug}/{theme.id}.md"
    exceptions = ", ".join(line.record.indicator.id for line in theme_report.under) or say("none")
    text = (
        "---\n"
        + say("# Commentary from the %(theme)s theme board for %(period)s: a paragraph or two\n"
              "# below the second --- line. An empty commentary is not shown.\n"
              "# This period: %(green)s green, %(amber)s amber, %(red)s red; under-performance exceptions: "
              "%(exceptions)s.\n", theme=theme.name, period=report.period.label, green=counts.green,
              amber=counts.amber, red=counts.red, exceptions=exceptions)
        + f"title: {language.translate(COMMENTARY_TITLE)}\n"
        + "---\n"
    )
    return Stub(path, text, say("%(theme)s theme commentary", theme=theme.name))


def deadlines(period: Period, timetable: Timetable, language: Language = ENGLISH) -> tuple[Deadline, ...]:
    say = language.ngettext
    return (
        Deadline(say("results for %(period)s collated (%(num)s week after the period ends)",
                     "results for %(period)s collated (%(num)s weeks after the period ends)",
                     timetable.collate_weeks, period=period.label),
                 timetable.results_due(period)),
        Deadline(say("exception reports written (%(num)s week later)", "exception reports written (%(num)s weeks later)",
                     timetable.exception_report_weeks),
                 timetable.exception_report_due(period)),
        Deadline(say("partnership report published (%(num)s week later)",
                     "partnership report published (%(num)s weeks later)", timetable.partnership_report_weeks),
                 timetable.partnership_report_due(period)),
    )


def plan_quarter(site: AssessedSite, period: Period, language: Optional[Language] = None) -> QuarterPlan:
    """The period's plan, written in ``language`` (by default the site's ``language`` setting)."""
    language = language or Language.for_setting(site.config.language)
    report = report_for(site, period)
    stubs = [narrative_stub(line, period, language) for line in report.missing_narratives]
    stubs += [commentary_stub(report, index, language) for index, theme_report in enumerate(report.themes)
              if theme_report.commentary is None]
    return QuarterPlan(period, report.under, report.over, tuple(stubs),
                       deadlines(period, site.config.timetable, language), language)


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
    """What to do for the period, in the plan's language; ``tag_prefix`` is the site's release
    tags' (``release/<folder>/`` in a folder). Commands, paths and tags are written as typed."""
    period, language = plan.period, plan.language
    say, formats = language.gettext, Formats(language)
    lines = [say("Starting %(period)s (ends %(end)s).", period=period.label, end=formats.long_date(period.end)), ""]
    if plan.exceptions:
        lines.append(language.ngettext("Under-performance exceptions (%(num)s): each needs a narrative.",
                                       "Under-performance exceptions (%(num)s): each needs a narrative.",
                                       len(plan.exceptions)))
        for line in plan.exceptions:
            indicator, result = line.record.indicator, line.result
            target = result.target.target if result and result.target else None
            values = dict(indicator=indicator.id, title=indicator.title,
                          value=formats.figure(result.value if result else None, indicator.unit, indicator.decimals),
                          target=formats.figure(target, indicator.unit, indicator.decimals))
            lines.append("  - " + (say("%(indicator)s %(title)s: %(value)s against a target of %(target)s (has a "
                                       "narrative)", **values) if line.narrative else
                                   say("%(indicator)s %(title)s: %(value)s against a target of %(target)s", **values)))
    else:
        lines.append(say("No under-performance exceptions this period."))
    if plan.over:
        lines.append(language.ngettext(
            "Over-performance exceptions (%(num)s), a narrative is welcome but not required: %(indicators)s",
            "Over-performance exceptions (%(num)s), a narrative is welcome but not required: %(indicators)s",
            len(plan.over), indicators=", ".join(line.record.indicator.id for line in plan.over)))
    lines.append("")
    for stub in written:
        lines.append(say("Wrote %(path)s (%(about)s).", path=stub.path, about=stub.about))
    for stub in kept:
        lines.append(say("Kept %(path)s: it already exists, so it was not changed.", path=stub.path))
    if not written and not kept:
        lines.append(say("Every exception has a narrative and every theme a commentary: nothing to write."))
    lines += ["", say("Checklist (the reporting timetable):")]
    for deadline in plan.deadlines:
        values = dict(date=formats.long_date(deadline.due), what=deadline.what)
        lines.append("  [ ] " + (say("by %(date)s: %(what)s (already past)", **values) if today and today > deadline.due
                                 else say("by %(date)s: %(what)s", **values)))
    tag = f"{tag_prefix}{period.slug}"
    lines += [
        "  [ ] " + say("fill in every stub: the three sections of each narrative, the owner and action_due;"),
        "      " + say("a paragraph of commentary for each theme"),
        "  [ ] " + say("%(command)s validate --strict    (passes once every narrative is written)",
                       command=build_command),
        "  [ ] " + say("%(command)s build --strict, then %(command)s check", command=build_command),
        "  [ ] " + say("open a pull request; CI checks and builds a preview"),
        # TRANSLATORS: the tag's message (-m "…") is the release's, read by people on the releases page.
        "  [ ] " + say("after the merge, tag the release: git tag -a %(tag)s -m \"Publish %(period)s partnership "
                       "report\" && git push origin %(tag)s", tag=tag, period=period.label),
        # the trailer is read by perfsite (history.py), so it is written as it is, in no language
        "      " + say("(or end the message of the commit that publishes it with the line “%(trailer)s”)",
                       trailer=f"{TRAILER_KEY}: {period.label}"),
    ]
    return "\n".join(lines) + "\n"
