"""The lexicon's place in the rest of the site: words explained in other apps' texts, hints for its editors."""

from django.contrib import messages
from wagtail import hooks

from lexique.explaining import explain_words
from lexique.models import TermPage, readability_hints

hooks.register("explain_words", explain_words)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_hard_sentences(request, page):
    """Easy French is a habit, not a rule the form enforces: the editor saves, then reads what to shorten."""
    if isinstance(page.specific_deferred, TermPage):
        for hint in readability_hints(page.specific.definition):
            messages.warning(request, hint)
