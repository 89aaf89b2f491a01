#!/usr/bin/env python3
"""Give the example site a release history in this repository's own commits (run once).

The example publishes 2010-11 Q4. So that a plain ``git clone`` shows what releases
and revisions look like, this script makes three commits on the branch it is run on,
each a release by the line ``Release: <period>`` at the end of its message (a git
trailer: part of the commit, so every clone has it; tags are not carried by a clone
unless they are pushed and fetched, see docs/auditors.md):

1. ``Release: 2010-11 Q2``: the data and content as they stood when the 2010-11 Q2
   report was signed off (results and spend up to September 2010, no Q4 narratives).
2. ``Release: 2010-11 Q3``: up to December 2010, with one published figure corrected:
   NI-135's 2010-11 Q2 value, 22.1 -> 22.4, with the reason in its note.
3. ``Release: 2010-11 Q4``: everything, as the example now stands (keeping the correction).

Only the example's inputs change (data/, content/, site.yaml); code is never touched.
The commits carry the date they are made (git's dates are never rewritten); the
periods say which quarter each release published. Run from the repository root on a
clean tree: ``python scripts/make_example_history.py``. It refuses to run when the
example has releases already (tags or Release lines), so running it twice does nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfsite.history import TRAILER_KEY, read_history  # noqa: E402
from perfsite.periods import Period  # noqa: E402

REVISED = ("NI-135", "2010-11 Q2", "22.4",
           "Revised from 22.1: late returns from two carers' centres were added after the Q2 report.")
AS_FIRST_PUBLISHED = ("22.1", "")  # NI-135's 2010-11 Q2 value and note before the correction
RELEASES = (  # period, last day of results included, the timetable's as_of date, NI-135 corrected
    ("2010-11 Q2", dt.date(2010, 9, 30), "2010-11-12", False),
    ("2010-11 Q3", dt.date(2010, 12, 31), "2011-02-11", True),
    ("2010-11 Q4", None, None, True),
)
TRIMMED = ("data/results.csv", "data/spend.csv")
LATER_CONTENT = ("content/narratives/2010-11-q4", "content/reports/2010-11-q4")
INPUTS = ("data", "content", "site.yaml")


def git(*arguments: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *arguments], check=True, capture_output=True, text=True).stdout


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def text_of(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def set_inputs(originals: dict[str, str], saved: Path, cutoff, as_of, revised: bool) -> None:
    """Write the example's inputs as they stood at a release (``cutoff`` None: as they stand now)."""
    for name in TRIMMED:
        rows = rows_of(originals[name])
        header, body = rows[0], rows[1:]
        period = header.index("period")
        if cutoff is not None:
            body = [r for r in body if Period.parse(r[period]).end <= cutoff]
        if name == "data/results.csv":
            indicator, label, value, note = REVISED if revised else REVISED[:2] + AS_FIRST_PUBLISHED
            for r in body:
                if r[0] == indicator and r[period] == label:
                    r[header.index("value")], r[header.index("note")] = value, note
        (ROOT / name).write_text(text_of([header] + body), encoding="utf-8")
    site = originals["site.yaml"]
    if as_of is not None:
        site = site.replace("as_of: 2011-05-13", f"as_of: {as_of}")
    (ROOT / "site.yaml").write_text(site, encoding="utf-8")
    for folder in LATER_CONTENT:
        shutil.rmtree(ROOT / folder, ignore_errors=True)
        if cutoff is None:
            shutil.copytree(saved / folder, ROOT / folder)


def main() -> None:
    existing = read_history(ROOT).releases
    if existing:
        raise SystemExit("The example has its release history already ("
                         + ", ".join(f"{r.period.label} at commit {r.short_commit}" for r in existing)
                         + "): nothing was changed.")
    if git("status", "--porcelain", "--", *INPUTS).strip():
        raise SystemExit("Commit or stash your changes to data/, content/ and site.yaml first.")
    originals = {name: (ROOT / name).read_text(encoding="utf-8") for name in TRIMMED + ("site.yaml",)}
    with tempfile.TemporaryDirectory(prefix="perfsite-example-") as scratch:
        saved = Path(scratch)
        for folder in LATER_CONTENT:
            shutil.copytree(ROOT / folder, saved / folder)
        for label, cutoff, as_of, revised in RELEASES:
            set_inputs(originals, saved, cutoff, as_of, revised)
            subject = f"Example: publish the {label} report"
            if label == "2010-11 Q3":
                subject += f" ({REVISED[0]} {REVISED[1]} corrected: {REVISED[3]})"
            body = ("The example site's data and content as released for this period (made by "
                    "scripts/make_example_history.py, so that a plain clone shows releases and a revision).")
            git("add", "-A", "--", *INPUTS)
            git("commit", "-q", "-m", subject, "-m", body, "-m", f"{TRAILER_KEY}: {label}")
            print(f"{label}: {git('rev-parse', '--short', 'HEAD').strip()}")


if __name__ == "__main__":
    main()
