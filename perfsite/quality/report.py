"""The validation report as people and CI read it: text, JSON, GitHub annotations.

Written in the site's language (its ``language`` setting, kept on the report), through the
message catalogue. What machines match on stays fixed: JSON keys, rule ids (the annotations'
titles), dimensions and severities in JSON, file names, columns and values.

rules_markdown is the English documentation of the rules (docs/data-quality.md), not a
report: it stays English.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from typing import Optional

from babel.numbers import format_decimal

from ..catalogue import RULES, SEVERITY_PRINCIPLE, SEVERITY_REASONS, Dimension, Severity
from ..findings import Finding, FindingGroup, ValidationReport
from ..formatting import SEVERITY_LABELS
from ..i18n import ENGLISH, Language

FORMATS = ("human", "json", "github")


def _language(report: ValidationReport, language: Optional[Language]) -> Language:
    """The language of a report: the one asked for, else the site's (its ``language`` setting)."""
    if language is not None:
        return language
    try:
        return Language.for_setting(report.language)
    except ValueError:  # an unknown language is a finding of its own; the report is then in English
        return ENGLISH


def _count(number: int, language: Language) -> str:
    return format_decimal(number, locale=language.locale)


def summary_line(report: ValidationReport, language: Optional[Language] = None) -> str:
    language = _language(report, language)
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = (language.gettext("Nothing blocks publishing.") if report.ok
               else language.gettext("Publishing is blocked until the errors are fixed."))
    return language.gettext(
        "%(errors)s, %(warnings)s in %(files)s (%(rows)s). %(verdict)s",
        errors=language.ngettext("%(num)s error", "%(num)s errors", errors, num=_count(errors, language)),
        warnings=language.ngettext("%(num)s warning", "%(num)s warnings", warnings, num=_count(warnings, language)),
        files=language.ngettext("%(num)s file", "%(num)s files", len(report.files_checked),
                                num=_count(len(report.files_checked), language)),
        rows=language.ngettext("%(num)s data row", "%(num)s data rows", report.rows_checked,
                               num=_count(report.rows_checked, language)),
        verdict=verdict)


def _severity(severity: Severity, language: Language) -> str:
    return language.translate(SEVERITY_LABELS[severity]).upper()


def as_text(report: ValidationReport, language: Optional[Language] = None) -> str:
    """The report for people: a summary that fits on a screen, then the details by file.

    Repeated findings of one rule on one indicator and column are one entry, with
    their count and the first few rows.
    """
    language = _language(report, language)
    lines: list[str] = []
    counts = report.rule_counts()
    if counts:
        lines.append(language.gettext("Summary"))
        width = max(len(_count(c.count, language)) for c in counts)
        rule_width = max(len(c.rule.id) for c in counts)
        severity_width = max(len(_severity(severity, language)) for severity in Severity)
        for entry in counts:
            lines.append(f"  {_count(entry.count, language):>{width}} "
                         f"{_severity(entry.severity, language):<{severity_width}} "
                         f"{entry.rule.id:<{rule_width}}  {language.translate(entry.rule.title)}")
        lines.append("")
        lines.append(language.gettext("Details"))
        lines.append("")
    for file, groups in report.groups_by_file(report.examples).items():
        lines.append(file)
        for group in groups:
            heading = f"{_place(group, language)}: {_severity(group.severity, language)} [{group.rule.id}]"
            if group.count > 1:
                heading = language.ngettext("%(heading)s, %(num)s time", "%(heading)s, %(num)s times", group.count,
                                            heading=heading, num=_count(group.count, language))
            lines.append(f"  {heading}")
            lines.append(f"    {language.translate(group.first.message)}")
            lines.append("    " + language.gettext("How to fix: %(fix)s",
                                                   fix=language.translate(group.first.how_to_fix)))
        lines.append("")
    lines.append(summary_line(report, language))
    return "\n".join(lines) + "\n"


def _place(group: FindingGroup, language: Language) -> str:
    """Where a group is: its rows (the first few, "… and N more"), column and indicator."""
    where = []
    rows = group.rows
    text_file = not group.file.endswith(".csv")
    if rows:
        listed = ", ".join(str(r) for r in rows)
        if group.more and text_file:
            where.append(language.ngettext("line %(rows)s and %(more)s more", "lines %(rows)s and %(more)s more",
                                           group.count, rows=listed, more=_count(group.more, language)))
        elif group.more:
            where.append(language.ngettext("row %(rows)s and %(more)s more", "rows %(rows)s and %(more)s more",
                                           group.count, rows=listed, more=_count(group.more, language)))
        elif text_file:
            where.append(language.ngettext("line %(rows)s", "lines %(rows)s", group.count, rows=listed))
        else:
            where.append(language.ngettext("row %(rows)s", "rows %(rows)s", group.count, rows=listed))
    if group.column:
        where.append(language.gettext("column %(column)s", column=group.column))
    if group.count > 1 and group.indicator:
        where.append(language.gettext("indicator %(indicator)s", indicator=group.indicator))
    return ", ".join(where) or language.gettext("whole file")


def as_json(report: ValidationReport, language: Optional[Language] = None) -> str:
    """The report for machines: keys and rule ids are fixed English codes; messages and
    fixes are sentences in the site's language."""
    language = _language(report, language)
    document = {
        "ok": report.ok,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "files_checked": report.files_checked,
        "rows_checked": report.rows_checked,
        "findings": [finding.to_dict(language) for finding in report.sorted_findings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_prefix(site_root: Path) -> str:
    """The site folder's path from where the command runs (the repository's root, in CI), which
    annotations put before a file's path in the site; "" when it is that folder, or outside it."""
    try:
        prefix = site_root.resolve().relative_to(Path(os.getcwd()).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if prefix == "." else prefix


def github_annotation(level: str, prefix: str, file: str, line: Optional[int], column: Optional[int], title: str,
                      message: str) -> str:
    """A GitHub Actions workflow command that puts ``message`` on ``file`` (a path in the site
    folder, whose path is ``prefix``: ``github_prefix``) at ``line``, in the pull request's view of it."""
    path = f"{prefix}/{file}" if prefix else file
    properties = [f"file={_escape_property(path)}"]
    if line is not None:
        properties.append(f"line={line}")
    if column is not None:
        properties.append(f"col={column}")
    properties.append(f"title={_escape_property(title)}")
    return f"::{level} {','.join(properties)}::{_escape_data(message)}"


def as_github(report: ValidationReport, site_root: Path, language: Optional[Language] = None) -> str:
    """GitHub Actions workflow commands: an annotation on the file and line of each finding
    (its title the rule id; its text in the site's language)."""
    language = _language(report, language)
    prefix = github_prefix(site_root)
    lines = [github_annotation("error" if finding.severity.value == "error" else "warning", prefix, finding.file,
                               finding.row, finding.column_number, finding.rule_id, _message(finding, language))
             for finding in report.sorted_findings]
    lines.append(summary_line(report, language))
    return "\n".join(lines) + "\n"


def _message(finding: Finding, language: Language) -> str:
    message, fix = language.translate(finding.message), language.translate(finding.how_to_fix)
    if finding.column:
        return language.gettext("Column %(column)s: %(message)s How to fix: %(fix)s",
                                column=finding.column, message=message, fix=fix)
    return language.gettext("%(message)s How to fix: %(fix)s", message=message, fix=fix)


def rules_markdown() -> str:
    """The rules in force as a Markdown document (docs/data-quality.md is this output)."""
    lines = [
        "# Data-quality rules",
        "",
        "<!-- Generated by `python build.py rules`; edit perfsite/catalogue.py instead. -->",
        "",
        "## The severity principle",
        "",
        SEVERITY_PRINCIPLE,
        "",
        "An error blocks publishing until it is fixed; a warning is reported and shown on the site's",
        "data-quality page (`/data/quality/`). A site can make any warning an error with",
        "`quality.treat_as_errors` in site.yaml, and `--strict` makes a missing exception narrative an error.",
        "",
        "Every build checks the site folder against these rules, grouped by the Audit Commission's",
        "six dimensions of data quality.",
        "",
    ]
    for dimension in Dimension:
        lines += [f"## {dimension.value.capitalize()}", "", dimension.meaning, "",
                  "| Rule | Severity | Why this severity | What it asks | How to fix |",
                  "| --- | --- | --- | --- | --- |"]
        for rule in (r for r in RULES.values() if r.dimension is dimension):
            severity = rule.severity.value
            if rule.strict_severity and rule.strict_severity is not rule.severity:
                severity += f" ({rule.strict_severity.value} with --strict)"
            cells = (f"`{rule.id}`", severity, SEVERITY_REASONS[rule.id], rule.title, rule.fix)
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def render(report: ValidationReport, format: str, site_root: Path, language: Optional[Language] = None) -> str:
    """The report in a format, in ``language`` (default: the site's ``language`` setting)."""
    if format == "json":
        return as_json(report, language)
    if format == "github":
        return as_github(report, site_root, language)
    return as_text(report, language)
