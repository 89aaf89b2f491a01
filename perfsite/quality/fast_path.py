"""Vectorised schema checks for big data files, generated from the Table Schema.

Frictionless checks a file row by row in Python, which is the slow step for a data
package of a million results. For files at least ``quality.fast_path_min_bytes``
big, the same checks (shape, required, types, enums, patterns, ranges, primary and
foreign keys) run here on whole columns with pandas. What depends on a cell's text
alone (patterns, enums, lengths, references) is judged once per distinct text and
spread back to the rows. A test runs both paths on small broken files and asserts
they report the same problems at the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..findings import Finding
from ..frames import TableData, key_values
from ..tables import is_numeric, synced_schema
from . import cells
from .constraints import ORDER, broken_cells


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
    live = data.live
    for name in data.raw.columns:
        findings.extend(_column_findings(data, live, name))
    schema = synced_schema(table)
    if "primaryKey" in schema:
        findings.extend(_duplicate_keys(data, live, schema["primaryKey"]))
    for foreign in schema.get("foreignKeys", []):
        findings.extend(_dangling_references(data, live, foreign, references))
    return findings


def _column_findings(data: TableData, live: pd.Series, name: str) -> list[Finding]:
    """The column's constraints, from the one table both paths use (constraints.py)."""
    field = data.fields[name]
    constraints = field.get("constraints", {})
    column = data.raw[name]
    position = data.column_number(name)
    path = data.path
    found: list[Finding] = []
    empty = column == ""
    if constraints.get("required"):
        found += [cells.required_finding(path, row, name, position, data.resource)
                  for row in column.index[empty & live]]
    filled = live & ~empty
    numbers = None
    if is_numeric(field):
        valid = data.valid_number[name]
        found += [cells.number_finding(path, row, name, position, text, field["type"])
                  for row, text in column[filled & ~valid].items()]
        numbers = data.typed[name][filled & valid]
        broken = broken_cells(field, column[filled & valid], numbers) if _checks_values(constraints) else []
    else:
        broken = _broken_texts(data, name, filled) if _checks_values(constraints) else []
    for constraint, rows in broken:
        found += [cells.constraint_finding(path, row, name, position, column[row], field, constraint, data.resource)
                  for row in rows.index[rows]]
    if constraints.get("unique"):
        values = column[filled] if numbers is None else numbers
        repeated = values.duplicated(keep="first")
        first_row = {value: row for row, value in values[~repeated].items()}
        found += [cells.duplicate_finding(path, row, [name], [column[row]], int(first_row[value]))
                  for row, value in values[repeated].items()]
    return found


def _checks_values(constraints: Mapping) -> bool:
    """Whether the field has a constraint on each cell's value (not only required or unique)."""
    return any(name in constraints for name in ORDER)


def _broken_texts(data: TableData, name: str, filled: pd.Series) -> list[tuple[str, pd.Series]]:
    """The constraints a text column breaks, each with the rows that break it first.

    A text's constraints depend on the text alone, so each distinct text is checked
    once and the outcome spread to the rows that have it."""
    codes, distinct = data.distinct(name)
    texts = pd.Series(distinct, dtype=data.raw[name].dtype)
    found = []
    for constraint, broken in broken_cells(data.fields[name], texts, None):
        if broken.any():
            found.append((constraint, filled & broken.to_numpy()[codes]))
    return found


def _duplicate_keys(data: TableData, live: pd.Series, key: list[str]) -> list[Finding]:
    keys = key_values(data, key)[live]
    repeated = keys.duplicated(keep="first")
    if not repeated.any():
        return []
    first_rows = keys[~repeated]
    first_of = pd.Series(first_rows.index, index=first_rows.values)
    return [cells.duplicate_finding(data.path, row, key, list(data.raw.loc[row, key]), int(first_of[value]))
            for row, value in keys[repeated].items()]


def _dangling_references(data: TableData, live: pd.Series, foreign: dict,
                         references: Mapping[tuple[str, str], set[str]]) -> list[Finding]:
    (column,) = foreign["fields"]
    target = foreign["reference"]["resource"]
    (target_field,) = foreign["reference"]["fields"]
    known = references.get((target, target_field))
    if known is None:  # the referenced file could not be read; that is reported there
        return []
    # Each distinct id is looked up once.
    codes, distinct = data.distinct(column)
    unknown = np.array([value != "" and value not in known for value in distinct], dtype=bool)
    values = data.raw[column]
    dangling = live & unknown[codes]
    position = data.column_number(column)
    return [cells.reference_finding(data.path, row, column, position, value, target, data.resource)
            for row, value in values[dangling].items()]
