"""Validation with Frictionless: the authority for the descriptor and for files of normal size.

Frictionless checks the Table Schema row by row (types, required cells, enums,
patterns, ranges, primary and foreign keys, blank and ragged rows). Two custom
``Check`` classes add what its built-in checks do not: ``NumberSyntaxCheck`` (it
accepts NaN, Infinity, 1_000 and digits of other scripts as numbers; we do not) and
``DataQualityCheck``, which runs the project's data-quality rules of the file at
the end of the table, so Frictionless' report counts every problem of the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Optional

from frictionless import Check, Checklist, Package, Resource, Schema, errors

from ..findings import Finding
from ..frames import TableData
from ..tables import ParsedTable, is_numeric, synced_schema, syntax_for
from . import cells
from .constraints import first_broken

ERROR_LIMIT = 1_000_000  # Frictionless stops at 1,000 errors by default and skips the rest
HEADER_ERRORS = ["blank-label", "duplicate-label", "incorrect-label", "extra-label", "missing-label", "blank-header"]


class FindingError(errors.RowError):
    """A problem found by one of our checks; the finding itself travels beside it."""

    type = "perfsite-finding"
    title = "Data-quality finding"
    description = "A problem found by a data-quality rule of the site contract."
    template = "{note}"


class FindingTableError(errors.TableError):
    """A table-level problem found by one of our checks."""

    type = "perfsite-table-finding"
    title = "Data-quality finding"
    description = "A problem found by a data-quality rule of the site contract."
    template = "{note}"


class NumberSyntaxCheck(Check):
    """Numbers must be written with ASCII digits, an optional sign, point and exponent."""

    type = "perfsite-number-syntax"
    Errors = [FindingError]

    def __init__(self, path: str, positions: dict[str, int]) -> None:
        super().__init__()
        self.path = path
        self.positions = positions
        self.findings: list[Finding] = []
        self.numeric: dict[str, bool] = {}  # by field name; exporting a field's descriptor is slow

    def validate_row(self, row):  # type: ignore[override]
        for field in row.fields:
            numeric = self.numeric.get(field.name)
            if numeric is None:
                numeric = self.numeric[field.name] = is_numeric(field.to_descriptor())
            if not numeric:
                continue
            value = row[field.name]
            if value is None:  # empty, or a type error Frictionless reports itself
                continue
            text = row.cells[row.field_numbers[row.field_names.index(field.name)] - 1]
            if not syntax_for(field.type).fullmatch(text):
                finding = cells.number_finding(self.path, row.row_number, field.name,
                                               self.positions.get(field.name), text, field.type)
                self.findings.append(finding)
                yield FindingError.from_row(row, note=finding.message)


class DataQualityCheck(Check):
    """Runs the data-quality rules of one file when Frictionless reaches its end."""

    type = "perfsite-data-quality"
    Errors = [FindingTableError]

    def __init__(self, rules: Callable[[], Iterable[Finding]]) -> None:
        super().__init__()
        self.rules = rules
        self.findings: list[Finding] = []

    def validate_end(self):  # type: ignore[override]
        for finding in self.rules():
            self.findings.append(finding)
            yield FindingTableError(note=finding.message)


def check_with_frictionless(
    tables: dict[str, ParsedTable],
    names: Iterable[str],
    data_rules: Callable[[TableData], Iterable[Finding]],
    frames: dict[str, TableData],
    checked: Optional[Callable[[str], None]] = None,
) -> dict[str, list[Finding]]:
    """Findings for each named table, validated by Frictionless inside one data package.
    ``checked(name)`` is called as each table's checks end."""
    names = list(names)
    resources = {
        name: Resource(tables[name].text.encode("utf-8"), format="csv", encoding="utf-8", name=name,
                       schema=Schema.from_descriptor(synced_schema(tables[name])))
        for name in names
    }
    for target, key_fields in _referenced_fields(tables, names).items():
        if target not in resources:
            resources[target] = _keys_only(target, frames[target], key_fields)
    Package(resources=list(resources.values()))  # lets foreign keys find the tables they refer to
    found: dict[str, list[Finding]] = {}
    for name in names:
        table = tables[name]
        frame = frames[name]
        positions = {column: i + 1 for i, column in enumerate(table.header)}
        number_check = NumberSyntaxCheck(table.path, positions)
        quality_check = DataQualityCheck(lambda frame=frame: data_rules(frame))
        report = resources[name].validate(
            checklist=Checklist(checks=[number_check, quality_check], skip_errors=HEADER_ERRORS),
            limit_errors=ERROR_LIMIT,
        )
        findings = _findings_from_report(report, table, frame)
        found[name] = findings + number_check.findings + quality_check.findings
        if checked is not None:
            checked(name)
    return found


