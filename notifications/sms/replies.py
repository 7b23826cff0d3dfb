"""What people answer to Placette's SMS, as the provider's inbound webhook hands it over.

STOP is handled here, below every app: it ends SMS at once (notifications.sms_numbers). Any other reply is
sent as `reply_received` for the apps above to act on (a centre's "call me back" list, say).
"""

import unicodedata

from django.dispatch import Signal

# Sent with `phone` (E.164), `text` (as typed), `received_at` (aware datetime) and `in_reply_to` (the last SMS
# Delivery Placette sent to that number, or None).
reply_received = Signal()

# What people type to stop, once accents, case, spaces and punctuation are gone: "Stop.", " S T O P ", "Arrêt !"
# and "STOP SMS" all stop. French operators' rule is STOP; the others are what people write when they mean it.
STOP_WORDS = {"stop", "stopsms", "stopper", "stoppez", "arret", "arretsms", "arreter", "arretez", "desabonner"}


def _letters(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if character.isalpha() and character.isascii())


def means_stop(text):
    """Whether a reply asks to stop: the whole reply is a stop word ("S T O P", "Stop !"), or its first word is
    ("Stop merci", "ARRÊT svp"). Stopping someone who did not mean it costs a word to the centre; missing a STOP
    texts someone who asked not to be."""
    if _letters(text) in STOP_WORDS:
        return True
    words = [_letters(word) for word in text.split()]
    first = next((word for word in words if word), "")
    return first in STOP_WORDS
