"""The shortcuts assess takes for speed make the same objects as the plain way."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from perfsite.assess import AssessedResult, InterventionStanding, ScorecardLine, StatusCounts
from perfsite.periods import Period
from perfsite.rules import Status

EASTBROOK = Path(__file__).parent / "sites" / "eastbrook"


@pytest.fixture(scope="module")
def eastbrook_package():
    from perfsite.load import load_site
    from perfsite.model import build_package
    from perfsite.quality.validate import validate
    from perfsite.source import FolderSource

    validated = validate(load_site(FolderSource(EASTBROOK)))
    assert validated.report.ok
    return build_package(validated)


def test_results_are_the_ones_their_constructor_makes(eastbrook_package):
    assert eastbrook_package.results
    for result in eastbrook_package.results:
        assert vars(result) == vars(made_the_plain_way(result)) and result == made_the_plain_way(result)


def test_a_result_is_rated_for_direction_as_its_observation():
    """assess hands direction() the results themselves, not an Observation copied from each."""
    from perfsite.model import Result
    from perfsite.rules import Direction, Observation, Polarity, direction

    D = Decimal
    pairs = [((D("10"), None, None), (D("9"), None, None)), ((D("10"), D("8"), D("12")), (D("9"), D("7"), D("11"))),
             ((D("10"), D("9.5"), D("10.5")), (D("8"), D("7.5"), D("8.5"))), ((D("10"), D("8"), D("12")), (D("9"), None, None)),
             ((D("0"), None, None), (D("0"), None, None)), ((D("10.1"), None, None), (D("10"), None, None))]
    quarter = Period.parse("2010-11 Q2")
    for (now, before) in pairs:
        for polarity in Polarity:
            as_results = direction(Result("X", quarter, *now[:1], lower_ci=now[1], upper_ci=now[2]),
                                   Result("X", quarter, *before[:1], lower_ci=before[1], upper_ci=before[2]),
                                   polarity, D("0.02"))
            assert as_results is direction(Observation(*now), Observation(*before), polarity, D("0.02"))
            assert isinstance(as_results, Direction)


@pytest.fixture(scope="module")
def eastbrook_site():
    from perfsite.assess import assess
    from perfsite.load import load_site
    from perfsite.model import build_package
    from perfsite.quality.validate import validate
    from perfsite.source import FolderSource, build_info

    loaded = load_site(FolderSource(EASTBROOK))
    validated = validate(loaded)
    assert validated.report.ok
    return assess(build_package(validated), loaded.config, build_info(EASTBROOK))


def made_the_plain_way(instance):
    """The same instance, made by the dataclass's own __init__ from its fields."""
    made = type(instance)(**{f.name: getattr(instance, f.name) for f in dataclasses.fields(instance)})
    # the same fields in the same order, so that the two pickle to the same bytes (page cache keys)
    assert list(vars(instance)) == list(vars(made))
    return made


def test_assessed_objects_are_the_ones_their_constructors_make(eastbrook_site):
    records = eastbrook_site.records
    assert records and any(record.standings for record in records)
    for record in records:
        for result in record.series:
            assert isinstance(result, AssessedResult)
            assert vars(result) == vars(made_the_plain_way(result))
            assert result == made_the_plain_way(result) and hash(result) == hash(made_the_plain_way(result))
        for standing in record.standings:
            assert isinstance(standing, InterventionStanding)
            assert vars(standing) == vars(made_the_plain_way(standing))
    lines = [line for report in eastbrook_site.reports for theme in report.themes for line in theme.lines]
    assert lines
    for line in lines:
        assert isinstance(line, ScorecardLine) and vars(line) == vars(made_the_plain_way(line))


def test_assessed_objects_stay_frozen(eastbrook_site):
    result = eastbrook_site.records[0].series[0]
    try:
        result.status = Status.RED  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:  # pragma: no cover
        raise AssertionError("an assessed result could be changed")


def test_report_counts_add_up_from_the_theme_reports(eastbrook_site):
    for report in eastbrook_site.reports:
        assert report.counts == StatusCounts.of(line.status for line in report.lines)
        assert StatusCounts.total_of(theme.counts for theme in report.themes) == report.counts
    assert StatusCounts.total_of([]) == StatusCounts()


def test_the_standing_at_a_period_is_the_latest_review_that_had_ended(eastbrook_site):
    for record in eastbrook_site.records:
        for report in eastbrook_site.reports:
            end = report.period.last_month_index
            earlier = [s for s in record.standings if s.review_period.last_month_index <= end]
            assert record.standing_at(report.period) == (earlier[-1] if earlier else None)


def test_a_period_pickles_the_same_whatever_was_asked_of_it():
    import pickle

    fresh = pickle.dumps(Period.of(Period.parse("2011-12").granularity, 2031, 1))
    period = Period.parse("2031-32")
    _ = (period.label, period.sort_key, period.year_earlier(), period.end, hash(period))
    assert pickle.dumps(period) == fresh
    assert pickle.loads(fresh) is period and pickle.loads(pickle.dumps(Period.parse("2011 Apr"))).label == "2011 Apr"


def test_shared_periods_are_equal_to_constructed_ones():
    quarter = Period.parse("2010-11 Q2")
    assert quarter is Period.parse("2010-11 Q2") and quarter.next().previous() is quarter
    constructed = Period(quarter.granularity, 2010, 2)
    assert quarter == constructed and hash(quarter) == hash(constructed)


def test_report_lines_are_the_lines_made_one_at_a_time(eastbrook_site):
    from perfsite.assess import _line

    months = eastbrook_site.config.reporting.months_a_result_stays_current
    for report in eastbrook_site.reports:
        for theme in report.themes:
            for line in theme.lines + theme.contributing:
                assert line == _line(line.record, report.period, months, line.lead)
            expected = [r for r in eastbrook_site.records if r.indicator.theme_id == theme.theme.id
                        and not r.indicator.is_retired_by(report.period)]
            assert [line.record for line in theme.lines] == expected
