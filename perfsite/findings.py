"""Findings: the problems validation reports, each located and explained.

A finding's ``message`` and ``fix`` are i18n.Message values (the English sentence, which
is what comparisons and the English report read, with its catalogue msgid and values):
they are computed once, in validation, before anyone asks for a language, and written
in the site's language where they are shown (the data-quality page, the command line's
report, validation.json), by ``Language.translate``. Rule ids, file names, columns and
values are data, never translated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Optional

from .catalogue import RULES, Rule, Severity
from .i18n import ENGLISH, Language, Message, N_


@dataclass(frozen=True)
class Finding:
    """One problem in one place, in words a publisher can act on.

    ``row`` is the spreadsheet row number for data files (the header is row 1) and
    the line number for text files; ``column`` is the column's name.
    """

    rule_id: str
    file: str  # relative to the site folder, with forward slashes
    message: str  # what is wrong, in a sentence (an i18n.Message)
    row: Optional[int] = None
    column: Optional[str] = None
    fix: Optional[str] = None  # how to put it right here (an i18n.Message); the rule's general fix otherwise
    value: Optional[str] = None  # the offending text, when there is one
    column_number: Optional[int] = None  # 1-based position of the column, for annotations
    severity: Optional[Severity] = None  # filled in from the rule (and --strict) when reported
    indicator: Optional[str] = None  # the indicator the row is about, filled in by validation

    @property
    def rule(self) -> Rule:
        return RULES[self.rule_id]

    @property
    def how_to_fix(self) -> str:
        return self.fix or self.rule.fix

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}" if self.file.endswith(".csv") else f"line {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.row or 0, self.column_number or 0, self.column or "", self.rule_id, self.message)

    def to_dict(self, language: Language = ENGLISH) -> dict:
        """The finding for machines (JSON): keys, rule ids, dimensions and severities are
        fixed English codes; the message and the fix are sentences, in ``language``."""
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "rule": self.rule_id,
            "dimension": self.rule.dimension.value,
            "severity": (self.severity or self.rule.severity).value,
            "message": language.translate(self.message),
            "fix": language.translate(self.how_to_fix),
            "value": self.value,
            "indicator": self.indicator,
        }


@dataclass
class ValidationReport:
    """All findings of one validation run, with the severities in force."""

    findings: list[Finding] = field(default_factory=list)
    strict: bool = False
    escalated: frozenset[str] = frozenset()  # rule ids the site treats as errors
    files_checked: list[str] = field(default_factory=list)
    rows_checked: int = 0
    examples: int = 3  # rows listed for a repeated finding (quality.report_examples; this when unreadable)
    language: str = "en-GB"  # the site's language setting, which the report is written in

    def add(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.findings.append(replace(finding, severity=self.severity_of(finding.rule)))

    def severity_of(self, rule: Rule) -> Severity:
        if rule.id in self.escalated:
            return Severity.ERROR
        if self.strict and rule.strict_severity is not None:
            return rule.strict_severity
        return rule.severity

    @property
    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: f.sort_key)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.sorted_findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.sorted_findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when nothing blocks publishing (warnings are allowed)."""
        return not self.errors

    def by_file(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.sorted_findings:
            grouped.setdefault(finding.file, []).append(finding)
        return grouped

    def counts_by_rule(self) -> Counter:
        return Counter(f.rule_id for f in self.findings)

    def rule_counts(self) -> list["RuleCount"]:
        """How many findings of each rule, errors first, then the most frequent."""
        counts = Counter((f.rule_id, f.severity) for f in self.findings)
        ordered = sorted(counts.items(), key=lambda item: (item[0][1] is not Severity.ERROR, -item[1], item[0][0]))
        return [RuleCount(RULES[rule_id], severity, count) for (rule_id, severity), count in ordered]

    def groups_by_file(self, examples: int) -> dict[str, list["FindingGroup"]]:
        """Findings by file, each run of one rule on one indicator and column as one group."""
        grouped: dict[str, list[FindingGroup]] = {}
        for group in group_findings(self.sorted_findings, examples):
            grouped.setdefault(group.file, []).append(group)
        return grouped

    def has_errors_in(self, files: Iterable[str]) -> bool:
        wanted = set(files)
        return any(f.file in wanted for f in self.errors)


@dataclass(frozen=True)
class RuleCount:
    rule: Rule
    severity: Severity
    count: int


@dataclass(frozen=True)
class FindingGroup:
    """Findings of one rule, in one file, about one indicator and column: shown as one entry.

    ``shown`` are the first few (in row order); ``more`` how many are not shown.
    """

    rule: Rule
    severity: Severity
    file: str
    indicator: Optional[str]
    column: Optional[str]
    findings: tuple[Finding, ...]
    shown: tuple[Finding, ...]

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def more(self) -> int:
        return self.count - len(self.shown)

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def rows(self) -> list[int]:
        return [f.row for f in self.shown if f.row is not None]


def group_findings(findings: Iterable[Finding], examples: int) -> list[FindingGroup]:
    """Collapse repeated findings: same rule, file, indicator and column, in first-seen order.

    Findings without a row (whole-file or site-wide) are never merged with each other:
    each says something different.
    """
    buckets: dict[tuple, list[Finding]] = {}
    for finding in findings:
        if finding.row is None:
            key: tuple = ("single", len(buckets))
        else:
            key = (finding.rule_id, finding.severity, finding.file, finding.indicator, finding.column)
        buckets.setdefault(key, []).append(finding)
    return [
        FindingGroup(RULES[members[0].rule_id], members[0].severity or members[0].rule.severity, members[0].file,
                     members[0].indicator, members[0].column, tuple(members), tuple(members[:max(examples, 1)]))
        for members in buckets.values()
    ]


def encoding_finding(path: str, data: bytes, error: UnicodeDecodeError) -> Finding:
    """A file that is not UTF-8: where the first unreadable character is, and what it was probably saved as."""
    line = data[: error.start].count(b"\n") + 1
    guess = _guess_encoding(data)
    if path.endswith(".csv"):
        fix = Message.of(N_("Save the file as “CSV UTF-8 (comma delimited)” (in Excel: File › Save As › CSV UTF-8)."))
        message = (Message.of(N_("The file is not UTF-8 text: the first character that cannot be read is on row "
                                 "%(row)s. It looks like it was saved as %(encoding)s. perfsite reads UTF-8 only."),
                              row=line, encoding=guess) if guess else
                   Message.of(N_("The file is not UTF-8 text: the first character that cannot be read is on row "
                                 "%(row)s. perfsite reads UTF-8 only."), row=line))
    else:
        fix = Message.of(N_("Save the file as UTF-8 (in Notepad: File › Save As › Encoding: UTF-8)."))
        message = (Message.of(N_("The file is not UTF-8 text: the first character that cannot be read is on line "
                                 "%(row)s. It looks like it was saved as %(encoding)s. perfsite reads UTF-8 only."),
                              row=line, encoding=guess) if guess else
                   Message.of(N_("The file is not UTF-8 text: the first character that cannot be read is on line "
                                 "%(row)s. perfsite reads UTF-8 only."), row=line))
    return Finding("valid.encoding", path, message, row=line, fix=fix)


def _guess_encoding(data: bytes) -> Optional[Message]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Message.of(N_("UTF-16 (Excel's “Unicode Text”)"))
    if b"\x00" in data[:4096]:
        return Message.of(N_("UTF-16 or another two-byte encoding"))
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return Message.of(N_("Windows-1252 (what Excel's plain “CSV” and Notepad's “ANSI” save)"))
