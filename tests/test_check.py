"""`check`: the link checker on its own, then every checker on a small site with known faults.

The browser and checker tools run once for this module (a two-page site), so the suite
stays quick; .ci/run runs `check` on the example and on tests/sites/eastbrook.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from perfsite import tools
from perfsite.checks import check_links, one_page_of_each_kind, page_kind, run_checks, site_pages
from perfsite.cli import make_cli
from perfsite.config import load_config

GOOD_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="#main">Skip to content</a></header>
<main id="main"><h1>{title}</h1><p>{body}</p></main></body></html>
"""

# Faults each checker must find: an image without alt text (axe, Lighthouse), a
# stray end tag (HTML), a link to a missing page and to a missing fragment (links).
BROKEN_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Broken</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main id="main"><h1>Broken</h1>
<p><img src="../chart.svg"></p></span>
<p><a href="../missing/">Missing page</a> <a href="../#nowhere">Missing fragment</a>
<a href="https://example.org/elsewhere">Outside</a> <a href="mailto:team@example.org">Mail</a></p>
</main></body></html>
"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def write(folder, path, text):
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("good")
    write(out, "index.html", GOOD_PAGE.format(title="Home", body='<a href="about/">About</a> '
                                                                 '<a href="about/#team">Team</a>'))
    write(out, "about/index.html", GOOD_PAGE.format(title="About", body='<span id="team">Us</span> '
                                                                      '<a href="../">Home</a> <a href="/">Root</a>'))
    return out


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("broken")
    write(out, "index.html", GOOD_PAGE.format(title="Home", body='<a href="broken/">Broken</a>'))
    write(out, "broken/index.html", BROKEN_PAGE)
    write(out, "chart.svg", SVG)
    return out


def test_links_that_resolve_pass(good_site):
    result = check_links(good_site, site_pages(good_site), "/")
    assert result.problems == []
    assert result.figures == {"links checked": 6, "broken links": 0}


def test_a_missing_page_and_a_missing_fragment_are_broken_links(broken_site):
    result = check_links(broken_site, site_pages(broken_site), "/")
    messages = [(problem.page, problem.message) for problem in result.problems]
    assert messages == [
        ("broken/index.html", "links to ../missing/, which is not in the site."),
        ("broken/index.html", 'links to ../#nowhere, but index.html has no element with id="nowhere".'),
    ]


def test_links_under_an_absolute_base_url_are_checked_and_others_are_not(tmp_path):
    write(tmp_path, "index.html", '<a href="https://reports.example.org/perf/gone/">x</a>'
                                  '<a href="https://reports.example.org/perf/">y</a>'
                                  '<a href="/perf/">z</a><a href="/elsewhere/">w</a>'
                                  '<a href="https://example.org/">v</a>')
    result = check_links(tmp_path, ["index.html"], "https://reports.example.org/perf/")
    assert [problem.message for problem in result.problems] == [
        "links to https://reports.example.org/perf/gone/, which is not in the site.",
        "links to /elsewhere/, which is not in the site.",
    ]


def test_one_page_of_each_kind():
    pages = ["404.html", "index.html", "indicators/index.html", "indicators/ni-008/index.html",
             "indicators/ni-016/index.html", "reports/2010-11-q3/index.html",
             "reports/2010-11-q3/better-places/index.html", "reports/2010-11-q4/index.html"]
    assert page_kind("reports/2010-11-q3/better-places/index.html") == "reports/*/*"
    assert one_page_of_each_kind(pages) == {
        "404": "404.html", "home": "index.html", "indicators": "indicators/index.html",
        "indicators/*": "indicators/ni-008/index.html", "reports/*": "reports/2010-11-q3/index.html",
        "reports/*/*": "reports/2010-11-q3/better-places/index.html"}


