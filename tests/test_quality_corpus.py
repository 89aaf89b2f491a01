"""The data-quality corpus: broken inputs, one defect each.

Every case copies the clean site (tests/sites/clean, which validates with no
finding at all), breaks exactly one thing the way a real office would, and
asserts what validation reports: the rule, the file, the row (or line), the
column and the severity. Data cases run through both validation paths, the
Frictionless one and the vectorised fast path, which must agree exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from helpers import copy_site
from perfsite.pipeline import check

PATHS = ("frictionless", "fast")
RESULTS = "data/results.csv"
INDICATORS = "data/indicators.csv"
TARGETS = "data/targets.csv"
THEMES = "data/themes.csv"
SPEND = "data/spend.csv"
NARRATIVES = "content/narratives/2010-11-q2"


# ------------------------------------------------------------------ mutations
def read_rows(site: Path, file: str) -> list[list[str]]:
    with open(site / file, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(site: Path, file: str, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (site / file).write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(file: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """Change one cell; ``row`` is the spreadsheet row number (the header is row 1)."""
    def mutate(site: Path) -> None:
        rows = read_rows(site, file)
        assert rows[row - 1], f"row {row} of {file} is blank"
        rows[row - 1][rows[0].index(column)] = value
        write_rows(site, file, rows)
    return mutate


def insert_row(file: str, at_row: int, cells: list[str]) -> Callable[[Path], None]:
    """Insert a row so that it becomes spreadsheet row ``at_row``."""
    def mutate(site: Path) -> None:
        rows = read_rows(site, file)
        rows.insert(at_row - 1, cells)
        write_rows(site, file, rows)
    return mutate


def delete_row(file: str, row: int) -> Callable[[Path], None]:
    def mutate(site: Path) -> None:
        rows = read_rows(site, file)
        del rows[row - 1]
        write_rows(site, file, rows)
    return mutate


def replace_text(file: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(site: Path) -> None:
        text = (site / file).read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {file}"
        (site / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return mutate


def write_text(file: str, text: str) -> Callable[[Path], None]:
    def mutate(site: Path) -> None:
        (site / file).parent.mkdir(parents=True, exist_ok=True)
        (site / file).write_text(text, encoding="utf-8")
    return mutate


def delete_file(file: str) -> Callable[[Path], None]:
    def mutate(site: Path) -> None:
        (site / file).unlink()
    return mutate


def add_column(file: str, name: str, value: str) -> Callable[[Path], None]:
    def mutate(site: Path) -> None:
        rows = read_rows(site, file)
        write_rows(site, file, [rows[0] + [name]] + [row + [value] for row in rows[1:]])
    return mutate


def declare(file: str, row: int, cells: dict[str, str]) -> Callable[[Path], None]:
    """Fill optional columns of one row, adding the columns (empty elsewhere) if the file lacks them."""
    def mutate(site: Path) -> None:
        rows = read_rows(site, file)
        for column in cells:
            if column not in rows[0]:
                rows = [rows[0] + [column]] + [row + [""] for row in rows[1:]]
        for column, value in cells.items():
            rows[row - 1][rows[0].index(column)] = value
        write_rows(site, file, rows)
    return mutate


def set_as_of(date: str) -> Callable[[Path], None]:
    return replace_text("site.yaml", "as_of: 2010-11-05", f"as_of: {date}")


def resave_as_windows_1252(file: str, old: str, new: str) -> Callable[[Path], None]:
    """What “Save as CSV” does in an older Excel: the legacy Windows encoding."""
    def mutate(site: Path) -> None:
        text = (site / file).read_text(encoding="utf-8").replace(old, new, 1)
        (site / file).write_bytes(text.encode("cp1252"))
    return mutate


def resave_from_excel(file: str, trailing_blank_rows: int = 0) -> Callable[[Path], None]:
    """What “CSV UTF-8” does in Excel: a byte-order mark, CRLF line ends, sometimes empty rows at the end."""
    def mutate(site: Path) -> None:
        text = (site / file).read_text(encoding="utf-8")
        body = text.replace("\n", "\r\n") + ",,,,,,,,\r\n" * trailing_blank_rows
        (site / file).write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    return mutate


def narrative(sections: dict[str, str], front_matter: str = "owner: Head of Policy\n") -> str:
    body = "\n".join(f"## {name}\n\n{text}\n" for name, text in sections.items())
    return f"---\n{front_matter}---\n{body}"


FULL = {"Why": "Satisfaction fell after the road works.",
        "Action being taken": "Ward walkabouts by December.",
        "Decisions required": "None at this stage."}
MONTHLY_LEVEL_SHIFT = [  # EB-04 over a year: the contact centre moves to a new system in October
    ["EB-04", f"2010 {month}", str(value), "", "", "", "", "", ""]
    for month, value in zip(("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"),
                            (500, 505, 498, 502, 507, 501, 800, 805, 798, 803, 801, 806))
]


def replace_monthly_series(rows: list[list[str]]) -> Callable[[Path], None]:
    def mutate(site: Path) -> None:
        kept = [row for row in read_rows(site, RESULTS) if not row or row[0] != "EB-04"]
        fixed = [[cell.replace("2010 Jan", "2011 Jan").replace("2010 Feb", "2011 Feb").replace("2010 Mar", "2011 Mar")
                  for cell in row] for row in rows]
        write_rows(site, RESULTS, kept + fixed)
    return mutate


# ---------------------------------------------------------------------- cases
@dataclass(frozen=True)
class Expected:
    rule: str
    file: str
    row: Optional[int]
    column: Optional[str]
    severity: str = "error"


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Path], None]
    expected: tuple[Expected, ...]
    strict: bool = False
    message_has: tuple[str, ...] = ()  # words a publisher needs to see in the first finding's message


def E(rule, file, row, column, severity="error") -> Expected:  # noqa: N802 - reads like a table row
    return Expected(rule, file, row, column, severity)


CASES = [
    # ----------------------------------------------------------- real files
    Case("not-utf8", resave_as_windows_1252(RESULTS, "Telephone system replaced", "Telephone system replaced – £4k"),
         (E("valid.encoding", RESULTS, 18, None),), message_has=("row 18", "UTF-8", "Windows-1252")),
    Case("site-settings-not-utf8", lambda site: (site / "site.yaml").write_bytes(
             (site / "site.yaml").read_text(encoding="utf-8").replace("Eastbrook performance", "Eastbrook – performance")
             .encode("cp1252")),
         (E("valid.encoding", "site.yaml", 4, None),), message_has=("line 4", "Windows-1252")),
    Case("trailing-blank-rows", resave_from_excel(RESULTS, trailing_blank_rows=3),
         (E("valid.trailing-blank-rows", RESULTS, 22, None, "warning"),)),
    Case("blank-row-in-the-middle", insert_row(RESULTS, 5, []),
         (E("valid.blank-row", RESULTS, 5, None, "warning"),)),
    Case("extra-cell", insert_row(RESULTS, 8, ["EB-01", "2010-11 Q3", "12.5", "", "", "", "", "", "", "oops"]),
         (E("valid.row-shape", RESULTS, 8, None),)),
    Case("missing-column", replace_text(TARGETS, "indicator_id,period,target,", "indicator_id,period,goal,"),
         (E("valid.header", TARGETS, 1, "target"), E("valid.unknown-column", TARGETS, 1, "goal", "warning")),
         message_has=("target",)),
    Case("unknown-column", add_column(THEMES, "colour", "#005ea5"),
         (E("valid.unknown-column", THEMES, 1, "colour", "warning"),)),
    Case("broken-descriptor", replace_text("data/datapackage.yaml", "  - name: spend\n", "  - name: spend\n   path: [\n"),
         (E("valid.descriptor", "data/datapackage.yaml", 14, None),)),
    Case("unknown-setting", replace_text("site.yaml", "rules:\n", "rulez:\n"),
         (E("valid.site-config", "site.yaml", 9, None),), message_has=("rulez", "rules")),
    Case("broken-front-matter", replace_text(f"{NARRATIVES}/EB-02.md", "owner: Head of Policy", "owner: Head of: Policy"),
         (E("valid.front-matter", f"{NARRATIVES}/EB-02.md", 2, None),)),
    # -------------------------------------------------------------- valid
    Case("required-cell-empty", set_cell(INDICATORS, 3, "title", ""),
         (E("valid.required", INDICATORS, 3, "title"),)),
    Case("number-with-thousands-comma", set_cell(SPEND, 2, "budget", "25,000"),
         (E("valid.number", SPEND, 2, "budget"),), message_has=("25,000",)),
    Case("number-as-words", set_cell(RESULTS, 4, "value", "twelve"),
         (E("valid.number", RESULTS, 4, "value"),)),
    Case("enum-misspelt", set_cell(INDICATORS, 2, "polarity", "Lower"),
         (E("valid.enum", INDICATORS, 2, "polarity"),), message_has=("lower",)),
    Case("unsafe-id", insert_row(INDICATORS, 7, ["../EB-06", "Complaints received", "health", "", "local", "none",
                                                 "number", "0", "quarterly", "level", "", "Council", "", ""]),
         (E("valid.id", INDICATORS, 7, "indicator_id"),)),
    Case("theme-id-with-space", set_cell(SPEND, 3, "theme_id", "safer communities"),
         (E("valid.id", SPEND, 3, "theme_id"), E("accurate.reference", SPEND, 3, "theme_id"))),
    Case("period-syntax", set_cell(RESULTS, 3, "period", "2009/10 Q2"),
         (E("valid.period", RESULTS, 3, "period"),), message_has=("2009-10 Q2",)),
    Case("period-granularity", set_cell(RESULTS, 2, "period", "2009 Apr"),
         (E("valid.period-granularity", RESULTS, 2, "period"),), message_has=("quarterly",)),
    Case("percentage-over-100", set_cell(RESULTS, 21, "value", "555"),
         (E("valid.percentage-range", RESULTS, 21, "value", "warning"),)),
    Case("percentage-outside-declared-bounds",
         lambda site: [declare(INDICATORS, 6, {"value_min": "0", "value_max": "100"})(site),
                       set_cell(RESULTS, 21, "value", "555")(site)],
         (E("accurate.declared-bounds", RESULTS, 21, "value"),), message_has=("555", "from 0 to 100")),
    Case("negative-percentage-within-declared-bounds",
         lambda site: [declare(INDICATORS, 6, {"value_min": "-100", "value_max": "100"})(site),
                       set_cell(RESULTS, 21, "value", "-5")(site)],
         ()),
    Case("target-below-declared-minimum",
         lambda site: [declare(INDICATORS, 3, {"value_min": "55"})(site), set_cell(TARGETS, 4, "target", "50")(site)],
         (E("accurate.declared-bounds", TARGETS, 4, "target"),), message_has=("at least 55",)),
    Case("declared-bounds-reversed", declare(INDICATORS, 3, {"value_min": "100", "value_max": "0"}),
         (E("accurate.declared-bounds", INDICATORS, 3, "value_min"),)),
    Case("numerator-denominator-disagree", set_cell(RESULTS, 9, "value", "75"),
         (E("valid.numerator-denominator", RESULTS, 9, "value", "warning"),), message_has=("720", "1000", "72.")),
    Case("declared-derivation-disagrees",
         lambda site: [declare(INDICATORS, 3, {"derivation": "100"})(site), set_cell(RESULTS, 9, "value", "75")(site)],
         (E("accurate.declared-derivation", RESULTS, 9, "value"),), message_has=("720", "× 100", "72.")),
    Case("value-declared-not-derived",
         lambda site: [declare(INDICATORS, 3, {"derivation": "none"})(site), set_cell(RESULTS, 9, "value", "75")(site)],
         ()),
    Case("retired-in-an-impossible-period", declare(INDICATORS, 5, {"retired": "2010-13"}),
         (E("valid.period", INDICATORS, 5, "retired"),)),
    Case("replaced-by-an-unknown-indicator", declare(INDICATORS, 5, {"retired": "2010-11", "replaced_by": "EB-99"}),
         (E("accurate.reference", INDICATORS, 5, "replaced_by"),), message_has=("EB-99",)),
    Case("derivation-misspelt", declare(INDICATORS, 3, {"derivation": "percent"}),
         (E("valid.number", INDICATORS, 3, "derivation"),), message_has=("none",)),
    Case("confidence-interval-excludes-value", set_cell(RESULTS, 10, "lower_ci", "61"),
         (E("valid.confidence-interval", RESULTS, 10, "value"),), message_has=("61 to 63",)),
    Case("formula-in-text-cell", set_cell(INDICATORS, 4, "definition", "=HYPERLINK(\"http://evil.example\",\"Homes\")"),
         (E("valid.formula-cell", INDICATORS, 4, "definition", "warning"),)),
    Case("content-file-misplaced", write_text("content/narratives/Q2 2010/EB-01.md", narrative(FULL)),
         (E("valid.content-file", "content/narratives/Q2 2010/EB-01.md", None, None),)),
    Case("raw-html-in-narrative", replace_text(f"{NARRATIVES}/EB-02.md", "by **December**", "by <b>December</b>"),
         (E("valid.raw-html", f"{NARRATIVES}/EB-02.md", 11, None, "warning"),)),
    Case("denominator-zero", set_cell(RESULTS, 8, "denominator", "0"),
         (E("valid.numerator-denominator", RESULTS, 8, "denominator", "warning"),)),
    Case("page-name-unsafe", write_text("content/pages/About Us.md", "---\ntitle: About us\n---\nText.\n"),
         (E("valid.content-file", "content/pages/About Us.md", None, None),), message_has=("About Us.md",)),
    Case("action-due-not-a-date",
         replace_text(f"{NARRATIVES}/EB-02.md", "action_due: 2011-01-31", "action_due: end of January"),
         (E("valid.front-matter", f"{NARRATIVES}/EB-02.md", 3, None),), message_has=("end of January",)),
    Case("narrative-not-utf8", lambda site: (site / NARRATIVES / "EB-02.md").write_bytes(
             (site / NARRATIVES / "EB-02.md").read_text(encoding="utf-8").replace("road works", "road works – £2m")
             .encode("cp1252")),
         (E("valid.encoding", f"{NARRATIVES}/EB-02.md", 7, None),), message_has=("line 7", "UTF-8")),
    # ----------------------------------------------------------- accurate
    Case("duplicate-result", insert_row(RESULTS, 4, ["EB-01", "2009-10 Q2", "11.0", "", "", "", "", "", ""]),
         (E("accurate.unique-key", RESULTS, 4, "period"),)),
    Case("ids-differ-only-in-capitals", insert_row(INDICATORS, 7, ["eb-01", "Crimes reported online", "safer", "",
                                                                   "local", "none", "number", "0", "quarterly",
                                                                   "level", "", "Police", "", ""]),
         (E("accurate.unique-key", INDICATORS, 7, "indicator_id"),), message_has=("EB-01", "capitals")),
    Case("result-for-unknown-indicator", set_cell(RESULTS, 17, "indicator_id", "EB-09"),
         (E("accurate.reference", RESULTS, 17, "indicator_id"),), message_has=("EB-09",)),
    Case("spend-for-unknown-theme", set_cell(SPEND, 4, "theme_id", "safer-eastbrook"),
         (E("accurate.reference", SPEND, 4, "theme_id"),), message_has=("safer-eastbrook", "themes.csv")),
    Case("target-for-unknown-indicator", set_cell(TARGETS, 2, "indicator_id", "EB-1"),
         (E("accurate.reference", TARGETS, 2, "indicator_id"),)),
    Case("commentary-for-unknown-theme", write_text("content/reports/2010-11-q2/housing.md", "Homes are on track.\n"),
         (E("accurate.reference", "content/reports/2010-11-q2/housing.md", None, None),)),
    Case("stretch-on-the-wrong-side", set_cell(TARGETS, 3, "stretch", "11.5"),
         (E("accurate.target-levels", TARGETS, 3, "stretch"),)),
    Case("indicator-with-unknown-other-theme", set_cell(INDICATORS, 2, "other_themes", "helth"),
         (E("accurate.reference", INDICATORS, 2, "other_themes"),)),
    Case("monitoring-level-wrong-side", set_cell(TARGETS, 3, "monitoring_level", "10.0"),
         (E("accurate.target-levels", TARGETS, 3, "monitoring_level"),)),
    Case("target-for-unrated-indicator", insert_row(TARGETS, 10, ["EB-04", "2010-11", "500", "", "", ""]),
         (E("accurate.target-not-rated", TARGETS, 10, "target", "warning"),)),
    # ----------------------------------------------------------- complete
    Case("expected-period-missing", delete_row(RESULTS, 4),
         (E("complete.expected-period", RESULTS, None, "period", "warning"),), message_has=("2009-10 Q3",)),
    Case("indicator-without-target", lambda site: [delete_row(TARGETS, 9)(site), delete_row(TARGETS, 8)(site)],
         (E("complete.no-target", INDICATORS, 6, "indicator_id", "warning"),)),
    Case("empty-value-without-note", set_cell(RESULTS, 18, "note", ""),
         (E("complete.missing-value-note", RESULTS, 18, "note", "warning"),)),
    Case("no-targets-at-all", write_text(TARGETS, "indicator_id,period,target,monitoring_level,stretch,note\n"),
         (E("complete.no-target", TARGETS, None, None, "warning"),), message_has=("No indicator has a target",)),
    # (published before the exception report is due, so that it is not late as well)
    Case("narrative-missing", lambda site: [set_as_of("2010-11-02")(site), delete_file(f"{NARRATIVES}/EB-01.md")(site)],
         (E("complete.narrative", f"{NARRATIVES}/EB-01.md", None, None, "warning"),)),
    Case("narrative-missing-strict",
         lambda site: [set_as_of("2010-11-02")(site), delete_file(f"{NARRATIVES}/EB-01.md")(site)],
         (E("complete.narrative", f"{NARRATIVES}/EB-01.md", None, None, "error"),), strict=True),
    Case("narrative-section-missing",
         write_text(f"{NARRATIVES}/EB-03.md", narrative({k: v for k, v in FULL.items() if k != "Decisions required"})),
         (E("complete.narrative-section", f"{NARRATIVES}/EB-03.md", None, None, "warning"),),
         message_has=("Decisions required",)),
    # ----------------------------------------------------------- reliable
    Case("outlier", set_cell(RESULTS, 6, "value", "105"),
         (E("reliable.outlier", RESULTS, 6, "value", "warning"),), message_has=("105",)),
    Case("series-break", replace_monthly_series(MONTHLY_LEVEL_SHIFT),
         (E("reliable.series-break", RESULTS, 25, "value", "warning"),), message_has=("501", "800")),
    # ------------------------------------------------------------- timely
    Case("results-late", set_as_of("2011-02-01"),
         (E("timely.results-late", RESULTS, None, None, "warning"),), message_has=("2010-11 Q3",)),
    Case("exception-report-late",
         lambda site: [set_as_of("2010-11-08")(site), delete_file(f"{NARRATIVES}/EB-03.md")(site)],
         (E("timely.exception-report-late", f"{NARRATIVES}/", None, None, "warning"),
          E("complete.narrative", f"{NARRATIVES}/EB-03.md", None, None, "warning"))),
    Case("partnership-report-late",
         lambda site: [set_as_of("2010-11-20")(site), delete_file("content/reports/2010-11-q2/health.md")(site)],
         (E("timely.partnership-report-late", "content/reports/2010-11-q2/", None, None, "warning"),),
         message_has=("Healthy Eastbrook",)),
    # ----------------------------------------------------------- relevant
    Case("indicator-without-theme", set_cell(INDICATORS, 5, "theme_id", ""),
         (E("relevant.indicator-theme", INDICATORS, 5, "theme_id"),)),
    Case("theme-without-indicators", insert_row(THEMES, 4, ["housing", "Housing", "", "", "3"]),
         (E("relevant.theme-without-indicators", THEMES, 4, "theme_id", "warning"),)),
]


def findings_of(outcome) -> set[Expected]:
    return {Expected(f.rule_id, f.file, f.row, f.column, f.severity.value) for f in outcome.report.findings}


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> Path:
    return copy_site("clean", tmp_path_factory.mktemp("clean") / "site")


def test_the_corpus_is_big_enough_and_covers_every_dimension():
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)
    dimensions = {expected.rule.split(".")[0] for case in CASES for expected in case.expected}
    assert dimensions == {"valid", "accurate", "complete", "reliable", "timely", "relevant"}


@pytest.mark.parametrize("path", PATHS)
def test_the_clean_site_has_no_findings(clean_site, path):
    outcome = check(clean_site, strict=True, force_path=path)
    assert findings_of(outcome) == set()
    assert outcome.site is not None


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_one_defect_is_reported_where_it_is(tmp_path, case, path):
    site = copy_site("clean", tmp_path / "site")
    case.mutate(site)
    outcome = check(site, strict=case.strict, force_path=path)
    assert findings_of(outcome) == set(case.expected)
    if case.expected:
        first = next(f for f in outcome.report.findings if f.rule_id == case.expected[0].rule)
        for words in case.message_has:
            assert words in first.message
    for finding in outcome.report.findings:
        # every finding is a sentence with a way to put it right
        assert finding.message.endswith((".", "?", ")", "”")) and len(finding.how_to_fix) > 10
    blocking = any(expected.severity == "error" for expected in case.expected)
    assert outcome.report.ok is not blocking


@pytest.mark.parametrize("path", PATHS)
def test_a_spreadsheet_export_is_accepted_as_it_is(tmp_path, path):
    """Excel's “CSV UTF-8”: byte-order mark and CRLF line ends, which are not defects."""
    site = copy_site("clean", tmp_path / "site")
    for file in (RESULTS, INDICATORS, TARGETS):
        resave_from_excel(file)(site)
    outcome = check(site, strict=True, force_path=path)
    assert findings_of(outcome) == set()
    assert outcome.site is not None and len(outcome.site.package.indicators) == 5


