"""Data-quality rules across files and along each indicator's series."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

import numpy as np
import pandas as pd

from ..config import QualitySettings
from ..findings import Finding
from ..i18n import N_, Message
from ..frames import TableData
from ..periods import Granularity, Period, periods_between_results

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
                              Message.of(N_("“%(value)s” in column “other_themes” is not the id of any theme in "
                                            "themes.csv."), value=theme_id),
                              row=row, column="other_themes", column_number=indicators.column_number("other_themes"),
                              value=theme_id, fix=Message.of(N_("Correct the theme id, or add the theme to themes.csv.")))


# What the ids of a table are of, in clashing_addresses' message.
CLASHING_IDS = {
    "indicator": N_("The indicator id “%(value)s” differs from “%(earlier)s” (row %(row)s) only in capitals, so both "
                    "would have the same web address."),
    "theme": N_("The theme id “%(value)s” differs from “%(earlier)s” (row %(row)s) only in capitals, so both would "
                "have the same web address."),
}


def clashing_addresses(data: TableData, column: str, noun: str) -> Iterator[Finding]:
    """Ids that differ only in capitals share a web address (/indicators/ni-016/)."""
    ids = _live(data)[column]
    ids = ids[ids != ""]
    lowered = ids.str.lower()
    first_seen: dict[str, tuple[int, str]] = {}
    for row, value, key in zip(ids.index, ids.tolist(), lowered.tolist()):
        if key in first_seen and first_seen[key][1] != value:
            earlier_row, earlier = first_seen[key]
            yield Finding("accurate.unique-key", data.path,
                          Message.of(CLASHING_IDS[noun], value=value, earlier=earlier, row=earlier_row),
                          row=row, column=column, column_number=data.column_number(column), value=value,
                          fix=Message.of(N_("Give one of them a different id.")))
        first_seen.setdefault(key, (row, value))


def indicators_without_targets(indicators: TableData, targets: Optional[TableData]) -> Iterator[Finding]:
    """Rated indicators without a target. A set with no target at all (a benchmarking
    set, published for comparison) is one site-wide notice, not one per indicator."""
    live = _live(indicators)
    if "polarity" not in live:
        return
    targeted = set(_live(targets)["indicator_id"]) if targets is not None and targets.has("indicator_id") else set()
    rated = live[(live["indicator_id"] != "") & live["polarity"].isin(("higher", "lower"))]
    untargeted = rated[~rated["indicator_id"].isin(targeted)]
    if untargeted.empty:
        return
    if not targeted and len(untargeted) > 1:
        yield Finding("complete.no-target", targets.path if targets is not None else indicators.path,
                      Message.counting("No indicator has a target (%(num)s rated indicator): the site shows results "
                                       "and direction of travel, but no RAG ratings, exceptions or ladder of "
                                       "intervention.",
                                       "No indicator has a target (%(num)s rated indicators): the site shows results "
                                       "and direction of travel, but no RAG ratings, exceptions or ladder of "
                                       "intervention.", len(untargeted)),
                      fix=Message.of(N_("Nothing to do if the set is published for comparison only; otherwise add "
                                        "the indicators' targets to targets.csv.")))
        return
    for row, indicator_id in untargeted["indicator_id"].items():
        yield Finding("complete.no-target", indicators.path,
                      Message.of(N_("%(indicator)s has no target in targets.csv."), indicator=indicator_id),
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
                          Message.of(N_("The theme “%(theme)s” has no indicators."), theme=theme_id),
                          row=row, column="theme_id", column_number=themes.column_number("theme_id"), value=theme_id)


def series_of(results: TableData, indicators: TableData) -> pd.DataFrame:
    """Every indicator's results at its own frequency, one row per period, sorted by
    indicator then period; indexed by row number. Whole columns at a time, so that a
    million results take seconds, not minutes."""
    facts = _live(indicators)
    columns = ["indicator_id", "period", "frequency", "months", "order", "year", "value", "note", "measure", "series"]
    if not {"indicator_id", "frequency"} <= set(facts.columns):
        return pd.DataFrame(columns=columns)
    facts = facts.drop_duplicates("indicator_id", keep="last").set_index("indicator_id")
    period_facts = results.period_facts
    live = (results.live & period_facts["frequency"].notna()).to_numpy()
    # What the series need of each indicator is worked out once per distinct id, then
    # spread to its results by the id's position among them.
    codes, ids = results.distinct("indicator_id")
    declared = facts["frequency"].reindex(ids).to_numpy(dtype=object)
    period_frequency = np.array([_period_frequency(frequency) for frequency in declared] + [None], dtype=object)
    step = np.array([periods_between_results(frequency) for frequency in declared] + [1], dtype="int64")
    measure = (facts["measure"].reindex(ids).fillna("").replace("", "level").to_numpy(dtype=object)
               if "measure" in facts else np.full(len(ids), "level", dtype=object))
    # The ids' alphabetical order, so that sorting by id is sorting numbers.
    alphabetical = np.empty(len(ids), dtype="int64")
    alphabetical[np.argsort(ids.to_numpy(dtype=object), kind="stable")] = np.arange(len(ids))
    frame = pd.DataFrame({
        "indicator_id": results.raw["indicator_id"][live],
        "period": results.periods[live],
        "frequency": period_facts["frequency"][live],
        "months": period_facts["months"][live].astype("int64"),
        "order": period_facts["order"][live].astype("int64"),
        "year": period_facts["year"][live].astype("int64"),
        "value": results.typed["value"][live] if results.has("value") else float("nan"),
        "note": results.raw["note"][live] if results.has("note") else "",
    })
    codes = codes[live]
    kept = frame["frequency"].to_numpy(dtype=object) == period_frequency[codes]
    frame, codes = frame[kept], codes[kept]
    # A biennial survey's results are two years apart: the expected step between rows.
    frame["months"] = frame["months"] * step[codes]
    order = frame["order"].to_numpy()
    first = int(order.min()) if len(order) else 0
    span = int(order.max()) - first + 1 if len(order) else 1
    key = alphabetical[codes] * span + (order - first)  # by id, then by period
    sorting = np.argsort(key, kind="stable")
    frame, codes, key = frame.iloc[sorting], codes[sorting], key[sorting]
    # Sorted, a repeated indicator and period follows its first row.
    repeated = np.zeros(len(key), dtype=bool)
    repeated[1:] = key[1:] == key[:-1]
    frame, codes = frame[~repeated], codes[~repeated]
    frame["measure"] = measure[codes]
    # A number for each indicator's series: grouping and comparing numbers is quicker
    # than grouping and comparing the ids' text, and makes the same groups.
    frame["series"] = codes
    return frame


def _period_frequency(frequency: str) -> Optional[str]:
    """The frequency of an indicator's periods (annual for a biennial survey)."""
    try:
        return Granularity.for_frequency(frequency).frequency
    except ValueError:
        return None