def test_the_check_settings_have_documented_defaults_and_refuse_nonsense():
    settings = load_config(None).check
    assert settings.lighthouse_min_accessibility == 100 and "wcag2aa" in settings.axe_tags
    with pytest.raises(Exception, match="check.lighthouse_min_accessibility.*0 to 100"):
        load_config("check:\n  lighthouse_min_accessibility: 120\n")


@pytest.fixture(scope="module")
def broken_report(broken_site):
    tools.require("chromium", "playwright", "java", "vnu", "axe", "node", "lighthouse")
    return run_checks(broken_site, "/", load_config(None).check)


def test_every_checker_finds_its_fault(broken_report):
    results = {result.name: result for result in broken_report.results}
    assert not broken_report.ok
    html = results["Nu HTML Checker"]
    assert html.figures["HTML errors"] >= 1
    assert any(problem.page == "broken/index.html" and "span" in problem.message for problem in html.problems)
    axe = results["axe-core in Chromium"]
    assert any("[image-alt]" in problem.message and problem.page == "broken/index.html" for problem in axe.problems)
    assert all(problem.page == "broken/index.html" for problem in axe.problems)
    assert results["Internal links"].figures["broken links"] == 2
    lighthouse = results["Lighthouse accessibility"]
    scores = lighthouse.figures["Lighthouse accessibility"]
    assert scores["home (index.html)"] == 100
    assert scores["broken (broken/index.html)"] < 100
    assert any("image-alt" in problem.message for problem in lighthouse.problems)


def test_the_command_prints_figures_and_passes_a_clean_site(good_site):
    tools.require("chromium", "playwright", "java", "vnu", "axe")
    result = CliRunner().invoke(make_cli(), ["check", "--site", str(good_site), "--out", str(good_site),
                                             "--only", "links", "--only", "html", "--only", "axe"])
    assert result.exit_code == 0, result.output
    assert "2 pages; largest page" in result.output
    assert "Nu HTML Checker: passed; pages checked 2; HTML errors 0" in result.output
    assert "axe-core in Chromium: passed; pages checked 2; axe violations 0" in result.output
    assert "The site passed every check." in result.output


def test_the_command_fails_on_a_broken_site(broken_site):
    result = CliRunner().invoke(make_cli(), ["check", "--site", str(broken_site), "--out", str(broken_site),
                                             "--only", "links"])
    assert result.exit_code == 1
    assert "broken links 2" in result.output and "FAILED" in result.output


def test_a_missing_tool_fails_the_check_under_ci(broken_site, monkeypatch, tmp_path):
    monkeypatch.setenv(tools.NODE_MODULES_ENV, str(tmp_path))
    monkeypatch.setattr(tools, "REPOSITORY", tmp_path)
    monkeypatch.chdir(tmp_path)
    tools.vnu_jar.cache_clear()
    try:
        monkeypatch.setenv("CI", "true")
        args = ["check", "--site", str(broken_site), "--out", str(broken_site), "--only", "html"]
        in_ci = CliRunner().invoke(make_cli(), args)
        monkeypatch.delenv("CI")
        local = CliRunner().invoke(make_cli(), args)
    finally:
        tools.vnu_jar.cache_clear()
    assert in_ci.exit_code == 1 and "FAILED (CI=true" in in_ci.output and "npm install vnu-jar" in in_ci.output
    assert local.exit_code == 0 and "NOT RUN" in local.output and "npm install vnu-jar" in local.output


def test_check_needs_a_built_site(tmp_path):
    result = CliRunner().invoke(make_cli(), ["check", "--site", str(tmp_path), "--out", str(tmp_path / "none")])
    assert result.exit_code == 2 and "run the build first" in result.output


