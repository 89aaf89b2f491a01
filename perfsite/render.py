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
import pickle
import posixpath
import re
import sys
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

import jinja2
import yaml
from markupsafe import Markup

from . import __version__, formatting
from .api import indicator_document, indicators_document, json_text, provenance, site_document
from .assess import AssessedSite, IndicatorRecord, PartnershipReport, ScorecardLine, ThemeReport
from .cache import PICKLE_PROTOCOL, RenderCache, installed_version, perfsite_fingerprint
from .catalogue import RULES, Dimension
from .charts import ChartData, ChartPoint, ChartRenderer, ChartWords, font_fingerprint, results_marked
from .config import ChartSettings, SiteConfig
from .downloads import Download, DownloadListing, data_downloads, release_downloads
from .feeds import atom_feed, sitemap
from .findings import ValidationReport
from .formatting import ENGLISH_FORMATS, Formats
from .headlines import indicator_headline, theme_headline
from .i18n import ENGLISH, LOCALE_FOLDER, Language, Message, N_
from .periods import Period
from .rules import Direction, Status
from .search import SearchPages, cuts_copies, search_copy
from .source import SiteSource
from .stages import Progress, or_none
from .urls import file_for, path_for
from .views import IndicatorView, indicator_views
from .workers import InlineWorkers
from .write import Staging

STATIC_FILES = ("site.css",)
# Batches of indicators handed to the workers and not yet written, at most: memory holds
# their pages' contexts and charts (some megabytes a batch), and the workers have charts to
# draw while this process writes the other pages.
BATCHES_AHEAD = 4
# A drawn batch is written early (before the other pages are all written) only when the
# workers have fewer batches than this left to draw, to hand them another.
BATCHES_LEFT_TO_DRAW = 2
NOT_FOUND_PAGE = path_for("not_found")


@dataclass(frozen=True)
class NavigationItem:
    label: str
    target: str
    current: bool


@dataclass
class RenderedSite:
    """What the render stage wrote (the files themselves are in the staging folder)."""

    pages: int = 0  # HTML pages
    files: int = 0  # every file, pages included
    pages_rendered: int = 0
    pages_from_cache: int = 0
    files_unchanged: int = 0  # the same bytes as the previous output: hard-linked, not written
    charts_rendered: int = 0
    charts_from_cache: int = 0


OVERRIDE_FOLDER = "site_templates"


class SiteTemplates(jinja2.BaseLoader):
    """A site's own templates, by name, each compiled under its path in the site
    (site_templates/theme.html): a problem in one is then found, and said, at its line."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources

    def get_source(self, environment: jinja2.Environment, name: str) -> tuple[str, str, Callable[[], bool]]:
        if name not in self.sources:
            raise jinja2.TemplateNotFound(name)
        return self.sources[name], f"{OVERRIDE_FOLDER}/{name}", lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.sources)


class SiteTemplateError(Exception):
    """A template of the site's own (site_templates/) that cannot be rendered: the site's to
    mend, not a fault in perfsite. Said in an i18n.Message (str() of the error is its English);
    ``file`` and ``line`` say where, for an annotation on it."""

    def __init__(self, message: Message, file: str, line: int) -> None:
        super().__init__(message)
        self.file, self.line = file, line

    def __reduce__(self):  # rebuilt with its place when it comes back from a worker process
        return type(self), (self.args[0], self.file, self.line)


def site_template_at_fault(problem: BaseException) -> Optional[tuple[str, int]]:
    """The site's own template, and its line, where a template problem arose (the innermost
    of the site's templates on the way to it: a built-in macro handed the wrong thing by the
    site's page is the page's to mend); None when none of the site's templates is involved.
    Jinja puts a template's frames in the traceback, a syntax error's too, at the template's
    file (SiteTemplates names it) and line."""
    found = None
    trace = problem.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.startswith(OVERRIDE_FOLDER + "/"):
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found


def rendered(environment: jinja2.Environment, name: str, **context: Any) -> str:
    """A template rendered, a problem in one of the site's own templates said as the site's:
    Jinja's (a name it is not handed, a syntax error) or Python's (a filter handed the wrong
    things, a division by zero) when the problem arose in the site's template."""
    try:
        return environment.get_template(name).render(**context)
    except Exception as problem:  # noqa: BLE001 - raised again as it is unless a site template is at fault
        at_fault = site_template_at_fault(problem)
        if at_fault is None:
            raise
        file, line = at_fault
        said = str(problem) if isinstance(problem, jinja2.TemplateError) else f"{type(problem).__name__}: {problem}"
        raise SiteTemplateError(Message.of(N_(
            "The site's template %(file)s could not be used at line %(line)s: %(problem)s. See what each template "
            "is handed in perfsite's docs/templates.md; mend the template, or delete it from site_templates/ "
            "to use perfsite's own."), file=file, line=str(line), problem=said), file, line) from None


