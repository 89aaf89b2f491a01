"""A chart drawn from its layout compiled once (charts.vega_spec) is the same SVG as the
chart compiled whole by vl-convert: the figures put into the compiled layout are all
that differs between charts of one layout. A chart's key in the cache is its spec's values."""

from __future__ import annotations

import copy

import vl_convert
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest

from perfsite import charts as charts_module
from perfsite.charts import (ChartData, ChartPoint, ChartWords, KeptSpecTemplates, _compiled_layout, render_svg,
                             spec_for, spec_hash, vega_spec)
from perfsite.config import load_config

CHART_SETTINGS = load_config(None).charts

figures = st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3)))


@st.composite
def charts(draw) -> ChartData:
    periods = draw(st.integers(min_value=1, max_value=12))
    has_target = draw(st.booleans())
    has_monitoring = draw(st.booleans())
    points = tuple(
        ChartPoint(label=f"{2010 + n // 4}-{11 + n // 4} Q{n % 4 + 1}", value=draw(figures),
                   provisional=draw(st.booleans()),
                   target=draw(figures) if has_target else None,
                   monitoring_level=draw(figures) if has_monitoring else None)
        for n in range(periods))
    chart = ChartData(key="c", title="A chart", summary="A summary.", points=points,
                      unit_label=draw(st.sampled_from(["%", "per cent", "days", "Nifer"])),
                      words=draw(st.sampled_from([ChartWords(), ChartWords(result="Canlyniad", target="Targed")])),
                      marked=draw(st.booleans()))
    return chart.narrow_variant() if draw(st.booleans()) else chart


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(charts())
def test_a_chart_from_its_compiled_layout_is_the_chart_compiled_whole(chart):
    spec = spec_for(chart, CHART_SETTINGS)
    render_svg(spec)  # registers the shipped font, as the build does, before the comparison
    assert render_svg(spec) == vl_convert.vegalite_to_svg(spec)


def test_charts_of_one_layout_compile_it_once_and_keep_their_own_figures():
    def chart(offset: float) -> ChartData:
        return ChartData(key="c", title="t", summary="s", unit_label="%", points=tuple(
            ChartPoint(label=f"2020-21 Q{q}", value=offset + q) for q in range(1, 5)))

    _compiled_layout.cache_clear()
    first, second = (vega_spec(spec_for(chart(offset), CHART_SETTINGS)) for offset in (10.0, 50.0))
    assert _compiled_layout.cache_info().misses == 1 and _compiled_layout.cache_info().hits == 1
    values = [[row["value"] for row in data["values"]] for vega in (first, second)
              for data in vega["data"] if "values" in data]
    assert values == [[11.0, 12.0, 13.0, 14.0], [51.0, 52.0, 53.0, 54.0]]
    # a change to the layout itself (here the unit) is another layout
    third = spec_for(ChartData(key="c", title="t", summary="s", unit_label="days", points=chart(1.0).points),
                     CHART_SETTINGS)
    vega_spec(third)
    assert _compiled_layout.cache_info().misses == 2


@given(charts())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_charts_key_is_its_specs_values_whatever_objects_hold_them(chart):
    """The chart cache's key (spec_hash) is the same for equal specs however their strings are
    shared (pickle's memo would write a shared string once and a copy twice: one process shares
    what another copies), and differs when a figure does."""
    spec = spec_for(chart, CHART_SETTINGS)
    copied = copy.deepcopy(spec)
    for row in copied["datasets"]["series"]:
        row["series"] = "".join(list(row["series"]))  # equal, another object
        row["period"] = "".join(list(row["period"]))
    assert copied == spec and spec_hash(copied) == spec_hash(spec)
    changed = copy.deepcopy(spec)
    changed["datasets"]["series"][0]["value"] = 1.5 if changed["datasets"]["series"][0]["value"] != 1.5 else 2.5
    assert spec_hash(changed) != spec_hash(spec)


@given(charts())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_spec_template_kept_in_the_cache_gives_the_spec_and_key_altair_gives(tmp_path_factory, chart):
    """Read back from the chart cache's JSON by a later build, a shape's template gives the
    same spec, pickled to the same bytes, so the chart's key (and SVG) is the same."""
    folder = tmp_path_factory.mktemp("templates")
    made = spec_for(chart, CHART_SETTINGS, KeptSpecTemplates(folder))  # made with altair, and kept
    assert len(list(folder.iterdir())) == 1
    kept = spec_for(chart, CHART_SETTINGS, KeptSpecTemplates(folder))  # another build: read back
    assert kept == made == spec_for(chart, CHART_SETTINGS)
    assert spec_hash(kept) == spec_hash(made)


def test_a_kept_spec_template_is_not_made_again(tmp_path, monkeypatch):
    chart = ChartData(key="c", title="t", summary="s", unit_label="%", points=tuple(
        ChartPoint(label=f"2020-21 Q{q}", value=float(q), target=3.0) for q in range(1, 5)))
    spec_for(chart, CHART_SETTINGS, KeptSpecTemplates(tmp_path))

    def not_again(*shape):
        raise AssertionError("made again")

    monkeypatch.setattr(charts_module, "_spec_template", not_again)
    spec_for(chart, CHART_SETTINGS, KeptSpecTemplates(tmp_path))
    with pytest.raises(AssertionError, match="made again"):  # another shape: narrow
        spec_for(chart.narrow_variant(), CHART_SETTINGS, KeptSpecTemplates(tmp_path))
    (next(tmp_path.iterdir())).write_text('{"cut sh', encoding="utf-8")  # a file cut short is made again
    with pytest.raises(AssertionError, match="made again"):
        spec_for(chart, CHART_SETTINGS, KeptSpecTemplates(tmp_path))
