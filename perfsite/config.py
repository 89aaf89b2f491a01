"""Site settings: site.yaml over the documented defaults (defaults.yaml)."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, Callable, Optional

import yaml

from .findings import Finding
from .i18n import N_, Message
from .periods import Granularity, Period, PeriodError

SITE_CONFIG_FILE = "site.yaml"


@dataclass(frozen=True)
class RuleSettings:
    tolerance: Decimal
    direction_threshold: Decimal
    exceed_margin: Decimal
    review_points: Granularity
    forecast_points: int


@dataclass(frozen=True)
class ReportingSettings:
    frequency: Granularity
    publish_period: Optional[Period]
    months_a_result_stays_current: int


@dataclass(frozen=True)
class Timetable:
    collate_weeks: int
    exception_report_weeks: int
    partnership_report_weeks: int
    as_of: Optional[dt.date]

    def results_due(self, period: Period) -> dt.date:
        return period.end + dt.timedelta(weeks=self.collate_weeks)

    def exception_report_due(self, period: Period) -> dt.date:
        return self.results_due(period) + dt.timedelta(weeks=self.exception_report_weeks)

    def partnership_report_due(self, period: Period) -> dt.date:
        return self.exception_report_due(period) + dt.timedelta(weeks=self.partnership_report_weeks)


@dataclass(frozen=True)
class QualitySettings:
    outlier_threshold: Decimal
    min_series_length: int
    break_factor: Decimal
    break_min_relative_change: Decimal
    fast_path_min_bytes: int
    treat_as_errors: tuple[str, ...]
    report_examples: int


@dataclass(frozen=True)
class ChartSettings:
    width: int
    height: int
    narrow_width: int
    batch: int  # indicators whose charts and pages are rendered at a time
    marker_spacing: int  # pixels between results, at full width, for each to get a point (0: always)


@dataclass(frozen=True)
class CacheSettings:
    """How long the build's cache keeps what no build has used (see defaults.yaml, section cache)."""
    keep_days: int


@dataclass(frozen=True)
class CheckSettings:
    """What `check` asks of a built site (see defaults.yaml, section check)."""
    axe_tags: tuple[str, ...]
    lighthouse_min_accessibility: int
    lighthouse_timeout_seconds: int
    lighthouse_runs_at_once: int
    problems_shown: int


@dataclass(frozen=True)
class SiteConfig:
    title: str
    organisation: str
    description: str
    base_url: str
    language: str
    demonstration: bool
    contact: str
    licence: str
    repository_url: str
    search: bool
    rules: RuleSettings
    reporting: ReportingSettings
    timetable: Timetable
    quality: QualitySettings
    charts: ChartSettings
    cache: CacheSettings
    check: CheckSettings


class ConfigError(Exception):
    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


# ------------------------------------------------------------------ converters
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ValueError(Message.of(N_("must be a piece of text, not a list or a group of settings")))
    return str(value)


def _fraction(value: Any) -> Decimal:
    number = _decimal(value)
    if not 0 <= number <= 1:
        raise ValueError(Message.of(N_("must be a fraction between 0 and 1, written as a decimal like %(example)s "
                                       "for 5 %%"), example="0.05"))
    return number


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(Message.of(N_("must be a number, like 0.05")))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(Message.of(N_("must be a number written as a decimal, like %(example)s (no %% sign)"),
                                    example="0.05")) from None
    if not number.is_finite():
        raise ValueError(Message.of(N_("must be a number, like 0.05")))
    return number


def _positive_decimal(value: Any) -> Decimal:
    number = _decimal(value)
    if number <= 0:
        raise ValueError(Message.of(N_("must be a number above 0")))
    return number


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(Message.of(N_("must be a whole number, 0 or more")))
    return value


def _positive_count(value: Any) -> int:
    if _count(value) == 0:
        raise ValueError(Message.of(N_("must be a whole number above 0")))
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(Message.of(N_("must be true or false")))
    return value


def _frequency(value: Any) -> Granularity:
    try:
        return Granularity.for_frequency(str(value))
    except ValueError:
        raise ValueError(Message.of(N_("must be one of: monthly, quarterly, six-monthly, annual"))) from None


def _review_points(value: Any) -> Granularity:
    granularity = _frequency(value)
    if granularity is Granularity.MONTH:
        raise ValueError(Message.of(N_("must be one of: quarterly, six-monthly, annual")))
    return granularity


def _optional_period(value: Any) -> Optional[Period]:
    if value in (None, ""):
        return None
    try:
        return Period.parse(str(value))
    except PeriodError as problem:
        raise ValueError(problem.message) from None


def _optional_date(value: Any) -> Optional[dt.date]:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(Message.of(N_("must be a date written like 2011-05-13"))) from None


def _rule_ids(value: Any) -> tuple[str, ...]:
    from .catalogue import RULES

    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        raise ValueError(Message.of(N_("must be a list of rule ids, like [complete.no-target]")))
    unknown = [str(v) for v in value if str(v) not in RULES]
    if unknown:
        raise ValueError(Message.of(N_("names unknown rules: %(rules)s (the data-quality page lists every rule)"),
                                    rules=", ".join(unknown)))
    return tuple(str(v) for v in value)


