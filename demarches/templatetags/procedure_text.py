"""How a procedure's own words are shown: escaped, in paragraphs, and through the lexicon's hook.

The lexicon (a later app, `lexique`) will explain hard words where they are read ("allocataire", "RSA"). It
will do so by registering a function under the Wagtail hook "explain_words": each receives the escaped HTML of
a text and returns it with its words explained. None is registered yet, so the text is only escaped and cut
into paragraphs; every template shows a procedure's text through `explained`, so nothing will need changing.
"""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.safestring import mark_safe
from wagtail import hooks

register = template.Library()


@register.filter
def explained(text):
    html = linebreaks_filter(text, autoescape=True)
    for explain_words in hooks.get_hooks("explain_words"):
        html = explain_words(html)
    # Escaped above; the hooks receive escaped HTML and return it so.
    return mark_safe(html)
