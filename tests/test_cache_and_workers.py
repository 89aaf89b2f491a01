"""The page cache, streamed output and where rendering runs: the bytes never depend on them.

A build with a warm cache, a cold one and none at all, with one process, a local pool
or a Dask cluster, writes the same files; a build that changes nothing re-renders and
rewrites nothing; one changed figure re-renders only the pages that show it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from pathlib import Path

import pytest
from helpers import build_site, copy_site, snapshot

import perfsite
from perfsite import render as render_module
from perfsite import workers as workers_module
from perfsite.cache import CACHE_FOLDER
from perfsite.charts import SPEC_TEMPLATES_FOLDER
from perfsite.workers import DaskWorkers, WorkersError


@pytest.fixture
def eastbrook(tmp_path):
    return copy_site("eastbrook", tmp_path / "eastbrook")


def inodes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def record_rendered_pages(monkeypatch) -> list[str]:
    """The file paths of the pages rendered from now on (not taken from the cache), in order."""
    rendered_paths: list[str] = []
    real = render_module.render_pages

    def recording(templates, tasks):
        rendered_paths.extend(task.file_path for task in tasks)
        return real(templates, tasks)

    monkeypatch.setattr(render_module, "render_pages", recording)
    return rendered_paths


def test_a_warm_cache_a_cold_one_and_none_write_the_same_bytes(eastbrook, tmp_path):
    uncached, cold, warm = tmp_path / "uncached", tmp_path / "cold", tmp_path / "warm"
    assert build_site(eastbrook, uncached, use_cache=False).ok
    first = build_site(eastbrook, cold, use_cache=True)
    assert first.rendered.pages_rendered == first.rendered.pages > 0
    second = build_site(eastbrook, warm, use_cache=True)
    assert second.rendered.pages_rendered == 0 and second.rendered.charts_rendered == 0
    assert second.rendered.pages_from_cache == second.rendered.pages
    assert snapshot(uncached) == snapshot(cold) == snapshot(warm)


def test_a_build_that_changes_nothing_rewrites_nothing(eastbrook, tmp_path):
    out = tmp_path / "out"
    assert build_site(eastbrook, out, use_cache=True).ok
    before, files_before = inodes(out), snapshot(out)
    again = build_site(eastbrook, out, use_cache=True)
    assert again.rendered.pages_rendered == 0
    assert again.rendered.files_unchanged == again.rendered.files  # every file kept, none written
    after = inodes(out)
    kept = {path for path in before if path in after and before[path] == after[path]}
    # the same files (hard links to them), apart from the marker and the manifest written last
    assert set(before) - kept <= {".perfsite-output", "SHA256SUMS"}
    assert snapshot(out) == files_before


def rebuilt_with_results_changed(site: Path, out: Path, monkeypatch, old: str, new: str):
    """Build ``site`` into ``out``, change ``old`` (the first time it comes) to ``new`` in its
    results.csv, and build again from the cache: that build's outcome, and the file paths of
    the pages it rendered, in order."""
    assert build_site(site, out, use_cache=True).ok
    results = site / "data/results.csv"
    text = results.read_text(encoding="utf-8")
    assert old in text
    results.write_text(text.replace(old, new, 1), encoding="utf-8")
    rendered_paths = record_rendered_pages(monkeypatch)
    changed = build_site(site, out, use_cache=True)
    monkeypatch.undo()
    assert changed.ok
    return changed, rendered_paths


def assert_as_built_without_the_cache(site: Path, out: Path, reference: Path) -> None:
    """What the cache kept is what a full render gives."""
    assert build_site(site, reference, use_cache=False).ok
    assert snapshot(out) == snapshot(reference)


def indicator_pages_in(paths: list[str]) -> set[str]:
    return {p for p in paths if p.startswith("indicators/") and p.count("/") == 2}


def test_a_changed_figure_re_renders_only_the_pages_that_show_it(eastbrook, tmp_path, monkeypatch):
    out = tmp_path / "out"
    changed, rendered_paths = rebuilt_with_results_changed(
        eastbrook, out, monkeypatch, "EB-01,2009-10 Q2,11.0,", "EB-01,2009-10 Q2,11.5,")
    assert changed.rendered.pages_rendered == len(rendered_paths) < changed.rendered.pages
    assert changed.rendered.charts_rendered == 2  # EB-01's wide and narrow charts
    # the other indicators' pages are not drawn again
    assert indicator_pages_in(rendered_paths) == {"indicators/eb-01/index.html"}
    assert "glossary/index.html" not in rendered_paths and "pages/about/index.html" not in rendered_paths
    assert "11.5" in (out / "indicators/eb-01/index.html").read_text(encoding="utf-8")
    assert_as_built_without_the_cache(eastbrook, out, tmp_path / "reference")


def test_an_indicator_pages_headline_and_chart_data_are_made_only_when_it_is_rendered(eastbrook, tmp_path,
                                                                                     monkeypatch):
    """They are decided by the record and line its key holds (render.NOT_IN_KEY), so a page
    taken from the cache needs neither: a corrected figure makes them for its own page only,
    and the pages are those a build without the cache writes."""
    out = tmp_path / "out"
    assert build_site(eastbrook, out, use_cache=True).ok
    made = []
    real_chart_for, real_headline = render_module.chart_for, render_module.indicator_headline
    monkeypatch.setattr(render_module, "chart_for", lambda record, *a: made.append(record.indicator.id)
                        or real_chart_for(record, *a))
    monkeypatch.setattr(render_module, "indicator_headline", lambda indicator, *a: made.append(indicator.id)
                        or real_headline(indicator, *a))
    results = eastbrook / "data/results.csv"
    results.write_text(results.read_text(encoding="utf-8").replace("EB-01,2009-10 Q2,11.0,", "EB-01,2009-10 Q2,11.5,", 1),
                       encoding="utf-8")
    changed = build_site(eastbrook, out, use_cache=True)
    assert changed.ok and changed.rendered.pages_from_cache > 0
    assert made == ["EB-01", "EB-01"]  # its headline and its chart, no other indicator's
    assert "11.5" in (out / "indicators/eb-01/index.html").read_text(encoding="utf-8")
    assert_as_built_without_the_cache(eastbrook, out, tmp_path / "reference")


def test_a_figure_no_current_line_shows_leaves_the_views_and_the_current_report_as_they_were(
        eastbrook, tmp_path, monkeypatch):
    """The views (exceptions only, by set, by partner) list the current report's lines, and are
    keyed by them and by each line's record outline, never by the records' whole series: a
    figure of a year ago that no current line compares with re-renders its indicator's page and
    the reports of its own period, not the views (a national site's: seconds a key)."""
    out = tmp_path / "out"
    # the current period is 2010-11 Q2
    _, rendered_paths = rebuilt_with_results_changed(
        eastbrook, out, monkeypatch, "EB-01,2009-10 Q1,10.0,", "EB-01,2009-10 Q1,10.4,")
    assert "indicators/eb-01/index.html" in rendered_paths
    assert any(p.startswith("reports/2009-10-q1/") for p in rendered_paths)
    views = [p for p in rendered_paths if p.startswith(("exceptions/", "sets/", "partners/"))]
    assert views == []
    assert not any(p.startswith("reports/2010-11-q2/") for p in rendered_paths)
    assert_as_built_without_the_cache(eastbrook, out, tmp_path / "reference")


def test_a_result_row_added_above_others_leaves_the_pages_of_the_rows_it_moves_down(eastbrook, tmp_path, monkeypatch):
    """A result added to the first indicator moves every later row of results.csv down one: the
    other indicators' pages show none of their rows' numbers, so they are not drawn again."""
    out = tmp_path / "out"
    first = "\nEB-01,2009-10 Q1,"  # the first row
    _, rendered_paths = rebuilt_with_results_changed(eastbrook, out, monkeypatch, first,
                                                     "\nEB-01,2008-09 Q4,9.5,,,,,," + first)
    assert indicator_pages_in(rendered_paths) == {"indicators/eb-01/index.html"}
    assert_as_built_without_the_cache(eastbrook, out, tmp_path / "reference")


def test_a_current_figure_re_renders_its_own_themes_pages_not_the_other_themes(eastbrook, tmp_path, monkeypatch):
    """A theme's page and its exception report show its own lines (and a theme's page those it
    contributes to), and of the partnership's report only the period and where it stands among
    the reports: a figure of EB-02, a Safer Eastbrook indicator that contributes to no other
    theme, leaves Healthy Eastbrook's pages in the cache."""
    out = tmp_path / "out"
    # the latest half: in the current report
    _, rendered_paths = rebuilt_with_results_changed(
        eastbrook, out, monkeypatch, "EB-02,2010-11 H1,60,,,600,1000,57,63", "EB-02,2010-11 H1,61,,,610,1000,58,64")
    assert {"themes/safer/index.html", "reports/2010-11-q2/safer/index.html"} <= set(rendered_paths)
    assert [p for p in rendered_paths if "/health/" in p] == []
    assert_as_built_without_the_cache(eastbrook, out, tmp_path / "reference")


def test_a_current_figure_re_renders_the_views_that_list_it_not_the_others(eastbrook, tmp_path, monkeypatch):
    """A view page lists its own lines, and of the other views only their names and addresses
    (the links between them): EB-01's figure, from the police, leaves the council's page."""
    out = tmp_path / "out"
    # the current period is 2010-11 Q2
    _, rendered_paths = rebuilt_with_results_changed(
        eastbrook, out, monkeypatch, "EB-01,2010-11 Q2,12.1,", "EB-01,2010-11 Q2,12.3,")
    assert {"partners/police/index.html", "sets/local/index.html"} <= set(rendered_paths)
    assert "partners/council/index.html" not in rendered_paths
    assert_as_built_without_the_cache(eastbrook, out, tmp_path / "reference")


def test_a_changed_template_re_renders_the_pages_it_makes(eastbrook, tmp_path):
    out, reference = tmp_path / "out", tmp_path / "reference"
    assert build_site(eastbrook, out, use_cache=True).ok
    overrides = eastbrook / "site_templates"
    overrides.mkdir(exist_ok=True)
    template = (Path(perfsite.__file__).parent / "templates/glossary.html").read_text(encoding="utf-8")
    (overrides / "glossary.html").write_text(template.replace("</h1>", "</h1>\n<p>Our own words.</p>", 1),
                                            encoding="utf-8")
    changed = build_site(eastbrook, out, use_cache=True)
    assert changed.ok and changed.rendered.pages_rendered >= 1
    assert "Our own words." in (out / "glossary/index.html").read_text(encoding="utf-8")
    assert build_site(eastbrook, reference, use_cache=False).ok
    assert snapshot(out) == snapshot(reference)


@pytest.mark.parametrize("library", render_module.RENDERING_LIBRARIES)
def test_another_version_of_a_library_that_renders_renders_every_page_again(eastbrook, tmp_path, monkeypatch,
                                                                           library):
    """A cache restored from CI's storage after an upgrade of Babel (how numbers and dates are
    written), Jinja or MarkupSafe (the HTML) or orjson (the API's JSON) serves no page that the
    old version made: their bytes are made after the key, by the library."""
    import importlib.metadata

    out = tmp_path / "out"
    assert build_site(eastbrook, out, use_cache=True).ok
    installed = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "99.0" if name == library else installed(name))
    render_module.rendering_libraries.cache_clear()
    try:
        again = build_site(eastbrook, out, use_cache=True)
    finally:
        monkeypatch.undo()
        render_module.rendering_libraries.cache_clear()
    assert again.rendered.pages_rendered == again.rendered.pages


