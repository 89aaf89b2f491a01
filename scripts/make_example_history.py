#!/usr/bin/env python3
"""Give the example site a release history in this repository's own git history (run once).

The example publishes 2010-11 Q4. So that a plain ``git clone`` shows what releases
and revisions look like, this script made three commits on the branch it is run on,
each tagged as a release:

1. ``release/2010-11-q2``: the data and content as they stood when the 2010-11 Q2
   report was signed off (results and spend up to September 2010, no Q4 narratives).
2. ``release/2010-11-q3``: up to December 2010, with one published figure corrected:
   NI-135's 2010-11 Q2 value, 22.1 -> 22.4, with the reason in its note.
3. ``release/2010-11-q4``: everything, as the example now stands (keeping the correction).

The commits carry today's dates (git's dates are never rewritten); the periods say
which quarter each release published. Run from the repository root on a clean tree:
``python scripts/make_example_history.py``. It refuses to run if the tags exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfsite.periods import Period  # noqa: E402

REVISED = ("NI-135", "2010-11 Q2", "22.4",
           "Revised from 22.1: late returns from two carers' centres were added after the Q2 report.")
RELEASES = (
    ("release/2010-11-q2", dt.date(2010, 9, 30), "2010-11-12", False),
    ("release/2010-11-q3", dt.date(2010, 12, 31), "2011-02-11", True),
    ("release/2010-11-q4", None, None, True),
)
TRIMMED = ("data/results.csv", "data/spend.csv")
LATER_CONTENT = ("content/narratives/2010-11-q4", "content/reports/2010-11-q4")


def git(*arguments: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *arguments], check=True, capture_output=True, text=True).stdout


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def text_of(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def main() -> None:
    if git("tag", "-l", "release/*").strip():
        raise SystemExit("The release tags exist already.")
    if git("status", "--porcelain").strip():
        raise SystemExit("Commit or stash your changes first.")
    originals = {name: (ROOT / name).read_text(encoding="utf-8") for name in TRIMMED + ("site.yaml",)}
    saved = Path("/tmp/perfsite-example-content")
    shutil.rmtree(saved, ignore_errors=True)
    for folder in LATER_CONTENT:
        shutil.copytree(ROOT / folder, saved / folder)
    for tag, cutoff, as_of, revised in RELEASES:
        for name in TRIMMED:
            rows = rows_of(originals[name])
            header, body = rows[0], rows[1:]
            period = header.index("period")
            if cutoff is not None:
                body = [r for r in body if Period.parse(r[period]).end <= cutoff]
            if revised and name == "data/results.csv":
                indicator, label, value, note = REVISED
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
        period = Period.from_slug(tag.removeprefix("release/"))
        message = f"Example: publish the {period.label} report"
        if revised and tag.endswith("q3"):
            message += f" ({REVISED[0]} {REVISED[1]} corrected: {REVISED[3]})"
        git("add", "-A", "data", "content", "site.yaml")
        git("commit", "-q", "-m", message)
        git("tag", "-a", tag, "-m", f"{period.label} partnership report, signed off")
        print(f"{tag}: {git('rev-parse', '--short', 'HEAD').strip()}")


if __name__ == "__main__":
    main()
