"""The repository root is a complete example site: it validates clean and builds every contract URL."""

from __future__ import annotations

import re

import pytest

from perfsite.pipeline import check
from helpers import (REPOSITORY, assert_addresses_are_what_the_build_wrote, build_site, copy_site, parse_page,
                     read_json, resolve_link)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    site = tmp_path_factory.mktemp("example") / "site"
    site.mkdir()
    for name in ("site.yaml", "data", "content", "site_templates"):
        source = REPOSITORY / name
        if source.is_dir():
            copy_site(source, site / name)
        else:
            (site / name).write_bytes(source.read_bytes())
    out = tmp_path_factory.mktemp("out") / "site"
    outcome = build_site(site, out)
    assert outcome.ok, [f.message for f in outcome.report.errors]
    return out, outcome


@pytest.mark.parametrize("path", [None, "frictionless", "fast"])
def test_the_example_validates_with_no_errors_and_no_warnings(path):
    outcome = check(REPOSITORY, strict=True, force_path=path)
    assert [(f.rule_id, f.location) for f in outcome.report.findings] == []


def test_the_example_is_the_partnership_the_issue_asks_for(example):
    _, outcome = example
    site = outcome.site
    assert [t.name for t in site.themes] == ["Well-Being", "Safer Communities", "Better Places",
                                            "Children & Young People", "Integrated Housing", "Enterprise"]
    indicators = [r.indicator for r in site.records]
    assert len(indicators) >= 40
    assert {i.frequency for i in indicators} == {"monthly", "quarterly", "six-monthly", "annual"}
    assert {i.polarity.value for i in indicators} == {"higher", "lower", "none"}
    assert sum(1 for i in indicators if i.set == "local") >= 3
    years = {r.period.financial_year.label for record in site.records for r in record.series}
    assert years >= {"2008-09", "2009-10", "2010-11"}
    assert any(not r.has_value for record in site.records for r in record.series)  # explained gaps
    assert site.package.spend and all(s.funding == "ABG" for s in site.package.spend)
    assert site.current.period.label == "2010-11 Q4"
    assert site.current.under and all(line.narrative for line in site.current.under)


def test_every_contract_url_of_the_example_exists_and_links_resolve(example):
    out, outcome = example
    site = outcome.site
    urls = ["", "themes/", "indicators/", "reports/", "data/", "data/quality/"]
    urls += [f"themes/{t.id}/" for t in site.themes]
    urls += [f"indicators/{r.indicator.slug}/" for r in site.records]
    for report in site.reports:
        urls += [f"reports/{report.period.slug}/"] + [f"reports/{report.period.slug}/{t.id}/" for t in site.themes]
    for url in urls:
        assert (out / url / "index.html").is_file(), url
    listing = read_json(out, "api/indicators.json")
    assert len(listing["indicators"]) == len(site.records)
    for record in site.records:
        assert read_json(out, f"api/indicators/{record.indicator.slug}.json")["id"] == record.indicator.id
    for page in out.rglob("*.html"):
        if page.name == "404.html":
            continue
        for href in parse_page(page).links:
            target = resolve_link(out, page, href)
            assert target is None or target.is_file(), (page.relative_to(out).as_posix(), href)


def test_every_page_and_file_of_the_example_is_a_permanent_address(example):
    out, outcome = example
    assert_addresses_are_what_the_build_wrote(outcome, out)


def test_example_pages_stay_small(example):
    out, _ = example
    heavy = [(p.relative_to(out).as_posix(), p.stat().st_size) for p in out.rglob("*.html") if p.stat().st_size > 100_000]
    assert heavy == []


def test_charts_use_only_the_font_shipped_with_perfsite(example):
    from perfsite.charts import FONT, FONT_FAMILY, FONT_FOLDER

    out = example[0]
    families = set()
    for page in (out / "indicators").glob("*/index.html"):
        families.update(re.findall(r'font-family="([^"]*)"', page.read_text(encoding="utf-8")))
    assert families == {FONT}
    assert FONT.split(",")[0] == FONT_FAMILY
    shipped = sorted(p.name for p in FONT_FOLDER.iterdir())
    assert "DejaVuSans.ttf" in shipped and "LICENSE-DejaVu.txt" in shipped


