"""Data-quality rules that need the assessment: exception narratives and the timetable.

They run after the assess stage (an exception exists only once the rules have
rated the result) and before anything is written, so the publishing gate sees them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .assess import AssessedSite
from .findings import Finding
from .i18n import N_, Message
from .periods import latest_period_ending_by


def as_of_date(site: AssessedSite) -> dt.date:
    """The date timeliness is judged on: the setting, else the build date (from git)."""
    return site.config.timetable.as_of or site.build.build_date


def missing_narratives(site: AssessedSite) -> Iterator[Finding]:
    report = site.current
    if report is None:
        return
    slug = report.period.slug
    for line in report.missing_narratives:
        indicator = line.record.indicator
        result = line.result
        path = f"content/narratives/{slug}/{indicator.id}.md"
        yield Finding("complete.narrative", path,
                      Message.of(N_("%(indicator)s (%(title)s) is red in %(period)s, an under-performance exception "
                                    "of the period being published, and has no exception narrative."),
                                 indicator=indicator.id, title=indicator.title, period=result.period.label),
                      # TRANSLATORS: the section names are the headings the narrative file must have, in English.
                      fix=Message.of(N_("Write %(path)s with the sections Why, Action being taken and Decisions "
                                        "required (a stub written by new-period counts as missing until its sections "
                                        "have text)."), path=path))


def timeliness(site: AssessedSite) -> Iterator[Finding]:
    latest_with_results = site.latest_with_results
    config = site.config
    timetable = config.timetable
    as_of = as_of_date(site)
    granularity = config.reporting.frequency
    due = latest_period_ending_by(as_of - dt.timedelta(weeks=timetable.collate_weeks), granularity)
    if latest_with_results is None or due.sort_key > latest_with_results.sort_key:
        values = dict(as_of=as_of, period=due.label, due=timetable.results_due(due))
        message = (Message.counting("As of %(as_of)s, the results for %(period)s were due by %(due)s, %(num)s week "
                                    "after the period ended, but the latest results are for %(latest)s.",
                                    "As of %(as_of)s, the results for %(period)s were due by %(due)s, %(num)s weeks "
                                    "after the period ended, but the latest results are for %(latest)s.",
                                    timetable.collate_weeks, latest=latest_with_results.label, **values)
                   if latest_with_results else
                   Message.counting("As of %(as_of)s, the results for %(period)s were due by %(due)s, %(num)s week "
                                    "after the period ended, but there are no results.",
                                    "As of %(as_of)s, the results for %(period)s were due by %(due)s, %(num)s weeks "
                                    "after the period ended, but there are no results.",
                                    timetable.collate_weeks, **values))
        yield Finding("timely.results-late", "data/results.csv", message,
                      fix=Message.of(N_("Add the results for %(period)s, or set timetable.as_of in site.yaml if the "
                                        "site is being rebuilt for an earlier date."), period=due.label))
    report = site.current
    if report is None:
        return
    period = report.period
    exception_due = timetable.exception_report_due(period)
    missing = report.missing_narratives
    if as_of > exception_due and missing:
        names = ", ".join(line.record.indicator.id for line in missing)
        yield Finding("timely.exception-report-late", f"content/narratives/{period.slug}/",
                      Message.counting("As of %(as_of)s, the exception report for %(period)s was due by %(due)s, "
                                       "but %(num)s exception narrative is missing: %(names)s.",
                                       "As of %(as_of)s, the exception report for %(period)s was due by %(due)s, "
                                       "but %(num)s exception narratives are missing: %(names)s.",
                                       len(missing), as_of=as_of, period=period.label, due=exception_due, names=names))
    partnership_due = timetable.partnership_report_due(period)
    if as_of > partnership_due and site.package.commentaries:
        without = [theme_report.theme.name for theme_report in report.themes if theme_report.commentary is None]
        if without:
            yield Finding("timely.partnership-report-late", f"content/reports/{period.slug}/",
                          Message.of(N_("As of %(as_of)s, the partnership report for %(period)s was due by "
                                        "%(due)s, but these themes have no commentary for it: %(themes)s."),
                                     as_of=as_of, period=period.label, due=partnership_due, themes=", ".join(without)))
