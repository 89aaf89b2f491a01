"""How figures, dates and ratings are written for readers.

Numbers, dates and month names are formatted with Babel for the site's language
(its ``language`` setting), from exact decimals, so the same figure is always
written the same way (byte-identical rebuilds). Every rating has a plain-English
label, translated through the message catalogue: status is never shown by colour
alone.

``Formats`` writes in the language of one build (and of the command line's messages
about a site, such as new-period's checklist). The module's functions write in the
English of the source, for callers that have no site's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Optional, Union

from babel.dates import format_date, get_month_names
from babel.numbers import NumberPattern, parse_pattern

from .catalogue import Dimension, Severity
from .i18n import ENGLISH, Language, N_
from .rules import Direction, ExceptionKind, Forecast, Polarity, Status
from .periods import Granularity, Period
from .units import is_count, is_currency, is_percentage

Number = Union[Decimal, Fraction, int, float]

# Formatted numbers kept by one build's Formats: a site shows each figure on several pages
# (its indicator, the scorecards of its period, the views), and Babel's formatting is
# a large share of templating. A full memo is emptied, so memory stays bounded (an entry
# is about 300 bytes: 100,000 of them are about 30 MB).
NUMBER_MEMO_SIZE = 100_000

STATUS_LABELS = {
    Status.GREEN: N_("On target"),
    Status.AMBER: N_("Near target"),
    Status.RED: N_("Off target"),
    Status.NO_TARGET: N_("No target"),
    Status.NO_DATA: N_("No data"),
    Status.NOT_RATED: N_("Not rated"),
}
STATUS_EXPLANATIONS = {
    Status.GREEN: N_("The result meets or beats its target."),
    Status.AMBER: N_("The result misses its target but meets the monitoring level (or, without one, is within the tolerance)."),
    Status.RED: N_("The result misses its target and its monitoring level: performance-management action is triggered."),
    Status.NO_TARGET: N_("No target applies to this result."),
    Status.NO_DATA: N_("There is no figure for this period."),
    Status.NOT_RATED: N_("The indicator gives context and has no better or worse direction, so it is not rated."),
}
DIRECTION_LABELS = {
    Direction.IMPROVING: N_("Improving"),
    Direction.WORSENING: N_("Getting worse"),
    Direction.NO_CHANGE: N_("No significant change"),
    Direction.NOT_COMPARABLE: N_("Not comparable"),
    Direction.INCREASING: N_("Increasing"),
    Direction.DECREASING: N_("Decreasing"),
}
# The same, within a sentence ("… against a target of 36% (on target)").
STATUS_IN_SENTENCE = {
    Status.GREEN: N_("on target"),
    Status.AMBER: N_("near target"),
    Status.RED: N_("off target"),
    Status.NO_TARGET: N_("no target"),
    Status.NO_DATA: N_("no data"),
    Status.NOT_RATED: N_("not rated"),
}
DIRECTION_IN_SENTENCE = {
    Direction.IMPROVING: N_("improving"),
    Direction.WORSENING: N_("getting worse"),
    Direction.NO_CHANGE: N_("no significant change"),
    Direction.NOT_COMPARABLE: N_("not comparable"),
    Direction.INCREASING: N_("increasing"),
    Direction.DECREASING: N_("decreasing"),
}
# How often an indicator is reported (its ``frequency``), as the indicator page says it.
FREQUENCY_LABELS = {
    "monthly": N_("Monthly"),
    "quarterly": N_("Quarterly"),
    "six-monthly": N_("Six-monthly"),
    "annual": N_("Annual"),
    "biennial": N_("Biennial"),
}
# The data-quality page's words for a rule's severity and its dimension of data quality.
SEVERITY_LABELS = {Severity.ERROR: N_("Error"), Severity.WARNING: N_("Warning")}
DIMENSION_LABELS = {
    Dimension.ACCURATE: N_("Accurate"),
    Dimension.VALID: N_("Valid"),
    Dimension.RELIABLE: N_("Reliable"),
    Dimension.TIMELY: N_("Timely"),
    Dimension.RELEVANT: N_("Relevant"),
    Dimension.COMPLETE: N_("Complete"),
}
DIMENSION_IN_SENTENCE = {  # "Rules for accurate data"
    Dimension.ACCURATE: N_("accurate"),
    Dimension.VALID: N_("valid"),
    Dimension.RELIABLE: N_("reliable"),
    Dimension.TIMELY: N_("timely"),
    Dimension.RELEVANT: N_("relevant"),
    Dimension.COMPLETE: N_("complete"),
}
# Arrows are not words: the same in every language (and hidden from screen readers).
DIRECTION_ARROWS = {
    Direction.IMPROVING: "↑",
    Direction.WORSENING: "↓",
    Direction.NO_CHANGE: "→",
    Direction.NOT_COMPARABLE: "–",
    Direction.INCREASING: "↗",
    Direction.DECREASING: "↘",
}
EXCEPTION_LABELS = {
    ExceptionKind.UNDER: N_("Under-performance"),
    ExceptionKind.OVER: N_("Over-performance"),
}
EXCEPTION_IN_SENTENCE = {  # "… against a target of 40%: over-performance."
    ExceptionKind.UNDER: N_("under-performance"),
    ExceptionKind.OVER: N_("over-performance"),
}
FORECAST_LABELS = {
    Forecast.LIKELY: N_("Achievement likely"),
    Forecast.DIFFICULT: N_("Achievement difficult"),
    Forecast.UNLIKELY: N_("Achievement unlikely"),
}
POLARITY_LABELS = {
    Polarity.HIGHER: N_("Higher is better"),
    Polarity.LOWER: N_("Lower is better"),
    Polarity.NONE: N_("Neither higher nor lower is better"),
}
INTERVENTION_LABELS = {
    0: N_("Not on the ladder"),
    1: N_("Stage 1: the lead partner takes action and reports back within three months"),
    2: N_("Stage 2: the theme board agrees a plan with the agencies involved"),
    3: N_("Stage 3: the partnership nominates a member to agree a revised plan"),
}
INTERVENTION_SHORT = {0: N_("Not on the ladder"), 1: N_("Stage 1"), 2: N_("Stage 2"), 3: N_("Stage 3")}
DATA_STATUS_LABELS = {"final": N_("Final"), "provisional": N_("Provisional"), "estimate": N_("Estimate")}




def as_decimal(value: Number, places: int) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number_pattern(places: int) -> str:
    """The Babel (CLDR) pattern of a number with thousands separators and ``places`` decimal places."""
    return "#,##0" + ("." + "0" * places if places else "")


# What babel.numbers.format_decimal hands NumberPattern.apply by default (Babel 2.19), so that
# applying a parsed pattern writes exactly format_decimal's text (tests/test_formatting.py).
FORMAT_DECIMAL_OPTIONS = dict(decimal_quantization=True, group_separator=True, numbering_system="latn")


def places_for(value: Number, decimals: Optional[int]) -> int:
    """Decimal places to show: the indicator's setting, else as the figure is written."""
    if decimals is not None:
        return decimals
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0
    if isinstance(value, Fraction):
        return 0 if value.denominator == 1 else 2
    return 0


