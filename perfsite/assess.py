"""Stage 4, assess: every rule of the contract applied to every result, once.

The output is what the pages show: each indicator's series with its status,
direction of travel, exception, stage on the ladder of intervention and forecast;
and for each reporting period, the partnership report and each theme's exception
report (scorecard lines, status counts, spend against profiled budget).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache, cached_property
from operator import attrgetter
from typing import Optional

from .bulk import frozen_maker, reduce_by_fields, without_cyclic_gc
from .config import SiteConfig
from .history import History, Release, Revision
from .i18n import N_, Message
from .model import (
    Assessment,
    Benchmark,
    Commentary,
    DataPackage,
    Indicator,
    Narrative,
    Result,
    SpendLine,
    Target,
    Theme,
)
from .periods import Granularity, Period, periods_between
from .rules import (
    MAX_INTERVENTION_STAGE,
    AppliedTarget,
    Direction,
    ExceptionKind,
    Forecast,
    Measure,
    Status,
    TargetLevels,
    applicable_target,
    comparison_position,
    direction,
    exception,
    forecast_from_projection,
    intervention_stage,
    is_review_point,
    linear_projection,
    status,
)
from .source import BuildInfo


@dataclass(frozen=True, slots=True)  # a million of them, kept to the end of the build (bulk.py)
class AssessedResult:
    """One result with everything the rules say about it."""

    indicator_id: str
    period: Period
    value: Optional[Decimal]
    status: Status
    direction: Direction
    target: Optional[AppliedTarget] = None
    compared_with: Optional[Period] = None
    compared_value: Optional[Decimal] = None
    exception: Optional[ExceptionKind] = None
    intervention_stage: Optional[int] = None  # set at review points only
    forecast: Optional[Forecast] = None
    forecast_basis: Optional[str] = None  # "assessment" or "trend"
    forecast_for: Optional[Period] = None  # the target period the forecast is about
    forecast_reason: Optional[str] = None  # an officer's reason, for an assessment
    forecast_missing: Optional[str] = None  # why there is no forecast, in a resident's words (an i18n.Message)
    projected: Optional[Fraction] = None  # the trend's value at the end of the target period
    note: Optional[str] = None
    data_status: str = "final"
    revised: bool = False  # differs from the figure first published at a release (release tags in git)
    published_value: Optional[Decimal] = None  # the figure as first published, when revised
    published_in: Optional[str] = None  # the release tag that first published it, when revised
    numerator: Optional[Decimal] = None
    denominator: Optional[Decimal] = None
    lower_ci: Optional[Decimal] = None
    upper_ci: Optional[Decimal] = None
    benchmarks: tuple[Benchmark, ...] = ()
    # No row number of results.csv (the model's Result keeps it): no page shows one, and in a
    # page's key it would tie an indicator's pages to how many rows are above its own.

    @property
    def provisional(self) -> bool:
        return self.data_status in ("provisional", "estimate")

    @property
    def has_value(self) -> bool:
        return self.value is not None

    def benchmark(self, comparator: str) -> Optional[Decimal]:
        """The comparator's figure for this result's period, if there is one."""
        return next((b.value for b in self.benchmarks if b.comparator == comparator), None)

    __reduce__ = reduce_by_fields


@dataclass(frozen=True, slots=True)  # one per review point of every indicator
class InterventionStanding:
    """Where an indicator stands on the ladder of intervention, and since which review."""

    stage: int
    review_period: Period

    __reduce__ = reduce_by_fields


@dataclass(frozen=True)
class IndicatorRecord:
    indicator: Indicator
    theme: Theme
    other_themes: tuple[Theme, ...]
    series: tuple[AssessedResult, ...]  # oldest first
    targets: tuple[Target, ...]
    narratives: tuple[Narrative, ...]
    standings: tuple[InterventionStanding, ...]  # one per review point, oldest first

    @property
    def latest(self) -> Optional[AssessedResult]:
        return self.series[-1] if self.series else None

    @cached_property
    def _series_ends(self) -> list[int]:
        return [result.period.last_month_index for result in self.series]

    def as_at(self, period: Period, months_current: int) -> Optional[AssessedResult]:
        """The latest result that had ended by the end of ``period`` and is still current."""
        end = period.last_month_index
        position = bisect_right(self._series_ends, end)  # the series is in period order
        if not position:
            return None
        result = self.series[position - 1]
        # Still current if it ended within the last ``months_current`` months: the
        # previous year's annual figure is the latest one in the year-end report.
        return result if result.period.last_month_index >= end - months_current else None

    @property
    def benchmarked(self) -> tuple[AssessedResult, ...]:
        """Results that have comparator figures, oldest first."""
        return tuple(result for result in self.series if result.benchmarks)

    @property
    def comparators(self) -> tuple[str, ...]:
        """The comparators used by any result, in order of first use."""
        seen: dict[str, None] = {}
        for result in self.benchmarked:
            for benchmark in result.benchmarks:
                seen.setdefault(benchmark.comparator, None)
        return tuple(seen)

    @cached_property
    def _standing_ends(self) -> list[int]:
        return [standing.review_period.last_month_index for standing in self.standings]

    def standing_at(self, period: Period) -> Optional[InterventionStanding]:
        """The standing at the latest review point that had ended by the end of ``period``."""
        position = bisect_right(self._standing_ends, period.last_month_index)  # the reviews are in order
        return self.standings[position - 1] if position else None

    def narrative_for(self, report_period: Period, result_period: Optional[Period]) -> Optional[Narrative]:
        """The narrative written for a report, or else for the result's own period."""
        if not self.narratives:
            return None
        for wanted in (report_period, result_period):
            for narrative in self.narratives:
                if narrative.period == wanted:
                    return narrative
        return None


