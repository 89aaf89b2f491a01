"""The contract's rules, each tested directly: boundaries, polarity both ways, gaps, zero."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from perfsite.periods import Granularity, Period
from perfsite.rules import (AppliedTarget, Direction, ExceptionKind, Forecast, Measure, Observation, Polarity,
                            Status, TargetLevels, applicable_target, comparison_period, direction, exception,
                            forecast_from_projection, intervention_stage, is_review_point, linear_projection, rag,
                            status)

HIGHER, LOWER, NONE = Polarity.HIGHER, Polarity.LOWER, Polarity.NONE
TOLERANCE = D("0.05")
P = Period.parse


def target(value, monitoring=None, period="2008-09"):
    return AppliedTarget(P(period), D(value), D(monitoring) if monitoring is not None else None)


# ------------------------------------------------------------------ status
@pytest.mark.parametrize("value, expected", [
    ("60", Status.GREEN),  # exactly on target meets it
    ("60.1", Status.GREEN),
    ("57", Status.AMBER),  # exactly 5 % short: within tolerance
    ("56.99", Status.RED),  # just outside
    ("58.5", Status.AMBER),
])
def test_status_higher_is_better_with_tolerance(value, expected):
    assert status(D(value), target("60"), HIGHER, TOLERANCE) is expected


@pytest.mark.parametrize("value, expected", [
    ("60", Status.GREEN), ("59.9", Status.GREEN), ("63", Status.AMBER), ("63.01", Status.RED),
])
def test_status_lower_is_better_with_tolerance(value, expected):
    assert status(D(value), target("60"), LOWER, TOLERANCE) is expected


@pytest.mark.parametrize("value, polarity, expected", [
    ("50", HIGHER, Status.AMBER),  # exactly on the monitoring level meets it
    ("49.9", HIGHER, Status.RED),
    ("59", HIGHER, Status.AMBER),
    ("70", LOWER, Status.AMBER),
    ("70.1", LOWER, Status.RED),
])
def test_monitoring_level_replaces_the_tolerance(value, polarity, expected):
    level = "50" if polarity is HIGHER else "70"
    assert status(D(value), target("60", level), polarity, TOLERANCE) is expected


def test_monitoring_level_decides_even_inside_the_tolerance():
    # 59 is within 5 % of 60, but the monitoring level of 59.5 says red.
    assert status(D("59"), target("60", "59.5"), HIGHER, TOLERANCE) is Status.RED


def test_status_without_value_target_or_polarity():
    assert status(None, target("60"), HIGHER, TOLERANCE) is Status.NO_DATA
    assert status(D("5"), None, HIGHER, TOLERANCE) is Status.NO_TARGET
    assert status(D("5"), target("60"), NONE, TOLERANCE) is Status.NOT_RATED
    assert status(None, None, NONE, TOLERANCE) is Status.NO_DATA


def test_zero_target_has_no_tolerance_band():
    assert status(D("0"), target("0"), LOWER, TOLERANCE) is Status.GREEN
    assert status(D("0.1"), target("0"), LOWER, TOLERANCE) is Status.RED
    assert status(D("-1"), target("0"), HIGHER, TOLERANCE) is Status.RED


def test_negative_target_uses_its_magnitude_for_tolerance():
    # target -10, higher is better: the band is |−10| × 5 % = 0.5
    assert status(D("-10.5"), target("-10"), HIGHER, TOLERANCE) is Status.AMBER
    assert status(D("-10.51"), target("-10"), HIGHER, TOLERANCE) is Status.RED


# ----------------------------------------------------------- which target
TARGETS = {
    P("2008-09"): TargetLevels(P("2008-09"), D("100"), D("80"), D("120")),
    P("2008-09 Q2"): TargetLevels(P("2008-09 Q2"), D("40")),
}


def test_same_period_target_wins():
    applied = applicable_target(P("2008-09 Q2"), TARGETS, Measure.CUMULATIVE)
    assert applied.target == D("40") and not applied.is_profiled


def test_annual_target_applies_whole_to_a_level_indicator():
    applied = applicable_target(P("2008-09 Q1"), TARGETS, Measure.LEVEL)
    assert (applied.target, applied.monitoring_level, applied.profile) == (D("100"), D("80"), None)


@pytest.mark.parametrize("period, share", [
    ("2008-09 Q1", Fraction(1, 4)), ("2008-09 Q3", Fraction(3, 4)), ("2008-09 Q4", Fraction(1)),
    ("2008-09 H1", Fraction(1, 2)), ("2008 Apr", Fraction(1, 12)), ("2008 Nov", Fraction(8, 12)),
])
def test_cumulative_targets_are_profiled_pro_rata(period, share):
    applied = applicable_target(P(period), {P("2008-09"): TARGETS[P("2008-09")]}, Measure.CUMULATIVE)
    assert applied.profile == share
    assert applied.target == 100 * share
    assert applied.monitoring_level == 80 * share
    assert applied.stretch == 120 * share
    assert applied.source_period == P("2008-09")


def test_profiled_target_of_one_month_is_exact():
    applied = applicable_target(P("2008 Apr"), {P("2008-09"): TargetLevels(P("2008-09"), D("100"))},
                                Measure.CUMULATIVE)
    assert applied.target == Fraction(100, 12)  # not 8.333333333 rounded


def test_no_target_from_another_year_or_for_an_annual_result():
    assert applicable_target(P("2009-10 Q1"), TARGETS, Measure.LEVEL) is None
    assert applicable_target(P("2009-10"), TARGETS, Measure.LEVEL) is None


# -------------------------------------------------------- direction of travel
def obs(value, low=None, high=None):
    return Observation(D(value) if value is not None else None,
                       D(low) if low is not None else None, D(high) if high is not None else None)


def test_comparison_prefers_the_same_period_a_year_earlier():
    available = {P("2007-08 Q2"), P("2008-09 Q1")}
    assert comparison_period(P("2008-09 Q2"), available) == P("2007-08 Q2")
    assert comparison_period(P("2008-09 Q2"), {P("2008-09 Q1")}) == P("2008-09 Q1")
    assert comparison_period(P("2008-09 Q2"), set()) is None
    assert comparison_period(P("2008-09"), {P("2007-08")}) == P("2007-08")


def test_a_biennial_survey_is_compared_with_the_survey_two_years_earlier():
    assert comparison_period(P("2010-11"), {P("2008-09"), P("2009-10")}, 2) == P("2008-09")
    assert comparison_period(P("2010-11"), {P("2009-10")}, 2) is None  # no survey two years earlier
    assert comparison_period(P("2010-11"), {P("2008-09")}) is None  # as annual, the previous year is missing


@given(st.integers(1990, 2080), st.integers(1, 3))
def test_comparison_is_the_result_the_frequency_expects_before(year, every):
    current = Period(Granularity.YEAR, year)
    before = Period(Granularity.YEAR, year - every)
    assert comparison_period(current, {before, current}, every) == before


@pytest.mark.parametrize("now, before, polarity, expected", [
    ("110", "100", HIGHER, Direction.IMPROVING),
    ("90", "100", HIGHER, Direction.WORSENING),
    ("110", "100", LOWER, Direction.WORSENING),
    ("90", "100", LOWER, Direction.IMPROVING),
    ("101.99", "100", HIGHER, Direction.NO_CHANGE),  # under the 2 % threshold
    ("102", "100", HIGHER, Direction.IMPROVING),  # exactly 2 % is a change
    ("98", "100", LOWER, Direction.IMPROVING),
    ("110", "100", NONE, Direction.INCREASING),
    ("90", "100", NONE, Direction.DECREASING),
    ("100", "100", HIGHER, Direction.NO_CHANGE),
])
def test_direction_by_polarity_and_threshold(now, before, polarity, expected):
    assert direction(obs(now), obs(before), polarity, D("0.02")) is expected


def test_direction_from_zero():
    assert direction(obs("0"), obs("0"), HIGHER, D("0.02")) is Direction.NO_CHANGE
    assert direction(obs("1"), obs("0"), HIGHER, D("0.02")) is Direction.IMPROVING
    assert direction(obs("0"), obs("-2"), LOWER, D("0.02")) is Direction.WORSENING


def test_overlapping_confidence_intervals_mean_no_significant_change():
    assert direction(obs("60", "57", "63"), obs("70", "63", "77"), HIGHER, D("0.02")) is Direction.NO_CHANGE  # touch
    assert direction(obs("60", "57", "62.9"), obs("70", "63", "77"), HIGHER, D("0.02")) is Direction.WORSENING
    # one interval missing: the threshold decides
    assert direction(obs("60", "57", "63"), obs("70"), HIGHER, D("0.02")) is Direction.WORSENING


def test_direction_with_missing_values():
    assert direction(obs(None), obs("1"), HIGHER, D("0.02")) is Direction.NOT_COMPARABLE
    assert direction(obs("1"), None, HIGHER, D("0.02")) is Direction.NOT_COMPARABLE
    assert direction(obs("1"), obs(None), HIGHER, D("0.02")) is Direction.NOT_COMPARABLE


# -------------------------------------------------------------- exceptions
def test_under_exception_is_red():
    assert exception(D("40"), target("60"), Status.RED, HIGHER, D("0.1")) is ExceptionKind.UNDER
    assert exception(D("58"), target("60"), Status.AMBER, HIGHER, D("0.1")) is None


@pytest.mark.parametrize("value, polarity, expected", [
    ("66", HIGHER, None),  # exactly 10 % better is not "more than"
    ("66.01", HIGHER, ExceptionKind.OVER),
    ("54", LOWER, None),
    ("53.99", LOWER, ExceptionKind.OVER),
    ("80", NONE, None),
])
def test_over_exception_needs_more_than_the_margin(value, polarity, expected):
    rating = status(D(value), target("60"), polarity, TOLERANCE)
    assert exception(D(value), target("60"), rating, polarity, D("0.10")) is expected


def test_no_exception_without_value_or_target():
    assert exception(None, target("60"), Status.NO_DATA, HIGHER, D("0.1")) is None
    assert exception(D("99"), None, Status.NO_TARGET, HIGHER, D("0.1")) is None


# ------------------------------------------------------ ladder of intervention
@pytest.mark.parametrize("history, stage", [
    ([], 0), ([False], 0), ([True], 1), ([True, True], 2), ([True, True, True], 3),
    ([True, True, True, True, True], 3), ([True, True, False], 0), ([True, False, True], 1),
    ([False, True, True], 2),
])
def test_intervention_stage_counts_consecutive_red_reviews(history, stage):
    assert intervention_stage(history) == stage


@pytest.mark.parametrize("period, review, expected", [
    ("2008-09 Q2", Granularity.HALF, True), ("2008-09 Q4", Granularity.HALF, True),
    ("2008-09 Q1", Granularity.HALF, False), ("2008-09 Q3", Granularity.HALF, False),
    ("2008 Sep", Granularity.HALF, True), ("2008 Aug", Granularity.HALF, False),
    ("2008-09 H1", Granularity.HALF, True), ("2008-09", Granularity.HALF, True),
    ("2008-09 Q1", Granularity.QUARTER, True), ("2008-09 Q2", Granularity.YEAR, False),
    ("2008-09 Q4", Granularity.YEAR, True), ("2008-09", Granularity.QUARTER, True),
])
def test_review_points(period, review, expected):
    assert is_review_point(P(period), review) is expected


# ---------------------------------------------------------------- forecast
def test_linear_projection():
    assert linear_projection([(0, 10), (1, 20)], 3) == 40
    assert linear_projection([(0, 10), (1, 11), (2, 13), (3, 14)], 5) == Fraction(169, 10)  # slope 7/5 through (1.5, 12)
    assert linear_projection([(0, 10)], 3) is None
    assert linear_projection([(1, 10), (1, 12)], 3) is None


def test_forecast_rates_the_projection_like_a_result():
    levels = TargetLevels(P("2008-09"), D("100"), D("80"))
    assert forecast_from_projection(Fraction(101), levels, HIGHER, TOLERANCE) is Forecast.LIKELY
    assert forecast_from_projection(Fraction(80), levels, HIGHER, TOLERANCE) is Forecast.DIFFICULT
    assert forecast_from_projection(Fraction(79), levels, HIGHER, TOLERANCE) is Forecast.UNLIKELY
    assert forecast_from_projection(Fraction(79), levels, NONE, TOLERANCE) is None
    assert forecast_from_projection(None, levels, HIGHER, TOLERANCE) is None


# -------------------------------------------------------------- properties
decimals = st.decimals(min_value=-10_000, max_value=10_000, allow_nan=False, allow_infinity=False, places=2)


@given(decimals, decimals, st.sampled_from([HIGHER, LOWER]))
def test_meeting_the_target_is_always_green(value, target_value, polarity):
    better = value >= target_value if polarity is HIGHER else value <= target_value
    rating = rag(value, target_value, None, polarity, TOLERANCE)
    assert (rating is Status.GREEN) == better


@given(decimals, decimals, st.one_of(st.none(), decimals), st.sampled_from([HIGHER, LOWER]))
def test_polarity_mirrors(value, target_value, monitoring, polarity):
    """Negating value, target and monitoring level and flipping polarity gives the same status."""
    flipped = LOWER if polarity is HIGHER else HIGHER
    negated = -monitoring if monitoring is not None else None
    assert rag(value, target_value, monitoring, polarity, TOLERANCE) is rag(
        -value, -target_value, negated, flipped, TOLERANCE)


@given(decimals, decimals, decimals, st.sampled_from([HIGHER, LOWER]))
def test_status_is_monotonic_in_the_value(a, b, target_value, polarity):
    """A better value never gets a worse status."""
    assume(a != b)
    better, worse = (a, b) if (a > b) == (polarity is HIGHER) else (b, a)
    order = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 2}
    assert order[rag(better, target_value, None, polarity, TOLERANCE)] >= order[
        rag(worse, target_value, None, polarity, TOLERANCE)]


@given(decimals, decimals, st.sampled_from([HIGHER, LOWER]))
def test_direction_is_antisymmetric(a, b, polarity):
    forward = direction(Observation(a), Observation(b), polarity, D("0.02"))
    backward = direction(Observation(b), Observation(a), polarity, D("0.02"))
    swapped = {Direction.IMPROVING: Direction.WORSENING, Direction.WORSENING: Direction.IMPROVING}
    if forward in swapped and b != 0 and a != 0:
        # a big change one way is not necessarily big the other way (relative to a different base),
        # but it can never point the same way
        assert backward is not forward


@given(st.lists(st.booleans(), max_size=12))
def test_intervention_stage_is_between_zero_and_three(history):
    stage = intervention_stage(history)
    assert 0 <= stage <= 3
    assert stage == 0 or all(history[-stage:])
