"""Stage 2, validate: every data-quality rule over a loaded site.

Small files go through Frictionless (the authority), big ones through the
vectorised fast path; both then share the data-quality rules, the rules across
files and along each series, and the content rules. The outcome is a report and
the checked tables, ready for the model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, Optional

from ..findings import ValidationReport
from ..frames import TableData, table_data
from ..load import LoadedSite
from ..stages import Progress, or_none
from ..tables import CONTRACT_RESOURCES, contract_schema, header_is_usable
from . import cross
from .constraints import check_supported
from .content_rules import check_documents
from .data_rules import IndicatorFacts, check_rows
from .fast_path import check_schema
from .frictionless_path import check_with_frictionless

Path = Literal["frictionless", "fast"]


@dataclass
class ValidatedSite:
    site: LoadedSite
    report: ValidationReport
    frames: dict[str, TableData]
    paths_used: dict[str, Path]

    def frame(self, name: str) -> Optional[TableData]:
        return self.frames.get(name)


def validate(site: LoadedSite, strict: bool = False, force_path: Optional[Path] = None,
             progress: Optional[Progress] = None) -> ValidatedSite:
    """Check a loaded site. ``force_path`` makes every file use one path (for tests and benchmarks).
    ``progress`` hears of each file as its checks end (the tables one by one, the content
    files together, after the checks across files)."""
    progress = or_none(progress)
    progress.start("validate", len(site.tables) + len(site.documents))
    for resource in CONTRACT_RESOURCES:
        check_supported(resource, contract_schema(resource))
    config = site.config
    report = ValidationReport(strict=strict, escalated=frozenset(config.quality.treat_as_errors),
                              examples=config.quality.report_examples, language=config.language)
    report.add(site.findings)
    usable = {name: table for name, table in site.tables.items() if header_is_usable(table)}
    progress.advance("validate", len(site.tables) - len(usable))  # nothing more to check in them
    frames = {name: table_data(table) for name, table in usable.items()}
    facts = IndicatorFacts.from_table(frames.get("indicators"))

    def chosen(name: str) -> Path:
        if force_path:
            return force_path
        return "fast" if usable[name].size >= config.quality.fast_path_min_bytes else "frictionless"

    paths = {name: chosen(name) for name in usable}
    slow = [name for name in usable if paths[name] == "frictionless"]
    if slow:
        found = check_with_frictionless(usable, slow, lambda data: check_rows(data, facts), frames,
                                        checked=lambda name: progress.advance("validate"))
        for name in slow:
            report.add(found[name])
    references = {
        (name, column): set(frames[name].raw[column][frames[name].live])
        for name, column in (("themes", "theme_id"), ("indicators", "indicator_id"))
        if name in frames and frames[name].has(column)
    }
    for name in usable:
        if paths[name] == "fast":
            report.add(check_schema(frames[name], references))
            report.add(check_rows(frames[name], facts))
            progress.advance("validate")
    report.add(_across_files(site, frames))
    progress.advance("validate", len(site.documents))
    _drop_noise_of_misshapen_rows(report)
    _name_indicators(report, frames)
    report.files_checked = sorted([t.path for t in site.tables.values()] + [d.path for d in site.documents])
    report.rows_checked = sum(len(t.rows) for t in site.tables.values())
    return ValidatedSite(site, report, frames, paths)


def _drop_noise_of_misshapen_rows(report: ValidationReport) -> None:
    """A row with too many or too few cells has its cells shifted: every other finding
    on it follows from that one mistake, so only the shape finding is kept."""
    misshapen = {(f.file, f.row) for f in report.findings if f.rule_id == "valid.row-shape"}
    if misshapen:
        report.findings = [f for f in report.findings
                           if f.rule_id == "valid.row-shape" or (f.file, f.row) not in misshapen]


def _name_indicators(report: ValidationReport, frames: dict[str, TableData]) -> None:
    """Say which indicator each row finding is about, so that a report can group them."""
    ids_by_file = {data.path: data.raw["indicator_id"] for data in frames.values() if data.has("indicator_id")}
    named = []
    for finding in report.findings:
        ids = ids_by_file.get(finding.file)
        if ids is not None and finding.row in ids.index and finding.indicator is None:
            finding = replace(finding, indicator=ids.at[finding.row] or None)
        named.append(finding)
    report.findings = named


def _across_files(site: LoadedSite, frames: dict[str, TableData]):
    themes = frames.get("themes")
    indicators = frames.get("indicators")
    results = frames.get("results")
    targets = frames.get("targets")
    theme_ids = set(themes.raw["theme_id"]) if themes is not None and themes.has("theme_id") else set()
    indicator_ids = (set(indicators.raw["indicator_id"])
                     if indicators is not None and indicators.has("indicator_id") else set())
    if indicators is not None and indicators.has("indicator_id"):
        yield from cross.clashing_addresses(indicators, "indicator_id", "indicator")
        yield from cross.other_theme_references(indicators, theme_ids)
        yield from cross.indicators_without_targets(indicators, targets)
        if themes is not None and themes.has("theme_id") and indicators.has("theme_id"):
            yield from cross.themes_without_indicators(themes, indicators)
        if results is not None and results.has("indicator_id") and results.has("period"):
            series = cross.series_of(results, indicators)
            yield from cross.expected_periods(series, results)
            yield from cross.unusual_values(series, results, site.config.quality)
    # Without a readable table there is nothing to check the content's references
    # against; why it is unreadable is reported on its own.
    yield from check_documents(site.documents,
                               indicator_ids if indicators is not None and indicators.has("indicator_id") else None,
                               theme_ids if themes is not None and themes.has("theme_id") else None)
