"""The Table Schema constraints perfsite checks: one table, used by both validation paths.

Frictionless checks the constraints itself on files of normal size; the fast path
checks them here on whole columns. Both turn a broken cell into a finding through
this table: Frictionless' ``constraint-error`` says that a cell breaks some
constraint, and the first constraint of the field that the table finds broken (in
``ORDER``) is the one reported, so one defect reads the same on either path. A
schema that uses a constraint outside the table is refused before anything is
checked (``unsupported_constraints``), never silently skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

TEXT = frozenset({"string"})
NUMBERS = frozenset({"number", "integer"})


@dataclass(frozen=True)
class Constraint:
    """One supported constraint: the field types it applies to and its vectorised check.

    ``broken(text, numbers, limit)`` gets a field's filled cells as written and, for a
    numeric field, as numbers (only the cells that are valid numbers), and returns
    True where the cell breaks the constraint.
    """

    name: str
    types: frozenset[str]
    broken: Callable[[pd.Series, pd.Series, Any], pd.Series]


def _pattern(text: pd.Series, numbers: pd.Series, pattern: str) -> pd.Series:
    return ~text.str.fullmatch(pattern).fillna(False).astype(bool)


def _enum(text: pd.Series, numbers: pd.Series, allowed: list) -> pd.Series:
    if numbers is not None:
        return ~numbers.isin([float(value) for value in allowed])
    return ~text.isin([str(value) for value in allowed])


SUPPORTED: dict[str, Constraint] = {
    c.name: c for c in (
        # ``required`` and ``unique`` are about the column, not one cell's value: the
        # paths check them on their own (an empty cell; a repeated value).
        Constraint("required", TEXT | NUMBERS, lambda text, numbers, on: pd.Series(False, index=text.index)),
        Constraint("unique", TEXT | NUMBERS, lambda text, numbers, on: pd.Series(False, index=text.index)),
        Constraint("enum", TEXT | NUMBERS, _enum),
        Constraint("pattern", TEXT, _pattern),
        Constraint("minLength", TEXT, lambda text, numbers, limit: text.str.len() < limit),
        Constraint("maxLength", TEXT, lambda text, numbers, limit: text.str.len() > limit),
        Constraint("minimum", NUMBERS, lambda text, numbers, limit: numbers < limit),
        Constraint("maximum", NUMBERS, lambda text, numbers, limit: numbers > limit),
    )
}
# The order in which a cell's constraints are tried; the first broken one is reported.
ORDER = ("enum", "pattern", "minLength", "maxLength", "minimum", "maximum")

# Every constraint of the Table Schema standard, and why perfsite refuses the ones it does not check.
TABLE_SCHEMA_CONSTRAINTS = ("required", "unique", "minLength", "maxLength", "minimum", "maximum",
                            "exclusiveMinimum", "exclusiveMaximum", "pattern", "enum")
REFUSED = {
    "exclusiveMinimum": "Frictionless checks it only in Data Package v2 schemas, so the two validation paths "
                        "could not agree; use minimum",
    "exclusiveMaximum": "Frictionless checks it only in Data Package v2 schemas, so the two validation paths "
                        "could not agree; use maximum",
}


class UnsupportedSchema(ValueError):
    """A contract schema uses a constraint that perfsite does not check the same way on both paths."""


def unsupported_constraints(resource: str, schema: dict[str, Any]) -> list[str]:
    """Sentences naming every constraint of a schema that the table cannot check."""
    problems = []
    for field in schema.get("fields", []):
        for name in field.get("constraints", {}):
            constraint = SUPPORTED.get(name)
            where = f"schemas/{resource}.schema.yaml, field “{field['name']}”"
            if constraint is None:
                reason = REFUSED.get(name, "it is not a constraint perfsite knows")
                problems.append(f"{where}: the constraint “{name}” cannot be used: {reason}.")
            elif field.get("type", "string") not in constraint.types:
                problems.append(f"{where}: the constraint “{name}” cannot be used on a field of type "
                                f"“{field.get('type', 'string')}”.")
    return problems


def check_supported(resource: str, schema: dict[str, Any]) -> None:
    problems = unsupported_constraints(resource, schema)
    if problems:
        raise UnsupportedSchema(" ".join(problems) + " Remove the constraint from the schema, or add a check for it "
                                "to perfsite/quality/constraints.py.")


def broken_cells(field: dict[str, Any], text: pd.Series, numbers: pd.Series | None) -> list[tuple[str, pd.Series]]:
    """Each constraint of a field with the cells that break it first, in ``ORDER``.

    ``text`` holds the field's filled cells; ``numbers`` the same cells as numbers for a
    numeric field (cells that are not valid numbers left out), else None.
    """
    constraints = field.get("constraints", {})
    values = text if numbers is None else text.reindex(numbers.index)
    taken = pd.Series(False, index=values.index)
    found = []
    for name in ORDER:
        if name not in constraints:
            continue
        broken = SUPPORTED[name].broken(values, numbers, constraints[name]).fillna(False).astype(bool) & ~taken
        found.append((name, broken))
        taken |= broken
    return found


def first_broken(field: dict[str, Any], text: str, number: float | None) -> str | None:
    """The constraint a single cell breaks first (what a Frictionless constraint error is reported as)."""
    index = pd.Index([0])
    numbers = None if number is None else pd.Series([number], index=index, dtype="float64")
    for name, broken in broken_cells(field, pd.Series([text], index=index, dtype=object), numbers):
        if broken.iloc[0]:
            return name
    return None