def test_perfsites_fingerprint_covers_its_code_templates_and_the_contracts_schemas(tmp_path):
    """What made a cached page and the last build's record: every file of perfsite, and the
    schemas the data is read by, which are a package of their own outside perfsite's folder."""
    from perfsite.cache import files_fingerprint, perfsite_folders

    files = {path.relative_to(folder).as_posix() for folder in perfsite_folders() for path in folder.rglob("*")}
    assert {"render.py", "templates/theme.html", "defaults.yaml", "results.schema.yaml"} <= files
    (tmp_path / "a.yaml").write_text("fields: []\n", encoding="utf-8")
    before = files_fingerprint([tmp_path])
    (tmp_path / "a.yaml").write_text("fields: [value]\n", encoding="utf-8")
    assert files_fingerprint([tmp_path]) != before


def test_page_and_chart_keys_do_not_depend_on_the_process(eastbrook, tmp_path):
    """A warm cache serves a build in another process with another hash seed: keys are stable,
    the pages' and, with the pages' cache gone, the charts' (pickled specs)."""
    import shutil

    out = tmp_path / "out"
    assert build_site(eastbrook, out, use_cache=True).ok
    script = ("import sys; from perfsite.pipeline import build; from pathlib import Path; "
              "o = build(Path(sys.argv[1]), Path(sys.argv[2]), use_cache=True, workers=1); "
              "print(o.rendered.pages_rendered, o.rendered.pages_from_cache, o.rendered.charts_rendered, "
              "o.rendered.charts_from_cache)")
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}

    def build_elsewhere(name: str) -> list[int]:
        completed = subprocess.run([sys.executable, "-c", script, str(eastbrook), str(tmp_path / name)],
                                   capture_output=True, text=True, env=environment, check=True)
        return list(map(int, completed.stdout.split()))

    rendered, from_cache, _, _ = build_elsewhere("other")
    assert rendered == 0 and from_cache > 0
    shutil.rmtree(eastbrook / CACHE_FOLDER / "pages")
    rendered, _, charts_rendered, charts_from_cache = build_elsewhere("again")
    assert rendered > 0 and charts_rendered == 0 and charts_from_cache > 0
    assert snapshot(tmp_path / "again") == snapshot(out)


