"""Markdown content with YAML front matter: pages, theme commentary, exception narratives.

Markdown is rendered with markdown-it-py with raw HTML disabled, so that nothing a
publisher writes can become markup or script in a page: an HTML tag in Markdown is
shown as text. Links may only use safe schemes (markdown-it's default validation
refuses javascript:, vbscript:, file: and data: links).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Optional

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .findings import Finding, encoding_finding
from .i18n import N_, Message
from .periods import Period, PeriodError

FRONT_MATTER_FENCE = "---"
NARRATIVE_SECTIONS = ("Why", "Action being taken", "Decisions required")
_RAW_HTML = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?/?>|<!--")


@dataclass(frozen=True)
class Document:
    """A Markdown file split into its front matter and body."""

    path: str
    meta: dict[str, Any]
    body: str
    body_first_line: int  # line number of the body's first line in the file
    problems: tuple[Finding, ...] = ()
    meta_lines: dict[str, int] = field(default_factory=dict)  # front matter key -> line number

    def line_of(self, key: str) -> Optional[int]:
        return self.meta_lines.get(key)


def read_document(path: str, data: bytes) -> Document:
    """Split front matter from body. Problems are returned, never raised."""
    problems: list[Finding] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(encoding_finding(path, data, error))
        text = data.decode("utf-8-sig", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return Document(path, {}, text, 1, tuple(problems))
    try:
        closing = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        problems.append(Finding(
            "valid.front-matter", path,
            Message.of(N_("The front matter starts with “---” on line 1 but has no closing “---” line.")),
            row=1, fix=Message.of(N_("Add a line with just “---” after the last setting, before the text.")),
        ))
        return Document(path, {}, "\n".join(lines[1:]), 2, tuple(problems))
    meta: dict[str, Any] = {}
    try:
        loaded = yaml.safe_load("\n".join(lines[1:closing]))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for the fence, +1 to count from 1
        # the YAML parser's own words (English), else ours
        reason = getattr(error, "problem", None) or Message.of(N_("it is not valid YAML"))
        problems.append(Finding("valid.front-matter", path,
                                Message.of(N_("The front matter cannot be read: %(reason)s."), reason=reason),
                                row=line))
    else:
        if isinstance(loaded, dict):
            meta = {str(k): v for k, v in loaded.items()}
        elif loaded is not None:
            problems.append(Finding("valid.front-matter", path,
                                    Message.of(N_("The front matter must be a list of “name: value” lines.")),
                                    row=2))
    meta_lines: dict[str, int] = {}
    for number, line in enumerate(lines[1:closing], start=2):
        key = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if key:
            meta_lines.setdefault(key.group(1), number)
    return Document(path, meta, "\n".join(lines[closing + 1:]), closing + 2, tuple(problems), meta_lines)


def raw_html_lines(document: Document) -> list[int]:
    """Lines of the body that contain HTML tags (shown as text, so worth a warning)."""
    found = []
    in_code = False
    for offset, line in enumerate(document.body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if not in_code and _RAW_HTML.search(re.sub(r"`[^`]*`", "", line)):
            found.append(document.body_first_line + offset)
    return found


# ----------------------------------------------------------------- rendering
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "linkify": False})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    return md


_MD = _markdown()


def render_markdown(text: str, top_heading: int = 2) -> str:
    """Markdown to HTML with raw HTML escaped.

    Headings are shifted so the highest one in the text becomes ``<h{top_heading}>``,
    keeping the page's heading outline without gaps wherever the text is placed.
    """
    tokens = _MD.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = top_heading - min(levels) if levels else 0
    if shift:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{max(1, min(6, int(token.tag[1]) + shift))}"
    return _MD.renderer.render(tokens, _MD.options, {})


@dataclass(frozen=True)
class Sections:
    """A narrative body split by its headings into the contract's three sections."""

    sections: dict[str, str]  # section name -> Markdown
    preamble: str  # text before the first recognised heading
    missing: tuple[str, ...] = field(default=())


def split_sections(body: str, names: tuple[str, ...] = NARRATIVE_SECTIONS) -> Sections:
    """Split Markdown by headings that name a section (any level, any case)."""
    tokens = _MD.parse(body)
    lines = body.split("\n")
    wanted = {name.lower(): name for name in names}
    starts: list[tuple[int, int, str]] = []  # (heading line, body line, section)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            title = _inline_text(tokens[index + 1]).strip().rstrip(":").strip().lower()
            if title in wanted:
                starts.append((token.map[0], token.map[1], wanted[title]))
    sections: dict[str, str] = {}
    for position, (_, body_line, name) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        sections[name] = "\n".join(lines[body_line:end]).strip()
    preamble = "\n".join(lines[: starts[0][0]]).strip() if starts else body.strip()
    missing = tuple(name for name in names if not sections.get(name))
    return Sections(sections, preamble, missing)


def is_unwritten(sections: Sections) -> bool:
    """A narrative with no text at all, such as a stub from new-period: it counts as missing."""
    return not sections.preamble and not any(sections.sections.values())


def _inline_text(token: Token) -> str:
    if token.children:
        return "".join(child.content for child in token.children if child.type in ("text", "code_inline"))
    return token.content


def front_matter_date(value: Any) -> Optional[dt.date]:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# ------------------------------------------------- where content files belong
PAGE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
IGNORED_NAMES = ("readme.md",)


@dataclass(frozen=True)
class ContentPlace:
    """What a content file is, read from where it sits."""

    kind: str  # "narrative", "commentary", "page" or "unknown"
    period: Optional[Period] = None
    key: str = ""  # indicator id, theme id or page slug as written in the file name
    problem: Optional[str] = None  # why the place is not valid, when it is not (an i18n.Message)


def place_of(path: str) -> ContentPlace:
    parts = PurePosixPath(path).parts  # ("content", kind, ...)
    stem = PurePosixPath(path).stem
    if len(parts) == 3 and parts[1] == "pages":
        if not PAGE_SLUG.fullmatch(stem):
            return ContentPlace("page", key=stem, problem=Message.of(N_(
                "The page file name “%(name)s” becomes the page's web address, so it may use only "
                "lower-case letters, digits and hyphens."), name=f"{stem}.md"))
        return ContentPlace("page", key=stem)
    if len(parts) == 4 and parts[1] in ("narratives", "reports"):
        kind = "narrative" if parts[1] == "narratives" else "commentary"
        try:
            period = Period.from_slug(parts[2])
        except PeriodError:
            return ContentPlace(kind, key=stem, problem=Message.of(N_(
                "The folder “%(folder)s” is not the web address of a period; name it like “2008-09-q1” "
                "(lower case, hyphen for the space)."), folder=parts[2]))
        if period.slug != parts[2]:
            return ContentPlace(kind, period, stem,
                                problem=Message.of(N_("Name the folder “%(folder)s”."), folder=period.slug))
        return ContentPlace(kind, period, stem)
    return ContentPlace("unknown", problem=Message.of(N_(
        "The file is not where the site looks for content, so it is not published: narratives go in "
        "%(narratives)s, theme commentary in %(commentary)s, other pages in %(pages)s."),
        narratives="content/narratives/<period>/<indicator id>.md",
        commentary="content/reports/<period>/<theme id>.md", pages="content/pages/<name>.md"))


def resolve_indicator(key: str, indicator_ids: set[str]) -> Optional[str]:
    """The indicator a file name refers to; file names may differ in capitals (NI-016 or ni-016)."""
    if key in indicator_ids:
        return key
    lowered = {i.lower(): i for i in indicator_ids}
    return lowered.get(key.lower())
