"""How figures, dates and ratings are written for readers.

Numbers are formatted with Babel for the site's language, from exact decimals, so
the same figure is always written the same way (byte-identical rebuilds). Every
rating has a plain-English label: status is never shown by colour alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Optional, Union

from babel.dates import format_date
from babel.numbers import format_decimal

from .rules import Direction, ExceptionKind, Forecast, Polarity, Status
from .units import is_count, is_currency, is_percentage

LOCALE = "en_GB"
Number = Union[Decimal, Fraction, int, float]

STATUS_LABELS = {
    Status.GREEN: "On target",
    Status.AMBER: "Near target",
    Status.RED: "Off target",
    Status.NO_TARGET: "No target",
    Status.NO_DATA: "No data",
    Status.NOT_RATED: "Not rated",
}
STATUS_EXPLANATIONS = {
    Status.GREEN: "The result meets or beats its target.",
    Status.AMBER: "The result misses its target but meets the monitoring level (or, without one, is within the tolerance).",
    Status.RED: "The result misses its target and its monitoring level: performance-management action is triggered.",
    Status.NO_TARGET: "No target applies to this result.",
    Status.NO_DATA: "There is no figure for this period.",
    Status.NOT_RATED: "The indicator gives context and has no better or worse direction, so it is not rated.",
}
DIRECTION_LABELS = {
    Direction.IMPROVING: "Improving",
    Direction.WORSENING: "Getting worse",
    Direction.NO_CHANGE: "No significant change",
    Direction.NOT_COMPARABLE: "Not comparable",
    Direction.INCREASING: "Increasing",
    Direction.DECREASING: "Decreasing",
}
DIRECTION_ARROWS = {
    Direction.IMPROVING: "↑",
    Direction.WORSENING: "↓",
    Direction.NO_CHANGE: "→",
    Direction.NOT_COMPARABLE: "–",
    Direction.INCREASING: "↗",
    Direction.DECREASING: "↘",
}
EXCEPTION_LABELS = {
    ExceptionKind.UNDER: "Under-performance",
    ExceptionKind.OVER: "Over-performance",
}
FORECAST_LABELS = {
    Forecast.LIKELY: "Achievement likely",
    Forecast.DIFFICULT: "Achievement difficult",
    Forecast.UNLIKELY: "Achievement unlikely",
}
POLARITY_LABELS = {
    Polarity.HIGHER: "Higher is better",
    Polarity.LOWER: "Lower is better",
    Polarity.NONE: "Neither higher nor lower is better",
}
INTERVENTION_LABELS = {
    0: "Not on the ladder",
    1: "Stage 1: the lead partner takes action and reports back within three months",
    2: "Stage 2: the theme board agrees a plan with the agencies involved",
    3: "Stage 3: the partnership nominates a member to agree a revised plan",
}
INTERVENTION_SHORT = {0: "Not on the ladder", 1: "Stage 1", 2: "Stage 2", 3: "Stage 3"}
DATA_STATUS_LABELS = {"final": "Final", "provisional": "Provisional", "estimate": "Estimate"}


def as_decimal(value: Number, places: int) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


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


def number(value: Optional[Number], places: int = 0) -> str:
    """A number with thousands separators and a fixed number of decimal places."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(as_decimal(value, places), format=pattern, locale=LOCALE)


def figure(value: Optional[Number], unit: str, decimals: Optional[int] = None, with_unit: bool = True) -> str:
    """A value as readers see it: ``45.2%``, ``£12,500``, ``12.3 per 1,000 population``."""
    if value is None:
        return "No data"
    places = places_for(value, decimals)
    text = number(value, places)
    if not with_unit:
        return text
    if is_percentage(unit):
        return f"{text}%"
    if is_currency(unit):
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    if is_count(unit):
        return text
    return f"{text} {unit.strip()}"


def money(value: Optional[Number]) -> str:
    if value is None:
        return "Not reported"
    text = number(value, 0)
    return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"


def long_date(date: Optional[dt.date]) -> str:
    return format_date(date, "d MMMM y", locale=LOCALE) if date else ""


def percent_of(part: int, whole: int) -> str:
    if not whole:
        return "0%"
    return f"{round(100 * part / whole)}%"


def variance(value: Optional[Number]) -> str:
    """Spend against budget in words: ``£1,200 over``, ``£300 under``, ``on budget``."""
    if value is None:
        return "Not reported"
    if value == 0:
        return "On budget"
    return f"{money(abs(value))} {'over' if value > 0 else 'under'}"


def separate_unit(unit: str) -> str:
    """The part of a unit that tables show apart from the number ("" if it stays attached).

    Short units stay attached (45.2%, £12,500); long ones such as "per 1,000
    population" are shown beneath the number, or once above a table of one indicator.
    """
    if is_percentage(unit) or is_currency(unit) or is_count(unit):
        return ""
    return unit.strip()


def figure_parts(value: Optional[Number], unit: str, decimals: Optional[int] = None) -> tuple[str, str]:
    """A figure split for tables: the text, and a unit to show on its own line ("" if none)."""
    if value is None:
        return "No data", ""
    apart = separate_unit(unit)
    return figure(value, unit, decimals, with_unit=not apart), apart
