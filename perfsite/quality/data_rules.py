"""Data-quality rules of single rows, needing at most the facts of each indicator.

Each rule is a function of a table's frames (and of the indicators' facts) that
yields findings; it works on whole columns, so it costs the same whether
Frictionless hosts it (``DataQualityCheck``) or the fast path calls it directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pandas as pd

from ..findings import Finding
from ..i18n import N_, Message
from ..frames import TableData, decimal_places, parse_period
from ..periods import Granularity
from ..tables import FORMULA_STARTS, is_free_text
from ..units import is_percentage, ratio_scale
from . import cells

Rule = Callable[[TableData, "IndicatorFacts"], Iterable[Finding]]


@dataclass(frozen=True)
class IndicatorFacts:
    """What the rules of other files need to know of each indicator, by indicator id."""

    # index indicator_id; columns unit, granularity, frequency, polarity, percent, scale (from the unit),
    # value_min, value_max (declared bounds, NaN when not declared), derivation (declared scale, NaN when
    # not declared) and not_derived (True when the indicator declares "none").
    frame: pd.DataFrame
    # The facts for the rows of each table asked about, by the table's id(): several
    # rules ask for the same table, and matching a million ids is the costly part.
    _for_rows: dict = field(default_factory=dict, compare=False, repr=False)

    COLUMNS = ("unit", "granularity", "frequency", "polarity", "percent", "scale",
               "value_min", "value_max", "derivation", "not_derived")

    @classmethod
    def from_table(cls, indicators: Optional[TableData]) -> "IndicatorFacts":
        if indicators is None or not indicators.has("indicator_id"):
            return cls(pd.DataFrame(columns=list(cls.COLUMNS)))
        live = indicators.live & (indicators.raw["indicator_id"] != "")
        live &= ~indicators.raw["indicator_id"].duplicated()
        raw = indicators.raw[live]
        typed = indicators.typed[live]

        def column(name: str) -> pd.Series:
            return raw[name] if name in raw else pd.Series("", index=raw.index)

        def number(name: str) -> pd.Series:
            return typed[name] if name in typed else pd.Series(float("nan"), index=raw.index)

        units = column("unit")
        granularity = column("frequency").map(_granularity)
        derivation = column("derivation").str.strip()
        frame = pd.DataFrame({
            "unit": units.values,
            "granularity": granularity.values,
            "frequency": granularity.map(lambda g: g.frequency if g else None).values,
            "polarity": column("polarity").values,
            "percent": units.map(is_percentage).values,
            "scale": units.map(ratio_scale).values,
            "value_min": number("value_min").values,
            "value_max": number("value_max").values,
            "derivation": pd.to_numeric(derivation.where(derivation != "none"), errors="coerce").values,
            "not_derived": (derivation == "none").values,
        }, index=pd.Index(raw["indicator_id"].values, name="indicator_id"))
        return cls(frame)

    def spread(self, data: TableData, per_indicator: pd.Series, missing) -> pd.Series:
        """A fact worked out per indicator (indexed by id), for each row of a table;
        ``missing`` where the row's indicator is unknown."""
        codes, ids = data.distinct("indicator_id")
        values = per_indicator.reindex(ids, fill_value=missing).to_numpy()
        return pd.Series(values[codes], index=data.raw.index)

    def for_rows(self, data: TableData) -> pd.DataFrame:
        """The facts of the indicator of each row (NaN where the indicator is unknown)."""
        known = self._for_rows.get(id(data))
        if known is None or known[0] is not data:
            # Matched once per distinct id, then spread to the rows.
            codes, ids = data.distinct("indicator_id")
            facts = self.frame.reindex(ids)
            known = self._for_rows[id(data)] = (data, facts.take(codes).set_axis(data.raw.index))
        return known[1]


def _granularity(frequency: str) -> Optional[Granularity]:
    try:
        return Granularity.for_frequency(frequency)
    except ValueError:
        return None


