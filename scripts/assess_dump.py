#!/usr/bin/env python3
"""Write everything the model and assess stages produce, canonically, to compare two versions.

Every assessed result (each field's repr, so a Decimal that became a Fraction shows),
every standing, every report line and count, and the API documents, one line each:

    PYTHONPATH=OLD_CHECKOUT python scripts/assess_dump.py SITE BEFORE
    PYTHONPATH=NEW_CHECKOUT python scripts/assess_dump.py SITE AFTER
    diff -r BEFORE AFTER          # nothing, when the change kept the ratings

Also prints the wall-clock and processor time of the two stages (--time-only: only that), and
with --memory the process's resident memory after each stage (Linux), what the model's
package and the assessed site hold while the rest of the build runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import time
from pathlib import Path

MIB = 2 ** 20


def canonical(value):
    """Dataclasses as dicts of their fields, everything else as its repr (types included)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("record", "descriptor")}  # a line's record is written once, by id
    if isinstance(value, (tuple, list)):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    return repr(value)


def resident_mib() -> float:
    """The process's resident memory now, after a full collection (garbage not counted)."""
    gc.collect()
    with open("/proc/self/status", encoding="ascii") as status:  # Linux: VmRSS is in kB
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kib * 1024 / MIB


def line_of(line) -> list:
    return [line.record.indicator.id, canonical(line.result) if line.result else None, line.is_new,
            canonical(line.intervention), canonical(line.narrative), line.lead]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--time-only", action="store_true")
    parser.add_argument("--memory", action="store_true", help="print resident memory after each stage (Linux)")
    arguments = parser.parse_args()

    from perfsite import api
    from perfsite.assess import assess
    from perfsite.load import load_site
    from perfsite.model import build_package
    from perfsite.quality.validate import validate
    from perfsite.source import FolderSource, build_info

    loaded = load_site(FolderSource(arguments.site))
    validated = validate(loaded)
    memory = {"validated": resident_mib()} if arguments.memory else {}
    wall, processor = time.perf_counter(), time.process_time()
    package = build_package(validated)
    model = time.perf_counter() - wall, time.process_time() - processor
    if arguments.memory:
        del validated  # the build keeps only its report from here on
        memory["model"] = resident_mib()
    wall, processor = time.perf_counter(), time.process_time()
    site = assess(package, loaded.config, build_info(arguments.site))
    took = time.perf_counter() - wall, time.process_time() - processor
    print(f"model {model[0]:.2f} s (processor {model[1]:.2f} s), assess {took[0]:.2f} s (processor {took[1]:.2f} s)")
    if arguments.memory:
        memory["assess"] = resident_mib()
        print(f"resident memory: validated {memory['validated']:.0f} MiB, model {memory['model']:.0f} MiB "
              f"({memory['model'] - memory['validated']:+.0f} MiB: the package made, the checked tables let go), "
              f"assess {memory['assess']:.0f} MiB ({memory['assess'] - memory['model']:+.0f} MiB: the assessed site)")
    if arguments.time_only:
        return

    out = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "records.txt", "w", encoding="utf-8") as file:
        for record in site.records:
            file.write(json.dumps({"id": record.indicator.id, "series": canonical(record.series),
                                   "standings": canonical(record.standings), "targets": canonical(record.targets),
                                   "narratives": canonical(record.narratives)}) + "\n")
    with open(out / "reports.txt", "w", encoding="utf-8") as file:
        for report in site.reports:
            file.write(json.dumps({
                "period": repr(report.period), "counts": canonical(report.counts), "previous": repr(report.previous),
                "next": repr(report.next), "is_current": report.is_current,
                "themes": [{"theme": theme.theme.id, "counts": canonical(theme.counts),
                            "spend": canonical(theme.spend), "commentary": canonical(theme.commentary),
                            "lines": [line_of(line) for line in theme.lines],
                            "contributing": [line_of(line) for line in theme.contributing]}
                           for theme in report.themes],
            }) + "\n")
    with open(out / "site.txt", "w", encoding="utf-8") as file:
        file.write(repr((site.publish_period, site.latest_with_results,
                         {k: [r.indicator.id for r in v] for k, v in site.theme_records.items()})) + "\n")
    with open(out / "api.txt", "w", encoding="utf-8") as file:
        file.write(json.dumps(api.indicators_document(site), sort_keys=True) + "\n")
        file.write(json.dumps(api.site_document(site), sort_keys=True) + "\n")
        for record in site.records:
            file.write(json.dumps(api.indicator_document(site, record), sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
