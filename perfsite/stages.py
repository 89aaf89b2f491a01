"""The build's stages, and how long work says how far it has got.

A build calls one ``Progress`` object, handed down from the command line through the
pipeline into validation and rendering as a plain argument. Work only reports to it
(data flows one way): nothing ever reads a count back from it, so what it does with
the counts (a bar on a terminal, a few plain lines in CI, nothing at all) can never
change what is built. The default does nothing, so library callers and tests need
pass nothing.

What is counted, by name (``COUNTED``): the data files checked in ``validate``, and in
``render`` the charts and the pages. Every count is announced with its total before
the first step (``start``), and its steps (``advance``) add up to that total. Each of
the six stages ends with ``done`` and the seconds it took. Before the first ``done``,
``speaks`` tells the site's language setting, so that the object can say its lines in
the site's language (a value handed down like the counts, never read back). Rendering reports from the
process that runs the build, as each batch's results come back from the workers:
the workers are never handed the progress object.
"""

from __future__ import annotations

from typing import Optional, Protocol

STAGES = ("load", "validate", "model", "assess", "render", "write")

# What is counted -> (the stage it belongs to, the word for its units)
COUNTED = {
    "validate": ("validate", "files"),
    "charts": ("render", "charts"),
    "pages": ("render", "pages"),
}


class Progress(Protocol):
    def speaks(self, language: str) -> None:
        """The site's ``language`` setting (as in site.yaml), told once its settings are read,
        before the first stage ends: what is said from then on is in that language."""

    def start(self, counted: str, total: int) -> None:
        """``total`` steps of ``counted`` (a name of COUNTED) are about to begin."""

    def advance(self, counted: str, steps: int = 1) -> None:
        """``steps`` more of ``counted`` are finished."""

    def done(self, stage: str, seconds: float) -> None:
        """The stage (a name of STAGES) ended after ``seconds``."""


class NoProgress:
    """Says nothing: the default for library callers and tests."""

    def speaks(self, language: str) -> None:
        pass

    def start(self, counted: str, total: int) -> None:
        pass

    def advance(self, counted: str, steps: int = 1) -> None:
        pass

    def done(self, stage: str, seconds: float) -> None:
        pass


NO_PROGRESS: Progress = NoProgress()


def or_none(progress: Optional[Progress]) -> Progress:
    return NO_PROGRESS if progress is None else progress
