"""Data-quality rules that need the assessment: exception narratives and the timetable.

They run after the assess stage (an exception exists only once the rules have
rated the result) and before anything is written, so the publishing gate sees them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .assess import AssessedSite
from .findings import Finding
from .formatting import long_date
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
                      f"{indicator.id} ({indicator.title}) is red in {result.period.label}, an under-performance "
                      f"exception of the period being published, and has no exception narrative.",
                      fix=f"Write {path} with the sections Why, Action being taken and Decisions required (a stub "
                          "written by new-period counts as missing until its sections have text).")


def timeliness(site: AssessedSite) -> Iterator[Finding]:
    latest_with_results = site.latest_with_results
    config = site.config
    timetable = config.timetable
    as_of = as_of_date(site)
    granularity = config.reporting.frequency
    due = latest_period_ending_by(as_of - dt.timedelta(weeks=timetable.collate_weeks), granularity)
    if latest_with_results is None or due.sort_key > latest_with_results.sort_key:
        have = f"the latest results are for {latest_with_results.label}" if latest_with_results else "there are no results"
        yield Finding("timely.results-late", "data/results.csv",
                      f"As of {long_date(as_of)}, the results for {due.label} were due by "
                      f"{long_date(timetable.results_due(due))}, {timetable.collate_weeks} weeks after the period "
                      f"ended, but {have}.",
                      fix=f"Add the results for {due.label}, or set timetable.as_of in site.yaml if the site is "
                          "being rebuilt for an earlier date.")
    report = site.current
    if report is None:
        return
    period = report.period
    exception_due = timetable.exception_report_due(period)
    missing = report.missing_narratives
    if as_of > exception_due and missing:
        names = ", ".join(line.record.indicator.id for line in missing)
        yield Finding("timely.exception-report-late", f"content/narratives/{period.slug}/",
                      f"As of {long_date(as_of)}, the exception report for {period.label} was due by "
                      f"{long_date(exception_due)}, but {len(missing)} exception narrative"
                      f"{'s are' if len(missing) > 1 else ' is'} missing: {names}.")
    partnership_due = timetable.partnership_report_due(period)
    if as_of > partnership_due and site.package.commentaries:
        without = [theme_report.theme.name for theme_report in report.themes if theme_report.commentary is None]
        if without:
            yield Finding("timely.partnership-report-late", f"content/reports/{period.slug}/",
                          f"As of {long_date(as_of)}, the partnership report for {period.label} was due by "
                          f"{long_date(partnership_due)}, but these themes have no commentary for it: "
                          f"{', '.join(without)}.")