def _referenced_fields(tables: dict[str, ParsedTable], names: list[str]) -> dict[str, list[str]]:
    """The tables the named ones refer to (that could be read), with the fields referred to."""
    referenced: dict[str, list[str]] = {}
    for name in names:
        for foreign in synced_schema(tables[name]).get("foreignKeys", []):
            target = foreign["reference"]["resource"]
            if target in tables:
                fields = referenced.setdefault(target, [])
                fields += [field for field in foreign["reference"]["fields"] if field not in fields]
    return referenced


def _keys_only(name: str, frame: TableData, key_fields: list[str]) -> Resource:
    """A referenced table as Frictionless needs it to check references to it: only the
    columns referred to, as written (missing when the file has no such column).

    Frictionless reads every row of a referenced table, with its whole schema, to
    collect the key values; for a table that the fast path checks, that was most of
    the time Frictionless spent on the small files that refer to it. The values it
    collects are the same: each row's cells in the key columns, as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(key_fields)
    columns = [frame.raw[field].tolist() if frame.has(field) else [""] * len(frame.raw) for field in key_fields]
    writer.writerows(zip(*columns))
    schema = {"fields": [{"name": field, "type": frame.fields.get(field, {}).get("type", "string")}
                         for field in key_fields]}
    return Resource(buffer.getvalue().encode("utf-8"), format="csv", encoding="utf-8", name=name,
                    schema=Schema.from_descriptor(schema))


def _findings_from_report(report, table: ParsedTable, frame: TableData) -> list[Finding]:
    """Frictionless' errors as findings, mapped by error type; which constraint a cell
    breaks is decided by the constraint table both paths share, never by message text."""
    findings: list[Finding] = []
    blank_rows: set[int] = set()
    shaped_rows: set[int] = set()
    constrained: dict[tuple[int, str], int] = {}  # (row, column) -> column number, in report order
    fields = frame.fields
    path = table.path
    for task in report.tasks:
        for error in task.errors:
            kind = error.type
            row = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None) or None
            position = getattr(error, "field_number", None)
            cell = getattr(error, "cell", None)
            if kind in (FindingError.type, FindingTableError.type):
                continue  # carried by our checks as findings
            if kind == "blank-row":
                blank_rows.add(row)
                findings.append(cells.blank_row_finding(path, row))
            elif kind in ("extra-cell", "missing-cell"):
                if row not in shaped_rows:
                    shaped_rows.add(row)
                    findings.append(cells.shape_finding(path, row, len(table.rows[row - 2]), len(table.header)))
            elif kind == "type-error":
                findings.append(cells.number_finding(path, row, column, position, str(cell), fields[column]["type"]))
            elif kind == "constraint-error":
                constrained.setdefault((row, column), position)
            elif kind == "unique-error":
                findings.append(cells.duplicate_finding(path, row, [column], [frame.raw.at[row, column]],
                                                        _first_row_with(frame, [column], row)))
            elif kind == "primary-key":
                if row in blank_rows or all(not frame.raw.at[row, k] for k in synced_schema(table)["primaryKey"]):
                    continue
                key = synced_schema(table)["primaryKey"]
                findings.append(cells.duplicate_finding(path, row, key, [frame.raw.at[row, k] for k in key],
                                                        _first_row_with(frame, key, row)))
            elif kind == "foreign-key":
                for fk_column in error.field_names:
                    foreign = next(fk for fk in synced_schema(table)["foreignKeys"] if fk["fields"] == [fk_column])
                    findings.append(cells.reference_finding(
                        path, row, fk_column, table.header.index(fk_column) + 1, frame.raw.at[row, fk_column],
                        foreign["reference"]["resource"], table.resource))
            else:  # a structural problem Frictionless found that we do not name more precisely
                findings.append(cells.shape_finding(path, row, len(table.rows[row - 2]), len(table.header))
                                if row else cells.blank_row_finding(path, 1))
    for (row, column), position in constrained.items():
        field = fields[column]
        text = frame.raw.at[row, column]
        if text == "":
            findings.append(cells.required_finding(path, row, column, position, table.resource))
            continue
        number = frame.typed.at[row, column] if is_numeric(field) else None
        constraint = first_broken(field, text, number)
        if constraint is not None:
            findings.append(cells.constraint_finding(path, row, column, position, text, field, constraint,
                                                     table.resource))
    return findings


def _first_row_with(frame: TableData, key: list[str], row: int) -> int:
    """The first row with the same key as ``row`` (the one a duplicate repeats)."""
    same = (frame.raw[key] == frame.raw.loc[row, key]).all(axis=1) & frame.live
    return int(same.index[same][0])
