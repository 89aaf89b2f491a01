"""Reading data files quickly (Arrow, column by column) and carefully (the csv module).

A file is read quickly only when Arrow is sure to split it exactly as the csv module
and Frictionless do; a ragged row, a blank row or a stray quote sends it to the
careful pass, which numbers rows as Frictionless does. Either way the cells, the row
numbers and the findings must be those of the csv module.
"""

from __future__ import annotations

import csv
import io

import pytest

from helpers import copy_site
from perfsite.frames import table_data
from perfsite.load import load_site
from perfsite.pipeline import check
from perfsite.quality.validate import validate
from perfsite.source import FolderSource
from perfsite.tables import parse_table

HEADER = "indicator_id,period,value,status,note,numerator,denominator,lower_ci,upper_ci"
GOOD = "EB-01,2010-11 Q1,12,,,,,,"


def csv_module_rows(text: str) -> list[list[str]]:
    """The data rows as the csv module reads them (what Frictionless sees)."""
    return list(csv.reader(io.StringIO(text)))[1:]


# (name, file text, whether the quick read can be trusted with it)
FILES = [
    ("plain", f"{HEADER}\n{GOOD}\n{GOOD}\n", True),
    ("no final line break", f"{HEADER}\n{GOOD}\n{GOOD}", True),
    ("quoted comma", f'{HEADER}\n{GOOD}\nEB-01,2010-11 Q2,12,,"late, see note",,,,\n', True),
    ("quoted line break", f'{HEADER}\nEB-01,2010-11 Q2,12,,"two\nlines",,,,\n{GOOD}\n', True),
    ("doubled quote", f'{HEADER}\nEB-01,2010-11 Q2,12,,"the ""final"" figure",,,,\n', True),
    ("too many cells", f"{HEADER}\n{GOOD}\n{GOOD},extra\n{GOOD}\n", False),
    ("too few cells", f"{HEADER}\n{GOOD}\nEB-01,2010-11 Q2\n{GOOD}\n", False),
    ("blank line", f"{HEADER}\n{GOOD}\n\n{GOOD}\n", False),
    ("row of empty cells", f"{HEADER}\n{GOOD}\n,,,,,,,,\n{GOOD}\n", False),
    ("quote inside a cell", f'{HEADER}\nEB-01,2010-11 Q2,12,,he said "no",,,,\n', False),
    ("text after a closing quote", f'{HEADER}\nEB-01,2010-11 Q2,12,,"a"b,,,,\n', False),
    ("line break in a quoted cell, then a ragged row",
     f'{HEADER}\nEB-01,2010-11 Q2,12,,"two\nlines",,,,\n{GOOD},extra\n', False),
    ("byte-order mark and CRLF", "\ufeff" + f"{HEADER}\r\n{GOOD}\r\n", True),
    ("trailing blank rows", f"{HEADER}\n{GOOD}\n,,,,,,,,\n\n", True),
]


@pytest.mark.parametrize("name, text, quick", FILES, ids=[name for name, _, _ in FILES])
def test_a_file_is_read_as_the_csv_module_reads_it(name, text, quick):
    table = parse_table("results", "data/results.csv", text.encode("utf-8"))
    expected = csv_module_rows(table.text)
    assert table.read_carefully is not quick
    assert list(table.rows) == expected and len(table.rows) == len(expected)
    assert list(table.cell_counts) == [len(row) for row in expected]
    assert list(table.blank) == [not any(row) for row in expected]
    data = table_data(table)
    width = len(table.header)
    lined_up = [(row + [""] * width)[:width] for row in expected]
    assert list(data.raw.index) == list(range(2, 2 + len(expected)))
    assert [list(cells) for cells in data.raw.itertuples(index=False)] == lined_up


def test_a_single_column_file_is_read_carefully():
    """A blank line in a one-column file is an empty cell to Arrow, a row without cells to csv."""
    table = parse_table("themes", "data/themes.csv", b"theme_id\na\n\nb\n")
    assert table.read_carefully
    assert list(table.rows) == [["a"], [], ["b"]]


def test_rows_are_counted_without_being_split():
    table = parse_table("results", "data/results.csv", f"{HEADER}\n{GOOD}\n{GOOD}\n".encode())
    assert not table.read_carefully
    assert len(table.rows) == 2 and table.rows._rows is None  # counted, not yet split
    assert table.rows[1] == GOOD.split(",")


@pytest.mark.parametrize("path", ("frictionless", "fast"))
def test_a_ragged_and_a_blank_row_after_a_quoted_line_break_are_numbered_as_frictionless_does(tmp_path, path):
    """The quick read finds the problem and the careful pass numbers the rows: records,
    not lines, so the quoted line break does not shift the rows after it."""
    site = copy_site("clean", tmp_path / "site")
    results = site / "data" / "results.csv"
    lines = results.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[4] = '"a note\nover two lines"'
    lines[1] = ",".join(cells)  # row 2, two lines long
    lines.insert(3, "")  # row 4: blank
    lines[6] += ",extra"  # row 7: one cell too many
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = check(site, force_path=path)
    found = {(f.rule_id, f.file, f.row) for f in outcome.report.findings}
    assert found == {("valid.blank-row", "data/results.csv", 4), ("valid.row-shape", "data/results.csv", 7)}
    assert parse_table("results", "data/results.csv", results.read_bytes()).read_carefully


def test_small_files_referring_to_a_table_the_fast_path_checks_are_checked_alike(tmp_path):
    """Frictionless checks the small files' references against the key columns alone of
    a table that the fast path checks; the findings must be those of either path alone."""
    site = copy_site("clean", tmp_path / "site")
    with open(site / "site.yaml", "a", encoding="utf-8") as settings:
        settings.write("quality:\n  fast_path_min_bytes: 500\n")  # indicators and results fast, the rest not
    for file, old, new in (("targets.csv", "\nEB-01,2010-11,", "\nEB-99,2010-11,"),
                           ("spend.csv", "\nsafer,Neighbourhood policing teams,2010-11 Q2,",
                            "\nnowhere,Neighbourhood policing teams,2010-11 Q2,"),
                           ("indicators.csv", "\nEB-02,", "\n,,,,,,,,,,,,,,,,,\nEB-02,")):
        path = site / "data" / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    def validated(path=None):
        return validate(load_site(FolderSource(site)), force_path=path)

    mixed = validated()
    assert mixed.paths_used["indicators"] == "fast" and mixed.paths_used["targets"] == "frictionless"
    found = {path: sorted((f.to_dict() for f in outcome.report.findings), key=repr)
             for path, outcome in (("mixed", mixed), ("frictionless", validated("frictionless")),
                                   ("fast", validated("fast")))}
    assert found["mixed"] == found["frictionless"] == found["fast"]
    rules = {(f["rule"], f["file"], f["row"]) for f in found["mixed"]}
    assert {("accurate.reference", "data/targets.csv", 3), ("accurate.reference", "data/spend.csv", 3),
            ("valid.blank-row", "data/indicators.csv", 3)} <= rules
