"""Command line: thin click verbs over the library.

Exit status: 0 success (warnings allowed), 1 data errors (publishing blocked),
2 usage errors (a wrong option, a folder that cannot be used), 3 an internal
problem in perfsite itself (a bug to report, never your data's fault).
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import traceback
from pathlib import Path
from typing import Optional

import click

from . import __version__
from .checks import CHECKERS
from .quality.report import FORMATS, github_annotation, github_prefix, render, summary_line
from .source import SourceUnavailable
from .workers import WorkersError
from .write import OutputFolderError

EXIT_OK, EXIT_DATA_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
# rows of the build summary that tell what one build did, not what the site is: a build
# that had nothing to do does not repeat them from the last one
WORK_DONE_ROWS = ("pages", "charts", "files unchanged", "time by stage")


def _site_option(default: Optional[Path]):
    return click.option(
        "--site", "site", type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=default, show_default=default is not None and str(default),
        help="The site folder (site.yaml, data/, content/). Default: the current folder.",
    )


ref_option = click.option(
    "--ref", "ref", default=None, metavar="REVISION",
    help="Read the site as committed at a git revision (a release such as release/2010-11-q2, whether tagged or "
         "declared by a Release line, a commit or a branch) instead of the folder as it is now.")


def _language_of(settings):
    """The language of a site's settings, for what a command says before (or without) a build."""
    from .i18n import ENGLISH, Language

    try:
        return Language.for_setting(settings.language)
    except ValueError:  # an unknown language is reported when the site is checked
        return ENGLISH


def _site_language(site: Optional[Path]):
    """The language of the site folder's settings (site.yaml alone), for what a command says
    without a build; English when the settings cannot be read at all."""
    from .i18n import ENGLISH
    from .load import load_settings
    from .source import FolderSource

    try:
        return _language_of(load_settings(FolderSource((site or Path.cwd()).resolve())))
    except Exception:  # noqa: BLE001 - saying what went wrong must never go wrong itself
        return ENGLISH


def _said(problem: BaseException, language) -> str:
    """An exception's sentence in ``language``: its i18n.Message translated, or its text as it is
    (the words of Python or of another program)."""
    from .i18n import Message

    text = problem.args[0] if len(problem.args) == 1 else None
    return language.translate(text) if isinstance(text, Message) else str(problem)


def _in_a_site_template(problem: BaseException) -> bool:
    # imported only when something has gone wrong: the commands that render nothing need not load the renderer
    from .render import SiteTemplateError

    return isinstance(problem, SiteTemplateError)


