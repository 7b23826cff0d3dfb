"""The lexicon follows its pages and its writers.

Its token changes after a commit that publishes, withdraws, moves or deletes a term (or its index): explained texts
and the list of terms are kept under that token (lexique/explaining.py); drafts change nothing a reader sees, so
saving one keeps them. A centre's new contributors group may write in every contribution index, and a new index
takes every group's contributions; writers hear when their page is published or sent back.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move, task_rejected

from lexique import notices
from lexique.contributions import Contribution, contribution_index_models, grant_contributors
from lexique.explaining import lexicon_changed
from lexique.models import LexiconIndexPage, TermPage
from quartier.models import CentreTeam


def lexicon_changed_after_commit(sender, **kwargs):
    transaction.on_commit(lexicon_changed, robust=True)


for model in (TermPage, LexiconIndexPage):
    for signal in (page_published, page_unpublished, post_page_move, post_delete):
        uid = f"lexique-{id(signal)}-{model.__name__}"
        signal.connect(lexicon_changed_after_commit, sender=model, dispatch_uid=uid)


def team_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.contributors_id is not None:
        grant_contributors(groups=[instance.contributors])


def index_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_contributors(indexes=[instance])


post_save.connect(team_saved, sender=CentreTeam, dispatch_uid="lexique-contributors-team")
for model in contribution_index_models():
    post_save.connect(index_saved, sender=model, dispatch_uid=f"lexique-contributions-{model._meta.label}")


def contribution_published(sender, instance, **kwargs):
    if isinstance(instance, Contribution) and not kwargs.get("alias"):
        notices.tell_published(instance)


def task_sent_back(sender, instance, user=None, **kwargs):
    """`instance` is the task state a reviewer rejected ("Demander des modifications"), with their comment."""
    page = instance.workflow_state.content_object.specific
    if isinstance(page, Contribution):
        notices.tell_sent_back(page, by=user, comment=instance.comment)


page_published.connect(contribution_published, dispatch_uid="lexique-contribution-published")
task_rejected.connect(task_sent_back, dispatch_uid="lexique-contribution-sent-back")
