"""Progress lines and the build summary of the build command."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from perfsite import progress
from perfsite.cli import make_cli
from tests.helpers import copy_site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = copy_site("eastbrook", tmp_path_factory.mktemp("progress") / "site")
    result = CliRunner(env={"CI": "true"}).invoke(
        make_cli(), ["build", "--site", str(site), "--out", str(site.parent / "out"), "--no-cache", "--workers", "1"])
    assert result.exit_code == 0, result.output
    pages = sum(1 for _ in (site.parent / "out").rglob("*.html"))
    return result.output, pages


def test_plain_lines_for_each_stage_under_ci(built, monkeypatch):
    output, _ = built
    monkeypatch.setenv("CI", "true")
    assert progress.plain()
    for stage in progress.STAGES:
        assert f"{stage}: done in " in output


def test_the_build_ends_with_a_summary(built):
    output, pages = built
    summary = output[output.index("Build summary"):]
    lines = summary.splitlines()
    assert lines[1].split()[:4] == ["pages", "written", str(pages), "pages"]  # the HTML files in the output
    assert any(line.split()[0] == "exceptions" and "3 under-performance" in line and "2010-11 Q2" in line
               for line in lines[1:])
    assert any(line.split()[0] == "findings" and "errors" in line and "warnings" in line for line in lines[1:])
    timing = next(line for line in lines if line.strip().startswith("time by stage"))
    assert all(stage in timing for stage in progress.STAGES) and "total" in timing
    assert len(lines) <= 24  # one screen
