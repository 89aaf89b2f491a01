"""Reading data files as spreadsheets export them, and the contract's schemas.

Accepts UTF-8 with or without a byte-order mark, CRLF or LF line endings, and
trailing blank rows (a warning). Anything that is not UTF-8 is refused with a
message naming the file and, where it can be told, the encoding it was saved in.

Row numbers are spreadsheet row numbers: the header is row 1 and the first row of
data is row 2, as Frictionless counts them and as a publisher sees them in Excel.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Optional

import yaml

from .findings import Finding, encoding_finding

HEADER_ROW = 1
FIRST_DATA_ROW = 2
REQUIRED_RESOURCES = ("themes", "indicators", "results", "targets")
OPTIONAL_RESOURCES = ("spend", "benchmarks", "assessments")
CONTRACT_RESOURCES = REQUIRED_RESOURCES + OPTIONAL_RESOURCES
# Cells that a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TRAILING_BLANK_LINES = re.compile(r'(?:\n[ \t,;"]*)+\Z')


# How numbers may be written: optional sign, ASCII digits, optional decimal part
# and exponent. Refused although Python's Decimal would accept them: NaN,
# Infinity, 1_000, spaces, and digits of other scripts.
NUMBER_SYNTAX = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
INTEGER_SYNTAX = re.compile(r"[+-]?[0-9]+")
NUMBER_PATTERN = NUMBER_SYNTAX.pattern
INTEGER_PATTERN = INTEGER_SYNTAX.pattern


def syntax_for(field_type: str) -> re.Pattern:
    return INTEGER_SYNTAX if field_type == "integer" else NUMBER_SYNTAX


# ------------------------------------------------------------------- schemas
@cache
def contract_schema(resource: str) -> dict[str, Any]:
    """The Table Schema descriptor of a contract resource (schemas/<name>.schema.yaml)."""
    text = resources.files("perfsite.schemas").joinpath(f"{resource}.schema.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def contract_fields(resource: str) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in contract_schema(resource)["fields"]}


def required_columns(resource: str) -> list[str]:
    return [name for name, f in contract_fields(resource).items() if f.get("constraints", {}).get("required")]


def is_free_text(field_descriptor: dict[str, Any]) -> bool:
    """Text a person writes (titles, notes), as opposed to ids, periods and codes."""
    constraints = field_descriptor.get("constraints", {})
    return field_descriptor.get("type") == "string" and "pattern" not in constraints and "enum" not in constraints


def is_numeric(field_descriptor: dict[str, Any]) -> bool:
    return field_descriptor.get("type") in ("number", "integer")


def is_period_field(name: str) -> bool:
    return name == "period"


# ------------------------------------------------------------ parsed tables
@dataclass
class ParsedTable:
    """One data file read as rows of text, before any type is applied."""

    resource: str
    path: str  # site-relative
    text: str = ""  # decoded, BOM removed, line endings normalised, trailing blank rows cut
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # data rows, in file order
    size: int = 0  # bytes on disk
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True  # False when the rows cannot be checked at all

    @property
    def row_numbers(self) -> range:
        return range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(self.rows))

    def columns(self) -> dict[str, int]:
        """Column name -> position (0-based), for the columns the contract knows."""
        known = contract_fields(self.resource)
        return {name: i for i, name in enumerate(self.header) if name in known}


def parse_table(resource: str, path: str, data: bytes) -> ParsedTable:
    """Decode and split a CSV file; report encoding, blank-row and header problems."""
    table = ParsedTable(resource, path, size=len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        table.findings.append(encoding_finding(path, data, error))
        table.readable = False
        return table
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        table.findings.append(Finding("valid.header", path, "The file is empty: it needs at least a header row.",
                                      row=HEADER_ROW, fix="Add the header row with the contract's column names."))
        table.readable = False
        return table
    trailing = _TRAILING_BLANK_LINES.search(text)
    kept = text[: trailing.start()] + "\n" if trailing else text
    records = list(csv.reader(io.StringIO(kept)))
    table.header = [cell.strip() for cell in records[0]] if records else []
    table.rows = records[1:]
    table.text = kept
    if trailing and trailing.group().count("\n") > 1:
        blank_rows = trailing.group().count("\n") - 1
        first = FIRST_DATA_ROW + len(table.rows)
        table.findings.append(Finding(
            "valid.trailing-blank-rows", path,
            f"The file ends with {blank_rows} blank row{'s' if blank_rows > 1 else ''} "
            f"(from row {first}); they are ignored.",
            row=first,
        ))
    table.findings.extend(_header_findings(table))
    return table


def _header_findings(table: ParsedTable) -> list[Finding]:
    findings = []
    known = contract_fields(table.resource)
    seen: dict[str, int] = {}
    for position, name in enumerate(table.header, start=1):
        if not name:
            findings.append(Finding("valid.header", table.path, f"Column {position} of the header row has no name.",
                                    row=HEADER_ROW, column_number=position,
                                    fix="Give the column one of the contract's names, or delete the empty column."))
            continue
        if name in seen:
            findings.append(Finding("valid.header", table.path,
                                    f"The column “{name}” appears twice (columns {seen[name]} and {position}).",
                                    row=HEADER_ROW, column=name, column_number=position,
                                    fix="Keep one of the two columns."))
            continue
        seen[name] = position
        if name not in known:
            close = _close_column(name, known)
            findings.append(Finding("valid.unknown-column", table.path,
                                    f"The column “{name}” is not part of the contract for {table.resource} and is ignored.",
                                    row=HEADER_ROW, column=name, column_number=position,
                                    fix=f"Did you mean “{close}”? Rename the column." if close else None))
    for name in required_columns(table.resource):
        if name not in seen:
            close = next((h for h in table.header if _close_column(h, {name: {}}) == name), None)
            hint = f" (the column “{close}” may be meant)" if close else ""
            findings.append(Finding("valid.header", table.path,
                                    f"The required column “{name}” is missing from the header row{hint}.",
                                    row=HEADER_ROW, column=name,
                                    fix=f"Add a column named exactly “{name}”."))
    return findings


def _close_column(name: str, known: dict) -> Optional[str]:
    import difflib

    normalised = name.strip().lower().replace(" ", "_")
    if normalised in known and normalised != name:
        return normalised
    match = difflib.get_close_matches(normalised, list(known), n=1, cutoff=0.8)
    return match[0] if match else None


def header_is_usable(table: ParsedTable) -> bool:
    """Rows can be checked when no header name is duplicated or blank."""
    names = table.header
    return table.readable and bool(names) and all(names) and len(set(names)) == len(names)


def synced_schema(table: ParsedTable) -> dict[str, Any]:
    """The contract schema, fitted to the columns the file actually has, in its order.

    Unknown columns become plain text fields (ignored); missing optional columns are
    simply absent. Keys are kept only when all their columns are present.
    """
    contract = contract_schema(table.resource)
    known = contract_fields(table.resource)
    fields = [known.get(name, {"name": name, "type": "any"}) for name in table.header]
    present = set(table.header)
    schema: dict[str, Any] = {"fields": fields}
    if all(name in present for name in contract.get("primaryKey", [])):
        schema["primaryKey"] = contract["primaryKey"]
    foreign = [fk for fk in contract.get("foreignKeys", []) if all(n in present for n in fk["fields"])]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema
