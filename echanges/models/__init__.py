"""The exchange between residents: `Offer`s and requests, the `Conversation`s they open, the `Agreement`s
reached in them, the time bank's `Account`s and `Transfer`s, and the `Report`s moderators handle.

One module per aggregate; everything is importable from `echanges.models`, as Django expects.
"""

from echanges.models.conversations import (
    ALLOWED_MINUTES,
    MAX_MINUTES,
    QUARTER,
    Agreement,
    Block,
    Conversation,
    ConversationQuerySet,
    Message,
)
from echanges.models.ledger import Account, Transfer, TransferQuerySet
from echanges.models.moderation import (
    ModerationAction,
    Report,
    ReportQuerySet,
    Suspension,
    SuspensionQuerySet,
    is_suspended,
)
from echanges.models.offers import OFFER_LIFETIME, Category, Offer, OfferQuerySet, OfferTag

__all__ = [
    "ALLOWED_MINUTES",
    "MAX_MINUTES",
    "OFFER_LIFETIME",
    "QUARTER",
    "Account",
    "Agreement",
    "Block",
    "Category",
    "Conversation",
    "ConversationQuerySet",
    "Message",
    "ModerationAction",
    "Offer",
    "OfferQuerySet",
    "OfferTag",
    "Report",
    "ReportQuerySet",
    "Suspension",
    "SuspensionQuerySet",
    "Transfer",
    "TransferQuerySet",
    "is_suspended",
]
