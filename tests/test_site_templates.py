"""A site's own templates: what each page template is handed is what docs/templates.md says
(names and types, on a real build), the renderer refuses to hand any other set of names, and
a problem in one of the site's templates is said as the site's, at its file and line."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import jinja2
import pytest

from helpers import REPOSITORY, build_site, copy_site
from test_cli import run
from perfsite import render
from perfsite.cli import EXIT_USAGE
from perfsite.render import (EVERY_PAGE_CONTEXT, PAGE_CONTEXTS, RENDER_TIME_NAMES, SiteTemplateError, rendered,
                             template_environment)

DOCUMENT = REPOSITORY / "docs" / "templates.md"
BUILT_IN = REPOSITORY / "perfsite" / "templates"


def documented_tables() -> dict[str, list[tuple[str, str]]]:
    """Each section's table of docs/templates.md: (name, what it is) rows, by the section's
    template (``every page`` for the names every page is handed)."""
    tables: dict[str, list[tuple[str, str]]] = {}
    section = None
    for line in DOCUMENT.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"### `([\w.]+\.html)`", line)
        if heading:
            section = heading.group(1)
            tables[section] = []
        elif line == "## What every page is handed":
            section = "every page"
            tables[section] = []
        elif line.startswith("## "):
            section = None
        elif section and (row := re.fullmatch(r"\| `(\w+)[^`]*` \| (.*) \|", line)):
            tables[section].append((row.group(1), row.group(2)))
    return tables


def test_every_page_template_is_declared_and_documented():
    page_templates = {p.name for p in BUILT_IN.glob("*.html")} - {"base.html"}
    tables = documented_tables()
    assert set(PAGE_CONTEXTS) == page_templates
    assert set(tables) - {"every page"} == page_templates
    assert [name for name, _ in tables["every page"]] == [*EVERY_PAGE_CONTEXT, *RENDER_TIME_NAMES]
    for template, names in PAGE_CONTEXTS.items():
        assert [name for name, _ in tables[template]] == list(names), template


def test_the_functions_filters_and_labels_every_template_has_are_documented():
    environment = template_environment()
    plain = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    plain.install_null_translations(newstyle=True)
    ours = (set(environment.globals) - set(plain.globals)) | (set(environment.filters) - set(plain.filters))
    ours |= {"_", "gettext", "ngettext"}  # the extension's names, given perfsite's own functions
    text = DOCUMENT.read_text(encoding="utf-8")
    everywhere = text.split("Everywhere too:", 1)[1].split("\n\n", 2)[1]
    assert set(re.findall(r"`(\w+)", everywhere)) == ours


def _type_named(row: str) -> str | None:
    found = re.search(r"`([A-Z]\w+)`", row)
    return found.group(1) if found else None


def _of_type(value, name: str) -> bool:
    if isinstance(value, dict):
        return all(_of_type(item, name) for item in value.values())
    if isinstance(value, (tuple, list)) and type(value).__name__ != name:
        return all(type(item).__name__ == name for item in value)
    return type(value).__name__ == name


@pytest.fixture(scope="module")
def handed(tmp_path_factory) -> dict[str, dict[str, list]]:
    """What each template was handed, name by name, over a build of the test site that has
    every kind of page (retired themes and indicators, releases, content pages)."""
    seen: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    task = render.SiteRenderer.task

    def recording(self, template, path, title, **context):
        made = task(self, template, path, title, **context)
        for name, value in made.context.items():
            seen[template][name].append(value)
        return made

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render.SiteRenderer, "task", recording)
        work = tmp_path_factory.mktemp("handed")
        outcome = build_site(copy_site("eastbrook", work / "site"), work / "out")
    assert outcome.ok
    return seen


def test_each_name_is_what_the_document_says_it_is(handed):
    assert set(handed) == set(PAGE_CONTEXTS)
    tables = documented_tables()
    wrong = []
    for template, names in handed.items():
        rows = dict(tables["every page"]) | dict(tables[template])
        for name, values in names.items():
            kind = _type_named(rows[name])
            if kind is None:
                continue
            for value in values:
                if value is None:
                    if "none" not in rows[name]:
                        wrong.append((template, name, "None, and the document does not say it may be none"))
                elif not _of_type(value, kind):
                    wrong.append((template, name, f"{type(value).__name__}, not {kind}"))
    assert wrong == []


def test_a_page_handed_other_names_than_declared_is_refused(tmp_path, monkeypatch):
    monkeypatch.setitem(render._HANDED, "theme.html", render._HANDED["theme.html"] - {"theme_names"})
    with pytest.raises(RuntimeError, match=r"theme\.html would be handed .*'theme_names'"):
        build_site(copy_site("clean", tmp_path / "site"), tmp_path / "out")


# ------------------------------------------------------- a problem in a site's own template
def _build(site: Path, out: Path, *options: str):
    return run("build", "--site", str(site), "--out", str(out), *options)


def _said(file: str, line: int, problem: str) -> str:
    return (f"Error: The site's template {file} could not be used at line {line}: {problem}. See what each "
            "template is handed in perfsite's docs/templates.md; mend the template, or delete it from "
            "site_templates/ to use perfsite's own.\n")


def _overridden(site: Path, name: str, change) -> Path:
    path = site / "site_templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(change((BUILT_IN / name).read_text(encoding="utf-8")), encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", ["1", "2"])  # a worker process's problem comes back as the same sentence
def test_a_site_template_using_a_name_it_is_not_handed_is_the_sites_to_mend(tmp_path, workers):
    """A theme page of the site's own that still shows ``report`` (handed to theme.html before
    2026-12-03): a usage error naming the file and line, and the last output left as it was."""
    site = copy_site("clean", tmp_path / "site")
    out = tmp_path / "out"
    assert _build(site, out).exit_code == 0
    before = (out / "index.html").read_bytes()
    template = _overridden(site, "theme.html", lambda text: text.replace(
        "<h1>{{ theme.name }}</h1>", "<h1>{{ theme.name }}, {{ report.period.label }}</h1>"))
    line = template.read_text(encoding="utf-8").splitlines().index(
        "<h1>{{ theme.name }}, {{ report.period.label }}</h1>") + 1
    result = _build(site, out, "--workers", workers, "--no-cache")
    assert (result.exit_code, result.output.splitlines()[-1] + "\n") == (
        EXIT_USAGE, _said("site_templates/theme.html", line, "'report' is undefined"))
    assert (out / "index.html").read_bytes() == before


def test_in_github_format_the_problem_is_an_annotation_on_the_templates_line(tmp_path, monkeypatch):
    site = copy_site("clean", tmp_path / "site")
    (site / "site_templates").mkdir()
    (site / "site_templates" / "page.html").write_text('{% extends "base.html" %}\n{% block content %}\n'
                                                      '<p>{{ content.title }</p>\n{% endblock %}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # as in CI: the site's path from the repository's root
    result = _build(site, tmp_path / "out", "--format", "github")
    assert result.exit_code == EXIT_USAGE
    said = _said("site_templates/page.html", 3, "unexpected '}'")
    assert result.output.splitlines()[-2:] == [
        f"::error file=site/site_templates/page.html,line=3,title=site template::{said[len('Error: '):-1]}",
        said[:-1]]


def test_a_syntax_error_in_a_site_template_is_said_at_its_line(tmp_path):
    site = copy_site("clean", tmp_path / "site")
    (site / "site_templates").mkdir()
    (site / "site_templates" / "page.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n<p>{{ content.title }</p>\n{% endblock %}\n', encoding="utf-8")
    result = _build(site, tmp_path / "out")
    assert (result.exit_code, result.output.splitlines()[-1] + "\n") == (
        EXIT_USAGE, _said("site_templates/page.html", 3, "unexpected '}'"))


def test_a_problem_in_a_sites_macro_is_said_at_the_macros_line_not_the_page_using_it(tmp_path):
    site = copy_site("clean", tmp_path / "site")
    opening = "{% macro counts(numbers, label) -%}\n"
    template = _overridden(site, "partials/macros.html",
                           lambda text: text.replace(opening, opening + "{{ numbers.no_such_count }}\n", 1))
    line = template.read_text(encoding="utf-8").splitlines().index("{{ numbers.no_such_count }}") + 1
    result = _build(site, tmp_path / "out")
    assert result.exit_code == EXIT_USAGE
    assert result.output.splitlines()[-1].startswith(
        f"Error: The site's template site_templates/partials/macros.html could not be used at line {line}: ")


def test_python_failing_in_a_site_template_is_the_sites_to_mend_too():
    """A filter handed too little, a division by zero: Python's words, at the template's line."""
    environment = template_environment({"page.html": "<p>\n{{ content | figure }}</p>", "glossary.html": "{{ 1 // 0 }}"})
    with pytest.raises(SiteTemplateError, match=r"site_templates/page\.html could not be used at line 2: TypeError: "):
        rendered(environment, "page.html", content=1)
    with pytest.raises(SiteTemplateError, match=r"line 1: ZeroDivisionError: integer division or modulo by zero\."):
        rendered(environment, "glossary.html")


def test_a_problem_in_perfsites_own_templates_stays_perfsites():
    """Only a site's own templates are the site's to mend: one of perfsite's failing is a bug."""
    with pytest.raises(jinja2.UndefinedError):
        rendered(template_environment(), "not_found.html")
    with pytest.raises(SiteTemplateError):
        rendered(template_environment({"not_found.html": "{{ nothing }}"}), "not_found.html")