def test_a_corrected_figure_draws_its_charts_without_altair(eastbrook, tmp_path):
    """The chart shapes' templates are kept in the cache (charts.KeptSpecTemplates), so a build
    that draws a few charts again neither imports altair nor builds a template with it, and
    writes what a build without the cache writes."""
    assert build_site(eastbrook, tmp_path / "out", use_cache=True).ok
    results = eastbrook / "data/results.csv"
    results.write_text(results.read_text(encoding="utf-8").replace("EB-01,2009-10 Q2,11.0,", "EB-01,2009-10 Q2,11.5,", 1),
                       encoding="utf-8")
    script = ("import sys; from perfsite.pipeline import build; from pathlib import Path; "
              "o = build(Path(sys.argv[1]), Path(sys.argv[2]), use_cache=True, workers=1); "
              "print(o.rendered.charts_rendered, 'altair' in sys.modules)")
    completed = subprocess.run([sys.executable, "-c", script, str(eastbrook), str(tmp_path / "out")],
                               capture_output=True, text=True, check=True)
    assert completed.stdout.split() == ["2", "False"]  # EB-01's wide chart and its phone's
    assert_as_built_without_the_cache(eastbrook, tmp_path / "out", tmp_path / "reference")


def test_deleting_the_cache_changes_nothing_but_time(eastbrook, tmp_path):
    import shutil

    first, second = tmp_path / "first", tmp_path / "second"
    assert build_site(eastbrook, first, use_cache=True).ok
    shutil.rmtree(eastbrook / CACHE_FOLDER)
    again = build_site(eastbrook, second, use_cache=True)
    assert again.rendered.pages_rendered == again.rendered.pages
    assert snapshot(first) == snapshot(second)


