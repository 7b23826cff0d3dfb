"""The notifications accounts sends: a welcome to a new member, and a word each time a mediator acts for you."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications import kinds

WELCOME = kinds.register("welcome", _("je rejoins un centre"))
ACTED_FOR = kinds.register("acted_for", _("un médiateur fait quelque chose pour moi"))


def welcome_text(centre):
    text = gettext("Bienvenue ! Vous avez rejoint « %s ». Vous y trouverez ses activités et ses horaires.")
    return text % centre.title
