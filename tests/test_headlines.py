"""Plain-English headlines, consistent with the rules (perfsite/headlines.py)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from perfsite.assess import AssessedResult, StatusCounts
from perfsite.headlines import indicator_headline, theme_headline
from perfsite.model import Indicator
from perfsite.periods import Period
from perfsite.rules import AppliedTarget, Direction, Polarity, Status, status

P = Period.parse
RECYCLING = Indicator("NI-192", "Household waste recycled", "better-places", Polarity.HIGHER, "%", "quarterly",
                      decimals=1)


def result(value, target=None, before=None, polarity=Polarity.HIGHER, tolerance=D("0.05")):
    applied = AppliedTarget(P("2010-11"), D(target)) if target is not None else None
    value = D(value) if value is not None else None
    return AssessedResult("NI-192", P("2010-11 Q4"), value, status(value, applied, polarity, tolerance),
                          Direction.NOT_COMPARABLE, target=applied,
                          compared_with=P("2009-10 Q4") if before is not None else None,
                          compared_value=D(before) if before is not None else None)


def test_the_example_of_the_issue_reads_as_a_resident_would_say_it():
    assert indicator_headline(RECYCLING, result("38.2", "36", before="35.1")) == (
        "Household waste recycled rose from 35.1% in 2009-10 Q4 to 38.2% in 2010-11 Q4, "
        "better than its 36.0% target.")
    assert indicator_headline(RECYCLING, result("36", "36")) == (
        "Household waste recycled was 36.0% in 2010-11 Q4, meeting its 36.0% target.")
    assert indicator_headline(RECYCLING, result("30", None, before="30")) == (
        "Household waste recycled stayed at 30.0% in 2010-11 Q4, as in 2009-10 Q4; no target is set.")
    assert indicator_headline(RECYCLING, result(None, "36")) == "Household waste recycled: no figure yet for 2010-11 Q4."


@given(st.decimals(-1000, 1000, places=1), st.decimals(-1000, 1000, places=1), st.decimals(-1000, 1000, places=1),
       st.sampled_from([Polarity.HIGHER, Polarity.LOWER]))
def test_the_words_agree_with_the_rules(value, target, before, polarity):
    indicator = Indicator("X-1", "The figure", "t", polarity, "number", "annual", decimals=1)
    line = indicator_headline(indicator, result(value, target, before, polarity))
    rated = status(value, AppliedTarget(P("2010-11"), target), polarity, D("0.05"))
    expected = {Status.GREEN: ("better than", "meeting"), Status.AMBER: ("close to",), Status.RED: ("worse than",)}
    assert any(words in line for words in expected[rated])
    assert ("rose" in line) == (value > before) and ("fell" in line) == (value < before)


def test_a_theme_headline_counts_what_the_rules_rated():
    counts = StatusCounts(green=2, amber=1, red=4, no_target=3)
    assert theme_headline("Children & Young People", counts, P("2010-11 Q4")) == (
        "Children & Young People, 2010-11 Q4: of 7 indicators with a target, 2 better than or meeting their "
        "target, 1 close to target and 4 worse than target.")
    assert "no indicator has a target" in theme_headline("Benchmarks", StatusCounts(no_target=5), P("2010-11 Q4"))
