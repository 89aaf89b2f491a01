"""The permanent addresses of an assessed site: every page and file a build of it publishes.

Scrutiny papers cite these addresses, so a build that would lose one that a release
published fails (rule ``accurate.address-kept``, pipeline.published_reports). The set
is derived from the URL registry (urls.PAGE_KINDS): every kind counts, except those
``urls.NOT_PERMANENT`` names with a reason. A kind without keys (``/glossary/``) is
covered as it is; a kind with keys (``/indicators/{indicator}/``) takes them from
``ADDRESS_KEYS``, and a kind with keys but no entry there is a programming error,
raised at once, so a new page kind can never be left unprotected.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable

from .assess import AssessedSite
from .downloads import data_file_names, release_file_names
from .urls import NOT_PERMANENT, PAGE_KINDS, path_for
from .views import indicator_views

# Files every build writes whatever the data (render.py): the site's checksums and robots.txt.
ALWAYS_WRITTEN = ("SHA256SUMS", "robots.txt")


def _views(site: AssessedSite, kind: str) -> Iterable[dict]:
    return ({"key": view.key} for view in indicator_views(site.current, retired=site.retired_records)
            if view.kind == kind)


def _theme_reports(site: AssessedSite) -> Iterable[dict]:
    for report in site.reports:
        published = site.published.get(report.period.slug)
        themes = {t.theme.id: t.theme for t in report.themes}
        if published is not None and published.report is not None:  # the report as released is what is shown
            themes = {t.theme.id: t.theme for t in published.report.themes}
        for theme in themes.values():
            yield {"period": report.period, "theme": theme}


# The keys of each kind whose pattern has them: what the build makes pages or files of.
ADDRESS_KEYS: dict[str, Callable[[AssessedSite], Iterable[dict]]] = {
    "theme": lambda site: ({"theme": theme} for theme in site.themes),
    "indicator": lambda site: ({"indicator": record.indicator} for record in site.records),
    "api_indicator": lambda site: ({"indicator": record.indicator} for record in site.records),
    "indicators_by_set": lambda site: _views(site, "set"),
    "indicators_by_partner": lambda site: _views(site, "partner"),
    "report": lambda site: ({"period": report.period} for report in site.reports),
    "theme_report": _theme_reports,
    "page": lambda site: ({"page": page} for page in site.package.pages),
    "data_file": lambda site: ({"name": name} for name in data_file_names(site)),
    "release_file": lambda site: ({"period": release.period, "name": name} for release in site.history.releases
                                  for name in release_file_names(site, release)),
    "file": lambda site: ({"path": path} for path in ALWAYS_WRITTEN),
}

# Kinds without keys that exist only under a condition: the build makes them only then.
CONDITIONS: dict[str, Callable[[AssessedSite], bool]] = {
    "exceptions": lambda site: site.current is not None,  # a view of the current report
    "search": lambda site: bool(site.config.search),
    "sitemap": lambda site: site.config.base_url.startswith(("http://", "https://")),
}


def keys_of(pattern: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(pattern) if field]


def site_addresses(site: AssessedSite) -> set[str]:
    """Every permanent address of the site as this build would publish it: what no later build may lose."""
    addresses: set[str] = set()
    for kind, pattern in PAGE_KINDS.items():
        if kind in NOT_PERMANENT:
            continue
        if not keys_of(pattern):
            if CONDITIONS.get(kind, lambda site: True)(site):
                addresses.add(path_for(kind))
            continue
        if kind not in ADDRESS_KEYS:
            raise LookupError(f"The page kind “{kind}” ({pattern}) has keys but perfsite/addresses.py does not say "
                              "which: add it to ADDRESS_KEYS, or to urls.NOT_PERMANENT with the reason.")
        addresses |= {path_for(kind, **keys) for keys in ADDRESS_KEYS[kind](site)}
    return addresses
