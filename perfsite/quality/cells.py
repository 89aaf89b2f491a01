"""Plain-English findings for cell and row problems of the Table Schema.

Both validation paths (Frictionless row by row, and the vectorised fast path)
describe a problem with the functions here, so the same defect reads the same
whichever path found it.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ..findings import Finding
from ..i18n import N_, Message
from ..periods import Period, PeriodError
from ..tables import NUMBER_SYNTAX


def required_finding(path: str, row: int, column: str, column_number: Optional[int], resource: str) -> Finding:
    if (resource, column) == ("indicators", "theme_id"):
        return Finding("relevant.indicator-theme", path,
                       Message.of(N_("The indicator has no theme in column “theme_id”, so it would appear in no "
                                     "scorecard.")),
                       row=row, column=column, column_number=column_number)
    return Finding("valid.required", path,
                   Message.of(N_("The column “%(column)s” is empty, but it must be filled in."), column=column),
                   row=row, column=column, column_number=column_number)


def number_finding(path: str, row: int, column: str, column_number: Optional[int], text: str,
                   field_type: str) -> Finding:
    message = (Message.of(N_("“%(value)s” in column “%(column)s” is not a whole number."), value=text, column=column)
               if field_type == "integer" else
               Message.of(N_("“%(value)s” in column “%(column)s” is not a number."), value=text, column=column))
    return Finding("valid.number", path, message,
                   row=row, column=column, column_number=column_number, value=text,
                   fix=number_fix(text, field_type))


def number_fix(text: str, field_type: str = "number") -> Message:
    stripped = text.strip()
    if stripped != text:
        return Message.of(N_("Remove the spaces around the number: write “%(number)s”."), number=stripped)
    if "%" in text:
        return Message.of(N_("Remove the %% sign: write “%(number)s”. The unit is set on the indicator."),
                          number=text.replace('%', '').strip())
    if any(sign in text for sign in "£$€"):
        return Message.of(N_("Remove the currency sign: amounts are in pounds, written as plain digits, like 12500."))
    if re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
        return Message.of(N_("Remove the thousands separators: write “%(number)s”."), number=text.replace(',', ''))
    if "_" in text:
        return Message.of(N_("Remove the underscores: write “%(number)s”."), number=text.replace('_', ''))
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity", "n/a", "na", "-", "..", "null", "none"):
        return Message.of(N_("Leave the cell empty when there is no figure, and say why in the note column."))
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        return Message.of(N_("Type the digits again as ordinary digits 0-9 (the cell has digits of another script)."))
    if field_type == "integer" and NUMBER_SYNTAX.fullmatch(text):
        return Message.of(N_("Write a whole number, without a decimal point."))
    return Message.of(N_("Write the number as plain digits with an optional minus sign and decimal point, like "
                         "1234.5."))


def constraint_finding(path: str, row: int, column: str, column_number: Optional[int], text: str,
                       field: dict[str, Any], constraint: str, resource: str) -> Finding:
    constraints = field.get("constraints", {})
    if constraint == "enum":
        allowed = ", ".join(str(v) for v in constraints["enum"])
        lower = text.strip().lower()
        fix = (Message.of(N_("Write “%(value)s” in lower case."), value=lower)
               if lower in [str(v) for v in constraints["enum"]]
               else Message.of(N_("Use one of: %(allowed)s."), allowed=allowed))
        return Finding("valid.enum", path,
                       Message.of(N_("“%(value)s” is not allowed in column “%(column)s”; it must be one of: "
                                     "%(allowed)s."), value=text, column=column, allowed=allowed),
                       row=row, column=column, column_number=column_number, value=text, fix=fix)
    if constraint == "pattern" and (resource, column) == ("indicators", "derivation"):
        return Finding("valid.number", path,
                       Message.of(N_("“%(value)s” in column “%(column)s” is neither a scale (a number, like 100) nor "
                                     "“none”."), value=text, column=column),
                       row=row, column=column, column_number=column_number, value=text,
                       fix=Message.of(N_("Write the scale that numerator ÷ denominator is multiplied by (100 for a "
                                         "percentage, 1000 for a rate per 1,000), or “none” when the value is not "
                                         "derived from them.")))
    if constraint in ("pattern", "maxLength", "minLength") and column in PERIOD_COLUMNS:
        return period_finding(path, row, column, column_number, text)
    if constraint in ("pattern", "maxLength", "minLength") and _is_id_column(column):
        return id_finding(path, row, column, column_number, text, field, resource)
    if constraint in ("minLength", "maxLength"):
        limit = constraints[constraint]
        if constraint == "minLength":
            message = Message.counting("“%(value)s” in column “%(column)s” is too short: it must have at least "
                                       "%(num)s character.",
                                       "“%(value)s” in column “%(column)s” is too short: it must have at least "
                                       "%(num)s characters.", limit, value=text, column=column)
            fix = Message.counting("Write at least %(num)s character.", "Write at least %(num)s characters.", limit)
        else:
            message = Message.counting("“%(value)s” in column “%(column)s” is too long: it must have at most "
                                       "%(num)s character.",
                                       "“%(value)s” in column “%(column)s” is too long: it must have at most "
                                       "%(num)s characters.", limit, value=text, column=column)
            fix = Message.counting("Write at most %(num)s character.", "Write at most %(num)s characters.", limit)
        return Finding("valid.text-format", path, message,
                       row=row, column=column, column_number=column_number, value=text, fix=fix)
    if constraint == "pattern":
        return Finding("valid.text-format", path,
                       Message.of(N_("“%(value)s” in column “%(column)s” is not in the format the column requires."),
                                  value=text, column=column),
                       row=row, column=column, column_number=column_number, value=text,
                       fix=Message.of(N_("Write it in the format of the column's description in %(schema)s."),
                                      schema=f"schemas/{resource}.schema.yaml"))
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is not None and high is not None:
        message = Message.of(N_("“%(value)s” in column “%(column)s” is out of range: it must be from %(low)s to "
                                "%(high)s."), value=text, column=column, low=low, high=high)
        fix = Message.of(N_("Give a number from %(low)s to %(high)s."), low=low, high=high)
    elif low is not None:
        message = Message.of(N_("“%(value)s” in column “%(column)s” is out of range: it must be at least %(low)s."),
                             value=text, column=column, low=low)
        fix = Message.of(N_("Give a number at least %(low)s."), low=low)
    else:
        message = Message.of(N_("“%(value)s” in column “%(column)s” is out of range: it must be at most %(high)s."),
                             value=text, column=column, high=high)
        fix = Message.of(N_("Give a number at most %(high)s."), high=high)
    return Finding("valid.number", path, message,
                   row=row, column=column, column_number=column_number, value=text, fix=fix)


PERIOD_COLUMNS = ("period", "retired")


def _is_id_column(column: str) -> bool:
    """Ids and lists of ids: they become parts of web addresses."""
    return column.endswith("_id") or column == "other_themes"


def period_finding(path: str, row: int, column: str, column_number: Optional[int], text: str) -> Finding:
    try:
        Period.parse(text)
        reason = Message.of(N_("“%(value)s” is not a period."), value=text)
    except PeriodError as problem:
        reason = problem.message
    return Finding("valid.period", path, reason, row=row, column=column, column_number=column_number,
                   value=text, fix=Message.of(N_("Write the period as 2008-09, 2008-09 Q1, 2008-09 H1 or 2008 Apr.")))


def id_finding(path: str, row: int, column: str, column_number: Optional[int], text: str,
               field: dict[str, Any], resource: str) -> Finding:
    stripped = text.strip()
    if stripped != text and re.fullmatch(field["constraints"].get("pattern", ".*"), stripped):
        fix = Message.of(N_("Remove the spaces around it: write “%(value)s”."), value=stripped)
    elif column in ("theme_id", "other_themes"):
        fix = Message.of(N_("Use lower-case letters, digits and hyphens only, like safer-communities."))
    else:
        fix = Message.of(N_("Use letters, digits, hyphens, dots and underscores only, starting with a letter or "
                            "digit, like NI-016."))
    longest = field["constraints"].get("maxLength")
    if longest and len(text) > longest:
        fix = Message.counting("Use at most %(num)s character.", "Use at most %(num)s characters.", longest)
    return Finding("valid.id", path,
                   Message.of(N_("“%(value)s” in column “%(column)s” is not a safe id: ids become parts of web "
                                 "addresses and file names."), value=text, column=column),
                   row=row, column=column, column_number=column_number, value=text, fix=fix)


def shape_finding(path: str, row: int, cells: int, expected: int) -> Finding:
    # TRANSLATORS: %(columns)s is "N columns", a message of its own.
    message = Message.counting(
        "The row has %(num)s cell but the header has %(columns)s, so its cells do not line up.",
        "The row has %(num)s cells but the header has %(columns)s, so its cells do not line up.", cells,
        columns=Message.counting("%(num)s column", "%(num)s columns", expected))
    if cells > expected:
        fix = Message.of(N_("A cell probably contains a comma: put that whole cell in double quotes (\"like, this\"), "
                            "or remove the extra cells."))
    else:
        fix = Message.of(N_("Add the missing cells: an empty cell still needs its comma."))
    return Finding("valid.row-shape", path, message, row=row, fix=fix)


def blank_row_finding(path: str, row: int) -> Finding:
    return Finding("valid.blank-row", path, Message.of(N_("The row is blank, between rows of data.")), row=row)


def duplicate_finding(path: str, row: int, key: list[str], values: list[str], first_row: Optional[int]) -> Finding:
    # the key's columns and values: names and data, not words of the catalogue
    described = ", ".join(f"{name} “{value}”" for name, value in zip(key, values))
    message = (Message.of(N_("The row has the same %(key)s as row %(row)s."), key=described, row=first_row)
               if first_row else Message.of(N_("The row has the same %(key)s as an earlier row."), key=described))
    return Finding("accurate.unique-key", path, message,
                   row=row, column=key[-1], value=" / ".join(values),
                   fix=Message.of(N_("Remove one of the two rows, or correct the id or period.")))


def reference_finding(path: str, row: int, column: str, column_number: Optional[int], value: str,
                      target_resource: str, resource: str) -> Finding:
    rule_id = "relevant.indicator-theme" if (resource, column) == ("indicators", "theme_id") else "accurate.reference"
    table = f"{target_resource}.csv"
    if target_resource == "themes":
        message = Message.of(N_("“%(value)s” in column “%(column)s” is not the id of any theme in %(table)s."),
                             value=value, column=column, table=table)
        fix = Message.of(N_("Correct the id so it matches one in %(table)s exactly (ids are case-sensitive), or add "
                            "the theme there."), table=table)
    else:
        message = Message.of(N_("“%(value)s” in column “%(column)s” is not the id of any indicator in %(table)s."),
                             value=value, column=column, table=table)
        fix = Message.of(N_("Correct the id so it matches one in %(table)s exactly (ids are case-sensitive), or add "
                            "the indicator there."), table=table)
    return Finding(rule_id, path, message,
                   row=row, column=column, column_number=column_number, value=value, fix=fix)
