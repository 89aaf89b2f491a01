"""The machine-readable API: /api/indicators.json and /api/indicators/<id>.json.

The contract fixes the fields of each series entry (period, value, target, status,
direction, exception, intervention_stage, forecast, provisional, revised); others
are added beside them. ``null`` where a field does not apply.

Nothing here is translated, whatever the site's language: every field is the data
contract's, read by programs. Keys are names; status, direction, exception, forecast,
polarity, measure, data_status and build_date_from are codes (the words for people are
the site's pages, and status_label/direction_label in assessed-results.csv); titles,
names, notes, definitions, units and sources are the site's own data as written; period
labels ("2010-11 Q2") are identifiers in the contract's syntax; "generator" names the
program. A human label added here later belongs in the site's language (i18n.Language,
from site.config.language), as the downloads' are.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any, Optional

import orjson

from . import __version__
from .assess import AssessedResult, AssessedSite, IndicatorRecord
from .urls import path_for

CONTRACT_VERSION = 1
PROFILED_PLACES = 6  # decimal places kept for a profiled target such as 1/3 of an annual target


# Python writes a float with an exponent below 1e-4 and from 1e16 (1e-05, 1e+16); orjson
# writes 0.00001 and 1e16. Such figures are made as this float, which orjson refuses, so
# that their documents are written by the standard library (json_text): the same bytes.
EXPONENT_BELOW, EXPONENT_FROM = 1e-4, 1e16


class ExponentFloat(float):
    """A float that JSON writes with an exponent (see json_text)."""


def json_text(document: Any) -> str:
    """The document as JSON, indented by two spaces (a corrected figure is one changed line in
    a git diff of the published site), non-ASCII as it is, a newline at the end: the bytes of
    ``json.dumps(document, ensure_ascii=False, indent=2)``, written by orjson, which is ten
    times quicker (the standard library indents in Python; a national site's API is a million
    results). What orjson cannot write the same (an ExponentFloat, a number beyond 64 bits,
    a lone surrogate) is written by the standard library. So every float in a document must
    come from ``plain_number``, as every figure of the API does: a float made otherwise
    with an exponent would be written without one."""
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def plain_number(value) -> Optional[float | int]:
    """A figure for JSON: exact decimals as written, profiled fractions to six places."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
        value = value.quantize(Decimal(1).scaleb(-PROFILED_PLACES)).normalize()
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < 10**15:
            return int(value)
        value = float(value)
    if isinstance(value, float) and value and not EXPONENT_BELOW <= abs(value) < EXPONENT_FROM:
        return ExponentFloat(value)
    return value


def plain_text(value) -> str:
    """A figure for CSV: digits as written (no exponent), profiled fractions to six places."""
    number = plain_number(value)
    if number is None:
        return ""
    if isinstance(number, int):
        return str(number)
    return format(Decimal(repr(number)), "f")


def url(site: AssessedSite, path: str) -> str:
    return site.config.base_url + path


def series_entry(result: AssessedResult) -> dict[str, Any]:
    target = result.target
    return {
        "period": result.period.label,
        "value": plain_number(result.value),
        "target": plain_number(target.target) if target else None,
        "status": result.status.value,
        "direction": result.direction.value,
        "exception": result.exception.value if result.exception else None,
        "intervention_stage": result.intervention_stage,
        "forecast": result.forecast.value if result.forecast else None,
        "provisional": result.provisional,
        "revised": result.revised,
        "published_value": plain_number(result.published_value) if result.revised else None,
        "published_in": result.published_in,
        # beyond the contract's minimum
        "data_status": result.data_status,
        "note": result.note,
        "monitoring_level": plain_number(target.monitoring_level) if target else None,
        "target_period": target.source_period.label if target else None,
        "target_profiled": target.is_profiled if target else None,
        "compared_with": result.compared_with.label if result.compared_with else None,
        "compared_value": plain_number(result.compared_value),
        "forecast_basis": result.forecast_basis,
        "forecast_for": result.forecast_for.label if result.forecast_for else None,
        "numerator": plain_number(result.numerator),
        "denominator": plain_number(result.denominator),
        "lower_ci": plain_number(result.lower_ci),
        "upper_ci": plain_number(result.upper_ci),
        "benchmarks": [{"comparator": b.comparator, "value": plain_number(b.value)} for b in result.benchmarks],
    }


def _indicator_fields(site: AssessedSite, record: IndicatorRecord) -> dict[str, Any]:
    indicator = record.indicator
    return {
        "id": indicator.id,
        "title": indicator.title,
        "theme_id": indicator.theme_id,
        "other_themes": list(indicator.other_theme_ids),
        "set": indicator.set,
        "polarity": indicator.polarity.value,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "frequency": indicator.frequency,
        "measure": indicator.measure.value,
        "source": indicator.source,
        "outcome_lead": indicator.outcome_lead,
        "url": url(site, path_for("indicator", indicator=indicator)),
        "api": url(site, path_for("api_indicator", indicator=indicator)),
    }


def indicator_document(site: AssessedSite, record: IndicatorRecord) -> dict[str, Any]:
    return {
        **_indicator_fields(site, record),
        "definition": record.indicator.definition,
        "series": [series_entry(result) for result in record.series],
        "targets": [
            {"period": t.period.label, "target": plain_number(t.target),
             "monitoring_level": plain_number(t.monitoring_level), "stretch": plain_number(t.stretch), "note": t.note}
            for t in record.targets
        ],
        "provenance": provenance(site),
    }


def indicators_document(site: AssessedSite) -> dict[str, Any]:
    return {
        "contract_version": CONTRACT_VERSION,
        "publish_period": site.publish_period.label if site.publish_period else None,
        "provenance": provenance(site),
        "indicators": [
            {**_indicator_fields(site, record),
             "latest": series_entry(record.latest) if record.latest else None}
            for record in site.records
        ],
    }


def site_document(site: AssessedSite) -> dict[str, Any]:
    return {
        "contract_version": CONTRACT_VERSION,
        "title": site.config.title,
        "organisation": site.config.organisation,
        "demonstration": site.config.demonstration,
        "publish_period": site.publish_period.label if site.publish_period else None,
        "provenance": provenance(site),
        "themes": [{"id": t.id, "name": t.name, "url": url(site, path_for("theme", theme=t))} for t in site.themes],
        "reports": [
            {"period": report.period.label, "url": url(site, path_for("report", period=report.period)),
             "themes": {t.theme.id: url(site, path_for("theme_report", period=report.period, theme=t.theme)) for t in report.themes}}
            for report in site.reports
        ],
    }


def provenance(site: AssessedSite) -> dict[str, Any]:
    """Where the figures come from, for auditors: package version, commit, date."""
    build = site.build
    return {
        "data_package_version": site.package.version,
        "commit": build.commit,
        "commit_date": build.commit_date.isoformat() if build.commit_date else None,
        "uncommitted_changes": build.uncommitted_changes,
        "build_date": build.build_date.isoformat(),
        "build_date_from": build.date_from,  # "commit", "SOURCE_DATE_EPOCH" or "clock" (not in git)
        "generator": f"perfsite {__version__}",
    }