def in_batches_of(size, site):
    """``size`` indicators a batch: several batches, so that some are drawn while the pages of
    others are written."""
    settings = site / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"charts:\n  batch: {size}\n", encoding="utf-8")
    return site


def in_batches_of_two(site):
    return in_batches_of(2, site)


class Recording(workers_module.InlineWorkers):
    """This process's workers, telling ``events`` when each batch's charts are handed out and
    collected. Its charts are ready when asked (``ready_when_asked``), as from workers quicker
    than the build, or never before they are waited for, as from slow ones."""

    def __init__(self, events, ready_when_asked=True):
        self.events = events
        self.ready_when_asked = ready_when_asked

    def start_map(self, function, items):
        number = sum(1 for event in self.events if event[0] == "charts handed out") + 1
        self.events.append(("charts handed out", number))
        pending = super().start_map(function, items)
        return workers_module.Pending(lambda: self.events.append(("charts collected", number)) or pending.result(),
                                      lambda: self.ready_when_asked)


def build_with(workers, site, out, monkeypatch):
    from perfsite import pipeline

    monkeypatch.setattr(pipeline, "workers_for", lambda count, scheduler=None: workers)
    return build_site(site, out)


def test_the_workers_hold_a_few_batches_and_get_the_next_before_one_is_written(eastbrook, tmp_path, monkeypatch):
    monkeypatch.setattr(render_module, "BATCHES_AHEAD", 2)
    site = in_batches_of(1, eastbrook)  # five indicators: five batches
    for quick in (True, False):
        events = []
        assert build_with(Recording(events, ready_when_asked=quick), site, tmp_path / f"out-{quick}", monkeypatch).ok
        # two batches are handed out before the first page is written; each further one when the
        # oldest drawn batch is written, just before its pages; the rest are written at the end
        assert events == [("charts handed out", 1), ("charts handed out", 2),
                          ("charts handed out", 3), ("charts collected", 1),
                          ("charts handed out", 4), ("charts collected", 2),
                          ("charts handed out", 5), ("charts collected", 3),
                          ("charts collected", 4), ("charts collected", 5)]


