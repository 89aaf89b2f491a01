"""Progress while a build runs (bars on a terminal, a few plain lines in CI), within
validation, charts and pages, and the build summary of the build command."""

from __future__ import annotations

import io
import os
import re

import pytest
from click.testing import CliRunner
from rich.console import Console

from perfsite import progress
from perfsite import workers as workers_module
from perfsite.cli import make_cli
from perfsite.stages import COUNTED, STAGES
from tests.helpers import build_site, copy_site, snapshot


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


# ------------------------------------------------- progress within the stages
class Recorder:
    """A progress object that keeps every call, with the process it came from."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def speaks(self, language):
        self.calls.append(("speaks", language, None, os.getpid()))

    def start(self, counted, total):
        self.calls.append(("start", counted, total, os.getpid()))

    def advance(self, counted, steps=1):
        self.calls.append(("advance", counted, steps, os.getpid()))

    def done(self, stage, seconds):
        self.calls.append(("done", stage, seconds, os.getpid()))

    def totals(self) -> dict[str, int]:
        return {counted: total for kind, counted, total, _ in self.calls if kind == "start"}

    def advanced(self) -> dict[str, int]:
        sums: dict[str, int] = {}
        for kind, counted, steps, _ in self.calls:
            if kind == "advance":
                sums[counted] = sums.get(counted, 0) + steps
        return sums

    def steps(self, counted: str) -> list[int]:
        return [steps for kind, name, steps, _ in self.calls if kind == "advance" and name == counted]


def small_batches(site):
    """Two indicators a batch, so that the charts and indicator pages come in several batches."""
    settings = site / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "charts:\n  batch: 2\n", encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recorded")
    site = small_batches(copy_site("eastbrook", folder / "site"))
    recorder = Recorder()
    outcome = build_site(site, folder / "out", progress=recorder)
    assert outcome.ok
    return site, folder, recorder, outcome


def test_each_count_is_announced_first_and_its_steps_add_up_to_what_the_build_did(recorded):
    _, folder, recorder, outcome = recorded
    rendered = outcome.rendered
    totals = recorder.totals()
    assert totals == {"validate": len(outcome.report.files_checked), "charts": rendered.charts_rendered,
                      "pages": rendered.pages}
    assert recorder.advanced() == totals
    assert rendered.pages == sum(1 for _ in (folder / "out").rglob("*.html")) > 20
    assert rendered.charts_rendered == 10  # no cache: every chart drawn, wide and narrow
    for counted in totals:  # announced before its first step
        first = next(i for i, call in enumerate(recorder.calls) if call[:2] == ("advance", counted))
        assert recorder.calls.index(("start", counted, totals[counted], os.getpid())) < first
    assert [call[1] for call in recorder.calls if call[0] == "done"] == list(STAGES)


def test_progress_moves_within_validation_charts_and_pages(recorded):
    _, _, recorder, _ = recorded
    assert len(recorder.steps("validate")) >= 4  # the data files one by one
    assert recorder.steps("charts") == [4, 4, 2]  # five indicators, two a batch, two drawings each
    assert len(recorder.steps("pages")) > 20
    # the stage each count belongs to ends after its last step
    calls = [call[:2] for call in recorder.calls]
    for counted, (stage, _) in COUNTED.items():
        last = max(i for i, call in enumerate(calls) if call == ("advance", counted))
        assert last < calls.index(("done", stage))


def test_reporting_progress_changes_no_byte_of_the_output(recorded, tmp_path):
    site, folder, _, _ = recorded
    assert build_site(site, tmp_path / "quiet").ok  # no progress object: the no-op default
    assert snapshot(tmp_path / "quiet") == snapshot(folder / "out")


def test_pages_and_charts_from_the_cache_are_counted_too(tmp_path):
    site = small_batches(copy_site("eastbrook", tmp_path / "site"))
    assert build_site(site, tmp_path / "first", use_cache=True).ok
    recorder = Recorder()
    again = build_site(site, tmp_path / "again", use_cache=True, progress=recorder)
    assert again.rendered.pages_from_cache == again.rendered.pages and again.rendered.charts_rendered == 0
    assert recorder.advanced() == recorder.totals()
    assert recorder.totals()["pages"] == again.rendered.pages and recorder.totals()["charts"] == 10


def test_progress_is_reported_from_the_building_process_when_a_pool_draws_the_charts(tmp_path, monkeypatch):
    site = small_batches(copy_site("eastbrook", tmp_path / "site"))
    monkeypatch.setattr(workers_module, "POOL_THRESHOLD", 1)  # the small site's charts go to the pool
    recorder = Recorder()
    outcome = build_site(site, tmp_path / "out", workers=2, progress=recorder)
    assert outcome.ok and outcome.rendered.charts_rendered == 10
    assert recorder.advanced() == recorder.totals()
    assert {pid for *_, pid in recorder.calls} == {os.getpid()}


def test_plain_lines_say_a_long_count_about_every_tenth_and_no_more():
    stream, now = io.StringIO(), [0.0]
    lines = progress.PlainLines(stream, clock=lambda: now[0])
    lines.start("charts", 4000)
    lines.start("pages", 2131)
    for _ in range(20):  # batches of 200 charts, each taking ten seconds
        now[0] += 10
        lines.advance("charts", 200)
    for _ in range(2131):
        lines.advance("pages")
    lines.done("render", 412.0)
    said = stream.getvalue().splitlines()
    assert said[0] == "render: 400 of 4,000 charts"
    assert "render: 1,200 of 4,000 charts" in said
    assert sum(1 for line in said if "charts" in line and " of " in line) == 9  # 10% to 90%
    assert sum(1 for line in said if "pages" in line and " of " in line) == 9
    assert said[-1] == "render: done in 412.0s (4,000 charts, 2,131 pages)"
    assert len(said) == 19


def test_plain_lines_say_only_done_for_quick_work():
    stream = io.StringIO()
    lines = progress.PlainLines(stream, clock=lambda: 0.0)
    lines.start("validate", 7)
    for _ in range(7):
        lines.advance("validate")
    lines.done("validate", 0.4)
    lines.done("model", 0.1)
    assert stream.getvalue().splitlines() == ["validate: done in 0.4s (7 files)", "model: done in 0.1s"]


def test_the_build_command_under_ci_prints_a_bounded_number_of_plain_lines(built):
    output, pages = built
    lines = [line for line in output.splitlines() if line.split(":")[0] in STAGES]
    assert len(lines) <= len(STAGES) + 9 * len(COUNTED)
    assert f"(10 charts, {pages} pages)" in next(line for line in lines if line.startswith("render: done in "))
    assert "━" not in output  # no bar drawn into a log


def test_bars_on_a_terminal_show_the_counts(tmp_path):
    site = copy_site("eastbrook", tmp_path / "site")
    screen = io.StringIO()
    with progress.stage_progress(Console(force_terminal=True, file=screen, width=120)) as bars:
        outcome = build_site(site, tmp_path / "out", progress=bars)
    assert outcome.ok
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    files, pages = len(outcome.report.files_checked), outcome.rendered.pages
    for label, count in (("Checking data", f"{files}/{files} files"), ("Drawing charts", "10/10 charts"),
                         ("Writing pages", f"{pages}/{pages} pages"), ("Building: finishing", "6/6 stages")):
        assert re.search(rf"{label}\s+\S+\s+{count}", shown), (label, count, shown[-800:])
