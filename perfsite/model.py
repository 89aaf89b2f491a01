"""Stage 3, model: the data package and content as plain typed domain objects.

Built once from the checked tables. Figures are ``Decimal`` exactly as written in
the data files; Markdown is rendered to HTML here, once, with raw HTML disabled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

import pandas as pd

from .bulk import frozen_maker, reduce_by_fields, without_cyclic_gc
from .content import (
    Document,
    front_matter_date,
    is_unwritten,
    place_of,
    render_markdown,
    resolve_indicator,
    split_sections,
)
from .frames import TableData
from .periods import Granularity, Period, periods_between_results
from .quality.validate import ValidatedSite
from .rules import Forecast, Measure, Polarity, TargetLevels
from .units import is_currency, is_percentage


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: Optional[str] = None
    lead: Optional[str] = None
    order: Optional[int] = None
    retired: Optional[Period] = None  # the last period it was reported for; its page stays
    replaced_by: Optional[str] = None  # the theme that takes over, when there is one

    @property
    def sort_key(self) -> tuple:
        return (self.order is None, self.order or 0, self.name.lower(), self.id)

    def is_retired_by(self, period: Optional[Period]) -> bool:
        """True when ``period`` comes after the theme's retirement."""
        return self.retired is not None and period is not None and period.sort_key > self.retired.sort_key


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    theme_id: str
    polarity: Polarity
    unit: str
    frequency: str
    measure: Measure = Measure.LEVEL
    other_theme_ids: tuple[str, ...] = ()
    set: Optional[str] = None
    decimals: Optional[int] = None
    tolerance: Optional[Decimal] = None
    source: Optional[str] = None
    outcome_lead: Optional[str] = None
    definition: Optional[str] = None
    retired: Optional[Period] = None  # the last period it was reported for; its page stays
    replaced_by: Optional[str] = None  # the indicator that replaces it, when there is one

    def is_retired_by(self, period: Optional[Period]) -> bool:
        """True when ``period`` comes after the indicator's retirement."""
        return self.retired is not None and period is not None and period.sort_key > self.retired.sort_key

    @property
    def slug(self) -> str:
        """The indicator's part of web addresses: its id in lower case."""
        return self.id.lower()

    @property
    def granularity(self) -> Granularity:
        return Granularity.for_frequency(self.frequency)

    @property
    def periods_between_results(self) -> int:
        """2 for a biennial survey: its results are two financial years apart."""
        return periods_between_results(self.frequency)

    @property
    def is_percentage(self) -> bool:
        return is_percentage(self.unit)

    @property
    def is_currency(self) -> bool:
        return is_currency(self.unit)

    @property
    def is_cumulative(self) -> bool:
        return self.measure is Measure.CUMULATIVE


@dataclass(frozen=True, slots=True)  # a million of them, kept to the end of the build (bulk.py)
class Result:
    indicator_id: str
    period: Period
    value: Optional[Decimal]
    data_status: str = "final"  # the contract's "status" column: final, provisional, estimate
    note: Optional[str] = None
    numerator: Optional[Decimal] = None
    denominator: Optional[Decimal] = None
    lower_ci: Optional[Decimal] = None
    upper_ci: Optional[Decimal] = None
    row: Optional[int] = None  # row in results.csv, for traceability

    @property
    def provisional(self) -> bool:
        return self.data_status in ("provisional", "estimate")

    __reduce__ = reduce_by_fields


_make_result = frozen_maker(Result)  # positional, without __init__'s setattr per field (bulk.py)


@dataclass(frozen=True)
class Target:
    indicator_id: str
    period: Period
    target: Decimal
    monitoring_level: Optional[Decimal] = None
    stretch: Optional[Decimal] = None
    note: Optional[str] = None

    @property
    def levels(self) -> TargetLevels:
        return TargetLevels(self.period, self.target, self.monitoring_level, self.stretch)


@dataclass(frozen=True)
class SpendLine:
    theme_id: str
    programme: str
    period: Period
    budget: Decimal
    actual: Optional[Decimal] = None
    funding: Optional[str] = None


@dataclass(frozen=True)
class Benchmark:
    indicator_id: str
    period: Period
    comparator: str
    value: Decimal


@dataclass(frozen=True)
class Assessment:
    indicator_id: str
    period: Period
    forecast: Forecast
    reason: str


@dataclass(frozen=True)
class Narrative:
    """An exception narrative: why, what is being done, what needs deciding."""

    indicator_id: str
    period: Period
    path: str
    owner: Optional[str] = None
    action_due: Optional[dt.date] = None
    introduction_html: str = ""
    why_html: str = ""
    action_html: str = ""
    decisions_html: str = ""


