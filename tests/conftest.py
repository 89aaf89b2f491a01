"""Fixtures shared by the tests: one real browser per test session.

The browser is Debian's Chromium driven by Playwright (perfsite.browser). Locally a
missing browser skips the browser tests with the install command; under CI=true it
fails them, so CI never passes without having looked at the pages.
"""

from __future__ import annotations

import pytest

from perfsite import tools


@pytest.fixture(scope="session")
def browser():
    """A Playwright Browser on the system Chromium, shared by every test of the session."""
    tools.require("chromium", "playwright")
    from perfsite.browser import chromium_browser

    with chromium_browser() as launched:
        yield launched
