"""End to end on a site folder the code has never been tuned for (tests/sites/eastbrook).

Every status, direction, exception, intervention stage and forecast in its API is
compared with answers worked out by hand from the contract's rules (the working is
in the comments), and every URL the contract promises is checked.
"""

from __future__ import annotations

import re

import pytest

from helpers import build_site, copy_site, parse_page, read_json, resolve_link

# (period, value, target, status, direction, exception, intervention_stage, forecast)
EXPECTED = {
    # EB-01: lower is better; 2009-10 target 11.5 (monitoring 12.5), 2010-11 target 11.0 (monitoring 12.0);
    # site tolerance 10 %, exceed margin 10 % (1.15 and 1.1); six-monthly reviews at Q2 and Q4.
    "eb-01": [
        ("2009-10 Q1", 10, 11.5, "green", "not-comparable", "over", None, None),  # 1.5 better > 1.15
        ("2009-10 Q2", 11, 11.5, "green", "worsening", None, 0, "unlikely"),  # trend 10, 11 -> 13 at Q4
        ("2009-10 Q3", 12, 11.5, "amber", "worsening", None, None, "unlikely"),  # above target, under 12.5
        ("2009-10 Q4", 13, 11.5, "red", "worsening", "under", 1, "unlikely"),  # -> 17 at 2010-11 Q4
        ("2010-11 Q1", 10.5, 11, "green", "worsening", None, None, "difficult"),  # 5 % up on 2009-10 Q1; -> 11.4
        ("2010-11 Q2", 12.1, 11, "red", "worsening", "under", 2, "difficult"),  # red at Q4 and Q2 reviews
    ],
    # EB-02: higher is better, six-monthly, own tolerance 5 %, confidence intervals.
    "eb-02": [
        ("2009-10 H1", 70, 70, "green", "not-comparable", None, 0, None),
        ("2009-10 H2", 72, 70, "green", "no-change", None, 0, "likely"),  # intervals 67-73 and 69-75 overlap
        ("2010-11 H1", 60, 72, "red", "worsening", "under", 1, "unlikely"),  # 57-63 vs 67-73 do not
    ],
    # EB-03: cumulative, annual targets profiled: 2009-10 100 (80), 2010-11 120 (100).
    "eb-03": [
        ("2009-10 Q1", 20, 25, "amber", "not-comparable", None, None, None),  # meets monitoring 20
        ("2009-10 Q2", 45, 50, "amber", "improving", None, 0, "difficult"),  # trend -> 95 at Q4
        ("2009-10 Q3", 70, 75, "amber", "improving", None, None, "difficult"),
        ("2009-10 Q4", 100, 100, "green", "improving", None, 0, None),  # year ended: no forecast
        ("2010-11 Q1", 25, 30, "amber", "improving", None, None, None),  # one point this year: no trend
        ("2010-11 Q2", 40, 60, "red", "worsening", "under", 1, "unlikely"),  # below monitoring 50; -> 70
    ],
    # EB-04: polarity none: never rated; a month without a figure.
    "eb-04": [
        ("2010 Jul", 500, None, "not-rated", "not-comparable", None, None, None),
        ("2010 Aug", None, None, "no-data", "not-comparable", None, None, None),
        ("2010 Sep", 520, None, "not-rated", "not-comparable", None, None, None),  # previous month has no figure
    ],
    # EB-05: annual; an officer's assessment for 2010-11 overrides the trend.
    "eb-05": [
        ("2008-09", 48, None, "no-target", "not-comparable", None, 0, None),
        ("2009-10", 55.5, 50, "green", "improving", "over", 0, "difficult"),  # 5.5 better > 5.0
    ],
}


@pytest.fixture(scope="module")
def eastbrook(tmp_path_factory):
    site = copy_site("eastbrook", tmp_path_factory.mktemp("site") / "eastbrook")
    out = tmp_path_factory.mktemp("out") / "site"
    outcome = build_site(site, out)
    assert outcome.ok, [f.message for f in outcome.report.errors]
    return site, out, outcome


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_every_rating_in_the_api_follows_the_contract(eastbrook, slug):
    _, out, _ = eastbrook
    series = read_json(out, f"api/indicators/{slug}.json")["series"]
    actual = [(e["period"], e["value"], e["target"], e["status"], e["direction"], e["exception"],
               e["intervention_stage"], e["forecast"]) for e in series]
    assert actual == EXPECTED[slug]


def test_api_documents_carry_the_contract_fields(eastbrook):
    _, out, _ = eastbrook
    listing = read_json(out, "api/indicators.json")
    assert [i["id"] for i in listing["indicators"]] == ["EB-01", "EB-02", "EB-03", "EB-04", "EB-05"]
    document = read_json(out, "api/indicators/eb-01.json")
    for key in ("id", "title", "theme_id", "polarity", "unit", "frequency", "series"):
        assert key in document
    assert document["title"] == "Crimes per 1,000 residents" and document["theme_id"] == "safer"
    entry = document["series"][-1]
    for key in ("period", "value", "target", "status", "direction", "exception", "intervention_stage", "forecast",
                "provisional", "revised"):
        assert key in entry
    assert entry["provisional"] is True and entry["revised"] is False
    assert read_json(out, "api/indicators/eb-03.json")["series"][0]["target_profiled"] is True


