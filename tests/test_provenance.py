"""Provenance from git: the commit and date of the site's inputs, never of perfsite's own files."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner
from helpers import build_site, copy_site, read_json, snapshot

from perfsite.cli import make_cli


def run(*arguments: str):
    return CliRunner().invoke(make_cli(), list(arguments))

GIT = ["git", "-c", "user.name=Performance Team", "-c", "user.email=performance@eastbrook.example",
       "-c", "commit.gpgsign=false"]


def commit_all(folder, message: str, date: str) -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin"}
    subprocess.run(GIT + ["-C", str(folder), "add", "-A"], check=True, env=env)
    subprocess.run(GIT + ["-C", str(folder), "commit", "-q", "-m", message], check=True, env=env)


def test_a_committed_site_builds_twice_to_the_same_bytes_and_stays_clean(tmp_path):
    site = copy_site("clean", tmp_path / "site")
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    commit_all(site, "Publish 2010-11 Q2", "2010-11-05T10:00:00+00:00")
    first = build_site(site, tmp_path / "first", use_cache=True)
    assert (site / ".cache").is_dir()  # the chart cache is in the site folder, untracked
    second = build_site(site, tmp_path / "second", use_cache=True)
    assert not first.site.build.uncommitted_changes and not second.site.build.uncommitted_changes
    assert first.site.build.build_date.isoformat() == "2010-11-05"
    assert snapshot(tmp_path / "first") == snapshot(tmp_path / "second")
    page = (tmp_path / "second/index.html").read_text(encoding="utf-8")
    assert "not yet committed" not in page and first.site.build.short_commit in page


def test_a_changed_input_is_reported_as_not_yet_committed(tmp_path):
    site = copy_site("clean", tmp_path / "site")
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    commit_all(site, "Publish 2010-11 Q2", "2010-11-05T10:00:00+00:00")
    with open(site / "data/results.csv", "a", encoding="utf-8") as handle:
        handle.write("EB-01,2010-11 Q3,11.9,,,,,,\n")
    outcome = build_site(site, tmp_path / "out")
    assert outcome.site.build.uncommitted_changes
    assert "not yet committed" in (tmp_path / "out/index.html").read_text(encoding="utf-8")


def tag(folder, name: str) -> None:
    subprocess.run(GIT + ["-C", str(folder), "tag", name], check=True)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The clean site committed twice: 2010-11 Q2 published and tagged, then EB-01's Q2 figure revised."""
    site = copy_site("clean", tmp_path_factory.mktemp("history") / "site")
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    commit_all(site, "Publish 2010-11 Q2", "2010-11-05T10:00:00+00:00")
    tag(site, "release/2010-11-q2")
    results = (site / "data/results.csv").read_text(encoding="utf-8")
    (site / "data/results.csv").write_text(results.replace("EB-01,2010-11 Q2,12.1,provisional,",
                                                           "EB-01,2010-11 Q2,11.8,,Police audit of October"),
                                           encoding="utf-8")
    commit_all(site, "EB-01 2010-11 Q2 revised after the police data audit", "2010-12-01T09:00:00+00:00")
    return site


def test_a_past_revision_builds_from_git_as_it_was_committed(history, tmp_path):
    from perfsite.source import FolderSource, GitSource

    assert "11.8" in (history / "data/results.csv").read_text(encoding="utf-8")
    outcome = build_site(history, tmp_path / "then", ref="release/2010-11-q2")
    assert outcome.ok and isinstance(outcome.source, GitSource)
    series = read_json(tmp_path / "then", "api/indicators/eb-01.json")["series"]
    assert series[-1]["value"] == 12.1  # as published at the tag, not as the folder is now
    assert outcome.site.build.build_date.isoformat() == "2010-11-05"
    now = GitSource(history, "HEAD")
    folder = FolderSource(history)
    assert now.list_files("data") == folder.list_files("data")
    assert now.list_files("content", ".md") == folder.list_files("content", ".md")
    for path in now.list_files("data"):
        assert now.read_bytes(path) == folder.read_bytes(path)
    process = now._batch
    now.read_bytes("site.yaml")
    assert now._batch is process, "one git cat-file process serves every file"
    now.close()


def test_an_unknown_revision_or_a_folder_outside_git_is_a_clear_error(history, tmp_path):
    from perfsite.cli import EXIT_USAGE

    unknown = run("build", "--site", str(history), "--ref", "release/2099-00-q9", "--out", str(tmp_path / "x"))
    assert unknown.exit_code == EXIT_USAGE
    assert "“release/2099-00-q9” is not a commit, tag or branch" in unknown.output
    plain = copy_site("clean", tmp_path / "plain")
    outside = run("validate", "--site", str(plain), "--ref", "HEAD")
    assert outside.exit_code == EXIT_USAGE and "is not in a git repository" in outside.output
