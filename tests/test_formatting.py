"""Formats.number writes exactly what Babel's format_decimal writes, though it parses each
pattern once and keeps the numbers it has written (a memo keyed on each value's type and
text, since equal values such as Decimal("-0") and Decimal("0") are written differently)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from perfsite import formatting
from perfsite.formatting import Formats, as_decimal, number_pattern
from perfsite.i18n import Language

# The site's default, Welsh (the language the README walks through), and locales whose
# separators differ from English (comma decimals, spaces or full stops between groups,
# another grouping), since a site may name any language Babel knows.
LANGUAGES = ("en-GB", "cy", "de-DE", "fr-FR", "sv-SE", "hi-IN", "ar-EG", "de-CH")
PLACES = range(0, 7)  # the decimal places an indicator can ask for (0-6)
LARGEST = 10**12  # well beyond any figure of a council's report, within Decimal's precision at 6 places

# One Formats per language for the whole module, so that the memo is shared between examples
# and values that are equal (and hash alike) but are written differently meet in it.
FORMATS = {setting: Formats(Language.for_setting(setting)) for setting in LANGUAGES}

decimals = st.decimals(min_value=-LARGEST, max_value=LARGEST, allow_nan=False, allow_infinity=False)
zeros = st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("0.0"), Decimal("-0.00"), Decimal("0E+2"),
                         Decimal("-0.0000001"), Decimal("0.0000001")])
fractions = st.fractions(min_value=-LARGEST, max_value=LARGEST, max_denominator=10**6)
integers = st.integers(min_value=-LARGEST, max_value=LARGEST)
floats = st.floats(min_value=-LARGEST, max_value=LARGEST, allow_nan=False, allow_infinity=False)
numbers = st.one_of(decimals, zeros, fractions, integers, floats)


def babel_text(value, places: int, setting: str) -> str:
    """What Formats.number wrote before: format_decimal with the pattern, every time."""
    return format_decimal(as_decimal(value, places), format=number_pattern(places),
                          locale=FORMATS[setting].locale)


@settings(max_examples=400, deadline=None)
@given(value=numbers, places=st.sampled_from(PLACES), setting=st.sampled_from(LANGUAGES))
def test_number_is_format_decimals_text(value, places, setting):
    formats = FORMATS[setting]
    expected = babel_text(value, places, setting)
    assert formats.number(value, places) == expected
    assert formats.number(value, places) == expected  # from the memo


@pytest.mark.parametrize("setting", LANGUAGES)
@pytest.mark.parametrize("places", PLACES)
def test_equal_values_written_differently_are_kept_apart(setting, places):
    formats = Formats(Language.for_setting(setting))
    # each pair is equal and hashes alike; a memo keyed on the value would give the first's text
    pairs = [(Decimal("0"), Decimal("-0")), (Decimal("-0.0000001"), Decimal("0.0000001")),
             (Decimal("1.0"), Decimal("1.00")), (Fraction(1, 2), Decimal("0.5")), (1, Decimal("1")),
             (0.5, Fraction(1, 2)), (True, 1)]
    for first, second in pairs:
        for value in (first, second, first):
            assert formats.number(value, places) == babel_text(value, places, setting)


def test_the_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(formatting, "NUMBER_MEMO_SIZE", 10)
    formats = Formats(Language.for_setting("en-GB"))
    for n in range(100):
        assert formats.number(Decimal(n) / 7, 2) == babel_text(Decimal(n) / 7, 2, "en-GB")
        assert len(formats._numbers) <= 10


def test_none_is_empty():
    assert Formats(Language.for_setting("en-GB")).number(None, 2) == ""
