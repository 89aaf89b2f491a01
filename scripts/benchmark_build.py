#!/usr/bin/env python3
"""Measure whole builds: cold, no-op, one changed or added row, the million-result site, the scale curve.

Figures, not a test: each build runs in a fresh process (``python -m perfsite build``),
so its time includes start-up and its peak memory is its own. Beside its wall time each
build prints its processor time, all its processes together and by kind (the building
process, the chart workers, Pagefind), and the least wall time that much work could take
on this machine's cores. One command a figure:

    python scripts/benchmark_build.py cold            # 2,000 indicators x 4 years, empty cache
    python scripts/benchmark_build.py noop            # the same site built again, nothing changed (then
                                                      # again without the last build's record)
    python scripts/benchmark_build.py one-row         # one result row changed, then built
    python scripts/benchmark_build.py council         # the three above from one cold build
    python scripts/benchmark_build.py added-row       # one result row added above all the others, then built
    python scripts/benchmark_build.py one-row --git   # the site in git, the change committed before its
                                                      # build, as in a council's pull request
    python scripts/benchmark_build.py million         # scripts/synthetic_site.py defaults, cold
    python scripts/benchmark_build.py scale           # cold builds at 250 ... 6,000 indicators
    python scripts/benchmark_build.py scale --plot docs/benchmarks-scale.svg
    python scripts/benchmark_build.py charts          # one chart's drawing time, in this process

Validation and assessment alone are measured by scripts/benchmark.py. Every figure is
printed with the machine's core count and processor: the same commit has measured twice
as fast on one 2-core machine as on another (docs/benchmarks.md, sixth pass). Sites are
written to a temporary folder (or --work DIR, kept, so that a second run skips
generating them). ``--runs N`` repeats the figure and ends with each one's least and
median wall time: runs minutes apart differ by a quarter on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic_site  # noqa: E402
from machine import cores, described, processor  # noqa: E402

SCALE = (250, 500, 1000, 2000, 6000)
COUNCIL = dict(indicators=2000, years=4, frequencies=("quarterly",))
COUNCIL_FIGURES = ("cold", "noop", "one-row", "added-row", "council")  # the figures of the 2,000-indicator site


def site_folder(work: Path, name: str, **shape) -> Path:
    folder = work / name
    if not (folder / "site.yaml").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        counts = synthetic_site.write(folder, **shape)
        print(f"  wrote {name}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    return folder


def build(site: Path, out: Path, *extra: str) -> dict:
    """One build in a fresh process: wall time, peak memory, processor time, the stage times it printed.

    ``processor_s`` is the processor time of the build and every process it ran (its chart
    workers, Pagefind), from the kernel; divided by the cores, it is the least wall time
    that much work can take on this machine (``busy_cores`` says how many it kept busy).
    ``processor_s_by_process`` splits it by kind of process, sampled every SAMPLE_S seconds
    (so a little short of the total), when psutil is installed (it comes with the test extra).
    """
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "perfsite", "build", "--site", str(site), "--out", str(out),
                                *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "CI": "true"})  # plain progress lines
    printed: list[str] = []
    reader = threading.Thread(target=lambda: printed.append(process.stdout.read()), daemon=True)
    reader.start()
    by_process = processor_time_by_process(process.pid, reader)
    reader.join()
    output = printed[0] if printed else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"The build of {site} failed:\n{output}")
    stages = dict(re.findall(r"(\w+) ([0-9.]+)s", output.split("time by stage", 1)[-1]))
    pages = re.search(r"pages\s+(\d+) rendered, (\d+) from cache", output)
    processor_s = usage.ru_utime + usage.ru_stime  # the build's, and its waited-for children's
    figures = {"wall_s": round(wall, 1), "peak_gb": round(usage.ru_maxrss / 1024 / 1024, 2),
               "processor_s": round(processor_s, 1), "busy_cores": round(processor_s / wall, 2),
               "least_wall_on_these_cores_s": round(processor_s / cores(), 1)}
    if by_process:
        figures["processor_s_by_process"] = by_process
    return {**figures,
            "stages": {k: float(v) for k, v in stages.items() if k != "total"},
            "pages_rendered": int(pages.group(1)) if pages else None,
            "pages_from_cache": int(pages.group(2)) if pages else None,
            "pages": sum(1 for _ in out.rglob("*.html")),
            "up_to_date": "Nothing has changed since the last build" in output}


SAMPLE_S = 0.2


def processor_time_by_process(pid: int, running: threading.Thread) -> dict[str, float]:
    """Processor time of the build's processes by kind (the building process, its chart
    workers, Pagefind), sampled while ``running`` is alive; empty without psutil."""
    try:
        import psutil
    except ImportError:
        return {}
    latest: dict[int, tuple[str, float]] = {}  # pid: (kind, processor time at the last sample)
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return {}
    while running.is_alive():
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        for each in processes:
            try:
                times = each.cpu_times()
                latest[each.pid] = (process_kind(each, root), times.user + times.system)
            except psutil.Error:
                pass
        running.join(SAMPLE_S)
    totals: dict[str, float] = {}
    for kind, seconds in latest.values():
        totals[kind] = totals.get(kind, 0.0) + seconds
    return {kind: round(seconds, 1) for kind, seconds in sorted(totals.items(), key=lambda item: -item[1])}


def process_kind(process, root) -> str:
    if process.pid == root.pid:
        return "building process"
    command = " ".join(process.cmdline())
    if "pagefind" in command:
        return "Pagefind"
    if "multiprocessing" in command:  # the local pool's spawned workers
        return "chart workers"
    return "other"


def cold(site: Path, out: Path) -> dict:
    shutil.rmtree(site / ".cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return build(site, out)


def change_one_row(site: Path) -> str:
    """Change the latest figure of the first indicator (a late correction), in place."""
    results = site / "data/results.csv"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[1].split(",", 1)[0]
    last = max(i for i, line in enumerate(lines) if line.startswith(first + ","))
    cells = lines[last].split(",")
    cells[2] = f"{float(cells[2]) + 0.1:.1f}" if cells[2] else "1.0"
    lines[last] = ",".join(cells)
    results.write_text("".join(lines), encoding="utf-8")
    return f"{cells[0]} {cells[1]}"


def add_one_row(site: Path) -> str:
    """Add a result for the first indicator, the period before its first, as the first row: a
    late figure found, and every other row of results.csv one further down."""
    from perfsite.periods import Period

    results = site / "data/results.csv"
    header, _, rows = results.read_text(encoding="utf-8").partition("\n")
    cells = rows.split("\n", 1)[0].split(",")
    cells[1] = Period.parse(cells[1]).earlier(1).label
    results.write_text(f"{header}\n{','.join(cells)}\n{rows}", encoding="utf-8")
    return f"{cells[0]} {cells[1]}"


GIT_IDENTITY = ("-c", "user.name=perfsite benchmark", "-c", "user.email=benchmark@example.invalid")


def commit_all(site: Path, message: str) -> None:
    """Commit every file of the site folder but its cache, making it a git repository first if
    it is not one; nothing is committed when nothing has changed."""
    git = ["git", "-C", str(site), *GIT_IDENTITY]
    if not (site / ".git").is_dir():
        subprocess.run([*git, "init", "-q"], check=True)
        (site / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    subprocess.run([*git, "add", "-A"], check=True)
    if subprocess.run([*git, "diff", "--cached", "--quiet"]).returncode != 0:
        subprocess.run([*git, "commit", "-q", "-m", message], check=True)


def chart_times(count: int = 60, rounds: int = 5) -> dict:
    """Processor time to draw one indicator's charts (wide and narrow), in this process, the
    way the build's workers do (perfsite.charts.render_svg), beside compiling each chart's
    Vega-Lite spec whole (vl_convert.vegalite_to_svg). The charts are a council's: 16
    quarters, a target, a provisional latest figure. The least of ``rounds`` is reported."""
    import vl_convert

    from perfsite.charts import ChartData, ChartPoint, render_svg, spec_for
    from perfsite.config import load_config

    settings = load_config(None).charts
    specs: dict[str, list[dict]] = {"wide": [], "narrow": []}
    for n in range(count):
        points = tuple(ChartPoint(label=f"{2016 + q // 4}-{17 + q // 4} Q{q % 4 + 1}",
                                  value=30 + q * 0.7 + n * 1.37, provisional=q == 15,
                                  target=35.0 if q > 3 else None) for q in range(16))
        chart = ChartData(key="c", title="Trend chart", summary="A summary.", unit_label="per cent", points=points)
        specs["wide"].append(spec_for(chart, settings))
        specs["narrow"].append(spec_for(chart.narrow_variant(), settings))
    render_svg(specs["wide"][0])  # the engine starts, and the shipped font is registered

    def least(draw, items) -> float:
        times = []
        for _ in range(rounds):
            start = time.process_time()
            for spec in items:
                draw(spec)
            times.append((time.process_time() - start) / len(items) * 1000)
        return round(min(times), 1)

    figures = {"vl_convert": vl_convert.__version__}
    for width, items in specs.items():
        figures[f"{width}_ms"] = least(render_svg, items)
        figures[f"{width}_compiled_whole_ms"] = least(vl_convert.vegalite_to_svg, items)
    return figures


MEASURED: dict[str, list[float]] = {}  # each figure's wall times, run by run


def report(name: str, figures: dict) -> None:
    """One figure, as a line of JSON, with the machine it was measured on."""
    if "wall_s" in figures:
        MEASURED.setdefault(name, []).append(figures["wall_s"])
    print(json.dumps({"figure": name, "cores": cores(), "processor": processor(), **figures}), flush=True)


def report_runs() -> None:
    """Each figure's least and median wall time over the runs."""
    for name, walls in MEASURED.items():
        report(name, {"runs": len(walls), "least_s": min(walls), "median_s": round(statistics.median(walls), 1),
                      "wall_times_s": walls})


