"""The templating made cheaper writes the same bytes: the gettext functions installed by
render.install_gettext against the i18n extension's own, and the scorecard, which writes
its cells itself, against the small macros that write them elsewhere."""

from __future__ import annotations

import gettext
import itertools
from dataclasses import replace
from fractions import Fraction

import jinja2
import pytest
from babel import Locale
from markupsafe import Markup

from perfsite.i18n import Language, Message, N_
from perfsite.pipeline import check
from perfsite.render import PageLinks, install_gettext, template_environment
from perfsite.rules import AppliedTarget, Direction, ExceptionKind, Forecast, Status
from helpers import REPOSITORY

# Every way the templates translate: _() and gettext() with and without values, "%%", values
# that need escaping or are markup, plurals by ngettext and by {% trans %}…{% pluralize %},
# in loops and blocks that set variables (where the extension's functions get a new context
# for each call), and with autoescaping switched off by a site's own template.
TRANSLATING = """\
{{ _("Status") }} {{ _("100%% on target") }} {{ gettext("%(name)s wrote", name=name) }}
{{ _("Link: %(link)s", link=link) }} {{ ngettext("%(num)s indicator", "%(num)s indicators", n) }}
{{ ngettext("%(num)s file of %(what)s", "%(num)s files of %(what)s", n, what=name) }}
{% for i in range(3) %}{% set x = i %}{{ _("No data") }} {% trans count=i, who=name %}{{ count }} by {{ who }}{% pluralize %}{{ count }} by {{ who }}s{% endtrans %}
{% endfor %}
{% trans %}<strong>Retired:</strong> 50%{% endtrans %} {% trans name=name %}Hello {{ name }}{% endtrans %}
{% autoescape false %}{{ _("%(name)s raw", name=name) }} {{ ngettext("%(num)s <b>", "%(num)s <b>s", n) }}{% endautoescape %}
"""


class Marked(gettext.NullTranslations):
    """Translations that change every message, so that a missed call would show."""

    def gettext(self, message):
        return f"[{message}]"

    def ngettext(self, singular, plural, n):
        return f"[{singular if n == 1 else plural}]"


def environment(install) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    install(env)
    return env


@pytest.mark.parametrize("translations", [gettext.NullTranslations(), Marked()], ids=["English", "marked"])
@pytest.mark.parametrize("n", [0, 1, 2])
def test_gettext_writes_what_the_extensions_wrote(translations, n):
    values = dict(name="<Hart & Rushmoor>", link=Markup('<a href="x">x</a>'), n=n)
    extensions = environment(lambda env: env.install_gettext_translations(translations, newstyle=True))
    ours = environment(lambda env: install_gettext(env, translations))
    expected = extensions.from_string(TRANSLATING).render(**values)
    assert ours.from_string(TRANSLATING).render(**values) == expected
    assert ("[Status]" in expected) == isinstance(translations, Marked)