def template_environment(overrides: Optional[dict[str, str]] = None, language: Language = ENGLISH
                         ) -> jinja2.Environment:
    """Built-in templates, overridable file by file by the site's site_templates/ folder
    (``overrides``: name -> source, read through the site's source, so that a build of a
    past revision uses that revision's templates), writing in ``language`` (its
    catalogue's words, Babel's formats)."""
    loaders: list[jinja2.BaseLoader] = []
    if overrides:
        loaders.append(SiteTemplates(overrides))
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
    install_gettext(environment, language.translations)
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


def install_gettext(environment: jinja2.Environment, translations) -> None:
    """The i18n extension's gettext, ngettext and ``_`` for ``translations``, newstyle (they
    escape what they insert and fill in %(name)s themselves), doing what the extension's do.

    The extension's take the whole template context (``_`` looks ``gettext`` up in it at
    each call), and a context-taking function called in a loop or a block that sets a
    variable is handed a new context made for the call: a page calls them hundreds of times
    (tens of thousands on a big scorecard). These take the evaluation context only, which
    says whether to escape, and nothing is made for a call."""
    environment.install_gettext_translations(translations, newstyle=True)  # pgettext, npgettext, the settings
    # the translations' functions as the extension chooses them
    text_of = getattr(translations, "ugettext", None) or translations.gettext
    plural_of = getattr(translations, "ungettext", None) or translations.ngettext

    @jinja2.pass_eval_context
    def gettext(evaluation: jinja2.nodes.EvalContext, message: str, /, **variables: Any) -> str:
        text = text_of(message)
        if evaluation.autoescape:
            text = Markup(text)
        if not variables and "%" not in text:
            return text  # what formatting it would give, without Markup's formatting (most calls)
        return text % variables  # always a format string, as the extension's: "%%" is "%"

    @jinja2.pass_eval_context
    def ngettext(evaluation: jinja2.nodes.EvalContext, singular: str, plural: str, number: int, /,
                 **variables: Any) -> str:
        variables.setdefault("num", number)
        text = plural_of(singular, plural, number)
        if evaluation.autoescape:
            text = Markup(text)
        return text % variables

    environment.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)


