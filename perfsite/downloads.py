"""Data downloads: the data package as published, safe to open in a spreadsheet.

Every text cell that a spreadsheet would run as a formula (starting with = + - @,
tab or carriage return) is prefixed with an apostrophe, which spreadsheets show
as text; numbers are left alone. CSVs carry a UTF-8 byte-order mark so Excel reads
them as UTF-8. Every file is listed with its SHA-256 checksum, and the zip of the
package is built with fixed timestamps, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import zipfile
from dataclasses import dataclass
from collections.abc import Iterable, Iterator, Sequence
from typing import Optional

from .api import plain_text, provenance
from .assess import AssessedSite
from .findings import ValidationReport
from .formatting import DIRECTION_LABELS, STATUS_LABELS
from .i18n import N_, Language, Message
from .tables import FORMULA_STARTS, NUMBER_SYNTAX, contract_schema
from .urls import path_for

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no clock in the output
BOM = "\ufeff"
RESOURCE_DESCRIPTIONS = {
    "themes": N_("The partnership's themes (theme boards)."),
    "indicators": N_("Every indicator: title, lead theme, polarity, unit, frequency and definition."),
    "results": N_("Every result, by indicator and period, with notes."),
    "targets": N_("Targets and monitoring levels, by indicator and period."),
    "spend": N_("Expenditure against profiled budget, by theme, programme and period."),
    "benchmarks": N_("Comparator figures, such as England and London."),
    "assessments": N_("Officers' forecasts of whether targets will be achieved."),
}


@dataclass(frozen=True)
class Download:
    path: str  # site path
    title: str
    description: str  # in the English of the catalogue (N_ or a Message): a page shows it translated
    content: bytes
    rows: Optional[int] = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def listing(self) -> "DownloadListing":
        """What a page says of the file (not its bytes): a page's cache key stays small."""
        return DownloadListing(self.path, self.title, self.description, self.rows, self.sha256, self.size)


@dataclass(frozen=True)
class DownloadListing:
    path: str
    title: str
    description: str
    rows: Optional[int]
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text rather than run as a formula."""
    if cell.startswith(FORMULA_STARTS) and not NUMBER_SYNTAX.fullmatch(cell):
        return "'" + cell
    return cell


def safe_csv(text: str) -> bytes:
    return _csv_bytes(csv.reader(io.StringIO(text)))


# Rows are written and encoded this many at a time: the file's bytes are made without
# holding its rows, or its text, whole (a million results' file is 150 MB of bytes, and
# was four copies of it and a list of its rows at once).
CSV_ROWS_A_CHUNK = 10_000


def _csv_bytes(rows: Iterable[Sequence[str]]) -> bytes:
    """The rows (header first) as a spreadsheet-safe UTF-8 CSV with a byte-order mark."""
    out = io.BytesIO()
    out.write(BOM.encode("utf-8"))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for count, row in enumerate(rows, 1):
        writer.writerow([neutralise(cell) for cell in row])
        if count % CSV_ROWS_A_CHUNK == 0:
            out.write(text.getvalue().encode("utf-8"))
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode("utf-8"))
    return out.getvalue()


def assessed_results_csv(site: AssessedSite) -> tuple[bytes, int]:
    """Every assessed result. The header is column names, a contract for programs (never
    translated), and so are the codes (status, direction, exception, forecast); the
    status_label and direction_label columns are for people, in the site's language."""
    language = Language.for_setting(site.config.language)
    header = ["indicator_id", "title", "theme_id", "period", "value", "target", "monitoring_level", "status",
              "status_label", "direction", "direction_label", "compared_with", "exception", "intervention_stage",
              "forecast", "forecast_basis", "data_status", "revised", "published_value", "published_in", "note"]
    count = sum(len(record.series) for record in site.records)
    return _csv_bytes(itertools.chain([header], _assessed_rows(site, language))), count


def _assessed_rows(site: AssessedSite, language: Language) -> Iterator[list[str]]:
    for record in site.records:
        indicator = record.indicator
        for result in record.series:
            target = result.target
            yield [
                indicator.id, indicator.title, indicator.theme_id, result.period.label, plain_text(result.value),
                plain_text(target.target) if target else "", plain_text(target.monitoring_level) if target else "",
                result.status.value, language.translate(STATUS_LABELS[result.status]), result.direction.value,
                language.translate(DIRECTION_LABELS[result.direction]), result.compared_with.label if result.compared_with else "",
                result.exception.value if result.exception else "",
                "" if result.intervention_stage is None else str(result.intervention_stage),
                result.forecast.value if result.forecast else "", result.forecast_basis or "",
                result.data_status, "true" if result.revised else "false",
                plain_text(result.published_value) if result.revised else "", result.published_in or "",
                result.note or "",
            ]


DESCRIPTOR = "datapackage.json"
ASSESSED_RESULTS = "assessed-results.csv"
VALIDATION_REPORT = "validation-report.json"
CHECKSUMS = "SHA256SUMS"


def zip_name(site: AssessedSite) -> str:
    return f"{site.package.name or 'data-package'}.zip"


def release_zip_name(site: AssessedSite, release) -> str:
    return f"{site.package.name or 'data-package'}-{release.slug}.zip"


def data_file_names(site: AssessedSite) -> list[str]:
    """The names of the downloads under /data/ (``data_file``), without making them: what a release keeps."""
    names = [DESCRIPTOR] + [f"{data_file.resource}.csv" for data_file in site.package.files]
    return names + [ASSESSED_RESULTS, VALIDATION_REPORT, zip_name(site), CHECKSUMS]


