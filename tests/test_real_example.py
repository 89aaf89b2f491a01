"""A real council's published data (examples/hart), built as it was published.

Hart District Council's key performance indicators, converted by
examples/hart/convert.py with every judgement in examples/hart/SOURCES.md. The site
must build with no error and no code change; perfsite's computed status is set beside
the council's own rating for every result, and every difference is one SOURCES.md
explains.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPOSITORY, build_site, copy_site, read_json
from perfsite.pipeline import check

HART = REPOSITORY / "examples" / "hart"

# (indicator, period): (council's rating, perfsite's status), as SOURCES.md explains them.
EXPLAINED_DIFFERENCES = {
    ("ETS01", "2014-15 Q1"): ("red", "no-data"),
    ("ETS01", "2014-15 Q2"): ("red", "no-data"),
    ("IT01", "2014-15 Q1"): ("amber", "red"),
    ("IT03", "2014-15 Q1"): ("green", "red"),
    ("FI06", "2014-15 Q2"): ("amber", "green"),
    ("HR11", "2014-15 Q2"): ("red", "green"),
    ("HS16", "2014-15 Q2"): ("green", "red"),
    ("IT06", "2014-15 Q2"): ("green", "no-data"),
    ("PS05", "2014-15 Q2"): ("green", "no-data"),
    ("RB09", "2014-15 Q2"): ("not-rated", "no-target"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("hart") / "out"
    outcome = build_site(copy_site(HART, tmp_path_factory.mktemp("hart-site") / "site"), out)
    return outcome, out


def test_the_real_data_builds_with_no_error(built):
    outcome, out = built
    assert outcome.ok and not outcome.report.errors
    # the only warnings: the council published no exception narratives
    assert {f.rule_id for f in outcome.report.warnings} <= {"complete.narrative", "timely.exception-report-late"}
    assert len(read_json(out, "api/indicators.json")["indicators"]) == 45
    assert (out / "reports/2014-15-q2/index.html").is_file()


def test_a_negative_percentage_reduction_is_published_as_it_is(built):
    _, out = built
    series = {entry["period"]: entry for entry in read_json(out, "api/indicators/snh02.json")["series"]}
    assert series["2014-15 Q1"]["value"] == -16 and series["2014-15 Q2"]["value"] == -9
    assert series["2014-15 Q2"]["direction"] == "improving" and series["2014-15 Q2"]["status"] == "red"
    page = (out / "indicators/snh02/index.html").read_text(encoding="utf-8")
    assert "<dd>-9%" in page or "-9%</" in page


def test_computed_ratings_agree_with_the_councils_except_where_explained(built):
    _, out = built
    with open(HART / "council-ratings.csv", encoding="utf-8") as handle:
        ratings = list(csv.DictReader(handle))
    assert len(ratings) == 90
    differences = {}
    for rating in ratings:
        series = read_json(out, f"api/indicators/{rating['indicator_id'].lower()}.json")["series"]
        ours = next(entry["status"] for entry in series if entry["period"] == rating["period"])
        if ours != rating["council_rating"]:
            differences[(rating["indicator_id"], rating["period"])] = (rating["council_rating"], ours)
    assert differences == EXPLAINED_DIFFERENCES
    sources = (HART / "SOURCES.md").read_text(encoding="utf-8")
    for indicator, period in differences:
        assert f"| {indicator} | {period} |" in sources, f"SOURCES.md does not explain {indicator} {period}"


def test_without_declared_bounds_the_negative_percentages_only_warn(tmp_path):
    site = copy_site(HART, tmp_path / "site")
    indicators = (site / "data/indicators.csv").read_text(encoding="utf-8")
    (site / "data/indicators.csv").write_text(indicators.replace(",-100,100,", ",,,"), encoding="utf-8")
    report = check(site).report
    assert report.ok
    ranged = [f for f in report.warnings if f.rule_id == "valid.percentage-range"]
    assert {(f.indicator, f.value) for f in ranged} >= {("SNH02", "-16"), ("SNH02", "-9")}


def test_the_conversion_reproduces_the_committed_data(tmp_path):
    copy = tmp_path / "hart"
    shutil.copytree(HART, copy, ignore=shutil.ignore_patterns("output", ".cache"))
    shutil.rmtree(copy / "data")
    (copy / "council-ratings.csv").unlink()
    subprocess.run([sys.executable, str(copy / "convert.py")], check=True)
    for path in sorted((HART / "data").iterdir()) + [HART / "council-ratings.csv"]:
        produced = copy / path.relative_to(HART)
        assert produced.read_bytes() == path.read_bytes(), f"{path.name} differs from what convert.py writes"


def test_no_page_shows_a_programming_word(built):
    """Residents read words, not "None" or "nan"; a missing forecast says why."""
    import re

    _, out = built
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r">\s*(None|nan|NaN|null|undefined)\s*<", text), page
    indicator = (out / "indicators/snh02/index.html").read_text(encoding="utf-8")
    assert "No forecast: no target is set for 2014-15." in indicator


def test_every_page_and_file_of_hart_is_a_permanent_address(built):
    from helpers import assert_addresses_are_what_the_build_wrote

    outcome, out = built
    assert_addresses_are_what_the_build_wrote(outcome, out)