@dataclass(frozen=True)
class Commentary:
    theme_id: str
    period: Period
    path: str
    html: str
    title: Optional[str] = None


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    path: str
    html: str
    description: Optional[str] = None
    order: int = 0


@dataclass(frozen=True)
class DataFile:
    """One file of the data package, as published for download."""

    resource: str
    path: str  # site-relative
    text: str  # the file's text (BOM and trailing blank rows removed)
    sha256: str  # of the bytes as published
    rows: int


@dataclass(frozen=True)
class DataPackage:
    name: Optional[str]
    title: Optional[str]
    version: Optional[str]
    themes: tuple[Theme, ...]
    indicators: tuple[Indicator, ...]
    results: tuple[Result, ...]
    targets: tuple[Target, ...]
    spend: tuple[SpendLine, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    narratives: tuple[Narrative, ...] = ()
    commentaries: tuple[Commentary, ...] = ()
    pages: tuple[Page, ...] = ()
    files: tuple[DataFile, ...] = ()
    descriptor: dict = field(default_factory=dict, compare=False, hash=False)


# -------------------------------------------------------------------- building
def _text(value) -> Optional[str]:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def _decimal(text: str) -> Optional[Decimal]:
    return Decimal(text) if text not in ("", None) else None


def _rows(data: Optional[TableData]):
    """Each live row of a table as a dict of the text as written (missing columns as "")."""
    if data is None:
        return
    live = data.raw[data.live]
    columns = list(live.columns)
    # Column by column into plain lists: iterating the rows of an Arrow-backed frame
    # costs microseconds a cell, a list of a whole column nanoseconds.
    for row_number, *values in zip(live.index.tolist(), *(live[name].tolist() for name in columns)):
        yield row_number, dict(zip(columns, values))


def _columns(data: Optional[TableData], names: tuple[str, ...]) -> tuple[list, list[list]]:
    """The row numbers of a table's live rows, and each named column's text as a list
    ("" for a column the table does not have)."""
    if data is None:
        return [], [[] for _ in names]
    live = data.raw[data.live]
    rows = live.index.tolist()
    return rows, [live[name].tolist() if name in live.columns else [""] * len(rows) for name in names]


_RESULT_COLUMNS = ("indicator_id", "period", "value", "status", "note", "numerator", "denominator", "lower_ci",
                   "upper_ci")


def _results(data: Optional[TableData]) -> tuple[Result, ...]:
    """The results, by indicator then period. Built column-wise: this is the big table."""
    rows, (ids, periods, values, statuses, notes, numerators, denominators, lowers, uppers) = _columns(
        data, _RESULT_COLUMNS)
    # Each distinct text read once, and one object for it, shared by every row that has it:
    # a million rows hold a few thousand figures, a few hundred periods and one id per
    # indicator, and a Decimal (104 bytes) or a string is immutable, so sharing it changes
    # nothing but memory. (list(map(dict.get, ...)) looks each cell up without Python code.)
    numbers = {text: Decimal(text) for column in (values, numerators, denominators, lowers, uppers)
               for text in dict.fromkeys(column) if text}
    texts = {text: text for column in (ids, statuses, notes) for text in dict.fromkeys(column)}
    parsed = {text: Period.parse(text) for text in dict.fromkeys(periods)}  # (one object per period)
    decimal = numbers.get  # an empty cell is not among them: None
    results = list(map(
        _make_result, map(texts.__getitem__, ids), map(parsed.__getitem__, periods), map(decimal, values),
        [texts[status] or "final" for status in statuses], [texts[note] or None for note in notes],
        map(decimal, numerators), map(decimal, denominators), map(decimal, lowers), map(decimal, uppers), rows,
    ))
    results.sort(key=lambda r: (r.indicator_id, r.period.sort_key))
    return tuple(results)


def build_package(validated: ValidatedSite) -> DataPackage:
    """Domain objects from a site that passed validation without errors."""
    frames = validated.frames
    descriptor = validated.site.descriptor
    themes = tuple(sorted(
        (Theme(r["theme_id"], r["name"], _text(r.get("description")), _text(r.get("lead")),
               int(r["order"]) if r.get("order") else None,
               retired=Period.parse(r["retired"]) if r.get("retired") else None,
               replaced_by=_text(r.get("replaced_by")))
         for _, r in _rows(frames.get("themes"))),
        key=lambda t: t.sort_key,
    ))
    indicators = tuple(sorted(
        (Indicator(
            id=r["indicator_id"], title=r["title"], theme_id=r["theme_id"],
            polarity=Polarity(r["polarity"]), unit=r["unit"], frequency=r["frequency"],
            measure=Measure(r.get("measure") or "level"),
            other_theme_ids=tuple(p.strip() for p in (r.get("other_themes") or "").split(";") if p.strip()),
            set=_text(r.get("set")), decimals=int(r["decimals"]) if r.get("decimals") else None,
            tolerance=_decimal(r.get("tolerance", "")), source=_text(r.get("source")),
            outcome_lead=_text(r.get("outcome_lead")), definition=_text(r.get("definition")),
            retired=Period.parse(r["retired"]) if r.get("retired") else None,
            replaced_by=_text(r.get("replaced_by")),
        ) for _, r in _rows(frames.get("indicators"))),
        key=lambda i: i.id,
    ))
    with without_cyclic_gc():  # a million results, which refer to nothing that refers back
        results = _results(frames.get("results"))
    targets = tuple(sorted(
        (Target(r["indicator_id"], Period.parse(r["period"]), Decimal(r["target"]),
                _decimal(r.get("monitoring_level", "")), _decimal(r.get("stretch", "")), _text(r.get("note")))
         for _, r in _rows(frames.get("targets"))),
        key=lambda t: (t.indicator_id, t.period.sort_key),
    ))
    spend = tuple(sorted(
        (SpendLine(r["theme_id"], r["programme"], Period.parse(r["period"]), Decimal(r["budget"]),
                   _decimal(r.get("actual", "")), _text(r.get("funding")))
         for _, r in _rows(frames.get("spend"))),
        key=lambda s: (s.theme_id, s.programme, s.period.sort_key),
    ))
    benchmarks = tuple(sorted(
        (Benchmark(r["indicator_id"], Period.parse(r["period"]), r["comparator"], Decimal(r["value"]))
         for _, r in _rows(frames.get("benchmarks"))),
        key=lambda b: (b.indicator_id, b.period.sort_key, b.comparator),
    ))
    assessments = tuple(sorted(
        (Assessment(r["indicator_id"], Period.parse(r["period"]), Forecast(r["forecast"]), r["reason"])
         for _, r in _rows(frames.get("assessments"))),
        key=lambda a: (a.indicator_id, a.period.sort_key),
    ))
    indicator_ids = {i.id for i in indicators}
    narratives, commentaries, pages = _content(validated.site.documents, indicator_ids)
    files = tuple(
        DataFile(name, table.path, table.text, hashlib.sha256(table.text.encode("utf-8")).hexdigest(), len(table.rows))
        for name, table in sorted(validated.site.tables.items())
    )
    return DataPackage(
        name=_text(descriptor.get("name")), title=_text(descriptor.get("title")),
        version=_text(descriptor.get("version")),
        themes=themes, indicators=indicators, results=results, targets=targets, spend=spend,
        benchmarks=benchmarks, assessments=assessments, narratives=narratives,
        commentaries=commentaries, pages=pages, files=files, descriptor=descriptor,
    )


def _content(documents: list[Document], indicator_ids: set[str]):
    narratives, commentaries, pages = [], [], []
    for document in documents:
        place = place_of(document.path)
        if place.problem:
            continue
        meta = document.meta
        if place.kind == "narrative":
            indicator_id = resolve_indicator(place.key, indicator_ids)
            if indicator_id is None:
                continue
            sections = split_sections(document.body)
            if is_unwritten(sections):
                continue  # a stub not yet written is a missing narrative, not an empty one
            narratives.append(Narrative(
                indicator_id, place.period, document.path,
                owner=_text(meta.get("owner")), action_due=front_matter_date(meta.get("action_due")),
                introduction_html=render_markdown(sections.preamble, top_heading=4),
                why_html=render_markdown(sections.sections.get("Why", ""), top_heading=4),
                action_html=render_markdown(sections.sections.get("Action being taken", ""), top_heading=4),
                decisions_html=render_markdown(sections.sections.get("Decisions required", ""), top_heading=4),
            ))
        elif place.kind == "commentary":
            if not document.body.strip():
                continue  # a commentary stub not yet written: nothing to show
            commentaries.append(Commentary(place.key, place.period, document.path,
                                           render_markdown(document.body, top_heading=3),
                                           _text(meta.get("title"))))
        elif place.kind == "page":
            title = _text(meta.get("title")) or place.key.replace("-", " ").capitalize()
            order = meta.get("order")
            pages.append(Page(place.key, title, document.path, render_markdown(document.body, top_heading=2),
                              _text(meta.get("description")), order if isinstance(order, int) else 0))
    return (
        tuple(sorted(narratives, key=lambda n: (n.period.sort_key, n.indicator_id))),
        tuple(sorted(commentaries, key=lambda c: (c.period.sort_key, c.theme_id))),
        tuple(sorted(pages, key=lambda p: (p.order, p.title.lower()))),
    )
