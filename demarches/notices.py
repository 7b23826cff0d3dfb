"""The notifications the procedures' app sends: staff told that someone answered an SMS and waits for a call; a
mandate's (recorded, revoked, ending soon) to the resident and to the team."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds

SMS_REPLY = kinds.register(
    "sms_reply_to_call_back", _("quelqu'un répond à un SMS du centre et attend un appel"), for_staff=True
)
MANDATE = kinds.register("mandate", _("mon mandat pour mes démarches est donné, arrêté ou va finir"))
MANDATE_TEAM = kinds.register(
    "mandate_team", _("un mandat que j'ai noté va finir ou est arrêté par la personne"), for_staff=True
)