def _words(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(Message.of(N_("must be a list of words, like [wcag2a, wcag2aa]")))
    return tuple(value)


def _percentage(value: Any) -> int:
    number = _count(value)
    if number > 100:
        raise ValueError(Message.of(N_("must be a whole number from 0 to 100")))
    return number


def _language(value: Any) -> str:
    """A language Babel knows (its month names, number formats and plural rules), written as
    in HTML's lang attribute: en-GB, cy. Kept as written, for the lang attribute."""
    from .i18n import babel_locale

    text = _text(value).strip()
    babel_locale(text)
    return text


def _base_url(value: Any) -> str:
    text = _text(value).strip() or "/"
    return text if text.endswith("/") else text + "/"


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "title": _text,
    "organisation": _text,
    "description": _text,
    "base_url": _base_url,
    "language": _language,
    "demonstration": _flag,
    "contact": _text,
    "licence": _text,
    "repository_url": _text,
    "search": _flag,
    "rules.tolerance": _fraction,
    "rules.direction_threshold": _fraction,
    "rules.exceed_margin": _fraction,
    "rules.review_points": _review_points,
    "rules.forecast_points": _positive_count,
    "reporting.frequency": _frequency,
    "reporting.publish_period": _optional_period,
    "reporting.months_a_result_stays_current": _positive_count,
    "timetable.collate_weeks": _count,
    "timetable.exception_report_weeks": _count,
    "timetable.partnership_report_weeks": _count,
    "timetable.as_of": _optional_date,
    "quality.outlier_threshold": _positive_decimal,
    "quality.min_series_length": _positive_count,
    "quality.break_factor": _positive_decimal,
    "quality.break_min_relative_change": _positive_decimal,
    "quality.fast_path_min_bytes": _count,
    "quality.treat_as_errors": _rule_ids,
    "quality.report_examples": _positive_count,
    "charts.width": _positive_count,
    "charts.height": _positive_count,
    "charts.narrow_width": _positive_count,
    "charts.batch": _positive_count,
    "charts.marker_spacing": _count,
    "cache.keep_days": _positive_count,
    "check.axe_tags": _words,
    "check.lighthouse_min_accessibility": _percentage,
    "check.lighthouse_timeout_seconds": _positive_count,
    "check.lighthouse_runs_at_once": _positive_count,
    "check.problems_shown": _positive_count,
}
SECTIONS = {key.split(".")[0] for key in CONVERTERS if "." in key}


def default_settings() -> dict[str, Any]:
    """The defaults, flattened to dotted keys (``rules.tolerance``)."""
    text = resources.files("perfsite").joinpath("defaults.yaml").read_text(encoding="utf-8")
    flat: dict[str, Any] = {}
    for key, value in yaml.safe_load(text).items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                flat[f"{key}.{inner}"] = inner_value
        else:
            flat[key] = value
    return flat


def load_config(text: Optional[str], file: str = SITE_CONFIG_FILE) -> SiteConfig:
    """Settings from the text of site.yaml (None when there is none) over the defaults.

    Raises ConfigError with every problem found, each naming the line.
    """
    settings = default_settings()
    lines: dict[str, int] = {}
    problems: list[Finding] = []

    def problem(message: Message, line: Optional[int], value: Any = None) -> None:
        problems.append(Finding("valid.site-config", file, message, row=line,
                                value=None if value is None else str(value)))

    if text is not None:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            # the YAML parser's own words (English), else ours
            reason = getattr(error, "problem", None) or Message.of(N_("the file is not valid YAML"))
            problem(Message.of(N_("%(file)s cannot be read: %(reason)s."), file=file, reason=reason), line)
            raise ConfigError(problems) from None
        if root is not None:
            if not isinstance(root, yaml.MappingNode):
                problem(Message.of(N_("%(file)s must be a list of “name: value” settings."), file=file),
                        root.start_mark.line + 1)
                raise ConfigError(problems)
            _read_mapping(root, "", settings, lines, problem)

    values: dict[str, Any] = {}
    for key, convert in CONVERTERS.items():
        try:
            values[key] = convert(settings.get(key))
        except ValueError as error:
            reason = error.args[0] if error.args and isinstance(error.args[0], Message) else str(error)
            # TRANSLATORS: %(reason)s is what the setting must be, a message of its own ("must be a number, like 0.05").
            problem(Message.of(N_("The setting “%(key)s” %(reason)s."), key=key, reason=reason),
                    lines.get(key), settings.get(key))
    if problems:
        raise ConfigError(problems)

    def section(name: str) -> dict[str, Any]:
        return {key.split(".", 1)[1]: value for key, value in values.items() if key.startswith(name + ".")}

    return SiteConfig(
        **{key: value for key, value in values.items() if "." not in key},
        rules=RuleSettings(**section("rules")),
        reporting=ReportingSettings(**section("reporting")),
        timetable=Timetable(**section("timetable")),
        quality=QualitySettings(**section("quality")),
        charts=ChartSettings(**section("charts")),
        cache=CacheSettings(**section("cache")),
        check=CheckSettings(**section("check")),
    )


def _read_mapping(node: yaml.MappingNode, prefix: str, settings: dict, lines: dict, problem) -> None:
    known = set(CONVERTERS) | SECTIONS
    for key_node, value_node in node.value:
        key = f"{prefix}{key_node.value}"
        line = key_node.start_mark.line + 1
        if key in SECTIONS and not prefix:
            if isinstance(value_node, yaml.MappingNode):
                _read_mapping(value_node, key + ".", settings, lines, problem)
            elif not (isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "~", "null")):
                problem(Message.of(N_("“%(key)s” must be a group of settings, each on its own indented line."),
                                   key=key), line)
            continue
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            problem(Message.of(N_("“%(key)s” is not a setting. Did you mean “%(close)s”?"), key=key, close=close[0])
                    if close else Message.of(N_("“%(key)s” is not a setting."), key=key), line)
            continue
        settings[key] = yaml.safe_load(yaml.serialize(value_node))
        lines[key] = line
