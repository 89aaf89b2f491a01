"""Text from data can never become markup; output is replaced whole or not at all; rebuilds are identical."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import pytest
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from perfsite import write as write_module
from perfsite.api import plain_number
from perfsite.write import MARKER, OutputFolderError, write_site
from helpers import build_site, copy_site, parse_page, snapshot

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def _poison(site: Path) -> None:
    """Put hostile text in every kind of free text a publisher controls."""
    themes = site / "data/themes.csv"
    themes.write_text(themes.read_text().replace("Safer Eastbrook", f"Safer {HOSTILE.replace(',', ' ')}"))
    indicators = site / "data/indicators.csv"
    text = indicators.read_text()
    text = text.replace("Residents satisfied with their area", "Residents <b>satisfied</b> &amp; {{ 7*7 }}")
    text = text.replace("Context only.", '"=HYPERLINK(""http://evil.example"",""x"")"')
    indicators.write_text(text)
    results = site / "data/results.csv"
    results.write_text(results.read_text().replace("Telephone system replaced; no count",
                                                   "<script>steal()</script> no count"))
    narrative = site / "content/narratives/2010-11-q2/EB-02.md"
    narrative.write_text(narrative.read_text().replace(
        "None at this stage.",
        "See [the plan](javascript:alert(3)) and <iframe src=//evil.example></iframe> "
        "![x](javascript:alert(4)) {% raw %}{{ config }}{% endraw %}"))
    (site / "site.yaml").write_text((site / "site.yaml").read_text().replace(
        "title: Eastbrook performance", f"title: 'Eastbrook {HOSTILE}'"))


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    site = copy_site("eastbrook", tmp_path_factory.mktemp("site") / "eastbrook")
    _poison(site)
    out = tmp_path_factory.mktemp("out") / "site"
    outcome = build_site(site, out)
    assert outcome.ok, [f.message for f in outcome.report.errors]
    return out


def test_no_text_from_data_or_narratives_becomes_markup(poisoned):
    for page in poisoned.rglob("*.html"):
        parsed = parse_page(page)
        name = page.relative_to(poisoned).as_posix()
        # only the search page has scripts: Pagefind's interface and the line that starts it, nothing more
        assert parsed.tags.count("script") == (2 if name == "search/index.html" else 0), name
        assert "iframe" not in parsed.tags, name
        assert not [a for a in parsed.attributes if a[1].startswith("on")], name
        assert not [a for a in parsed.attributes if a[2].strip().lower().startswith("javascript:")], name
        img_sources = [value for tag, attribute, value in parsed.attributes if tag == "img"]
        assert img_sources == [], name
    overview = (poisoned / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview
    indicator = (poisoned / "indicators/eb-02/index.html").read_text(encoding="utf-8")
    assert "Residents &lt;b&gt;satisfied&lt;/b&gt; &amp;amp; {{ 7*7 }}" in indicator  # not a template either


def test_spreadsheet_formulas_are_neutralised_in_downloads(poisoned):
    rows = list(csv.DictReader(io.StringIO((poisoned / "data/indicators.csv").read_text(encoding="utf-8-sig"))))
    eb04 = next(r for r in rows if r["indicator_id"] == "EB-04")
    assert eb04["definition"].startswith("'=HYPERLINK(")
    raw = (poisoned / "data/results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so that Excel reads it as UTF-8
    assert b"\r\nEB-04,2010 Aug,,,<script>steal()</script> no count,,,,\r\n" in raw


@pytest.mark.parametrize("cell, published", [
    ("=1+1", "'=1+1"), ("+44 20 7946 0000", "'+44 20 7946 0000"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-see note", "'-see note"), ("\tx", "'\tx"), ("-5", "-5"), ("+2.5", "+2.5"), ("-1e3", "-1e3"),
    ("Fine text", "Fine text"), ("", ""),
])
def test_neutralise_prefixes_formulas_but_not_numbers(cell, published):
    from perfsite.downloads import neutralise

    assert neutralise(cell) == published


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 10_000])
def test_downloads_written_a_chunk_at_a_time_are_the_file_written_whole(chunk, monkeypatch):
    """A big download is encoded a chunk of rows at a time (memory): the bytes must be those of
    one csv.writer over all rows, formulas neutralised, whatever the chunk size."""
    from perfsite import downloads

    rows = [["indicator_id", "period", "value", "note"]] + [
        [f"EB-{n:02}", f"2010 Q{n % 4 + 1}", str(n * 1.5), ["", "=cmd()", "naïve, \"quoted\"\nline", "@x"][n % 4]]
        for n in range(11)]
    whole = io.StringIO()
    writer = csv.writer(whole, lineterminator="\r\n")
    for row in rows:
        writer.writerow([downloads.neutralise(cell) for cell in row])
    expected = ("\ufeff" + whole.getvalue()).encode("utf-8")
    monkeypatch.setattr(downloads, "CSV_ROWS_A_CHUNK", chunk)
    assert downloads._csv_bytes(iter(rows)) == expected
    assert downloads.safe_csv(whole.getvalue()) == expected  # neutralising twice changes nothing more


def test_checksums_match_the_files(poisoned):
    for line in (poisoned / "data/SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((poisoned / "data" / name).read_bytes()).hexdigest() == digest


# ---------------------------------------------------------------- atomic output
@pytest.fixture
def built(tmp_path):
    site = copy_site("eastbrook", tmp_path / "eastbrook")
    out = tmp_path / "out"
    assert build_site(site, out).ok
    return site, out, snapshot(out)


def test_a_build_with_data_errors_leaves_the_previous_output_untouched(built):
    site, out, before = built
    results = site / "data/results.csv"
    results.write_text(results.read_text().replace("EB-01,2010-11 Q1,10.5", "EB-01,2010-11 Q1,ten"))
    outcome = build_site(site, out)
    assert not outcome.ok
    assert snapshot(out) == before


def test_a_build_that_dies_while_writing_leaves_the_previous_output_untouched(built, monkeypatch):
    site, out, before = built
    (site / "content/pages/about.md").write_text("---\ntitle: Changed\n---\nChanged.\n")
    written = []
    original = write_module.write_file

    def failing_write(path, data):
        written.append(path)
        if len(written) > 10:
            raise OSError(28, "No space left on device")
        return original(path, data)

    monkeypatch.setattr(write_module, "write_file", failing_write)
    with pytest.raises(OSError):
        build_site(site, out)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")] == []  # no half-written folder


def test_a_build_that_dies_during_the_swap_puts_the_old_site_back(built, monkeypatch):
    site, out, before = built
    (site / "content/pages/about.md").write_text("---\ntitle: Changed\n---\nChanged.\n")
    calls = []
    real_rename = os.rename

    def rename(source, target):
        calls.append((source, target))
        if len(calls) == 2:  # the new folder into place
            raise OSError(5, "I/O error")
        return real_rename(source, target)

    monkeypatch.setattr(write_module.os, "rename", rename)
    with pytest.raises(OSError):
        build_site(site, out)
    monkeypatch.undo()
    assert snapshot(out) == before


def test_a_successful_build_replaces_the_output_whole(built):
    site, out, before = built
    (out / "stale.html").write_text("left over from an old build")
    (site / "content/pages/about.md").write_text("---\ntitle: Changed\n---\nChanged.\n")
    assert build_site(site, out).ok
    after = snapshot(out)
    assert "stale.html" not in after
    assert b"Changed." in after["pages/about/index.html"]
    assert MARKER in after


def test_output_folder_that_a_build_did_not_make_is_never_replaced(tmp_path):
    site = copy_site("eastbrook", tmp_path / "eastbrook")
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "budget.xlsx").write_text("important")
    with pytest.raises(OutputFolderError, match="did not write"):
        build_site(site, precious)
    assert (precious / "budget.xlsx").read_text() == "important"
    for dangerous in (site, tmp_path, site / "data" / "out"):
        with pytest.raises(OutputFolderError):
            write_site({"index.html": b"x"}, dangerous, site)


def test_rebuilds_are_byte_identical(tmp_path):
    site = copy_site("eastbrook", tmp_path / "eastbrook")
    first, second = tmp_path / "first", tmp_path / "second"
    assert build_site(site, first).ok
    assert build_site(site, second, use_cache=True).ok  # a cold cache and a warm one agree too
    assert build_site(site, second, use_cache=True).ok
    assert snapshot(first) == snapshot(second)


# Documents as the API makes them: names, the site's own text, codes, and figures made by
# plain_number from exact decimals (the only floats in them).
_API_FIGURES = st.one_of(
    [st.decimals(allow_nan=False, allow_infinity=False, places=places, min_value=-10**18, max_value=10**18)
     for places in (0, 1, 3, 8, 12)] + [st.decimals(allow_nan=False, allow_infinity=False)]).map(plain_number)
_API_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | _API_FIGURES | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=150, deadline=None)
@given(_API_VALUES, st.sampled_from([1e-5, 7.056e-05, 1.5e16, 2e20, 0.0001, -3.2e-7, 0.5]))
def test_the_api_json_is_the_standard_librarys_bytes(document, awkward):
    """json_text writes with orjson, falling back to the standard library for what orjson
    would write otherwise (exponents): the bytes of json.dumps(indent=2) either way."""
    import json

    from perfsite.api import json_text

    for each in (document, {"series": [document, plain_number(Decimal(repr(awkward)))]}):
        assert json_text(each) == json.dumps(each, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("ab/.:\\ -")), max_size=12))
def test_the_quick_check_of_an_output_path_refuses_and_gives_what_the_full_one_does(path):
    """Staging writes thousands of files and checks each path with safe_relative_text, which
    answers a plain path without pathlib: it must refuse every path safe_relative refuses
    (outside the site folder) and give the same path for the others."""
    from perfsite.source import UnsafePath, safe_relative, safe_relative_text

    def answer(check):
        try:
            return str(check(path))
        except UnsafePath:
            return "refused"

    assert answer(safe_relative_text) == answer(lambda p: safe_relative(p).as_posix())
