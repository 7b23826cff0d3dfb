"""Which centre a row of the exchange belongs to, so that a write in it stales that centre's pages only
(core/freshness.py). Categories and tags stay site-wide; so do suspensions, which hide a person everywhere.
"""

from core import freshness
from echanges.models import Agreement, Conversation, Message, ModerationAction, Offer, Report


def centre_of_conversation(conversation_id):
    return Offer.objects.filter(conversations=conversation_id).values_list("centre_id", flat=True).get()


freshness.in_centre(Offer, lambda offer: offer.centre_id)
freshness.in_centre(Conversation, lambda conversation: conversation.offer.centre_id)
freshness.in_centre(Message, lambda message: centre_of_conversation(message.conversation_id))
freshness.in_centre(Agreement, lambda agreement: centre_of_conversation(agreement.conversation_id))
freshness.in_centre(Report, lambda report: report.centre_id)
freshness.in_centre(ModerationAction, lambda action: action.centre_id)
