"""Rules for the Markdown content: where files go, what their front matter holds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Optional

from ..content import Document, front_matter_date, raw_html_lines, split_sections
from ..periods import Period, PeriodError
from .findings import Finding

PAGE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
IGNORED_NAMES = ("readme.md",)


@dataclass(frozen=True)
class ContentPlace:
    """What a content file is, read from where it sits."""

    kind: str  # "narrative", "commentary", "page" or "unknown"
    period: Optional[Period] = None
    key: str = ""  # indicator id, theme id or page slug as written in the file name
    problem: Optional[str] = None  # why the place is not valid, when it is not


def place_of(path: str) -> ContentPlace:
    parts = PurePosixPath(path).parts  # ("content", kind, ...)
    stem = PurePosixPath(path).stem
    if len(parts) == 3 and parts[1] == "pages":
        if not PAGE_SLUG.fullmatch(stem):
            return ContentPlace("page", key=stem, problem=(
                f"The page file name “{stem}.md” becomes the page's web address, so it may use only "
                "lower-case letters, digits and hyphens."))
        return ContentPlace("page", key=stem)
    if len(parts) == 4 and parts[1] in ("narratives", "reports"):
        kind = "narrative" if parts[1] == "narratives" else "commentary"
        try:
            period = Period.from_slug(parts[2])
        except PeriodError:
            return ContentPlace(kind, key=stem, problem=(
                f"The folder “{parts[2]}” is not the web address of a period; name it like “2008-09-q1” "
                "(lower case, hyphen for the space)."))
        if period.slug != parts[2]:
            return ContentPlace(kind, period, stem, problem=f"Name the folder “{period.slug}”.")
        return ContentPlace(kind, period, stem)
    return ContentPlace("unknown", problem=(
        "The file is not where the site looks for content, so it is not published: narratives go in "
        "content/narratives/<period>/<indicator id>.md, theme commentary in content/reports/<period>/<theme id>.md, "
        "other pages in content/pages/<name>.md."))


def resolve_indicator(key: str, indicator_ids: set[str]) -> Optional[str]:
    """The indicator a file name refers to; file names may differ in capitals (NI-016 or ni-016)."""
    if key in indicator_ids:
        return key
    lowered = {i.lower(): i for i in indicator_ids}
    return lowered.get(key.lower())


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
                          "This line contains an HTML tag; it will be shown as text, not as formatting.", row=line)
        if place.kind == "narrative":
            yield from _check_narrative(document, place, indicator_ids)
        elif place.kind == "commentary" and theme_ids is not None and place.key not in theme_ids:
            yield Finding("accurate.reference", document.path,
                          f"“{place.key}” is not the id of any theme in themes.csv, so this commentary has no report.",
                          fix="Rename the file after the theme's id, like safer-communities.md.")
        elif place.kind == "page":
            title = document.meta.get("title")
            if title is not None and not isinstance(title, str):
                yield Finding("valid.front-matter", document.path, "The page's title must be text.", row=document.line_of("title"))


def _check_narrative(document: Document, place: ContentPlace,
                     indicator_ids: Optional[set[str]]) -> Iterator[Finding]:
    if indicator_ids is not None and resolve_indicator(place.key, indicator_ids) is None:
        yield Finding("accurate.reference", document.path,
                      f"“{place.key}” is not the id of any indicator in indicators.csv, so this narrative is not shown.",
                      fix="Rename the file after the indicator's id, like NI-016.md.")
        return
    due = document.meta.get("action_due")
    if due is not None and front_matter_date(due) is None:
        yield Finding("valid.front-matter", document.path,
                      f"action_due is “{due}”, which is not a date.", row=document.line_of("action_due"),
                      fix="Write the date as year-month-day, like 2011-06-30.")
    owner = document.meta.get("owner")
    if owner is not None and not isinstance(owner, str):
        yield Finding("valid.front-matter", document.path, "owner must be a name, written as text.",
                      row=document.line_of("owner"))
    sections = split_sections(document.body)
    for name in sections.missing:
        yield Finding("complete.narrative-section", document.path,
                      f"The narrative has no “{name}” section (or it is empty).",
                      fix=f"Add a heading “## {name}” with text under it.")
