"""Stage 5, render: every page, chart, download and API file of the site, as bytes.

Rendering is a pure function of the assessed site: the same input gives the same
bytes. Templates receive domain objects and formatting filters; they decide how
things look, never what the figures are. Jinja autoescaping is on for every
template, so text from the data can never become markup.

Every word perfsite writes comes from the message catalogue (perfsite/i18n.py), in
the language of the site's ``language`` setting: templates through Jinja's i18n
extension, sentences made here through the build's ``Language``.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

import jinja2
import yaml
from markupsafe import Markup

from . import __version__, formatting
from .api import indicator_document, indicators_document, site_document
from .assess import AssessedSite, IndicatorRecord, PartnershipReport, ScorecardLine
from .catalogue import RULES, Dimension
from .charts import ChartData, ChartPoint, ChartRenderer, ChartWords
from .downloads import data_downloads, release_downloads
from .feeds import atom_feed, sitemap
from .findings import ValidationReport
from .formatting import ENGLISH_FORMATS, Formats
from .headlines import indicator_headline, theme_headline
from .i18n import ENGLISH, Language
from .rules import Direction, Status
from .search import search_index
from .source import SiteSource
from .urls import file_for, path_for
from .views import indicator_views

STATIC_FILES = ("site.css",)
NOT_FOUND_PAGE = path_for("not_found")


@dataclass(frozen=True)
class NavigationItem:
    label: str
    target: str
    current: bool


@dataclass
class RenderedSite:
    files: dict[str, bytes] = field(default_factory=dict)  # site path -> content
    charts_rendered: int = 0
    charts_from_cache: int = 0

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.files:
            raise ValueError(f"two outputs would be written to {path}")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content


OVERRIDE_FOLDER = "site_templates"


class SiteTemplateLoader(jinja2.BaseLoader):
    """The site's own templates (site_templates/), read through the site's source, so
    that a build of a past revision uses that revision's templates."""

    def __init__(self, source: SiteSource) -> None:
        self.source = source

    def get_source(self, environment, template):  # type: ignore[override]
        path = f"{OVERRIDE_FOLDER}/{template}"
        if not self.source.exists(path):
            raise jinja2.TemplateNotFound(template)
        return self.source.read_bytes(path).decode("utf-8"), None, lambda: True

    def list_templates(self) -> list[str]:
        return [p[len(OVERRIDE_FOLDER) + 1:] for p in self.source.list_files(OVERRIDE_FOLDER)]


def template_environment(source: Optional[SiteSource], language: Language = ENGLISH) -> jinja2.Environment:
    """Built-in templates, overridable file by file from the site's site_templates/ folder,
    writing in ``language`` (its catalogue's words, Babel's formats)."""
    loaders: list[jinja2.BaseLoader] = []
    if source is not None:
        loaders.append(SiteTemplateLoader(source))
    loaders.append(jinja2.PackageLoader("perfsite", "templates"))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # newstyle: _() and {% trans %} escape what they insert, and fill %(name)s themselves
    environment.install_gettext_translations(language.translations, newstyle=True)
    formats = Formats(language)
    environment.globals["path_for"] = path_for  # page addresses, from the one registry (urls.py)
    environment.filters.update(
        figure=lambda value, indicator, with_unit=True: formats.figure(
            value, indicator.unit, indicator.decimals, with_unit),
        figure_parts=lambda value, indicator: formats.figure_parts(value, indicator.unit, indicator.decimals),
        separate_unit=lambda indicator: formatting.separate_unit(indicator.unit),
        money=formats.money,
        variance=formats.variance,
        date=formats.long_date,
        number=formats.number,
        period_title=formats.period_title,
        # Text marked for the catalogue in Python (N_), translated as plain text, so that it is
        # escaped like any other value; _() in a template marks its literal text as markup.
        translated=language.translate,
    )
    environment.globals.update(
        STATUS_LABELS=formats.labels(formatting.STATUS_LABELS),
        STATUS_EXPLANATIONS=formats.labels(formatting.STATUS_EXPLANATIONS),
        DIRECTION_LABELS=formats.labels(formatting.DIRECTION_LABELS),
        DIRECTION_ARROWS=formatting.DIRECTION_ARROWS,
        EXCEPTION_LABELS=formats.labels(formatting.EXCEPTION_LABELS),
        EXCEPTION_IN_SENTENCE=formats.labels(formatting.EXCEPTION_IN_SENTENCE),
        FORECAST_LABELS=formats.labels(formatting.FORECAST_LABELS),
        POLARITY_LABELS=formats.labels(formatting.POLARITY_LABELS),
        INTERVENTION_LABELS=formats.labels(formatting.INTERVENTION_LABELS),
        INTERVENTION_SHORT=formats.labels(formatting.INTERVENTION_SHORT),
        DATA_STATUS_LABELS=formats.labels(formatting.DATA_STATUS_LABELS),
        FREQUENCY_LABELS=formats.labels(formatting.FREQUENCY_LABELS),
        SEVERITY_LABELS=formats.labels(formatting.SEVERITY_LABELS),
        DIMENSION_LABELS=formats.labels(formatting.DIMENSION_LABELS),
        DIMENSION_IN_SENTENCE=formats.labels(formatting.DIMENSION_IN_SENTENCE),
        Status=Status,
        Direction=Direction,
        generator_version=__version__,
    )
    return environment


