"""Other ways to see the indicators than by theme: exceptions only, by set, by partner.

Pure functions of the current partnership report, giving plain data for templates:
each view is a titled list of scorecard lines, with an address from the URL
registry. Their addresses follow the data (a set's or a partner's name); once a
release has published one, later builds must keep it (perfsite/addresses.py). So a set
or partner whose indicators have all been retired keeps its page, which lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from collections.abc import Sequence

from .assess import IndicatorRecord, PartnershipReport, ScorecardLine
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
    # the set's or partner's indicators retired before the report: their pages stay, and so does this one
    retired: tuple[IndicatorRecord, ...] = ()

    @property
    def path(self) -> str:
        if self.kind == "exceptions":
            return path_for("exceptions")
        return path_for(f"indicators_by_{self.kind}", key=self.key)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-") or "other"


def indicator_views(report: Optional[PartnershipReport], language: Language = ENGLISH,
                    retired: Sequence[IndicatorRecord] = ()) -> tuple[IndicatorView, ...]:
    """Exceptions only, then one view per indicator set, then one per partner (data source).

    ``retired``: the indicators retired before the report (AssessedSite.retired_records),
    which its lines leave out; a set or partner that has only those still has its view.
    """
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
        retired_groups: dict[str, list[IndicatorRecord]] = {}
        names: dict[str, str] = {}  # each view's key: the name it shows
        unnamed = N_("Other") if kind == "set" else N_("Not stated")
        for line in lines:
            groups.setdefault(_view_key(line.record.indicator, attribute, unnamed, names, _), []).append(line)
        for record in retired:
            retired_groups.setdefault(_view_key(record.indicator, attribute, unnamed, names, _), []).append(record)
        for key in sorted(groups.keys() | retired_groups.keys(), key=lambda k: names[k].lower()):
            name = names[key]
            if kind == "set":
                title = _("%(set)s indicators", set=name)
                description = _("Every indicator of the %(set)s set, %(period)s.", set=name, period=period)
            else:
                title = _("Indicators from %(partner)s", partner=name)
                description = _("Every indicator whose figures %(partner)s provides, %(period)s.",
                                partner=name, period=period)
            views.append(IndicatorView(kind, key, name, title, description, tuple(groups.get(key, ())),
                                       tuple(retired_groups.get(key, ()))))
    return tuple(views)


def _view_key(indicator, attribute: str, unnamed: str, names: dict[str, str], gettext) -> str:
    """The address key of the indicator's set or partner (``attribute``), its name noted in ``names``."""
    named = getattr(indicator, attribute)
    key = slug(named or unnamed)  # the address follows the English, so that it is the same in every language
    names.setdefault(key, named or gettext(unnamed))
    return key
