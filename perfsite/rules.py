"""The contract's performance rules, as pure functions.

Every rating a reader sees is computed here from the figures, never typed in:
which target applies, status (RAG), direction of travel, exceptions, the stage on
the ladder of intervention, and the forecast. Numbers are ``Decimal`` (as written
in the data files) and ``Fraction`` for profiled targets, so that boundaries are
exact: a value exactly 5 % short of its target is amber, not red by a rounding error.

The arithmetic is exact without being slow: the figures a rule compares are first
put on one scale (multiplied by the common denominator of any fractions among them,
which changes no comparison), and then added, subtracted and multiplied as decimals
in a context that keeps every digit (``_EXACT``). Rational arithmetic on ``Fraction``
is a hundred times slower, and a million results are assessed at every build.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, InvalidOperation, Rounded
from fractions import Fraction
from functools import cached_property
from typing import Optional, Protocol, Union

from .periods import Granularity, Period

Number = Union[Decimal, Fraction, int]


class Polarity(str, enum.Enum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # lower is better
    NONE = "none"  # contextual: no better or worse

    @property
    def is_rated(self) -> bool:
        return self is not Polarity.NONE


class Measure(str, enum.Enum):
    LEVEL = "level"
    CUMULATIVE = "cumulative"  # year-to-date totals


class Status(str, enum.Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_TARGET = "no-target"
    NO_DATA = "no-data"
    NOT_RATED = "not-rated"

    @property
    def is_rag(self) -> bool:
        return self in (Status.GREEN, Status.AMBER, Status.RED)


class Direction(str, enum.Enum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no-change"
    NOT_COMPARABLE = "not-comparable"
    # For indicators with no polarity, where neither way is better (Fingertips' usage).
    INCREASING = "increasing"
    DECREASING = "decreasing"


class ExceptionKind(str, enum.Enum):
    UNDER = "under"  # under-performance: red against target
    OVER = "over"  # over-performance: beats target by more than the exceed margin


class Forecast(str, enum.Enum):
    LIKELY = "likely"  # achievement likely (green)
    DIFFICULT = "difficult"  # achievement difficult (amber)
    UNLIKELY = "unlikely"  # achievement unlikely (red)


FORECAST_FOR_STATUS = {Status.GREEN: Forecast.LIKELY, Status.AMBER: Forecast.DIFFICULT, Status.RED: Forecast.UNLIKELY}

MAX_INTERVENTION_STAGE = 3


@dataclass(frozen=True)
class TargetLevels:
    """A target as written: the target, its monitoring level and stretch, for one period."""

    period: Period
    target: Decimal
    monitoring_level: Optional[Decimal] = None
    stretch: Optional[Decimal] = None

    @cached_property
    def as_applied(self) -> "AppliedTarget":
        """The target applied as it is, unprofiled: one object shared by every result it applies to."""
        return AppliedTarget(self.period, self.target, self.monitoring_level, self.stretch)


@dataclass(frozen=True)
class AppliedTarget:
    """The target that applies to one result, profiled when the indicator is cumulative."""

    source_period: Period  # the period the target was set for
    target: Number
    monitoring_level: Optional[Number] = None
    stretch: Optional[Number] = None
    profile: Optional[Fraction] = None  # share of the annual target, when profiled

    @property
    def is_profiled(self) -> bool:
        return self.profile is not None


@dataclass(frozen=True)
class Observation:
    """A value with its confidence interval, for comparing results."""

    value: Optional[Number]
    lower_ci: Optional[Number] = None
    upper_ci: Optional[Number] = None

    @property
    def has_interval(self) -> bool:
        return self.lower_ci is not None and self.upper_ci is not None


class Observed(Protocol):
    """What direction of travel reads of a result: an Observation, or a result itself
    (model.Result has the same three fields, so assess needs no copy of a million)."""

    value: Optional[Number]
    lower_ci: Optional[Number]
    upper_ci: Optional[Number]


def has_interval(observed: Observed) -> bool:
    return observed.lower_ci is not None and observed.upper_ci is not None


# ------------------------------------------------------------ exact arithmetic
# Sums, differences and products of decimals never need rounding when the precision
# and exponent range are the largest there are; the traps turn any rounding that did
# happen into an error rather than a wrong rating. Passed explicitly to each operation,
# so the thread's decimal context is never changed. (abs() and unary minus round to the
# thread's context: copy_abs() and copy_negate() are used instead, which never round.)
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, Rounded, InvalidOperation])


def _on_one_scale(*numbers: Number) -> list[Decimal]:
    """The numbers, each multiplied by the same positive whole number, as decimals.

    The scale is the least common multiple of the denominators of the fractions among
    them (1 when there are none), so that every product is a whole-number decimal
    exactly. Comparisons, and the signs of sums and differences, are unchanged.
    """
    scale = 1
    for number in numbers:
        # ``type is`` first: isinstance against Fraction goes through the numbers ABCs
        if type(number) is not Decimal and isinstance(number, Fraction):  # (None is neither)
            scale = math.lcm(scale, number.denominator)
    return [number if scale == 1 and type(number) is Decimal else _scaled(number, scale) for number in numbers]


def _scaled(number: Optional[Number], scale: int) -> Optional[Decimal]:
    if number is None:
        return None  # a level not given stays not given
    if isinstance(number, Fraction):
        return Decimal(number.numerator * (scale // number.denominator))
    if not isinstance(number, Decimal):
        number = Decimal(number)  # an int, or a float (converted exactly, as Fraction would)
    return number if scale == 1 else _EXACT.multiply(number, scale)


def _at_most_share(amount: Decimal, whole: Decimal, share: Number) -> bool:
    """``amount <= |whole| x share``, exactly."""
    if type(share) is Decimal:  # the usual case: a setting as written
        return amount <= _EXACT.multiply(whole.copy_abs(), share)
    numerator, denominator = share.as_integer_ratio()
    return _EXACT.multiply(amount, denominator) <= _EXACT.multiply(whole.copy_abs(), numerator)


def _less_than_share(amount: Decimal, whole: Decimal, share: Number) -> bool:
    """``amount < |whole| x share``, exactly."""
    if type(share) is Decimal:
        return amount < _EXACT.multiply(whole.copy_abs(), share)
    numerator, denominator = share.as_integer_ratio()
    return _EXACT.multiply(amount, denominator) < _EXACT.multiply(whole.copy_abs(), numerator)


# -------------------------------------------------------------------- polarity
def beats(a: Number, b: Number, polarity: Polarity) -> bool:
    """True when ``a`` is strictly better than ``b``."""
    if polarity is Polarity.HIGHER:
        return a > b
    if polarity is Polarity.LOWER:
        return a < b
    return False


def meets_or_beats(a: Number, b: Number, polarity: Polarity) -> bool:
    return a == b or beats(a, b, polarity)


# -------------------------------------------------------------- which target
def applicable_target(
    period: Period,
    targets: Mapping[Period, TargetLevels],
    measure: Measure,
) -> Optional[AppliedTarget]:
    """The target for a result of ``period``.

    The target for the same period; otherwise, for a sub-annual result, the target
    for its financial year, profiled pro rata for a cumulative indicator (Q1 25 %,
    H1 50 %, month n of the year n/12).
    """
    same = targets.get(period)
    if same is not None:
        return same.as_applied
    if period.granularity is Granularity.YEAR:
        return None
    annual = targets.get(period.financial_year)
    if annual is None:
        return None
    if measure is Measure.CUMULATIVE:
        share = period.fraction_of_year
        return AppliedTarget(
            annual.period,
            _profile(annual.target, share),
            _profile(annual.monitoring_level, share),
            _profile(annual.stretch, share),
            profile=share,
        )
    return annual.as_applied


def _profile(level: Optional[Decimal], share: Fraction) -> Optional[Number]:
    if level is None:
        return None
    numerator, denominator = level.as_integer_ratio()
    profiled = Fraction(numerator * share.numerator, denominator * share.denominator)  # one exact division
    return Decimal(profiled.numerator) if profiled.denominator == 1 else profiled


# -------------------------------------------------------------------- status
def status(
    value: Optional[Number],
    target: Optional[AppliedTarget],
    polarity: Polarity,
    tolerance: Number,
) -> Status:
    """RAG status of a value against the target that applies to it.

    ``green`` if the value meets or beats the target. Otherwise ``amber`` if it meets
    or beats the monitoring level when one is given, or else is within the tolerance
    of the target (|target| x tolerance). Otherwise ``red``. "Beats" follows polarity.
    """
    if value is None:
        return Status.NO_DATA
    if not polarity.is_rated:
        return Status.NOT_RATED
    if target is None:
        return Status.NO_TARGET
    return rag(value, target.target, target.monitoring_level, polarity, tolerance)


def rag(
    value: Number,
    target: Number,
    monitoring_level: Optional[Number],
    polarity: Polarity,
    tolerance: Number,
) -> Status:
    """Green, amber or red for a value, target and optional monitoring level."""
    if type(value) is not Decimal or type(target) is not Decimal or (
            monitoring_level is not None and type(monitoring_level) is not Decimal):
        value, target, monitoring_level = _on_one_scale(value, target, monitoring_level)
    if meets_or_beats(value, target, polarity):
        return Status.GREEN
    if monitoring_level is not None:
        return Status.AMBER if meets_or_beats(value, monitoring_level, polarity) else Status.RED
    # Within the tolerance: the shortfall is at most |target| x tolerance.
    shortfall = _EXACT.subtract(target, value).copy_abs()
    return Status.AMBER if _at_most_share(shortfall, target, tolerance) else Status.RED


# --------------------------------------------------------- direction of travel
def comparison_period(period: Period, available: Mapping[Period, object] | set[Period],
                      periods_between_results: int = 1) -> Optional[Period]:
    """The period a result is compared with.

    The same period a year earlier for a sub-annual indicator when that result
    exists, else the previous result's period: the previous period, or for a sparse
    frequency (a biennial survey) the period of the previous survey.
    """
    if period.granularity is not Granularity.YEAR:
        earlier = period.year_earlier()
        if earlier in available:
            return earlier
    previous = period.earlier(periods_between_results)
    return previous if previous in available else None


def comparison_position(position: int, available: Mapping[int, object] | set[int], per_year: int,
                        periods_between_results: int = 1) -> Optional[int]:
    """``comparison_period`` for periods written as their positions: one granularity's
    periods numbered consecutively (``year x per_year + number - 1``), so that a year
    earlier is ``per_year`` positions back. For assess, which compares every result of an
    indicator with an earlier one: whole numbers are quicker to look up than periods.
    """
    if per_year > 1:  # sub-annual: the same period a year earlier, when that result exists
        if position - per_year in available:
            return position - per_year
    previous = position - periods_between_results
    return previous if previous in available else None


def direction(
    current: Observed,
    earlier: Optional[Observed],
    polarity: Polarity,
    threshold: Number,
) -> Direction:
    """Direction of travel from an earlier result to the current one.

    ``no-change`` when the relative change is under the threshold, or when both
    results have confidence intervals that overlap; otherwise ``improving`` or
    ``worsening`` by polarity (``increasing`` / ``decreasing`` when there is none).
    ``not-comparable`` when either value is missing.
    """
    if current.value is None or earlier is None or earlier.value is None:
        return Direction.NOT_COMPARABLE
    if has_interval(current) and has_interval(earlier) and intervals_overlap(current, earlier):
        return Direction.NO_CHANGE
    now, before = current.value, earlier.value
    if now == before:  # (exact for decimals and fractions alike)
        return Direction.NO_CHANGE
    if type(now) is not Decimal or type(before) is not Decimal:
        now, before = _on_one_scale(now, before)
    change = _EXACT.subtract(now, before)
    # The relative change |change| / |earlier| is under the threshold (compared without dividing).
    if before != 0 and _less_than_share(change.copy_abs(), before, threshold):
        return Direction.NO_CHANGE
    if polarity is Polarity.NONE:  # neither way is better
        return Direction.INCREASING if change > 0 else Direction.DECREASING
    # better: up when higher is better, down when lower is (change is not zero)
    return Direction.IMPROVING if (change > 0) is (polarity is Polarity.HIGHER) else Direction.WORSENING


def intervals_overlap(a: Observed, b: Observed) -> bool:
    return max(a.lower_ci, b.lower_ci) <= min(a.upper_ci, b.upper_ci)  # type: ignore[type-var]


# ------------------------------------------------------------------ exceptions
def exception(
    value: Optional[Number],
    target: Optional[AppliedTarget],
    rating: Status,
    polarity: Polarity,
    exceed_margin: Number,
) -> Optional[ExceptionKind]:
    """``under`` when red; ``over`` when the value beats the target by more than the margin."""
    if rating is Status.RED:
        return ExceptionKind.UNDER
    if value is None or target is None or not polarity.is_rated:
        return None
    target_value = target.target
    if type(value) is not Decimal or type(target_value) is not Decimal:
        value, target_value = _on_one_scale(value, target_value)
    better_by = _EXACT.subtract(value, target_value)
    if polarity is Polarity.LOWER:
        better_by = better_by.copy_negate()
    # Over-performance: better by more than |target| x margin.
    return None if _at_most_share(better_by, target_value, exceed_margin) else ExceptionKind.OVER


# ------------------------------------------------------ ladder of intervention
def is_review_point(period: Period, review: Granularity) -> bool:
    """True when the period ends at a review point (six-monthly: September and March)."""
    if period.granularity.months > review.months:
        return period.ends_financial_year
    months_into_year = period.number * period.granularity.months
    return months_into_year % review.months == 0


def intervention_stage(red_at_review_points: Sequence[bool]) -> int:
    """Stage on the ladder of intervention, from the history of review points.

    ``red_at_review_points`` lists, oldest first and ending now, whether the
    indicator was red at each consecutive review point. The stage is the number of
    consecutive red review points ending now: 0, 1, 2, or 3 for three or more.
    """
    stage = 0
    for was_red in reversed(red_at_review_points):
        if not was_red:
            break
        stage += 1
        if stage == MAX_INTERVENTION_STAGE:
            break
    return stage


# -------------------------------------------------------------------- forecast
def linear_projection(points: Sequence[tuple[Number, Number]], at: Number) -> Optional[Fraction]:
    """Least-squares straight line through ``points`` (x, y), evaluated at ``at``.

    None when there are fewer than two points or all share one x.

    Worked in whole numbers: the xs (and ``at``) are multiplied by their common
    denominator and the ys by theirs, which leaves the line's value at ``at`` the
    same once divided by the ys' scale. With sums over n points,

        value = (Sy (n Sxx - Sx^2) + (n Sxy - Sx Sy) (n at - Sx)) / (n (n Sxx - Sx^2))

    which is mean y + slope x (at - mean x) with everything over one denominator,
    so there is a single (exact) division at the end instead of one per operation.
    """
    if len(points) < 2:
        return None
    if type(at) is int and all(type(x) is int for x, _ in points):
        x_values, at_value = [x for x, _ in points], at  # assess's xs: month numbers, whole already
    else:
        xs = [x.as_integer_ratio() for x, _ in points]  # exact for int, Decimal, Fraction (and float)
        at_numerator, at_denominator = at.as_integer_ratio()
        x_scale = math.lcm(at_denominator, *(d for _, d in xs))
        x_values = [n * (x_scale // d) for n, d in xs]
        at_value = at_numerator * (x_scale // at_denominator)
    ys = [y.as_integer_ratio() for _, y in points]
    y_scale = math.lcm(*(d for _, d in ys))
    y_values = [n * (y_scale // d) for n, d in ys]
    n = len(points)
    sum_x, sum_y = sum(x_values), sum(y_values)
    spread = n * sum(x * x for x in x_values) - sum_x * sum_x  # n^2 x the variance of x: zero when all x agree
    if spread == 0:
        return None
    covariance = n * sum(x * y for x, y in zip(x_values, y_values)) - sum_x * sum_y
    return Fraction(sum_y * spread + covariance * (n * at_value - sum_x), n * spread * y_scale)


def forecast_from_projection(
    projected: Optional[Number],
    target: Optional[TargetLevels],
    polarity: Polarity,
    tolerance: Number,
) -> Optional[Forecast]:
    """Likely, difficult or unlikely: the status the projected value would have."""
    if projected is None or target is None or not polarity.is_rated:
        return None
    rating = rag(projected, target.target, target.monitoring_level, polarity, tolerance)
    return FORECAST_FOR_STATUS[rating]
