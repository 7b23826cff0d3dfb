"""The notifications the exchange sends."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds

MESSAGE = kinds.register("exchange_message", _("quelqu'un m'écrit au sujet d'un échange"))
AGREEMENT = kinds.register("exchange_agreement", _("un accord d'échange est proposé, accepté ou réalisé"))
OFFER_EXPIRY = kinds.register("offer_expiry", _("mon annonce va bientôt expirer"))
MODERATION = kinds.register("exchange_moderation", _("la modération traite un signalement ou mon annonce"))
REPORT_RECEIVED = kinds.register(
    "exchange_report", _("un habitant signale une annonce, un message ou une personne"), for_staff=True
)
