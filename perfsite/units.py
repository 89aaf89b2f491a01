"""What an indicator's unit means for checking and showing its values."""

from __future__ import annotations

import re
from typing import Optional

PERCENT_UNITS = ("%", "percent", "per cent", "percentage")
CURRENCY_UNITS = ("£", "gbp", "pounds")
COUNT_UNITS = ("number", "count", "")  # shown as the bare number
_PER_N = re.compile(r"per\s+([0-9][0-9,]*)\b", re.IGNORECASE)


def is_percentage(unit: str) -> bool:
    return unit.strip().lower() in PERCENT_UNITS


def is_currency(unit: str) -> bool:
    return unit.strip().lower() in CURRENCY_UNITS


def is_count(unit: str) -> bool:
    return unit.strip().lower() in COUNT_UNITS


def ratio_scale(unit: str) -> Optional[int]:
    """What numerator ÷ denominator is multiplied by to give a value in this unit.

    100 for a percentage, 1,000 for "per 1,000 population"; None when the unit is
    not a ratio (a count, a number of days), so the two cannot be checked.
    """
    if is_percentage(unit):
        return 100
    match = _PER_N.search(unit)
    if match:
        return int(match.group(1).replace(",", ""))
    if unit.strip().lower() in ("ratio", "proportion", "rate"):
        return 1
    return None
