"""Reporting periods of the UK financial year (April to March).

A period is written, in data files and in the contract, as:

* ``2008-09``      the financial year April 2008 to March 2009
* ``2008-09 Q1``   a quarter (Q1 = April to June 2008, Q4 = January to March 2009)
* ``2008-09 H1``   a half year (H1 = April to September, H2 = October to March)
* ``2008 Apr``     a month: calendar year, a space, the English three-letter month

Months are never written ``2008-09``: that is the financial year, and reading it
as September 2008 is the classic mistake. A month written the ISO way (``2008-04``)
is refused with a message that gives the right spelling.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, total_ordering

from .i18n import N_, Message

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = tuple(calendar.month_name[1:])
FIRST_MONTH_OF_FINANCIAL_YEAR = 4  # April


class Granularity(enum.Enum):
    """How long a period is, and so how often an indicator is reported."""

    MONTH = ("month", 1, "monthly")
    QUARTER = ("quarter", 3, "quarterly")
    HALF = ("half", 6, "six-monthly")
    YEAR = ("year", 12, "annual")

    def __init__(self, noun: str, months: int, frequency: str) -> None:
        self.noun = noun
        self.months = months
        self.frequency = frequency
        self.per_year = 12 // months  # periods in a financial year

    # Members are singletons compared by identity, so identity is a correct hash; the
    # default Enum hash is Python code, and periods are hashed millions of times.
    __hash__ = object.__hash__

    @classmethod
    def for_frequency(cls, frequency: str) -> "Granularity":
        """The length of an indicator's periods: a biennial survey reports financial years."""
        frequency = SPARSE_FREQUENCIES.get(frequency, (frequency,))[0]
        for granularity in cls:
            if granularity.frequency == frequency:
                return granularity
        raise ValueError(f"unknown frequency {frequency!r}")


# Frequencies with a result only every few periods of their granularity: the frequency
# of the periods, and how many of them lie between one result and the next. A biennial
# survey (the oral health survey of five-year-olds, say) reports a financial year every
# other year, so its direction of travel compares with the survey two years earlier.
SPARSE_FREQUENCIES: dict[str, tuple[str, int]] = {"biennial": ("annual", 2)}
# A period number beyond the year's, in a whole sentence for each granularity, never the noun with an s glued on.
_NO_SUCH_PERIOD = {
    Granularity.MONTH: N_("a financial year has 12 months, so month %(number)s does not exist"),
    Granularity.QUARTER: N_("a financial year has 4 quarters, so quarter %(number)s does not exist"),
    Granularity.HALF: N_("a financial year has 2 halves, so half %(number)s does not exist"),
    Granularity.YEAR: N_("a financial year is one year, so year %(number)s does not exist"),
}
FREQUENCIES = tuple(g.frequency for g in Granularity) + tuple(SPARSE_FREQUENCIES)


def periods_between_results(frequency: str) -> int:
    """How many periods of its granularity lie between an indicator's consecutive results."""
    return SPARSE_FREQUENCIES.get(frequency, (frequency, 1))[1]


class PeriodError(ValueError):
    """A period that cannot be read. The message says how to write it instead (an
    i18n.Message: str() of the error is its English)."""

    @property
    def message(self) -> Message:
        text = self.args[0] if self.args else ""
        return text if isinstance(text, Message) else Message.of(text)


_YEAR = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_OR_HALF = re.compile(r"(\d{4})-(\d{2}) ([QH])(\d)")
_MONTH = re.compile(r"(\d{4}) ([A-Z][a-z]{2})")
# Patterns used only to recognise common mistakes and suggest the right spelling.
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_SLASH_YEAR = re.compile(r"(\d{4})\s*/\s*(\d{2}|\d{4})")
_LONG_YEAR = re.compile(r"(\d{4})\s*-\s*(\d{4})")
_PREFIX_QUARTER = re.compile(r"([QqHh])(\d)\s+(\d{4})\s*[-/]\s*(\d{2})")
_LOOSE_QUARTER = re.compile(r"(\d{4})\s*[-/]\s*(\d{2})\s*[-_ ]?\s*([QqHh])(\d)")
_WORD_MONTH = re.compile(r"([A-Za-z]+)[ -]+(\d{4})|(\d{4})[ -]+([A-Za-z]+)")


