"""The site in a real browser: printed as a committee paper, and on a 320 px phone.

Uses the shared Chromium (tests/conftest.py): locally skipped with the install
command when Chromium or Playwright is missing, a failure under CI=true.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import REPOSITORY, build_site, copy_site

from perfsite.browser import serve_folder

PAGE_KINDS = ("", "themes/", "themes/safer-communities/", "indicators/", "indicators/ni-192/", "reports/",
              "reports/2010-11-q4/", "reports/2010-11-q4/safer-communities/", "exceptions/", "sets/ni/",
              "glossary/", "data/", "data/quality/", "data/revisions/", "pages/how-to-read/")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("example") / "site"
    folder.mkdir()
    for name in ("site.yaml", "data", "content"):
        source = REPOSITORY / name
        copy_site(source, folder / name) if source.is_dir() else (folder / name).write_bytes(source.read_bytes())
    out = tmp_path_factory.mktemp("out") / "site"
    assert build_site(folder, out).ok
    return out


def test_a_report_prints_as_a_clean_committee_paper(browser, site, tmp_path):
    with serve_folder(site) as base:
        page = browser.new_page()
        page.goto(base.rstrip("/") + "/reports/2010-11-q4/")
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => ['.site-nav', '.skip-link', '.breadcrumbs', '.footer-links']
            .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)""")
        assert hidden and set(hidden) == {"none"}
        repeated = page.evaluate("() => getComputedStyle(document.querySelector('thead')).display")
        assert repeated == "table-header-group"
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=False)
        page.screenshot(path=str(tmp_path / "report-print.png"), full_page=True)
        page.close()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_nothing_overflows_a_320_pixel_screen(browser, site, path):
    with serve_folder(site) as base:
        page = browser.new_page(viewport={"width": 320, "height": 640})
        page.goto(base.rstrip("/") + "/" + path)
        # the page itself never scrolls sideways; wide tables scroll inside their labelled region
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path or '/'} is {overflow}px wider than the screen"
        cut = page.evaluate("""() => [...document.querySelectorAll('table')].filter(t => {
            const wrap = t.closest('.table-wrap');
            return t.scrollWidth > t.parentElement.clientWidth + 1 && !(wrap && wrap.getAttribute('tabindex') === '0'
                   && wrap.getAttribute('role') === 'region' && wrap.hasAttribute('aria-labelledby'));
        }).length""")
        assert cut == 0, f"{path or '/'} has a wide table outside a focusable, labelled scrolling region"
        page.close()


@pytest.mark.parametrize("width", [320, 390, 600, 768, 1280])
def test_chart_text_is_never_smaller_than_the_small_print(browser, site, width):
    """WCAG 1.4.4: on a phone the chart is drawn for the phone (charts.narrow_width), not squeezed."""
    with serve_folder(site) as base:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for indicator in ("ni-192", "ni-020", "ni-117"):
            page.goto(base.rstrip("/") + f"/indicators/{indicator}/")
            smallest, small_print, shown = page.evaluate("""() => {
                const texts = [...document.querySelectorAll('.chart svg text')].filter(t => t.getClientRects().length);
                const sizes = texts.map(t => { const m = t.getScreenCTM();
                    return Math.hypot(m.a, m.b) * parseFloat(getComputedStyle(t).fontSize); });
                return [Math.min(...sizes), parseFloat(getComputedStyle(document.querySelector('.site-footer')).fontSize),
                        texts.length];
            }""")
            assert shown > 5
            assert smallest >= small_print - 0.05, f"{indicator} at {width}px: chart text {smallest:.1f}px"
        page.close()


# Indicators whose charts are crowded: long quarterly labels, a target and a monitoring level
CROWDED_CHARTS = ("ni-192", "ni-020", "ni-117", "loc-bp1")

_CLASHING_WORDS = """() => {
    const clashes = [];
    for (const svg of document.querySelectorAll('.chart svg')) {
        const boxes = [...svg.querySelectorAll('text')].filter(t => t.getClientRects().length && t.textContent.trim()
                                 && getComputedStyle(t).opacity !== '0')  // labels Vega thinned out
            .map(t => [t.textContent, t.getBoundingClientRect()]);
        boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, q]) => {
            const w = Math.min(r.right, q.right) - Math.max(r.left, q.left);
            const h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
            if (w > 0.5 && h > 0.5) clashes.push(a + ' / ' + b);
        }));
    }
    return clashes;
}"""


