"""The notifications accounts sends: a welcome to a new member, a word each time a mediator acts for you, and
the warning before an unused account is erased (to the person, or to the mediators of an accompanied one)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications import kinds

WELCOME = kinds.register("welcome", _("je rejoins un centre"))
ACTED_FOR = kinds.register("acted_for", _("un médiateur fait quelque chose pour moi"))
# Essential: by e-mail, else by SMS, whatever the person chose ("site only" included), since nobody is
# erased unwarned (accounts.inactivity).
ERASURE_NOTICE = kinds.register(
    "erasure_notice",
    _("mon compte inutilisé va être supprimé"),
    essential=True,
    subject=_("Votre compte va être supprimé"),
    email_template="accounts/email/erasure_notice",
)
ACCOMPANIED_ERASURE_NOTICE = kinds.register(
    "accompanied_erasure_notice",
    _("un compte accompagné inutilisé va être supprimé"),
    for_staff=True,
    essential=True,
    subject=_("Un compte accompagné va être supprimé"),
    email_template="accounts/email/erasure_notice",
)


def welcome_text(centre):
    text = gettext("Bienvenue ! Vous avez rejoint « %s ». Vous y trouverez ses activités et ses horaires.")
    return text % centre.title
