"""Data-quality rules of single rows, needing at most the facts of each indicator.

Each rule is a function of a table's frames (and of the indicators' facts) that
yields findings; it works on whole columns, so it costs the same whether
Frictionless hosts it (``DataQualityCheck``) or the fast path calls it directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Optional

import pandas as pd

from ..periods import Granularity
from ..units import is_percentage, ratio_scale
from . import cells
from .findings import Finding
from .frames import TableData
from .tables import FORMULA_STARTS, is_free_text

Rule = Callable[[TableData, "IndicatorFacts"], Iterable[Finding]]


@dataclass(frozen=True)
class IndicatorFacts:
    """What the rules of other files need to know of each indicator, by indicator id."""

    frame: pd.DataFrame  # index indicator_id; columns unit, granularity, frequency, polarity, percent, scale

    @classmethod
    def from_table(cls, indicators: Optional[TableData]) -> "IndicatorFacts":
        columns = ["unit", "granularity", "frequency", "polarity", "percent", "scale"]
        if indicators is None or not indicators.has("indicator_id"):
            return cls(pd.DataFrame(columns=columns))
        raw = indicators.raw[indicators.live]
        raw = raw[(raw["indicator_id"] != "") & ~raw["indicator_id"].duplicated()]

        def column(name: str) -> pd.Series:
            return raw[name] if name in raw else pd.Series("", index=raw.index)

        units = column("unit")
        granularity = column("frequency").map(_granularity)
        frame = pd.DataFrame({
            "unit": units.values,
            "granularity": granularity.values,
            "frequency": granularity.map(lambda g: g.frequency if g else None).values,
            "polarity": column("polarity").values,
            "percent": units.map(is_percentage).values,
            "scale": units.map(ratio_scale).values,
        }, index=pd.Index(raw["indicator_id"].values, name="indicator_id"))
        return cls(frame)

    def for_rows(self, data: TableData) -> pd.DataFrame:
        """The facts of the indicator of each row (NaN where the indicator is unknown)."""
        return self.frame.reindex(data.raw["indicator_id"].values).set_axis(data.raw.index)


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
        column = data.raw[name][data.live]
        risky = column.str.startswith(FORMULA_STARTS)
        for row, text in column[risky].items():
            yield Finding("valid.formula-cell", data.path,
                          f"The text in column “{name}” starts with “{text[:1]}”, so a spreadsheet may run it as a formula.",
                          row=row, column=name, column_number=data.column_number(name), value=text)


def period_meaning(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    """Periods that look right but are not (2008-04 is not a financial year)."""
    if not data.has("period"):
        return
    pattern = data.fields["period"]["constraints"]["pattern"]
    raw = data.raw["period"][data.live]
    shaped = raw.str.fullmatch(pattern).fillna(False).astype(bool)
    unreadable = shaped & data.periods.reindex(raw.index).isna()
    for row, text in raw[unreadable].items():
        yield cells.period_finding(data.path, row, "period", data.column_number("period"), text)


def period_granularity(allow_year: bool) -> Rule:
    def rule(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
        if not (data.has("period") and data.has("indicator_id")):
            return
        known = facts.for_rows(data)["granularity"]
        expected_frequency = facts.for_rows(data)["frequency"]
        frequency = data.period_facts["frequency"]
        wrong = data.live & frequency.notna() & expected_frequency.notna() & (frequency != expected_frequency)
        if allow_year:
            wrong &= frequency != Granularity.YEAR.frequency
        periods = data.periods
        for row in data.raw.index[wrong]:
            period, expected = periods[row], known[row]
            indicator = data.raw.at[row, "indicator_id"]
            also = " (or a whole financial year)" if allow_year else ""
            example = _example(expected, period)
            yield Finding("valid.period-granularity", data.path,
                          f"{indicator} is reported {expected.frequency}, so its periods must be "
                          f"{expected.noun}s{also}, but “{period.label}” is a {period.granularity.noun}.",
                          row=row, column="period", column_number=data.column_number("period"), value=period.label,
                          fix=f"Write a {expected.noun}, like “{example}”, or correct the frequency of {indicator} "
                              "in indicators.csv.")
    rule.__name__ = "period_granularity"
    return rule


def _example(granularity: Granularity, near) -> str:
    from ..periods import Period

    return Period(granularity, near.year, 1).label


def missing_value_note(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    if not data.has("value"):
        return
    note = data.raw["note"] if data.has("note") else pd.Series("", index=data.raw.index)
    missing = data.live & data.empty("value") & (note.str.strip() == "")
    for row in data.raw.index[missing]:
        yield Finding("complete.missing-value-note", data.path,
                      "The value is empty and the note does not say why.",
                      row=row, column="note" if data.has("note") else "value",
                      column_number=data.column_number("note") or data.column_number("value"))


def percentage_range(*columns: str) -> Rule:
    def rule(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
        if not data.has("indicator_id"):
            return
        percent = facts.for_rows(data)["percent"].fillna(False).astype(bool)
        for name in columns:
            if not data.has(name):
                continue
            numbers = data.typed[name]
            outside = data.live & percent & ((numbers < 0) | (numbers > 100))
            for row in data.raw.index[outside]:
                text = data.raw.at[row, name]
                yield Finding("valid.percentage-range", data.path,
                              f"{data.raw.at[row, 'indicator_id']} is a percentage, but “{text}” in column "
                              f"“{name}” is outside 0 to 100.",
                              row=row, column=name, column_number=data.column_number(name), value=text)
    rule.__name__ = "percentage_range"
    return rule


def numerator_denominator(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    """The value must equal numerator ÷ denominator in the unit, to the precision it is written to."""
    if not all(data.has(c) for c in ("numerator", "denominator", "value", "indicator_id")):
        return
    typed = data.typed
    both = data.live & typed["numerator"].notna() & typed["denominator"].notna()
    zero = both & (typed["denominator"] == 0)
    for row in data.raw.index[zero]:
        yield Finding("valid.numerator-denominator", data.path, "The denominator is 0, so there is no value to give.",
                      row=row, column="denominator", column_number=data.column_number("denominator"),
                      value=data.raw.at[row, "denominator"],
                      fix="Correct the denominator, or leave numerator, denominator and value empty with a note.")
    scale = facts.for_rows(data)["scale"].astype("float64")
    checkable = both & ~zero & typed["value"].notna() & scale.notna()
    if not checkable.any():
        return
    computed = typed["numerator"] / typed["denominator"] * scale
    # Half a unit in the last decimal place the value is written to (45.2 -> 0.05).
    decimals = data.raw["value"].str.extract(r"\.([0-9]*)", expand=False).str.len().fillna(0)
    allowance = 0.5 * 10.0 ** (-decimals) + 1e-9 * computed.abs()
    wrong = checkable & ((computed - typed["value"]).abs() > allowance)
    for row in data.raw.index[wrong]:
        shown = f"{computed[row]:.{int(decimals[row])}f}"
        unit_note = f" × {int(scale[row]):,}" if scale[row] != 1 else ""
        value_text = data.raw.at[row, "value"]
        yield Finding("valid.numerator-denominator", data.path,
                      f"The value {value_text} does not match numerator ÷ denominator{unit_note} = "
                      f"{data.raw.at[row, 'numerator']} ÷ {data.raw.at[row, 'denominator']}{unit_note} = {shown}.",
                      row=row, column="value", column_number=data.column_number("value"), value=value_text)


def confidence_interval(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    if not (data.has("lower_ci") or data.has("upper_ci")):
        return
    typed = data.typed
    lower = typed["lower_ci"] if data.has("lower_ci") else pd.Series(float("nan"), index=typed.index)
    upper = typed["upper_ci"] if data.has("upper_ci") else pd.Series(float("nan"), index=typed.index)
    value = typed["value"] if data.has("value") else pd.Series(float("nan"), index=typed.index)
    for row in data.raw.index[data.live & (lower.notna() != upper.notna())]:
        column = "upper_ci" if lower.notna()[row] else "lower_ci"
        yield Finding("valid.confidence-interval", data.path, "Only one limit of the confidence interval is given.",
                      row=row, column=column, column_number=data.column_number(column))
    both = data.live & lower.notna() & upper.notna()
    for row in data.raw.index[both & (lower > upper)]:
        yield Finding("valid.confidence-interval", data.path,
                      f"The lower limit {data.raw.at[row, 'lower_ci']} is above the upper limit {data.raw.at[row, 'upper_ci']}.",
                      row=row, column="lower_ci", column_number=data.column_number("lower_ci"))
    outside = both & (lower <= upper) & value.notna() & ((value < lower) | (value > upper))
    for row in data.raw.index[outside]:
        yield Finding("valid.confidence-interval", data.path,
                      f"The value {data.raw.at[row, 'value']} lies outside its confidence interval "
                      f"({data.raw.at[row, 'lower_ci']} to {data.raw.at[row, 'upper_ci']}).",
                      row=row, column="value", column_number=data.column_number("value"))


def target_levels(data: TableData, facts: IndicatorFacts) -> Iterator[Finding]:
    """Monitoring level on the worse side of the target, stretch on the better side."""
    if not (data.has("indicator_id") and data.has("target")):
        return
    polarity = facts.for_rows(data)["polarity"]
    typed = data.typed
    for row in data.raw.index[data.live & (polarity == "none")]:
        yield Finding("accurate.target-not-rated", data.path,
                      f"{data.raw.at[row, 'indicator_id']} has polarity “none”, so it is not rated and this target is not used.",
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
            side = "below" if (polarity[row] == "higher") == (should_be == "worse") else "above"
            meaning = "higher is better" if polarity[row] == "higher" else "lower is better"
            yield Finding("accurate.target-levels", data.path,
                          f"For {data.raw.at[row, 'indicator_id']} ({meaning}) the {level.replace('_', ' ')} "
                          f"{data.raw.at[row, level]} should be {side} the target {data.raw.at[row, 'target']}.",
                          row=row, column=level, column_number=data.column_number(level),
                          value=data.raw.at[row, level])


RULES_BY_RESOURCE: dict[str, tuple[Rule, ...]] = {
    "themes": (formula_cells,),
    "indicators": (formula_cells,),
    "results": (formula_cells, period_meaning, period_granularity(allow_year=False), missing_value_note,
                percentage_range("value", "lower_ci", "upper_ci"), numerator_denominator, confidence_interval),
    "targets": (formula_cells, period_meaning, period_granularity(allow_year=True),
                percentage_range("target", "monitoring_level", "stretch"), target_levels),
    "spend": (formula_cells, period_meaning),
    "benchmarks": (formula_cells, period_meaning, period_granularity(allow_year=True), percentage_range("value")),
    "assessments": (formula_cells, period_meaning, period_granularity(allow_year=True)),
}


def check_rows(data: TableData, facts: IndicatorFacts) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES_BY_RESOURCE.get(data.resource, ()):
        findings.extend(rule(data, facts))
    return findings
