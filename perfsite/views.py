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
from .i18n import ENGLISH, N_, Language
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


def indicator_views(report: Optional[PartnershipReport], language: Language = ENGLISH) -> tuple[IndicatorView, ...]:
    """Exceptions only, then one view per indicator set, then one per partner (data source)."""
    if report is None:
        return ()
    _ = language.gettext
    period = report.period.label
    lines = report.lines
    views = [IndicatorView(
        "exceptions", "", _("Exceptions only"), _("Exceptions, %(period)s", period=period),
        _("Indicators well off target (under-performance) or well ahead of it (over-performance) in "
          "%(period)s, across all themes.", period=period),
        tuple(line for line in lines if line.exception is not None))]
    for kind, attribute in (("set", "set"), ("partner", "source")):
        groups: dict[str, list[ScorecardLine]] = {}
        names: dict[str, str] = {}
        unnamed = N_("Other") if kind == "set" else N_("Not stated")
        for line in lines:
            named = getattr(line.record.indicator, attribute)
            # the address follows the English, so that it is the same in every language
            key = slug(named or unnamed)
            names.setdefault(key, named or _(unnamed))
            groups.setdefault(key, []).append(line)
        for key in sorted(groups, key=lambda k: names[k].lower()):
            name = names[key]
            if kind == "set":
                title = _("%(set)s indicators", set=name)
                description = _("Every indicator of the %(set)s set, %(period)s.", set=name, period=period)
            else:
                title = _("Indicators from %(partner)s", partner=name)
                description = _("Every indicator whose figures %(partner)s provides, %(period)s.",
                                partner=name, period=period)
            views.append(IndicatorView(kind, key, name, title, description, tuple(groups[key])))
    return tuple(views)
