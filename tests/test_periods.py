"""The Period type: reading, writing, the calendar, ordering and URL slugs."""

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfsite.periods import (Granularity, Period, PeriodError, latest_period_ending_by, period_containing,
                              periods_between)


@pytest.mark.parametrize("text, granularity, start, end", [
    ("2008-09", Granularity.YEAR, dt.date(2008, 4, 1), dt.date(2009, 3, 31)),
    ("2008-09 Q1", Granularity.QUARTER, dt.date(2008, 4, 1), dt.date(2008, 6, 30)),
    ("2008-09 Q3", Granularity.QUARTER, dt.date(2008, 10, 1), dt.date(2008, 12, 31)),
    ("2008-09 Q4", Granularity.QUARTER, dt.date(2009, 1, 1), dt.date(2009, 3, 31)),
    ("2008-09 H1", Granularity.HALF, dt.date(2008, 4, 1), dt.date(2008, 9, 30)),
    ("2008-09 H2", Granularity.HALF, dt.date(2008, 10, 1), dt.date(2009, 3, 31)),
    ("2008 Apr", Granularity.MONTH, dt.date(2008, 4, 1), dt.date(2008, 4, 30)),
    ("2009 Feb", Granularity.MONTH, dt.date(2009, 2, 1), dt.date(2009, 2, 28)),
    ("2008 Feb", Granularity.MONTH, dt.date(2008, 2, 1), dt.date(2008, 2, 29)),  # leap year
    ("1999-00", Granularity.YEAR, dt.date(1999, 4, 1), dt.date(2000, 3, 31)),  # century turn
])
def test_reads_every_spelling_of_the_contract(text, granularity, start, end):
    period = Period.parse(text)
    assert period.granularity is granularity
    assert (period.start, period.end) == (start, end)
    assert period.label == text


def test_a_month_belongs_to_the_financial_year_it_falls_in():
    assert Period.parse("2009 Jan").financial_year == Period.parse("2008-09")
    assert Period.parse("2009 Apr").financial_year == Period.parse("2009-10")
    assert Period.parse("2009 Mar").number == 12


@pytest.mark.parametrize("text, hint", [
    ("2008-04", "2008 Apr"),  # the classic mistake: an ISO month
    ("2008-10", "2008 Oct"),
    ("2008/09", "2008-09"),
    ("2008-2009", "2008-09"),
    ("Q1 2008-09", "2008-09 Q1"),
    ("2008-09 q1", "2008-09 Q1"),
    ("2008-09Q1", "2008-09 Q1"),
    ("April 2008", "2008 Apr"),
    ("Apr 2008", "2008 Apr"),
    ("2008 April", "2008 Apr"),
    ("2008", "2008-09"),
    (" 2008-09", "2008-09"),
])
def test_common_mistakes_are_refused_with_the_right_spelling(text, hint):
    with pytest.raises(PeriodError) as problem:
        Period.parse(text)
    assert f"“{hint}”" in str(problem.value)


@pytest.mark.parametrize("text", ["2008-09 Q5", "2008-09 Q0", "2008-09 H3", "2008-11", "2008-09-Q1", "", "soon",
                                  "2008 Sept", "2008 APR"])
