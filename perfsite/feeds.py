"""The site's Atom feed (an entry per release) and its sitemap, from the assessed site.

Dates come from git (the release's commit), never from the clock, so that the same
commit builds the same feed. The feed's words are the catalogue's, in the site's language.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator

from .assess import AssessedSite
from .formatting import ENGLISH_FORMATS, Formats
from .urls import path_for


def atom_feed(site: AssessedSite, address, formats: Formats = ENGLISH_FORMATS) -> bytes:
    """One entry per release, newest first; ``address(path)`` makes a page's full address."""
    _ = formats.language.gettext
    config = site.config
    feed = FeedGenerator()
    feed.id(address(path_for("overview")))
    feed.title(config.title)
    feed.subtitle(config.description or _("Performance reports of %(publisher)s.",
                                           publisher=config.organisation or config.title))
    feed.link(href=address(path_for("overview")), rel="alternate")
    feed.link(href=address(path_for("feed")), rel="self")
    feed.language(config.language)
    feed.generator("perfsite")
    if config.organisation:
        feed.author({"name": config.organisation})
    releases = site.history.releases
    newest = releases[-1].date if releases else site.build.build_date
    feed.updated(_midnight(newest))
    for release in releases:
        entry = feed.add_entry(order="prepend")
        report = address(path_for("report", period=release.period))
        entry.id(report)
        entry.title(_("Performance report, %(period)s", period=formats.period_title(release.period)))
        entry.link(href=report)
        entry.updated(_midnight(release.date))
        entry.published(_midnight(release.date))
        entry.summary(_("The figures for %(period)s, released on %(date)s (commit %(commit)s): %(message)s",
                        period=release.period.label, date=release.date.isoformat(), commit=release.short_commit,
                        message=release.message))
    return feed.atom_str(pretty=True)


def sitemap(pages: list[str], address) -> bytes:
    """Every page of the site, by its full address (a sitemap needs absolute addresses)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(address(page))}</loc></url>" for page in sorted(pages)]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