def _guarded(command):
    """Turn unexpected exceptions into a plain message and exit status 3, never a traceback.

    The message is in the language of the command's site (its ``site`` option, else the
    current folder), read only when there is something to say."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except (OutputFolderError, SourceUnavailable, WorkersError) as problem:
            language = _site_language(kwargs.get("site"))
            click.echo(language.gettext("Error: %(problem)s", problem=_said(problem, language)), err=True)
            sys.exit(EXIT_USAGE)
        except OSError as problem:
            language = _site_language(kwargs.get("site"))
            reason = problem.strerror or problem  # the operating system's words
            said = (language.gettext("a file or folder could not be read or written: %(reason)s (%(path)s).",
                                     reason=reason, path=problem.filename) if problem.filename else
                    language.gettext("a file or folder could not be read or written: %(reason)s (unknown path).",
                                     reason=reason))
            click.echo(language.gettext("Error: %(problem)s", problem=said), err=True)
            sys.exit(EXIT_USAGE)
        except Exception as problem:  # noqa: BLE001 - the last line of defence for publishers
            language = _site_language(kwargs.get("site"))
            if _in_a_site_template(problem):  # the site's own template, not perfsite, is to mend
                said = _said(problem, language)
                if kwargs.get("output_format") == "github":  # on the template's line in the pull request
                    click.echo(github_annotation("error", github_prefix(kwargs.get("site") or Path.cwd()),
                                                 problem.file, problem.line, None, "site template", said))
                click.echo(language.gettext("Error: %(problem)s", problem=said), err=True)
                sys.exit(EXIT_USAGE)
            click.echo(language.gettext("perfsite hit an internal problem. This is a bug in perfsite, not a problem "
                                        "with your data: %(kind)s: %(problem)s",
                                        kind=type(problem).__name__, problem=_said(problem, language)), err=True)
            if os.environ.get("PERFSITE_DEBUG"):
                traceback.print_exc()
            else:
                click.echo(language.gettext("Set %(setting)s to see the details for a bug report.",
                                            setting="PERFSITE_DEBUG=1"), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def make_cli(default_site: Optional[Path] = None) -> click.Group:
    @click.group(help="Build published performance reports as an accessible static website.")
    @click.version_option(__version__, prog_name="perfsite")
    def cli() -> None:
        pass

    format_option = click.option("--format", "output_format", type=click.Choice(FORMATS), default="human",
                                 show_default=True,
                                 help="How to print the data-quality report: for people, as JSON, or as GitHub "
                                      "Actions annotations.")

    @cli.command(help="Check the site's data and content against the data-quality rules; write nothing.")
    @_site_option(default_site)
    @click.option("--strict", is_flag=True, help="Treat missing exception narratives as errors.")
    @ref_option
    @format_option
    @_guarded
    def validate(site: Optional[Path], strict: bool, ref: Optional[str], output_format: str) -> None:
        from .pipeline import check

        root = (site or Path.cwd()).resolve()
        from .progress import notices, outcome_language

        outcome = check(root, strict=strict, ref=ref)
        language = outcome_language(outcome)
        click.echo(render(outcome.report, output_format, root, language), nl=False)
        for text in notices(outcome.site, language):  # on stderr: the report on stdout stays JSON or annotations
            click.echo(language.gettext("Note: %(note)s", note=text), err=True)
        sys.exit(EXIT_OK if outcome.ok else EXIT_DATA_ERRORS)

    @cli.command(help="Validate the site and, if nothing blocks publishing, write it to the output folder.")
    @_site_option(default_site)
    @click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
                  help="Where to write the site. Default: output/ in the site folder.")
    @click.option("--strict", is_flag=True, help="Treat missing exception narratives as errors.")
    @click.option("--no-cache", is_flag=True,
                  help="Render every page and chart again instead of reusing unchanged ones (same bytes, more time).")
    @click.option("--workers", type=click.IntRange(1, 64), default=None,
                  help="Processes for rendering charts. Default: one per core.")
    @click.option("--scheduler", metavar="ADDRESS", default=None,
                  help="Render charts and pages on the Dask cluster whose scheduler is at ADDRESS "
                       "(for example tcp://10.0.0.5:8786) instead of on this machine.")
    @ref_option
    @format_option
    @_guarded
    def build(site: Optional[Path], out: Optional[Path], strict: bool, no_cache: bool, workers: Optional[int],
              scheduler: Optional[str], ref: Optional[str], output_format: str) -> None:
        import time

        from . import last_build
        from .cache import CACHE_FOLDER
        from .progress import print_summary_rows, stage_progress

        started = time.perf_counter()
        root = (site or Path.cwd()).resolve()
        destination = (out or root / "output").resolve()
        cache_root = root / CACHE_FOLDER
        key = None
        if not no_cache and ref is None:  # the quick path: a build that would change nothing is not run
            key = last_build.build_key(root, destination, strict, output_format)
            last = last_build.up_to_date(cache_root, key, destination)
            if last is not None:
                click.echo(last.report_text, nl=False, err=last.report_to_stderr)
                for line in last.up_to_date_lines:
                    click.echo(line, err=output_format == "json")
                seconds = f"{time.perf_counter() - started:.1f}"
                print_summary_rows([tuple(row) for row in last.summary]
                                   + [(last.time_label, last.time_text.replace("%(seconds)s", seconds))],
                                   last.summary_title, err=output_format == "json")
                return
        last_build.forget(cache_root)  # a build that stops half-way leaves no record behind

        from .pipeline import build as build_site
        from .progress import outcome_language, stage_times, summary_lines

        with stage_progress() as progress:
            outcome = build_site(root, destination, strict=strict, use_cache=not no_cache, workers=workers, ref=ref,
                                 progress=progress, scheduler=scheduler)
        language = outcome_language(outcome)
        report_text = render(outcome.report, output_format, root, language)
        report_to_stderr = False
        if output_format == "json":
            click.echo(report_text, nl=False)
        elif outcome.report.findings or not outcome.ok:
            report_to_stderr = output_format == "human" and outcome.ok
            click.echo(report_text, nl=False, err=report_to_stderr)
        else:
            report_text = summary_line(outcome.report, language) + "\n"
            click.echo(report_text, nl=False)
        if not outcome.ok:
            click.echo(language.gettext("Nothing was written: %(folder)s is unchanged.", folder=destination), err=True)
            sys.exit(EXIT_DATA_ERRORS)
        rendered = outcome.rendered
        timing = stage_times(outcome, language)
        files = language.ngettext("%(pages)s and %(num)s other file", "%(pages)s and %(num)s other files",
                                  rendered.files - rendered.pages,
                                  pages=language.ngettext("%(num)s page", "%(num)s pages", rendered.pages))
        message = language.gettext(
            "Built %(files)s into %(folder)s (%(charts)s rendered, %(cached)s from cache; %(timing)s).",
            files=files, folder=destination,
            charts=language.ngettext("%(num)s chart", "%(num)s charts", rendered.charts_rendered),
            cached=rendered.charts_from_cache, timing=timing)
        click.echo(message, err=output_format == "json")
        rows = summary_lines(outcome, language=language)
        title = language.gettext("Build summary")
        print_summary_rows(rows, title, err=output_format == "json")
        if key is not None:
            # what the quick path will print, in the site's language (its key covers the settings)
            work_done = {language.gettext(label) for label in WORK_DONE_ROWS}
            last_build.write_record(cache_root, last_build.LastBuild(
                key=key, destination=str(destination), files=last_build.output_files(destination),
                report_text=report_text, report_to_stderr=report_to_stderr,
                up_to_date_lines=[
                    language.gettext("Nothing has changed since the last build: %(folder)s is up to date "
                                     "(nothing was rendered or written).", folder=destination),
                    language.gettext("Built %(files)s into %(folder)s at the last build.", files=files,
                                     folder=destination)],
                summary_title=title, summary=[list(row) for row in rows if row[0] not in work_done],
                time_label=language.gettext("time"),
                time_text=language.gettext("%(seconds)ss: the inputs, perfsite and the output folder are as they "
                                           "were at the last build")))

    @cli.command(help="Prove a built site: HTML (Nu HTML Checker), accessibility (axe-core in Chromium, "
                      "Lighthouse), internal links. Prints the figures; exits 1 on any failure.")
    @_site_option(default_site)
    @click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
                  help="The built site to check. Default: output/ in the site folder.")
    @click.option("--only", "only", multiple=True, type=click.Choice(CHECKERS),
                  help="Run only this checker (repeat for several). Default: all four.")
    @click.option("--no-cache", is_flag=True,
                  help="Check every page again instead of keeping what axe and the HTML checker found on "
                       "pages unchanged since the last check (in .cache/perfsite/ in the site folder).")
    @_guarded
    def check(site: Optional[Path], out: Optional[Path], only: tuple[str, ...], no_cache: bool) -> None:
        from .cache import CACHE_FOLDER, RenderCache
        from .checks import report_text, run_checks
        from .load import load_settings
        from .source import FolderSource

        root = (site or Path.cwd()).resolve()
        destination = (out or root / "output").resolve()
        settings = load_settings(FolderSource(root))  # site.yaml alone: quick
        language = _language_of(settings)
        if not (destination / "index.html").is_file():
            command = f"python build.py build --out {destination}"
            raise click.UsageError(language.gettext(
                "%(folder)s holds no built site: run the build first (%(command)s).", folder=destination,
                command=command))
        report = run_checks(destination, settings.base_url, settings.check, only or CHECKERS,
                            progress=lambda message: click.echo(message, err=True), language=language,
                            kept=None if no_cache else RenderCache(root / CACHE_FOLDER))
        click.echo(report_text(report, settings.check.problems_shown, language), nl=False)
        sys.exit(EXIT_OK if report.ok else EXIT_DATA_ERRORS)

    @cli.command("new-period", help="Start a reporting period, e.g. \"2010-11 Q4\": check its data, list its "
                                    "exceptions, write narrative and commentary stubs (never overwriting a file) and "
                                    "print the checklist with the timetable's dates.")
    @click.argument("period_text", metavar="PERIOD")
    @_site_option(default_site)
    @_guarded
    def new_period(period_text: str, site: Optional[Path]) -> None:
        from .periods import Period, PeriodError
        from .pipeline import check as check_site
        from .progress import outcome_language
        from .quarter import PeriodNotReady, checklist, plan_quarter, write_stubs

        root = (site or Path.cwd()).resolve()
        try:
            period = Period.parse(period_text)
        except PeriodError as problem:  # said in the site's language (site.yaml alone); click's frame stays English
            raise click.BadParameter(_site_language(root).translate(problem.message), param_hint="PERIOD") from None
        outcome = check_site(root)
        language = outcome_language(outcome)
        if not outcome.ok or outcome.site is None:
            click.echo(render(outcome.report, "human", root, language), nl=False)
            click.echo(language.gettext("Fix the data first: new-period wrote nothing for %(period)s.",
                                        period=period.label), err=True)
            sys.exit(EXIT_DATA_ERRORS)
        try:
            plan = plan_quarter(outcome.site, period, language)
        except PeriodNotReady as problem:
            click.echo(language.gettext("Error: %(problem)s", problem=language.translate(problem.message)), err=True)
            sys.exit(EXIT_DATA_ERRORS)
        written, kept = write_stubs(root, plan.stubs)
        command = "python build.py" if default_site else "perfsite"
        from .history import release_tag_prefix

        click.echo(checklist(plan, written, kept, command, tag_prefix=release_tag_prefix(root)), nl=False)

    @cli.command(help="Print the data-quality rules in force, with what each asks and how to fix a problem.")
    def rules() -> None:
        from .quality.report import rules_markdown

        click.echo(rules_markdown(), nl=False)

    @cli.command(help="Build the site, preview it at http://127.0.0.1:PORT/ (this computer only) and rebuild it "
                      "when a file changes; the browser reloads by itself.")
    @_site_option(default_site)
    @click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
                  help="Where to write the site. Default: output/ in the site folder.")
    @click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
                  help="The port to listen on; 0 picks a free one.")
    @click.option("--no-build", is_flag=True, help="Serve the output folder as it is (no rebuilds).")
    @_guarded
    def serve(site: Optional[Path], out: Optional[Path], port: int, no_build: bool) -> None:
        import threading

        from .load import load_settings
        from .preview import Preview, handler_class, site_rebuild
        from .source import FolderSource

        root = (site or Path.cwd()).resolve()
        destination = (out or root / "output").resolve()
        settings = load_settings(FolderSource(root))  # site.yaml alone: quick
        language = _language_of(settings)  # of what serve says; a rebuild's report is in the language it read

        preview = Preview(site_rebuild(root, destination, language))
        if not no_build:
            failure = preview.rebuild()
            if failure is not None and not (destination / "index.html").is_file():
                click.echo(failure, nl=False)
                click.echo(language.gettext("The site could not be built; the preview shows this report until it "
                                            "builds."), err=True)
        elif not (destination / "index.html").is_file():
            raise click.UsageError(language.gettext("%(folder)s holds no built site; run the build first.",
                                                    folder=destination))
        handler = functools.partial(handler_class(preview, settings.base_url, language), directory=str(destination))
        stop = threading.Event()

        def rebuilt(failure: Optional[str]) -> None:
            if failure is None:
                click.echo(language.gettext("Rebuilt: the browser reloads."))
            else:
                click.echo(language.gettext("The rebuild failed; the browser shows the report:"), err=True)
                click.echo(failure, err=True)

        with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
            host, bound_port = server.server_address[:2]
            watcher = None
            if not no_build:
                watcher = threading.Thread(target=preview.watch, args=(root, stop, rebuilt), daemon=True)
                watcher.start()
            address = f"http://{host}:{bound_port}/"
            click.echo(language.gettext("Serving %(folder)s at %(address)s (watching for changes, Ctrl+C to stop)",
                                        folder=destination, address=address) if watcher else
                       language.gettext("Serving %(folder)s at %(address)s (Ctrl+C to stop)", folder=destination,
                                        address=address))
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                click.echo(language.gettext("Stopped."))
            finally:
                stop.set()

    return cli


def main(default_site: Optional[Path] = None) -> None:
    make_cli(default_site)(prog_name="build.py" if default_site else "perfsite")
