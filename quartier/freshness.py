"""Which centre a quartier row belongs to, so that a write in it stales that centre's pages only (core/freshness.py).

Centres themselves and their opening hours stay site-wide: their names and hours show on every listing.
"""

from core import freshness
from quartier.models import Membership

freshness.in_centre(Membership, lambda membership: membership.centre_id)
