"""Shared helpers for the tests: building a site folder and reading what it wrote."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from perfsite.pipeline import Outcome, build

SITES = Path(__file__).parent / "sites"
REPOSITORY = Path(__file__).parent.parent


def copy_site(name_or_path: str | Path, destination: Path) -> Path:
    source = name_or_path if isinstance(name_or_path, Path) else SITES / name_or_path
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("output", ".cache", "__pycache__"))
    return destination


def build_site(site: Path, out: Path, **options) -> Outcome:
    options.setdefault("use_cache", False)
    options.setdefault("workers", 1)
    return build(site, out, **options)


def read_json(out: Path, path: str):
    return json.loads((out / path).read_text(encoding="utf-8"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class PageParser(HTMLParser):
    """Collects what the tests look at in a page: links, ids, elements, attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None
        self._text: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
            if name == "id":
                self.ids.append(value or "")
            if name in ("href", "src") and tag in ("a", "link", "img", "script"):
                self.links.append(value or "")
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading, self._text = tag, []

    def handle_endtag(self, tag):
        if self._heading == tag:
            self.headings.append((tag, " ".join("".join(self._text).split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)


def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve_link(out: Path, page: Path, href: str) -> Path | None:
    """The file a relative link on ``page`` points to (None for external links and anchors)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#") or not parts.path:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if href.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def assert_addresses_are_what_the_build_wrote(outcome: Outcome, out: Path) -> None:
    """The permanent addresses (perfsite/addresses.py) are exactly the files the build wrote, except the
    kinds urls.NOT_PERMANENT names: so a new page kind is never left out of the addresses a release keeps."""
    from perfsite.addresses import site_addresses
    from perfsite.urls import NOT_PERMANENT, PAGE_KINDS, file_for

    permanent = {file_for(address) for address in site_addresses(outcome.site)}
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {".perfsite-output"}
    assert permanent - written == set(), "addresses a build does not write"
    changing = tuple(PAGE_KINDS[kind].split("{")[0] for kind in NOT_PERMANENT)
    unprotected = {path for path in written - permanent if not path.startswith(changing)}
    assert unprotected == set(), "files a build writes that no later build is made to keep"


def add_2011_12_q1(site: Path) -> Path:
    """The example site moved on a quarter: the results of 2011-12 Q1 added (NI-039 red,
    NI-135 green), with their year's targets, and the data dated the end of July."""
    settings = site / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("as_of: 2011-05-13", "as_of: 2011-07-29"),
                        encoding="utf-8")
    with (site / "data" / "targets.csv").open("a", encoding="utf-8") as targets:
        targets.write("NI-039,2011-12,400,420,,\nNI-135,2011-12,26.0,24.0,,\n")
    with (site / "data" / "results.csv").open("a", encoding="utf-8") as results:
        results.write("NI-039,2011-12 Q1,512,,,,,,\nNI-135,2011-12 Q1,27.5,,,,,,\n")
    return site
