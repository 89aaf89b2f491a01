"""Printed in black and white, a trend chart's lines stay distinguishable: each of the
result, the target and the monitoring level has its own dash pattern, and so does its
sample in the key (not only its colour)."""

from __future__ import annotations

import re

from perfsite.charts import ChartData, ChartPoint, render_svg, spec_for
from perfsite.config import load_config

SERIES = ("Result", "Target", "Monitoring level")


def _chart(narrow: bool) -> str:
    points = tuple(ChartPoint(label=f"2010-11 Q{quarter}", order=quarter, value=float(quarter),
                              provisional=quarter == 4, target=5.0, monitoring_level=3.0)
                   for quarter in range(1, 5))
    chart = ChartData(key="ni-001", title="Trend chart", summary="A summary.", unit_label="%", points=points)
    return render_svg(spec_for(chart.narrow_variant() if narrow else chart, load_config(None).charts))


def test_each_line_and_its_key_has_its_own_dash_pattern():
    for narrow in (False, True):
        svg = _chart(narrow)
        dashes = re.findall(r'stroke-dasharray="([^"]*)"', svg)
        # three lines and three samples in the key, each series with its own pattern
        assert len(dashes) == 2 * len(SERIES), (narrow, dashes)
        assert len(set(dashes)) == len(SERIES), (narrow, dashes)
        for name in SERIES:
            assert f">{name}<" in svg, (narrow, name)


def test_the_key_samples_are_long_enough_to_show_the_dash_patterns():
    """A sample shorter than two repeats of its pattern looks like a plain line on paper. The
    printed page shows the wide chart (site.css); the phone's keeps its key within its width."""
    samples = re.findall(r'd="M(-[0-9.]+),0L([0-9.]+),0"[^>]*stroke-dasharray="([^"]*)"', _chart(narrow=False))
    assert len(samples) == len(SERIES), samples
    for start, end, pattern in samples:
        repeat = sum(float(part) for part in pattern.split(","))
        assert float(end) - float(start) >= 2 * repeat, pattern
