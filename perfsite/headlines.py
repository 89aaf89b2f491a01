"""Plain-English headlines from the figures: "Recycling rose to 38.2%, better than its 36% target."

Pure functions of an assessed result (or a theme's counts), consistent with the rules
by construction: whether a figure is "better than", "close to" or "worse than" its
target is the status the rules computed, never a comparison made again here; "rose"
or "fell" compares the figure with the one the direction of travel was judged
against.
"""

from __future__ import annotations

from typing import Optional

from babel.lists import format_list

from .assess import AssessedResult, StatusCounts
from .formatting import ENGLISH_FORMATS, Formats
from .i18n import N_
from .model import Indicator
from .periods import Period
from .rules import Status

# What the status says about the figure against its target (whole clauses, so that a
# translation can put the words in its own order).
AGAINST_TARGET = {
    Status.GREEN: N_(", better than its %(target)s target"),
    Status.AMBER: N_(", close to its %(target)s target"),
    Status.RED: N_(", worse than its %(target)s target"),
}


def indicator_headline(indicator: Indicator, result: Optional[AssessedResult],
                       formats: Formats = ENGLISH_FORMATS) -> str:
    """One sentence on the latest result: the movement, then the target."""
    _ = formats.language.gettext
    name = indicator.title
    if result is None or result.value is None:
        if result is None:
            return _("%(indicator)s: no figure yet.", indicator=name)
        return _("%(indicator)s: no figure yet for %(period)s.", indicator=name, period=result.period.label)

    def show(value) -> str:
        return formats.figure(value, indicator.unit, indicator.decimals)

    shown, period = show(result.value), result.period.label
    if result.compared_value is None or result.compared_with is None:
        movement = _("was %(figure)s in %(period)s", figure=shown, period=period)
    else:
        before = dict(before=show(result.compared_value), before_period=result.compared_with.label,
                      figure=shown, period=period)
        if result.value > result.compared_value:
            movement = _("rose from %(before)s in %(before_period)s to %(figure)s in %(period)s", **before)
        elif result.value < result.compared_value:
            movement = _("fell from %(before)s in %(before_period)s to %(figure)s in %(period)s", **before)
        else:
            movement = _("stayed at %(figure)s in %(period)s, as in %(before_period)s", **before)
    sentence = _("%(indicator)s %(movement)s", indicator=name, movement=movement)
    if result.target is not None and result.status in AGAINST_TARGET:
        target = show(result.target.target)
        if result.status is Status.GREEN and result.value == result.target.target:
            sentence += _(", meeting its %(target)s target", target=target)
        else:
            sentence += _(AGAINST_TARGET[result.status], target=target)
    elif result.status is Status.NO_TARGET:
        sentence += _("; no target is set")
    return _("%(sentence)s.", sentence=sentence)


def theme_headline(theme_name: str, counts: StatusCounts, period: Period,
                   formats: Formats = ENGLISH_FORMATS) -> str:
    """How a theme's indicators stand against their targets, in one sentence."""
    language = formats.language
    if counts.rated == 0:
        return language.gettext("%(theme)s: no indicator has a target to be rated against in %(period)s.",
                                theme=theme_name, period=period.label)
    parts = [language.ngettext("%(num)s better than or meeting its target",
                               "%(num)s better than or meeting their target", counts.green) if counts.green else "",
             language.ngettext("%(num)s close to target", "%(num)s close to target", counts.amber)
             if counts.amber else "",
             language.ngettext("%(num)s worse than target", "%(num)s worse than target", counts.red)
             if counts.red else ""]
    listed = format_list([part for part in parts if part], locale=formats.locale)
    return language.ngettext("%(theme)s, %(period)s: of %(num)s indicator with a target, %(standing)s.",
                             "%(theme)s, %(period)s: of %(num)s indicators with a target, %(standing)s.",
                             counts.rated, theme=theme_name, period=period.label, standing=listed)
