"""The tool finder and the shared Chromium launcher."""

from __future__ import annotations

import pytest

from perfsite import tools
from perfsite.browser import serve_folder


@pytest.fixture
def no_tools(monkeypatch, tmp_path):
    """A machine with nothing installed: empty PATH, no node_modules, no CHROME_PATH."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CHROME_PATH", raising=False)
    monkeypatch.setenv(tools.NODE_MODULES_ENV, str(tmp_path / "node_modules"))
    monkeypatch.setattr(tools, "REPOSITORY", tmp_path)
    monkeypatch.chdir(tmp_path)
    for finder in (tools.chromium, tools.java, tools.vnu_jar, tools.lighthouse, tools.node):
        finder.cache_clear()
    yield
    for finder in (tools.chromium, tools.java, tools.vnu_jar, tools.lighthouse, tools.node):
        finder.cache_clear()


def test_a_missing_tool_says_how_to_install_it(no_tools):
    with pytest.raises(tools.ToolMissing) as missing:
        tools.find("chromium")
    assert "apt-get install -y chromium" in str(missing.value)
    with pytest.raises(tools.ToolMissing) as several:
        tools.find("vnu", "lighthouse")
    assert "npm install vnu-jar" in str(several.value) and "npm install lighthouse" in str(several.value)


def test_a_missing_tool_skips_locally_and_fails_under_ci(no_tools, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        tools.require("chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true.*apt-get install -y chromium"):
        tools.require("chromium")


def test_the_tools_are_found_in_the_repository_node_modules(monkeypatch, tmp_path):
    jar = tmp_path / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    jar.parent.mkdir(parents=True)
    jar.write_bytes(b"")
    monkeypatch.setenv(tools.NODE_MODULES_ENV, str(tmp_path / "node_modules"))
    tools.vnu_jar.cache_clear()
    try:
        assert tools.vnu_jar() == jar
    finally:
        tools.vnu_jar.cache_clear()


def test_the_shared_chromium_opens_a_served_page(browser, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><html lang=en><title>Served</title><h1 id=x>Hi</h1>",
                                         encoding="utf-8")
    with serve_folder(tmp_path) as base_url:
        page = browser.new_page()
        try:
            page.goto(base_url + "/")
            assert page.title() == "Served"
            assert page.locator("#x").inner_text() == "Hi"
            assert browser.browser_type.name == "chromium" and browser.version
        finally:
            page.close()



def test_pages_that_link_by_the_published_address_are_served_from_here(tmp_path):
    import urllib.request

    (tmp_path / "404.html").write_text('<link href="https://council.example/perf/assets/site.css">',
                                       encoding="utf-8")
    (tmp_path / "a.css").write_text('body{background:url("https://council.example/perf/x.png")}', encoding="utf-8")
    with serve_folder(tmp_path, "https://council.example/perf/") as base_url:
        page = urllib.request.urlopen(base_url + "/404.html").read().decode()
        style = urllib.request.urlopen(base_url + "/a.css").read().decode()
    assert page == '<link href="/assets/site.css">'
    assert "https://council.example/perf/x.png" in style  # only pages are rewritten
