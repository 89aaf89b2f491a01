"""The shortcuts assess takes for speed make the same objects as the plain way."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfsite.assess import AssessedResult, InterventionStanding, ScorecardLine, StatusCounts
from perfsite.periods import Granularity, Period
from perfsite.rules import Polarity, Status

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
        assert held(result) == held(made_the_plain_way(result)) and result == made_the_plain_way(result)


def test_results_share_their_figures_periods_and_ids(eastbrook_package):
    """One object for each distinct text: the same figure, written the same, is one Decimal."""
    results = eastbrook_package.results
    by_text: dict[tuple[type, str], set[int]] = {}
    cells = 0
    for result in results:
        for value in (result.indicator_id, result.period, result.value, result.data_status, result.numerator,
                      result.lower_ci):
            if value is not None:
                by_text.setdefault((type(value), str(value)), set()).add(id(value))
                cells += 1
    assert all(len(objects) == 1 for objects in by_text.values())
    assert len(by_text) < cells  # the site repeats ids and figures, so something is shared


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
    import pickle

    made = type(instance)(**{f.name: getattr(instance, f.name) for f in dataclasses.fields(instance)})
    # the same fields in the same order, so that the two pickle to the same bytes (page cache keys)
    assert [name for name, _ in held(instance)] == [name for name, _ in held(made)]
    assert pickle.dumps(instance, 5) == pickle.dumps(made, 5) and pickle.loads(pickle.dumps(instance, 5)) == made
    return made


def held(instance) -> list[tuple[str, object]]:
    """What an instance holds, in order: its dictionary's items, or its slots' values (the
    classes made by the million are slotted: no dictionary each)."""
    if hasattr(instance, "__dict__"):
        return list(vars(instance).items())
    return [(name, getattr(instance, name)) for name in type(instance).__slots__]


def test_assessed_objects_are_the_ones_their_constructors_make(eastbrook_site):
    records = eastbrook_site.records
    assert records and any(record.standings for record in records)
    for record in records:
        for result in record.series:
            assert isinstance(result, AssessedResult)
            assert held(result) == held(made_the_plain_way(result))
            assert result == made_the_plain_way(result) and hash(result) == hash(made_the_plain_way(result))
        for standing in record.standings:
            assert isinstance(standing, InterventionStanding)
            assert held(standing) == held(made_the_plain_way(standing))
    lines = [line for report in eastbrook_site.reports for theme in report.themes for line in theme.lines]
    assert lines
    for line in lines:
        assert isinstance(line, ScorecardLine) and held(line) == held(made_the_plain_way(line))


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


# ------------------------------------------- every rating, the plain way, one at a time
ROOT = Path(__file__).parent.parent
COUNCIL_SITES = [ROOT, ROOT / "examples" / "hart", EASTBROOK]


def assessed(site_folder: Path):
    from perfsite.assess import assess
    from perfsite.load import load_site
    from perfsite.model import build_package
    from perfsite.quality.validate import validate
    from perfsite.source import FolderSource, build_info

    loaded = load_site(FolderSource(site_folder))
    validated = validate(loaded)
    assert validated.report.ok
    return assess(build_package(validated), loaded.config, build_info(site_folder))


def plain_stages(periods, statuses, review) -> dict:
    """The ladder the plain way: every period from the first result to the last made as a
    Period, the whole history of review points handed to the rule at each one."""
    from perfsite.rules import intervention_stage, is_review_point

    red = {period: rating is Status.RED for period, rating in zip(periods, statuses)}
    reds, stages, period = [], {}, periods[0]
    while period.sort_key <= periods[-1].sort_key:
        if is_review_point(period, review):
            reds.append(red.get(period, False))
            stages[period] = intervention_stage(reds)
        period = period.next()
    return stages


@pytest.mark.parametrize("site_folder", COUNCIL_SITES, ids=["example", "hart", "eastbrook"])
def test_every_result_is_rated_as_the_rules_rate_it_one_at_a_time(site_folder):
    """assess's shortcuts (positions instead of periods, targets asked only in years that
    have one, the ladder stepped by review point) give what each rule gives, asked plainly."""
    from perfsite.rules import (Observation, applicable_target, comparison_period, direction, exception,
                                status)

    site = assessed(site_folder)
    rules = site.config.rules
    rated = cumulative = compared = staged = 0
    for record in site.records:
        indicator = record.indicator
        tolerance = indicator.tolerance if indicator.tolerance is not None else rules.tolerance
        levels = {target.period: target.levels for target in record.targets}
        observations = {r.period: Observation(r.value, r.lower_ci, r.upper_ci)
                        for r in record.series if r.value is not None}
        statuses = []
        for result in record.series:
            applied = applicable_target(result.period, levels, indicator.measure)
            rating = status(result.value, applied, indicator.polarity, tolerance)
            earlier = comparison_period(result.period, observations, indicator.periods_between_results)
            observed = Observation(result.value, result.lower_ci, result.upper_ci)
            assert result.target == applied and result.status is rating
            assert result.compared_with == earlier
            assert result.compared_value == (observations[earlier].value if earlier else None)
            assert result.direction is direction(observed, observations.get(earlier), indicator.polarity,
                                                 rules.direction_threshold)
            assert result.exception is exception(result.value, applied, rating, indicator.polarity,
                                                 rules.exceed_margin)
            statuses.append(rating)
            rated += rating.is_rag
            cumulative += applied is not None and applied.is_profiled
            compared += earlier is not None
        if record.series and indicator.polarity.is_rated:
            periods = [result.period for result in record.series]
            stages = plain_stages(periods, statuses, rules.review_points)
            assert [result.intervention_stage for result in record.series] == [stages.get(p) for p in periods]
            assert [(s.review_period, s.stage) for s in record.standings] == list(stages.items())
            staged += any(stages.values())
        else:
            assert all(result.intervention_stage is None for result in record.series) and not record.standings
    assert rated and compared and staged  # the sites exercise the rules
    if site_folder == ROOT:
        assert cumulative  # and profiled targets (year-to-date totals against a share of the annual target)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(Granularity)), st.integers(2000, 2030), st.integers(0, 11),
       st.sets(st.integers(-30, 30), max_size=25), st.sampled_from([1, 2]))
def test_the_period_compared_with_is_the_same_found_by_position(granularity, year, number, offsets, apart):
    from perfsite.rules import comparison_period, comparison_position

    per_year = granularity.per_year
    position = year * per_year + number % per_year
    period = Period.of(granularity, *divmod_period(position, per_year))
    available = {position + offset for offset in offsets}
    periods = {Period.of(granularity, *divmod_period(p, per_year)) for p in available}
    found = comparison_position(position, available, per_year, apart)
    expected = comparison_period(period, periods, apart)
    assert (Period.of(granularity, *divmod_period(found, per_year)) if found is not None else None) == expected
    assert position == period.first_month_index // granularity.months  # how assess numbers periods


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False)), st.sampled_from(list(Polarity)),
       st.decimals(min_value=0, max_value=1, places=3))
def test_without_a_target_the_status_depends_only_on_whether_there_is_a_figure(value, polarity, tolerance):
    """assess asks status() once with a figure and once without, for all of an indicator's
    results that have no target (tests above check every result of the council sites too)."""
    from perfsite.assess import _A_FIGURE
    from perfsite.rules import status

    case = _A_FIGURE if value is not None else None
    assert status(value, None, polarity, tolerance) is status(case, None, polarity, tolerance)


def divmod_period(position: int, per_year: int) -> tuple[int, int]:
    year, in_year = divmod(position, per_year)
    return year, in_year + 1


def test_the_quick_constructor_makes_what_init_makes_and_refuses_what_it_cannot():
    import pickle

    from perfsite.bulk import frozen_maker, reduce_by_fields

    values = [object() for _ in dataclasses.fields(AssessedResult)]
    made, plain = frozen_maker(AssessedResult)(*values), AssessedResult(*values)
    assert type(made) is AssessedResult and held(made) == held(plain)
    assert not hasattr(made, "__dict__")  # slotted: the fields are in the object, no dictionary beside it
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.status = Status.RED  # type: ignore[misc]

    @dataclasses.dataclass(frozen=True)
    class Plain:  # with a dictionary, as before
        first: int
        second: str

    quick = frozen_maker(Plain)(1, "two")
    assert type(quick) is Plain and list(vars(quick).items()) == [("first", 1), ("second", "two")]
    assert quick == Plain(1, "two")

    @dataclasses.dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            assert self.value >= 0

    with pytest.raises(TypeError):
        frozen_maker(Checked)  # its __post_init__ would be skipped

    @dataclasses.dataclass(frozen=True, slots=True, weakref_slot=True)
    class Referenced:
        value: int

    with pytest.raises(TypeError):
        frozen_maker(Referenced)  # a slot that is not a field

    @dataclasses.dataclass(frozen=True, slots=True)
    class Unmade:
        value: int

        __reduce__ = reduce_by_fields

    with pytest.raises(TypeError, match="frozen_maker"):
        pickle.dumps(Unmade(1))  # pickled by a constructor that was never made: said, not a KeyError


def test_slotted_instances_pickle_as_their_fields_whatever_was_asked_of_them(eastbrook_site, eastbrook_package):
    """A page's cache key is the hash of a pickle: the same fields must give the same bytes,
    and what a worker process unpickles must be the same object again."""
    import pickle

    record = next(record for record in eastbrook_site.records if record.standings)
    result, standing = record.series[-1], record.standings[-1]
    line = eastbrook_site.reports[-1].themes[0].lines[0]
    for instance in (result, standing, line, eastbrook_package.results[0]):
        before = pickle.dumps(instance, 5)
        _ = (hash(instance), repr(instance), instance == instance)
        assert pickle.dumps(instance, 5) == before
        again = pickle.loads(before)
        assert type(again) is type(instance) and again == instance and held(again) == held(instance)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(again, dataclasses.fields(again)[0].name, None)


def test_long_lived_bulk_objects_go_to_the_oldest_generation_and_garbage_is_still_collected():
    import gc

    from perfsite.bulk import without_cyclic_gc

    class Node:
        pass

    was_enabled = gc.isenabled()
    gc.enable()
    try:
        with without_cyclic_gc(long_lived=True):
            assert not gc.isenabled()
            kept = [Node() for _ in range(1000)]
            cycle = Node()
            cycle.me = cycle  # garbage the collector must still find
            del cycle
        assert gc.isenabled() and gc.get_freeze_count() == 0
        oldest = {id(o) for o in gc.get_objects(generation=2)}
        assert all(id(node) in oldest for node in kept)
        assert gc.collect() >= 1  # the cycle, among others
    finally:
        if not was_enabled:
            gc.disable()


def test_the_assessed_site_does_not_hold_the_results_twice(eastbrook_site, eastbrook_package):
    """Each result lives on in its indicator's record; the site's package is kept without them."""
    assert eastbrook_site.package.results == ()
    assessed = sum(len(record.series) for record in eastbrook_site.records)
    assert assessed == len(eastbrook_package.results)
    assert eastbrook_site.package.indicators == eastbrook_package.indicators
