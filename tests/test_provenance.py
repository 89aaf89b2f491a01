"""Provenance from git: the commit and date of the site's inputs, never of perfsite's own files."""

from __future__ import annotations

import subprocess

from helpers import build_site, copy_site, snapshot

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
