"""Which centre a row of the exchange belongs to, so that a write in it stales that centre's pages only
(core/freshness.py). Categories and tags stay site-wide; so do suspensions, which hide a person everywhere.
Conversations, agreements, blocks, the time bank and reports are a few people's own or the team's: no shared
page shows them (what moderation does to an offer is a write to the offer).
"""

from core import freshness
from echanges.models import Account, Agreement, Block, Conversation, Message, ModerationAction, Offer, Report, Transfer

freshness.in_centre(Offer, lambda offer: offer.centre_id)
freshness.shown_nowhere(Conversation, Message, Agreement, Block, Account, Transfer, Report, ModerationAction)
