"""The language of a site: its interface text (gettext catalogues) and its formats (Babel).

Every word that perfsite itself writes on a page comes from the message catalogue
perfsite/locale/messages.pot; a language is one file beside it,
perfsite/locale/<locale>/LC_MESSAGES/messages.po. Catalogues are compiled in memory
when a build starts, so there is no compiled .mo file to forget to update.

A ``Language`` belongs to one build: it is made from the site's ``language``
setting and handed to the template environment and to the functions that write
sentences. Nothing here is global, so two builds in different languages in one
process never see each other's words.

A message missing from a catalogue falls back to the English of the source, so a
site can switch to Welsh (Babel's month names and number formats) before every
sentence has been translated.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_FOLDER = Path(__file__).parent / "locale"
DOMAIN = "messages"
# The language the interface text is written in (the msgids): the fallback of every catalogue.
SOURCE_LOCALE = "en_GB"


def N_(message: str) -> str:
    """Marks text for the catalogue without translating it yet: labels defined at import
    time are translated when a page is written, in the language of that build."""
    return message


def babel_locale(language: str) -> Locale:
    """The Babel locale of a ``language`` setting: "en-GB" (as in HTML's lang) is en_GB.

    Raises ValueError with a sentence a publisher can act on.
    """
    try:
        return Locale.parse(language.strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(Message.of(
            N_("must be a language code that perfsite knows, like en-GB or cy (Welsh); “%(language)s” is not one"),
            language=language)) from None


def catalogue_path(locale: str) -> Path:
    return LOCALE_FOLDER / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _compiled(locale: str) -> bytes | None:
    """The catalogue of one locale compiled to .mo bytes (None when there is no catalogue)."""
    path = catalogue_path(locale)
    if not path.is_file():
        return None
    with path.open("rb") as file:
        catalogue = read_po(file, locale=locale, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    return compiled.getvalue()


def translations_for(locale: Locale) -> gettext.NullTranslations:
    """The interface text of a locale: its own catalogue, then the language's without a
    territory (cy for cy_GB), then English. A new object each time, since gettext
    fallbacks are added by changing the object."""
    names = [str(locale)] + ([locale.language] if locale.territory else []) + [SOURCE_LOCALE]
    chain: gettext.NullTranslations | None = None
    for name in dict.fromkeys(names):  # in order, without repeats
        compiled = _compiled(name)
        if compiled is None:
            continue
        translations = Translations(io.BytesIO(compiled), domain=DOMAIN)
        if chain is None:
            chain = translations
        else:
            chain.add_fallback(translations)
    return chain if chain is not None else gettext.NullTranslations()


class Message(str):
    """Text made before the language is known (while assessing, say), written in the build's
    language when a page shows it (the templates' ``translated`` filter).

    It is the English sentence itself, so that everything else (the JSON downloads, the
    command line, comparisons) reads it as plain text; it also keeps its catalogue msgid
    (marked with N_) and values, to be translated.

    A value may itself be a Message (a clause that only some sentences have, a word chosen
    by the data): it is translated too, in the same language, before it is put in. A value
    that is a date is written as a long date ("30 June 2011") in that language.

    ``Message.counting(singular, plural, n, ...)`` is read by the extraction
    (perfsite/messages.py) as a plural message, like ngettext: no N_ around its texts.
    """

    text: str
    values: tuple[tuple[str, "str | Message | dt.date"], ...]
    plural: str  # the plural msgid, when the sentence counts something ("" if not)
    count: int  # the number it counts (%(num)s)

    def __new__(cls, text: str, values: tuple[tuple[str, "str | Message | dt.date"], ...] = (), plural: str = "",
                count: int = 0) -> "Message":
        # the English of the source, with the English catalogue's plural rule
        filled = {name: ENGLISH.value(value) for name, value in values}
        english = (ENGLISH.ngettext(text, plural, count, **filled) if plural
                   else ENGLISH.gettext(text, **filled))
        message = super().__new__(cls, english)
        message.text, message.values, message.plural, message.count = text, values, plural, count
        return message

    def __getnewargs__(self):  # so that a copy (pickle) keeps the msgid, not only the English
        return self.text, self.values, self.plural, self.count

    @classmethod
    def of(cls, text: str, **values: object) -> "Message":
        return cls(text, _kept(values))

    @classmethod
    def counting(cls, singular: str, plural: str, count: int, **values: object) -> "Message":
        return cls(singular, _kept(values), plural, count)


def _kept(values: dict[str, object]) -> tuple[tuple[str, "str | Message | dt.date"], ...]:
    """A message's values: messages and dates as they are (written in the language of the
    message), anything else as text."""
    return tuple((name, value if isinstance(value, (Message, dt.date)) else str(value))
                 for name, value in values.items())


@dataclass(frozen=True)
class Language:
    """The words and formats of one build's language."""

    setting: str  # as written in site.yaml, and in the pages' lang attribute: "en-GB"
    locale: Locale
    translations: gettext.NullTranslations

    @classmethod
    def for_setting(cls, setting: str) -> "Language":
        locale = babel_locale(setting)
        return cls(setting, locale, translations_for(locale))

    # The message is positional-only, so that any name can be a placeholder (%(message)s too).
    def gettext(self, message: str, /, **values: object) -> str:
        """A message in this language, with ``%(name)s`` placeholders filled in."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def translate(self, text: "str | Message") -> str:
        """Text marked for the catalogue elsewhere (N_, Message), in this language. Empty text
        stays empty (gettext's translation of "" is the catalogue's header)."""
        if isinstance(text, Message):
            values = {name: self.value(value) for name, value in text.values}
            if text.plural:
                return self.ngettext(text.text, text.plural, text.count, **values)
            return self.gettext(text.text, **values)
        return self.translations.gettext(text) if text else text

    def value(self, value: "str | Message | dt.date") -> str:
        """A value put into a message, in this language: a message translated, a date written long."""
        if isinstance(value, Message):
            return self.translate(value)
        if isinstance(value, dt.date):
            return format_date(value, "d MMMM y", locale=self.locale)
        return value

    def ngettext(self, singular: str, plural: str, number: int, /, **values: object) -> str:
        """The form of a message for ``number`` (the catalogue's plural rule), ``%(num)s`` filled in."""
        text = self.translations.ngettext(singular, plural, number)
        return text % {"num": number, **values}


ENGLISH = Language.for_setting("en-GB")
