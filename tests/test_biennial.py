"""A survey run every other year (frequency biennial), end to end on the clean site."""

from __future__ import annotations

from helpers import build_site, copy_site, read_json
from test_quality_corpus import INDICATORS, RESULTS, TARGETS, read_rows, write_rows


def test_a_biennial_survey_compares_with_the_previous_survey_and_has_no_gaps(tmp_path):
    site = copy_site("clean", tmp_path / "site")
    rows = read_rows(site, INDICATORS)
    rows[5][rows[0].index("frequency")] = "biennial"  # EB-05, higher is better
    write_rows(site, INDICATORS, rows)
    results = [row for row in read_rows(site, RESULTS) if not row or row[0] != "EB-05"]
    results += [["EB-05", period, value, "", "", "", "", "", ""]
                for period, value in (("2004-05", "41.0"), ("2006-07", "44.5"), ("2008-09", "48.0"), ("2010-11", "44.0"))]
    write_rows(site, RESULTS, results)
    targets = [row for row in read_rows(site, TARGETS) if not row or row[0] != "EB-05"]
    targets += [["EB-05", "2008-09", "47.0", "", "", ""], ["EB-05", "2010-11", "50.0", "", "", ""]]
    write_rows(site, TARGETS, targets)
    (site / "data/assessments.csv").write_text("indicator_id,period,forecast,reason\n", encoding="utf-8")

    outcome = build_site(site, tmp_path / "out")
    assert outcome.ok
    rules = {f.rule_id for f in outcome.report.findings}
    assert "complete.expected-period" not in rules, "a survey every other year leaves no gap"
    assert "accurate.reference" not in rules
    series = read_json(tmp_path / "out", "api/indicators/eb-05.json")["series"]
    by_period = {entry["period"]: entry for entry in series}
    assert [entry["period"] for entry in series] == ["2004-05", "2006-07", "2008-09", "2010-11"]
    assert by_period["2004-05"]["direction"] == "not-comparable"
    assert by_period["2006-07"]["compared_with"] == "2004-05" and by_period["2006-07"]["direction"] == "improving"
    assert by_period["2010-11"]["compared_with"] == "2008-09" and by_period["2010-11"]["direction"] == "worsening"
    assert by_period["2008-09"]["status"] == "green" and by_period["2010-11"]["status"] == "red"


def test_a_gap_in_a_biennial_series_is_a_missing_survey(tmp_path):
    site = copy_site("clean", tmp_path / "site")
    rows = read_rows(site, INDICATORS)
    rows[5][rows[0].index("frequency")] = "biennial"
    write_rows(site, INDICATORS, rows)
    results = [row for row in read_rows(site, RESULTS) if not row or row[0] != "EB-05"]
    results += [["EB-05", "2004-05", "41.0", "", "", "", "", "", ""], ["EB-05", "2008-09", "48.0", "", "", "", "", "", ""]]
    write_rows(site, RESULTS, results)
    (site / "data/assessments.csv").write_text("indicator_id,period,forecast,reason\n", encoding="utf-8")
    from perfsite.pipeline import check

    gaps = [f for f in check(site).report.findings if f.rule_id == "complete.expected-period"]
    assert [f.value for f in gaps] == ["2006-07"]