def plot(rows: list[dict], path: Path) -> None:
    import altair as alt
    import pandas as pd
    import vl_convert

    frame = pd.DataFrame([{"indicators": r["indicators"], "seconds": r["wall_s"]} for r in rows])
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("indicators:Q", title="Indicators (4 years of quarterly results each)"),
        y=alt.Y("seconds:Q", title="Cold build, seconds"),
    ).properties(width=420, height=220, title=f"Cold build time by site size ({cores()} cores)")
    path.write_text(vl_convert.vegalite_to_svg(chart.to_dict()), encoding="utf-8")
    print(f"  plot written to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figure", choices=(*COUNCIL_FIGURES, "million", "scale", "charts"))
    parser.add_argument("--work", type=Path, help="keep the generated sites here (default: a temporary folder)")
    parser.add_argument("--plot", type=Path, help="with scale: write the curve as an SVG chart here")
    parser.add_argument("--runs", type=int, default=1, help="repeat the figure, then give each one's least and median")
    parser.add_argument("--git", action="store_true",
                        help="cold, noop, one-row, added-row, council: the site is a git repository, committed "
                             "before the cold build, and the changed or added row is committed before its build "
                             "(every page's footer then names the new commit, as on a council's pull request)")
    arguments = parser.parse_args()
    if arguments.git and arguments.figure not in COUNCIL_FIGURES:
        parser.error(f"--git is for {', '.join(COUNCIL_FIGURES)}: the {arguments.figure} figure has no git variant")
    if arguments.figure == "charts":
        report("one chart drawn, processor time", chart_times())
        return
    work = arguments.work or Path(tempfile.mkdtemp(prefix="perfsite-benchmark-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{described()}; sites in {work}", flush=True)
    try:
        for _ in range(max(1, arguments.runs)):
            measure(arguments.figure, work, arguments.plot, arguments.git)
        if arguments.runs > 1:
            report_runs()
    finally:
        if arguments.work is None:
            shutil.rmtree(work, ignore_errors=True)


def measure(figure: str, work: Path, plot_to: Optional[Path], in_git: bool = False) -> None:
    """One run of a figure (the scale curve: one run of each size)."""
    if figure in COUNCIL_FIGURES:
        name = "council-2000-git" if in_git else "council-2000"
        site = site_folder(work, name, **COUNCIL)
        if in_git:
            commit_all(site, "The synthetic site")
        out = work / f"{name}-out"
        where = ", in git" if in_git else ""
        first = cold(site, out)
        if figure in ("cold", "council"):
            report(f"cold build, 2,000 indicators x 4 years{where}", first)
        if figure in ("noop", "council"):
            report(f"no-op rebuild, 2,000 indicators x 4 years{where}", build(site, out))
            # the same without the last build's record: every page key is made and found in the cache
            (site / ".cache/perfsite/last-build.json").unlink()
            report(f"no-op rebuild without the last build's record (page cache only){where}", build(site, out))
        if figure in ("one-row", "added-row", "council"):
            change, what = ((add_one_row, "one row added") if figure == "added-row"
                            else (change_one_row, "one changed row"))
            changed = change(site)
            try:
                if in_git:
                    commit_all(site, f"{what.capitalize()}: {changed}")
                report(f"{what} ({changed}), 2,000 indicators x 4 years{where}"
                       + (", committed" if in_git else ""), build(site, out))
            finally:
                shutil.rmtree(site)  # the changed site is not the benchmark's any more
    elif figure == "million":
        site = site_folder(work, "million", wanted_results=1_000_000)
        report("cold build, 1,022,252 results", cold(site, work / "million-out"))
    else:
        rows = []
        for count in SCALE:
            site = site_folder(work, f"scale-{count}", indicators=count, years=4, frequencies=("quarterly",))
            figures = cold(site, work / f"scale-{count}-out")
            rows.append({"indicators": count, **figures})
            report(f"cold build, {count:,} indicators x 4 years", figures)
            shutil.rmtree(work / f"scale-{count}-out", ignore_errors=True)
        if plot_to:
            plot(rows, plot_to)


if __name__ == "__main__":
    main()
