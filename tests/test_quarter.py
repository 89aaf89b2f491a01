"""The publisher's quarter, walked on a copy of the example site with `new-period`."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from perfsite.cli import make_cli
from perfsite.config import Timetable
from perfsite.periods import Period
from perfsite.quarter import deadlines
from tests.helpers import REPOSITORY, add_2011_12_q1, build_site


def test_the_timetable_dates_follow_the_end_of_the_period():
    timetable = Timetable(collate_weeks=4, exception_report_weeks=1, partnership_report_weeks=1, as_of=None)
    dates = [deadline.due.isoformat() for deadline in deadlines(Period.parse("2011-12 Q1"), timetable)]
    assert dates == ["2011-07-28", "2011-08-04", "2011-08-11"]


@pytest.fixture(scope="module")
def quarter(tmp_path_factory):
    """A copy of the example with the results of 2011-12 Q1 added: NI-039 red, NI-135 green."""
    site = tmp_path_factory.mktemp("quarter") / "site"
    site.mkdir()
    for name in ("site.yaml", "data", "content"):
        source = REPOSITORY / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    return add_2011_12_q1(site)


def run(site, *arguments):
    return CliRunner().invoke(make_cli(), [arguments[0], "--site", str(site), *arguments[1:]])


def test_a_quarter_from_new_rows_to_the_published_report(quarter, tmp_path):
    started = run(quarter, "new-period", "2011-12 Q1")
    assert started.exit_code == 0, started.output
    output = started.output
    assert "Under-performance exceptions (1): each needs a narrative." in output
    assert "NI-039 Rate of hospital admissions per 100,000 for alcohol related harm: 512" in output
    assert "Wrote content/narratives/2011-12-q1/NI-039.md (NI-039 exception narrative)." in output
    assert output.count("theme commentary).") == 6
    assert "[ ] by 28 July 2011: results for 2011-12 Q1 collated (4 weeks after the period ends)" in output
    assert "[ ] by 4 August 2011: exception reports written (1 week later)" in output
    assert "[ ] by 11 August 2011: partnership report published (1 week later)" in output
    assert "git tag -a release/2011-12-q1" in output
    assert "with the line “Release: 2011-12 Q1”" in output

    stub = quarter / "content" / "narratives" / "2011-12-q1" / "NI-039.md"
    text = stub.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Why", "## Action being taken", "## Decisions required"]
    assert "# Result for 2011-12 Q1: 512 per 100,000 population (red)" in text
    assert "# Target: 400 per 100,000 population, monitoring level 420 per 100,000 population" in text

    # An unwritten stub is a missing narrative: --strict stops, without --strict it builds.
    strict = run(quarter, "validate", "--strict")
    assert strict.exit_code == 1
    assert "NI-039" in strict.output and "no exception narrative" in strict.output
    assert "no “Why” section" not in strict.output
    assert run(quarter, "validate").exit_code == 0

    # Running it again never overwrites what the publisher has started writing.
    stub.write_text(text.replace("## Why\n", "## Why\n\nAdmissions rose after two wet bank holidays.\n"),
                    encoding="utf-8")
    again = run(quarter, "new-period", "2011-12 Q1")
    assert again.exit_code == 0
    assert "Kept content/reports/2011-12-q1/enterprise.md: it already exists" in again.output
    assert "alcohol related harm: 512 per 100,000 population against a target of 400 per 100,000 population " \
           "(has a narrative)" in again.output
    assert "Wrote" not in again.output
    assert "Admissions rose after two wet bank holidays." in stub.read_text(encoding="utf-8")

    filled = stub.read_text(encoding="utf-8")
    filled = filled.replace("## Action being taken\n", "## Action being taken\n\nA licensing review in August.\n")
    filled = filled.replace("## Decisions required\n", "## Decisions required\n\nNone.\n")
    filled = re.sub(r"^owner:.*$", "owner: Director of Public Health", filled, flags=re.M)
    stub.write_text(filled, encoding="utf-8")
    commentary = quarter / "content" / "reports" / "2011-12-q1" / "well-being.md"
    commentary.write_text(commentary.read_text(encoding="utf-8") + "Alcohol harm is the concern of the board.\n",
                          encoding="utf-8")
    assert run(quarter, "validate", "--strict").exit_code == 0

    out = tmp_path / "out"
    outcome = build_site(quarter, out, strict=True)
    assert outcome.ok
    report = (out / "reports" / "2011-12-q1" / "index.html").read_text(encoding="utf-8")
    assert "2011-12 Q1" in report
    theme = (out / "reports" / "2011-12-q1" / "well-being" / "index.html").read_text(encoding="utf-8")
    assert "Admissions rose after two wet bank holidays." in theme and "Director of Public Health" in theme
    assert "Alcohol harm is the concern of the board." in theme
    # Theme commentaries left empty are not shown as empty sections.
    assert "Summary from the theme board" not in (
        out / "reports" / "2011-12-q1" / "enterprise" / "index.html").read_text(encoding="utf-8")


def test_new_period_needs_the_period_rows_first(quarter):
    result = run(quarter, "new-period", "2011-12 Q2")
    assert result.exit_code == 1
    assert "no results for 2011-12 Q2 in data/results.csv yet" in result.output
    assert not (quarter / "content" / "narratives" / "2011-12-q2").exists()


def test_new_period_refuses_a_period_it_cannot_read(quarter):
    result = run(quarter, "new-period", "Q5 2011")
    assert result.exit_code == 2