@dataclass(frozen=True)
class StatusCounts:
    green: int = 0
    amber: int = 0
    red: int = 0
    no_target: int = 0
    no_data: int = 0
    not_rated: int = 0

    @classmethod
    def of(cls, statuses: Iterable[Status]) -> "StatusCounts":
        # Counted by list.count, once for each of the six statuses: a Counter would hash
        # every status, and an Enum's hash is Python code (760,000 lines in a million-result site).
        statuses = list(statuses)
        return cls(**{status.value.replace("-", "_"): statuses.count(status) for status in Status})

    @classmethod
    def total_of(cls, counts: Iterable["StatusCounts"]) -> "StatusCounts":
        """The counts of several reports added together."""
        counts = tuple(counts)
        return cls(**{name: sum(getattr(c, name) for c in counts) for name in cls.__dataclass_fields__})

    @property
    def total(self) -> int:
        return self.green + self.amber + self.red + self.no_target + self.no_data + self.not_rated

    @property
    def rated(self) -> int:
        return self.green + self.amber + self.red

    def items(self) -> list[tuple[Status, int]]:
        return [(s, getattr(self, s.value.replace("-", "_"))) for s in Status]


@dataclass(frozen=True, slots=True)  # every indicator in every report: most of a million
class ScorecardLine:
    record: IndicatorRecord
    result: Optional[AssessedResult]  # as at the report's period
    is_new: bool  # the result's period ends within the report's period
    intervention: Optional[InterventionStanding]
    narrative: Optional[Narrative]
    lead: bool  # the theme leads on the indicator (otherwise it contributes)

    @property
    def status(self) -> Status:
        return self.result.status if self.result else Status.NO_DATA

    @property
    def exception(self) -> Optional[ExceptionKind]:
        return self.result.exception if self.result and self.is_new else None

    __reduce__ = reduce_by_fields


@dataclass(frozen=True)
class SpendRow:
    programme: str
    funding: Optional[str]
    budget_to_date: Decimal
    actual_to_date: Optional[Decimal]  # None when no actual spend is reported yet
    variance: Optional[Decimal]  # actual - budget to date
    full_year_budget: Decimal
    actual_missing: bool  # some profiled periods to date have no actual figure


@dataclass(frozen=True)
class SpendSummary:
    financial_year: Period
    rows: tuple[SpendRow, ...]
    budget_to_date: Decimal
    actual_to_date: Optional[Decimal]
    variance: Optional[Decimal]
    full_year_budget: Decimal


