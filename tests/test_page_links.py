"""A page's relative links are those posixpath.relpath gives, though plain site paths are
compared segment by segment (relpath asks the operating system for the working directory
twice a link)."""

from __future__ import annotations

import posixpath

from hypothesis import example, given, settings
from hypothesis import strategies as st

from perfsite.render import _relative

# Segments of site paths as the registry makes them, and the unusual ones that must fall
# back to relpath: ".", "..", hidden names, empty segments (a doubled or a leading slash).
SEGMENTS = st.sampled_from(["indicators", "ni-192", "reports", "2010-11-q4", "themes", "well-being", "data",
                            "quality", "assets", "site.css", "index.html", "a", "b", ".", "..", ".hidden", ""])


def relpath_relative(here: str, target: str) -> str:
    """The link as it was made before: relpath for the folder, then the file's name."""
    if target.startswith(("http://", "https://", "mailto:", "#")):
        return target
    folder = target if target.endswith("/") or target == "" else posixpath.dirname(target)
    relative = posixpath.relpath(folder or ".", here or ".")
    if target.endswith("/") or target == "":
        return "./" if relative == "." else relative + "/"
    name = posixpath.basename(target)
    return name if relative == "." else f"{relative}/{name}"


def paths(folder: bool):
    return st.builds(lambda parts, slash: "/".join(parts) + ("/" if slash and parts else ""),
                     st.lists(SEGMENTS, max_size=4), st.just(True) if folder else st.booleans())


@settings(max_examples=500, deadline=None)
@given(here=paths(folder=False), target=paths(folder=False))
@example(here="", target="")
@example(here="indicators/ni-192", target="indicators/ni-192/")
@example(here="reports/2010-11-q4/well-being", target="api/indicators/ni-192.json")
@example(here="", target="https://example.org/")
@example(here="indicators/ni-192", target="#main")
def test_links_are_relpaths(here, target):
    here = here.rstrip("/")  # a page's folder: the dirname of its file
    assert _relative(here, target) == relpath_relative(here, target)
