"""Stage 1, load: read a site folder's settings, data package and content.

Nothing here judges the figures; it reads files and reports what could not be
read (a broken descriptor, a file that is not UTF-8, a header without a required
column), each problem located in its file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Optional

import yaml
from frictionless import Package

from .config import SITE_CONFIG_FILE, ConfigError, SiteConfig, load_config
from .content import Document, read_document
from .findings import Finding, encoding_finding
from .i18n import N_, Message
from .source import SiteSource, UnsafePath, safe_relative
from .tables import CONTRACT_RESOURCES, REQUIRED_RESOURCES, ParsedTable, parse_table

DATA_FOLDER = "data"
CONTENT_FOLDER = "content"
DESCRIPTOR_NAMES = ("datapackage.yaml", "datapackage.yml", "datapackage.json")


@dataclass
class LoadedSite:
    source: SiteSource
    config: SiteConfig
    descriptor: dict[str, Any] = field(default_factory=dict)
    descriptor_path: Optional[str] = None
    tables: dict[str, ParsedTable] = field(default_factory=dict)  # contract resources, by name
    resource_paths: dict[str, str] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def package_version(self) -> Optional[str]:
        version = self.descriptor.get("version")
        return str(version) if version is not None else None


def load_site(source: SiteSource) -> LoadedSite:
    findings: list[Finding] = []
    config = _load_config(source, findings)
    site = LoadedSite(source, config, findings=findings)
    _load_descriptor(site)
    for name, path in site.resource_paths.items():
        table = parse_table(name, path, source.read_bytes(path))
        site.tables[name] = table
        site.findings.extend(table.findings)
    for path in source.list_files(CONTENT_FOLDER, ".md"):
        document = read_document(path, source.read_bytes(path))
        site.documents.append(document)
        site.findings.extend(document.problems)
    return site


def load_settings(source: SiteSource) -> SiteConfig:
    """Only the site's settings (defaults where site.yaml is missing or broken)."""
    return _load_config(source, [])


def _load_config(source: SiteSource, findings: list[Finding]) -> SiteConfig:
    if not source.exists(SITE_CONFIG_FILE):
        findings.append(Finding("valid.site-config", SITE_CONFIG_FILE,
                                Message.of(N_("The site folder has no site.yaml.")),
                                fix=Message.of(N_("Create site.yaml with at least the site's title, organisation and "
                                                  "base_url."))))
        return load_config(None)
    data = source.read_bytes(SITE_CONFIG_FILE)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        findings.append(encoding_finding(SITE_CONFIG_FILE, data, error))
        return load_config(None)
    try:
        return load_config(text)
    except ConfigError as problem:
        findings.extend(problem.findings)
        return load_config(None)


def _descriptor_problem(site: LoadedSite, message: Message, row: Optional[int] = None,
                        fix: Optional[Message] = None) -> None:
    site.findings.append(Finding("valid.descriptor", site.descriptor_path or f"{DATA_FOLDER}/datapackage.yaml",
                                 message, row=row, fix=fix))


def _load_descriptor(site: LoadedSite) -> None:
    source = site.source
    path = next((f"{DATA_FOLDER}/{name}" for name in DESCRIPTOR_NAMES if source.exists(f"{DATA_FOLDER}/{name}")), None)
    if path is None:
        _descriptor_problem(site, Message.of(N_("The data folder has no data package descriptor (datapackage.yaml).")),
                            fix=Message.of(N_("Create data/datapackage.yaml listing the resources themes, indicators, "
                                              "results and targets, each with its path.")))
        return
    site.descriptor_path = path
    try:
        text = source.read_bytes(path).decode("utf-8-sig")
        descriptor = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except UnicodeDecodeError:
        _descriptor_problem(site, Message.of(N_("The descriptor is not UTF-8 text.")),
                            fix=Message.of(N_("Save it as UTF-8.")))
        return
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else getattr(error, "lineno", None)
        # the parser's own words (English), else ours
        reason = getattr(error, "problem", None) or getattr(error, "msg", None) or Message.of(N_("it is not valid"))
        _descriptor_problem(site, Message.of(N_("The descriptor cannot be read: %(reason)s."), reason=reason), row=line,
                            fix=Message.of(N_("Correct the line: each resource is a “- name: …” item with a “path: …” "
                                              "under it.")))
        return
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        _descriptor_problem(site, Message.of(N_("The descriptor has no list of resources.")),
                            fix=Message.of(N_("Add “resources:” with one “- name: … / path: …” item per data file.")))
        return
    site.descriptor = descriptor
    report = Package.validate_descriptor(descriptor)
    for error in report.flatten(["note"]):
        # Frictionless' own words (English)
        _descriptor_problem(site, Message.of(N_("Frictionless cannot accept the descriptor: %(reason)s."),
                                             reason=error[0]))
    seen: set[str] = set()
    for position, resource in enumerate(descriptor["resources"], start=1):
        if not isinstance(resource, dict):
            _descriptor_problem(site, Message.of(N_("Resource %(position)s is not a “name: / path:” group."),
                                                 position=position))
            continue
        name = resource.get("name")
        if name not in CONTRACT_RESOURCES:
            continue  # other resources are the publisher's own; the site does not use them
        if name in seen:
            _descriptor_problem(site, Message.of(N_("The resource “%(name)s” is listed twice."), name=name),
                                fix=Message.of(N_("Remove one of the two entries.")))
            continue
        seen.add(name)
        relative = resource.get("path")
        if not isinstance(relative, str) or not relative:
            _descriptor_problem(site, Message.of(N_("The resource “%(name)s” has no path (one CSV file inside "
                                                    "data/)."), name=name),
                                fix=Message.of(N_("Add “%(line)s” under the resource."), line=f"path: {name}.csv"))
            continue
        try:
            full = (PurePosixPath(DATA_FOLDER) / safe_relative(relative)).as_posix()
        except UnsafePath as unsafe:
            _descriptor_problem(site, Message.of(N_("The path of “%(name)s” is not safe: %(reason)s."),
                                                 name=name, reason=unsafe.args[0] if unsafe.args else str(unsafe)),
                                fix=Message.of(N_("Give a path inside the data folder, like “%(path)s”."),
                                               path=f"{name}.csv"))
            continue
        if not full.lower().endswith(".csv"):
            _descriptor_problem(site, Message.of(N_("The path of “%(name)s” is “%(path)s”, but resources must be CSV "
                                                    "files."), name=name, path=relative))
            continue
        if not source.exists(full):
            _descriptor_problem(site, Message.of(N_("The resource “%(name)s” points to %(path)s, which does not "
                                                    "exist."), name=name, path=full),
                                fix=Message.of(N_("Correct the path, or add the file.")))
            continue
        site.resource_paths[name] = full
    for name in REQUIRED_RESOURCES:
        if name not in seen:
            _descriptor_problem(site, Message.of(N_("The descriptor does not list the required resource "
                                                    "“%(name)s”."), name=name),
                                fix=Message.of(N_("Add “%(name_line)s” with “%(path_line)s” under resources."),
                                               name_line=f"- name: {name}", path_line=f"path: {name}.csv"))