def _same_series_as_previous(frame: pd.DataFrame) -> pd.Series:
    return frame["series"].eq(frame["series"].shift())


def expected_periods(series: pd.DataFrame, results: TableData) -> Iterator[Finding]:
    # A row whose period cannot be read is reported as such; the gap it leaves is not
    # a second problem, so such indicators are not checked for gaps until it is fixed.
    unreadable = results.live & results.periods.isna() & (results.raw["period"] != "")
    series = series[~series["indicator_id"].isin(set(results.raw.loc[unreadable, "indicator_id"]))]
    gap = series["order"] - series["order"].shift()
    holes = series[_same_series_as_previous(series) & (gap > series["months"])]
    if holes.empty:
        return
    ends = series[series["indicator_id"].isin(set(holes["indicator_id"]))].groupby("indicator_id")["period"]
    first, last = ends.first(), ends.last()
    for row, hole in holes.iterrows():
        indicator_id, period, step = hole["indicator_id"], hole["period"], hole["months"]
        for order in range(period.first_month_index - int(gap[row]) + step, period.first_month_index, step):
            missing = Period(period.granularity, order // 12, (order % 12) // step + 1)
            yield Finding("complete.expected-period", results.path,
                          Message.of(N_("%(indicator)s has no row for %(period)s, between its first result "
                                        "(%(first)s) and its latest (%(last)s)."), indicator=indicator_id,
                                     period=missing.label, first=first[indicator_id].label,
                                     last=last[indicator_id].label),
                          value=missing.label, column="period",
                          fix=Message.of(N_("Add a row for %(indicator)s in %(period)s; if there is no figure, leave "
                                            "the value empty and say why in the note."),
                                         indicator=indicator_id, period=missing.label))


def _judged(series: pd.DataFrame) -> pd.Series:
    """The figures to judge: values, or for year-to-date totals the amount added each period."""
    same_year = _same_series_as_previous(series) & series["year"].eq(series["year"].shift())
    previous = series["value"].shift(1).where(same_year, 0.0)
    cumulative = series["measure"] == "cumulative"
    return series["value"].where(~cumulative, series["value"] - previous)


def unusual_values(series: pd.DataFrame, results: TableData, settings: QualitySettings) -> Iterator[Finding]:
    """Outliers against the series' own median, and sudden breaks between consecutive results.

    Judged per indicator over the figures it has (empty values left out), once the
    series has at least ``min_series_length`` of them. A figure explained in its note
    is not reported, and a break next to an outlier is the outlier's, not a second problem.
    """
    threshold = float(settings.outlier_threshold)
    factor = float(settings.break_factor)
    min_relative = float(settings.break_min_relative_change)
    position = results.column_number("value")
    # Only the columns needed from here on, so that each selection of rows copies less.
    judged = _judged(series)
    series = series[["indicator_id", "period", "note", "measure", "series"]].assign(judged=judged)
    series = series[series["judged"].notna()]
    by_indicator = series.groupby("series", sort=False)
    series = series[by_indicator["judged"].transform("size") >= settings.min_series_length]
    if series.empty:
        return
    by_indicator = series.groupby("series", sort=False)
    judged = series["judged"]
    median = by_indicator["judged"].transform("median")
    distance = (judged - median).abs()
    spread = distance.groupby(series["series"], sort=False).transform("median") * ROBUST_SD_PER_MAD
    scores = distance / spread.where(spread > 0)
    flagged = scores > threshold
    explained = series["note"].str.strip() != ""
    cumulative = series["measure"] == "cumulative"
    for row in series.index[flagged & ~explained]:
        values = dict(indicator=series.at[row, 'indicator_id'], period=series.at[row, 'period'].label,
                      figure=_figure(judged[row]), median=_figure(median[row]), spread=_figure(spread[row]),
                      score=f"{scores[row]:.1f}", threshold=f"{threshold:g}")
        yield Finding("reliable.outlier", results.path,
                      Message.of(N_("%(indicator)s %(period)s: the amount added in the period %(figure)s is far from "
                                    "the rest of its series (median %(median)s, typical spread %(spread)s): "
                                    "%(score)s spreads away, more than the %(threshold)s allowed."), **values)
                      if cumulative[row] else
                      Message.of(N_("%(indicator)s %(period)s: the value %(figure)s is far from the rest of its "
                                    "series (median %(median)s, typical spread %(spread)s): %(score)s spreads away, "
                                    "more than the %(threshold)s allowed."), **values),
                      row=row, column="value", column_number=position, value=results.raw.at[row, "value"])
    same = _same_series_as_previous(series)
    previous = judged.shift().where(same)
    step = (judged - previous).abs()
    typical = step.groupby(series["series"], sort=False).transform("median")
    big = (step > factor * typical).where(typical > 0, step > 0)
    candidates = same & ~flagged & ~flagged.shift(fill_value=False) & ~explained
    breaks = candidates & big & (step > min_relative * previous.abs())
    for row in series.index[breaks]:
        message = _series_break(cumulative[row], typical[row] > 0, indicator=series.at[row, 'indicator_id'],
                                period=series.at[row, 'period'].label, previous=_figure(previous[row]),
                                figure=_figure(judged[row]),
                                times=f"{step[row] / typical[row]:.0f}" if typical[row] > 0 else "",
                                typical=_figure(typical[row]))
        yield Finding("reliable.series-break", results.path, message,
                      row=row, column="value", column_number=position, value=results.raw.at[row, "value"])


def _series_break(cumulative: bool, changes: bool, **values: str) -> Message:
    if cumulative and changes:
        return Message.of(N_("%(indicator)s %(period)s: the amount added in the period jumps from %(previous)s to "
                             "%(figure)s, %(times)s times its typical change of %(typical)s."), **values)
    if cumulative:
        return Message.of(N_("%(indicator)s %(period)s: the amount added in the period jumps from %(previous)s to "
                             "%(figure)s after a series that did not change."), **values)
    if changes:
        return Message.of(N_("%(indicator)s %(period)s: the value jumps from %(previous)s to %(figure)s, %(times)s "
                             "times its typical change of %(typical)s."), **values)
    return Message.of(N_("%(indicator)s %(period)s: the value jumps from %(previous)s to %(figure)s after a series "
                         "that did not change."), **values)


def _figure(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".") if abs(number) < 1000 else f"{number:,.0f}"