def test_axe_findings_are_kept_for_the_pages_that_did_not_change(broken_site, tmp_path, monkeypatch):
    """A pull request changes a few pages: check runs axe on those only, and still reports
    what it found before on the others; a changed stylesheet has every page checked again."""
    import shutil

    from perfsite import browser, checks
    from perfsite.cache import RenderCache

    tools.require("chromium", "playwright", "axe")
    out = tmp_path / "site"
    shutil.copytree(broken_site, out)
    write(out, "assets/site.css", "body { color: #0b0c0c; }")
    pages, settings, kept = site_pages(out), load_config(None).check, RenderCache(tmp_path / "cache")
    checked: list[str] = []
    put = RenderCache.put
    monkeypatch.setattr(RenderCache, "put", lambda self, key, content, kind="pages", uses=():
                        (checked.append(kind), put(self, key, content, kind, uses))[1])

    def axe() -> tuple[list[tuple[str, str]], dict]:
        checked.clear()
        result = checks.check_accessibility(out, pages, "/", settings, kept)
        return [(problem.page, str(problem.message)) for problem in result.problems], result.figures

    first, figures = axe()
    assert any(page == "broken/index.html" and "[image-alt]" in message for page, message in first)
    assert len(checked) == 2 and figures["pages unchanged since they were last checked"] == 0

    original = browser.chromium_browser
    monkeypatch.setattr(browser, "chromium_browser", lambda *a, **k: pytest.fail("the browser was started"))
    again, figures = axe()
    assert again == first and checked == [] and figures["pages unchanged since they were last checked"] == 2

    monkeypatch.setattr(browser, "chromium_browser", original)
    write(out, "index.html", GOOD_PAGE.format(title="Home", body='<a href="broken/">Broken</a> and more'))
    changed, figures = axe()
    assert changed == first and len(checked) == 1  # only the changed page was loaded
    assert figures["pages unchanged since they were last checked"] == 1

    write(out, "assets/site.css", "body { color: #505a5f; }")
    restyled, _ = axe()
    assert restyled == first and len(checked) == 2  # a new stylesheet: every page again

    fresh = checks.check_accessibility(out, pages, "/", settings)  # without the cache: the same findings
    assert [(problem.page, str(problem.message)) for problem in fresh.problems] == first


def test_html_findings_are_kept_for_the_pages_that_did_not_change(broken_site, tmp_path, monkeypatch):
    """The Nu HTML Checker, like axe, checks only the pages changed since the last check, names
    them to the checker, and still reports what it found on the others; many changed pages
    have it walk the folder."""
    import shutil
    import subprocess

    from perfsite import checks
    from perfsite.cache import RenderCache

    tools.require("java", "vnu")
    out = tmp_path / "site"
    shutil.copytree(broken_site, out)
    pages, kept = site_pages(out), RenderCache(tmp_path / "cache")
    runs: list[list[str]] = []
    run = subprocess.run

    def recorded(command, *args, **kwargs):
        runs.append([part for part in command if part.startswith(str(out))])
        return run(command, *args, **kwargs)

    monkeypatch.setattr(checks.subprocess, "run", recorded)

    def html() -> tuple[list[tuple[str, str]], dict]:
        runs.clear()
        result = checks.check_html(out, pages, kept)
        return [(problem.page, str(problem.message)) for problem in result.problems], result.figures

    first, figures = html()
    assert any(page == "broken/index.html" and "span" in message for page, message in first)
    assert runs == [[str(out / page) for page in pages]] and figures["pages unchanged since they were last checked"] == 0
    again, figures = html()
    assert again == first and runs == [] and figures["pages unchanged since they were last checked"] == 2
    write(out, "index.html", GOOD_PAGE.format(title="Home", body='<a href="broken/">Broken</a> and more'))
    changed, figures = html()
    assert changed == first and runs == [[str(out / "index.html")]]
    monkeypatch.setattr(checks, "NU_PAGES_NAMED", 0)
    write(out, "index.html", GOOD_PAGE.format(title="Home", body='<a href="broken/">Broken</a> once more'))
    walked, _ = html()
    assert walked == first and runs == [[str(out)]]
    assert [(p.page, str(p.message)) for p in checks.check_html(out, pages).problems] == first  # without the cache
