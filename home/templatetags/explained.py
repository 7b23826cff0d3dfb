"""Texts shown with the lexicon's words explained, for every app's templates: `explained` and `explained_html`.

The lexicon (`lexique`) sits above `home` and below the apps whose pages it annotates, so neither side imports the
other: each function registered under the Wagtail hook "explain_words" receives the escaped HTML of a text and
returns it with its words explained (lexique/wagtail_hooks.py). Without one registered, the text is only escaped.
"""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail import hooks

register = template.Library()


def explain(html):
    for explain_words in hooks.get_hooks("explain_words"):
        html = explain_words(html)
    # Escaped by the caller; the hooks receive escaped HTML and return it so.
    return mark_safe(html)


@register.filter
def explained(text):
    """A plain text (a procedure's purpose), escaped and cut into paragraphs, its words explained."""
    return explain(linebreaks_filter(text, autoescape=True))


@register.filter
def explained_html(html):
    """HTML the page already shows (rich text, a body written out with `{% filter %}`), its words explained.

    Anything not marked safe is escaped first, so a plain string never passes as HTML.
    """
    return explain(str(conditional_escape(html)))