# ------------------------------------------------------------------ charts
def chart_for(record: IndicatorRecord, formats: Formats = ENGLISH_FORMATS) -> Optional[ChartData]:
    """The trend chart of an indicator, with its one-sentence summary from the same numbers."""
    series = record.series
    if not any(result.has_value for result in series):
        return None
    indicator = record.indicator
    points = tuple(
        ChartPoint(
            label=result.period.label,
            order=result.period.first_month_index,
            value=_float(result.value),
            provisional=result.provisional,
            target=_float(result.target.target) if result.target else None,
            monitoring_level=_float(result.target.monitoring_level) if result.target else None,
        )
        for result in series
    )
    return ChartData(
        key=indicator.slug,
        title=formats.language.gettext("Trend chart: %(indicator)s", indicator=indicator.title),
        summary=chart_summary(record, formats),
        unit_label=indicator.unit,
        points=points,
        words=chart_words(formats.language),
    )


def chart_words(language: Language) -> ChartWords:
    """The words of a chart's key, in the build's language."""
    _ = language.gettext
    return ChartWords(result=_("Result"), target=_("Target"), monitoring_level=_("Monitoring level"),
                      final=_("Final"), provisional=_("Provisional"))


def chart_summary(record: IndicatorRecord, formats: Formats = ENGLISH_FORMATS) -> str:
    """One sentence: the latest figure against target, direction, and the series' range."""
    language = formats.language
    _ = language.gettext
    indicator = record.indicator
    valued = [r for r in record.series if r.has_value]
    latest = valued[-1]

    def show(value) -> str:
        return formats.figure(value, indicator.unit, indicator.decimals)

    parts = [_("%(indicator)s was %(figure)s in %(period)s",
               indicator=indicator.title, figure=show(latest.value), period=latest.period.label)]
    if latest.target is not None:
        parts.append(_(" against a target of %(target)s (%(status)s)", target=show(latest.target.target),
                       status=_(formatting.STATUS_IN_SENTENCE[latest.status])))
    if latest.compared_with is not None:
        parts.append(_(", %(direction)s compared with %(before)s in %(before_period)s",
                       direction=_(formatting.DIRECTION_IN_SENTENCE[latest.direction]),
                       before=show(latest.compared_value), before_period=latest.compared_with.label))
    if len(valued) > 1:
        low = min(valued, key=lambda r: (r.value, r.period.sort_key))
        high = max(valued, key=lambda r: (r.value, [-k for k in r.period.sort_key]))
        parts.append(_("; from %(first_period)s to %(period)s the lowest figure was %(lowest)s (%(lowest_period)s)"
                       " and the highest %(highest)s (%(highest_period)s)",
                       first_period=valued[0].period.label, period=latest.period.label,
                       lowest=show(low.value), lowest_period=low.period.label,
                       highest=show(high.value), highest_period=high.period.label))
    missing = sum(1 for r in record.series if not r.has_value)
    if missing:
        parts.append(language.ngettext("; %(num)s period has no figure", "; %(num)s periods have no figure", missing))
    return _("%(sentence)s.", sentence="".join(parts))


def _float(value) -> Optional[float]:
    if value is None:
        return None
    return float(value) if not isinstance(value, Fraction) else value.numerator / value.denominator