def test_the_other_pages_are_written_while_the_charts_are_drawn_and_the_bytes_do_not_depend_on_when(
        eastbrook, tmp_path, monkeypatch):
    from perfsite import write as write_module

    monkeypatch.setattr(render_module, "BATCHES_AHEAD", 2)  # three batches: the third waits to be handed out
    site = in_batches_of_two(eastbrook)
    written = []
    real_add = write_module.Staging.add

    def add(staging, path, content):
        written.append(path)
        return real_add(staging, path, content)

    monkeypatch.setattr(write_module.Staging, "add", add)
    quick, slow = tmp_path / "quick", tmp_path / "slow"
    assert build_with(Recording([], ready_when_asked=True), site, quick, monkeypatch).ok
    quick_order, written[:] = list(written), []
    assert build_with(Recording([], ready_when_asked=False), site, slow, monkeypatch).ok
    slow_order = list(written)
    indicator_pages = [path for path in slow_order if path.startswith("indicators/") and path.count("/") == 2]
    assert len(indicator_pages) == 5
    # slow workers: every other page (reports, data, the quality page) is written before the first
    # indicator page, whose charts are waited for only then; quick ones: the first batch's pages
    # are written as soon as it is drawn, to hand the workers the third batch
    first_indicator = slow_order.index(indicator_pages[0])
    assert {"reports/index.html", "data/index.html", "data/quality/index.html"} <= set(slow_order[:first_indicator])
    assert quick_order.index(indicator_pages[0]) < quick_order.index("reports/index.html")
    assert quick_order != slow_order
    # ... and the site, its search index with it, is the same to the byte
    assert any(path.startswith("pagefind/") for path in snapshot(quick))
    assert snapshot(quick) == snapshot(slow)


