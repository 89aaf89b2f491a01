"""Other ways to see the indicators than by theme: exceptions only, by set, by partner.

Pure functions of the current partnership report, giving plain data for templates:
each view is a titled list of scorecard lines, with an address from the URL
registry. Their addresses follow the data (a set's or a partner's name); once a
release has published one, later builds must keep it (perfsite/addresses.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .assess import PartnershipReport, ScorecardLine
from .urls import path_for


@dataclass(frozen=True)
class IndicatorView:
    kind: str  # "exceptions", "set" or "partner"
    key: str  # the address key ("" for exceptions)
    name: str  # the set's or partner's name, as a link label
    title: str
    description: str
    lines: tuple[ScorecardLine, ...]

    @property
    def path(self) -> str:
        if self.kind == "exceptions":
            return path_for("exceptions")
        return path_for(f"indicators_by_{self.kind}", key=self.key)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-") or "other"


def indicator_views(report: Optional[PartnershipReport]) -> tuple[IndicatorView, ...]:
    """Exceptions only, then one view per indicator set, then one per partner (data source)."""
    if report is None:
        return ()
    lines = report.lines
    views = [IndicatorView(
        "exceptions", "", "Exceptions only", f"Exceptions, {report.period.label}",
        f"Indicators well off target (under-performance) or well ahead of it (over-performance) in "
        f"{report.period.label}, across all themes.",
        tuple(line for line in lines if line.exception is not None))]
    for kind, attribute, noun in (("set", "set", "set"), ("partner", "source", "partner")):
        groups: dict[str, list[ScorecardLine]] = {}
        names: dict[str, str] = {}
        for line in lines:
            name = getattr(line.record.indicator, attribute) or ("Other" if kind == "set" else "Not stated")
            names.setdefault(slug(name), name)
            groups.setdefault(slug(name), []).append(line)
        for key in sorted(groups, key=lambda k: names[k].lower()):
            name = names[key]
            title = f"{name} indicators" if kind == "set" else f"Indicators from {name}"
            views.append(IndicatorView(kind, key, name, title,
                                       f"Every indicator of the {name} {noun}, {report.period.label}." if kind == "set"
                                       else f"Every indicator whose figures {name} provides, {report.period.label}.",
                                       tuple(groups[key])))
    return tuple(views)