def test_nonsense_is_refused(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_iso_month_message_explains_the_financial_year_reading():
    with pytest.raises(PeriodError, match="financial year April 2008 to March 2009"):
        Period.parse("2008-04")


@pytest.mark.parametrize("text, slug", [
    ("2008-09", "2008-09"), ("2008-09 Q1", "2008-09-q1"), ("2008-09 H2", "2008-09-h2"), ("2008 Apr", "2008-apr"),
])
def test_url_slugs(text, slug):
    period = Period.parse(text)
    assert period.slug == slug
    assert Period.from_slug(slug) == period


@pytest.mark.parametrize("text, earlier, previous", [
    ("2008-09 Q1", "2007-08 Q1", "2007-08 Q4"),
    ("2008-09 Q3", "2007-08 Q3", "2008-09 Q2"),
    ("2008-09 H1", "2007-08 H1", "2007-08 H2"),
    ("2008 Apr", "2007 Apr", "2008 Mar"),
    ("2009 Jan", "2008 Jan", "2008 Dec"),
    ("2008-09", "2007-08", "2007-08"),
])
def test_year_earlier_and_previous(text, earlier, previous):
    period = Period.parse(text)
    assert period.year_earlier() == Period.parse(earlier)
    assert period.previous() == Period.parse(previous)
    assert period.previous().next() == period


@pytest.mark.parametrize("text, fraction", [
    ("2008-09 Q1", Fraction(1, 4)), ("2008-09 Q2", Fraction(1, 2)), ("2008-09 Q4", Fraction(1)),
    ("2008-09 H1", Fraction(1, 2)), ("2008 Apr", Fraction(1, 12)), ("2008 Dec", Fraction(9, 12)),
    ("2009 Mar", Fraction(1)), ("2008-09", Fraction(1)),
])
def test_fraction_of_the_year_for_profiling(text, fraction):
    assert Period.parse(text).fraction_of_year == fraction


def test_ordering_by_end_then_length():
    texts = ["2008-09", "2008-09 Q4", "2009 Mar", "2008-09 H2", "2008 Apr", "2008-09 Q1"]
    ordered = [p.label for p in sorted(Period.parse(t) for t in texts)]
    assert ordered == ["2008 Apr", "2008-09 Q1", "2009 Mar", "2008-09 Q4", "2008-09 H2", "2008-09"]


def test_periods_between_and_periods_of():
    quarters = periods_between(Period.parse("2008-09 Q3"), Period.parse("2009-10 Q2"))
    assert [q.label for q in quarters] == ["2008-09 Q3", "2008-09 Q4", "2009-10 Q1", "2009-10 Q2"]
    assert [m.label for m in Period.parse("2008-09 Q4").periods_of(Granularity.MONTH)] == [
        "2009 Jan", "2009 Feb", "2009 Mar"]
    assert Period.parse("2008-09 Q1").periods_of(Granularity.YEAR) == []
    assert Period.parse("2008-09").contains(Period.parse("2009 Mar"))
    assert not Period.parse("2008-09 H1").contains(Period.parse("2008 Oct"))


@pytest.mark.parametrize("date, quarter", [
    (dt.date(2011, 5, 13), "2010-11 Q4"), (dt.date(2011, 3, 31), "2010-11 Q4"), (dt.date(2011, 3, 30), "2010-11 Q3"),
    (dt.date(2011, 4, 1), "2010-11 Q4"), (dt.date(2010, 7, 1), "2010-11 Q1"),
])
def test_latest_period_ending_by(date, quarter):
    assert latest_period_ending_by(date, Granularity.QUARTER).label == quarter


periods = st.builds(
    lambda granularity, year, data: Period(granularity, year, data.draw(st.integers(1, granularity.per_year))),
    st.sampled_from(list(Granularity)), st.integers(1990, 2090), st.data(),
)


@given(periods)
def test_every_period_reads_back_from_its_label_and_slug(period):
    assert Period.parse(period.label) == period
    assert Period.from_slug(period.slug) == period


@given(periods)
def test_calendar_is_consistent(period):
    assert period.start <= period.end
    assert period.next().start == period.end + dt.timedelta(days=1)
    assert period.financial_year.contains(period)
    assert period_containing(period.end, period.granularity) == period
    assert period.year_earlier().start.replace(year=period.start.year) == period.start


@given(periods, st.integers(-30, 30))
def test_earlier_and_later_step_whole_periods(period, steps):
    assert period.earlier(steps).later(steps) == period
    assert period.earlier(steps).granularity is period.granularity
    assert period.first_month_index - period.earlier(steps).first_month_index == steps * period.granularity.months
    assert period.earlier(1) == period.previous() and period.later(1) == period.next()


def test_biennial_reports_financial_years_two_apart():
    from perfsite.periods import FREQUENCIES, periods_between_results

    assert "biennial" in FREQUENCIES
    assert Granularity.for_frequency("biennial") is Granularity.YEAR
    assert periods_between_results("biennial") == 2
    assert [periods_between_results(f) for f in ("monthly", "quarterly", "six-monthly", "annual")] == [1, 1, 1, 1]
