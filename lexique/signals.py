"""The lexicon's token changes after a commit that publishes, withdraws, moves or deletes a term (or its index).

Explained texts and the list of terms are kept under that token (lexique/explaining.py); drafts change nothing a
reader sees, so saving one keeps them.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from lexique.explaining import lexicon_changed
from lexique.models import LexiconIndexPage, TermPage


def lexicon_changed_after_commit(sender, **kwargs):
    transaction.on_commit(lexicon_changed, robust=True)


for model in (TermPage, LexiconIndexPage):
    for signal in (page_published, page_unpublished, post_page_move, post_delete):
        uid = f"lexique-{id(signal)}-{model.__name__}"
        signal.connect(lexicon_changed_after_commit, sender=model, dispatch_uid=uid)
