"""Every kind of page and file the site publishes, and its address: one registry.

Scrutiny committees cite these addresses in their papers, so they are part of the
contract (docs/contract.md, "Output: stable URLs") and must never change or vanish.
Pages, links, the sitemap and the check that no address of an earlier release has
disappeared all take addresses from here: ``path_for(kind, **keys)``. Templates call
``link(kind, **keys)``, the same address relative to the page they are on.

To add a page kind: add its pattern to ``PAGE_KINDS``, render it with
``SiteRenderer.page(template, path_for(kind, ...), ...)`` and link to it with ``link``.
Every kind is permanent (perfsite/addresses.py protects each address a release
published) unless ``NOT_PERMANENT`` says why not; a kind whose pattern has keys also
needs its keys listed in ``addresses.ADDRESS_KEYS`` (a test fails until it is).
"""

from __future__ import annotations

from typing import Any

from .i18n import N_, Message
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
    "data_file": "data/{name}",  # the data package's downloads: CSVs, descriptor, zip, checksums
    "release_file": "data/releases/{period}/{name}",  # a release's data package as released, and its checksum
    "file": "{path}",  # any other published file, by its path
}

# Kinds whose addresses may change from one build to the next, and why. Every other
# kind's addresses, once a release published them, must exist in every later build.
NOT_PERMANENT: dict[str, str] = {
    "search_file": "Pagefind's index files are named after their content and change with every edit; "
                   "the search page itself (/search/) is permanent.",
    "asset": "The stylesheet belongs to perfsite's version, not to the data; pages link to it, people do not.",
}


_NOT_THERE = object()  # an attribute a key does not have


def key_text(name: str, value: Any) -> str:
    """A key as it appears in an address: indicator ids in lower case, periods as slugs."""
    if isinstance(value, Period):
        return value.slug
    if not isinstance(value, str):
        for attribute in ("slug", "id"):
            # looked up once (hasattr then getattr ran a property such as Indicator.slug twice)
            found = getattr(value, attribute, _NOT_THERE)
            if found is not _NOT_THERE:
                return str(found)
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


def source_of_address(address: str) -> str:
    """The input file that makes a permanent page or file exist (for a finding about a lost address)."""
    parts = address.split("/")
    first = parts[0]
    if first in ("indicators", "api", "sets", "partners"):
        return "data/indicators.csv"
    if first == "themes":
        return "data/themes.csv"
    if first == "pages":
        return f"content/pages/{parts[1]}.md"
    if first == "data" and len(parts) == 2 and parts[1].endswith((".csv", ".zip")) and \
            parts[1] not in ("results.csv", "revisions.csv", "assessed-results.csv"):
        return "data/datapackage.yaml"  # a resource of the package, or the package's zip, named there
    if first == "data" and len(parts) > 2 and parts[1] == "releases":
        return "data/datapackage.yaml"  # the zip is named after the package
    if address in (PAGE_KINDS["search"], PAGE_KINDS["sitemap"]):
        return "site.yaml"  # search: and base_url
    return "data/results.csv"


def fix_for_address(address: str) -> Message | None:
    """How to keep a lost address, where the rule's general advice does not say it; None otherwise."""
    first = address.split("/", 1)[0]
    if first in ("sets", "partners"):
        # the column of indicators.csv, as named in the data contract
        return Message.of(N_("Keep at least one indicator with that %(column)s in indicators.csv (retire it rather "
                             "than delete it or change its %(column)s: a retired indicator keeps the page); the "
                             "address is made from the %(column)s's name, so check its spelling too."),
                          column="set" if first == "sets" else "source")
    if address == PAGE_KINDS["search"]:
        return Message.of(N_("Turn search back on in site.yaml (search: true): the search page was published."))
    if address == PAGE_KINDS["sitemap"]:
        return Message.of(N_("Give base_url in site.yaml as a full address again (https://…): the sitemap needs it."))
    if source_of_address(address) == "data/datapackage.yaml":
        return Message.of(N_("Keep the data package's name and resources in data/datapackage.yaml as they were: "
                             "downloads are named after them."))
    return None
