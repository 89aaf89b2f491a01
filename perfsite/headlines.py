"""Plain-English headlines from the figures: "Recycling rose to 38.2%, better than its 36% target."

Pure functions of an assessed result (or a theme's counts), consistent with the rules
by construction: whether a figure is "better than", "close to" or "worse than" its
target is the status the rules computed, never a comparison made again here; "rose"
or "fell" compares the figure with the one the direction of travel was judged
against.
"""

from __future__ import annotations

from typing import Optional

from .assess import AssessedResult, StatusCounts
from .formatting import figure
from .model import Indicator
from .periods import Period
from .rules import Status

# What the status says about the figure against its target.
AGAINST_TARGET = {
    Status.GREEN: "better than",
    Status.AMBER: "close to",
    Status.RED: "worse than",
}


def indicator_headline(indicator: Indicator, result: Optional[AssessedResult]) -> str:
    """One sentence on the latest result: the movement, then the target."""
    name = indicator.title
    if result is None or result.value is None:
        period = f" for {result.period.label}" if result is not None else ""
        return f"{name}: no figure yet{period}."
    shown = figure(result.value, indicator.unit, indicator.decimals)
    if result.compared_value is None or result.compared_with is None:
        movement = f"was {shown} in {result.period.label}"
    else:
        before = f"{figure(result.compared_value, indicator.unit, indicator.decimals)} in {result.compared_with.label}"
        if result.value > result.compared_value:
            movement = f"rose from {before} to {shown} in {result.period.label}"
        elif result.value < result.compared_value:
            movement = f"fell from {before} to {shown} in {result.period.label}"
        else:
            movement = f"stayed at {shown} in {result.period.label}, as in {result.compared_with.label}"
    sentence = f"{name} {movement}"
    if result.target is not None and result.status in AGAINST_TARGET:
        target = figure(result.target.target, indicator.unit, indicator.decimals)
        if result.status is Status.GREEN and result.value == result.target.target:
            sentence += f", meeting its {target} target"
        else:
            sentence += f", {AGAINST_TARGET[result.status]} its {target} target"
    elif result.status is Status.NO_TARGET:
        sentence += "; no target is set"
    return sentence + "."


def theme_headline(theme_name: str, counts: StatusCounts, period: Period) -> str:
    """How a theme's indicators stand against their targets, in one sentence."""
    if counts.rated == 0:
        return f"{theme_name}: no indicator has a target to be rated against in {period.label}."
    parts = [f"{counts.green} better than or meeting {'its' if counts.green == 1 else 'their'} target"
             if counts.green else "",
             f"{counts.amber} close to target" if counts.amber else "",
             f"{counts.red} worse than target" if counts.red else ""]
    listed = [part for part in parts if part]
    joined = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    indicators = "indicator" if counts.rated == 1 else "indicators"
    return f"{theme_name}, {period.label}: of {counts.rated} {indicators} with a target, {joined}."
