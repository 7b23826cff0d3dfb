"""The lexicon's place in the rest of the site: words explained in other apps' texts, hints for its editors."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem

from lexique.contributions import Contribution
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


class SubmitToTheCentre(SubmitForModerationMenuItem):
    """The writer sends the page to the people who will read it, named in plain words, not the workflow's name."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page and page.pk else None
        if state is None or state.status != state.STATUS_NEEDS_CHANGES:
            centre = page.centre if page and page.centre_id else None
            context["label"] = (
                _("Envoyer à l'équipe de %(centre)s pour relecture") % {"centre": centre.title}
                if centre
                else _("Envoyer à l'équipe du centre pour relecture")
            )
        return context


@hooks.register("construct_page_action_menu")
def submit_to_the_centre(menu_items, request, context):
    page, parent = context.get("page"), context.get("parent_page")
    contributed = (
        isinstance(page, Contribution)
        if page
        else bool(parent and parent.specific_class and getattr(parent.specific_class, "accepts_contributions", False))
    )
    if not contributed:
        return
    for position, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[position] = SubmitToTheCentre(order=item.order)
