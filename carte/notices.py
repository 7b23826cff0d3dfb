"""What the map tells: a centre's team, that a resident proposes a place or a correction and which places are due
for a check; the proposer, what the team answered."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds

PLACE_PROPOSAL_RECEIVED = kinds.register(
    "place_proposal_received",
    _("un habitant propose un lieu ou une correction sur la carte"),
    for_staff=True,
    subject=_("Une proposition sur la carte des lieux utiles"),
)
PLACE_PROPOSAL_ACCEPTED = kinds.register(
    "place_proposal_accepted", _("le centre accepte ma proposition sur la carte des lieux")
)
PLACE_PROPOSAL_REJECTED = kinds.register(
    "place_proposal_rejected", _("le centre ne retient pas ma proposition sur la carte des lieux")
)
PLACES_TO_CHECK = kinds.register(
    "places_to_check",
    _("des lieux de la carte n'ont pas été vérifiés depuis un an"),
    for_staff=True,
    subject=_("Des lieux de la carte sont à revérifier"),
)
