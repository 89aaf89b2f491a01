"""One table of constraints for both validation paths (perfsite/quality/constraints.py).

Every constraint the contract's schemas use, and every constraint type of the Table
Schema standard, is broken once in a copy of the clean site; Frictionless and the fast
path must report exactly the same findings, and a constraint perfsite cannot check on
both paths must be refused with a sentence, never skipped.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from helpers import copy_site
from test_quality_corpus import read_rows, write_rows

from perfsite import tables
from perfsite.pipeline import check
from perfsite.quality import validate as validate_module
from perfsite.quality.constraints import REFUSED, SUPPORTED, TABLE_SCHEMA_CONSTRAINTS, UnsupportedSchema

SCHEMAS = Path(__file__).parent.parent / "schemas"
PATHS = ("frictionless", "fast")


def schema_constraints() -> list[tuple[str, dict, str]]:
    """(resource, field, constraint) for every constraint written in schemas/."""
    found = []
    for path in sorted(SCHEMAS.glob("*.schema.yaml")):
        resource = path.name.removesuffix(".schema.yaml")
        for field in yaml.safe_load(path.read_text(encoding="utf-8"))["fields"]:
            for name in field.get("constraints", {}):
                found.append((resource, field, name))
    return found


def breaking_value(field: dict, constraint: str) -> str:
    """A cell that breaks ``constraint`` of ``field`` (and, where possible, nothing else)."""
    limit = field["constraints"][constraint]
    if constraint == "required":
        return ""
    if constraint == "enum":
        return "not-in-the-list" if field["type"] == "string" else str(max(limit) + 1)
    if constraint == "pattern":
        return "Not a valid! value"
    if constraint == "maxLength":
        return "a" * (limit + 1)
    if constraint == "minLength":
        return ""
    if constraint == "minimum":
        return str(limit - 1)
    if constraint == "maximum":
        return str(limit + 1)
    raise AssertionError(f"no breaking value for {constraint}")


def findings(site: Path, path: str) -> list[dict]:
    return sorted((f.to_dict() for f in check(site, force_path=path).report.findings), key=repr)


def set_first_row(site: Path, resource: str, column: str, value: str) -> None:
    file = f"data/{resource}.csv"
    if resource == "benchmarks" and not (site / file).exists():  # the clean site has no benchmarks
        (site / file).write_text("indicator_id,period,comparator,value\nEB-01,2009-10,England,11.2\n", encoding="utf-8")
        with open(site / "data/datapackage.yaml", "a", encoding="utf-8") as descriptor:
            descriptor.write("  - name: benchmarks\n    path: benchmarks.csv\n")
    rows = read_rows(site, file)
    if column not in rows[0]:
        rows = [rows[0] + [column]] + [row + [""] for row in rows[1:]]
    rows[1][rows[0].index(column)] = value
    write_rows(site, file, rows)


CONSTRAINTS_IN_SCHEMAS = schema_constraints()


def test_every_constraint_in_the_schemas_is_supported():
    assert len(CONSTRAINTS_IN_SCHEMAS) > 30
    assert {name for _, _, name in CONSTRAINTS_IN_SCHEMAS} <= set(SUPPORTED)


@pytest.mark.parametrize("resource, field, constraint", CONSTRAINTS_IN_SCHEMAS,
                         ids=[f"{r}.{f['name']}.{c}" for r, f, c in CONSTRAINTS_IN_SCHEMAS])
def test_both_paths_report_a_broken_schema_constraint_the_same_way(tmp_path, resource, field, constraint):
    if constraint == "unique":
        pytest.fail("no schema uses unique yet: add a breaking value here when one does")
    site = copy_site("clean", tmp_path / "site")
    set_first_row(site, resource, field["name"], breaking_value(field, constraint))
    reported = {path: findings(site, path) for path in PATHS}
    assert reported["frictionless"] == reported["fast"]
    on_the_cell = [f for f in reported["fast"] if f["row"] == 2 and f["column"] == field["name"]
                   and f["file"] == f"data/{resource}.csv"]
    assert on_the_cell, f"breaking {constraint} of {resource}.{field['name']} was not reported"


# A field of each kind, added to themes.csv, to try every constraint type of the standard.
STANDARD_CASES = {
    # constraint: (field type, constraint value, good cell, bad cell, rule reported)
    "required": ("string", True, "x", "", "valid.required"),
    "unique": ("string", True, "a", "a", "accurate.unique-key"),
    "minLength": ("string", 3, "abcd", "ab", "valid.text-format"),
    "maxLength": ("string", 3, "abc", "abcd", "valid.text-format"),
    "minimum": ("number", 0, "1", "-1", "valid.number"),
    "maximum": ("integer", 10, "1", "11", "valid.number"),
    "exclusiveMinimum": ("number", 0, "1", "0", None),
    "exclusiveMaximum": ("number", 10, "1", "10", None),
    "pattern": ("string", "[a-z]+", "abc", "ABC", "valid.text-format"),
    "enum": ("string", ["red", "blue"], "red", "pink", "valid.enum"),
}


def test_the_cases_cover_the_whole_standard():
    assert set(STANDARD_CASES) == set(TABLE_SCHEMA_CONSTRAINTS)
    assert set(TABLE_SCHEMA_CONSTRAINTS) <= set(SUPPORTED) | set(REFUSED)


@pytest.fixture
def themes_with_field(monkeypatch):
    """Make the themes schema carry one extra field with the given constraint."""
    original = tables.contract_schema

    def install(field: dict):
        def patched(resource: str) -> dict:
            schema = original(resource)
            if resource != "themes":
                return schema
            schema = copy.deepcopy(schema)
            schema["fields"].append(field)
            return schema
        monkeypatch.setattr(tables, "contract_schema", patched)
        monkeypatch.setattr(validate_module, "contract_schema", patched)
    return install


@pytest.mark.parametrize("constraint", TABLE_SCHEMA_CONSTRAINTS)
def test_every_table_schema_constraint_is_checked_alike_or_refused(tmp_path, themes_with_field, constraint):
    field_type, limit, good, bad, rule = STANDARD_CASES[constraint]
    themes_with_field({"name": "extra", "type": field_type, "constraints": {constraint: limit}})
    site = copy_site("clean", tmp_path / "site")
    rows = read_rows(site, "data/themes.csv")
    rows = [rows[0] + ["extra"], rows[1] + [good]] + [row + [bad] for row in rows[2:3]] + [
        row + [good if constraint != "unique" else f"{good}{i}"] for i, row in enumerate(rows[3:])]
    write_rows(site, "data/themes.csv", rows)
    if constraint not in SUPPORTED:
        with pytest.raises(UnsupportedSchema, match=f"“{constraint}” cannot be used"):
            check(site, force_path="fast")
        return
    reported = {path: findings(site, path) for path in PATHS}
    assert reported["frictionless"] == reported["fast"]
    assert [(f["rule"], f["row"], f["column"]) for f in reported["fast"]] == [(rule, 3, "extra")]