def test_every_contract_url_exists(eastbrook):
    _, out, outcome = eastbrook
    site = outcome.site
    urls = ["", "themes/", "indicators/", "reports/", "data/", "data/quality/"]
    urls += [f"themes/{t.id}/" for t in site.themes]
    urls += [f"indicators/{r.indicator.slug}/" for r in site.records]
    for report in site.reports:
        urls.append(f"reports/{report.period.slug}/")
        urls += [f"reports/{report.period.slug}/{t.theme.id}/" for t in report.themes]
    for url in urls:
        assert (out / url / "index.html").is_file(), url
    assert (out / "api/indicators.json").is_file()
    assert {p.name for p in (out / "api/indicators").iterdir()} == {f"eb-0{i}.json" for i in range(1, 6)}
    assert [r.period.slug for r in site.reports][-1] == "2010-11-q2"
    assert (out / "reports/2010-11-q2/safer/index.html").is_file()


def test_every_internal_link_resolves(eastbrook):
    _, out, _ = eastbrook
    broken = []
    for page in out.rglob("*.html"):
        if page.name == "404.html":
            continue  # its links are absolute to the base URL, for use at any address
        parsed = parse_page(page)
        for href in parsed.links:
            target = resolve_link(out, page, href)
            if target is not None and not target.is_file():
                broken.append((page.relative_to(out).as_posix(), href))
            if href.startswith("#") and href[1:] not in parsed.ids:
                broken.append((page.relative_to(out).as_posix(), href))
    assert broken == []


def test_pages_are_structured_for_assistive_technology(eastbrook):
    _, out, _ = eastbrook
    for page in out.rglob("*.html"):
        parsed = parse_page(page)
        name = page.relative_to(out).as_posix()
        assert parsed.html_lang == "en-GB", name
        assert [tag for tag, _ in parsed.headings].count("h1") == 1, name
        assert parsed.tags.count("main") == 1, name
        assert len(parsed.ids) == len(set(parsed.ids)), f"duplicate ids in {name}"
        levels = [int(tag[1]) for tag, _ in parsed.headings]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"skipped heading level in {name}"
        # the search page (Pagefind) is the only one with a script, and says what to do without it
        assert "script" not in parsed.tags or name == "search/index.html", f"{name} needs JavaScript"


def test_charts_are_accessible_images_with_a_table(eastbrook):
    _, out, _ = eastbrook
    html = (out / "indicators/eb-01/index.html").read_text(encoding="utf-8")
    assert '<svg role="img" aria-labelledby="chart-eb-01-title chart-eb-01-desc"' in html
    assert '<title id="chart-eb-01-title">Trend chart: Crimes per 1,000 residents</title>' in html
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count("role=") == 1 and "aria-roledescription" not in svg  # the image is one image
    summary = ("Crimes per 1,000 residents was 12.1 per 1,000 population in 2010-11 Q2 against a target of "
               "11.0 per 1,000 population (off target), getting worse compared with 11.0 per 1,000 population in "
               "2009-10 Q2; from 2009-10 Q1 to 2010-11 Q2 the lowest figure was 10.0 per 1,000 population "
               "(2009-10 Q1) and the highest 13.0 per 1,000 population (2009-10 Q4).")
    assert f'<desc id="chart-eb-01-desc">{summary}</desc>' in html
    assert f"<figcaption>{summary}</figcaption>" in html
    # the table beside the chart states a long unit once, in its caption, not in every cell
    assert ('<caption id="results-caption">Every result of EB-01, oldest first. '
            '<span class="caption__unit">Unit: per 1,000 population.</span></caption>') in html
    rows = html[html.index('<caption id="results-caption">'):]
    rows = rows[rows.index("<tbody>"):rows.index("</tbody>")]
    assert "per 1,000 population" not in rows
    assert '<td class="num">12.1 <span class="tag">Provisional</span></td>' in rows
    # a percentage keeps its sign in the cells and needs no unit sentence
    percent = (out / "indicators/eb-02/index.html").read_text(encoding="utf-8")
    assert '<caption id="results-caption">Every result of EB-02, oldest first.</caption>' in percent
    assert re.search(r'<td class="num">\d+%</td>', percent)
    # the gap of August 2010 is shown as missing, never as zero
    gap = (out / "indicators/eb-04/index.html").read_text(encoding="utf-8")
    assert "1 period has no figure" in gap


def test_exception_reports_show_narratives_and_flag_missing_ones(eastbrook):
    _, out, _ = eastbrook
    html = (out / "reports/2010-11-q2/safer/index.html").read_text(encoding="utf-8")
    assert "Ward walkabouts in every ward by <strong>December</strong>." in html
    assert "&lt;script&gt;alert" in html  # raw HTML in a narrative is shown as text
    assert "No exception narrative has been provided" in html  # EB-01 has none
    assert "Crime rose in the second quarter" in html  # the theme's commentary
    assert "£1,500 over" in html  # spend: 51,500 spent against 50,000 profiled to Q2


def test_validation_warnings_are_published_on_the_data_quality_page(eastbrook):
    _, out, outcome = eastbrook
    assert {f.rule_id for f in outcome.report.warnings} == {
        "complete.narrative", "timely.exception-report-late", "valid.raw-html"}
    html = (out / "data/quality/index.html").read_text(encoding="utf-8")
    assert "content/narratives/2010-11-q2/EB-01.md" in html
    assert 'id="rule-reliable-outlier"' in html  # the rules in force are listed


def test_strict_build_fails_on_a_missing_narrative_and_writes_nothing(eastbrook, tmp_path):
    site, _, _ = eastbrook
    out = tmp_path / "strict"
    outcome = build_site(site, out, strict=True)
    assert not outcome.ok
    assert {f.rule_id for f in outcome.report.errors} == {"complete.narrative"}
    assert not out.exists()


def test_every_page_and_file_of_eastbrook_is_a_permanent_address(eastbrook):
    from helpers import assert_addresses_are_what_the_build_wrote

    _, out, outcome = eastbrook
    assert_addresses_are_what_the_build_wrote(outcome, out)
