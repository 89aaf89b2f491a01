#!/usr/bin/env python3
"""Measure validation speed and memory on a synthetic site folder (figures, not a test).

Writes a synthetic package (scripts/synthetic_site.py) of N result rows, then runs
each measurement in a fresh process, so that peak memory is that run's alone:

    python scripts/benchmark.py                      # 1,000,000 rows, the automatic path
    python scripts/benchmark.py --results 100000 --path frictionless
    python scripts/benchmark.py --site my-site       # an existing site folder

Prints the machine (core count and processor, scripts/machine.py), then for each run
load and validate wall-clock time, rows per second (all data rows of all files, over
load + validate), the processor time of load + validate, peak resident memory, and the
findings by rule (with ``--assess``, the model and assess times too).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from machine import described  # noqa: E402

MEASURE = r"""
import json, resource, sys, time
from collections import Counter
from pathlib import Path
from perfsite.load import load_site
from perfsite.quality.validate import validate
from perfsite.source import FolderSource

site, path, stages = Path(sys.argv[1]), (sys.argv[2] if sys.argv[2] != "auto" else None), sys.argv[3]
figures = {}
start, cpu_start = time.perf_counter(), time.process_time()
loaded = load_site(FolderSource(site))
figures["load_s"] = time.perf_counter() - start
start = time.perf_counter()
validated = validate(loaded, force_path=path)
figures["validate_s"] = time.perf_counter() - start
figures["cpu_s"] = time.process_time() - cpu_start
figures["paths"] = validated.paths_used
report = validated.report
if stages == "assess" and report.ok:
    from perfsite.assess import assess
    from perfsite.model import build_package
    from perfsite.source import build_info
    start = time.perf_counter()
    package = build_package(validated)
    figures["model_s"] = time.perf_counter() - start
    start = time.perf_counter()
    assess(package, loaded.config, build_info(site))
    figures["assess_s"] = time.perf_counter() - start
figures["rows"] = report.rows_checked
figures["errors"], figures["warnings"] = len(report.errors), len(report.warnings)
figures["by_rule"] = dict(Counter(f.rule_id for f in report.findings).most_common())
figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
"""


def measure(site: Path, path: str, stages: str) -> dict:
    completed = subprocess.run([sys.executable, "-c", MEASURE, str(site), path, stages],
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.exit(f"The measurement failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=1_000_000, help="result rows to generate (default 1,000,000)")
    parser.add_argument("--site", type=Path, help="measure this site folder instead of a synthetic one")
    parser.add_argument("--path", choices=("auto", "fast", "frictionless"), default="auto",
                        help="force one validation path for every file (default: chosen by file size)")
    parser.add_argument("--assess", action="store_true", help="also time the model and assess stages")
    parser.add_argument("--runs", type=int, default=1, help="repeat and report each run")
    arguments = parser.parse_args()

    print(f"Machine: {described()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="perfsite-bench-") as scratch:
        site = arguments.site
        if site is None:
            import synthetic_site

            site = Path(scratch) / "site"
            counts = synthetic_site.write(site, arguments.results)
            print("Synthetic site: " + ", ".join(f"{name} {count:,}" for name, count in counts.items()))
        for run in range(1, arguments.runs + 1):
            figures = measure(site, arguments.path, "assess" if arguments.assess else "validate")
            total = figures["load_s"] + figures["validate_s"]
            print(f"run {run}: {figures['rows']:,} rows; load {figures['load_s']:.1f} s, "
                  f"validate {figures['validate_s']:.1f} s, together {total:.1f} s = "
                  f"{figures['rows'] / total:,.0f} rows/s; peak memory {figures['peak_rss_mib']:,.0f} MiB "
                  f"({described()})")
            # Processor time is steadier than wall-clock time on a shared machine (it
            # counts every thread, so it can exceed the wall-clock time).
            print(f"        processor time for load + validate {figures['cpu_s']:.1f} s")
            if "model_s" in figures:
                print(f"        model {figures['model_s']:.1f} s, assess {figures['assess_s']:.1f} s")
            print(f"        paths: {figures['paths']}; {figures['errors']} errors, {figures['warnings']} warnings "
                  f"{figures['by_rule'] or ''}")


if __name__ == "__main__":
    main()