# ------------------------------------------------------------------- pages
class SiteRenderer:
    def __init__(self, site: AssessedSite, report: ValidationReport, source: Optional[SiteSource],
                 charts: ChartRenderer) -> None:
        self.site = site
        self.report = report
        # the site's language, for this build only (checked when site.yaml was read)
        self.language = Language.for_setting(site.config.language)
        self.formats = Formats(self.language)
        self.env = template_environment(source, self.language)
        self.charts = charts
        self.output = RenderedSite()
        _ = self.language.gettext
        self.navigation = [
            (_("Overview"), path_for("overview")),
            (_("Themes"), path_for("themes")),
            (_("Indicators"), path_for("indicators")),
            (_("Reports"), path_for("reports")),
            (_("Data"), path_for("data")),
        ]

    # ------------------------------------------------------------ helpers
    def page(self, template: str, path: str, title: str, **context: Any) -> None:
        """Render one HTML page to ``path`` (a folder's index.html, or a file)."""
        file_path = file_for(path)
        here = posixpath.dirname(file_path)
        base_url = self.site.config.base_url

        def url(target: str) -> str:
            if path == NOT_FOUND_PAGE:  # served at any address, so links cannot be relative
                return target if target.startswith(("http://", "https://", "mailto:")) else base_url + target
            return _relative(here, target)

        def link(kind: str, **keys: Any) -> str:
            """The address of a page kind (perfsite/urls.py), relative to this page."""
            return url(path_for(kind, **keys))

        section = path.split("/", 1)[0]
        navigation = [
            NavigationItem(label, target, (target.split("/", 1)[0] == section) if target else path == "")
            for label, target in self.navigation
        ]
        html = self.env.get_template(template).render(
            site=self.site, config=self.site.config, build=self.site.build, package=self.site.package,
            title=title, page_path=path, url=url, link=link, navigation=navigation,
            canonical=self._canonical(path), quality=self.report, **context,
        )
        self.output.add(file_path, html)

    def _canonical(self, path: str) -> Optional[str]:
        base = self.site.config.base_url
        return base + path if base.startswith(("http://", "https://")) else None

    # ----------------------------------------------------------- the site
    def render(self) -> RenderedSite:
        site = self.site
        _ = self.language.gettext
        wide = [chart for chart in (chart_for(r, self.formats) for r in site.records) if chart is not None]
        charts = wide + [chart.narrow_variant() for chart in wide]
        svgs = self.charts.render(charts)
        self.output.charts_rendered = self.charts.rendered
        self.output.charts_from_cache = self.charts.from_cache
        current = site.current
        self.page("overview.html", path_for("overview"), site.config.title, report=current)
        self.page("themes.html", path_for("themes"), _("Themes"), report=current)
        theme_names = {theme.id: theme.name for theme in site.themes}
        for theme_report in (current.themes if current else ()):
            self.page("theme.html", path_for("theme", theme=theme_report.theme), theme_report.theme.name,
                      theme_report=theme_report, report=current, theme_names=theme_names,
                      headline=theme_headline(theme_report.theme.name, theme_report.counts, theme_report.period,
                                                          self.formats))
        # without a report every theme, else the retired ones, get a page without a scorecard
        for theme in (site.themes if current is None else site.retired_themes):
            self.page("theme.html", path_for("theme", theme=theme), theme.name, theme_report=None, theme=theme,
                      report=None, theme_names=theme_names, headline=None)
        views = indicator_views(current, self.language)
        self.page("indicators.html", path_for("indicators"), _("Indicators"), report=current, views=views)
        for view in views:
            self.page("view.html", view.path, view.title, view=view, views=views, report=current)
        self.page("glossary.html", path_for("glossary"), _("Glossary"), glossary=glossary_entries(self.language))
        for record in site.records:
            line = _line_of(current, record)
            replacement = (site.record(record.indicator.replaced_by).indicator
                           if record.indicator.replaced_by else None)
            self.page("indicator.html", path_for("indicator", indicator=record.indicator),
                      f"{record.indicator.id}: {record.indicator.title}", record=record, line=line,
                      replacement=replacement,
                      headline=indicator_headline(record.indicator, line.result if line else record.latest,
                                                  self.formats),
                      chart=Markup(svgs[record.indicator.slug]) if record.indicator.slug in svgs else None,
                      narrow_chart=Markup(svgs[f"{record.indicator.slug}-narrow"]) if record.indicator.slug in svgs
                      else None,
                      chart_data=chart_for(record, self.formats))
        self.page("reports.html", path_for("reports"), _("Reports"))
        for report in site.reports:
            published = site.published.get(report.period.slug)
            if published is not None and published.report is not None:
                # the report as released, with today's navigation between reports
                report = replace(published.report, previous=report.previous, next=report.next,
                                 is_current=report.is_current)
            self.page("report.html", path_for("report", period=report.period),
                      _("Partnership performance report, %(period)s", period=report.period.label),
                      report=report, published=published)
            for theme_report in report.themes:
                self.page("theme_report.html", path_for("theme_report", period=report.period, theme=theme_report.theme),
                          _("%(theme)s exception report, %(period)s", theme=theme_report.theme.name,
                            period=report.period.label),
                          report=report, theme_report=theme_report, published=published)
        for page in site.package.pages:
            self.page("page.html", path_for("page", page=page), page.title, content=page)
        downloads = data_downloads(site, self.report)
        for download in downloads:
            self.output.add(download.path, download.content)
        release_files = release_downloads(site)
        for download in release_files:
            self.output.add(download.path, download.content)
        self.page("data.html", path_for("data"), _("Data"), downloads=downloads, history=site.history)
        self.page("revisions.html", path_for("revisions"), _("Releases and revisions"), history=site.history,
                  release_zips={d.path.split("/")[2]: d for d in release_files if d.path.endswith(".zip")})
        self.page("quality.html", path_for("quality"), _("Data quality"), rules_by_dimension=_rules_by_dimension(),
                  groups_by_file=self.report.groups_by_file(self.report.examples),
                  rule_counts=self.report.rule_counts(), dimensions=list(Dimension))
        self.output.add(path_for("api_indicators"), _json(indicators_document(site)))
        for record in site.records:
            self.output.add(path_for("api_indicator", indicator=record.indicator),
                            _json(indicator_document(site, record)))
        self.output.add(path_for("api_site"), _json(site_document(site)))
        self.page("not_found.html", path_for("not_found"), _("Page not found"))
        for name in STATIC_FILES:
            self.output.add(path_for("asset", name=name), self.env.loader.get_source(self.env, f"static/{name}")[0])
        if site.config.search:
            self.page("search.html", path_for("search"), _("Search"),
                      search_base=urlsplit(site.config.base_url).path or "/")
            pages = {path: content for path, content in self.output.files.items()
                     if path.endswith(".html") and path not in (NOT_FOUND_PAGE, file_for(path_for("search")))}
            for path, content in search_index(pages).items():
                self.output.add(path, content)
        self.output.add(path_for("feed"), atom_feed(site, self._address, self.formats))
        pages = [path.removesuffix("index.html") for path in self.output.files
                 if path.endswith(".html") and path != NOT_FOUND_PAGE]
        robots = "User-agent: *\nAllow: /\n"
        if self._canonical("") is not None:  # a sitemap needs the site's full address (base_url)
            self.output.add(path_for("sitemap"), sitemap(pages, self._address))
            robots += f"Sitemap: {self._address(path_for('sitemap'))}\n"
        self.output.add("robots.txt", robots)
        self.output.add(CHECKSUMS_FILE, checksums(self.output.files))
        return self.output

    def _address(self, path: str) -> str:
        """A page's address for feeds and sitemaps: full when base_url is, else from the site root."""
        return self.site.config.base_url + path


