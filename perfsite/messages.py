"""The message catalogue: perfsite's interface text, extracted from its sources.

    python -m perfsite.messages           extract perfsite/locale/messages.pot from the
                                          sources and bring every language's .po up to date
    python -m perfsite.messages --check   change nothing; exit 1 if the template or a
                                          catalogue is out of date

Messages come from the Python modules (_(), gettext, ngettext, N_ for labels
translated later, Message.counting for plurals translated later), the built-in templates ({% trans %}, _(), ngettext) and the
glossary (perfsite/glossary.yaml). Locations name the file but not the line, so that
editing a template does not change the catalogue unless its text changes.

perfsite/locale/en_GB/LC_MESSAGES/messages.po is the English of the source itself:
updating it copies every new msgid into its msgstr, so it is always complete. Other
languages get new messages untranslated (shown in English until translated) and
keep old translations marked obsolete (``#~``) for the translator to reuse.

The extraction is Babel's (babel.messages.extract, with Jinja's extractor for the
templates) with perfsite's settings in one place, METHOD_MAP and JINJA_OPTIONS below;
use this command rather than pybabel, which cannot name the glossary's extractor.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LOCALE_FOLDER, SOURCE_LOCALE, catalogue_path

PACKAGE_FOLDER = Path(__file__).parent
TEMPLATE_FILE = LOCALE_FOLDER / f"{DOMAIN}.pot"
# Which extractor reads which files (paths relative to the perfsite package folder).
METHOD_MAP = [
    ("**.py", "python"),
    ("templates/**.html", "jinja2.ext:babel_extract"),
    ("glossary.yaml", "perfsite.messages:extract_glossary"),
]
# As the template environment is set up in render.py, so that {% trans %} text is read the same.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true",
                 "trim_blocks": "true", "lstrip_blocks": "true"}
OPTIONS_MAP = {"templates/**.html": JINJA_OPTIONS}
COMMENT_TAGS = ("TRANSLATORS:",)
# Babel's keywords, and Message.counting(singular, plural, n): a plural message made before the
# language is known (i18n.Message), read like ngettext.
KEYWORDS = {**DEFAULT_KEYWORDS, "counting": (1, 2)}
PROJECT = "perfsite"
HEADER_COMMENT = ("# The interface text of perfsite's sites (README.md, \"Languages\", says how to add one).\n"
                  "# Made by python -m perfsite.messages from the sources; translators change msgstr lines only.")
# Line width of the .pot and .po files (Babel's default), so that they diff line by line.
LINE_WIDTH = 76


def extract_glossary(fileobj, keywords, comment_tags, options):
    """Babel extractor for glossary.yaml: every term and its meaning is a message."""
    for entry in yaml.safe_load(fileobj.read().decode("utf-8")):
        yield 0, "_", entry["term"], ["A term of the glossary."]
        yield 0, "_", entry["meaning"], [f"What “{entry['term']}” means, in the glossary."]


def extracted() -> Catalog:
    """Every message of perfsite's sources, as a catalogue template."""
    catalogue = Catalog(project=PROJECT, domain=DOMAIN, fuzzy=False, header_comment=HEADER_COMMENT)
    for filename, _line, message, comments, context in extract_from_dir(
            PACKAGE_FOLDER, METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
            strip_comment_tags=True):
        # the file but not the line: a message moves within its file without changing the catalogue
        catalogue.add(message, None, [(f"perfsite/{filename}", None)], auto_comments=comments, context=context)
    return catalogue


def template_text(catalogue: Catalog) -> str:
    """The .pot file's text."""
    return _po_text(catalogue)


# Header lines that change with the day or with Babel's version, not with the messages: left
# out, so that the same messages always give the same file.
VARYING_HEADERS = ('"POT-Creation-Date:', '"PO-Revision-Date:', '"Generated-By:')


def _po_text(catalogue: Catalog) -> str:
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=LINE_WIDTH, omit_header=False, sort_output=True, include_lineno=False,
             ignore_obsolete=False)
    text = buffer.getvalue().decode("utf-8")
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(VARYING_HEADERS))


def updated_catalogue(locale: str, template: Catalog) -> str:
    """The .po text of ``locale`` brought up to date with ``template``."""
    path = catalogue_path(locale)
    if path.is_file():
        with path.open("rb") as file:
            catalogue = read_po(file, locale=locale, domain=DOMAIN)
    else:
        catalogue = Catalog(locale=locale, domain=DOMAIN, project=PROJECT, fuzzy=False, header_comment=HEADER_COMMENT)
    catalogue.update(template, no_fuzzy_matching=True)
    if locale == SOURCE_LOCALE:  # the source's own English: every msgstr is its msgid
        for message in catalogue:
            if message.id:
                message.string = message.id
                message.flags.discard("fuzzy")
        catalogue.obsolete.clear()
    catalogue.header_comment = HEADER_COMMENT
    return _po_text(catalogue)


def languages() -> list[str]:
    """The locales with a catalogue, the source's English first."""
    found = sorted(p.name for p in LOCALE_FOLDER.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())
    return [SOURCE_LOCALE] + [name for name in found if name != SOURCE_LOCALE]


def out_of_date() -> list[Path]:
    """The catalogue files whose text differs from what the sources give now."""
    template = extracted()
    wanted = {TEMPLATE_FILE: template_text(template)}
    for locale in languages():
        wanted[catalogue_path(locale)] = updated_catalogue(locale, template)
    return [path for path, text in wanted.items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


def update() -> list[Path]:
    """Write the template and every language's catalogue; the files changed."""
    template = extracted()
    wanted = {TEMPLATE_FILE: template_text(template)}
    for locale in languages():
        wanted[catalogue_path(locale)] = updated_catalogue(locale, template)
    changed = []
    for path, text in wanted.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m perfsite.messages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a catalogue is out of date")
    arguments = parser.parse_args(argv)
    if arguments.check:
        stale = out_of_date()
        for path in stale:
            print(f"{path.relative_to(PACKAGE_FOLDER.parent)} is out of date: run python -m perfsite.messages")
        return 1 if stale else 0
    for path in update():
        print(f"updated {path.relative_to(PACKAGE_FOLDER.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
