"""The rules' fast exact arithmetic agrees with the plain rational reading of the contract.

rules.py compares and combines figures as decimals on one common scale (for speed);
here each rule is written the obvious way, in ``Fraction`` arithmetic, and both are
run on random figures: decimals of any scale, profiled fractions (n/12 of a target),
whole numbers, and figures built to fall exactly on a boundary (exactly the tolerance
short of the target, exactly the threshold of change, exactly the exceed margin over).
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from perfsite.periods import Period
from perfsite.rules import (
    AppliedTarget,
    Direction,
    ExceptionKind,
    Observation,
    Polarity,
    Status,
    direction,
    exception,
    linear_projection,
    rag,
)

EXAMPLES = 400

# ----------------------------------------------------------- the plain reading


def beats(a, b, polarity: Polarity) -> bool:
    if polarity is Polarity.HIGHER:
        return Fraction(a) > Fraction(b)
    if polarity is Polarity.LOWER:
        return Fraction(a) < Fraction(b)
    return False


def meets_or_beats(a, b, polarity: Polarity) -> bool:
    return Fraction(a) == Fraction(b) or beats(a, b, polarity)


def plain_rag(value, target, monitoring_level, polarity, tolerance) -> Status:
    if meets_or_beats(value, target, polarity):
        return Status.GREEN
    if monitoring_level is not None:
        return Status.AMBER if meets_or_beats(value, monitoring_level, polarity) else Status.RED
    allowance = abs(Fraction(target)) * Fraction(tolerance)
    shortfall = abs(Fraction(target) - Fraction(value))
    return Status.AMBER if shortfall <= allowance else Status.RED


def plain_direction(now, before, polarity, threshold) -> Direction:
    change = Fraction(now) - Fraction(before)
    if change == 0:
        return Direction.NO_CHANGE
    if before != 0 and abs(change) / abs(Fraction(before)) < Fraction(threshold):
        return Direction.NO_CHANGE
    if not polarity.is_rated:
        return Direction.INCREASING if change > 0 else Direction.DECREASING
    return Direction.IMPROVING if beats(now, before, polarity) else Direction.WORSENING


def plain_over(value, target, polarity, margin) -> bool:
    better_by = Fraction(value) - Fraction(target)
    if polarity is Polarity.LOWER:
        better_by = -better_by
    return better_by > abs(Fraction(target)) * Fraction(margin)


def plain_projection(points, at):
    xs = [Fraction(x) for x, _ in points]
    ys = [Fraction(y) for _, y in points]
    n = len(points)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread
    return mean_y + slope * (Fraction(at) - mean_x)


# ------------------------------------------------------------------- figures
# Up to 40 digits: more than the 28 of the default decimal context, which must not matter.
decimals = st.builds(lambda digits, places: Decimal(digits).scaleb(-places),
                     st.one_of(st.integers(-10**9, 10**9), st.integers(-10**40, 10**40)), st.integers(-3, 30))
profiled = st.builds(lambda level, months: Fraction(level) * Fraction(months, 12),
                     decimals, st.integers(1, 12))
figures = st.one_of(decimals, profiled, st.integers(-1000, 1000))
shares = st.one_of(st.sampled_from([Decimal("0"), Decimal("0.02"), Decimal("0.05"), Decimal("0.1"), Decimal("1")]),
                   st.builds(lambda d: Decimal(d).scaleb(-3), st.integers(0, 1000)),
                   st.builds(Fraction, st.integers(0, 100), st.integers(1, 100)))
polarities = st.sampled_from(list(Polarity))
rated = st.sampled_from([Polarity.HIGHER, Polarity.LOWER])


def on_the_boundary(target, share, side: int, polarity: Polarity):
    """A value exactly |target| x share short of (side -1) or beyond (side 1) the target."""
    step = abs(Fraction(target)) * Fraction(share)
    better = 1 if polarity is Polarity.HIGHER else -1
    return Fraction(target) + side * better * step


def _exactly(value):
    """The boundary value as the rules receive it: a decimal when it is one, else a fraction."""
    value = Fraction(value)
    try:
        as_decimal = Decimal(value.numerator) / Decimal(value.denominator)
    except ArithmeticError:  # pragma: no cover
        return value
    return as_decimal if Fraction(as_decimal) == value else value


def coarse_context():
    """A caller's decimal context of three digits: the rules must keep their own exact one."""
    return localcontext(prec=3)