# ------------------------------------------------------------------ the scorecard
# The scorecard as it was written before its cells were: each cell by its small macro.
SCORECARD_BY_CELLS = """{% import "partials/macros.html" as m with context %}
{% macro scorecard_by_cells(lines, caption, id, url, report_period, show_theme=False) -%}
<div class="table-wrap" role="region" aria-labelledby="{{ id }}-caption" tabindex="0">
<table class="scorecard" id="{{ id }}">
  <caption id="{{ id }}-caption">{{ caption }}</caption>
  <thead>
    <tr>
      <th scope="col">{{ _("Indicator") }}</th>
      {% if show_theme %}<th scope="col">{{ _("Theme") }}</th>{% endif %}
      <th scope="col">{{ _("Period") }}</th>
      <th scope="col" class="num">{{ _("Result") }}</th>
      <th scope="col" class="num">{{ _("Target") }}</th>
      <th scope="col">{{ _("Status") }}</th>
      <th scope="col">{{ _("Direction of travel") }}</th>
      <th scope="col">{{ _("Forecast") }}</th>
      <th scope="col">{{ _("Intervention") }}</th>
    </tr>
  </thead>
  <tbody>
    {% for line in lines %}
    {% set indicator = line.record.indicator %}
    <tr>
      <th scope="row"><a href="{{ link('indicator', indicator=indicator) }}"><span class="indicator-id">{{ indicator.id }}</span> {{ indicator.title }}</a></th>
      {% if show_theme %}<td><a href="{{ link('theme', theme=line.record.theme) }}">{{ line.record.theme.name }}</a></td>{% endif %}
      <td>{% if line.result %}{{ line.result.period.label }}{% if not line.is_new %} <span class="muted">{{ _("(latest available)") }}</span>{% endif %}{% else %}<span class="muted">{{ _("No result yet") }}</span>{% endif %}</td>
      <td class="num">{{ m.value(line.result, indicator) }}</td>
      <td class="num">{{ m.target(line.result, indicator) }}</td>
      <td>{% if line.result %}{{ m.status(line.result.status) }}{% else %}{{ m.status(Status.NO_DATA) }}{% endif %}{% if line.exception %}<br>{{ m.exception(line.exception) }}{% endif %}</td>
      <td>{% if line.result %}{{ m.direction(line.result.direction) }}{% else %}<span class="muted">{{ DIRECTION_LABELS[Direction.NOT_COMPARABLE] }}</span>{% endif %}</td>
      <td>{{ m.forecast(line.result) }}</td>
      <td>{{ m.stage(line.intervention) }}</td>
    </tr>
    {% endfor %}
  </tbody>
</table>
</div>
{%- endmacro %}

{{ scorecard_by_cells(lines, "Caption", "scorecard", url, period, show_theme=show_theme) }}
"""
SCORECARD = """{% import "partials/macros.html" as m with context %}
{{ m.scorecard(lines, "Caption", "scorecard", url, period, show_theme=show_theme) }}
"""


@pytest.fixture(scope="module")
def lines():
    """The example's scorecard lines, and each one made over into every kind of line a
    scorecard can show: every status, direction and exception, forecasts of each kind or
    missing, provisional and missing figures, profiled and missing targets, lines not new,
    the rungs of the ladder, and no result at all."""
    site = check(REPOSITORY, with_history=False).site
    real = [line for report in site.reports for theme in report.themes for line in theme.lines]
    base = next(line for line in real if line.result is not None and line.result.target is not None)
    result = base.result
    made = []
    for status, direction, exception in itertools.product(Status, Direction, (None, *ExceptionKind)):
        made.append(replace(base, result=replace(result, status=status, direction=direction, exception=exception)))
    forecasts = [dict(forecast=None, forecast_for=None, forecast_basis=None),
                 dict(forecast=Forecast.LIKELY, forecast_for=result.period, forecast_basis="assessment"),
                 dict(forecast=Forecast.DIFFICULT, forecast_for=result.period, forecast_basis="trend"),
                 dict(forecast=Forecast.UNLIKELY, forecast_for=None, forecast_basis=None),
                 dict(forecast=None, forecast_missing=Message.of(N_("No target is set for %(period)s."),
                                                               period=result.period.label))]
    targets = [None, result.target, AppliedTarget(result.period, result.target.target, profile=result.target.profile
                                                  or 1)]
    for forecast, target, data_status, value in itertools.product(
            forecasts, targets, ("final", "provisional", "estimate"), (result.value, None)):
        made.append(replace(base, result=replace(result, target=target, data_status=data_status, value=value,
                                                 **forecast)))
    standings = {line.intervention for line in real if line.intervention is not None}
    for is_new, standing in itertools.product((True, False), (None, *standings)):
        made.append(replace(base, is_new=is_new, intervention=standing))
        made.append(replace(base, is_new=is_new, intervention=standing, result=None))
    assert any(s.stage == 0 for s in standings) and any(s.stage > 0 for s in standings)
    return real + made


@pytest.mark.parametrize("marked", [False, True], ids=["English", "marked"])
@pytest.mark.parametrize("show_theme", [False, True])
def test_the_scorecard_writes_the_cells_the_small_macros_write(lines, show_theme, marked):
    # marked: every word from the catalogue shows, so a message the scorecard gets wrong would too
    language = (Language("en-GB", Locale.parse("en_GB"), Marked()) if marked else Language.for_setting("en-GB"))
    env = template_environment(language=language)
    links = PageLinks("reports/2010-11-q4/well-being", "/", False)
    values = dict(lines=lines, url=links.url, link=links.link, period=None, show_theme=show_theme)
    expected = env.from_string(SCORECARD_BY_CELLS).render(**values).strip()  # not the lines between the macros
    assert env.from_string(SCORECARD).render(**values).strip() == expected
    assert expected.count("<tr>") == len(lines) + 1