def test_the_example_shows_its_release_history_from_this_repository(tmp_path):
    """The example's releases are commits of this repository whose message ends with a "Release:" line
    (scripts/make_example_history.py): every full clone has them, with or without tags."""
    import subprocess

    shallow = subprocess.run(["git", "-C", str(REPOSITORY), "rev-parse", "--is-shallow-repository"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert shallow == "false", "this test needs the whole history: clone without --depth (CI: fetch-depth: 0)"
    outcome = build_site(REPOSITORY, tmp_path / "out")
    assert outcome.ok, [f.message for f in outcome.report.errors]
    history = outcome.site.history
    assert history.notice is None and history.findings == ()
    assert [r.tag for r in history.releases] == ["release/2010-11-q2", "release/2010-11-q3", "release/2010-11-q4"]
    (revision,) = [r for r in history.revisions if r.indicator_id == "NI-135"]
    assert (revision.old, revision.new, revision.published_in.tag) == ("22.1", "22.4", "release/2010-11-q2")
    assert revision.revised_in.tag == "release/2010-11-q3" and "late returns" in revision.reason
    q2 = (tmp_path / "out/reports/2010-11-q2/index.html").read_text(encoding="utf-8")
    assert "Figures in this report revised since it was published" in q2
    revisions = (tmp_path / "out/data/revisions/index.html").read_text(encoding="utf-8")
    assert "NI-135" in revisions and "22.1" in revisions and "22.4" in revisions
    assert (tmp_path / "out/feed.xml").read_text(encoding="utf-8").count("<entry>") == 3
    assert_addresses_are_what_the_build_wrote(outcome, tmp_path / "out")  # releases' downloads included
    from perfsite.progress import summary_lines

    summary = dict(summary_lines(outcome))
    assert summary["releases"] == "3 (2010-11 Q2 to 2010-11 Q4), 1 revised figure" and "note" not in summary


def test_a_shallow_clone_of_the_example_says_what_it_cannot_show(tmp_path):
    import subprocess

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{REPOSITORY}", str(clone)], check=True)
    outcome = check(clone)
    assert outcome.ok, [f.message for f in outcome.report.errors]
    history = outcome.site.history
    assert "shallow clone" in history.notice and "fetch" in history.notice
    assert len(history.releases) <= 1  # at most the newest commit, if it is a release


def test_the_indicators_can_be_seen_by_exceptions_set_and_partner_and_words_are_explained(example):
    out = example[0]
    listing = (out / "indicators/index.html").read_text(encoding="utf-8")
    for address in ("../exceptions/", "../sets/ni/", "../sets/laa/", "../sets/local/", "../partners/kingsmere-police/"):
        assert f'href="{address}"' in listing
    exceptions = (out / "exceptions/index.html").read_text(encoding="utf-8")
    current = example[1].site.current
    expected = {line.record.indicator.id for line in current.lines if line.exception is not None}
    shown = set(re.findall(r'<span class="indicator-id">([^<]+)</span>', exceptions))
    assert shown == expected and expected
    ni = (out / "sets/ni/index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'<span class="indicator-id">([^<]+)</span>', ni)) == {
        line.record.indicator.id for line in current.lines if line.record.indicator.set == "NI"}
    glossary = (out / "glossary/index.html").read_text(encoding="utf-8")
    for term in ("National Indicator (NI)", "Local Area Agreement (LAA)", "RAG status", "Monitoring level",
                 "Direction of travel", "Ladder of intervention", "Provisional"):
        assert f"<dt>{term}</dt>" in glossary


def test_every_page_links_to_how_to_read_the_reports_which_explains_each_rating(example):
    """Issue 17: the page on how to read the site is reachable from every page (the footer)
    and explains, in plain words, status, direction of travel, exceptions, the ladder and forecasts."""
    out, _ = example
    for page in out.rglob("*.html"):
        if "pagefind" in page.parts or page.name == "404.html":  # 404.html links from the site's root
            continue
        links = [resolve_link(out, page, href) for href in parse_page(page).links]
        assert out / "pages" / "how-to-read" / "index.html" in links, page.relative_to(out).as_posix()
    headings = [text for _, text in parse_page(out / "pages" / "how-to-read" / "index.html").headings]
    assert headings[1:] == ["Status against target", "Direction of travel", "Exceptions",
                            "The ladder of intervention", "Forecasts"]
