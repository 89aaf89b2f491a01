"""Data flows one way: the import graph of perfsite has no cycles.

Base code (findings, the rule catalogue, CSV tables and frames, periods, units)
sits below the stages; each stage imports only what comes before it. Two graphs are
checked: modules, and components (a top-level module, or a subpackage such as
``quality`` taken as one piece), so that a subpackage and a module cannot import
each other through different files. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "perfsite"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The perfsite modules a file imports, resolved to module names that exist."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found.update(c for c in candidates if c.startswith("perfsite") and c in MODULES)
    found.discard(name)
    return found


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def component(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2])


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return error.args[1]
    return None


def test_the_import_graph_is_read_from_every_module():
    assert len(MODULES) > 30 and "perfsite.quality.validate" in MODULES
    assert "perfsite.load" in GRAPH["perfsite.quality.validate"]
    assert "perfsite.findings" in GRAPH["perfsite.load"]


def test_no_module_imports_itself_back():
    assert cycle_in(GRAPH) is None, f"import cycle: {' -> '.join(cycle_in(GRAPH))}"


def test_no_component_imports_itself_back():
    components: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        # the package's own __init__ is not a component of its own: it only marks the folder
        if name == "perfsite":
            continue
        source = component(name)
        components.setdefault(source, set()).update(
            component(t) for t in targets if component(t) != source and t != "perfsite")
    cycle = cycle_in(components)
    assert cycle is None, f"components import each other: {' -> '.join(cycle)}"


@pytest.mark.parametrize("base", ["perfsite.findings", "perfsite.catalogue", "perfsite.tables", "perfsite.periods",
                                  "perfsite.units"])
def test_base_code_imports_no_stage(base):
    stages = {"perfsite.load", "perfsite.quality", "perfsite.model", "perfsite.assess", "perfsite.render",
              "perfsite.write", "perfsite.pipeline", "perfsite.downloads", "perfsite.api"}
    assert not {component(t) for t in GRAPH[base]} & stages


def test_templates_take_every_address_from_the_registry():
    """Links are made with link(kind, ...) or path_for(kind, ...) (perfsite/urls.py), never joined by hand."""
    import re

    templates = Path(__file__).parent.parent / "perfsite" / "templates"
    hand_joined = []
    for template in templates.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        hand_joined += [f"{template.name}: {m.group(0)}" for m in re.finditer(r"url\(\s*['\"][^)]*", text)]
        hand_joined += [f"{template.name}: {m.group(0)}" for m in re.finditer(r"\(\"[^\"]+\", \"[a-z]+/[^\"]*\"\)", text)]
    assert hand_joined == []


def test_every_page_kind_is_kept_by_later_builds_or_says_why_not():
    """A page kind is one entry in urls.PAGE_KINDS: its addresses are protected (addresses.py) unless
    urls.NOT_PERMANENT gives the reason; a kind with keys says where its keys come from."""
    from perfsite.addresses import ADDRESS_KEYS, CONDITIONS, keys_of
    from perfsite.urls import NOT_PERMANENT, PAGE_KINDS

    keyed = {kind for kind, pattern in PAGE_KINDS.items() if keys_of(pattern)}
    assert keyed - set(NOT_PERMANENT) == set(ADDRESS_KEYS), "add the kind's keys to addresses.ADDRESS_KEYS"
    assert set(NOT_PERMANENT) <= set(PAGE_KINDS) and set(CONDITIONS) <= set(PAGE_KINDS) - keyed
    assert all(reason.endswith(".") for reason in NOT_PERMANENT.values())


@pytest.mark.parametrize("module", ["feeds.py", "downloads.py", "api.py", "views.py", "search.py", "addresses.py"])
def test_modules_take_every_address_from_the_registry(module):
    """Addresses are made with urls.path_for, never joined by hand from a folder name."""
    import re

    from perfsite.urls import PAGE_KINDS

    text = (PACKAGE / module).read_text(encoding="utf-8")
    folders = "|".join(sorted({pattern.split("/")[0] for pattern in PAGE_KINDS.values() if "/" in pattern}))
    hand_joined = re.findall(rf"""f?["'](?:{folders})/[^"']*["']""", text)
    hand_joined += re.findall(r"""address\(["'][^"']*["']\)""", text)
    assert hand_joined == []