# -------------------------------------------------------- an indicator's results table
# The results table as it was written before its cells were: each cell by its small macro.
RESULTS_BY_CELLS = """{% import "partials/macros.html" as m with context %}
  <div class="table-wrap" role="region" aria-labelledby="results-caption" tabindex="0">
  <table class="results">
    <caption id="results-caption">{% trans id=indicator.id %}Every result of {{ id }}, oldest first.{% endtrans %}{{ m.unit_sentence(indicator) }}</caption>
    <thead>
      <tr>
        <th scope="col">{{ _("Period") }}</th>
        <th scope="col" class="num">{{ _("Result") }}</th>
        <th scope="col" class="num">{{ _("Target") }}</th>
        <th scope="col" class="num">{{ _("Monitoring level") }}</th>
        <th scope="col">{{ _("Status") }}</th>
        <th scope="col">{{ _("Direction of travel") }}</th>
        <th scope="col">{{ _("Exception") }}</th>
        <th scope="col">{{ _("Note") }}</th>
      </tr>
    </thead>
    <tbody>
      {% for result in record.series %}
      <tr>
        <th scope="row">{{ result.period.label }}</th>
        <td class="num">{{ m.value(result, indicator, bare=True) }}</td>
        <td class="num">{{ m.target(result, indicator, bare=True) }}</td>
        <td class="num">{% if result.target and result.target.monitoring_level is not none %}{{ m.figure(result.target.monitoring_level, indicator, bare=True) }}{% else %}<span class="muted">{{ _("Not set") }}</span>{% endif %}</td>
        <td>{{ m.status(result.status) }}</td>
        <td>{{ m.direction(result.direction) }}</td>
        <td>{{ m.exception(result.exception) }}</td>
        <td>{% if result.revised %}{% trans figure=m.figure(result.published_value, indicator, bare=True) if result.published_value is not none else _("no figure"), release=result.published_in %}<strong class="revised">Revised:</strong> first published as {{ figure }} ({{ release }}).{% endtrans %} {% endif %}{{ result.note or "" }}</td>
      </tr>
      {% endfor %}
    </tbody>
  </table>
  </div>
"""
RESULTS = """{% import "partials/macros.html" as m with context %}
{{ m.results_table(record.series, indicator) }}
"""


@pytest.fixture(scope="module")
def records():
    """The example's indicators, and one whose series has every kind of result a table can
    show: every status, direction and exception, provisional and missing figures, targets
    profiled, missing, with and without a monitoring level, revised figures and notes."""
    site = check(REPOSITORY, with_history=False).site
    base = next(record for record in site.records if any(r.target is not None for r in record.series))
    result = next(r for r in base.series if r.target is not None)
    target = result.target
    series = [replace(result, status=status, direction=direction, exception=exception)
              for status, direction, exception in itertools.product(Status, Direction, (None, *ExceptionKind))]
    targets = [None, replace(target, monitoring_level=None), replace(target, monitoring_level=target.target),
               replace(target, profile=target.profile or Fraction(1, 4))]
    revisions = [dict(revised=False), dict(revised=True, published_value=result.value, published_in="release/1"),
                 dict(revised=True, published_value=None, published_in="release/2")]
    for applied, data_status, value, revision, note in itertools.product(
            targets, ("final", "provisional", "estimate"), (result.value, None), revisions, (None, "A <note>")):
        series.append(replace(result, target=applied, data_status=data_status, value=value, note=note, **revision))
    return [*site.records, replace(base, series=tuple(series))]


@pytest.mark.parametrize("marked", [False, True], ids=["English", "marked"])
def test_the_results_table_writes_the_cells_the_small_macros_write(records, marked):
    language = (Language("en-GB", Locale.parse("en_GB"), Marked()) if marked else Language.for_setting("en-GB"))
    env = template_environment(language=language)
    for record in records:
        links = PageLinks(f"indicators/{record.indicator.slug}", "/", False)
        values = dict(record=record, indicator=record.indicator, url=links.url, link=links.link)
        expected = env.from_string(RESULTS_BY_CELLS).render(**values)
        assert env.from_string(RESULTS).render(**values) == expected
    assert expected.count("<tr>") == len(records[-1].series) + 1
