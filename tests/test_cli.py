"""The command line as publishers and CI use it: reports, formats, exit statuses, preview."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import REPOSITORY, copy_site, snapshot
from test_quality_corpus import RESULTS, set_cell
from perfsite.cli import EXIT_DATA_ERRORS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, make_cli

cli = make_cli()


def run(*arguments: str):
    result = CliRunner().invoke(cli, list(arguments))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def clean(tmp_path) -> Path:
    return copy_site("clean", tmp_path / "site")


@pytest.fixture
def broken(tmp_path) -> Path:
    """The clean site with one error (a percentage sign in a value) and one warning (a formula)."""
    site = copy_site("clean", tmp_path / "site")
    set_cell(RESULTS, 4, "value", "12%")(site)
    set_cell(RESULTS, 18, "note", "=no count, system replaced")(site)
    return site


def test_validate_clean_site_exits_0(clean):
    result = run("validate", "--site", str(clean))
    assert result.exit_code == EXIT_OK
    assert "0 errors, 0 warnings" in result.output and "Nothing blocks publishing" in result.output


def test_validate_reports_by_file_with_row_column_rule_and_fix(broken):
    result = run("validate", "--site", str(broken))
    assert result.exit_code == EXIT_DATA_ERRORS
    lines = result.output.splitlines()
    # the summary first: each rule with its count, severity and meaning, errors first
    assert lines[0] == "Summary"
    assert lines[1].split()[:3] == ["1", "ERROR", "valid.number"] and "plain digits" in lines[1]
    assert lines[2].split()[:3] == ["1", "WARNING", "valid.formula-cell"]
    details = lines.index("Details")
    lines = lines[details + 2:]
    assert lines[0] == "data/results.csv"
    assert lines[1] == "  row 4, column value: ERROR [valid.number]"
    assert "“12%” in column “value” is not a number." in lines[2]
    assert lines[3] == "    How to fix: Remove the % sign: write “12”. The unit is set on the indicator."
    assert "  row 18, column note: WARNING [valid.formula-cell]" in lines
    assert lines[-1].startswith("1 error, 1 warning") and "Publishing is blocked" in lines[-1]


def test_warnings_do_not_block_but_strict_makes_missing_narratives_errors(clean):
    (clean / "content/narratives/2010-11-q2/EB-01.md").unlink()
    relaxed = run("validate", "--site", str(clean))
    assert relaxed.exit_code == EXIT_OK and "[complete.narrative]" in relaxed.output
    strict = run("validate", "--site", str(clean), "--strict")
    assert strict.exit_code == EXIT_DATA_ERRORS
    assert "ERROR [complete.narrative]" in strict.output


def test_json_report_is_machine_readable(broken):
    result = run("validate", "--site", str(broken), "--format", "json")
    assert result.exit_code == EXIT_DATA_ERRORS
    report = json.loads(result.output)
    assert report["ok"] is False and report["errors"] == 1 and report["warnings"] == 1
    first = report["findings"][0]
    assert {k: first[k] for k in ("file", "row", "column", "rule", "dimension", "severity")} == {
        "file": "data/results.csv", "row": 4, "column": "value", "rule": "valid.number",
        "dimension": "valid", "severity": "error"}
    assert first["fix"].startswith("Remove the % sign") and first["value"] == "12%"
    assert report["rows_checked"] == 40 and "data/results.csv" in report["files_checked"]


def test_github_annotations_point_at_file_line_and_column(broken, monkeypatch):
    monkeypatch.chdir(broken.parent)  # annotations name files from the repository root, here the site's parent
    result = run("validate", "--site", "site", "--format", "github")
    assert result.exit_code == EXIT_DATA_ERRORS
    annotations = [line for line in result.output.splitlines() if line.startswith("::")]
    assert len(annotations) == 2
    error = annotations[0]
    assert error.startswith("::error file=site/data/results.csv,line=4,col=3,title=valid.number::")
    # workflow-command escaping: % in the message, and no raw newline anywhere
    assert "“12%25” in column “value”" in error and "12%”" not in error
    warning = annotations[1]
    assert warning.startswith("::warning file=site/data/results.csv,line=18,col=5,title=valid.formula-cell::")


def test_github_property_values_are_escaped():
    from perfsite.findings import Finding, ValidationReport
    from perfsite.quality.report import as_github

    report = ValidationReport()
    report.add([Finding("valid.content-file", "content/pages/a,b: c%.md", "Line one\nline two 100%.")])
    line = as_github(report, Path("/nowhere")).splitlines()[0]
    assert line.startswith("::error file=content/pages/a%2Cb%3A c%25.md,title=valid.content-file::")
    assert "Line one%0Aline two 100%25." in line


def test_usage_errors_exit_2_with_a_sentence(tmp_path, clean):
    missing = run("validate", "--site", str(tmp_path / "nowhere"))
    assert missing.exit_code == EXIT_USAGE and "does not exist" in missing.output
    wrong_format = run("validate", "--site", str(clean), "--format", "xml")
    assert wrong_format.exit_code == EXIT_USAGE and "'xml' is not one of" in wrong_format.output
    unknown_option = run("build", "--site", str(clean), "--fast")
    assert unknown_option.exit_code == EXIT_USAGE and "No such option" in unknown_option.output
    into_the_site = run("build", "--site", str(clean), "--out", str(clean / "data"))
    assert into_the_site.exit_code == EXIT_USAGE and "Error:" in into_the_site.output


def test_a_failed_build_writes_nothing_and_says_so(broken, tmp_path):
    out = tmp_path / "published"
    first = run("build", "--site", str(broken), "--out", str(out))
    assert first.exit_code == EXIT_DATA_ERRORS and not out.exists()
    assert "Nothing was written" in first.output


def test_build_writes_the_site_and_reports_what_it_did(clean, tmp_path):
    out = tmp_path / "published"
    result = run("build", "--site", str(clean), "--out", str(out), "--no-cache", "--workers", "1")
    assert result.exit_code == EXIT_OK, result.output
    assert re.search(r"Built \d+ pages and \d+ other files into ", result.output)
    assert (out / "index.html").is_file() and (out / "data/quality/index.html").is_file()
    before = snapshot(out)
    set_cell(RESULTS, 4, "value", "12%")(clean)
    again = run("build", "--site", str(clean), "--out", str(out), "--no-cache", "--workers", "1")
    assert again.exit_code == EXIT_DATA_ERRORS
    assert snapshot(out) == before


def test_an_internal_problem_is_not_blamed_on_the_data(clean, monkeypatch):
    import perfsite.pipeline

    def broken_check(*args, **kwargs):
        raise RuntimeError("the assess stage fell over")

    monkeypatch.setattr(perfsite.pipeline, "check", broken_check)
    monkeypatch.delenv("PERFSITE_DEBUG", raising=False)
    result = run("validate", "--site", str(clean))
    assert result.exit_code == EXIT_INTERNAL
    assert "bug in perfsite, not a problem with your data" in result.output
    assert "PERFSITE_DEBUG=1" in result.output


def test_real_process_never_shows_a_traceback_for_bad_files(clean):
    """The console script itself, on files a real office might send."""
    (clean / "data/themes.csv").write_bytes("theme_id,name\nsafer,Safer – Eastbrook\n".encode("cp1252"))
    (clean / "data/datapackage.yaml").write_text("resources: [\n", encoding="utf-8")
    (clean / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    completed = subprocess.run([sys.executable, str(REPOSITORY / "build.py"), "validate", "--site", str(clean)],
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == EXIT_DATA_ERRORS
    output = completed.stdout + completed.stderr
    assert "Traceback" not in output
    for named in ("site.yaml", "data/datapackage.yaml", "[valid.site-config]", "[valid.descriptor]"):
        assert named in output


def test_serve_previews_the_site_on_loopback_with_its_404_page(clean, tmp_path):
    out = tmp_path / "preview"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, str(REPOSITORY / "build.py"), "serve", "--site", str(clean), "--out", str(out),
         "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        deadline = time.monotonic() + 120
        address = None
        while address is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            address = found.group(1) if found else None
        assert address, "serve did not report its address"
        with urllib.request.urlopen(address) as response:
            assert response.status == 200
            assert "Eastbrook" in response.read().decode("utf-8")
        with urllib.request.urlopen(address + "indicators/eb-01/") as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(address + "no/such/page/")
        assert missing.value.code == 404
        not_found = missing.value.read().decode("utf-8")
        assert "Page not found" in not_found
        # the live site's 404 page links by base_url; the preview points those links at itself
        assert 'href="/assets/site.css"' in not_found and "https://eastbrook.example/performance/" not in not_found
        assert "https://eastbrook.example/performance/assets/site.css" in (out / "404.html").read_text("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)


HAND_WRITTEN_MARKER = "<!-- End of the generated part. -->"


def test_the_rules_document_is_the_catalogue():
    from perfsite.catalogue import RULES

    result = run("rules")
    assert result.exit_code == EXIT_OK
    for rule in RULES.values():
        assert f"| `{rule.id}` | " in result.output
    assert "error (warning" not in result.output and "warning (error with --strict)" in result.output
    documented = (REPOSITORY / "docs/data-quality.md").read_text(encoding="utf-8")
    generated, marker, _ = documented.partition(HAND_WRITTEN_MARKER)
    assert marker, f"docs/data-quality.md lacks the line {HAND_WRITTEN_MARKER!r} before its hand-written part"
    assert generated == result.output, (
        "docs/data-quality.md is out of date: replace everything above the marker line with python build.py rules")


def add_spend_over_budget(site: Path) -> None:
    """A monthly % indicator over 25 years, every month above 100 % and no bounds declared."""
    with open(site / "data/indicators.csv", "a", encoding="utf-8") as handle:
        handle.write("EB-09,Spend against profiled budget,health,,local,higher,%,0,monthly,level,,Council,,"
                     "Spend to date as a share of the profiled budget.\n")
    with open(site / "data/results.csv", "a", encoding="utf-8") as handle:
        for month in range(300):
            handle.write(f"EB-09,{1990 + month // 12} {MONTH_ABBREVIATIONS[month % 12]},{101 + month % 3},,,,,,\n")


def test_the_data_quality_page_groups_repeated_findings(clean, tmp_path):
    add_spend_over_budget(clean)
    out = tmp_path / "out"
    result = run("build", "--site", str(clean), "--out", str(out), "--workers", "1")
    assert result.exit_code == EXIT_OK
    html = (out / "data/quality/index.html").read_text(encoding="utf-8")
    assert html.count("[valid.percentage-range]") == 0 and html.count(">valid.percentage-range</a>") == 2
    assert "Rows 22, 23, 24 and 297 more, column value, indicator EB-09" in html
    assert "300 findings" in html
    assert '<caption id="summary-caption">Findings by rule</caption>' in html


def test_a_report_of_hundreds_of_findings_opens_with_a_one_screen_summary(clean):
    """300 results of one indicator over 0-100, plus one real error: one entry each, every finding in JSON."""
    add_spend_over_budget(clean)
    set_cell(RESULTS, 4, "value", "12%")(clean)
    result = run("validate", "--site", str(clean))
    assert result.exit_code == EXIT_DATA_ERRORS
    lines = result.output.splitlines()
    summary = lines[: lines.index("Details")]
    assert len(summary) <= 24, "the summary must fit on one screen"
    assert any(line.split()[:3] == ["300", "WARNING", "valid.percentage-range"] for line in summary)
    entries = [line for line in lines if "[valid.percentage-range]" in line]
    assert entries == ["  rows 22, 23, 24 and 297 more, column value, indicator EB-09: "
                       "WARNING [valid.percentage-range], 300 times"]
    assert len(lines) < 30
    as_json = json.loads(run("validate", "--site", str(clean), "--format", "json").output)
    assert sum(f["rule"] == "valid.percentage-range" for f in as_json["findings"]) == 300
    annotations = run("validate", "--site", str(clean), "--format", "github").output
    assert annotations.count("title=valid.percentage-range") == 300


MONTH_ABBREVIATIONS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
