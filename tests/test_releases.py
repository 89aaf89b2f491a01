"""Releases and revisions from git: a temporary repository with three release tags.

2009-10 Q4 is released; 2010-11 Q1 is added and released; 2010-11 Q2 is added and
released together with a correction of EB-01's Q1 figure (with a note); after the
last release EB-03's 2009-10 Q1 figure is corrected without a note. Every page,
download and feed must show that history, from git alone.
"""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile

import pytest
from helpers import assert_addresses_are_what_the_build_wrote, build_site, copy_site, parse_page, read_json, snapshot
from test_provenance import GIT, commit_all

RESULTS = "data/results.csv"


def rewrite(site, change) -> None:
    rows = list(csv.reader(io.StringIO((site / RESULTS).read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(change(rows))
    (site / RESULTS).write_text(buffer.getvalue(), encoding="utf-8")


def release(site, tag: str, message: str, date: str) -> None:
    commit_all(site, message, date)
    subprocess.run(GIT + ["-C", str(site), "tag", tag], check=True)


def slug(label: str) -> str:
    return label.lower().replace(" ", "-")


def publish_releases(site, publish, since: str = "2009-10 Q4") -> None:
    """The clean site's results published a release at a time, from ``since`` on, each by
    ``publish(site, label, message, date)``: 2009-10 Q4 without 2010-11's rows, 2010-11 Q1
    without Q2's, then 2010-11 Q2 with all of them and a revised figure of Q1's."""
    everything = (site / RESULTS).read_text(encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    steps = (
        ("2009-10 Q4", "2010-05-14T10:00:00+00:00",
         lambda rows: [r for r in rows if not (r and r[1].startswith("2010-11"))]),
        ("2010-11 Q1", "2010-08-13T10:00:00+00:00",
         lambda rows: [r for r in rows if not (r and r[1] in ("2010-11 Q2", "2010-11 H1"))]),
        ("2010-11 Q2", "2010-11-05T10:00:00+00:00",
         lambda rows: [r[:2] + ["10.7", "", "Police audit of crime recording, September 2010"] + r[5:]
                       if r[:2] == ["EB-01", "2010-11 Q1"] else r for r in rows]),
    )
    for label, date, change in steps[[step[0] for step in steps].index(since):]:
        (site / RESULTS).write_text(everything, encoding="utf-8")  # each release starts from all the rows
        rewrite(site, change)
        publish(site, label, f"Publish {label}", date)


def recount_after_the_releases(site) -> None:
    rewrite(site, lambda rows: [r[:2] + ["22"] + r[3:] if r[:2] == ["EB-03", "2009-10 Q1"] else r for r in rows])
    commit_all(site, "EB-03: 2009-10 Q1 completions recounted by building control", "2010-12-01T09:00:00+00:00")


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    site = copy_site("clean", tmp_path_factory.mktemp("releases") / "site")
    publish_releases(site, lambda site, label, message, date: release(site, f"release/{slug(label)}", message, date))
    recount_after_the_releases(site)
    return site


@pytest.fixture(scope="module")
def built(repository, tmp_path_factory):
    out = tmp_path_factory.mktemp("releases-out") / "out"
    return build_site(repository, out), out


def test_the_releases_and_revisions_are_read_from_git(built):
    outcome, _ = built
    history = outcome.site.history
    assert [r.tag for r in history.releases] == ["release/2009-10-q4", "release/2010-11-q1", "release/2010-11-q2"]
    assert [r.date.isoformat() for r in history.releases] == ["2010-05-14", "2010-08-13", "2010-11-05"]
    assert history.notice is None
    revisions = [(r.indicator_id, r.period.label, r.old, r.new, r.published_in.tag,
                  r.revised_in.tag if r.revised_in else None, r.date.isoformat(), r.reason)
                 for r in history.revisions]
    assert revisions == [
        ("EB-01", "2010-11 Q1", "10.5", "10.7", "release/2010-11-q1", "release/2010-11-q2", "2010-11-05",
         "Police audit of crime recording, September 2010"),
        ("EB-03", "2009-10 Q1", "20", "22", "release/2009-10-q4", None, "2010-12-01",
         "EB-03: 2009-10 Q1 completions recounted by building control"),
    ]


def test_revised_results_are_marked_with_the_value_first_published(built):
    _, out = built
    series = {e["period"]: e for e in read_json(out, "api/indicators/eb-01.json")["series"]}
    assert series["2010-11 Q1"]["revised"] is True and series["2010-11 Q1"]["published_value"] == 10.5
    assert series["2010-11 Q1"]["value"] == 10.7 and series["2010-11 Q1"]["published_in"] == "release/2010-11-q1"
    assert series["2009-10 Q1"]["revised"] is False and series["2009-10 Q1"]["published_value"] is None
    page = (out / "indicators/eb-01/index.html").read_text(encoding="utf-8")
    assert "Revised:</strong> first published as 10.5 (release/2010-11-q1)" in page
    assessed = (out / "data/assessed-results.csv").read_text(encoding="utf-8-sig")
    assert "EB-01,Crimes per 1,000 residents" not in assessed  # titles with commas are quoted
    row = next(r for r in csv.DictReader(io.StringIO(assessed)) if r["indicator_id"] == "EB-01"
               and r["period"] == "2010-11 Q1")
    assert (row["revised"], row["published_value"], row["published_in"]) == ("true", "10.5", "release/2010-11-q1")


def test_the_revisions_page_csv_and_json_list_every_change(built):
    _, out = built
    page = (out / "data/revisions/index.html").read_text(encoding="utf-8")
    assert "Police audit of crime recording, September 2010" in page and "not yet in a release" in page
    rows = list(csv.DictReader(io.StringIO((out / "data/revisions.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["indicator_id"], r["old_value"], r["new_value"]) for r in rows] == [("EB-01", "10.5", "10.7"),
                                                                                   ("EB-03", "20", "22")]
    document = read_json(out, "data/revisions.json")
    assert len(document["releases"]) == 3 and document["revisions"][0]["revised_in"] == "release/2010-11-q2"


def test_each_release_can_be_downloaded_as_published_with_its_checksum(built):
    import hashlib

    _, out = built
    folder = out / "data/releases/2010-11-q1"
    (archive,) = folder.glob("*.zip")
    expected = (folder / "SHA256SUMS").read_text(encoding="utf-8").split()
    assert expected == [hashlib.sha256(archive.read_bytes()).hexdigest(), archive.name]
    with zipfile.ZipFile(archive) as package:
        results = package.read("results.csv").decode("utf-8")
    assert "EB-01,2010-11 Q1,10.5," in results and "2010-11 Q2" not in results
    assert f'href="../releases/2010-11-q1/{archive.name}"' in (out / "data/revisions/index.html").read_text("utf-8")


def test_the_feed_has_an_entry_per_release_dated_from_git(built):
    _, out = built
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 3
    assert "<updated>2010-11-05T00:00:00+00:00</updated>" in feed
    assert feed.index("2010-11-q2") < feed.index("2009-10-q4")  # newest first


def test_the_same_commit_builds_to_the_same_bytes_with_a_checked_manifest(repository, built, tmp_path):
    _, out = built
    again = tmp_path / "again"
    build_site(repository, again)
    assert snapshot(out) == snapshot(again)
    checked = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=out, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_shallow_clone_builds_and_says_once_what_it_cannot_show(repository, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repository}", str(clone)], check=True)
    outcome = build_site(clone, tmp_path / "out")
    assert outcome.ok and outcome.site.history.releases == ()
    notice = outcome.site.history.notice
    assert "shallow clone" in notice and "fetch-depth: 0" in notice
    page = (tmp_path / "out/data/revisions/index.html").read_text(encoding="utf-8")
    assert page.count(notice) == 1
    assert outcome.site.build.build_date.isoformat() == "2010-12-01"  # still from git, not the clock
    assert outcome.site.build.date_from == "commit" and outcome.site.build.date_notice is None
    # the console says it once too, in the build's summary and in validate's output
    from test_provenance import run

    built = run("build", "--site", str(clone), "--out", str(tmp_path / "again"), "--workers", "1", "--no-cache")
    assert built.exit_code == 0, built.output
    assert built.output.count(notice) == 1
    validated = run("validate", "--site", str(clone), "--format", "json")
    assert validated.exit_code == 0 and validated.output.count(notice) == 1
    assert f"Note: {notice}" in validated.stderr and notice not in validated.stdout  # stdout stays JSON


def test_outside_git_the_build_says_its_date_is_the_build_date(tmp_path):
    import datetime as dt

    from test_provenance import run

    from perfsite.pipeline import check

    site = copy_site("clean", tmp_path / "plain")
    outcome = check(site)
    build = outcome.site.build
    assert build.date_from == "clock" and build.build_date == dt.date.today()
    assert "the date on the pages" in build.date_notice and "is the date of this build" in build.date_notice
    validated = run("validate", "--site", str(site))
    assert validated.output.count("The site folder is not in a git repository") == 1
    assert validated.output.count(build.date_notice) == 1


def test_a_build_of_a_release_tag_reproduces_that_release(repository, tmp_path):
    outcome = build_site(repository, tmp_path / "q1", ref="release/2010-11-q1")
    assert [r.tag for r in outcome.site.history.releases] == ["release/2009-10-q4", "release/2010-11-q1"]
    series = {e["period"]: e for e in read_json(tmp_path / "q1", "api/indicators/eb-01.json")["series"]}
    assert series["2010-11 Q1"]["value"] == 10.5 and "2010-11 Q2" not in series


def test_each_release_report_shows_its_figures_as_published_and_marks_later_revisions(built):
    outcome, out = built
    published = outcome.site.published["2010-11-q1"]
    assert published.problem is None
    line = next(line for line in published.report.lines if line.record.indicator.id == "EB-01")
    assert str(line.result.value) == "10.5"  # as released, although the data now says 10.7
    assert [(r.indicator_id, r.old, r.new) for r in published.revisions_since] == [("EB-01", "10.5", "10.7")]
    page = (out / "reports/2010-11-q1/index.html").read_text(encoding="utf-8")
    assert "This report shows the figures as released on 13 August 2010 (release/2010-11-q1" in page
    assert "Figures in this report revised since it was published" in page
    assert '<strong class="revised">Revised:</strong> 10.7' in page
    theme_page = (out / "reports/2010-11-q1/safer/index.html").read_text(encoding="utf-8")
    assert "release/2010-11-q1" in theme_page
    latest = (out / "reports/2010-11-q2/index.html").read_text(encoding="utf-8")
    assert "No figure in this report has been revised since." in latest
    assert outcome.site.published["2010-11-q2"].report.is_current


def clone(repository, folder):
    subprocess.run(["git", "clone", "-q", str(repository), str(folder)], check=True)
    return folder


def drop_indicator(site, indicator_id: str) -> None:
    for name in ("indicators.csv", "results.csv", "targets.csv", "assessments.csv"):
        path = site / "data" / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith(f"{indicator_id},")), encoding="utf-8")


def test_an_address_of_an_earlier_release_cannot_vanish(repository, tmp_path):
    site = clone(repository, tmp_path / "site")
    drop_indicator(site, "EB-04")
    outcome = build_site(site, tmp_path / "out")
    assert not outcome.ok and not (tmp_path / "out").exists()
    lost = [f for f in outcome.report.errors if f.rule_id == "accurate.address-kept"]
    assert {f.message.split()[2] for f in lost} == {"/indicators/eb-04/", "/api/indicators/eb-04.json"}
    assert all(f.file == "data/indicators.csv" and "release/2009-10-q4" in f.message for f in lost)


def test_every_address_a_build_writes_is_kept_by_later_builds(built):
    outcome, out = built
    assert_addresses_are_what_the_build_wrote(outcome, out)
    assert (out / "data/releases/2010-11-q1/SHA256SUMS").is_file()


def set_source(site, indicator_id: str, source: str) -> None:
    path = site / "data/indicators.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    column = rows[0].index("source")
    for row in rows[1:]:
        if row[0] == indicator_id:
            row[column] = source
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_a_partner_page_that_was_published_cannot_vanish(repository, tmp_path):
    site = clone(repository, tmp_path / "site")
    set_source(site, "EB-01", "Council")  # the police's only indicator: /partners/police/ would go
    outcome = build_site(site, tmp_path / "out")
    assert not outcome.ok and not (tmp_path / "out").exists()
    (lost,) = [f for f in outcome.report.errors if f.rule_id == "accurate.address-kept"]
    assert lost.message.startswith("The page /partners/police/ was published in release/2009-10-q4 (2010-05-14) "
                                   "but this build would no longer have it, so links to it would break.")
    assert lost.file == "data/indicators.csv"
    assert "Keep at least one indicator with that source in indicators.csv (retire it rather" in lost.how_to_fix


def test_a_download_that_was_published_cannot_vanish(repository, tmp_path):
    site = clone(repository, tmp_path / "site")
    descriptor = site / "data/datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("name:"))
    descriptor.write_text(text.replace(f"name: {name}", "name: renamed-package", 1), encoding="utf-8")
    outcome = check_site(site)
    lost = sorted(f.message.split()[2] for f in outcome.report.errors if f.rule_id == "accurate.address-kept")
    assert f"/data/{name}.zip" in lost and f"/data/releases/2009-10-q4/{name}-2009-10-q4.zip" in lost
    finding = next(f for f in outcome.report.errors if f.message.split()[2] == f"/data/{name}.zip")
    assert finding.message.startswith(f"The file /data/{name}.zip was published in release/2009-10-q4")
    assert finding.file == "data/datapackage.yaml" and "data/datapackage.yaml" in finding.how_to_fix


def check_site(site):
    from perfsite.pipeline import check

    return check(site)


def test_a_retired_indicator_keeps_its_page_and_says_what_replaces_it(repository, tmp_path):
    site = clone(repository, tmp_path / "site")
    indicators = (site / "data/indicators.csv").read_text(encoding="utf-8").splitlines()
    indicators[0] += ",retired,replaced_by"
    indicators = [indicators[0]] + [line + (",2009-10 Q4,EB-03" if line.startswith("EB-04,") else ",,")
                                    for line in indicators[1:]]
    (site / "data/indicators.csv").write_text("\n".join(indicators) + "\n", encoding="utf-8")
    outcome = build_site(site, tmp_path / "out")
    assert outcome.ok, [f.message for f in outcome.report.errors]
    page = (tmp_path / "out/indicators/eb-04/index.html").read_text(encoding="utf-8")
    assert "<strong>Retired:</strong> this indicator was last reported for 2009-10 Q4" in page
    assert 'href="../eb-03/">EB-03' in page
    current = outcome.site.current
    assert "EB-04" not in {line.record.indicator.id for line in current.lines}  # gone from later reports
    listing = (tmp_path / "out/indicators/index.html").read_text(encoding="utf-8")
    assert "Retired indicators" in listing and "last reported for 2009-10 Q4" in listing


def test_a_partner_whose_indicators_are_all_retired_keeps_its_page(repository, tmp_path):
    """Retiring a partner's last indicator, as the address rule's fix says to, must not
    lose the partner's published page: it stays, and lists the retired indicators."""
    site = clone(repository, tmp_path / "site")
    indicators = (site / "data/indicators.csv").read_text(encoding="utf-8").splitlines()
    assert [line for line in indicators if ",Police," in line][0].startswith("EB-01,")  # Police's only one
    indicators[0] += ",retired,replaced_by"
    indicators = [indicators[0]] + [line + (",2010-11 Q2," if line.startswith("EB-01,") else ",,")
                                    for line in indicators[1:]]
    (site / "data/indicators.csv").write_text("\n".join(indicators) + "\n", encoding="utf-8")
    with open(site / "data/results.csv", "a", encoding="utf-8") as results:  # the 2010-11 Q3 report is next
        results.write("EB-03,2010-11 Q3,30,,,,,,\n")
    out = tmp_path / "out"
    outcome = build_site(site, out)
    assert outcome.ok, [f.message for f in outcome.report.errors]
    assert outcome.site.current.period.label == "2010-11 Q3"
    assert "EB-01" not in {line.record.indicator.id for line in outcome.site.current.lines}
    page = parse_page(out / "partners/police/index.html")
    assert ("h2", "Retired indicators") in page.headings
    assert "../../indicators/eb-01/" in page.links
    text = " ".join((out / "partners/police/index.html").read_text(encoding="utf-8").split())
    assert "There are none in 2010-11 Q3." in text
    assert "EB-01 Crimes per 1,000 residents</a> (last reported for 2010-11 Q2)" in text
    assert_addresses_are_what_the_build_wrote(outcome, out)


def test_a_retired_theme_keeps_its_page_and_links_to_its_successor(repository, tmp_path):
    site = clone(repository, tmp_path / "site")
    themes = (site / "data/themes.csv").read_text(encoding="utf-8").splitlines()
    themes = [themes[0] + ",retired,replaced_by"] + [line + (",2010-11 Q2,safer" if line.startswith("health,") else ",,")
                                                     for line in themes[1:]]
    (site / "data/themes.csv").write_text("\n".join(themes) + "\n", encoding="utf-8")
    indicators = (site / "data/indicators.csv").read_text(encoding="utf-8")
    (site / "data/indicators.csv").write_text(indicators.replace(",health,,local,", ",safer,,local,"),
                                              encoding="utf-8")
    with open(site / "data/results.csv", "a", encoding="utf-8") as results:  # the 2010-11 Q3 report is next
        results.write("EB-01,2010-11 Q3,11.9,,,,,,\n")
    outcome = build_site(site, tmp_path / "out")
    assert outcome.ok, [f.message for f in outcome.report.errors]
    assert outcome.site.current.period.label == "2010-11 Q3"
    page = (tmp_path / "out/themes/health/index.html").read_text(encoding="utf-8")
    assert "<strong>Retired:</strong> this theme was last reported for 2010-11 Q2" in page
    assert 'href="../safer/">Safer Eastbrook</a>' in page
    assert [t.theme.id for t in outcome.site.current.themes] == ["safer"]
    assert (tmp_path / "out/reports/2010-11-q2/health/index.html").is_file()  # its earlier reports stay
    assert not (tmp_path / "out/reports/2010-11-q3/health/index.html").exists()


def test_deleting_a_published_theme_is_refused(repository, tmp_path):
    site = clone(repository, tmp_path / "site")
    themes = (site / "data/themes.csv").read_text(encoding="utf-8").splitlines()
    (site / "data/themes.csv").write_text("\n".join(l for l in themes if not l.startswith("health,")) + "\n",
                                          encoding="utf-8")
    indicators = (site / "data/indicators.csv").read_text(encoding="utf-8")
    (site / "data/indicators.csv").write_text(indicators.replace(",health,,local,", ",safer,,local,")
                                              .replace(",safer,health,", ",safer,,"), encoding="utf-8")
    (site / "content/reports/2010-11-q2/health.md").unlink()
    outcome = build_site(site, tmp_path / "out")
    lost = {f.message.split()[2] for f in outcome.report.errors if f.rule_id == "accurate.address-kept"}
    assert "/themes/health/" in lost and "/reports/2010-11-q2/health/" in lost


# ------------------------------------------------- releases declared in commit messages
def release_by_line(site, label: str, message: str, date: str) -> None:
    """A release as a git trailer at the end of the commit message: part of the commit, kept by any clone."""
    commit_all(site, f"{message}\n\nRelease: {label}", date)


@pytest.fixture(scope="module")
def trailed(tmp_path_factory):
    """The same history as ``repository``, with each release a "Release:" line instead of a tag."""
    site = copy_site("clean", tmp_path_factory.mktemp("trailed") / "site")

    def by_line(site, label, message, date):
        # 2010-11 Q1's line gives the release's slug: a slug works too
        release_by_line(site, slug(label) if label == "2010-11 Q1" else label, message, date)

    publish_releases(site, by_line)
    recount_after_the_releases(site)
    return site


def test_releases_declared_in_commit_messages_need_no_tags(trailed):
    from perfsite.history import read_history

    assert subprocess.run(["git", "-C", str(trailed), "tag"], capture_output=True, text=True).stdout == ""
    history = read_history(trailed)
    assert [(r.tag, r.date.isoformat()) for r in history.releases] == [
        ("release/2009-10-q4", "2010-05-14"), ("release/2010-11-q1", "2010-08-13"), ("release/2010-11-q2", "2010-11-05")]
    assert all("in the commit message" in r.declared_by for r in history.releases)
    assert history.notice is None and history.findings == ()
    assert [(r.indicator_id, r.old, r.new, r.published_in.tag, r.revised_in.tag if r.revised_in else None)
            for r in history.revisions] == [("EB-01", "10.5", "10.7", "release/2010-11-q1", "release/2010-11-q2"),
                                            ("EB-03", "20", "22", "release/2009-10-q4", None)]


def test_a_plain_clone_of_a_history_in_commit_messages_shows_it(trailed, tmp_path):
    site = clone(trailed, tmp_path / "site")
    outcome = build_site(site, tmp_path / "out")
    assert outcome.ok, [f.message for f in outcome.report.errors]
    assert [r.slug for r in outcome.site.history.releases] == ["2009-10-q4", "2010-11-q1", "2010-11-q2"]
    page = (tmp_path / "out/reports/2010-11-q1/index.html").read_text(encoding="utf-8")
    assert "This report shows the figures as released on 13 August 2010 (release/2010-11-q1" in page
    assert "Figures in this report revised since it was published" in page
    assert "Police audit of crime recording" in (tmp_path / "out/data/revisions/index.html").read_text("utf-8")
    releases = read_json(tmp_path / "out", "data/revisions.json")["releases"]
    assert releases[0]["declared_by"] == "“Release: 2009-10 Q4” in the commit message"


def test_a_release_declared_by_a_line_is_rebuilt_by_its_name(trailed, tmp_path):
    outcome = build_site(trailed, tmp_path / "q1", ref="release/2010-11-q1")
    assert outcome.ok and [r.slug for r in outcome.site.history.releases] == ["2009-10-q4", "2010-11-q1"]
    series = {e["period"]: e for e in read_json(tmp_path / "q1", "api/indicators/eb-01.json")["series"]}
    assert series["2010-11 Q1"]["value"] == 10.5 and "2010-11 Q2" not in series


def test_a_tag_decides_when_it_disagrees_with_a_release_line(trailed, tmp_path):
    from perfsite.history import read_history
    from perfsite.pipeline import check

    site = clone(trailed, tmp_path / "site")
    subprocess.run(GIT + ["-C", str(site), "tag", "release/2010-11-q2", "HEAD~1^"], check=True)  # the Q1 commit
    history = read_history(site)
    q2 = history.release("2010-11-q2")
    assert q2.declared_by == "tag release/2010-11-q2" and q2.commit == history.release("2010-11-q1").commit
    (finding,) = history.findings
    assert finding.rule_id == "accurate.release-tag-decides"
    assert "The 2010-11 Q2 release is declared by the tag release/2010-11-q2" in finding.message
    assert "“Release: 2010-11 Q2” in the message of commit" in finding.message and "the tag decides" in finding.message
    outcome = check(site)
    assert outcome.ok and [f.rule_id for f in outcome.report.warnings].count("accurate.release-tag-decides") == 1


def test_two_release_lines_for_one_period_are_an_error_until_a_tag_decides(trailed, tmp_path):
    from perfsite.pipeline import check

    site = clone(trailed, tmp_path / "site")
    with open(site / RESULTS, "a", encoding="utf-8") as handle:
        handle.write("EB-01,2010-11 Q3,11.9,,,,,,\n")
    release_by_line(site, "2010-11 Q2", "Publish 2010-11 Q2 again", "2010-12-05T10:00:00+00:00")
    outcome = check(site)
    (error,) = [f for f in outcome.report.errors if f.rule_id == "accurate.release-unambiguous"]
    assert error.file == "git history"
    assert error.message.startswith("The 2010-11 Q2 release is declared more than once: by the line "
                                    "“Release: 2010-11 Q2” in the message of commit")
    assert "so it is not clear which figures were published" in error.message
    assert "git tag -a release/2010-11-q2" in error.how_to_fix
    subprocess.run(GIT + ["-C", str(site), "tag", "release/2010-11-q2", "HEAD~1"], check=True)
    decided = check(site)
    assert decided.ok and not [f for f in decided.report.errors if f.rule_id.startswith("accurate.release")]


def test_a_release_line_that_names_no_period_is_reported_until_the_commit_is_tagged(trailed, tmp_path):
    from perfsite.history import read_history

    site = clone(trailed, tmp_path / "site")
    with open(site / RESULTS, "a", encoding="utf-8") as handle:
        handle.write("EB-01,2010-11 Q3,11.9,,,,,,\n")
    release_by_line(site, "the third quarter", "Publish Q3", "2011-02-05T10:00:00+00:00")
    (finding,) = read_history(site).findings
    assert finding.rule_id == "valid.release-line"
    assert "ends with the line “Release: the third quarter”, which names no reporting period" in finding.message
    subprocess.run(GIT + ["-C", str(site), "tag", "release/2010-11-q3"], check=True)
    history = read_history(site)
    assert history.findings == () and history.releases[-1].slug == "2010-11-q3"


def test_a_release_line_on_a_merge_commit_counts(trailed, tmp_path):
    from perfsite.history import read_history

    site = clone(trailed, tmp_path / "site")
    subprocess.run(GIT + ["-C", str(site), "checkout", "-q", "-b", "q3"], check=True)
    with open(site / RESULTS, "a", encoding="utf-8") as handle:
        handle.write("EB-01,2010-11 Q3,11.9,,,,,,\n")
    commit_all(site, "Q3 results", "2011-02-01T10:00:00+00:00")
    subprocess.run(GIT + ["-C", str(site), "checkout", "-q", "-"], check=True)
    env = {"GIT_AUTHOR_DATE": "2011-02-04T10:00:00+00:00", "GIT_COMMITTER_DATE": "2011-02-04T10:00:00+00:00",
           "PATH": "/usr/bin:/bin"}
    subprocess.run(GIT + ["-C", str(site), "merge", "-q", "--no-ff", "q3", "-m", "Merge Q3\n\nRelease: 2010-11 Q3"],
                   check=True, env=env)
    assert read_history(site).releases[-1].date.isoformat() == "2011-02-04"


# ------------------------------------------------- a release belongs to the site it released
def change_value(site, indicator: str, period: str, value: str) -> None:
    rewrite(site, lambda rows: [r[:2] + [value] + r[3:] if r[:2] == [indicator, period] else r for r in rows])


def test_a_release_belongs_to_the_site_folder_it_released(tmp_path):
    """Two sites in one repository: the top one and sub/. Each sees only its own releases."""
    from perfsite.history import read_history

    top = copy_site("clean", tmp_path / "repo")
    sub = copy_site("clean", top / "sub")
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    commit_all(top, "Both sites", "2010-08-13T10:00:00+00:00")
    subprocess.run(GIT + ["-C", str(top), "tag", "release/2010-11-q1"], check=True)
    subprocess.run(GIT + ["-C", str(top), "tag", "release/sub/2009-10-q4"], check=True)
    change_value(top, "EB-01", "2010-11 Q1", "10.6")
    release_by_line(top, "2010-11 Q2", "Top site: publish 2010-11 Q2", "2010-11-05T10:00:00+00:00")
    change_value(sub, "EB-01", "2010-11 Q1", "10.8")
    release_by_line(top, "2010-11 Q2", "Sub site: publish 2010-11 Q2", "2010-11-06T10:00:00+00:00")
    (top / "NOTES.txt").write_text("Signed off by the board.\n", encoding="utf-8")  # not an input of either site
    release_by_line(top, "2010-11 Q3; site: sub", "Sub site: the 2010-11 Q3 report signed off",
                    "2011-02-04T10:00:00+00:00")
    (top / "NOTES.txt").write_text("Nothing of either site changed here.\n", encoding="utf-8")
    release_by_line(top, "2010-11 Q4", "A Release line on a commit that changes no site", "2011-05-04T10:00:00+00:00")

    mine = read_history(top)
    assert [(r.slug, r.date.isoformat()) for r in mine.releases] == [("2010-11-q1", "2010-08-13"),
                                                                    ("2010-11-q2", "2010-11-05")]
    assert mine.findings == ()
    theirs = read_history(sub)
    assert [(r.tag, r.date.isoformat()) for r in theirs.releases] == [
        ("release/sub/2009-10-q4", "2010-08-13"), ("release/2010-11-q2", "2010-11-06"),
        ("release/2010-11-q3", "2011-02-04")]
    assert [(r.indicator_id, r.old, r.new) for r in theirs.revisions] == [("EB-01", "10.5", "10.8")]
    assert theirs.findings == ()


def test_the_sites_in_folders_of_this_repository_do_not_show_the_examples_releases():
    from helpers import REPOSITORY

    from perfsite.pipeline import check

    for folder in ("tests/sites/eastbrook", "examples/hart"):
        outcome = check(REPOSITORY / folder)
        assert outcome.ok, [f.message for f in outcome.report.errors]
        assert outcome.site.history.releases == () and outcome.site.published == {}
        assert f"release/{folder}/2010-11-q2" in outcome.site.history.notice


def test_the_quarter_checklist_names_the_release_tag_of_the_site_in_its_folder():
    from helpers import REPOSITORY

    from perfsite.history import release_tag_prefix

    assert release_tag_prefix(REPOSITORY) == "release/"
    assert release_tag_prefix(REPOSITORY / "examples/hart") == "release/examples/hart/"