# ------------------------------------------------------------------ charts
def chart_for(record: IndicatorRecord, settings: ChartSettings, formats: Formats = ENGLISH_FORMATS
              ) -> Optional[ChartData]:
    """The trend chart of an indicator, with its one-sentence summary from the same numbers
    (each result marked with a point unless the series is too dense for ``settings``)."""
    if not has_chart(record):
        return None
    series = record.series
    indicator = record.indicator
    points = tuple(
        ChartPoint(
            label=result.period.label,
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
        marked=results_marked(len(points), settings),
    )


def has_chart(record: IndicatorRecord) -> bool:
    """An indicator has a trend chart when it has at least one figure."""
    return any(result.has_value for result in record.series)


# Each chart is drawn twice: at full width, and narrow for small screens (ChartData.narrow_variant).
SVGS_PER_CHART = 2


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
@dataclass(frozen=True)
class PackageOutline:
    """What every page shows of the data package (the footer): not its rows, so that a
    page's cache key covers only what the page can show."""

    title: Optional[str]
    version: Optional[str]
    pages: tuple  # the content pages linked from the footer


@dataclass(frozen=True)
class LatestReport:
    period: Any


@dataclass(frozen=True)
class ReportPlace:
    """What a theme's exception report, or a view, shows of the partnership's report: the
    period and where it stands among the reports, not the lines, so that a figure leaves the
    pages of the themes and views that do not list it in the cache."""

    period: Period
    previous: Optional[Period]
    next: Optional[Period]
    is_current: bool

    @classmethod
    def of(cls, report: PartnershipReport) -> "ReportPlace":
        return cls(report.period, report.previous, report.next, report.is_current)


@dataclass(frozen=True)
class SiteOutline:
    """What a report page sees of the site: which report is the latest."""

    current: Optional[LatestReport]


class IndicatorViews(tuple):
    """The views of the indicators (exceptions, sets, partners), as the indicator list links
    to them: one object, digested once a build."""


@dataclass(frozen=True)
class ViewLink:
    """What a view page shows of the other views: the link to each, not its lines, so that a
    figure leaves the pages of the views that do not list it in the cache."""

    kind: str  # "exceptions", "set" or "partner"
    name: str
    path: str


# Objects that many pages show: each is digested once a build for the pages' keys (the
# site's settings and the package's outline are handed to every page). A view is digested
# once a build, not once more a page (a national site's views list every indicator: 3.6 s a key).
SHARED_IN_PAGES = (IndicatorRecord, PartnershipReport, ThemeReport, IndicatorViews, IndicatorView, SiteConfig,
                   PackageOutline)
# Objects whose records are keyed by their outline (record_outline): what their templates show.
OUTLINED_IN_PAGES = (PartnershipReport, ThemeReport, IndicatorViews, IndicatorView)


def record_outline(record: IndicatorRecord) -> tuple:
    """What a report, a scorecard or a view shows of an indicator's record (the rest of a
    line is its result as at the report's period): templates reach a line's record only
    for these (a test keeps it so), so a figure corrected in one period leaves the keys
    of the reports of other periods unchanged."""
    return (record.indicator, record.theme)


@dataclass(frozen=True)
class PageLinks:
    """``url`` and ``link`` of one page: addresses relative to it (picklable, so that a
    page can be rendered in another process or on another machine)."""

    here: str  # the folder of the page's file
    base_url: str
    absolute: bool  # the 404 page is served at any address, so its links cannot be relative

    def url(self, target: str) -> str:
        if self.absolute:
            return target if target.startswith(("http://", "https://", "mailto:")) else self.base_url + target
        return _relative(self.here, target)

    def link(self, kind: str, **keys: Any) -> str:
        """The address of a page kind (perfsite/urls.py), relative to this page."""
        return self.url(path_for(kind, **keys))


@dataclass(frozen=True)
class PageTask:
    """One page to render: a template and exactly what it may show."""

    template: str
    file_path: str
    context: dict


@dataclass(frozen=True)
class TemplateSet:
    """The templates a build renders with: the built-in ones of this perfsite, and the
    site's overrides as read through its source, in the site's language (the setting,
    so that a worker process makes the same environment). ``fingerprint`` changes when
    any of them, or the message catalogues, do."""

    overrides: tuple[tuple[str, str], ...]  # (name, source) from site_templates/
    fingerprint: str
    language: str = ENGLISH.setting  # the site's language setting, "en-GB"

    @classmethod
    def of(cls, source: Optional[SiteSource], language: str = ENGLISH.setting) -> "TemplateSet":
        overrides = []
        if source is not None:
            for path in sorted(source.list_files(OVERRIDE_FOLDER)):
                overrides.append((path[len(OVERRIDE_FOLDER) + 1:], source.read_bytes(path).decode("utf-8")))
        digest = hashlib.sha256(__version__.encode())
        digest.update(_built_in_templates_fingerprint().encode())
        digest.update(f"\0{language}\0{_catalogues_fingerprint()}".encode())
        for name, text in overrides:
            digest.update(f"\0{name}\0{text}".encode())
        return cls(tuple(overrides), digest.hexdigest(), language)


# Libraries whose versions decide a page's or an API document's bytes after its key is made:
# Jinja and MarkupSafe write the HTML, Babel the numbers and dates (its locale data comes
# with its version), orjson the API's JSON. They are in every key, with Python's version.
RENDERING_LIBRARIES = ("jinja2", "markupsafe", "babel", "orjson")


@cache
def rendering_libraries() -> str:
    return "; ".join([f"python {sys.version}", *(f"{name} {installed_version(name)}" for name in RENDERING_LIBRARIES)])


@cache
def chart_engine() -> str:
    """The chart engine's version and the shipped font: they decide a chart's SVG."""
    return f"vl-convert {installed_version('vl-convert-python')}; font {font_fingerprint()}"


@cache
def _built_in_templates_fingerprint() -> str:
    digest = hashlib.sha256()
    folder = Path(__file__).parent / "templates"
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def _catalogues_fingerprint() -> str:
    """The message catalogues (perfsite/locale/): a changed translation re-renders the pages."""
    digest = hashlib.sha256()
    for path in sorted(LOCALE_FOLDER.rglob("*.po")):
        digest.update(path.relative_to(LOCALE_FOLDER).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


_ENVIRONMENTS: dict[str, jinja2.Environment] = {}


def environment_for(templates: TemplateSet) -> jinja2.Environment:
    """The Jinja environment of a template set, made once per process (templates compile once)."""
    environment = _ENVIRONMENTS.get(templates.fingerprint)
    if environment is None:
        environment = template_environment(dict(templates.overrides), Language.for_setting(templates.language))
        _ENVIRONMENTS.clear()  # one build's templates at a time
        _ENVIRONMENTS[templates.fingerprint] = environment
    return environment


def render_page(templates: TemplateSet, task: PageTask) -> str:
    """One page's HTML: a pure function of the templates and the page's context."""
    links: PageLinks = task.context["links"]
    return rendered(environment_for(templates), task.template, url=links.url, link=links.link, **task.context)


def render_pages(templates: TemplateSet, tasks: Sequence[PageTask]) -> list[str]:
    """A batch of pages (one task for a worker process or a cluster)."""
    return [render_page(templates, task) for task in tasks]


# What every page template is handed, and what each is handed besides: the contract between
# perfsite and a site's own templates (docs/templates.md says what each name is; a test keeps
# the two the same). SiteRenderer.task refuses any other set of names, so a change here is a
# change a site that overrides the template must hear about.
EVERY_PAGE_CONTEXT = ("config", "package", "provenance", "title", "page_path", "navigation", "canonical", "links")
RENDER_TIME_NAMES = ("url", "link")  # added as a page is rendered, from its ``links``
PAGE_CONTEXTS: dict[str, tuple[str, ...]] = {
    "overview.html": ("report",),
    "themes.html": ("report", "site"),
    "theme.html": ("theme", "theme_report", "theme_names", "headline"),
    "indicators.html": ("report", "views", "site"),
    "view.html": ("view", "views", "report"),
    "indicator.html": ("record", "line", "replacement", "headline", "chart_data", "chart", "narrow_chart"),
    "glossary.html": ("glossary",),
    "reports.html": ("site",),
    "report.html": ("report", "published", "site"),
    "theme_report.html": ("report", "theme_report", "published", "site"),
    "page.html": ("content",),
    "data.html": ("downloads", "history", "site", "build", "quality"),
    "revisions.html": ("history", "release_zips"),
    "quality.html": ("rules_by_dimension", "groups_by_file", "rule_counts", "dimensions", "quality"),
    "search.html": ("search_base",),
    "not_found.html": (),
}
_HANDED = {template: {*EVERY_PAGE_CONTEXT, *names} for template, names in PAGE_CONTEXTS.items()}

# What an indicator page is handed that its key does not hold: the SVG, drawn from chart_data.
DRAWN_FROM_CONTEXT = ("chart", "narrow_chart")
# What an indicator page is handed that its key need not hold, because the names its key does
# hold decide it: its headline and chart data are made from its record and line in the site's
# language (the settings and perfsite's code are in every key's salt). They are made only for
# the pages that are rendered (SiteRenderer._start_charts), not for the pages in the cache.
MADE_FROM_CONTEXT = ("headline", "chart_data")
NOT_IN_KEY: dict[str, tuple[str, ...]] = {"indicator.html": DRAWN_FROM_CONTEXT + MADE_FROM_CONTEXT}

# Every page's footer says where its figures come from (commit, dates). It is rendered
# once per build and put in place of this marker, so that a cached page stays valid
# from one commit to the next. Text from the data is escaped, so it can never hold it.
PROVENANCE_SLOT = "<!--perfsite:provenance-->"
PROVENANCE_SLOT_BYTES = PROVENANCE_SLOT.encode("utf-8")


class SiteRenderer:
    """Renders the site into a staging folder, file by file, reusing unchanged pages."""

    def __init__(self, site: AssessedSite, report: ValidationReport, source: Optional[SiteSource],
                 charts: ChartRenderer, staging: Staging, cache: Optional[RenderCache] = None,
                 workers: Optional[Workers] = None, site_fingerprint: str = "",
                 progress: Optional[Progress] = None) -> None:
        self.site = site
        # told of the charts and pages as each batch is written, in this process (never in a worker)
        self.progress = or_none(progress)
        self.report = report
        # the site's language, for this build only (checked when site.yaml was read)
        self.language = Language.for_setting(site.config.language)
        self.formats = Formats(self.language)
        self.templates = TemplateSet.of(source, site.config.language)
        self.env = environment_for(self.templates)
        self.charts = charts
        self.staging = staging
        self.workers = workers or InlineWorkers()
        self.cache = cache or RenderCache(None)
        # objects many pages show are digested once a build (perfsite/cache.py, Fingerprints)
        self.cache.fingerprints.shared = SHARED_IN_PAGES
        self.cache.fingerprints.outlines = {IndicatorRecord: record_outline}
        self.cache.fingerprints.outlined_in = OUTLINED_IN_PAGES
        self.cache.salt(self.templates.fingerprint, perfsite_fingerprint(), chart_engine(), rendering_libraries(),
                        repr(site.config))
        self.api_frame = (site.config.base_url, provenance(site))  # what each API document shows beside its record
        # pages that are handed the whole site are re-rendered whenever any input changes
        self.site_fingerprint = site_fingerprint or hashlib.sha256(pickle.dumps(site, PICKLE_PROTOCOL)).hexdigest()
        self.summary = RenderedSite()
        # the indicator batches not yet handed out, and those on the workers (render())
        self._batches: deque[Sequence[IndicatorRecord]] = deque()
        self._drawing: deque[_IndicatorBatch] = deque()
        self._writing_drawn = False
        self._lines: dict[str, ScorecardLine] = {}  # each indicator's line in its lead theme's scorecard
        for theme_report in (site.current.themes if site.current else ()):
            for line in theme_report.lines:
                self._lines.setdefault(line.record.indicator.id, line)
        self.search_pages: Optional[SearchPages] = None  # while render() runs, with search on
        self.provenance = Markup(rendered(self.env, "partials/provenance.html", build=site.build, package=site.package,
                                          config=site.config).rstrip("\n"))
        self._provenance_bytes = self.provenance.encode("utf-8")
        # a page's copy for search is the same made before its provenance line is put in
        # as after, unless the line holds markup the copy is cut by (_search_copy)
        self._copies_before_provenance = not cuts_copies(self.provenance)
        self.outline = PackageOutline(site.package.title, site.package.version, tuple(site.package.pages))
        _ = self.language.gettext
        self.navigation = [
            (_("Overview"), path_for("overview")),
            (_("Themes"), path_for("themes")),
            (_("Indicators"), path_for("indicators")),
            (_("Reports"), path_for("reports")),
            (_("Data"), path_for("data")),
        ]

    # ------------------------------------------------------------ helpers
    def task(self, template: str, path: str, title: str, **context: Any) -> PageTask:
        """What one page shows, and nothing more: templates see only this (and undefined
        names fail), so the page's cache key, made from it, covers everything on the page."""
        file_path = file_for(path)
        base_url = self.site.config.base_url
        section = path.split("/", 1)[0]
        navigation = tuple(
            NavigationItem(label, target, (target.split("/", 1)[0] == section) if target else path == "")
            for label, target in self.navigation
        )
        handed = dict(
            config=self.site.config, package=self.outline, provenance=Markup(PROVENANCE_SLOT),
            title=title, page_path=path, navigation=navigation, canonical=self._canonical(path),
            links=PageLinks(posixpath.dirname(file_path), base_url, path == NOT_FOUND_PAGE), **context,
        )
        if template not in _HANDED or handed.keys() != _HANDED[template]:
            raise RuntimeError(f"{template} would be handed {sorted(handed)}, not the names EVERY_PAGE_CONTEXT and "
                               "PAGE_CONTEXTS give it (docs/templates.md): change both, and tell the sites that "
                               "override the template.")
        return PageTask(template, file_path, handed)

    def page(self, template: str, path: str, title: str, **context: Any) -> None:
        """Render one HTML page to ``path`` (a folder's index.html, or a file), or take it
        from the cache when nothing it shows has changed."""
        task = self.task(template, path, title, **context)
        self.pages([(task, self.key_of(task))])

    def key_of(self, task: PageTask) -> str:
        """The page's cache key: its template, address and everything it is handed but what
        the rest decides (``NOT_IN_KEY``: an indicator page's SVGs, chart data and headline)."""
        left_out = NOT_IN_KEY.get(task.template, ())
        context = {name: value for name, value in task.context.items() if name not in left_out}
        return self.cache.key("page", task.template, task.file_path, self._keyable(context))

    def cached(self, kind: str, make: Callable[[], str], *inputs: Any) -> str:
        """A file that is a pure function of ``inputs`` (an API document), from the cache if made before."""
        key = self.cache.key(kind, *inputs)
        found = self.cache.get(key, kind)
        if found is not None:
            return found.decode("utf-8")
        text = make()
        self.cache.put(key, text.encode("utf-8"), kind)
        return text

    def pages(self, keyed: Sequence[tuple[PageTask, str]], found: Optional[dict[str, Optional[bytes]]] = None,
              uses: Optional[dict[str, list[Path]]] = None, indicator_pages: bool = False) -> None:
        """Write a batch of pages: those not in the cache are rendered together, on the workers.
        ``found``: the cache's answer for each key, when the caller has asked it already;
        ``uses``: the cached charts each page (by key) shows, kept in the cache with it;
        ``indicator_pages``: written between the other pages as their charts come back
        (their copies for search go before the other pages', ``SearchPages.add``)."""
        found = {key: self.cache.get(key) for _, key in keyed} if found is None else found
        missing = [(task, key) for task, key in keyed if found[key] is None]
        if missing:
            html = self.workers.map_shared(render_pages, self.templates, [task for task, _ in missing])
            for (task, key), text in zip(missing, html):
                found[key] = text.encode("utf-8")
                self.cache.put(key, found[key], uses=(uses or {}).get(key, ()))
            self.summary.pages_rendered += len(missing)
        self.summary.pages_from_cache += len(keyed) - len(missing)
        for task, key in keyed:
            page = found[key]
            self.add(task.file_path, page.replace(PROVENANCE_SLOT_BYTES, self._provenance_bytes, 1), indicator_pages,
                     self._search_copy(key, page))
        self.progress.advance("pages", len(keyed))

    def _search_copy(self, key: str, page: bytes) -> Optional[str]:
        """The page's copy for search (search.search_copy), kept in the cache beside the page,
        so that a page taken from the cache is not read through again for it. It is made from
        the page before its provenance line is put in, the same copy as after when the line
        is not in it (the footer is after <main>) and holds no markup the copy is cut by;
        None otherwise (and without search), and the copy is made from the page as written."""
        if self.search_pages is None or not self._copies_before_provenance:
            return None
        kept = self.cache.get(key, "copies")
        if kept is not None:
            return kept.decode("utf-8")
        copy = search_copy(page.decode("utf-8"))
        if PROVENANCE_SLOT in copy:
            return None
        self.cache.put(key, copy.encode("utf-8"), "copies")
        return copy

    def _keyable(self, context: dict) -> dict:
        """The context as its key covers it: the whole site by its fingerprint, and a
        validation report's set of escalated rules in order (a set's order is not stable)."""
        keyable = {}
        for name, value in context.items():
            if value is self.site:
                value = ("site", self.site_fingerprint)
            elif isinstance(value, ValidationReport):
                value = replace(value, escalated=tuple(sorted(value.escalated)))
            keyable[name] = value
        return keyable

    def add(self, path: str, content: str | bytes, indicator_page: bool = False, copy: Optional[str] = None) -> None:
        """Write a file; a page's copy goes to search (``copy``: when made already)."""
        self.staging.add(path, content)
        if self.search_pages is not None and path.endswith(".html"):
            # the indicator pages' copies go to Pagefind first, the others' after (SearchPages.add):
            # a build from the cache writes the indicator pages first, and they stream to Pagefind
            page = None  # read only when its copy is not made already
            if copy is None:
                page = content if isinstance(content, str) else content.decode("utf-8")
            self.search_pages.add(path, page, held=not indicator_page, copy=copy)
        self.summary.files += 1
        if path.endswith(".html"):
            self.summary.pages += 1
        if self._batches:
            self._write_drawn()  # between any two files: the workers are never kept waiting long

    def _canonical(self, path: str) -> Optional[str]:
        base = self.site.config.base_url
        return base + path if base.startswith(("http://", "https://")) else None

    # ----------------------------------------------------------- the site
    def page_total(self, views: Sequence) -> int:
        """How many pages render() writes, counted as it writes them (a test keeps the two
        the same): announced before the first, so that progress has its total."""
        site = self.site
        current = site.current
        reports = 0
        for report in site.reports:  # a report page and its theme reports, as released when it was
            published = site.published.get(report.period.slug)
            reports += 1 + len((published.report if published is not None and published.report is not None
                                else report).themes)
        return (2 + (len(current.themes) if current else 0)  # overview, themes, a page for each theme
                + len(site.themes if current is None else site.retired_themes)
                + 1 + len(views) + 1  # indicators, each view, glossary
                + len(site.records) + 1 + reports + len(site.package.pages)  # indicators, reports, content
                + 4 + (1 if site.config.search else 0))  # data, revisions, quality, not found; search

    def render(self) -> RenderedSite:
        # each page's copy for Pagefind, taken as the page is written (perfsite/search.py)
        search_pages = SearchPages() if self.site.config.search else None
        self.search_pages = search_pages
        try:
            return self._render()
        finally:
            if search_pages is not None:  # Pagefind stopped if the build failed before its index was in
                search_pages.close()

    def _render(self) -> RenderedSite:
        site = self.site
        _ = self.language.gettext
        current = site.current
        views = IndicatorViews(indicator_views(current, self.language, site.retired_records))
        self.progress.start("charts", SVGS_PER_CHART * sum(1 for record in site.records if has_chart(record)))
        self.progress.start("pages", self.page_total(views))
        # The indicators' charts are most of a cold build's work, so they go to the workers
        # first, and this process writes every other page while they are drawn, and a drawn
        # batch's indicator pages before the end only to hand the workers more (_write_drawn).
        self._batches = self._indicator_batches()
        self._draw_ahead()
        self.page("overview.html", path_for("overview"), site.config.title, report=current)
        self.page("themes.html", path_for("themes"), _("Themes"), report=current, site=site)
        theme_names = {theme.id: theme.name for theme in site.themes}
        for theme_report in (current.themes if current else ()):
            self.page("theme.html", path_for("theme", theme=theme_report.theme), theme_report.theme.name,
                      theme=theme_report.theme, theme_report=theme_report, theme_names=theme_names,
                      headline=theme_headline(theme_report.theme.name, theme_report.counts, theme_report.period,
                                                          self.formats))
        # without a report every theme, else the retired ones, get a page without a scorecard
        for theme in (site.themes if current is None else site.retired_themes):
            self.page("theme.html", path_for("theme", theme=theme), theme.name, theme_report=None, theme=theme,
                      theme_names=theme_names, headline=None)
        self.page("indicators.html", path_for("indicators"), _("Indicators"), report=current, views=views, site=site)
        view_links = tuple(ViewLink(view.kind, view.name, view.path) for view in views)
        current_place = ReportPlace.of(current) if current else None  # views exist only with a current report
        for view in views:
            self.page("view.html", view.path, view.title, view=view, views=view_links, report=current_place)
        self.page("glossary.html", path_for("glossary"), _("Glossary"), glossary=glossary_entries(self.language))
        self.page("reports.html", path_for("reports"), _("Reports"), site=site)
        latest = SiteOutline(LatestReport(current.period) if current else None)
        for report in site.reports:
            published = site.published.get(report.period.slug)
            if published is not None and published.report is not None:
                # the report as released, with today's navigation between reports
                report = replace(published.report, previous=report.previous, next=report.next,
                                 is_current=report.is_current)
            self.page("report.html", path_for("report", period=report.period),
                      _("Partnership performance report, %(period)s", period=report.period.label), report=report,
                      published=published, site=latest)
            place = ReportPlace.of(report)
            tasks = [self.task("theme_report.html",
                               path_for("theme_report", period=report.period, theme=theme_report.theme),
                               _("%(theme)s exception report, %(period)s", theme=theme_report.theme.name,
                                 period=report.period.label),
                               report=place, theme_report=theme_report, published=published, site=latest)
                     for theme_report in report.themes]
            self.pages([(task, self.key_of(task)) for task in tasks])
        for page in site.package.pages:
            self.page("page.html", path_for("page", page=page), page.title, content=page)
        downloads = self._downloads(data_downloads(site, self.report))
        release_files = self._downloads(release_downloads(site))
        self.page("data.html", path_for("data"), _("Data"), downloads=downloads, history=site.history,
                  site=site, build=site.build, quality=self.report)
        self.page("revisions.html", path_for("revisions"), _("Releases and revisions"), history=site.history,
                  release_zips={d.path.split("/")[2]: d for d in release_files if d.path.endswith(".zip")})
        self.page("quality.html", path_for("quality"), _("Data quality"), rules_by_dimension=_rules_by_dimension(),
                  groups_by_file=self.report.groups_by_file(self.report.examples),
                  rule_counts=self.report.rule_counts(), dimensions=list(Dimension), quality=self.report)
        self.add(path_for("api_indicators"), json_text(indicators_document(site)))
        self.add(path_for("api_site"), json_text(site_document(site)))
        self.page("not_found.html", path_for("not_found"), _("Page not found"))
        for name in STATIC_FILES:
            self.add(path_for("asset", name=name), self.env.loader.get_source(self.env, f"static/{name}")[0])
        self._write_drawn(wait=True)  # the indicator pages are in: the index puts the others after them
        index = None
        if site.config.search:
            # every page but the 404 and the search page itself (rendered after the index is
            # asked for); Pagefind makes the index while the files no one searches are written
            index = self.search_pages.start_index(self.cache)
            self.search_pages = None  # the pages written from here on are not indexed
            self.page("search.html", path_for("search"), _("Search"),
                      search_base=urlsplit(site.config.base_url).path or "/")
        for record in site.records:
            self.add(path_for("api_indicator", indicator=record.indicator),
                     self.cached("api", lambda: json_text(indicator_document(site, record)), record, self.api_frame))
        self.add(path_for("feed"), atom_feed(site, self._address, self.formats))
        if index is not None:
            for path, content in index.files().items():
                self.add(path, content)
        pages = [path.removesuffix("index.html") for path in self.staging.paths
                 if path.endswith(".html") and path != NOT_FOUND_PAGE]
        robots = "User-agent: *\nAllow: /\n"
        if self._canonical("") is not None:  # a sitemap needs the site's full address (base_url)
            self.add(path_for("sitemap"), sitemap(pages, self._address))
            robots += f"Sitemap: {self._address(path_for('sitemap'))}\n"
        self.add("robots.txt", robots)
        self.summary.charts_rendered = self.charts.rendered
        self.summary.charts_from_cache = self.charts.from_cache
        self.summary.files_unchanged = self.staging.linked
        return self.summary

    def _indicator_batches(self) -> deque[Sequence[IndicatorRecord]]:
        """The indicators a batch at a time (``charts.batch``): memory holds a few batches'
        pages and charts, however many indicators the site has."""
        records = self.site.records
        batch = max(1, self.site.config.charts.batch)
        return deque(records[start:start + batch] for start in range(0, len(records), batch))

    def _draw_ahead(self) -> None:
        """Hand the workers batches until BATCHES_AHEAD are handed out and not written."""
        while self._batches and len(self._drawing) < BATCHES_AHEAD:
            self._drawing.append(self._start_batch(self._batches.popleft()))

    def _write_drawn(self, wait: bool = False) -> None:
        """Write the oldest batches of indicator pages whose charts are drawn when the workers
        are running out of charts to draw, and hand them more; with ``wait``, every batch left,
        each as soon as it is drawn.

        Between the other pages, this process writes a drawn batch only to keep the workers
        going: the charts are the longer work, so the other pages are best written while
        they are drawn, and the indicator pages, which need them, after. The bytes written do
        not depend on when (``SearchPages.add``)."""
        if self._writing_drawn:  # called again from the files of the batch being written
            return
        self._writing_drawn = True
        try:
            while self._drawing and (wait or (self._batches and self._drawing[0].drawing.ready()
                                              and self._left_to_draw() < BATCHES_LEFT_TO_DRAW)):
                batch = self._drawing.popleft()
                self._draw_ahead()  # before this batch is written, so that the workers go on
                self._finish_batch(batch)
        finally:
            self._writing_drawn = False

    def _left_to_draw(self) -> int:
        return sum(1 for batch in self._drawing if not batch.drawing.ready())

    def _start_batch(self, records: Sequence[IndicatorRecord]) -> "_IndicatorBatch":
        """A batch's indicator pages, with their charts handed to the workers."""
        site = self.site
        tasks = []
        for record in records:
            indicator = record.indicator
            line = self._lines.get(indicator.id)
            replacement = (site.record(indicator.replaced_by).indicator if indicator.replaced_by else None)
            tasks.append(self.task(
                "indicator.html", path_for("indicator", indicator=indicator), f"{indicator.id}: {indicator.title}",
                record=record, line=line, replacement=replacement,
                headline=None, chart=None, narrow_chart=None, chart_data=None))  # MADE_FROM_CONTEXT: if rendered
        return self._start_charts(records, tasks)

    def _start_charts(self, records: Sequence, tasks: list[PageTask]) -> "_IndicatorBatch":
        """Hand the batch's charts to the workers, only those of the pages not in the cache.

        A page's key holds its record and line, which with the settings, perfsite's code and
        the chart engine's version in every key decide its headline, chart data and SVG
        (``NOT_IN_KEY``); so the key is made first, and those are made only for the pages
        that are rendered."""
        keyed = [(task, self.key_of(task)) for task in tasks]
        found = {key: self.cache.get(key) for _, key in keyed}
        for task, key in keyed:
            if found[key] is None:
                self._make_from_context(task)
        drawn = [(task, key) for task, key in keyed if found[key] is None and task.context["chart_data"] is not None]
        charts = [chart for task, _ in drawn
                  for chart in (task.context["chart_data"], task.context["chart_data"].narrow_variant())]
        drawing = self.charts.start(charts, self.workers)
        return _IndicatorBatch(records, keyed, found, drawn, drawing)

    def _make_from_context(self, task: PageTask) -> None:
        """An indicator page's MADE_FROM_CONTEXT, from its record and line."""
        record, line = task.context["record"], task.context["line"]
        task.context["headline"] = indicator_headline(record.indicator, line.result if line else record.latest,
                                                      self.formats)
        task.context["chart_data"] = chart_for(record, self.site.config.charts, self.formats)

    def _finish_batch(self, batch: "_IndicatorBatch") -> None:
        """Write a batch's pages, once its charts are drawn (their API documents are written
        at the end, while the search index is made)."""
        svgs = batch.drawing.result()
        kept = batch.drawing.cached_paths()
        uses = {}
        for task, key in batch.drawn:
            chart = task.context["chart_data"]
            task.context["chart"] = Markup(svgs[chart.key])
            task.context["narrow_chart"] = Markup(svgs[f"{chart.key}-narrow"])
            uses[key] = [kept[k] for k in (chart.key, f"{chart.key}-narrow") if k in kept]
        # the charts of the pages taken from the cache come with them, ready drawn
        charted = sum(1 for task, _ in batch.keyed if has_chart(task.context["record"]))
        self.progress.advance("charts", SVGS_PER_CHART * charted)
        self.pages(batch.keyed, batch.found, uses, indicator_pages=True)

    def _downloads(self, downloads: Sequence[Download]) -> tuple[DownloadListing, ...]:
        """Write the files; keep what the pages say of them (their bytes are not held)."""
        for download in downloads:
            self.add(download.path, download.content)
        return tuple(download.listing() for download in downloads)

    def _address(self, path: str) -> str:
        """A page's address for feeds and sitemaps: full when base_url is, else from the site root."""
        return self.site.config.base_url + path


@dataclass
class _IndicatorBatch:
    """One batch of indicator pages whose charts are being drawn."""

    records: Sequence
    keyed: list  # (task, key) of every page of the batch
    found: dict
    drawn: list  # (task, key) of the pages to render, whose charts are being drawn
    drawing: object  # charts.PendingCharts


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
    relative = _relative_folder(folder, here)
    if target.endswith("/") or target == "":
        return "./" if relative == "." else relative + "/"
    name = posixpath.basename(target)
    return name if relative == "." else f"{relative}/{name}"


def _relative_folder(folder: str, here: str) -> str:
    """``posixpath.relpath(folder or ".", here or ".")`` for two site folders. A page has a
    few dozen links (thousands on a scorecard), and relpath makes both paths absolute
    against the working directory first (a system call each); site paths from the registry
    are plain (no ".", "..", "//" or leading "/"), so their segments are compared directly,
    and anything else goes to relpath."""
    if not (_is_plain(folder) and _is_plain(here)):
        return posixpath.relpath(folder or ".", here or ".")
    to, start = _segments(folder), _segments(here)
    common = 0
    for a, b in zip(to, start):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def _is_plain(path: str) -> bool:
    return not path.startswith(("/", ".")) and "//" not in path and "/." not in path


def _segments(path: str) -> list[str]:
    return path.rstrip("/").split("/") if path else []

