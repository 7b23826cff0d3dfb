"""The notifications of mandates: the resident's (recorded, revoked by the centre, ending soon) and the team's."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds

MANDATE = kinds.register("mandate", _("mon mandat pour mes démarches est donné, arrêté ou va finir"))
MANDATE_TEAM = kinds.register(
    "mandate_team", _("un mandat que j'ai noté va finir ou est arrêté par la personne"), for_staff=True
)