# ----------------------------------------------------------------- the rules
def formula_cells(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    for name in data.raw.columns:
        if not is_free_text(data.fields[name]):
            continue
        column = data.raw[name]
        risky = column.str.startswith(FORMULA_STARTS) & data.live
        for row, text in column[risky].items():
            yield Finding("valid.formula-cell", data.path,
                          Message.of(N_("The text in column “%(column)s” starts with “%(start)s”, so a spreadsheet may "
                                        "run it as a formula."), column=name, start=text[:1]),
                          row=row, column=name, column_number=data.column_number(name), value=text)


def period_meaning(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    """Periods that look right but are not (2008-04 is not a financial year)."""
    if not data.has("period"):
        return
    pattern = data.fields["period"]["constraints"]["pattern"]
    # Judged once per spelling (a million results have a few hundred).
    codes, spellings = data.distinct("period")
    shaped = pd.Series(spellings, dtype=data.raw["period"].dtype).str.fullmatch(pattern).fillna(False).astype(bool)
    readable = np.array([parse_period(text) is not None for text in spellings], dtype=bool)
    unreadable = data.live & (shaped.to_numpy() & ~readable)[codes]
    for row, text in data.raw["period"][unreadable].items():
        yield cells.period_finding(data.path, row, "period", data.column_number("period"), text)


def period_granularity(allow_year: bool) -> Rule:
    def rule(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
        if not (data.has("period") and data.has("indicator_id")):
            return
        # Compared as numbers standing for the frequencies, per distinct period and id.
        numbers: dict[str, int] = {}

        def number(frequency) -> int:
            return -1 if pd.isna(frequency) else numbers.setdefault(frequency, len(numbers))

        period_codes, distinct_periods = data.distinct_periods
        id_codes, ids = data.distinct("indicator_id")
        frequency = np.array([number(p.granularity.frequency if p else None) for p in distinct_periods] + [-1])
        expected = np.array([number(f) for f in facts.frame["frequency"].reindex(ids)] + [-1])
        frequency, expected = frequency[period_codes], expected[id_codes]
        wrong = data.live & (frequency >= 0) & (expected >= 0) & (frequency != expected)
        if allow_year:
            wrong &= frequency != number(Granularity.YEAR.frequency)
        if not wrong.any():
            return
        known = facts.for_rows(data)["granularity"]
        periods = data.periods
        for row in data.raw.index[wrong]:
            period, expected = periods[row], known[row]
            indicator = data.raw.at[row, "indicator_id"]
            example = _example(expected, period)
            message = Message.of(MUST_BE[expected, allow_year], indicator=indicator, frequency=expected.frequency,
                                 period=period.label, kind=A_PERIOD_OF[period.granularity])
            yield Finding("valid.period-granularity", data.path, message,
                          row=row, column="period", column_number=data.column_number("period"), value=period.label,
                          fix=Message.of(N_("Write %(kind)s, like “%(example)s”, or correct the frequency of "
                                            "%(indicator)s in indicators.csv."),
                                         kind=A_PERIOD_OF[expected], example=example, indicator=indicator))
    rule.__name__ = "period_granularity"
    return rule


# The frequency in these sentences is the indicator's, as written in indicators.csv (data).
# A whole sentence for each granularity the indicator's periods must have (and whether a whole
# financial year is allowed besides), not a plural glued on: the plural of "half" is "halves".
MUST_BE = {
    (Granularity.MONTH, True): N_("%(indicator)s is reported %(frequency)s, so its periods must be months (or a whole "
                                  "financial year), but “%(period)s” is %(kind)s."),
    (Granularity.MONTH, False): N_("%(indicator)s is reported %(frequency)s, so its periods must be months, but "
                                   "“%(period)s” is %(kind)s."),
    (Granularity.QUARTER, True): N_("%(indicator)s is reported %(frequency)s, so its periods must be quarters (or a "
                                    "whole financial year), but “%(period)s” is %(kind)s."),
    (Granularity.QUARTER, False): N_("%(indicator)s is reported %(frequency)s, so its periods must be quarters, but "
                                     "“%(period)s” is %(kind)s."),
    (Granularity.HALF, True): N_("%(indicator)s is reported %(frequency)s, so its periods must be halves of the year "
                                 "(or a whole financial year), but “%(period)s” is %(kind)s."),
    (Granularity.HALF, False): N_("%(indicator)s is reported %(frequency)s, so its periods must be halves of the "
                                  "year, but “%(period)s” is %(kind)s."),
    (Granularity.YEAR, True): N_("%(indicator)s is reported %(frequency)s, so its periods must be financial years, "
                                 "but “%(period)s” is %(kind)s."),
    (Granularity.YEAR, False): N_("%(indicator)s is reported %(frequency)s, so its periods must be financial years, "
                                  "but “%(period)s” is %(kind)s."),
}
A_PERIOD_OF = {Granularity.MONTH: Message.of(N_("a month")), Granularity.QUARTER: Message.of(N_("a quarter")),
               Granularity.HALF: Message.of(N_("a half")), Granularity.YEAR: Message.of(N_("a year"))}


def _example(granularity: Granularity, near) -> str:
    from ..periods import Period

    return Period(granularity, near.year, 1).label


def missing_value_note(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    if not data.has("value"):
        return
    note = data.raw["note"] if data.has("note") else pd.Series("", index=data.raw.index)
    missing = data.live & data.empty("value")
    missing[missing] = note[missing].str.strip() == ""  # only the rows without a value need a note
    for row in data.raw.index[missing]:
        yield Finding("complete.missing-value-note", data.path,
                      Message.of(N_("The value is empty and the note does not say why.")),
                      row=row, column="note" if data.has("note") else "value",
                      column_number=data.column_number("note") or data.column_number("value"))


def percentage_range(*columns: str) -> Rule:
    """A plausibility check: percentages of indicators that declare no bounds lie in 0-100."""
    def rule(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
        if not data.has("indicator_id"):
            return
        of_indicator = facts.frame
        undeclared = of_indicator["value_min"].isna() & of_indicator["value_max"].isna()
        percent = facts.spread(data, of_indicator["percent"].astype(bool) & undeclared, missing=False)
        for name in columns:
            if not data.has(name):
                continue
            numbers = data.typed[name]
            outside = data.live & percent & ((numbers < 0) | (numbers > 100))
            for row in data.raw.index[outside]:
                text = data.raw.at[row, name]
                yield Finding("valid.percentage-range", data.path,
                              Message.of(N_("%(indicator)s is a percentage, but “%(value)s” in column “%(column)s” is "
                                            "outside 0 to 100."),
                                         indicator=data.raw.at[row, 'indicator_id'], value=text, column=name),
                              row=row, column=name, column_number=data.column_number(name), value=text)
    rule.__name__ = "percentage_range"
    return rule


def declared_bounds(*columns: str) -> Rule:
    """Figures of an indicator that declares value_min or value_max lie within them."""
    def rule(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
        if not data.has("indicator_id"):
            return
        of_indicator = facts.frame
        low, high = of_indicator["value_min"].astype("float64"), of_indicator["value_max"].astype("float64")
        reversed_bounds = low > high  # reported once, on the indicator (bounds_in_order)
        low = facts.spread(data, low.where(~reversed_bounds), missing=float("nan"))
        high = facts.spread(data, high.where(~reversed_bounds), missing=float("nan"))
        for name in columns:
            if not data.has(name):
                continue
            numbers = data.typed[name]
            outside = data.live & ((numbers < low) | (numbers > high))
            for row in data.raw.index[outside]:
                text = data.raw.at[row, name]
                indicator = data.raw.at[row, "indicator_id"]
                yield Finding("accurate.declared-bounds", data.path,
                              _outside_bounds(text, name, indicator, low[row], high[row]),
                              row=row, column=name, column_number=data.column_number(name), value=text,
                              fix=Message.of(N_("Correct the figure, or the value_min and value_max of %(indicator)s "
                                                "in indicators.csv if the bounds are wrong."), indicator=indicator))
    rule.__name__ = "declared_bounds"
    return rule


def _outside_bounds(text: str, column: str, indicator: str, low: float, high: float) -> Message:
    values = dict(value=text, column=column, indicator=indicator)
    if pd.notna(low) and pd.notna(high):
        return Message.of(N_("“%(value)s” in column “%(column)s” is outside the bounds %(indicator)s declares: from "
                             "%(low)s to %(high)s."), low=_number(low), high=_number(high), **values)
    if pd.notna(low):
        return Message.of(N_("“%(value)s” in column “%(column)s” is outside the bounds %(indicator)s declares: at "
                             "least %(low)s."), low=_number(low), **values)
    return Message.of(N_("“%(value)s” in column “%(column)s” is outside the bounds %(indicator)s declares: at most "
                         "%(high)s."), high=_number(high), **values)


def _number(value: float) -> str:
    return f"{value:g}"


def retirement(id_column: str) -> Rule:
    """A retired indicator's or theme's last period is a real period; its replacement exists."""
    def rule(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
        if data.has("retired"):
            raw = data.raw["retired"][data.live]
            shaped = raw.str.fullmatch(data.fields["retired"]["constraints"]["pattern"]).fillna(False).astype(bool)
            for row, text in raw[shaped].items():
                if parse_period(text) is None:
                    yield cells.period_finding(data.path, row, "retired", data.column_number("retired"), text)
        if data.has("replaced_by") and data.has(id_column):
            known = set(data.raw[id_column][data.live])
            raw = data.raw["replaced_by"][data.live]
            for row, text in raw[(raw != "") & ~raw.isin(known)].items():
                yield cells.reference_finding(data.path, row, "replaced_by", data.column_number("replaced_by"),
                                              text, data.resource, data.resource)
    rule.__name__ = "retirement"
    return rule


def bounds_in_order(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    """An indicator's declared value_min is not above its value_max."""
    if not (data.has("value_min") and data.has("value_max")):
        return
    low, high = data.typed["value_min"], data.typed["value_max"]
    for row in data.raw.index[data.live & (low > high)]:
        yield Finding("accurate.declared-bounds", data.path,
                      Message.of(N_("The declared value_min %(low)s is above the value_max %(high)s."),
                                 low=data.raw.at[row, 'value_min'], high=data.raw.at[row, 'value_max']),
                      row=row, column="value_min", column_number=data.column_number("value_min"),
                      value=data.raw.at[row, "value_min"],
                      fix=Message.of(N_("Swap or correct value_min and value_max.")))


def numerator_denominator(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    """The value equals numerator ÷ denominator × scale, to the precision it is written to.

    The scale is the one the indicator declares in ``derivation`` (a breach is an error),
    else the one its unit implies (a breach is a warning: the value may rightly be derived
    some other way). An indicator declaring ``derivation: none`` is not checked.
    """
    if not all(data.has(c) for c in ("numerator", "denominator", "value", "indicator_id")):
        return
    typed = data.typed
    of_indicator = facts.frame
    declared = facts.spread(data, of_indicator["derivation"].astype("float64"), missing=float("nan"))
    not_derived = facts.spread(data, of_indicator["not_derived"].fillna(False).astype(bool), missing=False)
    is_declared = declared.notna()

    def rule_of(row: int) -> str:
        return "accurate.declared-derivation" if is_declared[row] else "valid.numerator-denominator"

    both = data.live & typed["numerator"].notna() & typed["denominator"].notna() & ~not_derived
    zero = both & (typed["denominator"] == 0)
    for row in data.raw.index[zero]:
        yield Finding(rule_of(row), data.path, Message.of(N_("The denominator is 0, so there is no value to give.")),
                      row=row, column="denominator", column_number=data.column_number("denominator"),
                      value=data.raw.at[row, "denominator"],
                      fix=Message.of(N_("Correct the denominator, or leave numerator, denominator and value empty "
                                        "with a note.")))
    scale = declared.where(is_declared, facts.spread(data, of_indicator["scale"].astype("float64"),
                                                     missing=float("nan")))
    checkable = both & ~zero & typed["value"].notna() & scale.notna()
    if not checkable.any():
        return
    # Only the rows that can be checked (a third of the synthetic results) are computed.
    computed = typed["numerator"][checkable] / typed["denominator"][checkable] * scale[checkable]
    # Half a unit in the last decimal place the value is written to (45.2 -> 0.05).
    decimals = decimal_places(data.raw["value"][checkable])
    allowance = 0.5 * 10.0 ** (-decimals) + 1e-9 * computed.abs()
    wrong = (computed - typed["value"][checkable]).abs() > allowance
    for row in computed.index[wrong]:
        shown = f"{computed[row]:.{int(decimals[row])}f}"
        value_text = data.raw.at[row, "value"]
        indicator = data.raw.at[row, "indicator_id"]
        if is_declared[row]:
            fix = Message.of(N_("Correct the value, the numerator or the denominator, or the derivation of "
                                "%(indicator)s in indicators.csv."), indicator=indicator)
        else:
            fix = None
        values = dict(value=value_text, numerator=data.raw.at[row, 'numerator'],
                      denominator=data.raw.at[row, 'denominator'], result=shown)
        message = (Message.of(N_("The value %(value)s does not match numerator ÷ denominator × %(scale)s = "
                                 "%(numerator)s ÷ %(denominator)s × %(scale)s = %(result)s."),
                              scale=f"{scale[row]:,g}", **values) if scale[row] != 1 else
                   Message.of(N_("The value %(value)s does not match numerator ÷ denominator = "
                                 "%(numerator)s ÷ %(denominator)s = %(result)s."), **values))
        yield Finding(rule_of(row), data.path, message,
                      row=row, column="value", column_number=data.column_number("value"), value=value_text,
                      fix=fix)


def confidence_interval(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    if not (data.has("lower_ci") or data.has("upper_ci")):
        return
    typed = data.typed
    lower = typed["lower_ci"] if data.has("lower_ci") else pd.Series(float("nan"), index=typed.index)
    upper = typed["upper_ci"] if data.has("upper_ci") else pd.Series(float("nan"), index=typed.index)
    value = typed["value"] if data.has("value") else pd.Series(float("nan"), index=typed.index)
    for row in data.raw.index[data.live & (lower.notna() != upper.notna())]:
        column = "upper_ci" if lower.notna()[row] else "lower_ci"
        yield Finding("valid.confidence-interval", data.path,
                      Message.of(N_("Only one limit of the confidence interval is given.")),
                      row=row, column=column, column_number=data.column_number(column))
    both = data.live & lower.notna() & upper.notna()
    for row in data.raw.index[both & (lower > upper)]:
        yield Finding("valid.confidence-interval", data.path,
                      Message.of(N_("The lower limit %(lower)s is above the upper limit %(upper)s."),
                                 lower=data.raw.at[row, 'lower_ci'], upper=data.raw.at[row, 'upper_ci']),
                      row=row, column="lower_ci", column_number=data.column_number("lower_ci"))
    outside = both & (lower <= upper) & value.notna() & ((value < lower) | (value > upper))
    for row in data.raw.index[outside]:
        yield Finding("valid.confidence-interval", data.path,
                      Message.of(N_("The value %(value)s lies outside its confidence interval (%(lower)s to "
                                    "%(upper)s)."), value=data.raw.at[row, 'value'],
                                 lower=data.raw.at[row, 'lower_ci'], upper=data.raw.at[row, 'upper_ci']),
                      row=row, column="value", column_number=data.column_number("value"))


def target_levels(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    """Monitoring level on the worse side of the target, stretch on the better side."""
    if not (data.has("indicator_id") and data.has("target")):
        return
    polarity = facts.for_rows(data)["polarity"]
    typed = data.typed
    for row in data.raw.index[data.live & (polarity == "none")]:
        yield Finding("accurate.target-not-rated", data.path,
                      Message.of(N_("%(indicator)s has polarity “none”, so it is not rated and this target is not "
                                    "used."), indicator=data.raw.at[row, 'indicator_id']),
                      row=row, column="target", column_number=data.column_number("target"))
    target = typed["target"]
    for level, should_be in (("monitoring_level", "worse"), ("stretch", "better")):
        if not data.has(level):
            continue
        levels = typed[level]
        present = data.live & levels.notna() & target.notna()
        higher = polarity == "higher"
        lower = polarity == "lower"
        if should_be == "worse":
            wrong = present & ((higher & (levels > target)) | (lower & (levels < target)))
        else:
            wrong = present & ((higher & (levels < target)) | (lower & (levels > target)))
        for row in data.raw.index[wrong]:
            yield Finding("accurate.target-levels", data.path,
                          _level_on_wrong_side(level, polarity[row] == "higher",
                                               (polarity[row] == "higher") == (should_be == "worse"),
                                               indicator=data.raw.at[row, 'indicator_id'],
                                               level=data.raw.at[row, level], target=data.raw.at[row, 'target']),
                          row=row, column=level, column_number=data.column_number(level),
                          value=data.raw.at[row, level])


def _level_on_wrong_side(column: str, higher_is_better: bool, below: bool, **values: str) -> Message:
    """"For NI-016 (higher is better) the monitoring level 30 should be below the target 35." """
    if column == "monitoring_level":
        if higher_is_better:
            return (Message.of(N_("For %(indicator)s (higher is better) the monitoring level %(level)s should be "
                                  "below the target %(target)s."), **values) if below else
                    Message.of(N_("For %(indicator)s (higher is better) the monitoring level %(level)s should be "
                                  "above the target %(target)s."), **values))
        return (Message.of(N_("For %(indicator)s (lower is better) the monitoring level %(level)s should be below "
                              "the target %(target)s."), **values) if below else
                Message.of(N_("For %(indicator)s (lower is better) the monitoring level %(level)s should be above "
                              "the target %(target)s."), **values))
    if higher_is_better:
        return (Message.of(N_("For %(indicator)s (higher is better) the stretch %(level)s should be below the "
                              "target %(target)s."), **values) if below else
                Message.of(N_("For %(indicator)s (higher is better) the stretch %(level)s should be above the "
                              "target %(target)s."), **values))
    return (Message.of(N_("For %(indicator)s (lower is better) the stretch %(level)s should be below the target "
                          "%(target)s."), **values) if below else
            Message.of(N_("For %(indicator)s (lower is better) the stretch %(level)s should be above the target "
                          "%(target)s."), **values))


RULES_BY_RESOURCE: dict[str, tuple[Rule, ...]] = {
    "themes": (formula_cells, retirement("theme_id")),
    "indicators": (formula_cells, bounds_in_order, retirement("indicator_id")),
    "results": (formula_cells, period_meaning, period_granularity(allow_year=False), missing_value_note,
                percentage_range("value", "lower_ci", "upper_ci"), declared_bounds("value", "lower_ci", "upper_ci"),
                numerator_denominator, confidence_interval),
    "targets": (formula_cells, period_meaning, period_granularity(allow_year=True),
                percentage_range("target", "monitoring_level", "stretch"),
                declared_bounds("target", "monitoring_level", "stretch"), target_levels),
    "spend": (formula_cells, period_meaning),
    "benchmarks": (formula_cells, period_meaning, period_granularity(allow_year=True), percentage_range("value"),
                   declared_bounds("value")),
    "assessments": (formula_cells, period_meaning, period_granularity(allow_year=True)),
}


def check_rows(data: TableData, facts: IndicatorFacts) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES_BY_RESOURCE.get(data.resource, ()):
        findings.extend(rule(data, facts))
    return findings
