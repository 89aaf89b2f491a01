"""Vectorised schema checks for big data files, generated from the Table Schema.

Frictionless checks a file row by row in Python, which is the slow step for a data
package of a million results. For files at least ``quality.fast_path_min_bytes``
big, the same checks (shape, required, types, enums, patterns, ranges, primary and
foreign keys) run here on whole columns with pandas. A test runs both paths on
small broken files and asserts they report the same problems at the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..findings import Finding
from ..frames import TableData, key_values
from ..tables import is_numeric, synced_schema
from . import cells
from .constraints import broken_cells


def check_schema(data: TableData, references: Mapping[tuple[str, str], set[str]]) -> list[Finding]:
    """Schema problems of one table; ``references`` maps (resource, field) to its key values."""
    findings: list[Finding] = []
    table = data.table
    width = len(table.header)
    blank = data.blank
    lengths = pd.Series(table.cell_counts, index=blank.index, dtype="int64")
    for number in blank.index[blank]:
        findings.append(cells.blank_row_finding(table.path, number))
    for number, cells_in_row in lengths[~blank & (lengths != width)].items():
        findings.append(cells.shape_finding(table.path, number, cells_in_row, width))
    live = data.raw[~blank]
    for name in live.columns:
        findings.extend(_column_findings(data, live, name))
    schema = synced_schema(table)
    if "primaryKey" in schema:
        findings.extend(_duplicate_keys(data, live.index, schema["primaryKey"]))
    for foreign in schema.get("foreignKeys", []):
        findings.extend(_dangling_references(data, live.index, foreign, references))
    return findings


def _column_findings(data: TableData, live: pd.DataFrame, name: str) -> list[Finding]:
    """The column's constraints, from the one table both paths use (constraints.py)."""
    field = data.fields[name]
    constraints = field.get("constraints", {})
    column = live[name]
    position = data.column_number(name)
    path = data.path
    found: list[Finding] = []
    empty = column == ""
    if constraints.get("required"):
        found += [cells.required_finding(path, row, name, position, data.resource) for row in column.index[empty]]
    filled = column[~empty]
    numbers = None
    if is_numeric(field):
        valid = data.valid_number[name].reindex(filled.index)
        found += [cells.number_finding(path, row, name, position, text, field["type"])
                  for row, text in filled[~valid].items()]
        numbers = data.typed[name].reindex(filled.index[valid])
    for constraint, broken in broken_cells(field, filled, numbers):
        found += [cells.constraint_finding(path, row, name, position, filled[row], field, constraint, data.resource)
                  for row in broken.index[broken]]
    if constraints.get("unique"):
        values = filled if numbers is None else numbers
        repeated = values.duplicated(keep="first")
        first_row = {value: row for row, value in values[~repeated].items()}
        found += [cells.duplicate_finding(path, row, [name], [filled[row]], int(first_row[value]))
                  for row, value in values[repeated].items()]
    return found


def _duplicate_keys(data: TableData, live_rows: pd.Index, key: list[str]) -> list[Finding]:
    keys = key_values(data, key).reindex(live_rows)
    repeated = keys.duplicated(keep="first")
    if not repeated.any():
        return []
    first_rows = keys[~keys.duplicated(keep="first")]
    first_of = pd.Series(first_rows.index, index=first_rows.values)
    return [cells.duplicate_finding(data.path, row, key, list(data.raw.loc[row, key]), int(first_of[value]))
            for row, value in keys[repeated].items()]


def _dangling_references(data: TableData, live_rows: pd.Index, foreign: dict,
                         references: Mapping[tuple[str, str], set[str]]) -> list[Finding]:
    (column,) = foreign["fields"]
    target = foreign["reference"]["resource"]
    (target_field,) = foreign["reference"]["fields"]
    known = references.get((target, target_field))
    if known is None:  # the referenced file could not be read; that is reported there
        return []
    values = data.raw[column].reindex(live_rows)
    dangling = (values != "") & ~values.isin(known)
    position = data.column_number(column)
    return [cells.reference_finding(data.path, row, column, position, value, target, data.resource)
            for row, value in values[dangling].items()]
