"""What the lexicon tells: its writers, that their page is published or sent back with the reviewer's comment;
a centre's relays and mediators, that someone is stuck on a tutorial's step and asks for help."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lexique.contributions import contributors_of
from notifications import kinds
from notifications.services import notify

CONTRIBUTION_PUBLISHED = kinds.register(
    "contribution_published", _("une page que j'ai écrite est publiée"), for_staff=True
)
CONTRIBUTION_SENT_BACK = kinds.register(
    "contribution_sent_back", _("une page que j'ai écrite est à reprendre"), for_staff=True
)
STUCK_ON_TUTORIAL = kinds.register(
    "stuck_on_tutorial",
    _("une personne bloque sur un tutoriel et demande de l'aide"),
    for_staff=True,
    subject=_("Une personne demande de l'aide sur un tutoriel"),
)


_quiet = ContextVar("lexique_quiet_publishing", default=False)


@contextmanager
def publishing_quietly():
    """Publish without telling the writers: pages loaded as already written (the demo) are no news to them."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def tell_published(page):
    """Each writer of `page` hears that it is online, with its address (whoever approved it: writers never publish)."""
    if _quiet.get():
        return
    text = gettext("Votre page « %(title)s » est publiée. Merci !") % {"title": page.title}
    for writer in contributors_of(page):
        notify(writer, CONTRIBUTION_PUBLISHED.key, text, url=page.url or "", centre=page.centre)


def tell_sent_back(page, *, by=None, comment=""):
    """Each writer of `page` hears that the centre's team asks for changes, what they said, and where to edit."""
    if comment:
        text = gettext("Votre page « %(title)s » est à reprendre. Le relecteur a écrit : « %(comment)s »") % {
            "title": page.title,
            "comment": comment,
        }
    else:
        text = gettext("Votre page « %(title)s » est à reprendre. Ouvrez-la pour voir les remarques.") % {
            "title": page.title
        }
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    for writer in contributors_of(page):
        if writer != by:
            notify(writer, CONTRIBUTION_SENT_BACK.key, text, url=url, actor=by, centre=page.centre)
