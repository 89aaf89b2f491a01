"""A dense series is drawn as its line: each result gets a point only when the full-width
chart leaves ``charts.marker_spacing`` pixels between results. On a denser chart (ten years
of months across 560 pixels) the points overlap into a band that adds ink and page weight,
not reading; its provisional results keep their diamonds, and the key says only what is drawn.
The table below the chart gives every figure either way."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from perfsite.charts import ChartData, ChartPoint, render_svg, results_marked, spec_for
from perfsite.config import ChartSettings, load_config
from perfsite.pipeline import check
from perfsite.render import chart_for, template_environment

from helpers import REPOSITORY

SETTINGS = load_config(None).charts


def _chart(results: int, provisional: frozenset[int] = frozenset(), marked: bool = True) -> ChartData:
    points = tuple(ChartPoint(label=f"{2000 + n // 12}-{n % 12 + 1:02d}", value=float(n % 7),
                              provisional=n in provisional, target=4.0)
                   for n in range(results))
    return ChartData(key="ni-001", title="Trend chart", summary="A summary.", unit_label="%", points=points,
                     marked=marked)


def _symbols(svg: str) -> int:
    """How many points a chart draws (Vega's symbol marks, one path each)."""
    groups = re.findall(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    return sum(group.count("<path") for group in groups)


@given(st.integers(min_value=0, max_value=2000), st.integers(min_value=1, max_value=2000),
       st.integers(min_value=0, max_value=50))
def test_results_are_marked_when_the_full_width_chart_leaves_the_spacing_between_them(results, width, spacing):
    settings = replace(SETTINGS, width=width, marker_spacing=spacing)
    assert results_marked(results, settings) == (spacing == 0 or results == 0 or width / results >= spacing)


def test_the_defaults_mark_up_to_seventy_results():
    assert (SETTINGS.width, SETTINGS.marker_spacing) == (560, 8)
    assert results_marked(70, SETTINGS) and not results_marked(71, SETTINGS)


def test_a_dense_chart_draws_points_on_its_provisional_results_only():
    provisional = frozenset({118, 119})
    for narrow in (False, True):
        marked, dense = _chart(120, provisional), _chart(120, provisional, marked=False)
        if narrow:
            marked, dense = marked.narrow_variant(), dense.narrow_variant()
        assert _symbols(render_svg(spec_for(marked, SETTINGS))) == 120
        assert _symbols(render_svg(spec_for(dense, SETTINGS))) == len(provisional)


def test_a_dense_chart_without_provisional_results_is_its_lines_alone_in_a_third_of_the_bytes():
    marked, dense = (render_svg(spec_for(_chart(120, marked=flag), SETTINGS)) for flag in (True, False))
    assert _symbols(dense) == 0 and 'class="mark-symbol' not in dense
    assert dense.count('class="mark-line') == marked.count('class="mark-line') == 2  # result and target
    assert len(dense) * 3 < len(marked)


def test_the_key_of_a_dense_chart_shows_the_provisional_point_and_no_final_one():
    words = [entry.label for entry in _chart(120, frozenset({5}), marked=False).key_entries]
    assert words == ["Result", "Target", "Provisional"]
    assert [entry.label for entry in _chart(120, frozenset({5})).key_entries] == \
        ["Result", "Target", "Final", "Provisional"]
    macros = template_environment().get_template("partials/macros.html").module
    html = str(macros.chart_key(_chart(120, frozenset({5}), marked=False).key_entries))
    assert "Final" not in html and html.count("<li>") == 3


@cache  # each site checked once for the tests that read its records
def _records(site):
    outcome = check(site, with_history=False)
    assert outcome.ok, outcome.report.errors
    return outcome.site.records


def test_the_example_sites_and_the_real_councils_charts_mark_every_result_with_the_defaults():
    """The example (three years of months) and Hart's published figures are sparse enough:
    their charts are as they were before dense series were drawn as lines."""
    for site in (REPOSITORY, REPOSITORY / "examples" / "hart"):
        charts = [chart_for(record, SETTINGS) for record in _records(site)]
        assert charts and all(chart.marked for chart in charts if chart is not None)


def test_an_indicator_is_drawn_as_its_line_when_its_series_is_denser_than_the_setting():
    """The example's monthly indicators (36 results) on a chart that leaves 16 pixels a point
    at most (560 / 36 = 15.6): their line alone, the quarterly ones (12) still marked."""
    settings: ChartSettings = replace(SETTINGS, marker_spacing=16)
    charts = [chart for chart in (chart_for(record, settings) for record in _records(REPOSITORY)) if chart]
    assert {len(chart.points) for chart in charts if not chart.marked} == {36}
    assert all(chart.marked == (len(chart.points) <= 35) for chart in charts)
    dense = next(chart for chart in charts if not chart.marked)
    provisional = sum(1 for point in dense.points if point.provisional and point.value is not None)
    for chart in (dense, dense.narrow_variant()):
        assert _symbols(render_svg(spec_for(chart, settings))) == provisional