@total_ordering
@dataclass(frozen=True)
class Period:
    """One reporting period of the UK financial year.

    ``year`` is the calendar year in which the financial year starts (2008 for
    2008-09); ``number`` is the period's position within that year, from 1:
    quarter 1-4, half 1-2, month 1-12 (April = 1), year 1.

    Periods are immutable values. The derived facts (label, month indices, sort key,
    hash) are computed once per object and kept, and the periods made by reading a
    label or stepping from another period are shared (one object per period), so
    that a million results of a few hundred periods cost a few hundred periods.
    """

    granularity: Granularity
    year: int
    number: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.number <= self.granularity.per_year:
            raise PeriodError(Message.of(_NO_SUCH_PERIOD[self.granularity], number=self.number))

    def __hash__(self) -> int:
        # Kept in the instance's __dict__ (as cached_property does): the dataclass hash
        # builds a tuple and hashes the granularity on every dictionary look-up.
        try:
            return self.__dict__["_hash"]
        except KeyError:
            value = self.__dict__["_hash"] = hash((self.granularity.months, self.year, self.number))
            return value

    def __reduce__(self):
        # Pickled as its three fields only, never the facts kept beside them: a pickle
        # (a page's cache key is the hash of one) must not depend on what was asked before.
        return Period.of, (self.granularity, self.year, self.number)

    @classmethod
    def of(cls, granularity: Granularity, year: int, number: int = 1) -> "Period":
        """The shared object for a period (equal to ``Period(granularity, year, number)``)."""
        key = (granularity.months, year, number)
        period = _SHARED.get(key)
        if period is None:
            period = _SHARED[key] = cls(granularity, year, number)
        return period

    # ----------------------------------------------------------------- reading
    @classmethod
    def parse(cls, text: str) -> "Period":
        """Read a period written the contract's way; explain any other spelling."""
        period = _PARSED.get(text) if isinstance(text, str) else None
        if period is None:
            period = _PARSED[text] = cls._parse(text)
        return period

    @classmethod
    def _parse(cls, text: str) -> "Period":
        if not isinstance(text, str):
            raise PeriodError(Message.of(N_("a period must be written as text, like 2008-09 Q1")))
        match = _QUARTER_OR_HALF.fullmatch(text)
        if match:
            start = _financial_year_start(match.group(1), match.group(2), text)
            granularity = Granularity.QUARTER if match.group(3) == "Q" else Granularity.HALF
            number = int(match.group(4))
            if not 1 <= number <= granularity.per_year:
                letter = match.group(3)
                raise PeriodError(Message.of(N_("“%(value)s” is not a period: a financial year has %(first)s to "
                                                "%(last)s."), value=text, first=f"{letter}1",
                                             last=f"{letter}{granularity.per_year}"))
            return cls.of(granularity, start, number)
        match = _YEAR.fullmatch(text)
        if match:
            return cls.of(Granularity.YEAR, _financial_year_start(match.group(1), match.group(2), text))
        match = _MONTH.fullmatch(text)
        if match and match.group(2) in MONTHS:
            calendar_year = int(match.group(1))
            return cls.from_month(calendar_year, MONTHS.index(match.group(2)) + 1)
        raise PeriodError(_explain_unreadable(text))

    @classmethod
    def from_month(cls, calendar_year: int, month: int) -> "Period":
        """The month period of a calendar year and month (1 = January)."""
        if month >= FIRST_MONTH_OF_FINANCIAL_YEAR:
            return cls.of(Granularity.MONTH, calendar_year, month - FIRST_MONTH_OF_FINANCIAL_YEAR + 1)
        return cls.of(Granularity.MONTH, calendar_year - 1, month + 12 - FIRST_MONTH_OF_FINANCIAL_YEAR + 1)

    @classmethod
    def from_slug(cls, slug: str) -> "Period":
        """Read a period from its URL slug (``2008-09-q1``, ``2008-apr``)."""
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-([qh])(\d))?", slug)
        if match:
            text = f"{match.group(1)}-{match.group(2)}"
            if match.group(3):
                text += f" {match.group(3).upper()}{match.group(4)}"
            return cls.parse(text)
        match = re.fullmatch(r"(\d{4})-([a-z]{3})", slug)
        if match:
            return cls.parse(f"{match.group(1)} {match.group(2).capitalize()}")
        raise PeriodError(Message.of(N_("“%(value)s” is not the web address of a period"), value=slug))

    # ---------------------------------------------------------------- writing
    @cached_property
    def label(self) -> str:
        """The canonical spelling, as written in data files (``2008-09 Q1``)."""
        fy = f"{self.year}-{(self.year + 1) % 100:02d}"
        if self.granularity is Granularity.YEAR:
            return fy
        if self.granularity is Granularity.QUARTER:
            return f"{fy} Q{self.number}"
        if self.granularity is Granularity.HALF:
            return f"{fy} H{self.number}"
        return f"{self.start.year} {MONTHS[self.start.month - 1]}"

    @property
    def slug(self) -> str:
        """The URL slug: lower case, the space as a hyphen (``2008-09-q1``)."""
        return self.label.lower().replace(" ", "-")

    @property
    def long_label(self) -> str:
        """A plain-English name for readers (``April to June 2008``)."""
        start, end = self.start, self.end
        if self.granularity is Granularity.MONTH:
            return f"{MONTH_NAMES[start.month - 1]} {start.year}"
        if start.year == end.year:
            span = f"{MONTH_NAMES[start.month - 1]} to {MONTH_NAMES[end.month - 1]} {end.year}"
        else:
            span = (
                f"{MONTH_NAMES[start.month - 1]} {start.year} to "
                f"{MONTH_NAMES[end.month - 1]} {end.year}"
            )
        return span

    @property
    def title(self) -> str:
        """Label and span together (``2008-09 Q1 (April to June 2008)``)."""
        if self.granularity is Granularity.MONTH:
            return self.long_label
        return f"{self.label} ({self.long_label})"

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Period({self.label!r})"

    # ----------------------------------------------------------- calendar
    @cached_property
    def first_month_index(self) -> int:
        """Months since April of year 0; consecutive periods have consecutive indices."""
        return self.year * 12 + (self.number - 1) * self.granularity.months

    @cached_property
    def last_month_index(self) -> int:
        return self.first_month_index + self.granularity.months - 1

    @cached_property
    def start(self) -> dt.date:
        return _month_index_to_date(self.first_month_index)

    @cached_property
    def end(self) -> dt.date:
        """The last day of the period."""
        first_of_last_month = _month_index_to_date(self.last_month_index)
        days = calendar.monthrange(first_of_last_month.year, first_of_last_month.month)[1]
        return first_of_last_month.replace(day=days)

    @cached_property
    def financial_year(self) -> "Period":
        return Period.of(Granularity.YEAR, self.year)

    @cached_property
    def fraction_of_year(self) -> Fraction:
        """How much of its financial year has passed at the period's end (Q1 = 1/4)."""
        return Fraction(self.number * self.granularity.months, 12)

    @cached_property
    def ends_financial_year(self) -> bool:
        return self.number == self.granularity.per_year

    def year_earlier(self) -> "Period":
        """The same period a year earlier."""
        return self._year_earlier

    @cached_property
    def _year_earlier(self) -> "Period":
        # asked of every result, for its direction of travel
        return Period.of(self.granularity, self.year - 1, self.number)

    def earlier(self, periods: int) -> "Period":
        """The period ``periods`` periods of the same granularity before this one."""
        index = self.year * self.granularity.per_year + self.number - 1 - periods
        year, position = divmod(index, self.granularity.per_year)
        return Period.of(self.granularity, year, position + 1)

    def later(self, periods: int) -> "Period":
        return self.earlier(-periods)

    def previous(self) -> "Period":
        if self.number > 1:
            return Period.of(self.granularity, self.year, self.number - 1)
        return Period.of(self.granularity, self.year - 1, self.granularity.per_year)

    def next(self) -> "Period":
        if self.number < self.granularity.per_year:
            return Period.of(self.granularity, self.year, self.number + 1)
        return Period.of(self.granularity, self.year + 1, 1)

    def contains(self, other: "Period") -> bool:
        """True when ``other`` lies wholly inside this period."""
        return (
            self.first_month_index <= other.first_month_index
            and other.last_month_index <= self.last_month_index
        )

    def periods_of(self, granularity: Granularity) -> list["Period"]:
        """The periods of ``granularity`` that make up this period, in order."""
        if granularity.months > self.granularity.months:
            return []
        first = (self.first_month_index - self.year * 12) // granularity.months + 1
        count = self.granularity.months // granularity.months
        return [Period.of(granularity, self.year, first + i) for i in range(count)]

    # ----------------------------------------------------------- ordering
    @cached_property
    def sort_key(self) -> tuple[int, int]:
        """Periods sort by when they end; a shorter period first when two end together."""
        return (self.last_month_index, self.granularity.months)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key


