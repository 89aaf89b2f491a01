"""`check`: prove a built site before it is published.

Four checkers, each over the whole output folder:

- the Nu HTML Checker (npm ``vnu-jar``), one Java process over every page;
- axe-core in a real Chromium (perfsite.browser) on every page;
- an internal link checker: every href and src that points into the site, and
  every #fragment, must resolve to a file and an id;
- Lighthouse's accessibility score on one page of each kind.

Each gives a :class:`CheckResult`; :func:`run_checks` gathers them into a
:class:`CheckReport` with the figures the command prints. The checkers' names, the
figures' names and the problems are the catalogue's (``N_``, ``i18n.Message``: English
here, compared as such); :func:`report_text` writes them in the site's language. The
other programs' words they quote (the HTML checker's message, axe's rule help and
impact, Lighthouse's audit ids) are theirs and stay as they say them. Under CI=true a checker
whose tool is missing fails; locally it is reported as not run, with the install
command.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Callable, Optional
from urllib.parse import unquote, urlsplit

from . import tools
from .cache import RenderCache, fingerprint
from .config import CheckSettings
from .i18n import ENGLISH, N_, Language, Message

# Attributes that hold a URL the browser follows or loads.
URL_ATTRIBUTES = {"href", "src", "poster", "data"}
# Schemes that are not pages of the site and are never checked here.
OUTSIDE_SCHEMES = {"http", "https", "mailto", "tel", "data", "javascript", "ftp"}


@dataclass
class Problem:
    page: str          # the page's path in the site, e.g. indicators/ni-008/index.html
    message: str       # a sentence a publisher can act on (an i18n.Message)


@dataclass
class CheckResult:
    name: str  # marked N_: translated when the report is written
    ran: bool = True
    problems: list[Problem] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)  # names marked N_
    not_run_because: str = ""  # an i18n.Message (tools.ToolMissing's)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.problems) or (not self.ran and tools.in_ci())


@dataclass
class CheckReport:
    out: Path
    pages: list[str]
    largest_page: tuple[str, int]
    results: list[CheckResult]

    @property
    def ok(self) -> bool:
        return not any(result.failed for result in self.results)


def site_pages(out: Path) -> list[str]:
    return sorted(path.relative_to(out).as_posix() for path in out.rglob("*.html"))


# --- internal links -----------------------------------------------------------------


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif name in URL_ATTRIBUTES and not (tag == "link" and ("rel", "canonical") in attrs):
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


def _site_path_prefix(base_url: str) -> tuple[str, str]:
    """(scheme://host, path prefix) of the base URL: links under it are the site's own."""
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
    return origin, prefix or "/"


def _target(out: Path, page: str, url: str, base_url: str) -> Optional[tuple[str, str]]:
    """(file in the site, fragment) a link points to, or None when it leaves the site."""
    parts = urlsplit(url)
    origin, prefix = _site_path_prefix(base_url)
    if parts.scheme or parts.netloc:
        if not origin or f"{parts.scheme}://{parts.netloc}" != origin:
            return None
        path = parts.path
    elif parts.scheme in OUTSIDE_SCHEMES:
        return None
    else:
        path = parts.path
    if not path:
        return page, unquote(parts.fragment)
    if path.startswith("/"):
        if not path.startswith(prefix) and path + "/" != prefix:
            return "", path  # under the site's address but outside its folder: broken
        relative = path[len(prefix):] if path.startswith(prefix) else ""
    else:
        relative = str(PurePosixPath(page).parent / path)
    relative = unquote(relative)
    resolved = os.path.normpath(relative).replace(os.sep, "/") if relative else "."
    if resolved.startswith(".."):
        return "", path
    if resolved == "." or path.endswith("/") or (out / resolved).is_dir():
        resolved = "index.html" if resolved == "." else f"{resolved}/index.html"
    return resolved, unquote(parts.fragment)


def check_links(out: Path, pages: list[str], base_url: str) -> CheckResult:
    result = CheckResult(LINKS)
    parsed: dict[str, _LinkParser] = {}

    def parse(page: str) -> _LinkParser:
        if page not in parsed:
            parser = _LinkParser()
            parser.feed((out / page).read_text(encoding="utf-8"))
            parsed[page] = parser
        return parsed[page]

    checked = 0
    for page in pages:
        for url in parse(page).urls:
            if urlsplit(url).scheme in OUTSIDE_SCHEMES - {"http", "https"}:
                continue
            target = _target(out, page, url, base_url)
            if target is None:
                continue
            checked += 1
            file, fragment = target
            if not file or not (out / file).is_file():
                result.problems.append(Problem(page, Message.of(N_("links to %(url)s, which is not in the site."),
                                                                url=url)))
            elif fragment and file.endswith(".html") and fragment not in parse(file).ids \
                    and fragment != "top":
                result.problems.append(Problem(page, Message.of(
                    N_("links to %(url)s, but %(file)s has no element with id=\"%(fragment)s\"."),
                    url=url, file=file, fragment=fragment)))
    result.figures = {N_("links checked"): checked, N_("broken links"): len(result.problems)}
    return result


# --- the Nu HTML Checker -------------------------------------------------------------


def check_html(out: Path, pages: list[str], kept: Optional[RenderCache] = None) -> CheckResult:
    """The Nu HTML Checker on every page, in one JVM. With ``kept`` (the site's cache), what it
    found on a page is kept by the page's bytes and the checker's own, so only pages changed
    since the last check are checked again (as for axe)."""
    result = CheckResult(HTML)
    java, jar = tools.find("java", "vnu")
    kept = kept or RenderCache(None)
    keys, found = _kept_findings(kept, HTML_KIND, fingerprint("vnu", _file_identity(Path(jar))), out, pages)
    todo = [page for page in pages if page not in found]
    stray: dict[str, list[dict]] = {}  # errors the checker could not place on a page ("?"): never kept
    if todo:
        # the changed pages by name; when most pages changed, the folder (one argument, however big the site)
        named = todo if len(todo) <= NU_PAGES_NAMED else None
        for page, errors in _nu_errors(java, jar, out, named, pages).items():
            if page in keys:
                found[page] = errors
                kept.put(keys[page], json.dumps(errors, sort_keys=True).encode("utf-8"), HTML_KIND)
            else:
                stray[page] = errors
    for page in [*pages, *stray]:
        for error in (found[page] if page in found else stray[page]):
            result.problems.append(Problem(page, Message.of(N_("HTML error (line %(line)s): %(message)s"),
                                                            line=error["line"], message=error["message"])
                                           if error["line"] else
                                           Message.of(N_("HTML error: %(message)s"), message=error["message"])))
    result.figures = {N_("pages checked"): len(pages), N_("HTML errors"): len(result.problems),
                      N_("pages unchanged since they were last checked"): len(pages) - len(todo)}
    return result


HTML_KIND = "html"  # the cache's folder for what the Nu HTML Checker found on each page
NU_PAGES_NAMED = 1_000  # more changed pages than this: the checker walks the whole folder instead


def _kept_findings(kept: RenderCache, kind: str, decided_by: str, out: Path,
                   pages: list[str]) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """Each page's key (``decided_by``, what else decides a checker's findings, with the page's
    address and bytes), and the findings kept for the pages that have some (JSON: data, never code)."""
    keys = {page: fingerprint(decided_by, page, hashlib.sha256((out / page).read_bytes()).hexdigest())
            for page in pages}
    found = {}
    for page in pages:
        known = kept.get(keys[page], kind)
        if known is not None:
            found[page] = json.loads(known)
    return keys, found


def _file_identity(path: Path) -> str:
    """A checker's file, for a cache key: its bytes' hash (its name, when it cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return str(path)


def _nu_errors(java: Path, jar: Path, out: Path, named: Optional[list[str]], pages: list[str]) -> dict[str, list[dict]]:
    """The checker's errors on each page checked, from one JVM: the pages ``named``, or (None)
    every page of the folder (``pages``). Every page checked is in the answer, with or without errors."""
    targets = [str(out / page) for page in named] if named is not None else [str(out)]
    done = subprocess.run([str(java), "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html",
                           *targets], capture_output=True, text=True, check=False)
    try:
        messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    except (json.JSONDecodeError, KeyError):
        raise RuntimeError(Message.of(N_("the Nu HTML Checker gave no report (exit %(status)s): %(output)s"),
                                      status=done.returncode, output=(done.stderr or done.stdout)[:500])) from None
    errors: dict[str, list[dict]] = {page: [] for page in (pages if named is None else named)}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error") and message.get("subType") != "fatal":
            continue
        url = message.get("url", "")
        page = Path(unquote(urlsplit(url).path)).relative_to(out.resolve()).as_posix() if url else "?"
        said = message.get("message", "").strip()  # the checker's own words
        errors.setdefault(page, []).append({"line": message.get("lastLine"), "message": said})
    return errors


# --- axe-core in Chromium ------------------------------------------------------------


def axe_problem(violation: dict, where: str) -> Message:
    """An axe violation in a sentence: its impact, help and rule id are axe's words."""
    return Message.of(N_("accessibility (%(impact)s): %(help)s [%(rule)s] at %(where)s"),
                      impact=violation["impact"], help=violation["help"], rule=violation["id"], where=where)


def check_accessibility(out: Path, pages: list[str], base_url: str, settings: CheckSettings,
                        kept: Optional[RenderCache] = None) -> CheckResult:
    """axe-core on every page in Chromium. With ``kept`` (the site's cache), what axe found
    on a page is kept by everything that decides it (the page's bytes, the site's styles
    and scripts, axe, Chromium and the rules asked for), so a page unchanged since the
    last check is not loaded again: a pull request's check runs axe on the pages it changed."""
    result = CheckResult(AXE)
    axe_source = Path(tools.find("axe")[0]).read_bytes()
    options = json.dumps({"runOnly": {"type": "tag", "values": list(settings.axe_tags)},
                          "resultTypes": ["violations"]})
    kept = kept or RenderCache(None)
    decided_by = fingerprint("axe", hashlib.sha256(axe_source).hexdigest(), _chromium_version(), options,
                             _assets_digest(out))
    keys, found = _kept_findings(kept, AXE_KIND, decided_by, out, pages)
    todo = [page for page in pages if page not in found]
    if todo:
        from .browser import chromium_browser, serve_folder  # noqa: PLC0415 - needs optional packages

        axe_script = axe_source.decode("utf-8")

        with serve_folder(out, base_url) as base, chromium_browser() as browser:
            page_view = browser.new_page()
            for page in todo:
                url = f"{base}/{page[:-len('index.html')] if page.endswith('index.html') else page}"
                page_view.goto(url, wait_until="load")
                page_view.evaluate(axe_script)
                violations = page_view.evaluate(f"async () => await axe.run(document, {options})")["violations"]
                found[page] = [_axe_finding(violation) for violation in violations]
                kept.put(keys[page], json.dumps(found[page], sort_keys=True).encode("utf-8"), AXE_KIND)
            page_view.close()
    nodes = 0
    for page in pages:
        for finding in found[page]:
            nodes += finding["nodes"]
            result.problems.append(Problem(page, axe_problem(finding, finding["where"])))
    result.figures = {N_("pages checked"): len(pages), N_("axe violations"): len(result.problems),
                      N_("elements affected"): nodes, N_("pages unchanged since they were last checked"):
                      len(pages) - len(todo)}
    return result


AXE_KIND = "axe"  # the cache's folder for what axe found on each page


def _axe_finding(violation: dict) -> dict:
    """What the report says of an axe violation (and all the cache keeps of it: data, never code)."""
    where = "; ".join(", ".join(node["target"]) if isinstance(node["target"], list) else
                      str(node["target"]) for node in violation["nodes"][:3])
    return {"id": violation["id"], "impact": violation["impact"], "help": violation["help"],
            "nodes": len(violation["nodes"]), "where": where}


def _chromium_version() -> str:
    """The browser's own version line: a Chromium upgrade may judge pages differently."""
    done = subprocess.run([str(tools.chromium()), "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or str(tools.chromium())


def _assets_digest(out: Path) -> str:
    """Every file of the site that a page loads (styles, scripts, fonts, images): axe judges
    a page as it looks, so a changed stylesheet means every page is checked again."""
    digest = hashlib.sha256()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = path.relative_to(out).as_posix()
        if not name.endswith(ASSET_SUFFIXES) or name.startswith(".") or "/." in name:
            continue  # pages are keyed one by one; hidden folders (a cache) are not the site's
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# What a page may load that changes how it looks or behaves (downloads and data are not loaded).
ASSET_SUFFIXES = (".css", ".js", ".mjs", ".woff", ".woff2", ".ttf", ".otf", ".svg", ".png", ".jpg", ".jpeg",
                  ".gif", ".webp", ".avif")


# --- Lighthouse ----------------------------------------------------------------------


def page_kind(page: str) -> str:
    """A page's kind from its place in the site: the first folder, then one * per level below it."""
    parts = PurePosixPath(page).parts
    if len(parts) == 1:
        return "home" if page == "index.html" else page.removesuffix(".html")
    return "/".join([parts[0]] + ["*"] * (len(parts) - 2))


def one_page_of_each_kind(pages: list[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for page in pages:
        chosen.setdefault(page_kind(page), page)
    return chosen


def lighthouse_problem(score: int, minimum: int, failing: list[str]) -> Message:
    """A page kind below the minimum score; the audits are Lighthouse's ids."""
    return Message.of(N_("Lighthouse accessibility score %(score)s is below %(minimum)s; failing audits: %(audits)s."),
                      score=score, minimum=minimum, audits=", ".join(failing) or Message.of(N_("none listed")))


def check_lighthouse(out: Path, pages: list[str], base_url: str, settings: CheckSettings) -> CheckResult:
    result = CheckResult(LIGHTHOUSE)
    chromium, lighthouse = tools.find("chromium", "lighthouse")
    tools.find("node")
    from .browser import CHROMIUM_ARGUMENTS, serve_folder  # noqa: PLC0415

    scores: dict[str, int] = {}
    environment = dict(os.environ, CHROME_PATH=str(chromium))
    flags = " ".join(("--headless=new",) + CHROMIUM_ARGUMENTS)

    def audit(kind: str, page: str, base: str, scratch: Path) -> tuple[str, str, dict]:
        url = f"{base}/{page[:-len('index.html')] if page.endswith('index.html') else page}"
        report = scratch / f"{len(page)}-{abs(hash(page))}.json"
        done = subprocess.run([str(lighthouse), url, "--only-categories=accessibility", "--output=json",
                               f"--output-path={report}", f"--chrome-flags={flags}", "--quiet"],
                              capture_output=True, text=True, env=environment, check=False,
                              timeout=settings.lighthouse_timeout_seconds)
        if done.returncode != 0 or not report.is_file():
            raise RuntimeError(Message.of(N_("Lighthouse could not check %(address)s (exit %(status)s): %(output)s"),
                                          address=url, status=done.returncode,
                                          output=(done.stderr or done.stdout).strip()[-800:]))
        return kind, page, json.loads(report.read_text(encoding="utf-8"))

    with serve_folder(out, base_url) as base, tempfile.TemporaryDirectory(prefix="perfsite-lighthouse-") as scratch, \
            ThreadPoolExecutor(settings.lighthouse_runs_at_once) as pool:
        # Each run is mostly waiting for its own Chromium, so a few at once save time.
        runs = [pool.submit(audit, kind, page, base, Path(scratch))
                for kind, page in sorted(one_page_of_each_kind(pages).items())]
        for run in runs:
            kind, page, data = run.result()
            category = data["categories"]["accessibility"]
            score = round((category["score"] or 0) * 100)
            scores[f"{kind} ({page})"] = score
            if score < settings.lighthouse_min_accessibility:
                failing = [ref["id"] for ref in category["auditRefs"]
                           if data["audits"].get(ref["id"], {}).get("score") == 0]
                result.problems.append(Problem(page, lighthouse_problem(score, settings.lighthouse_min_accessibility,
                                                                        failing)))
    result.figures = {LIGHTHOUSE: scores}
    return result


# --- all together --------------------------------------------------------------------

CHECKERS = ("links", "html", "axe", "lighthouse")
LINKS, HTML, AXE, LIGHTHOUSE = (N_("Internal links"), N_("Nu HTML Checker"), N_("axe-core in Chromium"),
                                N_("Lighthouse accessibility"))


def run_checks(out: Path, base_url: str, settings: CheckSettings, only: tuple[str, ...] = CHECKERS,
               progress: Callable[[str], None] = lambda message: None, language: Language = ENGLISH,
               kept: Optional[RenderCache] = None) -> CheckReport:
    """Run the checkers of ``only``; ``progress`` hears a line as each starts, in ``language``.
    ``kept``: the site's cache, where the HTML checker's and axe's findings on each page are kept."""
    out = out.resolve()
    pages = site_pages(out)
    sizes = {page: (out / page).stat().st_size for page in pages}
    largest = max(sizes.items(), key=lambda item: (item[1], item[0])) if sizes else ("", 0)
    runners: dict[str, tuple[str, Callable[[], CheckResult]]] = {
        "links": (LINKS, lambda: check_links(out, pages, base_url)),
        "html": (HTML, lambda: check_html(out, pages, kept)),
        "axe": (AXE, lambda: check_accessibility(out, pages, base_url, settings, kept)),
        "lighthouse": (LIGHTHOUSE, lambda: check_lighthouse(out, pages, base_url, settings)),
    }
    results = []
    for key in only:
        name, run = runners[key]
        checker = language.translate(name)
        progress(language.ngettext("%(checker)s: checking %(num)s page", "%(checker)s: checking %(num)s pages",
                                   len(pages), checker=checker) if key != "lighthouse" else
                 language.ngettext("%(checker)s: one page of each of %(num)s kind",
                                   "%(checker)s: one page of each of %(num)s kinds",
                                   len(one_page_of_each_kind(pages)), checker=checker))
        started = time.perf_counter()
        try:
            result = run()
        except tools.ToolMissing as missing:
            result = CheckResult(name, ran=False, not_run_because=missing.message)
        result.seconds = time.perf_counter() - started
        results.append(result)
    return CheckReport(out, pages, largest, results)


def report_text(report: CheckReport, problems_shown: int, language: Language = ENGLISH) -> str:
    """The figures, then every problem (up to ``problems_shown`` per checker), then the verdict,
    in ``language`` (the site's)."""
    say, translate = language.gettext, language.translate
    size = f"{report.largest_page[1] / 1024:.0f}"
    lines = [language.ngettext("Checked %(folder)s: %(num)s page; largest page %(page)s (%(size)s KB).",
                               "Checked %(folder)s: %(num)s pages; largest page %(page)s (%(size)s KB).",
                               len(report.pages), folder=report.out, page=report.largest_page[0], size=size)]
    for result in report.results:
        checker = translate(result.name)
        if not result.ran:
            reason = translate(result.not_run_because)
            lines.append("- " + (say("%(checker)s: FAILED (CI=true: a missing tool fails). %(reason)s",
                                     checker=checker, reason=reason) if result.failed else
                                 say("%(checker)s: NOT RUN. %(reason)s", checker=checker, reason=reason)))
            continue
        figures = []
        for name, value in result.figures.items():
            if isinstance(value, dict):  # Lighthouse's score by page kind (the kind is the page's folder)
                scores = ", ".join(f"{kind} {score}" for kind, score in value.items())
                figures.append(say("%(figure)s: %(scores)s", figure=translate(name), scores=scores))
            else:
                figures.append(say("%(figure)s %(value)s", figure=translate(name), value=value))
        values = dict(checker=checker, figures="; ".join(figures), seconds=f"{result.seconds:.1f}")
        lines.append("- " + (say("%(checker)s: FAILED; %(figures)s (%(seconds)ss).", **values) if result.failed else
                             say("%(checker)s: passed; %(figures)s (%(seconds)ss).", **values)))
        for problem in result.problems[:problems_shown]:
            lines.append(f"    {problem.page}: {translate(problem.message)}")
        if len(result.problems) > problems_shown:
            more = len(result.problems) - problems_shown
            lines.append("    " + language.ngettext("... and %(num)s more.", "... and %(num)s more.", more))
    if report.ok:
        not_run = [translate(result.name) for result in report.results if not result.ran]
        lines.append(say("The site passed every check.") if not not_run else
                     say("The site passed the checks that ran; not run here: %(checkers)s.",
                         checkers=", ".join(not_run)))
    else:
        lines.append(say("The site FAILED the checks above: fix them before publishing."))
    return "\n".join(lines) + "\n"
