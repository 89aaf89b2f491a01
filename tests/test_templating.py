"""The templating made cheaper writes the same bytes: the gettext functions installed by
render.install_gettext against the i18n extension's own."""

from __future__ import annotations

import gettext

import jinja2
import pytest
from markupsafe import Markup

from perfsite.render import install_gettext

# Every way the templates translate: _() and gettext() with and without values, "%%", values
# that need escaping or are markup, plurals by ngettext and by {% trans %}…{% pluralize %},
# in loops and blocks that set variables (where the extension's functions get a new context
# for each call), and with autoescaping switched off by a site's own template.
TRANSLATING = """\
{{ _("Status") }} {{ _("100%% on target") }} {{ gettext("%(name)s wrote", name=name) }}
{{ _("Link: %(link)s", link=link) }} {{ ngettext("%(num)s indicator", "%(num)s indicators", n) }}
{{ ngettext("%(num)s file of %(what)s", "%(num)s files of %(what)s", n, what=name) }}
{% for i in range(3) %}{% set x = i %}{{ _("No data") }} {% trans count=i, who=name %}{{ count }} by {{ who }}{% pluralize %}{{ count }} by {{ who }}s{% endtrans %}
{% endfor %}
{% trans %}<strong>Retired:</strong> 50%{% endtrans %} {% trans name=name %}Hello {{ name }}{% endtrans %}
{% autoescape false %}{{ _("%(name)s raw", name=name) }} {{ ngettext("%(num)s <b>", "%(num)s <b>s", n) }}{% endautoescape %}
"""


class Marked(gettext.NullTranslations):
    """Translations that change every message, so that a missed call would show."""

    def gettext(self, message):
        return f"[{message}]"

    def ngettext(self, singular, plural, n):
        return f"[{singular if n == 1 else plural}]"


def environment(install) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    install(env)
    return env


@pytest.mark.parametrize("translations", [gettext.NullTranslations(), Marked()], ids=["English", "marked"])
@pytest.mark.parametrize("n", [0, 1, 2])
def test_gettext_writes_what_the_extensions_wrote(translations, n):
    values = dict(name="<Hart & Rushmoor>", link=Markup('<a href="x">x</a>'), n=n)
    extensions = environment(lambda env: env.install_gettext_translations(translations, newstyle=True))
    ours = environment(lambda env: install_gettext(env, translations))
    expected = extensions.from_string(TRANSLATING).render(**values)
    assert ours.from_string(TRANSLATING).render(**values) == expected
    assert ("[Status]" in expected) == isinstance(translations, Marked)
