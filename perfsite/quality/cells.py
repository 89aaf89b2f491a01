"""Plain-English findings for cell and row problems of the Table Schema.

Both validation paths (Frictionless row by row, and the vectorised fast path)
describe a problem with the functions here, so the same defect reads the same
whichever path found it.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ..findings import Finding
from ..periods import Period, PeriodError
from ..tables import NUMBER_SYNTAX


def _where(column: str) -> str:
    return f"column “{column}”"


def required_finding(path: str, row: int, column: str, column_number: Optional[int], resource: str) -> Finding:
    if (resource, column) == ("indicators", "theme_id"):
        return Finding("relevant.indicator-theme", path,
                       "The indicator has no theme in column “theme_id”, so it would appear in no scorecard.",
                       row=row, column=column, column_number=column_number)
    return Finding("valid.required", path, f"The {_where(column)} is empty, but it must be filled in.",
                   row=row, column=column, column_number=column_number)


def number_finding(path: str, row: int, column: str, column_number: Optional[int], text: str,
                   field_type: str) -> Finding:
    kind = "a whole number" if field_type == "integer" else "a number"
    return Finding("valid.number", path, f"“{text}” in {_where(column)} is not {kind}.",
                   row=row, column=column, column_number=column_number, value=text,
                   fix=number_fix(text, field_type))


def number_fix(text: str, field_type: str = "number") -> str:
    stripped = text.strip()
    if stripped != text:
        return f"Remove the spaces around the number: write “{stripped}”."
    if "%" in text:
        return f"Remove the % sign: write “{text.replace('%', '').strip()}”. The unit is set on the indicator."
    if any(sign in text for sign in "£$€"):
        return "Remove the currency sign: amounts are in pounds, written as plain digits, like 12500."
    if re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
        return f"Remove the thousands separators: write “{text.replace(',', '')}”."
    if "_" in text:
        return f"Remove the underscores: write “{text.replace('_', '')}”."
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity", "n/a", "na", "-", "..", "null", "none"):
        return "Leave the cell empty when there is no figure, and say why in the note column."
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        return "Type the digits again as ordinary digits 0-9 (the cell has digits of another script)."
    if field_type == "integer" and NUMBER_SYNTAX.fullmatch(text):
        return "Write a whole number, without a decimal point."
    return "Write the number as plain digits with an optional minus sign and decimal point, like 1234.5."


def constraint_finding(path: str, row: int, column: str, column_number: Optional[int], text: str,
                       field: dict[str, Any], constraint: str, resource: str) -> Finding:
    constraints = field.get("constraints", {})
    where = _where(column)
    if constraint == "enum":
        allowed = ", ".join(str(v) for v in constraints["enum"])
        lower = text.strip().lower()
        fix = (f"Write “{lower}” in lower case." if lower in [str(v) for v in constraints["enum"]]
               else f"Use one of: {allowed}.")
        return Finding("valid.enum", path, f"“{text}” is not allowed in {where}; it must be one of: {allowed}.",
                       row=row, column=column, column_number=column_number, value=text, fix=fix)
    if constraint == "pattern" and (resource, column) == ("indicators", "derivation"):
        return Finding("valid.number", path,
                       f"“{text}” in {where} is neither a scale (a number, like 100) nor “none”.",
                       row=row, column=column, column_number=column_number, value=text,
                       fix="Write the scale that numerator ÷ denominator is multiplied by (100 for a percentage, "
                           "1000 for a rate per 1,000), or “none” when the value is not derived from them.")
    if constraint in ("pattern", "maxLength", "minLength") and column in PERIOD_COLUMNS:
        return period_finding(path, row, column, column_number, text)
    if constraint in ("pattern", "maxLength", "minLength") and _is_id_column(column):
        return id_finding(path, row, column, column_number, text, field, resource)
    if constraint in ("minLength", "maxLength"):
        limit = constraints[constraint]
        size = "short" if constraint == "minLength" else "long"
        bound = "at least" if constraint == "minLength" else "at most"
        return Finding("valid.text-format", path,
                       f"“{text}” in {where} is too {size}: it must have {bound} {limit} characters.",
                       row=row, column=column, column_number=column_number, value=text,
                       fix=f"Write {bound} {limit} characters.")
    if constraint == "pattern":
        return Finding("valid.text-format", path, f"“{text}” in {where} is not in the format the column requires.",
                       row=row, column=column, column_number=column_number, value=text,
                       fix=f"Write it in the format of the column's description in schemas/{resource}.schema.yaml.")
    low, high = constraints.get("minimum"), constraints.get("maximum")
    span = (f"from {low} to {high}" if low is not None and high is not None
            else f"at least {low}" if low is not None else f"at most {high}")
    return Finding("valid.number", path, f"“{text}” in {where} is out of range: it must be {span}.",
                   row=row, column=column, column_number=column_number, value=text,
                   fix=f"Give a number {span}.")


PERIOD_COLUMNS = ("period", "retired")


def _is_id_column(column: str) -> bool:
    """Ids and lists of ids: they become parts of web addresses."""
    return column.endswith("_id") or column == "other_themes"


def period_finding(path: str, row: int, column: str, column_number: Optional[int], text: str) -> Finding:
    try:
        Period.parse(text)
        reason = f"“{text}” is not a period."
    except PeriodError as problem:
        reason = str(problem)
    return Finding("valid.period", path, reason, row=row, column=column, column_number=column_number,
                   value=text, fix="Write the period as 2008-09, 2008-09 Q1, 2008-09 H1 or 2008 Apr.")


def id_finding(path: str, row: int, column: str, column_number: Optional[int], text: str,
               field: dict[str, Any], resource: str) -> Finding:
    stripped = text.strip()
    if stripped != text and re.fullmatch(field["constraints"].get("pattern", ".*"), stripped):
        fix = f"Remove the spaces around it: write “{stripped}”."
    elif column in ("theme_id", "other_themes"):
        fix = "Use lower-case letters, digits and hyphens only, like safer-communities."
    else:
        fix = "Use letters, digits, hyphens, dots and underscores only, starting with a letter or digit, like NI-016."
    longest = field["constraints"].get("maxLength")
    if longest and len(text) > longest:
        fix = f"Use at most {longest} characters."
    return Finding("valid.id", path,
                   f"“{text}” in {_where(column)} is not a safe id: ids become parts of web addresses and file names.",
                   row=row, column=column, column_number=column_number, value=text, fix=fix)


def shape_finding(path: str, row: int, cells: int, expected: int) -> Finding:
    message = f"The row has {cells} cells but the header has {expected} columns, so its cells do not line up."
    if cells > expected:
        fix = ("A cell probably contains a comma: put that whole cell in double quotes (\"like, this\"), "
               "or remove the extra cells.")
    else:
        fix = "Add the missing cells: an empty cell still needs its comma."
    return Finding("valid.row-shape", path, message, row=row, fix=fix)


def blank_row_finding(path: str, row: int) -> Finding:
    return Finding("valid.blank-row", path, "The row is blank, between rows of data.", row=row)


def duplicate_finding(path: str, row: int, key: list[str], values: list[str], first_row: Optional[int]) -> Finding:
    described = ", ".join(f"{name} “{value}”" for name, value in zip(key, values))
    earlier = f" as row {first_row}" if first_row else " as an earlier row"
    return Finding("accurate.unique-key", path, f"The row has the same {described}{earlier}.",
                   row=row, column=key[-1], value=" / ".join(values),
                   fix="Remove one of the two rows, or correct the id or period.")


def reference_finding(path: str, row: int, column: str, column_number: Optional[int], value: str,
                      target_resource: str, resource: str) -> Finding:
    rule_id = "relevant.indicator-theme" if (resource, column) == ("indicators", "theme_id") else "accurate.reference"
    noun = "theme" if target_resource == "themes" else "indicator"
    return Finding(rule_id, path,
                   f"“{value}” in {_where(column)} is not the id of any {noun} in {target_resource}.csv.",
                   row=row, column=column, column_number=column_number, value=value,
                   fix=f"Correct the id so it matches one in {target_resource}.csv exactly (ids are case-sensitive), "
                       f"or add the {noun} there.")
