"""Which centre a place belongs to, so that a write in it stales that centre's pages only (core/freshness.py).

Categories stay site-wide: their names show on every place.
"""

from carte.models import PlaceOpeningHours, PlaceProposal, StalePlaceNotice, UsefulPlace
from core import freshness

freshness.in_centre(UsefulPlace, lambda place: place.centre_id)
freshness.in_centre(PlaceOpeningHours, lambda slot: slot.place.centre_id)
# Proposals show on the team's page and their own status page, both private; a notice only in the inbox.
freshness.shown_nowhere(PlaceProposal, StalePlaceNotice)
