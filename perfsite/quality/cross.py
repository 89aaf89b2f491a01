"""Data-quality rules across files and along each indicator's series."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

import pandas as pd

from ..config import QualitySettings
from ..periods import Period
from .findings import Finding
from .frames import TableData

ROBUST_SD_PER_MAD = 1.4826  # median absolute deviation x this estimates the standard deviation


def _live(data: Optional[TableData]) -> pd.DataFrame:
    if data is None:
        return pd.DataFrame()
    return data.raw[data.live]


def other_theme_references(indicators: TableData, theme_ids: set[str]) -> Iterator[Finding]:
    if not indicators.has("other_themes"):
        return
    for row, text in _live(indicators)["other_themes"].items():
        for theme_id in [part.strip() for part in text.split(";") if part.strip()]:
            if theme_id not in theme_ids:
                yield Finding("accurate.reference", indicators.path,
                              f"“{theme_id}” in column “other_themes” is not the id of any theme in themes.csv.",
                              row=row, column="other_themes", column_number=indicators.column_number("other_themes"),
                              value=theme_id, fix="Correct the theme id, or add the theme to themes.csv.")


def clashing_addresses(data: TableData, column: str, noun: str) -> Iterator[Finding]:
    """Ids that differ only in capitals share a web address (/indicators/ni-016/)."""
    ids = _live(data)[column]
    ids = ids[ids != ""]
    lowered = ids.str.lower()
    first_seen: dict[str, tuple[int, str]] = {}
    for row, value in ids.items():
        key = lowered[row]
        if key in first_seen and first_seen[key][1] != value:
            earlier_row, earlier = first_seen[key]
            yield Finding("accurate.unique-key", data.path,
                          f"The {noun} id “{value}” differs from “{earlier}” (row {earlier_row}) only in capitals, "
                          "so both would have the same web address.",
                          row=row, column=column, column_number=data.column_number(column), value=value,
                          fix="Give one of them a different id.")
        first_seen.setdefault(key, (row, value))


def indicators_without_targets(indicators: TableData, targets: Optional[TableData]) -> Iterator[Finding]:
    live = _live(indicators)
    if "polarity" not in live:
        return
    targeted = set(_live(targets)["indicator_id"]) if targets is not None and targets.has("indicator_id") else set()
    for row, indicator_id in live["indicator_id"].items():
        if indicator_id and live.at[row, "polarity"] in ("higher", "lower") and indicator_id not in targeted:
            yield Finding("complete.no-target", indicators.path, f"{indicator_id} has no target in targets.csv.",
                          row=row, column="indicator_id", column_number=indicators.column_number("indicator_id"),
                          value=indicator_id)


def themes_without_indicators(themes: TableData, indicators: TableData) -> Iterator[Finding]:
    live = _live(indicators)
    used = set(live["theme_id"]) if "theme_id" in live else set()
    if "other_themes" in live:
        for text in live["other_themes"]:
            used.update(part.strip() for part in text.split(";"))
    for row, theme_id in _live(themes)["theme_id"].items():
        if theme_id and theme_id not in used:
            yield Finding("relevant.theme-without-indicators", themes.path,
                          f"The theme “{theme_id}” has no indicators.",
                          row=row, column="theme_id", column_number=themes.column_number("theme_id"), value=theme_id)


def _series(results: TableData, indicators: TableData) -> Iterator[tuple[str, pd.DataFrame, str]]:
    """Each indicator's results at its own frequency, in period order, with values and notes."""
    facts = _live(indicators)
    if not {"indicator_id", "frequency"} <= set(facts.columns):
        return
    frequency = dict(zip(facts["indicator_id"], facts["frequency"]))
    measure = dict(zip(facts["indicator_id"], facts["measure"])) if "measure" in facts else {}
    live = results.live & results.periods.notna()
    frame = pd.DataFrame({
        "indicator_id": results.raw["indicator_id"],
        "period": results.periods,
        "value": results.typed["value"] if results.has("value") else float("nan"),
        "note": results.raw["note"] if results.has("note") else "",
    })[live]
    frame["granularity"] = frame["period"].map(lambda p: p.granularity.frequency)
    frame["order"] = frame["period"].map(lambda p: p.first_month_index)
    for indicator_id, group in frame.groupby("indicator_id", sort=True):
        wanted = frequency.get(indicator_id)
        if wanted is None:
            continue
        series = group[group["granularity"] == wanted].sort_values("order")
        series = series[~series["order"].duplicated()]
        if len(series):
            yield indicator_id, series, measure.get(indicator_id) or "level"