def release_file_names(site: AssessedSite, release) -> list[str]:
    """The names of a release's downloads under /data/releases/<period>/ (``release_file``)."""
    return [release_zip_name(site, release), CHECKSUMS]


def data_downloads(site: AssessedSite, report: ValidationReport) -> list[Download]:
    package = site.package
    downloads: list[Download] = []
    resources = []
    for data_file in package.files:
        name = f"{data_file.resource}.csv"
        content = safe_csv(data_file.text)
        download = Download(path_for("data_file", name=name), name, RESOURCE_DESCRIPTIONS.get(data_file.resource, ""), content,
                            data_file.rows)
        downloads.append(download)
        resources.append({
            "name": data_file.resource, "path": name, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8-sig", "bytes": download.size, "hash": f"sha256:{download.sha256}",
            "schema": contract_schema(data_file.resource),
        })
    descriptor = {
        key: value for key, value in package.descriptor.items() if key not in ("resources", "profile", "$schema")
    }
    descriptor["resources"] = resources
    descriptor["perfsite:provenance"] = provenance(site)
    descriptor_bytes = (json.dumps(descriptor, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
    downloads.insert(0, Download(path_for("data_file", name=DESCRIPTOR), DESCRIPTOR,
                                 N_("The data package descriptor: every file, its Table Schema and checksum."),
                                 descriptor_bytes))
    assessed, count = assessed_results_csv(site)
    downloads.append(Download(path_for("data_file", name=ASSESSED_RESULTS), ASSESSED_RESULTS,
                              N_("Every result with the status, direction of travel, exception, intervention stage "
                                 "and forecast the build computed."), assessed, count))
    language = Language.for_setting(report.language)  # the site's: the sentences in it, the codes as they are
    validation = {
        "ok": report.ok, "errors": len(report.errors), "warnings": len(report.warnings),
        "findings": [finding.to_dict(language) for finding in report.sorted_findings],
    }
    downloads.append(Download(path_for("data_file", name=VALIDATION_REPORT), VALIDATION_REPORT,
                              N_("The data-quality report of this build, every finding with its rule and location."),
                              (json.dumps(validation, ensure_ascii=False, indent=2) + "\n").encode("utf-8")))
    revisions_csv, revisions_json, count = revisions_files(site)
    downloads.append(Download(path_for("revisions_csv"), "revisions.csv",
                              N_("Every change to a published figure: indicator, period, old and new value, release, "
                                 "commit, date and reason."), revisions_csv, count))
    downloads.append(Download(path_for("revisions_json"), "revisions.json", N_("The same revisions as JSON."),
                              revisions_json))
    archive = zip_name(site)
    downloads.append(Download(path_for("data_file", name=archive), archive, N_("All of the above in one zip file."),
                              _zip(downloads)))
    sums = "".join(f"{d.sha256}  {d.name}\n" for d in downloads)
    downloads.append(Download(path_for("data_file", name=CHECKSUMS), CHECKSUMS,
                              N_("SHA-256 checksums of every download, for checking a copy (sha256sum -c SHA256SUMS)."),
                              sums.encode("utf-8")))
    return downloads


REVISION_COLUMNS = ["indicator_id", "period", "old_value", "new_value", "published_in", "revised_in", "commit",
                    "date", "reason"]


def revisions_files(site: AssessedSite) -> tuple[bytes, bytes, int]:
    """The revisions log as CSV and JSON (from git; empty, with the reason, without a history)."""
    rows = [[r.indicator_id, r.period.label, r.old or "", r.new or "", r.published_in.tag,
             r.revised_in.tag if r.revised_in else "", r.commit or "", r.date.isoformat() if r.date else "", r.reason]
            for r in site.history.revisions]
    notice = site.history.notice
    document = {  # keys and codes are the contract; the notice is a sentence for people, in the site's language
        "notice": Language.for_setting(site.config.language).translate(notice) if notice else notice,
        "releases": [{"tag": r.tag, "period": r.period.label, "commit": r.commit, "date": r.date.isoformat(),
                      "message": r.message, "declared_by": r.declared_by} for r in site.history.releases],
        "revisions": [dict(zip(REVISION_COLUMNS, row)) for row in rows],
    }
    return (_csv_bytes([REVISION_COLUMNS, *rows]), (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode(),
            len(rows))


def release_downloads(site: AssessedSite) -> list[Download]:
    """Each release's data package as it was published, as a zip, with its SHA-256 checksum."""
    downloads = []
    for release in site.history.releases:
        members = [Download(path_for("release_file", period=release.period, name=name), name, "", content)
                   for name, content in release.data_files]
        name = release_zip_name(site, release)
        # the date as in the release's tag and commit (ISO), not written out: it names the release
        archive = Download(path_for("release_file", period=release.period, name=name), name,
                           Message.of(N_("The data package as published at %(tag)s (%(date)s, commit %(commit)s)."),
                                      tag=release.tag, date=release.date.isoformat(), commit=release.short_commit),
                           _zip(members))
        downloads.append(archive)
        downloads.append(Download(path_for("release_file", period=release.period, name=CHECKSUMS), CHECKSUMS,
                                  Message.of(N_("The SHA-256 checksum of %(file)s."), file=name),
                                  f"{archive.sha256}  {name}\n".encode()))
    return downloads


def _zip(members: list[Download]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(members, key=lambda d: d.name):
            info = zipfile.ZipInfo(member.name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.content)
    return buffer.getvalue()