@pytest.fixture(scope="module")
def hart(tmp_path_factory):
    """The real council's site (examples/hart), as published."""
    out = tmp_path_factory.mktemp("hart") / "site"
    assert build_site(REPOSITORY / "examples" / "hart", out).ok
    return out


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_two_words_of_a_chart_overlap(browser, site, hart, width):
    """The period labels along a phone's chart once ran into each other ("2009-10 Q2010-11 Q4"):
    Vega only thins labels out when there are three or more, and the narrow chart showed two.
    Checked on the example's crowded charts and on every chart of the real council's site."""
    pages = {site: CROWDED_CHARTS, hart: [p.parent.name for p in sorted((hart / "indicators").glob("*/index.html"))]}
    page = browser.new_page(viewport={"width": width, "height": 900})
    for folder, indicators in pages.items():
        with serve_folder(folder) as base:
            for indicator in indicators:
                page.goto(base.rstrip("/") + f"/indicators/{indicator}/", wait_until="domcontentloaded")
                clashes = page.evaluate(_CLASHING_WORDS)
                assert clashes == [], f"{folder.parent.name} {indicator} at {width}px: chart words overlap: {clashes}"
    page.close()


def test_the_screenshot_helper_shows_each_page_kind_at_phone_and_desktop_width(browser, site, tmp_path):
    import importlib.util
    import struct

    spec = importlib.util.spec_from_file_location("screenshots", REPOSITORY / "scripts/screenshots.py")
    screenshots = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screenshots)
    taken = screenshots.take(site, tmp_path / "shots", browser)
    assert sorted(p.name for p in taken) == sorted(f"{page}-{width}.png" for page in
                                                    ("overview", "theme", "indicator", "report")
                                                    for width in (375, 1280))
    for path in taken:
        data = path.read_bytes()
        width, height = struct.unpack(">II", data[16:24])  # the PNG header
        assert data.startswith(b"\x89PNG") and width == int(path.stem.rsplit("-", 1)[1]) and height > 600


def test_search_finds_an_indicator_by_a_word_of_its_definition(browser, site):
    """Pagefind, built at build time and served from the output folder as it is."""
    assert (site / "pagefind/pagefind-ui.js").is_file()
    with serve_folder(site) as base:
        page = browser.new_page()
        page.goto(base.rstrip("/") + "/search/")
        page.wait_for_selector("label[for=search-input]")  # a visible label, for axe and for people
        page.fill("#search-input", "detritus")  # only in NI-195's definition
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        links = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.getAttribute('href'))")
        assert "/indicators/ni-195/" in links
        page.close()


def test_every_other_page_works_without_javascript(site):
    scripts = [page.relative_to(site).as_posix() for page in site.rglob("*.html")
               if "<script" in page.read_text(encoding="utf-8")]
    assert scripts == ["search/index.html"]
    search = (site / "search/index.html").read_text(encoding="utf-8")
    assert "<noscript>" in search and "indicators page" in search


def test_indexing_for_search_writes_nothing_outside_the_build(tmp_path, monkeypatch):
    from perfsite.search import search_index

    pages = tmp_path / "pages"
    pages.mkdir()
    page = (b"<html lang='en'><body><main data-pagefind-body><h1>Recycling</h1>"
            b"<p>Detritus and litter.</p></main></body></html>")
    (pages / "index.html").write_bytes(page)
    working = tmp_path / "working"
    working.mkdir()
    monkeypatch.chdir(working)
    files = search_index(pages)
    assert "pagefind/pagefind-ui.js" in files and any(path.endswith(".pf_fragment") for path in files)
    assert list(working.iterdir()) == []  # Pagefind's files go to a temporary folder, never the working one
    assert [p.name for p in pages.iterdir()] == ["index.html"]  # nor among the pages it indexes