@dataclass(frozen=True)
class ThemeReport:
    theme: Theme
    period: Period
    lines: tuple[ScorecardLine, ...]  # indicators the theme leads
    contributing: tuple[ScorecardLine, ...]  # indicators led elsewhere that the theme contributes to
    counts: StatusCounts
    spend: Optional[SpendSummary]
    commentary: Optional[Commentary]

    @property
    def under(self) -> tuple[ScorecardLine, ...]:
        return tuple(line for line in self.lines if line.exception is ExceptionKind.UNDER)

    @property
    def over(self) -> tuple[ScorecardLine, ...]:
        return tuple(line for line in self.lines if line.exception is ExceptionKind.OVER)

    @property
    def other_narratives(self) -> tuple[ScorecardLine, ...]:
        return tuple(line for line in self.lines if line.narrative and line.exception is None)


@dataclass(frozen=True)
class PartnershipReport:
    period: Period
    themes: tuple[ThemeReport, ...]
    counts: StatusCounts
    previous: Optional[Period] = None
    next: Optional[Period] = None
    is_current: bool = False

    @property
    def lines(self) -> tuple[ScorecardLine, ...]:
        return tuple(line for theme in self.themes for line in theme.lines)

    @property
    def under(self) -> tuple[ScorecardLine, ...]:
        return tuple(line for theme in self.themes for line in theme.under)

    @property
    def over(self) -> tuple[ScorecardLine, ...]:
        return tuple(line for theme in self.themes for line in theme.over)

    @property
    def intervention(self) -> tuple[ScorecardLine, ...]:
        """Indicators on the ladder of intervention, highest stage first."""
        lines = [line for line in self.lines if line.intervention and line.intervention.stage > 0]
        return tuple(sorted(lines, key=lambda line: (-line.intervention.stage, line.record.indicator.id)))

    @property
    def missing_narratives(self) -> tuple[ScorecardLine, ...]:
        return tuple(line for line in self.under if line.narrative is None)


@dataclass(frozen=True)
class PublishedReport:
    """A release's partnership report as it was published, and what changed since."""

    release: Release
    report: Optional[PartnershipReport]  # None when the release could not be rebuilt
    revisions_since: tuple[Revision, ...]  # figures it showed that were revised later
    problem: Optional[str] = None  # why it could not be rebuilt, in a sentence (an i18n.Message)


@dataclass(frozen=True)
class AssessedSite:
    config: SiteConfig
    package: DataPackage  # without its results (each is in its indicator's record, assessed)
    build: BuildInfo
    records: tuple[IndicatorRecord, ...]  # by indicator id
    reports: tuple[PartnershipReport, ...]  # oldest first
    publish_period: Optional[Period]  # the period being published
    latest_with_results: Optional[Period]  # the latest reporting period some result ends with
    theme_records: dict[str, tuple[IndicatorRecord, ...]] = field(default_factory=dict)
    history: History = field(default_factory=History)
    # each release's partnership report as it was published, by period slug (from the release's commit)
    published: dict[str, "PublishedReport"] = field(default_factory=dict)

    @property
    def current(self) -> Optional[PartnershipReport]:
        return self.reports[-1] if self.reports else None

    @property
    def themes(self) -> tuple[Theme, ...]:
        return self.package.themes

    @property
    def retired_themes(self) -> tuple[Theme, ...]:
        """Themes retired before the period being published: their pages stay."""
        return tuple(t for t in self.package.themes if t.is_retired_by(self.publish_period))

    @property
    def retired_records(self) -> tuple[IndicatorRecord, ...]:
        """Indicators retired before the period being published: their pages stay."""
        return tuple(r for r in self.records if r.indicator.is_retired_by(self.publish_period))

    def record(self, indicator_id: str) -> IndicatorRecord:
        return next(r for r in self.records if r.indicator.id == indicator_id)


# ------------------------------------------------------------------ assessing
def assess(package: DataPackage, config: SiteConfig, build: BuildInfo,
           history: Optional[History] = None) -> AssessedSite:
    # a million assessed results and their report lines: no cycles among them, and they
    # live as long as the build, so the collector need not walk them on the way (bulk.py)
    with without_cyclic_gc(long_lived=True):
        return _assess(package, config, build, history)