def test_both_paths_agree_on_a_file_with_many_defects(tmp_path):
    """Every data defect of the corpus at once, in one site, reported the same way by both paths."""
    site = copy_site("clean", tmp_path / "site")
    rows = read_rows(site, RESULTS)
    header = rows[0]
    broken = [
        {"value": "twelve"}, {"period": "2009/10 Q2"}, {"value": "1,000"}, {"note": "=1+1"},
        {"indicator_id": "EB-09"}, {"period": "2010 Apr"}, {"lower_ci": "99"}, {"value": ""},
    ]
    for offset, change in enumerate(broken):
        row = list(rows[1 + offset])
        for column, value in change.items():
            row[header.index(column)] = value
        rows[1 + offset] = row
    rows.append(["EB-02", "2010-11 H1", "160", "", "1600", "1000", "", "", ""])  # over 100 %, and a duplicate
    rows.append(["EB-01", "2010-11 Q2"])  # too short
    write_rows(site, RESULTS, rows)
    reports = {path: check(site, force_path=path).report for path in PATHS}
    as_dicts = {path: sorted((f.to_dict() for f in report.sorted_findings), key=repr) for path, report in reports.items()}
    assert as_dicts["frictionless"] == as_dicts["fast"]
    assert len(as_dicts["fast"]) >= len(broken)