def expected_periods(results: TableData, indicators: TableData) -> Iterator[Finding]:
    # A row whose period cannot be read is reported as such; the gap it leaves is not
    # a second problem, so such indicators are not checked for gaps until it is fixed.
    unreadable = results.live & results.periods.isna() & (results.raw["period"] != "")
    unsure = set(results.raw.loc[unreadable, "indicator_id"])
    for indicator_id, series, _ in _series(results, indicators):
        if indicator_id in unsure:
            continue
        first, last = series["period"].iloc[0], series["period"].iloc[-1]
        present = set(series["order"])
        step = first.granularity.months
        for order in range(first.first_month_index, last.first_month_index + 1, step):
            if order not in present:
                missing = Period(first.granularity, order // 12, (order % 12) // step + 1)
                yield Finding("complete.expected-period", results.path,
                              f"{indicator_id} has no row for {missing.label}, between its first result "
                              f"({first.label}) and its latest ({last.label}).",
                              value=missing.label, column="period",
                              fix=f"Add a row for {indicator_id} in {missing.label}; if there is no figure, "
                                  "leave the value empty and say why in the note.")


def _changes(series: pd.DataFrame, measure: str) -> pd.Series:
    """The figures to judge: values, or for year-to-date totals the amount added each period."""
    values = series["value"]
    if measure != "cumulative":
        return values
    years = series["period"].map(lambda p: p.year)
    previous = values.shift(1).where(years == years.shift(1), 0.0)
    return values - previous


def unusual_values(results: TableData, indicators: TableData, settings: QualitySettings) -> Iterator[Finding]:
    """Outliers against the series' own median, and sudden breaks between consecutive results."""
    threshold = float(settings.outlier_threshold)
    factor = float(settings.break_factor)
    min_relative = float(settings.break_min_relative_change)
    position = results.column_number("value")
    for indicator_id, series, measure in _series(results, indicators):
        judged = _changes(series, measure).dropna()
        if len(judged) < settings.min_series_length:
            continue
        explained = set(series.index[series["note"].str.strip() != ""])
        label = "amount added in the period" if measure == "cumulative" else "value"
        median = judged.median()
        spread = (judged - median).abs().median() * ROBUST_SD_PER_MAD
        flagged: set[int] = set()
        if spread > 0:
            scores = (judged - median).abs() / spread
            for row in scores.index[scores > threshold]:
                flagged.add(row)
                if row in explained:
                    continue
                period = series.at[row, "period"].label
                yield Finding("reliable.outlier", results.path,
                              f"{indicator_id} {period}: the {label} {_figure(judged[row])} is far from the rest of its "
                              f"series (median {_figure(median)}, typical spread {_figure(spread)}): "
                              f"{scores[row]:.1f} spreads away, more than the {threshold:g} allowed.",
                              row=row, column="value", column_number=position, value=results.raw.at[row, "value"])
        steps = judged.diff().abs().dropna()
        typical = steps.median()
        if len(steps) == 0:
            continue
        previous = judged.shift(1)
        for row in steps.index:
            earlier_row = judged.index[judged.index.get_loc(row) - 1]
            if row in flagged or earlier_row in flagged or row in explained:
                continue
            step = steps[row]
            before = abs(previous[row])
            big = step > factor * typical if typical > 0 else step > 0
            if big and step > min_relative * before:
                period = series.at[row, "period"].label
                yield Finding("reliable.series-break", results.path,
                              f"{indicator_id} {period}: the {label} jumps from {_figure(previous[row])} to "
                              f"{_figure(judged[row])}, {step / typical:.0f} times its typical change of {_figure(typical)}."
                              if typical > 0 else
                              f"{indicator_id} {period}: the {label} jumps from {_figure(previous[row])} to "
                              f"{_figure(judged[row])} after a series that did not change.",
                              row=row, column="value", column_number=position, value=results.raw.at[row, "value"])


def _figure(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".") if abs(number) < 1000 else f"{number:,.0f}"
