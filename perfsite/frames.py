"""Data files as pandas frames: the text as written, and the same values typed.

Both frames are indexed by spreadsheet row number, so a finding's row is just the
index of the row it is about. Typing follows the contract's Table Schema: numbers
become floats (NaN when empty or not a number), everything else stays text (missing
when empty). Exact decimal arithmetic for the published rules happens later, in
the model, from the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .periods import Period, PeriodError
from .tables import ParsedTable, contract_fields, is_numeric, syntax_for


@dataclass
class TableData:
    table: ParsedTable
    raw: pd.DataFrame  # contract columns as written ("" when empty), index = row number
    blank: pd.Series  # True for blank rows

    @property
    def resource(self) -> str:
        return self.table.resource

    @property
    def path(self) -> str:
        return self.table.path

    def has(self, column: str) -> bool:
        return column in self.raw.columns

    def column_number(self, column: str) -> Optional[int]:
        try:
            return self.table.header.index(column) + 1
        except ValueError:
            return None

    @cached_property
    def fields(self) -> dict:
        return contract_fields(self.resource)

    @cached_property
    def valid_number(self) -> dict[str, pd.Series]:
        """For each numeric column: True where the cell is a number written the allowed way."""
        masks = {}
        for name in self.raw.columns:
            field = self.fields[name]
            if is_numeric(field):
                column = self.raw[name]
                masks[name] = column.str.fullmatch(syntax_for(field["type"]).pattern).fillna(False).astype(bool)
        return masks

    @cached_property
    def typed(self) -> pd.DataFrame:
        """Numbers as floats (NaN if empty or not a number), text as text (missing if empty)."""
        columns = {}
        for name in self.raw.columns:
            raw = self.raw[name]
            if name in self.valid_number:
                columns[name] = as_numbers(raw, self.valid_number[name])
            else:
                columns[name] = raw.where(raw != "")
        return pd.DataFrame(columns, index=self.raw.index)

    def distinct(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """Each row's position among the column's distinct texts, and those texts: a rule
        about the text alone then looks at each spelling once (a million results have a
        few thousand indicator ids and a few hundred periods)."""
        found = self._distinct.get(column)
        if found is None:
            found = self._distinct[column] = pd.factorize(self.raw[column])
        return found

    @cached_property
    def _distinct(self) -> dict[str, tuple[np.ndarray, pd.Index]]:
        return {}

    def empty(self, column: str) -> pd.Series:
        return self.raw[column] == ""

    @cached_property
    def distinct_periods(self) -> tuple[np.ndarray, list[Optional[Period]]]:
        """Each row's index into the distinct spellings of its period, and those parsed.
        Each spelling is parsed once: a million rows have a few hundred periods."""
        if self.has("period"):
            codes, spellings = self.distinct("period")
        else:
            codes, spellings = pd.factorize(pd.Series("", index=self.raw.index))
        return codes, [parse_period(text) for text in spellings]

    @cached_property
    def periods(self) -> pd.Series:
        """The period of each row (None when missing or unreadable)."""
        codes, distinct = self.distinct_periods
        return pd.Series(np.array(distinct + [None], dtype=object)[codes], index=self.raw.index, dtype=object)

    @cached_property
    def period_facts(self) -> pd.DataFrame:
        """Of each row's period: frequency (text), months, order (its first_month_index) and
        financial year; missing where the period is missing or unreadable."""
        codes, distinct = self.distinct_periods
        rows = [(p.granularity.frequency, p.granularity.months, p.first_month_index, p.year) if p else
                (None, None, None, None) for p in distinct] + [(None, None, None, None)]
        facts = pd.DataFrame(rows, columns=["frequency", "months", "order", "year"])
        facts = facts.astype({"months": "Int64", "order": "Int64", "year": "Int64"})
        # Column by column: taking rows of a frame with mixed columns is several times slower.
        return pd.DataFrame({name: facts[name].array.take(codes) for name in facts.columns}, index=self.raw.index)

    @cached_property
    def live(self) -> pd.Series:
        """Rows that hold data (not blank)."""
        return ~self.blank


def parse_period(text: str) -> Optional[Period]:
    try:
        return Period.parse(text)
    except PeriodError:
        return None


def table_data(table: ParsedTable) -> TableData:
    """Frames of a parsed table, over the contract columns it has, on the cells as read
    (no second reading of the file)."""
    columns = table.columns()
    index = pd.Index(table.row_numbers, name="row")
    if table.cells is not None and len(table.rows):
        raw = pd.DataFrame({name: pd.Series(table.cells.column(position).to_pandas().array, index=index)
                            for name, position in columns.items()}, index=index)
        blank = pd.Series(table.blank, index=index, dtype=bool)
    else:
        raw = pd.DataFrame({name: pd.Series(dtype="str") for name in columns})
        raw.index.name = "row"
        blank = pd.Series(dtype=bool)
    return TableData(table, raw, blank)


def key_values(data: TableData, key: list[str]) -> pd.Series:
    """The key of each row as one number, the same for rows with the same cells in the key
    (the positions of their texts among each column's distinct texts, combined)."""
    combined = np.zeros(len(data.raw), dtype="int64")
    for name in key:
        codes, distinct = data.distinct(name)
        # Numbered again after each column, so that the number never grows past the rows.
        combined, _ = pd.factorize(combined * len(distinct) + codes)
    return pd.Series(combined, index=data.raw.index)


def as_numbers(text: pd.Series, valid: pd.Series) -> pd.Series:
    """The cells written as numbers the allowed way, as floats; NaN elsewhere.

    Arrow reads the digits (correctly rounded, as Python's float does); the cells have
    already been checked against the number syntax, so any it cannot read would be a
    surprise, and pandas reads the column instead."""
    cells = pa.array(text.array)
    try:
        numbers = pc.cast(pc.if_else(pa.array(valid.to_numpy()), cells, pa.scalar(None, cells.type)), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(text.where(valid), errors="coerce").astype("float64")
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def decimal_places(text: pd.Series) -> pd.Series:
    """How many digits each number is written with after its decimal point (0 without one).
    Only meaningful for cells written in the number syntax (all ASCII)."""
    cells = pa.array(text.array)
    point = pc.find_substring(cells, ".").to_numpy(zero_copy_only=False)
    exponent = pc.find_substring_regex(cells, "[eE]").to_numpy(zero_copy_only=False)
    end = np.where(exponent >= 0, exponent, pc.binary_length(cells).to_numpy(zero_copy_only=False))
    return pd.Series(np.where(point >= 0, end - point - 1, 0), index=text.index, dtype="float64")