def test_the_index_of_the_search_copies_is_the_index_of_the_pages(site):
    """The build hands Pagefind each page without its tables and charts (search_copy): the
    index is byte for byte the one Pagefind makes of the pages as published."""
    from perfsite import search

    pages = sorted(path for path in site.rglob("*.html") if path.parts[-2:] != ("search", "index.html"))
    whole = search._PagefindService()
    for page in pages:
        whole.add(page.relative_to(site).as_posix(), page.read_text(encoding="utf-8"))
    with search.SearchPages() as copies:
        for page in pages:
            copies.add(page.relative_to(site).as_posix(), page.read_text(encoding="utf-8"))
        assert copies.index() == whole.index_files()
    indicator = (site / "indicators/ni-192/index.html").read_text(encoding="utf-8")
    copy = search.search_copy(indicator)
    assert len(copy) < len(indicator) / 3 and "<svg" in copy and "<path" not in copy and "<td" not in copy


def test_the_search_index_does_not_depend_on_the_order_a_folder_lists_its_files_in(site, tmp_path):
    """Pagefind's command indexes a folder in the order the file system lists its files,
    which differs from one file system to another (a disk lists these by a hash of their
    names, Linux's memory file system newest first), and its index follows that order: the
    build hands it the pages itself, in order, so every machine makes the same bytes."""
    import tempfile

    from perfsite.search import search_index

    pages = sorted(path for path in site.rglob("*.html") if "search" not in path.parts)
    memory = Path("/dev/shm") if Path("/dev/shm").is_dir() else None  # a second file system, when there is one
    with tempfile.TemporaryDirectory(dir=memory) as elsewhere:
        indexes = []
        for folder, order in ((tmp_path / "pages", pages), (Path(elsewhere) / "pages", pages[::-1])):
            for page in order:
                made = folder / page.relative_to(site)
                made.parent.mkdir(parents=True, exist_ok=True)
                made.write_bytes(page.read_bytes())
            indexes.append(search_index(folder))
    assert indexes[0] == indexes[1] and any(path.endswith(".pf_fragment") for path in indexes[0])
    # every file whole: the entry names the languages' index, each index file is gzip
    import gzip
    import json

    index = indexes[0]
    entry = json.loads(index["pagefind/pagefind-entry.json"])
    assert entry["languages"] and all(content for content in index.values())
    assert all(gzip.decompress(content) for path, content in index.items() if path.endswith(
        (".pf_fragment", ".pf_index", ".pf_meta")))


def test_a_figure_in_a_table_or_chart_leaves_the_search_copy_as_it_was():
    from perfsite.search import search_copy

    def page(figure: str, body: str = "<main id='main' data-pagefind-body>") -> str:
        return (f"<!doctype html><html lang='en'><head><title>T</title></head><body><header>Menu</header>{body}"
                f"<h1>Recycling</h1><p>Household waste.</p><table id='t'><tr><td>{figure}</td></tr></table>"
                f"<svg role='img'><path d='M{figure}'/></svg><p>After.</p></main><footer>F</footer></body></html>")

    assert search_copy(page("41.2")) == search_copy(page("43.9")) == (
        "<!doctype html><html lang='en'><head><title>T</title></head><body><header>Menu</header>"
        "<main id='main' data-pagefind-body><h1>Recycling</h1><p>Household waste.</p><table id='t'></table>"
        "<svg role='img'></svg><p>After.</p></main></body></html>")
    # anything unlike perfsite's own pages is handed to Pagefind whole
    for unusual in (page("1", "<main>"),  # not marked for Pagefind
                    page("1", "<main data-pagefind-body><span data-pagefind-meta='x'>m</span>"),
                    page("1", "<main data-pagefind-body><table><tr><td><table></table></td></tr></table>"),
                    page("1").replace("</svg>", "")):
        assert search_copy(unusual) == unusual


def test_a_search_service_that_says_nothing_readable_stops_the_build_with_a_sentence(monkeypatch):
    import sys

    from perfsite import search

    # a stand-in that answers in something other than Pagefind's replies and stays running
    monkeypatch.setattr(search, "PAGEFIND_SERVICE", (
        sys.executable, "-c", "import sys, time; sys.stdout.write('not base64!,'); sys.stdout.flush(); time.sleep(60)"))
    with search.SearchPages() as pages:
        pages.add("index.html", "<html><body><main data-pagefind-body><h1>Waste</h1></main></body></html>")
        with pytest.raises(search.SearchIndexError) as raised:
            pages.index()
    assert "Pagefind could not index the pages for search" in str(raised.value)
    assert "not base64!" in str(raised.value) and "search: false" in str(raised.value)
