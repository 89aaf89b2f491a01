"""Printed in black and white, a trend chart's lines stay distinguishable: each of the
result, the target and the monitoring level has its own dash pattern, and so does its
sample in the chart's key (not only its colour). The key is the page's HTML beside the
chart; its samples come from the same patterns as the lines."""

from __future__ import annotations

import re

from perfsite.charts import ChartData, ChartPoint, render_svg, spec_for
from perfsite.config import load_config
from perfsite.render import template_environment

SERIES = ("Result", "Target", "Monitoring level")


def _chart_data() -> ChartData:
    points = tuple(ChartPoint(label=f"2010-11 Q{quarter}", value=float(quarter),
                              provisional=quarter == 4, target=5.0, monitoring_level=3.0)
                   for quarter in range(1, 5))
    return ChartData(key="ni-001", title="Trend chart", summary="A summary.", unit_label="%", points=points)


def _svg(narrow: bool) -> str:
    chart = _chart_data()
    return render_svg(spec_for(chart.narrow_variant() if narrow else chart, load_config(None).charts))


def _key_html() -> str:
    macros = template_environment().get_template("partials/macros.html").module
    return str(macros.chart_key(_chart_data().key_entries))


def _key_items(html: str) -> dict[str, str]:
    """Each entry of the key: its words and the sample drawn before them."""
    return {label: sample for sample, label in re.findall(r"<li>(<svg.*?</svg>)([^<]+)</li>", html)}


def test_each_line_has_its_own_dash_pattern_on_both_charts():
    for narrow in (False, True):
        dashes = re.findall(r'stroke-dasharray="([^"]*)"', _svg(narrow))
        assert len(dashes) == len(SERIES), (narrow, dashes)
        assert len(set(dashes)) == len(SERIES), (narrow, dashes)


def test_the_key_shows_each_line_with_the_dash_pattern_it_is_drawn_with():
    drawn = re.findall(r'stroke-dasharray="([^"]*)"', _svg(narrow=False))
    items = _key_items(_key_html())
    assert list(items) == [*SERIES, "Final", "Provisional"]
    patterns = [re.search(r'stroke-dasharray="([^"]*)"', items[name]) for name in SERIES]
    # Vega writes the solid line as the pattern "1,0"; the key's solid sample has none
    assert patterns[0] is None and drawn[0] == "1,0"
    assert [found.group(1) for found in patterns[1:]] == drawn[1:]
    assert "<circle" in items["Final"] and "<path" in items["Provisional"]


def test_the_key_samples_are_long_enough_to_show_the_dash_patterns():
    """A sample shorter than two repeats of its pattern looks like a plain line on paper."""
    items = _key_items(_key_html())
    for name in SERIES[1:]:
        start, end, pattern = re.search(r'd="M([0-9.]+) [0-9.]+H([0-9.]+)"[^>]*stroke-dasharray="([^"]*)"',
                                        items[name]).groups()
        repeat = sum(float(part) for part in pattern.split(","))
        assert float(end) - float(start) >= 2 * repeat, pattern


def test_the_charts_draw_no_key_of_their_own():
    for narrow in (False, True):
        svg = _svg(narrow)
        for name in (*SERIES, "Final", "Provisional"):
            assert f">{name}<" not in svg, (narrow, name)
