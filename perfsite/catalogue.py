"""The data-quality rules in force: one entry per rule.

The rules follow the Audit Commission's six dimensions of data quality ("Standards
for Better Data Quality"): accurate, valid, reliable, timely, relevant, complete.
Safety rules (files a spreadsheet or a browser could be tricked by) sit under
"valid". An error blocks publishing; a warning is shown in the report and on the
site's data-quality page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .i18n import N_


class Dimension(str, enum.Enum):
    ACCURATE = "accurate"
    VALID = "valid"
    RELIABLE = "reliable"
    TIMELY = "timely"
    RELEVANT = "relevant"
    COMPLETE = "complete"

    @property
    def meaning(self) -> str:
        return DIMENSION_MEANINGS[self]


DIMENSION_MEANINGS = {
    Dimension.ACCURATE: N_("Figures are correct and every reference points to something that exists."),
    Dimension.VALID: N_("Figures are recorded the agreed way: the right types, spellings and ranges."),
    Dimension.RELIABLE: N_("Figures are collected consistently, so a series can be trusted over time."),
    Dimension.TIMELY: N_("Figures are published to the reporting timetable."),
    Dimension.RELEVANT: N_("Every figure serves a purpose: each indicator traces up to a theme."),
    Dimension.COMPLETE: N_("Nothing expected is missing, and every gap is explained."),
}


class Severity(str, enum.Enum):
    ERROR = "error"  # blocks publishing
    WARNING = "warning"  # shown, does not block


@dataclass(frozen=True)
class Rule:
    id: str
    dimension: Dimension
    severity: Severity
    title: str  # what the rule asks for, as a short sentence
    fix: str  # how to put a problem right, in general terms
    strict_severity: Severity | None = None  # severity under build --strict, when different


_RULES = (
    # ------------------------------------------------------------------ valid
    Rule("valid.encoding", Dimension.VALID, Severity.ERROR,
         N_("Data files, Markdown files and site.yaml are saved as UTF-8 text."),
         N_("Save the file as “CSV UTF-8 (comma delimited)” (in Excel: File › Save As › CSV UTF-8); "
         "save text files as UTF-8 (in Notepad: File › Save As › Encoding: UTF-8).")),
    Rule("valid.descriptor", Dimension.VALID, Severity.ERROR,
         N_("The data package descriptor (data/datapackage.yaml) is readable and lists every resource of the contract."),
         N_("Correct data/datapackage.yaml: each resource needs a name and a path to a CSV file inside data/.")),
    Rule("valid.site-config", Dimension.VALID, Severity.ERROR,
         N_("site.yaml is readable and every setting has a value of the right kind."),
         N_("Correct the setting named in the message; defaults.yaml lists every setting with an example.")),
    Rule("valid.front-matter", Dimension.VALID, Severity.ERROR,
         N_("The YAML front matter at the top of each Markdown file is readable."),
         N_("Check the lines between the two “---” lines: each should be “name: value”; put values containing a colon in quotes.")),
    Rule("valid.header", Dimension.VALID, Severity.ERROR,
         N_("Each data file has a header row with every required column, each named once."),
         N_("Add or rename the column in the first row of the file so it matches the contract's column names exactly.")),
    Rule("valid.unknown-column", Dimension.VALID, Severity.WARNING,
         N_("Columns that are not part of the contract are ignored."),
         N_("Remove the column, or check its name for a typing mistake.")),
    Rule("valid.row-shape", Dimension.VALID, Severity.ERROR,
         N_("Every row has as many cells as the header row."),
         N_("Remove the extra cells, or add the missing ones; a comma inside a cell needs the cell in double quotes.")),
    Rule("valid.blank-row", Dimension.VALID, Severity.WARNING,
         N_("Data files have no blank rows between rows of data (a blank row is ignored)."),
         N_("Delete the blank row, or fill it in if a row of data was lost.")),
    Rule("valid.trailing-blank-rows", Dimension.VALID, Severity.WARNING,
         N_("Data files end with the last row of data."),
         N_("Delete the empty rows at the end of the file (spreadsheets often leave them when saving).")),
    Rule("valid.required", Dimension.VALID, Severity.ERROR,
         N_("Required cells are filled in."),
         N_("Fill in the cell.")),
    Rule("valid.number", Dimension.VALID, Severity.ERROR,
         N_("Numbers are written as plain digits with an optional minus sign and decimal point."),
         N_("Write the number like 1234.5: no thousands commas, spaces, currency or % signs, and no words such as NaN.")),
    Rule("valid.enum", Dimension.VALID, Severity.ERROR,
         N_("Cells with a fixed list of values use one of them, spelt exactly."),
         N_("Use one of the values the message lists, in lower case.")),
    Rule("valid.id", Dimension.VALID, Severity.ERROR,
         N_("Ids are safe in file names and web addresses."),
         N_("Use only letters, digits and hyphens (indicator ids may also use . and _), starting with a letter or digit.")),
    Rule("valid.text-format", Dimension.VALID, Severity.ERROR,
         N_("Text cells of a column with a required format (a length, a pattern) follow it."),
         N_("Write the cell in the format the column's description asks for.")),
    Rule("valid.period", Dimension.VALID, Severity.ERROR,
         N_("Periods are written the contract's way: 2008-09, 2008-09 Q1, 2008-09 H1 or 2008 Apr."),
         N_("Write the period as the message suggests.")),
    Rule("valid.period-granularity", Dimension.VALID, Severity.ERROR,
         N_("A result's period matches its indicator's frequency (a target may also be for the whole year)."),
         N_("Give a period of the indicator's frequency, or correct the indicator's frequency.")),
    Rule("valid.percentage-range", Dimension.VALID, Severity.WARNING,
         N_("Percentages usually lie between 0 and 100 (a plausibility check, used when the indicator declares no bounds)."),
         N_("Check the figure (write 45 for 45 %, not 0.45). If it is right, as a % change, a pay gap or spend "
         "above budget can be, declare the indicator's bounds in value_min and value_max in indicators.csv.")),
    Rule("valid.numerator-denominator", Dimension.VALID, Severity.WARNING,
         N_("Where numerator and denominator are given, the value usually equals numerator ÷ denominator in the "
         "indicator's unit (a plausibility check, used when the indicator declares no derivation)."),
         N_("Check the value, the numerator and the denominator. If the value is rightly not numerator ÷ denominator "
         "(a % difference, an index), write “none” in the indicator's derivation column in indicators.csv.")),
    Rule("valid.confidence-interval", Dimension.VALID, Severity.ERROR,
         N_("A confidence interval has both limits, lower first, with the value between them."),
         N_("Give both lower_ci and upper_ci, with lower_ci ≤ value ≤ upper_ci.")),
    Rule("valid.formula-cell", Dimension.VALID, Severity.WARNING,
         N_("Text cells do not start with a character that makes a spreadsheet run them as a formula (= + - @)."),
         N_("Reword the cell so it does not start with = + - or @ (published downloads neutralise it, but the source should be clean).")),
    Rule("valid.content-file", Dimension.VALID, Severity.ERROR,
         N_("Content files are where the contract expects them, named after a period and an indicator or theme."),
         N_("Move or rename the file: narratives go in content/narratives/<period>/<indicator id>.md, "
         "commentary in content/reports/<period>/<theme id>.md.")),
    Rule("valid.release-line", Dimension.VALID, Severity.WARNING,
         N_("A Release line at the end of a commit message names a reporting period, like “Release: 2010-11 Q2”."),
         N_("Tag the commit with release/<period> instead: a commit message cannot be changed once committed.")),
    Rule("valid.raw-html", Dimension.VALID, Severity.WARNING,
         N_("Markdown does not contain HTML tags, which are shown as text, never run."),
         N_("Use Markdown instead of HTML (for example **bold**, [link](https://…), “- ” for lists).")),
    # --------------------------------------------------------------- accurate
    Rule("accurate.unique-key", Dimension.ACCURATE, Severity.ERROR,
         N_("Each theme, indicator and result appears once."),
         N_("Remove the duplicate row, or correct its id or period.")),
    Rule("accurate.reference", Dimension.ACCURATE, Severity.ERROR,
         N_("Every reference to a theme or indicator points to one that exists."),
         N_("Correct the id so it matches one in themes.csv or indicators.csv exactly, or add the missing theme or indicator.")),
    Rule("accurate.target-levels", Dimension.ACCURATE, Severity.ERROR,
         N_("A monitoring level is on the worse side of its target, and a stretch target on the better side, for the indicator's polarity."),
         N_("Swap or correct the levels: for “higher is better” the monitoring level is below the target and the stretch above it.")),
    Rule("accurate.declared-bounds", Dimension.ACCURATE, Severity.ERROR,
         N_("Values, confidence limits, targets and benchmarks lie within the bounds the indicator declares "
         "(value_min, value_max)."),
         N_("Correct the figure, or the indicator's declared bounds in indicators.csv if they are wrong.")),
    Rule("accurate.declared-derivation", Dimension.ACCURATE, Severity.ERROR,
         N_("Where the indicator declares a derivation scale, the value equals numerator ÷ denominator × that scale, "
         "to the precision the value is written to."),
         N_("Correct the value, the numerator or the denominator, or the indicator's derivation in indicators.csv.")),
    Rule("accurate.address-kept", Dimension.ACCURATE, Severity.ERROR,
         N_("Every page address of an earlier release still exists: scrutiny papers and links cite them."),
         N_("Put back what was removed: keep a published indicator in indicators.csv and mark it retired (columns "
         "retired and replaced_by) instead of deleting it; keep theme ids and page file names as they were.")),
    Rule("accurate.release-unambiguous", Dimension.ACCURATE, Severity.ERROR,
         N_("Each reporting period is released by one commit: two Release lines in commit messages do not name "
         "different commits for the same period."),
         N_("Tag the commit that published the period (git tag -a release/<period> <commit>): a tag decides between "
         "Release lines, which cannot be changed once committed.")),
    Rule("accurate.release-tag-decides", Dimension.ACCURATE, Severity.WARNING,
         N_("A release tag and a Release line in a commit message name the same commit for a period."),
         N_("Delete the tag if the commit with the Release line is the release; otherwise keep it: the tag decides.")),
    Rule("accurate.target-not-rated", Dimension.ACCURATE, Severity.WARNING,
         N_("Indicators with polarity “none” have no targets (they are not rated)."),
         N_("Remove the target, or give the indicator a polarity.")),
    # --------------------------------------------------------------- complete
    Rule("complete.expected-period", Dimension.COMPLETE, Severity.WARNING,
         N_("Every period between an indicator's first and latest result has a row."),
         N_("Add a row for the period; if there is no figure, leave the value empty and say why in the note.")),
    Rule("complete.no-target", Dimension.COMPLETE, Severity.WARNING,
         N_("Every rated indicator has at least one target."),
         N_("Add the indicator's targets to targets.csv.")),
    Rule("complete.missing-value-note", Dimension.COMPLETE, Severity.WARNING,
         N_("A result without a value has a note saying why."),
         N_("Fill in the value, or write in the note why there is none (for example “Survey not run this year”).")),
    Rule("complete.narrative", Dimension.COMPLETE, Severity.WARNING,
         N_("Every under-performance exception of the period being published has an exception narrative."),
         N_("Write content/narratives/<period>/<indicator id>.md with the sections Why, Action being taken and Decisions required."),
         strict_severity=Severity.ERROR),
    Rule("complete.narrative-section", Dimension.COMPLETE, Severity.WARNING,
         N_("An exception narrative has the sections Why, Action being taken and Decisions required."),
         N_("Add the missing section as a heading (## Why, ## Action being taken, ## Decisions required) with text under it.")),
    # --------------------------------------------------------------- reliable
    Rule("reliable.outlier", Dimension.RELIABLE, Severity.WARNING,
         N_("A value is not far from the rest of its own series without explanation."),
         N_("Check the figure against its source; if it is right, say why in the note.")),
    Rule("reliable.series-break", Dimension.RELIABLE, Severity.WARNING,
         N_("A series does not jump suddenly between consecutive results without explanation."),
         N_("Check both figures; if the definition or the data source changed, say so in the note.")),
    # ----------------------------------------------------------------- timely
    Rule("timely.results-late", Dimension.TIMELY, Severity.WARNING,
         N_("Results are collated within the timetable after the end of each reporting period."),
         N_("Add the results of the period that is due, or check the timetable in site.yaml.")),
    Rule("timely.exception-report-late", Dimension.TIMELY, Severity.WARNING,
         N_("Exception narratives are ready within the timetable."),
         N_("Write the missing exception narratives for the period.")),
    Rule("timely.partnership-report-late", Dimension.TIMELY, Severity.WARNING,
         N_("Theme commentaries for the partnership report are ready within the timetable."),
         N_("Write the missing commentaries in content/reports/<period>/<theme id>.md.")),
    # --------------------------------------------------------------- relevant
    Rule("relevant.indicator-theme", Dimension.RELEVANT, Severity.ERROR,
         N_("Every indicator is tied to a theme (the golden thread)."),
         N_("Give the indicator the id of an existing theme in its theme_id column.")),
    Rule("relevant.theme-without-indicators", Dimension.RELEVANT, Severity.WARNING,
         N_("Every theme leads or contributes to at least one indicator."),
         N_("Add the theme's indicators, or remove the theme.")),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}

# The severity principle: an ERROR is only what is certainly wrong; anything that is
# merely unlikely (a plausibility check) is a WARNING, unless the publisher declared
# what the figures must satisfy. Each rule's reason, shown in docs/data-quality.md.
SEVERITY_PRINCIPLE = (
    "An **error** is only what is certainly wrong: a file that cannot be read, a broken key or "
    "reference, an impossible or misspelt period, a cell of the wrong type, a value outside its own "
    "confidence interval, target levels on the wrong side of the target, or a breach of what the "
    "publisher has declared the figures must satisfy. Everything that is only unlikely (a percentage "
    "outside 0 to 100, an outlier, a break in a series, a value that is not numerator ÷ denominator "
    "where no derivation is declared, a gap in a series) is a **warning**: real published statistics "
    "are sometimes exactly like that, and must publish unedited. A publisher who knows what the "
    "figures must satisfy declares it on the indicator (value_min, value_max, derivation in "
    "indicators.csv), and the warning becomes an exact check whose breach is an error."
)

SEVERITY_REASONS: dict[str, str] = {
    "valid.encoding": "Certainly wrong: the file cannot be read.",
    "valid.descriptor": "Certainly wrong: the data package cannot be read.",
    "valid.site-config": "Certainly wrong: a setting cannot be read or has the wrong kind of value.",
    "valid.front-matter": "Certainly wrong: the page's settings cannot be read.",
    "valid.header": "Certainly wrong: without the column no row can be read.",
    "valid.unknown-column": "Harmless: the column is ignored.",
    "valid.row-shape": "Certainly wrong: the cells of the row cannot be matched to their columns.",
    "valid.blank-row": "Harmless as it stands (the row is ignored), though a row may have been lost.",
    "valid.trailing-blank-rows": "Harmless: spreadsheets add them; they are ignored.",
    "valid.required": "Certainly wrong: the row cannot be placed or shown without it.",
    "valid.number": "Certainly wrong: the cell cannot be read as the number it must be.",
    "valid.enum": "Certainly wrong: the value means nothing to the rules.",
    "valid.id": "Certainly wrong: the id cannot be a web address or file name.",
    "valid.text-format": "Certainly wrong: the schema declares the format.",
    "valid.period": "Certainly wrong: the period does not exist or cannot be read.",
    "valid.period-granularity": "Certainly wrong: the period cannot be placed in the indicator's series.",
    "valid.percentage-range": "Plausibility only: a % change, a pay gap or spend above budget is rightly outside 0-100.",
    "valid.numerator-denominator": "Plausibility only: a value may rightly be derived another way (a % difference, an index).",
    "valid.confidence-interval": "Certainly wrong: a value cannot lie outside its own interval, nor the limits be reversed.",
    "valid.formula-cell": "Harmless on the site (downloads neutralise it), but risky in the source file.",
    "valid.content-file": "Certainly wrong: the file cannot be placed on any page.",
    "valid.release-line": "Not wrong in the data: the line is not counted as a release.",
    "valid.raw-html": "Harmless: the HTML is shown as text, never run.",
    "accurate.unique-key": "Certainly wrong: two rows claim the same figure or address.",
    "accurate.reference": "Certainly wrong: the reference points at nothing.",
    "accurate.target-levels": "Certainly wrong: the levels contradict the indicator's polarity.",
    "accurate.declared-bounds": "Certainly wrong: the publisher declared these bounds.",
    "accurate.declared-derivation": "Certainly wrong: the publisher declared this derivation.",
    "accurate.address-kept": "Certainly wrong: a published address would stop working.",
    "accurate.release-unambiguous": "Certainly wrong: the history would not say which figures were published.",
    "accurate.release-tag-decides": "Not wrong: the tag says which commit is the release; the message disagrees.",
    "accurate.target-not-rated": "Harmless: the target is not used.",
    "complete.expected-period": "Not certainly wrong: a survey may not have run; the gap is shown.",
    "complete.no-target": "Not wrong: a set may be published for comparison only, without RAG ratings.",
    "complete.missing-value-note": "Not wrong in itself: the gap is published; readers deserve the reason.",
    "complete.narrative": "Not wrong in the data; an error with --strict, so the published report is complete.",
    "complete.narrative-section": "Not wrong in the data: the narrative is shown as written.",
    "reliable.outlier": "Plausibility only: unusual figures are sometimes right.",
    "reliable.series-break": "Plausibility only: definitions and sources change.",
    "timely.results-late": "About the timetable, not the figures.",
    "timely.exception-report-late": "About the timetable, not the figures.",
    "timely.partnership-report-late": "About the timetable, not the figures.",
    "relevant.indicator-theme": "Certainly wrong: the indicator would appear on no page.",
    "relevant.theme-without-indicators": "Not wrong: the theme's page is simply empty.",
}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