def test_one_process_and_a_pool_of_processes_write_the_same_bytes(eastbrook, tmp_path, monkeypatch):
    in_batches_of_two(eastbrook)  # batches in flight together on the pool
    alone, pooled = tmp_path / "alone", tmp_path / "pooled"
    assert build_site(eastbrook, alone, workers=1).ok
    monkeypatch.setattr(workers_module, "POOL_THRESHOLD", 1)  # the small site's charts go to the pool too
    outcome = build_site(eastbrook, pooled, workers=2)
    assert outcome.ok and outcome.rendered.charts_rendered > 0
    assert snapshot(alone) == snapshot(pooled)


@pytest.mark.slow
def test_a_dask_cluster_writes_the_same_bytes(eastbrook, tmp_path):
    import distributed

    local, clustered = tmp_path / "local", tmp_path / "clustered"
    assert build_site(eastbrook, local, workers=1).ok
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        outcome = build_site(eastbrook, clustered, scheduler=cluster.scheduler_address)
        assert outcome.ok
        # the work really went to the cluster: its workers ran the page and chart tasks
        assert any(client.run(lambda: len(__import__("perfsite.render", fromlist=["_ENVIRONMENTS"])._ENVIRONMENTS)).values())
    assert outcome.rendered.pages_rendered == outcome.rendered.pages
    assert snapshot(local) == snapshot(clustered)


def test_an_unreachable_scheduler_is_said_in_a_sentence():
    with pytest.raises(WorkersError, match="Could not reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskWorkers("tcp://127.0.0.1:9", timeout="1s")


def test_pages_other_than_an_indicators_reach_a_record_only_for_its_indicator_and_theme():
    """Report, scorecard and view pages are keyed by each line's record outline (its indicator
    and theme: perfsite/render.py, record_outline), so their templates must show nothing else
    of it. Only the indicator page is handed, and keyed by, the whole record."""
    templates = Path(perfsite.__file__).parent / "templates"
    reached = {}
    for path in sorted(templates.rglob("*.html")):
        if path.name == "indicator.html":
            continue
        for match in re.finditer(r"\brecords?\b(\.\w+)?", path.read_text(encoding="utf-8")):
            reached.setdefault(match.group(1), set()).add(path.name)
    reached.pop(None, None)  # "for record in site.records" and the like
    assert set(reached) <= {".indicator", ".theme"}, reached


def test_the_cache_forgets_what_no_build_has_used_for_its_keep_days(eastbrook, tmp_path):
    """A council builds for years: the cache keeps what builds use and drops the rest."""
    import time

    out = tmp_path / "out"
    assert build_site(eastbrook, out, use_cache=True).ok
    cache = eastbrook / CACHE_FOLDER
    entries = [p for p in cache.rglob("*") if p.is_file() and p.name != "last-build.json"]
    assert entries
    long_ago = time.time() - 200 * 24 * 60 * 60
    for path in entries:
        os.utime(path, (long_ago, long_ago))
    stale = cache / "pages" / "ff" / ("f" * 64)  # a page no build of this site makes any more
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"<p>an old page</p>")
    os.utime(stale, (long_ago, long_ago))
    again = build_site(eastbrook, tmp_path / "again", use_cache=True)
    assert again.rendered.pages_rendered == 0  # everything came from the cache, and is kept
    assert not stale.exists()
    # the chart shapes' templates serve only to draw a chart: a build that drew none did not
    # use them, so they go with the rest unused for keep_days (and are made again when needed)
    templates = cache / "charts" / SPEC_TEMPLATES_FOLDER
    assert all(path.exists() != path.is_relative_to(templates) for path in entries)
    assert snapshot(out) == snapshot(tmp_path / "again")


