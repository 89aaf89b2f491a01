"""The rules along each series (gaps, outliers, breaks), vectorised for speed, against
a plain per-indicator reading of the same rules on random series."""

from __future__ import annotations

import statistics

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfsite.config import load_config
from perfsite.periods import Granularity, Period
from perfsite.quality import cross
from perfsite.frames import table_data
from perfsite.tables import parse_table

QUALITY = load_config(None).quality
FREQUENCY = {"monthly": Granularity.MONTH, "quarterly": Granularity.QUARTER, "annual": Granularity.YEAR}


def tables(series: dict[str, tuple[str, str, list]]):
    """indicators.csv and results.csv for {id: (frequency, measure, [(position, value or None, note)])}."""
    indicators = ["indicator_id,title,theme_id,polarity,unit,frequency,measure"]
    results = ["indicator_id,period,value,note"]
    for indicator_id, (frequency, measure, points) in series.items():
        indicators.append(f"{indicator_id},T,t,higher,number,{frequency},{measure}")
        granularity = FREQUENCY[frequency]
        for position, value, note in points:
            order = 2000 * 12 + position * granularity.months
            period = Period(granularity, order // 12, (order % 12) // granularity.months + 1)
            results.append(f"{indicator_id},{period.label},{'' if value is None else value},{note}")
    parsed = {name: parse_table(name, f"data/{name}.csv", ("\n".join(lines) + "\n").encode())
              for name, lines in (("indicators", indicators), ("results", results))}
    return table_data(parsed["indicators"]), table_data(parsed["results"])


def reference(series: dict[str, tuple[str, str, list]]):
    """The rules read straight from their definitions, one indicator at a time."""
    expected = set()
    row = 2
    for frequency, measure, points in series.values():
        rows = {}
        for position, value, note in points:
            rows.setdefault(position, (row, value, note))  # a repeated period: the first row counts
            row += 1
        ordered = sorted(rows.items())
        positions = [position for position, _ in ordered]
        for missing in sorted(set(range(positions[0], positions[-1] + 1)) - set(positions)):
            expected.add(("complete.expected-period", None, missing))
        granularity = FREQUENCY[frequency]
        figures, previous_value, previous_year = [], None, None
        for position, (row_number, value, note) in ordered:
            year = (2000 * 12 + position * granularity.months) // 12
            if measure == "cumulative":
                earlier = previous_value if previous_year == year else 0.0
                figure = None if value is None or earlier is None else value - earlier
            else:
                figure = value
            previous_value, previous_year = value, year
            if figure is not None:
                figures.append((row_number, figure, bool(note)))
        if len(figures) < QUALITY.min_series_length:
            continue
        values = [figure for _, figure, _ in figures]
        median = statistics.median(values)
        spread = statistics.median([abs(v - median) for v in values]) * cross.ROBUST_SD_PER_MAD
        flagged = {r for r, v, _ in figures if spread > 0 and abs(v - median) / spread > float(QUALITY.outlier_threshold)}
        expected |= {("reliable.outlier", r, None) for r, _, explained in figures if r in flagged and not explained}
        steps = [abs(b[1] - a[1]) for a, b in zip(figures, figures[1:])]
        typical = statistics.median(steps)
        for (earlier_row, before, _), (r, _, explained), step in zip(figures, figures[1:], steps):
            if r in flagged or earlier_row in flagged or explained:
                continue
            big = step > float(QUALITY.break_factor) * typical if typical > 0 else step > 0
            if big and step > float(QUALITY.break_min_relative_change) * abs(before):
                expected.add(("reliable.series-break", r, None))
    return expected


def found(series):
    indicators, results = tables(series)
    frame = cross.series_of(results, indicators)
    findings = list(cross.expected_periods(frame, results)) + list(cross.unusual_values(frame, results, QUALITY))
    positions = {}
    for indicator_id, (frequency, _, _) in series.items():
        granularity = FREQUENCY[frequency]
        for position in range(-5, 80):
            order = 2000 * 12 + position * granularity.months
            positions[(indicator_id, Period(granularity, order // 12, (order % 12) // granularity.months + 1).label)] = position
    out = set()
    for finding in findings:
        if finding.rule_id == "complete.expected-period":
            indicator_id = finding.message.split(" ")[0]
            out.add((finding.rule_id, None, positions[(indicator_id, finding.value)]))
        else:
            out.add((finding.rule_id, finding.row, None))
    return out


values = st.one_of(st.none(), st.integers(0, 50).map(float), st.sampled_from([0.0, 10.0, 500.0, -20.0]),
                   st.sampled_from([100.0, 101.0, 102.0, 300.0, 301.0]))  # steady levels, so that breaks occur
point = st.tuples(st.integers(0, 30), values, st.sampled_from(["", "", "", "survey changed"]))
random_points = st.lists(point, min_size=1, max_size=25)


@st.composite
def level_shifts(draw):
    """A steady series that moves to a new level, with a few gaps and notes: where breaks are."""
    length = draw(st.integers(6, 20))
    shift_at = draw(st.integers(1, length - 1))
    before, after = draw(st.sampled_from([(100.0, 300.0), (100.0, 40.0), (0.0, 5.0), (50.0, 50.5)]))
    noise = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=length, max_size=length))
    points = [(i, (before if i < shift_at else after) + noise[i], "") for i in range(length)]
    for i in draw(st.lists(st.integers(0, length - 1), max_size=3)):
        points[i] = (i, draw(st.sampled_from([None, points[i][1]])), draw(st.sampled_from(["", "new system"])))
    return points


one_series = st.tuples(st.sampled_from(list(FREQUENCY)), st.sampled_from(["level", "cumulative"]),
                       st.one_of(random_points, level_shifts()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["A-1", "B-2", "C-3"]), one_series, min_size=1, max_size=3))
def test_vectorised_series_rules_match_their_definitions(series):
    # expected periods are found per series, so merge repeated positions the same way on both sides
    assert found(series) == reference(series)


def test_a_steady_series_with_one_spike_and_one_level_shift():
    steady = [(i, 100.0 + (i % 3), "") for i in range(12)]
    spiked = steady[:5] + [(5, 400.0, "")] + steady[6:]
    shifted = [(i, 100.0 + (i % 3) if i < 6 else 300.0 + (i % 3), "") for i in range(12)]
    result = found({"A-1": ("monthly", "level", spiked), "B-2": ("monthly", "level", shifted)})
    assert result == {("reliable.outlier", 7, None), ("reliable.series-break", 14 + 6, None)}
    explained = spiked[:5] + [(5, 400.0, "new method")] + steady[6:]
    assert found({"A-1": ("monthly", "level", explained)}) == set()