def separate_unit(unit: str) -> str:
    """The part of a unit that tables show apart from the number ("" if it stays attached).

    Short units stay attached (45.2%, £12,500); long ones such as "per 1,000
    population" are shown beneath the number, or once above a table of one indicator.
    """
    if is_percentage(unit) or is_currency(unit) or is_count(unit):
        return ""
    return unit.strip()


def _pounds(text: str) -> str:
    return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"


class Formats:
    """Figures, dates, periods and labels written in one build's language."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.locale = language.locale
        self._ = language.gettext
        # Babel's month names as they stand alone ("April to June 2008"), January first
        self.month_names = get_month_names("wide", context="stand-alone", locale=self.locale)
        self._patterns: dict[int, NumberPattern] = {}  # by decimal places: each parsed once
        # (type, text, places) -> formatted: the text of a value, since equal values can be written
        # differently (Decimal("-0") == 0, Decimal("1.0") == Decimal("1.00"), and both hash alike)
        self._numbers: dict[tuple[type, str, int], str] = {}

    def labels(self, labels: dict) -> dict:
        """A table of labels (STATUS_LABELS and the like) in this language."""
        return {key: self._(label) for key, label in labels.items()}

    def number(self, value: Optional[Number], places: int = 0) -> str:
        """A number with thousands separators and a fixed number of decimal places."""
        if value is None:
            return ""
        key = (type(value), str(value), places)
        text = self._numbers.get(key)
        if text is None:
            text = self._pattern(places).apply(as_decimal(value, places), self.locale, **FORMAT_DECIMAL_OPTIONS)
            if len(self._numbers) >= NUMBER_MEMO_SIZE:
                self._numbers.clear()
            self._numbers[key] = text
        return text

    def _pattern(self, places: int) -> NumberPattern:
        """Thousands separators and ``places`` decimal places, parsed once (format_decimal
        parses its pattern on every call)."""
        pattern = self._patterns.get(places)
        if pattern is None:
            pattern = self._patterns[places] = parse_pattern(number_pattern(places))
        return pattern

    def figure(self, value: Optional[Number], unit: str, decimals: Optional[int] = None,
               with_unit: bool = True) -> str:
        """A value as readers see it: ``45.2%``, ``£12,500``, ``12.3 per 1,000 population``."""
        if value is None:
            return self._("No data")
        text = self.number(value, places_for(value, decimals))
        if not with_unit:
            return text
        if is_percentage(unit):
            return f"{text}%"
        if is_currency(unit):
            return _pounds(text)
        if is_count(unit):
            return text
        return f"{text} {unit.strip()}"

    def figure_parts(self, value: Optional[Number], unit: str, decimals: Optional[int] = None) -> tuple[str, str]:
        """A figure split for tables: the text, and a unit to show on its own line ("" if none)."""
        if value is None:
            return self._("No data"), ""
        apart = separate_unit(unit)
        return self.figure(value, unit, decimals, with_unit=not apart), apart

    def money(self, value: Optional[Number]) -> str:
        if value is None:
            return self._("Not reported")
        return _pounds(self.number(value, 0))

    def variance(self, value: Optional[Number]) -> str:
        """Spend against budget in words: ``£1,200 over``, ``£300 under``, ``On budget``."""
        if value is None:
            return self._("Not reported")
        if value == 0:
            return self._("On budget")
        amount = self.money(abs(value))
        return self._("%(amount)s over", amount=amount) if value > 0 else self._("%(amount)s under", amount=amount)

    def long_date(self, date: Optional[dt.date]) -> str:
        return format_date(date, "d MMMM y", locale=self.locale) if date else ""

    def period_span(self, period: Period) -> str:
        """A period in words for readers (``April to June 2008``), with the language's month names."""
        start, end = period.start, period.end
        first, last = self.month_names[start.month], self.month_names[end.month]
        if period.granularity is Granularity.MONTH:
            return self._("%(month)s %(year)s", month=first, year=start.year)
        if start.year == end.year:
            return self._("%(first_month)s to %(last_month)s %(year)s",
                          first_month=first, last_month=last, year=end.year)
        return self._("%(first_month)s %(first_year)s to %(last_month)s %(last_year)s",
                      first_month=first, first_year=start.year, last_month=last, last_year=end.year)

    def period_title(self, period: Period) -> str:
        """Label and span together (``2008-09 Q1 (April to June 2008)``); a month is its span alone."""
        if period.granularity is Granularity.MONTH:
            return self.period_span(period)
        return self._("%(label)s (%(span)s)", label=period.label, span=self.period_span(period))


# The English of the source, for perfsite's own messages on the command line.
ENGLISH_FORMATS = Formats(ENGLISH)
number = ENGLISH_FORMATS.number
figure = ENGLISH_FORMATS.figure
figure_parts = ENGLISH_FORMATS.figure_parts
money = ENGLISH_FORMATS.money
variance = ENGLISH_FORMATS.variance
long_date = ENGLISH_FORMATS.long_date


def percent_of(part: int, whole: int) -> str:
    if not whole:
        return "0%"
    return f"{round(100 * part / whole)}%"
