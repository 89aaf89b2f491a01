"""Rules for the Markdown content: where files go, what their front matter holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Optional

from ..content import (
    IGNORED_NAMES,
    ContentPlace,
    Document,
    front_matter_date,
    is_unwritten,
    place_of,
    raw_html_lines,
    resolve_indicator,
    split_sections,
)
from ..findings import Finding
from ..i18n import N_, Message


def check_documents(documents: list[Document], indicator_ids: Optional[set[str]],
                    theme_ids: Optional[set[str]]) -> Iterator[Finding]:
    """Content rules; references are checked only against ids that could be read (None: unknown)."""
    for document in documents:
        if PurePosixPath(document.path).name.lower() in IGNORED_NAMES:
            continue
        place = place_of(document.path)
        if place.problem:
            yield Finding("valid.content-file", document.path, place.problem)
            continue
        for line in raw_html_lines(document):
            yield Finding("valid.raw-html", document.path,
                          Message.of(N_("This line contains an HTML tag; it will be shown as text, not as "
                                        "formatting.")), row=line)
        if place.kind == "narrative":
            yield from _check_narrative(document, place, indicator_ids)
        elif place.kind == "commentary" and theme_ids is not None and place.key not in theme_ids:
            yield Finding("accurate.reference", document.path,
                          Message.of(N_("“%(value)s” is not the id of any theme in themes.csv, so this commentary "
                                        "has no report."), value=place.key),
                          fix=Message.of(N_("Rename the file after the theme's id, like safer-communities.md.")))
        elif place.kind == "page":
            title = document.meta.get("title")
            if title is not None and not isinstance(title, str):
                yield Finding("valid.front-matter", document.path, Message.of(N_("The page's title must be text.")),
                              row=document.line_of("title"))


def _check_narrative(document: Document, place: ContentPlace,
                     indicator_ids: Optional[set[str]]) -> Iterator[Finding]:
    if indicator_ids is not None and resolve_indicator(place.key, indicator_ids) is None:
        yield Finding("accurate.reference", document.path,
                      Message.of(N_("“%(value)s” is not the id of any indicator in indicators.csv, so this "
                                    "narrative is not shown."), value=place.key),
                      fix=Message.of(N_("Rename the file after the indicator's id, like NI-016.md.")))
        return
    due = document.meta.get("action_due")
    if due is not None and front_matter_date(due) is None:
        yield Finding("valid.front-matter", document.path,
                      Message.of(N_("action_due is “%(value)s”, which is not a date."), value=due),
                      row=document.line_of("action_due"),
                      fix=Message.of(N_("Write the date as year-month-day, like 2011-06-30.")))
    owner = document.meta.get("owner")
    if owner is not None and not isinstance(owner, str):
        yield Finding("valid.front-matter", document.path, Message.of(N_("owner must be a name, written as text.")),
                      row=document.line_of("owner"))
    sections = split_sections(document.body)
    if is_unwritten(sections):
        return  # a stub: counted as a missing narrative (complete.narrative) once assessed
    for name in sections.missing:
        yield Finding("complete.narrative-section", document.path,
                      Message.of(N_("The narrative has no “%(section)s” section (or it is empty)."), section=name),
                      fix=Message.of(N_("Add a heading “## %(section)s” with text under it."), section=name))
