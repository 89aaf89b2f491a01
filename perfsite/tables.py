"""Reading data files as spreadsheets export them, and the contract's schemas.

Accepts UTF-8 with or without a byte-order mark, CRLF or LF line endings, and
trailing blank rows (a warning). Anything that is not UTF-8 is refused with a
message naming the file and, where it can be told, the encoding it was saved in.

Row numbers are spreadsheet row numbers: the header is row 1 and the first row of
data is row 2, as Frictionless counts them and as a publisher sees them in Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import yaml

from .bulk import without_cyclic_gc
from .findings import Finding, encoding_finding
from .i18n import N_, Message

HEADER_ROW = 1
FIRST_DATA_ROW = 2
REQUIRED_RESOURCES = ("themes", "indicators", "results", "targets")
OPTIONAL_RESOURCES = ("spend", "benchmarks", "assessments")
CONTRACT_RESOURCES = REQUIRED_RESOURCES + OPTIONAL_RESOURCES
# Cells that a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet leaves on the lines it adds after the data: nothing, or only
# separators, spaces and quotes.
_BLANK_LINE_CHARACTERS = ' \t,;"'
_BLANK_LINE_OR_BREAK = frozenset(_BLANK_LINE_CHARACTERS + "\n")
# A cell in double quotes as the csv module and Arrow both read it: it starts a cell,
# doubles any quote inside, and ends where the cell ends. A quote anywhere else is read
# differently by the two (the csv module keeps it as text), so the file is read carefully.
# (It starts with the quote itself, and looks behind only after it, so that the regex
# engine can skip quickly to the next quote in a big file.)
_QUOTED_CELL = re.compile(r'"(?<![^,\n]")(?:[^"]|"")*"(?![^,\n])')


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
    # libyaml's loader (when PyYAML has it) reads the same YAML ten times faster.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


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
class Rows(Sequence):
    """A file's data rows as lists of cells, split by the csv module only when asked for.

    A big file is read column by column (``ParsedTable.cells``); its rows as lists are
    needed only to describe a broken row or by callers that walk the rows, so they
    are not built for every file. Their number is known without splitting them.
    """

    def __init__(self, text: str = "", count: int = 0, rows: Optional[list[list[str]]] = None) -> None:
        self._text = text
        self._count = count if rows is None else len(rows)
        self._rows = rows

    def _split(self) -> list[list[str]]:
        if self._rows is None:
            with without_cyclic_gc():  # millions of new lists of cells, none of them garbage
                self._rows = list(csv.reader(io.StringIO(self._text)))[1:]
        return self._rows

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[override]
        return self._split()[index]

    def __iter__(self) -> Iterator[list[str]]:
        return iter(self._split())

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (Rows, list)) else NotImplemented


@dataclass
class ParsedTable:
    """One data file read as text, before any type is applied.

    ``cells`` holds the cells column by column (one text column per header position,
    short rows padded with empty cells and long rows cut), ``cell_counts`` how many
    cells each row really has and ``blank`` which rows have no text at all.
    """

    resource: str
    path: str  # site-relative
    text: str = ""  # decoded, BOM removed, line endings normalised, trailing blank rows cut
    header: list[str] = field(default_factory=list)
    rows: Sequence[list[str]] = field(default_factory=Rows)  # data rows, in file order
    size: int = 0  # bytes on disk
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True  # False when the rows cannot be checked at all
    cells: Optional[pa.Table] = None
    cell_counts: Optional[np.ndarray] = None
    blank: Optional[np.ndarray] = None
    read_carefully: bool = False  # True when the quick read found a problem and the csv module read it

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
        text = decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        table.findings.append(encoding_finding(path, data, error))
        table.readable = False
        return table
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        table.findings.append(Finding("valid.header", path,
                                      Message.of(N_("The file is empty: it needs at least a header row.")),
                                      row=HEADER_ROW,
                                      fix=Message.of(N_("Add the header row with the contract's column names."))))
        table.readable = False
        return table
    trailing_start = _trailing_blank_lines(text)
    trailing = text[trailing_start:] if trailing_start is not None else ""
    kept = text[:trailing_start] + "\n" if trailing_start is not None and trailing != "\n" else text
    header = _first_record(kept)
    table.header = [cell.strip() for cell in header]
    table.text = kept
    # The bytes as read serve Arrow when the text was not changed on the way.
    unchanged = kept is decoded and not data.startswith(codecs.BOM_UTF8)
    if not _read_quickly(table, header, data if unchanged else None):
        _read_carefully(table)
    if trailing.count("\n") > 1:
        blank_rows = trailing.count("\n") - 1
        first = FIRST_DATA_ROW + len(table.rows)
        table.findings.append(Finding(
            "valid.trailing-blank-rows", path,
            Message.counting("The file ends with %(num)s blank row (from row %(row)s); they are ignored.",
                             "The file ends with %(num)s blank rows (from row %(row)s); they are ignored.",
                             blank_rows, row=first),
            row=first,
        ))
    table.findings.extend(_header_findings(table))
    return table


def _trailing_blank_lines(text: str) -> Optional[int]:
    """Where the blank lines at the end of the file start (at a line break), if it has any.

    Only the end of the text is looked at: the last line break after the last cell
    with text in it starts them."""
    last_text = len(text)
    while last_text and text[last_text - 1] in _BLANK_LINE_OR_BREAK:
        last_text -= 1
    start = text.find("\n", last_text)
    return start if start >= 0 else None


def _first_record(text: str) -> list[str]:
    """The header row's cells, read by the csv module from the first line (or more lines,
    when a quoted name spans them)."""
    first_line = text[: text.find("\n") + 1] if "\n" in text else text
    source = text if '"' in first_line else first_line
    return next(csv.reader(io.StringIO(source)), [])


def _read_quickly(table: ParsedTable, header: list[str], data: Optional[bytes]) -> bool:
    """Read the rows column by column with Arrow's CSV reader, when that is sure to split
    them exactly as the csv module (and Frictionless) would; False when it is not.

    It is not sure for rows of another length than the header (Arrow refuses them),
    blank rows (the csv module reads a blank line as a row without cells; row numbers
    must stay those of the csv module), a quote that does not enclose a whole cell,
    and files of a single column (a blank line there is an empty cell to Arrow).
    Those files are read by the careful pass, which finds and numbers such rows.
    """
    width = len(header)
    text = table.text
    quoted = '"' in text
    if width < 2 or (quoted and '"' in _QUOTED_CELL.sub("", text)):
        return False
    names = [f"cell {position}" for position in range(width)]
    try:
        cells = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8") if data is None else data),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(newlines_in_values=quoted, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types={name: pa.string() for name in names},
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:  # a row of another length than the header
        return False
    if cells.num_rows == 0 or cells.slice(0, 1).to_pylist()[0] != dict(zip(names, header)):
        return False
    cells = cells.slice(1)
    text_in_row = np.zeros(cells.num_rows, dtype="int64")
    for column in cells.columns:
        text_in_row += pc.binary_length(column).to_numpy(zero_copy_only=False)
    blank = text_in_row == 0
    if blank.any():
        return False
    table.cells = cells
    table.cell_counts = np.full(cells.num_rows, width, dtype="int64")
    table.blank = blank
    table.rows = Rows(text, cells.num_rows)
    return True


def _read_carefully(table: ParsedTable) -> None:
    """Read the rows with the csv module, as Frictionless does: every row as it is written,
    a blank line as a row without cells, whatever their number of cells."""
    with without_cyclic_gc():  # millions of new lists of cells, none of them garbage
        _split_carefully(table)


def _split_carefully(table: ParsedTable) -> None:
    rows = list(csv.reader(io.StringIO(table.text)))[1:]
    width = len(table.header)
    table.read_carefully = True
    table.rows = Rows(rows=rows)
    table.cell_counts = np.array([len(row) for row in rows], dtype="int64")
    table.blank = np.array([not any(row) for row in rows], dtype=bool)
    # Short rows padded and long rows cut, so that every column lines up; the shape
    # problem itself is reported by validation.
    lined_up = [row if len(row) == width else (row + [""] * (width - len(row)))[:width] for row in rows]
    columns = list(zip(*lined_up)) if lined_up else [() for _ in range(width)]
    table.cells = pa.table({f"cell {position}": pa.array(list(column), type=pa.string())
                            for position, column in enumerate(columns)}) if width else None


def _header_findings(table: ParsedTable) -> list[Finding]:
    findings = []
    known = contract_fields(table.resource)
    seen: dict[str, int] = {}
    for position, name in enumerate(table.header, start=1):
        if not name:
            findings.append(Finding("valid.header", table.path,
                                    Message.of(N_("Column %(position)s of the header row has no name."),
                                               position=position),
                                    row=HEADER_ROW, column_number=position,
                                    fix=Message.of(N_("Give the column one of the contract's names, or delete the "
                                                      "empty column."))))
            continue
        if name in seen:
            findings.append(Finding("valid.header", table.path,
                                    Message.of(N_("The column “%(column)s” appears twice (columns %(first)s and "
                                                  "%(second)s)."), column=name, first=seen[name], second=position),
                                    row=HEADER_ROW, column=name, column_number=position,
                                    fix=Message.of(N_("Keep one of the two columns."))))
            continue
        seen[name] = position
        if name not in known:
            close = _close_column(name, known)
            findings.append(Finding("valid.unknown-column", table.path,
                                    Message.of(N_("The column “%(column)s” is not part of the contract for "
                                                  "%(resource)s and is ignored."), column=name,
                                               resource=table.resource),
                                    row=HEADER_ROW, column=name, column_number=position,
                                    fix=Message.of(N_("Did you mean “%(column)s”? Rename the column."), column=close)
                                    if close else None))
    for name in required_columns(table.resource):
        if name not in seen:
            close = next((h for h in table.header if _close_column(h, {name: {}}) == name), None)
            message = (Message.of(N_("The required column “%(column)s” is missing from the header row (the column "
                                     "“%(close)s” may be meant)."), column=name, close=close) if close else
                       Message.of(N_("The required column “%(column)s” is missing from the header row."),
                                  column=name))
            findings.append(Finding("valid.header", table.path, message,
                                    row=HEADER_ROW, column=name,
                                    fix=Message.of(N_("Add a column named exactly “%(column)s”."), column=name)))
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
