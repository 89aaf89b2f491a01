"""The validation report as people and CI read it: text, JSON, GitHub annotations."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .findings import Finding, ValidationReport

FORMATS = ("human", "json", "github")


def summary_line(report: ValidationReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "Nothing blocks publishing." if report.ok else "Publishing is blocked until the errors are fixed."
    return (f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} "
            f"in {len(report.files_checked)} files ({report.rows_checked:,} data rows). {verdict}")


def as_text(report: ValidationReport) -> str:
    lines: list[str] = []
    for file, findings in report.by_file().items():
        lines.append(file)
        for finding in findings:
            where = []
            if finding.row is not None:
                where.append(f"row {finding.row}" if file.endswith(".csv") else f"line {finding.row}")
            if finding.column:
                where.append(f"column {finding.column}")
            place = ", ".join(where) or "whole file"
            lines.append(f"  {place}: {finding.severity.value.upper()} [{finding.rule_id}]")
            lines.append(f"    {finding.message}")
            lines.append(f"    How to fix: {finding.how_to_fix}")
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def as_json(report: ValidationReport) -> str:
    document = {
        "ok": report.ok,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "files_checked": report.files_checked,
        "rows_checked": report.rows_checked,
        "findings": [finding.to_dict() for finding in report.sorted_findings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(report: ValidationReport, site_root: Path) -> str:
    """GitHub Actions workflow commands: an annotation on the file and line of each finding."""
    try:
        prefix = site_root.resolve().relative_to(Path(os.getcwd()).resolve()).as_posix()
    except ValueError:
        prefix = ""
    lines = []
    for finding in report.sorted_findings:
        level = "error" if finding.severity.value == "error" else "warning"
        path = f"{prefix}/{finding.file}" if prefix not in ("", ".") else finding.file
        properties = [f"file={_escape_property(path)}"]
        if finding.row is not None:
            properties.append(f"line={finding.row}")
        if finding.column_number is not None:
            properties.append(f"col={finding.column_number}")
        properties.append(f"title={_escape_property(finding.rule_id)}")
        message = _message(finding)
        lines.append(f"::{level} {','.join(properties)}::{_escape_data(message)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _message(finding: Finding) -> str:
    where = f"Column {finding.column}: " if finding.column else ""
    return f"{where}{finding.message} How to fix: {finding.how_to_fix}"


def render(report: ValidationReport, format: str, site_root: Path) -> str:
    if format == "json":
        return as_json(report)
    if format == "github":
        return as_github(report, site_root)
    return as_text(report)
