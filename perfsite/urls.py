"""Every kind of page and file the site publishes, and its address: one registry.

Scrutiny committees cite these addresses in their papers, so they are part of the
contract (docs/contract.md, "Output: stable URLs") and must never change or vanish.
Pages, links, the sitemap and the check that no address of an earlier release has
disappeared all take addresses from here: ``path_for(kind, **keys)``. Templates call
``link(kind, **keys)``, the same address relative to the page they are on.

To add a page kind: add its pattern to ``PAGE_KINDS``, render it with
``SiteRenderer.page(template, path_for(kind, ...), ...)``, link to it with ``link``, and,
if it is permanent, list its addresses in ``site_addresses``.
"""

from __future__ import annotations

from typing import Any

from .periods import Period

PAGE_KINDS: dict[str, str] = {
    "overview": "",
    "themes": "themes/",
    "theme": "themes/{theme}/",
    "indicators": "indicators/",
    "indicator": "indicators/{indicator}/",
    "exceptions": "exceptions/",
    "indicators_by_set": "sets/{key}/",
    "indicators_by_partner": "partners/{key}/",
    "glossary": "glossary/",
    "search": "search/",
    "search_file": "pagefind/{name}",  # Pagefind's index and interface
    "reports": "reports/",
    "report": "reports/{period}/",
    "theme_report": "reports/{period}/{theme}/",
    "page": "pages/{page}/",
    "data": "data/",
    "quality": "data/quality/",
    "revisions": "data/revisions/",
    "revisions_csv": "data/revisions.csv",
    "revisions_json": "data/revisions.json",
    "not_found": "404.html",
    "feed": "feed.xml",
    "sitemap": "sitemap.xml",
    "api_indicators": "api/indicators.json",
    "api_indicator": "api/indicators/{indicator}.json",
    "api_site": "api/site.json",
    "asset": "assets/{name}",
    "file": "{path}",  # any other published file, by its path (downloads)
}


def key_text(name: str, value: Any) -> str:
    """A key as it appears in an address: indicator ids in lower case, periods as slugs."""
    if isinstance(value, Period):
        return value.slug
    for attribute in ("slug", "id"):
        if hasattr(value, attribute) and not isinstance(value, str):
            return str(getattr(value, attribute))
    text = str(value)
    return text.lower() if name == "indicator" else text


def path_for(kind: str, **keys: Any) -> str:
    """The site path of a page or file (``indicators/ni-192/``), relative to base_url."""
    try:
        pattern = PAGE_KINDS[kind]
    except KeyError:
        raise ValueError(f"“{kind}” is not a page kind; perfsite/urls.py lists them") from None
    return pattern.format(**{name: key_text(name, value) for name, value in keys.items()})


def file_for(path: str) -> str:
    """The file a site path is written to: a folder's index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def site_addresses(site) -> set[str]:
    """The permanent page addresses of an assessed site: what no later build may lose."""
    addresses = {path_for(kind) for kind in ("overview", "themes", "indicators", "reports", "data", "quality",
                                             "exceptions", "glossary")}
    addresses |= {path_for("theme", theme=theme) for theme in site.themes}
    for record in site.records:
        addresses.add(path_for("indicator", indicator=record.indicator))
        addresses.add(path_for("api_indicator", indicator=record.indicator))
    for report in site.reports:
        addresses.add(path_for("report", period=report.period))
        addresses |= {path_for("theme_report", period=report.period, theme=t.theme) for t in report.themes}
    addresses |= {path_for("page", page=page) for page in site.package.pages}
    return addresses


def source_of_address(address: str) -> str:
    """The input file that makes a permanent page exist (for a finding about a lost address)."""
    first = address.split("/", 1)[0]
    if first in ("indicators", "api"):
        return "data/indicators.csv"
    if first == "themes":
        return "data/themes.csv"
    if first == "pages":
        return f"content/pages/{address.split('/')[1]}.md"
    return "data/results.csv"
