"""A build that would change nothing is not run (perfsite/last_build.py): tested through
the command line, as publishers and CI run it, with every kind of change that must make
the next build run whole."""

from __future__ import annotations

import os
import subprocess

import pytest
from click.testing import CliRunner
from helpers import copy_site, snapshot
from test_quality_corpus import RESULTS, set_cell

from perfsite import last_build
from perfsite.cache import CACHE_FOLDER
from perfsite.cli import make_cli

UP_TO_DATE = "Nothing has changed since the last build"


@pytest.fixture
def site(tmp_path):
    return copy_site("clean", tmp_path / "site")


@pytest.fixture
def builds(monkeypatch):
    """Runs `build` and says whether the pipeline ran (it is not even imported on the quick path)."""
    import perfsite.pipeline as pipeline

    calls = []
    real = pipeline.build

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build", counted)

    def run(site, out, *options):
        before = len(calls)
        result = CliRunner().invoke(make_cli(), ["build", "--site", str(site), "--out", str(out), "--workers", "1",
                                                 *options])
        assert result.exit_code == 0, result.output
        return len(calls) > before, result.output

    return run


def inodes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_a_second_build_with_nothing_changed_is_not_run_and_touches_nothing(site, tmp_path, builds):
    out = tmp_path / "out"
    ran, first = builds(site, out)
    assert ran and UP_TO_DATE not in first
    files, files_inodes = snapshot(out), inodes(out)
    ran, second = builds(site, out)
    assert not ran
    assert UP_TO_DATE in second
    # what the site is, as the last build said it: pages, exceptions, findings; not what it did
    assert "pages written" in second and "findings" in second and "from cache" not in second
    assert snapshot(out) == files and inodes(out) == files_inodes


def test_the_quick_path_imports_neither_the_pipeline_nor_pandas(site, tmp_path):
    out = tmp_path / "out"
    command = ["build", "--site", str(site), "--out", str(out), "--workers", "1"]
    probe = ("import sys; from perfsite.cli import main; sys.argv = ['perfsite'] + sys.argv[1:]\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('HEAVY' if {'pandas', 'frictionless', 'perfsite.pipeline'} & set(sys.modules) else 'LIGHT')")
    environment = {**os.environ, "CI": "true"}
    subprocess.run(["python", "-c", probe, *command], check=True, capture_output=True, env=environment)
    second = subprocess.run(["python", "-c", probe, *command], check=True, capture_output=True, text=True,
                            env=environment)
    assert UP_TO_DATE in second.stdout + second.stderr
    assert second.stdout.strip().endswith("LIGHT")


@pytest.mark.parametrize("change", ["a figure", "a narrative", "the settings", "an output file touched",
                                    "an output file added", "an output file removed", "the record deleted"])
def test_any_change_runs_the_whole_build_and_gives_the_bytes_of_a_fresh_one(site, tmp_path, builds, change):
    out = tmp_path / "out"
    builds(site, out)
    if change == "a figure":
        set_cell(RESULTS, 2, "value", "41.5")(site)
    elif change == "a narrative":
        narrative = next((site / "content").rglob("*.md"))
        narrative.write_text(narrative.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    elif change == "the settings":
        settings = site / "site.yaml"
        settings.write_text(settings.read_text(encoding="utf-8").replace("title: ", "title: The ", 1),
                            encoding="utf-8")
    elif change == "an output file touched":
        page = out / "index.html"
        page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>tampered</p></main>"))
    elif change == "an output file added":
        (out / "stray.html").write_text("<p>not ours</p>", encoding="utf-8")
    elif change == "an output file removed":
        (out / "index.html").unlink()
    elif change == "the record deleted":
        last_build.record_path(site / CACHE_FOLDER).unlink()
    ran, output = builds(site, out)
    assert ran and UP_TO_DATE not in output
    fresh = tmp_path / "fresh"
    builds(site, fresh, "--no-cache")
    assert snapshot(out) == snapshot(fresh)


@pytest.mark.parametrize("options", [("--strict",), ("--format", "json"), ("--no-cache",)])
def test_other_options_or_no_cache_run_the_whole_build(site, tmp_path, builds, options):
    out = tmp_path / "out"
    builds(site, out)
    ran, _ = builds(site, out, *options)
    assert ran


def test_another_output_folder_is_built(site, tmp_path, builds):
    builds(site, tmp_path / "out")
    ran, _ = builds(site, tmp_path / "elsewhere")
    assert ran


def test_a_change_to_perfsite_itself_runs_the_whole_build(site, tmp_path, builds, monkeypatch):
    out = tmp_path / "out"
    builds(site, out)
    monkeypatch.setattr(last_build, "perfsite_fingerprint", lambda: "another perfsite")
    ran, _ = builds(site, out)
    assert ran


def test_a_new_commit_or_release_tag_runs_the_whole_build(site, tmp_path, builds):
    def git(*arguments):
        subprocess.run(["git", "-C", str(site), *arguments], check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "Data")
    out = tmp_path / "out"
    builds(site, out)
    assert not builds(site, out)[0]
    git("commit", "-q", "--allow-empty", "-m", "Nothing but a commit")  # HEAD moves: provenance may change
    assert builds(site, out)[0]
    assert not builds(site, out)[0]
    git("tag", "release/2010-11-q4")
    assert builds(site, out)[0]


def test_a_site_dated_by_the_clock_is_built_again_the_next_day(site, tmp_path, builds, monkeypatch):
    import datetime as dt

    out = tmp_path / "out"
    builds(site, out)

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return dt.date.fromordinal(dt.date.today().toordinal() + 1)

    monkeypatch.setattr(last_build, "date", Tomorrow)
    assert builds(site, out)[0]


def test_a_record_that_cannot_be_written_only_costs_time(site, tmp_path, builds):
    out = tmp_path / "out"
    last_build.record_path(site / CACHE_FOLDER).mkdir(parents=True)  # a folder where the record would go
    assert builds(site, out)[0]
    assert builds(site, out)[0]