def _assess(package: DataPackage, config: SiteConfig, build: BuildInfo,
            history: Optional[History] = None) -> AssessedSite:
    history = history or History()
    themes = {theme.id: theme for theme in package.themes}
    grouped = _group(package)
    records = tuple(_assess_indicator(indicator, themes, grouped, config, history) for indicator in package.indicators)
    latest_with_results = _latest_reporting_period(records, config.reporting.frequency)
    publish_period = config.reporting.publish_period or latest_with_results
    reports = _reports(records, package, config, publish_period)
    theme_records = {
        theme.id: tuple(r for r in records if r.indicator.theme_id == theme.id) for theme in package.themes
    }
    # Every result lives on in its indicator's record (each field of it in an assessed
    # result), so the site keeps the package without them: a million results are not held
    # twice while the site is rendered.
    return AssessedSite(config, dataclasses.replace(package, results=()), build, records, reports, publish_period,
                        latest_with_results, theme_records, history)


def _revision(history: History, indicator_id: str, period: Period,
              value: Optional[Decimal]) -> tuple[bool, Optional[Decimal], Optional[str]]:
    """Revised?, the value first published and the release that published it, when the
    result's value differs from the one first published at a release."""
    published = history.first_published.get((indicator_id, period.label))
    if published is not None:
        first_value, release = published
        first = Decimal(first_value) if first_value is not None else None
        if first != value:
            return True, first, release.tag
    return False, None, None


@dataclass
class _Grouped:
    results: dict[str, list[Result]] = field(default_factory=lambda: defaultdict(list))
    targets: dict[str, list[Target]] = field(default_factory=lambda: defaultdict(list))
    # by indicator, then period
    benchmarks: dict[str, dict[Period, list[Benchmark]]] = field(default_factory=lambda: defaultdict(dict))
    assessments: dict[str, dict[Period, Assessment]] = field(default_factory=lambda: defaultdict(dict))
    narratives: dict[str, list[Narrative]] = field(default_factory=lambda: defaultdict(list))


def _group(package: DataPackage) -> _Grouped:
    grouped = _Grouped()
    for result in package.results:
        grouped.results[result.indicator_id].append(result)
    for target in package.targets:
        grouped.targets[target.indicator_id].append(target)
    for benchmark in package.benchmarks:
        grouped.benchmarks[benchmark.indicator_id].setdefault(benchmark.period, []).append(benchmark)
    for assessment in package.assessments:
        grouped.assessments[assessment.indicator_id][assessment.period] = assessment
    for narrative in package.narratives:
        grouped.narratives[narrative.indicator_id].append(narrative)
    return grouped