# One object per period: by (months of the granularity, year, number), and by label as read.
_SHARED: dict[tuple[int, int, int], Period] = {}
_PARSED: dict[str, Period] = {}


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period of the same granularity from ``first`` to ``last`` inclusive."""
    if first.granularity is not last.granularity:
        raise ValueError("periods_between needs two periods of the same granularity")
    periods = []
    current = first
    while current.sort_key <= last.sort_key:
        periods.append(current)
        current = current.next()
    return periods


def granularity_for_frequency(frequency: str) -> Granularity:
    return Granularity.for_frequency(frequency)


def period_containing(date: dt.date, granularity: Granularity) -> Period:
    """The period of ``granularity`` that contains ``date``."""
    month_index = date.year * 12 + date.month - FIRST_MONTH_OF_FINANCIAL_YEAR
    year, month_in_year = divmod(month_index, 12)
    return Period.of(granularity, year, month_in_year // granularity.months + 1)


def latest_period_ending_by(date: dt.date, granularity: Granularity) -> Period:
    """The last period of ``granularity`` that has ended on or before ``date``."""
    current = period_containing(date, granularity)
    return current if current.end <= date else current.previous()


# --------------------------------------------------------------------- helpers
def _month_index_to_date(index: int) -> dt.date:
    year, offset = divmod(index + FIRST_MONTH_OF_FINANCIAL_YEAR - 1, 12)
    return dt.date(year, offset + 1, 1)


def _financial_year_start(first: str, second: str, text: str) -> int:
    start = int(first)
    if int(second) == (start + 1) % 100:
        return start
    month = int(second)
    if 1 <= month <= 12:
        raise PeriodError(_iso_month_message(text, start, month))
    raise PeriodError(Message.of(N_("“%(value)s” is not a financial year: the second part must be the year after "
                                    "the first, like %(year)s."), value=text, year=f"{start}-{(start + 1) % 100:02d}"))


# The spellings the messages below suggest (2008 Apr, 2008-09 Q1) are the data contract's,
# in every language; the months of the sentences around them ("April 2008") are words.
def _iso_month_message(text: str, year: int, month: int) -> Message:
    right = f"{year} {MONTHS[month - 1]}"
    fy = f"{year}-{(year + 1) % 100:02d}"
    return Message.of(N_("“%(value)s” looks like a month written the ISO way. Write months as the year and the "
                         "English three-letter month, like “%(month)s”. (A year and two digits, like “%(year)s”, "
                         "means the financial year April %(start)s to March %(end)s.)"),
                      value=text, month=right, year=fy, start=year, end=year + 1)


def _explain_unreadable(text: str) -> Message:
    stripped = text.strip()
    if not stripped:
        return Message.of(N_("The period is empty. Write a financial year as 2008-09, a quarter as 2008-09 Q1, a "
                             "half year as 2008-09 H1 and a month as 2008 Apr."))
    if stripped != text:
        try:
            Period.parse(stripped)
        except PeriodError:
            pass
        else:
            return Message.of(N_("“%(value)s” has spaces before or after it; write “%(period)s”."),
                              value=text, period=stripped)
    match = _ISO_MONTH.fullmatch(stripped)
    if match and 1 <= int(match.group(2)) <= 12:
        return _iso_month_message(text, int(match.group(1)), int(match.group(2)))
    match = _SLASH_YEAR.fullmatch(stripped) or _LONG_YEAR.fullmatch(stripped)
    if match:
        start = int(match.group(1))
        return Message.of(N_("“%(value)s”: write financial years with a hyphen and two digits, like “%(period)s”."),
                          value=text, period=f"{start}-{(start + 1) % 100:02d}")
    match = _PREFIX_QUARTER.fullmatch(stripped)
    if match:
        right = f"{match.group(3)}-{match.group(4)} {match.group(1).upper()}{match.group(2)}"
        return Message.of(N_("“%(value)s”: put the financial year first, like “%(period)s”."), value=text, period=right)
    match = _LOOSE_QUARTER.fullmatch(stripped)
    if match:
        right = f"{match.group(1)}-{match.group(2)} {match.group(3).upper()}{match.group(4)}"
        return Message.of(N_("“%(value)s” is not written the standard way; write “%(period)s”."),
                          value=text, period=right)
    match = _WORD_MONTH.fullmatch(stripped)
    if match:
        word = (match.group(1) or match.group(4)).lower()
        year = match.group(2) or match.group(3)
        for i, name in enumerate(MONTH_NAMES):
            if word == name.lower() or word == MONTHS[i].lower():
                return Message.of(N_("“%(value)s”: write months as the year then the three-letter month, like "
                                     "“%(period)s”."), value=text, period=f"{year} {MONTHS[i]}")
    if re.fullmatch(r"\d{4}", stripped):
        start = int(stripped)
        return Message.of(N_("“%(value)s” is a calendar year. Periods follow the financial year: write “%(period)s” "
                             "for April %(start)s to March %(end)s."),
                          value=text, period=f"{start}-{(start + 1) % 100:02d}", start=start, end=start + 1)
    return Message.of(N_("“%(value)s” is not a period. Write a financial year as 2008-09, a quarter as 2008-09 Q1, a "
                         "half year as 2008-09 H1 and a month as 2008 Apr."), value=text)
