"""Data files as pandas frames: the text as written, and the same values typed.

Both frames are indexed by spreadsheet row number, so a finding's row is just the
index of the row it is about. Typing follows the contract's Table Schema: numbers
become floats (NaN when empty or not a number), everything else stays text (None
when empty). Exact decimal arithmetic for the published rules happens later, in
the model, from the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Optional

import numpy as np
import pandas as pd

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
        """Numbers as floats (NaN if empty or not a number), text as text (None if empty)."""
        columns = {}
        for name in self.raw.columns:
            raw = self.raw[name]
            if name in self.valid_number:
                numbers = pd.to_numeric(raw.where(self.valid_number[name]), errors="coerce")
                columns[name] = numbers.astype("float64")
            else:
                columns[name] = raw.astype(object).where(raw != "", None)
        return pd.DataFrame(columns, index=self.raw.index)

    def empty(self, column: str) -> pd.Series:
        return self.raw[column] == ""

    @cached_property
    def _distinct_periods(self) -> tuple[np.ndarray, list[Optional[Period]]]:
        """Each row's index into the distinct spellings of its period, and those parsed.
        Each spelling is parsed once: a million rows have a few hundred periods."""
        column = self.raw["period"] if self.has("period") else pd.Series("", index=self.raw.index)
        codes, spellings = pd.factorize(column)
        return codes, [parse_period(text) for text in spellings]

    @cached_property
    def periods(self) -> pd.Series:
        """The period of each row (None when missing or unreadable)."""
        codes, distinct = self._distinct_periods
        return pd.Series(np.array(distinct + [None], dtype=object)[codes], index=self.raw.index, dtype=object)

    @cached_property
    def period_facts(self) -> pd.DataFrame:
        """Of each row's period: frequency (text), months, order (its first_month_index) and
        financial year; missing where the period is missing or unreadable."""
        codes, distinct = self._distinct_periods
        rows = [(p.granularity.frequency, p.granularity.months, p.first_month_index, p.year) if p else
                (None, None, None, None) for p in distinct] + [(None, None, None, None)]
        facts = pd.DataFrame(rows, columns=["frequency", "months", "order", "year"])
        facts = facts.astype({"months": "Int64", "order": "Int64", "year": "Int64"})
        return facts.iloc[codes].set_axis(self.raw.index)

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
    """The key of each row as one text (cells joined with a separator that ids cannot contain)."""
    first, *others = key
    return data.raw[first].str.cat([data.raw[name] for name in others], sep="\x1f") if others else data.raw[first]