# --------------------------------------------------------------------- tests
@settings(max_examples=EXAMPLES, deadline=None)
@given(figures, figures, st.none() | figures, polarities, shares)
def test_status_agrees_with_the_plain_reading(value, target, monitoring_level, polarity, tolerance):
    if not polarity.is_rated:
        return
    assert rag(value, target, monitoring_level, polarity, tolerance) is plain_rag(
        value, target, monitoring_level, polarity, tolerance)


@settings(max_examples=EXAMPLES, deadline=None)
@given(figures, shares, rated, st.sampled_from([-1, 0, 1]), st.booleans())
def test_status_at_the_edge_of_the_tolerance(target, tolerance, polarity, side, as_decimal):
    value = on_the_boundary(target, tolerance, -1, polarity) + Fraction(side, 10**12)
    value = _exactly(value) if as_decimal else value
    expected = plain_rag(value, target, None, polarity, tolerance)
    assert rag(value, target, None, polarity, tolerance) is expected
    with coarse_context():
        assert rag(value, target, None, polarity, tolerance) is expected
    if side == 0 and Fraction(target) != 0 and Fraction(tolerance) != 0:
        assert expected is Status.AMBER  # exactly the tolerance short is amber, never red


@settings(max_examples=EXAMPLES, deadline=None)
@given(figures, figures, polarities, shares)
def test_direction_agrees_with_the_plain_reading(now, before, polarity, threshold):
    assert direction(Observation(now), Observation(before), polarity, threshold) is plain_direction(
        now, before, polarity, threshold)


@settings(max_examples=EXAMPLES, deadline=None)
@given(figures, shares, polarities, st.sampled_from([-1, 0, 1]), st.booleans())
def test_direction_at_the_threshold(before, threshold, polarity, side, as_decimal):
    step = abs(Fraction(before)) * Fraction(threshold)
    now = Fraction(before) + step + Fraction(side, 10**12)
    now = _exactly(now) if as_decimal else now
    expected = plain_direction(now, before, polarity, threshold)
    assert direction(Observation(now), Observation(before), polarity, threshold) is expected
    with coarse_context():
        assert direction(Observation(now), Observation(before), polarity, threshold) is expected
    if side == 0 and step != 0:
        assert expected is not Direction.NO_CHANGE  # a change of exactly the threshold counts


@settings(max_examples=EXAMPLES, deadline=None)
@given(figures, figures, polarities, shares)
def test_over_performance_agrees_with_the_plain_reading(value, target, polarity, margin):
    applied = AppliedTarget(Period.parse("2008-09"), target)
    found = exception(value, applied, Status.GREEN, polarity, margin)
    expected = ExceptionKind.OVER if polarity.is_rated and plain_over(value, target, polarity, margin) else None
    assert found is expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(figures, shares, rated, st.sampled_from([-1, 0, 1]), st.booleans())
def test_over_performance_at_the_margin(target, margin, polarity, side, as_decimal):
    value = on_the_boundary(target, margin, 1, polarity) + Fraction(side, 10**12)
    value = _exactly(value) if as_decimal else value
    applied = AppliedTarget(Period.parse("2008-09"), target)
    expected = ExceptionKind.OVER if plain_over(value, target, polarity, margin) else None
    assert exception(value, applied, Status.GREEN, polarity, margin) is expected
    with coarse_context():
        assert exception(value, applied, Status.GREEN, polarity, margin) is expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.integers(0, 400), decimals, profiled), figures), min_size=1, max_size=6),
       st.one_of(st.integers(0, 500), decimals))
def test_trend_agrees_with_the_plain_reading(points, at):
    expected = plain_projection(points, at) if len(points) >= 2 else None
    found = linear_projection(points, at)
    assert found == expected
    assert found is None or type(found) is Fraction


@settings(max_examples=EXAMPLES, deadline=None)
@given(figures, figures, figures, polarities, shares)
def test_the_ratings_do_not_depend_on_the_decimal_context(value, target, before, polarity, share):
    expected = (plain_rag(value, target, None, polarity, share) if polarity.is_rated else None,
                plain_direction(value, before, polarity, share))
    with coarse_context():
        found = (rag(value, target, None, polarity, share) if polarity.is_rated else None,
                 direction(Observation(value), Observation(before), polarity, share))
    assert found == expected