CHECKSUMS_FILE = "SHA256SUMS"


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    meaning: str

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


GLOSSARY_FILE = Path(__file__).parent / "glossary.yaml"


def glossary_entries(language: Language = ENGLISH) -> list[GlossaryEntry]:
    """The glossary's terms (perfsite/glossary.yaml, whose words are in the catalogue) in
    ``language``, alphabetically."""
    _ = language.gettext
    entries = yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8"))
    return sorted((GlossaryEntry(_(entry["term"]), _(entry["meaning"])) for entry in entries),
                  key=lambda e: e.term.lower())


def checksums(files: dict[str, bytes]) -> bytes:
    """A SHA-256 manifest of every output file, in the format of sha256sum (check with sha256sum -c)."""
    return "".join(f"{hashlib.sha256(files[path]).hexdigest()}  {path}\n" for path in sorted(files)).encode("utf-8")


def _line_of(report: Optional[PartnershipReport], record: IndicatorRecord) -> Optional[ScorecardLine]:
    if report is None:
        return None
    for theme_report in report.themes:
        for line in theme_report.lines:
            if line.record is record:
                return line
    return None


def _rules_by_dimension() -> dict[Dimension, list]:
    grouped: dict[Dimension, list] = {d: [] for d in Dimension}
    for rule in RULES.values():
        grouped[rule.dimension].append(rule)
    return grouped


def _relative(here: str, target: str) -> str:
    """A link from the folder ``here`` to the site path ``target`` (folders end with /)."""
    if target.startswith(("http://", "https://", "mailto:", "#")):
        return target
    folder = target if target.endswith("/") or target == "" else posixpath.dirname(target)
    relative = posixpath.relpath(folder or ".", here or ".")
    if target.endswith("/") or target == "":
        return "./" if relative == "." else relative + "/"
    name = posixpath.basename(target)
    return name if relative == "." else f"{relative}/{name}"


def _json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