def test_the_cache_is_looked_through_for_unused_files_at_most_once_a_day(tmp_path):
    """Looking through a cache of many generations of pages took a second a build: a build
    within a day of the last look leaves the cache alone, the first one after it looks again."""
    from perfsite.cache import DAY_S as day
    from perfsite.cache import PRUNE_EVERY_DAYS, prune

    cache = tmp_path / "cache"
    unused = cache / "pages" / "ab" / ("ab" * 32)
    unused.parent.mkdir(parents=True)
    unused.write_bytes(b"<p>a page no build makes any more</p>")
    start = unused.stat().st_mtime + 100 * day
    assert prune(cache, keep_days=90, now=start) == 1  # the first look
    unused.write_bytes(b"<p>another</p>")
    os.utime(unused, (start - 100 * day, start - 100 * day))
    assert prune(cache, keep_days=90, now=start + PRUNE_EVERY_DAYS * day - 60) == 0
    assert unused.exists()
    assert prune(cache, keep_days=90, now=start + PRUNE_EVERY_DAYS * day + 60) == 1
    assert not unused.exists()


def test_the_assessed_site_is_left_out_of_full_collections_while_pages_are_made_and_only_then(
        eastbrook, tmp_path, monkeypatch):
    import gc

    from perfsite import pipeline

    before = gc.get_threshold()
    seen = {}
    real_render = render_module.SiteRenderer.render

    def render(self):
        seen["frozen"], seen["threshold"] = gc.get_freeze_count(), gc.get_threshold()
        seen["site frozen"] = not any(tracked is self.site for tracked in gc.get_objects())  # only the unfrozen
        return real_render(self)

    monkeypatch.setattr(render_module.SiteRenderer, "render", render)
    assert build_site(eastbrook, tmp_path / "out").ok
    assert seen["frozen"] > 0 and seen["site frozen"]
    assert seen["threshold"][2] == max(before[2], pipeline.FULL_COLLECTION_AFTER)
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before  # undone for what runs next

    def fail(self):
        raise RuntimeError("the render failed")

    monkeypatch.setattr(render_module.SiteRenderer, "render", fail)
    with pytest.raises(RuntimeError):
        build_site(eastbrook, tmp_path / "failed")
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before  # undone when a build fails too


def _copies_handed_to_pagefind(monkeypatch) -> dict[str, str]:
    from perfsite import search

    handed = {}
    real = search.SearchPages._hand_over

    def hand_over(self, path, copy):
        handed[path] = copy
        return real(self, path, copy)

    monkeypatch.setattr(search.SearchPages, "_hand_over", hand_over)
    return handed


@pytest.mark.parametrize("templates", ["perfsite's", "provenance inside <main>", "provenance with a table"])
def test_the_copy_pagefind_is_handed_is_the_copy_of_the_page_as_written_from_the_cache_or_not(
        eastbrook, tmp_path, monkeypatch, templates):
    """A page's copy for search is made before its provenance line is put in, and kept in the
    cache beside the page: it is the copy of the page as written, wherever the site's own
    templates put that line and whatever it holds."""
    from perfsite.search import search_copy

    overrides = eastbrook / "site_templates"
    if templates == "provenance inside <main>":
        base = (Path(perfsite.__file__).parent / "templates/base.html").read_text(encoding="utf-8")
        assert base.count("{{ provenance }}") == 1 and base.count("</main>") == 1
        base = base.replace("{{ provenance }}", "").replace("</main>", "<p>{{ provenance }}</p></main>")
        (overrides).mkdir(exist_ok=True)
        (overrides / "base.html").write_text(base, encoding="utf-8")
    elif templates == "provenance with a table":
        (overrides / "partials").mkdir(parents=True)
        (overrides / "partials/provenance.html").write_text(
            "Figures from the package.<table><tr><td>1</td></tr></table>", encoding="utf-8")
    for build in ("cold", "from the cache"):
        handed = _copies_handed_to_pagefind(monkeypatch)
        out = tmp_path / build
        outcome = build_site(eastbrook, out, use_cache=True)
        assert outcome.ok and (outcome.rendered.pages_rendered == 0) == (build == "from the cache")
        assert len(handed) > 20
        for path, copy in handed.items():
            assert copy == search_copy((out / path).read_text(encoding="utf-8")), path
    kept = list((eastbrook / CACHE_FOLDER / "copies").rglob("*"))
    assert bool(kept) == (templates == "perfsite's")  # kept only when made before the provenance line