def _assess_indicator(indicator: Indicator, themes: dict[str, Theme], grouped: _Grouped,
                      config: SiteConfig, history: History) -> IndicatorRecord:
    rules = config.rules
    tolerance = indicator.tolerance if indicator.tolerance is not None else rules.tolerance
    polarity = indicator.polarity
    granularity = indicator.granularity
    periods_apart = indicator.periods_between_results
    results = sorted((r for r in grouped.results.get(indicator.id, ()) if r.period.granularity is granularity),
                     key=_BY_PERIOD)
    targets = tuple(grouped.targets.get(indicator.id, ()))
    target_levels = {t.period: t.levels for t in targets}
    # A target applies to a result only if it was set for the result's financial year (for
    # its period, or for the whole year): most years of most indicators have none, and
    # for those the answer (no target) is known without asking the rule.
    target_years = {t.period.year for t in targets}
    # Positions of the results among their granularity's periods, numbered consecutively
    # (year x periods a year + number - 1): the periods compared and reviewed are found
    # by arithmetic and whole-number look-ups instead of Period objects.
    months, per_year = granularity.months, granularity.per_year
    positions = [r.period.first_month_index // months for r in results]
    # the results compared with (a result is its own observation: value and interval)
    with_value = {position: r for position, r in zip(positions, results) if r.value is not None}
    benchmarks = grouped.benchmarks.get(indicator.id)
    forecasts = _forecasts(indicator, results, target_levels, grouped.assessments.get(indicator.id, {}), tolerance,
                           rules.forecast_points)

    # The rules of each result on its own, then the ladder of intervention (which needs
    # the statuses of the review points up to each one); the results are made once, after.
    measure = indicator.measure
    applied_targets = [applicable_target(r.period, target_levels, measure) if r.period.year in target_years else None
                       for r in results]
    # Without a target, the rule's answer depends only on whether there is a figure (no
    # data, not rated or no target): asked once of each case, not of every such result.
    untargeted = (status(_A_FIGURE, None, polarity, tolerance), status(None, None, polarity, tolerance))
    statuses = [status(r.value, applied, polarity, tolerance) if applied is not None else untargeted[r.value is None]
                for r, applied in zip(results, applied_targets)]
    stages, standings = _intervention(positions, statuses, indicator, rules.review_points)

    indicator_id, threshold, exceed_margin = indicator.id, rules.direction_threshold, rules.exceed_margin
    revisions = bool(history.first_published)
    series = []
    for result, position, applied, rating, stage, forecast in zip(results, positions, applied_targets, statuses,
                                                                  stages, forecasts):
        period, value = result.period, result.value
        earlier_position = comparison_position(position, with_value, per_year, periods_apart)
        earlier = with_value[earlier_position] if earlier_position is not None else None
        travel = direction(result, earlier, polarity, threshold)
        revised, published_value, published_in = (
            _revision(history, indicator_id, period, value) if revisions else (False, None, None))
        # every field, in AssessedResult's order (the forecast's six fields are in that order too)
        series.append(_make_assessed_result(
            indicator_id, period, value, rating, travel, applied,
            earlier.period if earlier else None, earlier.value if earlier else None,  # compared with
            # with no target a result is never red nor over it: no exception (the rule's own first answer)
            exception(value, applied, rating, polarity, exceed_margin) if applied is not None else None,
            stage, *forecast,
            result.note, result.data_status, revised, published_value, published_in,
            result.numerator, result.denominator, result.lower_ci, result.upper_ci,
            tuple(benchmarks.get(period, ())) if benchmarks else (),
        ))
    return IndicatorRecord(
        indicator=indicator,
        theme=themes[indicator.theme_id],
        other_themes=tuple(themes[t] for t in indicator.other_theme_ids if t in themes),
        series=tuple(series),
        targets=targets,
        narratives=tuple(sorted(grouped.narratives.get(indicator.id, ()), key=lambda n: n.period.sort_key)),
        standings=standings,
    )


_BY_PERIOD = attrgetter("period.sort_key")
_A_FIGURE = Decimal(0)  # any figure: what status() says without a target does not depend on which
# A million assessed results and report lines: made by positional constructors (bulk.py)
_make_assessed_result = frozen_maker(AssessedResult)
_make_standing = frozen_maker(InterventionStanding)
_make_line = frozen_maker(ScorecardLine)


def _intervention(positions: Sequence[int], statuses: Sequence[Status], indicator: Indicator,
                  review: Granularity) -> tuple[list[Optional[int]], tuple[InterventionStanding, ...]]:
    """Stages at each review point: consecutive red reviews ending there (missing = not red).

    ``positions`` are the results' periods numbered consecutively within the indicator's
    granularity (as in _assess_indicator), in order. The stage of each result (None
    unless its period is a review point), and the indicator's standing at every review
    point from its first result to its last.
    """
    if not positions or not indicator.polarity.is_rated:
        return [None] * len(positions), ()
    granularity = indicator.granularity
    per_year = granularity.per_year
    # Which positions in the year are review points depends only on the position: ask
    # the rule once for each, then step from review point to review point as numbers.
    reviewed = [number - 1 for number in range(1, per_year + 1)
                if is_review_point(Period.of(granularity, 0, number), review)]
    red = {position: rating is Status.RED for position, rating in zip(positions, statuses)}
    first, last = positions[0], positions[-1]
    reds: list[bool] = []
    stages: dict[int, int] = {}
    standings = []
    for year in range(first // per_year, last // per_year + 1):
        for in_year in reviewed:
            position = year * per_year + in_year
            if first <= position <= last:
                reds.append(red.get(position, False))
                # the stage counts consecutive reds no further back than the top of the ladder
                stage = stages[position] = intervention_stage(reds[-MAX_INTERVENTION_STAGE:])
                standings.append(_make_standing(stage, Period.of(granularity, year, in_year + 1)))
    return [stages.get(position) for position in positions], tuple(standings)


# What _forecasts gives for each result, in the order of AssessedResult's fields: the
# forecast, its basis, the target period it is about, the officer's reason, why there is
# none, and the trend's projected value.
_ForecastFields = tuple[Optional[Forecast], Optional[str], Optional[Period], Optional[str], Optional[str],
                        Optional[Fraction]]


@cache
def _no_forecast(reason: str, **values: str) -> _ForecastFields:
    """No forecast, and why, in a whole sentence of the catalogue (translated when shown).

    The same few sentences for every indicator (a few per period): each is made once and
    shared, rather than once for every year of every indicator (half a million at a
    million results). A Message is an immutable string, so sharing it changes nothing.
    """
    return None, None, None, None, Message.of(reason, **values), None


def _forecasts(indicator: Indicator, results: Sequence[Result], targets: dict[Period, TargetLevels],
               assessments: dict[Period, Assessment], tolerance, forecast_points: int) -> list[_ForecastFields]:
    """Forecast, at each result (results in period order), of achieving the target of
    the year the result looks ahead to.

    The target period is the result's financial year, or the next one once the
    year has ended. An officer's assessment (for the result's period, or for the
    target period) wins; otherwise the straight-line trend of the last few results
    is projected to the end of the target period and rated like a result.
    """
    if not indicator.polarity.is_rated:
        return [_no_forecast(N_("No forecast: the indicator is for information and is not rated against a "
                                "target."))] * len(results)
    cumulative = indicator.measure is Measure.CUMULATIVE
    granularity, periods_apart = indicator.granularity, indicator.periods_between_results
    # The target period and its target change once a year: kept from the previous result.
    year_seen, ends_seen, target_period, target = None, None, None, None
    # The last few results with values up to the current one (for a year-to-date total, of its year only).
    points: deque[tuple[int, Decimal]] = deque(maxlen=forecast_points)
    points_year: Optional[Period] = None
    forecasts = []
    for result in results:
        period = result.period
        year = period.financial_year
        if cumulative and year != points_year:
            points.clear()
            points_year = year
        if result.value is not None:
            points.append((period.last_month_index, result.value))
        ends = period.ends_financial_year
        if year is not year_seen or ends is not ends_seen:
            year_seen, ends_seen = year, ends
            target_period = year.later(periods_apart) if ends else year
            # the target of the year, or else of its last period (Q4 for a quarterly indicator)
            target = targets.get(target_period) if targets else None
            if target is None and targets:
                target = targets.get(Period.of(granularity, target_period.year, granularity.per_year))
            # the same for every result of the year
            no_target = (_no_forecast(N_("No forecast: no target is set for %(period)s."),
                                      period=target_period.label) if target is None else None)
            next_year = (_no_forecast(N_("No forecast: a year-to-date total says nothing about %(period)s."),
                                      period=target_period.label)
                         if cumulative and target_period != year else None)
            no_trend = (_no_forecast(N_("No forecast: a trend needs at least two results in %(year)s."),
                                     year=year.label) if cumulative
                        else _no_forecast(N_("No forecast: a trend needs at least two results.")))
        assessment = assessments.get(period) if assessments else None
        if assessment is None and assessments:
            assessment = assessments.get(target_period)
        if assessment is not None:
            forecasts.append((assessment.forecast, "assessment", target_period, assessment.reason, None, None))
            continue
        if result.value is None:
            forecasts.append(_no_forecast(N_("No forecast: there is no figure for %(period)s."), period=period.label))
            continue
        if next_year is not None:
            # a year-to-date total says nothing about the next year
            forecasts.append(next_year)
            continue
        if target is None:
            forecasts.append(no_target)
            continue
        projected = linear_projection(points, target_period.last_month_index)
        if projected is None:
            forecasts.append(no_trend)
            continue
        rating = forecast_from_projection(projected, target, indicator.polarity, tolerance)
        forecasts.append((rating, "trend", target_period, None, None, projected))
    return forecasts


# -------------------------------------------------------------------- reports
def _latest_reporting_period(records: Sequence[IndicatorRecord], granularity: Granularity) -> Optional[Period]:
    """The latest reporting period that some result ends with."""
    # A few hundred distinct periods, nearly all of them shared objects (Period.of): told
    # apart by identity first, which hashes a number, not each result's period (Python code).
    ends = set({id(result.period): result.period for record in records for result in record.series}.values())
    candidates = [_reporting_period_ending_with(p, granularity) for p in ends]
    candidates = [c for c in candidates if c is not None]
    return max(candidates, key=lambda p: p.sort_key) if candidates else None


def _reporting_period_ending_with(period: Period, granularity: Granularity) -> Optional[Period]:
    """The reporting period that ends when ``period`` ends, if there is one."""
    if period.granularity.months > granularity.months:
        last = period.periods_of(granularity)[-1]
        return last if last.end == period.end else None
    containing = [p for p in period.financial_year.periods_of(granularity) if p.contains(period)]
    if containing and containing[0].end == period.end:
        return containing[0]
    return None


def _report_periods(records: Sequence[IndicatorRecord], granularity: Granularity,
                    publish_period: Optional[Period]) -> list[Period]:
    if publish_period is None:
        return []
    starts = [record.series[0].period for record in records if record.series]
    if not starts:
        return [publish_period]
    earliest = min(starts, key=lambda p: p.last_month_index)
    first = next(p for p in earliest.financial_year.periods_of(granularity) if p.last_month_index >= earliest.last_month_index)
    if first.sort_key > publish_period.sort_key:
        return [publish_period]
    return periods_between(first, publish_period)


def _reports(records: Sequence[IndicatorRecord], package: DataPackage, config: SiteConfig,
             publish_period: Optional[Period]) -> tuple[PartnershipReport, ...]:
    periods = _report_periods(records, config.reporting.frequency, publish_period)
    commentaries = {(c.theme_id, c.period): c for c in package.commentaries}
    spend_by_theme: dict[str, list[SpendLine]] = defaultdict(list)
    for line in package.spend:
        spend_by_theme[line.theme_id].append(line)
    # Each theme's indicators, in the order of the records, found once rather than in every report.
    leads: dict[str, list[IndicatorRecord]] = defaultdict(list)
    contributions: dict[str, list[IndicatorRecord]] = defaultdict(list)
    for record in records:
        leads[record.indicator.theme_id].append(record)
        for theme_id in dict.fromkeys(record.indicator.other_theme_ids):
            contributions[theme_id].append(record)
    months_current = config.reporting.months_a_result_stays_current
    # each theme's indicators' lines in every report: by theme, by report (zip turns each
    # indicator's lines in every report into every indicator's lines in each report)
    lead_lines = {theme_id: list(zip(*(_lines(record, periods, months_current, True) for record in theme_records)))
                  for theme_id, theme_records in leads.items()}
    contributing_lines = {
        theme_id: list(zip(*(_lines(record, periods, months_current, False) for record in theme_records)))
        for theme_id, theme_records in contributions.items()}
    no_lines = [()] * len(periods)  # a theme that leads on, or contributes to, no indicator
    reports = []
    for position, period in enumerate(periods):
        theme_reports = tuple(
            _theme_report(theme, period, lead_lines.get(theme.id, no_lines)[position],
                          contributing_lines.get(theme.id, no_lines)[position],
                          commentaries.get((theme.id, period)), spend_by_theme.get(theme.id, []))
            for theme in package.themes if not theme.is_retired_by(period)
        )
        reports.append(PartnershipReport(
            period=period, themes=theme_reports,
            counts=StatusCounts.total_of(report.counts for report in theme_reports),
            previous=periods[position - 1] if position else None,
            next=periods[position + 1] if position + 1 < len(periods) else None,
            is_current=position == len(periods) - 1,
        ))
    return tuple(reports)


def _line(record: IndicatorRecord, period: Period, months_current: int, lead: bool) -> ScorecardLine:
    """An indicator's line in one report, found by searching its series: the plain
    reading that ``_lines`` (one walk for all reports) must agree with (tests/test_assess_speed.py)."""
    result = record.as_at(period, months_current)
    # New in this report: the result's period ends within the report's period.
    is_new = result is not None and period.first_month_index <= result.period.last_month_index
    return _make_line(record, result, is_new, record.standing_at(period),  # record, result, is_new, intervention,
                      record.narrative_for(period, result.period if result else None), lead)  # narrative, lead


def _lines(record: IndicatorRecord, periods: Sequence[Period], months_current: int,
           lead: bool) -> list[Optional[ScorecardLine]]:
    """The indicator's line in the report of each period (None once it is retired), as a
    theme shows it that leads on it or contributes to it: the same as
    ``_line(record, period, months_current, lead)``.

    The report periods, the results and the review points are all in order, so one
    walk along them finds each report's latest result and standing, instead of a
    search of the series for each of the reports (thousands of indicators, 120 reports).
    """
    series, ends = record.series, record._series_ends
    standings, standing_ends = record.standings, record._standing_ends
    retired = record.indicator.retired
    results_ended = reviews_ended = 0  # how many results and review points had ended by the report's end
    lines: list[Optional[ScorecardLine]] = []
    for period in periods:
        if retired is not None and record.indicator.is_retired_by(period):
            lines.append(None)  # retired indicators leave later reports
            continue
        end = period.last_month_index
        while results_ended < len(ends) and ends[results_ended] <= end:
            results_ended += 1
        while reviews_ended < len(standing_ends) and standing_ends[reviews_ended] <= end:
            reviews_ended += 1
        # as_at: the latest result that had ended, if it is still current
        current = results_ended and ends[results_ended - 1] >= end - months_current
        result = series[results_ended - 1] if current else None
        lines.append(_make_line(
            record, result, result is not None and period.first_month_index <= ends[results_ended - 1],  # is_new
            standings[reviews_ended - 1] if reviews_ended else None,  # intervention
            record.narrative_for(period, result.period if result else None) if record.narratives else None,
            lead,
        ))
    return lines


def _theme_report(theme: Theme, period: Period, lines: Sequence[Optional[ScorecardLine]],
                  contributing: Sequence[Optional[ScorecardLine]], commentary: Optional[Commentary],
                  spend: list[SpendLine]) -> ThemeReport:
    # None for an indicator retired by then: it leaves later reports
    lines, contributing = tuple(filter(None, lines)), tuple(filter(None, contributing))
    return ThemeReport(theme, period, lines, contributing, _status_counts(lines), _spend_summary(spend, period),
                       commentary)


def _status_counts(lines: Sequence[ScorecardLine]) -> StatusCounts:
    """``StatusCounts.of(line.status for line in lines)``, without asking each line: a line
    with no result counts as no data (what ``ScorecardLine.status`` says), the others as
    their result's status. 760,000 lines in a million-result site: attribute reads, not
    property calls."""
    results = [line.result for line in lines]
    counts = StatusCounts.of([result.status for result in results if result is not None])
    no_result = results.count(None)
    return dataclasses.replace(counts, no_data=counts.no_data + no_result) if no_result else counts


def _spend_summary(lines: list[SpendLine], period: Period) -> Optional[SpendSummary]:
    """Year-to-date spend against profiled budget, by programme, at the end of ``period``."""
    year = period.financial_year
    in_year = [line for line in lines if year.contains(line.period)]
    if not in_year:
        return None
    programmes: dict[tuple[str, Optional[str]], list[SpendLine]] = defaultdict(list)
    for line in in_year:
        programmes[(line.programme, line.funding)].append(line)
    rows = []
    for (programme, funding), entries in sorted(programmes.items(), key=lambda item: item[0][0].lower()):
        to_date = [e for e in entries if e.period.last_month_index <= period.last_month_index]
        budget = sum((e.budget for e in to_date), Decimal(0))
        actuals = [e.actual for e in to_date if e.actual is not None]
        actual = sum(actuals, Decimal(0)) if actuals else None
        rows.append(SpendRow(
            programme=programme, funding=funding, budget_to_date=budget, actual_to_date=actual,
            variance=(actual - budget) if actual is not None else None,
            full_year_budget=sum((e.budget for e in entries), Decimal(0)),
            actual_missing=len(actuals) < len(to_date),
        ))
    budget = sum((r.budget_to_date for r in rows), Decimal(0))
    actual_values = [r.actual_to_date for r in rows if r.actual_to_date is not None]
    actual = sum(actual_values, Decimal(0)) if actual_values else None
    return SpendSummary(year, tuple(rows), budget, actual,
                        (actual - budget) if actual is not None else None,
                        sum((r.full_year_budget for r in rows), Decimal(0)))
